//! `--format sarif`: SARIF 2.1.0, for code-scanning uploads. Every built-in rule
//! is listed in `tool.driver.rules` with its summary and documentation; custom
//! rules that produced findings are listed too. A description finding has a
//! logical location ("pull request description") instead of a physical one.

use serde_json::{Value, json};

use super::Report;
use crate::rules::{DefaultSeverity, RULES, Severity, Target};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(report: &Report) -> String {
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": { "text": m.documentation(), "markdown": m.documentation() },
                "defaultConfiguration": { "enabled": m.default_severity != DefaultSeverity::Off, "level": default_level(m.default_severity) },
            })
        })
        .collect();
    let mut ids: Vec<String> = RULES.iter().map(|r| r.meta().id.to_string()).collect();
    for l in report.findings() {
        if !ids.iter().any(|i| *i == l.finding.rule) {
            ids.push(l.finding.rule.to_string());
            rules.push(json!({
                "id": l.finding.rule,
                "shortDescription": { "text": "custom rule from the lint-pr configuration" },
            }));
        }
    }
    let results: Vec<Value> = report
        .findings()
        .iter()
        .map(|l| {
            let f = &l.finding;
            let mut text = f.message.clone();
            if let Some(help) = &f.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let location = match f.target.path() {
                Some(path) => json!({
                    "physicalLocation": {
                        "artifactLocation": { "uri": path },
                        "region": {
                            "startLine": l.start.line,
                            "startColumn": l.start.column,
                            "endLine": l.end.line,
                            "endColumn": l.end.column,
                        }
                    }
                }),
                None => json!({
                    "logicalLocations": [{
                        "name": if f.target == Target::Title { "pull request title" } else { "pull request description" },
                        "kind": "resource",
                    }]
                }),
            };
            json!({
                "ruleId": f.rule,
                "ruleIndex": ids.iter().position(|i| *i == f.rule).unwrap_or(0),
                "level": level(f.severity),
                "message": { "text": text },
                "locations": [location],
            })
        })
        .collect();
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "lint-pr",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/lint-pr/lint-pr",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "note",
    }
}

fn default_level(s: DefaultSeverity) -> &'static str {
    match s {
        DefaultSeverity::Error => "error",
        DefaultSeverity::Warning => "warning",
        DefaultSeverity::Notice | DefaultSeverity::Off => "note",
    }
}
