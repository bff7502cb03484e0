//! The `lint-pr` check run: conclusion, title, a markdown summary and annotations.
//!
//! Pure (no IO): `github::checks` sends what this builds. The summary holds the
//! description findings as a table with line numbers (an annotation's `path` can
//! only name a file of the repository, so none can point into a PR description:
//! <https://docs.github.com/en/rest/checks/runs#create-a-check-run>) and a
//! ready-to-paste skeleton of the missing sections; findings in files (runbooks,
//! the config file) become annotations.
//! GitHub's limits are kept here: 65,535 characters of summary, with an honest
//! "N more not shown" when the table is cut.

use std::fmt::Write;

use super::{Located, Report};
use crate::rules::{Conclusion, Severity, Target};

/// The check run's name on every PR (an API boundary: branch protection names it).
pub const CHECK_NAME: &str = "lint-pr";
/// GitHub rejects more annotations than this in one request (422).
pub const MAX_ANNOTATIONS_PER_REQUEST: usize = 50;
/// GitHub's `maxLength` of `output.summary` and `output.text`.
pub const MAX_OUTPUT_CHARS: usize = 65_535;
/// Annotations sent per check run at most (10 requests). Each request costs 5
/// points of GitHub's secondary rate limit; a runbook with thousands of findings
/// needs fixing at its first few, not a thousand markers.
pub const MAX_ANNOTATIONS: usize = 500;

/// `annotation_level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Notice,
    Warning,
    Failure,
}

/// One annotation on a line of a file in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Repository-relative path.
    pub path: String,
    /// 1-based.
    pub start_line: u32,
    /// 1-based, inclusive.
    pub end_line: u32,
    /// 1-based, in characters; sent only when `start_line == end_line`.
    pub start_column: Option<u32>,
    pub end_column: Option<u32>,
    pub level: Level,
    pub message: String,
    /// The rule id.
    pub title: String,
    /// The rule's help, if any.
    pub raw_details: Option<String>,
}

/// Everything a check run says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRunOutput {
    pub conclusion: Conclusion,
    pub title: String,
    pub summary: String,
    pub text: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// What the summary says about how the lint ran.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Where the configuration came from, e.g. "`.github/lint-pr.yml` at abc1234".
    pub config: &'a str,
    /// How many changed runbooks were linted.
    pub runbooks: usize,
    /// GitHub listed only the first 3,000 changed files.
    pub files_truncated: bool,
}

/// The check run for a finished lint.
///
/// The summary is the head (what was checked), the description's findings as a
/// table, a skeleton of its missing sections, then the files with findings. When
/// everything does not fit in [`MAX_OUTPUT_CHARS`], the table is cut first (with
/// a "N more not shown" line), then the skeleton and the files are left out whole.
pub fn render(report: &Report, cx: &Context<'_>) -> CheckRunOutput {
    let conclusion = report.conclusion();
    let config_errors: Vec<&Located> = report
        .findings()
        .iter()
        .filter(|l| l.finding.rule == crate::rules::ConfigInvalid::META.id)
        .collect();
    let head = head(report, cx, conclusion, &config_errors);

    let description: Vec<&Located> = report
        .findings()
        .iter()
        .filter(|l| l.finding.target == Target::Description)
        .collect();
    let rows: Vec<String> = description.iter().map(|l| table_row(l)).collect();
    let skeleton = skeleton(&description);

    let (mut annotations, not_annotated) = file_findings(report);
    let files = files_section(&mut annotations, &not_annotated);

    let mut summary = head;
    // With an invalid configuration the description was not linted: no table.
    if config_errors.is_empty() {
        push_description_table(&mut summary, &rows, skeleton.len() + files.len());
    }
    if summary.len() + skeleton.len() <= MAX_OUTPUT_CHARS {
        summary.push_str(&skeleton);
    }
    if summary.len() + files.len() <= MAX_OUTPUT_CHARS {
        summary.push_str(&files);
    }
    truncate_chars(&mut summary, MAX_OUTPUT_CHARS);
    CheckRunOutput {
        conclusion,
        title: title(report),
        summary,
        text: None,
        annotations,
    }
}

/// The check run's title: the count of each severity found, e.g. "2 errors, 1 notice".
fn title(report: &Report) -> String {
    let (errors, warnings, notices) = report.counts();
    if errors + warnings + notices == 0 {
        return "No problems found".to_string();
    }
    let mut parts = Vec::new();
    for (n, word) in [
        (errors, "error"),
        (warnings, "warning"),
        (notices, "notice"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
        }
    }
    parts.join(", ")
}

/// The summary's opening: what was checked and with which configuration, or, when
/// the configuration is invalid, its errors and where to fix them; then the
/// advisory-mode line, the 3,000-file warning and the report's notes.
fn head(
    report: &Report,
    cx: &Context<'_>,
    conclusion: Conclusion,
    config_errors: &[&Located],
) -> String {
    let mut head = String::new();
    if config_errors.is_empty() {
        let _ = writeln!(
            head,
            "Checked the PR description and {} changed runbook{} with {} ({} mode).",
            cx.runbooks,
            if cx.runbooks == 1 { "" } else { "s" },
            cx.config,
            report.mode.as_str()
        );
    } else {
        // Nothing else was linted: say so rather than "no findings".
        head.push_str("The lint-pr configuration is invalid, so nothing else was checked.\n\n");
        for l in config_errors {
            let _ = writeln!(
                head,
                "- `{}` line {}, column {}: {}",
                l.finding.target.path().unwrap_or("configuration"),
                l.start.line,
                l.start.column,
                cell(&l.finding.message)
            );
        }
        head.push_str(
            "\nFix it on the base branch (lint-pr reads it there, not from this PR); `lint-pr config check` validates it locally.\n",
        );
    }
    if conclusion == Conclusion::Neutral && report.mode == crate::rules::Mode::Advisory {
        head.push_str("\nAdvisory mode: errors are reported but do not block the merge (set `mode: enforcing` to make them fail the check).\n");
    }
    if cx.files_truncated {
        head.push_str("\n⚠️ GitHub lists only the first 3,000 changed files; runbooks beyond them were not checked.\n");
    }
    for note in &report.notes {
        let _ = writeln!(head, "\nNote: {note}");
    }
    head
}

/// One description finding as a row of the summary's table. A missing section has
/// no line to point at: its line is "—".
fn table_row(l: &Located) -> String {
    let f = &l.finding;
    let line = if f.span.is_empty() && f.missing_section.is_some() {
        "—".to_string()
    } else {
        l.start.line.to_string()
    };
    format!(
        "| {line} | {} | `{}` | {}{} |\n",
        f.severity,
        f.rule,
        cell(&f.message),
        f.help
            .as_deref()
            .map(|h| format!("<br>{}", cell(h)))
            .unwrap_or_default()
    )
}

/// A ready-to-paste markdown block with a heading and a prompt for each missing
/// section of the description; empty when none is missing.
fn skeleton(description: &[&Located]) -> String {
    let missing: Vec<&str> = description
        .iter()
        .filter_map(|l| l.finding.missing_section.as_deref())
        .collect();
    let mut skeleton = String::new();
    if !missing.is_empty() {
        skeleton.push_str("\n#### Missing sections: paste this into the description and fill it in\n\n```markdown\n");
        for name in &missing {
            let _ = write!(skeleton, "## {name}\n\n<!-- {} -->\n\n", hint(name));
        }
        skeleton.push_str("```\n");
    }
    skeleton
}

/// The findings in files: an annotation each for files of this repository, and a
/// summary line each for the others (a path in `<…>`, such as the org's config,
/// which GitHub cannot annotate).
fn file_findings(report: &Report) -> (Vec<Annotation>, Vec<String>) {
    let mut annotations = Vec::new();
    let mut not_annotated = Vec::new();
    for l in report.findings() {
        let Target::File(path) = &l.finding.target else {
            continue;
        };
        if path.starts_with('<') {
            not_annotated.push(format!(
                "- `{path}` line {}: {}\n",
                l.start.line,
                cell(&l.finding.message)
            ));
        } else {
            annotations.push(annotation(path, l));
        }
    }
    (annotations, not_annotated)
}

/// `l` as an annotation on `path`. Lines and columns are at least 1, ends not
/// before starts, and columns are sent only on a single line (GitHub rejects them
/// otherwise: <https://docs.github.com/en/rest/checks/runs#create-a-check-run>).
fn annotation(path: &str, l: &Located) -> Annotation {
    let f = &l.finding;
    let one_line = l.start.line == l.end.line;
    Annotation {
        path: path.to_string(),
        start_line: l.start.line.max(1),
        end_line: l.end.line.max(l.start.line).max(1),
        start_column: one_line.then_some(l.start.column.max(1)),
        end_column: one_line.then_some(l.end.column.max(l.start.column).max(1)),
        level: match f.severity {
            Severity::Error => Level::Failure,
            Severity::Warning => Level::Warning,
            Severity::Notice => Level::Notice,
        },
        message: f.message.clone(),
        title: f.rule.to_string(),
        raw_details: f.help.as_deref().map(str::to_string),
    }
}

/// The summary's "Files" part: how many findings each annotated file has, then
/// the findings that are not annotations. Cuts `annotations` to
/// [`MAX_ANNOTATIONS`] and says how many were left out (the counts are of all).
fn files_section(annotations: &mut Vec<Annotation>, not_annotated: &[String]) -> String {
    let mut per_file: Vec<(&str, usize)> = Vec::new();
    for a in annotations.iter() {
        match per_file.iter_mut().find(|(p, _)| *p == a.path) {
            Some((_, n)) => *n += 1,
            None => per_file.push((&a.path, 1)),
        }
    }
    let mut files = String::new();
    if !per_file.is_empty() || !not_annotated.is_empty() {
        files.push_str("\n### Files\n\n");
        for (path, n) in &per_file {
            let _ = writeln!(
                files,
                "- `{path}`: {n} finding{} (see the annotations)",
                if *n == 1 { "" } else { "s" }
            );
        }
        for line in not_annotated {
            files.push_str(line);
        }
    }
    if annotations.len() > MAX_ANNOTATIONS {
        let _ = writeln!(
            files,
            "\n…and {} more annotations not shown (lint-pr sends at most {MAX_ANNOTATIONS}; run `lint-pr runbook` locally for all).",
            annotations.len() - MAX_ANNOTATIONS
        );
        annotations.truncate(MAX_ANNOTATIONS);
    }
    files
}

/// The "PR description" part of the summary: "No findings", or the table of
/// `rows`, cut so that `reserve` bytes (the skeleton and the files) and the "N
/// more not shown" line still fit in [`MAX_OUTPUT_CHARS`].
fn push_description_table(summary: &mut String, rows: &[String], reserve: usize) {
    if rows.is_empty() {
        summary.push_str("\n### PR description\n\nNo findings.\n");
        return;
    }
    summary.push_str(
        "\n### PR description\n\n| Line | Severity | Rule | Problem |\n|---:|---|---|---|\n",
    );
    // 200: room for the "not shown" line.
    let budget = MAX_OUTPUT_CHARS.saturating_sub(reserve + 200);
    let mut shown = 0;
    for row in rows {
        if summary.len() + row.len() > budget {
            break;
        }
        summary.push_str(row);
        shown += 1;
    }
    if shown < rows.len() {
        let _ = writeln!(
            summary,
            "\n…and {} more not shown (GitHub limits a summary to 65,535 characters).",
            rows.len() - shown
        );
    }
}

/// The `neutral` check run of a job that could not finish: what failed and what
/// to do. Honest, short, and never blocking.
pub fn unfinished(what_failed: &str, what_to_do: &str) -> CheckRunOutput {
    let mut summary = format!(
        "lint-pr could not check this pull request.\n\n**What failed:** {}\n\n**What to do:** {}\n",
        cell(what_failed),
        what_to_do
    );
    truncate_chars(&mut summary, MAX_OUTPUT_CHARS);
    CheckRunOutput {
        conclusion: Conclusion::Neutral,
        title: "lint-pr could not finish".into(),
        summary,
        text: None,
        annotations: Vec::new(),
    }
}

/// A prompt under a skeleton heading.
fn hint(section: &str) -> &'static str {
    let s = section.to_lowercase();
    if s.contains("wrong") || s.contains("rollback") {
        "What to check first if something looks wrong after this ships, and how to roll back"
    } else if s.contains("expected") || s.contains("behavio") {
        "What changes for users, operators or dashboards when this ships"
    } else if s.contains("why") || s.contains("motivation") {
        "Why this change is needed"
    } else if s.contains("what") || s.contains("summary") {
        "What this change does, in a sentence or two"
    } else {
        "Fill this in"
    }
}

/// Text made safe for one markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\r', "").replace('\n', " ")
}

/// Cut to at most `max` bytes (≤ `max` characters) on a character boundary.
fn truncate_chars(s: &mut String, max: usize) {
    if s.len() <= max {
        return;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use crate::lint::{self, Inputs, RunbookInput};
    use crate::markdown::NoFiles;
    use crate::rules::Facts;

    fn lint(description: &str, runbooks: &[RunbookInput<'_>]) -> Report {
        let inputs = Inputs {
            title: None,
            description: Some(description),
            facts: Facts::default(),
            runbooks,
            files: &NoFiles,
        };
        lint::run(&inputs, &config::recommended())
    }

    #[test]
    fn missing_sections_get_a_skeleton_and_a_failure() {
        let out = render(
            &lint("## What this does\n\nAdds a cache.\n", &[]),
            &Context {
                config: "the recommended preset",
                ..Context::default()
            },
        );
        assert_eq!(out.conclusion, Conclusion::Failure);
        assert!(
            out.summary.contains("| `pr/required-section` |"),
            "{}",
            out.summary
        );
        assert!(
            out.summary.contains("```markdown\n## Why\n"),
            "{}",
            out.summary
        );
        assert!(out.annotations.is_empty());
    }

    #[test]
    fn summary_is_cut_honestly() {
        let mut body = String::new();
        for i in 0..4000 {
            body.push_str(&format!(
                "- [ ] task number {i} with a long enough line of text to add up quickly\n"
            ));
        }
        let cfg = config::recommended().only_rule("pr/unchecked-task");
        let inputs = Inputs {
            title: None,
            description: Some(&body),
            facts: Facts::default(),
            runbooks: &[],
            files: &NoFiles,
        };
        let report = lint::run(&inputs, &cfg);
        let out = render(&report, &Context::default());
        assert!(out.summary.len() <= MAX_OUTPUT_CHARS);
        if report.findings().len() > 500 {
            assert!(
                out.summary.contains("more not shown"),
                "{}",
                &out.summary[out.summary.len() - 300..]
            );
        }
    }

    #[test]
    fn annotations_are_capped_honestly() {
        let mut text = String::from("# T\n\n## Start here\n\n");
        for i in 1..=600 {
            text.push_str(&format!("{i}. Look at thing {i}.\n"));
        }
        text.push_str("\n## Signs this is getting worse\n\nEscalate above 5% for 10 minutes.\n");
        let out = render(
            &lint(
                "",
                &[RunbookInput {
                    path: "runbooks/x.md",
                    text: &text,
                }],
            ),
            &Context::default(),
        );
        assert_eq!(out.annotations.len(), MAX_ANNOTATIONS);
        assert!(
            out.summary.contains("`runbooks/x.md`: 600 findings"),
            "{}",
            out.summary
        );
        assert!(
            out.summary.contains("100 more annotations not shown"),
            "{}",
            out.summary
        );
    }

    #[test]
    fn unfinished_is_neutral() {
        let out = unfinished("GitHub answered 502 five times", "re-run the check");
        assert_eq!(out.conclusion, Conclusion::Neutral);
        assert!(out.summary.contains("502"));
    }
}
