//! `pull_request`: lint on opened, edited (title or body), reopened, synchronize,
//! ready_for_review. Anything else is ignored.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::{Common, Event, Filters, LintJob, Payload, PullRequest};

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
    let p = fields(payload)?;
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
