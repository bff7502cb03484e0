//! Findings with positions, and every way we print them.
//!
//! Owns: turning byte spans into 1-based lines and character columns (once, in
//! [`Report::add`], one pass per text) and the output formats: `human.rs` (compiler-style), `json.rs`
//! (stable v1), `sarif.rs` (2.1.0), `github.rs` (workflow commands). Never does: IO.

pub mod check_run;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::markdown::{LineCol, locate_sorted};
use crate::rules::{Conclusion, Finding, Mode, Target};

/// A finding and where it is, in lines and character columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub finding: Finding,
    /// 1-based start position.
    pub start: LineCol,
    /// 1-based position just past the last character (as SARIF's `endColumn`).
    pub end: LineCol,
}

/// Everything one run found, in a stable order: the description first, then files
/// in the order given, each by position.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub mode: Mode,
    /// One-line remarks for the user ("no PR description to lint", "cannot see the
    /// org's file"); the human format prints them, machine formats do not.
    pub notes: Vec<String>,
    items: Vec<Located>,
    /// The normalised text of each target, for code frames.
    sources: Vec<(Target, String)>,
}

impl Report {
    pub fn new(mode: Mode) -> Self {
        Report {
            mode,
            ..Report::default()
        }
    }

    /// Add `findings` about `target`, whose normalised text is `text`.
    pub fn add(&mut self, target: Target, text: String, mut findings: Vec<Finding>) {
        findings.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
        });
        // Every start and end, ascending, located in one pass over the text.
        let mut offsets: Vec<usize> = findings
            .iter()
            .flat_map(|f| [f.span.start, f.span.end.max(f.span.start)])
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let positions = locate_sorted(&text, &offsets);
        let at = |offset: usize| {
            offsets
                .binary_search(&offset)
                .ok()
                .and_then(|i| positions.get(i).copied())
                .unwrap_or(LineCol { line: 1, column: 1 })
        };
        self.items.reserve(findings.len());
        for finding in findings {
            let start = at(finding.span.start);
            let end = at(finding.span.end.max(finding.span.start));
            self.items.push(Located {
                finding,
                start,
                end,
            });
        }
        self.sources.push((target, text));
    }

    /// Like [`Report::add`], for findings whose position is known as a line and
    /// column (configuration errors) even where the text is not.
    pub(crate) fn add_with_position(
        &mut self,
        target: Target,
        text: String,
        findings: Vec<Finding>,
        at: (u32, u32),
    ) {
        let from = self.items.len();
        self.add(target, text, findings);
        for item in self.items.iter_mut().skip(from) {
            if item.start.line != at.0 || item.start.column != at.1 {
                item.start = LineCol {
                    line: at.0,
                    column: at.1,
                };
                item.end = item.start;
            }
        }
    }

    /// Append everything from `other` (same mode assumed; notes kept).
    pub fn extend(&mut self, other: Report) {
        self.notes.extend(other.notes);
        self.items.extend(other.items);
        self.sources.extend(other.sources);
    }

    pub fn findings(&self) -> &[Located] {
        &self.items
    }

    pub fn conclusion(&self) -> Conclusion {
        Conclusion::of(self.items.iter().map(|l| &l.finding), self.mode)
    }

    /// The normalised text a target was linted as.
    pub fn source(&self, target: &Target) -> Option<&str> {
        self.sources
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, s)| s.as_str())
    }

    /// Counts of findings by severity: (errors, warnings, notices).
    pub fn counts(&self) -> (usize, usize, usize) {
        use crate::rules::Severity::*;
        let n = |s| {
            self.items
                .iter()
                .filter(|l| l.finding.severity == s)
                .count()
        };
        (n(Error), n(Warning), n(Notice))
    }
}

/// The output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

/// Options for rendering that depend on where output goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colours (human format only).
    pub color: bool,
}

/// Render `report` in `format`.
pub fn render(report: &Report, format: Format, opts: RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, opts),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
    }
}
