//! Integration tests: properties of the markdown model and the rule engine over
//! arbitrary and hostile input (issue 3, "What must hold").
//!
//! - proptest: arbitrary UTF-8 and markdown-shaped text (headings, lists, quotes,
//!   fences, bold lines, links, HTML comments, tables, CRLF) never panics; every
//!   span of the model and of every finding lies inside the text on char
//!   boundaries; lines and columns are 1-based and ordered; JSON output parses.
//! - Stress cases as plain tests: 10,000 nested lists, 10,000 nested quotes, a huge
//!   single line, 100,000 headings. These only assert "no panic" and sane output;
//!   time is measured in `benches/lint.rs`, never asserted here. Sizes are the
//!   issue's; only inputs dense with broken references are smaller here, because
//!   `runbook/broken-reference` is quadratic in them today (the bench shows it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lint_pr::config::{self, CompiledConfig};
use lint_pr::lint::{self, Inputs, RunbookInput};
use lint_pr::markdown::{Document, FileLookup, HasSpan, Lookup, NoFiles, Span, normalize};
use lint_pr::report::{self, Format, RenderOptions, Report};
use lint_pr::rules::Facts;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

const RUNBOOK_PATH: &str = "runbooks/service/alert.md";

/// Answers every cross-file lookup with the same text, so links to other files
/// exercise the anchor checks too.
struct Everywhere(String);

impl FileLookup for Everywhere {
    fn lookup(&self, path: &str) -> Lookup {
        if path.contains("missing") {
            Lookup::Missing
        } else {
            Lookup::Found(self.0.clone())
        }
    }
}

fn check_span(text: &str, span: &Span, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?}");
    assert!(
        span.end <= text.len(),
        "{what}: span {span:?} past the end ({})",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

fn check_spans<T: HasSpan>(text: &str, items: &[T], what: &str) {
    for item in items {
        check_span(text, item.span(), what);
    }
}

/// Every range the model hands to rules is a valid slice of the source, and the
/// sections refer to their headings.
fn check_document(text: &str) {
    let doc = Document::parse(text);
    assert_eq!(doc.source(), text);
    if let Some(fm) = &doc.front_matter {
        check_span(text, fm, "front matter");
    }
    check_spans(text, &doc.headings, "heading");
    check_spans(text, &doc.paragraphs, "paragraph");
    check_spans(text, &doc.list_items, "list item");
    check_spans(text, &doc.code_blocks, "code block");
    check_spans(text, &doc.code_spans, "code span");
    check_spans(text, &doc.links, "link");
    check_spans(text, &doc.html_comments, "html comment");
    for item in &doc.list_items {
        if let Some(m) = &item.task_marker {
            check_span(text, m, "task marker");
        }
    }
    assert!(
        doc.headings
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start),
        "headings out of order"
    );
    assert_eq!(doc.sections.len(), doc.headings.len());
    for s in &doc.sections {
        assert!(
            s.heading < doc.headings.len(),
            "section heading index {} out of range",
            s.heading
        );
        check_span(text, &s.body, "section body");
        check_span(text, &s.own_body, "section own body");
        assert!(
            s.own_body.start >= s.body.start && s.own_body.end <= s.body.end.max(s.own_body.start)
        );
    }
    assert_eq!(
        doc.slugs().len(),
        doc.headings
            .iter()
            .filter(|h| h.kind != lint_pr::markdown::HeadingKind::Bold)
            .count()
    );
    let _ = doc.text_without_comments(&(0..text.len()));
    let lines = lint_pr::markdown::LineIndex::new(text).line_count();
    assert_eq!(lines, text.matches('\n').count() + 1);
}

/// Every finding points into `text` (the normalised text of all its targets), its
/// line/column pair is sane, and its code frame is the text's lines from its start.
fn check_report(report: &Report, text: &str) {
    let index = lint_pr::markdown::LineIndex::new(text);
    for l in report.findings() {
        let f = &l.finding;
        check_span(text, &f.span, &format!("finding {}", f.rule));
        match &l.frame {
            None => assert!(f.span.is_empty(), "no frame for a non-empty span: {l:?}"),
            Some(frame) => {
                assert_eq!(frame.first_line, l.start.line, "{l:?}");
                let from = index.line_range(text, frame.first_line).start;
                assert!(
                    text[from..].starts_with(&frame.text),
                    "frame is not the text from line {}: {l:?}",
                    frame.first_line
                );
                assert_eq!(
                    &frame.text[frame.span.clone()],
                    &text[f.span.start..f.span.end.min(from + frame.text.len())],
                    "{l:?}"
                );
            }
        }
        assert!(
            l.start.line >= 1 && l.start.column >= 1 && l.end.line >= 1 && l.end.column >= 1,
            "{l:?}"
        );
        assert!(l.start <= l.end, "finding ends before it starts: {l:?}");
        let lines = u32::try_from(text.matches('\n').count() + 1).unwrap();
        assert!(
            l.end.line <= lines,
            "finding past the last line {lines}: {l:?}"
        );
        assert!(!f.message.is_empty(), "{} has an empty message", f.rule);
    }
    for format in [Format::Json, Format::Human, Format::Sarif, Format::Github] {
        let out = report::render(report, format, RenderOptions::default());
        if format == Format::Json || format == Format::Sarif {
            let v: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{format:?}: {e}\n{out}"));
            if format == Format::Json {
                assert_eq!(v["version"], 1);
                assert_eq!(
                    v["findings"].as_array().map(Vec::len),
                    Some(report.findings().len())
                );
            }
        }
    }
}

/// Lint `text` as a PR description and as a runbook (with and without other files).
fn lint_both_ways(text: &str, config: &CompiledConfig) {
    let changed = ["src/main.rs".to_string()];
    let labels = [];
    let facts = Facts {
        changed_paths: Some(&changed),
        author: Some("octocat"),
        labels: &labels,
    };
    let runbooks = [RunbookInput {
        path: RUNBOOK_PATH,
        text,
    }];
    let others = Everywhere(text.to_string());
    for files in [&NoFiles as &dyn FileLookup, &others] {
        let inputs = Inputs {
            title: Some(text),
            description: Some(text),
            facts,
            runbooks: &runbooks,
            files,
        };
        let report = lint::run(&inputs, config);
        check_report(&report, &normalize(text));
    }
}

/// One parse and one lint (description and runbook) with JSON output: for the
/// stress cases, which are too big for every combination in a debug build.
fn check_stress(raw: &str) {
    let text = normalize(raw);
    check_document(&text);
    let runbooks = [RunbookInput {
        path: RUNBOOK_PATH,
        text: raw,
    }];
    let inputs = Inputs {
        title: None,
        description: Some(raw),
        facts: Facts::default(),
        runbooks: &runbooks,
        files: &NoFiles,
    };
    let report = lint::run(&inputs, &config::recommended());
    for l in report.findings() {
        check_span(&text, &l.finding.span, &l.finding.rule);
    }
    let json = report::render(&report, Format::Json, RenderOptions::default());
    let _: serde_json::Value = serde_json::from_str(&json).unwrap();
}

fn check_all(raw: &str, config: &CompiledConfig) {
    let text = normalize(raw);
    assert!(!text.contains('\r'), "normalize leaves no CR");
    check_document(&text);
    lint_both_ways(raw, config);
}

// ---------------------------------------------------------------------------
// Generators

/// Words that trigger rules: section names, commands, thresholds, references.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z]{1,8}",
        1 => "[0-9]{1,4}(%|ms|s|m|h| minutes)?",
        1 => prop::sample::select(vec![
            "Why", "What this does", "Summary", "Motivation", "Expected behavior change",
            "If something seems wrong after this ships", "Rollback plan", "Start here",
            "Triage", "If you don't know what's wrong yet", "Signs this is getting worse",
            "Escalate if", "Diagnosis", "Troubleshooting", "N/A", "TBD", "TODO",
            "`kubectl get pods`", "`curl -s localhost/healthz`", "If", "means", "→ see",
            "see \"Triage\"", "see \"Nowhere\"", "Ensure the following:",
            "If it fails, check the following:", "Steps to troubleshoot:", "see the", "below",
            "Before you begin", "Common Issues", "Check your documentation", "`~/.kube/config`",
            "<Output should be empty>", "🔥", "é", "日本語", "\u{200d}", "\u{fe0f}",
            "&amp;", "\\", "*", "_", "`", "<", ">", "[", "]", "(", ")", "|", "#", ":",
        ]).prop_map(str::to_string),
    ]
}

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..6).prop_map(|w| w.join(" "))
}

fn link() -> impl Strategy<Value = String> {
    let dest = prop_oneof![
        "#[a-z-]{0,12}",
        "(\\.\\./)?[a-z]{1,6}\\.md(#[a-z-]{0,8})?",
        "missing/[a-z]{1,6}\\.md",
        "https://example\\.com/[a-z]{0,5}",
        "%[0-9A-F]{2}#%[0-9a-f]{0,2}",
        "#<%= x %>",
    ];
    (words(), dest).prop_map(|(t, d)| format!("[{t}]({d})"))
}

/// One markdown-shaped line (or a few, for blocks).
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..=7usize, words()).prop_map(|(n, w)| format!("{} {w}", "#".repeat(n))),
        words().prop_map(|w| format!("{w}\n{}", "-".repeat(3))),
        words().prop_map(|w| format!("{w}\n===")),
        (
            0..6usize,
            prop::sample::select(vec!["- ", "* ", "1. ", "2) ", "- [ ] ", "- [x] ", "+ "]),
            words()
        )
            .prop_map(|(d, m, w)| format!("{}{m}{w}", "  ".repeat(d))),
        (1..8usize, words()).prop_map(|(d, w)| format!("{} {w}", ">".repeat(d))),
        (
            prop::sample::select(vec!["```", "~~~", "````"]),
            "[a-z]{0,5}",
            words(),
            any::<bool>()
        )
            .prop_map(|(f, info, w, closed)| if closed {
                format!("{f}{info}\n{w}\n{f}")
            } else {
                format!("{f}{info}\n{w}")
            }),
        (
            words(),
            prop::sample::select(vec!["", ":", ": ", " :", "?"]),
            words()
        )
            .prop_map(|(b, c, rest)| format!("**{b}{c}**\n{rest}")),
        (words(), any::<bool>()).prop_map(|(w, closed)| if closed {
            format!("<!-- {w} -->")
        } else {
            format!("<!-- {w}")
        }),
        words().prop_map(|w| format!("<a id=\"{w}\"></a>")),
        link(),
        (words(), link(), words()).prop_map(|(a, l, b)| format!("{a} {l} {b}")),
        words().prop_map(|w| format!("| {w} | b |\n|---|---|\n| `c` | {w} |")),
        words().prop_map(|w| format!("---\ntitle: {w}\n---")),
        words().prop_map(|w| format!("    {w}")),
        words().prop_map(|w| format!("`{w}` and ``{w}``")),
        words().prop_map(|w| format!("[^1]: {w}\n\ntext[^1]")),
        Just(String::new()),
        words(),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(block(), 0..40),
        prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"]),
    )
        .prop_map(|(blocks, eol)| blocks.join(eol).replace('\n', eol))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_utf8_never_panics(s in any::<String>()) {
        check_all(&s, &config::recommended());
    }

    #[test]
    fn markdown_shaped_text_never_panics(s in markdown()) {
        check_all(&s, &config::recommended());
    }

    #[test]
    fn crlf_gives_the_same_positions_as_lf(s in markdown()) {
        let lf = s.replace("\r\n", "\n").replace('\r', "\n");
        let crlf = lf.replace('\n', "\r\n");
        // Line breaks are normalised whether the first line shows them or not.
        let mixed = match lf.split_once('\n') {
            Some((first, rest)) => format!("{first}\n{}", rest.replace('\n', "\r\n")),
            None => lf.clone(),
        };
        let cr = lf.replace('\n', "\r");
        let config = config::recommended();
        let json = |text: &str| {
            let inputs =
                Inputs { title: None, description: Some(text), facts: Facts::default(), runbooks: &[], files: &NoFiles };
            report::render(&lint::run(&inputs, &config), Format::Json, RenderOptions::default())
        };
        let expected = json(&lf);
        prop_assert_eq!(&expected, &json(&crlf));
        prop_assert_eq!(&expected, &json(&mixed));
        prop_assert_eq!(&expected, &json(&cr));
    }
}

// ---------------------------------------------------------------------------
// Deterministic stress cases: no panic, sane output. Timing lives in the bench.

#[test]
fn ten_thousand_nested_list_levels() {
    // Each marker directly inside the previous item's content nests: 10,000 levels
    // in 20 KB.
    let ladder = "- ".repeat(10_000) + "deep\n";
    check_stress(&ladder);
    let ordered = "1. ".repeat(10_000) + "deep\n";
    check_stress(&ordered);
    // Indented nesting costs the sum of the indents (10,000 levels would be 100 MB):
    // 1,000 levels here, deeper in the bench.
    let mut s = String::from("# Triage\n\n");
    for depth in 0..1_000 {
        s.push_str(&"  ".repeat(depth));
        s.push_str("- step `kubectl get pods`\n");
    }
    check_stress(&s);
}

#[test]
fn ten_thousand_nested_block_quotes() {
    let s = ">".repeat(10_000) + " deep\n";
    check_stress(&s);
    let spaced = "> ".repeat(10_000) + "**Why**\n" + &"> ".repeat(10_000) + "because\n";
    check_stress(&spaced);
    let mixed = "> - ".repeat(5_000) + "deep\n";
    check_stress(&mixed);
}

#[test]
fn huge_single_line() {
    // 10 MB of one line: words, code spans, emphasis, multi-byte characters.
    let unit = "run `kubectl get pods` **now** and _check_ é日🙂 5% of 10 ms ";
    let line: String = unit.repeat((10 << 20) / unit.len() + 1);
    check_stress(&line);
    let bold = format!("**{}**\n", "x".repeat(2 << 20));
    check_stress(&bold);
    let heading = format!("# {}\n", "word ".repeat((2 << 20) / 5));
    check_stress(&heading);
    // References on one long line: fewer, because `runbook/broken-reference` is
    // quadratic in them today (see benches/lint.rs, shape `broken_refs`).
    let refs = "see \"Nowhere\" and [x](#nope) `kubectl` ".repeat(2_000);
    check_stress(&refs);
}

#[test]
fn hundred_thousand_headings() {
    let mut s = String::with_capacity(4 << 20);
    for i in 0..100_000 {
        s.push_str(&format!(
            "{} Usage {}\n\n[x](#usage-{})\n\n",
            "#".repeat(i % 6 + 1),
            i % 7,
            i % 7
        ));
    }
    check_stress(&s);
    // The same heading over and over: duplicate slugs must not go quadratic.
    let same = "## Usage\n".repeat(100_000);
    check_stress(&same);
    // Bold pseudo-headings.
    let bold = "**Why:**\nbecause\n\n".repeat(100_000);
    check_stress(&bold);
    // Broken anchors among many headings: fewer, for the same reason as above.
    let mut broken = String::new();
    for i in 0..2_000 {
        broken.push_str(&format!("## Step {i}\n[x](#nope-{i})\n"));
    }
    check_stress(&broken);
}

#[test]
fn unclosed_constructs_at_scale() {
    for s in [
        "<!--".repeat(100_000),
        "```\n".repeat(100_000),
        "[".repeat(100_000),
        "*".repeat(100_000),
        "`".repeat(100_000),
        "<a id=\"".repeat(50_000),
        "[x](".repeat(50_000),
        "| a |\n|---|\n".repeat(20_000),
        "\r".repeat(100_000),
    ] {
        check_stress(&s);
    }
}
