use std::sync::OnceLock;

use regex::Regex;

use crate::markdown::{Document, Span};
use crate::rules::options::Headings;
use crate::rules::text::{content_lines, prose};
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the "If something seems wrong after this ships" section (under its
    /// name or any alias) names something a person could check or do: a command
    /// or query (inline code or a code block), a link to a dashboard or a log
    /// view, a metric, dashboard, log, alert or error rate to look at, or a
    /// rollback, revert or flag to flip. "Low risk.", "None expected" and the
    /// template's questions left unanswered name nothing. A section that is empty
    /// is `pr/empty-section`'s finding, not this rule's.
    ///
    /// ## Why it matters at 3am
    /// The engineer paged after this change ships reads this section to decide
    /// whether the change is the cause and what to do. "Low risk" answers neither;
    /// "the `checkout_errors_total` rate on the Checkout dashboard; revert this PR
    /// or set `checkout.new_flow=false`" answers both.
    ///
    /// ## Example
    /// ```markdown
    /// ## If something seems wrong after this ships
    /// Low risk.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## If something seems wrong after this ships
    /// Watch `rate(http_requests_total{code=~"5.."}[5m])` on the API dashboard;
    /// if it rises, turn the `new-router` flag off.
    /// ```
    ///
    /// ## Options
    /// `sections`: the required sections (by name) whose content must name
    /// something to check or do.
    pub struct NothingToCheck {
        id: "pr/nothing-to-check",
        summary: "the \"If something seems wrong\" section names nothing a person could check or do",
        default_severity: Warning,
        applies_to: Description,
        options: [NothingToCheck::SECTIONS.0],
    }
}

impl NothingToCheck {
    const SECTIONS: Headings = Headings::new(
        "sections",
        "section names",
        "the required sections whose content must name something to check or do",
    );
}

/// Words that name something to look at or do after a change ships.
fn checkable() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(dashboards?|metrics?|graphs?|panels?|logs?|logging|alerts?|alarms?|traces?|tracing|error rates?|latency|p9\d|5xx|4xx|slos?|queries|query|grep|rollback|roll(ed|ing)? back|revert(ed|ing)?|feature flags?|flags?|toggles?|kill switch|disable|re-?deploy|monitor(ing)?|watch|run|restart|curl|kubectl)\b",
        )
        .ok()
    })
    .as_ref()
}

impl Rule for NothingToCheck {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let names = Self::SECTIONS.get(cx.options);
        let Some(re) = checkable() else { return };
        for req in cx.required {
            if !names.matches(req.matcher.name()) || super::section_severity(cx, req).is_none() {
                continue;
            }
            let Some(section) = super::find_required(cx.doc, cx.required, req) else {
                continue;
            };
            let body = &section.body;
            if content_lines(cx.doc, body).is_empty() || names_something(cx.doc, body, re) {
                continue;
            }
            let heading = cx.doc.heading(section);
            let mut f = cx.finding(
                &Self::META,
                heading.span.clone(),
                [
                    "section \"",
                    &heading.text,
                    "\" names nothing to check or do if this change misbehaves",
                ]
                .concat(),
            );
            f.help = Some(
                "name what to look at (a metric, dashboard, log query or alert) and what to do (revert, roll back, turn a flag off)"
                    .into(),
            );
            out.push(f);
        }
    }
}

/// Code, a link, or a word for something to look at or do.
fn names_something(doc: &Document<'_>, body: &Span, re: &Regex) -> bool {
    !Document::within(&doc.code_spans, body).is_empty()
        || !Document::within(&doc.code_blocks, body).is_empty()
        || !Document::within(&doc.links, body).is_empty()
        || re.is_match(&prose(doc, body))
}
