//! `check_run` rerequested: someone pressed "Re-run" on our check. Other actions
//! (created, completed: sent for every app's runs) are ignored.

use super::check_suite::{Delivery, Run, jobs_for};
use super::{Classified, Common, Event, Payload};

pub(crate) fn parse(action: &str, payload: &Payload<'_>) -> Result<Event, serde_json::Error> {
    if action != "rerequested" {
        return Ok(Event::Ignored(format!(
            "check_run action {action:?} needs no lint"
        )));
    }
    let common = Common::of(payload)?;
    let run: Run = Payload::required(payload.check_run, "check_run")?;
    Ok(match jobs_for("check_run", action, common, run) {
        Some(jobs) => Event::CheckRun(jobs),
        None => Event::Ignored("check_run without installation or repository".into()),
    })
}

/// [`parse`] in one pass over `body`; `None`: ask the two-pass path.
pub(crate) fn fast(body: &[u8]) -> Option<Classified> {
    let d: Delivery = super::payload::typed(body)?;
    let action = d.action.unwrap_or_default();
    if action != "rerequested" {
        let event = Event::Ignored(format!("check_run action {action:?} needs no lint"));
        return Some(Classified { action, event });
    }
    let common = Common {
        installation: d.installation,
        repository: d.repository,
    };
    let event = match jobs_for("check_run", &action, common, d.check_run?) {
        Some(jobs) => Event::CheckRun(jobs),
        None => Event::Ignored("check_run without installation or repository".into()),
    };
    Some(Classified { action, event })
}
