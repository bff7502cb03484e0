use super::steps::diagnostic_steps;
use crate::rules::text::has_code;
use crate::rules::{declare_rule, Finding, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it checks
    /// That every numbered diagnostic step gives a command to run, as inline code or
    /// a code block. Diagnostic steps are the numbered items of the triage section
    /// and of sections such as "Diagnosis" or "Troubleshooting".
    ///
    /// ## Why it matters at 3am
    /// "Check the database" costs a tired engineer ten minutes of finding out how;
    /// `psql -c 'select count(*) from pg_stat_activity'` costs ten seconds.
    ///
    /// ## Example
    /// ```markdown
    /// ## Start here
    /// 1. Check whether the workers are running.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Start here
    /// 1. Check whether the workers are running: `kubectl get deploy render-worker`
    ///    - If READY is 0/N: see "Workers down".
    /// ```
    ///
    /// ## Options
    /// `sections`: the headings (besides the triage section) whose numbered items
    /// are diagnostic steps.
    pub struct StepWithoutCommand {
        id: "runbook/step-without-command",
        summary: "a diagnostic step gives no command (inline code or code block)",
        default_severity: Error,
        applies_to: Runbook,
    }
}

impl Rule for StepWithoutCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        for step in diagnostic_steps(cx, Self::META.id) {
            if has_code(cx.doc, &step.extent) {
                continue;
            }
            let mut f = cx.finding(&Self::META, step.line, format!("step {} gives no command to run", step.number));
            f.help = Some("add the exact command, in backticks or a code block, that performs this check".into());
            out.push(f);
        }
    }
}
