//! Command-line arguments (clap derive). `check` is the default subcommand, so
//! `lint-pr --body-file pr.md` and `lint-pr check --body-file pr.md` are the same.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "lint-pr",
    version,
    about = "Lint PR descriptions and runbooks for the engineer debugging at 3am",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint a PR description and the changed files that are runbooks (the default).
    Check(CheckArgs),
    /// Lint markdown files as runbooks (directories recurse; .md and .md.erb files).
    Runbook(RunbookArgs),
    /// List every rule: id, default severity, one-line summary.
    Rules,
    /// Print a rule's full documentation.
    Explain {
        /// A rule id such as runbook/triage-first.
        rule: String,
        /// List the headings this configuration accepts [default: the one `check`
        /// would use, else the recommended preset].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The organisation's file, for `extends: org`.
        #[arg(long, value_name = "FILE")]
        org_config: Option<PathBuf>,
    },
    /// Configuration commands.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write a starter .github/lint-pr.yml and .github/pull_request_template.md.
    Init(InitArgs),
    /// Run the GitHub App webhook server.
    Serve(Box<ServeArgs>),
    /// The 3am view: what shipped recently, and what to check if it broke.
    Changes(ChangesArgs),
    /// The App's queue, for its operator: list jobs, retry a dead one, stats.
    Jobs(JobsArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a configuration file (default: the one `check` would use).
    Check {
        file: Option<PathBuf>,
        /// The organisation's file, for `extends: org`.
        #[arg(long, value_name = "FILE")]
        org_config: Option<PathBuf>,
    },
}

/// Options shared by `check` and `runbook`.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Rule configuration [default: .github/lint-pr.yml found from the current
    /// directory up to the git root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The organisation's file, for `extends: org`.
    #[arg(long, value_name = "FILE")]
    pub org_config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// The PR description (markdown); `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// The PR title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Changed files = `git diff --name-only REF...HEAD` (when no CHANGED_PATH is given).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// In GitHub Actions, skip PRs whose author is a bot (`dependabot[bot]`,
    /// `app/dependabot`, a user of type Bot), as the App does.
    #[arg(long, env = "LINT_PR_SKIP_BOTS", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub skip_bots: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Changed paths (instead of asking git).
    #[arg(value_name = "CHANGED_PATH")]
    pub changed: Vec<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct RunbookArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Files or directories.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

/// `lint-pr serve`: every option is a flag and a `LINT_PR_*` variable (README,
/// "Running the GitHub App"). The three required ones are `Option`s so that `serve` can
/// name every missing one at once (exit 2) instead of clap stopping at the first.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LINT_PR_LISTEN", default_value = "0.0.0.0:3000")]
    pub listen: std::net::SocketAddr,
    /// The GitHub App's id. Required.
    #[arg(long, env = "LINT_PR_APP_ID")]
    pub app_id: Option<u64>,
    /// The App's private key (PEM file). Required, unless LINT_PR_PRIVATE_KEY holds the PEM itself.
    #[arg(long, env = "LINT_PR_PRIVATE_KEY_PATH", value_name = "FILE")]
    pub private_key_path: Option<PathBuf>,
    /// The App's private key, the PEM text itself (environment only; a flag would
    /// show it in `ps`).
    #[arg(long = "private-key-pem-from-env", env = "LINT_PR_PRIVATE_KEY", hide = true, hide_env_values = true, value_parser = parse_secret)]
    pub private_key: Option<Secret>,
    /// The webhook secret configured on the App. Required.
    #[arg(long, env = "LINT_PR_WEBHOOK_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub webhook_secret: Option<Secret>,
    /// GitHub's REST API root (GitHub Enterprise Server: https://HOST/api/v3).
    #[arg(
        long,
        env = "LINT_PR_GITHUB_API_URL",
        default_value = "https://api.github.com"
    )]
    pub github_api_url: String,
    /// Where deliveries and jobs are stored: sqlite://PATH (one instance) or
    /// postgres://USER:PASSWORD@HOST/DB (several instances share the queue).
    #[arg(
        long,
        env = "LINT_PR_DATABASE_URL",
        default_value = "sqlite://lint-pr.db",
        hide_env_values = true
    )]
    pub database_url: DatabaseUrl,
    /// Lint draft pull requests.
    #[arg(long, env = "LINT_PR_LINT_DRAFTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub lint_drafts: bool,
    /// Skip pull requests whose author's login ends in `[bot]`.
    #[arg(long, env = "LINT_PR_SKIP_BOTS", default_value_t = true, action = clap::ArgAction::Set)]
    pub skip_bots: bool,
    /// Jobs linted at the same time by this instance.
    #[arg(long, env = "LINT_PR_WORKERS", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
    /// Milliseconds a job waits for newer events of the same PR, so a burst of
    /// edits is linted once.
    #[arg(long, env = "LINT_PR_DEBOUNCE_MS", default_value_t = 2000)]
    pub debounce_ms: u64,
    /// How long a claimed job is this instance's without renewal (renewed every
    /// third of it); after that any instance may take it over. At least 1s.
    #[arg(long, env = "LINT_PR_LEASE", default_value = "60s", value_name = "DURATION", value_parser = parse_lease)]
    pub lease: std::time::Duration,
    /// Attempts of one job (the first included) before it is dead: its PR gets a
    /// neutral check run saying what failed, and `lint-pr jobs` lists it.
    #[arg(long, env = "LINT_PR_MAX_ATTEMPTS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: u32,
    /// The wait before a failed job's second attempt; doubled for each further
    /// one, plus up to 25% jitter.
    #[arg(long, env = "LINT_PR_RETRY_DELAY", default_value = "10s", value_name = "DURATION", value_parser = parse_duration)]
    pub retry_delay: std::time::Duration,
    /// How often the missed-deliveries poller lists the App's recent deliveries
    /// and asks GitHub to redeliver the failed ones the store does not hold
    /// (`jobs::redelivery`). `0s` turns the poller off.
    #[arg(long, env = "LINT_PR_REDELIVERY_INTERVAL", default_value = "5m", value_name = "DURATION", value_parser = parse_duration)]
    pub redelivery_interval: std::time::Duration,
    /// On SIGTERM, how long jobs in progress may finish before they are released
    /// (queued again, attempt not counted) and the process exits 0.
    #[arg(long, env = "LINT_PR_SHUTDOWN_TIMEOUT", default_value = "25s", value_name = "DURATION", value_parser = parse_duration)]
    pub shutdown_timeout: std::time::Duration,
    /// How long finished jobs (done, superseded) are kept before they are
    /// deleted: `14d`, `36h`. At least an hour; `0` keeps them all. Delivery ids
    /// (the dedupe record) go with them once no job names them and they are
    /// at least 8 days old; dead and failed jobs are never deleted.
    #[arg(long, env = "LINT_PR_RETENTION", default_value = "14d", value_name = "DURATION", value_parser = parse_retention)]
    pub retention: std::time::Duration,
}

/// A database URL: printed by `Debug` without its password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(pub String);

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::jobs::store::redact_url(&self.0))
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::jobs::store::redact_url(&self.0))
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(DatabaseUrl(s.to_string()))
    }
}

/// A duration as operators write it: `500ms`, `90s`, `5m`, `1h`. The error says
/// what is expected (clap names the flag and exits 2).
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let expected = || format!("expected a duration such as 90s, 5m, 1h or 500ms, not {s:?}");
    let (digits, unit_ms) = if let Some(d) = t.strip_suffix("ms") {
        (d, 1)
    } else if let Some(d) = t.strip_suffix('s') {
        (d, 1000)
    } else if let Some(d) = t.strip_suffix('m') {
        (d, 60_000)
    } else if let Some(d) = t.strip_suffix('h') {
        (d, 3_600_000)
    } else {
        return Err(expected());
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(expected());
    }
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit_ms))
        .filter(|ms| *ms <= 7 * 24 * 3_600_000)
        .map(std::time::Duration::from_millis)
        .ok_or_else(|| format!("{s:?} is too long: at most a week (168h)"))
}

/// `--lease`: a duration of at least a second (it is renewed every third of it).
fn parse_lease(s: &str) -> Result<std::time::Duration, String> {
    let d = parse_duration(s)?;
    if d < std::time::Duration::from_secs(1) {
        return Err(format!(
            "expected a lease of at least 1s (it is renewed every third of it), not {s:?}"
        ));
    }
    Ok(d)
}

/// `--retention`: days (`14d`, at most 3650) or a duration of at least an hour
/// (`36h`); `0` turns retention off. Under an hour a job could go while a PR's
/// older job still runs and asks whether a newer one exists.
fn parse_retention(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    if matches!(t, "0" | "0s" | "0d") {
        return Ok(std::time::Duration::ZERO);
    }
    let d = match t.strip_suffix('d') {
        Some(days) if !days.is_empty() && days.bytes().all(|b| b.is_ascii_digit()) => days
            .parse::<u64>()
            .ok()
            .filter(|n| *n <= 3650)
            .map(|n| std::time::Duration::from_secs(n * 86_400))
            .ok_or_else(|| format!("{s:?} is too long: at most 3650d"))?,
        _ => parse_duration(t).map_err(|_| {
            format!("expected a retention such as 14d or 36h (0 keeps every job), not {s:?}")
        })?,
    };
    if d < std::time::Duration::from_secs(3600) {
        return Err(format!(
            "expected a retention of at least 1h (or 0 to keep every job), not {s:?}"
        ));
    }
    Ok(d)
}

/// `lint-pr jobs`: the App's queue, for its operator (docs/runbook.md).
#[derive(Debug, Args, Clone)]
pub struct JobsArgs {
    /// The store `lint-pr serve` uses: sqlite://PATH or postgres://….
    #[arg(
        long,
        env = "LINT_PR_DATABASE_URL",
        default_value = "sqlite://lint-pr.db",
        hide_env_values = true,
        global = true
    )]
    pub database_url: DatabaseUrl,
    #[command(subcommand)]
    pub command: Option<JobsCommand>,
}

#[derive(Debug, Subcommand, Clone)]
pub enum JobsCommand {
    /// List jobs, newest first (the default).
    List {
        /// Only jobs in this state.
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(crate::jobs::store::STATES))]
        state: Option<String>,
        /// At most this many jobs.
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, value_enum, default_value_t = JobsFormat::Human)]
        format: JobsFormat,
    },
    /// Queue a dead or failed job again, with a fresh attempt budget.
    Retry {
        /// The job's id (`lint-pr jobs list` shows it).
        id: i64,
    },
    /// Jobs per state, expired leases, and the age of the oldest queued job.
    Stats {
        #[arg(long, value_enum, default_value_t = JobsFormat::Human)]
        format: JobsFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JobsFormat {
    Human,
    Json,
}

/// A secret from the command line or environment: never printed by `Debug`.
#[derive(Clone)]
pub struct Secret(pub std::sync::Arc<secrecy::SecretString>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

fn parse_secret(s: &str) -> Result<Secret, String> {
    Ok(Secret(std::sync::Arc::new(secrecy::SecretString::from(
        s.to_string(),
    ))))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}

/// `lint-pr changes`: the changes merged into a branch in a time window, with
/// what their descriptions say to expect and to check (SPEC, "the 3am view").
#[derive(Debug, Args, Clone)]
pub struct ChangesArgs {
    /// Start of the window: a duration back from now (90m, 3h, 2d, 1w) or an
    /// RFC 3339 time (2026-12-02T21:00:00Z).
    #[arg(long, value_name = "WHEN", default_value = "24h", value_parser = parse_when)]
    pub since: When,
    /// End of the window, in the same forms [default: now].
    #[arg(long, value_name = "WHEN", value_parser = parse_when)]
    pub until: Option<When>,
    /// The branch whose history to read [default: the remote's default branch
    /// (origin/HEAD, origin/main, ...), else HEAD].
    #[arg(long, value_name = "REF")]
    pub branch: Option<String>,
    /// The GitHub repository the PRs are in [default: from the `origin` remote].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// Only changes that touched a matching path (repeatable). A path without
    /// wildcards matches everything below it: `--path services/payments`.
    #[arg(long = "path", value_name = "GLOB")]
    pub paths: Vec<String>,
    /// GitHub's REST API root (GitHub Enterprise Server: https://HOST/api/v3).
    /// PR descriptions are read with the token in GITHUB_TOKEN.
    #[arg(
        long,
        value_name = "URL",
        env = "GITHUB_API_URL",
        default_value = "https://api.github.com"
    )]
    pub github_api_url: String,
    /// Output format: human (default), json (stable, "version": 1), or
    /// markdown (to paste into an incident channel).
    #[arg(long, value_enum, default_value_t = ChangesFormat::Human)]
    pub format: ChangesFormat,
    /// Rule configuration whose section names and aliases are used [default:
    /// .github/lint-pr.yml found from the current directory up to the git root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The organisation's file, for `extends: org`.
    #[arg(long, value_name = "FILE")]
    pub org_config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangesFormat {
    Human,
    Json,
    Markdown,
}

/// A `--since`/`--until` value: a duration back from now or a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `90m`, `3h`, `2d`, `1w`: this long before the command runs.
    Ago(std::time::Duration),
    /// An RFC 3339 time, in UTC.
    At(chrono::DateTime<chrono::Utc>),
}

/// The longest window `--since`/`--until` accept: ten years, far past any
/// history worth reading at 3am, and far from overflowing a date.
const MAX_AGO_SECS: u64 = 3650 * 86_400;

/// Parse a `WHEN`; the error says which forms are accepted (clap shows it and
/// exits 2).
fn parse_when(s: &str) -> Result<When, String> {
    let s = s.trim();
    let expected = "expected a duration back from now (90m, 3h, 2d, 1w) or an RFC 3339 time (2026-12-02T21:00:00Z)";
    let unit = match s.chars().last() {
        Some('s') => Some(1),
        Some('m') => Some(60),
        Some('h') => Some(3600),
        Some('d') => Some(86_400),
        Some('w') => Some(7 * 86_400),
        _ => None,
    };
    let digits = s.get(..s.len().saturating_sub(1)).unwrap_or("");
    if let Some(unit) = unit
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        let secs = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(unit))
            .filter(|secs| *secs <= MAX_AGO_SECS)
            .ok_or_else(|| format!("{s:?} is too far back; at most 3650d"))?;
        return Ok(When::Ago(std::time::Duration::from_secs(secs)));
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| When::At(t.with_timezone(&chrono::Utc)))
        .map_err(|_| format!("{expected}, not {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn queue_durations_are_written_like_90s_and_5m() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["90", "s", "-5s", "5 m", "1.5s", "5x", ""] {
            let err = parse_duration(bad).unwrap_err();
            assert!(
                err.contains("expected a duration such as 90s"),
                "{bad}: {err}"
            );
        }
        assert!(
            parse_duration("9999999999h")
                .unwrap_err()
                .contains("too long")
        );
        assert!(parse_lease("500ms").unwrap_err().contains("at least 1s"));
    }

    #[test]
    fn retention_is_written_in_days_or_hours_and_zero_turns_it_off() {
        assert_eq!(parse_retention("14d"), Ok(Duration::from_secs(14 * 86_400)));
        assert_eq!(parse_retention("36h"), Ok(Duration::from_secs(36 * 3600)));
        assert_eq!(parse_retention("60m"), Ok(Duration::from_secs(3600)));
        for off in ["0", "0s", "0d"] {
            assert_eq!(parse_retention(off), Ok(Duration::ZERO), "{off}");
        }
        for short in ["59m", "30s", "500ms"] {
            let err = parse_retention(short).unwrap_err();
            assert!(err.contains("at least 1h"), "{short}: {err}");
        }
        for bad in ["14", "d", "-1d", "1.5d", "two weeks", ""] {
            let err = parse_retention(bad).unwrap_err();
            assert!(err.contains("such as 14d or 36h"), "{bad}: {err}");
        }
        assert!(
            parse_retention("3651d")
                .unwrap_err()
                .contains("at most 3650d")
        );
    }

    #[test]
    fn when_accepts_durations_and_rfc3339_only() {
        assert_eq!(parse_when("90m"), Ok(When::Ago(Duration::from_secs(5400))));
        assert_eq!(
            parse_when("2d"),
            Ok(When::Ago(Duration::from_secs(172_800)))
        );
        assert!(matches!(
            parse_when("2026-12-02T21:00:00+01:00"),
            Ok(When::At(t)) if t.to_rfc3339() == "2026-12-02T20:00:00+00:00"
        ));
        for bad in ["3 hours", "yesterday", "h", "-3h", "3x", "2026-12-02", ""] {
            let err = parse_when(bad).unwrap_err();
            assert!(err.contains("expected a duration"), "{bad}: {err}");
        }
        assert!(
            parse_when("99999999999999999999d")
                .unwrap_err()
                .contains("too far back")
        );
    }
}
