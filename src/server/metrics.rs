//! `/metrics` in Prometheus text format, rendered from the exporter's handle.
//! Metric names: `lint_pr_<noun>_<unit>`; labels never hold a repo or a SHA.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;

pub(super) async fn render(State(state): State<AppState>) -> impl IntoResponse {
    let body = state
        .metrics
        .as_ref()
        .map(|h| h.render())
        .unwrap_or_default();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body)
}
