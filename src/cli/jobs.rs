//! `lint-pr jobs`: the App's queue, for its operator — what docs/runbook.md tells
//! them to run. `list` (newest first, `--state`), `retry ID` (a dead or failed
//! job, with a fresh attempt budget), `stats`. Reads the same store `serve`
//! writes (`--database-url` / `LINT_PR_DATABASE_URL`); never creates one.

use anyhow::{Context, Result, bail};

use super::ExitStatus;
use super::args::{JobsArgs, JobsCommand, JobsFormat};
use crate::jobs::Store;
use crate::jobs::store::{JobRow, Retried, Stats};

pub(super) fn jobs(args: &JobsArgs) -> Result<ExitStatus> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(args))
}

async fn run(args: &JobsArgs) -> Result<ExitStatus> {
    let url = args.database_url.as_str();
    if let Some(path) = sqlite_path(url)
        && !std::path::Path::new(path).exists()
    {
        bail!(
            "no database at {path}: point --database-url (or LINT_PR_DATABASE_URL) at the store `lint-pr serve` uses, e.g. sqlite:///data/lint-pr.db or postgres://USER@HOST/DB"
        );
    }
    let store = Store::connect(url)
        .await
        .with_context(|| format!("opening {}", args.database_url))?;
    let command = args.command.clone().unwrap_or(JobsCommand::List {
        state: None,
        limit: 100,
        format: JobsFormat::Human,
    });
    let status = match command {
        JobsCommand::List {
            state,
            limit,
            format,
        } => {
            let rows = store.list(state.as_deref(), limit).await?;
            super::print(&match format {
                JobsFormat::Human => human_list(&rows, state.as_deref()),
                JobsFormat::Json => json(&serde_json::json!({"version": 1, "jobs": rows}))?,
            })?;
            ExitStatus::Success
        }
        JobsCommand::Retry { id } => match store.retry(id).await? {
            Retried::Requeued => {
                super::print(&format!(
                    "job {id} queued again with a fresh attempt budget; a running `lint-pr serve` takes it within a second (follow it with `lint-pr jobs list`)\n"
                ))?;
                ExitStatus::Success
            }
            Retried::NotFound => bail!(
                "no job with id {id} in {}: `lint-pr jobs list --state dead` shows the ids",
                args.database_url
            ),
            Retried::NotRetryable(state) => bail!(
                "job {id} is {state}: only dead or failed jobs can be retried (a queued or running job will run; a done or superseded one has its result)"
            ),
        },
        JobsCommand::Stats { format } => {
            let stats = store.stats().await?;
            super::print(&match format {
                JobsFormat::Human => human_stats(&stats),
                JobsFormat::Json => json(&serde_json::json!({
                    "version": 1,
                    "states": stats.states,
                    "expired_leases": stats.expired_leases,
                    "oldest_queued_age_s": stats.oldest_queued_age_s,
                }))?,
            })?;
            ExitStatus::Success
        }
    };
    store.close().await;
    Ok(status)
}

/// The file of a `sqlite:` URL (`sqlite://PATH`, `sqlite:PATH`, with or without
/// `?options`); `None` for other schemes and in-memory databases.
fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

fn json(value: &serde_json::Value) -> Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

fn human_list(rows: &[JobRow], state: Option<&str>) -> String {
    if rows.is_empty() {
        return match state {
            Some(s) => format!("no {s} jobs\n"),
            None => "no jobs\n".into(),
        };
    }
    let mut out = format!(
        "{:>8}  {:<10}  {:>8}  {:<36}  {:<38}  {}\n",
        "ID", "STATE", "ATTEMPTS", "PULL REQUEST", "DELIVERY", "LAST ERROR"
    );
    for r in rows {
        let pr = match (&r.repo, r.pr) {
            (Some(repo), Some(n)) => format!("{repo}#{n}"),
            (Some(repo), None) => repo.clone(),
            _ => "-".into(),
        };
        let error: String = r
            .last_error
            .as_deref()
            .unwrap_or("-")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(100)
            .collect();
        out.push_str(&format!(
            "{:>8}  {:<10}  {:>8}  {:<36}  {:<38}  {}\n",
            r.id, r.state, r.attempts, pr, r.delivery_id, error
        ));
    }
    out
}

fn human_stats(s: &Stats) -> String {
    let mut out = String::from("jobs by state:\n");
    for (state, n) in &s.states {
        out.push_str(&format!("  {state:<11} {n}\n"));
    }
    out.push_str(&format!(
        "running with an expired lease: {} (their instance stopped; any instance takes them over)\n",
        s.expired_leases
    ));
    match s.oldest_queued_age_s {
        Some(age) => out.push_str(&format!("oldest queued job: {age}s old\n")),
        None => out.push_str("oldest queued job: none queued\n"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths() {
        assert_eq!(sqlite_path("sqlite:///data/l.db"), Some("/data/l.db"));
        assert_eq!(sqlite_path("sqlite://l.db?mode=rwc"), Some("l.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u@h/d"), None);
    }
}
