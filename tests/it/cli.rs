//! The `lint-pr` binary end to end: real git repositories in temp dirs, real
//! files, the exit codes and outputs of the CLI's contract (README, "Using it").

use std::process::Output;

use serde_json::Value;

use crate::support::repo::{Repo, bin};

fn good_description() -> String {
    crate::support::read(&crate::support::fixtures().join("examples/pr-description.md"))
}

fn good_runbook() -> String {
    crate::support::read(&crate::support::fixtures().join("examples/runbook.md"))
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (rule, path, line) of every finding.
fn findings(v: &Value) -> Vec<(String, Option<String>, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().map(str::to_string),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const ENFORCING: &str = "extends: recommended\nmode: enforcing\n";

/// main: config, two good runbooks. feature: one runbook gets a preamble before
/// its triage section, source changes. The other runbook is broken on main but unchanged.
fn feature_branch_repo() -> Repo {
    let repo = Repo::new();
    repo.write(".github/lint-pr.yml", ENFORCING);
    repo.write("runbooks/media.md", &good_runbook());
    repo.write(
        "runbooks/legacy.md",
        "# Legacy service is down\n\n## Overview\n\nNo triage here.\n",
    );
    repo.write("README.md", "# Service\n");
    repo.commit("main");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    // A preamble before the triage section: the reader who does not know what is
    // wrong has to get past it first.
    let broken = good_runbook().replace(
        "## If you don't know what's wrong yet, start here",
        "## Overview\n\nHow the service came to be.\n\n## If you don't know what's wrong yet, start here",
    );
    repo.write("runbooks/media.md", &broken);
    repo.write("src/app.rs", "fn main() {}\n");
    repo.write("pr.md", &good_description());
    repo.commit("feature");
    repo
}

#[test]
fn feature_branch_lints_changed_runbooks_with_the_repo_config() {
    let repo = feature_branch_repo();
    // From a subdirectory: the config is found up to the git root, paths are repo-relative.
    let out = repo.lint("src", &["--body-file", "../pr.md", "--format", "json"]);
    let v = json(&out);
    assert_eq!(
        code(&out),
        1,
        "enforcing mode fails on an error: {}",
        stderr(&out)
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["conclusion"], "failure");
    assert_eq!(
        findings(&v),
        [(
            "runbook/triage-first".to_string(),
            Some("runbooks/media.md".to_string()),
            // The triage section's heading, now after the preamble.
            9
        )]
    );
}

#[test]
fn explicit_base_and_changed_paths_select_the_files() {
    let repo = feature_branch_repo();
    let out = repo.lint(
        "",
        &["--body-file", "pr.md", "--base", "main", "--format", "json"],
    );
    assert_eq!(findings(&json(&out)).len(), 1);
    // Paths given on the command line replace git's list; relative to the cwd.
    let out = repo.lint(
        "runbooks",
        &["--body-file", "../pr.md", "--format", "json", "legacy.md"],
    );
    let v = json(&out);
    assert_eq!(findings(&v)[0].1.as_deref(), Some("runbooks/legacy.md"));
    // A --base git cannot resolve is an input error.
    let out = repo.lint("", &["--body-file", "pr.md", "--base", "no-such-ref"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("no-such-ref"), "{}", stderr(&out));
}

#[test]
fn docs_only_change_waives_behaviour_and_rollback_sections() {
    let repo = Repo::new();
    repo.write(".github/lint-pr.yml", ENFORCING);
    repo.write("README.md", "# x\n");
    repo.commit("main");
    let body =
        "## What this does\nFixes a typo in the guide.\n\n## Why\nReaders were confused by it.\n";
    repo.write("body.md", body);
    let docs = repo.lint(
        "",
        &[
            "--body-file",
            "body.md",
            "--format",
            "json",
            "docs/guide.md",
            "README.md",
        ],
    );
    assert_eq!(code(&docs), 0, "{}", stdout(&docs));
    assert_eq!(json(&docs)["conclusion"], "success");
    // The author is told which sections were not asked for, and why.
    let waived = "section \"Expected behavior change\" is not required for this PR: every changed file matches its `unless: only_changed` globs";
    assert!(stderr(&docs).contains(waived), "{}", stderr(&docs));
    let code_change = repo.lint(
        "",
        &[
            "--body-file",
            "body.md",
            "--format",
            "json",
            "docs/guide.md",
            "src/lib.rs",
        ],
    );
    assert_eq!(code(&code_change), 1);
    let rules: Vec<_> = findings(&json(&code_change))
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(rules, ["pr/required-section", "pr/required-section"]);
    assert!(
        !stderr(&code_change).contains("not required for this PR"),
        "{}",
        stderr(&code_change)
    );
}

#[test]
fn no_configuration_means_recommended_in_advisory_mode() {
    let repo = Repo::new();
    repo.write("body.md", "Bumped the pool size.\n");
    repo.commit("main");
    let out = repo.lint(
        "",
        &["--body-file", "body.md", "--format", "json", "src/db.rs"],
    );
    assert_eq!(code(&out), 0, "advisory never fails");
    let v = json(&out);
    assert_eq!(v["conclusion"], "neutral");
    assert_eq!(findings(&v).len(), 4);
    assert!(
        v["findings"][0]["path"].is_null(),
        "description findings have path null"
    );
    assert!(
        stderr(&out).contains("advisory"),
        "the note goes to stderr in machine formats: {}",
        stderr(&out)
    );
}

#[test]
fn invalid_configuration_exits_2_naming_file_line_column() {
    let repo = Repo::new();
    repo.write(
        ".github/lint-pr.yml",
        "extends: recommended\nrules:\n  pr/unchecked-tsk: error\n",
    );
    repo.write("body.md", &good_description());
    repo.commit("main");
    let out = repo.lint("", &["--body-file", "body.md", "src/a.rs"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains(".github/lint-pr.yml:3:3: unknown rule \"pr/unchecked-tsk\"; did you mean \"pr/unchecked-task\"?"), "{err}");
    assert!(
        err.contains("3 |   pr/unchecked-tsk: error"),
        "the human format shows the line: {err}"
    );
    // Machine formats also carry it as a config/invalid finding on the file.
    let out = repo.lint(
        "",
        &["--body-file", "body.md", "--format", "json", "src/a.rs"],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(
        findings(&json(&out)),
        [(
            "config/invalid".into(),
            Some(".github/lint-pr.yml".into()),
            3
        )]
    );
}

#[test]
fn org_config_is_read_with_org_config_and_noted_without() {
    let repo = Repo::new();
    repo.write(".github/lint-pr.yml", "extends: org\n");
    repo.write("org.yml", "extends: strict\nmode: advisory\n");
    repo.write(
        "body.md",
        &format!("{}\n- [ ] dashboards updated\n", good_description()),
    );
    repo.commit("main");
    let with_org = repo.lint(
        "",
        &[
            "--body-file",
            "body.md",
            "--org-config",
            "org.yml",
            "--format",
            "json",
            "src/a.rs",
        ],
    );
    let v = json(&with_org);
    assert_eq!(
        findings(&v)
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>(),
        ["pr/unchecked-task"]
    );
    assert_eq!(
        v["conclusion"], "neutral",
        "the org's advisory mode applies"
    );
    let without = repo.lint("", &["--body-file", "body.md", "src/a.rs"]);
    assert_eq!(code(&without), 0);
    assert!(
        stdout(&without).contains("cannot see the organisation's lint-pr.yml"),
        "{}",
        stdout(&without)
    );
    assert!(
        stdout(&without).contains("no findings"),
        "recommended leaves unchecked tasks alone"
    );
}

#[test]
fn github_actions_event_supplies_the_description() {
    let repo = Repo::new();
    repo.write("README.md", "x\n");
    repo.commit("main");
    let payloads = crate::support::fixtures().join("github/webhooks/payloads/pull_request");
    for (file, body_findings) in [
        ("opened.payload.json", 4),
        ("opened.with-null-body.json", 4),
    ] {
        let out = bin()
            .current_dir(repo.path())
            .env("GITHUB_EVENT_PATH", payloads.join(file))
            .args(["--format", "github"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "no config: advisory: {}", stderr(&out));
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), body_findings, "{text}");
        assert!(
            lines.iter().all(|l| l
                .starts_with("::error title=pr/required-section::PR description: missing section")),
            "{text}"
        );
        // The payload's SHAs are not in this repository (as in a shallow checkout).
        assert!(stderr(&out).contains("fetch-depth: 0"), "{}", stderr(&out));
    }
}

#[test]
fn stdin_and_crlf_descriptions() {
    let dir = tempfile::tempdir().unwrap();
    let run = |body: &str| {
        let mut child = bin()
            .current_dir(dir.path())
            .args(["--body-file", "-", "--format", "json", "src/a.rs"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(body.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        json(&out)
    };
    let lf = "## What this does\nx\n\n## Why\nTBD\n";
    let a = run(lf);
    let b = run(&lf.replace('\n', "\r\n"));
    assert_eq!(a, b);
    let empty: Vec<_> = findings(&a)
        .into_iter()
        .filter(|f| f.0 == "pr/empty-section")
        .collect();
    assert_eq!(empty, [("pr/empty-section".to_string(), None, 4)]);
}

#[test]
fn runbook_subcommand_recurses_and_keeps_paths_as_given_outside_git() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("ops/db")).unwrap();
    std::fs::write(root.join("ops/good.md"), good_runbook()).unwrap();
    std::fs::write(
        root.join("ops/db/failover.html.md.erb"),
        "# <%= current_page.data.title %>\n\n## Overview\n\n## Escalation\n\nPage the DBA.\n",
    )
    .unwrap();
    std::fs::write(root.join("ops/notes.txt"), "not markdown").unwrap();
    let out = bin()
        .current_dir(root)
        .args(["runbook", "--format", "json", "ops"])
        .output()
        .unwrap();
    let v = json(&out);
    let paths: Vec<_> = findings(&v).into_iter().filter_map(|f| f.1).collect();
    assert!(
        paths.iter().all(|p| p == "ops/db/failover.html.md.erb"),
        "{paths:?}"
    );
    assert!(!paths.is_empty());
    let missing = bin()
        .current_dir(root)
        .args(["runbook", "nope.md"])
        .output()
        .unwrap();
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("nope.md"), "{}", stderr(&missing));
}

#[test]
fn cross_file_links_resolve_on_disk() {
    let repo = Repo::new();
    let runbook = good_runbook().replace(
        "If the secret was rotated in the last hour, restart the API pods.",
        "See [rotation](secrets.md#rotating-credentials) and [gone](gone.md).",
    );
    repo.write("runbooks/media.md", &runbook);
    repo.write(
        "runbooks/secrets.md",
        "# Secrets\n\n## Rotating credentials\n",
    );
    repo.commit("main");
    let out = repo.lint("", &["runbook", "--format", "json", "runbooks/media.md"]);
    let v = json(&out);
    let msgs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(msgs, ["link to \"gone.md\", which does not exist"], "{v}");
}

/// A fragment the site includes into other pages (MkDocs' `docs/snippets/`)
/// has its relative links resolved from the including page: lint-pr does not
/// call them broken from the fragment's folder, and still does elsewhere.
#[test]
fn links_in_an_included_fragment_are_not_resolved_from_its_folder() {
    let repo = Repo::new();
    let fragment = "Before you start, install Knative with [YAML](../install/yaml/README.md) \
                    and read [the prerequisites](#prerequisites).\n";
    repo.write("docs/snippets/prereqs.md", fragment);
    repo.write("docs/guides/prereqs.md", fragment);
    repo.commit("main");
    let out = repo.lint(
        "",
        &[
            "runbook",
            "--format",
            "json",
            "docs/snippets/prereqs.md",
            "docs/guides/prereqs.md",
        ],
    );
    let v = json(&out);
    let broken: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "runbook/broken-reference")
        .map(|f| (f["path"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        broken,
        [
            (
                "docs/guides/prereqs.md",
                "link to \"../install/yaml/README.md\", which does not exist"
            ),
            (
                "docs/guides/prereqs.md",
                "link to \"#prerequisites\", which matches no heading in this file"
            ),
        ],
        "{v}"
    );
}

/// The recommended preset reads a folder of architecture decision records as
/// reference pages ("Do not use HAProxy" is a decision, not a problem) and a
/// site's 404 page as a stub ("Page not found").
#[test]
fn decision_records_and_404_pages_are_no_incident_runbooks() {
    let repo = Repo::new();
    repo.write(
        "docs/adr/0035-do-not-use-haproxy.md",
        "# ADR035: Do not use HAProxy\n\n## Context\n\nWe used HAProxy.\n\n## Decision\n\nUse the load balancer.\n",
    );
    repo.write(
        "docs/404.html.md",
        "# Page not found\n\nIf you typed the address, check it is correct. Contact us if the page is still not found.\n",
    );
    repo.commit("main");
    let out = repo.lint("", &["runbook", "--format", "json", "docs"]);
    let v = json(&out);
    assert_eq!(v["findings"], serde_json::json!([]), "{v}");
    let skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["docs/404.html.md"], "{v}");
}

#[test]
fn rules_explain_and_their_errors() {
    let out = bin().arg("rules").output().unwrap();
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for rule in lint_pr::rules::RULES {
        assert!(
            text.contains(rule.meta().id),
            "{} missing from `lint-pr rules`",
            rule.meta().id
        );
    }
    assert!(text.contains("pr/unchecked-task") && text.contains("off"));
    let out = bin()
        .args(["explain", "runbook/triage-first"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("## Why it matters at 3am"));
    let out = bin().args(["explain", "triage-first"]).output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean \"runbook/triage-first\""),
        "{}",
        stderr(&out)
    );
    let out = bin().args(["--format", "yaml"]).output().unwrap();
    assert_eq!(code(&out), 2, "a usage error exits 2");
}

#[test]
fn init_writes_a_template_whose_placeholders_are_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let again = bin().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(code(&again), 2, "init never overwrites without --force");
    let check = bin()
        .current_dir(dir.path())
        .args(["config", "check"])
        .output()
        .unwrap();
    assert_eq!(code(&check), 0, "{}", stderr(&check));
    // The unfilled template: four empty sections.
    let out = bin()
        .current_dir(dir.path())
        .args([
            "--body-file",
            ".github/pull_request_template.md",
            "--format",
            "json",
            "src/a.rs",
        ])
        .output()
        .unwrap();
    let rules: Vec<_> = findings(&json(&out)).into_iter().map(|f| f.0).collect();
    assert_eq!(rules, ["pr/empty-section"; 4]);
    // Filled in, it passes.
    let template = crate::support::read(&dir.path().join(".github/pull_request_template.md"));
    let mut filled = String::new();
    // Each section its own answer: a section that repeats another is reported.
    for (n, line) in template.lines().enumerate() {
        if line.starts_with("<!--") {
            filled.push_str(&format!(
                "Real text {n} written by the author, with `a command` to run.\n"
            ));
        } else {
            filled.push_str(line);
            filled.push('\n');
        }
    }
    std::fs::write(dir.path().join("filled.md"), filled).unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["--body-file", "filled.md", "--format", "json", "src/a.rs"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["findings"], serde_json::json!([]));
}

/// Every `--flag` the shipped integrations pass must exist in the CLI.
#[test]
fn action_and_pre_commit_hook_use_real_flags() {
    let root = crate::support::root();
    let help = |args: &[&str]| stdout(&bin().args(args).output().unwrap());
    let check_help = help(&["check", "--help"]);
    let runbook_help = help(&["runbook", "--help"]);

    let action: Value =
        serde_saphyr::from_str(&crate::support::read(&root.join("action.yml"))).unwrap();
    let steps = action["runs"]["steps"]
        .as_array()
        .expect("a composite action has steps");
    assert_eq!(action["runs"]["using"], "composite");
    let lint_step = steps
        .iter()
        .find(|s| s["id"] == "lint")
        .expect("a step with id: lint");
    let run_lines = lint_step["run"].as_str().unwrap();
    assert!(run_lines.contains("lint-pr"), "the action runs lint-pr");
    assert!(
        run_lines.contains("--format github"),
        "the action prints workflow commands"
    );
    for flag in flags(run_lines) {
        assert!(
            check_help.contains(&flag),
            "action.yml uses {flag}, which `lint-pr check` does not have"
        );
    }

    let hooks: Value =
        serde_saphyr::from_str(&crate::support::read(&root.join(".pre-commit-hooks.yaml")))
            .unwrap();
    let hook = hooks
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "lint-pr-runbook")
        .expect("lint-pr-runbook hook");
    let entry = hook["entry"].as_str().unwrap();
    assert!(entry.starts_with("lint-pr runbook"), "{entry}");
    let args: Vec<String> = hook["args"].as_array().map_or(vec![], |a| {
        a.iter().map(|x| x.as_str().unwrap().to_string()).collect()
    });
    for flag in flags(&format!("{entry} {}", args.join(" "))) {
        assert!(
            runbook_help.contains(&flag),
            ".pre-commit-hooks.yaml uses {flag}, which `lint-pr runbook` does not have"
        );
    }
    assert!(
        hook["files"].as_str().unwrap().contains("md"),
        "the hook runs on markdown"
    );
    // And the hook's command works on a file.
    let ok = bin()
        .args(["runbook"])
        .arg(crate::support::fixtures().join("examples/runbook.md"))
        .output()
        .unwrap();
    assert_eq!(code(&ok), 0);
}

fn flags(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '=' || c == '"' || c == '\'')
        .filter(|w| {
            w.starts_with("--")
                && w.len() > 2
                && w.chars().nth(2).is_some_and(|c| c.is_ascii_lowercase())
        })
        .map(str::to_string)
        .collect()
}

/// In Actions, a draft PR (the real `converted_to_draft` payload) is linted but its
/// errors conclude neutral (exit 0), and the output says why; `drafts: lint` fails
/// it like any PR (issue 11).
#[test]
fn a_draft_in_actions_concludes_neutral() {
    let repo = Repo::new();
    repo.write(".github/lint-pr.yml", ENFORCING);
    repo.write("README.md", "x\n");
    repo.commit("main");
    let event = crate::support::fixtures().join(
        "github/webhooks/payloads/pull_request/converted_to_draft.with-installation.payload.json",
    );
    let run = |format: &str| {
        bin()
            .current_dir(repo.path())
            .env("GITHUB_EVENT_PATH", &event)
            .args(["--format", format, "src/a.rs"])
            .output()
            .unwrap()
    };
    let out = run("json");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["conclusion"], "neutral");
    assert!(!findings(&v).is_empty(), "a draft is still linted");
    assert!(
        stderr(&out).contains("this PR is a draft"),
        "{}",
        stderr(&out)
    );
    let human = run("human");
    assert!(
        stdout(&human).contains("this PR is a draft"),
        "{}",
        stdout(&human)
    );
    assert!(
        stdout(&human).contains("conclusion: neutral (enforcing mode)"),
        "{}",
        stdout(&human)
    );

    repo.write(
        ".github/lint-pr.yml",
        "extends: recommended\nmode: enforcing\ndrafts: lint\n",
    );
    let out = run("json");
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(json(&out)["conclusion"], "failure");
}

/// In Actions, a PR by a bot is skipped by default in both forms GitHub names one
/// (`dependabot[bot]` of type Bot, `app/dependabot`), as the App does; `--skip-bots
/// false` lints it (issue 11).
#[test]
fn bots_are_skipped_in_actions_by_default() {
    let repo = Repo::new();
    repo.write(".github/lint-pr.yml", ENFORCING);
    repo.write("README.md", "x\n");
    repo.commit("main");
    let opened = crate::support::fixtures()
        .join("github/webhooks/payloads/pull_request/opened.payload.json");
    let mut event: Value = serde_json::from_str(&crate::support::read(&opened)).unwrap();
    for (login, kind) in [("dependabot[bot]", "Bot"), ("app/dependabot", "User")] {
        event["pull_request"]["user"]["login"] = login.into();
        event["pull_request"]["user"]["type"] = kind.into();
        let path = repo.path().join("event.json");
        std::fs::write(&path, event.to_string()).unwrap();
        let out = bin()
            .current_dir(repo.path())
            .env("GITHUB_EVENT_PATH", &path)
            .env_remove("LINT_PR_SKIP_BOTS")
            .args(["--format", "json", "src/a.rs"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{login}: {}", stderr(&out));
        assert_eq!(findings(&json(&out)), [], "{login}");
        assert!(
            stderr(&out).contains("is a bot: not linted"),
            "{login}: {}",
            stderr(&out)
        );
        let linted = bin()
            .current_dir(repo.path())
            .env("GITHUB_EVENT_PATH", &path)
            .args(["--skip-bots", "false", "--format", "json", "src/a.rs"])
            .output()
            .unwrap();
        assert_eq!(code(&linted), 1, "{login}: {}", stderr(&linted));
    }
}

/// Stubs are listed in JSON's `"skipped"` with a reason and get no findings but
/// broken references; `runbook.kinds` makes a folder procedures (no triage or
/// escalation findings) or stubs; front matter wins over it (issue 11).
#[test]
fn runbook_kinds_and_skipped_stubs() {
    let repo = Repo::new();
    let incident = "# Checkout is down\n\n## Overview\nThe checkout service takes payments.\n";
    repo.write(
        ".github/lint-pr.yml",
        "extends: recommended\nmode: enforcing\nrunbook:\n  paths: [\"runbooks/**/*.md\"]\n  kinds:\n    \"runbooks/guides/**\": procedure\n    \"runbooks/old/**\": stub\n",
    );
    repo.write("runbooks/_index.md", "---\ntitle: Runbooks\n---\n");
    repo.write("runbooks/checkout.md", incident);
    repo.write("runbooks/guides/checkout.md", incident);
    repo.write("runbooks/old/checkout.md", incident);
    repo.write(
        "runbooks/old/declared.md",
        &format!("---\nrunbook_kind: alert\n---\n{incident}"),
    );
    repo.commit("main");
    let out = repo.lint("", &["runbook", "--format", "json", "runbooks"]);
    let v = json(&out);
    let paths_with_findings: std::collections::BTreeSet<String> =
        findings(&v).into_iter().filter_map(|f| f.1).collect();
    assert_eq!(
        paths_with_findings.into_iter().collect::<Vec<_>>(),
        ["runbooks/checkout.md", "runbooks/old/declared.md"],
        "the procedure and the stubs get no triage or escalation findings; front matter wins"
    );
    assert_eq!(
        v["skipped"],
        serde_json::json!([
            {"path": "runbooks/_index.md", "reason": "a section index: front matter and at most a title"},
            {"path": "runbooks/old/checkout.md", "reason": "`runbook.kinds` in the configuration makes it a stub"},
        ])
    );
    let human = repo.lint("", &["runbook", "runbooks"]);
    assert!(
        stdout(&human).contains("note: 2 runbooks are stubs"),
        "{}",
        stdout(&human)
    );
}

/// `lint-pr explain` lists the accepted headings of the configuration in effect,
/// and suggests the nearest rule id for a typo (issue 11).
#[test]
fn explain_lists_accepted_names_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["explain", "pr/required-section"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("## Accepted names\nFrom the recommended preset"),
        "{text}"
    );
    assert!(
        text.contains("required section \"If something seems wrong after this ships\""),
        "{text}"
    );
    assert!(text.contains("  - Rollback plan\n"), "{text}");
    std::fs::write(
        dir.path().join("mine.yml"),
        "description:\n  sections:\n    - name: Why\n      aliases: [Because]\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["explain", "pr/required-section", "--config", "mine.yml"])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("From `mine.yml`"), "{text}");
    assert!(
        text.contains("required section \"Why\" (`description.sections`):\n  - Why\n  - Because\n"),
        "{text}"
    );
    let out = bin()
        .current_dir(dir.path())
        .args(["explain", "triage-frist"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean \"runbook/triage-first\""),
        "{}",
        stderr(&out)
    );
}
