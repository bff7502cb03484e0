//! The default format: compiler-style diagnostics with the source line and a caret,
//! rendered by annotate-snippets (as rustc and ruff do), then a one-line summary.

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};

use super::{Located, RenderOptions, Report};
use crate::rules::{Severity, Target};

pub fn render(report: &Report, opts: RenderOptions) -> String {
    let mut out = String::new();
    for note in &report.notes {
        out.push_str("note: ");
        out.push_str(note);
        out.push('\n');
    }
    out.push_str(&skipped_line(report));
    out.push_str(&render_frames(report, opts));
    let (errors, warnings, notices) = report.counts();
    let total = errors + warnings + notices;
    if total == 0 {
        out.push_str("lint-pr: no findings; conclusion: success\n");
    } else {
        out.push_str(&format!(
            "lint-pr: {total} finding{} ({errors} error{}, {warnings} warning{}, {notices} notice{}); conclusion: {} ({} mode)\n",
            plural(total),
            plural(errors),
            plural(warnings),
            plural(notices),
            report.conclusion().as_str(),
            report.mode.as_str(),
        ));
    }
    out
}

/// Just the diagnostics, without notes or the summary line.
pub fn render_frames(report: &Report, opts: RenderOptions) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for l in report.findings() {
        out.push_str(&render_one(l, &renderer));
        out.push_str("\n\n");
    }
    out
}

/// One line naming the runbooks not linted as runbooks (stubs), or nothing.
fn skipped_line(report: &Report) -> String {
    match report.skipped.as_slice() {
        [] => String::new(),
        [one] => format!(
            "note: {} is not linted as a runbook ({}); only its references are checked\n",
            one.path, one.reason
        ),
        many => {
            let shown: Vec<&str> = many.iter().take(3).map(|s| s.path.as_str()).collect();
            let more = many.len().saturating_sub(shown.len());
            format!(
                "note: {} runbooks are stubs (section indexes or pages that point elsewhere), only their references are checked: {}{} (--format json says why)\n",
                many.len(),
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn render_one(l: &Located, renderer: &Renderer) -> String {
    let f = &l.finding;
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Notice => Level::NOTE,
    };
    let path = match &f.target {
        Target::File(p) => p,
        Target::Description => "PR description",
        Target::Title => "PR title",
    };
    let title = level.primary_title(f.message.as_str()).id(f.rule.as_ref());
    let group = match &l.frame {
        // A window of a long line: its columns are not the line's, so the
        // position is given on its own line and the window shown under it.
        Some(frame) if frame.windowed => title
            .element(
                Origin::path(path)
                    .line(l.start.line as usize)
                    .char_column(l.start.column as usize),
            )
            .element(
                Snippet::source(frame.text.as_str())
                    .line_start(frame.first_line as usize)
                    .annotation(AnnotationKind::Primary.span(frame.span.clone())),
            ),
        Some(frame) => title.element(
            Snippet::source(frame.text.as_str())
                .line_start(frame.first_line as usize)
                .path(path)
                .annotation(AnnotationKind::Primary.span(frame.span.clone())),
        ),
        None => title.element(
            Origin::path(path)
                .line(l.start.line as usize)
                .char_column(l.start.column as usize),
        ),
    };
    let group = match &f.help {
        Some(help) => group.element(Level::HELP.message(help.as_ref())),
        None => group,
    };
    let out = renderer.render(&[group]);
    match &l.frame {
        Some(frame) if frame.windowed => without_bare_origin(out),
        _ => out,
    }
}

/// A window's snippet has no path of its own (its columns are not the line's),
/// so the renderer marks it as a second origin with nothing after the marker
/// (`::: `, `⸬` in Unicode): that line says nothing and is dropped.
fn without_bare_origin(out: String) -> String {
    let bare = |line: &str| {
        let visible = strip_ansi(line);
        let t = visible.trim();
        t == ":::" || t == "⸬"
    };
    out.split_inclusive('\n')
        .filter(|line| !bare(line))
        .collect()
}

/// `line` without ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip to the sequence's final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
