//! Workers: claim a job from the store under a lease, run it under a span carrying
//! the log contract's fields, keep the lease alive, record the outcome.
//!
//! # The retry policy (one policy, two places; ARCHITECTURE.md states it)
//! - Inside one attempt, each GitHub call is retried by `github::retry` for blips
//!   (a few tries, sub-second backoff; rate-limit waits up to its bound);
//! - a job whose call still fails with a retryable error is put back in the store
//!   ([`Store::retry_later`]) and runs again after `retry_delay` · 2^(attempt−1),
//!   plus up to 25% jitter (never sooner than GitHub's `Retry-After`);
//! - the attempt count is kept by the store and incremented at claim, so an
//!   attempt that crashed the process counts too. After [`Settings::max_attempts`]
//!   attempts the job is `dead`: a `neutral` check run says what failed, and the
//!   job stays in the store for `lint-pr jobs retry`;
//! - a permanent error (403 without rate limit, 404, ...) is not retried: a
//!   `neutral` check run says what failed and what to do, and the job ends
//!   `failed`;
//! - a panic inside a job is caught (the job runs in its own task;
//!   `JoinError::is_panic`) and ends it `failed` with a `neutral` check run.
//!
//! # Leases
//! While a job runs, its worker renews the lease every `lease`/3. If a renewal
//! finds the job is no longer ours (our lease expired and another instance took
//! it), the job's task is stopped and nothing is recorded.
//!
//! # Shutdown
//! When `shutdown` turns true, workers stop claiming. A job in progress may finish
//! until the drain deadline (`shutdown_timeout`, less a margin to write the
//! release); then its task is stopped and the job released: queued again, lease
//! cleared, its attempt not counted. A job interrupted by a crash stays `running`
//! until its lease expires (PostgreSQL) or the next start ends it (SQLite,
//! `Store::recover`); its next claim counts a new attempt.

use std::sync::Arc;
use std::time::{Duration, Instant};

use metrics::{counter, histogram};
use tokio::sync::{Notify, watch};
use tracing::{Instrument, field::Empty};

use super::pipeline::{Linted, lint_pr};
use super::store::{Claimed, Outcome, Store};
use super::webhook_event::{Filters, Job, LintJob};
use crate::github::{self, GitHub, Publish};
use crate::report::check_run;

/// Worker tuning (`lint-pr serve`'s queue settings).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Jobs run at the same time by this instance.
    pub workers: usize,
    /// How often an idle worker looks at the store (a delivery stored by this
    /// instance also wakes one worker; other instances' deliveries are found by
    /// this poll).
    pub poll: Duration,
    /// Attempts of one job (the first included) before it is `dead`.
    pub max_attempts: u32,
    /// The wait before a job's second attempt; doubled for each further one.
    pub retry_delay: Duration,
    /// How long a claim is ours without renewal; renewed every `lease`/3.
    pub lease: Duration,
    /// On shutdown, how long jobs in progress may run before they are released.
    pub shutdown_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            workers: 4,
            poll: Duration::from_millis(500),
            max_attempts: 5,
            retry_delay: Duration::from_secs(10),
            lease: Duration::from_secs(60),
            shutdown_timeout: Duration::from_secs(25),
        }
    }
}

impl Settings {
    /// The wait before attempt `attempt + 1` after attempt `attempt` failed:
    /// `retry_delay` · 2^(attempt−1), at most an hour, plus up to 25% jitter so
    /// jobs that failed together do not retry together.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .retry_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(Duration::from_secs(3600));
        exp + exp.mul_f64(0.25 * jitter())
    }
}

/// A number in [0, 1) from the process's random hasher seed (no RNG crate).
fn jitter() -> f64 {
    use std::hash::BuildHasher;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let h = std::collections::hash_map::RandomState::new().hash_one(nanos);
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// What every worker shares.
#[derive(Debug, Clone)]
pub struct Deps {
    pub store: Store,
    pub github: Arc<GitHub>,
    pub filters: Filters,
    pub settings: Settings,
    /// Notified once per job the webhook handler stores (`notify_one`: one worker
    /// wakes per job, never all of them).
    pub wake: Arc<Notify>,
}

/// Run the workers until `shutdown` turns true and every worker has finished or
/// released its job.
///
/// They run on a runtime of their own, on half the cores (at least one
/// thread), not on the one serving HTTP: a job's CPU work (compiling a
/// configuration, linting) runs for milliseconds between awaits, and on a
/// shared runtime the webhook answers queued behind it. With their own
/// threads, the OS shares the CPU between the two and an answer never waits
/// for a lint to yield (bench/loadgen: p99 and the accept rate with the
/// workers busy). The store, GitHub client and wake-up work from any runtime.
///
/// Their threads run at a lower CPU priority ([`WORKER_NICE`]): when the
/// machine is busy, accepting a delivery (GitHub waits at most 10 s for the
/// answer) goes before linting one (its job waits in the store, durably).
pub async fn run(deps: Deps, shutdown: watch::Receiver<bool>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1));
    let (done, finished) = tokio::sync::oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .thread_name("lint-pr-worker")
        .on_thread_start(background_priority)
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(e) => {
            tracing::warn!(error = %e, "cannot start the workers' runtime; they share the server's");
            return run_here(deps, shutdown).await;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("lint-pr-workers".into())
        .spawn(move || {
            background_priority();
            runtime.block_on(run_here(deps, shutdown));
            // Jobs' tasks have all ended (each worker awaited its own).
            drop(runtime);
            let _ = done.send(());
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the workers' thread; no job will run");
        return;
    }
    let _ = finished.await;
}

/// The nice value of the workers' threads: 10, as `nice` gives by default.
/// Under Linux's scheduler a thread at nice 10 gets about a tenth of the CPU
/// time a nice-0 thread gets while both want it, and all of it when the HTTP
/// side is idle: jobs never starve, they wait while deliveries arrive faster
/// than the machine can both accept and lint them (bench/loadgen).
pub const WORKER_NICE: i32 = 10;

/// Lower the calling thread's CPU priority to [`WORKER_NICE`]. Linux only: there
/// a nice value belongs to a thread (man 2 setpriority, "BUGS"); elsewhere
/// `setpriority` would lower the whole process, HTTP included, so nothing is
/// done. Best effort: a failure (a seccomp profile refusing the call) leaves
/// the thread at the default priority, which is only slower under load.
fn background_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority takes three integers and touches no memory of
        // ours; with PRIO_PROCESS and who = 0 it changes the calling thread only.
        let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, WORKER_NICE) };
        if rc != 0 {
            tracing::debug!(error = %std::io::Error::last_os_error(), "workers run at the default CPU priority");
        }
    }
}

/// The workers, on the current runtime.
async fn run_here(deps: Deps, shutdown: watch::Receiver<bool>) {
    let mut handles = Vec::new();
    for n in 0..deps.settings.workers.max(1) {
        let deps = deps.clone();
        let shutdown = shutdown.clone();
        handles.push(tokio::spawn(async move { worker(n, deps, shutdown).await }));
    }
    for h in handles {
        let _ = h.await;
    }
}

async fn worker(n: usize, deps: Deps, mut shutdown: watch::Receiver<bool>) {
    tracing::debug!(worker = n, "worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        match deps.store.claim(deps.settings.lease).await {
            // Claimed just as shutdown began: give it back unrun.
            Ok(Some(job)) if *shutdown.borrow() => {
                // In the job's span, with the repo, PR and head SHA its payload
                // names: the log contract's fields.
                let span = described_span(&job, &serde_json::from_str(&job.payload));
                match deps.store.release(&job).await {
                    Ok(true) => span.in_scope(|| {
                        tracing::info!("shutting down: job claimed as shutdown began, released unrun; it runs again, attempt not counted");
                    }),
                    // No longer ours (its lease ran out): nothing was released.
                    Ok(false) => span.in_scope(|| {
                        tracing::debug!("shutting down: job claimed as shutdown began was no longer ours (its lease ran out); another worker runs it");
                    }),
                    Err(e) => span.in_scope(|| {
                        tracing::error!(error = %e, "cannot release the job claimed as shutdown began; it runs again when its lease expires");
                    }),
                }
                break;
            }
            Ok(Some(job)) => process(&deps, job, run_job, shutdown.clone()).await,
            Ok(None) => {
                tokio::select! {
                    () = deps.wake.notified() => {}
                    () = tokio::time::sleep(deps.settings.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot claim jobs from the store");
                tokio::select! {
                    () = tokio::time::sleep(deps.settings.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }
    tracing::debug!(worker = n, "worker stopped");
}

/// The job's span: created once with every field of the log contract
/// (`telemetry::JOB_FIELDS`); fields learnt later are recorded into it.
fn job_span(job: &Claimed) -> tracing::Span {
    tracing::info_span!(
        "job",
        delivery_id = %job.delivery_id,
        event = Empty,
        action = Empty,
        installation_id = Empty,
        repo = Empty,
        pr = Empty,
        head_sha = Empty,
        job_id = job.id,
        attempt = job.attempt,
    )
}

/// How a job's run ended: the outcome, and the error to keep with it.
type Ended = (Outcome, Option<String>);

/// What runs a job; `run_job` in production, a stand-in in tests (a panic).
type Runner<F> = fn(Deps, Claimed, Result<Job, serde_json::Error>) -> F;

/// Why a job's task stopped before it returned.
enum Stopped {
    /// Renewal found the job is no longer ours.
    LeaseLost,
    /// Shutdown's drain deadline passed.
    Draining,
}

async fn process<F>(deps: &Deps, job: Claimed, runner: Runner<F>, shutdown: watch::Receiver<bool>)
where
    F: std::future::Future<Output = Ended> + Send + 'static,
{
    let started = Instant::now();
    let parsed: Result<Job, _> = serde_json::from_str(&job.payload);
    let span = described_span(&job, &parsed);
    let ended = if job.attempt > deps.settings.max_attempts {
        // Its last attempt never finished (the process died in it): counted, and
        // the budget is spent. Do not run it again; say so.
        exhausted(deps, &job, parsed.as_ref().ok())
            .instrument(span.clone())
            .await
    } else {
        // Its own task, so a panic ends the job, not the worker.
        let task = {
            let deps = deps.clone();
            let job = job.clone();
            tokio::spawn(runner(deps, job, parsed).instrument(span.clone()))
        };
        match supervise(deps, &job, task, shutdown)
            .instrument(span.clone())
            .await
        {
            Ok(Ok(ended)) => ended,
            Ok(Err(e)) => crashed(deps, &job, &e).instrument(span.clone()).await,
            Err(Stopped::LeaseLost) => {
                span.in_scope(|| {
                    tracing::warn!("lease lost: another worker owns this job now; stopped it without recording anything");
                });
                (Outcome::Abandoned, None)
            }
            Err(Stopped::Draining) => {
                match deps.store.release(&job).await {
                    Ok(true) => span.in_scope(|| {
                        tracing::info!("shutting down: job released unfinished; it runs again, attempt not counted");
                    }),
                    Ok(false) => {}
                    Err(e) => span.in_scope(|| {
                        tracing::error!(error = %e, "cannot release the job; it runs again when its lease expires");
                    }),
                }
                (Outcome::Abandoned, None)
            }
        }
    };
    let (outcome, error) = ended;
    if !matches!(outcome, Outcome::Requeued | Outcome::Abandoned) {
        match deps.store.finish(&job, outcome, error.as_deref()).await {
            Ok(true) => {}
            Ok(false) => span.in_scope(|| {
                tracing::warn!(
                    outcome = outcome.as_str(),
                    "the job was no longer ours (lease expired); outcome not recorded"
                );
            }),
            Err(e) => {
                span.in_scope(|| tracing::error!(error = %e, "cannot record the job's outcome"))
            }
        }
    }
    counter!("lint_pr_jobs_total", "outcome" => outcome.as_str()).increment(1);
    histogram!("lint_pr_job_duration_seconds").record(started.elapsed().as_secs_f64());
}

/// The job's span ([`job_span`]) with what its payload names recorded: event,
/// repo, PR and head SHA, when it parses.
fn described_span(job: &Claimed, parsed: &Result<Job, serde_json::Error>) -> tracing::Span {
    let span = job_span(job);
    if let Ok(Job::Lint(l)) = parsed {
        record_fields(&span, l);
    }
    span
}

fn record_fields(span: &tracing::Span, l: &LintJob) {
    span.record("event", l.event.as_str());
    span.record("action", l.action.as_str());
    span.record("installation_id", l.installation_id);
    span.record("repo", l.repo.as_str());
    if let Some(pr) = l.pr {
        span.record("pr", pr);
    }
    if let Some(sha) = &l.head_sha {
        span.record("head_sha", sha.as_str());
    }
}

/// Wait for the job's task while renewing its lease every `lease`/3; stop the
/// task if the lease is lost, or if shutdown's drain deadline passes.
async fn supervise(
    deps: &Deps,
    job: &Claimed,
    mut task: tokio::task::JoinHandle<Ended>,
    mut shutdown: watch::Receiver<bool>,
) -> Result<Result<Ended, tokio::task::JoinError>, Stopped> {
    let lease = deps.settings.lease;
    let mut renew = tokio::time::interval_at(
        tokio::time::Instant::now() + lease / 3,
        (lease / 3).max(Duration::from_millis(10)),
    );
    renew.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut deadline: Option<tokio::time::Instant> =
        (*shutdown.borrow()).then(|| drain_deadline(&deps.settings));
    loop {
        let until_deadline = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            joined = &mut task => return Ok(joined),
            _ = renew.tick() => match deps.store.renew(job, lease).await {
                Ok(true) => {}
                Ok(false) => {
                    task.abort();
                    let _ = task.await;
                    return Err(Stopped::LeaseLost);
                }
                Err(e) => tracing::warn!(job_id = job.id, error = %e, "cannot renew the job's lease; trying again"),
            },
            changed = shutdown.changed(), if deadline.is_none() => {
                if changed.is_err() || *shutdown.borrow() {
                    deadline = Some(drain_deadline(&deps.settings));
                }
            }
            () = until_deadline => {
                task.abort();
                let _ = task.await;
                return Err(Stopped::Draining);
            }
        }
    }
}

/// When jobs still running at shutdown are stopped and released: the shutdown
/// timeout, less a margin (a fifth, at most a second) to write the releases and
/// close the server before the process manager's own deadline.
fn drain_deadline(s: &Settings) -> tokio::time::Instant {
    let margin = (s.shutdown_timeout / 5).min(Duration::from_secs(1));
    tokio::time::Instant::now() + s.shutdown_timeout.saturating_sub(margin)
}

/// The job's task panicked (a bug) or was cancelled: a neutral check run says so.
async fn crashed(deps: &Deps, job: &Claimed, e: &tokio::task::JoinError) -> Ended {
    let what = if e.is_panic() {
        "lint-pr crashed (a bug) while checking this PR"
    } else {
        "the job was cancelled"
    };
    tracing::error!(error = %e, "{what}");
    if let Ok(Job::Lint(l)) = serde_json::from_str::<Job>(&job.payload)
        && let Some(sha) = &l.head_sha
    {
        let todo = "Re-run the check; if it keeps failing, report it with the delivery id from the server's logs.";
        post_neutral(deps, job, &l, sha, what, todo).await;
    }
    (Outcome::Failed, Some(what.to_string()))
}

/// A job claimed once more than its budget allows: its last attempt died with
/// the process. It ends `dead`, with a neutral check run that says so.
async fn exhausted(deps: &Deps, job: &Claimed, parsed: Option<&Job>) -> Ended {
    let what = format!(
        "lint-pr stopped {} times while checking this PR, without finishing (last: {})",
        job.attempt.saturating_sub(1),
        job.last_error.as_deref().unwrap_or("unknown")
    );
    tracing::error!(error = %what, "job dead: its attempts are used up");
    if let Some(Job::Lint(l)) = parsed
        && let Some(sha) = &l.head_sha
    {
        let todo = "This PR may make lint-pr crash or run out of memory: report it with the delivery id from the server's logs. An operator can run it again with `lint-pr jobs retry`.";
        post_neutral(deps, job, l, sha, &what, todo).await;
    }
    (Outcome::Dead, Some(what))
}

/// Run one job to an outcome. A retryable failure re-queues it (`Outcome::Requeued`).
async fn run_job(deps: Deps, job: Claimed, parsed: Result<Job, serde_json::Error>) -> Ended {
    let (deps, job) = (&deps, &job);
    let lint = match parsed {
        Ok(Job::Lint(l)) => l,
        Ok(Job::Installation {
            installation_id,
            action,
        }) => {
            deps.github.forget_installation(installation_id);
            tracing::info!(
                installation_id,
                action,
                "installation changed; cached token and files dropped"
            );
            return (Outcome::Done, None);
        }
        Err(e) => {
            tracing::error!(error = %e, "stored job cannot be read; dropping it");
            return (
                Outcome::Failed,
                Some(format!("the stored job cannot be read: {e}")),
            );
        }
    };
    match lint_job(deps, job, &lint).await {
        Ok(outcome) => (outcome, None),
        Err((err, head_sha)) => fail(deps, job, &lint, head_sha.as_deref(), &err).await,
    }
}

/// The lint of every PR the job names. Errors carry the head SHA if it is known.
async fn lint_job(
    deps: &Deps,
    job: &Claimed,
    l: &LintJob,
) -> Result<Outcome, (github::Error, Option<String>)> {
    let gh = &deps.github;
    let prs = match (l.pr, &l.head_sha) {
        (Some(pr), _) => vec![pr],
        (None, Some(sha)) => {
            let prs = gh
                .pulls_for_commit(l.installation_id, &l.repo, sha)
                .await
                .map_err(|e| (e, Some(sha.clone())))?;
            if prs.is_empty() {
                tracing::info!("no open pull request for this commit; nothing to check");
                return Ok(Outcome::Done);
            }
            match hand_to_pr_jobs(deps, job, l, &prs).await {
                Ok(()) => return Ok(Outcome::Done),
                // Lint them here instead: a second run is better than none.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot store the PRs' own jobs; linting them in this one");
                    prs
                }
            }
        }
        (None, None) => Vec::new(),
    };
    for pr in prs {
        tracing::Span::current().record("pr", pr);
        let linted = lint_pr(
            gh,
            &deps.store,
            l.installation_id,
            &l.repo,
            pr,
            &deps.filters,
        )
        .await
        .map_err(|e| (e, l.head_sha.clone()))?;
        let (pull, output) = match linted {
            Linted::Skipped { pull, reason } => {
                tracing::info!(pr = pull.number, reason, "skipped");
                continue;
            }
            Linted::Checked { pull, output } => (pull, output),
        };
        // The newest job of a PR posts; an older one that finished late must not
        // overwrite it (it may have read an older state).
        match deps.store.superseded(job).await {
            Ok(true) => {
                tracing::info!("a newer event for this PR arrived; leaving the result to it");
                return Ok(Outcome::Superseded);
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot check for newer jobs; posting anyway"),
        }
        let external_id = job.id.to_string();
        let publish = Publish {
            repo: &l.repo,
            head_sha: &pull.head_sha,
            output: &output,
            external_id: &external_id,
        };
        let id = gh
            .publish(l.installation_id, publish)
            .await
            .map_err(|e| (e, Some(pull.head_sha.clone())))?;
        tracing::info!(
            check_run_id = id,
            conclusion = output.conclusion.as_str(),
            annotations = output.annotations.len(),
            "check run posted"
        );
    }
    Ok(Outcome::Done)
}

/// A job that named only a head SHA (a fork's check suite: GitHub lists no PR for
/// it) found its PRs: each becomes a job keyed by the PR, so it coalesces with that
/// PR's `pull_request` events instead of linting the same push a second time.
/// See: #12.
async fn hand_to_pr_jobs(
    deps: &Deps,
    job: &Claimed,
    l: &LintJob,
    prs: &[u64],
) -> Result<(), super::store::Error> {
    let mut jobs = Vec::with_capacity(prs.len());
    for pr in prs {
        let follow = Job::Lint(LintJob {
            pr: Some(*pr),
            ..l.clone()
        });
        jobs.push(super::store::NewJob {
            key: follow.key(&job.delivery_id),
            payload: serde_json::to_string(&follow)
                .map_err(|e| super::store::Error::Batch(e.to_string()))?,
            repo: Some(l.repo.clone()),
            pr: Some(*pr),
        });
    }
    deps.store.enqueue(&job.delivery_id, &jobs).await?;
    tracing::info!(prs = ?prs, "head SHA resolved to its pull requests; each linted by its own job");
    for _ in prs {
        deps.wake.notify_one();
    }
    Ok(())
}

/// A job failed with `err`: run it again later, or give up with a neutral check
/// (`dead` when its attempts are used up, `failed` for a permanent error).
async fn fail(
    deps: &Deps,
    job: &Claimed,
    l: &LintJob,
    head_sha: Option<&str>,
    err: &github::Error,
) -> Ended {
    let message = err.to_string();
    let retryable = err.is_retryable();
    if retryable && job.attempt < deps.settings.max_attempts {
        let delay = deps.settings.backoff(job.attempt);
        let delay = match err {
            github::Error::RateLimited { retry_after, .. } => delay.max(*retry_after),
            _ => delay,
        };
        tracing::warn!(error = %err, delay_s = delay.as_secs_f64(), max_attempts = deps.settings.max_attempts, "job failed; it will run again");
        match deps.store.retry_later(job, delay, &message).await {
            // Queued again: `process` must not record an outcome over it.
            Ok(true) => return (Outcome::Requeued, None),
            Ok(false) => {
                tracing::warn!("the job was no longer ours (lease expired); not re-queued by us");
                return (Outcome::Abandoned, None);
            }
            Err(e) => tracing::error!(error = %e, "cannot re-queue the job"),
        }
    }
    let (outcome, what) = if retryable {
        (
            Outcome::Dead,
            format!(
                "{message} (attempt {} of {}; giving up)",
                job.attempt, deps.settings.max_attempts
            ),
        )
    } else {
        (Outcome::Failed, message)
    };
    tracing::error!(error = %what, outcome = outcome.as_str(), "job failed for good");
    if let Some(sha) = head_sha {
        let todo = match err {
            github::Error::Forbidden { .. } | github::Error::NotFound { .. } => {
                "Check that the lint-pr App is installed on this repository with checks: write, pull_requests: read and contents: read, then re-run the check."
            }
            github::Error::RateLimited { .. } => {
                "GitHub's rate limit was reached; re-run the check in a few minutes."
            }
            _ => {
                "Re-run the check (the Re-run button, or push a commit). If it keeps failing, look at GitHub's status page and lint-pr's logs."
            }
        };
        post_neutral(deps, job, l, sha, &what, todo).await;
    }
    (outcome, Some(what))
}

async fn post_neutral(
    deps: &Deps,
    job: &Claimed,
    l: &LintJob,
    head_sha: &str,
    what: &str,
    todo: &str,
) {
    let output = check_run::unfinished(what, todo);
    let external_id = job.id.to_string();
    let publish = Publish {
        repo: &l.repo,
        head_sha,
        output: &output,
        external_id: &external_id,
    };
    if let Err(e) = deps.github.publish(l.installation_id, publish).await {
        tracing::error!(error = %e, "cannot post the neutral check run either; the PR shows no lint-pr result");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::store::{NewDelivery, NewJob};
    use secrecy::SecretString;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn boom(_: Deps, _: Claimed, _: Result<Job, serde_json::Error>) -> Ended {
        panic!("a bug in a rule")
    }

    async fn never_called(_: Deps, _: Claimed, _: Result<Job, serde_json::Error>) -> Ended {
        panic!("an exhausted job must not run again")
    }

    /// A fake GitHub that accepts check runs, a store holding one job, the deps.
    async fn setup(settings: Settings) -> (MockServer, Deps, tempfile::TempDir) {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/app/installations/7/access_tokens"))
            .respond_with(ResponseTemplate::new(201).set_body_json(
                serde_json::json!({"token": "t", "expires_at": "2999-01-01T00:00:00Z"}),
            ))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/repos/o/r/check-runs"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": 1})))
            .mount(&server)
            .await;
        let key = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/it/support/test-app-key.pem"
        ))
        .unwrap();
        let github = GitHub::new(crate::github::Settings {
            api_url: server.uri(),
            app_id: 1,
            private_key: SecretString::from(key),
            retry: crate::github::retry::Policy::default(),
            timeout: Duration::from_secs(5),
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display()))
            .await
            .unwrap();
        let job = Job::Lint(LintJob {
            event: "pull_request".into(),
            action: "opened".into(),
            installation_id: 7,
            repo: "o/r".into(),
            pr: Some(1),
            head_sha: Some("a".repeat(40)),
        });
        let new = NewDelivery {
            delivery_id: "d1".into(),
            event: "pull_request".into(),
            action: "opened".into(),
            jobs: vec![NewJob {
                key: job.key("d1"),
                payload: serde_json::to_string(&job).unwrap(),
                repo: job.repo().map(str::to_string),
                pr: job.pr(),
            }],
            debounce: Duration::ZERO,
        };
        store.insert(new).await.unwrap();
        let deps = Deps {
            store,
            github: Arc::new(github),
            filters: Filters::default(),
            settings,
            wake: Arc::new(Notify::new()),
        };
        (server, deps, dir)
    }

    async fn posted(server: &MockServer) -> Vec<serde_json::Value> {
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == "/repos/o/r/check-runs")
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect()
    }

    /// A panic inside a job ends that job with a neutral check run that
    /// says so; the worker lives on.
    #[tokio::test]
    async fn a_panicking_job_ends_neutral_and_the_worker_survives() {
        let (server, deps, _dir) = setup(Settings::default()).await;
        let claimed = deps
            .store
            .claim(Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        let (_tx, rx) = watch::channel(false);
        process(&deps, claimed, boom, rx).await;
        assert_eq!(
            deps.store.counts().await.unwrap(),
            vec![("failed".to_string(), 1)]
        );
        let posted = posted(&server).await;
        assert_eq!(posted.len(), 1);
        assert_eq!(posted[0]["conclusion"], "neutral");
        assert!(
            posted[0]["output"]["summary"]
                .as_str()
                .unwrap()
                .contains("crashed"),
            "{}",
            posted[0]
        );
    }

    /// A job whose process died during its last allowed attempt is not run
    /// again: it is dead, and its PR gets a neutral check run that says so.
    /// See: #12 (a job that kills the process looped forever).
    #[tokio::test]
    async fn a_job_that_crashed_its_last_attempt_is_dead_not_run_again() {
        let settings = Settings {
            max_attempts: 2,
            ..Settings::default()
        };
        let (server, deps, _dir) = setup(settings).await;
        // Two attempts that each "crashed": claimed, never finished.
        for _ in 0..2 {
            deps.store
                .claim(Duration::from_millis(1))
                .await
                .unwrap()
                .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let third = deps
            .store
            .claim(Duration::from_secs(60))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(third.attempt, 3);
        let (_tx, rx) = watch::channel(false);
        process(&deps, third, never_called, rx).await;
        let dead = deps.store.list(Some("dead"), 10).await.unwrap();
        assert_eq!(dead.len(), 1, "{:?}", deps.store.counts().await.unwrap());
        assert!(
            dead[0]
                .last_error
                .as_deref()
                .unwrap_or("")
                .contains("stopped 2 times"),
            "{:?}",
            dead[0].last_error
        );
        let posted = posted(&server).await;
        assert_eq!(posted.len(), 1);
        assert_eq!(posted[0]["conclusion"], "neutral");
    }

    #[test]
    fn backoff_doubles_from_the_retry_delay_with_bounded_jitter() {
        let s = Settings {
            retry_delay: Duration::from_secs(10),
            ..Settings::default()
        };
        for (attempt, base) in [(1, 10), (2, 20), (3, 40), (4, 80)] {
            let d = s.backoff(attempt);
            let base = Duration::from_secs(base);
            assert!(
                d >= base && d <= base.mul_f64(1.25),
                "attempt {attempt}: {d:?}"
            );
        }
        assert!(s.backoff(40) <= Duration::from_secs(4500), "capped");
    }

    #[test]
    fn job_span_declares_every_contract_field() {
        // A subscriber is needed for spans to carry metadata.
        let subscriber = tracing_subscriber::fmt()
            .with_writer(std::io::sink)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let job = Claimed {
                id: 1,
                key: "k".into(),
                delivery_id: "d".into(),
                payload: "{}".into(),
                attempt: 1,
                last_error: None,
            };
            let span = job_span(&job);
            let meta = span.metadata().unwrap();
            let names: Vec<&str> = meta.fields().iter().map(|f| f.name()).collect();
            assert_eq!(names, crate::telemetry::JOB_FIELDS);
        });
    }
}
