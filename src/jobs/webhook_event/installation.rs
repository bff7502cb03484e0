//! `installation` and `installation_repositories`: cache upkeep only. Whatever the
//! action, the installation's cached token and files are dropped, so permissions
//! and repository access are read fresh.

use serde::Deserialize;

use super::{Event, IdOnly};

pub(crate) fn parse(
    event: &str,
    action: &str,
    value: &serde_json::Value,
) -> Result<Event, serde_json::Error> {
    let Some(inst) = value.get("installation") else {
        return Ok(Event::Ignored(format!("{event} without installation")));
    };
    let inst = IdOnly::deserialize(inst)?;
    Ok(Event::Installation {
        installation_id: inst.id,
        action: format!("{event}.{action}"),
    })
}
