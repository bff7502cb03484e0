//! Retention: finished jobs older than `--retention` (default 14 days) are
//! deleted, so the store does not grow with every push for as long as the App
//! runs. Each job holds its payload (a few hundred bytes) and an entry in five
//! indexes; a busy organisation's year of pushes is millions of them, and the
//! accept path slows as its indexes outgrow the page cache (bench/README, "what
//! grows with the tables").
//!
//! What goes: `done` and `superseded` jobs created before the cut-off. What
//! stays: `dead` and `failed` jobs (the operator lists and retries them), queued
//! and running jobs (work), and every delivery row (the dedupe record: GitHub
//! can redeliver a delivery for up to 3 days, 7 on GHES, and the
//! missed-deliveries poller checks its ids against it).
//!
//! A pass runs at start and every [`EVERY`], in batches of [`BATCH`] with a
//! [`PAUSE`] between them, so the accept path (SQLite's one connection) never
//! waits for more than one short batch. `lint_pr_jobs_deleted_total` counts
//! what went; each pass logs it.

use std::time::Duration;

use tokio::sync::watch;

use super::Store;
use super::store::{Error, now_ms};

/// Jobs deleted per statement: about a millisecond of SQLite's connection.
/// `python3 bench/retention_replay.py rowid BATCH` (360,000 finished jobs of a
/// 177 MB database): p50 0.50 ms a batch of 100, 0.88 ms of 200, 1.74 ms of
/// 500; p99 12–18 ms (the batches that checkpoint the WAL). The pass's bound
/// reads the old rows once (42 ms there, a first pass over a long backlog;
/// an hour's jobs at steady state).
pub const BATCH: u32 = 200;

/// The wait between two batches of one pass: deliveries arriving meanwhile get
/// the connection.
pub const PAUSE: Duration = Duration::from_millis(50);

/// How often a pass runs.
pub const EVERY: Duration = Duration::from_secs(3600);

/// Prune until `shutdown` turns true or its sender is dropped. `retention` is
/// not zero (zero turns retention off: the caller does not start this).
pub async fn run(store: &Store, retention: Duration, mut shutdown: watch::Receiver<bool>) {
    loop {
        // Stopped between two statements: what was deleted stays deleted, the
        // rest waits for the next start.
        let pass = prune_older_than(store, retention, PAUSE);
        let Some(outcome) = super::unless_stopped(pass, &mut shutdown).await else {
            break;
        };
        match outcome {
            Ok(0) => tracing::debug!("retention: no finished job to delete"),
            Ok(n) => tracing::info!(
                deleted = n,
                retention_h = retention.as_secs() / 3600,
                "retention: deleted {n} finished jobs (done or superseded) older than the retention"
            ),
            // The next pass deletes what this one left.
            Err(e) => tracing::warn!(
                error = %e,
                retention_h = retention.as_secs() / 3600,
                next_in_s = EVERY.as_secs(),
                "retention: this pass failed; finished jobs stay until the next one"
            ),
        }
        if super::unless_stopped(tokio::time::sleep(EVERY), &mut shutdown)
            .await
            .is_none()
        {
            break;
        }
    }
    tracing::debug!("retention loop stopped");
}

/// One pass: delete the finished jobs created more than `retention` ago, a
/// batch at a time with `pause` between batches, until a batch comes back short.
/// Returns how many were deleted.
pub async fn prune_older_than(
    store: &Store,
    retention: Duration,
    pause: Duration,
) -> Result<u64, Error> {
    let retention_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
    let bound = store
        .prune_bound(now_ms().saturating_sub(retention_ms))
        .await?;
    let mut deleted = 0;
    loop {
        let n = store.prune(bound, BATCH).await?;
        metrics::counter!("lint_pr_jobs_deleted_total").increment(n);
        deleted += n;
        if n < u64::from(BATCH) {
            return Ok(deleted);
        }
        tokio::time::sleep(pause).await;
    }
}
