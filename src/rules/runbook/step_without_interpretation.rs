use std::sync::OnceLock;

use regex::Regex;

use super::steps::diagnostic_steps;
use crate::rules::text::{has_code, prose};
use crate::rules::{declare_rule, Finding, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// That every diagnostic step that gives a command also says how to read its
    /// result: "If …", "→ see …", "… means …", "should show …", "normal is …",
    /// "otherwise …", "look for …". Code is ignored when looking for these words.
    ///
    /// ## Why it matters at 3am
    /// A command without an interpretation leaves the engineer staring at output
    /// they have never seen, unable to tell normal from broken.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Check the queue: `queuectl depth orders`
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Check the queue: `queuectl depth orders`
    ///    - If the depth is above 5,000: see "Scale workers".
    ///    - Otherwise the queue is not involved.
    /// ```
    ///
    /// ## Options
    /// `sections`: as for `runbook/step-without-command`.
    pub struct StepWithoutInterpretation {
        id: "runbook/step-without-interpretation",
        summary: "a diagnostic step gives a command but not how to read its result",
        default_severity: Error,
        applies_to: Runbook,
    }
}

fn interpretation() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(\bif\b|\bunless\b|→|->|=>|\bsee\b|\bmeans?\b|\bmeaning\b|\bindicat|\bsuggests?\b|\bshould\b|\bexpect|\blook(ing)? for\b|\botherwise\b|\bnormal\b|\b(un)?healthy\b|\bwhen (it|the|this|you)\b|\byou('ll| will) see\b|\bshows? (that|whether|if)\b)",
        )
        .ok()
    })
    .as_ref()
}

impl Rule for StepWithoutInterpretation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let Some(re) = interpretation() else { return };
        for step in diagnostic_steps(cx, Self::META.id) {
            if !has_code(cx.doc, &step.extent) || re.is_match(&prose(cx.doc, &step.extent)) {
                continue;
            }
            let mut f = cx.finding(
                &Self::META,
                step.line,
                format!("step {} runs a command but does not say how to read its result", step.number),
            );
            f.help = Some("say what the output means: \"If … see \\\"Section\\\"\", \"→ …\", \"… means …\", \"normal is …\"".into());
            out.push(f);
        }
    }
}
