//! `--format json`: the stable, versioned output (`schemas/output-v1.json`). These DTOs
//! are the wire format; `Finding` is not. Changing a field here is a breaking change
//! that needs `version: 2`.

use serde::Serialize;

use super::Report;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    conclusion: &'static str,
    findings: Vec<FindingV1<'a>>,
    /// Runbooks not linted as runbooks (stubs: only references checked). Added
    /// to version 1 (an additive field).
    skipped: Vec<SkippedV1<'a>>,
}

#[derive(Serialize)]
struct SkippedV1<'a> {
    path: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct FindingV1<'a> {
    rule: &'a str,
    severity: &'static str,
    /// `null` for the PR description.
    path: Option<&'a str>,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
    help: Option<&'a str>,
}

pub fn render(report: &Report) -> String {
    let out = Output {
        version: 1,
        conclusion: report.conclusion().as_str(),
        findings: report
            .findings()
            .iter()
            .map(|l| FindingV1 {
                rule: &l.finding.rule,
                severity: l.finding.severity.as_str(),
                path: l.finding.target.path(),
                line: l.start.line,
                column: l.start.column,
                end_line: l.end.line,
                end_column: l.end.column,
                message: &l.finding.message,
                help: l.finding.help.as_deref(),
            })
            .collect(),
        skipped: report
            .skipped
            .iter()
            .map(|s| SkippedV1 {
                path: &s.path,
                reason: &s.reason,
            })
            .collect(),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut s =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
