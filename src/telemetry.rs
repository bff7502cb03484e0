//! Logging setup and the names of the fields every job log line carries.
//!
//! Owns: the subscriber (`pretty` for people, JSON when `LINT_PR_LOG_FORMAT=json`)
//! and the span field-name constants, so every span and log line spells a field
//! the same way. Never does: log anything itself. The names below are an API
//! boundary (ARCHITECTURE.md, "API boundaries": dashboards and alerts query them);
//! `jobs::worker` creates the job span with exactly these fields (a unit test
//! there checks it).

/// The `X-GitHub-Delivery` GUID (stable across redeliveries).
pub const DELIVERY_ID: &str = "delivery_id";
/// The `X-GitHub-Event` name.
pub const EVENT: &str = "event";
/// The payload's `action`.
pub const ACTION: &str = "action";
/// The GitHub App installation id.
pub const INSTALLATION_ID: &str = "installation_id";
/// `owner/name`.
pub const REPO: &str = "repo";
/// The pull request number.
pub const PR: &str = "pr";
/// The PR's head commit, 40 hex characters.
pub const HEAD_SHA: &str = "head_sha";
/// The store's job id.
pub const JOB_ID: &str = "job_id";
/// How many times the job has been claimed (1 on the first run).
pub const ATTEMPT: &str = "attempt";

/// All job span fields, in the order the job span declares them.
pub const JOB_FIELDS: &[&str] = &[
    DELIVERY_ID,
    EVENT,
    ACTION,
    INSTALLATION_ID,
    REPO,
    PR,
    HEAD_SHA,
    JOB_ID,
    ATTEMPT,
];

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    #[default]
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

impl LogFormat {
    /// `LINT_PR_LOG_FORMAT=json` selects JSON; anything else is pretty.
    pub fn from_env() -> Self {
        match std::env::var("LINT_PR_LOG_FORMAT") {
            Ok(v) if v.eq_ignore_ascii_case("json") => LogFormat::Json,
            _ => LogFormat::Pretty,
        }
    }
}

/// Install the global subscriber. The filter comes from `RUST_LOG` (default
/// `info`). Calling it twice is harmless (the second call does nothing).
pub fn init(format: LogFormat) {
    init_at(format, "info");
}

/// [`init`] with another default level: a CLI command that calls GitHub shows
/// its warnings ("GitHub call failed; retrying", with the call) and nothing
/// chattier, unless `RUST_LOG` says otherwise.
pub fn init_at(format: LogFormat, default: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colour codes only for a person at a terminal, not a log file or pipe.
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_writer(std::io::stderr);
    // `try_init` fails only when a subscriber is already set (tests): keep that one.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}
