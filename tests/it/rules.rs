//! Integration tests: rules.
//!
//! - `pr` / `runbook`: every `fails_*.md` and `passes_*.md` under
//!   `fixtures/rules/<family>/<rule>/` is linted with only that rule on, and the
//!   human-rendered findings (code frame and help) are snapshotted under
//!   `snapshots/`. `target_*.md` files beside them are link targets, not fixtures.
//! - `check(rule, markdown, expect)`: small inline edge cases, as data.
//! - `examples_pass_recommended`: the reference examples in `fixtures/examples/`
//!   give zero findings with the recommended preset (SPEC).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use lint_pr::config::{self, CompiledConfig};
use lint_pr::lint::{self, Inputs, RunbookInput};
use lint_pr::markdown::{FileLookup, Lookup};
use lint_pr::report::{self, Format, RenderOptions, Report};
use lint_pr::rules::{Facts, RULES};

use crate::support;

/// Files under the project root, for `[x](other.md#anchor)` links in fixtures.
struct ProjectFiles {
    root: PathBuf,
}

impl FileLookup for ProjectFiles {
    fn lookup(&self, path: &str) -> Lookup {
        let full = self.root.join(path);
        match std::fs::read_to_string(&full) {
            Ok(text) => Lookup::Found(text),
            Err(_) if full.exists() => Lookup::Unknown,
            Err(_) => Lookup::Missing,
        }
    }
}

/// Which text a rule reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Pr,
    Runbook,
}

impl Family {
    fn of(rule: &str) -> Family {
        if rule.starts_with("pr/") {
            Family::Pr
        } else {
            Family::Runbook
        }
    }
}

/// Lint `text` with only `rule` on. Runbook text is linted as the file at `path`
/// (relative to the project root, so its links resolve among the fixtures).
fn lint_one(rule: &str, path: &str, text: &str) -> Report {
    let cfg: CompiledConfig = config::recommended().only_rule(rule);
    let files = ProjectFiles {
        root: support::root(),
    };
    let runbook = [RunbookInput { path, text }];
    let (description, runbooks): (Option<&str>, &[RunbookInput<'_>]) = match Family::of(rule) {
        Family::Pr => (Some(text), &[]),
        Family::Runbook => (None, &runbook),
    };
    lint::run(
        &Inputs {
            title: None,
            description,
            facts: Facts::default(),
            runbooks,
            files: &files,
        },
        &cfg,
    )
}

/// `fixtures/rules/runbook/broken_reference/x.md` → `runbook/broken-reference`.
fn rule_of(fixture: &Path) -> String {
    let dir = fixture.parent().unwrap();
    let family = dir.parent().unwrap().file_name().unwrap().to_str().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap().replace('_', "-");
    format!("{family}/{name}")
}

/// The fixture's path relative to the project root, `/`-separated.
fn relative(fixture: &Path) -> String {
    let root = support::root().canonicalize().unwrap();
    let rel = fixture.strip_prefix(&root).unwrap_or(fixture);
    rel.components()
        .map(|c| c.as_os_str().to_str().unwrap())
        .collect::<Vec<_>>()
        .join("/")
}

/// Lint one fixture, check the fails/passes contract, and return the rendering.
fn run_fixture(fixture: &Path) -> String {
    let rule = rule_of(fixture);
    assert!(
        lint_pr::rules::find(&rule).is_some(),
        "{}: no rule {rule}",
        fixture.display()
    );
    let text = support::read(fixture);
    let path = relative(fixture);
    let report = lint_one(&rule, &path, &text);
    let name = fixture.file_name().unwrap().to_str().unwrap();
    let own = report
        .findings()
        .iter()
        .filter(|l| l.finding.rule == rule)
        .count();
    let others: Vec<_> = report
        .findings()
        .iter()
        .filter(|l| l.finding.rule != rule)
        .collect();
    assert!(
        others.is_empty(),
        "{path}: findings of other rules: {others:?}"
    );
    if name.starts_with("fails_") {
        assert!(
            own > 0,
            "{path}: expected at least one {rule} finding, got none"
        );
    } else {
        assert_eq!(
            own,
            0,
            "{path}: expected no finding, got:\n{}",
            render(&report)
        );
    }
    // The source is cited in an HTML comment on the first line, or on the first
    // line after the front matter (YAML `---` or TOML `+++`, which must open the
    // file to be front matter).
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or("");
    if first == "---" || first == "+++" {
        let fence = first;
        first = lines
            .by_ref()
            .skip_while(|l| *l != fence)
            .nth(1)
            .unwrap_or("");
    }
    assert!(
        first.starts_with("<!--") && first.contains("-->"),
        "{path}: the first line must be an HTML comment citing the source"
    );
    render(&report)
}

fn render(report: &Report) -> String {
    report::render(report, Format::Human, RenderOptions::default())
}

#[test]
fn pr() {
    insta::glob!("../../fixtures/rules/pr", "*/{fails,passes}_*.md", |path| {
        insta::assert_snapshot!(run_fixture(path));
    });
}

#[test]
fn runbook() {
    insta::glob!(
        "../../fixtures/rules/runbook",
        "*/{fails,passes}_*.md",
        |path| {
            insta::assert_snapshot!(run_fixture(path));
        }
    );
}

/// Every rule (but `config/invalid`, which reads no document) has at
/// least three failing fixtures and one passing one.
#[test]
fn every_rule_has_fixtures() {
    for rule in RULES {
        let id = rule.meta().id;
        if id == "config/invalid" {
            continue;
        }
        let (family, name) = id.split_once('/').unwrap();
        let dir = support::root()
            .join("fixtures/rules")
            .join(family)
            .join(name.replace('-', "_"));
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let count = |prefix: &str| {
            names
                .iter()
                .filter(|n| n.starts_with(prefix) && n.ends_with(".md"))
                .count()
        };
        assert!(
            count("fails_") >= 3,
            "{id}: fewer than 3 fails_*.md in {}",
            dir.display()
        );
        assert!(
            count("passes_") >= 1,
            "{id}: no passes_*.md in {}",
            dir.display()
        );
    }
}

/// The CRLF fixture really has CRLF bytes (an editor or git must not normalise it).
#[test]
fn crlf_fixture_keeps_its_line_endings() {
    let path =
        support::root().join("fixtures/rules/pr/required_section/fails_crlf_bold_headings.md");
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "{} lost its CRLF line endings",
        path.display()
    );
}

/// Findings as `line:column rule message` (end positions left out: the
/// snapshots show them as carets).
fn located(report: &Report) -> Vec<String> {
    report
        .findings()
        .iter()
        .map(|l| {
            format!(
                "{}:{} {} {}",
                l.start.line, l.start.column, l.finding.rule, l.finding.message
            )
        })
        .collect()
}

/// Lint `markdown` with only `rule` on and compare `line:column rule message` lines.
/// Runbook text is linted as `runbooks/inline.md`.
#[track_caller]
fn check(rule: &str, markdown: &str, expect: &[&str]) {
    let report = lint_one(rule, "runbooks/inline.md", markdown);
    pretty_assertions::assert_eq!(located(&report), expect, "\n{}", render(&report));
}

// --- exact positions (line, column in characters) ---

#[test]
fn exact_positions_in_fixtures() {
    let cases: [(&str, &str, &[&str]); 3] = [
        (
            "fixtures/rules/runbook/broken_reference/fails_see_section_quotes.md",
            "runbook/broken-reference",
            &[
                "7:35 runbook/broken-reference reference to section \"Failover\", which does not exist",
                // `“` counts as one character.
                "8:34 runbook/broken-reference reference to section \"Complete outage\", which does not exist",
            ],
        ),
        (
            // CRLF: the same lines and columns as with LF.
            "fixtures/rules/pr/empty_section/fails_crlf_template_comments.md",
            "pr/empty-section",
            &[
                "5:1 pr/empty-section section \"Why?\" is empty",
                "11:1 pr/empty-section section \"Potential risks\" is empty",
            ],
        ),
        (
            "fixtures/rules/pr/unchecked_task/fails_nested_task.md",
            "pr/unchecked-task",
            &[
                "6:6 pr/unchecked-task unchecked task \"dashboard updated with the new `export_lag_seconds` panel\"",
            ],
        ),
    ];
    for (path, rule, expect) in cases {
        let text = support::read(&support::root().join(path));
        let report = lint_one(rule, path, &text);
        pretty_assertions::assert_eq!(located(&report), expect, "{path}");
    }
    // End columns point just past the last character, as in SARIF.
    let text = support::read(
        &support::root()
            .join("fixtures/rules/runbook/broken_reference/fails_see_section_quotes.md"),
    );
    let report = lint_one("runbook/broken-reference", "x.md", &text);
    let ends: Vec<(u32, u32)> = report
        .findings()
        .iter()
        .map(|l| (l.end.line, l.end.column))
        .collect();
    assert_eq!(ends, [(7, 43), (8, 49)]);
}

#[test]
fn position_of_a_curly_quoted_reference_counts_characters() {
    // `“` is 3 bytes; the column counts it as one character.
    check(
        "runbook/broken-reference",
        "# Queue\n\n## Start here\n\n1. Check it — see “Scale wrokers”.\n\n## Scale workers\n",
        &[
            "5:20 runbook/broken-reference reference to section \"Scale wrokers\", which does not exist",
        ],
    );
}

#[test]
fn position_of_an_empty_bold_section() {
    check(
        "pr/empty-section",
        "**What this does**\nAdds retries.\n\n**Why:**\nTBD\n",
        &["4:1 pr/empty-section section \"Why\" is empty"],
    );
}

#[test]
fn position_of_a_step_without_command() {
    check(
        "runbook/step-without-command",
        "# Cache\n\n## Start here\n\n1. Check the hit rate: `redis-cli info stats`\n   - If below 80%: see \"Cold cache\".\n2. Check whether the cache nodes are up.\n",
        &["7:1 runbook/step-without-command step 2 gives no command to run or place to look"],
    );
}

// --- edge cases ---

const MISSING_ALL: &[&str] = &[
    "1:1 pr/required-section missing section \"What this does\"",
    "1:1 pr/required-section missing section \"Why\"",
    "1:1 pr/required-section missing section \"Expected behavior change\"",
    "1:1 pr/required-section missing section \"If something seems wrong after this ships\"",
];

#[test]
fn empty_description() {
    check("pr/required-section", "", MISSING_ALL);
    check("pr/empty-section", "", &[]);
}

#[test]
fn description_that_is_only_an_html_comment() {
    let md =
        "<!--\n## What this does\n## Why\n## Expected behavior change\n## Rollback plan\n-->\n";
    check("pr/required-section", md, MISSING_ALL);
    check("pr/empty-section", md, &[]);
}

#[test]
fn headings_inside_fenced_code_are_not_headings() {
    let md = "## What this does\nAdds a retry.\n\n```markdown\n## Why\nexample only\n```\n\n## Expected behavior change\nNone visible.\n\n## Rollback plan\nRevert.\n";
    check(
        "pr/required-section",
        md,
        &["1:1 pr/required-section missing section \"Why\""],
    );
    let runbook = "# Disk full\n\n~~~\n## Start here\n~~~\n\n## Cleanup\n";
    check(
        "runbook/triage-first",
        runbook,
        &[
            "7:1 runbook/triage-first runbook does not open with a triage section; the first section is \"Cleanup\"",
        ],
    );
}

#[test]
fn nested_subsections_count_as_section_content() {
    let md = "## Why\n\n### Background\nExports time out since the table passed 40M rows.\n";
    check("pr/empty-section", md, &[]);
    // …but a subsection that is itself empty does not fill its parent.
    check(
        "pr/empty-section",
        "## Why\n\n### Background\n<!-- fill in -->\n",
        &["1:1 pr/empty-section section \"Why\" is empty"],
    );
}

#[test]
fn ten_sections_with_the_same_name() {
    let mut md = String::from(
        "# Restarts\n\n## Start here\n\n1. Check `kubectl get pods` - if any is CrashLoopBackOff see [the 10th](#usage-9).\n",
    );
    for _ in 0..10 {
        md.push_str("\n## Usage\ntext\n");
    }
    md.push_str("\nSee [the 11th](#usage-10) and [the first](#usage).\n");
    check(
        "runbook/broken-reference",
        &md,
        &[
            "37:5 runbook/broken-reference link to \"#usage-10\", which matches no heading in this file",
        ],
    );
    // Ten "Why" headings: the first is the section; it is filled, so nothing is empty.
    let why = "## Why\nBecause.\n\n".repeat(10);
    check("pr/empty-section", &why, &[]);
}

#[test]
fn unicode_and_emoji_headings() {
    let md = "## 🚀 What this does?\nAdds a cache.\n\n## 💡 WHY:\nSlow pages.\n\n## Expected behaviour changes\nFaster.\n\n## ⚠️ Rollback plan\nRevert.\n";
    check("pr/required-section", md, &[]);
    check(
        "runbook/broken-reference",
        "# Über\n\n## Über_Status prüfen\n\nSee [status](#über_status-prüfen) and [emoji](#-start).\n\n## 🔥 Start\n",
        &[],
    );
}

#[test]
fn front_matter_is_skipped() {
    let md = "---\ntitle: Start here\nreview_in: 6 months\n---\n\n## Start here\n\n1. Check `uptime` - if load is above 8, see \"Overload\".\n\n## Overload\n";
    check("runbook/triage-first", md, &[]);
    check(
        "runbook/broken-reference",
        "---\nnote: see \"Nowhere\"\n---\n# T\n",
        &[],
    );
}

#[test]
fn erb_tags_in_headings() {
    let md = "# <%= current_page.data.title %>\n\n## Start here\n\n1. Check `kubectl get nodes`: if any is NotReady, see \"Node down\".\n\n## Node down\n\nSee [the runbook](<%= url_for('x') %>).\n";
    check("runbook/triage-first", md, &[]);
    check("runbook/broken-reference", md, &[]);
    check("runbook/step-without-interpretation", md, &[]);
}

#[test]
fn see_as_a_verb_is_not_a_reference() {
    let md = "# Pages\n\n## Checks\n\nIf everything is normal, you should see \"200 OK\".\nScroll down to see the \"Event grouping\" panel.\nIf it fails, see \"Pages down\".\n";
    check(
        "runbook/broken-reference",
        md,
        &[
            "7:19 runbook/broken-reference reference to section \"Pages down\", which does not exist",
        ],
    );
}

#[test]
fn numbered_lists_that_are_not_diagnostic_steps() {
    // A list of dashboards, a list of causes, and remediation actions.
    let md = "# Registry\n\n## Troubleshooting\n\nLook at these dashboards:\n\n1. [`registry-overview`](https://dashboards.example/registry)\n2. [`registry-database`](https://dashboards.example/db)\n\nPossible causes:\n\n1. Slow background saves\n2. Key evictions\n\n1. Restart the registry pods.\n";
    check("runbook/step-without-command", md, &[]);
    check("runbook/step-without-interpretation", md, &[]);
}

#[test]
fn an_if_item_interprets_the_step_before_it() {
    let md = "# WAL\n\n## Diagnosis\n\n1. Check `mtail` is working with `sudo sv status mtail`\n1. If `mtail` is up, check `/var/log/mtail` for lines containing `permission denied`.\n";
    check("runbook/step-without-interpretation", md, &[]);
    check("runbook/step-without-command", md, &[]);
    // The branch's own check reads nothing when it looks for errors in general:
    // step 1 is still read by the "If" item.
    let generic = md.replace("lines containing `permission denied`", "errors");
    check(
        "runbook/step-without-interpretation",
        &generic,
        &[
            "6:1 runbook/step-without-interpretation step 2 gives a command but does not say how to read its result",
        ],
    );
}

#[test]
fn steps_are_numbered_per_list() {
    let md = "# Backups\n\n## Start here\n\n1. Check the last backup age: `wal-g backup-list | tail -1`\n   - If older than 26 hours, see \"Backups\".\n\nThen, on the replica:\n\n1. Check replication.\n\n## Backups\n";
    check(
        "runbook/step-without-command",
        md,
        &["10:1 runbook/step-without-command step 1 gives no command to run or place to look"],
    );
}

#[test]
fn a_step_may_lead_with_its_command() {
    let md = "# Pods\n\n## Start here\n\n1. `kubectl get pods -n checkout`: are all Running?\n2. `kubectl top pods -n checkout` - normal is under 500m CPU each.\n";
    check(
        "runbook/step-without-interpretation",
        md,
        &[
            "5:1 runbook/step-without-interpretation step 1 gives a command but does not say how to read its result",
        ],
    );
}

#[test]
fn escalation_said_in_passing_is_held_to_a_threshold() {
    let messages = |rule: &str, md: &str| -> Vec<String> {
        let report = lint_one(rule, "runbooks/inline.md", md);
        report
            .findings()
            .iter()
            .map(|f| format!("{}: {}", f.start.line, f.finding.message))
            .collect()
    };
    let vague = "# Registry GC is overdue\n\n## Diagnosis\n\n1. Check the queue: `gcctl queue`\n\n## Resolution\n\nRaise the worker count.\nIn the presence of errors, the development team should be involved.\n";
    // A hand-over under another heading is the page's escalation: not missing,
    // but with no threshold, reported on its own line.
    assert!(messages("runbook/required-section", vague).is_empty());
    assert_eq!(
        messages("runbook/escalation-without-threshold", vague),
        [
            "10: escalation is said only in passing under \"Resolution\", with no measurable threshold"
        ]
    );
    // With a number, the sentence is an escalation an on-call engineer can act on.
    let measured = vague.replace(
        "In the presence of errors",
        "If errors stay above 5% for 10 minutes",
    );
    assert!(messages("runbook/escalation-without-threshold", &measured).is_empty());
    assert!(messages("runbook/required-section", &measured).is_empty());
    // "An incident involving …" and an alert that notifies a channel hand nothing over.
    assert_eq!(
        messages(
            "runbook/required-section",
            "# Search is down\n\n## Diagnosis\n\nAn incident involving the frontend is likely.\nAlerts notify us in #search.\n"
        ),
        ["1: missing section \"Signs this is getting worse\""]
    );
}

// --- the reference examples (SPEC) ---

#[test]
fn examples_pass_recommended() {
    let shared = support::fixtures();
    let description = support::read(&shared.join("examples/pr-description.md"));
    let runbook = support::read(&shared.join("examples/runbook.md"));
    let changed = vec!["src/main.rs".to_string()];
    let files = ProjectFiles {
        root: shared.clone(),
    };
    let runbooks = [RunbookInput {
        path: "examples/runbook.md",
        text: &runbook,
    }];
    let report = lint::run(
        &Inputs {
            title: None,
            description: Some(&description),
            facts: Facts {
                changed_paths: Some(&changed),
                ..Facts::default()
            },
            runbooks: &runbooks,
            files: &files,
        },
        &config::recommended(),
    );
    assert!(report.findings().is_empty(), "{}", render(&report));
}

// See: the bold pseudo-heading nesting found while writing fixtures.
#[test]
fn empty_heading_followed_by_a_bold_required_section_is_empty() {
    let md = "## What this does\nAdds retries.\n\n## Why\n\n**Rollback plan**\nRevert the PR.\n";
    let report = {
        let inputs = lint_pr::lint::Inputs {
            title: None,
            description: Some(md),
            facts: lint_pr::rules::Facts::default(),
            runbooks: &[],
            files: &lint_pr::markdown::NoFiles,
        };
        lint_pr::lint::run(
            &inputs,
            &lint_pr::config::recommended().only_rule("pr/empty-section"),
        )
    };
    let got: Vec<(String, u32)> = report
        .findings()
        .iter()
        .map(|l| (l.finding.message.clone(), l.start.line))
        .collect();
    assert_eq!(got, [("section \"Why\" is empty".to_string(), 4)]);
}

// --- pr/empty-section and the repository's own PR template (issue 11) ---

struct TemplateAt(&'static str, &'static str);

impl FileLookup for TemplateAt {
    fn lookup(&self, path: &str) -> Lookup {
        if path == self.0 {
            Lookup::Found(self.1.to_string())
        } else {
            Lookup::Missing
        }
    }
}

const TEMPLATE: &str = "## What this does\n<!-- hint -->\nWhat changes, in one sentence?\n\n## Why\n- Issue: #\n\n## Expected behavior change\nDoes this PR change what users see?\n- [ ] Yes\n- [ ] No\n";

fn empty_sections(description: &str, files: &dyn FileLookup) -> Vec<String> {
    let config = config::recommended().only_rule("pr/empty-section");
    let inputs = Inputs {
        title: None,
        description: Some(description),
        facts: Facts::default(),
        runbooks: &[],
        files,
    };
    lint::run(&inputs, &config)
        .findings()
        .iter()
        .map(|l| l.finding.message.clone())
        .collect()
}

/// A section that only points at an issue or PR tells the 3am reader nothing
/// without leaving the description (issue 11's labels: 5 batches of 6, and both
/// outside batches); `references_answer: true` accepts it, for a team whose
/// template asks for nothing more.
#[test]
fn a_section_that_only_points_at_an_issue_is_reported_unless_configured() {
    let body = "## What this does\nPool size 10 → 20.\n\n## Why\n- Resolves #6219\n\n## Expected behavior change\nNone.\n";
    assert_eq!(
        empty_sections(body, &lint_pr::markdown::NoFiles),
        ["section \"Why\" only points at #6219"]
    );
    for answered in [
        "- Fixes #6219: checkouts queue for a connection at peak",
        "Part of [#6219](https://github.com/o/r/issues/6219): checkouts queue at peak.",
        "![before and after](https://example.com/shot.png)",
        "Watch https://grafana.example.com/d/checkout for the error rate",
        "https://grafana.example.com/d/checkout",
    ] {
        let body = body.replace("- Resolves #6219", answered);
        assert!(
            empty_sections(&body, &lint_pr::markdown::NoFiles).is_empty(),
            "{answered}"
        );
    }
    let body_with_url = body.replace(
        "- Resolves #6219",
        "Closes https://github.com/o/r/pull/7#discussion_r1",
    );
    assert_eq!(
        empty_sections(&body_with_url, &lint_pr::markdown::NoFiles),
        ["section \"Why\" only points at o/r#7"]
    );
    for only in [
        "Closes https://github.com/o/r/issues/7",
        "This is a follow up to #12911 and is prep for #12801.",
        "Fixes #5101\nAlternative to #6511",
        "Part of o/r#12, see PROJ-42",
    ] {
        let body = body.replace("- Resolves #6219", only);
        assert_eq!(
            empty_sections(&body, &lint_pr::markdown::NoFiles).len(),
            1,
            "{only}"
        );
    }
    let config = config::load(
        config::Source::new(config::Scope::Local, "lint-pr.yml"),
        "rules:\n  pr/empty-section:\n    severity: error\n    references_answer: true\n",
        &mut |_| None,
    )
    .expect("valid config")
    .only_rule("pr/empty-section");
    let inputs = Inputs {
        title: None,
        description: Some(body),
        facts: Facts::default(),
        runbooks: &[],
        files: &lint_pr::markdown::NoFiles,
    };
    assert!(lint::run(&inputs, &config).findings().is_empty());
}

#[test]
fn lines_left_as_the_template_has_them_are_empty() {
    let files = TemplateAt(".github/PULL_REQUEST_TEMPLATE.md", TEMPLATE);
    let unfilled = "## What this does\nWhat changes, in one sentence?\n\n## Why\n- Issue: #\n\n## Expected behavior change\nDoes this PR change what users see?\n- [ ] Yes\n- [ ] No\n";
    assert_eq!(
        empty_sections(unfilled, &files),
        [
            "section \"What this does\" is empty",
            "section \"Why\" is empty",
            "section \"Expected behavior change\" is empty"
        ]
    );
    // Without the template, the same text is an answer.
    assert!(empty_sections(unfilled, &lint_pr::markdown::NoFiles).is_empty());
    // A ticked box, an issue number with a reason, a sentence of one's own: answered.
    let filled = "## What this does\nWhat changes, in one sentence?\nPool size 10 → 20.\n\n## Why\n- Issue: #123\nCheckouts queue for a connection at peak.\n\n## Expected behavior change\nDoes this PR change what users see?\n- [ ] Yes\n- [x] No\n";
    assert!(
        empty_sections(filled, &files).is_empty(),
        "{:?}",
        empty_sections(filled, &files)
    );
}

#[test]
fn the_template_is_looked_for_where_github_looks() {
    for path in lint_pr::rules::pr::TEMPLATE_PATHS {
        let files = TemplateAt(path, TEMPLATE);
        assert_eq!(
            empty_sections("## Why\n- Issue: #\n", &files).len(),
            1,
            "{path}"
        );
    }
    let elsewhere = TemplateAt("templates/pr.md", TEMPLATE);
    assert!(empty_sections("## Why\n- Issue: #\n", &elsewhere).is_empty());
}

/// The closest heading a missing section's message names shares a word with
/// that section's names only, not one every section has: "How was this change
/// tested?" shares "change" with "What changed" and "Behavior change" alike,
/// and is neither. A heading that shares a word of this section's own ("Manual
/// verification", "How to verify") is still named.
#[test]
fn the_closest_heading_shares_a_word_only_this_section_has() {
    let description = "## What this does\n\nRenames the metric store packages.\n\n## Why\n\nThe old names were inconsistent.\n\n## How was this change tested?\n\nCI.\n";
    check(
        "pr/required-section",
        description,
        &[
            "1:1 pr/required-section missing section \"Expected behavior change\"",
            "1:1 pr/required-section missing section \"If something seems wrong after this ships\"",
        ],
    );
    let description = description.replace("How was this change tested?", "Manual verification");
    check(
        "pr/required-section",
        &description,
        &[
            "1:1 pr/required-section missing section \"Expected behavior change\"",
            "1:1 pr/required-section missing section \"If something seems wrong after this ships\" (closest heading: \"Manual verification\", line 9)",
        ],
    );
}

/// A runbook's title is no candidate for its missing escalation section, nor is
/// a heading that shares only a name's generic last word ("policy" in
/// "Escalation policy", "getting" in "Signs this is getting worse"); one that
/// has a name's first word ("Escalation contacts") still is.
#[test]
fn the_closest_heading_of_a_runbook_is_no_title_and_no_generic_word() {
    let runbook = "# ACM Policy SOPs\n\n## Diagnosis\n\n1. Check the pods: `kubectl get pods` - all should be Running.\n\n## Policy lifecycle diagram\n\nx\n\n## Getting the status of the request\n\ny\n";
    check(
        "runbook/required-section",
        runbook,
        &["1:1 runbook/required-section missing section \"Signs this is getting worse\""],
    );
    let runbook = runbook.replace("Policy lifecycle diagram", "Signs of trouble");
    check(
        "runbook/required-section",
        &runbook,
        &[
            "1:1 runbook/required-section missing section \"Signs this is getting worse\" (closest heading: \"Signs of trouble\", line 7)",
        ],
    );
    // "page" of "When to page" is a verb: a heading that only ends with the noun
    // is not close; one that pages ("When to page the DBA", "Paging") is.
    let admin = runbook.replace("Signs of trouble", "ES integration admin page");
    check(
        "runbook/required-section",
        &admin,
        &["1:1 runbook/required-section missing section \"Signs this is getting worse\""],
    );
    let paging = runbook.replace("Signs of trouble", "Page the DBA on call");
    check(
        "runbook/required-section",
        &paging,
        &[
            "1:1 runbook/required-section missing section \"Signs this is getting worse\" (closest heading: \"Page the DBA on call\", line 7)",
        ],
    );
}

// --- batch 22 (F5's NGINX troubleshooting pages): readings that generalise ---

/// Logs handed to support ("gather the following and provide them to F5
/// support", "send it to your customer support engineer") are the page's
/// escalation, said in passing: held to a threshold, not reported missing.
#[test]
fn logs_sent_to_support_are_the_escalation() {
    let page = "# Agent not connected\n\n## Diagnosis\n\n1. Check the agent log: `tail /var/log/agent.log` - errors mean a bad key.\n\n## What to do next\n\nIf the dashboard remains empty, gather the following and provide them to F5 support:\n\n- The agent log\n";
    check("runbook/required-section", page, &[]);
    check(
        "runbook/escalation-without-threshold",
        page,
        &[
            "9:1 runbook/escalation-without-threshold escalation is said only in passing under \"What to do next\", with no measurable threshold",
        ],
    );
    // A request sent to a service hands nothing over.
    let request = page.replace(
        "gather the following and provide them to F5 support:",
        "send a test request to the service:",
    );
    check(
        "runbook/required-section",
        &request,
        &["1:1 runbook/required-section missing section \"Signs this is getting worse\""],
    );
}

/// A paragraph that reads the step before ("Confirm that no unexpected process
/// is listening on port `1514`" after `ss -ltnp | grep 1514`; "Verify the
/// following log message is shown" after "Check Agent logs") is that step's
/// reading, not a step of its own.
#[test]
fn a_reading_that_names_what_the_step_looked_at_is_its_reading() {
    let port = "# Port taken\n\n## Diagnosis\n\nRun the following command on the data plane:\n\n```shell\nsudo ss -ltnp | grep 1514\n```\n\nConfirm that no unexpected process is listening on port `1514`. If another service is bound to that port, stop it. The collector needs port `1514` free to receive security logs.\n";
    check("runbook/step-without-command", port, &[]);
    check("runbook/step-without-interpretation", port, &[]);
    let logs = "# Instance offline\n\n## Diagnosis\n\n- Check Agent logs: `docker logs agent | grep nginx`\n- Verify the following log message is shown: `[notice] 32#32: nginx/1.27.2`\n";
    check("runbook/step-without-command", logs, &[]);
    check("runbook/step-without-interpretation", logs, &[]);
    // Logs named only by the command's path are no logs the step opened.
    let copied = "# Seccomp errors\n\n## Diagnosis\n\n1. Run `aws s3 cp /var/log/x.tgz s3://node-debug`.\n2. Confirm that the debug logs are in the S3 bucket.\n";
    check(
        "runbook/step-without-command",
        copied,
        &["6:1 runbook/step-without-command step 2 gives no command to run or place to look"],
    );
}

/// "Check whether the collector is rejecting the logs." and then "Open the
/// collector log on the data plane:" over the command: one check in two
/// paragraphs. Two items of a list are two checks.
#[test]
fn a_check_stated_then_done_in_the_next_paragraph_is_one_step() {
    let page = "# Events missing\n\n## 1. Check for invalid log profile errors\n\nCheck whether the collector is rejecting security logs. This happens when their format is wrong.\n\nOpen the collector log on the data plane:\n\n```shell\nsudo tail -f /var/log/collector.log\n```\n\nIf you see `not a string`, the log profile is wrong.\n";
    check("runbook/step-without-command", page, &[]);
    let items = "# Events missing\n\n## Diagnosis\n\n- Check whether the collector is rejecting security logs.\n- Open the collector log: `sudo tail -f /var/log/collector.log`. If you see `not a string`, the profile is wrong.\n";
    check(
        "runbook/step-without-command",
        items,
        &[
            "5:1 runbook/step-without-command step \"Check whether the collector is rejecting …\" gives no command to run or place to look",
        ],
    );
}

/// A check section whose text sends the reader to another page of the site
/// through the generator's tag (`[…]({{< ref "…" >}})`, which CommonMark reads
/// as text) delegates, as one with a plain link does.
#[test]
fn a_check_that_points_at_a_page_through_a_site_tag_delegates() {
    let page = "# Troubleshooting App Protect\n\n## Troubleshooting methods\n\n### Check the logs\n\nRun `kubectl logs x`. If errors show, the policy is wrong.\n\n### Check Ingress resource events\n\nRead the topic [Troubleshooting Ingress resources]({{< ref \"/nic/troubleshooting/troubleshoot-ingress\" >}}).\n";
    check("runbook/step-without-command", page, &[]);
    let own = page.replace(
        "Read the topic [Troubleshooting Ingress resources]({{< ref \"/nic/troubleshooting/troubleshoot-ingress\" >}}).",
        "Look at the events of the Ingress resource.",
    );
    check(
        "runbook/step-without-command",
        &own,
        &[
            "11:1 runbook/step-without-command step \"Look at the events of the …\" gives no command to run or place to look",
        ],
    );
}

/// "What to do next", after the checks, holds the fix's verification and the
/// hand-over, not diagnosis; a fix under a check section read with its
/// subsections is a fix whatever the page opens with.
#[test]
fn what_to_do_next_and_a_fix_under_a_check_are_no_diagnosis() {
    let page = "---\ntitle: Troubleshoot security monitoring\n---\n\n## Overview\n\nUse this when events do not show.\n\n## 1. Check for errors\n\nOpen the log:\n\n```shell\ntail -f /var/log/a.log\n```\n\nIf you see `not a string`, the profile is wrong.\n\n### Fix\n\n1. Redeploy the profile.\n2. Restart the agent.\n\nAfter the restart, send a new test request and check the dashboard again.\n\n## What to do next\n\nFiles:\n\n- NGINX Agent log: `/var/log/nginx-agent/agent.log`\n";
    check("runbook/step-without-command", page, &[]);
    check("runbook/step-without-interpretation", page, &[]);
}

/// "**Expected output:**" right after a step shows what normal looks like.
#[test]
fn expected_output_after_a_step_is_its_reading() {
    let page = "# Signature updates fail\n\n## Diagnosis\n\nRun this command to test repository access:\n\n```shell\ncurl --key k --cert c https://pkgs.nginx.com/index.xml\n```\n\n**Expected output:**\n\n```text\n<repositories>\n```\n";
    check("runbook/step-without-interpretation", page, &[]);
    let example = page.replace("Expected output", "Example");
    check(
        "runbook/step-without-interpretation",
        &example,
        &[
            "5:1 runbook/step-without-interpretation step \"Run this command to test repository …\" gives a command but does not say how to read its result",
        ],
    );
}

/// A page titled by a debug setting ("Debug logs") is no diagnosis page.
#[test]
fn a_page_titled_by_a_debug_setting_is_no_incident_page() {
    let page = "---\ntitle: Debug logs\n---\n\n## Debug Logs\n\nDebug log settings set the minimum log level.\n\n### Enabling Debug Logging\n\nEdit `/etc/app/logger.cfg`.\n";
    check("runbook/required-section", page, &[]);
    let debugging = page.replace("title: Debug logs", "title: Debug failed reloads");
    check(
        "runbook/required-section",
        &debugging,
        &["1:1 runbook/required-section missing section \"Signs this is getting worse\""],
    );
}

/// A checklist announced before any heading ("If you don't see the new system
/// …, or metrics aren't being collected, please review the following:") is
/// read on an incident page titled in its front matter.
#[test]
fn a_checklist_before_any_heading_is_read() {
    let page = "---\ntitle: Troubleshooting metrics collection\n---\n\nIf you don't see the new system in the web interface, or metrics aren't being collected, please review the following:\n\n1. The agent package has been installed.\n2. The time is set correctly.\n3. `stub_status` is enabled (confirm with `nginx -V`).\n";
    check(
        "runbook/step-without-command",
        page,
        &[
            "7:1 runbook/step-without-command step 1 gives no command to run or place to look",
            "8:1 runbook/step-without-command step 2 gives no command to run or place to look",
        ],
    );
}

/// A site's shortcode that shows a query or script file where it stands
/// (`{{% sql "sql/list-queries-using-cpu.sql" %}}`) is the step's command; one
/// that only styles the text (`{{< hint info >}}`) is not.
#[test]
fn a_shortcode_that_shows_a_query_file_is_the_command() {
    let page = "# RDSCPUUtilization\n\n## Diagnosis\n\n1. Check queries that are currently running on the CPU\n\n    {{% sql \"sql/list-queries-using-cpu.sql\" %}}\n";
    check("runbook/step-without-command", page, &[]);
    let hint = page.replace(
        "{{% sql \"sql/list-queries-using-cpu.sql\" %}}",
        "{{< hint info >}}",
    );
    check(
        "runbook/step-without-command",
        &hint,
        &["5:1 runbook/step-without-command step 1 gives no command to run or place to look"],
    );
}

/// A knowledge base's "## Problem" over the error as logged, then "##
/// Resolution": the logged lines are the problem's context, no place to start,
/// and the page does not open with diagnosis.
#[test]
fn a_problem_quoted_as_logged_is_context_not_triage() {
    let page = "---\ntitle: \"Failed to create data store\"\n---\n\n## Problem\n\nThe following error shows up in the worker's log.\n\n```json\n{\"level\":\"warn\",\"msg\":\"copied different amount than expected\"}\n```\n\n## Environment\n\n- Mainnet\n\n## Resolution\n\nCreate the sealing directory.\n";
    check(
        "runbook/triage-first",
        page,
        &[
            "5:1 runbook/triage-first runbook does not open with a triage section; it goes from the problem (\"Problem\") to its fix (\"Resolution\") with no check that this is the reader's problem",
        ],
    );
}

/// A knowledge base's article: what it applies to ("## Affected products and
/// versions"), the bare problem ("## Issue", or "## Problem") and then its
/// fix ("## Solution"), under a title that names no problem ("Custom SSL
/// certificate expiration information"): a page opened when that problem
/// happens, so it is asked for its diagnosis and its escalation. The same
/// sections under a how-to's title ("How to install lotus-wallet") are the
/// problem a task solves, and nothing is asked.
#[test]
fn an_issue_then_its_solution_is_a_page_opened_when_it_happens() {
    let page = "# Custom SSL certificate expiration information\n\n## Affected products and versions\n\nAdobe Commerce on cloud infrastructure, all supported versions\n\n## Issue\n\nThe automation replaces a custom certificate 30 days before it expires.\n\n## Cause\n\nThe automation does not tell custom certificates apart.\n\n## Solution\n\nUpdate a custom certificate more than 30 days before it expires.\n";
    check(
        "runbook/triage-first",
        page,
        &[
            "3:1 runbook/triage-first runbook does not open with a triage section; it goes from the problem (\"Issue\") to its fix (\"Solution\") with no check that this is the reader's problem",
        ],
    );
    check(
        "runbook/required-section",
        page,
        &["1:1 runbook/required-section missing section \"Signs this is getting worse\""],
    );
    let problem = page.replace("## Issue", "## Problem");
    check(
        "runbook/required-section",
        &problem,
        &["1:1 runbook/required-section missing section \"Signs this is getting worse\""],
    );
    let how_to = problem.replace(
        "# Custom SSL certificate expiration information",
        "# How to install lotus-wallet",
    );
    check("runbook/triage-first", &how_to, &[]);
    check("runbook/required-section", &how_to, &[]);
}

/// A threshold written as a comparative ("queries longer than 50 seconds",
/// "jobs older than 2 hours") says how to read the output, as "above 50"
/// does; the same step with no number in it does not.
#[test]
fn a_comparative_with_a_number_is_the_reading() {
    let page = "# Slow queries\n\n## Diagnosis\n\n1. Examine the slow query log for queries longer than 50 seconds:\n\n    ```bash\n    grep 'Query_time: [5-9][0-9]' /var/log/mysql/mysql-slow.log -A 3\n    ```\n";
    check("runbook/step-without-interpretation", page, &[]);
    let vague = page.replace("queries longer than 50 seconds", "long queries");
    check(
        "runbook/step-without-interpretation",
        &vague,
        &[
            "5:1 runbook/step-without-interpretation step 1 gives a command but does not say how to read its result",
        ],
    );
}

/// The message a runtime printed, quoted inline with its prefix ("`PHP Fatal
/// error: Maximum function nesting level …`"), is the symptom, not a command:
/// no step of its own to ask a reading of.
#[test]
fn a_quoted_runtime_error_is_no_command() {
    let page = "# Installation fails\n\n## Diagnosis\n\nDuring installation, a message similar to the following displays:\n\n`PHP Fatal error: Maximum function nesting level of '100' reached, aborting!`\n";
    check("runbook/step-without-interpretation", page, &[]);
    let command = page.replace(
        "`PHP Fatal error: Maximum function nesting level of '100' reached, aborting!`",
        "`php -d xdebug.max_nesting_level=200 bin/magento setup:install`",
    );
    check(
        "runbook/step-without-interpretation",
        &command,
        &[
            "7:1 runbook/step-without-interpretation step \"php -d xdebug.max_nesting_level=200 bin/magento setup:install\" gives a command but does not say how to read its result",
        ],
    );
}

/// A title that opens with its situation ("During installation, fatal PDO
/// error displays") names its subject after the comma: a problem, so the
/// page is no how-to for an installation and is asked for its diagnosis. A
/// task after the comma ("During an upgrade, rotate the keys") is still one.
#[test]
fn a_situation_that_opens_the_title_is_not_its_task() {
    let page = "# During installation, fatal PDO error displays\n\n## Issue\n\n```php\nPHP Fatal error:  Class 'PDO' not found\n```\n\n## Solution\n\nMake sure you install all the required PHP extensions.\n";
    check(
        "runbook/triage-first",
        page,
        &[
            "3:1 runbook/triage-first runbook does not open with a triage section; it goes from the problem (\"Issue\") to its fix (\"Solution\") with no check that this is the reader's problem",
        ],
    );
    let task = page.replace(
        "During installation, fatal PDO error displays",
        "During an upgrade, rotate the keys",
    );
    check("runbook/triage-first", &task, &[]);
}

/// "Check:" right under a command's code block, over statements ("- OIDC
/// issuer URL is correct"), says what to look for in that output: the
/// command's reading, not checks of their own. Not right under the code, the
/// list is checks of its own.
#[test]
fn a_check_list_under_the_command_is_its_reading() {
    let page = "# IDProxy errors\n\n## Diagnosis\n\n### Check IDProxy Configuration\n\nVerify the IDProxy configuration in the Organization resource:\n\n```bash\nkubectl get organization <org-name> -o yaml\n```\n\nCheck:\n\n- OIDC issuer URL is correct\n- Client ID and client secret are configured\n";
    check("runbook/step-without-command", page, &[]);
    check("runbook/step-without-interpretation", page, &[]);
    let apart = page.replace(
        "```\n\nCheck:",
        "```\n\nThe configuration is stored in the Organization resource.\n\nCheck:",
    );
    check(
        "runbook/step-without-interpretation",
        &apart,
        &[
            "7:1 runbook/step-without-interpretation step \"Verify the IDProxy configuration in the …\" gives a command but does not say how to read its result",
        ],
    );
}

/// A section right after the problem's own context ("### Summary" of what
/// the analysis detected) that opens with a check ("### Steps": "Review the
/// analysis data, which might help identify the issue.") is where the reader
/// starts, whatever its heading: the page opens with its diagnosis, and the
/// step rules read its checks. A section that opens with something else
/// ("Upgrade the chart …") gives no diagnosis path.
#[test]
fn a_section_that_opens_with_a_check_after_the_context_is_the_diagnosis() {
    let page = "---\ntitle: Install Ingress Controller Failure\n---\n\n### Summary\nAnalysis detected that the installation has failed.\n\n### Steps\n\nReview the analysis data, which might help identify the issue.\n\n### Related information\n* [Installation Guide](install.md)\n";
    check("runbook/triage-first", page, &[]);
    check(
        "runbook/step-without-command",
        page,
        &[
            "10:1 runbook/step-without-command step \"Review the analysis data, which might …\" gives no command to run or place to look",
        ],
    );
    let fix_first = page.replace(
        "Review the analysis data, which might help identify the issue.",
        "Upgrade the chart to the latest release.",
    );
    check(
        "runbook/triage-first",
        &fix_first,
        &[
            "5:1 runbook/triage-first runbook does not open with a triage section; the first section is \"Summary\"",
        ],
    );
}

/// A numbered list's next item is the next step, even when it starts right
/// under the code block of the item before and says what to look for ("4.
/// **Check for resource conflicts**: Look for any resource conflicts …"
/// after `kubectl get opensearchclusters -A`): a check of its own, with no
/// command. Not numbered, the same words right under the code read its output.
#[test]
fn the_next_numbered_item_after_a_commands_code_is_a_step_of_its_own() {
    let page = "# OpenSearchOperatorReconcileErrors\n\n## Diagnosis\n\n1. **Check OpenSearch cluster status**: Verify the status of OpenSearch clusters managed by the operator:\n\n   ```bash\n   kubectl get opensearchclusters -A\n   ```\n\n2. **Check for resource conflicts**: Look for any resource conflicts or issues that might be causing reconciliation errors.\n";
    check(
        "runbook/step-without-command",
        page,
        &["11:1 runbook/step-without-command step 2 gives no command to run or place to look"],
    );
    check(
        "runbook/step-without-interpretation",
        page,
        &[
            "5:1 runbook/step-without-interpretation step 1 gives a command but does not say how to read its result",
        ],
    );
    let under_code = page.replace("2. **Check for resource conflicts**: Look", "   Look");
    check("runbook/step-without-command", &under_code, &[]);
    check("runbook/step-without-interpretation", &under_code, &[]);
}

/// "Or use kubectl describe for a more readable output:" right after a step
/// whose reading is missing is the same check done another way: reported
/// once, on the step, not again on the alternative. After a step that says
/// how to read its result, the alternative is read the same way.
#[test]
fn an_alternative_to_an_unread_step_is_not_reported_again() {
    let page = "# Cluster not ready\n\n## Diagnosis\n\n### Get the Cluster Resource\n\nRetrieve the cluster resource to view its current status:\n\n```bash\nkubectl get cluster x -o yaml\n```\n\nOr use kubectl describe for a more readable output:\n\n```bash\nkubectl describe cluster x\n```\n";
    check(
        "runbook/step-without-interpretation",
        page,
        &[
            "7:1 runbook/step-without-interpretation step \"Retrieve the cluster resource to view …\" gives a command but does not say how to read its result",
        ],
    );
    let read = page.replace(
        "-o yaml\n```\n",
        "-o yaml\n```\n\nThe `Ready` condition should be `True`.\n",
    );
    check("runbook/step-without-interpretation", &read, &[]);
}
