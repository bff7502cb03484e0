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
    /// rollback, revert, or flag or gate to flip ("placed behind a version
    /// gate"). "Low risk.", "None expected" and the template's questions left
    /// unanswered name nothing. A section that is empty
    /// is `pr/empty-section`'s finding, not this rule's. Inline code counts when
    /// it holds a word (a formula such as `1/20! = 1/2432902008176640000` names
    /// nothing to look at), and a block a bot appended between `<!-- NAME -->` and
    /// `<!-- /NAME -->` (an AI summary of the code) is not the author's answer.
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
            r"(?i)\b(dashboards?|metrics?|graphs?|panels?|logs?|logging|alerts?|alarms?|traces?|tracing|error rates?|latency|p9\d|5xx|4xx|slos?|queries|query|grep|rollback|roll(ed|ing)? back|revert(ed|ing)?|feature flags?|flags?|toggles?|gates?|gated|kill switch|disable|re-?deploy|monitor(ing)?|watch|run|restart|curl|kubectl)\b",
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
            let body = &authored(cx.doc, &section.body);
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
/// `body` up to a block a bot appended to the description: one opened by a
/// comment such as `<!-- CURSOR_SUMMARY -->` and closed by `<!-- /CURSOR_SUMMARY
/// -->`. What the bot wrote about the code is not the author's answer.
fn authored(doc: &Document<'_>, body: &Span) -> Span {
    let comments = Document::within(&doc.html_comments, body);
    let name = |c: &Span| {
        let inner = doc
            .text(c)
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        (!inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-' || b == b'/'))
        .then_some(inner)
    };
    let generated = comments.iter().enumerate().find_map(|(i, open)| {
        let tag = name(open).filter(|t| !t.starts_with('/'))?;
        comments
            .iter()
            .skip(i + 1)
            .any(|close| name(close).and_then(|t| t.strip_prefix('/')) == Some(tag))
            .then_some(open.start)
    });
    body.start..generated.unwrap_or(body.end)
}

fn names_something(doc: &Document<'_>, body: &Span, re: &Regex) -> bool {
    // Inline code with a word in it (a metric, a flag, a command); a formula or a
    // number (`1/20! = 1/2432902008176640000`) names nothing to look at.
    Document::within(&doc.code_spans, body).iter().any(|c| {
        doc.text(&c.span)
            .as_bytes()
            .windows(2)
            .any(|w| w.iter().all(u8::is_ascii_alphabetic))
    }) || !Document::within(&doc.code_blocks, body).is_empty()
        || !Document::within(&doc.links, body).is_empty()
        || re.is_match(&prose(doc, body))
}
