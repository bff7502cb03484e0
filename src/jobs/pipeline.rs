//! The App's lint of one PR, in steps: read the PR as it is now; read its
//! configuration at the base SHA (the one driver, [`config::load_with`], over
//! GitHub's contents API); read its changed files and changed runbooks at the head
//! SHA; run the core ([`crate::lint::run`], the same as the CLI); build the check
//! run.
//!
//! Configuration outcomes ([`Loaded`]) are kept apart: found → lint; missing
//! everywhere → the recommended preset in advisory mode; invalid → a `failure`
//! check run annotated on the config file's line; unreadable (a GitHub error) →
//! the error goes up, so the worker retries and finally posts `neutral`.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use crate::config::{self, CONFIG_PATH, CompiledConfig, Fetcher, Invalid, Loaded, Scope, Source};
use crate::github::{self, FileAt, GitHub, PullRequest};
use crate::lint::{self as core, Inputs, RunbookInput};
use crate::markdown::{FileLookup, Lookup};
use crate::report::Report;
use crate::report::check_run::{self, CheckRunOutput, Context};
use crate::rules::Facts;

use super::webhook_event::Filters;

/// What the job should do with the PR.
#[derive(Debug)]
pub enum Linted {
    /// Nothing to post (closed PR, filtered draft or bot); the reason is logged.
    Skipped {
        pull: PullRequest,
        reason: &'static str,
    },
    /// Post this check run on `pull.head_sha`.
    Checked {
        pull: PullRequest,
        output: CheckRunOutput,
    },
}

/// Lint PR `number` of `repo` as it is now.
pub async fn lint_pr(
    gh: &Arc<GitHub>,
    installation_id: u64,
    repo: &str,
    number: u64,
    filters: &Filters,
) -> Result<Linted, github::Error> {
    let pull = gh.pull_request(installation_id, repo, number).await?;
    tracing::Span::current().record(crate::telemetry::HEAD_SHA, pull.head_sha.as_str());
    if let Some(reason) = skip_reason(&pull, filters) {
        return Ok(Linted::Skipped { pull, reason });
    }
    let at = Repo {
        gh,
        installation_id,
        name: repo,
    };
    let (cfg, source) = match config_at_base(&at, &pull.base_sha).await? {
        Ok(found) => found,
        Err(invalid) => {
            let output = invalid_config_output(&invalid, &pull.base_sha);
            return Ok(Linted::Checked { pull, output });
        }
    };
    let changed = changed_files(&at, number, &pull.head_sha, &cfg).await?;
    let output = lint_and_render(&pull, &cfg, &source, &changed);
    Ok(Linted::Checked { pull, output })
}

/// Why the PR is not linted, if it is not.
fn skip_reason(pull: &PullRequest, filters: &Filters) -> Option<&'static str> {
    if pull.state != "open" {
        return Some("the PR is not open");
    }
    if pull.draft && !filters.lint_drafts {
        return Some("draft PRs are not linted (--lint-drafts=false)");
    }
    if filters.skip_bots && pull.author.as_deref().is_some_and(|a| a.ends_with("[bot]")) {
        return Some("the PR's author is a bot");
    }
    None
}

/// The repository a job reads, through its installation.
struct Repo<'a> {
    gh: &'a Arc<GitHub>,
    installation_id: u64,
    /// `owner/name`.
    name: &'a str,
}

// --- configuration, at the base commit ---

/// The PR's configuration and where it came from (for the summary): the
/// repository's file at the base commit, else the org's `.github` repository's
/// file, else the advisory default. `Ok(Err)`: it is invalid.
async fn config_at_base(
    at: &Repo<'_>,
    base_sha: &str,
) -> Result<Result<(CompiledConfig, String), Invalid>, github::Error> {
    let owner = at.name.split('/').next().unwrap_or(at.name);
    let mut files = ConfigFiles {
        repo: at,
        org_repo: format!("{owner}/.github"),
        base_sha,
    };
    let candidates = [Source::new(Scope::Repo, CONFIG_PATH), Source::org()];
    Ok(match config::load_with(&candidates, &mut files).await {
        Loaded::Valid { config, source } => {
            let described = match source.scope {
                Scope::Org => format!("the organisation's `{}/{CONFIG_PATH}`", files.org_repo),
                _ => format!("`{CONFIG_PATH}` at the base commit {}", short(base_sha)),
            };
            Ok((config, described))
        }
        Loaded::Missing => Ok((
            config::no_config(),
            format!(
                "the recommended rules (no `{CONFIG_PATH}` in this repository or in `{}`)",
                files.org_repo
            ),
        )),
        Loaded::Invalid(invalid) => Err(invalid),
        Loaded::Unreadable { error, .. } => return Err(error),
    })
}

/// Configuration files for the driver: the repository's at the base commit; the
/// organisation's file (and the files it extends) in its `.github` repository at
/// the default branch.
struct ConfigFiles<'a> {
    repo: &'a Repo<'a>,
    /// `owner/.github`.
    org_repo: String,
    base_sha: &'a str,
}

impl Fetcher for ConfigFiles<'_> {
    type Error = github::Error;

    fn fetch(
        &mut self,
        source: &Source,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        let (repo, at) = match source.scope {
            Scope::Org => (self.org_repo.as_str(), FileAt::DefaultBranch),
            _ => (self.repo.name, FileAt::Commit(self.base_sha)),
        };
        let installation_id = self.repo.installation_id;
        self.repo.gh.file(installation_id, repo, &source.path, at)
    }

    fn org_unavailable(&self) -> String {
        format!(
            "`extends: org` but `{}` has no readable `{CONFIG_PATH}`",
            self.org_repo
        )
    }
}

/// The check run for an invalid configuration: `failure`, annotated on its line.
fn invalid_config_output(invalid: &Invalid, base_sha: &str) -> CheckRunOutput {
    tracing::info!(error = %invalid.error, "configuration is invalid");
    let report = core::config_error_report(&invalid.error, invalid.text.as_deref());
    let config = format!("the configuration at the base commit {}", short(base_sha));
    let cx = Context {
        config: &config,
        ..Context::default()
    };
    check_run::render(&report, &cx)
}

// --- changed files and runbooks, at the head commit ---

/// The PR's changed files, and the text at the head of those that are runbooks.
struct Changed {
    paths: Vec<String>,
    removed: Vec<String>,
    /// Path → text, sorted by path (the order runbooks are linted in).
    runbooks: BTreeMap<String, String>,
    /// GitHub listed only the first 3,000 files.
    truncated: bool,
}

async fn changed_files(
    at: &Repo<'_>,
    number: u64,
    head_sha: &str,
    cfg: &CompiledConfig,
) -> Result<Changed, github::Error> {
    let files = at
        .gh
        .changed_files(at.installation_id, at.name, number)
        .await?;
    let mut changed = Changed {
        paths: files.files.iter().map(|f| f.path.clone()).collect(),
        removed: Vec::new(),
        runbooks: BTreeMap::new(),
        truncated: files.truncated,
    };
    for f in &files.files {
        if f.status == "removed" {
            changed.removed.push(f.path.clone());
        } else if cfg.is_runbook(&f.path) {
            let head = FileAt::Commit(head_sha);
            if let Some(text) = at
                .gh
                .file(at.installation_id, at.name, &f.path, head)
                .await?
            {
                changed.runbooks.insert(f.path.clone(), text);
            }
        }
    }
    Ok(changed)
}

/// What this job knows of the repository at the head commit: the changed runbooks
/// (read) and the files the PR removes. Anything else is `Unknown`, so no
/// reference to it is reported as broken.
struct HeadFiles<'a> {
    changed: &'a Changed,
}

impl FileLookup for HeadFiles<'_> {
    fn lookup(&self, path: &str) -> Lookup {
        if let Some(text) = self.changed.runbooks.get(path) {
            return Lookup::Found(text.clone());
        }
        if self.changed.removed.iter().any(|r| r == path) {
            return Lookup::Missing;
        }
        Lookup::Unknown
    }
}

// --- the lint and the check run ---

fn lint_and_render(
    pull: &PullRequest,
    cfg: &CompiledConfig,
    source: &str,
    changed: &Changed,
) -> CheckRunOutput {
    let report = lint(pull, cfg, changed, &HeadFiles { changed });
    tracing::debug!(
        findings = report.findings().len(),
        conclusion = report.conclusion().as_str(),
        "linted"
    );
    let cx = Context {
        config: source,
        runbooks: changed.runbooks.len(),
        files_truncated: changed.truncated,
    };
    check_run::render(&report, &cx)
}

/// The core lint of the PR's title, description and changed runbooks.
fn lint(
    pull: &PullRequest,
    cfg: &CompiledConfig,
    changed: &Changed,
    files: &dyn FileLookup,
) -> Report {
    let runbooks: Vec<RunbookInput<'_>> = changed
        .runbooks
        .iter()
        .map(|(path, text)| RunbookInput { path, text })
        .collect();
    let inputs = Inputs {
        title: Some(&pull.title),
        description: Some(pull.body.as_deref().unwrap_or("")),
        facts: Facts {
            changed_paths: Some(&changed.paths),
            author: pull.author.as_deref(),
            labels: &pull.labels,
        },
        runbooks: &runbooks,
        files,
    };
    core::run(&inputs, cfg)
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
