//! A client that authenticates with one token a person or a CI job holds
//! (`GITHUB_TOKEN`), for the CLI's `lint-pr changes`. Same status mapping
//! (`client::finish`), retry layer ([`retry::run`]) and [`Error`]s as the App's
//! installation clients; only how the token is obtained differs.

use std::time::Duration;

use http::Method;
use octocrab::Octocrab;
use secrecy::SecretString;

use super::client::{Response, builder_for, finish};
use super::pulls::parse_pull;
use super::retry::{self, Policy};
use super::{Error, PullRequest};

/// A GitHub client for one token. The token lives inside octocrab as a
/// `SecretString`; nothing here prints it.
pub struct TokenClient {
    crab: Octocrab,
    retry: Policy,
}

impl std::fmt::Debug for TokenClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenClient").finish_non_exhaustive()
    }
}

impl TokenClient {
    /// A client for `api_url` (`https://api.github.com`, a GHES
    /// `https://HOST/api/v3`, or a test server). Fails on an unusable URL.
    pub fn new(
        api_url: &str,
        token: SecretString,
        retry: Policy,
        timeout: Duration,
    ) -> Result<TokenClient, Error> {
        let crab = builder_for(api_url, timeout)?
            .personal_token(token)
            .build()
            .map_err(|e| Error::Other(format!("building the GitHub client: {e}")))?;
        Ok(TokenClient { crab, retry })
    }

    /// `GET /repos/{repo}/pulls/{number}` (`pulls/get`), with retries.
    pub async fn pull_request(&self, repo: &str, number: u64) -> Result<PullRequest, Error> {
        let route = format!("/repos/{repo}/pulls/{number}");
        let what = format!("GET {route}");
        let resp = retry::run(&self.retry, &what, |_| async {
            match self.get_once(&route).await {
                // The App re-mints an installation token after a 401; a token a
                // person holds stays refused, so a retry would only repeat it.
                Err(e @ Error::Unauthorized { .. }) => Ok(Err(e)),
                other => other.map(Ok),
            }
        })
        .await??;
        parse_pull(&route, &resp.body)
    }

    async fn get_once(&self, route: &str) -> Result<Response, Error> {
        let builder = http::Request::builder().method(Method::GET).uri(route);
        let built = self
            .crab
            .build_request(builder, None::<&serde_json::Value>)
            .map_err(|e| Error::Other(format!("{route}: {e}")))?;
        let sent = self.crab.execute(built).await;
        finish(&self.retry, route, sent).await
    }
}
