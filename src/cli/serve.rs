//! `lint-pr serve`: check the settings, then run the webhook server and workers on
//! a tokio runtime built here (the rest of the CLI is synchronous).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use secrecy::SecretString;

use super::ExitStatus;
use super::args::ServeArgs;
use crate::github::{self, GitHub};
use crate::jobs::{Filters, Store, redelivery, retention, worker};
use crate::server::{self, App, AppState};
use crate::telemetry::{self, LogFormat};

/// Settings checked and ready.
struct Ready {
    app_id: u64,
    private_key: SecretString,
    webhook_secret: Arc<SecretString>,
}

/// Check the required settings, naming every missing one (exit 2).
fn check(args: &ServeArgs) -> Result<Ready> {
    let mut missing = Vec::new();
    if args.app_id.is_none() {
        missing.push("--app-id (LINT_PR_APP_ID)");
    }
    if args.private_key_path.is_none() && args.private_key.is_none() {
        missing.push("--private-key-path (LINT_PR_PRIVATE_KEY_PATH), or the PEM itself in LINT_PR_PRIVATE_KEY");
    }
    if args.webhook_secret.is_none() {
        missing.push("--webhook-secret (LINT_PR_WEBHOOK_SECRET)");
    }
    if !missing.is_empty() {
        bail!(
            "missing required settings for `lint-pr serve`:\n  {}",
            missing.join("\n  ")
        );
    }
    let private_key = match (&args.private_key, &args.private_key_path) {
        (Some(pem), _) => {
            SecretString::from(secrecy::ExposeSecret::expose_secret(&*pem.0).to_string())
        }
        (None, Some(path)) => SecretString::from(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the private key {}", path.display()))?,
        ),
        (None, None) => bail!("no private key"),
    };
    let (Some(app_id), Some(secret)) = (args.app_id, &args.webhook_secret) else {
        bail!("unreachable: checked above")
    };
    Ok(Ready {
        app_id,
        private_key,
        webhook_secret: secret.0.clone(),
    })
}

pub(super) fn serve(args: ServeArgs) -> Result<ExitStatus> {
    let ready = check(&args)?;
    telemetry::init(LogFormat::from_env());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(args, ready))?;
    Ok(ExitStatus::Success)
}

async fn run(args: ServeArgs, ready: Ready) -> Result<()> {
    // `Display` of the URL hides its password.
    let store = Store::connect(args.database_url.as_str())
        .await
        .with_context(|| format!("opening {}", args.database_url))?;
    let github = GitHub::new(github::Settings {
        api_url: args.github_api_url.clone(),
        app_id: ready.app_id,
        private_key: ready.private_key,
        // The per-call half of the one retry policy (ARCHITECTURE.md, "Retries").
        retry: github::retry::Policy::default(),
        timeout: Duration::from_secs(10),
    })?;
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).context("installing the metrics recorder")?;
    let filters = Filters {
        lint_drafts: args.lint_drafts,
        skip_bots: args.skip_bots,
    };
    let wake = Arc::new(tokio::sync::Notify::new());
    let state = AppState {
        store: store.clone(),
        webhook_secret: ready.webhook_secret,
        filters,
        debounce: Duration::from_millis(args.debounce_ms),
        wake: wake.clone(),
        shutting_down: Arc::default(),
        metrics: Some(handle),
    };
    let store_kind = store.kind();
    let github = Arc::new(github);
    // The background loops end when `stop_background` is dropped, after the
    // server has stopped.
    let (stop_background, background_stop) = tokio::sync::watch::channel(false);
    let background = spawn_background(&args, &github, &store, &background_stop);
    let workers = worker::Deps {
        store,
        github,
        filters,
        settings: worker::Settings {
            workers: usize::from(args.workers),
            max_attempts: args.max_attempts,
            retry_delay: args.retry_delay,
            lease: args.lease,
            shutdown_timeout: args.shutdown_timeout,
            ..worker::Settings::default()
        },
        wake,
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    tracing::info!(
        listen = %args.listen,
        api = %args.github_api_url,
        store = store_kind,
        workers = args.workers,
        lease_s = args.lease.as_secs_f64(),
        max_attempts = args.max_attempts,
        retry_delay_s = args.retry_delay.as_secs_f64(),
        shutdown_timeout_s = args.shutdown_timeout.as_secs_f64(),
        retention_h = args.retention.as_secs() / 3600,
        "lint-pr serve started"
    );
    server::start(listener, App { state, workers }, shutdown_signal())
        .await
        .context("serving")?;
    drop(stop_background);
    for task in background {
        let _ = task.await;
    }
    tracing::info!("lint-pr serve stopped");
    Ok(())
}

/// The loops beside the server, each off when its setting is 0: missed
/// deliveries (a pass at start, then every `--redelivery-interval`) and
/// retention (finished jobs past `--retention`: a pass at start, then hourly).
/// They stop when `stop`'s sender is dropped.
fn spawn_background(
    args: &ServeArgs,
    github: &Arc<GitHub>,
    store: &Store,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    if !args.redelivery_interval.is_zero() {
        let (github, store, stop) = (github.clone(), store.clone(), stop.clone());
        let interval = args.redelivery_interval;
        tasks.push(tokio::spawn(async move {
            redelivery::run(&github, &store, interval, stop).await;
        }));
    }
    if !args.retention.is_zero() {
        let (store, stop, keep) = (store.clone(), stop.clone(), args.retention);
        tasks.push(tokio::spawn(async move {
            retention::run(&store, keep, stop).await;
        }));
    }
    tasks
}

/// Ctrl-C or SIGTERM (what `docker stop` and Kubernetes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutdown requested; finishing requests and current jobs");
}
