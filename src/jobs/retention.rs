//! Retention: finished jobs older than `--retention` (default 14 days) are
//! deleted, so the store does not grow with every push for as long as the App
//! runs. Each job holds its payload (a few hundred bytes) and an entry in six
//! indexes; a busy organisation's year of pushes is millions of them, and the
//! accept path slows as its indexes outgrow the page cache (bench/README, "what
//! grows with the tables").
//!
//! What goes: `done` and `superseded` jobs created before the cut-off, then
//! the delivery ids received before the later of that cut-off and
//! [`DELIVERY_KEEP`] ago that no job still names (the dedupe record: GitHub can
//! redeliver a delivery for up to 3 days, 7 on GHES, and the missed-deliveries
//! poller checks its ids against it, so an id is kept past both). What stays:
//! `dead` and `failed` jobs (the operator lists and retries them) and their
//! delivery ids, queued and running jobs (work).
//!
//! A pass runs at start and every [`EVERY`], in batches of [`BATCH`] with a
//! [`PAUSE`] between them, so the accept path (SQLite's one connection) never
//! waits for more than one short batch. `lint_pr_jobs_deleted_total` and
//! `lint_pr_deliveries_deleted_total` count what went; each pass logs it.

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

/// Delivery ids are kept at least this long, whatever `--retention` says:
/// past GitHub's 7 days of redelivery on GHES (3 on github.com) and the
/// missed-deliveries poller's window ([`super::redelivery::MAX_WINDOW`]), so
/// no delivery GitHub can still send again is accepted twice.
pub const DELIVERY_KEEP: Duration = Duration::from_secs(8 * 24 * 3600);

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
            Ok(Pruned {
                jobs: 0,
                deliveries: 0,
            }) => tracing::debug!("retention: no finished job or old delivery id to delete"),
            Ok(Pruned { jobs, deliveries }) => tracing::info!(
                deleted = jobs,
                deliveries_deleted = deliveries,
                retention_h = retention.as_secs() / 3600,
                "retention: deleted {jobs} finished jobs (done or superseded) and {deliveries} delivery ids older than the retention"
            ),
            // The next pass deletes what this one left.
            Err(Failed { part, done, error }) => tracing::warn!(
                error = %error,
                part,
                deleted = done.jobs,
                deliveries_deleted = done.deliveries,
                retention_h = retention.as_secs() / 3600,
                next_in_s = EVERY.as_secs(),
                "retention: this pass failed deleting {part} (after {} finished jobs and {} delivery ids); the rest stays until the next one",
                done.jobs,
                done.deliveries
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

/// What one pass deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pruned {
    /// Finished jobs (`done`, `superseded`).
    pub jobs: u64,
    /// Delivery ids no job named any more.
    pub deliveries: u64,
}

/// A pass that stopped at an error: which part, and what it had deleted by
/// then (that stays deleted).
#[derive(Debug)]
pub struct Failed {
    /// "finished jobs" or "delivery ids".
    pub part: &'static str,
    /// Deleted before the error.
    pub done: Pruned,
    /// The store's error.
    pub error: Error,
}

/// One pass: delete the finished jobs created more than `retention` ago, then
/// the delivery ids received more than `retention` (at least
/// [`DELIVERY_KEEP`]) ago that no job names, a batch at a time with `pause`
/// between batches, each until a batch comes back short.
pub async fn prune_older_than(
    store: &Store,
    retention: Duration,
    pause: Duration,
) -> Result<Pruned, Failed> {
    let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    let now = now_ms();
    let mut done = Pruned::default();
    let jobs = in_batches(
        store.prune_bound(now.saturating_sub(ms(retention))),
        pause,
        |b| store.prune(b, BATCH),
        "lint_pr_jobs_deleted_total",
        &mut done.jobs,
    )
    .await;
    if let Err(error) = jobs {
        return Err(Failed {
            part: "finished jobs",
            done,
            error,
        });
    }
    // After the jobs: a delivery whose last job just went can go in this pass.
    let keep = retention.max(DELIVERY_KEEP);
    let deliveries = in_batches(
        store.delivery_prune_bound(now.saturating_sub(ms(keep))),
        pause,
        |b| store.prune_deliveries(b, BATCH),
        "lint_pr_deliveries_deleted_total",
        &mut done.deliveries,
    )
    .await;
    match deliveries {
        Ok(()) => Ok(done),
        Err(error) => Err(Failed {
            part: "delivery ids",
            done,
            error,
        }),
    }
}

/// Await `bound`, then call `prune` with it until a batch comes back short,
/// `pause` between batches, adding what went to `deleted` and to the counter
/// `metric` (so a batch that fails leaves the count of those before it).
async fn in_batches<B, F, Fut>(
    bound: B,
    pause: Duration,
    prune: F,
    metric: &'static str,
    deleted: &mut u64,
) -> Result<(), Error>
where
    B: std::future::Future<Output = Result<i64, Error>>,
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<u64, Error>>,
{
    let bound = bound.await?;
    loop {
        let n = prune(bound).await?;
        metrics::counter!(metric).increment(n);
        *deleted += n;
        if n < u64::from(BATCH) {
            return Ok(());
        }
        tokio::time::sleep(pause).await;
    }
}
