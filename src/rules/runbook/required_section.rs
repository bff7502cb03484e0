use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every section the configuration requires in a runbook is there. The
    /// recommended preset requires an escalation section, "Signs this is getting
    /// worse" (also accepted: "When to escalate", "Escalate if", "Escalation", …).
    /// Headings match at any level, ignoring case, punctuation and emoji, and a
    /// heading that holds a name as whole words counts ("Internal escalation").
    /// Escalation written only in passing under another heading ("the development
    /// team should be involved", "contact #backend", "collect the troubleshooting
    /// information … and send it to your customer support engineer") is the
    /// page's escalation:
    /// `runbook/escalation-without-threshold` checks it, this rule does not report
    /// it missing.
    ///
    /// ## Why it matters at 3am
    /// The person on call needs to know when a problem has outgrown them. Without an
    /// escalation section, they either page too late or wake people for noise.
    ///
    /// ## Example
    /// ```markdown
    /// # Queue backlog
    /// ## Start here
    /// 1. Check the depth: `queuectl depth orders` — if above 5,000, see "Scale workers".
    /// ## Scale workers
    /// ...
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Signs this is getting worse
    /// Page the payments lead if the depth stays above 50,000 for 10 minutes.
    /// ```
    ///
    /// ## Options
    /// The sections come from `runbook.sections` (name, aliases, severity,
    /// `when`/`unless`, `enabled`).
    pub struct RequiredSection {
        id: "runbook/required-section",
        summary: "a section the configuration requires in a runbook is missing",
        default_severity: Error,
        applies_to: Runbook,
    }
}

impl Rule for RequiredSection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let shape = cx.shared.shape(cx.doc);
        if !shape.asks_for_triage_and_escalation() {
            return;
        }
        for req in cx.required {
            // A heading that holds the name ("Internal escalation") is the section.
            if cx.shared.section_containing(cx.doc, &req.matcher).is_some() {
                continue;
            }
            // Escalation said in passing under another heading ("the development team
            // should be involved", under "Resolution") is the escalation the page
            // has: `runbook/escalation-without-threshold` holds it to a threshold.
            if cx.shared.common.escalation.matches(req.matcher.name())
                && cx.shared.escalation_in_prose(cx.doc).is_some()
            {
                continue;
            }
            let Some(f) = crate::rules::pr::missing_section(cx, &Self::META, req) else {
                continue;
            };
            out.push(f);
        }
    }
}
