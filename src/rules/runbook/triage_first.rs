use crate::markdown::HeadingKind;
use crate::rules::options::Headings;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the first section under the runbook's title is a triage section, named
    /// the way on-call people name it: "If you don't know what's wrong yet, start
    /// here", "If you're not sure what's wrong", "Start here", "Triage", "First
    /// steps" and the like. The title is the first heading when it is a level-1
    /// heading; YAML front matter is skipped. A bold line (`**Note:**`) is not a
    /// section unless it names the triage section (`**Start here**`).
    ///
    /// ## Why it matters at 3am
    /// Runbooks are usually organised by component or by alert, but the person
    /// paged does not yet know which component is at fault. A triage section that
    /// comes first turns "something is wrong" into "go to section X" in a few
    /// commands, instead of reading the whole page.
    ///
    /// ## Example
    /// ```markdown
    /// # Checkout service
    /// ## Architecture
    /// ...
    /// ## Database failover
    /// ...
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// # Checkout service
    /// ## If you don't know what's wrong yet, start here
    /// 1. Check the error rate: `kubectl logs deploy/checkout | grep -c ERROR`
    ///    - If above 100 a minute: see "Database failover".
    /// ## Architecture
    /// ...
    /// ```
    ///
    /// ## Options
    /// `names`: the headings accepted as a triage section.
    pub struct TriageFirst {
        id: "runbook/triage-first",
        summary: "the runbook does not open with a \"start here\" triage section",
        default_severity: Error,
        applies_to: Runbook,
        options: [TriageFirst::NAMES.0],
    }
}

impl TriageFirst {
    /// The headings accepted as a triage section. The step rules read steps in this
    /// section too (through [`crate::rules::Common`]).
    pub(crate) const NAMES: Headings = Headings::new(
        "names",
        "heading names",
        "the headings accepted as a triage section",
    );
}

impl Rule for TriageFirst {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let names = Self::NAMES.get(cx.options);
        let headings = &cx.doc.headings;
        let after_title = match headings.first() {
            Some(h) if h.level == 1 => headings.get(1..).unwrap_or(&[]),
            _ => headings.as_slice(),
        };
        // Built only when there is a finding: most runbooks have one, but every
        // runbook is checked.
        let help = || {
            let name = if names.name().is_empty() {
                "Start here"
            } else {
                names.name()
            };
            // `concat`, not `format!`: most runbooks get this finding (see
            // `pr::required_section::missing`).
            [
                "open the runbook with \"## ",
                name,
                "\": numbered checks, each with a command and what its output means",
            ]
            .concat()
        };
        // A bold line (`**Note:**`) is emphasis inside a section, not a section of its
        // own, unless it is the triage section written that way (`**Start here**`).
        let mut sections = after_title
            .iter()
            .filter(|h| h.kind != HeadingKind::Bold || names.matches_heading(cx.doc, h));
        let Some(first) = sections.next() else {
            let span = headings.first().map_or(0..0, |h| h.span.clone());
            let mut f = cx.finding(
                &Self::META,
                span,
                "runbook has no sections; it should open with a triage section".into(),
            );
            f.help = Some(help().into());
            out.push(f);
            return;
        };
        if names.matches_heading(cx.doc, first) {
            return;
        }
        let mut f = match sections.find(|h| names.matches_heading(cx.doc, h)) {
            Some(triage) => cx.finding(
                &Self::META,
                triage.span.clone(),
                [
                    "triage section \"",
                    &triage.text,
                    "\" is not the first section; it comes after \"",
                    &first.text,
                    "\"",
                ]
                .concat(),
            ),
            None => cx.finding(
                &Self::META,
                first.span.clone(),
                [
                    "runbook does not open with a triage section; the first section is \"",
                    &first.text,
                    "\"",
                ]
                .concat(),
            ),
        };
        f.help = Some(help().into());
        out.push(f);
    }
}
