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

use crate::markdown::{LineCol, LineIndex, locate_sorted};
use crate::rules::{Conclusion, Finding, Mode};

/// A finding and where it is, in lines and character columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub finding: Finding,
    /// 1-based start position.
    pub start: LineCol,
    /// 1-based position just past the last character (as SARIF's `endColumn`).
    pub end: LineCol,
    /// The lines the finding covers, for the human format's code frame; `None` for
    /// a finding with no extent (a missing section).
    pub frame: Option<Frame>,
}

/// Code frames show at most this many lines of a multi-line finding.
pub const MAX_FRAME_LINES: u32 = 6;

/// The source lines under a finding, cut out when the finding is added, so that a
/// report need not keep (copy) every text it linted: only the few lines under
/// each finding are kept, and a text with no finding with an extent costs nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// Whole lines, without the last line break; at most [`MAX_FRAME_LINES`].
    pub text: String,
    /// The finding's bytes within `text` (clamped to it).
    pub span: std::ops::Range<usize>,
    /// The 1-based line number of `text`'s first line.
    pub first_line: u32,
    /// `text` is a window of one long line ([`window`]), not whole lines: its
    /// columns are not the line's, so the position is printed on its own.
    pub windowed: bool,
}

/// Everything one run found, in a stable order: the description first, then files
/// in the order given, each by position.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub mode: Mode,
    /// One-line remarks for the user ("no PR description to lint", "cannot see the
    /// org's file"); the human format prints them, machine formats do not.
    pub notes: Vec<String>,
    /// A draft PR held at `neutral` until it is ready for review (`drafts:
    /// neutral`, set by [`crate::lint::hold_draft`]): its errors do not fail.
    pub draft: bool,
    /// Runbooks not linted as incident runbooks, and why (JSON `"skipped"`).
    pub skipped: Vec<Skipped>,
    items: Vec<Located>,
}

/// A runbook that was read but not linted as an incident runbook (a section
/// index, a redirect, a page that only delegates): only its references are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Repository-relative path (outside a git repository: as given).
    pub path: String,
    /// Why, in a few words ("a section index: front matter and at most a title").
    pub reason: String,
}

impl Report {
    pub fn new(mode: Mode) -> Self {
        Report {
            mode,
            ..Report::default()
        }
    }

    /// Add `findings` about `target`, whose normalised text is `text`.
    pub fn add(&mut self, text: &str, mut findings: Vec<Finding>) {
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
        let positions = locate_sorted(text, &offsets);
        let at = |offset: usize| {
            offsets
                .binary_search(&offset)
                .ok()
                .and_then(|i| positions.get(i).copied())
                .unwrap_or(LineCol { line: 1, column: 1 })
        };
        self.items.reserve(findings.len());
        // Where the last finding started and its line began: findings are sorted
        // by start, so each looks back for a line break only as far as the one
        // before it (thousands of findings on one long line would otherwise each
        // scan the line back to its start).
        let (mut last_start, mut last_line_start) = (0, 0);
        for finding in findings {
            let start = at(finding.span.start);
            let end = at(finding.span.end.max(finding.span.start));
            // The start's line begins after the last break before it.
            // Sorted, so `last_start <= span.start`: no break between them
            // means the same line as the finding before.
            let line_start = text
                .as_bytes()
                .get(last_start..finding.span.start)
                .and_then(|between| memchr::memrchr(b'\n', between))
                .map_or(last_line_start, |i| last_start + i + 1);
            (last_start, last_line_start) = (finding.span.start, line_start);
            let frame = frame(text, line_start, &finding.span, start.line, end.line);
            self.items.push(Located {
                finding,
                start,
                end,
                frame,
            });
        }
    }

    /// Like [`Report::add`], for findings whose position is known as a line and
    /// column (configuration errors) even where the text is not.
    pub(crate) fn add_with_position(&mut self, text: &str, findings: Vec<Finding>, at: (u32, u32)) {
        let from = self.items.len();
        self.add(text, findings);
        let index = LineIndex::new(text);
        for item in self.items.iter_mut().skip(from) {
            if item.start.line != at.0 || item.start.column != at.1 {
                item.start = LineCol {
                    line: at.0,
                    column: at.1,
                };
                item.end = item.start;
                let line_start = index.line_range(text, at.0).start;
                item.frame = frame(text, line_start, &item.finding.span, at.0, at.0);
            }
        }
    }

    /// Append everything from `other` (same mode assumed; notes kept).
    pub fn extend(&mut self, other: Report) {
        self.notes.extend(other.notes);
        self.skipped.extend(other.skipped);
        self.items.extend(other.items);
    }

    pub fn findings(&self) -> &[Located] {
        &self.items
    }

    pub fn conclusion(&self) -> Conclusion {
        let c = Conclusion::of(self.items.iter().map(|l| &l.finding), self.mode);
        if self.draft { c.for_draft() } else { c }
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

/// The frame of a finding spanning `span` of `text`, from line `first` (which starts
/// at byte `line_start`) to line `last`, at most [`MAX_FRAME_LINES`] of them. `None`
/// for an empty span or text.
fn frame(
    text: &str,
    line_start: usize,
    span: &std::ops::Range<usize>,
    first: u32,
    last: u32,
) -> Option<Frame> {
    if span.is_empty() || text.is_empty() {
        return None;
    }
    let lines = last.clamp(first, first + MAX_FRAME_LINES - 1) - first + 1;
    // Line breaks are looked for only as far as a frame may reach: a finding on
    // a line of megabytes must not read the line (nor copy it, see [`window`]).
    let reach = MAX_FRAME_BYTES * MAX_FRAME_LINES as usize;
    let rest = text.as_bytes().get(line_start..)?;
    let near = rest.get(..reach.min(rest.len())).unwrap_or(rest);
    let mut breaks = memchr::memchr_iter(b'\n', near);
    let first_line_end = breaks.next();
    // The end of the frame's last line: its line break, or the end of the text.
    let end = match lines {
        1 => first_line_end,
        n => first_line_end.and_then(|_| breaks.nth(n as usize - 2)),
    }
    .map(|i| line_start + i)
    .or((rest.len() <= reach).then_some(text.len()));
    // A first line, or lines, too long to copy for every finding on them.
    let first_too_long = first_line_end.unwrap_or(rest.len()) > MAX_FRAME_BYTES;
    let Some(end) = end.filter(|_| !first_too_long) else {
        return window(text, line_start, span, first);
    };
    let frame = text.get(line_start..end)?.to_string();
    let span_start = span.start.saturating_sub(line_start).min(frame.len());
    let span_end = span
        .end
        .saturating_sub(line_start)
        .clamp(span_start, frame.len());
    Some(Frame {
        text: frame,
        span: span_start..span_end,
        first_line: first,
        windowed: false,
    })
}

/// A frame whose first line is longer than this (or whose lines together are
/// longer than [`MAX_FRAME_LINES`] of them) shows a window of the finding's first
/// line instead.
pub const MAX_FRAME_BYTES: usize = 1024;

/// Bytes of the line shown on each side of the finding in a [`window`].
const WINDOW_CONTEXT: usize = 80;

/// The frame of a finding on a long line: its first line cut to the finding and
/// [`WINDOW_CONTEXT`] bytes either side, "…" where the line goes on. Copying
/// whole lines would cost each finding the line's length: ten thousand `see
/// "X"` on one 128 KB line took 1.3 GB.
fn window(
    text: &str,
    line_start: usize,
    span: &std::ops::Range<usize>,
    first: u32,
) -> Option<Frame> {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    // `max` then `min`, not `clamp`: no panic whatever the span says.
    let start = span.start.max(line_start).min(text.len());
    // The line's end, looked for only as far as the window may reach.
    let reach = (start + 3 * WINDOW_CONTEXT + 1).min(text.len());
    let line_end = text
        .as_bytes()
        .get(start..reach)
        .and_then(|near| memchr::memchr(b'\n', near))
        .map(|i| start + i);
    let visible_end = line_end.unwrap_or(reach);
    // The finding's own bytes on this line, at most two contexts' worth.
    let shown_end = span
        .end
        .clamp(start, visible_end)
        .min(start + 2 * WINDOW_CONTEXT);
    let from = floor(start.saturating_sub(WINDOW_CONTEXT).max(line_start));
    let to = ceil((shown_end + WINDOW_CONTEXT).min(visible_end));
    let head = if from > line_start { "…" } else { "" };
    let tail = if to < line_end.unwrap_or(text.len()) {
        "…"
    } else {
        ""
    };
    let frame = [head, text.get(from..to)?, tail].concat();
    let span_start = head.len() + (start - from);
    let span_end = head.len() + (ceil(shown_end) - from);
    Some(Frame {
        text: frame,
        span: span_start..span_end.max(span_start),
        first_line: first,
        windowed: true,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Severity, Target};

    fn finding(span: std::ops::Range<usize>) -> Finding {
        Finding {
            rule: "test/rule".into(),
            severity: Severity::Error,
            target: Target::Description,
            span,
            message: "m".into(),
            help: None,
            missing_section: None,
        }
    }

    fn frame_of(text: &str, span: std::ops::Range<usize>) -> Option<Frame> {
        let mut report = Report::default();
        report.add(text, vec![finding(span)]);
        report.items.pop().and_then(|l| l.frame)
    }

    #[test]
    fn a_frame_is_the_whole_lines_under_the_finding() {
        let text = "one\ntwo words\nthree";
        let frame = frame_of(text, 8..13).unwrap();
        assert_eq!(frame.text, "two words");
        assert_eq!(frame.span, 4..9);
        assert_eq!(frame.first_line, 2);
        // The last line has no break after it.
        assert_eq!(frame_of(text, 16..18).unwrap().text, "three");
        // Ending just past a line break takes in the next line, as its position says.
        assert_eq!(frame_of(text, 4..14).unwrap().text, "two words\nthree");
    }

    #[test]
    fn a_long_finding_shows_its_first_lines_only() {
        let text: String = (1..=10).map(|i| format!("line {i}\n")).collect();
        let frame = frame_of(&text, 0..text.len() - 1).unwrap();
        assert_eq!(frame.text.lines().count(), MAX_FRAME_LINES as usize);
        assert_eq!(
            frame.text,
            text.lines().take(6).collect::<Vec<_>>().join("\n")
        );
        assert_eq!(frame.span, 0..frame.text.len());
    }

    #[test]
    fn a_finding_on_a_long_line_shows_a_window_of_it() {
        let line = format!(
            "{} see \"Nowhere\" {}",
            "a ".repeat(5_000),
            "b ".repeat(5_000)
        );
        let text = format!("# Title\n{line}\nlast\n");
        let at = text.find("Nowhere").unwrap();
        let frame = frame_of(&text, at..at + "Nowhere".len()).unwrap();
        assert!(frame.text.len() <= MAX_FRAME_BYTES, "{}", frame.text.len());
        assert!(frame.text.starts_with('…') && frame.text.ends_with('…'));
        assert_eq!(frame.text.get(frame.span.clone()), Some("Nowhere"));
        assert_eq!(frame.first_line, 2);
        // Multi-byte characters around the cut stay whole.
        let wide = format!("{}x{}", "é".repeat(3_000), "日".repeat(3_000));
        let at = wide.find('x').unwrap();
        let frame = frame_of(&wide, at..at + 1).unwrap();
        assert_eq!(frame.text.get(frame.span.clone()), Some("x"));
        // A long finding shows its start.
        let frame = frame_of(&line, 0..line.len()).unwrap();
        assert!(frame.text.len() <= MAX_FRAME_BYTES);
        assert_eq!(frame.span.start, 0);
    }

    #[test]
    fn a_window_is_printed_with_the_line_s_own_position() {
        let line = format!("{}see \"Nowhere\"", "a ".repeat(2_000));
        let at = line.find("Nowhere").unwrap();
        let mut report = Report::default();
        report.add(&line, vec![finding(at..at + "Nowhere".len())]);
        let out = render(&report, Format::Human, RenderOptions::default());
        // The column is the line's (4,006), not the window's.
        assert!(
            out.contains(&format!("PR description:1:{}", at + 1)),
            "{out}"
        );
        assert!(out.contains("Nowhere"), "{out}");
        assert!(out.len() < 2_000, "{}", out.len());
        // No bare second-origin marker between the position and the window, in
        // plain or coloured output.
        for color in [false, true] {
            let out = render(&report, Format::Human, RenderOptions { color });
            assert!(
                !out.lines().any(|l| l.contains(":::") || l.contains('⸬')),
                "{out}"
            );
            assert!(out.contains("Nowhere"), "{out}");
        }
    }

    #[test]
    fn no_frame_without_an_extent() {
        assert_eq!(frame_of("## Why\n", 0..0), None);
        assert_eq!(frame_of("", 0..0), None);
    }

    #[test]
    fn a_position_given_by_line_moves_the_frame_there() {
        let text = "a: 1\nb: [\n";
        let mut report = Report::default();
        // The span says line 1; the parser's position says line 2, column 4.
        report.add_with_position(text, vec![finding(0..4)], (2, 4));
        let l = &report.findings()[0];
        assert_eq!((l.start.line, l.start.column), (2, 4));
        assert_eq!(l.frame.as_ref().map(|f| f.text.as_str()), Some("b: ["));
    }
}
