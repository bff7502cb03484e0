use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every section the configuration requires in a runbook is there. The
    /// recommended preset requires an escalation section, "Signs this is getting
    /// worse" (also accepted: "When to escalate", "Escalate if", "Escalation", …).
    /// Headings match at any level, ignoring case, punctuation and emoji, and a
    /// heading that holds a name as whole words counts ("Internal escalation").
    /// Escalation written only in passing under another heading ("the development
    /// team should be involved", "contact #backend") is no section a reader scans
    /// for: the finding names its line and asks for a heading of its own.
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
            let Some(mut f) = crate::rules::pr::missing_section(cx, &Self::META, req) else {
                continue;
            };
            // Escalation said in passing under another heading ("the development team
            // should be involved", under "Resolution"): a reader scanning for when to
            // escalate does not find it there. The finding names where it is.
            if cx.shared.common.escalation.matches(req.matcher.name())
                && let Some((section, span)) = cx.shared.escalation_in_prose(cx.doc)
            {
                let under = section
                    .and_then(|i| cx.doc.sections.get(i))
                    .map(|s| format!(" under \"{}\"", cx.doc.heading(s).text));
                let line = 1 + cx
                    .doc
                    .source()
                    .get(..span.start)
                    .map_or(0, |t| memchr::memchr_iter(b'\n', t.as_bytes()).count());
                f.message = format!(
                    "missing section \"{}\": line {line} says when to hand over, but in passing{}",
                    req.matcher.name(),
                    under.unwrap_or_default()
                );
                f.help = Some(std::borrow::Cow::Owned(format!(
                    "move what line {line} says under a heading \"## {}\" of its own, and say when with numbers (\"error rate above 5% for 10 minutes\")",
                    req.matcher.name()
                )));
            }
            out.push(f);
        }
    }
}
