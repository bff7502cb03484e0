//! Workers: claim a job from the store, run it under a span carrying the log
//! contract's fields, record the outcome.
//!
//! Failure policy, in order:
//! - a retryable GitHub error (after `github::retry`'s own attempts) puts the job
//!   back with a growing delay, up to [`Settings::max_attempts`] runs;
//! - then, or on a permanent error, a `neutral` check run says what failed and
//!   what to do, and the job ends `failed`;
//! - a panic inside a job is caught (the job runs in its own task; `JoinError::is_panic`)
//!   and treated like a permanent error: a `neutral` check run, never a dead worker.
//!
//! Shutdown: workers watch a `watch` channel; a job in progress finishes (its
//! GitHub calls are bounded by timeouts and retries) before the worker exits. A job
//! interrupted by a crash is still `running` in the store and `Store::recover`
//! re-queues it at the next start.

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

/// Worker tuning.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Jobs run at the same time.
    pub workers: usize,
    /// How often an idle worker looks at the store (new deliveries also wake it).
    pub poll: Duration,
    /// Runs of one job before it gives up with a neutral check run.
    pub max_attempts: u32,
    /// The delay before a job's second run; doubled for each further run.
    pub requeue_delay: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            workers: 4,
            poll: Duration::from_millis(500),
            max_attempts: 4,
            requeue_delay: Duration::from_secs(30),
        }
    }
}

/// What every worker shares.
#[derive(Debug, Clone)]
pub struct Deps {
    pub store: Store,
    pub github: Arc<GitHub>,
    pub filters: Filters,
    pub settings: Settings,
    /// Notified by the webhook handler after it stores a job.
    pub wake: Arc<Notify>,
}

/// Run the workers until `shutdown` turns true.
pub async fn run(deps: Deps, shutdown: watch::Receiver<bool>) {
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
        match deps.store.claim().await {
            Ok(Some(job)) => process(&deps, job, run_job).await,
            Ok(None) => {
                tokio::select! {
                    () = deps.wake.notified() => {}
                    () = tokio::time::sleep(deps.settings.poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot claim jobs from the store");
                tokio::time::sleep(deps.settings.poll).await;
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

/// What runs a job; `run_job` in production, a stand-in in tests (a panic).
type Runner<F> = fn(Deps, Claimed, Result<Job, serde_json::Error>) -> F;

async fn process<F>(deps: &Deps, job: Claimed, runner: Runner<F>)
where
    F: std::future::Future<Output = Outcome> + Send + 'static,
{
    let span = job_span(&job);
    let started = Instant::now();
    let parsed: Result<Job, _> = serde_json::from_str(&job.payload);
    if let Ok(Job::Lint(l)) = &parsed {
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
    // Its own task, so a panic ends the job, not the worker.
    let task = {
        let deps = deps.clone();
        let job = job.clone();
        tokio::spawn(runner(deps, job, parsed).instrument(span.clone()))
    };
    let outcome = match task.await {
        Ok(o) => o,
        Err(e) => {
            let what = if e.is_panic() {
                "lint-pr crashed (a bug) while checking this PR"
            } else {
                "the job was cancelled"
            };
            async {
                tracing::error!(error = %e, "{what}");
                if let Ok(Job::Lint(l)) = serde_json::from_str::<Job>(&job.payload)
                    && let Some(sha) = &l.head_sha
                {
                    let todo = "Re-run the check; if it keeps failing, report it with the delivery id from the server's logs.";
                    post_neutral(deps, &job, &l, sha, what, todo).await;
                }
            }
            .instrument(span.clone())
            .await;
            Outcome::Failed
        }
    };
    if outcome != Outcome::Requeued
        && let Err(e) = deps.store.finish(job.id, outcome, None).await
    {
        span.in_scope(|| tracing::error!(error = %e, "cannot record the job's outcome"));
    }
    let label = outcome.as_str();
    counter!("lint_pr_jobs_total", "outcome" => label).increment(1);
    histogram!("lint_pr_job_duration_seconds").record(started.elapsed().as_secs_f64());
}

/// Run one job to an outcome. A retryable failure re-queues it (`Outcome::Requeued`).
async fn run_job(deps: Deps, job: Claimed, parsed: Result<Job, serde_json::Error>) -> Outcome {
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
            return Outcome::Done;
        }
        Err(e) => {
            tracing::error!(error = %e, "stored job cannot be read; dropping it");
            return Outcome::Failed;
        }
    };
    match lint_job(deps, job, &lint).await {
        Ok(outcome) => outcome,
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
        (None, Some(sha)) => gh
            .pulls_for_commit(l.installation_id, &l.repo, sha)
            .await
            .map_err(|e| (e, Some(sha.clone())))?,
        (None, None) => Vec::new(),
    };
    if prs.is_empty() {
        tracing::info!("no open pull request for this commit; nothing to check");
    }
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

/// A job failed with `err`: run it again later, or give up with a neutral check.
async fn fail(
    deps: &Deps,
    job: &Claimed,
    l: &LintJob,
    head_sha: Option<&str>,
    err: &github::Error,
) -> Outcome {
    if err.is_retryable() && job.attempt < deps.settings.max_attempts {
        let delay = deps
            .settings
            .requeue_delay
            .saturating_mul(1 << job.attempt.saturating_sub(1).min(10));
        let delay = match err {
            github::Error::RateLimited { retry_after, .. } => delay.max(*retry_after),
            _ => delay,
        };
        tracing::warn!(error = %err, delay_s = delay.as_secs_f64(), "job failed; it will run again");
        match deps
            .store
            .retry_later(job.id, delay, &err.to_string())
            .await
        {
            // Queued again: `process` must not record an outcome over it.
            Ok(()) => return Outcome::Requeued,
            Err(e) => tracing::error!(error = %e, "cannot re-queue the job"),
        }
    }
    tracing::error!(error = %err, "job failed for good");
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
        post_neutral(deps, job, l, sha, &err.to_string(), todo).await;
    }
    Outcome::Failed
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
    use crate::jobs::store::NewDelivery;
    use secrecy::SecretString;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn boom(_: Deps, _: Claimed, _: Result<Job, serde_json::Error>) -> Outcome {
        panic!("a bug in a rule")
    }

    /// A panic inside a job ends that job with a neutral check run that
    /// says so; the worker lives on.
    #[tokio::test]
    async fn a_panicking_job_ends_neutral_and_the_worker_survives() {
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
        let payload = serde_json::to_string(&job).unwrap();
        let new = NewDelivery {
            delivery_id: "d1",
            event: "pull_request",
            action: "opened",
            jobs: vec![(job.key("d1"), payload)],
            debounce: Duration::ZERO,
        };
        store.insert(&new).await.unwrap();
        let deps = Deps {
            store: store.clone(),
            github: Arc::new(github),
            filters: Filters::default(),
            settings: Settings::default(),
            wake: Arc::new(Notify::new()),
        };
        let claimed = store.claim().await.unwrap().unwrap();
        process(&deps, claimed, boom).await;
        assert_eq!(
            store.counts().await.unwrap(),
            vec![("failed".to_string(), 1)]
        );
        let posted: Vec<serde_json::Value> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .filter(|r| r.url.path() == "/repos/o/r/check-runs")
            .map(|r| serde_json::from_slice(&r.body).unwrap())
            .collect();
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
            };
            let span = job_span(&job);
            let meta = span.metadata().unwrap();
            let names: Vec<&str> = meta.fields().iter().map(|f| f.name()).collect();
            assert_eq!(names, crate::telemetry::JOB_FIELDS);
        });
    }
}
