//! `installation` and `installation_repositories`: cache upkeep only. Whatever the
//! action, the installation's cached token and files are dropped, so permissions
//! and repository access are read fresh.

use super::{Event, IdOnly, Payload};

pub(crate) fn parse(
    event: &str,
    action: &str,
    payload: &Payload<'_>,
) -> Result<Event, serde_json::Error> {
    // Present but `null` is an error, as it always was; absent is ignored.
    let Some(raw) = payload.installation else {
        return Ok(Event::Ignored(format!("{event} without installation")));
    };
    let inst: IdOnly = Payload::required(Some(raw), "installation")?;
    Ok(Event::Installation {
        installation_id: inst.id,
        action: format!("{event}.{action}"),
    })
}
