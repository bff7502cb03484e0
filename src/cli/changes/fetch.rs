//! PR descriptions from GitHub (`pulls/get` through [`TokenClient`], at most
//! [`MAX_IN_FLIGHT`] at a time), cached on disk by merge SHA so the second run at
//! 3:05 asks GitHub nothing.
//!
//! The cache is `<git dir>/lint-pr/pulls/<sha>.json`, one file per merge commit,
//! written whole then renamed into place (two runs at once cannot tear one). A
//! merge commit never changes, so entries are kept; delete the folder to read
//! descriptions edited after the merge. Only answers are cached, never errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::github::retry::Policy;
use crate::github::{Error, TokenClient};

/// Requests in flight at once: enough that 500 PRs at 40 ms each take well under
/// a second, and far below GitHub's limit of 100 concurrent requests.
const MAX_IN_FLIGHT: usize = 32;

/// Retries for a person waiting at a terminal: a few quick ones, and no
/// minute-long rate-limit sleeps (the commit message is the fallback).
fn policy() -> Policy {
    Policy {
        max_attempts: 3,
        base_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(2),
        max_rate_limit_wait: Duration::from_secs(5),
        secondary_limit_wait: Duration::from_secs(60),
    }
}

/// Connect and read timeout of one request.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A PR as GitHub describes it: what the cache keeps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Described {
    pub(super) repo: String,
    pub(super) number: u64,
    pub(super) title: String,
    pub(super) body: Option<String>,
    /// The PR author's GitHub login.
    pub(super) author: Option<String>,
}

/// Where and how to ask.
pub(super) struct Plan<'a> {
    /// `owner/name`.
    pub(super) repo: &'a str,
    pub(super) api_url: &'a str,
    /// `GITHUB_TOKEN`; `None` when unset or empty.
    pub(super) token: Option<SecretString>,
    /// `None`: no cache (not writable, or not found).
    pub(super) cache_dir: Option<PathBuf>,
}

/// Per merge SHA: the description GitHub gave, or why this PR has none from
/// GitHub (said on its entry). SHAs absent from the map were not asked (no
/// token, or GitHub refused us for all of them: see the warnings).
#[derive(Debug, Default)]
pub(super) struct Fetched {
    pub(super) found: HashMap<String, Described>,
    pub(super) failed: HashMap<String, String>,
    /// Why descriptions did not come from GitHub, once each.
    pub(super) warnings: Vec<String>,
    /// A short reason for entries that were not asked ("GITHUB_TOKEN is not set").
    pub(super) not_asked: Option<String>,
}

/// Descriptions for `wanted` (`(merge sha, PR number)`): from the cache, then
/// from GitHub for the rest.
pub(super) fn descriptions(plan: &Plan<'_>, wanted: &[(String, u64)]) -> Fetched {
    let mut out = Fetched::default();
    let mut misses = Vec::new();
    for (sha, number) in wanted {
        match plan.cache_dir.as_deref().and_then(|d| read_cached(d, sha)) {
            Some(d) if d.repo == plan.repo && d.number == *number => {
                out.found.insert(sha.clone(), d);
            }
            _ => misses.push((sha.clone(), *number)),
        }
    }
    if misses.is_empty() {
        return out;
    }
    let Some(token) = plan.token.clone() else {
        out.not_asked = Some("GITHUB_TOKEN is not set".into());
        out.warnings.push(format!(
            "GITHUB_TOKEN is not set: {} descriptions come from commit messages (squash merges carry the description, merge commits only the title); set GITHUB_TOKEN to read them from GitHub",
            misses.len()
        ));
        return out;
    };
    let answers = match ask(plan, token, &misses) {
        Ok(answers) => answers,
        Err(why) => {
            out.not_asked = Some("GitHub could not be asked".into());
            out.warnings
                .push(format!("{why}; descriptions come from commit messages"));
            return out;
        }
    };
    sort_answers(plan, &misses, answers, &mut out);
    out
}

/// Each PR's answer, in `misses` order; `None` for those not asked.
type Answers = Vec<Option<Result<Described, Error>>>;

/// Ask GitHub for every PR in `misses`, [`MAX_IN_FLIGHT`] at a time. After an
/// answer that would repeat for every PR (a refused token, no access, a rate
/// limit, GitHub unreachable), the PRs not yet asked are skipped.
fn ask(plan: &Plan<'_>, token: SecretString, misses: &[(String, u64)]) -> Result<Answers, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    // octocrab spawns its service's buffer task when built: inside the runtime.
    let client = {
        let _inside = runtime.enter();
        TokenClient::new(plan.api_url, token, policy(), TIMEOUT)
            .map_err(|e| format!("cannot use GitHub at {}: {e}", plan.api_url))?
    };
    let client = Arc::new(client);
    let stop = Arc::new(AtomicBool::new(false));
    let permits = Arc::new(tokio::sync::Semaphore::new(MAX_IN_FLIGHT));
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, (_, number)) in misses.iter().enumerate() {
            let (client, stop, permits) = (client.clone(), stop.clone(), permits.clone());
            let (repo, number) = (plan.repo.to_string(), *number);
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await.ok()?;
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                let answer = client.pull_request(&repo, number).await;
                if answer.as_ref().is_err_and(stops_all) {
                    stop.store(true, Ordering::Relaxed);
                }
                Some((i, answer))
            });
        }
        let mut answers: Answers = misses.iter().map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            if let Ok(Some((i, answer))) = joined
                && let Some(slot) = answers.get_mut(i)
            {
                *slot = Some(answer.map(|pr| Described {
                    repo: plan.repo.to_string(),
                    number: pr.number,
                    title: pr.title,
                    body: pr.body,
                    author: pr.author,
                }));
            }
        }
        Ok(answers)
    })
}

/// Whether this answer would be the same for every other PR.
fn stops_all(e: &Error) -> bool {
    match e {
        Error::Unauthorized { .. }
        | Error::Forbidden { .. }
        | Error::RateLimited { .. }
        | Error::Transient { .. } => true,
        Error::NotFound { .. } | Error::Rejected { .. } | Error::Other(_) => false,
    }
}

/// File answers into `out`: descriptions (cached), per-PR failures, and one
/// warning per kind of trouble.
fn sort_answers(plan: &Plan<'_>, misses: &[(String, u64)], answers: Answers, out: &mut Fetched) {
    let mut not_found = Vec::new();
    let mut stopped: Option<Error> = None;
    let mut cache = Cache::new(plan.cache_dir.as_deref());
    for ((sha, number), answer) in misses.iter().zip(answers) {
        match answer {
            Some(Ok(d)) => {
                cache.write(sha, &d);
                out.found.insert(sha.clone(), d);
            }
            Some(Err(Error::NotFound { .. })) => {
                not_found.push(*number);
                out.failed
                    .insert(sha.clone(), "GitHub: PR not found (404)".into());
            }
            Some(Err(e)) if stops_all(&e) => {
                stopped.get_or_insert(e);
            }
            Some(Err(e)) => {
                out.warnings.push(format!(
                    "cannot read PR #{number} (merge {sha}) of {repo} from GitHub at {api} ({e}); its description comes from the commit message",
                    repo = plan.repo,
                    api = plan.api_url,
                ));
                out.failed
                    .insert(sha.clone(), "GitHub's answer was unreadable".into());
            }
            None => {}
        }
    }
    if !not_found.is_empty() {
        out.warnings
            .push(not_found_warning(plan.repo, &not_found, misses.len()));
    }
    if let Some(e) = stopped {
        let (why, short) = stopped_warning(plan, &e);
        // How far the damage goes: these PRs have no description from GitHub.
        let without = misses
            .iter()
            .filter(|(sha, _)| !out.found.contains_key(sha))
            .count();
        let why = format!("{why} ({without} of {} PRs)", misses.len());
        out.warnings.push(why);
        out.not_asked = Some(short);
    }
    out.warnings.extend(cache.warning);
}

fn not_found_warning(repo: &str, numbers: &[u64], asked: usize) -> String {
    let mut list: Vec<String> = numbers.iter().take(10).map(|n| format!("#{n}")).collect();
    if numbers.len() > 10 {
        list.push(format!("and {} more", numbers.len() - 10));
    }
    let which = if numbers.len() == asked && asked > 1 {
        format!("none of the {asked} PRs ({})", list.join(", "))
    } else {
        format!("PR {}", list.join(", "))
    };
    format!(
        "GitHub found {which} in {repo} (404): those descriptions come from commit messages; check --repo, and that GITHUB_TOKEN can read {repo}"
    )
}

/// The warning, and the short reason shown on each entry, for an answer that
/// stopped all further calls. Never the token itself.
fn stopped_warning(plan: &Plan<'_>, e: &Error) -> (String, String) {
    let repo = plan.repo;
    match e {
        Error::Unauthorized { route } => (
            format!(
                "GitHub refused GITHUB_TOKEN (401 on GET {route} at {}): it is wrong, expired or revoked, or belongs to another GitHub host; descriptions come from commit messages",
                plan.api_url
            ),
            "GitHub refused GITHUB_TOKEN".into(),
        ),
        Error::Forbidden { route, message } => (
            format!(
                "GitHub forbids reading {repo}'s pull requests with GITHUB_TOKEN (403: {message}) on GET {route} at {}: give the token read access to pull requests in {repo}; descriptions come from commit messages",
                plan.api_url
            ),
            "GITHUB_TOKEN may not read pull requests".into(),
        ),
        Error::RateLimited { route, retry_after } => (
            format!(
                "GitHub's rate limit for GITHUB_TOKEN is used up (GET {route} at {}; retry in {}s): the remaining descriptions come from commit messages",
                plan.api_url,
                retry_after.as_secs()
            ),
            "GitHub rate limit".into(),
        ),
        other => (
            format!(
                "cannot reach GitHub at {} ({other}): descriptions come from commit messages",
                plan.api_url
            ),
            "GitHub unreachable".into(),
        ),
    }
}

fn read_cached(dir: &Path, sha: &str) -> Option<Described> {
    let text = std::fs::read(dir.join(format!("{sha}.json"))).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Writes to the cache; the first failure becomes one warning.
struct Cache<'a> {
    dir: Option<&'a Path>,
    ready: bool,
    warning: Option<String>,
}

impl<'a> Cache<'a> {
    fn new(dir: Option<&'a Path>) -> Self {
        Cache {
            dir,
            ready: false,
            warning: None,
        }
    }

    fn write(&mut self, sha: &str, d: &Described) {
        let Some(dir) = self.dir.filter(|_| self.warning.is_none()) else {
            return;
        };
        if let Err(e) = self.try_write(dir, sha, d) {
            self.warning = Some(format!(
                "cannot cache descriptions in {} ({e}): the next run asks GitHub again",
                dir.display()
            ));
        }
    }

    fn try_write(&mut self, dir: &Path, sha: &str, d: &Described) -> std::io::Result<()> {
        if !self.ready {
            std::fs::create_dir_all(dir)?;
            self.ready = true;
        }
        let json = serde_json::to_vec(d).map_err(std::io::Error::other)?;
        let tmp = dir.join(format!("{sha}.json.{}.tmp", std::process::id()));
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, dir.join(format!("{sha}.json")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_names_the_prs() {
        let w = not_found_warning("acme/shop", &[12], 3);
        assert!(
            w.starts_with("GitHub found PR #12 in acme/shop (404)"),
            "{w}"
        );
        let all: Vec<u64> = (1..=12).collect();
        let w = not_found_warning("acme/shop", &all, 12);
        assert!(w.contains("none of the 12 PRs (#1, #2"), "{w}");
        assert!(w.contains("and 2 more"), "{w}");
    }
}
