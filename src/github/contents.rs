//! File contents at a ref: the config files (repo at the base SHA, the org's
//! `.github` repository at its default branch) and changed runbooks at the head SHA.
//!
//! [`GitHub::fetch`] says why a file that exists has no text ([`Unreadable`]: over
//! the API's 1 MB limit, not a file, forbidden), so a changed runbook GitHub will
//! not serve can get a finding that says so; [`GitHub::file`] is the plain
//! "text or absent" view the configuration loader and the PR template use.
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
use super::client::{GitHub, Request};

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

/// What the contents API gave for a path at a ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The file's text (invalid UTF-8 replaced).
    Text(String),
    /// Nothing at that path (404).
    Missing,
    /// Something is there, but GitHub serves no text for it.
    Unreadable(Unreadable),
}

/// Why GitHub serves no text for a path that exists. Not an [`Error`]: asking
/// again gives the same answer, so it is an outcome to report, not to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unreadable {
    /// Over the contents API's 1 MB limit: GitHub answers `403` with
    /// `errors[].code: "too_large"` ("This API returns blobs up to 1 MB in size"),
    /// or, with the `object` media type, the file's metadata with
    /// `encoding: "none"` and empty `content`. `size` in bytes, when GitHub said.
    TooLarge { size: Option<u64> },
    /// A directory, a submodule, or a symlink that does not lead to a file in the
    /// repository (`kind` is GitHub's `type`, or `dir` for a listing).
    NotAFile { kind: String },
    /// `403` for another reason: the App may not read it (GitHub's message).
    Forbidden { message: String },
    /// Any other answer without usable text (an unknown encoding, broken base64,
    /// not a contents object; for callers, another 4xx): what went wrong.
    Failed { detail: String },
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::TooLarge { size: Some(size) } => write!(
                f,
                "it is {}, over the contents API's 1 MB limit",
                human_size(*size)
            ),
            Unreadable::TooLarge { size: None } => {
                f.write_str("it is over the contents API's 1 MB limit")
            }
            Unreadable::NotAFile { kind } => write!(f, "it is a {kind}, not a file"),
            Unreadable::Forbidden { message } => write!(f, "GitHub forbids reading it: {message}"),
            Unreadable::Failed { detail } => f.write_str(detail),
        }
    }
}

/// `1258291` → `1258291 bytes (1.2 MB)`.
fn human_size(bytes: u64) -> String {
    #[allow(clippy::cast_precision_loss)] // a file size, shown to one decimal
    let mb = bytes as f64 / (1024.0 * 1024.0);
    format!("{bytes} bytes ({mb:.1} MB)")
}

/// Whether a `403` message is the contents API's size limit rather than a
/// permission problem. GitHub's text: "This API returns blobs up to 1 MB in size.
/// The requested blob is too large to fetch via the API, …" (the `too_large` code
/// is in `errors`, which the status mapping does not keep).
fn is_too_large(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("too large") || m.contains("too_large")
}

/// The answer of one contents response, before caching.
enum Body {
    Text(String),
    Unreadable(Unreadable),
}

impl GitHub {
    /// The text of `path` in `repo` at `at`; `Ok(None)` when it does not exist.
    ///
    /// A directory, submodule or symlink out of the repository where a file was
    /// expected counts as absent; a file GitHub will not serve (too large,
    /// undecodable) is an [`Error::Other`], a forbidden one [`Error::Forbidden`].
    pub async fn file(
        &self,
        installation_id: u64,
        repo: &str,
        path: &str,
        at: FileAt<'_>,
    ) -> Result<Option<String>, Error> {
        match self.fetch(installation_id, repo, path, at).await? {
            Fetched::Text(text) => Ok(Some(text)),
            Fetched::Missing => Ok(None),
            Fetched::Unreadable(Unreadable::NotAFile { kind }) if kind != "dir" => Ok(None),
            Fetched::Unreadable(Unreadable::Forbidden { message }) => Err(Error::Forbidden {
                route: route(repo, path, at),
                message,
            }),
            Fetched::Unreadable(why) => Err(Error::Other(format!(
                "{path} in {repo} could not be read: {why}"
            ))),
        }
    }

    /// What the contents API gives for `path` in `repo` at `at`: its text, nothing,
    /// or why it cannot be read. `Err` only for failures worth retrying or that are
    /// not about this file (rate limits, 5xx, refused credentials).
    pub async fn fetch(
        &self,
        installation_id: u64,
        repo: &str,
        path: &str,
        at: FileAt<'_>,
    ) -> Result<Fetched, Error> {
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
            Some(Cached::Fixed(Some(text))) => return Ok(Fetched::Text(text.clone())),
            Some(Cached::Fixed(None)) => return Ok(Fetched::Missing),
            Some(Cached::MissingSince(t)) if t.elapsed() < MISSING_TTL => {
                return Ok(Fetched::Missing);
            }
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
                return Ok(Fetched::Missing);
            }
            // Not cached: a permission can be granted, and a retry costs one call.
            Err(Error::Forbidden { message, .. }) => {
                return Ok(Fetched::Unreadable(if is_too_large(&message) {
                    Unreadable::TooLarge { size: None }
                } else {
                    Unreadable::Forbidden { message }
                }));
            }
            Err(e) => return Err(e),
        };
        if resp.status == StatusCode::NOT_MODIFIED
            && let Some(Cached::Tagged { text, .. }) = cached
        {
            return Ok(Fetched::Text(text));
        }
        let text = match read_file(&resp.body) {
            Body::Text(text) => text,
            Body::Unreadable(why) => return Ok(Fetched::Unreadable(why)),
        };
        let etag = resp.headers.get(http::header::ETAG);
        if let Some(entry) = found(at, etag.and_then(|v| v.to_str().ok()), &text) {
            self.contents.put(key, entry);
        }
        Ok(Fetched::Text(text))
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

/// The text of a contents response, or why it has none: a directory (a JSON
/// array), a submodule or an out-of-repository symlink (`type` other than
/// `file`), a file over 1 MB (`encoding: "none"`, empty `content`), or content we
/// cannot decode.
fn read_file(body: &[u8]) -> Body {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Body::Unreadable(Unreadable::Failed {
                detail: format!("GitHub's answer is not JSON: {e}"),
            });
        }
    };
    if value.is_array() {
        return Body::Unreadable(Unreadable::NotAFile { kind: "dir".into() });
    }
    let raw: RawContent = match serde_json::from_value(value) {
        Ok(raw) => raw,
        Err(e) => {
            return Body::Unreadable(Unreadable::Failed {
                detail: format!("unexpected contents answer: {e}"),
            });
        }
    };
    if raw.kind != "file" {
        let kind = if raw.kind.is_empty() {
            "entry GitHub gives no type for".to_string()
        } else {
            raw.kind
        };
        return Body::Unreadable(Unreadable::NotAFile { kind });
    }
    let content = raw.content.as_deref().unwrap_or("");
    if raw.encoding.as_deref() == Some("none") || (content.is_empty() && raw.size > 0) {
        return Body::Unreadable(Unreadable::TooLarge {
            size: Some(raw.size),
        });
    }
    match decode_content(&raw) {
        Some(text) => Body::Text(text),
        None => Body::Unreadable(Unreadable::Failed {
            detail: format!(
                "its content could not be decoded ({} bytes, encoding {:?})",
                raw.size, raw.encoding
            ),
        }),
    }
}

/// Base64 with GitHub's line breaks (and, in some examples, literal `\n`s) removed.
fn decode_content(raw: &RawContent) -> Option<String> {
    if raw.encoding.as_deref() != Some("base64") {
        return None;
    }
    let content = raw.content.as_deref()?;
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
