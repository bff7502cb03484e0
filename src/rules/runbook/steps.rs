//! Diagnostic steps: the numbered items of the triage section and of the sections
//! the step rules are configured to read (Diagnosis, Troubleshooting, …).

use std::collections::BTreeSet;

use crate::markdown::{Document, Span};
use crate::rules::LintContext;

/// One numbered step.
pub(crate) struct Step {
    /// 1-based position in its list.
    pub(crate) number: usize,
    /// The step's first line, where findings point.
    pub(crate) line: Span,
    /// The item and what follows it up to the next step or heading: a code block
    /// written after `1. Check X:` without indentation still belongs to step 1.
    pub(crate) extent: Span,
}

/// Steps of every diagnostic section, each once, in document order.
pub(crate) fn diagnostic_steps(cx: &LintContext<'_>, sections_option_of: &str) -> Vec<Step> {
    let doc = cx.doc;
    let triage = &cx.config.rule("runbook/triage-first").names;
    let configured = &cx.config.rule(sections_option_of).sections;
    let mut seen = BTreeSet::new();
    let mut steps = Vec::new();
    for section in &doc.sections {
        let text = &doc.heading(section).text;
        if !(triage.matches(text) || configured.matches(text)) {
            continue;
        }
        let items = Document::within(&doc.list_items, &section.body);
        let Some(depth) = items.iter().filter(|i| i.ordered && i.quote_depth == 0).map(|i| i.depth).min() else {
            continue;
        };
        let top: Vec<_> = items.iter().filter(|i| i.ordered && i.quote_depth == 0 && i.depth == depth).collect();
        let next_heading = |from: usize| {
            Document::within(&doc.headings, &(from..section.body.end)).first().map_or(section.body.end, |h| h.span.start)
        };
        for (n, item) in top.iter().enumerate() {
            if !seen.insert(item.span.start) {
                continue;
            }
            let end = match top.get(n + 1) {
                Some(next) => next.span.start,
                None => next_heading(item.span.end),
            };
            let end = end.max(item.span.end).min(next_heading(item.span.start + 1).max(item.span.end));
            let line_end = doc.text(&item.span).find('\n').map_or(item.span.end, |i| item.span.start + i);
            steps.push(Step { number: n + 1, line: item.span.start..line_end, extent: item.span.start..end });
        }
    }
    steps.sort_by_key(|s| s.line.start);
    steps
}
