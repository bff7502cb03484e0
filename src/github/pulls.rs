//! A pull request as lint-pr sees it, and its changed files (every page).

use serde::Deserialize;

use super::Error;
use super::client::{GitHub, Request, decode};

/// The fields of a PR that the job reads (policy-bot's `pull.Context` idea): our
/// own type, so nothing outside `github` sees octocrab's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequest {
    pub number: u64,
    pub title: String,
    /// `None` when the description is empty (GitHub sends `null`, not `""`).
    pub body: Option<String>,
    /// 40 hex characters.
    pub head_sha: String,
    pub base_ref: String,
    /// The base commit GitHub compares against; config is read here, so a PR cannot
    /// weaken the rules it is checked against.
    pub base_sha: String,
    pub author: Option<String>,
    pub draft: bool,
    /// `open` or `closed`.
    pub state: String,
    pub labels: Vec<String>,
}

#[derive(Deserialize)]
struct RawPull {
    number: u64,
    #[serde(default)]
    title: String,
    body: Option<String>,
    head: RawRef,
    base: RawRef,
    user: Option<RawUser>,
    #[serde(default)]
    draft: Option<bool>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    labels: Vec<RawLabel>,
}

#[derive(Deserialize)]
struct RawRef {
    sha: String,
    #[serde(rename = "ref", default)]
    name: String,
}

#[derive(Deserialize)]
struct RawUser {
    login: String,
}

#[derive(Deserialize)]
struct RawLabel {
    name: String,
}

/// A `pulls/get` response body as our [`PullRequest`] (the App's installation
/// client and the CLI's token client read the same shape).
pub(super) fn parse_pull(route: &str, body: &[u8]) -> Result<PullRequest, Error> {
    let raw: RawPull = decode(route, body)?;
    Ok(PullRequest {
        number: raw.number,
        title: raw.title,
        body: raw.body,
        head_sha: raw.head.sha,
        base_ref: raw.base.name,
        base_sha: raw.base.sha,
        author: raw.user.map(|u| u.login),
        draft: raw.draft.unwrap_or(false),
        state: raw.state,
        labels: raw.labels.into_iter().map(|l| l.name).collect(),
    })
}

/// One changed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    pub path: String,
    /// `added`, `removed`, `modified`, `renamed`, ...
    pub status: String,
}

/// The PR's changed files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangedFiles {
    pub files: Vec<ChangedFile>,
    /// GitHub lists at most 3,000 files; more were changed than we could see.
    pub truncated: bool,
}

#[derive(Deserialize)]
struct RawFile {
    filename: String,
    #[serde(default)]
    status: String,
}

/// GitHub's cap on `pulls/list-files`: "Responses include a maximum of 3000 files"
/// (<https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files>).
const MAX_FILES: usize = 3000;

impl GitHub {
    /// The PR as it is now (a webhook payload may be stale).
    pub async fn pull_request(
        &self,
        installation_id: u64,
        repo: &str,
        number: u64,
    ) -> Result<PullRequest, Error> {
        let route = format!("/repos/{repo}/pulls/{number}");
        let resp = self
            .request(installation_id, &Request::get(route.clone()))
            .await?;
        parse_pull(&route, &resp.body)
    }

    /// Every changed file, 100 per page, following `Link: rel="next"`.
    pub async fn changed_files(
        &self,
        installation_id: u64,
        repo: &str,
        number: u64,
    ) -> Result<ChangedFiles, Error> {
        let mut out = ChangedFiles::default();
        let mut route = format!("/repos/{repo}/pulls/{number}/files?per_page=100");
        // Bounded: 3,000 files at 100 per page is 30 pages.
        for _ in 0..40 {
            let resp = self
                .request(installation_id, &Request::get(route.clone()))
                .await?;
            let page: Vec<RawFile> = decode(&route, &resp.body)?;
            out.files.extend(page.into_iter().map(|f| ChangedFile {
                path: f.filename,
                status: f.status,
            }));
            let next = self.next_page(&resp);
            match next {
                Some(next) => route = next,
                None => break,
            }
        }
        out.truncated = out.files.len() >= MAX_FILES;
        Ok(out)
    }

    /// Open PRs whose head is `sha` (for check suites of forks, which list none).
    pub async fn pulls_for_commit(
        &self,
        installation_id: u64,
        repo: &str,
        sha: &str,
    ) -> Result<Vec<u64>, Error> {
        #[derive(Deserialize)]
        struct Item {
            number: u64,
            #[serde(default)]
            state: String,
        }
        let route = format!("/repos/{repo}/commits/{sha}/pulls");
        let resp = self
            .request(installation_id, &Request::get(route.clone()))
            .await?;
        let items: Vec<Item> = decode(&route, &resp.body)?;
        Ok(items
            .into_iter()
            .filter(|i| i.state == "open")
            .map(|i| i.number)
            .collect())
    }
}

/// The `rel="next"` target of a `Link` header as a route relative to the API root.
/// octocrab drops installation auth on absolute URLs to hosts other than
/// api.github.com, so we never follow them as given. `base_path` is the API root's
/// path (`/api/v3` on GHES, empty on github.com); it is cut off because the client
/// joins routes to the API root again.
///
/// Parsed here because nothing in the dependency tree exposes it: octocrab reads
/// `Link` only inside `Page::from_response`, which also decodes the body through
/// its own error type (ours go through [`decode`]), prints unknown `rel`s to
/// stderr, and hands back the absolute URL we must not follow. GitHub's header is
/// simple (`<url>; rel="next", <url>; rel="last"`), so a split suffices.
pub(super) fn next_link(header: &str, base_path: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        if !params.split(';').any(|p| p.trim() == "rel=\"next\"") {
            return None;
        }
        let url = url.trim().trim_start_matches('<').trim_end_matches('>');
        let uri: http::Uri = url.parse().ok()?;
        let pq = uri.path_and_query()?.as_str();
        let base = base_path.trim_matches('/');
        let rest = if base.is_empty() {
            pq
        } else {
            pq.strip_prefix(&format!("/{base}")).unwrap_or(pq)
        };
        Some(rest.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn next_link_is_made_relative() {
        let h = r#"<https://api.github.com/repositories/1/pulls/2/files?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/pulls/2/files?per_page=100&page=3>; rel="last""#;
        assert_eq!(
            next_link(h, "").as_deref(),
            Some("/repositories/1/pulls/2/files?per_page=100&page=2")
        );
        assert_eq!(next_link(r#"<https://x/y?page=1>; rel="prev""#, ""), None);
        let ghes =
            r#"<https://ghe.example/api/v3/repositories/1/pulls/2/files?page=2>; rel="next""#;
        assert_eq!(
            next_link(ghes, "/api/v3/").as_deref(),
            Some("/repositories/1/pulls/2/files?page=2")
        );
    }
}
