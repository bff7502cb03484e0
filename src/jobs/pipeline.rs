//! The App's lint of one PR (the job `worker` runs): read its current state, its
//! configuration at the base SHA, its changed files and changed runbooks at the
//! head SHA; run the core ([`crate::lint::run`], the same as the CLI); build the
//! check run.
//!
//! Config outcomes are kept apart (STYLE 17): found → lint; missing everywhere →
//! the recommended preset in advisory mode; invalid → a `failure` check run
//! annotated on the config file's line; unavailable (GitHub errors) → the error goes
//! up, so the worker retries and finally posts `neutral`.

use std::collections::HashMap;

use crate::config::{self, Chain, CompiledConfig, ConfigError, Pending, Scope, Source};
use crate::github::{self, FileAt, GitHub, PullRequest};
use crate::lint::{self as core, Inputs, RunbookInput};
use crate::markdown::{FileLookup, Lookup};
use crate::report::check_run::{self, CheckRunOutput, Context};
use crate::rules::Facts;

use super::webhook_event::Filters;

/// Where every configuration file lives, in the repository and in the org's `.github`.
pub const CONFIG_PATH: &str = ".github/lint-pr.yml";

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
    gh: &GitHub,
    installation_id: u64,
    repo: &str,
    number: u64,
    filters: &Filters,
) -> Result<Linted, github::Error> {
    let pull = gh.pull_request(installation_id, repo, number).await?;
    tracing::Span::current().record(crate::telemetry::HEAD_SHA, pull.head_sha.as_str());
    if pull.state != "open" {
        return Ok(Linted::Skipped {
            pull,
            reason: "the PR is not open",
        });
    }
    if pull.draft && !filters.lint_drafts {
        return Ok(Linted::Skipped {
            pull,
            reason: "draft PRs are not linted (--lint-drafts=false)",
        });
    }
    if filters.skip_bots && pull.author.as_deref().is_some_and(|a| a.ends_with("[bot]")) {
        return Ok(Linted::Skipped {
            pull,
            reason: "the PR's author is a bot",
        });
    }
    let (cfg, source) = match load_config(gh, installation_id, repo, &pull.base_sha).await? {
        Loaded::Config { cfg, source } => (cfg, source),
        Loaded::Invalid { err, text } => {
            tracing::info!(error = %err, "configuration is invalid");
            let report = core::config_error_report(&err, text.as_deref());
            let cx = Context {
                config: &format!(
                    "the configuration at the base commit {}",
                    short(&pull.base_sha)
                ),
                ..Context::default()
            };
            return Ok(Linted::Checked {
                output: check_run::render(&report, &cx),
                pull,
            });
        }
    };
    let files = gh.changed_files(installation_id, repo, number).await?;
    let paths: Vec<String> = files.files.iter().map(|f| f.path.clone()).collect();
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut removed: Vec<String> = Vec::new();
    for f in &files.files {
        if f.status == "removed" {
            removed.push(f.path.clone());
            continue;
        }
        if !cfg.is_runbook(&f.path) {
            continue;
        }
        if let Some(text) = gh
            .file(
                installation_id,
                repo,
                &f.path,
                FileAt::Commit(&pull.head_sha),
            )
            .await?
        {
            texts.insert(f.path.clone(), text);
        }
    }
    let mut runbook_paths: Vec<&String> = texts.keys().collect();
    runbook_paths.sort();
    let runbooks: Vec<RunbookInput<'_>> = runbook_paths
        .iter()
        .filter_map(|p| {
            texts.get(*p).map(|t| RunbookInput {
                path: p.as_str(),
                text: t.as_str(),
            })
        })
        .collect();
    let lookup = Fetched {
        texts: &texts,
        removed: &removed,
    };
    let facts = Facts {
        changed_paths: Some(&paths),
        author: pull.author.as_deref(),
        labels: &pull.labels,
    };
    let inputs = Inputs {
        title: Some(&pull.title),
        description: Some(pull.body.as_deref().unwrap_or("")),
        facts,
        runbooks: &runbooks,
        files: &lookup,
    };
    let report = core::run(&inputs, &cfg);
    tracing::debug!(
        findings = report.findings().len(),
        conclusion = report.conclusion().as_str(),
        "linted"
    );
    let cx = Context {
        config: &source,
        runbooks: runbooks.len(),
        files_truncated: files.truncated,
    };
    let output = check_run::render(&report, &cx);
    Ok(Linted::Checked { pull, output })
}

/// Files this job has read (changed runbooks) or knows are gone (removed in the
/// PR). Everything else is `Unknown`, so no reference to it is reported as broken.
struct Fetched<'a> {
    texts: &'a HashMap<String, String>,
    removed: &'a [String],
}

impl FileLookup for Fetched<'_> {
    fn lookup(&self, path: &str) -> Lookup {
        if let Some(t) = self.texts.get(path) {
            return Lookup::Found(t.clone());
        }
        if self.removed.iter().any(|r| r == path) {
            return Lookup::Missing;
        }
        Lookup::Unknown
    }
}

/// The outcome of reading the configuration.
#[derive(Debug)]
pub enum Loaded {
    /// Usable; `source` says where it came from, for the summary.
    Config { cfg: CompiledConfig, source: String },
    /// Unusable: report it on the check run. `text` is the file the error is in.
    Invalid {
        err: ConfigError,
        text: Option<String>,
    },
}

/// The PR's configuration: the repository's file at the base commit, else the
/// org's `.github` repository's file, else the advisory default.
pub async fn load_config(
    gh: &GitHub,
    installation_id: u64,
    repo: &str,
    base_sha: &str,
) -> Result<Loaded, github::Error> {
    let owner = repo.split('/').next().unwrap_or(repo);
    let org_repo = format!("{owner}/.github");
    let reader = Reader {
        gh,
        installation_id,
        repo,
        org_repo: &org_repo,
        base_sha,
    };
    let (first, text, source) = if let Some(t) = reader.read(&Scope::Repo, CONFIG_PATH).await? {
        (
            Source::new(Scope::Repo, CONFIG_PATH),
            t,
            format!("`{CONFIG_PATH}` at the base commit {}", short(base_sha)),
        )
    } else if let Some(t) = reader.read(&Scope::Org, CONFIG_PATH).await? {
        (
            Source::new(Scope::Org, CONFIG_PATH),
            t,
            format!("the organisation's `{org_repo}/{CONFIG_PATH}`"),
        )
    } else {
        return Ok(Loaded::Config {
            cfg: config::no_config(),
            source: format!(
                "the recommended rules (no `{CONFIG_PATH}` in this repository or in `{org_repo}`)"
            ),
        });
    };
    // The text of each file read, by the name errors use, for the error's code frame.
    let mut seen: Vec<(String, String)> = vec![(first.display(), text.clone())];
    let invalid = |err: ConfigError, seen: &[(String, String)]| {
        let text = seen
            .iter()
            .find(|(name, _)| *name == err.pos.file)
            .map(|(_, t)| t.clone());
        Ok(Loaded::Invalid { err, text })
    };
    let mut chain = match Chain::start(first, &text) {
        Ok(c) => c,
        Err(err) => return invalid(err, &seen),
    };
    loop {
        let pending = match chain.pending() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(err) => return invalid(err, &seen),
        };
        let step = match &pending {
            Pending::Org => match reader.read(&Scope::Org, CONFIG_PATH).await? {
                Some(t) => {
                    let src = Source::new(Scope::Org, CONFIG_PATH);
                    seen.push((src.display(), t.clone()));
                    chain.push(src, &t)
                }
                None => chain.org_unavailable(&format!(
                    "`extends: org` but `{org_repo}` has no readable `{CONFIG_PATH}`"
                )),
            },
            Pending::File(src) => match reader.read(&src.scope, &src.path).await? {
                Some(t) => {
                    seen.push((src.display(), t.clone()));
                    chain.push(src.clone(), &t)
                }
                None => Err(chain.missing(src)),
            },
        };
        if let Err(err) = step {
            return invalid(err, &seen);
        }
    }
    match chain.compile() {
        Ok(cfg) => Ok(Loaded::Config { cfg, source }),
        Err(err) => invalid(err, &seen),
    }
}

/// Reads config files: the repository's at the base commit, the org's at its
/// default branch.
struct Reader<'a> {
    gh: &'a GitHub,
    installation_id: u64,
    repo: &'a str,
    org_repo: &'a str,
    base_sha: &'a str,
}

impl Reader<'_> {
    async fn read(&self, scope: &Scope, path: &str) -> Result<Option<String>, github::Error> {
        match scope {
            Scope::Org => {
                self.gh
                    .file(
                        self.installation_id,
                        self.org_repo,
                        path,
                        FileAt::DefaultBranch,
                    )
                    .await
            }
            _ => {
                self.gh
                    .file(
                        self.installation_id,
                        self.repo,
                        path,
                        FileAt::Commit(self.base_sha),
                    )
                    .await
            }
        }
    }
}

fn short(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}
