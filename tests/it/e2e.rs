//! End to end: a signed delivery goes into the real server (127.0.0.1, port 0,
//! SQLite in a temp dir); a check run comes out of the fake GitHub, which answers
//! with the REST description's shapes and rejects what it forbids. Issue 4.
//!
//! Every test asserts the fake recorded no rejected request.

use std::time::Duration;

use serde_json::json;

use crate::support::app::{Options, TestApp, eventually, payload};
use crate::support::fake_github::{CheckRun, FakeGitHub, Pull, TOKEN};
use crate::support::repo::Repo;
use crate::support::{read, root};

const REPO: &str = "Codertocat/Hello-World";
const WAIT: Duration = Duration::from_secs(20);

fn good_description() -> String {
    read(&root().join("fixtures/examples/pr-description.md"))
}

fn good_runbook() -> String {
    read(&root().join("fixtures/examples/runbook.md"))
}

/// A runbook with exactly 120 findings (steps without a command).
fn runbook_with_120_findings() -> String {
    let mut s = String::from(
        "# Disk full on db hosts\n\n## If you're not sure what's wrong, start here\n\n",
    );
    for i in 1..=120 {
        s.push_str(&format!(
            "{i}. Look at the thing number {i} and think about it.\n"
        ));
    }
    s.push_str(
        "\n## Signs this is getting worse\n\nEscalate if disk use passes 95% for 10 minutes.\n",
    );
    s
}

async fn app() -> TestApp {
    TestApp::start(FakeGitHub::start().await, Options::default()).await
}

async fn one_completed_run(app: &TestApp, head_sha: &str) -> CheckRun {
    let run = eventually(WAIT, "a completed lint-pr check run", || {
        app.fake
            .check_runs()
            .into_iter()
            .find(|r| r.head_sha == head_sha && r.status == "completed")
    })
    .await;
    app.settle(WAIT).await;
    assert_eq!(run.name, "lint-pr");
    assert!(
        app.fake.rejections().is_empty(),
        "GitHub would reject: {:?}",
        app.fake.rejections()
    );
    run
}

#[tokio::test]
async fn every_handled_event_and_action_posts_a_check_run() {
    let app = app().await;
    let head = Pull::default().head_sha;
    let cases = [
        ("pull_request", "payloads/pull_request/opened.payload.json"),
        (
            "pull_request",
            "payloads/pull_request/opened.with-null-body.json",
        ),
        (
            "pull_request",
            "payloads/pull_request/edited.body.derived.json",
        ),
        (
            "pull_request",
            "payloads/pull_request/edited.title.derived.json",
        ),
        (
            "pull_request",
            "payloads/pull_request/reopened.payload.json",
        ),
        (
            "pull_request",
            "payloads/pull_request/synchronize.payload.json",
        ),
        (
            "pull_request",
            "payloads/pull_request/ready_for_review.with-installation.payload.json",
        ),
        ("check_suite", "payloads/check_suite/requested.payload.json"),
        (
            "check_suite",
            "payloads/check_suite/rerequested.payload.json",
        ),
        ("check_run", "payloads/check_run/rerequested.payload.json"),
    ];
    for (i, (event, file)) in cases.iter().enumerate() {
        let before = app.fake.check_runs().len();
        let status = app
            .deliver_json(event, &format!("every-{i}"), &payload(file))
            .await;
        assert_eq!(status, 202, "{file}");
        eventually(WAIT, file, || {
            (app.fake.check_runs().len() > before).then_some(())
        })
        .await;
        app.settle(WAIT).await;
    }
    let runs = app.fake.check_runs();
    assert_eq!(runs.len(), cases.len(), "one check run per delivery");
    // The check_run payload is for github/hello-world; the others for Codertocat's PR.
    assert!(
        runs.iter()
            .all(|r| r.head_sha == head && r.status == "completed"),
        "{runs:#?}"
    );
    // The PR has the short description from the payloads: it lacks sections, and with
    // no config anywhere the advisory default concludes neutral.
    assert!(
        runs.iter()
            .all(|r| r.conclusion.as_deref() == Some("neutral"))
    );
    // Cache upkeep and ignored events.
    for (i, (event, file, want)) in [
        (
            "installation",
            "payloads/installation/created.payload.json",
            202,
        ),
        (
            "installation",
            "payloads/installation/deleted.payload.json",
            202,
        ),
        (
            "installation_repositories",
            "payloads/installation_repositories/added.payload.json",
            202,
        ),
        ("ping", "captured-octocrab/ping/app.json", 200),
        (
            "pull_request",
            "payloads/pull_request/edited.base.derived.json",
            200,
        ),
        (
            "pull_request",
            "payloads/pull_request/closed.payload.json",
            200,
        ),
        (
            "pull_request",
            "payloads/pull_request/labeled.payload.json",
            200,
        ),
        (
            "check_run",
            "payloads/check_run/completed.payload.json",
            200,
        ),
        (
            "check_suite",
            "payloads/check_suite/completed.payload.json",
            200,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(
            app.deliver_json(event, &format!("other-{i}"), &payload(file))
                .await,
            want,
            "{file}"
        );
    }
    app.settle(WAIT).await;
    assert_eq!(
        app.fake.check_runs().len(),
        cases.len(),
        "no check run for ignored events"
    );
    assert!(
        app.fake.rejections().is_empty(),
        "{:?}",
        app.fake.rejections()
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_signatures_store_nothing() {
    let app = app().await;
    let body = serde_json::to_vec(&payload("payloads/pull_request/opened.payload.json")).unwrap();
    let headers = |sig: &'static str| {
        vec![
            ("X-GitHub-Event", "pull_request"),
            ("X-GitHub-Delivery", "sig-1"),
            ("X-Hub-Signature-256", sig),
        ]
    };
    let (status, _) =
        crate::support::app::post(app.addr, "/webhook", &headers("sha256=00")[..2], &body).await;
    assert_eq!(status, 401, "missing signature");
    let wrong = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    let (status, _) = crate::support::app::post(app.addr, "/webhook", &headers(wrong), &body).await;
    assert_eq!(status, 401, "wrong signature");
    assert!(
        app.store.counts().await.unwrap().is_empty(),
        "nothing stored"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(app.fake.requests().is_empty(), "no GitHub call");
    app.stop().await;
}

#[tokio::test]
async fn config_is_read_at_the_base_commit_not_the_head() {
    let app = app().await;
    let pull = Pull::default();
    // Base: enforcing. Head (the PR's own change): tries to switch to advisory.
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    app.fake.set_file(
        REPO,
        &pull.head_sha,
        ".github/lint-pr.yml",
        "mode: advisory\n",
    );
    app.fake
        .set_file(REPO, "", ".github/lint-pr.yml", "mode: advisory\n");
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "base-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("`.github/lint-pr.yml` at the base commit f95f852"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("```markdown\n## What this does")
            && run.summary.contains("\n## Why\n"),
        "skeleton of missing sections: {}",
        run.summary
    );
    app.stop().await;
}

#[tokio::test]
async fn org_config_is_inherited_and_extended() {
    let app = app().await;
    let pull = Pull {
        body: Some(good_description()),
        ..Pull::default()
    };
    app.fake.set_pull(REPO, 2, pull.clone());
    // The org requires a "Ticket" section in enforcing mode.
    let org = "mode: enforcing\ndescription:\n  sections:\n    - name: Ticket\n";
    app.fake
        .set_file("Codertocat/.github", "", ".github/lint-pr.yml", org);
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "org-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("the organisation's `Codertocat/.github/.github/lint-pr.yml`"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("## Ticket"), "{}", run.summary);

    // A repository file that extends the org's and drops its section.
    let repo_cfg =
        "extends: org\ndescription:\n  sections:\n    - name: Ticket\n      enabled: false\n";
    // A config change lands on the base branch: a new base commit.
    let base2 = "3333333333333333333333333333333333333333";
    app.fake
        .set_file(REPO, base2, ".github/lint-pr.yml", repo_cfg);
    app.fake.edit_pull(REPO, 2, |p| {
        p.head_sha = "1111111111111111111111111111111111111111".into();
        p.base_sha = base2.into();
    });
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "org-2",
            &payload("payloads/pull_request/synchronize.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, "1111111111111111111111111111111111111111").await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("success"),
        "{}",
        run.summary
    );
    app.stop().await;
}

#[tokio::test]
async fn no_config_anywhere_is_advisory_and_neutral() {
    let app = app().await;
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "none-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, &Pull::default().head_sha).await;
    assert_eq!(run.conclusion.as_deref(), Some("neutral"));
    assert!(run.summary.contains("Advisory mode"), "{}", run.summary);
    assert!(
        run.summary
            .contains("no `.github/lint-pr.yml` in this repository or in `Codertocat/.github`"),
        "{}",
        run.summary
    );
    app.stop().await;
}

#[tokio::test]
async fn invalid_config_fails_with_an_annotation_on_its_line() {
    let app = app().await;
    let pull = Pull::default();
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "extends: recommended\nmode: enforcing\nrulez:\n  pr/unchecked-task: error\n",
    );
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "bad-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    assert_eq!(run.annotations.len(), 1, "{:?}", run.annotations);
    let a = &run.annotations[0];
    assert_eq!(a["path"], json!(".github/lint-pr.yml"));
    assert_eq!(a["start_line"], json!(3));
    assert_eq!(a["annotation_level"], json!("failure"));
    assert!(a["message"].as_str().unwrap().contains("rulez"), "{a}");
    assert!(
        run.summary
            .starts_with("The lint-pr configuration is invalid, so nothing else was checked.")
            && run
                .summary
                .contains("- `.github/lint-pr.yml` line 3, column 1: unknown key"),
        "{}",
        run.summary
    );
    assert!(
        !run.summary.contains("### PR description"),
        "{}",
        run.summary
    );
    app.stop().await;
}

/// PR 2 with a good description, changing `runbooks/disk-full.md` (120 findings)
/// and `extra` runbooks, in enforcing mode; not yet delivered.
fn pr_with_120_findings(app: &TestApp, extra: &[(&str, String)]) -> Pull {
    let mut pull = Pull {
        body: Some(good_description()),
        ..Pull::default()
    };
    pull.files = std::iter::once("runbooks/disk-full.md")
        .chain(extra.iter().map(|(path, _)| *path))
        .map(|path| (path.to_string(), "modified".to_string()))
        .collect();
    app.fake.set_pull(REPO, 2, pull.clone());
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    app.fake.set_file(
        REPO,
        &pull.head_sha,
        "runbooks/disk-full.md",
        &runbook_with_120_findings(),
    );
    for (path, text) in extra {
        app.fake.set_file(REPO, &pull.head_sha, path, text);
    }
    pull
}

async fn deliver_opened(app: &TestApp, delivery: &str) {
    let opened = payload("payloads/pull_request/opened.payload.json");
    assert_eq!(
        app.deliver_json("pull_request", delivery, &opened).await,
        202
    );
}

/// See: #12 (a runbook over 1 MB gets a finding on that file).
#[tokio::test]
async fn a_runbook_over_1_mb_gets_a_warning_and_the_rest_is_linted() {
    let app = app().await;
    let huge = format!("# Huge\n\n{}", "x ".repeat(600 * 1024));
    let pull = pr_with_120_findings(&app, &[("runbooks/huge.md", huge)]);
    deliver_opened(&app, "huge-1").await;
    let run = one_completed_run(&app, &pull.head_sha).await;
    // The other runbook is linted in full; the PR does not end `neutral` for it.
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    assert_eq!(run.annotations.len(), 121, "120 findings + the huge file's");
    let on_huge: Vec<&serde_json::Value> = run
        .annotations
        .iter()
        .filter(|a| a["path"] == json!("runbooks/huge.md"))
        .collect();
    assert_eq!(on_huge.len(), 1, "{on_huge:?}");
    assert_eq!(on_huge[0]["annotation_level"], json!("warning"));
    assert_eq!(on_huge[0]["title"], json!("runbook/unreadable"));
    assert!(
        on_huge[0]["message"]
            .as_str()
            .unwrap()
            .contains("over the contents API's 1 MB limit"),
        "{}",
        on_huge[0]
    );
}

#[tokio::test]
async fn a_hundred_and_twenty_annotations_arrive_in_full() {
    let app = app().await;
    let pull = pr_with_120_findings(&app, &[("runbooks/good.md", good_runbook())]);
    deliver_opened(&app, "many-1").await;
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(run.annotations.len(), 120);
    assert_eq!(
        run.requests, 3,
        "POST with 50, PATCH with 50, PATCH with 20 and the conclusion"
    );
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    let mut lines: Vec<u64> = run
        .annotations
        .iter()
        .map(|a| a["start_line"].as_u64().unwrap())
        .collect();
    lines.dedup();
    assert_eq!(lines.len(), 120, "each step once");
    assert!(
        run.annotations
            .iter()
            .all(|a| a["path"] == json!("runbooks/disk-full.md"))
    );
    assert!(
        run.summary
            .contains("`runbooks/disk-full.md`: 120 findings"),
        "{}",
        run.summary
    );
    app.stop().await;
}

/// GitHub created the check run but answered 502: the retry finds the run by its
/// `external_id` and finishes it, instead of creating a second one (with 120
/// annotations the first run would stay `in_progress` forever).
#[tokio::test]
async fn a_check_run_created_despite_a_502_is_not_created_twice() {
    let app = app().await;
    let pull = pr_with_120_findings(&app, &[]);
    app.fake
        .fail_once_after_applying("POST", "/check-runs", 502);
    deliver_opened(&app, "dup-1").await;
    let run = one_completed_run(&app, &pull.head_sha).await;
    let runs: Vec<CheckRun> = app
        .fake
        .check_runs()
        .into_iter()
        .filter(|r| r.head_sha == pull.head_sha)
        .collect();
    let shapes: Vec<(u64, &str, usize)> = runs
        .iter()
        .map(|r| (r.id, r.status.as_str(), r.annotations.len()))
        .collect();
    assert_eq!(
        runs.len(),
        1,
        "one check run, not two: (id, status, annotations) {shapes:?}"
    );
    assert_eq!(run.annotations.len(), 120, "each annotation once");
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    assert_eq!(run.requests, 3, "the POST (answered 502) and two PATCHes");
    let requests = app.fake.requests();
    let posts = requests
        .iter()
        .filter(|r| r.starts_with("POST") && r.ends_with("/check-runs"))
        .count();
    assert_eq!(posts, 1, "the create was not sent again: {requests:#?}");
    assert!(
        requests.iter().any(|r| r.starts_with(&format!(
            "GET /repos/{REPO}/commits/{}/check-runs?check_name=lint-pr",
            pull.head_sha
        ))),
        "the retry looked the run up: {requests:#?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn ten_rapid_edits_are_linted_once_with_the_last_body() {
    let fake = FakeGitHub::start().await;
    let app = TestApp::start(
        fake,
        Options {
            debounce: Duration::from_millis(1000),
            ..Options::default()
        },
    )
    .await;
    let pull = Pull::default();
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    let edited = payload("payloads/pull_request/edited.body.derived.json");
    for i in 0..10 {
        // The last edit makes the description complete; the earlier ones are not.
        let body = if i == 9 {
            good_description()
        } else {
            format!("## What this does\n\nDraft {i}.\n")
        };
        app.fake.edit_pull(REPO, 2, |p| p.body = Some(body.clone()));
        let mut p = edited.clone();
        p["pull_request"]["body"] = json!(body);
        assert_eq!(
            app.deliver_json("pull_request", &format!("edit-{i}"), &p)
                .await,
            202
        );
    }
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(app.fake.check_runs().len(), 1, "coalesced into one lint");
    assert_eq!(
        run.conclusion.as_deref(),
        Some("success"),
        "linted the last body: {}",
        run.summary
    );
    let pulls_read = app
        .fake
        .requests()
        .iter()
        .filter(|r| r.ends_with("/pulls/2"))
        .count();
    assert_eq!(pulls_read, 1, "{:?}", app.fake.requests());
    app.stop().await;
}

/// A slow older job that finishes after a newer event arrived must not post: the
/// newer job posts the newest state (issue 4, "Coalescing").
#[tokio::test]
async fn an_older_job_never_overwrites_a_newer_result() {
    let fake = FakeGitHub::start().await;
    let app = TestApp::start(
        fake,
        Options {
            debounce: Duration::ZERO,
            ..Options::default()
        },
    )
    .await;
    let old_sha = Pull::default().head_sha;
    let new_sha = "4444444444444444444444444444444444444444";
    // Every GitHub answer takes 300 ms, so the first job is still running when the
    // second event arrives.
    app.fake.set_delay(Duration::from_millis(300));
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "old-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    eventually(WAIT, "the first job to read the PR", || {
        app.fake
            .requests()
            .iter()
            .any(|r| r.ends_with("/pulls/2"))
            .then_some(())
    })
    .await;
    app.fake.edit_pull(REPO, 2, |p| p.head_sha = new_sha.into());
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "new-1",
            &payload("payloads/pull_request/synchronize.payload.json")
        )
        .await,
        202
    );
    one_completed_run(&app, new_sha).await;
    app.settle(WAIT).await;
    let runs = app.fake.check_runs();
    assert_eq!(runs.len(), 1, "only the newest job posted: {runs:#?}");
    assert_eq!(runs[0].head_sha, new_sha);
    assert!(runs.iter().all(|r| r.head_sha != old_sha));
    let outcomes = app.store.counts().await.unwrap();
    assert_eq!(
        outcomes,
        vec![("done".to_string(), 1), ("superseded".to_string(), 1)]
    );
    app.stop().await;
}

/// A job that cannot finish ends with a neutral check run that says what failed
/// and what to do (issue 4, "Faults").
#[tokio::test]
async fn a_job_that_cannot_finish_posts_an_honest_neutral_check() {
    let app = app().await;
    app.fake.fail_path(
        "/pulls/2/files",
        403,
        "Resource not accessible by integration",
    );
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "perm-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, &Pull::default().head_sha).await;
    assert_eq!(run.conclusion.as_deref(), Some("neutral"));
    assert_eq!(run.title, "lint-pr could not finish");
    assert!(
        run.summary.contains("**What failed:**")
            && run
                .summary
                .contains("Resource not accessible by integration"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains("**What to do:**") && run.summary.contains("pull_requests: read"),
        "{}",
        run.summary
    );
    let files_calls = app
        .fake
        .requests()
        .iter()
        .filter(|r| r.contains("/files"))
        .count();
    assert_eq!(files_calls, 1, "a permission error is not retried");
    assert_eq!(
        app.store.counts().await.unwrap(),
        vec![("failed".to_string(), 1)]
    );
    app.stop().await;
}

/// Drafts are linted by default and skipped with `--lint-drafts=false`; bots are
/// skipped by default, judged by the PR's current author (issue 4).
#[tokio::test]
async fn drafts_and_bots_follow_the_filters() {
    let fake = FakeGitHub::start().await;
    let no_drafts = lint_pr::jobs::Filters {
        lint_drafts: false,
        skip_bots: true,
    };
    let app = TestApp::start(
        fake,
        Options {
            filters: no_drafts,
            ..Options::default()
        },
    )
    .await;
    app.fake.set_pull(
        REPO,
        2,
        Pull {
            draft: true,
            ..Pull::default()
        },
    );
    // A check suite names no author: the job reads it (and the draft flag) from the PR.
    app.fake.set_pull(
        REPO,
        3,
        Pull {
            author: "renovate[bot]".into(),
            head_sha: "3".repeat(40),
            ..Pull::default()
        },
    );
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "draft-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    let mut suite = payload("payloads/check_suite/requested.payload.json");
    suite["check_suite"]["pull_requests"] = json!([{"number": 3}]);
    assert_eq!(app.deliver_json("check_suite", "bot-1", &suite).await, 202);
    app.settle(WAIT).await;
    assert!(
        app.fake.check_runs().is_empty(),
        "{:?}",
        app.fake.check_runs()
    );
    assert_eq!(
        app.store.counts().await.unwrap(),
        vec![("done".to_string(), 2)]
    );
    app.stop().await;

    // Default filters: the same draft is linted.
    let app = TestApp::start(FakeGitHub::start().await, Options::default()).await;
    app.fake.set_pull(
        REPO,
        2,
        Pull {
            draft: true,
            ..Pull::default()
        },
    );
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "draft-2",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    one_completed_run(&app, &Pull::default().head_sha).await;
    app.stop().await;
}

/// A draft is linted but concludes `neutral` (enforcing mode, errors found) and
/// its summary says why; marking it ready for review lints it again, and then
/// its errors fail the check (issue 11).
#[tokio::test]
async fn a_draft_concludes_neutral_until_ready_for_review() {
    let app = app().await;
    let pull = Pull {
        draft: true,
        ..Pull::default()
    };
    app.fake.set_pull(REPO, 2, pull.clone());
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    let draft = payload("payloads/pull_request/converted_to_draft.with-installation.payload.json");
    let mut opened_as_draft = draft.clone();
    opened_as_draft["action"] = json!("opened");
    assert_eq!(
        app.deliver_json("pull_request", "draft-opened", &opened_as_draft)
            .await,
        202
    );
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("neutral"),
        "{}",
        run.summary
    );
    assert!(!run.annotations.is_empty() || run.summary.contains("pr/required-section"));
    assert!(
        run.summary.contains("this PR is a draft"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("Advisory mode"), "{}", run.summary);

    let ready_sha = "5".repeat(40);
    app.fake.edit_pull(REPO, 2, |p| {
        p.draft = false;
        p.head_sha = ready_sha.clone();
    });
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "ready",
            &payload("payloads/pull_request/ready_for_review.with-installation.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, &ready_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    assert!(!run.summary.contains("draft"), "{}", run.summary);
    app.stop().await;
}

/// `pr/empty-section` reads the repository's PR template at the base commit: a
/// section left as the template has it is empty; a template that exists only at
/// the head (added by this PR) is not used (issue 11).
#[tokio::test]
async fn the_pr_template_is_read_at_the_base_commit() {
    let template = "## What this does\nWhat changes, in one sentence?\n\n## Why\nWhich incident or ticket?\n\n## Expected behavior change\nNone expected.\n\n## If something seems wrong after this ships\nRevert this PR.\n";
    let app = app().await;
    let pull = Pull {
        body: Some(template.to_string()),
        files: vec![("src/lib.rs".into(), "modified".into())],
        ..Pull::default()
    };
    app.fake.set_pull(REPO, 2, pull.clone());
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/PULL_REQUEST_TEMPLATE.md",
        template,
    );
    deliver_opened(&app, "template-1").await;
    let run = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    assert_eq!(
        run.summary.matches("is empty").count(),
        4,
        "every section left as the template has it: {}",
        run.summary
    );

    // Only at the head: the base offered no template, so the text is an answer.
    let head_only = "6".repeat(40);
    let base_only = "7".repeat(40);
    app.fake.edit_pull(REPO, 2, |p| {
        p.head_sha = head_only.clone();
        p.base_sha = base_only.clone();
    });
    app.fake
        .set_file(REPO, &base_only, ".github/lint-pr.yml", "mode: enforcing\n");
    app.fake.set_file(
        REPO,
        &head_only,
        ".github/PULL_REQUEST_TEMPLATE.md",
        template,
    );
    deliver_opened(&app, "template-2").await;
    let run = one_completed_run(&app, &head_only).await;
    assert!(!run.summary.contains("is empty"), "{}", run.summary);
    app.stop().await;
}

#[tokio::test]
async fn thirty_percent_server_errors_still_give_every_pr_its_result() {
    let app = app().await;
    app.fake.set_fail_rate(0.3);
    let opened = payload("payloads/pull_request/opened.payload.json");
    for n in 1..=10u64 {
        let good = n % 2 == 0;
        app.fake.set_pull(
            REPO,
            n,
            Pull {
                head_sha: format!("{n:040}"),
                body: Some(if good {
                    good_description()
                } else {
                    "Too short.".into()
                }),
                ..Pull::default()
            },
        );
        let mut p = opened.clone();
        p["number"] = json!(n);
        p["pull_request"]["number"] = json!(n);
        assert_eq!(
            app.deliver_json("pull_request", &format!("flaky-{n}"), &p)
                .await,
            202
        );
    }
    for n in 1..=10u64 {
        let sha = format!("{n:040}");
        let run = eventually(
            Duration::from_secs(60),
            &format!("PR {n}'s check run"),
            || {
                app.fake
                    .check_runs()
                    .into_iter()
                    .find(|r| r.head_sha == sha && r.status == "completed")
            },
        )
        .await;
        let want = if n % 2 == 0 { "success" } else { "neutral" };
        assert_eq!(
            run.conclusion.as_deref(),
            Some(want),
            "PR {n}: {}",
            run.summary
        );
        assert!(
            !run.summary.contains("could not check"),
            "PR {n} got the lint result, not a failure notice"
        );
    }
    app.settle(Duration::from_secs(60)).await;
    let faults = app.fake.state.lock().unwrap().faults_injected;
    assert!(faults >= 5, "faults were injected ({faults})");
    assert!(
        app.fake.rejections().is_empty(),
        "{:?}",
        app.fake.rejections()
    );
    app.stop().await;
}

/// (rule, path, line, message, help): what the CLI's JSON and the App's
/// annotations both say about a finding in a file.
type Seen = (String, String, u64, String, Option<String>);

/// The files of [`the_cli_and_the_app_report_the_same_findings`] that the PR does
/// not change: the configuration and the targets of the runbook's links.
const UNCHANGED: [(&str, &str); 4] = [
    (
        ".github/lint-pr.yml",
        "extends: recommended\nmode: enforcing\n",
    ),
    (
        "runbooks/secrets.md",
        "# Secrets\n\n## Rotating credentials\n",
    ),
    ("docs/setup.md", "# Setup\n"),
    // The site's build writes `site/generated.md`: a link to it is not broken.
    (
        ".gitignore",
        "# made by the site's build\nsite/generated*\n",
    ),
];

/// One PR, linted by the CLI in a git repository and by the App against the fake
/// GitHub holding the same files, gives the same findings. The changed runbook
/// links to files the PR does not change: one exists without the linked anchor,
/// one does not exist, one is fine, one is not in the repository but ignored by
/// its `.gitignore` (made by the build: not broken). The App looks them up at
/// the head commit.
#[tokio::test]
async fn the_cli_and_the_app_report_the_same_findings() {
    let runbook = good_runbook().replace(
        "If the secret was rotated in the last hour, restart the API pods.",
        "See [rotation](secrets.md#rotating-credentials), [promotion](secrets.md#promote-the-replica), [gone](gone.md), [setup](../docs/setup.md) and [built](../site/generated.md).",
    );
    let pull = Pull {
        body: Some(good_description()),
        files: vec![("runbooks/db.md".into(), "modified".into())],
        ..Pull::default()
    };
    let mut cli = cli_findings(&pull, &runbook);
    let app = app().await;
    let mut posted = app_findings(&app, &pull, &runbook).await;
    cli.sort();
    posted.sort();
    assert_eq!(posted, cli, "the App and the CLI disagree");
    let messages: Vec<&str> = cli.iter().map(|f| f.3.as_str()).collect();
    assert_eq!(
        messages,
        [
            "link to \"gone.md\", which does not exist",
            "link to \"secrets.md#promote-the-replica\": secrets.md has no heading with that anchor",
        ],
        "{cli:#?}"
    );
    // Each file was read once at the head commit: the runbook, then the four it
    // links to (`../docs/setup.md` from `runbooks/` is `docs/setup.md`), then,
    // for the two that are missing, the `.gitignore` of their folders and of the
    // root (three files).
    let at_head: Vec<String> = app
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.contains("/contents/") && r.ends_with(&pull.head_sha))
        .collect();
    assert_eq!(at_head.len(), 8, "{at_head:#?}");
    assert_eq!(
        at_head.iter().filter(|r| r.contains(".gitignore")).count(),
        3,
        "{at_head:#?}"
    );
    app.stop().await;
}

/// `lint-pr --base main --format json` on a branch that changes `runbooks/db.md`
/// to `runbook`, beside [`UNCHANGED`].
fn cli_findings(pull: &Pull, runbook: &str) -> Vec<Seen> {
    let repo = Repo::new();
    for (path, text) in UNCHANGED {
        repo.write(path, text);
    }
    repo.write("runbooks/db.md", &good_runbook());
    repo.commit("main");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("runbooks/db.md", runbook);
    repo.commit("feature");
    let body = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(body.path(), pull.body.as_deref().unwrap()).unwrap();
    let body = body.path().to_str().unwrap();
    let args = [
        "--base",
        "main",
        "--title",
        &pull.title,
        "--body-file",
        body,
    ];
    let out = repo.lint("", &[&args[..], &["--format", "json"]].concat());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap().iter();
    findings
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().expect("only file findings").to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
                f["help"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// The annotations of the App's check run for `pull`: the configuration at the
/// base commit, [`UNCHANGED`] and `runbooks/db.md` (as `runbook`) at the head.
async fn app_findings(app: &TestApp, pull: &Pull, runbook: &str) -> Vec<Seen> {
    app.fake.set_pull(REPO, 2, pull.clone());
    let (config_path, config) = UNCHANGED[0];
    app.fake.set_file(REPO, &pull.base_sha, config_path, config);
    for (path, text) in UNCHANGED {
        app.fake.set_file(REPO, &pull.head_sha, path, text);
    }
    app.fake
        .set_file(REPO, &pull.head_sha, "runbooks/db.md", runbook);
    deliver_opened(app, "same-1").await;
    let run = one_completed_run(app, &pull.head_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    run.annotations
        .iter()
        .map(|a| {
            (
                a["title"].as_str().unwrap().to_string(),
                a["path"].as_str().unwrap().to_string(),
                a["start_line"].as_u64().unwrap(),
                a["message"].as_str().unwrap().to_string(),
                a["raw_details"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[tokio::test]
async fn api_calls_per_pr_event() {
    let app = app().await;
    let pull = Pull {
        body: Some(good_description()),
        ..Pull::default()
    };
    app.fake.set_pull(REPO, 2, pull.clone());
    app.fake.set_file(
        REPO,
        &pull.base_sha,
        ".github/lint-pr.yml",
        "mode: enforcing\n",
    );
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "calls-1",
            &payload("payloads/pull_request/opened.payload.json")
        )
        .await,
        202
    );
    one_completed_run(&app, &pull.head_sha).await;
    let cold = app.fake.requests();
    // Same PR, new head: token and config (same base commit) are cached.
    let sha2 = "2222222222222222222222222222222222222222";
    app.fake.edit_pull(REPO, 2, |p| p.head_sha = sha2.into());
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "calls-2",
            &payload("payloads/pull_request/synchronize.payload.json")
        )
        .await,
        202
    );
    one_completed_run(&app, sha2).await;
    let warm: Vec<String> = app.fake.requests().into_iter().skip(cold.len()).collect();
    eprintln!(
        "GitHub API calls per PR event (no runbook changed): cold {} {:?}; warm {} {:?}",
        cold.len(),
        cold,
        warm.len(),
        warm
    );
    assert!(warm.len() <= 4, "target ≤ 4 with warm caches: {warm:?}");
    // The lookup: a job re-run after a crash continues the run its first attempt
    // made instead of creating a second one (#12).
    assert_eq!(
        warm.len(),
        4,
        "GET pull, GET files, GET our check run (none yet), POST check run: {warm:?}"
    );
    // + token, + config, + the PR template for pr/empty-section, looked for in
    // the 6 places GitHub reads it (none here; at a commit, 404s are cached too).
    assert_eq!(cold.len(), 12, "+ token, + config, + template: {cold:?}");
    app.stop().await;
}

/// The real binary, killed with SIGKILL while its job waits on GitHub, then
/// started again on the same database: the job runs and the PR gets its check.
#[tokio::test]
async fn a_delivery_survives_kill_9_and_runs_after_restart() {
    let fake = FakeGitHub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lint-pr.db");
    let spawn = |fake: &FakeGitHub| spawn_binary(fake, &db, std::process::Stdio::null());
    let ready = |addr| async move {
        eventually_async(WAIT, "the server to listen", || async move {
            (crate::support::app::get(addr, "/readyz").await.0 == 200).then_some(())
        })
        .await
    };
    // Phase 1: GitHub hangs, so the job is stuck in its first call when we kill.
    fake.set_delay(Duration::from_secs(30));
    let (mut first, addr) = spawn(&fake);
    ready(addr).await;
    let body = serde_json::to_vec(&payload("payloads/pull_request/opened.payload.json")).unwrap();
    let sig = lint_pr::server::sign(crate::support::app::SECRET.as_bytes(), &body);
    let headers = [
        ("X-GitHub-Event", "pull_request"),
        ("X-GitHub-Delivery", "crash-1"),
        ("X-Hub-Signature-256", sig.as_str()),
    ];
    assert_eq!(
        crate::support::app::post(addr, "/webhook", &headers, &body)
            .await
            .0,
        202
    );
    eventually(WAIT, "the job to call GitHub", || {
        (!fake.requests().is_empty()).then_some(())
    })
    .await;
    first.kill().unwrap(); // SIGKILL
    assert!(fake.check_runs().is_empty());

    // Phase 2: GitHub answers again; a new process on the same database.
    fake.set_delay(Duration::ZERO);
    let (mut second, addr) = spawn(&fake);
    ready(addr).await;
    let head = Pull::default().head_sha;
    let run = eventually(WAIT, "the check run after restart", || {
        fake.check_runs()
            .into_iter()
            .find(|r| r.head_sha == head && r.status == "completed")
    })
    .await;
    assert_eq!(run.conclusion.as_deref(), Some("neutral"));
    // GitHub redelivering the same delivery id: not processed twice.
    assert_eq!(
        crate::support::app::post(addr, "/webhook", &headers, &body)
            .await
            .0,
        200
    );
    second.kill().unwrap();
    assert_eq!(fake.check_runs().len(), 1);
}

async fn eventually_async<T, F, Fut>(timeout: Duration, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A `lint-pr serve` process, SIGKILLed when dropped, so a failing test leaves
/// no server behind.
struct Server(std::process::Child);

impl Server {
    /// SIGKILL, as `kill -9` does, and reap it.
    fn kill(&mut self) -> std::io::Result<()> {
        self.0.kill()?;
        self.0.wait().map(drop)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.kill();
    }
}

/// A `lint-pr serve` process: (server, address). Its stderr goes to `stderr`.
fn spawn_binary(
    fake: &FakeGitHub,
    db: &std::path::Path,
    stderr: std::process::Stdio,
) -> (Server, std::net::SocketAddr) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_lint-pr"))
        .arg("serve")
        .env("LINT_PR_LISTEN", format!("127.0.0.1:{port}"))
        .env("LINT_PR_APP_ID", "4242")
        .env(
            "LINT_PR_PRIVATE_KEY_PATH",
            root().join("tests/it/support/test-app-key.pem"),
        )
        .env("LINT_PR_WEBHOOK_SECRET", crate::support::app::SECRET)
        .env("LINT_PR_GITHUB_API_URL", fake.uri())
        .env("LINT_PR_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("LINT_PR_DEBOUNCE_MS", "0")
        .env("LINT_PR_LOG_FORMAT", "json")
        .env("RUST_LOG", "trace")
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    (
        Server(child),
        std::net::SocketAddr::from(([127, 0, 0, 1], port)),
    )
}

/// The real binary with JSON logs at `trace`: every job line carries the log
/// contract's fields, and no line holds the webhook secret, the token or the key.
#[tokio::test]
async fn logs_are_json_with_job_fields_and_never_a_secret() {
    let fake = FakeGitHub::start().await;
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("stderr.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (mut child, addr) = spawn_binary(&fake, &dir.path().join("lint-pr.db"), log.into());
    eventually_async(WAIT, "the server to listen", || async move {
        (crate::support::app::get(addr, "/healthz").await.0 == 200).then_some(())
    })
    .await;
    let body = serde_json::to_vec(&payload("payloads/pull_request/opened.payload.json")).unwrap();
    let sig = lint_pr::server::sign(crate::support::app::SECRET.as_bytes(), &body);
    let headers = [
        ("X-GitHub-Event", "pull_request"),
        ("X-GitHub-Delivery", "logs-1"),
        ("X-Hub-Signature-256", sig.as_str()),
    ];
    assert_eq!(
        crate::support::app::post(addr, "/webhook", &headers, &body)
            .await
            .0,
        202
    );
    let bad = [
        ("X-GitHub-Event", "ping"),
        ("X-GitHub-Delivery", "x"),
        ("X-Hub-Signature-256", "sha256=00"),
    ];
    assert_eq!(
        crate::support::app::post(addr, "/webhook", &bad, b"{}")
            .await
            .0,
        401
    );
    let head = Pull::default().head_sha;
    eventually(WAIT, "the check run", || {
        fake.check_runs()
            .into_iter()
            .find(|r| r.head_sha == head && r.status == "completed")
    })
    .await;
    let (status, metrics) = crate::support::app::get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains("lint_pr_webhook_requests_total{status=\"202\"} 1")
            && metrics.contains("lint_pr_webhook_requests_total{status=\"401\"} 1")
            && metrics.contains("lint_pr_queue_depth")
            && metrics.contains("lint_pr_github_rate_limit_remaining"),
        "{metrics}"
    );
    // Give the worker a moment to write its last line, then stop it.
    eventually(WAIT, "the job's last log line", || {
        std::fs::read_to_string(&log_path)
            .ok()
            .filter(|l| l.contains("check run posted"))
    })
    .await;
    child.kill().unwrap();

    let logs = std::fs::read_to_string(&log_path).unwrap();
    let posted = logs
        .lines()
        .find(|l| l.contains("check run posted"))
        .unwrap();
    let line: serde_json::Value = serde_json::from_str(posted).unwrap();
    let span = &line["span"];
    for (field, want) in [
        (lint_pr::telemetry::DELIVERY_ID, json!("logs-1")),
        (lint_pr::telemetry::INSTALLATION_ID, json!(1)),
        (lint_pr::telemetry::REPO, json!(REPO)),
        (lint_pr::telemetry::PR, json!(2)),
        (lint_pr::telemetry::HEAD_SHA, json!(head)),
    ] {
        assert_eq!(span[field], want, "{field} in {posted}");
    }
    assert!(
        !logs.contains(crate::support::app::SECRET),
        "webhook secret in the logs"
    );
    assert!(!logs.contains(TOKEN), "installation token in the logs");
    assert!(!logs.contains("PRIVATE KEY"), "private key in the logs");
    let key_body = crate::support::app::private_key();
    let key_line = key_body.lines().nth(1).unwrap();
    assert!(!logs.contains(key_line), "private key material in the logs");
}

// --- graceful degradation: GitHub cannot serve the configuration (#14) ---

#[tokio::test]
async fn contents_api_down_lints_with_the_cached_configuration_and_says_so() {
    // See: #14 — the contents API fails (5xx after retries) for a repository
    // whose configuration loaded before.
    let app = app().await;
    let pull = Pull {
        body: Some(good_description()),
        ..Pull::default()
    };
    app.fake.set_pull(REPO, 2, pull.clone());
    // What only this repository's file asks for: an enforced "Ticket" section.
    let cfg = "mode: enforcing\ndescription:\n  sections:\n    - name: Ticket\n";
    app.fake
        .set_file(REPO, &pull.base_sha, ".github/lint-pr.yml", cfg);
    deliver_opened(&app, "cache-1").await;
    let first = one_completed_run(&app, &pull.head_sha).await;
    assert_eq!(
        first.conclusion.as_deref(),
        Some("failure"),
        "{}",
        first.summary
    );
    assert!(first.summary.contains("## Ticket"), "{}", first.summary);

    // GitHub's contents API now answers 502 for the repository; a new push moves
    // the base, so nothing is served from the client's per-commit file cache.
    app.fake.fail_path(
        "/repos/Codertocat/Hello-World/contents/",
        502,
        "Bad Gateway",
    );
    let (head2, base2) = (
        "2222222222222222222222222222222222222222",
        "4444444444444444444444444444444444444444",
    );
    app.fake
        .set_file(REPO, base2, ".github/lint-pr.yml", "mode: advisory\n");
    app.fake.edit_pull(REPO, 2, |p| {
        p.head_sha = head2.into();
        p.base_sha = base2.into();
    });
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "cache-2",
            &payload("payloads/pull_request/synchronize.payload.json")
        )
        .await,
        202
    );
    let run = one_completed_run(&app, head2).await;
    let asked = app
        .fake
        .requests()
        .iter()
        .filter(|r| r.contains("contents/.github/lint-pr.yml") && r.contains(base2))
        .count();
    assert!(
        asked >= 2,
        "the contents API was retried before giving up: {asked}"
    );
    // The cached configuration (enforcing, Ticket), not the unreadable new one.
    assert_eq!(
        run.conclusion.as_deref(),
        Some("failure"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("## Ticket"), "{}", run.summary);
    for said in [
        "with the last configuration that loaded for this repository (`.github/lint-pr.yml` at the base commit f95f852, loaded ",
        "GitHub's contents API could not serve `.github/lint-pr.yml` at the base commit 4444444",
        "Bad Gateway",
    ] {
        assert!(
            run.summary.contains(said),
            "summary lacks {said:?}:\n{}",
            run.summary
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn org_github_repository_down_says_which_configuration_was_used() {
    // See: #14 — no repository file, the org's `.github` repository unreachable
    // and nothing cached: the advisory default, and the summary says so.
    let app = app().await;
    app.fake
        .fail_path("/repos/Codertocat/.github/", 503, "Service Unavailable");
    deliver_opened(&app, "orgdown-1").await;
    let run = one_completed_run(&app, &Pull::default().head_sha).await;
    assert_eq!(
        run.conclusion.as_deref(),
        Some("neutral"),
        "{}",
        run.summary
    );
    for said in [
        "GitHub could not serve the organisation's `Codertocat/.github` repository",
        "Service Unavailable",
        "this check used the recommended rules",
    ] {
        assert!(
            run.summary.contains(said),
            "summary lacks {said:?}:\n{}",
            run.summary
        );
    }
    app.stop().await;
}

/// A fork's push brings a `pull_request.synchronize` and a `check_suite` that
/// lists no PR (GitHub leaves `pull_requests` empty for forks). The suite's job
/// finds the PR from the head SHA and hands it to a job keyed by the PR, so the
/// two events are linted once, not twice. See: #12.
#[tokio::test]
async fn a_fork_check_suite_coalesces_with_its_pull_request_event() {
    let fake = FakeGitHub::start().await;
    let app = TestApp::start(
        fake,
        Options {
            debounce: Duration::from_millis(300),
            ..Options::default()
        },
    )
    .await;
    let head = Pull::default().head_sha;
    let mut suite = payload("payloads/check_suite/requested.payload.json");
    suite["check_suite"]["head_sha"] = json!(head);
    suite["check_suite"]["pull_requests"] = json!([]);
    // The same installation as the pull_request delivery (the fixtures differ).
    suite["installation"]["id"] = json!(1);
    assert_eq!(
        app.deliver_json("check_suite", "fork-suite", &suite).await,
        202
    );
    assert_eq!(
        app.deliver_json(
            "pull_request",
            "fork-pr",
            &payload("payloads/pull_request/synchronize.payload.json")
        )
        .await,
        202
    );
    one_completed_run(&app, &head).await;
    app.settle(WAIT).await;
    let runs: Vec<CheckRun> = app
        .fake
        .check_runs()
        .into_iter()
        .filter(|r| r.head_sha == head)
        .collect();
    assert_eq!(runs.len(), 1, "one lint for one push: {runs:#?}");
    assert!(
        app.fake
            .requests()
            .iter()
            .any(|r| r.contains(&format!("/commits/{head}/pulls"))),
        "the suite's job looked the PR up by its head SHA"
    );
    app.stop().await;
}
