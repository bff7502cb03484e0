//! `lint-pr changes`, the 3am view: the changes merged into a branch in a time
//! window, newest first, each with what its description says to expect and to
//! check if something seems wrong (SPEC, "`lint-pr changes` — the 3am view").
//!
//! Steps, one module each: `history` asks git for the first-parent commits of
//! the window and their PR numbers; `fetch` gets the PRs' descriptions from
//! GitHub (or the disk cache); `describe` finds the sections with the rules' own
//! matching; `render` prints human, markdown or json. Without a token or GitHub,
//! the commit message is the description, and each entry says so.

mod describe;
mod fetch;
mod history;
mod render;

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, TimeZone, Utc};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use secrecy::SecretString;

use super::args::{ChangesArgs, ChangesFormat, When};
use super::{ExitStatus, git, load, print};
use crate::config::CompiledConfig;
use crate::types::Facts;
use describe::{Finder, Sections};
use history::Commit;

/// Where a change's description came from (`source` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    GitHub,
    Commit,
    None,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::GitHub => "github",
            Source::Commit => "commit",
            Source::None => "none",
        }
    }
}

/// One change, ready to print.
#[derive(Debug, Clone)]
struct Change {
    pr: Option<u64>,
    sha: String,
    title: String,
    /// The PR's GitHub login when the description came from GitHub, else the
    /// commit's author.
    author: String,
    merged_at: DateTime<Utc>,
    /// Every path touched, repository-relative.
    paths: Vec<String>,
    sections: Sections,
    source: Source,
    /// Why the description is not GitHub's ("GITHUB_TOKEN is not set").
    source_note: Option<String>,
}

/// Everything the renderers print.
#[derive(Debug)]
struct Listing {
    repo: Option<String>,
    branch: String,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    /// When the command ran ("2h 10m ago" is counted from here).
    now: DateTime<Utc>,
    /// `--path` as given.
    path_filter: Vec<String>,
    /// Web root for PR links (`https://github.com`).
    web_url: String,
    changes: Vec<Change>,
    warnings: Vec<String>,
}

pub(crate) fn changes(args: &ChangesArgs) -> Result<ExitStatus> {
    // A retried GitHub call logs a warning naming it: without a subscriber the
    // reader would only see a pause of up to half a minute.
    // octocrab logs every failed attempt again, without the call: ours says it.
    crate::telemetry::init_at(crate::telemetry::LogFormat::from_env(), "warn,octocrab=off");
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let Some(root) = git::root(&cwd) else {
        bail!(
            "{} is not inside a git checkout: run `lint-pr changes` in a clone of the repository that shipped (the list comes from its git history), e.g. `git clone https://github.com/OWNER/NAME && cd NAME`",
            cwd.display()
        );
    };
    let now = Utc::now();
    let (since, until) = window(args, now)?;
    let branch = history::branch(&root, args.branch.as_deref())?;
    let filter = path_filter(&args.paths)?;
    let mut warnings = Vec::new();
    let config = configuration(args, &cwd, &root, &mut warnings)?;
    let commits: Vec<Commit> =
        history::first_parent(&root, &branch, since.timestamp(), until.timestamp())?
            .into_iter()
            .filter(|c| {
                filter
                    .as_ref()
                    .is_none_or(|f| c.paths.iter().any(|p| f.is_match(p)))
            })
            .collect();
    if let Some(ago) = history::fetched_ago(&root, &branch).filter(|s| *s > 3600) {
        warnings.push(format!(
            "{branch} was last fetched {} ago: run `git fetch` first to see what shipped since",
            render::duration(ago)
        ));
    }
    let repo = repo(args, &root)?;
    let fetched = fetch_descriptions(args, &root, repo.as_deref(), &commits);
    let finder = Finder::new(&config);
    let changes = commits
        .iter()
        .map(|c| change(c, &fetched, &finder))
        .collect();
    warnings.extend(fetched.warnings);
    let listing = Listing {
        repo,
        branch,
        since,
        until,
        now,
        path_filter: args.paths.clone(),
        web_url: web_url(&args.github_api_url),
        changes,
        warnings,
    };
    emit(&listing, args.format)
}

fn emit(listing: &Listing, format: ChangesFormat) -> Result<ExitStatus> {
    let text = match format {
        ChangesFormat::Human => render::human(listing),
        ChangesFormat::Markdown => render::markdown(listing),
        ChangesFormat::Json => render::json(listing)?,
    };
    // JSON carries its warnings; the other formats are pasted or read, so theirs
    // go to stderr, where a terminal still shows them.
    if format != ChangesFormat::Json {
        for w in &listing.warnings {
            eprintln!("lint-pr: warning: {w}");
        }
    }
    print(&text)?;
    Ok(ExitStatus::Success)
}

/// `[since, until]` in UTC; `--since` after `--until` is a usage error.
fn window(args: &ChangesArgs, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |w: When| match w {
        When::At(t) => Some(t),
        When::Ago(d) => chrono::TimeDelta::from_std(d)
            .ok()
            .and_then(|d| now.checked_sub_signed(d)),
    };
    let since = at(args.since).context("--since is too far back")?;
    let until = match args.until {
        Some(w) => at(w).context("--until is too far back")?,
        None => now,
    };
    if since > until {
        bail!(
            "--since ({}) is after --until ({}): the window is empty; swap them",
            render::utc(since),
            render::utc(until)
        );
    }
    Ok((since, until))
}

/// `--path` globs; a path without wildcards also matches everything below it.
fn path_filter(globs: &[String]) -> Result<Option<GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for g in globs {
        let g = g.trim().trim_start_matches("./");
        let plain = !g.contains(['*', '?', '[', '{']);
        let dir = g.trim_end_matches('/');
        let patterns = if plain {
            vec![dir.to_string(), format!("{dir}/**")]
        } else {
            vec![g.to_string()]
        };
        for p in patterns {
            let glob = GlobBuilder::new(&p)
                .literal_separator(true)
                .build()
                .map_err(|e| anyhow::anyhow!("--path {g:?} is not a glob ({}); expected a path or a glob such as services/payments/** or '**/*.sql'", e.kind()))?;
            set.add(glob);
        }
    }
    Ok(Some(set.build().context("compiling --path globs")?))
}

/// The configuration whose section names and aliases the rules use. An invalid
/// one is a warning here, not an exit: at 3am the list matters more, and the
/// recommended sections still find most descriptions.
fn configuration(
    args: &ChangesArgs,
    cwd: &Path,
    root: &Path,
    warnings: &mut Vec<String>,
) -> Result<CompiledConfig> {
    if args.config.is_none() && load::discover(cwd, Some(root)).is_none() {
        return Ok(crate::config::recommended());
    }
    match load::load(
        args.config.as_deref(),
        args.org_config.as_deref(),
        cwd,
        Some(root),
    )? {
        Ok(config) => {
            warnings.extend(config.notes.iter().cloned());
            Ok(config)
        }
        Err(invalid) => {
            warnings.push(format!(
                "invalid configuration ({}); finding sections by the recommended preset's names (`lint-pr config check` shows the error)",
                invalid.error
            ));
            Ok(crate::config::recommended())
        }
    }
}

/// `--repo`, else `origin`'s. A malformed `--repo` is a usage error.
fn repo(args: &ChangesArgs, root: &Path) -> Result<Option<String>> {
    match &args.repo {
        Some(r) if history::valid_repo(r) => Ok(Some(r.clone())),
        Some(r) => bail!("--repo {r:?} is not OWNER/NAME (for example acme/shop)"),
        None => Ok(history::origin_repo(root)),
    }
}

/// The descriptions GitHub has for the PRs among `commits`, and why some or
/// all come from commit messages instead (its `warnings`).
fn fetch_descriptions(
    args: &ChangesArgs,
    root: &Path,
    repo: Option<&str>,
    commits: &[Commit],
) -> fetch::Fetched {
    let wanted: Vec<(String, u64)> = commits
        .iter()
        .filter_map(|c| c.pr_number().map(|n| (c.sha.clone(), n)))
        .collect();
    if wanted.is_empty() {
        return fetch::Fetched::default();
    }
    let Some(repo) = repo else {
        return fetch::Fetched {
            not_asked: Some("no --repo".into()),
            warnings: vec!["no --repo and no GitHub `origin` remote: descriptions come from commit messages; pass --repo OWNER/NAME".into()],
            ..fetch::Fetched::default()
        };
    };
    let token = std::env::var("GITHUB_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .map(|t| SecretString::from(t.trim().to_string()));
    let plan = fetch::Plan {
        repo,
        api_url: &args.github_api_url,
        token,
        cache_dir: history::git_dir(root).map(|d| d.join("lint-pr").join("pulls")),
    };
    fetch::descriptions(&plan, &wanted)
}

/// One commit as a change: GitHub's description when there is one, else the
/// commit message's.
fn change(c: &Commit, fetched: &fetch::Fetched, finder: &Finder) -> Change {
    let merged_at = Utc
        .timestamp_opt(c.committed, 0)
        .single()
        .unwrap_or_default();
    fn facts_for<'a>(c: &'a Commit, author: Option<&'a str>) -> Facts<'a> {
        Facts {
            changed_paths: Some(&c.paths),
            author,
            labels: &[],
        }
    }
    if let Some(d) = fetched.found.get(&c.sha) {
        let author = d.author.clone().unwrap_or_else(|| c.author.clone());
        let facts = facts_for(c, Some(&author));
        let body = d.body.as_deref().unwrap_or("");
        return Change {
            pr: c.pr_number(),
            sha: c.sha.clone(),
            title: d.title.clone(),
            sections: finder.find(body, &facts),
            author,
            merged_at,
            paths: c.paths.clone(),
            source: Source::GitHub,
            source_note: None,
        };
    }
    let facts = facts_for(c, Some(&c.author));
    let description = c.description();
    let (source, sections) = if description.is_empty() {
        (Source::None, Sections::none(&facts, finder))
    } else {
        (Source::Commit, finder.find(description, &facts))
    };
    let why = fetched
        .failed
        .get(&c.sha)
        .cloned()
        .or_else(|| c.pr_number().and(fetched.not_asked.clone()));
    Change {
        pr: c.pr_number(),
        sha: c.sha.clone(),
        title: c.title(),
        author: c.author.clone(),
        merged_at,
        paths: c.paths.clone(),
        sections,
        source,
        source_note: why,
    }
}

/// The web root PR links point at: github.com for the public API, the host of a
/// GHES `/api/v3` root, else the API root itself.
fn web_url(api_url: &str) -> String {
    let api = api_url.trim_end_matches('/');
    if let Some(host) = api.strip_suffix("/api/v3") {
        return host.to_string();
    }
    match api.split_once("://api.") {
        Some((scheme, host)) => format!("{scheme}://{host}"),
        None => api.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_url_for_github_ghes_and_others() {
        assert_eq!(web_url("https://api.github.com"), "https://github.com");
        assert_eq!(
            web_url("https://ghe.example/api/v3/"),
            "https://ghe.example"
        );
        assert_eq!(web_url("http://127.0.0.1:9"), "http://127.0.0.1:9");
    }

    #[test]
    fn path_filter_takes_dirs_and_globs() {
        let f = path_filter(&["services/payments".into(), "**/*.sql".into()])
            .unwrap()
            .unwrap();
        assert!(f.is_match("services/payments/src/db.rs"));
        assert!(f.is_match("migrations/001.sql"));
        assert!(!f.is_match("services/payments-ui/x.ts"));
        let err = path_filter(&["services/[pay".into()]).unwrap_err();
        assert!(err.to_string().contains("is not a glob"), "{err}");
    }
}
