use std::sync::OnceLock;

use regex::Regex;

use crate::rules::options::Headings;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the escalation section ("Signs this is getting worse", "When to
    /// escalate", "Escalate if", "Escalation") states at least one measurable
    /// threshold: a number with a unit ("5 minutes", "15%", "2 GB", "500 errors"),
    /// or a comparison with a number ("above 10,000", "more than 3", "> 200").
    ///
    /// ## Why it matters at 3am
    /// "Escalate if it gets bad" asks a tired engineer for a judgement call they are
    /// least able to make. "Escalate if the error rate stays above 15% for 5
    /// minutes" needs no judgement.
    ///
    /// ## Example
    /// ```markdown
    /// ## When to escalate
    /// If things look really bad, or customers complain, page the team lead.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## When to escalate
    /// Page the team lead if the error rate stays above 15% for more than 5
    /// minutes, or if more than 3 customers report failed payments.
    /// ```
    ///
    /// ## Options
    /// `names`: the headings accepted as the escalation section.
    pub struct EscalationWithoutThreshold {
        id: "runbook/escalation-without-threshold",
        summary: "the escalation section states no measurable threshold (number with a unit, percent, duration)",
        default_severity: Error,
        applies_to: Runbook,
        options: [EscalationWithoutThreshold::NAMES.0],
    }
}

impl EscalationWithoutThreshold {
    pub(crate) const NAMES: Headings = Headings::new(
        "names",
        "heading names",
        "the headings of the escalation section",
    );
}

pub(crate) fn threshold() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let number = r"\d[\d,._]*";
        let unit = r"(%|‰|\s?percent\b|\s?(ms|msec|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|x|times|[kmgt]i?b|bytes?|rps|qps|req/s|requests?|errors?|failures?|connections?|pods?|nodes?|replicas?|instances?|users?|customers?|jobs?|messages?|items?|rows?|alerts?|retries|restarts?|attempts?)\b)";
        let comparator = r"(above|below|over|under|more than|less than|fewer than|greater than|exceeds?|exceeding|passes|reaches|at least|at most|>=?|<=?|≥|≤)\s*[~$€£]?";
        Regex::new(&format!(r"(?i)({number}{unit}|\b{comparator}{number})")).ok()
    })
    .as_ref()
}

impl Rule for EscalationWithoutThreshold {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let names = Self::NAMES.get(cx.options);
        let Some(re) = threshold() else { return };
        let Some(section) = cx
            .shared
            .section_containing(cx.doc, names)
            .and_then(|i| cx.doc.sections.get(i))
        else {
            return;
        };
        if re.is_match(&cx.doc.text_without_comments(&section.body)) {
            return;
        }
        let heading = cx.doc.heading(section);
        let mut f = cx.finding(
            &Self::META,
            heading.span.clone(),
            format!(
                "escalation section \"{}\" gives no measurable threshold",
                heading.text
            ),
        );
        f.help = Some(
            "say when to escalate with numbers: \"error rate above 5% for 10 minutes\", \"queue depth over 10,000\"".into(),
        );
        out.push(f);
    }
}
