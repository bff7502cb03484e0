//! `check_suite` requested / rerequested: a push (or a "Re-run all") on a head SHA.
//! The suite lists its PRs, except for forks, whose list is empty: then the job
//! finds the PRs from the head SHA.

use serde::Deserialize;

use super::{Classified, Common, Event, LintJob, Payload};

/// The part of a check suite or check run we read.
#[derive(Deserialize)]
pub(super) struct Run {
    head_sha: String,
    #[serde(default)]
    pull_requests: Vec<PrRef>,
}

#[derive(Deserialize)]
struct PrRef {
    number: u64,
}

pub(crate) fn parse(action: &str, payload: &Payload<'_>) -> Result<Event, serde_json::Error> {
    CHECK_SUITE.parse(action, payload, payload.check_suite)
}

/// [`parse`] in one pass over `body`; `None`: ask the two-pass path.
pub(crate) fn fast(body: &[u8]) -> Option<Classified> {
    CHECK_SUITE.fast(body, |d| d.check_suite)
}

const CHECK_SUITE: RunEvent = RunEvent {
    name: "check_suite",
    actions: &["requested", "rerequested"],
    wrap: Event::CheckSuite,
};

/// A check event (`check_suite` here, `check_run` in its module): its name,
/// the actions that make work, and the [`Event`] its jobs make. Both events are
/// read the same way, in two passes ([`RunEvent::parse`]) or one
/// ([`RunEvent::fast`]).
pub(super) struct RunEvent {
    pub(super) name: &'static str,
    pub(super) actions: &'static [&'static str],
    pub(super) wrap: fn(Vec<LintJob>) -> Event,
}

impl RunEvent {
    /// The two-pass read: `run` is the event's own field, as a slice of the body.
    pub(super) fn parse(
        &self,
        action: &str,
        payload: &Payload<'_>,
        run: Option<&serde_json::value::RawValue>,
    ) -> Result<Event, serde_json::Error> {
        if !self.actions.contains(&action) {
            return Ok(self.ignored(action));
        }
        let common = Common::of(payload)?;
        let run: Run = Payload::required(run, self.name)?;
        Ok(self.event(action, common, run))
    }

    /// The one-pass read; `run` picks the event's own field. `None` (the field
    /// absent or `null`, or a body `Delivery` cannot read): ask the two-pass path.
    pub(super) fn fast(&self, body: &[u8], run: fn(Delivery) -> Option<Run>) -> Option<Classified> {
        let mut d: Delivery = super::payload::typed(body)?;
        let action = d.action.take().unwrap_or_default();
        if !self.actions.contains(&action.as_str()) {
            let event = self.ignored(&action);
            return Some(Classified { action, event });
        }
        let common = Common {
            installation: d.installation.take(),
            repository: d.repository.take(),
        };
        let event = self.event(&action, common, run(d)?);
        Some(Classified { action, event })
    }

    fn ignored(&self, action: &str) -> Event {
        Event::Ignored(format!("{} action {action:?} needs no lint", self.name))
    }

    fn event(&self, action: &str, common: Common, run: Run) -> Event {
        match jobs_for(self.name, action, common, run) {
            Some(jobs) => (self.wrap)(jobs),
            None => Event::Ignored(format!("{} without installation or repository", self.name)),
        }
    }
}

/// The top level of a `check_suite` or `check_run` delivery, typed, for the
/// one-pass read. `null` reads as absent, as in `Common::of`; the run absent or
/// `null` leaves the verdict to the two-pass path.
#[derive(Deserialize)]
pub(super) struct Delivery {
    pub(super) action: Option<String>,
    pub(super) installation: Option<super::IdOnly>,
    pub(super) repository: Option<super::Repo>,
    pub(super) check_suite: Option<Run>,
    pub(super) check_run: Option<Run>,
}

/// One job per listed PR, or one head-SHA job when none is listed.
fn jobs_for(event: &str, action: &str, common: Common, run: Run) -> Option<Vec<LintJob>> {
    let (inst, repo) = (common.installation?, common.repository?);
    let job = |pr| LintJob {
        event: event.into(),
        action: action.into(),
        installation_id: inst.id,
        repo: repo.full_name.clone(),
        pr,
        head_sha: Some(run.head_sha.clone()),
    };
    if run.pull_requests.is_empty() {
        return Some(vec![job(None)]);
    }
    Some(
        run.pull_requests
            .iter()
            .map(|p| job(Some(p.number)))
            .collect(),
    )
}
