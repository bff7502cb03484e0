//! The App client, per-installation clients with cached tokens, and [`GitHub::request`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use metrics::counter;
use octocrab::Octocrab;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::Error;
use super::contents::ContentCache;
use super::retry::{self, Policy};

/// A token is dropped this long before GitHub says it expires, so a request never
/// starts with a token that dies in flight (octocrab itself keeps only 30 s).
const TOKEN_EXPIRY_BUFFER: Duration = Duration::from_secs(5 * 60);
/// At most this many installation clients are kept; beyond, the cache is cleared.
const MAX_INSTALLATIONS: usize = 10_000;

/// What the client needs to know.
#[derive(Clone)]
pub struct Settings {
    /// `https://api.github.com`, a GHES `https://host/api/v3`, or a test server.
    pub api_url: String,
    pub app_id: u64,
    /// The App's private key (PEM).
    pub private_key: SecretString,
    pub retry: Policy,
    /// Connect and read timeout of one request.
    pub timeout: Duration,
}

/// One installation's client and when its token must be replaced.
struct Installation {
    /// Built with `.personal_token(token)`: see the module docs of `github`.
    crab: Octocrab,
    /// [`TOKEN_EXPIRY_BUFFER`] before the token's `expires_at`.
    refresh_at: Instant,
}

/// A GitHub response that passed status mapping.
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A request: method, route relative to the API root (`/repos/o/r/...?q=1`),
/// optional JSON body and extra headers.
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) route: String,
    pub(crate) body: Option<&'a serde_json::Value>,
    pub(crate) headers: HeaderMap,
}

impl Request<'_> {
    pub(crate) fn get(route: String) -> Request<'static> {
        Request {
            method: Method::GET,
            route,
            body: None,
            headers: HeaderMap::new(),
        }
    }
}

/// The GitHub App: cheap to share behind an `Arc`.
pub struct GitHub {
    settings: Settings,
    /// The App (JWT) client: mints installation tokens and calls the `/app/...`
    /// endpoints ([`GitHub::app_request`]).
    app: Octocrab,
    installations: Mutex<HashMap<u64, Arc<Installation>>>,
    pub(crate) contents: ContentCache,
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub")
            .field("api_url", &self.settings.api_url)
            .field("app_id", &self.settings.app_id)
            .finish()
    }
}

impl GitHub {
    /// Build the App client. Fails on an unusable private key or URL.
    pub fn new(settings: Settings) -> Result<GitHub, Error> {
        let key = octocrab::jsonwebtoken::EncodingKey::from_rsa_pem(
            settings.private_key.expose_secret().as_bytes(),
        )
        .map_err(|e| Error::Other(format!("the App private key is not a usable RSA PEM: {e}")))?;
        let app = base_builder(&settings)?
            .app(octocrab::models::AppId(settings.app_id), key)
            .build()
            .map_err(|e| Error::Other(format!("building the GitHub client: {e}")))?;
        Ok(GitHub {
            settings,
            app,
            installations: Mutex::new(HashMap::new()),
            contents: ContentCache::default(),
        })
    }

    /// The path of the API root (`/api/v3` on GHES, `/` on github.com).
    pub(crate) fn api_path(&self) -> &str {
        self.settings
            .api_url
            .splitn(4, '/')
            .nth(3)
            .map_or("", |p| p)
    }

    /// The route of the page after `resp`, from its `Link` header, if there is one.
    pub(crate) fn next_page(&self, resp: &Response) -> Option<String> {
        resp.headers
            .get(http::header::LINK)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| super::pulls::next_link(h, self.api_path()))
    }

    /// Forget an installation's token and cached files (it was deleted, suspended
    /// or its repositories changed).
    pub fn forget_installation(&self, installation_id: u64) {
        if let Ok(mut map) = self.installations.lock() {
            map.remove(&installation_id);
        }
        self.contents.forget_installation(installation_id);
    }

    /// The client of an installation, minting a token when none is cached or it
    /// is about to expire.
    async fn installation(&self, installation_id: u64) -> Result<Arc<Installation>, Error> {
        if let Some(inst) = self
            .installations
            .lock()
            .ok()
            .and_then(|m| m.get(&installation_id).cloned())
            && inst.refresh_at > Instant::now()
        {
            return Ok(inst);
        }
        // Two jobs may mint at the same time; both tokens are valid, the last one stays.
        let inst = Arc::new(self.mint(installation_id).await?);
        if let Ok(mut map) = self.installations.lock() {
            if map.len() >= MAX_INSTALLATIONS {
                map.clear();
            }
            map.insert(installation_id, inst.clone());
        }
        Ok(inst)
    }

    /// Mint an installation token (App JWT) and build the installation's client.
    async fn mint(&self, installation_id: u64) -> Result<Installation, Error> {
        #[derive(Deserialize)]
        struct Token {
            token: String,
            expires_at: Option<String>,
        }
        let route = format!("/app/installations/{installation_id}/access_tokens");
        // No retry loop of its own: minting happens inside an attempt of
        // `request`, whose `retry::run` retries it (one layer: two would multiply
        // the attempts).
        let sent = self.app._post(route.as_str(), None::<&()>).await;
        let resp = finish(&self.settings.retry, &route, sent).await?;
        let token: Token = decode(&route, &resp.body)?;
        let lifetime = token
            .expires_at
            .as_deref()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .and_then(|t| {
                (t.with_timezone(&chrono::Utc) - chrono::Utc::now())
                    .to_std()
                    .ok()
            })
            // No (or an unreadable) expiry: GitHub's tokens live one hour.
            .unwrap_or(Duration::from_secs(3600));
        let refresh_at = Instant::now() + lifetime.saturating_sub(TOKEN_EXPIRY_BUFFER);
        let crab = base_builder(&self.settings)?
            .personal_token(SecretString::from(token.token))
            .build()
            .map_err(|e| Error::Other(format!("building the installation client: {e}")))?;
        tracing::debug!(installation_id, "minted an installation token");
        Ok(Installation { crab, refresh_at })
    }

    /// Send one request for an installation, with retries ([`retry::run`], the
    /// only retry layer). 2xx and 304
    /// come back as `Ok`; everything else becomes an [`Error`]. A 401 drops the
    /// cached token, so the retry mints a new one.
    pub(crate) async fn request(
        &self,
        installation_id: u64,
        req: &Request<'_>,
    ) -> Result<Response, Error> {
        let what = format!("{} {}", req.method, req.route);
        retry::run(&self.settings.retry, &what, |_| {
            self.request_once(installation_id, req)
        })
        .await
    }

    /// One attempt of [`GitHub::request`], for a caller that runs its own
    /// `retry::run` because a retry must do something else first (a check run
    /// that may already exist is looked up, not created twice).
    pub(crate) async fn request_once(
        &self,
        installation_id: u64,
        req: &Request<'_>,
    ) -> Result<Response, Error> {
        let inst = self.installation(installation_id).await?;
        let result = send(&inst.crab, &self.settings.retry, req).await;
        if matches!(result, Err(Error::Unauthorized { .. }))
            && let Ok(mut map) = self.installations.lock()
        {
            map.remove(&installation_id);
        }
        result
    }

    /// Send one request as the App itself (a JWT signed with the private key, not
    /// an installation token), with retries: the `/app/...` endpoints, such as the
    /// App's webhook deliveries, accept nothing else. octocrab signs a fresh JWT
    /// for each attempt.
    pub(crate) async fn app_request(&self, req: &Request<'_>) -> Result<Response, Error> {
        let what = format!("{} {} (as the App)", req.method, req.route);
        retry::run(&self.settings.retry, &what, |_| {
            send(&self.app, &self.settings.retry, req)
        })
        .await
    }

    /// The retry policy, for callers of [`GitHub::request_once`].
    pub(crate) fn retry_policy(&self) -> &Policy {
        &self.settings.retry
    }

    /// The App's id (`--app-id`): GitHub's filter for the App's own check runs.
    pub(crate) fn app_id(&self) -> u64 {
        self.settings.app_id
    }
}

/// Send `req` with `crab`'s credentials, once, and map the answer ([`finish`]).
/// `req.route` is relative to the API root: octocrab drops the App's and the
/// installation's `Authorization` on absolute URLs to other hosts (see the
/// module docs).
async fn send(crab: &Octocrab, policy: &Policy, req: &Request<'_>) -> Result<Response, Error> {
    let mut builder = http::Request::builder()
        .method(req.method.clone())
        .uri(req.route.as_str());
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let built = crab
        .build_request(builder, req.body)
        .map_err(|e| Error::Other(format!("{}: {e}", req.route)))?;
    let sent = crab.execute(built).await;
    finish(policy, &req.route, sent).await
}

pub(super) type Builder = octocrab::OctocrabBuilder<
    octocrab::NoSvc,
    octocrab::DefaultOctocrabBuilderConfig,
    octocrab::NoAuth,
    octocrab::NotLayerReady,
>;

fn base_builder(settings: &Settings) -> Result<Builder, Error> {
    builder_for(&settings.api_url, settings.timeout)
}

/// An unauthenticated builder for `api_url` with connect and read timeouts: the
/// App's clients and the CLI's token client ([`super::TokenClient`]) start here.
pub(super) fn builder_for(api_url: &str, timeout: Duration) -> Result<Builder, Error> {
    octocrab::Octocrab::builder()
        .base_uri(api_url)
        .map_err(|e| Error::Other(format!("--github-api-url {api_url:?} is not a URL: {e}")))
        .map(|b| {
            b.set_connect_timeout(Some(timeout))
                .set_read_timeout(Some(timeout))
        })
}

pub(super) type Sent = Result<
    http::Response<http_body_util::combinators::BoxBody<Bytes, octocrab::Error>>,
    octocrab::Error,
>;

/// Read the body and sort the status into `Ok` or an [`Error`].
pub(super) async fn finish(policy: &Policy, route: &str, sent: Sent) -> Result<Response, Error> {
    let resp = sent.map_err(|e| Error::Transient {
        route: route.to_string(),
        detail: transport_detail(&e),
    })?;
    let (parts, body) = resp.into_parts();
    let body = http_body_util::BodyExt::collect(body)
        .await
        .map_err(|e| Error::Transient {
            route: route.to_string(),
            detail: transport_detail(&e),
        })?
        .to_bytes();
    let status = parts.status;
    counter!("lint_pr_github_requests_total", "status" => status.as_u16().to_string()).increment(1);
    if let Some(remaining) = parts
        .headers
        .get("x-ratelimit-remaining")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<f64>().ok())
    {
        metrics::gauge!("lint_pr_github_rate_limit_remaining").set(remaining);
    }
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        return Ok(Response {
            status,
            headers: parts.headers,
            body,
        });
    }
    let text = String::from_utf8_lossy(&body);
    let message = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| {
            v.get("message")
                .and_then(|m| m.as_str())
                .map(str::to_string)
        })
        .unwrap_or_else(|| text.chars().take(200).collect());
    let route = route.to_string();
    if let Some(retry_after) = retry::rate_limit_wait(policy, status, &parts.headers, &message) {
        return Err(Error::RateLimited { route, retry_after });
    }
    Err(match status.as_u16() {
        401 => Error::Unauthorized { route },
        403 => Error::Forbidden { route, message },
        404 => Error::NotFound { route },
        s if s >= 500 => Error::Transient {
            route,
            detail: format!("{status}: {message}"),
        },
        s => Error::Rejected {
            route,
            status: s,
            message,
        },
    })
}

/// An octocrab transport error as one line. octocrab's errors carry no credentials
/// (tokens live in headers, which its errors do not print).
fn transport_detail(e: &octocrab::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// Decode a JSON body into our own lenient struct.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(route: &str, body: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de)
        .map_err(|e| Error::Other(format!("unexpected response from {route}: {e}")))
}
