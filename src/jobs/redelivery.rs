//! Missed deliveries: GitHub never redelivers a failed webhook delivery on its
//! own, so a delivery sent while every instance was down, or answered too late,
//! would be lost. On start and every `--redelivery-interval`, [`run`] lists the
//! App's recent delivery attempts and asks GitHub to redeliver each delivery
//! that lint-pr handles, that never got a 2xx, and that the store does not hold.
//!
//! One pass ([`redeliver_missed`]), in the order GitHub's own recipe gives
//! ("Automatically redelivering failed deliveries for a GitHub App webhook"):
//! 1. read pages of attempts, newest first, until a page reaches back past the
//!    window (or [`MAX_PAGES`]);
//! 2. group the attempts by `guid` (the `X-GitHub-Delivery` id, which every
//!    attempt of one delivery shares): a delivery is *missed* when one of its
//!    attempts falls in the window, none of them got a 2xx, and its event and
//!    action are ones lint-pr acts on ([`is_handled`]);
//! 3. ask the store which missed deliveries it holds ([`Known`]: a delivery can
//!    be stored and still count as failed on GitHub's side, e.g. answered after
//!    GitHub's 10 s);
//! 4. request redelivery of the newest failed attempt of each of the others.
//!
//! Never does: redeliver one delivery twice from one instance's loop ([`run`]
//! remembers what it asked for, for [`MAX_WINDOW`]); treat an error as fatal (a
//! pass that fails is logged, the next one covers its window too). Several
//! instances may each ask for the same delivery: GitHub then delivers it twice,
//! and the store's dedupe by delivery id keeps one.
//!
//! Start reading at [`run`] (what `serve` spawns), then [`redeliver_missed`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::github::{self, DeliveryAttempt, GitHub};

/// How far back a pass looks at most: GitHub keeps deliveries, and redelivers
/// them, for 3 days on github.com (7 on GHES), so older ones cannot be helped.
pub const MAX_WINDOW: Duration = Duration::from_secs(72 * 3600);

/// How far back a pass looks at least, however short the interval: GitHub
/// records an attempt when it ends (up to its 10 s timeout after it began) and
/// gives `delivered_at` to the second, so a window of a few seconds could step
/// over an attempt made just before it.
pub const MIN_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Pages of 100 attempts read per pass at most, so a busy App's first pass (which
/// looks back [`MAX_WINDOW`]) stays bounded; the report says when it stopped here.
pub const MAX_PAGES: usize = 30;

/// The webhook events and actions lint-pr acts on, as `jobs::webhook_event`
/// classifies them (its lists are private to its files, so this is a copy; a test
/// there, `redelivery_asks_for_every_event_that_makes_work`, keeps the two in step). `installation` / `installation_repositories` are left out on
/// purpose: they only drop cached tokens and files, which expire on their own.
const HANDLED: &[(&str, &[&str])] = &[
    (
        "pull_request",
        &[
            "opened",
            "edited",
            "reopened",
            "synchronize",
            "ready_for_review",
        ],
    ),
    ("check_run", &["rerequested"]),
    ("check_suite", &["requested", "rerequested"]),
];

/// Whether a delivery of `event` with `action` is one lint-pr acts on.
pub fn is_handled(event: &str, action: Option<&str>) -> bool {
    HANDLED
        .iter()
        .any(|(e, actions)| *e == event && action.is_some_and(|a| actions.contains(&a)))
}

/// Which deliveries lint-pr already holds: the store, in `serve`.
pub trait Known: Sync {
    /// The store's (or the lookup's) error.
    type Error: fmt::Display;

    /// The subset of `guids` (delivery ids, as in `X-GitHub-Delivery`) that are
    /// already stored.
    fn known(
        &self,
        guids: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, Self::Error>> + Send;
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// How far back the pass looked.
    pub window: Duration,
    /// Pages of attempts read.
    pub pages: usize,
    /// Attempts listed (every page read, in the window or not).
    pub listed: usize,
    /// Deliveries in the window that failed every attempt and that lint-pr
    /// handles: the candidates.
    pub missed: usize,
    /// Missed deliveries the store holds (or this instance already asked for).
    pub already_known: usize,
    /// Deliveries (guids) whose redelivery GitHub accepted.
    pub requested: Vec<String>,
    /// Deliveries (guid, error) whose redelivery GitHub refused or did not answer.
    pub failed: Vec<(String, String)>,
    /// Stopped at [`MAX_PAGES`] before reaching the start of the window: older
    /// missed deliveries, if any, were not seen.
    pub truncated: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} delivery attempts listed on {} page{} (last {}){}; {} missed, {} already stored, {} redeliver{} requested, {} request{} failed",
            self.listed,
            self.pages,
            if self.pages == 1 { "" } else { "s" },
            human(self.window),
            if self.truncated {
                format!(", stopped at {MAX_PAGES} pages")
            } else {
                String::new()
            },
            self.missed,
            self.already_known,
            self.requested.len(),
            if self.requested.len() == 1 {
                "y"
            } else {
                "ies"
            },
            self.failed.len(),
            if self.failed.len() == 1 { "" } else { "s" },
        )
    }
}

/// Why a pass could not decide anything.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// GitHub would not list the App's deliveries (after retries): check the App's
    /// id and private key (`GET /app/hook/deliveries` needs the App's JWT).
    #[error("cannot list the App's webhook deliveries (GET /app/hook/deliveries): {0}")]
    List(#[source] github::Error),
    /// The store could not say which deliveries it holds.
    #[error("cannot ask the store which deliveries it holds: {0}")]
    Known(String),
}

/// One pass: the missed deliveries of the last `window` (at most [`MAX_WINDOW`])
/// before `now`, redelivery requested for those `known` does not hold. A failed
/// redelivery request is counted in the report, not returned as an error.
pub async fn redeliver_missed(
    github: &GitHub,
    known: &impl Known,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<Report, Error> {
    let window = window.min(MAX_WINDOW);
    let since = before(now, window);
    let mut report = Report {
        window,
        ..Report::default()
    };
    let attempts = list_since(github, since, &mut report).await?;
    let missed = missed(&attempts, since);
    report.missed = missed.len();
    if missed.is_empty() {
        return Ok(report);
    }
    let guids: Vec<String> = missed.keys().map(|g| (*g).to_string()).collect();
    let stored = known
        .known(&guids)
        .await
        .map_err(|e| Error::Known(e.to_string()))?;
    for (guid, attempt) in missed {
        if stored.contains(guid) {
            report.already_known += 1;
            continue;
        }
        match github.redeliver(attempt.id).await {
            Ok(()) => {
                tracing::info!(
                    delivery_id = guid,
                    attempt_id = attempt.id,
                    event = %attempt.event,
                    action = attempt.action.as_deref().unwrap_or(""),
                    status_code = attempt.status_code,
                    "requested redelivery of a missed delivery"
                );
                report.requested.push(guid.to_string());
            }
            Err(e) => {
                tracing::warn!(delivery_id = guid, attempt_id = attempt.id, error = %e, "GitHub did not accept the redelivery request");
                report.failed.push((guid.to_string(), e.to_string()));
            }
        }
    }
    Ok(report)
}

/// Pages of attempts, newest first, until one reaches back before `since` (every
/// attempt of a page is read, so order within a page does not matter), the last
/// page, or [`MAX_PAGES`].
async fn list_since(
    github: &GitHub,
    since: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<DeliveryAttempt>, Error> {
    let mut attempts = Vec::new();
    let mut cursor = None;
    loop {
        let page = github
            .delivery_page(cursor.as_ref())
            .await
            .map_err(Error::List)?;
        report.pages += 1;
        report.listed += page.attempts.len();
        let reached_back = page
            .attempts
            .iter()
            .any(|a| a.delivered_at.is_some_and(|t| t < since));
        attempts.extend(page.attempts);
        let Some(next) = page.next else { break };
        if reached_back {
            break;
        }
        if report.pages >= MAX_PAGES {
            report.truncated = true;
            break;
        }
        cursor = Some(next);
    }
    Ok(attempts)
}

/// The missed deliveries among `attempts`, by guid (sorted), each with the attempt
/// to redeliver: the newest failed one.
fn missed(attempts: &[DeliveryAttempt], since: DateTime<Utc>) -> BTreeMap<&str, &DeliveryAttempt> {
    let mut by_guid: BTreeMap<&str, Vec<&DeliveryAttempt>> = BTreeMap::new();
    for a in attempts {
        by_guid.entry(a.guid.as_str()).or_default().push(a);
    }
    by_guid
        .into_iter()
        .filter_map(|(guid, tries)| {
            let recent = tries
                .iter()
                .any(|a| a.delivered_at.is_some_and(|t| t >= since));
            let delivered = tries.iter().any(|a| a.succeeded());
            let handled = tries
                .iter()
                .any(|a| is_handled(&a.event, a.action.as_deref()));
            if !recent || delivered || !handled {
                return None;
            }
            let newest = tries.into_iter().max_by_key(|a| (a.delivered_at, a.id))?;
            Some((guid, newest))
        })
        .collect()
}

/// The window of a pass: back to shortly before the last pass that succeeded
/// (one interval of overlap), at least two intervals and [`MIN_WINDOW`], at most
/// [`MAX_WINDOW`]; on
/// the first pass (`last_success` is `None`: the server just started, and
/// deliveries sent while it was down are the ones to find) all of [`MAX_WINDOW`].
pub fn window(
    interval: Duration,
    last_success: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Duration {
    let Some(last) = last_success else {
        return MAX_WINDOW;
    };
    let since_last = (now - last).to_std().unwrap_or(Duration::ZERO);
    (since_last + interval)
        .max(interval.saturating_mul(2))
        .max(MIN_WINDOW)
        .min(MAX_WINDOW)
}

/// What this instance asked GitHub to redeliver, and when: never twice, even when
/// the redelivery fails again (the server still unreachable): that is for the
/// operator to see in the log, not for a loop to repeat every interval.
#[derive(Debug, Default)]
struct Asked(HashMap<String, DateTime<Utc>>);

impl Asked {
    fn record(&mut self, guids: &[String], at: DateTime<Utc>) {
        for g in guids {
            self.0.insert(g.clone(), at);
        }
    }

    /// Drop what is older than GitHub keeps deliveries (they cannot come back).
    fn forget_before(&mut self, cutoff: DateTime<Utc>) {
        self.0.retain(|_, at| *at >= cutoff);
    }
}

/// `known`, plus what this instance already asked for.
struct KnownOrAsked<'a, K> {
    known: &'a K,
    asked: &'a Asked,
}

impl<K: Known> Known for KnownOrAsked<'_, K> {
    type Error = K::Error;

    fn known(
        &self,
        guids: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, Self::Error>> + Send {
        let asked: HashSet<String> = guids
            .iter()
            .filter(|g| self.asked.0.contains_key(*g))
            .cloned()
            .collect();
        let rest: Vec<String> = guids
            .iter()
            .filter(|g| !asked.contains(*g))
            .cloned()
            .collect();
        let known = self.known;
        async move {
            let mut found = if rest.is_empty() {
                HashSet::new()
            } else {
                known.known(&rest).await?
            };
            found.extend(asked);
            Ok(found)
        }
    }
}

/// The store is what `serve` asks: a delivery it holds, in any state, was received.
impl Known for crate::jobs::store::Store {
    type Error = crate::jobs::store::Error;

    fn known(
        &self,
        guids: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, Self::Error>> + Send {
        self.known_deliveries(guids)
    }
}

/// The redelivery loop `serve` runs beside the workers: a pass at once, then one
/// every `interval`, until `shutdown` turns true (or its sender is dropped). Each
/// pass logs one line (its [`Report`]); a pass that fails logs a warning and the
/// next pass looks back far enough to cover it.
pub async fn run<K: Known>(
    github: &GitHub,
    known: &K,
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut asked = Asked::default();
    let mut last_success: Option<DateTime<Utc>> = None;
    loop {
        let now = Utc::now();
        asked.forget_before(before(now, MAX_WINDOW));
        let window = window(interval, last_success, now);
        let known_or_asked = KnownOrAsked {
            known,
            asked: &asked,
        };
        let pass = redeliver_missed(github, &known_or_asked, now, window);
        // A shutdown stops the pass where it is (no request is half-made: each
        // one either reached GitHub or did not).
        let Some(outcome) = super::unless_stopped(pass, &mut shutdown).await else {
            break;
        };
        match outcome {
            Ok(report) => {
                tracing::info!(
                    requested = report.requested.len(),
                    failed = report.failed.len(),
                    "missed deliveries: {report}"
                );
                asked.record(&report.requested, now);
                last_success = Some(now);
            }
            Err(e) => tracing::warn!(
                error = %e,
                next_in_s = interval.as_secs(),
                "missed deliveries: this pass failed; the next one covers its window"
            ),
        }
        if super::unless_stopped(tokio::time::sleep(interval), &mut shutdown)
            .await
            .is_none()
        {
            break;
        }
    }
    tracing::debug!("redelivery loop stopped");
}

/// `d` before `now`; the earliest time there is if that is out of range (it is
/// not, for the windows used here: no arithmetic on times may panic).
fn before(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| now.checked_sub_signed(d))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `90s`, `5m`, `72h`: how the settings are written.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 && s.is_multiple_of(3600) {
        format!("{}h", s / 3600)
    } else if s >= 60 && s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(mins_ago: i64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(now - chrono::Duration::minutes(mins_ago))
    }

    fn attempt(
        id: u64,
        guid: &str,
        mins_ago: i64,
        status: i64,
        now: DateTime<Utc>,
    ) -> DeliveryAttempt {
        DeliveryAttempt {
            id,
            guid: guid.into(),
            delivered_at: at(mins_ago, now),
            redelivery: false,
            status_code: status,
            status: String::new(),
            event: "pull_request".into(),
            action: Some("opened".into()),
            installation_id: Some(1),
        }
    }

    #[test]
    fn the_events_lint_pr_handles() {
        assert!(is_handled("pull_request", Some("synchronize")));
        assert!(is_handled("check_run", Some("rerequested")));
        assert!(is_handled("check_suite", Some("requested")));
        assert!(!is_handled("pull_request", Some("closed")));
        assert!(!is_handled("check_run", Some("completed")));
        assert!(!is_handled("issues", Some("opened")));
        assert!(!is_handled("ping", None));
        assert!(!is_handled("installation", Some("deleted")));
    }

    #[test]
    fn the_newest_failed_attempt_is_the_one_redelivered() {
        let now = Utc::now();
        let list = [
            attempt(3, "a", 1, 502, now),
            attempt(1, "a", 9, 0, now),
            attempt(2, "a", 5, 504, now),
        ];
        let missed = missed(&list, now - chrono::Duration::minutes(10));
        assert_eq!(missed.get("a").map(|a| a.id), Some(3));
    }

    #[test]
    fn a_later_success_or_an_old_delivery_is_not_missed() {
        let now = Utc::now();
        let since = now - chrono::Duration::minutes(10);
        let list = [
            attempt(1, "ok-later", 8, 502, now),
            attempt(2, "ok-later", 4, 202, now),
            attempt(3, "old", 30, 502, now),
            attempt(4, "no-time", 0, 502, now),
        ];
        let mut list = list.to_vec();
        if let Some(a) = list.last_mut() {
            a.delivered_at = None;
        }
        assert!(missed(&list, since).is_empty());
    }

    #[test]
    fn the_window_covers_the_time_since_the_last_good_pass() {
        let now = Utc::now();
        let five = Duration::from_secs(300);
        assert_eq!(window(five, None, now), MAX_WINDOW);
        assert_eq!(
            window(five, Some(now - chrono::Duration::seconds(300)), now),
            Duration::from_secs(600)
        );
        // Two passes failed: the third looks back past them.
        assert_eq!(
            window(five, Some(now - chrono::Duration::seconds(900)), now),
            Duration::from_secs(1200)
        );
        assert_eq!(
            window(five, Some(now - chrono::Duration::days(9)), now),
            MAX_WINDOW
        );
        let second = Duration::from_secs(1);
        assert_eq!(
            window(second, Some(now - chrono::Duration::seconds(1)), now),
            MIN_WINDOW
        );
    }

    #[test]
    fn the_summary_is_one_line() {
        let r = Report {
            window: Duration::from_secs(600),
            pages: 2,
            listed: 142,
            missed: 3,
            already_known: 1,
            requested: vec!["a".into()],
            failed: vec![("b".into(), "422".into())],
            truncated: false,
        };
        assert_eq!(
            r.to_string(),
            "142 delivery attempts listed on 2 pages (last 10m); 3 missed, 1 already stored, 1 redelivery requested, 1 request failed"
        );
    }
}
