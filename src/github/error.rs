//! What can go wrong talking to GitHub, sorted by what the caller can do about it.

use std::time::Duration;

/// A failed GitHub call. Messages never contain a token or a key: they hold the
/// route, the status and GitHub's own `message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Primary or secondary rate limit: wait `retry_after` before trying again.
    #[error("GitHub rate limit hit on {route}; retry after {}s", retry_after.as_secs())]
    RateLimited {
        route: String,
        retry_after: Duration,
    },
    /// 5xx, timeout or connection failure: worth retrying.
    #[error("GitHub did not answer {route}: {detail}")]
    Transient { route: String, detail: String },
    /// 401: the installation token was refused; it is dropped and re-minted.
    #[error("GitHub refused our credentials on {route}")]
    Unauthorized { route: String },
    /// 404 where the caller expected a resource.
    #[error("not found on GitHub: {route}")]
    NotFound { route: String },
    /// 403 without rate-limit signs: a missing permission or repository access.
    #[error(
        "GitHub forbids {route}: {message} (check the App's permissions and repository access)"
    )]
    Forbidden { route: String, message: String },
    /// Any other 4xx: our request is wrong (e.g. 422 on a check run).
    #[error("GitHub rejected {route} with {status}: {message}")]
    Rejected {
        route: String,
        status: u16,
        message: String,
    },
    /// Setup or decoding problems: bad private key, unexpected response shape.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// Whether trying the same call again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. } | Error::Transient { .. } | Error::Unauthorized { .. }
        )
    }
}
