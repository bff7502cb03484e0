//! `check_run` rerequested: someone pressed "Re-run" on our check. Other actions
//! (created, completed: sent for every app's runs) are ignored.

use super::check_suite::RunEvent;
use super::{Classified, Event, Payload};

const CHECK_RUN: RunEvent = RunEvent {
    name: "check_run",
    actions: &["rerequested"],
    wrap: Event::CheckRun,
};

pub(crate) fn parse(action: &str, payload: &Payload<'_>) -> Result<Event, serde_json::Error> {
    CHECK_RUN.parse(action, payload, payload.check_run)
}

/// [`parse`] in one pass over `body`; `None`: ask the two-pass path.
pub(crate) fn fast(body: &[u8]) -> Option<Classified> {
    CHECK_RUN.fast(body, |d| d.check_run)
}
