//! `pull_request`: lint on opened, edited (title or body), reopened, synchronize,
//! ready_for_review. Anything else is ignored.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Classified, Common, Event, Filters, LintJob, Payload, PullRequest};

const ACTIONS: &[&str] = &[
    "opened",
    "edited",
    "reopened",
    "synchronize",
    "ready_for_review",
];

/// `changes` of an `edited` event: which of these were edited (their content
/// is not read).
#[derive(Deserialize)]
struct Changes {
    title: Option<IgnoredAny>,
    body: Option<IgnoredAny>,
}

/// What a `pull_request` delivery must carry, read from its top-level fields.
struct Fields {
    common: Common,
    number: u64,
    pull_request: PullRequest,
    changes: Option<Changes>,
}

fn fields(p: &Payload<'_>) -> Result<Fields, serde_json::Error> {
    Ok(Fields {
        common: Common::of(p)?,
        number: Payload::required(p.number, "number")?,
        pull_request: Payload::required(p.pull_request, "pull_request")?,
        // `null` reads as absent.
        changes: Payload::field::<Option<Changes>>(p.changes)?.flatten(),
    })
}

pub(crate) fn parse(
    action: &str,
    payload: &Payload<'_>,
    filters: &Filters,
) -> Result<Event, serde_json::Error> {
    if !ACTIONS.contains(&action) {
        return Ok(Event::Ignored(format!(
            "pull_request action {action:?} needs no lint"
        )));
    }
    decide(action, fields(payload)?, filters)
}

/// The top level of a `pull_request` delivery, typed, for the one-pass read
/// ([`fast`]). `null` reads as absent, as in [`fields`]; a required field
/// absent or `null` leaves the verdict to the two-pass path.
#[derive(Deserialize)]
struct Delivery {
    action: Option<String>,
    installation: Option<super::IdOnly>,
    repository: Option<super::Repo>,
    number: Option<u64>,
    pull_request: Option<PullRequest>,
    changes: Option<Changes>,
}

/// [`parse`] in one pass over `body`; `None`: ask the two-pass path.
pub(crate) fn fast(body: &[u8], filters: &Filters) -> Option<Classified> {
    let d: Delivery = super::payload::typed(body)?;
    let action = d.action.unwrap_or_default();
    if !ACTIONS.contains(&action.as_str()) {
        let event = Event::Ignored(format!("pull_request action {action:?} needs no lint"));
        return Some(Classified { action, event });
    }
    let fields = Fields {
        common: Common {
            installation: d.installation,
            repository: d.repository,
        },
        number: d.number?,
        pull_request: d.pull_request?,
        changes: d.changes,
    };
    let event = decide(&action, fields, filters).ok()?;
    Some(Classified { action, event })
}

/// What a `pull_request` delivery with a linted action asks of us.
fn decide(action: &str, p: Fields, filters: &Filters) -> Result<Event, serde_json::Error> {
    let Some(head) = &p.pull_request.head else {
        return Err(<serde_json::Error as serde::de::Error>::missing_field(
            "pull_request.head",
        ));
    };
    if action == "edited"
        && !p
            .changes
            .as_ref()
            .is_some_and(|c| c.title.is_some() || c.body.is_some())
    {
        return Ok(Event::Ignored(
            "pull_request edited without a title or body change".into(),
        ));
    }
    let (Some(inst), Some(repo)) = (p.common.installation, p.common.repository) else {
        return Ok(Event::Ignored(
            "pull_request without installation or repository".into(),
        ));
    };
    if filters.skip_bots
        && p.pull_request
            .user
            .as_ref()
            .is_some_and(super::User::is_bot)
    {
        return Ok(Event::Ignored(
            "pull_request by a bot (lint them with --skip-bots=false)".into(),
        ));
    }
    Ok(Event::PullRequest(LintJob {
        event: "pull_request".into(),
        action: action.into(),
        installation_id: inst.id,
        repo: repo.full_name,
        pr: Some(p.number),
        head_sha: Some(head.sha.clone()),
    }))
}
