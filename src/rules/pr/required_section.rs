use crate::rules::settings::SectionRequirement;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every section the configuration requires in a PR description is there.
    /// The recommended preset requires "What this does", "Why", "Expected behavior
    /// change" and "If something seems wrong after this ships" (the last two are
    /// waived for PRs that change only documentation).
    ///
    /// A section is found by its heading at any level (`#` to `######`, or Setext),
    /// or by bold text alone on the first line of a paragraph (`**Why**`), matched
    /// without regard to case, punctuation or emoji, against its name and aliases
    /// (`Summary` for "What this does", `Rollback plan` for "If something seems
    /// wrong after this ships", …).
    ///
    /// ## Why it matters at 3am
    /// The engineer paged for an incident opens the PR that shipped an hour ago. If
    /// the description does not say what the change does, why, what behaviour to
    /// expect and what to check when something seems wrong, they have to reverse-
    /// engineer the diff while the site is down.
    ///
    /// ## Example
    /// ```markdown
    /// Bumped the pool size.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## What this does
    /// Raises the DB pool from 20 to 40 connections per pod.
    /// ## Why
    /// Checkout p99 spiked when the pool ran dry during the sale.
    /// ## Expected behavior change
    /// Fewer `pool timeout` errors; about 2× more connections on the primary.
    /// ## If something seems wrong after this ships
    /// If primary CPU passes 80%, set `DB_POOL_SIZE=20` and redeploy.
    /// ```
    ///
    /// ## Options
    /// The sections come from `description.sections` (name, aliases, severity,
    /// `when`/`unless` conditions, `enabled`); the rule's severity is the default for
    /// each section.
    pub struct RequiredSection {
        id: "pr/required-section",
        summary: "a section the configuration requires in the PR description is missing",
        default_severity: Error,
        applies_to: Description,
    }
}

impl Rule for RequiredSection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        for req in cx.required {
            if let Some(f) = missing(cx, &Self::META, req) {
                out.push(f);
            }
        }
    }
}

/// A finding when `req` applies and no heading matches it. Shared with
/// `runbook/required-section`.
pub(crate) fn missing(
    cx: &LintContext<'_>,
    meta: &RuleMeta,
    req: &SectionRequirement,
) -> Option<Finding> {
    let severity = super::section_severity(cx, req)?;
    if super::find_required(cx.doc, cx.required, req).is_some() {
        return None;
    }
    let name = req.matcher.name();
    // `concat`, not `format!`: nearly every runbook of a repository without the
    // sections gets this finding, and the formatting machinery cost more than the
    // rest of the rule (measured on the corpus with `perf`).
    let mut f = cx.finding(meta, 0..0, ["missing section \"", name, "\""].concat());
    f.severity = severity;
    f.help = Some(
        [
            "add a heading \"## ",
            name,
            "\" (any level, or **",
            name,
            "** alone on a line) and fill it in",
        ]
        .concat()
        .into(),
    );
    f.missing_section = Some(name.to_string());
    Some(f)
}
