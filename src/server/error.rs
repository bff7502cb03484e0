//! Errors of the HTTP handlers: fixed short bodies; details go to the log only,
//! so an answer never shows a sender our internals (store errors, paths).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Signature missing or wrong. Nothing was parsed or stored.
    #[error("signature missing or invalid")]
    Unauthorized,
    /// Body over 25 MiB (GitHub never sends one).
    #[error("payload too large")]
    TooLarge,
    /// Signed but unusable: malformed JSON, missing headers or fields.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The store failed; GitHub shows the delivery as failed and it can be redelivered.
    #[error("internal error: {0}")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "invalid signature\n"),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload too large\n"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad request\n"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
        };
        super::webhook::answered(status);
        match status {
            StatusCode::INTERNAL_SERVER_ERROR => tracing::error!(error = %self, "request failed"),
            _ => tracing::info!(error = %self, status = status.as_u16(), "request refused"),
        }
        (status, body).into_response()
    }
}
