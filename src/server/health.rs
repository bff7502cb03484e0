//! `/healthz`: the process runs. `/readyz`: the store answers and the server is
//! not shutting down.

use axum::extract::State;
use axum::http::StatusCode;

use super::AppState;

pub(super) async fn healthz() -> &'static str {
    "ok\n"
}

pub(super) async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state
        .shutting_down
        .load(std::sync::atomic::Ordering::SeqCst)
    {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n");
    }
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(e) => {
            tracing::warn!(error = %e, "store unreachable; not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "store unreachable\n")
        }
    }
}
