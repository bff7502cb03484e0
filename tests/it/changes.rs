//! `lint-pr changes`, the 3am view (issue 13): a real git repository with merge
//! commits, squash commits and a direct push at controlled times; PR bodies from
//! the fake GitHub in the real `pulls/get` shape; every format, the `--path`
//! filter, the commit-message fallback, and each error case of SPEC.

use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::fake_github::{FakeGitHub, Pull, TOKEN};
use crate::support::repo::{Repo, bin};

const REPO: &str = "acme/shop";

/// The description of #101: the reference example of a good PR description.
fn example_description() -> String {
    crate::support::read(&crate::support::fixtures().join("examples/pr-description.md"))
}

/// #102 as people also write them: bold pseudo-headings, an alias from the
/// recommended preset ("Summary", "Expected behaviour") and one from the
/// repository's configuration ("Pager notes"). CRLF, as GitHub's editor sends.
const SESSIONS_BODY: &str = "**Summary**\r\nCaches sessions in Redis for 10 minutes.\r\n\r\n**Expected behaviour**\r\nLogin p95 drops; Redis memory grows by about 2 GB.\r\n\r\n**Pager notes**\r\nIf logins fail, turn the cache off:\r\n\r\n```sh\r\nkubectl -n auth set env deploy/sessions SESSION_CACHE=off\r\n```\r\n";

/// The repository's configuration: "If something seems wrong" also answers to
/// "Pager notes" here.
const CONFIG: &str = "extends: recommended\ndescription:\n  sections:\n    - name: If something seems wrong after this ships\n      aliases: [Pager notes, Rollback plan]\n";

/// A runtime for the fake GitHub, alive for the whole test binary, so tests can
/// run the CLI synchronously while the fake answers on its worker threads.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
}

fn fake() -> FakeGitHub {
    let fake = runtime().block_on(FakeGitHub::start());
    fake.set_pull(
        REPO,
        101,
        Pull {
            title: "Render thumbnails in a background job".into(),
            body: Some(example_description()),
            author: "alice".into(),
            ..Pull::default()
        },
    );
    fake.set_pull(
        REPO,
        102,
        Pull {
            title: "Cache sessions in Redis".into(),
            body: Some(SESSIONS_BODY.into()),
            author: "bob".into(),
            ..Pull::default()
        },
    );
    fake.set_pull(
        REPO,
        103,
        Pull {
            title: "Tune the payments retry budget".into(),
            body: Some("Tweaked the retries a bit.".into()),
            author: "carol".into(),
            ..Pull::default()
        },
    );
    fake
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Run git in `repo` with author and committer dates `hours` ago.
fn git_at(repo: &Repo, hours: f64, args: &[&str]) {
    let date = format!("@{} +0000", now() - (hours * 3600.0) as i64);
    repo.git_with_env(
        &[("GIT_AUTHOR_DATE", &date), ("GIT_COMMITTER_DATE", &date)],
        args,
    );
}

/// main's first-parent history, oldest first:
/// - 48h ago: the initial commit (configuration, services), outside the default window;
/// - 20h ago: #101 merged with a merge commit (GitHub's message: title in the body);
/// - 6h ago:  #102 squash-merged, the description in the commit body;
/// - 3h ago:  a direct push to README.md, no PR;
/// - 1h ago:  #103 squash-merged, a description with no sections.
fn history() -> Repo {
    let repo = Repo::new();
    repo.write(".github/lint-pr.yml", CONFIG);
    repo.write("services/payments/src/retry.rs", "// retries\n");
    repo.write("services/media/src/thumbs.rs", "// thumbnails\n");
    repo.write("README.md", "# shop\n");
    repo.git(&["add", "-A"]);
    git_at(&repo, 48.0, &["commit", "-q", "-m", "Initial commit"]);
    repo.git(&["remote", "add", "origin", "git@github.com:acme/shop.git"]);

    repo.git(&["checkout", "-q", "-b", "thumbs"]);
    repo.write("services/media/src/thumbs.rs", "// thumbnails, async\n");
    repo.write("services/media/src/queue.rs", "// media-render\n");
    repo.git(&["add", "-A"]);
    git_at(
        &repo,
        22.0,
        &["commit", "-q", "-m", "Move thumbnails to a job"],
    );
    repo.git(&["checkout", "-q", "main"]);
    git_at(
        &repo,
        20.0,
        &[
            "merge",
            "-q",
            "--no-ff",
            "thumbs",
            "-m",
            "Merge pull request #101 from acme/thumbs",
            "-m",
            "Render thumbnails in a background job",
        ],
    );

    repo.write("services/sessions/src/cache.rs", "// redis\n");
    repo.git(&["add", "-A"]);
    let squash_body = SESSIONS_BODY.replace("\r\n", "\n");
    git_at(
        &repo,
        6.0,
        &[
            "commit",
            "-q",
            "-m",
            "Cache sessions in Redis (#102)",
            "-m",
            &squash_body,
        ],
    );

    repo.write("README.md", "# shop\n\nThe shop.\n");
    repo.git(&["add", "-A"]);
    git_at(
        &repo,
        3.0,
        &[
            "commit",
            "-q",
            "-m",
            "Fix the README title",
            "-m",
            "Pushed straight to main.",
        ],
    );

    repo.write("services/payments/src/retry.rs", "// retries: 3\n");
    repo.git(&["add", "-A"]);
    git_at(
        &repo,
        1.0,
        &[
            "commit",
            "-q",
            "-m",
            "Tune the payments retry budget (#103)",
            "-m",
            "Tweaked the retries a bit.",
        ],
    );
    repo
}

/// `lint-pr changes ARGS` in `repo`, with `token` as GITHUB_TOKEN (or none) and
/// nothing else from the machine's environment.
fn changes(repo: &Repo, api: Option<&str>, token: Option<&str>, args: &[&str]) -> Output {
    let mut c = bin();
    c.current_dir(repo.path())
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_API_URL")
        .arg("changes")
        .args(args);
    if let Some(api) = api {
        c.args(["--github-api-url", api]);
    }
    if let Some(t) = token {
        c.env("GITHUB_TOKEN", t);
    }
    c.output().unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    assert_eq!(code(out), 0, "stderr: {}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(out),
            stderr(out)
        )
    })
}

/// The `pr` of each change, in order (`0` for a direct push).
fn prs(v: &Value) -> Vec<u64> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pr"].as_u64().unwrap_or(0))
        .collect()
}

fn change(v: &Value, pr: u64) -> &Value {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["pr"].as_u64().unwrap_or(0) == pr)
        .unwrap_or_else(|| panic!("no change #{pr} in {v:#}"))
}

fn pull_requests(fake: &FakeGitHub) -> Vec<String> {
    fake.requests()
        .into_iter()
        .filter(|r| r.contains("/pulls/"))
        .collect()
}

#[test]
fn json_lists_the_window_newest_first_with_sections_from_github() {
    let (repo, fake) = (history(), fake());
    let out = changes(&repo, Some(&fake.uri()), Some(TOKEN), &["--format", "json"]);
    let v = json(&out);
    assert_eq!(v["version"], 1);
    // Exactly SPEC's keys, at the top and in every change.
    let keys = |o: &Value| -> Vec<String> { o.as_object().unwrap().keys().cloned().collect() };
    let sorted = |k: &[&str]| {
        let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    };
    let mut top = keys(&v);
    top.sort();
    assert_eq!(
        top,
        sorted(&[
            "version", "repo", "branch", "since", "until", "changes", "warnings"
        ])
    );
    for c in v["changes"].as_array().unwrap() {
        let mut k = keys(c);
        k.sort();
        assert_eq!(
            k,
            sorted(&[
                "pr",
                "sha",
                "title",
                "author",
                "merged_at",
                "paths",
                "what",
                "expected_behavior_change",
                "if_something_seems_wrong",
                "source"
            ])
        );
    }
    for field in ["since", "until"] {
        let t = v[field].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(t).is_ok(),
            "{field}: {t}"
        );
    }
    assert_eq!(v["repo"], REPO, "from the origin remote (scp-like URL)");
    assert_eq!(v["branch"], "main");
    assert_eq!(v["warnings"], serde_json::json!([]), "{v:#}");
    assert_eq!(
        prs(&v),
        [103, 0, 102, 101],
        "newest first; the initial commit is 48h old"
    );

    let thumbs = change(&v, 101);
    let example = example_description();
    let section = |heading: &str, next: Option<&str>| {
        let start = example.find(heading).unwrap() + heading.len();
        let end = next.map_or(example.len(), |n| example.find(n).unwrap());
        example[start..end].trim().to_string()
    };
    assert_eq!(thumbs["title"], "Render thumbnails in a background job");
    assert_eq!(
        thumbs["author"], "alice",
        "the PR's login, not whoever merged"
    );
    assert_eq!(thumbs["source"], "github");
    assert_eq!(
        thumbs["what"],
        "Moves the thumbnail generator from synchronous rendering inside the upload request to a background job on the `media-render` queue.",
        "the first sentence, unwrapped"
    );
    assert_eq!(
        thumbs["expected_behavior_change"].as_str().unwrap(),
        section("## Expected behavior change", Some("## If something"))
    );
    assert_eq!(
        thumbs["if_something_seems_wrong"].as_str().unwrap(),
        section("## If something seems wrong after this ships", None),
        "verbatim"
    );
    assert_eq!(thumbs["paths"], serde_json::json!(["services/media/"]));
    assert_eq!(thumbs["sha"].as_str().unwrap().len(), 40);
    let merged =
        chrono::DateTime::parse_from_rfc3339(thumbs["merged_at"].as_str().unwrap()).unwrap();
    assert!(
        (now() - merged.timestamp() - 20 * 3600).abs() < 120,
        "{merged}"
    );

    let sessions = change(&v, 102);
    assert_eq!(sessions["what"], "Caches sessions in Redis for 10 minutes.");
    assert_eq!(
        sessions["expected_behavior_change"],
        "Login p95 drops; Redis memory grows by about 2 GB."
    );
    assert_eq!(
        sessions["if_something_seems_wrong"],
        "If logins fail, turn the cache off:\n\n```sh\nkubectl -n auth set env deploy/sessions SESSION_CACHE=off\n```",
        "a configured alias under a bold pseudo-heading; CRLF read as LF"
    );

    let retry = change(&v, 103);
    assert_eq!(retry["source"], "github");
    assert_eq!(retry["what"], Value::Null);
    assert_eq!(retry["expected_behavior_change"], Value::Null);
    assert_eq!(retry["if_something_seems_wrong"], Value::Null);

    let push = change(&v, 0);
    assert_eq!(push["pr"], Value::Null);
    assert_eq!(push["title"], "Fix the README title");
    assert_eq!(push["author"], "Test");
    assert_eq!(push["source"], "commit");
    assert_eq!(push["paths"], serde_json::json!(["README.md"]));

    let asked = pull_requests(&fake);
    assert_eq!(asked.len(), 3, "one pulls/get per PR: {asked:?}");
    for n in [101, 102, 103] {
        assert!(
            asked.contains(&format!("GET /repos/{REPO}/pulls/{n}")),
            "{asked:?}"
        );
    }

    // See: #13 — the second run at 3:05 reads the cache, not GitHub.
    let again = json(&changes(
        &repo,
        Some(&fake.uri()),
        Some(TOKEN),
        &["--format", "json"],
    ));
    assert_eq!(
        pull_requests(&fake).len(),
        3,
        "the second run asked GitHub again"
    );
    assert_eq!(again["changes"], v["changes"]);
}

#[test]
fn human_output_is_for_a_tired_reader() {
    let (repo, fake) = (history(), fake());
    let out = changes(&repo, Some(&fake.uri()), Some(TOKEN), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("4 changes merged into main in acme/shop between "),
        "{text}"
    );
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"))
    };
    assert!(
        at("1. #103") < at("2. direct push")
            && at("2. direct push") < at("3. #102")
            && at("3. #102") < at("4. #101")
    );

    // #101: the "If something seems wrong" text between rules, ready to copy.
    let entry = &text[at("4. #101")..];
    let open = entry
        .find("If something seems wrong after this ships:\n   ┌")
        .unwrap();
    let close = entry[open..].find("   └").unwrap() + open;
    let block = &entry[open..close];
    assert!(
        block.contains("`kubectl scale deploy media-render-worker --replicas=6`"),
        "{block}"
    );
    assert!(entry.contains("description from GitHub"));
    assert!(entry.contains("by alice"));

    // #102: the fenced command shown as a command.
    let entry = &text[at("3. #102")..at("4. #101")];
    assert!(
        entry.contains("  $ kubectl -n auth set env deploy/sessions SESSION_CACHE=off"),
        "{entry}"
    );
    assert!(!entry.contains("```"), "{entry}");

    // #103: no sections, marked plainly.
    let entry = &text[at("1. #103")..at("2. direct push")];
    assert!(
        entry.contains("⚠ no expected-behaviour section: read the diff"),
        "{entry}"
    );
    assert!(
        entry.contains("⚠ no \"If something seems wrong\" section: read the diff"),
        "{entry}"
    );
    assert!(
        entry.contains("touched  services/payments/ (1 file)"),
        "{entry}"
    );
    assert!(entry.contains("$ git show "), "{entry}");
}

#[test]
fn markdown_is_ready_to_paste() {
    let (repo, fake) = (history(), fake());
    let out = changes(
        &repo,
        Some(&fake.uri()),
        Some(TOKEN),
        &["--format", "markdown"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    assert!(
        md.starts_with("**4 changes merged into `main` in acme/shop between "),
        "{md}"
    );
    let link = format!("[#102]({}/acme/shop/pull/102)", fake.uri());
    assert!(
        md.contains(&format!("**3. {link} Cache sessions in Redis**")),
        "{md}"
    );
    assert!(
        md.contains("**What:** Caches sessions in Redis for 10 minutes."),
        "{md}"
    );
    assert!(
        md.contains("**If something seems wrong after this ships:**\n> If logins fail, turn the cache off:\n>\n> ```sh\n> kubectl -n auth set env deploy/sessions SESSION_CACHE=off\n> ```\n"),
        "{md}"
    );
    assert!(
        md.contains("⚠️ **No expected-behaviour section: read the diff**"),
        "{md}"
    );
    assert!(md.contains("_Description from GitHub_"), "{md}");
    // What it quotes parses back to the same sections.
    let doc = lint_pr::markdown::Document::parse(&md);
    assert!(
        doc.headings
            .iter()
            .any(|h| h.text.contains("Expected behavior change"))
    );
}

#[test]
fn path_filter_keeps_the_service_on_fire() {
    let (repo, fake) = (history(), fake());
    let run = |args: &[&str]| {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        prs(&json(&changes(&repo, Some(&fake.uri()), Some(TOKEN), &all)))
    };
    assert_eq!(run(&["--path", "services/payments"]), [103]);
    assert_eq!(run(&["--path", "services/media/"]), [101]);
    assert_eq!(run(&["--path", "services/*/src/cache.rs"]), [102]);
    assert_eq!(
        run(&["--path", "README.md", "--path", "services/sessions/**"]),
        [0, 102]
    );
    assert_eq!(run(&["--path", "services/billing"]), Vec::<u64>::new());
    assert_eq!(run(&["--since", "30h", "--until", "4h"]), [102, 101]);
    let since = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    assert_eq!(run(&["--since", &since]), [103]);
}

#[test]
fn without_a_token_or_github_descriptions_come_from_commits() {
    let repo = history();
    let out = changes(&repo, None, None, &["--format", "json"]);
    let v = json(&out);
    let warnings = v["warnings"].to_string();
    assert!(warnings.contains("GITHUB_TOKEN is not set"), "{warnings}");
    let sessions = change(&v, 102);
    assert_eq!(sessions["source"], "commit");
    assert_eq!(sessions["title"], "Cache sessions in Redis");
    assert_eq!(sessions["author"], "Test");
    assert_eq!(
        sessions["expected_behavior_change"],
        "Login p95 drops; Redis memory grows by about 2 GB."
    );
    let thumbs = change(&v, 101);
    assert_eq!(
        thumbs["source"], "none",
        "a merge commit carries only the title"
    );
    assert_eq!(thumbs["title"], "Render thumbnails in a background job");
    assert_eq!(thumbs["expected_behavior_change"], Value::Null);

    // Said on each entry in the human format.
    let text = stdout(&changes(&repo, None, None, &[]));
    assert!(
        text.contains("description from the commit message (GITHUB_TOKEN is not set)"),
        "{text}"
    );
    assert!(
        text.contains("no description: the commit message has none (GITHUB_TOKEN is not set)"),
        "{text}"
    );

    // A token but no GitHub (nothing listens on port 9): the same, with a warning.
    let out = changes(
        &repo,
        Some("http://127.0.0.1:9"),
        Some("ghp_unused"),
        &["--format", "json"],
    );
    let v = json(&out);
    assert!(
        v["warnings"]
            .to_string()
            .contains("cannot reach GitHub at http://127.0.0.1:9"),
        "{v:#}"
    );
    assert_eq!(change(&v, 102)["source"], "commit");
    let text = stdout(&changes(
        &repo,
        Some("http://127.0.0.1:9"),
        Some("ghp_unused"),
        &[],
    ));
    assert!(text.contains("(GitHub unreachable)"), "{text}");
}

#[test]
fn github_401_403_404_are_warnings_naming_the_token_or_the_pr() {
    let repo = history();
    let fake = fake();
    let secret = "ghp_WRONGtokenNEVERprinted0123456789";
    let out = changes(
        &repo,
        Some(&fake.uri()),
        Some(secret),
        &["--format", "json"],
    );
    let v = json(&out);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("GitHub refused GITHUB_TOKEN (401 on GET /repos/acme/shop/pulls/"),
        "the warning names what was tried: {warnings}"
    );
    assert_eq!(change(&v, 102)["source"], "commit");
    assert!(
        pull_requests(&fake).len() <= 3,
        "a refused token is not retried: {:?}",
        pull_requests(&fake)
    );
    let human = changes(&repo, Some(&fake.uri()), Some(secret), &[]);
    assert_eq!(code(&human), 0);
    assert!(stderr(&human).contains("warning: GitHub refused GITHUB_TOKEN (401"));
    for text in [stdout(&out), stderr(&out), stdout(&human), stderr(&human)] {
        assert!(!text.contains(secret), "the token was printed:\n{text}");
    }

    let json_with_token = |fake: &FakeGitHub| {
        json(&changes(
            &repo,
            Some(&fake.uri()),
            Some(TOKEN),
            &["--format", "json"],
        ))
    };
    let fake = self::fake();
    fake.fail_path(
        "/pulls/",
        403,
        "Resource not accessible by personal access token",
    );
    let v = json_with_token(&fake);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("GitHub forbids reading acme/shop's pull requests with GITHUB_TOKEN (403: Resource not accessible by personal access token)"),
        "{warnings}"
    );
    assert!(
        pull_requests(&fake).len() <= 3,
        "a 403 is not retried: {:?}",
        pull_requests(&fake)
    );

    let fake = self::fake();
    fake.fail_path("/pulls/102", 404, "Not Found");
    let v = json_with_token(&fake);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("GitHub found PR #102 in acme/shop (404)"),
        "{warnings}"
    );
    assert_eq!(change(&v, 102)["source"], "commit");
    assert_eq!(change(&v, 101)["source"], "github");
    let text = stdout(&changes(&repo, Some(&fake.uri()), Some(TOKEN), &[]));
    assert!(text.contains("(GitHub: PR not found (404))"), "{text}");
}

#[test]
fn bad_input_exits_2_saying_what_to_do() {
    let repo = history();
    let fails = |out: Output, expect: &str| {
        assert_eq!(
            code(&out),
            2,
            "stdout: {}\nstderr: {}",
            stdout(&out),
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(expect),
            "{expect:?} not in: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"));
    };
    for since in ["3x", "yesterday", "2026-12-02", "-3h"] {
        fails(
            changes(&repo, None, None, &[&format!("--since={since}")]),
            "expected a duration back from now (90m, 3h, 2d, 1w) or an RFC 3339 time",
        );
    }
    fails(
        changes(&repo, None, None, &["--branch", "release/9"]),
        "branch \"release/9\" does not exist in this clone; `git fetch origin release/9`",
    );
    fails(
        changes(&repo, None, None, &["--since", "1h", "--until", "3h"]),
        "--since (",
    );
    fails(
        changes(&repo, None, None, &["--repo", "shop"]),
        "--repo \"shop\" is not OWNER/NAME",
    );
    fails(
        changes(&repo, None, None, &["--path", "svc/[x"]),
        "--path \"svc/[x\" is not a glob",
    );

    let outside = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(outside.path())
        .args(["changes"])
        .output()
        .unwrap();
    fails(
        out,
        "is not inside a git checkout: run `lint-pr changes` in a clone",
    );
}

#[test]
fn an_empty_window_is_not_an_error() {
    let repo = history();
    let out = changes(&repo, None, None, &["--since", "20m"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("No changes merged into main in acme/shop between "),
        "{}",
        stdout(&out)
    );
    let v = json(&changes(
        &repo,
        None,
        None,
        &["--since", "20m", "--format", "json"],
    ));
    assert_eq!(v["changes"], serde_json::json!([]));
}

#[test]
fn readme_and_our_runbook_use_the_real_command() {
    let root = crate::support::root();
    let help = stdout(&bin().args(["changes", "--help"]).output().unwrap());
    let readme = crate::support::read(&root.join("README.md"));
    let start = readme
        .find("\n## At 3am\n")
        .expect("README has an \"At 3am\" section");
    let end = readme[start + 1..]
        .find("\n## ")
        .map_or(readme.len(), |e| start + 1 + e);
    let runbook = crate::support::read(&root.join("docs/runbook.md"));
    for (doc, text) in [
        ("README.md", &readme[start..end]),
        ("docs/runbook.md", &runbook[..]),
    ] {
        let uses: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("lint-pr changes"))
            .collect();
        assert!(!uses.is_empty(), "{doc} does not use `lint-pr changes`");
        for line in uses {
            for flag in line.split(|c: char| c.is_whitespace() || c == '`' || c == '[' || c == ']')
            {
                if flag.starts_with("--") && flag.len() > 2 {
                    assert!(
                        help.contains(flag),
                        "{doc} uses {flag}, which `lint-pr changes` does not have"
                    );
                }
            }
        }
    }
    // lint-pr's own runbook, which now starts with the command, still passes.
    let out = bin()
        .current_dir(&root)
        .args(["runbook", "docs/runbook.md"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("no findings"), "{}", stdout(&out));
}

#[test]
fn a_refused_token_stops_the_remaining_calls() {
    // More PRs than are asked at once: after the first 401s, the rest are not asked.
    let repo = Repo::new();
    let mut stream = String::new();
    let start = now() - 3 * 3600;
    for i in 1..=80u64 {
        let message = format!("Change {i} (#{i})\n");
        let file = format!("services/s{i}.rs");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{i}\ncommitter T <t@example.com> {} +0000\ndata {}\n{message}\n",
            start + i as i64 * 60,
            message.len()
        ));
        if i > 1 {
            stream.push_str(&format!("from :{}\n", i - 1));
        }
        stream.push_str(&format!("M 100644 inline {file}\ndata 2\nx\n\n"));
    }
    let mut child = Command::new("git")
        .current_dir(repo.path())
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stream.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["checkout", "-q", "main"]);

    let fake = fake();
    fake.set_delay(std::time::Duration::from_millis(50));
    let v = json(&changes(
        &repo,
        Some(&fake.uri()),
        Some("ghp_refused"),
        &["--format", "json", "--repo", REPO],
    ));
    assert_eq!(prs(&v).len(), 80);
    let asked = pull_requests(&fake).len();
    assert!(
        (1..80).contains(&asked),
        "{asked} of 80 PRs asked after GitHub refused the token"
    );
    assert_eq!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w.as_str().unwrap().contains("401"))
            .count(),
        1,
        "one warning, not one per PR: {:#}",
        v["warnings"]
    );
    assert!(
        v["warnings"].to_string().contains("(80 of 80 PRs)"),
        "the warning says how many PRs it costs: {:#}",
        v["warnings"]
    );
}

#[test]
fn an_invalid_configuration_is_a_warning_and_the_recommended_names_are_used() {
    let (repo, fake) = (history(), fake());
    repo.write(".github/lint-pr.yml", "description:\n  sections: nope\n");
    let v = json(&changes(
        &repo,
        Some(&fake.uri()),
        Some(TOKEN),
        &["--format", "json"],
    ));
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("invalid configuration (.github/lint-pr.yml:2:"),
        "{warnings}"
    );
    let sessions = change(&v, 102);
    assert_eq!(
        sessions["expected_behavior_change"], "Login p95 drops; Redis memory grows by about 2 GB.",
        "a recommended alias still matches"
    );
    assert_eq!(
        sessions["if_something_seems_wrong"],
        Value::Null,
        "\"Pager notes\" was only the broken file's alias"
    );
}
