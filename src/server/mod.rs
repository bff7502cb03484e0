//! The HTTP side of `lint-pr serve`: `POST /webhook`, `GET /healthz`, `/readyz`,
//! `/metrics`.
//!
//! Owns: the router ([`router`], testable with `oneshot`), serving with graceful
//! shutdown ([`run`]), and starting the whole app (HTTP + workers, [`start`]),
//! including the drain on SIGTERM (`/readyz` 503 at once, workers finish or
//! release their jobs, then the listener closes).
//! Never does: call GitHub. The webhook handler verifies, classifies, stores and
//! answers, so its answer never waits on GitHub; the workers in `jobs` do the rest.
//!
//! Layers, outermost first: `TraceLayer` (one span per request), the 25 MiB body
//! limit (413 above it), a 10 s timeout (GitHub gives up at 10 s anyway), routes.

mod error;
mod health;
mod metrics;
mod webhook;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::SecretString;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use webhook::{MAX_BODY, VerifiedDelivery, sign};

use crate::jobs::{Filters, Store, worker};

/// What handlers share. axum clones it for every request, so every field is an
/// `Arc` or a small value.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The webhook secret; only `webhook.rs` exposes it, to compute the HMAC.
    pub webhook_secret: Arc<SecretString>,
    pub filters: Filters,
    /// How long a stored job waits for newer events of the same PR (coalescing).
    pub debounce: Duration,
    /// Wakes one idle worker per stored job.
    pub wake: Arc<Notify>,
    /// Set when shutdown begins: `/readyz` answers 503 from then on, so the load
    /// balancer stops sending while jobs in progress finish.
    pub shutting_down: Arc<AtomicBool>,
    /// Renders `/metrics`; `None` shows an empty page (tests build a local
    /// recorder: a process can install the global one only once).
    pub metrics: Option<PrometheusHandle>,
}

/// The routes and layers. Tests call it with `oneshot`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/webhook", post(webhook::receive))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .with_state(state)
        // Layers wrap what is above them: the last added is the outermost.
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(10),
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(TraceLayer::new_for_http())
}

/// Serve `router(state)` on `listener` until `shutdown` completes; requests in
/// flight finish first.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Everything `lint-pr serve` runs: HTTP and workers on one store.
pub struct App {
    pub state: AppState,
    pub workers: worker::Deps,
}

/// Serve HTTP and run the workers until `shutdown` completes, then drain:
/// `/readyz` answers 503 at once (the listener stays open, so the load balancer
/// sees it), workers stop claiming and finish or release their jobs within the
/// shutdown timeout, and only then does the HTTP server stop. Deliveries that
/// still arrive meanwhile are stored as usual: another instance, or the next
/// start, runs them.
pub async fn start(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    match app.workers.store.recover().await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            jobs = n,
            "jobs interrupted by the last process run again (the interrupted attempt counts)"
        ),
        Err(e) => tracing::error!(error = %e, "cannot recover interrupted jobs"),
    }
    let shutting_down = app.state.shutting_down.clone();
    let (stop_workers, workers_stop) = watch::channel(false);
    let workers = tokio::spawn(worker::run(app.workers, workers_stop));
    let (stop_http, http_stop) = tokio::sync::oneshot::channel::<()>();
    let mut http = tokio::spawn(run(listener, app.state, async {
        let _ = http_stop.await;
    }));
    // The HTTP server only ends early on an error; then stop the workers too.
    let early = tokio::select! {
        () = shutdown => None,
        served = &mut http => Some(served),
    };
    shutting_down.store(true, Ordering::SeqCst);
    if let Some(served) = early {
        let _ = stop_workers.send(true);
        let _ = workers.await;
        return served.unwrap_or_else(|e| Err(std::io::Error::other(e)));
    }
    tracing::info!("shutting down: /readyz answers 503; jobs in progress finish or are released");
    let _ = stop_workers.send(true);
    let _ = workers.await;
    let _ = stop_http.send(());
    match http.await {
        Ok(served) => served,
        Err(e) => Err(std::io::Error::other(e)),
    }
}
