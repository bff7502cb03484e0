//! `/metrics` in Prometheus text format, rendered from the exporter's handle.
//! Metric names: `lint_pr_<noun>_<unit>`; labels never hold a repo or a SHA.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;

pub(super) async fn render(State(state): State<AppState>) -> impl IntoResponse {
    // The queue depth is read when scraped: one index range count, always current.
    if let Ok(queued) = state.store.queue_depth().await {
        metrics::gauge!("lint_pr_queue_depth").set(queued as f64);
    }
    let body = state
        .metrics
        .as_ref()
        .map(|h| h.render())
        .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
