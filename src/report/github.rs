//! `--format github`: GitHub Actions workflow commands, so annotations appear on the
//! PR with no App installed. A description finding has no `file=`.
//!
//! GitHub rejects `col`/`endColumn` spanning several lines, so columns are sent only
//! when the finding starts and ends on one line (as ruff does, ruff#22074). Values
//! escape `%`, CR and LF; properties also `:` and `,`.

use std::fmt::Write;

use super::Report;
use crate::rules::{Severity, Target};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for l in report.findings() {
        let f = &l.finding;
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let mut props = Vec::new();
        if let Some(path) = f.target.path() {
            props.push(format!("file={}", escape_property(path)));
            props.push(format!("line={}", l.start.line));
            props.push(format!("endLine={}", l.end.line));
            if l.start.line == l.end.line {
                props.push(format!("col={}", l.start.column));
                props.push(format!("endColumn={}", l.end.column));
            }
        }
        props.push(format!("title={}", escape_property(&f.rule)));
        let mut message = f.message.clone();
        match f.target {
            Target::Description => message = format!("PR description: {message}"),
            Target::Title => message = format!("PR title: {message}"),
            Target::File(_) => {}
        }
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
