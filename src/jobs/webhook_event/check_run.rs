//! `check_run` rerequested: someone pressed "Re-run" on our check. Other actions
//! (created, completed: sent for every app's runs) are ignored.

use serde::Deserialize;

use super::check_suite::{Run, jobs_for};
use super::{Common, Event};

#[derive(Deserialize)]
struct Payload {
    #[serde(flatten)]
    common: Common,
    check_run: Run,
}

pub(crate) fn parse(action: &str, value: &serde_json::Value) -> Result<Event, serde_json::Error> {
    if action != "rerequested" {
        return Ok(Event::Ignored(format!(
            "check_run action {action:?} needs no lint"
        )));
    }
    // Deserialize from the borrowed tree: no copy of a 25 MiB payload.
    let p = Payload::deserialize(value)?;
    Ok(match jobs_for("check_run", action, p.common, p.check_run) {
        Some(jobs) => Event::CheckRun(jobs),
        None => Event::Ignored("check_run without installation or repository".into()),
    })
}
