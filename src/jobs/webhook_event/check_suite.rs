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
    if action != "requested" && action != "rerequested" {
        return Ok(Event::Ignored(format!(
            "check_suite action {action:?} needs no lint"
        )));
    }
    let common = Common::of(payload)?;
    let suite: Run = Payload::required(payload.check_suite, "check_suite")?;
    Ok(match jobs_for("check_suite", action, common, suite) {
        Some(jobs) => Event::CheckSuite(jobs),
        None => Event::Ignored("check_suite without installation or repository".into()),
    })
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

/// [`parse`] in one pass over `body`; `None`: ask the two-pass path.
pub(crate) fn fast(body: &[u8]) -> Option<Classified> {
    let d: Delivery = super::payload::typed(body)?;
    let action = d.action.unwrap_or_default();
    if action != "requested" && action != "rerequested" {
        let event = Event::Ignored(format!("check_suite action {action:?} needs no lint"));
        return Some(Classified { action, event });
    }
    let common = Common {
        installation: d.installation,
        repository: d.repository,
    };
    let event = match jobs_for("check_suite", &action, common, d.check_suite?) {
        Some(jobs) => Event::CheckSuite(jobs),
        None => Event::Ignored("check_suite without installation or repository".into()),
    };
    Some(Classified { action, event })
}

/// One job per listed PR, or one head-SHA job when none is listed.
pub(super) fn jobs_for(
    event: &str,
    action: &str,
    common: Common,
    run: Run,
) -> Option<Vec<LintJob>> {
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
