//! File contents at a ref: the config files (repo at the base SHA, the org's
//! `.github` repository at its default branch) and changed runbooks at the head SHA.
//!
//! Caching (so a warm PR event costs no config request):
//! - at a commit SHA a file never changes, so the answer (text or "missing") is
//!   kept as is;
//! - at a branch (the org's file) the text is kept with its `ETag` and revalidated
//!   with `If-None-Match` (a 304 does not count against the rate limit); "missing"
//!   is kept for [`MISSING_TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use http::{HeaderValue, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::Error;
use super::client::{GitHub, Request, decode};

/// How long "the org has no config file" is believed without asking again.
const MISSING_TTL: Duration = Duration::from_secs(60);
/// Entries kept before the cache is cleared (a crude bound; config files are small).
const MAX_ENTRIES: usize = 4096;

/// Which version of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileAt<'a> {
    /// A commit SHA: the content is immutable and cached for good.
    Commit(&'a str),
    /// The repository's default branch: revalidated with ETags.
    DefaultBranch,
}

#[derive(Debug, Clone)]
enum Cached {
    /// At a commit: the file's text, or `None` when it does not exist there.
    Fixed(Option<String>),
    /// At a branch: the text and its ETag.
    Tagged { etag: String, text: String },
    /// At a branch: missing when last asked.
    MissingSince(Instant),
}

type Key = (u64, String, String, Option<String>);

/// Cached file contents, keyed by installation, repo, path and ref.
#[derive(Debug, Default)]
pub(crate) struct ContentCache {
    entries: Mutex<HashMap<Key, Cached>>,
}

impl ContentCache {
    fn get(&self, key: &Key) -> Option<Cached> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: Key, value: Cached) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, value);
        }
    }

    pub(crate) fn forget_installation(&self, installation_id: u64) {
        if let Ok(mut map) = self.entries.lock() {
            map.retain(|k, _| k.0 != installation_id);
        }
    }
}

#[derive(Deserialize)]
struct RawContent {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    size: u64,
}

impl GitHub {
    /// The text of `path` in `repo` at `at`; `Ok(None)` when it does not exist.
    pub async fn file(
        &self,
        installation_id: u64,
        repo: &str,
        path: &str,
        at: FileAt<'_>,
    ) -> Result<Option<String>, Error> {
        let key: Key = (
            installation_id,
            repo.to_string(),
            path.to_string(),
            match at {
                FileAt::Commit(sha) => Some(sha.to_string()),
                FileAt::DefaultBranch => None,
            },
        );
        let cached = self.contents.get(&key);
        let mut req = Request::get(route(repo, path, at));
        match &cached {
            Some(Cached::Fixed(text)) => return Ok(text.clone()),
            Some(Cached::MissingSince(t)) if t.elapsed() < MISSING_TTL => return Ok(None),
            Some(Cached::Tagged { etag, .. }) => {
                if let Ok(v) = HeaderValue::from_str(etag) {
                    req.headers.insert(http::header::IF_NONE_MATCH, v);
                }
            }
            _ => {}
        }
        let resp = match self.request(installation_id, &req).await {
            Ok(r) => r,
            Err(Error::NotFound { .. }) => {
                self.contents.put(key, missing(at));
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        if resp.status == StatusCode::NOT_MODIFIED
            && let Some(Cached::Tagged { text, .. }) = cached
        {
            return Ok(Some(text));
        }
        let Some(text) = read_file(&req.route, &resp.body, repo, path)? else {
            return Ok(None);
        };
        let etag = resp.headers.get(http::header::ETAG);
        if let Some(entry) = found(at, etag.and_then(|v| v.to_str().ok()), &text) {
            self.contents.put(key, entry);
        }
        Ok(Some(text))
    }
}

/// The contents API's route for `path` in `repo` at `at`.
fn route(repo: &str, path: &str, at: FileAt<'_>) -> String {
    let path = encode_path(path);
    match at {
        FileAt::Commit(sha) => format!("/repos/{repo}/contents/{path}?ref={sha}"),
        FileAt::DefaultBranch => format!("/repos/{repo}/contents/{path}"),
    }
}

/// The cache entry for "not found" at `at`.
fn missing(at: FileAt<'_>) -> Cached {
    match at {
        FileAt::Commit(_) => Cached::Fixed(None),
        FileAt::DefaultBranch => Cached::MissingSince(Instant::now()),
    }
}

/// The cache entry for `text` found at `at`: for good at a commit, with its ETag
/// at a branch (none without an ETag: nothing to revalidate with).
fn found(at: FileAt<'_>, etag: Option<&str>, text: &str) -> Option<Cached> {
    match (at, etag) {
        (FileAt::Commit(_), _) => Some(Cached::Fixed(Some(text.to_string()))),
        (FileAt::DefaultBranch, Some(etag)) => Some(Cached::Tagged {
            etag: etag.to_string(),
            text: text.to_string(),
        }),
        (FileAt::DefaultBranch, None) => None,
    }
}

/// The text of a contents response; `None` for a directory or submodule where a
/// file was expected (treated as absent).
fn read_file(route: &str, body: &[u8], repo: &str, path: &str) -> Result<Option<String>, Error> {
    let raw: RawContent = decode(route, body)?;
    if raw.kind != "file" {
        return Ok(None);
    }
    let text = decode_content(&raw).ok_or_else(|| {
        Error::Other(format!(
            "{path} in {repo} could not be read ({} bytes, encoding {:?})",
            raw.size, raw.encoding
        ))
    })?;
    Ok(Some(text))
}

/// Base64 with GitHub's line breaks (and, in some examples, literal `\n`s) removed.
/// Files over 1 MB come back with empty content; those are not read.
fn decode_content(raw: &RawContent) -> Option<String> {
    if raw.encoding.as_deref() != Some("base64") {
        return None;
    }
    let content = raw.content.as_deref()?;
    if content.is_empty() && raw.size > 0 {
        return None;
    }
    let cleaned: String = content
        .replace("\\n", "")
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// What [`encode_path`] escapes: everything but RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) and `/`, which separates the path's segments.
const PATH_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encode a repository path for the URL, keeping `/` so that each
/// segment stays a segment (`docs/run books/a#b.md` → `docs/run%20books/a%23b.md`).
fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_ESCAPED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_but_slashes_kept() {
        assert_eq!(
            encode_path("docs/run books/a#b.md"),
            "docs/run%20books/a%23b.md"
        );
        assert_eq!(encode_path("a-b_c.d~e/f%g?h"), "a-b_c.d~e/f%25g%3Fh");
        assert_eq!(encode_path("é.md"), "%C3%A9.md");
    }

    #[test]
    fn base64_with_line_breaks_decodes() {
        let raw = RawContent {
            kind: "file".into(),
            encoding: Some("base64".into()),
            content: Some("aGVs\nbG8=\n".into()),
            size: 5,
        };
        assert_eq!(decode_content(&raw).as_deref(), Some("hello"));
    }
}
