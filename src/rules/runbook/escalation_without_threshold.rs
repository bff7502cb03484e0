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
    /// An incident runbook with no such heading that hands over in passing ("the
    /// development team should be involved", "contact #backend", "ask in
    /// [#ops-help](…)", "Please loop in
    /// someone", "pull in the Security team", "refer it to the `etcd` team", "ask
    /// for assistance in the `#ceph` channel", "If you cannot resolve the issue, …
    /// open a support case", "If you cannot resolve the issue, see the following
    /// resources:" over a list of links that names a channel or a team, "open a
    /// Cloud Support ticket", "file a ticket with
    /// Twilio", "If the problem persists send a notification in #development",
    /// "If issues continue, … feedback to the KEDA project maintainers would be
    /// valuable", "If … the problem is not resolved, the Rook team is very happy
    /// to help you … in their Slack channel" (also in the text before a page's
    /// first heading when its title is in the front matter),
    /// "If these steps don't work, submit a [GitHub issue](…)": the project's
    /// maintainers; asking for access, "contact the team to get access to Splunk", is
    /// setting up, not handing over, and "refer to the [plugin
    /// documentation](supported-providers.md)" or "refer to [this doc](…) … for
    /// Longhorn instance manager pods" sends the reader to reading ("refer to"
    /// hands over only when a team or person follows it); a link's target names
    /// no one, nor does a program whose name ends in a person's word ("the
    /// service and pod cert-manager created"); "a team contact channel" is a noun, and
    /// "people on other teams will come to contact you" hands over to the
    /// reader) is checked on
    /// that sentence (the first such sentence, or a later one that states a
    /// threshold: "If you cannot locate the process, contact Support" early on
    /// and "If there is still no upreplication after 5 minutes, contact
    /// Support" further down say when), and the finding asks for a heading of its own.
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

/// The first hand-over, unless a later one says when: "If you cannot locate the
/// process, contact Support" early on, and "If there is still no upreplication
/// after 5 minutes, contact Support" further down.
fn first_or_said_when(
    doc: &crate::markdown::Document<'_>,
    mut handovers: impl Iterator<Item = crate::markdown::Span>,
) -> Option<crate::markdown::Span> {
    let first = handovers.next()?;
    Some(match threshold() {
        Some(re) if !re.is_match(&doc.text_without_comments(&first)) => handovers
            .find(|span| re.is_match(&doc.text_without_comments(span)))
            .unwrap_or(first),
        _ => first,
    })
}

/// A request for access: "request access", "to get access", "for access to",
/// "be granted access".
fn access_request() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?-u:\b)(request(s|ed|ing)?|get(ting)?|gain(ing)?|grant(ed)?|for|need) (the )?access(?-u:\b)").ok()
    })
    .as_ref()
}

/// Where an incident runbook with no escalation heading says, in passing, when to
/// hand the problem to other people: the first sentence that escalates ("escalate
/// to …") or hands over to people ("contact the #backend channel", "the
/// development team should be involved", "loop in someone", "refer it to the
/// `etcd` team", "ask for assistance in `#ceph`", "gather the following and
/// provide them to F5 support", "If you cannot
/// resolve the issue, … open a support case"; a sentence that ends in ":" takes
/// in the list of links it opens, where the people may be named: "If you cannot
/// resolve the issue, see the following resources:" over "- [#virtualization
/// Slack channel](…)"). Its span, and the index in
/// `doc.sections` of the section it is written in, if any.
///
/// Most runbooks get this asked (most have no escalation heading): one scan of the
/// text for the verbs, and only around a match is a sentence cut out.
pub(crate) fn escalation_in_prose(
    doc: &crate::markdown::Document<'_>,
) -> Option<(Option<usize>, crate::markdown::Span)> {
    static RE: OnceLock<Option<(Regex, Regex, Regex)>> = OnceLock::new();
    let (hand_over, with_tickets, people) = RE
        .get_or_init(|| {
            // All are matched against ASCII-lowercased text: a case-insensitive
            // pattern has no literal for the regex engine to skip ahead to, so it
            // would walk every byte of the page (5x slower over the corpus). ASCII
            // word boundaries: one `’` in a page must not send the scan to a
            // slower engine.
            let people = super::reading::PEOPLE;
            let verbs = format!(
                r"escalat\w*|contact(ing)?|reach(ing)? out|get in touch|involve[ds]?|(loop|pull|bring|call)(s|ed|ing)? in|ask (for (help|assistance|support)|in|on)|refer (it |this |them )?to (the |an? |our |your )?([a-z0-9_`'-]+ ){{0,2}}({people})|page (the|someone|whoever|an?)|(send|provide|forward|submit|share) ([a-z0-9_'-]+ ){{0,6}}(to|with) (the |your |our |an? )?([a-z0-9_`'-]+ ){{0,2}}({people})|raise (an? )?incident|an? (new )?support case|(can ?not|can't|are unable to) (resolve|fix|solve)|(do not|don't|does not|doesn't|did not|didn't) (work|help)|(problems?|issues?|errors?) (still )?(persists?|continues?)|(is|are|was|were) (still )?not (resolved|fixed|solved)"
            );
            let hand_over = Regex::new(&format!(r"(?-u:\b)({verbs})(?-u:\b)")).ok()?;
            // Opening a ticket: "open", "file" and "create" are common words, so
            // this one is asked only of a page that says "ticket" or "case".
            let with_tickets = Regex::new(&format!(
                r"(?-u:\b)({verbs}|(open(s|ed|ing)?|fil(e|es|ed|ing)|rais(e|es|ed|ing)|creat(e|es|ed|ing)|submit(s|ted|ting)?) (an? )?([\w-]+ ){{0,2}}(ticket|case)( with)?)(?-u:\b)"
            ))
            .ok()?;
            let people = Regex::new(&format!(
                r"((^|[^\w-])({people})(?-u:\b)|(^|[\s`])[#@][\w-]+)"
            ))
            .ok()?;
            Some((hand_over, with_tickets, people))
        })
        .as_ref()?;
    let body_start = doc.body_start();
    let text = doc.source().get(body_start..)?;
    // Shared with the other rules; same byte offsets as `text`.
    let lower = doc.lowercase().get(body_start..)?;
    let bytes = text.as_bytes();
    // A sentence ends at `.`, `!` or `?` before white space, or at a blank line.
    let ends_sentence = |i: usize| {
        (matches!(bytes.get(i), Some(b'.' | b'!' | b'?'))
            && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace))
            || (bytes.get(i) == Some(&b'\n') && bytes.get(i + 1) == Some(&b'\n'))
    };
    let in_code = |at: usize| {
        doc.code_blocks.iter().any(|c| c.span.contains(&at))
            || doc.html_comments.iter().any(|c| c.contains(&at))
    };
    let tickets = [&b"ticket"[..], b"support case", b"case with"]
        .iter()
        .any(|w| memchr::memmem::find(lower.as_bytes(), w).is_some());
    let hand_over = if tickets { with_tickets } else { hand_over };
    let candidate = |m: regex::Match<'_>| {
        if in_code(body_start + m.start())
            || hands_nothing_over(m.as_str(), lower.get(m.end()..).unwrap_or(""))
        {
            return None;
        }
        let start = (0..m.start())
            .rev()
            .find(|&i| ends_sentence(i))
            .map_or(0, |i| i + 1);
        let end = (m.end()..text.len())
            .find(|&i| ends_sentence(i))
            .map_or(text.len(), |i| i + 1);
        // "If you cannot resolve the issue, see the following resources:" — the
        // people are in the list the sentence opens.
        let end = if lower.get(start..end)?.trim_end().ends_with(':') {
            links_listed_after(doc, body_start + end).map_or(end, |at| at - body_start)
        } else {
            end
        };
        let sentence = lower.get(start..end)?;
        // A ticket with someone outside ("file a ticket with Twilio", "open a
        // Cloud Support ticket") hands over; one to track work does not.
        let said = m.as_str();
        let escalates = said.starts_with("escalat")
            || ((said.ends_with("ticket with")
                || said.ends_with("case with")
                || said.contains("support"))
                && (said.contains("ticket") || said.contains("case")));
        // Asking for access ("request access by raising a support ticket with
        // IT", "contact the team to get access") is setting up, not handing
        // the problem over.
        let asks_access = memchr::memmem::find(sentence.as_bytes(), b" access").is_some()
            && access_request().is_some_and(|re| re.is_match(sentence));
        // People named in a link's target are no people: "refer to the [plugin
        // specific documentation](supported-providers.md)" hands nothing over.
        let named = || people.is_match(&crate::rules::text::link_texts(sentence));
        (!asks_access && (escalates || named() || files_an_issue(sentence))).then(|| {
            let lead = sentence.len() - sentence.trim_start().len();
            body_start + start + lead..body_start + end
        })
    };
    let found = first_or_said_when(doc, hand_over.find_iter(lower).filter_map(candidate))?;
    let section = doc
        .sections
        .iter()
        .rposition(|s| doc.heading(s).span.start <= found.start && found.start < s.body.end);
    Some((section, found))
}

/// Whether a sentence that hands over does so through a project's issue
/// tracker: "If these steps don't work, submit a [GitHub issue](…)" (the
/// project's maintainers). `sentence` is lower case.
fn files_an_issue(sentence: &str) -> bool {
    [&b"github issue"[..], b"gitlab issue", b"issue tracker"]
        .iter()
        .any(|w| memchr::memmem::find(sentence.as_bytes(), w).is_some())
}

/// The end of the list of links that starts right after `at` (only blank space
/// between), if one does: the places a sentence ending in ":" sends the reader to
/// ("see the following resources:" over "- [#virtualization Slack channel](…)").
/// A list of anything else (checks to run) is not where to hand over.
fn links_listed_after(doc: &crate::markdown::Document<'_>, at: usize) -> Option<usize> {
    let source = doc.source();
    let mut end = None;
    let mut pos = at;
    for item in doc.list_items.iter().filter(|i| i.span.start >= at) {
        if item.span.start < pos {
            continue; // nested in the one before
        }
        if !source.get(pos..item.span.start)?.trim().is_empty() {
            break;
        }
        // The item's text after its marker (and a task box: "- [ ] call them"
        // is no link).
        if !super::steps::lead_text(source.get(item.span.clone())?).starts_with('[') {
            return None;
        }
        pos = item.span.end;
        end = Some(pos);
    }
    end
}

/// Whether a hand-over verb, `said`, hands nothing over by what follows it
/// (`after`): "… where people on other teams will come to contact you" (others
/// hand over to the reader), "a team contact channel", "contact details" (a
/// noun, no instruction).
fn hands_nothing_over(said: &str, after: &str) -> bool {
    /// What "contact" names before these: a noun ("contact channel").
    const CONTACT_NOUNS: &[&str] = &[
        "address",
        "channel",
        "channels",
        "details",
        "email",
        "form",
        "info",
        "information",
        "list",
        "number",
        "page",
        "person",
        "point",
    ];
    let next_word = after
        .trim_start()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    next_word == "you" || (said == "contact" && CONTACT_NOUNS.contains(&next_word))
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
            passing(cx, re, out);
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

/// An incident runbook with no escalation heading that hands over in passing
/// ("the development team should be involved", under "Resolution"): that sentence
/// is its escalation, and it is held to the same threshold. It is reported on its
/// own line, with the heading that would make it easy to find.
fn passing(cx: &LintContext<'_>, threshold: &Regex, out: &mut Vec<Finding>) {
    if !cx.shared.shape(cx.doc).asks_for_triage_and_escalation() {
        return;
    }
    let Some((section, span)) = cx.shared.escalation_in_prose(cx.doc) else {
        return;
    };
    if threshold.is_match(&cx.doc.text_without_comments(&span)) {
        return;
    }
    let under = section
        .and_then(|i| cx.doc.sections.get(i))
        .map(|s| format!(" under \"{}\"", cx.doc.heading(s).text))
        .unwrap_or_default();
    let mut f = cx.finding(
        &EscalationWithoutThreshold::META,
        span,
        format!("escalation is said only in passing{under}, with no measurable threshold"),
    );
    f.help = Some(
        "say when to hand over with numbers (\"if the error rate stays above 5% for 10 minutes\"), under a heading of its own such as \"## Signs this is getting worse\"".into(),
    );
    out.push(f);
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_contact_that_is_no_hand_over() {
        for md in [
            "# Slack\n\n## New team setup\n\n- a team contact channel, where people on other teams will come to contact you\n\n## Troubleshooting\n\nx\n",
            "# Slack\n\n## Setup\n\nKeep your contact details up to date for the teams.\n\n## Troubleshooting\n\nx\n",
            // A person's word inside a program's name ("cert-manager") is no person.
            "# ACME\n\n## Troubleshooting\n\nIf this does not work check the service and pod cert-manager created.\n",
        ] {
            let doc = crate::markdown::Document::parse(md);
            assert_eq!(super::escalation_in_prose(&doc), None, "{md}");
        }
        let doc = crate::markdown::Document::parse(
            "# X\n\n## Troubleshooting\n\nIf it persists, contact the platform team.\n",
        );
        assert!(super::escalation_in_prose(&doc).is_some());
        let doc = crate::markdown::Document::parse(
            "# X\n\n## Troubleshooting\n\nIf this does not work, ask the platform-owners or the managers.\n",
        );
        assert!(super::escalation_in_prose(&doc).is_some());
    }

    #[test]
    fn a_sentence_ending_in_a_colon_takes_in_the_links_it_lists() {
        let md = "# X\n\n## Diagnosis\n\nCheck `x`.\n\n## Mitigation\n\nIf you cannot resolve the issue, see the following resources:\n\n- [OKD Help](https://www.okd.io/help/)\n- [#virtualization Slack channel](https://kubernetes.slack.com/channels/virtualization)\n";
        let doc = crate::markdown::Document::parse(md);
        let (_, span) = super::escalation_in_prose(&doc).expect("the list names a channel");
        assert!(
            doc.text(&span).ends_with("virtualization)\n"),
            "{:?}",
            doc.text(&span)
        );
        // Not the links: nobody named.
        let md = "# X\n\n## Mitigation\n\nIf you cannot resolve the issue, see the following resources:\n\n- [OKD Help](https://www.okd.io/help/)\n";
        assert_eq!(
            super::escalation_in_prose(&crate::markdown::Document::parse(md)),
            None
        );
        // A list of checks is not where to hand over: the ticket further down is.
        let md = "# X\n\n## Triage steps\n\nThere are multiple components involved here so check every one of them:\n\n- Check the IP address: run `terraform output`.\n- If nothing is obviously wrong, open a Cloud Support ticket.\n";
        let doc = crate::markdown::Document::parse(md);
        let (_, span) = super::escalation_in_prose(&doc).expect("the ticket");
        assert!(
            doc.text(&span).starts_with("- If nothing"),
            "{:?}",
            doc.text(&span)
        );
    }

    #[test]
    fn a_later_hand_over_with_a_threshold_is_the_one_read() {
        let md = "# Cluster setup troubleshooting

## Node will not start

If you cannot locate the `cockroach` process, contact Support.

## Replication

If there is still no upreplication after 5 minutes, contact Support.
";
        let doc = crate::markdown::Document::parse(md);
        let (_, span) = super::escalation_in_prose(&doc).expect("a hand-over");
        assert!(
            doc.text(&span).contains("5 minutes"),
            "{:?}",
            doc.text(&span)
        );
        // With no threshold anywhere, the first.
        let md = "# X

## A

If it fails, contact Support.

## B

Otherwise contact the platform team.
";
        let doc = crate::markdown::Document::parse(md);
        let (_, span) = super::escalation_in_prose(&doc).expect("a hand-over");
        assert!(doc.text(&span).contains("fails"), "{:?}", doc.text(&span));
    }

    #[test]
    fn a_hand_over_when_the_steps_fail() {
        let found = |md: &str| super::escalation_in_prose(&crate::markdown::Document::parse(md));
        // To the project's maintainers, through their tracker.
        assert!(found("# X\n\n## Diagnosis\n\nIf these steps don't work, submit a [GitHub issue](https://github.com/o/r/issues).\n").is_some());
        // To a channel, once the problem persists.
        assert!(found("# X\n\n## Diagnosis\n\n- If the problem persists send a notification in [#development](https://x).\n").is_some());
        // Once issues continue, or the problem is not resolved.
        assert!(found("# X\n\n## Diagnosis\n\nIf issues continue, feedback to the project maintainers would be valuable.\n").is_some());
        assert!(found("# X\n\n## Diagnosis\n\nIf the problem is not resolved, the platform team is happy to help in Slack.\n").is_some());
        // Before the first heading of a page titled in its front matter.
        let titled = "---\ntitle: Common Issues\n---\n\nIf the problem is not resolved, the Rook team is happy to help in their Slack channel.\n\n## Ceph\n\nRun `ceph status`.\n";
        assert!(found(titled).is_some());
        // No one to hand over to: a fix.
        assert_eq!(
            found("# X\n\n## Diagnosis\n\nIf these steps don't work, restart the pod.\n"),
            None
        );
        // A tool that opens an issue, with no condition, hands nothing over.
        assert_eq!(
            found(
                "# X\n\n## Diagnosis\n\nYou can use `velero bug` to open a [GitHub issue](https://x).\n"
            ),
            None
        );
    }

    #[test]
    fn people_are_read_in_link_texts_not_targets() {
        // A target names no one; a channel written as a link's text is someone.
        let refer = "# X is down\n\n## Diagnosis\n\nYou should refer to the [plugin documentation](supported-providers.md) for more.\n";
        assert_eq!(
            super::escalation_in_prose(&crate::markdown::Document::parse(refer)),
            None
        );
        let ask = "# X is down\n\n## Diagnosis\n\nIf it keeps failing, ask in [#ops-help](https://example.slack.com/archives/C01).\n";
        assert!(super::escalation_in_prose(&crate::markdown::Document::parse(ask)).is_some());
    }

    #[test]
    fn referring_to_a_page_is_no_hand_over() {
        let in_passing =
            |md: &str| super::escalation_in_prose(&crate::markdown::Document::parse(md)).is_some();
        // "refer to" sends the reader to a page; people later in the sentence
        // ("instance manager pods") are not whom it goes to (longhorn's kb).
        assert!(!in_passing(
            "# Volume is read-only\n\n## Root causes\n\nCPU is too high. You can refer to [this doc](https://example.com/bp) to see how to reserve CPU for Longhorn instance manager pods.\n"
        ));
        assert!(in_passing(
            "# X is down\n\n## Diagnosis\n\nIf unsure, refer it to the `etcd` team in #forum-etcd.\n"
        ));
        assert!(in_passing(
            "# Abuse report\n\n## Diagnosis\n\nIf the account is a paying customer, refer to the abuse team for assistance.\n"
        ));
    }
}
