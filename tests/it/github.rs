//! The `github` client against a loopback fake: auth on every page,
//! token caching, and the one retry layer honouring GitHub's rate-limit headers.
//! Issue 4 ("Faults").

use std::time::{Duration, Instant};

use lint_pr::github::{self, GitHub};
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::app::private_key;
use crate::support::fake_github::{FakeGitHub, Pull, TOKEN};

const REPO: &str = "Codertocat/Hello-World";

fn client(uri: String) -> GitHub {
    GitHub::new(settings(uri)).unwrap()
}

fn settings(uri: String) -> github::Settings {
    github::Settings {
        api_url: uri,
        app_id: 4242,
        private_key: SecretString::from(private_key()),
        retry: github::retry::Policy {
            max_attempts: 4,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_rate_limit_wait: Duration::from_secs(5),
            secondary_limit_wait: Duration::from_secs(1),
        },
        timeout: Duration::from_secs(5),
    }
}

#[tokio::test]
async fn every_page_of_changed_files_is_read_with_auth() {
    let fake = FakeGitHub::start().await;
    let files = (0..250)
        .map(|i| (format!("src/file{i}.rs"), "modified".to_string()))
        .collect();
    fake.set_pull(
        REPO,
        2,
        Pull {
            files,
            ..Pull::default()
        },
    );
    let gh = client(fake.uri());
    let got = gh.changed_files(1, REPO, 2).await.unwrap();
    assert_eq!(got.files.len(), 250);
    assert!(!got.truncated);
    let pages: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.contains("/files"))
        .collect();
    // The fake answers 401 without the token: three pages means page 2 and 3
    // (absolute `Link` URLs on a non-github.com host) kept the installation token.
    assert_eq!(
        pages,
        [
            "GET /repos/Codertocat/Hello-World/pulls/2/files?per_page=100",
            "GET /repos/Codertocat/Hello-World/pulls/2/files?per_page=100&page=2",
            "GET /repos/Codertocat/Hello-World/pulls/2/files?per_page=100&page=3",
        ]
    );
}

#[tokio::test]
async fn the_installation_token_is_minted_once_and_reused() {
    let fake = FakeGitHub::start().await;
    let gh = client(fake.uri());
    for _ in 0..5 {
        gh.pull_request(1, REPO, 2).await.unwrap();
    }
    assert_eq!(fake.state.lock().unwrap().tokens_minted, 1);
    // Another installation has its own token.
    gh.pull_request(2, REPO, 2).await.unwrap();
    assert_eq!(fake.state.lock().unwrap().tokens_minted, 2);
    // An installation event drops it.
    gh.forget_installation(1);
    gh.pull_request(1, REPO, 2).await.unwrap();
    assert_eq!(fake.state.lock().unwrap().tokens_minted, 3);
}

async fn mock_with_token() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/app/installations/1/access_tokens"))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({"token": TOKEN, "expires_at": "2999-01-01T00:00:00Z", "permissions": {}}),
        ))
        .mount(&server)
        .await;
    server
}

fn pull_body() -> serde_json::Value {
    json!({"number": 2, "title": "t", "body": null, "state": "open",
           "head": {"sha": "a".repeat(40), "ref": "x"}, "base": {"sha": "b".repeat(40), "ref": "main"}})
}

#[tokio::test]
async fn retry_after_is_honoured_on_a_secondary_rate_limit() {
    let server = mock_with_token().await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"message": "You have exceeded a secondary rate limit."})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pull_body()))
        .with_priority(2)
        .mount(&server)
        .await;
    let gh = client(server.uri());
    let started = Instant::now();
    let pull = gh.pull_request(1, "o/r", 2).await.unwrap();
    assert_eq!(pull.number, 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited Retry-After: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn rate_limit_reset_is_honoured_and_5xx_is_retried() {
    let server = mock_with_token().await;
    let reset = (chrono::Utc::now().timestamp() + 1).to_string();
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.as_str()),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(2)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pull_body()))
        .with_priority(3)
        .mount(&server)
        .await;
    let gh = client(server.uri());
    let started = Instant::now();
    gh.pull_request(1, "o/r", 2).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for X-RateLimit-Reset: {:?}",
        started.elapsed()
    );
    let calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/repos/o/r/pulls/2")
        .count();
    assert_eq!(calls, 4, "429, 502, 502, 200");
}

#[tokio::test]
async fn permission_errors_are_not_retried_and_long_limits_are_not_slept() {
    let server = mock_with_token().await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"message": "Resource not accessible by integration"})),
        )
        .mount(&server)
        .await;
    let reset = (chrono::Utc::now().timestamp() + 3600).to_string();
    Mock::given(path("/repos/o/r/pulls/3"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.as_str()),
        )
        .mount(&server)
        .await;
    let gh = client(server.uri());
    let err = gh.pull_request(1, "o/r", 2).await.unwrap_err();
    assert!(matches!(err, github::Error::Forbidden { .. }), "{err}");
    assert!(!err.is_retryable());
    let started = Instant::now();
    let err = gh.pull_request(1, "o/r", 3).await.unwrap_err();
    assert!(
        matches!(err, github::Error::RateLimited { retry_after, .. } if retry_after > Duration::from_secs(3000)),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "an hour's wait goes back to the queue, not into a sleep"
    );
    let received = server.received_requests().await.unwrap();
    let calls = |p: &str| received.iter().filter(|r| r.url.path() == p).count();
    assert_eq!(calls("/repos/o/r/pulls/2"), 1);
    assert_eq!(calls("/repos/o/r/pulls/3"), 1);
}

#[tokio::test]
async fn a_refused_token_is_dropped_and_minted_again() {
    let server = mock_with_token().await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pull_body()))
        .with_priority(2)
        .mount(&server)
        .await;
    let gh = client(server.uri());
    gh.pull_request(1, "o/r", 2).await.unwrap();
    let mints = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().ends_with("/access_tokens"))
        .count();
    assert_eq!(mints, 2);
}

#[tokio::test]
async fn config_files_at_a_branch_are_revalidated_with_etags() {
    let fake = FakeGitHub::start().await;
    fake.set_file(
        "Codertocat/.github",
        "",
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    let gh = client(fake.uri());
    let at = github::FileAt::DefaultBranch;
    assert_eq!(
        gh.file(1, "Codertocat/.github", ".github/lint-pr.yml", at)
            .await
            .unwrap()
            .as_deref(),
        Some("mode: enforcing\n")
    );
    assert_eq!(
        gh.file(1, "Codertocat/.github", ".github/lint-pr.yml", at)
            .await
            .unwrap()
            .as_deref(),
        Some("mode: enforcing\n")
    );
    fake.set_file(
        "Codertocat/.github",
        "",
        ".github/lint-pr.yml",
        "mode: advisory\n",
    );
    assert_eq!(
        gh.file(1, "Codertocat/.github", ".github/lint-pr.yml", at)
            .await
            .unwrap()
            .as_deref(),
        Some("mode: advisory\n")
    );
    // At a commit the answer never changes, so it is asked once.
    let sha = github::FileAt::Commit("f95f852bd8fca8fcc58a9a2d6c842781e32a215e");
    assert_eq!(
        gh.file(1, REPO, ".github/lint-pr.yml", sha).await.unwrap(),
        None
    );
    assert_eq!(
        gh.file(1, REPO, ".github/lint-pr.yml", sha).await.unwrap(),
        None
    );
    let contents: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.contains("/contents/"))
        .collect();
    assert_eq!(
        contents.len(),
        4,
        "3 at the branch (the 2nd a 304), 1 at the commit: {contents:?}"
    );
}

#[tokio::test]
async fn a_hung_request_times_out_and_is_retried() {
    let server = mock_with_token().await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(pull_body())
                .set_delay(Duration::from_secs(5)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/pulls/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(pull_body()))
        .with_priority(2)
        .mount(&server)
        .await;
    let gh = GitHub::new(github::Settings {
        timeout: Duration::from_millis(300),
        ..settings(server.uri())
    })
    .unwrap();
    let started = Instant::now();
    gh.pull_request(1, "o/r", 2).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "did not wait for the hung answer: {:?}",
        started.elapsed()
    );
    let calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/repos/o/r/pulls/2")
        .count();
    assert_eq!(calls, 2);
}
