//! What git knows: the branch to read, its first-parent history in a window, the
//! PR number in each subject, and the GitHub repository `origin` points at.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// One commit on the branch's first-parent line (a merge commit, a squash
/// commit or a direct push), as `git log` tells it.
#[derive(Debug, Clone)]
pub(super) struct Commit {
    /// 40 hex characters.
    pub(super) sha: String,
    /// Committer time, seconds since the Unix epoch: when it landed on the
    /// branch (GitHub commits merges and squashes at merge time).
    pub(super) committed: i64,
    /// The git author: for a merge commit, whoever clicked merge.
    pub(super) author: String,
    pub(super) subject: String,
    /// The message after the subject line, trimmed.
    pub(super) body: String,
    /// Paths changed against the first parent, repository-relative.
    pub(super) paths: Vec<String>,
}

impl Commit {
    /// The PR number GitHub writes into the subject: `Merge pull request #N from
    /// ...` for a merge commit, a trailing `(#N)` for a squash merge.
    pub(super) fn pr_number(&self) -> Option<u64> {
        let s = self.subject.trim();
        if let Some(rest) = s.strip_prefix("Merge pull request #") {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            return digits.parse().ok();
        }
        let inner = s.strip_suffix(')')?;
        let open = inner.rfind("(#")?;
        inner.get(open + 2..)?.parse().ok()
    }

    /// The PR's title as the commit carries it: a merge commit's body starts with
    /// it; a squash subject ends with ` (#N)`.
    pub(super) fn title(&self) -> String {
        let s = self.subject.trim();
        if s.starts_with("Merge pull request #") {
            if let Some(first) = self.body.lines().next().filter(|l| !l.trim().is_empty()) {
                return first.trim().to_string();
            }
            return s.to_string();
        }
        match (self.pr_number(), s.rfind(" (#")) {
            (Some(_), Some(i)) => s.get(..i).unwrap_or(s).trim().to_string(),
            _ => s.to_string(),
        }
    }

    /// The description the commit carries: a squash merge's body (GitHub can put
    /// the PR's description there), or what follows the title in a merge
    /// commit's body. Empty when there is none.
    pub(super) fn description(&self) -> &str {
        if self.subject.trim().starts_with("Merge pull request #") {
            let rest = self.body.split_once('\n').map_or("", |(_, rest)| rest);
            return rest.trim();
        }
        self.body.trim()
    }
}

/// Run git in `root`; its stdout, or an error with its stderr.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("running git (is it installed and on PATH?)")?;
    if !out.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// Whether `reference` names a commit here.
fn resolves(root: &Path, reference: &str) -> bool {
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .is_ok()
}

/// The branch to read: `--branch` if it exists, else the remote's default branch
/// (as `lint-pr check` finds it), else HEAD. An unknown `--branch` is an error
/// that lists the branches there are.
pub(super) fn branch(root: &Path, asked: Option<&str>) -> Result<String> {
    let Some(asked) = asked else {
        return Ok(super::super::git::default_base(root).unwrap_or_else(|| "HEAD".into()));
    };
    if !asked.starts_with('-') && resolves(root, asked) {
        return Ok(asked.to_string());
    }
    let known = git(
        root,
        &[
            "for-each-ref",
            "--format=%(refname:short)",
            "--count=12",
            "refs/heads",
            "refs/remotes",
        ],
    )
    .map(|o| {
        String::from_utf8_lossy(&o)
            .lines()
            .collect::<Vec<_>>()
            .join(", ")
    })
    .unwrap_or_default();
    bail!(
        "branch {asked:?} does not exist in this clone; `git fetch origin {asked}` if it is on the remote, or pass --branch with one of: {}",
        if known.is_empty() {
            "(no branches yet)"
        } else {
            &known
        }
    )
}

/// Record and field separators for `git log --format`: control characters that
/// commit messages do not contain.
const RECORD: char = '\u{1e}';
const FIELD: char = '\u{1f}';

/// The first-parent history of `branch` committed in `[since, until]` (Unix
/// seconds), newest first, each with the paths it changed against its first
/// parent.
pub(super) fn first_parent(
    root: &Path,
    branch: &str,
    since: i64,
    until: i64,
) -> Result<Vec<Commit>> {
    let out = git(
        root,
        &[
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--no-renames",
            "--name-only",
            "-z",
            "--format=%x1e%H%x1f%ct%x1f%an%x1f%s%x1f%b%x1f",
            // git reads `@N` as seconds since 1970, which it cannot go below.
            &format!("--since=@{}", since.max(0)),
            &format!("--until=@{}", until.max(0)),
            branch,
            "--",
        ],
    )
    .with_context(|| format!("reading the history of {branch}"))?;
    let text = String::from_utf8_lossy(&out);
    Ok(text
        .split(RECORD)
        .filter_map(parse_record)
        // git's --since stops near the boundary; the window is checked exactly.
        .filter(|c| (since..=until).contains(&c.committed))
        .collect())
}

/// One `git log` record: `sha␟time␟author␟subject␟body␟` then NUL-separated paths.
fn parse_record(record: &str) -> Option<Commit> {
    let mut fields = record.splitn(5, FIELD);
    let sha = fields.next()?.trim().to_string();
    let committed = fields.next()?.trim().parse().ok()?;
    let author = fields.next()?.to_string();
    let subject = fields.next()?.to_string();
    let (body, paths) = fields.next()?.rsplit_once(FIELD)?;
    let paths = paths
        .split('\0')
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    (sha.len() >= 7).then(|| Commit {
        sha,
        committed,
        author,
        subject,
        body: body.trim().to_string(),
        paths,
    })
}

/// `owner/name` of the `origin` remote, in either URL form
/// (`https://github.com/o/r.git`, `git@github.com:o/r.git`, `ssh://...`).
pub(super) fn origin_repo(root: &Path) -> Option<String> {
    let out = git(root, &["remote", "get-url", "origin"]).ok()?;
    repo_from_url(String::from_utf8_lossy(&out).trim())
}

fn repo_from_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let path = match url.split_once("://") {
        // https://host/o/r, ssh://git@host:22/o/r: the path after the host.
        Some((_, rest)) => rest.split_once('/')?.1,
        // git@host:o/r (scp-like).
        None => url.split_once(':')?.1,
    };
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    let owner = parts.next()?;
    let repo = format!("{owner}/{name}");
    valid_repo(&repo).then_some(repo)
}

/// `owner/name` with the characters GitHub allows.
pub(super) fn valid_repo(repo: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(repo.split_once('/'), Some((o, n)) if ok(o) && ok(n))
}

/// The directory git keeps its own files in (shared by all worktrees).
pub(super) fn git_dir(root: &Path) -> Option<PathBuf> {
    let out = git(
        root,
        &["rev-parse", "--path-format=absolute", "--git-common-dir"],
    )
    .ok()?;
    let s = String::from_utf8_lossy(&out).trim().to_string();
    (!s.is_empty()).then(|| PathBuf::from(s))
}

/// For a remote-tracking `branch` (`origin/main`), how long ago this clone last
/// fetched, in seconds (`None`: a local branch, or never fetched).
pub(super) fn fetched_ago(root: &Path, branch: &str) -> Option<u64> {
    let remote = branch.split_once('/')?.0;
    let remotes = git(root, &["remote"]).ok()?;
    if !String::from_utf8_lossy(&remotes)
        .lines()
        .any(|r| r == remote)
    {
        return None;
    }
    let fetch_head = git_dir(root)?.join("FETCH_HEAD");
    let modified = std::fs::metadata(fetch_head).ok()?.modified().ok()?;
    modified.elapsed().ok().map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(subject: &str, body: &str) -> Commit {
        Commit {
            sha: "a".repeat(40),
            committed: 0,
            author: "x".into(),
            subject: subject.into(),
            body: body.into(),
            paths: vec![],
        }
    }

    #[test]
    fn pr_numbers_and_titles_from_merge_and_squash_subjects() {
        let merge = commit(
            "Merge pull request #4821 from acme/pool",
            "Raise the DB pool\n\n## What this does\nRaises it.",
        );
        assert_eq!(merge.pr_number(), Some(4821));
        assert_eq!(merge.title(), "Raise the DB pool");
        assert_eq!(merge.description(), "## What this does\nRaises it.");
        let squash = commit("Cache sessions in Redis (#77)", "## Why\nSpeed.");
        assert_eq!(squash.pr_number(), Some(77));
        assert_eq!(squash.title(), "Cache sessions in Redis");
        let direct = commit("Fix typo (see #12 in the notes)", "");
        assert_eq!(direct.pr_number(), None);
        assert_eq!(direct.title(), "Fix typo (see #12 in the notes)");
        assert_eq!(commit("Revert (#x)", "").pr_number(), None);
    }

    #[test]
    fn repo_from_either_url_form() {
        for url in [
            "https://github.com/acme/shop.git",
            "https://x-access-token@github.com/acme/shop",
            "git@github.com:acme/shop.git",
            "ssh://git@github.com:22/acme/shop.git",
            "https://ghe.example.com/acme/shop/",
        ] {
            assert_eq!(repo_from_url(url).as_deref(), Some("acme/shop"), "{url}");
        }
        assert_eq!(repo_from_url("/srv/git/shop"), None);
        assert_eq!(repo_from_url("not a url"), None);
    }
}
