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

/// Where an incident runbook with no escalation heading says, in passing, when to
/// hand the problem to other people: the first paragraph or list item with a
/// sentence that escalates ("escalate to …") or hands over to people ("contact the
/// #backend channel", "the development team should be involved"). Its span, and
/// the index in `doc.sections` of the section it is written in, if any.
pub(crate) fn escalation_in_prose(
    doc: &crate::markdown::Document<'_>,
) -> Option<(Option<usize>, crate::markdown::Span)> {
    static RE: OnceLock<Option<(Regex, Regex)>> = OnceLock::new();
    let (hand_over, people) = RE
        .get_or_init(|| {
            let hand_over = Regex::new(
                r"(?i)\b(escalat\w*|contact(ing)?|reach(ing)? out|get in touch|involve[ds]?|ask (for help|in|on)|page (the|someone|whoever|an?)|raise (an? )?incident)\b",
            )
            .ok()?;
            let people = Regex::new(
                r"(?i)(\b(teams?|on-?call|support|leads?|owners?|engineers?|sres?|developers?|devs|maintainers?|experts?|managers?)\b|(^|\s)[#@][\w-]+)",
            )
            .ok()?;
            Some((hand_over, people))
        })
        .as_ref()?;
    let body_start = doc.headings.first().map_or(0, |h| h.span.end);
    let blocks = doc
        .paragraphs
        .iter()
        .map(|p| &p.span)
        .chain(doc.list_items.iter().map(|i| &i.span))
        .filter(|s| s.start >= body_start);
    let mut first: Option<crate::markdown::Span> = None;
    for span in blocks {
        if first.as_ref().is_some_and(|f| f.start <= span.start) {
            continue;
        }
        let text = doc.text(span);
        // A list item's own lines: its nested items are blocks of their own.
        let own = text.split("\n\n").next().unwrap_or(text);
        let mut at = 0;
        for sentence in sentences(own) {
            let says = hand_over.find(sentence).is_some_and(|m| {
                m.as_str().to_ascii_lowercase().starts_with("escalat") || people.is_match(sentence)
            });
            if says {
                // Where the sentence starts, past the space after the last one.
                let lead = sentence.len() - sentence.trim_start().len();
                first = Some(span.start + at + lead..span.end);
                break;
            }
            at += sentence.len();
        }
    }
    let span = first?;
    let section = doc
        .sections
        .iter()
        .rposition(|s| doc.heading(s).span.start <= span.start && span.start < s.body.end);
    Some((section, span))
}

/// The sentences of `text`, each with what ends it: split after a `.`, `!` or `?`
/// followed by white space (a new line included).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let b = rest.as_bytes();
        let end = (1..b.len())
            .find(|&i| {
                matches!(b.get(i - 1), Some(b'.' | b'!' | b'?'))
                    && b.get(i).is_some_and(u8::is_ascii_whitespace)
            })
            .map_or(rest.len(), |i| i + 1);
        let (sentence, tail) = rest.split_at(end);
        rest = tail;
        Some(sentence)
    })
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
