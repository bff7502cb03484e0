//! The event file GitHub Actions writes to `$GITHUB_EVENT_PATH`: the PR's body,
//! title, author, labels and base/head SHAs. Only the fields we use are read,
//! leniently. (The App's webhook deliveries are classified in
//! `jobs::webhook_event`.)

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::jobs::webhook_event::{PullRequest, User};

#[derive(Debug, Default)]
pub(crate) struct PrEvent {
    pub(crate) title: Option<String>,
    pub(crate) body: String,
    pub(crate) author: Option<String>,
    pub(crate) labels: Vec<String>,
    pub(crate) base_sha: Option<String>,
    pub(crate) head_sha: Option<String>,
    /// The PR is a draft (`pull_request.draft`).
    pub(crate) draft: bool,
    /// The author is a bot (`jobs::webhook_event::is_bot`, the App's predicate).
    pub(crate) bot: bool,
}

/// The event file is a webhook payload: its `pull_request` is the same object the
/// App reads from deliveries.
#[derive(Deserialize)]
struct Event {
    pull_request: Option<PullRequest>,
}

/// The PR in the event file, or `None` when the event is not about a PR.
pub(crate) fn read(path: &Path) -> Result<Option<PrEvent>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading GITHUB_EVENT_PATH {}", path.display()))?;
    let event: Event = serde_json::from_str(&text)
        .with_context(|| format!("{}: expected a GitHub event JSON object", path.display()))?;
    Ok(event.pull_request.map(|pr| PrEvent {
        title: pr.title,
        body: pr.body.unwrap_or_default(),
        draft: pr.draft.unwrap_or(false),
        bot: pr.user.as_ref().is_some_and(User::is_bot),
        author: pr.user.map(|u| u.login),
        labels: pr.labels.into_iter().map(|l| l.name).collect(),
        base_sha: pr.base.map(|r| r.sha),
        head_sha: pr.head.map(|r| r.sha),
    }))
}
