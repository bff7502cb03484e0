//! The `github` client against a loopback fake: auth on every page,
//! token caching, and the one retry layer honouring GitHub's rate-limit headers.
//! Issue 4 ("Faults"). Issue 12: check runs continued by `external_id`, changed
//! runbooks GitHub will not serve (a finding on the file), and the bound on
//! concurrent contents requests, through the App's pipeline (`pipeline::lint_pr`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use lint_pr::github::{self, GitHub, Publish};
use lint_pr::jobs::{Filters, Store, pipeline};
use lint_pr::report::check_run::{Annotation, CheckRunOutput, Level};
use lint_pr::types::Conclusion;
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use crate::support::app::private_key;
use crate::support::fake_github::{CheckRun as FakeCheckRun, FakeGitHub, Pull, TOKEN};
use crate::support::rest_examples::example;
use crate::support::{read, root};

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

// --- check runs: an earlier attempt's run is continued, never duplicated (#12) ---

const SHA: &str = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

/// A result with `n` annotations on `runbooks/a.md`, one per line.
fn output_with(n: u32) -> CheckRunOutput {
    CheckRunOutput {
        conclusion: Conclusion::Failure,
        title: format!("{n} errors"),
        summary: "the newest summary".into(),
        text: None,
        annotations: (1..=n)
            .map(|line| Annotation {
                path: "runbooks/a.md".into(),
                start_line: line,
                end_line: line,
                start_column: None,
                end_column: None,
                level: Level::Failure,
                message: format!("finding on line {line}"),
                title: "runbook/step-without-command".into(),
                raw_details: None,
            })
            .collect(),
    }
}

/// A run already in the fake, as an earlier attempt (or another App) left it.
fn existing_run(
    fake: &FakeGitHub,
    external_id: &str,
    status: &str,
    annotations: u32,
) -> FakeCheckRun {
    let mut s = fake.state.lock().unwrap();
    let run = FakeCheckRun {
        id: s.check_runs.len() as u64 + 1,
        repo: REPO.into(),
        name: "lint-pr".into(),
        head_sha: SHA.into(),
        external_id: Some(external_id.into()),
        status: status.into(),
        conclusion: (status == "completed").then(|| "failure".to_string()),
        title: "an earlier attempt".into(),
        summary: "an earlier summary".into(),
        annotations: (1..=annotations)
            .map(|line| json!({"path": "runbooks/a.md", "start_line": line}))
            .collect(),
        requests: 1,
    };
    s.check_runs.push(run.clone());
    run
}

fn posts_of_check_runs(fake: &FakeGitHub) -> usize {
    fake.requests()
        .iter()
        .filter(|r| r.starts_with("POST") && r.ends_with("/check-runs"))
        .count()
}

/// A job killed after its create (50 of 120 annotations sent, `in_progress`) runs
/// again: it finds that run by `external_id`, sends the 70 missing annotations and
/// the conclusion, and creates nothing. A run of another state beside it (a
/// different `external_id`) is left exactly as it was.
#[tokio::test]
async fn a_run_left_by_an_earlier_attempt_is_completed_not_duplicated() {
    let fake = FakeGitHub::start().await;
    let ours = github::external_id_for_pr(1, REPO, 2, SHA);
    let theirs = existing_run(
        &fake,
        "1:Codertocat/Hello-World#3@other-state",
        "in_progress",
        7,
    );
    let earlier = existing_run(&fake, &ours, "in_progress", 50);
    let gh = client(fake.uri());
    let output = output_with(120);
    let publish = Publish {
        repo: REPO,
        head_sha: SHA,
        output: &output,
        external_id: &ours,
    };
    let id = gh.publish(1, publish).await.unwrap();

    assert_eq!(id, earlier.id, "the earlier run, not a new one");
    assert_eq!(posts_of_check_runs(&fake), 0, "{:#?}", fake.requests());
    let runs = fake.check_runs();
    assert_eq!(runs.len(), 2, "{runs:#?}");
    let run = runs.iter().find(|r| r.id == earlier.id).unwrap();
    assert_eq!(run.status, "completed");
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    assert_eq!(run.summary, "the newest summary");
    assert_eq!(run.annotations.len(), 120, "each annotation once");
    let lines: Vec<u64> = run
        .annotations
        .iter()
        .map(|a| a["start_line"].as_u64().unwrap())
        .collect();
    assert_eq!(
        lines,
        (1..=120).collect::<Vec<u64>>(),
        "the missing 70, in order"
    );
    assert_eq!(
        run.requests,
        1 + 2,
        "two PATCHes: 50, then 20 with the conclusion"
    );
    let other = runs.iter().find(|r| r.id == theirs.id).unwrap();
    assert_eq!(
        (
            other.status.as_str(),
            other.annotations.len(),
            other.requests,
            other.summary.as_str()
        ),
        ("in_progress", 7, 1, "an earlier summary"),
        "a run with another external_id is not touched"
    );
    assert!(fake.rejections().is_empty(), "{:?}", fake.rejections());
}

/// The earlier attempt finished everything (then died before the store recorded
/// it): the re-run sends no annotation again, only the summary and conclusion.
#[tokio::test]
async fn a_completed_run_of_the_same_state_gets_only_its_summary_again() {
    let fake = FakeGitHub::start().await;
    let ours = github::external_id_for_pr(1, REPO, 2, SHA);
    let earlier = existing_run(&fake, &ours, "completed", 30);
    let gh = client(fake.uri());
    let output = output_with(30);
    let publish = Publish {
        repo: REPO,
        head_sha: SHA,
        output: &output,
        external_id: &ours,
    };
    assert_eq!(gh.publish(1, publish).await.unwrap(), earlier.id);
    let run = fake
        .check_runs()
        .into_iter()
        .find(|r| r.id == earlier.id)
        .unwrap();
    assert_eq!(run.annotations.len(), 30, "not 60");
    assert_eq!(run.summary, "the newest summary");
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    assert_eq!(run.requests, 2, "one PATCH");
    assert_eq!(posts_of_check_runs(&fake), 0);
    assert_eq!(fake.check_runs().len(), 1);
    assert!(fake.rejections().is_empty(), "{:?}", fake.rejections());
}

/// Only runs of other states exist: ours is created beside them, and they keep
/// what they had.
#[tokio::test]
async fn runs_with_another_external_id_are_left_alone() {
    let fake = FakeGitHub::start().await;
    let older_head_state = existing_run(&fake, "1:Codertocat/Hello-World#2@older", "completed", 3);
    let job_id_style = existing_run(&fake, "17", "in_progress", 50);
    let gh = client(fake.uri());
    let ours = github::external_id_for_pr(1, REPO, 2, SHA);
    let output = output_with(2);
    let publish = Publish {
        repo: REPO,
        head_sha: SHA,
        output: &output,
        external_id: &ours,
    };
    let id = gh.publish(1, publish).await.unwrap();
    assert_eq!(posts_of_check_runs(&fake), 1);
    let runs = fake.check_runs();
    assert_eq!(runs.len(), 3);
    let created = runs.iter().find(|r| r.id == id).unwrap();
    assert_eq!(created.external_id.as_deref(), Some(ours.as_str()));
    assert_eq!(created.annotations.len(), 2);
    assert_eq!(created.status, "completed");
    for before in [older_head_state, job_id_style] {
        let now = runs.iter().find(|r| r.id == before.id).unwrap();
        assert_eq!(
            (&now.status, now.annotations.len(), now.requests),
            (&before.status, before.annotations.len(), before.requests),
            "{:?} was touched",
            before.external_id
        );
    }
    // The lookup asked GitHub for this App's `lint-pr` runs of every age.
    let lookups: Vec<String> = fake
        .requests()
        .into_iter()
        .filter(|r| r.contains("/check-runs?"))
        .collect();
    assert_eq!(
        lookups,
        [format!(
            "GET /repos/{REPO}/commits/{SHA}/check-runs?check_name=lint-pr&filter=all&per_page=100&app_id=4242"
        )]
    );
}

/// The lookup follows `Link: rel="next"`: our run on page 2 is found.
#[tokio::test]
async fn the_lookup_reads_every_page_of_check_runs() {
    let server = mock_with_token().await;
    let ours = github::external_id_for_pr(1, "o/r", 2, SHA);
    let page = |id: u64, external_id: &str, count: u64| {
        let mut run = example("check-run-paginated")["check_runs"][0].clone();
        run["id"] = json!(id);
        run["name"] = json!("lint-pr");
        run["external_id"] = json!(external_id);
        run["output"]["annotations_count"] = json!(count);
        json!({"total_count": 2, "check_runs": [run]})
    };
    let list = format!("/repos/o/r/commits/{SHA}/check-runs");
    let next = format!(
        "<{}/repos/o/r/commits/{SHA}/check-runs?check_name=lint-pr&filter=all&per_page=100&app_id=4242&page=2>; rel=\"next\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(9, &ours, 0)))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(8, "someone else's", 0))
                .insert_header("link", next.as_str()),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/o/r/check-runs/9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 9})))
        .mount(&server)
        .await;
    let gh = client(server.uri());
    let output = output_with(1);
    let publish = Publish {
        repo: "o/r",
        head_sha: SHA,
        output: &output,
        external_id: &ours,
    };
    assert_eq!(gh.publish(1, publish).await.unwrap(), 9);
    let received = server.received_requests().await.unwrap();
    assert!(
        !received
            .iter()
            .any(|r| r.method.as_str() == "POST" && r.url.path() == "/repos/o/r/check-runs"),
        "nothing created"
    );
    let patch: serde_json::Value = received
        .iter()
        .find(|r| r.method.as_str() == "PATCH")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .unwrap();
    assert_eq!(patch["conclusion"], "failure");
    assert_eq!(patch["output"]["annotations"].as_array().unwrap().len(), 1);
}

// --- the App's pipeline: changed runbooks GitHub will not serve (#12) ---

/// Lint PR 2 of [`REPO`] through the App's pipeline, as a worker would.
async fn lint_pr_2(fake: &FakeGitHub) -> CheckRunOutput {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .unwrap();
    let gh = Arc::new(client(fake.uri()));
    let linted = pipeline::lint_pr(&gh, &store, 1, REPO, 2, &Filters::default())
        .await
        .unwrap();
    store.close().await;
    match linted {
        pipeline::Linted::Checked { output, .. } => output,
        other => panic!("not linted: {other:?}"),
    }
}

fn example_text(name: &str) -> String {
    read(&root().join("fixtures/examples").join(name))
}

/// A PR with a good description, enforcing config, and these changed files.
fn pr_changing(fake: &FakeGitHub, files: &[&str]) -> Pull {
    let pull = Pull {
        body: Some(example_text("pr-description.md")),
        files: files
            .iter()
            .map(|f| ((*f).to_string(), "modified".to_string()))
            .collect(),
        ..Pull::default()
    };
    fake.set_pull(REPO, 2, pull.clone());
    fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    pull
}

/// Serve `body` with `status` for one file's contents, ahead of the fake's handler.
async fn serve_contents(fake: &FakeGitHub, file: &str, status: u16, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/contents/{file}")))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .with_priority(1)
        .mount(&fake.server)
        .await;
}

/// Each changed runbook GitHub will not serve gets a `runbook/unreadable`
/// warning on the file that says why and what to do, in both shapes GitHub
/// answers a file over 1 MB with; the good runbook beside them is linted, and
/// the conclusion is what its findings (none) make it: warnings never fail.
#[tokio::test]
async fn a_runbook_github_will_not_serve_gets_a_finding_saying_why() {
    let fake = FakeGitHub::start().await;
    let pull = pr_changing(
        &fake,
        &[
            "runbooks/good.md",
            "runbooks/huge.md",
            "runbooks/big.md",
            "runbooks/secret.md",
            "runbooks/linked.md",
        ],
    );
    fake.set_file(
        REPO,
        &pull.head_sha,
        "runbooks/good.md",
        &example_text("runbook.md"),
    );
    // The default media type: 403 `too_large` (GitHub's body, fixtures/github/observed).
    let too_large: serde_json::Value = serde_json::from_str(&read(
        &root().join("fixtures/github/observed/contents-too-large.403.json"),
    ))
    .unwrap();
    serve_contents(&fake, "runbooks/huge.md", 403, too_large).await;
    // The object media type: the metadata, `encoding: "none"`, empty `content`.
    let big = format!("# Big\n\n{}", "x ".repeat(600 * 1024));
    fake.set_file(REPO, &pull.head_sha, "runbooks/big.md", &big);
    fake.fail_path(
        "runbooks/secret.md",
        403,
        "Resource not accessible by integration",
    );
    // A symlink to a file outside the repository: GitHub describes the link.
    let mut symlink = example("content-file-response-if-content-is-a-symlink");
    symlink["path"] = json!("runbooks/linked.md");
    serve_contents(&fake, "runbooks/linked.md", 200, symlink).await;

    let output = lint_pr_2(&fake).await;

    assert_eq!(output.conclusion, Conclusion::Success, "{}", output.summary);
    assert!(
        output
            .summary
            .starts_with("Checked the PR description and 1 changed runbook"),
        "only good.md was read: {}",
        output.summary
    );
    let seen: Vec<(&str, u32, Level, &str)> = output
        .annotations
        .iter()
        .map(|a| (a.path.as_str(), a.start_line, a.level, a.title.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("runbooks/big.md", 1, Level::Warning, "runbook/unreadable"),
            ("runbooks/huge.md", 1, Level::Warning, "runbook/unreadable"),
            (
                "runbooks/linked.md",
                1,
                Level::Warning,
                "runbook/unreadable"
            ),
            (
                "runbooks/secret.md",
                1,
                Level::Warning,
                "runbook/unreadable"
            ),
        ],
        "one warning per unreadable runbook, none on good.md"
    );
    let on = |p: &str| {
        let a = output.annotations.iter().find(|a| a.path == p).unwrap();
        (a.message.clone(), a.raw_details.clone().unwrap_or_default())
    };
    let (message, help) = on("runbooks/big.md");
    assert!(
        message.contains(&format!("{} bytes", big.len())) && message.contains("1 MB limit"),
        "{message}"
    );
    assert!(help.contains("split it into smaller runbooks"), "{help}");
    assert!(help.contains("lint-pr runbook runbooks/big.md"), "{help}");
    let (message, help) = on("runbooks/huge.md");
    assert!(
        message.contains("over the contents API's 1 MB limit"),
        "{message}"
    );
    assert!(help.contains("split it"), "{help}");
    let (message, help) = on("runbooks/secret.md");
    assert!(
        message.contains("Resource not accessible by integration"),
        "{message}"
    );
    assert!(help.contains("contents: read"), "{help}");
    let (message, help) = on("runbooks/linked.md");
    assert!(message.contains("it is a symlink, not a file"), "{message}");
    assert!(help.contains("make this path a file"), "{help}");
    assert!(
        output
            .summary
            .contains("`runbooks/huge.md`: 1 finding (see the annotations)"),
        "{}",
        output.summary
    );
    assert!(fake.rejections().is_empty(), "{:?}", fake.rejections());
}

/// The same warning beside an error elsewhere: the PR still fails for the
/// error, and only for it.
#[tokio::test]
async fn an_unreadable_runbook_does_not_hide_the_other_findings() {
    let fake = FakeGitHub::start().await;
    let pull = pr_changing(&fake, &["runbooks/thin.md", "runbooks/secret.md"]);
    fake.set_file(
        REPO,
        &pull.head_sha,
        "runbooks/thin.md",
        "# Disk full on db hosts\n\n## If you're not sure what's wrong, start here\n\n1. Look at the disks and think about it.\n2. Look at the graphs.\n\n## Signs this is getting worse\n\nEscalate if disk use passes 95% for 10 minutes.\n",
    );
    fake.fail_path(
        "runbooks/secret.md",
        403,
        "Resource not accessible by integration",
    );
    let output = lint_pr_2(&fake).await;
    assert_eq!(output.conclusion, Conclusion::Failure, "{}", output.summary);
    let levels = |path: &str| -> Vec<Level> {
        output
            .annotations
            .iter()
            .filter(|a| a.path == path)
            .map(|a| a.level)
            .collect()
    };
    assert_eq!(levels("runbooks/secret.md"), [Level::Warning]);
    let thin = levels("runbooks/thin.md");
    assert!(
        !thin.is_empty() && thin.iter().all(|l| *l == Level::Failure),
        "thin.md's own errors: {thin:?}"
    );
}

/// Records when each request for a changed runbook arrives, and answers it
/// `delay` later, so that overlapping requests can be counted.
struct SlowRunbooks {
    arrivals: Arc<Mutex<Vec<Instant>>>,
    delay: Duration,
}

impl Respond for SlowRunbooks {
    fn respond(&self, req: &wiremock::Request) -> ResponseTemplate {
        self.arrivals.lock().unwrap().push(Instant::now());
        let mut body = example("content-file-response-if-content-is-a-file");
        let text = "# A runbook\n\nNothing to see.\n";
        body["content"] = json!(base64::engine::general_purpose::STANDARD.encode(text));
        body["size"] = json!(text.len());
        body["path"] = json!(req.url.path());
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(self.delay)
    }
}

/// The most requests in flight at once, from arrival times of requests that are
/// each answered `delay` after they arrive: request j is still open when i
/// arrives if a_j <= a_i < a_j + delay. (This undercounts, never overcounts: an
/// answer leaves no earlier than `delay` after its request.)
fn most_in_flight(arrivals: &[Instant], delay: Duration) -> usize {
    arrivals
        .iter()
        .map(|&i| {
            arrivals
                .iter()
                .filter(|&&j| j <= i && i < j + delay)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Twelve changed runbooks are fetched concurrently but never more than
/// `FILES_IN_FLIGHT` (4) at a time: GitHub asks integrations to bound
/// concurrent requests (secondary rate limits).
#[tokio::test]
async fn changed_runbooks_are_fetched_at_most_four_at_a_time() {
    let fake = FakeGitHub::start().await;
    let files: Vec<String> = (1..=12).map(|i| format!("runbooks/r{i:02}.md")).collect();
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    pr_changing(&fake, &names);
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let delay = Duration::from_millis(300);
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(format!(
            "^/repos/{REPO}/contents/runbooks/"
        )))
        .respond_with(SlowRunbooks {
            arrivals: arrivals.clone(),
            delay,
        })
        .with_priority(1)
        .mount(&fake.server)
        .await;
    let started = Instant::now();
    let output = lint_pr_2(&fake).await;
    let elapsed = started.elapsed();
    assert!(
        output
            .summary
            .starts_with("Checked the PR description and 12 changed runbooks"),
        "{}",
        output.summary
    );
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 12, "each runbook fetched once");
    let most = most_in_flight(&arrivals, delay);
    eprintln!("12 runbooks: at most {most} requests in flight, {elapsed:?} in all");
    assert!(
        most <= pipeline::FILES_IN_FLIGHT,
        "{most} requests in flight at once; the bound is {}",
        pipeline::FILES_IN_FLIGHT
    );
    assert!(most >= 2, "fetched one by one ({most} at a time)");
    // 12 files, 4 at a time, 300 ms each: three rounds at least.
    assert!(
        elapsed >= delay * 3,
        "12 fetches took {elapsed:?}: more than 4 ran at once"
    );
}
