//! `check_run` rerequested: someone pressed "Re-run" on our check. Other actions
//! (created, completed: sent for every app's runs) are ignored.

use super::check_suite::{Run, jobs_for};
use super::{Common, Event, Payload};

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
