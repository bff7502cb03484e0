//! The App's lint of one PR, in steps: read the PR as it is now; read its
//! configuration at the base SHA (the one driver, [`config::load_with`], over
//! GitHub's contents API); read its changed files and changed runbooks at the head
//! SHA; look up the files those runbooks link to; run the core ([`crate::lint::run`],
//! the same as the CLI); build the check run.
//!
//! Configuration outcomes ([`Loaded`]) are kept apart: found → lint; missing
//! everywhere → the recommended preset in advisory mode; invalid → a `failure`
//! check run annotated on the config file's line; unreadable (a GitHub error,
//! after `github::retry`'s retries) → the last configuration that loaded for the
//! repository (kept in the store, `config_cache`), with a note in the summary; an
//! unreachable org `.github` repository and no cache → the repository's own file
//! (or the advisory default), saying which; otherwise the error goes up, so the
//! worker retries and finally posts `neutral`. lint-pr being unwell never fails a PR.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::sync::Arc;

use tokio::task::JoinSet;
use tracing::Instrument;

use crate::config::{self, CONFIG_PATH, CompiledConfig, Fetcher, Invalid, Loaded, Scope, Source};
use crate::github::{self, Fetched, FileAt, GitHub, PullRequest, Unreadable};
use crate::lint::{self as core, Inputs, RunbookInput};
use crate::markdown::{FileLookup, Lookup};
use crate::report::Report;
use crate::report::check_run::{self, CheckRunOutput, Context};
use crate::rules::Facts;
use crate::types::{Finding, Severity, Target};

use super::store::{CachedConfig, Store};
use super::webhook_event::Filters;

/// At most this many files linked from the changed runbooks are looked up per job
/// (one contents request each, unless cached); links to further files are not
/// checked, and the check run says so.
const MAX_LINKED_FILES: usize = 50;
/// Contents requests in flight at once (changed runbooks, then linked files).
/// GitHub's REST guidelines ask integrations to limit concurrent requests to avoid
/// secondary rate limits.
pub const FILES_IN_FLIGHT: usize = 4;
/// The rule id of the finding on a changed runbook GitHub would not serve (over
/// the contents API's 1 MB limit, not a file, forbidden to the App).
///
/// Not one of `rules::RULES`: no rule finds it in a document, the App does while
/// fetching, the way `config/invalid` is found while loading (and, like it, it
/// cannot be turned off: a runbook nobody checked must not pass silently). Its
/// severity is `warning`: the file was not checked, which is not evidence that
/// it is wrong, so the conclusion is what the other findings make it.
pub const UNREADABLE_RUNBOOK: &str = "runbook/unreadable";

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

/// Lint PR `number` of `repo` as it is now. `store` keeps the last configuration
/// that loaded for each repository.
pub async fn lint_pr(
    gh: &Arc<GitHub>,
    store: &Store,
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
        store,
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
    let mut changed = changed_files(&at, number, &pull.head_sha, &cfg).await?;
    changed.template = pr_template(&at, &pull.base_sha).await?;
    let linked = linked_files(&at, &pull, &cfg, &changed).await?;
    let output = lint_and_render(&pull, &cfg, &source, &changed, &linked);
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
    // The REST API names an App's bot user `name[bot]`.
    if filters.skip_bots
        && pull
            .author
            .as_deref()
            .is_some_and(|a| super::webhook_event::is_bot(a, None))
    {
        return Some("the PR's author is a bot");
    }
    None
}

/// The repository a job reads, through its installation.
struct Repo<'a> {
    gh: &'a Arc<GitHub>,
    store: &'a Store,
    installation_id: u64,
    /// `owner/name`.
    name: &'a str,
}

// --- configuration, at the base commit ---

/// The PR's configuration and where it came from (for the summary): the
/// repository's file at the base commit, else the org's `.github` repository's
/// file, else the advisory default. `Ok(Err)`: it is invalid. When GitHub cannot
/// serve a file, [`degraded`] decides what to lint with instead.
async fn config_at_base(
    at: &Repo<'_>,
    base_sha: &str,
) -> Result<Result<Found, Invalid>, github::Error> {
    let mut files = ConfigFiles::new(at, base_sha);
    let loaded = config::load_with(&candidates(), &mut files).await;
    match described(loaded, &files.org_repo, base_sha) {
        Ok(Ok(found)) => {
            remember(at, base_sha, &files.read).await;
            Ok(Ok(found))
        }
        Ok(Err(invalid)) => Ok(Err(invalid)),
        Err((source, error)) => degraded(at, base_sha, &source, error).await,
    }
}

/// Where the App looks for the configuration, in order.
fn candidates() -> [Source; 2] {
    [Source::new(Scope::Repo, CONFIG_PATH), Source::org()]
}

/// A usable configuration and how the summary names it.
type Found = (CompiledConfig, String);

/// A loaded configuration and how the summary names it; `Err` names the file
/// GitHub could not serve.
fn described<E>(
    loaded: Loaded<E>,
    org_repo: &str,
    base_sha: &str,
) -> Result<Result<Found, Invalid>, (Source, E)> {
    Ok(match loaded {
        Loaded::Valid { config, source } => {
            let described = match source.scope {
                Scope::Org => format!("the organisation's `{org_repo}/{CONFIG_PATH}`"),
                _ => format!("`{CONFIG_PATH}` at the base commit {}", short(base_sha)),
            };
            Ok((config, described))
        }
        Loaded::Missing => Ok((
            config::no_config(),
            format!(
                "the recommended rules (no `{CONFIG_PATH}` in this repository or in `{org_repo}`)"
            ),
        )),
        Loaded::Invalid(invalid) => Err(invalid),
        Loaded::Unreadable { source, error } => return Err((source, error)),
    })
}

/// Configuration files for the driver: the repository's at the base commit; the
/// organisation's file (and the files it extends) in its `.github` repository at
/// the default branch. Every answer is kept in `read`, for the cache.
struct ConfigFiles<'a> {
    repo: &'a Repo<'a>,
    /// `owner/.github`.
    org_repo: String,
    base_sha: &'a str,
    /// What each fetch answered, in order (what [`Replay`] answers from the cache).
    read: Vec<CachedFile>,
    /// Set when the org's `.github` repository could not be read: its files are
    /// then treated as unavailable (`extends: org` → recommended, with a note).
    org_down: Option<String>,
}

impl<'a> ConfigFiles<'a> {
    fn new(repo: &'a Repo<'a>, base_sha: &'a str) -> Self {
        let owner = repo.name.split('/').next().unwrap_or(repo.name);
        ConfigFiles {
            repo,
            org_repo: format!("{owner}/.github"),
            base_sha,
            read: Vec::new(),
            org_down: None,
        }
    }
}

impl Fetcher for ConfigFiles<'_> {
    type Error = github::Error;

    fn fetch(
        &mut self,
        source: &Source,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        let org = source.scope == Scope::Org;
        let path = source.path.clone();
        let (repo, at) = if org {
            (self.org_repo.clone(), FileAt::DefaultBranch)
        } else {
            (self.repo.name.to_string(), FileAt::Commit(self.base_sha))
        };
        let (gh, installation_id) = (self.repo.gh, self.repo.installation_id);
        let skip = org && self.org_down.is_some();
        async move {
            if skip {
                return Ok(None);
            }
            let text = gh.file(installation_id, &repo, &path, at).await?;
            self.read.push(CachedFile {
                org,
                path,
                text: text.clone(),
            });
            Ok(text)
        }
    }

    fn org_unavailable(&self) -> String {
        match &self.org_down {
            Some(error) => format!(
                "`extends: org` but GitHub could not serve `{}` ({error})",
                self.org_repo
            ),
            None => format!(
                "`extends: org` but `{}` has no readable `{CONFIG_PATH}`",
                self.org_repo
            ),
        }
    }
}

// --- when GitHub cannot serve the configuration ---

/// One answer of the contents API while loading the configuration, as cached.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct CachedFile {
    /// In the org's `.github` repository (else the repository's, at its base).
    org: bool,
    path: String,
    /// `None`: it did not exist.
    text: Option<String>,
}

/// Keep what just loaded as the repository's last good configuration. A store
/// failure only costs the fallback, so it is logged, not returned.
async fn remember(at: &Repo<'_>, base_sha: &str, read: &[CachedFile]) {
    let saved = match serde_json::to_string(read) {
        Ok(json) => at.store.remember_config(at.name, base_sha, &json).await,
        Err(e) => {
            return tracing::warn!(error = %e, "cannot encode the configuration for the cache");
        }
    };
    if let Err(e) = saved {
        tracing::warn!(error = %e, "cannot cache the configuration; a GitHub outage will not fall back to it");
    }
}

/// GitHub could not serve `failed` (after retries). Use, in order: the last
/// configuration that loaded for this repository; if it was the org's `.github`
/// repository that failed, the configuration without it; else give the error
/// back (the worker retries, then posts `neutral` saying why).
async fn degraded(
    at: &Repo<'_>,
    base_sha: &str,
    failed: &Source,
    error: github::Error,
) -> Result<Result<Found, Invalid>, github::Error> {
    let mut files = ConfigFiles::new(at, base_sha);
    let what = match failed.scope {
        Scope::Org => format!("the organisation's `{}` repository", files.org_repo),
        _ => format!("`{}` at the base commit {}", failed.path, short(base_sha)),
    };
    tracing::warn!(error = %error, file = %failed.display(), "GitHub cannot serve the configuration");
    if let Some(found) = from_cache(at, &files.org_repo, &what, &error).await {
        return Ok(found);
    }
    if failed.scope != Scope::Org {
        return Err(error);
    }
    files.org_down = Some(error.to_string());
    let loaded = config::load_with(&candidates(), &mut files).await;
    let (mut config, described) = match described(loaded, &files.org_repo, base_sha) {
        Ok(Ok(found)) => found,
        Ok(Err(invalid)) => return Ok(Err(invalid)),
        Err((_, error)) => return Err(error),
    };
    config.notes.push(format!(
        "GitHub could not serve {what} ({error}), and no earlier configuration of this repository is cached: this check used {described} without the organisation's file."
    ));
    Ok(Ok((config, described)))
}

/// The repository's last good configuration, replayed through the same driver,
/// with a note saying so. `None` when there is none (or the store fails).
async fn from_cache(
    at: &Repo<'_>,
    org_repo: &str,
    what: &str,
    error: &github::Error,
) -> Option<Result<Found, Invalid>> {
    let cached = match at.store.cached_config(at.name).await {
        Ok(cached) => cached?,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the cached configuration");
            return None;
        }
    };
    let files: Vec<CachedFile> = serde_json::from_str(&cached.files)
        .map_err(|e| tracing::warn!(error = %e, "the cached configuration is unreadable"))
        .ok()?;
    let loaded = config::load_with(&candidates(), &mut Replay(files)).await;
    let Ok(Ok((mut config, described))) = described(loaded, org_repo, &cached.base_sha) else {
        // An older binary's cache that this one rejects: the job errs as without one.
        tracing::warn!(cached_base_sha = %cached.base_sha, "the cached configuration no longer loads; not using it");
        return None;
    };
    let described = format!(
        "the last configuration that loaded for this repository ({described}, {})",
        when(&cached)
    );
    tracing::info!(cached_base_sha = %cached.base_sha, "linting with the cached configuration");
    config.notes.push(format!(
        "GitHub's contents API could not serve {what} ({error}), so this check used the last configuration that loaded for this repository. Changes made to the configuration since then are not applied; re-run the check once GitHub answers again."
    ));
    Some(Ok((config, described)))
}

/// When a cached configuration loaded, for the summary.
fn when(cached: &CachedConfig) -> String {
    chrono::DateTime::from_timestamp_millis(cached.loaded_ms).map_or_else(
        || "at an unknown time".to_string(),
        |t| format!("loaded {}", t.format("%Y-%m-%d %H:%M UTC")),
    )
}

/// A [`Fetcher`] answering from a cached load: the same files, the same answers.
struct Replay(Vec<CachedFile>);

impl Fetcher for Replay {
    type Error = std::convert::Infallible;

    fn fetch(
        &mut self,
        source: &Source,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        let (org, path) = (source.scope == Scope::Org, source.path.as_str());
        let text = self
            .0
            .iter()
            .find(|f| f.org == org && f.path == path)
            .and_then(|f| f.text.clone());
        std::future::ready(Ok(text))
    }

    fn org_unavailable(&self) -> String {
        "`extends: org` but the organisation had no readable file when this configuration was cached".into()
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
    /// The repository's PR template at the base commit: (path, text).
    template: Option<(String, String)>,
    /// Changed runbooks GitHub would not serve (over 1 MB, not a file, no
    /// permission), sorted by path: a [`UNREADABLE_RUNBOOK`] finding each; the rest
    /// of the PR is still linted.
    unreadable: Vec<(String, Unreadable)>,
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
        template: None,
        unreadable: Vec::new(),
    };
    let mut runbooks = Vec::new();
    for f in &files.files {
        if f.status == "removed" {
            changed.removed.push(f.path.clone());
        } else if cfg.is_runbook(&f.path) {
            runbooks.push(f.path.clone());
        }
    }
    // Fetched like linked files: a few at a time, a retryable error fails the job
    // (the worker runs it again), a file that cannot be read for good gets a
    // finding that says why.
    for (path, fetched) in fetch_at(at, head_sha, runbooks.into_iter()).await? {
        match fetched {
            Fetched::Text(text) => {
                changed.runbooks.insert(path, text);
            }
            Fetched::Missing => {}
            Fetched::Unreadable(why) => changed.unreadable.push((path, why)),
        }
    }
    changed.unreadable.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(changed)
}

/// The repository's PR template at the base commit (what the author was offered),
/// for `pr/empty-section`: the first of the places GitHub looks that exists. A
/// template that cannot be read (too large, no permission, GitHub failing after
/// retries) is skipped with a warning.
async fn pr_template(
    at: &Repo<'_>,
    base_sha: &str,
) -> Result<Option<(String, String)>, github::Error> {
    for path in crate::rules::pr::TEMPLATE_PATHS {
        let base = FileAt::Commit(base_sha);
        match at.gh.file(at.installation_id, at.name, path, base).await {
            Ok(Some(text)) => return Ok(Some(((*path).to_string(), text))),
            Ok(None) => {}
            // The template only sharpens pr/empty-section: when GitHub cannot serve
            // it (after the client's retries), the PR is linted without it rather
            // than not at all.
            Err(e) => {
                tracing::warn!(path, error = %e, "cannot read the PR template; lines left from it are not recognised");
                return Ok(None);
            }
        }
    }
    Ok(None)
}

// --- files the runbooks link to, at the head commit ---

/// What the lookups of linked files found.
#[derive(Default)]
struct Linked {
    /// Path → what the contents API said at the head commit.
    found: HashMap<String, Lookup>,
    /// Linked files beyond [`MAX_LINKED_FILES`], left `Unknown`.
    not_looked_up: usize,
}

/// Look up, at the head commit, the files the rules will ask about while linting
/// (`[x](other.md#anchor)` in a changed runbook), so that a link to a missing
/// file is reported as it is by the CLI, which reads the file system.
///
/// [`FileLookup`] is synchronous, so the files are fetched first: a lint with
/// [`Recorder`] lists the paths the rules ask for, they are fetched (at most
/// [`MAX_LINKED_FILES`], [`FILES_IN_FLIGHT`] at a time), and the real lint
/// then answers from what was fetched. A file GitHub will not serve is `Unknown`:
/// links to it are not reported as broken.
async fn linked_files(
    at: &Repo<'_>,
    pull: &PullRequest,
    cfg: &CompiledConfig,
    changed: &Changed,
) -> Result<Linked, github::Error> {
    if changed.runbooks.is_empty() {
        return Ok(Linked::default());
    }
    let wanted = wanted_files(pull, cfg, changed);
    let not_looked_up = wanted.len().saturating_sub(MAX_LINKED_FILES);
    let paths = wanted.into_iter().take(MAX_LINKED_FILES);
    let mut found: HashMap<String, Lookup> = fetch_at(at, &pull.head_sha, paths)
        .await?
        .into_iter()
        .map(|(path, fetched)| {
            let lookup = match fetched {
                Fetched::Text(text) => Lookup::Found(text),
                Fetched::Missing => Lookup::Missing,
                Fetched::Unreadable(why) => {
                    tracing::warn!(path, reason = %why, "cannot read a linked file at the head commit; links to it are not checked");
                    Lookup::Unknown
                }
            };
            (path, lookup)
        })
        .collect();
    generated_by_the_build(at, &pull.head_sha, &mut found).await?;
    Ok(Linked {
        found,
        not_looked_up,
    })
}

/// Linked files that are not in the repository but that its `.gitignore` files
/// ignore are made by the build (a site importing pages): `Unknown`, as the CLI
/// answers from disk. Reads, at the head commit, the `.gitignore` of each missing
/// file's folder and of the folders above it (only when some file is missing).
async fn generated_by_the_build(
    at: &Repo<'_>,
    head_sha: &str,
    found: &mut HashMap<String, Lookup>,
) -> Result<(), github::Error> {
    let missing: Vec<String> = found
        .iter()
        .filter(|(_, l)| **l == Lookup::Missing)
        .map(|(p, _)| p.clone())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    // Each folder's `.gitignore`, read once whatever the number of missing files
    // under it.
    let folders: BTreeSet<String> = missing
        .iter()
        .flat_map(|p| crate::gitignore::Ignored::folders(p))
        .collect();
    let mut fetched = fetch_at(
        at,
        head_sha,
        folders
            .iter()
            .map(|f| crate::gitignore::Ignored::file_of(f)),
    )
    .await?;
    let texts = folders
        .into_iter()
        .filter_map(|folder| {
            match fetched.remove(&crate::gitignore::Ignored::file_of(&folder))? {
                Fetched::Text(text) => Some((folder, text)),
                Fetched::Missing | Fetched::Unreadable(_) => None,
            }
        })
        .collect();
    let ignored = crate::gitignore::Ignored::from_texts(texts);
    for path in missing {
        if ignored.contains(&path) {
            tracing::debug!(
                path,
                "linked file is not at the head commit but .gitignore lists it (the build makes it): its links are not checked"
            );
            found.insert(path, Lookup::Unknown);
        }
    }
    Ok(())
}

/// The paths inside the repository that the rules look up and this job does not
/// know yet, sorted. Found by linting with a [`Recorder`], which answers `Unknown`
/// for them, so that lint reports nothing about them and is dropped.
fn wanted_files(pull: &PullRequest, cfg: &CompiledConfig, changed: &Changed) -> BTreeSet<String> {
    let none = HashMap::new();
    let recorder = Recorder {
        known: HeadFiles {
            changed,
            linked: &none,
        },
        asked: RefCell::new(BTreeSet::new()),
    };
    lint(pull, cfg, changed, &recorder);
    recorder.asked.into_inner()
}

/// A [`FileLookup`] that answers what `known` knows and records the other paths.
struct Recorder<'a> {
    known: HeadFiles<'a>,
    asked: RefCell<BTreeSet<String>>,
}

impl FileLookup for Recorder<'_> {
    fn lookup(&self, path: &str) -> Lookup {
        let known = self.known.lookup(path);
        if known == Lookup::Unknown && in_repository(path) {
            self.asked.borrow_mut().insert(path.to_string());
        }
        known
    }
}

/// Whether a normalised path (from `config::join_path`) names a file inside the
/// repository: not absolute, not above its root.
fn in_repository(path: &str) -> bool {
    !path.is_empty() && !path.starts_with('/') && !path.split('/').any(|s| s == "..")
}

/// Each of `paths` (changed runbooks, or the files they link to) at `head_sha`, at
/// most [`FILES_IN_FLIGHT`] requests at a time. A file that does not exist is
/// `Missing`; one that cannot be read for good (too large, not a file, no
/// permission, another 4xx) is `Unreadable`, saying why; a retryable error fails
/// the job, so the worker runs it again.
async fn fetch_at(
    at: &Repo<'_>,
    head_sha: &str,
    paths: impl Iterator<Item = String>,
) -> Result<HashMap<String, Fetched>, github::Error> {
    let mut paths = paths;
    let mut tasks = JoinSet::new();
    let mut found = HashMap::new();
    loop {
        while tasks.len() < FILES_IN_FLIGHT
            && let Some(path) = paths.next()
        {
            let (gh, repo, sha) = (Arc::clone(at.gh), at.name.to_string(), head_sha.to_string());
            let installation_id = at.installation_id;
            let fetch = async move {
                let fetched = gh.fetch(installation_id, &repo, &path, FileAt::Commit(&sha));
                (fetched.await, path)
            };
            tasks.spawn(fetch.instrument(tracing::Span::current()));
        }
        let Some(joined) = tasks.join_next().await else {
            return Ok(found);
        };
        let (result, path) =
            joined.map_err(|e| github::Error::Other(format!("looking up a file: {e}")))?;
        let fetched = match result {
            Ok(fetched) => fetched,
            Err(e) if e.is_retryable() => return Err(e),
            Err(e) => Fetched::Unreadable(Unreadable::Failed {
                detail: e.to_string(),
            }),
        };
        if let Fetched::Unreadable(why) = &fetched {
            tracing::info!(path, reason = %why, "GitHub will not serve a file at the head commit");
        }
        found.insert(path, fetched);
    }
}

/// What this job knows of the repository at the head commit: the changed runbooks
/// (read), the files the PR removes, and the linked files it looked up. Anything
/// else is `Unknown`, so no reference to it is reported as broken.
struct HeadFiles<'a> {
    changed: &'a Changed,
    linked: &'a HashMap<String, Lookup>,
}

impl FileLookup for HeadFiles<'_> {
    fn lookup(&self, path: &str) -> Lookup {
        // The PR template was read at the base commit, or is not there.
        if crate::rules::pr::TEMPLATE_PATHS.contains(&path) {
            return match &self.changed.template {
                Some((p, text)) if p == path => Lookup::Found(text.clone()),
                _ => Lookup::Missing,
            };
        }
        if let Some(text) = self.changed.runbooks.get(path) {
            return Lookup::Found(text.clone());
        }
        if self.changed.removed.iter().any(|r| r == path) {
            return Lookup::Missing;
        }
        self.linked.get(path).cloned().unwrap_or(Lookup::Unknown)
    }
}

// --- the lint and the check run ---

fn lint_and_render(
    pull: &PullRequest,
    cfg: &CompiledConfig,
    source: &str,
    changed: &Changed,
    linked: &Linked,
) -> CheckRunOutput {
    let files = HeadFiles {
        changed,
        linked: &linked.found,
    };
    let mut report = lint(pull, cfg, changed, &files);
    for (path, why) in &changed.unreadable {
        // No text: the finding points at the file as a whole (line 1).
        report.add("", vec![unreadable_finding(path, why)]);
    }
    core::hold_draft(&mut report, cfg, pull.draft);
    if linked.not_looked_up > 0 {
        report.notes.push(format!(
            "{} files linked from the changed runbooks were not looked up (at most {MAX_LINKED_FILES} per check); links to them are not checked",
            linked.not_looked_up
        ));
    }
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

/// The [`UNREADABLE_RUNBOOK`] finding on a changed runbook GitHub would not
/// serve: why, and what the author (or the App's operator) can do.
fn unreadable_finding(path: &str, why: &Unreadable) -> Finding {
    let local = format!("`lint-pr runbook {path}` lints it locally meanwhile");
    let help = match why {
        Unreadable::TooLarge { .. } => format!(
            "split it into smaller runbooks (one per alert or symptom: nobody reads a megabyte at 3am either); {local}"
        ),
        Unreadable::NotAFile { .. } => format!(
            "lint-pr reads runbooks as files at the PR's head commit: make this path a file (a symlink must point at a file inside this repository), or leave it out of `runbook.paths`; {local}"
        ),
        Unreadable::Forbidden { .. } => format!(
            "check that the lint-pr App is installed on this repository with `contents: read`, then re-run the check; {local}"
        ),
        _ => format!(
            "re-run the check; if it keeps failing, report the message above with the server's logs; {local}"
        ),
    };
    Finding {
        rule: Cow::Borrowed(UNREADABLE_RUNBOOK),
        severity: Severity::Warning,
        target: Target::File(path.into()),
        span: 0..0,
        message: format!("this runbook was not linted because GitHub would not serve it: {why}"),
        help: Some(Cow::Owned(help)),
        missing_section: None,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_repository_are_looked_up() {
        for inside in ["a.md", "runbooks/a.md", "docs/x/y.md"] {
            assert!(in_repository(inside), "{inside}");
        }
        for outside in ["", "/etc/x.md", "../a.md", "../../x/a.md"] {
            assert!(!in_repository(outside), "{outside}");
        }
    }
}
