//! Diagnostic steps: the numbered items of the triage section and of the sections
//! the step rules are configured to read (Diagnosis, Troubleshooting, …).
//!
//! Not every numbered item is a diagnostic step. Real runbooks number lists of
//! dashboards, of possible causes, and of remediation actions ("Restart the pod",
//! "Select Sync") under the same headings, and follow a check with a numbered
//! "If the output shows …" item that interprets it. So an item is a step only when
//! it starts with a checking verb ("Check", "Look at", "Verify", "Is the …?");
//! an item starting with "If"/"Otherwise" belongs to the step before it.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use super::reading;
use crate::markdown::{Document, Heading, HeadingKind, HeadingMatcher, ListItem, Span};
use crate::rules::LintContext;
use crate::rules::text::{ends_with_folded, has_scheme, is_word_in};

/// One diagnostic step.
pub(crate) struct Step {
    /// The number a numbered item renders as; `None` for a bullet or a paragraph.
    pub(crate) number: Option<usize>,
    /// The step's first line, where findings point.
    pub(crate) line: Span,
    /// The step and what follows it up to the next step or heading: a code block
    /// written after `1. Check X:` without indentation still belongs to step 1, and
    /// so does a following `2. If the count is 0, …` item.
    pub(crate) extent: Span,
    /// The heading that names a step written as a heading and its command
    /// ("##### Replication status" over ```` ```info replication``` ````): an index
    /// into [`Document::headings`]. The step is named by it; `line` is the command's.
    pub(crate) title: Option<usize>,
    /// What the step gives to run or look at ([`command`] of its extent), worked
    /// out once for both step rules.
    pub(crate) command: Command,
}

impl Step {
    /// Whether `next` starts where this step's extent ends: nothing (no
    /// heading, no other block) between them.
    pub(crate) fn is_followed_by(&self, next: &Step) -> bool {
        self.extent.end == next.extent.start
    }
}

/// What a numbered item is, judged by its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    /// Starts with a checking verb: a diagnostic step.
    Check,
    /// Starts with "If", "Otherwise", …: it reads the result of the step before.
    Branch,
    /// A branch that goes on to a check of its own with a command ("If it's a
    /// genuine error, look at the pods: ```kubectl get pods```"): it reads the
    /// result of the step before and is a step itself, from after its condition.
    BranchCheck,
    /// Anything else: an action, a link, a noun phrase.
    Other,
}

/// Words that open a diagnostic step: imperatives of looking and measuring, and
/// (in [`QUESTION_VERBS`]) the verbs that start a yes/no question ("Is the queue
/// growing?"). Sorted, lowercase: looked up by binary search.
#[rustfmt::skip]
const LOOK_VERBS: &[&str] = &[
    "ask", "browse", "check", "compare", "confirm", "connect", "count", "cross-check", "curl",
    "describe", "determine", "dig", "double-check", "establish", "examine", "figure", "find",
    "get", "go", "grep", "identify", "inspect", "investigate", "list", "locate", "look", "make",
    "measure", "monitor", "navigate", "observe", "open", "ping", "query", "read", "review", "run",
    "search", "see", "show", "ssh", "tail", "test", "trace", "try", "use", "validate", "verify",
    "view", "visit", "watch", "work",
];

/// Whether a word (any ASCII case) opens a diagnostic step: a verb of looking or
/// one that starts a question.
fn is_check_verb(word: &str) -> bool {
    is_word_in(LOOK_VERBS, word) || is_word_in(QUESTION_VERBS, word)
}

/// Labels of a fix: "Solution: …", "Workaround: …".
#[rustfmt::skip]
const FIX_LABELS: &[&str] = &[
    "fix", "mitigation", "remediation", "resolution", "solution", "workaround",
];

/// Words that open an item interpreting the previous step.
const BRANCH_WORDS: &[&str] = &["if", "otherwise", "else", "unless", "when", "in case"];

/// First words of a fix, not a check: a block that starts so is no diagnostic step
/// even when it gives a command ("Restart the pod: `kubectl delete pod x`").
#[rustfmt::skip]
const FIX_VERBS: &[&str] = &[
    "add", "address", "apply", "bump", "change", "clear", "contact", "cordon", "create",
    "decrease", "delete", "deploy", "disable", "downgrade", "drain", "edit", "enable", "escalate",
    "evict", "expand", "failover", "fix", "flush", "increase", "install", "kill", "lower",
    "migrate", "mitigate", "move", "notify", "page", "patch", "prevent", "promote", "purge",
    "raise", "reach", "reboot", "recreate", "redeploy", "remedy", "remove", "repair", "replace",
    "rerun", "reset", "resize", "restart", "restore", "retry", "revert", "rollback", "rotate",
    "scale", "set", "silence", "start", "stop", "terminate", "trigger", "uncordon", "uninstall",
    "update", "upgrade", "wait", "wipe",
];

/// First words of a block that labels or shows an example, not a step: "Example
/// output:", "Output:", "For example:".
const EXAMPLE_WORDS: &[&str] = &["example", "output", "sample", "for", "e.g", "i.e", "note"];

/// First words of a subheading that labels its block as an example judged good or
/// bad ("#### Bad configuration", "#### Good configuration", "Expected output"):
/// the block shows what right or wrong looks like, it is no step. Sorted.
#[rustfmt::skip]
const JUDGED_EXAMPLES: &[&str] = &[
    "bad", "broken", "correct", "expected", "good", "healthy", "incorrect", "invalid", "right",
    "unhealthy", "valid", "working", "wrong",
];

/// Words skipped before the verb: "First, check …", "Then look at …". Sorted.
#[rustfmt::skip]
const FILLER: &[&str] = &[
    "also", "and", "finally", "first", "next", "now", "optionally", "or", "please", "possibly",
    "quickly", "then",
];

/// Steps already found in the current document, by the sections they were read from
/// (both step rules usually read the same ones).
#[derive(Default)]
pub(crate) struct StepMemo<'a>(RefCell<Vec<Memoized<'a>>>);

/// Steps, and the configured sections they were read from.
type Memoized<'a> = (&'a HeadingMatcher, Rc<[Step]>);

/// Steps of every diagnostic section, each once, in document order.
pub(crate) fn diagnostic_steps<'a>(
    cx: &LintContext<'a>,
    configured: &'a HeadingMatcher,
) -> Rc<[Step]> {
    let memo = &cx.shared.steps.0;
    // The two step rules usually read the same sections, configured twice (the
    // preset gives both the same list): equal matchers share their steps.
    if let Some((_, steps)) = memo
        .borrow()
        .iter()
        .find(|(m, _)| std::ptr::eq(*m, configured) || *m == configured)
    {
        return Rc::clone(steps);
    }
    let steps: Rc<[Step]> = find_steps(cx, configured).into();
    memo.borrow_mut().push((configured, Rc::clone(&steps)));
    steps
}

fn find_steps(cx: &LintContext<'_>, configured: &HeadingMatcher) -> Vec<Step> {
    let doc = cx.doc;
    let triage = cx.shared.common.triage;
    let shape = cx.shared.shape(doc);
    if shape.stub {
        return Vec::new();
    }
    let opening = shape.triage();
    let mut seen = BTreeSet::new();
    let mut steps = Vec::new();
    // "# Alerts" over one section per alert: each is that alert's runbook, read
    // as a triage section is.
    let alerts = alert_sections(doc, shape.incident);
    for section in &doc.sections {
        let heading = doc.heading(section);
        let is_triage = opening == Some(section.heading)
            || triage.matches_heading(doc, heading)
            || alerts.iter().any(|a| a.contains(&heading.span.start));
        // "Troubleshooting", and in an incident runbook "Possible checks", "What to
        // check" or a numbered cause, "### Root Cause 2: DNS", whose checks confirm
        // it (in a procedure, "Initial checks" verify the setup; a title such as
        // "Checks missing" names the page, not a section).
        let diagnostic = || {
            // In a procedure, only the section's own name ("## Troubleshooting"):
            // "## Check upgrade eligibility" is one of its tasks.
            (configured.matches_heading(doc, heading)
                && (shape.incident || configured.matches_exactly(doc, heading)))
                || (((investigates(doc.normalized(heading), shape.incident)
                    && (section.heading > 0 || super::shape::title_headings(doc) == 0))
                    || (shape.incident
                        && heading.level > 1
                        && (configured.is_contained_after_start(doc, heading)
                            || numbers_a_cause(doc.normalized(heading)))))
                    && !under_fix(doc, section.heading))
        };
        if !(is_triage || diagnostic()) {
            // A section not read whose own text announces a list of checks: the
            // author's words make that list steps.
            // A section named by a fix ("### Resolution", "### Restore process",
            // "### Restarting the pods") or under one: a check there verifies it.
            if shape.incident
                && section.heading > 0
                && !super::shape::is_preamble(doc.normalized(heading))
                && !heading_names_fix(doc, heading)
                && !under_fix(doc, section.heading)
            {
                announced_lists(doc, &section.own_body, &mut seen, &mut steps);
                looks_with_code(doc, &section.own_body, &mut seen, &mut steps);
            }
            continue;
        }
        // The triage section is diagnostic throughout. Under "Troubleshooting" and the
        // like, each subsection is usually the fix for one problem, so only the text
        // before the first subsection counts (a subsection named like a diagnostic
        // section is read on its own; a bold line such as `**Verify:**` is no subsection).
        // A section that names itself as checks ("Possible checks", "Checks Using
        // Prometheus") holds checks in its subsections too.
        // So does one that names its commands ("#### Debug Commands" over "#####
        // 1. List Load Balancers" and its command).
        let name = doc.normalized(heading);
        let checks =
            name.split(' ').any(|w| w == "checks" || w == "check") || name.ends_with(" commands");
        let range = if is_triage || checks {
            section.body.clone()
        } else {
            let sub = Document::within(&doc.headings, &section.body)
                .iter()
                .find(|h| h.kind != HeadingKind::Bold)
                .map_or(section.body.end, |h| h.span.start);
            section.body.start..sub
        };
        let found = steps.len();
        // Read with its subsections, a section skips those named by a fix ("###
        // Fix" under "## 1. Check for invalid log profile errors").
        let from = if is_triage || checks {
            before_fixes(doc, section, &range, checks, &mut seen, &mut steps)
        } else {
            range.start
        };
        steps_in(
            doc,
            &(from..range.end),
            checks,
            false,
            &mut seen,
            &mut steps,
        );
        if steps.len() == found && !is_triage {
            steps.extend(headed_section(doc, section, &range, &mut seen));
        }
    }
    // A page whose untitled text under the title points at where to look first:
    // that text is its triage.
    if let super::shape::Opening::Preamble { start, end } = shape.opening {
        steps_in(doc, &(start..end), false, false, &mut seen, &mut steps);
    }
    if shape.incident {
        announced_before_sections(doc, &mut seen, &mut steps);
    }
    steps.sort_by_key(|s| s.line.start);
    drop_groups(doc, &mut steps);
    steps
}

/// The bodies of an incident runbook's sections that write its alerts out, one
/// subsection per alert (`shape::lists_alerts`).
fn alert_sections<'d>(doc: &'d Document<'_>, incident: bool) -> Vec<&'d Span> {
    if !incident {
        return Vec::new();
    }
    (0..doc.headings.len())
        .filter(|&i| super::shape::lists_alerts(doc, i))
        .filter_map(|i| doc.sections.get(i).filter(|s| s.heading == i))
        .map(|s| &s.body)
        .collect()
}

/// Drops the bullets that only group steps nested in them: "- Verify AWS SSM
/// Parameter Store Access" over "- Evaluate permission: `aws sts
/// get-caller-identity`" and "- Verify: `aws ssm get-parameters-by-path …`".
/// Such a bullet's checks are its nested steps, each read on its own; its own
/// text, up to the first of them, gives nothing to run. A numbered item stays
/// (the reader counts it as a step), and so does a step whose nested items are
/// only commands or branches reading its result (it has no nested step).
fn drop_groups(doc: &Document<'_>, steps: &mut Vec<Step>) {
    let mut groups = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        let Some(first) = steps
            .get(n + 1..)
            .and_then(|rest| rest.iter().find(|s| s.line.start > step.line.end))
            .filter(|s| s.line.start < step.extent.end && s.title.is_none())
        else {
            continue;
        };
        if step.title.is_none()
            && step.number.is_none()
            && step.command == Command::Run
            && command(doc, &(step.extent.start..first.line.start)) == Command::None
        {
            groups.push(step.line.start);
        }
    }
    if !groups.is_empty() {
        steps.retain(|s| !groups.contains(&s.line.start));
    }
}

/// The steps of the triage section `section` (read over `range`, `checks` as
/// for [`steps_in`]) up to the end
/// of its last subsection named by a fix ("### Add the Missing Label", "###
/// Restart the pods"): such a subsection is the fix, its checks verify it, they
/// do not diagnose. Returns where the rest of the section's steps start.
fn before_fixes(
    doc: &Document<'_>,
    section: &crate::markdown::Section,
    range: &Span,
    checks: bool,
    seen: &mut BTreeSet<usize>,
    steps: &mut Vec<Step>,
) -> usize {
    let mut from = range.start;
    for sub in doc.sections.iter().filter(|s| {
        s.heading > section.heading
            && range.start <= s.body.start
            && s.body.end <= range.end
            && doc.heading(s).kind != HeadingKind::Bold
    }) {
        if sub.body.start < from || !heading_names_fix(doc, doc.heading(sub)) {
            continue;
        }
        let start = doc.heading(sub).span.start;
        steps_in(doc, &(from..start), checks, false, seen, steps);
        from = sub.body.end;
    }
    from
}

/// A section whose heading is the check ("### Check hostname", "### Verify the
/// certificate chain") and whose text holds no step of its own ("By default,
/// `securityadmin.sh` uses `localhost`. If your cluster runs on any other host,
/// …"): the heading and its text are one step, named by the heading and found
/// on the text's first line. `None` for any other heading, a section with no
/// text, and one whose text links elsewhere, holds a code block or has
/// subsections (see below).
fn headed_section(
    doc: &Document<'_>,
    section: &crate::markdown::Section,
    range: &Span,
    seen: &mut BTreeSet<usize>,
) -> Option<Step> {
    let at = section.heading;
    let heading = doc.headings.get(at)?;
    // "See [Checking the controller's logs](../common/logs.md).": the check is
    // written elsewhere. A code block alone under "### Check Cluster Health"
    // is one of a list of useful commands; the commands of "## Verify Teleport
    // Components" are in its subsections. (Binary searches: asked first.)
    if heading.kind == HeadingKind::Bold
        || !Document::within(&doc.links, range).is_empty()
        || site_link_in(doc.text(range))
        || !Document::within(&doc.code_blocks, range).is_empty()
        || Document::within(&doc.headings, &section.body)
            .iter()
            .any(|h| h.kind != HeadingKind::Bold)
        || kind(&heading.text) != ItemKind::Check
        || heading_names_fix(doc, heading)
    {
        return None;
    }
    let start = [
        Document::within(&doc.paragraphs, range)
            .first()
            .map(|p| p.span.start),
        Document::within(&doc.list_items, range)
            .first()
            .map(|i| i.span.start),
    ]
    .into_iter()
    .flatten()
    .min()?;
    if !seen.insert(start) {
        return None;
    }
    let end = doc
        .text(&(start..range.end))
        .find('\n')
        .map_or(range.end, |i| start + i);
    let extent = start..range.end;
    Some(Step {
        number: None,
        line: start..end,
        command: command(doc, &extent),
        extent,
        title: Some(at),
    })
}

/// Whether `text` holds a link whose target is a site generator's tag,
/// `[Troubleshooting Ingress resources]({{< ref "/nic/…" >}})`: the site renders
/// a link there, where CommonMark (seeing the spaces in the target) reads text.
fn site_link_in(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"](")
        .any(|at| matches!(bytes.get(at + 2..at + 4), Some(b"{{" | b"{%")))
}

/// An incident page's text before its first section, read as a section not
/// otherwise read is ([`announced_lists`]): "If you don't see the new system …,
/// please review the following:" over a list of statements, on a page titled in
/// its front matter with no heading at all.
fn announced_before_sections(
    doc: &Document<'_>,
    seen: &mut BTreeSet<usize>,
    steps: &mut Vec<Step>,
) {
    let start = doc.body_start();
    let end = doc
        .headings
        .iter()
        .find(|h| h.span.start >= start)
        .map_or(doc.source().len(), |h| h.span.start);
    if start < end {
        announced_lists(doc, &(start..end), seen, steps);
    }
}

/// The lists that a paragraph of `range` announces as checks ("Here are some
/// things to verify if you receive `SignatureDoesNotMatch` errors:", "Steps to
/// troubleshoot:", "Ensure the following:"), read as steps, each item one: in a
/// section of an incident runbook that is not otherwise read, the author's own
/// words say these are checks. The list ends at the first paragraph outside it,
/// unless that paragraph only reads the item before and more items follow it.
fn announced_lists(
    doc: &Document<'_>,
    range: &Span,
    seen: &mut BTreeSet<usize>,
    steps: &mut Vec<Step>,
) {
    let paragraphs = Document::within(&doc.paragraphs, range);
    let all_items = Document::within(&doc.list_items, range);
    let lists = Lists::new(all_items);
    let in_list = |at: usize| lists.hold(at);
    for (n, p) in paragraphs.iter().enumerate() {
        let text = doc.text(&p.span);
        // A lead-in stands outside lists; the cheap test first.
        let tools = announces_tools(text);
        if !(tools || announces_checks(text) || announces_conditions(text)) || in_list(p.span.start)
        {
            continue;
        }
        // The list right after the lead-in, up to the next paragraph outside it.
        let at = all_items.partition_point(|i| i.span.start < p.span.end);
        let Some(first) = all_items.get(at) else {
            continue;
        };
        let between = doc.text(&(p.span.end..first.span.start));
        if !between.trim().is_empty() {
            continue;
        }
        // The list goes on past a paragraph that only reads the result of the
        // item before it ("Now, visiting …/metrics should show the metrics.")
        // when more items follow it with nothing between: code written without
        // indentation broke the list, not the author.
        let mut next = range.end;
        for q in paragraphs.iter().skip(n + 1) {
            if q.span.start <= first.span.start || in_list(q.span.start) {
                continue;
            }
            let text = doc.text(&q.span);
            let items_after = all_items
                .get(all_items.partition_point(|i| i.span.start < q.span.end))
                .is_some_and(|i| doc.text(&(q.span.end..i.span.start)).trim().is_empty());
            if !(items_after
                && matches!(kind(text), ItemKind::Branch | ItemKind::Other)
                && super::reading::interprets(text)
                && !super::reading::instructs(text))
            {
                next = q.span.start;
                break;
            }
        }
        // A list of tools is read with its lead-in, which marks its items
        // ([`split_tool_lists`]).
        let start = if tools {
            p.span.start
        } else {
            first.span.start
        };
        steps_in(doc, &(start..next), false, !tools, seen, steps);
    }
}

/// A section not read in which a paragraph asks the reader to look and gives the
/// code for it right under it ("If there is an issue with PVC Create or Delete,
/// check the logs of the `csi-provisioner` sidecar container." over a `kubectl
/// logs` block; "Check the dmesg logs on the node …" over `dmesg`): the author
/// wrote a check there, so the section is read as a diagnostic one from that
/// paragraph on. Only verbs of looking ([`asks_to_look`]): "Run the following
/// Rake task to reprocess the data:" over its command is a fix. (Sections
/// named by a fix, [`heading_names_fix`], are not read at all: "Check the logs
/// of the restore:" under "### Restore process" verifies what the fix did.)
fn looks_with_code(
    doc: &Document<'_>,
    range: &Span,
    seen: &mut BTreeSet<usize>,
    steps: &mut Vec<Step>,
) {
    let lists = Lists::new(Document::within(&doc.list_items, range));
    let codes = Document::within(&doc.code_blocks, range);
    for p in Document::within(&doc.paragraphs, range) {
        if p.quoted || lists.hold(p.span.start) {
            continue;
        }
        // The code block right under the paragraph, nothing between.
        let Some(code) = codes.get(codes.partition_point(|c| c.span.start < p.span.end)) else {
            return;
        };
        if !doc.text(&(p.span.end..code.span.start)).trim().is_empty() {
            continue;
        }
        let text = doc.text(&p.span);
        if matches!(kind(text), ItemKind::Check | ItemKind::Branch) && asks_to_look(text) {
            steps_in(doc, &(p.span.start..range.end), false, false, seen, steps);
            return;
        }
    }
}

/// Whether a normalised heading numbers one of the causes a page goes through
/// ("Cause 1: GKE Private Cluster", "Root Cause 2: DNS Resolution Issues",
/// "Possible cause 3 …"): each such section is a hypothesis, and what it says
/// to check is how the reader confirms it, a diagnostic step. ("## Root Cause"
/// alone explains the one cause a page is about.)
pub(super) fn numbers_a_cause(normalized: &str) -> bool {
    let rest = normalized
        .strip_prefix("root ")
        .or_else(|| normalized.strip_prefix("possible "))
        .unwrap_or(normalized);
    rest.strip_prefix("cause ")
        .or_else(|| normalized.strip_prefix("case "))
        .and_then(|r| r.split(' ').next())
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Verbs that ask the reader to look, for [`asks_to_look`]. Sorted.
const ASK_LOOK: &[&str] = &[
    "check", "confirm", "examine", "inspect", "look", "review", "verify", "view",
];

/// Words that may come right before such a verb: modals and the fillers that put
/// a step in order ("then check"; "and verify" in "Connect to the pods and
/// verify …" follows the real verb). Sorted.
#[rustfmt::skip]
const ASK_BEFORE: &[&str] = &[
    "also", "can", "could", "finally", "first", "may", "must", "next", "now", "please", "should",
    "then",
];

/// Whether a paragraph's first sentence asks the reader to look, as its verb or
/// after its condition: "Check the dmesg logs …", "If any issue exists in PVC
/// expansion you can check the logs of …", "If it's a genuine error, look at the
/// pods:". The verb comes first, after a comma, a modal or an ordering word.
fn asks_to_look(text: &str) -> bool {
    let sentence = text.split(". ").next().unwrap_or(text);
    let mut previous: Option<&str> = None;
    for raw in sentence.split_whitespace().take(24) {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if is_word_in(ASK_LOOK, word) {
            return previous.is_none_or(|p| {
                let bare = p.trim_matches(|c: char| !c.is_alphanumeric());
                p.ends_with(',') || is_word_in(ASK_BEFORE, bare)
            });
        }
        previous = Some(raw);
    }
    false
}

/// Whether the only code in `span` is inline code without a space (paths,
/// names, values): nothing there to run.
fn only_values(doc: &Document<'_>, span: &Span) -> bool {
    Document::within(&doc.code_blocks, span).is_empty()
        && Document::within(&doc.code_spans, span).iter().all(|c| {
            !doc.text(&c.span)
                .trim_matches('`')
                .trim()
                .contains(char::is_whitespace)
        })
}

/// Whether a lead-in asks the reader to make sure of the statements listed
/// after it: "Ensure the following:", "Verify that:", "Make sure that all of
/// these hold:", "Make sure to check the following:", "Check the basics:" (its
/// last sentence, ending in ":").
fn announces_conditions(text: &str) -> bool {
    let Some(sentence) = lead_in_sentence(text) else {
        return false;
    };
    // "If Ceph is not healthy, check the following health for more clues:",
    // "Additionally, verify the following:".
    // The condition may hold commas of its own: "If you don't see the new
    // system in the web interface, or (some) metrics aren't being collected,
    // please review the following:".
    let sentence = match sentence.rsplit_once(", ") {
        Some((condition, rest)) if lead_words(condition)[0].eq_ignore_ascii_case("if") => rest,
        _ => after_adverbial(sentence),
    };
    let mut words = sentence
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let is = |w: Option<&str>, list: &[&str]| {
        w.is_some_and(|w| list.iter().any(|l| l.eq_ignore_ascii_case(w)))
    };
    let mut verb = words.next();
    if is(verb, &["please"]) {
        verb = words.next();
    }
    let ensures = if is(verb, &["make"]) {
        is(words.next(), &["sure"])
    } else {
        is(verb, &["check", "confirm", "ensure", "review", "verify"])
    };
    if !ensures {
        return asks_after_its_situation(sentence);
    }
    let mut rest: Vec<&str> = words.collect();
    // "Make sure to check the following:": the verb after "sure to" asks the same.
    if rest.first().is_some_and(|w| w.eq_ignore_ascii_case("to"))
        && is(
            rest.get(1).copied(),
            &["check", "confirm", "ensure", "verify"],
        )
    {
        rest.drain(..2);
    }
    let word = |i: usize, w: &str| rest.get(i).is_some_and(|r| r.eq_ignore_ascii_case(w));
    // "Check the basics:", "Check these settings:": the list is what to check.
    rest.is_empty()
        || (rest.len() == 1 && word(0, "that"))
        || object_follows(&rest)
        || (rest.len() == 2 && word(0, "the") && word(1, "basics"))
        || (word(0, "that") && word(1, "all"))
}

/// Whether a sentence ends by asking to check what is listed after it, its
/// situation first: "For each "hop" of telemetry through a Collector …, it's
/// important to verify the following", "In that case you should check the
/// following" ("Restart the following" has no verb of checking).
fn asks_after_its_situation(sentence: &str) -> bool {
    /// Verbs of checking, before the object.
    const VERBS: &[&str] = &["check", "confirm", "ensure", "verify"];
    // Read from the end: "following", "the", the verb; or "these", the verb.
    let mut words = sentence
        .split_whitespace()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let last = words.next().unwrap_or("");
    let object = (last.eq_ignore_ascii_case("following")
        && words.next().is_some_and(|w| w.eq_ignore_ascii_case("the")))
        || last.eq_ignore_ascii_case("these");
    let verb = words.next().filter(|_| object);
    // Four words at least: "Verify the following" alone is the lead-in's own verb.
    verb.is_some_and(|verb| VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb)))
        && sentence.split_whitespace().nth(3).is_some()
}

/// Whether the words after a verb take what comes after them on the page as
/// its object: "the following …", "these …". Ending in ":", a lead-in to the
/// list below ([`announces_conditions`]); in a sentence, one that introduces
/// the page's sections ("Use the following troubleshooting steps to resolve
/// …", `shape::points_at_what_follows`).
pub(crate) fn object_follows(words: &[&str]) -> bool {
    match words {
        [first, ..] if first.eq_ignore_ascii_case("these") => true,
        [first, second, ..] => {
            first.eq_ignore_ascii_case("the") && second.eq_ignore_ascii_case("following")
        }
        _ => false,
    }
}

/// Whether heading `at` sits under a section that fixes ("## Resolution Steps" over
/// "### 4. Check the plan, then merge"): a check there verifies the fix, it does
/// not diagnose.
fn under_fix(doc: &Document<'_>, at: usize) -> bool {
    let Some(level) = doc.headings.get(at).map(|h| h.level) else {
        return false;
    };
    doc.headings
        .get(..at)
        .unwrap_or(&[])
        .iter()
        .rev()
        .filter(|h| h.kind != HeadingKind::Bold)
        .find(|h| h.level < level)
        .is_some_and(|parent| names_fix(doc.normalized(parent)))
}

/// Whether a normalised heading names a fix ("Resolution Steps", "Mitigation",
/// "Workaround").
pub(crate) fn names_fix(normalized: &str) -> bool {
    normalized.split(' ').any(|w| is_word_in(FIX_LABELS, w))
}

/// Whether a heading names a fix: by a fix's label anywhere ("Resolution",
/// "Workaround for …", [`names_fix`]) or by a fix's verb first ("Restore
/// process", "Restarting the pods").
pub(crate) fn heading_names_fix(
    doc: &Document<'_>,
    heading: &crate::markdown::Heading<'_>,
) -> bool {
    names_fix(doc.normalized(heading))
        || starts_with_fix(&heading.text)
        || names_fix_by_gerund(lead_words(&heading.text)[0])
}

/// Stems of the first word of a heading that names an investigation, whatever the
/// section is called after it: "3. Analyze profiling data", "Profile the tests",
/// "Inspecting the queue".
const INVESTIGATION_STEMS: &[&str] = &["analys", "analyz", "inspect", "investigat", "profil"];

/// Stems that name an investigation, in an incident runbook and in a how-to's
/// own troubleshooting of its steps ("Troubleshoot the banner": check the
/// deploy, use a private window; "Try clearing the memcache" there is a fix).
/// A page's title with one of them says the whole page diagnoses
/// (`shape::names_diagnosis`).
pub(crate) const INCIDENT_STEMS: &[&str] = &["debug", "diagnos", "troubleshoot"];

/// Nouns that "debug" names a setting of, as an adjective ("## Debug Logging":
/// raise the log level with `--v=5`; "## Debug Mode": start a maintenance pod):
/// such a heading says how to turn more output on, not to investigate.
#[rustfmt::skip]
const DEBUG_SETTINGS: &[&str] = &[
    "build", "builds", "flag", "flags", "level", "log", "logging", "logs", "mode", "option",
    "options", "settings", "symbols",
];

/// Whether "debug" and `next`, the word after it, name a setting ("Debug logs",
/// "Debug mode", "Debug Logging"), not the work of debugging.
pub(crate) fn names_debug_setting(word: &str, next: &str) -> bool {
    word.eq_ignore_ascii_case("debug")
        && DEBUG_SETTINGS
            .binary_search(&next.to_ascii_lowercase().as_str())
            .is_ok()
}

/// First words that make a heading itself a check, in an incident runbook: "Check
/// Component Status", "Verify Teleport Components", "Identify the culprit",
/// "Determine if the outage is the vendor or us" ("Checklist of upgrades" is no
/// check). Sorted.
#[rustfmt::skip]
const CHECK_HEADS: &[&str] = &[
    "check", "checking", "confirm", "confirming", "determine", "determining", "identify",
    "identifying", "verify", "verifying",
];

/// Words that, in a heading that checks, say it checks a fix that was made ("Verify
/// the fix", "Confirm recovery"): that is no diagnosis.
const AFTER_FIX: &[&str] = &[
    "fix",
    "fixed",
    "recovered",
    "recovery",
    "resolution",
    "resolved",
    "restored",
    "worked",
];

/// Whether a word of a heading names an alert arriving: "alert(s)", "alarm(s)",
/// "paged", "fires", "firing", "watcher" ("page" alone is as often a web page:
/// "What to do when the page is blank").
fn names_alert_arriving(word: &str) -> bool {
    matches!(
        word,
        "alert" | "alerts" | "alarm" | "alarms" | "fires" | "firing" | "paged" | "watcher"
    )
}

/// Whether a normalised heading (numbering left as a first word) starts with a
/// word of investigation: one of [`INVESTIGATION_STEMS`] or [`INCIDENT_STEMS`], in
/// an incident runbook also [`CHECK_HEADS`] (unless it checks a fix) or "What
/// to do if / when …" (the page's playbook for one situation), or "Finding where /
/// why / what …" ("Finding a licence" names a service).
fn investigates(normalized: &str, incident: bool) -> bool {
    let mut words = crate::markdown::section::without_number(normalized).split(' ');
    let first = words.next().unwrap_or("");
    let second = words.next();
    // "Debug Logging", "Debug mode": a setting named by "debug", not the verb.
    if first == "debug" && second.is_some_and(|w| is_word_in(DEBUG_SETTINGS, w)) {
        return false;
    }
    let stem = |stems: &[&str]| stems.iter().any(|s| first.starts_with(s));
    if stem(INVESTIGATION_STEMS) || stem(INCIDENT_STEMS) {
        return true;
    }
    if incident && CHECK_HEADS.binary_search(&first).is_ok() {
        let mut rest = second.into_iter().chain(words);
        return !rest.any(|w| AFTER_FIX.contains(&w));
    }
    if first == "what" && second == Some("to") && words.next() == Some("do") {
        let mut rest = words.peekable();
        // "What to do next", after the checks: the fix's verification and the
        // hand-over.
        if rest.peek() == Some(&"next") {
            return false;
        }
        // On any page, "What to do when an alert fires" / "… for alerts on PVC
        // capacity" / "… when you get paged" is the alert's own playbook.
        return incident || rest.any(names_alert_arriving);
    }
    first == "finding"
        && second.is_some_and(|w| matches!(w, "where" | "why" | "what" | "which" | "out"))
}

/// A block that may be a step: a list item (any depth) or a paragraph outside lists.
struct Candidate {
    span: Span,
    /// A list item, not a paragraph outside lists.
    in_list: bool,
    /// The number a numbered item renders as.
    number: Option<usize>,
    /// How deep a list item is nested (0: an item of a top-level list, or a
    /// paragraph).
    depth: u32,
    /// For the first block under a subheading, when it is a code block or a link
    /// alone: the heading (an index into [`Document::headings`]), which then names
    /// the step that block is the command of.
    heading: Option<usize>,
    /// [`kind`] of exactly `span`'s text, when finding the block already worked
    /// it out (a paragraph's instruction start reads its first words).
    known_kind: Option<ItemKind>,
}

/// Which offsets lie inside a list item, nested or not: items are in order of
/// their starts, and the furthest end reached so far answers in one binary
/// search.
struct Lists<'d> {
    items: &'d [ListItem],
    /// The furthest end of the items up to each one.
    reach: Vec<usize>,
}

impl<'d> Lists<'d> {
    fn new(items: &'d [ListItem]) -> Self {
        let reach = items
            .iter()
            .scan(0, |end, i| {
                *end = (*end).max(i.span.end);
                Some(*end)
            })
            .collect();
        Lists { items, reach }
    }

    /// Whether offset `at` lies inside some item.
    fn hold(&self, at: usize) -> bool {
        self.items
            .partition_point(|i| i.span.start <= at)
            .checked_sub(1)
            .and_then(|i| self.reach.get(i))
            .is_some_and(|&end| at < end)
    }
}

/// The blocks of `range` that may be steps, in order: list items (any depth, not
/// quoted) and paragraphs outside lists.
fn candidates(doc: &Document<'_>, range: &Span) -> Vec<Candidate> {
    let items = Document::within(&doc.list_items, range);
    let lists = Lists::new(items);
    let in_list = |at: usize| lists.hold(at);
    let numbers = rendered_numbers(doc, items);
    let mut blocks: Vec<Candidate> = items
        .iter()
        .zip(&numbers)
        .filter(|(i, _)| i.quote_depth == 0)
        .map(|(i, &n)| Candidate {
            span: i.span.clone(),
            in_list: true,
            number: i.ordered.then_some(n),
            depth: i.depth,
            heading: None,
            known_kind: None,
        })
        .collect();
    blocks.extend(
        Document::within(&doc.paragraphs, range)
            .iter()
            // A bold line alone (`**Verify:**`) labels what follows; it is no step.
            // A quoted paragraph is an aside ("> See also the gRPC settings of
            // NGINX: https://…"), as quoted list items are.
            .filter(|p| !p.quoted && !in_list(p.span.start) && !is_bold_label(doc, &p.span))
            // A site generator's tag on lines of its own (Hugo's `{{< figure src=… >}}`,
            // `{{% alert %}}`) is markup the site renders, not words: the paragraph
            // starts after it, and one of tags alone is no block.
            .filter_map(|p| {
                let tags = leading_template_lines(doc.text(&p.span));
                (tags < p.span.len()).then(|| p.span.start + tags..p.span.end)
            })
            .map(|span| {
                let p = crate::markdown::Paragraph {
                    span,
                    quoted: false,
                };
                let text = doc.text(&p.span);
                let whole = kind(text);
                // "If you observe that the volume cannot attach.\nCheck …": a
                // condition that is a sentence of its own, then the check on a
                // line of its own: the step starts there (the condition reads
                // as what sends the reader to it).
                let condition_first = whole == ItemKind::Branch
                    && text
                        .split('\n')
                        .next()
                        .is_some_and(|l| l.trim_end().ends_with(['.', '!', '?']));
                // An instruction earlier in the paragraph, mid-line ("… beyond the
                // threshold. Look for which CLs …" over "Try to determine why"),
                // comes first: the paragraph is read whole, from that sentence.
                let start = (whole == ItemKind::Other || condition_first)
                    .then(|| instruction_start(text))
                    .flatten()
                    .filter(|&at| {
                        whole != ItemKind::Other || instructs_later(text).is_none_or(|i| i >= at)
                    });
                Candidate {
                    span: start.map_or(p.span.clone(), |at| p.span.start + at..p.span.end),
                    in_list: false,
                    number: None,
                    depth: 0,
                    heading: None,
                    known_kind: start.is_none().then_some(whole),
                }
            }),
    );
    blocks.sort_by_key(|b| b.span.start);
    headed_commands(doc, range, &mut blocks);
    blocks
}

/// How many bytes of `text` are whole lines that are only a site generator's
/// tags (`{{< figure … >}}`, `{{% /alert %}}`, Liquid's `{% include … %}`), from
/// its start.
fn leading_template_lines(text: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if !is_template_line(line.trim()) {
            break;
        }
        at += line.len();
    }
    at
}

/// Whether a line is only template tags ([`super::shape::outside_template_tags`]):
/// it opens with `{{` or `{%`, and nothing but space is outside its tags.
fn is_template_line(line: &str) -> bool {
    (line.starts_with("{{") || line.starts_with("{%"))
        && super::shape::outside_template_tags(line)
            .is_some_and(|(outside, tags)| tags > 0 && outside.trim().is_empty())
}

/// Steps written as a subheading and, right under it, the command: "##### Master/
/// slave role of the redis node" over ```` ```> role``` ````, "##### Get Sentinel
/// machines" over a link alone. The code block becomes a block of its own, and it
/// and a link alone are tied to their heading; `blocks` stays in order.
fn headed_commands(doc: &Document<'_>, range: &Span, blocks: &mut Vec<Candidate>) {
    let first = doc.headings.partition_point(|h| h.span.start < range.start);
    // Code blocks go in after the loop: `blocks` is searched in order meanwhile.
    let mut added = Vec::new();
    for (at, h) in doc.headings.iter().enumerate().skip(first) {
        if h.span.start >= range.end {
            break;
        }
        if h.kind == HeadingKind::Bold {
            continue;
        }
        let after = h.span.end..range.end;
        let next_block = blocks.partition_point(|b| b.span.start < after.start);
        let next_heading = doc
            .headings
            .get(at + 1)
            .map_or(range.end, |n| n.span.start.min(range.end));
        let code = Document::within(&doc.code_blocks, &after)
            .first()
            .filter(|c| c.span.start < next_heading);
        // "check Redis docs for more information: https://…" before the code
        // sends the reader to reading; the code is still the heading's command.
        let reading = blocks
            .get(next_block)
            .filter(|b| !b.in_list && b.span.start < next_heading && names_docs(doc.text(&b.span)))
            .map(|b| b.span.start);
        let block_start = blocks
            .get(next_block + usize::from(reading.is_some()))
            .map(|b| b.span.start);
        match code {
            Some(c) if block_start.is_none_or(|b| c.span.start < b) && !shows_output(doc, c) => {
                added.push(Candidate {
                    span: reading.unwrap_or(c.span.start)..c.span.end,
                    in_list: false,
                    number: None,
                    depth: 0,
                    heading: Some(at),
                    known_kind: None,
                });
            }
            _ => {
                if let Some(b) = blocks.get_mut(next_block).filter(|b| {
                    !b.in_list && b.span.start < next_heading && only_a_link(doc.text(&b.span))
                }) {
                    b.heading = Some(at);
                }
            }
        }
    }
    if !added.is_empty() {
        blocks.append(&mut added);
        blocks.sort_by_key(|b| b.span.start);
    }
}

/// What a block tied to a subheading is: a step when the heading says to look
/// ("Get Sentinel machines", "Analyze memory usage"), or, among checks, names what
/// its command shows ("Replication status" under "Possible checks"; elsewhere such
/// a heading more often names a symptom, with the error it prints under it). Never
/// when it names a fix ("Start Redis"), data collection or an example.
/// `by_words`: the heading's [`kind`]; `names_check`: it opens with a checking or
/// investigating verb; `allowed`: where this block may be a step at all.
fn headed_kind(heading: &str, by_words: ItemKind, names_check: bool, allowed: bool) -> ItemKind {
    let [first, _] = lead_words(heading);
    if !allowed
        || first.is_empty()
        || starts_with_fix(heading)
        || collects_data(heading)
        || EXAMPLE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first))
        || is_word_in(JUDGED_EXAMPLES, first)
        || (!names_check && by_words == ItemKind::Branch)
    {
        ItemKind::Other
    } else {
        ItemKind::Check
    }
}

/// Where a paragraph's instruction starts when it is not its first line: a list of
/// causes and then, on a line of its own, the check ("Misconfigured alertmanager,
/// bad credentials..\nCheck alertmanager logs."). The offset of that line: one that
/// opens a new sentence with a capitalised checking verb, not a question. `None` when the first
/// line is already the step or no line is. Asked only of a paragraph whose first
/// words are no step ([`kind`] is `Other`).
fn instruction_start(text: &str) -> Option<usize> {
    // Most paragraphs are one line.
    let first_end = text.find('\n')?;
    let mut at = first_end + 1;
    let mut previous = text.get(..first_end)?;
    for line in text.get(at..)?.split('\n') {
        let opens_sentence = previous.trim_end().ends_with(['.', '!', '?', ':']);
        // An imperative: a question ("Is it going down?") follows up the line before.
        let question = line
            .split_whitespace()
            .next()
            .is_some_and(|w| QUESTION_VERBS.iter().any(|q| q.eq_ignore_ascii_case(w)));
        if opens_sentence
            && line.starts_with(|c: char| c.is_ascii_uppercase())
            && !question
            && kind(line) == ItemKind::Check
        {
            return Some(at);
        }
        at += line.len() + 1;
        previous = line;
    }
    None
}

/// The steps of one diagnostic range, each step once (`seen` holds their starts).
///
/// `checks`: the range is a section named as checks ("Possible checks"), whose
/// subheadings name what their commands show ("Replication status").
fn steps_in(
    doc: &Document<'_>,
    range: &Span,
    checks: bool,
    listed: bool,
    seen: &mut BTreeSet<usize>,
    out: &mut Vec<Step>,
) {
    let blocks = candidates(doc, range);
    // Each block's own words, read once for [`classify`] and [`step_line`].
    let words: Vec<Option<ItemKind>> = (0..blocks.len())
        .map(|n| own_words_kind(doc, &blocks, n, range.end))
        .collect();
    let mut kinds: Vec<ItemKind> = (0..blocks.len())
        .zip(&words)
        .map(|(n, &own)| classify(doc, &blocks, n, range.end, checks, own))
        .collect();
    read_lists(doc, &blocks, &words, range, &mut kinds);
    mark_listed(doc, &blocks, listed, &mut kinds);
    let next_heading = |from: usize| heading_after(doc, from, range.end);
    // Blocks that start with a fix ("Restart the pod", "To start the service: …",
    // "Now disable the integration" and its nested "Go to …" items): what they hold
    // is the fix, not a check, and none reads the result of the step before.
    let fixes: Vec<bool> = blocks
        .iter()
        .zip(&kinds)
        .map(|(b, k)| {
            *k == ItemKind::Other
                && ((starts_with_fix(doc.text(&b.span)) && !done_to_look(doc.text(&b.span)))
                    || (!b.in_list && introduces_fix(doc.text(&b.span))))
        })
        .collect();
    // The block of the last step found: an item nested in it that is only a
    // command (`- `kubectl get pods``) is that step's command, not a step.
    let mut parent: Option<&Span> = None;
    // The last fix: the items nested in it are its parts, and so are the items of
    // a list that a fix's lead-in introduces ("… to fix this:").
    let mut fix: Option<Span> = None;
    for (n, block) in blocks.iter().enumerate() {
        let Some(&this) = kinds.get(n) else { break };
        if fixes.get(n) == Some(&true) && fix.as_ref().is_none_or(|f| block.span.start >= f.end) {
            fix = Some(fix_region(doc, &blocks, n, next_heading(block.span.end)));
        }
        if !matches!(this, ItemKind::Check | ItemKind::BranchCheck) {
            continue;
        }
        if fix
            .as_ref()
            .is_some_and(|f| block.span.start > f.start && block.span.start < f.end)
        {
            continue;
        }
        let nested = parent.is_some_and(|p| block.span.start < p.end);
        let own_end = blocks.get(n + 1).map_or(range.end, |b| b.span.start);
        if nested && part_of_parent(doc, &own_span(block, own_end), parent) {
            continue;
        }
        if !nested {
            parent = Some(&block.span);
        }
        if !seen.insert(block.span.start) {
            continue;
        }
        // The step runs up to the next block that starts a step, within its own
        // heading. A branch that checks again ("If not, look at the pods: …") is
        // still the interpretation of the step before it.
        // A fix after the step, outside it, ends it too: it is what to do, not how
        // to read what the step showed.
        let next_step = blocks
            .iter()
            .zip(&kinds)
            .zip(&fixes)
            .skip(n + 1)
            .find(|((b, k), is_fix)| {
                let starts_step = **k == ItemKind::Check
                    || (this == ItemKind::BranchCheck && **k == ItemKind::BranchCheck);
                (starts_step && b.span.start >= block.span.start)
                    || (**is_fix && b.span.start >= block.span.end)
            })
            .map(|((b, _), _)| b.span.start);
        let end = next_step
            .unwrap_or(range.end)
            .min(next_heading(block.span.start + 1))
            .max(block.span.end);
        let next_block = blocks.get(n + 1).map_or(range.end, |b| b.span.start);
        let own_words = words.get(n).copied().flatten();
        let line = step_line(doc, block, &own_span(block, next_block), own_words);
        // A branch's own step starts after its condition, which reads the step before.
        let start = match this {
            ItemKind::BranchCheck => branch_start(doc.text(&block.span))
                .map_or(block.span.start, |i| block.span.start + i),
            _ => block.span.start,
        };
        let extent = start.min(end)..end;
        out.push(Step {
            number: block.number,
            command: later_command(doc, block, own_words, &line, &extent),
            line,
            extent,
            title: block.heading,
        });
    }
}

/// What a step gives to run or look at. A step that a later sentence makes
/// ("The [job metrics](…) goroutine has not updated … You should check the
/// logs") gives it from that sentence (its `line`) on: a link before it is the
/// situation's, no place to look (what comes before may still say what the
/// look will show), unless the instruction points back at it ("The
/// [alert-listener] mailing list gets every alert. Check whether the message
/// appears there.").
fn later_command(
    doc: &Document<'_>,
    block: &Candidate,
    own_words: Option<ItemKind>,
    line: &Span,
    extent: &Span,
) -> Command {
    let from = if block.heading.is_none() {
        line.start.clamp(extent.start, extent.end)
    } else {
        extent.start
    };
    let command = step_command(doc, block, own_words, &(from..extent.end));
    if command == Command::None && from > extent.start && refers_back(doc.text(&(from..extent.end)))
    {
        return step_command(doc, block, own_words, extent);
    }
    command
}

/// Whether an instruction's first sentence points back at a place named before
/// it: "Check whether the message appears there", "Look at it", "open that
/// dashboard".
fn refers_back(text: &str) -> bool {
    let sentence = text.split(". ").next().unwrap_or(text);
    let words: Vec<&str> = sentence
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let is = |w: &str, list: &[&str]| list.iter().any(|l| l.eq_ignore_ascii_case(w));
    words.iter().enumerate().any(|(i, w)| {
        let next = words.get(i + 1).copied().unwrap_or("");
        // "that dashboard", "this list": a place named as one already seen.
        let place =
            is(next, VIEW_KINDS) || is(next, &["chart", "graph", "link", "list", "log", "logs"]);
        w.eq_ignore_ascii_case("there")
            || (is(w, &["this", "that", "these", "those"]) && place)
            // "Open it", "look at it": the object right after the verb.
            || ((1..=2).contains(&i) && is(w, &["it", "them"]))
    })
}

/// What a step gives to run or look at ([`command`] of its extent). A noun
/// phrase or a statement that is a check only because its list says so ("-
/// Sentry errors for `/e`, `/batch` etc endpoints", "- The secret is mounted
/// into the pod at `/credentials`") names its paths as values: nothing to run
/// there. `own_words`: the block's [`own_words_kind`].
fn step_command(
    doc: &Document<'_>,
    block: &Candidate,
    own_words: Option<ItemKind>,
    extent: &Span,
) -> Command {
    let command = command(doc, extent);
    if command == Command::Run
        && block.in_list
        && own_words == Some(ItemKind::Other)
        && only_values(doc, extent)
    {
        return Command::None;
    }
    command
}

/// Where a branch's own step starts: after its condition's comma ("If it's a
/// genuine error, look at the pods:"), or, with no comma, at its instruction
/// on the first line ("If any issue exists in PVC expansion you can check the
/// logs of …": the condition is no reading of what the check shows).
fn branch_start(text: &str) -> Option<usize> {
    reading::condition_end(text).or_else(|| {
        let first_line = text.find('\n').unwrap_or(text.len());
        reading::instruction_at(text)
            .map(|i| i.verb)
            .filter(|&verb| verb > 0 && verb < first_line)
    })
}

/// A branch with no step before it to read ("When you start Falco, watch the
/// print statements." first under "How do I determine if …?"): its condition
/// is the situation, not a result, and what it asks to look at is a check.
/// Only a list's items, before any check of the range; the first such is the
/// check, and the branches after it read its result.
fn situation_checks(doc: &Document<'_>, blocks: &[Candidate], kinds: &mut [ItemKind]) {
    for (n, b) in blocks.iter().enumerate() {
        match kinds.get(n) {
            Some(ItemKind::Check | ItemKind::BranchCheck) => return,
            Some(ItemKind::Branch) if b.in_list => {}
            _ => continue,
        }
        let text = doc.text(&b.span);
        let asks_to_look = branch_start(text)
            .and_then(|at| text.get(at..))
            .is_some_and(|rest| is_word_in(LOOK_VERBS, lead_words(rest)[0]));
        if asks_to_look && let Some(kind) = kinds.get_mut(n) {
            // The items after it read its result.
            *kind = ItemKind::Check;
            return;
        }
    }
}

/// The checks a list's place makes of its items. When `listed`, the list is
/// one a lead-in announces as checks ("Ensure the following:"): each top-level
/// item is one, even as a statement to verify ([`listed_check`]). Otherwise a
/// first branch with no step before it may be one ([`situation_checks`]).
fn mark_listed(doc: &Document<'_>, blocks: &[Candidate], listed: bool, kinds: &mut [ItemKind]) {
    if !listed {
        situation_checks(doc, blocks, kinds);
        return;
    }
    let top =
        (0..blocks.len()).filter(|&i| blocks.get(i).is_some_and(|b| b.in_list && b.depth == 0));
    mark_listed_checks(doc, blocks, top, kinds);
}

/// Marks the blocks `items` of a list announced as checks as checks: each that
/// is no step by its own words but reads as one in such a list ([`listed_check`]).
fn mark_listed_checks(
    doc: &Document<'_>,
    blocks: &[Candidate],
    items: impl IntoIterator<Item = usize>,
    kinds: &mut [ItemKind],
) {
    for i in items {
        let Some(block) = blocks.get(i) else { continue };
        if let Some(kind) = kinds.get_mut(i)
            && *kind == ItemKind::Other
            && listed_check(doc.text(&block.span))
        {
            *kind = ItemKind::Check;
        }
    }
}

/// "Open the [dashboard] and confirm:" and a list of questions: the list items
/// with no command of their own after a paragraph that is a check, gives a
/// command or a place, and ends with `:` are what to look for in that result
/// (the lead-in's interpretation, inside its extent), not steps of their own:
/// their kind becomes [`ItemKind::Other`]. The list is [`list_after`] the
/// lead-in, as for a fix's lead-in ([`fix_region`]).
fn absorb_lead_in_lists(
    doc: &Document<'_>,
    blocks: &[Candidate],
    kinds: &mut [ItemKind],
    end: usize,
) {
    for (n, b) in blocks.iter().enumerate() {
        let leads_in = kinds.get(n) == Some(&ItemKind::Check)
            && !b.in_list
            && doc.text(&b.span).trim_end().ends_with(':');
        if !leads_in {
            continue;
        }
        let list_end = list_after(blocks, n, heading_after(doc, b.span.end, end));
        // "Look at the Grafana dashboards:" over "* Integration: https://…" and
        // "* Staging: https://…": the items are where to look, the lead-in's
        // place, not steps of their own.
        let places = || {
            let mut items = blocks
                .iter()
                .skip(n + 1)
                .take_while(|i| i.span.start < list_end)
                .peekable();
            items.peek().is_some() && items.all(|i| only_a_place(doc.text(&i.span)))
        };
        let places = places();
        if command(doc, &b.span) == Command::None && !places {
            continue;
        }
        for (item, kind) in blocks.iter().zip(kinds.iter_mut()).skip(n + 1) {
            if item.span.start >= list_end {
                break;
            }
            if places || command(doc, &item.span) == Command::None {
                *kind = ItemKind::Other;
            }
        }
    }
}

/// Whether a list item is only a place to look, a link or an address with at
/// most a short label ("* Staging: https://grafana.example.org/d/…", "- [Error
/// rates](https://…)"): nothing to do there but open it.
fn only_a_place(item: &str) -> bool {
    let text = without_list_marker(item).trim();
    // ": " and not ':', which every address holds ("https://…").
    let text = text
        .split_once(": ")
        .filter(|(label, _)| label.split_whitespace().nth(4).is_none())
        .map_or(text, |(_, rest)| rest.trim());
    let address = text.trim_start_matches('<').trim_end_matches('>');
    ((address.starts_with("https://") || address.starts_with("http://"))
        && !address.contains(char::is_whitespace))
        || only_a_link(text)
}

/// What blocks are, read with what stands before them: a bold label of a fix,
/// the lead-ins of their lists (examples, a command's lead-in and its list,
/// checks a lead-in announces).
fn read_lists(
    doc: &Document<'_>,
    blocks: &[Candidate],
    words: &[Option<ItemKind>],
    range: &Span,
    kinds: &mut [ItemKind],
) {
    let end = range.end;
    drop_fix_labelled(doc, blocks, range, kinds);
    drop_example_items(doc, blocks, kinds);
    drop_after_example_label(doc, blocks, kinds, end);
    absorb_lead_in_lists(doc, blocks, kinds, end);
    split_announced_lists(doc, blocks, kinds, end);
    split_tool_lists(doc, blocks, kinds, end);
    drop_grouping_lead_ins(doc, blocks, kinds, end);
    absorb_command_lead_ins(doc, blocks, words, end, kinds);
}

/// "2. Check the health of the Kafka cluster:" over "- Verify broker health"
/// and "- Check for network issues": a check with nothing to run of its own
/// that ends in ":" and groups the checks listed under it (nested in it, or
/// the list right after a paragraph), each an instruction. The listed checks
/// are the steps; the lead-in only names what they check together (its kind
/// becomes [`ItemKind::Other`]), as a lead-in that announces checks does
/// ([`split_announced_lists`]).
fn drop_grouping_lead_ins(
    doc: &Document<'_>,
    blocks: &[Candidate],
    kinds: &mut [ItemKind],
    end: usize,
) {
    for (n, b) in blocks.iter().enumerate() {
        if kinds.get(n) != Some(&ItemKind::Check) {
            continue;
        }
        let next = blocks.get(n + 1).map_or(end, |c| c.span.start);
        let own = own_span(b, next);
        if !doc.text(&own).trim_end().ends_with(':') || command(doc, &own) != Command::None {
            continue;
        }
        // The items it groups: nested in it, one level down, or the list right
        // after a paragraph.
        let grouped: Vec<usize> = if b.in_list {
            blocks
                .iter()
                .enumerate()
                .skip(n + 1)
                .take_while(|(_, c)| c.span.start < b.span.end)
                .filter(|(_, c)| c.in_list && c.depth == b.depth + 1)
                .map(|(i, _)| i)
                .collect()
        } else {
            let list_end = list_after(blocks, n, heading_after(doc, b.span.end, end));
            blocks
                .iter()
                .enumerate()
                .skip(n + 1)
                .take_while(|(_, c)| c.span.start < list_end)
                .filter(|(_, c)| c.in_list && c.depth == 0)
                .map(|(i, _)| i)
                .collect()
        };
        // Each an instruction of its own, not a part of the lead-in's check: "-
        // check `attributes/default.rb` for location of the logs" under "- check
        // logs for errors:" looks up where the check is done.
        let instructs = |i: &usize| {
            blocks.get(*i).is_some_and(|item| {
                let text = doc.text(&item.span);
                instructs_a_check(text) && !reading::looks_up(text)
            })
        };
        if grouped.len() >= 2
            && grouped.iter().all(instructs)
            && let Some(kind) = kinds.get_mut(n)
        {
            *kind = ItemKind::Other;
        }
    }
}

/// "Here are some common commands to troubleshoot a Ceph cluster:" over "* `ceph
/// status`", "* `ceph osd df`"; "Here are a few artifacts that are helpful to
/// gather:" over "* Rook pod status: `kubectl get pod …`"; "there are a few useful
/// resources:" over "- Graph: Kafka Production Rate ([link](…))": a lead-in that
/// offers things to run or look at while diagnosing ([`announces_tools`]) and
/// gives none itself. Each item of the list right after it is a check of its own,
/// even as a bare command or a noun phrase, as after "Things to check:"
/// ([`split_announced_lists`]); the lead-in only announces them. An item with
/// nothing to run of its own that groups two or more items which each give one
/// ("* Logs for Rook pods" over "* Logs for the operator: `kubectl logs …`") only
/// names them: those are the checks. Fixes, pointers and ways in are not
/// ([`listed_check`]). So for a check with nothing to run that asks for the
/// statements listed after it ("Additionally, verify the following:" over "-
/// The source cluster can write to the snapshot bucket.",
/// [`announces_conditions`]), as [`announced_lists`] reads such a list in a
/// section not otherwise read.
fn split_tool_lists(doc: &Document<'_>, blocks: &[Candidate], kinds: &mut [ItemKind], end: usize) {
    for (n, b) in blocks.iter().enumerate() {
        let text = doc.text(&b.span);
        let lead_in = announces_tools(text)
            || (kinds.get(n) == Some(&ItemKind::Check) && announces_conditions(text))
            || last_sentence_asks(text);
        if b.in_list || !lead_in || command(doc, &b.span) != Command::None {
            continue;
        }
        let list_end = list_after(blocks, n, heading_after(doc, b.span.end, end));
        // Only a list right after it: a code block there is the lead-in's own.
        let listed = blocks.get(n + 1).is_some_and(|c| {
            c.in_list
                && c.span.start < list_end
                && doc.text(&(b.span.end..c.span.start)).trim().is_empty()
        });
        if !listed {
            continue;
        }
        // "Check:" right under the command's code block: the step before's
        // reading, not checks of their own.
        if checks_output_by_list(doc, &b.span) {
            for (i, kind) in kinds.iter_mut().enumerate().skip(n) {
                if blocks
                    .get(i)
                    .is_none_or(|c| i > n && c.span.start >= list_end)
                {
                    break;
                }
                *kind = ItemKind::Branch;
            }
            continue;
        }
        mark_tool_items(doc, blocks, n + 1, list_end, end, kinds);
        if let Some(kind) = kinds.get_mut(n) {
            *kind = ItemKind::Other;
        }
    }
}

/// Whether the lead-in paragraph at `p`, right under a code block, asks to check
/// the statements listed right after it ("Check:" over "- OIDC issuer URL is
/// correct", "- Client ID and client secret are configured"): what that
/// command's output must bear out, so its reading (as "Look for `OOMKilled`"
/// there is), not checks of their own. One reading for both step rules: the
/// steps found ([`split_tool_lists`]) and `step-without-interpretation`.
pub(crate) fn checks_output_by_list(doc: &Document<'_>, p: &Span) -> bool {
    let text = doc.text(p);
    follows_code(doc, p.start)
        && !announces_tools(text)
        && (announces_conditions(text) || last_sentence_asks(text))
        && doc
            .list_items
            .get(doc.list_items.partition_point(|i| i.span.start < p.end))
            .is_some_and(|item| doc.text(&(p.end..item.span.start)).trim().is_empty())
}

/// Whether a lead-in that does not open with a check asks for one in its last
/// sentence, after its situation: "It can be difficult to isolate problems …
/// For each "hop" …, it's important to verify the following:"
/// ([`asks_after_its_situation`]).
fn last_sentence_asks(text: &str) -> bool {
    lead_in_sentence(text).is_some_and(asks_after_its_situation)
}

/// The last sentence of a lead-in, a block that ends in ":" ("It can be
/// difficult … For each hop, verify the following:" → "For each hop, verify
/// the following"); `None` for a block that does not end so. What the lead-in
/// announces is said there.
fn lead_in_sentence(text: &str) -> Option<&str> {
    let lead = text.trim_end().strip_suffix(':')?;
    Some(lead.rsplit(". ").next().unwrap_or(lead).trim())
}

/// The items of a list of tools ([`split_tool_lists`]) among `blocks[from..]`
/// that start before `list_end`, marked as checks: each top-level item, or,
/// for one that gives nothing to run before its nested items and groups two or
/// more that each give something, those nested items.
fn mark_tool_items(
    doc: &Document<'_>,
    blocks: &[Candidate],
    from: usize,
    list_end: usize,
    end: usize,
    kinds: &mut [ItemKind],
) {
    let in_list = |i: &usize| blocks.get(*i).is_some_and(|c| c.span.start < list_end);
    for i in (from..blocks.len()).take_while(in_list) {
        let Some(item) = blocks.get(i).filter(|c| c.in_list && c.depth == 0) else {
            continue;
        };
        let next = blocks.get(i + 1).map_or(end, |c| c.span.start);
        let grouped: Vec<usize> = (i + 1..blocks.len())
            .take_while(|&j| blocks.get(j).is_some_and(|c| c.span.start < item.span.end))
            .filter(|&j| blocks.get(j).is_some_and(|c| c.depth == 1))
            .collect();
        let gives = |j: &usize| {
            blocks.get(*j).is_some_and(|c| {
                command(doc, &c.span) != Command::None
                    && !only_code(doc, &c.span)
                    && listed_check(doc.text(&c.span))
            })
        };
        let names_group = command(doc, &own_span(item, next)) == Command::None
            && grouped.len() >= 2
            && grouped.iter().all(gives);
        let marked: &[usize] = if names_group { &grouped } else { &[i] };
        mark_listed_checks(doc, blocks, marked.iter().copied(), kinds);
    }
}

/// Blocks under a bold label that names a fix ("**Resolution:**",
/// "**Workaround**"), up to the next heading or bold label, are the fix: an
/// error catalogue's "**Cause:**" then "**Resolution:**" then "- **Check your
/// configuration file** for …" checks its own fix, it does not diagnose.
fn drop_fix_labelled(
    doc: &Document<'_>,
    blocks: &[Candidate],
    range: &Span,
    kinds: &mut [ItemKind],
) {
    let headings = Document::within(&doc.headings, range);
    for (n, h) in headings.iter().enumerate() {
        // The label's first word: "**If DNS resolution fails:**" is a case.
        let first = doc.normalized(h).split(' ').next().unwrap_or("");
        if h.kind != HeadingKind::Bold || !is_word_in(FIX_LABELS, first) {
            continue;
        }
        let until = headings
            .get(n + 1)
            .map_or(range.end, |next| next.span.start.min(range.end));
        // Blocks are in order of their starts: only those from the label on.
        let from = blocks.partition_point(|b| b.span.start < h.span.end);
        mark_no_steps(blocks, kinds, from, until);
    }
}

/// The blocks from index `from` on that start before `until` are no steps:
/// their kind becomes [`ItemKind::Other`].
fn mark_no_steps(blocks: &[Candidate], kinds: &mut [ItemKind], from: usize, until: usize) {
    for (block, kind) in blocks.iter().zip(kinds.iter_mut()).skip(from) {
        if block.span.start >= until {
            break;
        }
        *kind = ItemKind::Other;
    }
}

/// The blocks after a paragraph that is only an example's label ("Examples:",
/// "For example:", "E.g.:", "Sample:"), up to the next heading: examples of the step
/// before the label ("To verify if the pod `curl` can reach `httpbin.org` on
/// port 443:" over that run of `osm verify connectivity`), not steps. Its
/// reading may come after them ("The `Status` field in the output will
/// indicate `Success` …").
fn drop_after_example_label(
    doc: &Document<'_>,
    blocks: &[Candidate],
    kinds: &mut [ItemKind],
    end: usize,
) {
    for (n, block) in blocks.iter().enumerate() {
        if block.in_list || !is_example_label(doc.text(&block.span)) {
            continue;
        }
        mark_no_steps(
            blocks,
            kinds,
            n + 1,
            heading_after(doc, block.span.end, end),
        );
    }
}

/// Whether a block is only an example's label ([`names_examples`] in at most
/// two words and a colon: "Examples:", "For example:", "E.g.:"), emphasis
/// around it or not.
fn is_example_label(text: &str) -> bool {
    // "**For instance:**" is the longest; nearly every block is longer.
    if text.len() > 20 {
        return false;
    }
    let label = text
        .trim()
        .trim_matches(|c| matches!(c, '*' | '_'))
        .trim_end_matches(':')
        .trim_matches(|c| matches!(c, '*' | '_'));
    label.split_whitespace().count() <= 2 && names_examples(label)
}

/// Whether a sentence opens by naming examples: "Example", "Examples",
/// "Sample", "E.g.", "For example", "For instance". Shared by a list's lead-in
/// ([`in_example_list`]) and a label alone ([`is_example_label`]).
fn names_examples(sentence: &str) -> bool {
    let [first, second] = lead_words(sentence);
    let is = |w: &str| first.eq_ignore_ascii_case(w);
    ["example", "examples", "e.g", "eg", "sample", "samples"]
        .into_iter()
        .any(is)
        || (is("for")
            && (second.eq_ignore_ascii_case("example") || second.eq_ignore_ascii_case("instance")))
}

/// Items of lists that a line labelling examples introduces are no steps
/// ([`in_example_list`]).
fn drop_example_items(doc: &Document<'_>, blocks: &[Candidate], kinds: &mut [ItemKind]) {
    for (n, kind) in kinds.iter_mut().enumerate() {
        if *kind != ItemKind::Other && in_example_list(doc, blocks, n) {
            *kind = ItemKind::Other;
        }
    }
}

/// Whether block `n` is an item of a list that a line labelling examples
/// introduces: "Examples for log paths:" then "* ProwJob URL: `https://…`",
/// "E.g.:" then "* `(.err)` to only output the error message part.": values a
/// step can be given, or other ways to write its command, not steps.
fn in_example_list(doc: &Document<'_>, blocks: &[Candidate], n: usize) -> bool {
    let Some(item) = blocks.get(n).filter(|b| b.in_list) else {
        return false;
    };
    /// Lists of examples are short: past this many blocks back, a list is not
    /// read as one (and a list of thousands of checks costs no quadratic walk).
    const MAX_BACK: usize = 200;
    // The list's first item: back over its siblings and their nested items.
    let mut first = item;
    for b in blocks.get(..n).unwrap_or(&[]).iter().rev().take(MAX_BACK) {
        if !b.in_list || b.depth < item.depth {
            break;
        }
        if b.depth == item.depth {
            first = b;
        }
    }
    let before = doc
        .source()
        .get(..first.span.start)
        .unwrap_or("")
        .trim_end();
    let line = before.rsplit('\n').next().unwrap_or("").trim();
    if !line.ends_with(':') {
        return false;
    }
    // The line's last sentence: "… parts of the JSON logline.\nE.g.:" is read
    // line by line, "Some values. For example:" by sentence.
    let sentence = line.trim_end_matches(':').rsplit(". ").next().unwrap_or("");
    names_examples(sentence) || shows_what_to_find(sentence) || offers_capabilities(sentence)
}

/// Whether a list's lead-in says what a tool can do for the reader: "Pyroscope
/// is an open source continuous profiling platform. It will help you:" over "+
/// Find performance issues and bottlenecks", "… which lets you:", "It allows
/// you to:": what the tool is good for, not checks to make.
fn offers_capabilities(sentence: &str) -> bool {
    const OFFERS: &[&str] = &[
        "allow", "allows", "enable", "enables", "help", "helps", "let", "lets",
    ];
    let mut words = sentence.split_whitespace().rev();
    let last = words.next().unwrap_or("");
    let (you, verb) = if last.eq_ignore_ascii_case("to") {
        (words.next().unwrap_or(""), words.next().unwrap_or(""))
    } else {
        (last, words.next().unwrap_or(""))
    };
    you.eq_ignore_ascii_case("you") && OFFERS.iter().any(|o| verb.eq_ignore_ascii_case(o))
}

/// Whether a list's lead-in says its items are what a check shows: "The presence
/// of the following errors in the log may explain issues with querying traces:"
/// over `no org id`, `tenant-id not found`: messages to find in the step's
/// output, not steps of their own. Its last clause must not instruct ("Ensure
/// the following are healthy:" lists checks).
fn shows_what_to_find(sentence: &str) -> bool {
    last_clause_leads_into_result(sentence)
}

/// Whether an item of a list reads as a check of its own: its first words
/// instruct one ([`kind`]) or it is a statement to make sure of ("Ensure the
/// `keda-operator` deployment has the … annotation").
fn instructs_a_check(text: &str) -> bool {
    kind(text) == ItemKind::Check || is_word_in(VERIFY_VERBS, lead_words(lead_text(text))[0])
}

/// Whether the last clause of the words before a colon leads into a result
/// ([`leads_into_result`]) and does not instruct: "- Check `kiam-server` logs,
/// successful provisioning looks like:" leads into output; "Check if live-store
/// pods are running and healthy:" and "Ensure the following are healthy:"
/// instruct, whatever words of a result they hold.
fn last_clause_leads_into_result(text: &str) -> bool {
    let lower = text.trim_end().trim_end_matches(':').to_ascii_lowercase();
    let clause = lower.rsplit([',', '.', ';']).next().unwrap_or(&lower);
    let first = clause.split_whitespace().next().unwrap_or("");
    !is_check_verb(first) && !is_word_in(VERIFY_VERBS, first) && leads_into_result(clause)
}

/// A block's own text: up to the next block (a list item's nested items are
/// blocks of their own).
fn own_span(block: &Candidate, next: usize) -> Span {
    block.span.start..block.span.end.min(next).max(block.span.start)
}

/// Whether an item of a list announced as checks (by its heading, "## What to
/// check", or its lead-in, "places to look:") is one of them, even as a noun
/// phrase: not getting there ("Login to server") and not a fix.
fn listed_check(text: &str) -> bool {
    // "For Ceph, try using a native Ceph account …": what to try, after a short
    // phrase that says where it applies.
    let lead = lead_text(text);
    let after_phrase = lead
        .split_once(", ")
        .filter(|(phrase, _)| phrase.split_whitespace().nth(3).is_none())
        .map_or(lead, |(_, rest)| rest);
    let attempts = lead_words(after_phrase)[0].eq_ignore_ascii_case("try");
    // "See also [Investigating query evaluation issues](#…)": a pointer, as
    // under any other heading.
    !sends_elsewhere(text)
        && !ACCESS_VERBS
            .iter()
            .any(|v| v.eq_ignore_ascii_case(lead_words(lead)[0]))
        && !starts_with_fix(text)
        && !starts_with_fix(after_phrase)
        && !attempts
}

/// "If scheduled tasks aren't working, there are a few places to look in for
/// issues:" and a numbered list of them, with no command in the lead-in: each
/// item of that list is a check of its own, even as a noun phrase ("1. The
/// Graphile Worker database: …"), as under a heading that names checks
/// ([`heading_names_checks`]), and the lead-in only announces them (its kind
/// becomes [`ItemKind::Other`]). A finding then names the item that lacks a
/// command by its number. Getting there ("Login to server") and fixes are not
/// checks. A bulleted list after "Other things to check:" is as often a list of
/// possible causes ("- read only filesystem"): the lead-in and that list stay
/// one step, unless every item instructs a check ("Some things to check:" over
/// "- Ensure the `keda-operator` deployment has the … annotation", "- Check
/// `kiam-server` logs, …"): then each item is one, as in a numbered list.
fn split_announced_lists(
    doc: &Document<'_>,
    blocks: &[Candidate],
    kinds: &mut [ItemKind],
    end: usize,
) {
    for (n, b) in blocks.iter().enumerate() {
        let announces = !b.in_list
            && kinds.get(n) == Some(&ItemKind::Check)
            && announces_checks(doc.text(&b.span))
            && command(doc, &b.span) == Command::None;
        if !announces {
            continue;
        }
        let list_end = list_after(blocks, n, heading_after(doc, b.span.end, end));
        let items = blocks
            .iter()
            .enumerate()
            .skip(n + 1)
            .take_while(|(_, item)| item.span.start < list_end)
            .filter(|(_, item)| item.in_list && item.depth == 0)
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        let instructs = |i: usize| {
            blocks
                .get(i)
                .is_some_and(|item| instructs_a_check(doc.text(&item.span)))
        };
        let bulleted_checks = !items.is_empty() && items.iter().all(|&i| instructs(i));
        if !bulleted_checks
            && items
                .iter()
                .any(|&i| blocks.get(i).is_none_or(|item| item.number.is_none()))
        {
            continue;
        }
        let announced = !items.is_empty();
        mark_listed_checks(doc, blocks, items, kinds);
        if announced && let Some(kind) = kinds.get_mut(n) {
            *kind = ItemKind::Other;
        }
    }
}

/// "Review the logs for the pod named in the alert." then "You can review the
/// logs for `alertmanager-main-1` by running the following command:" and a code
/// block: a paragraph that is a step only because it leads into a command (its
/// first words are no check) gives the command of the step right before it, when
/// that step has none of its own yet and the paragraph names its action with the
/// same verb. It is then part of that step (its kind
/// becomes [`ItemKind::Other`]), so the step is read with its command.
/// `words`: each block's [`own_words_kind`], in a range that ends at `end`.
fn absorb_command_lead_ins(
    doc: &Document<'_>,
    blocks: &[Candidate],
    words: &[Option<ItemKind>],
    end: usize,
    kinds: &mut [ItemKind],
) {
    let mut last_step: Option<usize> = None;
    for n in 0..blocks.len() {
        let (Some(block), Some(&this)) = (blocks.get(n), kinds.get(n)) else {
            break;
        };
        if this == ItemKind::BranchCheck {
            last_step = None;
            continue;
        }
        if this != ItemKind::Check {
            continue;
        }
        // The block's own words were read for its own span: the same text
        // unless a block starts inside it.
        let next = blocks.get(n + 1).map_or(end, |b| b.span.start);
        let whole_words = || match words.get(n).copied().flatten() {
            Some(k) if own_span(block, next) == block.span => k,
            _ => block
                .known_kind
                .unwrap_or_else(|| kind(doc.text(&block.span))),
        };
        let lead_in = !block.in_list && block.heading.is_none() && whole_words() == ItemKind::Other;
        let absorbed = lead_in
            && last_step.and_then(|p| blocks.get(p)).is_some_and(|step| {
                let between = step.span.start..block.span.start;
                (!step.in_list || block.span.start < step.span.end)
                    && step.heading.is_none()
                    && Document::within(&doc.headings, &between).is_empty()
                    && command(doc, &between) == Command::None
                    && repeats_verb(doc.text(&step.span), doc.text(&block.span))
            });
        if absorbed {
            if let Some(k) = kinds.get_mut(n) {
                *k = ItemKind::Other;
            }
        } else {
            last_step = Some(n);
        }
    }
}

/// Whether `lead_in`'s first sentence does what `step` says with the same verb
/// ("Review the logs …" then "You can review the logs … by running …:"): the
/// same action, now with its command. "Check with browser …" then "From your
/// terminal, you can display … using:" is another way, a step of its own.
///
/// A step that makes sure something holds ("Make sure the pool … exists",
/// "check that the filesystem … exists") is also done by a lead-in whose last
/// sentence verifies ("Suppose the pool is `replicapool`. It can be verified to
/// exist in the toolbox:"): checking, confirming and verifying are one action.
fn repeats_verb(step: &str, lead_in: &str) -> bool {
    let Some(verb) = step_verb(step) else {
        return false;
    };
    let lead = lead_text(lead_in);
    let sentence = lead.get(..first_sentence_end(lead, lead)).unwrap_or(lead);
    let same = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .eq_ignore_ascii_case(verb)
    };
    if verb.is_empty() {
        return false;
    }
    if sentence.split_whitespace().any(same) {
        return true;
    }
    // The lead-in's last sentence, the one that leads into the command, says
    // the check can be done ("It can be verified …", "you can confirm it …", "To
    // check, run:"), not a new instruction ("Login to the cluster. Check health
    // of master nodes …" is a step of its own).
    if !is_word_in(VERIFY_VERBS, verb) {
        return false;
    }
    let text = lead_in.trim_end();
    let last = text
        .rfind(". ")
        .and_then(|at| text.get(at + 2..))
        .unwrap_or(text);
    let mut before = "";
    last.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|word| {
            let can_do = is_word_in(CAN_DO, before) && verifying_form(word);
            before = word;
            can_do
        })
}

/// Words before a verb that say the check can be done rather than order it:
/// "be" (verified), "can" (check), "to" (confirm). Sorted.
const CAN_DO: &[&str] = &["be", "can", "could", "may", "might", "to", "will"];

/// Verbs of making sure that something holds ("make" as in "make sure"). Sorted.
const VERIFY_VERBS: &[&str] = &["check", "confirm", "ensure", "make", "validate", "verify"];

/// Whether `word` is a form of a verb of [`VERIFY_VERBS`] other than "make":
/// "verified", "checked", "confirm", "validating".
fn verifying_form(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let stems = [
        Some(lower.as_str()),
        lower.strip_suffix("ed"),
        lower.strip_suffix('d'),
        lower.strip_suffix("ing"),
    ];
    let verify = lower == "verified" || lower == "verifying";
    verify
        || stems
            .into_iter()
            .flatten()
            .any(|s| s != "make" && is_word_in(VERIFY_VERBS, s))
}

/// The verb of a step's instruction: its first word when that is a checking verb
/// ("Review the logs …"), else the verb of the instruction written later in it
/// ("To diagnose this you should look at …": "look"; "To investigate the
/// degraded state, look at …"). The step's first word is no verb there: two
/// such steps both opening with "To" do not do the same thing.
fn step_verb(step: &str) -> Option<&str> {
    let text = after_adverbial(lead_text(step));
    let [first, _] = lead_words(text);
    if is_check_verb(first) {
        return Some(first);
    }
    let at = reading::instruction_at(text)?;
    let [verb, _] = lead_words(text.get(at.verb..)?);
    (!verb.is_empty()).then_some(verb)
}

/// What fix block `n` covers: itself (and so the items nested in it), and for a
/// paragraph that introduces a fix ("… to fix this:") the list after it, up to the
/// next paragraph outside lists or `end`.
fn fix_region(doc: &Document<'_>, blocks: &[Candidate], n: usize, end: usize) -> Span {
    let Some(block) = blocks.get(n) else {
        return 0..0;
    };
    let mut region = block.span.clone();
    if !block.in_list && introduces_fix(doc.text(&block.span)) {
        region.end = list_after(blocks, n, end).max(region.end);
    }
    region
}

/// Where the list right after block `n` ends: at the next block outside lists,
/// or at `end` (the next heading). A lead-in paragraph owns that list (a fix's
/// "… to fix this:", a check's "Open the [dashboard] and confirm:").
fn list_after(blocks: &[Candidate], n: usize, end: usize) -> usize {
    blocks
        .iter()
        .skip(n + 1)
        .find(|b| !b.in_list)
        .map_or(end, |b| b.span.start)
        .min(end)
}

/// The start of the first heading in `from..end`, else `end`.
fn heading_after(doc: &Document<'_>, from: usize, end: usize) -> usize {
    Document::within(&doc.headings, &(from..end))
        .first()
        .map_or(end, |h| h.span.start)
}

/// [`kind`] of block `n`'s own text ([`own_span`]: up to the next block, `end`
/// after the last), from what finding the block already worked out when it can;
/// `None` for a block tied to a subheading, which its heading classifies.
fn own_words_kind(
    doc: &Document<'_>,
    blocks: &[Candidate],
    n: usize,
    end: usize,
) -> Option<ItemKind> {
    let block = blocks.get(n).filter(|b| b.heading.is_none())?;
    let next = blocks.get(n + 1).map_or(end, |b| b.span.start);
    let own = own_span(block, next);
    let known = block.known_kind.filter(|_| own == block.span);
    Some(known.unwrap_or_else(|| kind(doc.text(&own))))
}

/// What block `n` is, by its first words and then by what it says: a block whose
/// first words are no checking verb is still a step when it gives a command to run
/// ("PromQL query is the following:" and a code block, "Logs of the operator:
/// `kubectl logs x`"; a one-word label, "Logs:", as often labels output),
/// unless it starts with a fix, labels an example, or shows the result of the step
/// before ("You should see output similar to this:"). A branch ("If …, …") that
/// goes on to instruct a check with a command is a step too.
///
/// `own_words`: [`own_words_kind`] of the block.
fn classify(
    doc: &Document<'_>,
    blocks: &[Candidate],
    n: usize,
    end: usize,
    checks: bool,
    own_words: Option<ItemKind>,
) -> ItemKind {
    let Some(block) = blocks.get(n) else {
        return ItemKind::Other;
    };
    if let Some(h) = block.heading.and_then(|h| doc.headings.get(h)) {
        let link_alone = Document::within(&doc.code_blocks, &block.span).is_empty();
        let by_words = kind(&h.text);
        let names_check = by_words == ItemKind::Check || investigates(doc.normalized(h), true);
        let allowed = (checks && !link_alone) || names_check;
        return headed_kind(&h.text, by_words, names_check, allowed);
    }
    // A block's own text: a list item's nested items are blocks of their own.
    let next = blocks.get(n + 1).map_or(end, |b| b.span.start);
    let own = own_span(block, next);
    let text = doc.text(&own);
    let by_words = match own_words.unwrap_or_else(|| kind(text)) {
        // "If you have SSH access, read the logs: …" starts a step of its own.
        ItemKind::Branch if reading::opens_with_precondition(lead_text(text)) => ItemKind::Other,
        k => k,
    };
    // "Look for `OOMKilled` in the output" right under the step's code block, or
    // anywhere when it says which output ("Look for data in the Status field near
    // the top of the output"), reads that code's output: the step before's
    // interpretation, not a step. A numbered list's next item is the next step,
    // even right under the code of the item before ("4. **Check for resource
    // conflicts**: Look for any resource conflicts …" after `kubectl get
    // opensearchclusters -A`), unless it says it reads that output.
    let next_numbered = block.in_list && block.number.is_some_and(|n| n > 1);
    if by_words == ItemKind::Check
        && scans_output(text)
        && !runs(doc, &own)
        && ((follows_code(doc, block.span.start) && !next_numbered) || refers_to_output(text))
    {
        return ItemKind::Branch;
    }
    if by_words == ItemKind::Check {
        return by_words;
    }
    // Under a heading that names its list as checks ("## What to check", "Things
    // to check"), each item of that list is one, even as a noun phrase
    // ("1. Accessibility of the scraping target from the prometheus server").
    // Getting there ("1. Login to server.") is not one of the checks. Under
    // "## Quick checks", an item led by a short label that names what it looks
    // at ("- Grafana: Web dashboard → 5xx rate", "- Logs: Web logs for slow
    // endpoints") is a check, even with no verb.
    if by_words == ItemKind::Other
        && block.in_list
        && block.depth == 0
        && ((heading_names_checks(doc, block.span.start) && listed_check(text))
            || (heading_ends_in_checks(doc, block.span.start) && labels_a_look(text)))
    {
        return ItemKind::Check;
    }
    // A code block right after the block, before the next one (not one its
    // author marked as output: "An issue can appear when creating a PVC:" over
    // ```` ```shell hideCopy ```` and the error; nor a logged line shown,
    // "Errors will be logged with the `level` key set to `error`:" over
    // `{"level":"error",…}`).
    let code_follows = || {
        block.span.end <= next
            && Document::within(&doc.code_blocks, &(block.span.end..next))
                .iter()
                .any(|c| !shows_printed_output(doc, c))
    };
    // Cheap tests first: most blocks give no command, and are read no further.
    // An item nested in this one that is only a command: "To look into one
    // method:" with "- `go tool pprof -list x`" under it.
    let command_nested = || {
        blocks.get(n + 1).is_some_and(|b| {
            b.span.start < block.span.end && only_code(doc, &b.span) && runs(doc, &b.span)
        })
    };
    let candidate = match by_words {
        // A code block, or inline code after a short label ("Logs: `kubectl logs
        // x`"); inline code in a sentence ("Applies to: `lint-pr serve` and …") is
        // a mention.
        ItemKind::Other => {
            !Document::within(&doc.code_blocks, &own).is_empty()
                || (text.trim_end().ends_with(':')
                    && (code_follows() || command_nested())
                    && !names_values(text))
                || (labels_command(text) && runs(doc, &own))
                // The prompt first: most blocks have no code after them.
                || (block.span.end <= next
                    && prompt_follows(doc, &(block.span.end..next))
                    && !purpose_first(text))
        }
        ItemKind::Branch => runs(doc, &own) || code_follows(),
        _ => false,
    };
    if !candidate {
        return later_check(doc, block, text, next, by_words);
    }
    let [first, _] = lead_words(lead_text(text));
    // "To start the service: …" is a fix, "To check whether …" a check.
    let fix = starts_with_fix(text) || leads_into_fix(text);
    if first.is_empty() || fix || collects_data(text) || labels_aside(text, first) {
        return by_words;
    }
    let prose = crate::rules::text::prose(doc, &own);
    match by_words {
        // "i.e.:" or "Output:" before a code block labels it; a step says more.
        ItemKind::Other
            if !reading::shows_result(&prose) && prose.split_whitespace().nth(2).is_some() =>
        {
            ItemKind::Check
        }
        ItemKind::Branch if reading::instructs(&prose) => ItemKind::BranchCheck,
        other => other,
    }
}

/// Whether a lead-in ending in ":" only says what the values under it are: "There
/// are 3 pods that make up the AlertManager cluster. The pod names are:" over
/// their names. Its last sentence ends "… are:" / "… is:" and names no command
/// ("The command to run is:" still leads into one).
fn names_values(text: &str) -> bool {
    /// Nouns that make what follows something to run.
    const COMMAND_NOUNS: &[&str] = &[
        "cmd",
        "command",
        "commands",
        "invocation",
        "queries",
        "query",
        "script",
        "syntax",
    ];
    let text = text.trim_end().trim_end_matches(':');
    let last = text.rsplit(". ").next().unwrap_or(text);
    let words: Vec<&str> = last
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let [first, .., verb] = words.as_slice() else {
        return false;
    };
    ["are", "is", "was", "were"].contains(verb)
        && !is_check_verb(first)
        && !words
            .iter()
            .any(|w| COMMAND_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(w)))
}

/// Whether a lead-in's last sentence, the one that ends in ":" over the code,
/// names a fix: "The `linkerd-buoyant` installation may be missing or
/// incomplete. To install the extension:". The code is that fix.
fn leads_into_fix(text: &str) -> bool {
    text.contains(". ") && last_sentence_names_fix(text)
}

/// Whether a lead-in ends in ":" and its last sentence opens with "To" and a
/// fix's verb ("To install the extension:", "To disable encryption, follow
/// these steps:"): what follows it is that fix. Shared by [`leads_into_fix`]
/// (its code) and [`introduces_fix`] (its list).
fn last_sentence_names_fix(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with(':')
        && text.rsplit(". ").next().is_some_and(|last| {
            lead_words(last)[0].eq_ignore_ascii_case("to") && starts_with_fix(last)
        })
}

/// Whether a block whose first word is `first` labels an example or an aside
/// ([`EXAMPLE_WORDS`]): "Output:", "For example:", "Note: …", "Note that …".
/// "Note the `instance` and `mountpoint` labels from the alert. You can graph …"
/// tells the reader to do something: no label.
fn labels_aside(text: &str, first: &str) -> bool {
    // "Another example failure:", "One more example:": the label of a second
    // example.
    let [_, second] = lead_words(lead_text(text));
    let another = ["another", "one"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first))
        && (second.eq_ignore_ascii_case("example")
            || lead_text(text)
                .split_whitespace()
                .nth(2)
                .is_some_and(|w| w.trim_end_matches(':').eq_ignore_ascii_case("example")));
    if another {
        return true;
    }
    if !EXAMPLE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first)) {
        return false;
    }
    if !first.eq_ignore_ascii_case("note") {
        return true;
    }
    let lead = lead_text(text).trim_start_matches(|c: char| !c.is_alphanumeric());
    let after = lead.get(4..).unwrap_or("").trim_start_matches(['*', '_']);
    after.starts_with([':', ',', '!'])
        || after
            .split_whitespace()
            .next()
            .is_none_or(|w| ["that", "this", "these", "also"].contains(&w))
}

/// Whether a block opens by saying what to find in a result: "Look for pods in
/// `CrashLoopBackOff`", "Watch for …", "Check for …".
fn scans_output(text: &str) -> bool {
    let [first, second] = lead_words(lead_text(text));
    ["look", "watch", "check", "search"]
        .iter()
        .any(|v| v.eq_ignore_ascii_case(first))
        && (second.eq_ignore_ascii_case("for") || names_output_field(lead_text(text)))
}

/// Whether a block's first sentence says it is about the output of the step
/// before: "… near the top of the output", "in its output", "in the command's
/// output".
fn refers_to_output(text: &str) -> bool {
    let lead = lead_text(text);
    let sentence = lead.split(". ").next().unwrap_or(lead).to_ascii_lowercase();
    [
        " the output",
        " its output",
        " the command's output",
        " the result",
    ]
    .iter()
    .any(|p| sentence.contains(p))
}

/// Whether a check names a field of structured output by its path, and says it
/// is one: "Check the `metadata.labels` section for the `owned-by` label",
/// "Look at the `status.conditions` field". Right under a command that prints
/// YAML or JSON, it says where in that output to read.
fn names_output_field(lead: &str) -> bool {
    /// What a path in backticks is called when it is part of the output.
    const FIELD_WORDS: &[&str] = &["block", "column", "field", "fields", "key", "section"];
    let mut parts = lead.split('`');
    parts.next();
    while let (Some(code), Some(after)) = (parts.next(), parts.next()) {
        let path = code.trim_start_matches('.');
        let is_path = path.contains('.')
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '[' | ']'));
        let named = after
            .split_whitespace()
            .next()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .is_some_and(|w| FIELD_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)));
        if is_path && named {
            return true;
        }
    }
    false
}

/// Whether a code block ends right before `at`, with only blank lines between.
fn follows_code(doc: &Document<'_>, at: usize) -> bool {
    let i = doc.code_blocks.partition_point(|c| c.span.end <= at);
    i.checked_sub(1)
        .and_then(|i| doc.code_blocks.get(i))
        .is_some_and(|c| doc.text(&(c.span.end..at)).trim().is_empty())
}

/// Whether `word` is the gerund of one of [`FIX_VERBS`]: "clearing", "restarting",
/// "deleting" (`delete`), "rerunning" (`rerun`).
fn names_fix_by_gerund(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    let Some(stem) = word.strip_suffix("ing").filter(|s| s.len() >= 2) else {
        return false;
    };
    let doubled = stem
        .len()
        .checked_sub(2)
        .and_then(|i| stem.get(i..))
        .filter(|end| end.as_bytes().first() == end.as_bytes().get(1))
        .and_then(|_| stem.get(..stem.len() - 1));
    is_word_in(FIX_VERBS, stem)
        || is_word_in(FIX_VERBS, &[stem, "e"].concat())
        || doubled.is_some_and(|s| is_word_in(FIX_VERBS, s))
}

/// Whether a list item opens with the past tense of a step's verb, reporting what
/// was done rather than saying what to do: "Reviewed the Terraform module",
/// "Verified no new entries appeared", "Stopped the job" (a check or a fix,
/// after filler words).
pub(crate) fn reports_a_step_done(item: &str) -> bool {
    let [first, _] = lead_words(lead_text(item));
    let Some(stem) = first
        .get(first.len().saturating_sub(2)..)
        .filter(|end| end.eq_ignore_ascii_case("ed"))
        .and_then(|_| first.get(..first.len() - 2))
        .filter(|s| s.len() >= 2)
    else {
        return false;
    };
    let is_verb = |w: &str| is_check_verb(w) || is_word_in(FIX_VERBS, w);
    // "checked" (check), "navigated" (navigate), "verified" (verify), "stopped" (stop).
    let undoubled = match stem.as_bytes() {
        [.., a, b, c] if b == c && a != b => stem.get(..stem.len() - 1),
        _ => None,
    };
    is_verb(stem)
        || is_verb(&[stem, "e"].concat())
        || stem
            .strip_suffix(['i', 'I'])
            .is_some_and(|s| is_verb(&[s, "y"].concat()))
        || undoubled.is_some_and(is_verb)
}

/// Whether a block starts with a fix: its first verb (after filler words and a
/// leading "To") is one of [`FIX_VERBS`] ("Restart the pod", "To start one of the
/// services: …", "Now disable the integration").
fn starts_with_fix(text: &str) -> bool {
    let lead = lead_text(text);
    let [first, second] = lead_words(lead);
    let verb = if first.eq_ignore_ascii_case("to") {
        second
    } else {
        first
    };
    is_word_in(FIX_VERBS, verb)
        || (first.eq_ignore_ascii_case("try") && names_fix_by_gerund(second))
        // "Make adjustments as necessary:": "make" is a check as "make sure".
        || (first.eq_ignore_ascii_case("make") && names_changes(second))
        || (first.eq_ignore_ascii_case("as") && opens_as_a_fix(lead))
        || sure_to_fix(lead)
        || tries_fix(lead, [first, second])
        || after_purpose(lead).is_some_and(|rest| {
            let words = lead_words(rest);
            is_word_in(FIX_VERBS, words[0]) || tries_fix(rest, words)
        })
}

/// "Attempt to disable asynchronous CRI API calls", "Try to restart the
/// agent": a fix, tried. `lead` and its first two words ([`lead_words`]).
fn tries_fix(lead: &str, [first, second]: [&str; 2]) -> bool {
    // Most leads open otherwise: the two words already read decide first.
    if !(first.eq_ignore_ascii_case("attempt") || first.eq_ignore_ascii_case("try"))
        || !second.eq_ignore_ascii_case("to")
    {
        return false;
    }
    let verb = lead
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .skip_while(|w| is_word_in(FILLER, w))
        .nth(2)
        .unwrap_or("");
    is_word_in(FIX_VERBS, verb)
}

/// Whether a word after "make" names changes to make ("Make adjustments as
/// necessary", "Make changes to the policy").
fn names_changes(word: &str) -> bool {
    is_word_in(CHANGES, word)
}

/// Nouns of changes made, for [`names_changes`]. Sorted.
#[rustfmt::skip]
const CHANGES: &[&str] = &[
    "adjustments", "amendments", "changes", "corrections", "edits", "fixes", "modifications",
    "updates",
];

/// What follows a leading purpose clause: "To use this, start Jaeger by running
/// …" → "start Jaeger by running …" (at most six words before the comma).
fn after_purpose(lead: &str) -> Option<&str> {
    let rest = lead
        .get(..3)
        .filter(|w| w.eq_ignore_ascii_case("to "))
        .and_then(|_| lead.get(3..))?;
    let (purpose, after) = rest.split_once(", ")?;
    (purpose.split_whitespace().nth(5).is_none()).then_some(after)
}

/// "Make sure to raise your ulimit", "Be sure to restart the agent": a fix
/// asked for with the words of a check.
fn sure_to_fix(lead: &str) -> bool {
    let mut words = lead
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    // Most leads open otherwise: the first word decides before the rest is split.
    if !words
        .next()
        .is_some_and(|first| first.eq_ignore_ascii_case("make") || first.eq_ignore_ascii_case("be"))
    {
        return false;
    }
    let (Some(second), Some(third), Some(verb)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    second.eq_ignore_ascii_case("sure")
        && third.eq_ignore_ascii_case("to")
        && is_word_in(FIX_VERBS, &verb.to_ascii_lowercase())
}

/// "As an (unsafe) workaround to this, you may try:", "As a quick fix:": the
/// words before the first comma or colon name a fix ([`FIX_LABELS`], the words
/// that label one elsewhere); or what follows the opening offers one ("As a
/// last resort, you can kill the pod:").
fn opens_as_a_fix(lead: &str) -> bool {
    let mut parts = lead.splitn(2, [',', ':', '.']);
    let opening = parts.next().unwrap_or(lead);
    opening
        .split_whitespace()
        .take(6)
        .any(|w| is_word_in(FIX_LABELS, w.trim_matches(|c: char| !c.is_alphanumeric())))
        || parts.next().is_some_and(offers_a_fix)
}

/// Whether a clause offers the reader a fix: "you can kill the pod", "we may
/// need to restart it" (a modal, then a fix's verb).
fn offers_a_fix(clause: &str) -> bool {
    let mut words = clause
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let (Some(who), Some(modal)) = (words.next(), words.next()) else {
        return false;
    };
    ["you", "we"].iter().any(|w| w.eq_ignore_ascii_case(who))
        && ["can", "could", "may", "might", "must", "should"].contains(&modal)
        && words
            .find(|w| !matches!(*w, "need" | "to" | "also" | "then" | "just" | "simply"))
            .is_some_and(|verb| is_word_in(FIX_VERBS, verb))
}

/// Whether a block that opens with a fix's verb does it to look, as its first
/// sentence's purpose says: "Expand the JSON fields to identify who performed
/// the operation", "Increase the log level to show the requests". What it shows
/// is read as part of the step before; it does not end that step as a fix does.
/// ("Restart the pod to see if it recovers" tries a fix: "see" is no purpose
/// here.)
fn done_to_look(text: &str) -> bool {
    /// Verbs of a purpose that looks.
    const LOOK: &[&str] = &[
        "find", "identify", "inspect", "reveal", "show", "spot", "view",
    ];
    let line = text.lines().next().unwrap_or("");
    let sentence = line.split(". ").next().unwrap_or(line);
    let mut words = sentence.split_whitespace();
    while let Some(word) = words.next() {
        if word.eq_ignore_ascii_case("to")
            && let Some(verb) = words.next()
            && LOOK.iter().any(|l| l.eq_ignore_ascii_case(verb))
        {
            return true;
        }
    }
    false
}

/// Words of collecting data to read later, elsewhere: "capture TCP packets and
/// compress them", "now download the capture with:", "A profile can be captured
/// via perf:". The command's result is a file, not something to read here.
#[rustfmt::skip]
const COLLECT_WORDS: &[&str] = &[
    "capture", "captured", "collect", "collected", "compress", "download", "downloaded",
    "record", "recorded", "split", "upload", "uploaded",
];

/// Whether a block's first words collect data rather than look at it (see
/// [`COLLECT_WORDS`]).
fn collects_data(text: &str) -> bool {
    /// How far into the block the collecting verb may come ("On the *master*
    /// Redis server, capture …").
    const LEAD_WORDS: usize = 8;
    lead_text(text)
        .split_whitespace()
        .take(LEAD_WORDS)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|w| COLLECT_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w)))
}

/// Whether a paragraph introduces a fix's list: it ends with `:` and says what the
/// list is for ("You may get secrets problems as you run chef-client, to fix
/// this:", "To resolve it:", "To disable encryption, follow these steps:"). The
/// items that follow are the fix's parts.
fn introduces_fix(text: &str) -> bool {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let text = text.trim_end();
    if !text.ends_with(':') {
        return false;
    }
    // "To disable encryption, follow these steps:": its last sentence says
    // which fix the list does.
    last_sentence_names_fix(text)
        || RE
            .get_or_init(|| {
                regex::Regex::new(
                    r"(?i)(?-u:\b)(to|and) (fix|resolve|remediate|mitigate|repair|recover from|work around|solve) (this|it|that|the (issue|problem|error))(?-u:\b)",
                )
                .ok()
            })
            .as_ref()
            .is_some_and(|re| re.is_match(text))
}

/// Verbs that say where to go, not what to do there: "Go to the integrations
/// page, disable …" is the fix that follows.
const NAVIGATION_VERBS: &[&str] = &["browse", "go", "navigate", "open", "visit"];

/// Whether a block that opens with a navigation verb goes on, in its first
/// sentence, to a fix (", create a new policy", "and disable it").
fn navigates_to_fix(text: &str) -> bool {
    // The first sentence: up to a full stop before a space, or the line's end
    // ("Go to the [aws.tf](…), create …" is one sentence).
    let line = text.lines().next().unwrap_or("");
    let sentence = line.split(". ").next().unwrap_or(line);
    sentence
        .split([',', ';'])
        .skip(1)
        .chain(sentence.split(" and ").skip(1))
        .any(|clause| {
            let [first, _] = lead_words(clause);
            is_word_in(FIX_VERBS, first)
        })
}

/// Whether a block's first line is a short label and then code: "Logs:
/// `kubectl logs x`", "- Pod events: `kubectl describe pod x`"; or a sentence that
/// ends by giving the code to run: "In most cases it's better to sort by
/// cumulative CPU: `top 30 -cum`".
fn labels_command(text: &str) -> bool {
    let lead = lead_text(text);
    lead.split_once('`').is_some_and(|(label, code)| {
        let label = label.trim_end();
        let ends_line = code.find('`').is_some_and(|end| {
            code.get(end + 1..)
                .is_some_and(|after| after.trim_end().trim_end_matches('.').is_empty())
        });
        // "You can filter the logs with: `…`" refines the step before.
        let refines = label
            .split_whitespace()
            .next()
            .is_some_and(|w| ["you", "we"].iter().any(|p| p.eq_ignore_ascii_case(w)));
        label.ends_with(':') && (label.split_whitespace().count() <= 4 || (ends_line && !refines))
    })
}

/// Whether a block opens with its purpose ("To run `etcdctl` commands, we need to
/// `rsh` into the container"): without a colon before its code, it sets up access
/// or says what the code is for, and is not itself a check.
fn purpose_first(text: &str) -> bool {
    lead_words(lead_text(text))[0].eq_ignore_ascii_case("to")
}

/// Whether the first code block in `range` opens with a shell prompt (`$ rspec
/// --profile`): a command to type, so the paragraph before it ("This will point at
/// the slowest tests") is the step that runs it.
fn prompt_follows(doc: &Document<'_>, range: &Span) -> bool {
    Document::within(&doc.code_blocks, range)
        .first()
        .is_some_and(|code| {
            first_code_line(doc.text(&code.span)).is_some_and(|l| l.starts_with("$ "))
        })
}

/// The first line with text of a code block (fences included in `code`), after
/// its opening fence if any; `None` for an empty block.
pub(crate) fn first_code_line(code: &str) -> Option<&str> {
    crate::rules::text::code_lines(code)
        .map(str::trim_start)
        .find(|l| !l.is_empty())
}

/// Whether every code block of a step is output it shows, after its first
/// block, and it has no inline command: "If the resize didn't work check for
/// errors in the operator pod." then "… the following errors can be seen in the
/// operator:" and the errors. An example of what goes wrong is no command.
fn only_shown_results(doc: &Document<'_>, extent: &Span) -> bool {
    let blocks = Document::within(&doc.code_blocks, extent);
    if blocks.is_empty() {
        return false;
    }
    let inline = Document::within(&doc.code_spans, extent).iter().any(|c| {
        !crate::rules::text::in_link(doc, &c.span)
            && reads_as_command(doc.text(&c.span).trim_matches('`').trim())
    });
    // An item's own first paragraph leads into its block as a result only in its
    // last clause ("- Check `kiam-server` logs, successful provisioning looks
    // like:"); one that instructs a check there leads into what to run ("2. Check
    // if live-store pods are running and healthy:" over `kubectl get pods`).
    let own = doc
        .paragraphs
        .partition_point(|p| p.span.start < extent.start);
    let instruction = doc.paragraphs.get(own).map(|p| p.span.start);
    !inline
        && blocks.iter().all(|b| {
            // A logged line ("[2024-02-06T15:18:17.437Z] \"GET / HTTP/1.1\" 503 UF …"
            // after "For example in this access log:") is what the step looks at.
            if first_code_line(doc.text(&b.span)).is_some_and(reading::is_log_line)
                || fenced_as_output(&b.info)
            {
                return true;
            }
            let at = doc
                .paragraphs
                .partition_point(|p| p.span.end <= b.span.start);
            at.checked_sub(1)
                .and_then(|i| doc.paragraphs.get(i))
                .filter(|p| p.span.start > extent.start)
                .filter(|p| doc.text(&(p.span.end..b.span.start)).trim().is_empty())
                .is_some_and(|p| {
                    let prose = crate::rules::text::prose(doc, &p.span).to_ascii_lowercase();
                    if instruction != Some(p.span.start) {
                        return leads_into_result(&prose);
                    }
                    last_clause_leads_into_result(&prose)
                })
        })
}

/// Whether lower-cased words before code say it shows a result
/// ([`reading::shows_result`]: "You should see:", "… looks like:") and do not
/// name what they introduce as something to run: "the following query will
/// display …", "This metric will return the assigned ones and their state:" over
/// its selector.
fn leads_into_result(prose: &str) -> bool {
    let names_command = prose.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        matches!(
            w,
            "query" | "command" | "script" | "run" | "execute" | "metric" | "expression"
        )
    });
    !names_command && reading::shows_result(prose)
}

/// Fence languages of a block that is what a program printed.
const PRINTED_LANGS: &[&str] = &["log", "logs", "output"];

/// Fence languages of plain text: output under a heading, but as often a
/// command in a step's own text.
const TEXT_LANGS: &[&str] = &["plain", "plaintext", "text", "txt"];

/// The language a fence's info string names (```` ```shell hideCopy ```` →
/// `shell`, ```` ```text {class=x} ```` → `text`).
fn fence_lang(info: &str) -> &str {
    info.split(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .next()
        .unwrap_or("")
}

/// Whether `lang` is one of `langs`, in any case.
fn lang_in(langs: &[&str], lang: &str) -> bool {
    langs.iter().any(|l| l.eq_ignore_ascii_case(lang))
}

/// Whether a fence's info string says its block is what a program printed
/// (```` ```log ````, ```` ```output ````) or is not to be copied
/// ([`marked_not_to_copy`]). Text fences (```` ```text ````) hold commands as
/// often as output: they say nothing here.
fn fenced_as_output(info: &str) -> bool {
    lang_in(PRINTED_LANGS, fence_lang(info)) || marked_not_to_copy(info)
}

/// Whether a fence's info string marks its block as not to be copied, as sites
/// mark output: Docusaurus' ```` ```shell hideCopy ````, Hugo's ```` ```text
/// {class=disable-copy} ````, `nocopy`. What the reader is not meant to copy is
/// not a command to run.
fn marked_not_to_copy(info: &str) -> bool {
    info.split(|c: char| c.is_whitespace() || matches!(c, '{' | '}' | ',' | '"' | '\'' | '='))
        .any(|w| {
            ["hidecopy", "nocopy", "no-copy", "disable-copy"]
                .iter()
                .any(|m| m.eq_ignore_ascii_case(w))
        })
}

/// Whether a code block is printed output by its fence (```` ```log ````,
/// ```` ```output ````, marked not to copy) or its first line (a logged line,
/// `{"level":"error",…}`): never a command. (```` ```text ```` holds commands
/// as often as output: [`shows_output`] asks more of it.)
pub(super) fn shows_printed_output(
    doc: &Document<'_>,
    block: &crate::markdown::CodeBlock<'_>,
) -> bool {
    fenced_as_output(&block.info)
        || first_code_line(doc.text(&block.span)).is_some_and(reading::is_log_line)
}

/// Whether a code block shows output rather than a command: its fence names text
/// (```` ```text ````, ```` ```output ````) or marks it not to copy
/// ([`marked_not_to_copy`]), or its first line opens with a status
/// mark (`× buoyant-cloud Namespace exists`, `‼ …`, `√ …`), as a check's report
/// does. Under a heading such a block is what the reader will see, not the
/// heading's command.
fn shows_output(doc: &Document<'_>, block: &crate::markdown::CodeBlock<'_>) -> bool {
    if shows_printed_output(doc, block) || lang_in(TEXT_LANGS, fence_lang(&block.info)) {
        return true;
    }
    let code = doc.text(&block.span);
    let body = code.split_once('\n').map_or("", |(_, rest)| rest);
    body.trim_start()
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '×' | '‼' | '√' | '✓' | '✔' | '✗' | '✘' | '⚠'))
}

/// Whether `span` holds a code block or inline code that reads as a command, or
/// inline code the words before it tell the reader to run ("Graph
/// `prometheus_local_storage_memory_series`", "by running the script
/// `scripts/check-pages-certs`", "Run `dmesg`").
fn runs(doc: &Document<'_>, span: &Span) -> bool {
    !Document::within(&doc.code_blocks, span).is_empty()
        || Document::within(&doc.code_spans, span).iter().any(|c| {
            let before = doc.text(&(span.start..c.span.start));
            !crate::rules::text::in_link(doc, &c.span)
                && (reads_as_command(doc.text(&c.span).trim_matches('`').trim())
                    || told_to_run(before))
                && !introduces_output(before)
        })
}

/// Whether the text right before inline code leads into what a program prints,
/// not what to run: "…, successful provisioning of credentials looks like:"
/// over `kube-system kiam-server … {"msg":"found role"}`, "You should see:".
fn introduces_output(before: &str) -> bool {
    before.trim_end().ends_with(':') && last_clause_leads_into_result(before)
}

/// Verbs and nouns that, just before inline code, make it the thing to run or
/// query: a single word in backticks is then a program, a script or a metric.
const RUN_WORDS: &[&str] = &[
    "run",
    "running",
    "execute",
    "executing",
    "graph",
    "graphing",
    "plot",
    "query",
    "type",
    "command",
    "script",
];

/// Whether the last word of `before` (the step's text up to inline code) is one
/// of [`RUN_WORDS`].
fn told_to_run(before: &str) -> bool {
    let last = before
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    RUN_WORDS.iter().any(|w| last.eq_ignore_ascii_case(w))
}

fn only_code(doc: &Document<'_>, span: &Span) -> bool {
    let text = doc.text(span);
    // Most blocks begin with a word: no copy for them.
    if lead_text(text).starts_with(char::is_alphanumeric) {
        return false;
    }
    let prose = crate::rules::text::prose(doc, span);
    !prose
        .lines()
        .map(lead_text)
        .any(|l| l.chars().any(char::is_alphanumeric))
}

fn is_bold_label(doc: &Document<'_>, span: &Span) -> bool {
    // Headings are in document order: find the one starting here, if any.
    let at = doc.headings.partition_point(|h| h.span.start < span.start);
    doc.headings
        .get(at)
        .is_some_and(|h| h.kind == HeadingKind::Bold && h.span.start == span.start)
}

/// `step 2` for a numbered item, by the number the reader sees (a list written
/// `1.` `1.` `1.` renders 1, 2, 3); `step "First words"` otherwise.
impl Step {
    /// How the reader finds it: `step 2` for a numbered item (the number as
    /// rendered), `step "Check pod logs"` for a bullet or a paragraph. Built only
    /// for a finding.
    pub(crate) fn name(&self, doc: &Document<'_>) -> String {
        match self.title.and_then(|h| doc.headings.get(h)) {
            Some(h) if self.number.is_none() => words_name(&h.text),
            _ => step_name(
                doc,
                &(self.line.start..self.extent.end.max(self.line.end)),
                self.number,
            ),
        }
    }
}

fn step_name(doc: &Document<'_>, line: &Span, number: Option<usize>) -> String {
    if let Some(number) = number {
        return format!("step {number}");
    }
    words_name(doc.text(line))
}

/// `step "First words"`: up to six words of `text`'s first line, without list
/// markers, emphasis and a trailing colon; `…` after them when the line goes on
/// (`step "Make sure no network policies are …"`), so a cut name does not read
/// as the whole step. A first line that stops short mid-sentence ("… for some
/// time. You should" over "check the logs …") goes on into the lines that
/// continue it.
fn words_name(text: &str) -> String {
    /// Words quoted from the step.
    const WORDS: usize = 6;
    let mut lines = text.lines();
    let mut lead = std::borrow::Cow::Borrowed(lines.next().unwrap_or(""));
    while lead.split_whitespace().count() <= WORDS
        && !lead.trim_end().ends_with([':', '.', '!', '?'])
    {
        let Some(next) = lines.next().map(str::trim_start) else {
            break;
        };
        if next.is_empty() || opens_block(next) {
            break;
        }
        let joined = lead.to_mut();
        joined.push(' ');
        joined.push_str(next);
    }
    let first_line = crate::rules::text::link_texts(&lead);
    let mut words: Vec<&str> = first_line
        .trim_start_matches(|c: char| c == '-' || c == '*' || c == '+' || c.is_whitespace())
        .split_whitespace()
        .map(|w| {
            // "**[Triage Dashboard](…)**." ends its emphasis before the full stop.
            let w = w.trim_start_matches(['*', '_', '`']);
            let before_stop = w.trim_end_matches(['.', ',', ':', ';']);
            if before_stop.ends_with(['*', '_', '`']) {
                before_stop.trim_end_matches(['*', '_', '`'])
            } else {
                w.trim_end_matches(['*', '_', '`'])
            }
        })
        .filter(|w| !w.is_empty())
        .take(WORDS + 1)
        .collect();
    let cut = words.len() > WORDS;
    words.truncate(WORDS);
    let name = words.join(" ");
    // "Check the status of GCS - https://…" is named without its dash.
    let name = name
        .trim_end_matches([':', '.', ',', '-', '–', '—'])
        .trim_end();
    if cut {
        format!("step \"{name} …\"")
    } else {
        format!("step \"{name}\"")
    }
}

/// Whether a line (its indent trimmed) opens a block of its own rather than
/// continuing the paragraph above: a list item ("- ", "* ", "1. "), a heading, a
/// quote, a table row, a fence or an HTML tag.
fn opens_block(line: &str) -> bool {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let after_number = line.get(digits..).unwrap_or("");
    ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m))
        || (digits > 0 && (after_number.starts_with(". ") || after_number.starts_with(") ")))
        || line.starts_with(['#', '>', '|', '<'])
        || line.starts_with("```")
        || line.starts_with("~~~")
}

/// The number each ordered item of `items` renders as (0 for bullets): its list's
/// written start plus the items before it in the same list (same depth, nothing
/// but blank space between). One pass, however long the lists.
fn rendered_numbers(doc: &Document<'_>, items: &[ListItem]) -> Vec<usize> {
    // The last ordered item seen at each (depth, quote depth): its end and number.
    let mut last: Vec<((u32, u32), usize, usize)> = Vec::new();
    items
        .iter()
        .map(|item| {
            if !item.ordered {
                return 0;
            }
            let key = (item.depth, item.quote_depth);
            let prev = last.iter().position(|(k, _, _)| *k == key);
            let continued = prev.and_then(|p| last.get(p)).and_then(|&(_, end, n)| {
                let between = doc.text(&(end..item.span.start.max(end)));
                (end <= item.span.start && between.trim().is_empty()).then_some(n + 1)
            });
            let number =
                continued.unwrap_or_else(|| written_number(doc.text(&item.span)).unwrap_or(1));
            match prev.and_then(|p| last.get_mut(p)) {
                Some(slot) => *slot = (key, item.span.end, number),
                None => last.push((key, item.span.end, number)),
            }
            number
        })
        .collect()
}

/// The number written before the item's `.` or `)`.
fn written_number(item: &str) -> Option<usize> {
    let digits: String = item
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Whether a block starts as a diagnostic check ("Check …", "Look at …", "Is the
/// queue growing?"), judged by its first words as a step is.
pub(crate) fn is_check(text: &str) -> bool {
    kind(text) == ItemKind::Check
}

/// Whether an item hands its check to another place instead of making it: a
/// link alone to another page ("- [Check the status of transaction
/// wraparound](../patroni/wraparound.md)", as an index does), a pointer ("See
/// [Kubernetes Docs - Failed Deployment](…)", "See also [section](#…)", "See
/// resolution steps at point 1"; "See how `queue_length` developed" still looks
/// at something), documentation to read, or more reading offered. Not a step,
/// under any heading.
fn sends_elsewhere(item: &str) -> bool {
    let lead = lead_text(item);
    if only_a_link_after(item, lead) {
        return true;
    }
    let text = after_adverbial(lead);
    // A first line that is only "See" wraps its link to the next line.
    let pointer = if text.trim_end().eq_ignore_ascii_case("see") {
        from_part(item, text)
    } else {
        text
    };
    points_elsewhere(pointer)
        || points_to_docs(text)
        || offers_more_reading(text)
        || ends_in_a_bare_link(lead)
        || follows_a_link(lead)
}

/// Whether a block's first sentence has the reader follow a link: "Investigate
/// this by following [Database backup/restore not completed](#…)", "Follow [the
/// upgrade guide](…)". The page or section linked holds the steps, as a pointer's
/// does.
fn follows_a_link(lead: &str) -> bool {
    // Most blocks hold neither the verb nor a link: one byte scan each first.
    if memchr::memmem::find(lead.as_bytes(), b"ollow").is_none()
        || memchr::memchr(b'[', lead.as_bytes()).is_none()
    {
        return false;
    }
    let sentence = lead.split(". ").next().unwrap_or(lead);
    let mut words = sentence.split_whitespace().peekable();
    let mut before = "";
    while let Some(word) = words.next() {
        // "Check the following [dashboard](…)" names a place to look.
        let verb = word.eq_ignore_ascii_case("follow")
            || (word.eq_ignore_ascii_case("following") && before.eq_ignore_ascii_case("by"));
        before = word;
        if !verb {
            continue;
        }
        if words.peek().is_some_and(|w| {
            ["the", "our", "these"]
                .iter()
                .any(|d| w.eq_ignore_ascii_case(d))
        }) {
            words.next();
        }
        if words.peek().is_some_and(|w| w.starts_with('[')) {
            return true;
        }
    }
    false
}

/// Whether a block's first line ends in a link that names nothing but itself
/// ("Watch the logs for meaningful information - [link](…)", "… ([here](…))"):
/// the page linked says how to do it, as a pointer does.
fn ends_in_a_bare_link(lead: &str) -> bool {
    let lead = lead.trim_end().trim_end_matches(['.', ')']);
    // The link's text ends right before "](": find where the last one starts.
    let Some(open) = lead.rfind("](") else {
        return false;
    };
    // Its target runs to the end of the line (a Hugo `{{< ref "…" >}}` holds
    // spaces): no word after it.
    if lead
        .get(open + 2..)
        .is_some_and(|target| target.contains(") ") || target.contains('['))
    {
        return false;
    }
    lead.get(..open)
        .and_then(|before| before.rsplit_once('['))
        .is_some_and(|(_, text)| {
            ["here", "link", "this link"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(text.trim()))
        })
}

/// Whether a block ends in a Kramdown attribute list that sets it apart as a
/// callout ("Use `es` as the service name …" over `{: .note }`; `{: .warning}`,
/// `{: .tip }`): an aside, as "Note: …" is, not a step.
fn marked_aside(item: &str) -> bool {
    let item = item.trim_end();
    // Most blocks end otherwise: one byte decides.
    if !item.ends_with('}') {
        return false;
    }
    let last = item.rsplit('\n').next().unwrap_or(item).trim();
    last.strip_prefix("{:")
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|attributes| {
            attributes.split_whitespace().any(|a| {
                a.strip_prefix('.').is_some_and(|class| {
                    ["caution", "important", "info", "note", "tip", "warning"]
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(class))
                })
            })
        })
}

/// Classify an item by its first words, looking past the list marker, a task box,
/// emphasis, filler ("First,") and a short label ("**Database**: check …").
fn kind(item: &str) -> ItemKind {
    // "- [Check the status of transaction wraparound](../patroni/wraparound.md)"
    // hands the check to another page, as an index does: not a step here.
    if sends_elsewhere(item) || marked_aside(item) {
        return ItemKind::Other;
    }
    let lead = lead_text(item);
    let text = after_adverbial(lead);
    // "- "watch and wait" tactics, being ready to act": a verb in quotes names a
    // tactic, it does not tell the reader to do it.
    if text.starts_with(['"', '“']) {
        return ItemKind::Other;
    }
    // "Other things to check:" announces the checks listed after it.
    if announces_checks(text) {
        return ItemKind::Check;
    }
    // The text, and what follows a short label ("**AWS S3**: Check the console").
    // One byte scan for the colon: most blocks' first lines are long sentences.
    let label = short_label(text, 5);
    // "Solution: See [retry shard allocation](#…)": what follows a fix's label is
    // the fix.
    // "Update the CLI: `curl … | sh`", "Restart it: `kubectl …`": a fix's
    // action named before its command.
    if label.is_some_and(|(label, _)| {
        let label = label.trim_matches(|c: char| !c.is_alphanumeric());
        FIX_LABELS.iter().any(|f| f.eq_ignore_ascii_case(label)) || starts_with_fix(label)
    }) {
        return ItemKind::Other;
    }
    let after_label = label.map(|(_, rest)| rest);
    // And what follows a place in a UI ("In the console under Observe, select …")
    // or a modal ("In (3), we should look for …").
    let candidates = std::iter::once(text)
        .chain(after_label)
        .chain(after_place(text))
        .flat_map(|c| std::iter::once(c).chain(after_modal(c)));
    // "1. `kubectl get pods`: are all Running?" leads with the command itself
    // (but "Restart it: `kubectl …`" is an action with a label, and "`docker`
    // Get the PIDs:" names a tool).
    // A file's path alone ("- `~/.kube/config`") names a place, no command.
    let leading_code = text
        .strip_prefix('`')
        .and_then(|rest| rest.split_once('`'))
        .is_some_and(|(code, after)| reads_as_command(code.trim()) && !only_a_file(code, after));
    let mut result = if leading_code {
        ItemKind::Check
    } else {
        ItemKind::Other
    };
    for candidate in candidates {
        let [first, second] = lead_words(candidate);
        let is = |list: &[&str], w: &str| list.iter().any(|l| l.eq_ignore_ascii_case(w));
        // "NOTE: DO NOT USE [MONITOR] COMMAND!" warns; it asks for no check.
        if (first.eq_ignore_ascii_case("do") && second.eq_ignore_ascii_case("not"))
            || first.eq_ignore_ascii_case("never")
            || first.eq_ignore_ascii_case("don't")
            || first.eq_ignore_ascii_case("dont")
        {
            continue;
        }
        // "In case …": `first` holds no space, so it is a phrase's first word when
        // a space follows it there (no search for the space in every phrase).
        let two_words = BRANCH_WORDS.iter().any(|b| {
            b.get(..first.len())
                .is_some_and(|x| x.eq_ignore_ascii_case(first))
                && b.get(first.len()..)
                    .and_then(|y| y.strip_prefix(' '))
                    .is_some_and(|y| y.eq_ignore_ascii_case(second))
        });
        if is(BRANCH_WORDS, first) || two_words {
            return ItemKind::Branch;
        }
        // The object of "select" may wrap to the block's next line.
        let from_candidate = from_part(item, candidate);
        // "read only filesystem" names a cause; "Use of incorrect protocol/port
        // combination" too: a verb is no imperative with "of" after it.
        let noun = (first.eq_ignore_ascii_case("read") && second.eq_ignore_ascii_case("only"))
            || second.eq_ignore_ascii_case("of");
        if (is_check_verb(first) && !noun)
            || chooses_view(from_candidate)
            || takes_a_look(candidate, [first, second])
        {
            if is(NAVIGATION_VERBS, first) && navigates_to_fix(candidate) {
                return ItemKind::Other;
            }
            if hands_over([first, second], candidate) {
                return ItemKind::Other;
            }
            // "Try clearing the frontend memcache", "Try restarting the pod": a
            // fix to attempt ("Try connecting to https://…" still looks).
            if starts_with_fix(candidate) {
                return ItemKind::Other;
            }
            // "Make sure you have the go SDK installed": a prerequisite, not a check.
            if reading::opens_with_prerequisite(candidate) {
                return ItemKind::Other;
            }
            result = ItemKind::Check;
        }
    }
    result
}

/// Whether a block that opens with a look verb (`first`, `second`: its first
/// words) asks people or files a ticket rather than looks at the system:
/// "Check with the service owner to see if …", "Ping people that had been
/// involved" ([`reading::asks_people`]), "Open a new issue in …"
/// ([`opens_a_ticket`]).
fn hands_over([first, second]: [&str; 2], text: &str) -> bool {
    ((second.eq_ignore_ascii_case("with") || first.eq_ignore_ascii_case("ping"))
        && reading::asks_people(text))
        || (first.eq_ignore_ascii_case("open") && opens_a_ticket(text))
}

/// Whether a step opening with "open" takes a ticket for its object: "Open a
/// new issue in `gitlab-org/gitlab`", "open an incident" ("open the dashboard"
/// looks).
fn opens_a_ticket(text: &str) -> bool {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .skip_while(|w| !w.eq_ignore_ascii_case("open"))
        .skip(1)
        .find(|w| !is_word_in(&["a", "an", "new", "our", "the", "their", "your"], w))
        .is_some_and(|object| {
            is_word_in(
                &[
                    "bug", "case", "incident", "issue", "issues", "pr", "ticket", "tickets",
                ],
                object,
            )
        })
}

/// Whether a block opens with "Take a look at …", "Have a closer look at …": a
/// verb of looking in a phrase. `first` and `second`: its first two words
/// ([`lead_words`]), read first.
fn takes_a_look(text: &str, [verb, article]: [&str; 2]) -> bool {
    if !article.eq_ignore_ascii_case("a") {
        return false;
    }
    // Past any filler before the verb ("Then take a look at …").
    let mut words = text
        .split_whitespace()
        .skip_while(|w| !w.eq_ignore_ascii_case(verb))
        .skip(2);
    let noun = match words.next() {
        Some(w) if w.eq_ignore_ascii_case("closer") || w.eq_ignore_ascii_case("quick") => {
            words.next()
        }
        w => w,
    };
    (verb.eq_ignore_ascii_case("take") || verb.eq_ignore_ascii_case("have"))
        && noun.is_some_and(|n| n.eq_ignore_ascii_case("look"))
}

/// Whether a block is only a file's path ("- `~/.kube/config`" among the places a
/// program reads its settings from): a place named, not a command to run nor an
/// instruction (a script's path alone still runs).
fn only_a_file(code: &str, after: &str) -> bool {
    let code = code.trim();
    after.trim().is_empty()
        && !code.contains(char::is_whitespace)
        && ["/", "./", "~/"].iter().any(|p| code.starts_with(p))
        && !is_script(code)
}

/// The text after a leading sentence adverbial: "Finally and most importantly, in
/// (4), we can look at …", "Additionally, check …". A few words up to a comma,
/// the last one an adverb in "-ly" ("Usually, it is …" is skipped too, and then
/// read as what it is). "Alternatively, …" is kept: it belongs to the step before.
fn after_adverbial(text: &str) -> &str {
    /// Past this many words a comma closes a clause, not an adverbial.
    const MAX_WORDS: usize = 4;
    // Most blocks have no comma early on: one byte scan, nothing else.
    let Some(comma) = memchr::memchr(b',', text.as_bytes()) else {
        return text;
    };
    let head = text.get(..comma).unwrap_or("");
    let last = head.rsplit(' ').next().unwrap_or("");
    // "Alternatively, …" offers another way to do the step before: part of it.
    let adverb = last.len() > 3
        && last
            .get(last.len() - 2..)
            .is_some_and(|end| end.eq_ignore_ascii_case("ly"))
        && !last.eq_ignore_ascii_case("alternatively");
    if adverb && head.split_whitespace().nth(MAX_WORDS).is_none() {
        text.get(comma + 1..).map_or(text, str::trim_start)
    } else {
        text
    }
}

/// Whether a block opens by offering more to read: "For more information you
/// can look at the [Azure Documentation](…)", "For more details, see …": a
/// pointer past the page, not a step of its diagnosis.
fn offers_more_reading(text: &str) -> bool {
    let mut words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let (Some(first), Some(second), Some(third)) = (words.next(), words.next(), words.next())
    else {
        return false;
    };
    first.eq_ignore_ascii_case("for")
        && second.eq_ignore_ascii_case("more")
        && [
            "information",
            "info",
            "details",
            "detail",
            "context",
            "background",
        ]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(third))
}

/// Whether a lead-in announces a list of things to check: "Other things to
/// check:", "Places to look at:", "What to inspect:". The list after it holds the
/// checks, so the lead-in and its list are one step. ("What to look for:" after a
/// command reads its output: no step.)
pub(crate) fn announces_checks(text: &str) -> bool {
    text.trim_end().strip_suffix(':').is_some_and(names_checks)
}

/// Nouns of what a diagnosis runs or reads, for [`announces_tools`]. Sorted.
const TOOL_NOUNS: &[&str] = &[
    "artifacts",
    "commands",
    "dashboards",
    "graphs",
    "queries",
    "resources",
    "tools",
];

/// Words that offer those nouns to a diagnosis, for [`announces_tools`]. Sorted.
const TOOL_USES: &[&str] = &[
    "common",
    "debug",
    "diagnose",
    "gather",
    "helpful",
    "investigate",
    "troubleshoot",
    "useful",
];

/// Whether a lead-in offers things to run or look at while diagnosing: "Here are
/// some common commands to troubleshoot a Ceph cluster:", "Here are a few
/// artifacts that are helpful to gather:", "there are a few useful resources:".
/// Its last sentence ends in ":" and names such things ([`TOOL_NOUNS`]) with a
/// word that offers them to the diagnosis ([`TOOL_USES`]).
fn announces_tools(text: &str) -> bool {
    let Some(sentence) = lead_in_sentence(text) else {
        return false;
    };
    let mut noun = false;
    let mut offered = false;
    for word in sentence
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
    {
        noun |= is_word_in(TOOL_NOUNS, word);
        offered |= is_word_in(TOOL_USES, word);
    }
    noun && offered
}

/// Whether words end in "to check" (or "to look at", "to verify", …): "Other
/// things to check", "What to check", and with a few words after the verb that
/// say where or when, not what: "places to look in for issues", "things to
/// look at while investigating a spike", "things to look out for". ("What to
/// look for" reads a result; "to check shard allocation" names its object.)
fn names_checks(lead: &str) -> bool {
    /// Words that may follow the verb: a place or a time, not an object.
    const AFTER: &[&str] = &[
        "before", "during", "first", "if", "in", "next", "on", "when", "while",
    ];
    let sentence = lead.rsplit(". ").next().unwrap_or(lead);
    // No "to" at all, in any case: no walk over the words.
    if !sentence
        .as_bytes()
        .windows(2)
        .any(|w| w.eq_ignore_ascii_case(b"to"))
    {
        return false;
    }
    // Two passes over the words, no list of them: most lead-ins hold no "to".
    let words = || {
        sentence
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
    };
    let is = |w: Option<&str>, list: &[&str]| {
        w.is_some_and(|w| list.iter().any(|l| l.eq_ignore_ascii_case(w)))
    };
    let Some(to) = words()
        .enumerate()
        .filter(|(_, w)| w.eq_ignore_ascii_case("to"))
        .map(|(i, _)| i)
        .last()
    else {
        return false;
    };
    let mut rest = words().skip(to + 1);
    let Some(verb) = rest.next() else {
        return false;
    };
    let look = verb.eq_ignore_ascii_case("look");
    if !look
        && ![
            "check",
            "debug",
            "diagnose",
            "examine",
            "inspect",
            "investigate",
            "review",
            "troubleshoot",
            "verify",
        ]
        .iter()
        .any(|v| v.eq_ignore_ascii_case(verb))
    {
        return false;
    }
    let mut next = rest.next();
    // "look at", "look into", "look out for" as one verb.
    let particle = is(next, &["at", "into"]) || (is(next, &["out"]) && is(rest.next(), &["for"]));
    if look && particle {
        next = rest.next();
    }
    next.is_none() || is(next, AFTER)
}

/// First words of getting to where the checks happen: "Login to server", "Log in
/// to the console", "Sign in", "Become root".
const ACCESS_VERBS: &[&str] = &["become", "log", "login", "sign", "sudo", "switch"];

/// Whether the heading `at` sits under names its content as checks: "What to
/// check", "Things to check", "Places to look at".
fn heading_names_checks(doc: &Document<'_>, at: usize) -> bool {
    heading_over(doc, at).is_some_and(|h| names_checks(h.text.trim_end_matches([':', '?'])))
}

/// The last heading that starts before `at`: the one a block sits under.
fn heading_over<'d, 'a>(doc: &'d Document<'a>, at: usize) -> Option<&'d Heading<'a>> {
    let before = doc.headings.partition_point(|h| h.span.start < at);
    before.checked_sub(1).and_then(|i| doc.headings.get(i))
}

/// Whether the heading `at` sits under ends in "checks" ("Quick checks",
/// "Initial checks"): its items are checks.
fn heading_ends_in_checks(doc: &Document<'_>, at: usize) -> bool {
    heading_over(doc, at).is_some_and(|h| doc.normalized(h).rsplit(' ').next() == Some("checks"))
}

/// Whether an item opens with a short label (at most three words, no code)
/// that names what it looks at ([`super::looks_at::looks_at`]): "- Grafana: …",
/// "- Logs: …", "- Dashboard: …"; not "- `precheck`: make sure …".
fn labels_a_look(text: &str) -> bool {
    short_label(without_list_marker(text), 3)
        .is_some_and(|(label, _)| super::looks_at::looks_at(label) != super::looks_at::Looks::Other)
}

/// A block's short label and what follows its colon: at most `max_words`
/// words before the first `:`, no code among them ("**AWS S3**: Check the
/// console", "Grafana: Web dashboard → …"). One byte scan for the colon: most
/// blocks' first lines are long sentences with none.
fn short_label(text: &str, max_words: usize) -> Option<(&str, &str)> {
    memchr::memchr(b':', text.as_bytes())
        .and_then(|at| Some((text.get(..at)?, text.get(at + 1..)?)))
        .filter(|(label, _)| {
            label.split_whitespace().nth(max_words).is_none() && !label.contains('`')
        })
}

/// Verbs of choosing in a UI: a check when what is chosen is a view ("Select the
/// etcd dashboard", "Click the Metrics tab"), an action otherwise ("Select Sync").
const CHOOSE_VERBS: &[&str] = &["choose", "click", "pick", "select"];

/// What is looked at in a UI.
#[rustfmt::skip]
const VIEW_NOUNS: &[&str] = &[
    "chart", "charts", "dashboard", "dashboards", "graph", "graphs", "log", "logs", "metric",
    "metrics", "panel", "panels", "tab", "view",
];

/// Whether `text` opens with a verb of choosing whose object, within a few words,
/// is a view: "Select the etcd dashboard".
fn chooses_view(text: &str) -> bool {
    let mut words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    words
        .next()
        .is_some_and(|w| CHOOSE_VERBS.iter().any(|v| v.eq_ignore_ascii_case(w)))
        && words
            .take(5)
            .any(|w| VIEW_NOUNS.iter().any(|n| n.eq_ignore_ascii_case(w)))
}

/// Words that open a place rather than an action: "In the OpenShift console …",
/// "On the Grafana dashboard, …", "From the logs and the alerts that are firing,
/// determine …" ("From the output above we can identify …" reads a result:
/// [`after_place`] leaves it out).
const PLACE_WORDS: &[&str] = &["in", "on", "under", "within", "inside", "at", "via", "from"];

/// Words after "In" / "On" that open a case, a condition or a manner, not a place:
/// "In this case", "In the event of", "On failure", "In most cases".
#[rustfmt::skip]
const NOT_PLACES: &[&str] = &[
    "addition", "all", "any", "case", "cases", "contrast", "event", "fact", "failure",
    "general", "here", "meantime", "most", "now", "order", "other", "particular", "practice",
    "presence", "short", "some", "success", "such", "that", "there", "these", "this", "those",
    "time", "top", "what",
];

/// Words that start a yes/no question, which opens a step as [`LOOK_VERBS`] do: after a place they are
/// no instruction ("In most cases it is …").
pub(crate) const QUESTION_VERBS: &[&str] = &[
    "are", "can", "did", "do", "does", "has", "have", "is", "was", "were",
];

/// The words after a leading place, where the instruction starts: after the
/// place's comma ("In the console under Observe, select …", "From the logs and
/// the alerts that are firing, determine …"), or at the first
/// checking verb within its first words ("In the console on the main page under
/// "Cluster utilization" view the requested CPU"). `None` when the text does not
/// open with a place.
fn after_place(text: &str) -> Option<&str> {
    /// A place is a few words; past these an instruction is not led by one.
    const MAX_PLACE_WORDS: usize = 14;
    let mut lead = text.split_whitespace();
    let first = lead.next()?;
    if !PLACE_WORDS.iter().any(|p| p.eq_ignore_ascii_case(first)) {
        return None;
    }
    // "In this example, …", "In the presence of errors, …", "In most cases …" open a
    // case or a condition, not a place.
    let second = lead.next().unwrap_or("").to_ascii_lowercase();
    let third = lead.next().unwrap_or("").to_ascii_lowercase();
    if NOT_PLACES.contains(&second.as_str())
        || (second == "the" && NOT_PLACES.contains(&third.as_str()))
    {
        return None;
    }
    // "From the output above we can identify …", "In the example above we can
    // see that the Machine … has failed" read the step before: a result, or an
    // example of it, is no place to go.
    let result = |w: &str| {
        matches!(
            w,
            "above" | "example" | "examples" | "output" | "outputs" | "result" | "results"
        )
    };
    if result(&second) || (second == "the" && result(&third)) {
        return None;
    }
    let words = text.split_whitespace().take(MAX_PLACE_WORDS);
    let mut at = 0;
    for (n, word) in words.enumerate() {
        let start = at + text.get(at..)?.find(word)?;
        at = start + word.len();
        if n == 0 {
            continue;
        }
        if word.ends_with(',') {
            return text.get(at..);
        }
        // A verb in lower case: "Cluster utilization" view …
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.starts_with(|c: char| c.is_ascii_lowercase())
            && LOOK_VERBS.binary_search(&bare).is_ok()
        {
            return text.get(start..);
        }
    }
    None
}

/// The words after a modal that makes the rest an instruction: "we should look
/// for …", "you need to verify …". "You should see …" tells what a result looks
/// like, and is no step: `None` for it.
fn after_modal(text: &str) -> Option<&str> {
    let mut words = text.split_whitespace();
    let who = words.next()?;
    if !["we", "you"].iter().any(|w| w.eq_ignore_ascii_case(who)) {
        return None;
    }
    let modal = words.next()?;
    // "You can find the project in another shard" and "You may get errors" say what
    // may happen; only a modal of obligation instructs.
    // "We can look at …" is the team's own voice, as "we should"; "you can …" more
    // often offers an alternative to the step before.
    let we_can = who.eq_ignore_ascii_case("we") && modal == "can";
    if !(we_can || ["should", "must", "need"].contains(&modal)) {
        return None;
    }
    let verb = words.find(|w| !matches!(*w, "to" | "also" | "then" | "first" | "now"))?;
    let bare = verb.trim_matches(|c: char| !c.is_alphanumeric());
    if LOOK_VERBS.binary_search(&bare).is_err() || bare == "see" {
        return None;
    }
    let at = text.find(verb)?;
    text.get(at..)
}

/// Whether a block opens with "See" and points at a link, or at another step or
/// part of the page ("above", "below", "point 1", "step 2"). "See how …", "see
/// whether …" ask a question: those are checks.
fn points_elsewhere(text: &str) -> bool {
    // "_See the [HOWTO] for background info._", "Please see the [blueprint]":
    // emphasis and filler are not the verb.
    let text = after_filler(text.trim_start_matches(['*', '_']));
    // "See\n[Checking the logs](…)": the link may wrap to the next line.
    let Some(rest) = text
        .get(..3)
        .filter(|w| w.eq_ignore_ascii_case("see"))
        .and_then(|_| text.get(3..))
        .filter(|rest| rest.starts_with(char::is_whitespace))
    else {
        return false;
    };
    let rest = rest.trim_start();
    let asks = rest.split_whitespace().next().is_some_and(|w| {
        [
            "if", "whether", "how", "what", "which", "why", "when", "where",
        ]
        .iter()
        .any(|q| w.eq_ignore_ascii_case(q))
    });
    if asks {
        return false;
    }
    // "See also [Investigating query evaluation issues](#…)".
    let rest = rest
        .get(..5)
        .filter(|w| w.eq_ignore_ascii_case("also "))
        .and_then(|_| rest.get(5..))
        .map_or(rest, str::trim_start);
    let rest = rest
        .get(..4)
        .filter(|w| w.eq_ignore_ascii_case("the "))
        .and_then(|_| rest.get(4..))
        .unwrap_or(rest);
    rest.starts_with('[')
        || rest.split_whitespace().any(|w| {
            let w = w.trim_end_matches(['.', ',', ':', ';']);
            ["above", "below", "point", "step"]
                .iter()
                .any(|p| w.eq_ignore_ascii_case(p))
        })
}

/// Verbs that send the reader to read something: "Review [Solving pg
/// errors](…)", "Read the [upgrade guide](…)", "Refer to [the docs](…)".
const READ_VERBS: &[&str] = &["consult", "read", "refer", "review"];

/// Where findings on a step point: its first line, or in a paragraph whose first
/// words are no step, the line of the sentence that instructs ("This can occur
/// when … Check that all control plane nodes are powered on"), which also names it.
///
/// `own_words`: [`kind`] of the text of `own`, when already read.
fn step_line(
    doc: &Document<'_>,
    block: &Candidate,
    own: &Span,
    own_words: Option<ItemKind>,
) -> Span {
    let start = match block.known_kind {
        Some(ItemKind::Other) if !block.in_list && block.heading.is_none() => {
            instructs_later(doc.text(&block.span))
                .map_or(block.span.start, |at| block.span.start + at)
        }
        // A bulleted item that is a step for a later sentence ("- Connections
        // are getting hogged somehow. We should investigate if …"): that sentence,
        // read in the item's own text ([`own_span`]), not its nested items.
        _ if block.in_list && block.heading.is_none() && block.number.is_none() => {
            let text = doc.text(own);
            match own_words.unwrap_or_else(|| kind(text)) {
                ItemKind::Other => {
                    instructs_later(text).map_or(block.span.start, |at| block.span.start + at)
                }
                _ => block.span.start,
            }
        }
        _ => block.span.start,
    };
    let end = doc
        .text(&(start..block.span.end))
        .find('\n')
        .map_or(block.span.end, |i| start + i);
    start..end
}

/// `by_words`, or a step for a paragraph that says to look at something after its
/// first words and gives nothing to run ([`instructs_later`]): a check, or after a
/// condition ("If there are API connection errors, verify that the API server is
/// responding") a branch that checks. One right above a code block (before
/// `next`, the next block) leads in to it ("You can look at it in PromQL. For
/// example …") and is read with it.
fn later_check(
    doc: &Document<'_>,
    block: &Candidate,
    text: &str,
    next: usize,
    by_words: ItemKind,
) -> ItemKind {
    let code_follows = block.span.end <= next
        && !Document::within(&doc.code_blocks, &(block.span.end..next)).is_empty();
    // A list item only at the top: a nested one ("- readiness probes may be
    // wrong, check is failing too fast" under a list of causes, "Perform a
    // search … and see if …" under "check [Sentry]") says more about the item
    // above it. So for a branch: "1. If the realm uses an SMS provider, check
    // the provider's logs" is a step of the list; nested, it reads the item above.
    if by_words == ItemKind::Other
        && block.depth == 0
        && !code_follows
        && instructs_later(text).is_some()
    {
        ItemKind::Check
    } else if by_words == ItemKind::Branch
        && (!block.in_list || block.depth == 0)
        && !code_follows
        && instructs_later(text).is_some()
    {
        ItemKind::BranchCheck
    } else {
        by_words
    }
}

/// Where the sentence starts that makes a paragraph whose first words are no step
/// a step after all: one that tells the reader to look at something ("This can
/// occur when … Check that all control plane nodes are powered on"). Not when the
/// paragraph introduces what follows (it ends in a colon: "For this, we can look
/// at the following dashboards:"), starts with a fix ("Clear the cache, then
/// check the page again"), or the instruction sends the reader to documentation
/// or to people, or has them do something ([`asks_or_reads`]).
fn instructs_later(text: &str) -> Option<usize> {
    if text.trim_end().ends_with(':') || starts_with_fix(text) || labelled_fix(text) {
        return None;
    }
    let at = reading::instruction_at(text)?;
    // "For more information you can look at [the docs](…)": reading offered,
    // in the sentence that offers it.
    if at.sentence == 0 && offers_more_reading(text) {
        return None;
    }
    (!asks_or_reads(text.get(at.verb..).unwrap_or(""))).then_some(at.sentence)
}

/// Whether a paragraph opens with a fix's label ("**Solution**: Delete the webhook
/// configurations. When Kyverno recovers, check your Namespace exclusions."):
/// what it says to check verifies the fix.
fn labelled_fix(text: &str) -> bool {
    let lead = lead_text(text);
    lead.split_once(':').is_some_and(|(label, _)| {
        let label = label.trim_matches(|c: char| !c.is_alphanumeric());
        label.split_whitespace().nth(2).is_none() && is_word_in(FIX_LABELS, label)
    })
}

/// Whether an instruction that starts with its verb ("check the [Official
/// Documentation](…)", "check with the people in #releases", "use the Rake tasks
/// below") sends the reader to documentation or to other people, or has them do
/// something rather than look: no check of the system.
fn asks_or_reads(from_verb: &str) -> bool {
    /// The link must come this early to be what the verb is about.
    const MAX_BEFORE_LINK: usize = 40;
    let [verb, second] = lead_words(from_verb);
    // "You can use the Rake tasks below to reprocess …": doing, not looking.
    if second.eq_ignore_ascii_case("with")
        || ["use", "run", "open", "exec"]
            .iter()
            .any(|v| v.eq_ignore_ascii_case(verb))
        || names_docs(from_verb)
    {
        return true;
    }
    from_verb.find('[').is_some_and(|open| {
        open <= MAX_BEFORE_LINK
            && from_verb
                .get(open..)
                .and_then(|link| link.split_once("]("))
                .and_then(|(_, rest)| rest.split(')').next())
                .is_some_and(is_doc_link)
    })
}

/// Whether a block sends the reader to documentation or hands its check to
/// another page: a verb of [`READ_VERBS`] whose first link, within its first
/// words, is a documentation page (a manual, a wiki, a README; not a dashboard)
/// or a page of this repository; or a checking verb or "Follow" whose first link,
/// before any inline code, is a page of this repository ([`is_own_page`], not a
/// script): reading to do elsewhere, or a delegation, not a check here.
fn points_to_docs(text: &str) -> bool {
    /// The link must come this early to be what the verb is about.
    const MAX_BEFORE_LINK: usize = 40;
    let [first, _] = lead_words(text);
    // "See: https://…/docs/…", "See [the guide](…/docs/…)": reading to do, as
    // "Read" and "Refer to" are (a dashboard seen stays a place to look).
    let reads = READ_VERBS.iter().any(|v| v.eq_ignore_ascii_case(first))
        || first.eq_ignore_ascii_case("see");
    // "Check the following [recipe](./cilium-troubleshooting.md) to see if …",
    // "Follow [Checking the logs](../common/logs.md)": the page of this repository
    // the step names holds the check (SPEC: a section that only points at another
    // runbook delegates to it).
    if !reads
        && (!is_check_verb(first) || first.eq_ignore_ascii_case("run"))
        && !first.eq_ignore_ascii_case("follow")
    {
        return false;
    }
    let Some(open) = text.find('[') else {
        // "Check your cloud provider's documentation to determine the minimum
        // versions": reading, with no link to follow.
        if !reads {
            return names_docs(text);
        }
        // An address written out ("See: https://opentelemetry.io/docs/…"), as
        // GitHub renders it: a link to read when it is documentation.
        return text.find("http").is_some_and(|at| {
            at <= MAX_BEFORE_LINK
                && text
                    .get(at..)
                    .and_then(|url| url.split_whitespace().next())
                    .is_some_and(is_doc_link)
        });
    };
    let Some((label, rest)) = text.get(open + 1..).and_then(|link| link.split_once("](")) else {
        return false;
    };
    let dest = rest.split(')').next().unwrap_or("");
    if !reads {
        // "Run `glsh kube setup`: use [`glsh`](../README.md)": the command comes
        // first; "find shards: [get-shards.sh](../x.sh)" links the script to run.
        let before = text.get(..open).unwrap_or("");
        return open <= MAX_BEFORE_LINK
            && !before.contains('`')
            && is_own_page(dest)
            && !is_script(dest);
    }
    // "Read more about ceph MDS cache configuration [here](…)": a link that only
    // points ("here", "this") is what the verb is about wherever it stands.
    let points = ["here", "this", "this page", "link"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(label.trim()));
    (open <= MAX_BEFORE_LINK || points) && (is_doc_link(dest) || is_own_page(dest))
}

/// Whether a site generator's shortcode in `text` shows a file of code where it
/// stands: `{{% sql "sql/list-queries-using-cpu.sql" %}}` renders the page's
/// query file as a code block, which the reader of the site copies (a script,
/// `.sh`, `.py`, or a query, `.sql`, `.promql`, named in the tag's arguments).
fn shows_code_file(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"{{").any(|at| {
        let rest = text.get(at + 2..).unwrap_or("");
        let tag = rest
            .find("}}")
            .and_then(|end| rest.get(..end))
            .unwrap_or("");
        tag.starts_with(['%', '<'])
            && tag.split(['"', '\'', ' ']).any(|arg| {
                is_script(arg) || ends_with_folded(arg, ".sql") || ends_with_folded(arg, ".promql")
            })
    })
}

/// Whether a link's target is a script of this repository (a path to run, which
/// SPEC counts as a command): `[get-unassigned-shards.sh](../api_calls/…)`.
fn is_script(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or(dest);
    !has_scheme(path)
        && [".sh", ".bash", ".py", ".rb", ".ps1"]
            .iter()
            .any(|ext| ends_with_folded(path, ext))
}

/// Whether a link's target is another page of the same repository or site: a
/// relative path (`../common/logs.md`, `/kubernetes/manage-app/`), not an anchor
/// on this page, an address elsewhere or an image.
fn is_own_page(dest: &str) -> bool {
    let dest = dest.trim();
    !dest.is_empty()
        && !dest.starts_with('#')
        && !has_scheme(dest)
        && ![".png", ".jpg", ".jpeg", ".gif", ".svg"]
            .iter()
            .any(|ext| ends_with_folded(dest, ext))
}

/// `text` after its leading [`FILLER`] words ("Please see …" → "see …").
fn after_filler(mut text: &str) -> &str {
    while let Some((word, rest)) = text.split_once(char::is_whitespace) {
        if !is_word_in(FILLER, word.trim_end_matches(',')) {
            break;
        }
        text = rest.trim_start();
    }
    text
}

/// Whether a step says it does again what an earlier one did ("Count processes
/// again", "Same as with CPU profiling above", "Repeat step 2", "as before"): its
/// command is that step's, written once. Only its first line is read.
///
/// Both step rules ask this of every step: the words are compared in any ASCII
/// case where they stand, with no lowercased copy.
pub(crate) fn repeats_earlier(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let is = |w: &str, word: &str| w.eq_ignore_ascii_case(word);
    let mut previous = "";
    first
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            let found = is(w, "again")
                || is(w, "repeat")
                || (is(previous, "same") && is(w, "as"))
                || (is(previous, "as") && (is(w, "above") || is(w, "before")));
            previous = w;
            found
        })
}

/// Whether a block is one line holding nothing but a link (`[text](target)`,
/// perhaps with a full stop after it).
fn only_a_link(item: &str) -> bool {
    only_a_link_after(item, lead_text(item))
}

/// [`only_a_link`], given the item's [`lead_text`] (`lead`).
fn only_a_link_after(item: &str, lead: &str) -> bool {
    // Most blocks do not open with a link: one look at the lead before the scan
    // of the whole block for a second line.
    if !lead.starts_with('[') {
        return false;
    }
    let item = item.trim_end();
    if memchr::memchr(b'\n', item.as_bytes()).is_some() {
        return false;
    }
    let text = lead_text(item).trim_end_matches(['.', ':', ';', ',']);
    text.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|rest| rest.split_once("]("))
        .is_some_and(|(_, target)| !target.contains(char::is_whitespace) && !target.contains("]("))
}

/// Whether `step` only takes the reader to a page in a UI ("1. Go to
/// [developer.mend.io/github/rust-lang](…)."): its place is a link or a UI
/// path and its first sentence goes there and does nothing else (no "… and
/// check that …", no "…, validate the section"). The steps right after it look
/// at that page.
pub(crate) fn only_navigates(doc: &Document<'_>, step: &Step) -> bool {
    if step.command != Command::Ui {
        return false;
    }
    let text = doc.text(&step.extent);
    let paragraph = text.split("\n\n").next().unwrap_or(text);
    let sentence = paragraph.split(". ").next().unwrap_or(paragraph);
    goes_somewhere(doc, step) && !sentence.contains(" and ") && !sentence.contains(", ")
}

/// Whether a step's first word goes somewhere ("Go to the Elastic monitoring
/// cluster …"): a place of its own, not the page a step before opened.
pub(crate) fn goes_somewhere(doc: &Document<'_>, step: &Step) -> bool {
    is_word_in(
        NAVIGATION_VERBS,
        lead_words(lead_text(doc.text(&step.line)))[0],
    )
}

/// Things a step's result holds or shows that a reading written as the next step
/// names to say it reads that result: "the dashboard", "the target", "a status
/// column" (and [`reading::RESOURCES`]: "the pods", "all of the nodes"). Sorted.
const RESULT_OBJECTS: &[&str] = &[
    "column",
    "dashboard",
    "field",
    "graph",
    "output",
    "page",
    "panel",
    "result",
    "row",
    "table",
    "target",
];

/// Where a check looks that a step's command does not show by itself: a reading
/// that names one the step did not ("Run `kubectl get pods`" then "Check the logs
/// of the pods for errors") is a check of its own. Sorted.
const SOURCES: &[&str] = &["alert", "event", "log", "metric", "trace"];

/// Whether `next`, the step right after `step`, is the reading of `step`'s
/// result: it gives nothing to run or open of its own, says what the result
/// should show, and names a thing `step` named (its command included): "Run
/// the following command:" over `kubectl get nodes`, then "And verify that all
/// of the nodes you expect to see are present and in the `Ready` state"; "open
/// the `Mimir / Writes` dashboard", then "Looking at the dashboard you should
/// see in which service the error originates". Not when it looks somewhere
/// `step` did not ([`SOURCES`]).
pub(crate) fn reads_result_of(doc: &Document<'_>, step: &Step, next: &Step) -> bool {
    if step.command == Command::None || next.command != Command::None || !step.is_followed_by(next)
    {
        return false;
    }
    let text = doc.text(&next.extent);
    let reading = text.split("\n\n").next().unwrap_or(text);
    // "Check pod template parameters such as:" over a list is a check of its own.
    if !opens_as_reading(lead_text(reading)) || reading.trim_end().ends_with(':') {
        return false;
    }
    let before = doc.text(&step.extent);
    // A step that reads its own result is followed by another check ("… should
    // be less than 20. 2. Check that the service is back to normal").
    let own = crate::rules::text::prose(doc, &step.extent);
    if reading::interprets(&own) || reading::asks_about_the_result(before) {
        return false;
    }
    // The words the step named (its command's too), singular, once.
    let before_lower = before.to_ascii_lowercase();
    let named: std::collections::HashSet<&str> = before_lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(crate::markdown::section::singular)
        .collect();
    let named_before = |word: &str| named.contains(word);
    // "Look at the output": the step before's, whatever it named.
    let lower = reading.to_ascii_lowercase();
    let mut names_result = ["the output", "its output", "the result"]
        .iter()
        .any(|p| lower.contains(p));
    // The instruction is the first sentence; what follows explains it ("The
    // embedded collector needs port `1514` free to receive … security logs").
    let unmarked = without_list_marker(&lower);
    let first_sentence = unmarked.split(". ").next().unwrap_or(unmarked);
    let own_lower = std::cell::OnceCell::new();
    for word in first_sentence.split(|c: char| !c.is_ascii_alphabetic()) {
        let word = crate::markdown::section::singular(word);
        if is_word_in(SOURCES, word) {
            if !named_before(word) {
                return false;
            }
            // "Check Agent logs" over `docker logs …`, then "Verify the following
            // log message is shown": the logs the step's words opened (not a
            // path its command names, `/var/log/…`).
            // (Lowered only here, once: few readings name a source at all.)
            names_result = names_result
                || own_lower
                    .get_or_init(|| own.to_ascii_lowercase())
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|w| crate::markdown::section::singular(w) == word);
        }
        names_result = names_result
            || ((is_word_in(RESULT_OBJECTS, word) || is_word_in(reading::RESOURCES, word))
                && named_before(word));
    }
    // "Confirm that no unexpected process is listening on port `1514`" after
    // `ss -ltnp | grep 1514`: a value the step's command looked for.
    names_result = names_result
        || reading
            .split('`')
            .skip(1)
            .step_by(2)
            .any(|code| code.trim().len() > 1 && before.contains(code.trim()));
    names_result
        && (reading::asks_about_the_result(reading)
            || reading::interprets(&crate::rules::text::prose(
                doc,
                &(next.extent.start..next.extent.start + reading.len()),
            )))
}

/// Whether a step opens as the reading of a result, not as a check of its own:
/// "Verify that …", "Ensure there's no pod …", "Make sure …", "Check that/if
/// …", "Look at the state of …", "Looking at the dashboard you should see …".
fn opens_as_reading(lead: &str) -> bool {
    let [first, second] = lead_words(lead);
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let asks_that = || ["that", "if", "whether"].iter().any(|w| is(second, w));
    // "Check" and "Make" of [`VERIFY_VERBS`] only with their clause: "Check pod
    // template parameters" is a check of its own.
    let verifies = is_word_in(VERIFY_VERBS, first)
        && if is(first, "check") {
            asks_that()
        } else if is(first, "make") {
            is(second, "sure")
        } else {
            true
        };
    verifies
        || (is(first, "see") && asks_that())
        || ((is(first, "look") || is(first, "looking")) && is(second, "at"))
}

/// Verbs that open the paragraph saying how to do a check the paragraph before
/// stated: "Open the collector log on the data plane:", "Run the following
/// command:". Sorted.
const HOW_VERBS: &[&str] = &[
    "browse", "enter", "execute", "go", "issue", "navigate", "open", "run", "type", "use", "visit",
];

/// Whether `step`, a paragraph with nothing to run, states a check that the
/// paragraph right after it says how to do: "Check whether NGINX Agent's
/// embedded OpenTelemetry Collector is rejecting … This happens when …" and
/// then "Open the collector log on the data plane:" over the command. One
/// check, written in two paragraphs (not two items of a list, each a check).
pub(crate) fn check_done_in_next(doc: &Document<'_>, step: &Step, next: &Step) -> bool {
    let paragraph = |s: &Step| {
        let text = doc.text(&s.line).trim_start();
        without_list_marker(text).len() == text.len()
    };
    step.command == Command::None
        && next.command != Command::None
        && step.is_followed_by(next)
        && paragraph(step)
        && paragraph(next)
        && is_word_in(HOW_VERBS, lead_words(lead_text(doc.text(&next.line)))[0])
}

/// Whether step `n` of `steps` looks at the page an earlier step went to: the
/// steps from there to it follow each other with nothing between them, and
/// none after the navigating one gives a place of its own ("1. Go to
/// [the dashboard](…). 2. Check that the repository is enabled. 3. Check that
/// Renovate has run at least once.").
pub(crate) fn on_page_opened_before(doc: &Document<'_>, steps: &[Step], n: usize) -> bool {
    if steps.get(n).is_none_or(|step| goes_somewhere(doc, step)) {
        return false;
    }
    let mut at = n;
    while let (Some(this), Some(before)) =
        (steps.get(at), at.checked_sub(1).and_then(|b| steps.get(b)))
    {
        if !before.is_followed_by(this) {
            return false;
        }
        if only_navigates(doc, before) {
            return true;
        }
        if before.command != Command::None {
            return false;
        }
        at -= 1;
    }
    false
}

/// The first line of a block after its list marker and task box.
pub(crate) fn lead_text(item: &str) -> &str {
    // Every block of every diagnostic section comes here, most of them long:
    // one byte scan for the line's end.
    let first_line = memchr::memchr(b'\n', item.as_bytes())
        .and_then(|end| item.get(..end))
        .unwrap_or(item);
    let first_line = first_line.strip_suffix('\r').unwrap_or(first_line);
    without_list_marker(first_line)
}

/// `text` without the list marker it starts with (`- `, `* `, `+ `, `1.`,
/// `2)`) and a task box after it (`[ ]`, `[x]`).
pub(crate) fn without_list_marker(text: &str) -> &str {
    let text = text.trim_start();
    let text = match text.strip_prefix(['-', '*', '+']) {
        Some(rest) if rest.starts_with(' ') => rest,
        _ => {
            let t = text.trim_start_matches(|c: char| c.is_ascii_digit());
            t.strip_prefix(['.', ')']).unwrap_or(t)
        }
    };
    strip_task_box(text.trim_start())
}

fn strip_task_box(s: &str) -> &str {
    ["[ ]", "[x]", "[X]"]
        .iter()
        .find_map(|b| s.strip_prefix(b))
        .map_or(s, str::trim_start)
}

/// The first two words of `text` (compared ignoring ASCII case), with emphasis,
/// punctuation and filler words dropped; `""` where there is none. Every block of
/// every diagnostic section is classified: no allocation.
///
/// Asked about 10,000 times per corpus pass, mostly of ASCII text: words made of
/// ASCII are split and trimmed byte by byte ([`ascii_lead_words`]); text with
/// other characters before the second word goes through `char`'s Unicode rules.
fn lead_words(text: &str) -> [&str; 2] {
    if let Some(words) = ascii_lead_words(text) {
        return words;
    }
    let mut words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .skip_while(|w| is_word_in(FILLER, w));
    [words.next().unwrap_or(""), words.next().unwrap_or("")]
}

/// [`lead_words`] of `text` when every byte read to find them is ASCII (as
/// `split_whitespace` and `trim_matches(!is_alphanumeric)` read ASCII: the same
/// words), else `None`.
fn ascii_lead_words(text: &str) -> Option<[&str; 2]> {
    /// Unicode White_Space in ASCII: tab, line feed, vertical tab, form feed,
    /// carriage return and space (`char::is_whitespace`; `u8::is_ascii_whitespace`
    /// leaves out the vertical tab).
    fn space(b: u8) -> bool {
        matches!(b, b'\t'..=b'\r' | b' ')
    }
    let bytes = text.as_bytes();
    let mut found: [&str; 2] = ["", ""];
    let mut count = 0;
    let mut at = 0;
    while count < 2 {
        while bytes.get(at).copied().is_some_and(space) {
            at += 1;
        }
        let start = at;
        while let Some(&b) = bytes.get(at) {
            if !b.is_ascii() {
                return None;
            }
            if space(b) {
                break;
            }
            at += 1;
        }
        if start == at {
            break;
        }
        let word = text
            .get(start..at)?
            .trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if word.is_empty() || (count == 0 && is_word_in(FILLER, word)) {
            continue;
        }
        if let Some(slot) = found.get_mut(count) {
            *slot = word;
        }
        count += 1;
    }
    Some(found)
}

/// What a step gives the reader to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Command {
    /// A code block, or inline code that reads as a command or query.
    Run,
    /// The place to look in a UI: `Console → Workloads → Pods`, or a link to a
    /// dashboard.
    Ui,
    /// Nothing exact: "look at the logs", or only an identifier in backticks.
    None,
}

/// What the step in `extent` gives to run or look at.
pub(crate) fn command(doc: &Document<'_>, extent: &Span) -> Command {
    if runs(doc, extent) && !only_shown_results(doc, extent) {
        return Command::Run;
    }
    let links = Document::within(&doc.links, extent);
    if links.iter().any(|l| is_script(&l.dest)) {
        return Command::Run;
    }
    let text = doc.text(extent);
    if shows_code_file(text) {
        return Command::Run;
    }
    let lead = lead_text(text);
    let sentence_end = first_sentence_end(text, lead);
    if names_place(after_adverbial(lead))
        || names_channel(text.get(..sentence_end).unwrap_or(text))
        || names_ui_label(text)
        || names_view(from_part(text, lead))
        || clicks_through(doc, extent)
    {
        return Command::Ui;
    }
    let view = |dest: &str| dest.starts_with("http") && !is_doc_link(dest);
    // A link, or an address written out as what to open ("Browse
    // https://deps.example.com/explore", "Try connecting to https://…"): in the
    // step's first words, not "… communicating properly with https://…".
    let ui_link = links.iter().any(|l| view(&l.dest))
        || text
            .match_indices("http")
            // Offsets grow: stop at the first address past the first sentence. In
            // it, an address after the first words or right after a colon ("Check
            // the user authentication events dashboard: https://…").
            .take_while(|(at, _)| *at < sentence_end)
            .filter(|(at, _)| {
                let before = text.get(..*at).unwrap_or("");
                let trimmed = before.trim_end();
                // "… by inspecting their status dashboard at https://…": the
                // address is where the sentence says to look.
                let after_at = trimmed.len() < before.len()
                    && trimmed
                        .get(trimmed.len().saturating_sub(3)..)
                        .is_some_and(|w| w.eq_ignore_ascii_case(" at"));
                // "Check the status of GCS - https://…", "(https://…)": set
                // off as the colon sets it off.
                let set_off = trimmed.ends_with([':', '(', '-', '–', '—']);
                crate::rules::text::word_count(before) <= 4 || set_off || after_at
            })
            .any(|(at, _)| {
                let rest = text.get(at..).unwrap_or("");
                let url = rest
                    .split(|c: char| c.is_whitespace() || c == ')' || c == ']')
                    .next();
                (rest.starts_with("https://") || rest.starts_with("http://"))
                    && url.is_some_and(|u| u.len() > "https://".len() && view(u))
            });
    // A click path needs an arrow (`>`, `→`, `»`): most steps have none, and are not
    // copied to blank their code out.
    let arrow = memchr::memchr3(b'>', 0x92, 0xBB, doc.text(extent).as_bytes()).is_some();
    if ui_link || (arrow && ui_path(&crate::rules::text::prose(doc, extent))) {
        Command::Ui
    } else {
        Command::None
    }
}

/// Whether a block nested in the step `parent` (its own text: `own`) is part
/// of that step, not a step of its own: only code before its own nested items
/// ("`kubectl get pod …`" over "e.g., `kubectl get pod -n rook-ceph …`"),
/// still the parent's command; or one of the clicks that walk the parent to
/// its place ("In the **UI Form** section, check if the toggle is switched"
/// after "In the **Workloads** section, choose **Deployments**").
fn part_of_parent(doc: &Document<'_>, own: &Span, parent: Option<&Span>) -> bool {
    only_code(doc, own) || parent.is_some_and(|p| clicks_through(doc, &(p.start..p.end)))
}

/// Whether a list item's text goes to a place in a UI that it names: "Go to
/// **ElastiCache** and open **Events**" ([`names_ui_label`]), "In the
/// **Workloads** section, choose **Pods**" ([`names_place`]).
fn navigates(item: &str) -> bool {
    names_ui_label(item) || names_place(after_adverbial(lead_text(item)))
}

/// The first list item nested in the item whose own text holds `at` (a step's
/// text, after its marker), if any. Items are in order of their starts, so
/// that item is the last to start at or before `at`, and its first nested item
/// the next one (one binary search).
fn first_nested_item<'d>(doc: &'d Document<'_>, at: usize) -> Option<&'d ListItem> {
    let n = doc.list_items.partition_point(|i| i.span.start <= at);
    let item = doc
        .list_items
        .get(n.checked_sub(1)?)
        .filter(|i| i.span.contains(&at))?;
    doc.list_items
        .get(n)
        .filter(|i| i.span.start < item.span.end && i.depth > item.depth)
}

/// Whether the step in `extent`, a list item, walks the reader to the place to
/// look in its nested items: "4. Check if the label `sidecar.istio.io/inject:
/// false` is set on a Pod." over "1. In the **Workloads** section, choose
/// **Pods**." and "2. Search for …". The first of them names where to click.
fn clicks_through(doc: &Document<'_>, extent: &Span) -> bool {
    first_nested_item(doc, extent.start).is_some_and(|i| navigates(doc.text(&i.span)))
}

/// Where the first sentence of a step's text ends: at the first ". " after its
/// list marker ("1. " is no sentence's end; `lead` is the text's [`lead_text`]),
/// else at the text's end.
fn first_sentence_end(text: &str, lead: &str) -> usize {
    let marker = text.len() - from_part(text, lead).len();
    text.get(marker..)
        .and_then(|rest| memchr::memmem::find(rest.as_bytes(), b". "))
        .map_or(text.len(), |at| marker + at)
}

/// Whether a step goes to or picks a UI element it names in bold, as consoles'
/// own docs write them: "Go to **ElastiCache** and open **Events**", "Click
/// **Metrics**". The bold label is where to click.
fn names_ui_label(text: &str) -> bool {
    /// A UI label is a few words.
    const MAX_LABEL: usize = 40;
    let lead = after_adverbial(lead_text(text));
    // "**Navigate to alert details**: Click …" titles the step in bold: the title
    // is no label to click.
    let lead = lead
        .strip_prefix("**")
        .and_then(|rest| rest.split_once("**"))
        .map_or(lead, |(_, rest)| rest.trim_start_matches([':', ' ', '.']));
    let [first, _] = lead_words(lead);
    let goes = NAVIGATION_VERBS
        .iter()
        .chain(CHOOSE_VERBS)
        .any(|v| v.eq_ignore_ascii_case(first));
    let sentence = lead.split(". ").next().unwrap_or(lead);
    goes && sentence
        .split("**")
        .skip(1)
        .step_by(2)
        .any(|label| label.len() <= MAX_LABEL && label.starts_with(|c: char| c.is_uppercase()))
}

/// Whether a step opens with a named place to look: "In the OpenShift console under
/// Observe, select …", "In `gitlab-restore` find the pipeline …", "In (3), look for
/// …" (the third dashboard listed above). A place is named when it holds a name
/// (a capitalised word after the first, code, a quoted label) or points at a
/// numbered item; "In a new window run …" names none.
/// What a console gives a title to. Narrower than [`VIEW_NOUNS`] (what is chosen
/// to look at): "**Review Fastly logs**" names a log source, not a place to open.
const VIEW_KINDS: &[&str] = &["dashboard", "page", "panel", "tab", "view"];

/// Whether the first sentence names a view by a label in bold right before what
/// it is: "Check the **Gitaly p95 latency** graph", "the **Errors** panel". The
/// console's own label for the panel is the place to look.
fn names_bold_view(text: &str) -> bool {
    /// A UI label is a few words.
    const MAX_LABEL: usize = 40;
    if memchr::memmem::find(text.as_bytes(), b"**").is_none() {
        return false;
    }
    let sentence = text.split(". ").next().unwrap_or(text);
    let sentence = sentence.split('\n').next().unwrap_or(sentence);
    // Odd parts are bold; each is followed by the part after it.
    let parts: Vec<&str> = sentence.split("**").collect();
    parts
        .windows(2)
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .any(|(_, pair)| match pair {
            [label, after] => {
                let kind = after
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_matches(|c: char| !c.is_alphanumeric());
                !label.trim().is_empty()
                    && label.len() <= MAX_LABEL
                    && after.starts_with(' ')
                    && (VIEW_KINDS
                        .iter()
                        .chain(&["chart", "graph"])
                        .any(|k| k.eq_ignore_ascii_case(kind)))
            }
            _ => false,
        })
}

/// Whether a line names a view by its title, two or more capitalised words before
/// one of [`VIEW_KINDS`]: "Click on the alert in the Network Health dashboard", "navigate
/// to the Network Traffic view". One word ("the Grafana dashboard") names a tool,
/// not the place in it.
fn names_view(text: &str) -> bool {
    /// The view is named in the step's first words.
    const MAX_WORDS: usize = 40;
    if names_bold_view(text) {
        return true;
    }
    // Capitalised words in a row so far.
    let mut title = 0;
    for word in text.split_whitespace().take(MAX_WORDS) {
        // Only the first sentence.
        if title == usize::MAX {
            return false;
        }
        let ends = word.ends_with(['.', '!', '?']);
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if title >= 2 && VIEW_KINDS.iter().any(|k| k.eq_ignore_ascii_case(word)) {
            return true;
        }
        title = if ends {
            usize::MAX
        } else if word.starts_with(|c: char| c.is_uppercase()) {
            title + 1
        } else {
            0
        };
    }
    false
}

/// `whole` from where `part` (a slice of it) starts, to its end: the rest of a
/// block after a prefix was looked past. `part` itself when it is no slice of
/// `whole`.
fn from_part<'t>(whole: &'t str, part: &'t str) -> &'t str {
    (part.as_ptr() as usize)
        .checked_sub(whole.as_ptr() as usize)
        .and_then(|at| whole.get(at..))
        .unwrap_or(part)
}

/// Whether a step's first sentence names a chat channel to read: "Check
/// #govuk-search-alerts for synchronisation errors". A `#` and then a letter
/// (`#1` is a number).
fn names_channel(sentence: &str) -> bool {
    // Most steps hold no `#` at all: one byte scan, no walk over the words.
    memchr::memchr(b'#', sentence.as_bytes()).is_some()
        && sentence.split_whitespace().any(|w| {
            w.strip_prefix('#').is_some_and(|name| {
                name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name
                        .trim_end_matches([',', '.', ':', ')'])
                        .bytes()
                        .all(|b| {
                            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                        })
            })
        })
}

fn names_place(text: &str) -> bool {
    let Some(rest) = after_place(text) else {
        return false;
    };
    let place = text.get(..text.len() - rest.len()).unwrap_or("");
    let head = place
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric());
    // "Inside the Workload Cluster verify that …" says where to run, not what.
    if is_word_in(super::reading::RESOURCES, head)
        || head.eq_ignore_ascii_case("shell")
        || head.eq_ignore_ascii_case("terminal")
    {
        return false;
    }
    place.contains(['`', '"', '“'])
        || place
            .split_whitespace()
            .skip(1)
            // A label in bold is a name too: "In the **Workloads** section, …".
            .any(|w| {
                w.trim_start_matches('*')
                    .starts_with(|c: char| c.is_uppercase())
                    || is_item_number(w)
            })
}

/// `(3)` or `(3),`: a pointer to a numbered item.
fn is_item_number(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.', ':']);
    w.strip_prefix('(')
        .and_then(|w| w.strip_suffix(')'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Parts of a link that make it documentation to read, not a view to look at.
const DOC_LINK_WORDS: &[&str] = &[
    "/docs",
    "/doc/",
    "/documentation",
    "://docs.",
    "wiki",
    "readme",
    ".md",
    "/blob/",
    "/tree/",
];

/// Whether a block's first word is a verb of looking or reading and its object
/// is documentation: "Check your cloud provider's documentation", "check Redis
/// docs for more information" (within the few words after the verb; "check the
/// `docs` pods" names no documentation).
fn names_docs(text: &str) -> bool {
    /// The noun must come this early to be the verb's object.
    const OBJECT_WORDS: usize = 5;
    let mut words = text.split_whitespace();
    let verb = words
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric());
    let looks = is_check_verb(verb)
        || verb.eq_ignore_ascii_case("see")
        || READ_VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb));
    looks
        && words
            .take(OBJECT_WORDS)
            .take_while(|w| !w.contains('`'))
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .any(|w| DOC_NOUNS.iter().any(|d| d.eq_ignore_ascii_case(w)))
}

/// Nouns that name documentation as the object of "check" or "see".
const DOC_NOUNS: &[&str] = &[
    "documentation",
    "docs",
    "handbook",
    "manual",
    "readme",
    "wiki",
];

/// Whether a link's target is documentation to read (see [`DOC_LINK_WORDS`]).
fn is_doc_link(dest: &str) -> bool {
    let dest = dest.to_ascii_lowercase();
    DOC_LINK_WORDS.iter().any(|w| dest.contains(w))
}

/// Inline code that is a command or a query: a program with arguments, a
/// query-language expression, an HTTP call or a path. An identifier, field name or
/// value (`status.phase`, `NotReady`, `openshift-monitoring`, `bfd-${env}-migrator`)
/// is not, nor a message ([`quotes_message`]).
pub(crate) fn reads_as_command(code: &str) -> bool {
    // `%REQ(:METHOD)%`, `%UPSTREAM_HOST%`: a field of a log format, not something
    // to run.
    let placeholder = code.len() > 2 && code.starts_with('%') && code.ends_with('%');
    if placeholder || quotes_message(code) {
        return false;
    }
    if code.contains(char::is_whitespace) {
        return true;
    }
    // `bfd-${env}-migrator`: a name with a variable in it names one thing;
    // `${HOME}/bin/check` is still a path.
    let code = &*without_variables(code);
    code.starts_with('/')
        || code.starts_with("./")
        || code.starts_with("~/")
        || code.starts_with("http://")
        || code.starts_with("https://")
        || code.contains(['(', '{', '|', '='])
}

/// `code` without its `${…}` variables (shell, Terraform, Jenkins): what is
/// written around them. Most code has none, and is borrowed.
fn without_variables(code: &str) -> std::borrow::Cow<'_, str> {
    if !code.contains("${") {
        return std::borrow::Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest.get(open..).and_then(|r| r.find('}')) else {
            break;
        };
        out.push_str(rest.get(..open).unwrap_or(""));
        rest = rest.get(open + close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Inline code that quotes what a program printed (`ERROR: lstat /private/var/lib/
/// teleport: no such file or directory`, `fatal: …`, `PHP Fatal error: …`, a
/// string in quotes): the symptom a troubleshooting entry starts from, not a
/// command to run.
fn quotes_message(code: &str) -> bool {
    // `"config has invalid keys credentialsFile"`: a string in quotes is what
    // was printed or is to be written, as it is; a command is not quoted whole.
    if let Some(inner) = ['"', '\''].iter().find_map(|&q| {
        code.strip_prefix(q)
            .and_then(|rest| rest.strip_suffix(q))
            .filter(|inner| !inner.contains(q))
    }) {
        return !inner.trim().is_empty();
    }
    // "`etcdserver: no leader`", "`status: Running`": a source or a field and then
    // what it says, as a log line or an object prints it. A command's first word
    // does not end in ':'.
    let head = code.split_whitespace().next().unwrap_or("");
    if head.len() > 1
        && head.ends_with(':')
        && head.bytes().any(|b| b.is_ascii_alphabetic())
        && code.len() > head.len()
    {
        return true;
    }
    const LEVELS: &[&str] = &[
        "error",
        "fatal",
        "warn",
        "warning",
        "panic",
        "exception",
        "critical",
    ];
    let is_level = |w: &str| LEVELS.iter().any(|l| w.eq_ignore_ascii_case(l));
    let first = code
        .split(|c: char| c.is_whitespace() || c == ':' || c == '[')
        .next()
        .unwrap_or("");
    // `PHP Fatal error: Maximum function nesting level …`: a level among the
    // few words, letters only, before the message's first colon, as a runtime
    // prefixes what it prints (`grep -i 'fatal error:' …` has an option and a
    // quote there: a command).
    let prefix_names_level = || {
        code.split_once(':').is_some_and(|(head, _)| {
            let (mut words, mut level) = (0, false);
            for w in head.split_whitespace() {
                words += 1;
                if words > 4 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return false;
                }
                level |= is_level(w);
            }
            words > 1 && level
        })
    };
    is_level(first) || prefix_names_level()
}

/// A click path written in prose: `Console → Workloads → Pods`, `Observe > Alerting`.
fn ui_path(prose: &str) -> bool {
    ["→", " > ", " -> ", " » "].iter().any(|arrow| {
        prose.match_indices(arrow).any(|(at, _)| {
            let before = prose.get(..at).unwrap_or("").trim_end();
            let after = prose.get(at + arrow.len()..).unwrap_or("").trim_start();
            let word_before = before
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                || before.ends_with(['*', '"', '\'']);
            // UI labels are capitalised; "is > 5" compares.
            let word_after = after
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '*' || c == '"' || c == '\'');
            word_before && word_after
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_that_ends_in_a_bare_link_hands_the_how_over() {
        assert!(sends_elsewhere(
            "- Watch the logs for meaningful information - [link]({{< ref \"logs.md#viewing\" >}})"
        ));
        assert!(sends_elsewhere(
            "- Set the log level to debug ([here](https://x.example/logs))."
        ));
        // A link that names what it opens, or words after it, is the step's place.
        assert!(!sends_elsewhere(
            "- Watch the [sidecar logs](https://x.example/logs) for errors"
        ));
        assert!(!sends_elsewhere(
            "- Open [link](https://x.example) and check the error rate"
        ));
    }

    #[test]
    fn pinging_people_and_opening_an_issue_look_at_nothing() {
        assert_eq!(
            kind("- Ping people that had been involved (@stanhu)"),
            ItemKind::Other
        );
        assert_eq!(kind("1. Ping @stanhu in the issue"), ItemKind::Other);
        assert_eq!(
            kind("1. Open a new issue in `gitlab-org/gitlab`"),
            ItemKind::Other
        );
        assert_eq!(kind("Then open an incident"), ItemKind::Other);
        // Their objects are the system: checks.
        assert_eq!(kind("1. Ping the host from the bastion"), ItemKind::Check);
        assert_eq!(kind("1. Open the Kibana dashboard"), ItemKind::Check);
    }

    #[test]
    fn a_block_marked_as_a_callout_is_an_aside() {
        let note = "Use `es` as the signing service for managed domains.\n{: .note }";
        assert_eq!(kind(note), ItemKind::Other);
        assert_eq!(kind("Check the pods.\n{: .warning}"), ItemKind::Other);
        // Another attribute list is no callout.
        assert_eq!(kind("Check the pods.\n{: #pods }"), ItemKind::Check);
        assert_eq!(kind("Check the pods."), ItemKind::Check);
    }

    #[test]
    fn a_subheading_that_judges_its_example_is_no_step() {
        // Under "Check special characters in DNs": the blocks show right and wrong.
        for heading in ["Bad configuration", "Good configuration", "Expected output"] {
            assert_eq!(
                headed_kind(heading, kind(heading), false, true),
                ItemKind::Other,
                "{heading}"
            );
        }
        // A heading that names what its command shows is still one.
        assert_eq!(
            headed_kind("Replication status", ItemKind::Other, false, true),
            ItemKind::Check
        );
    }

    #[test]
    fn a_branch_with_no_step_before_it_that_asks_to_look_is_a_check() {
        let steps = steps_of(
            "- When you start the agent, watch the messages it prints.\n- If it stops, see \"Drivers\".\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.starts_with("- When you start"), "{steps:?}");
        // Only the first: the branches after it read its result.
        let steps =
            steps_of("- If the agent stops, read its log.\n- If it says `OOM`, see \"Memory\".\n");
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.starts_with("- If the agent stops"), "{steps:?}");
        // A branch that asks for a fix is none.
        assert!(steps_of("- When the agent is stopped, restart it.\n").is_empty());
    }

    #[test]
    fn a_lead_in_that_says_what_a_tool_helps_with_lists_no_checks() {
        assert!(offers_capabilities("It will help you"));
        assert!(offers_capabilities("Pyroscope is a profiler. It lets you"));
        assert!(offers_capabilities("which allows you to"));
        assert!(!offers_capabilities("Check these to help"));
        assert!(!offers_capabilities("These checks help"));
        let list = "\n\n- Find hot paths in the code\n- Understand memory use\n";
        assert_eq!(steps_of(&format!("Profiling helps you:{list}")), vec![]);
        // Under another lead-in, the item is a check (its extent runs on).
        let steps = steps_of(&format!("Profile it to:{list}"));
        assert_eq!(steps.len(), 1);
        assert!(steps[0].1.starts_with("- Find hot paths"), "{steps:?}");
    }

    #[test]
    fn a_fix_asked_for_as_a_check_or_after_a_purpose_is_a_fix() {
        assert!(starts_with_fix(
            "Make sure to raise your ulimit. Example: `ulimit -n 16384`"
        ));
        assert!(starts_with_fix("Be sure to restart the agent"));
        assert!(starts_with_fix("5. Make adjustments as necessary:"));
        assert!(starts_with_fix("Make changes to the role's policy"));
        assert!(!starts_with_fix("Make a request to the health endpoint"));
        assert!(!starts_with_fix("Make sure to check the logs"));
        assert!(!starts_with_fix("Make sure the pods are running"));
        assert!(starts_with_fix(
            "To expedite lookups, attempt to disable asynchronous CRI API calls"
        ));
        assert!(starts_with_fix("Try to restart the agent"));
        assert!(!starts_with_fix(
            "Try to connect to the endpoint with `curl`"
        ));
        assert!(!starts_with_fix("Try to find the failing pod"));
        assert!(starts_with_fix(
            "To use this, start Jaeger by running the following Docker command:"
        ));
        assert!(!starts_with_fix(
            "To check the pods, run `kubectl get pods`:"
        ));
        assert!(!starts_with_fix(
            "To verify the cause, you can check the graph"
        ));
    }

    #[test]
    fn a_step_that_opens_as_a_reading_reads_the_step_before() {
        for reading in [
            "Verify that all of the nodes are `Ready`",
            "And verify that all of the nodes are present",
            "Ensure there's no pod in a failing state",
            "Make sure that the endpoints match the pods",
            "Check that the target is UP",
            "Check if query result comparison is failing",
            "Look at the state of the containers in the pod.",
            "Looking at the dashboard you should see which service fails",
        ] {
            assert!(opens_as_reading(reading), "{reading}");
        }
        for check in [
            "Check pod template parameters such as:",
            "Run `kubectl get pods`",
            "Make the change",
            "Look for errors",
        ] {
            assert!(!opens_as_reading(check), "{check}");
        }
        assert_eq!(crate::markdown::section::singular("pods"), "pod");
        assert_eq!(crate::markdown::section::singular("targets"), "target");
        assert_eq!(crate::markdown::section::singular("status"), "status");
        assert_eq!(crate::markdown::section::singular("process"), "process");
    }

    #[test]
    fn a_lead_in_with_the_same_verb_gives_the_step_its_command() {
        assert!(repeats_verb(
            "Review the logs for the pod in the namespace indicated in the alert message.",
            "You can review the logs for the `alertmanager-main-1` pod by running the following command:",
        ));
        assert!(repeats_verb(
            "Check to make sure that the connectivity is healthy.",
            "To determine what node the leader is on, check the value of `holderIdentity`:",
        ));
        // Another way to look is a step of its own.
        assert!(!repeats_verb(
            "Check with browser if this is really the case.",
            "From your terminal, you can display additional details for a certificate using:",
        ));
        // Only the lead-in's first sentence names its action.
        assert!(!repeats_verb(
            "Check the queue.",
            "Run this. Then check again:",
        ));
        // A step that opens with its purpose has its verb later: two such steps
        // share "To", not their action.
        assert!(!repeats_verb(
            "To diagnose this you should look at the container logs.",
            "To find out why the job failed, check the logs in Kibana.",
        ));
        assert!(repeats_verb(
            "To diagnose this you should look at the container logs.",
            "You can look at them with `kubectl logs job/sync`:",
        ));
        // Making sure is verifying: a lead-in whose last sentence says the check
        // can be done gives it its command; one that orders a new check does not.
        assert!(repeats_verb(
            "Make sure the pool you have specified in the `storageclass.yaml` exists.",
            "Suppose the pool name is `replicapool`. It can be verified\nto exist in the toolbox:",
        ));
        assert!(repeats_verb(
            "For the shared filesystem, check that the pools exist in the cluster.",
            "Suppose the `fsName` is `myfs`. It can be verified in the toolbox:",
        ));
        assert!(!repeats_verb(
            "Check any other critical, warning or info alerts firing.",
            "Login to the cluster. Check health of master nodes if any is `NotReady`:",
        ));
        assert!(!repeats_verb(
            "Look at the dashboard.",
            "Suppose it is red. It can be verified in the toolbox:",
        ));
    }

    #[test]
    fn word_lists_are_sorted_for_their_binary_search() {
        for list in [
            LOOK_VERBS,
            QUESTION_VERBS,
            FIX_VERBS,
            VERIFY_VERBS,
            CAN_DO,
            FILLER,
            JUDGED_EXAMPLES,
            CHANGES,
            super::reading::RESOURCES,
            CHECK_HEADS,
            ASK_LOOK,
            ASK_BEFORE,
            FIX_LABELS,
            DEBUG_SETTINGS,
            RESULT_OBJECTS,
            SOURCES,
            TOOL_NOUNS,
            TOOL_USES,
        ] {
            assert!(crate::rules::text::sorted_lowercase(list), "{list:?}");
        }
    }

    #[test]
    fn headings_that_check_are_diagnosis_in_an_incident_runbook() {
        assert!(investigates("verify teleport components", true));
        // "debug" as the adjective of a setting names no investigation.
        assert!(!investigates("debug logging", true));
        assert!(!investigates("debug mode", true));
        assert!(investigates("debug the ingress controller", true));
        // On any page, the playbook for an alert arriving.
        assert!(investigates("what to do for alerts on pod restarts", false));
        assert!(investigates("what to do when you get paged", false));
        assert!(!investigates("what to do when the page is blank", false));
        assert!(investigates("what to do", true));
        assert!(!investigates("what to do next", true));
        assert!(!investigates(
            "what to do if you're asked to set a topic",
            false
        ));
        assert!(investigates(
            "what to do if you're asked to set a topic",
            true
        ));
        assert!(investigates("debugging", true));
        assert!(investigates("2 identify the problematic instance", true));
        assert!(investigates(
            "what to do if networkcheckerrorratetoohigh",
            true
        ));
        assert!(!investigates("verify teleport components", false));
        assert!(!investigates("verify the fix", true));
        assert!(!investigates(
            "checklist of reconfiguration wal g upgrades",
            true
        ));
        assert!(!investigates("what is kas", true));
    }

    #[test]
    fn a_cluster_is_where_to_run_not_a_view_and_a_channel_is_a_place() {
        assert!(!names_place(
            "Inside the Workload Cluster verify that all pods are running."
        ));
        assert!(names_place("In the OpenShift Console, check the pods."));
        assert!(names_channel(
            "Check #govuk-search-alerts for any synchronisation errors"
        ));
        assert!(!names_channel("Check issue #1234 for the history"));
        // Only the first sentence.
        let text = "1. Check the logs. Then ask in #support.";
        assert!(!names_channel(
            &text[..first_sentence_end(text, lead_text(text))]
        ));
    }

    #[test]
    fn a_look_into_the_output_reads_the_step_before() {
        let steps = steps_of(
            "1. Describe the pods: `kubectl describe pods -n x`\n\n    * Look for data in the Status field near the top of the output.\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(refers_to_output("Look for errors in its output."));
        assert!(!refers_to_output(
            "Look for errors in the logs. The output is long."
        ));
    }

    #[test]
    fn a_check_naming_a_field_of_the_output_reads_it() {
        assert!(scans_output(
            "Check the `metadata.labels` section for the `greenhouse.sap/owned-by` label."
        ));
        assert!(scans_output("Look at the `.status.conditions` field."));
        assert!(!scans_output("Check the `nginx` pod's logs."));
        assert!(!scans_output("Check the `db1.example.com` host's disk."));
        assert!(!scans_output(
            "Check `kubectl get pods -o wide` section by section."
        ));
    }

    #[test]
    fn a_lead_in_whose_last_sentence_names_a_fix_leads_into_it() {
        assert!(leads_into_fix(
            "The `linkerd-buoyant` installation may be missing or incomplete. To install the extension:"
        ));
        assert!(leads_into_fix(
            "Next, the CSPC needs to be edited. To edit the cspc, execute:"
        ));
        assert!(!leads_into_fix("The pods may be down. To check them, run:"));
        assert!(
            !leads_into_fix("To install the extension:"),
            "one sentence: starts_with_fix's"
        );
    }

    #[test]
    fn a_block_marked_not_to_copy_is_no_command() {
        assert!(marked_not_to_copy("shell hideCopy"));
        assert!(marked_not_to_copy("text {class=disable-copy}"));
        assert!(marked_not_to_copy("bash {class=\"disable-copy\"}"));
        assert!(marked_not_to_copy("console nocopy"));
        assert!(!marked_not_to_copy("shell"));
        assert!(!marked_not_to_copy("bash title=\"copy me\""));
        let steps = steps_of(
            "Describing the pod is showing following error:\n\n```shell hideCopy\nWarning  FailedMount  58s  kubelet  MountVolume.SetUp failed\n```\n",
        );
        assert!(steps.is_empty(), "{steps:?}");
    }

    #[test]
    fn a_lead_in_that_names_values_leads_into_no_command() {
        assert!(names_values(
            "There are 3 pods that make up the AlertManager cluster. The pod names are:"
        ));
        assert!(names_values("Its labels are:"));
        assert!(!names_values("The command to run is:"));
        assert!(!names_values("The query is:"));
        assert!(!names_values("Check which pods are:"));
        assert!(!names_values("List the pods:"));
    }

    #[test]
    fn a_note_label_is_an_aside_but_note_the_is_a_step() {
        assert!(labels_aside("Note: the job retries itself.", "Note"));
        assert!(labels_aside("**Note**: the job retries itself.", "Note"));
        assert!(labels_aside("Note that inodes may run out first.", "Note"));
        assert!(labels_aside("Output:", "Output"));
        assert!(labels_aside("Another example failure:", "Another"));
        assert!(starts_with_fix(
            "As an (unsafe) workaround to this, you may try:"
        ));
        assert!(starts_with_fix("As a quick fix: restart the pod."));
        assert!(starts_with_fix("As a last resort, you can kill the pod:"));
        assert!(starts_with_fix("Prevent Future Occurrences"));
        assert!(starts_with_fix(
            "As a first step, we may need to restart it:"
        ));
        assert!(!starts_with_fix("As the output shows, the pod is pending:"));
        assert!(!starts_with_fix("As root, you can check the pods:"));
        assert!(labels_aside("One more example:", "One"));
        assert!(!labels_aside(
            "Another way is to check the logs:",
            "Another"
        ));
        assert!(!labels_aside(
            "Note the `instance` label from the alert.",
            "Note"
        ));
    }

    #[test]
    fn views_named_by_their_title_are_places() {
        let item = "1. **Navigate to alert details**: Click on the alert in the Network Health\n   dashboard to view it.";
        assert!(names_view(from_part(item, lead_text(item))));
        assert!(names_view(
            "navigate to the Network Traffic view to examine"
        ));
        // One word names the tool; the title is past the sentence.
        assert!(!names_view("Check the Grafana dashboard"));
        assert!(!names_view(
            "Check the logs. Then the Network Health dashboard"
        ));
        // A bold label right before what it is names the view; bold alone, or
        // before another noun, does not.
        assert!(names_view(
            "Check the **Gitaly p95 latency** graph and identify the offending server."
        ));
        assert!(names_view("Open the **Errors** panel."));
        assert!(!names_view("Check the **Gitaly p95 latency** and restart."));
        assert!(!names_view("**Important**: check the graph"));
    }

    #[test]
    fn nested_clicks_are_the_step_s_place_not_steps_of_their_own() {
        let md = "1. Check if the label `sidecar.istio.io/inject: false` is set on a Pod.\n   1. In the **Workloads** section, choose **Pods**.\n   2. Search for `sidecar.istio.io/inject: false`.\n   If your Pod is displayed on the list, it has the label set.\n2. Check if the namespace has the label.\n   1. Look at the namespace.\n";
        let doc = Document::parse(md);
        let steps = all_steps(&doc, false);
        let lines: Vec<usize> = steps.iter().map(|s| doc.line_of(s.line.start)).collect();
        // The nested "Search for …" walks item 1 to its place; item 2's nested
        // check names no place, so it stays a step of its own.
        assert_eq!(lines, [1, 5, 6]);
        assert_eq!(steps.first().map(|s| s.command), Some(Command::Ui));
        assert_eq!(steps.get(1).map(|s| s.command), Some(Command::None));
        // A label in bold names the place a step starts from.
        assert!(names_place(
            "In the **UI Form** section, check if the toggle is on."
        ));
        assert!(!names_place(
            "In the section below, check if the toggle is on."
        ));
    }

    #[test]
    fn bold_labels_are_where_to_click_but_a_bold_title_is_not() {
        assert!(names_ui_label("Go to **ElastiCache** and open **Events**."));
        assert!(names_ui_label("1. Click **Metrics** in the side bar"));
        assert!(!names_ui_label(
            "1. **Navigate to alert details**: Click on the alert to view details."
        ));
        assert!(!names_ui_label("Check **all** of the pods"));
    }

    #[test]
    fn a_read_verb_with_a_documentation_link_points_elsewhere() {
        assert!(points_to_docs(
            "Review [Solving pg errors](https://access.example.com/documentation/x)"
        ));
        assert!(points_to_docs(
            "Read the [upgrade guide](https://example.org/docs/upgrade)"
        ));
        assert!(!points_to_docs(
            "Review the [error dashboard](https://grafana.example.org/d/x)"
        ));
        assert!(!points_to_docs(
            "Check [the docs](https://example.org/docs/x)"
        ));
        assert!(points_to_docs(
            "Check the following [recipe](./cilium-troubleshooting.md) to see if there are errors."
        ));
        assert!(!points_to_docs("Check the [Overview](#overview) above"));
        assert!(!points_to_docs(
            "find unassigned shards: [get-unassigned-shards.sh](../api_calls/get-unassigned-shards.sh)"
        ));
        assert!(!points_to_docs(
            "Check the [error dashboard](https://grafana.example.org/d/x)"
        ));
        // "See:" and an address written out: documentation to read, or a
        // dashboard to look at.
        assert!(points_to_docs(
            "See: https://opentelemetry.io/docs/collector/troubleshooting/"
        ));
        assert!(points_to_docs(
            "See [the connector's README](https://github.com/o/r/tree/main/connector)"
        ));
        assert!(!points_to_docs(
            "See https://grafana.example.org/d/x for the error rate"
        ));
        assert!(!points_to_docs("See if the pods restart"));
    }

    #[test]
    fn an_address_written_out_where_the_step_looks_is_a_place() {
        let command_of = |md: &str| {
            let doc = Document::parse(md);
            command(&doc, &(0..md.len()))
        };
        assert_eq!(
            command_of(
                "Verify Twilio is operational by inspecting their status dashboard at https://status.twilio.com."
            ),
            Command::Ui
        );
        assert_eq!(
            command_of("Try connecting to https://deps.example.com/"),
            Command::Ui
        );
        // Set off by a dash or in brackets, as by a colon.
        assert_eq!(
            command_of("Check the status of GCS - https://status.cloud.google.com/"),
            Command::Ui
        );
        assert_eq!(
            command_of("Look at the provider's status page (https://status.example.com)."),
            Command::Ui
        );
        // Deep in a sentence, not where it looks: no place.
        assert_eq!(
            command_of(
                "Check that the service can still talk to the upstream that https://api.example.com serves."
            ),
            Command::None
        );
    }

    #[test]
    fn step_names_show_links_as_rendered() {
        assert_eq!(
            words_name("Check [DaemonSet update strategy](https://k8s.io/x) now"),
            "step \"Check DaemonSet update strategy now\""
        );
        assert_eq!(
            words_name("Visit the [Triage][dash] board"),
            "step \"Visit the Triage board\""
        );
        // A name cut short says so; one that is the whole line does not.
        assert_eq!(
            words_name("- Make sure no network policies are blocking traffic"),
            "step \"Make sure no network policies are …\""
        );
        assert_eq!(
            words_name("- Check the kiam-server logs now:"),
            "step \"Check the kiam-server logs now\""
        );
        assert_eq!(
            words_name("Check the slow log of redis-01:\n   and more"),
            "step \"Check the slow log of redis-01\""
        );
        // A line cut short mid-sentence goes on into the next.
        assert_eq!(
            words_name("You should\ncheck the logs to try to diagnose"),
            "step \"You should check the logs to …\""
        );
        assert_eq!(
            words_name("Check the\n[logs](https://x) and the cause"),
            "step \"Check the logs and the cause\""
        );
        assert_eq!(words_name("Check the\n- nested"), "step \"Check the\"");
        assert_eq!(
            words_name("Run\n`kubectl get pods` now"),
            "step \"Run kubectl get pods now\""
        );
        assert_eq!(words_name("Check the\n1. first"), "step \"Check the\"");
        assert_eq!(words_name("Check the\n```sh"), "step \"Check the\"");
        // Brackets that are no link stay as written.
        assert_eq!(words_name("Run `a[0]` then"), "step \"Run a[0] then\"");
        assert_eq!(words_name("Look at [broken"), "step \"Look at [broken\"");
        // A dash that sets off the address is no part of the name.
        assert_eq!(
            words_name("Check the status of GCS - https://status.cloud.google.com/"),
            "step \"Check the status of GCS …\""
        );
        assert_eq!(
            words_name("Check the status of GCS -"),
            "step \"Check the status of GCS\""
        );
    }

    #[test]
    fn code_after_a_run_word_is_run_and_again_repeats() {
        for before in ["Graph ", "by running the script ", "Run ", "2. Query "] {
            assert!(told_to_run(before), "{before}");
        }
        for before in ["Run a ", "Use ", "Check the ", "See "] {
            assert!(!told_to_run(before), "{before}");
        }
        assert!(repeats_earlier(
            "Count processes again and monitor the dashboard"
        ));
        assert!(repeats_earlier(
            "Same as with CPU profiling above, but using `heap.bin`"
        ));
        assert!(repeats_earlier("Repeat step 2 on the replica"));
        assert!(!repeats_earlier("Check the same pod's logs"));
        assert!(!repeats_earlier("Check logs.\nThen again, restart"));
    }

    #[test]
    fn quoted_messages_and_named_variables_are_no_commands() {
        // A message quoted whole is what was printed; a name with a variable in
        // it names one thing; a path that starts with a variable is a path.
        assert!(!reads_as_command(
            "\"config has invalid keys credentialsFile\""
        ));
        assert!(!reads_as_command("'permission denied'"));
        assert!(reads_as_command("\"C:\\Tools\\check.exe\" --all"));
        assert!(!reads_as_command("bfd-${env}-migrator"));
        assert!(reads_as_command("${HOME}/bin/check"));
        assert!(reads_as_command("kubectl logs ${POD}"));
        // A runtime's prefix with a level before the first colon.
        assert!(!reads_as_command(
            "PHP Fatal error: Maximum function nesting level of '100' reached"
        ));
        assert!(!reads_as_command("PHP Warning: date(): It is not safe"));
        assert!(reads_as_command("grep -i 'fatal error: ' /var/log/php.log"));
        assert!(reads_as_command("kubectl logs app | grep error:"));
        assert_eq!(without_variables("a-${b}-c-${d}"), "a--c-");
        assert_eq!(without_variables("a-${b"), "a-${b");
    }

    #[test]
    fn commands_are_told_from_identifiers() {
        for cmd in [
            "kubectl get pods",
            "rate(x[5m])",
            "up{job=\"a\"} == 0",
            "/var/log/syslog",
            "./bin/check",
            "https://x/api",
        ] {
            assert!(reads_as_command(cmd), "{cmd}");
        }
        for id in [
            "status.phase",
            "NotReady",
            "openshift-monitoring",
            "node_load1",
            // What a program printed, quoted as the symptom.
            "ERROR: lstat /private/var/lib/teleport: no such file or directory",
            "fatal: remote error: upload-pack: not our ref",
            "Error from server (NotFound): pods \"x\" not found",
            // A source or a field, and what it says.
            "etcdserver:\nno leader",
            "status: Running",
        ] {
            assert!(!reads_as_command(id), "{id}");
        }
        assert!(points_elsewhere(
            "See [Kubernetes Docs](https://kubernetes.io/docs/x)"
        ));
        assert_eq!(
            after_place(
                "From the logs and the alerts that are firing, determine which data is missing"
            ),
            Some(" determine which data is missing")
        );
        assert_eq!(
            after_place("From the output above we can identify the monitor"),
            None
        );
        assert_eq!(
            after_place("In the example above we can see that the Machine has failed"),
            None
        );
        assert_eq!(after_place("From time to time, check the queue"), None);
        assert!(offers_more_reading(
            "For more information you can look at the [Azure Documentation](https://learn.microsoft.com/x)"
        ));
        assert!(offers_more_reading("For more details, see the logs"));
        assert!(!offers_more_reading("For each pod, check the logs"));
        assert!(points_elsewhere("See resolution steps at point 1."));
        assert!(points_elsewhere(
            "See\n[Checking the logs](../../common/logs.md) and filter for `policy-set`."
        ));
        assert!(!points_elsewhere(
            "See how many requests were above the limit"
        ));
        assert!(!points_elsewhere("See whether the job is at step 3"));
        assert!(points_elsewhere(
            "See also [Investigating query evaluation issues](#investigating)"
        ));
        assert!(!points_elsewhere("See also whether the job is stuck"));
        assert!(!listed_check("See also [the ring page](#ring)"));
        assert!(!listed_check(
            "[Check the wraparound](../patroni/wraparound.md)"
        ));
        assert!(only_a_link(
            "* [Check the wraparound](../patroni/wraparound.md)."
        ));
        assert!(!only_a_link(
            "* [Connect to the database](db.md) and run `\\dt`"
        ));
        // A command whose first word only starts like one still is one.
        assert!(reads_as_command("errorctl list --all"));
        assert!(ui_path("Open Console → Workloads → Pods"));
        assert!(ui_path("go to Observe > Alerting"));
        assert!(!ui_path("if the count is > 5"));
    }

    #[test]
    fn investigation_headings_are_diagnostic_sections() {
        assert!(investigates("3 analyze profiling data", false));
        assert!(investigates("profile the tests", false));
        assert!(investigates("finding where cpu time is spent", false));
        assert!(!investigates("finding a licence", false));
        assert!(investigates("troubleshoot the banner", false));
        assert!(names_fix_by_gerund("clearing"));
        assert!(names_fix_by_gerund("restarting"));
        assert!(names_fix_by_gerund("deleting"));
        assert!(names_fix_by_gerund("rerunning"));
        assert!(!names_fix_by_gerund("connecting"));
        assert!(!names_fix_by_gerund("running"));
        assert!(investigates("troubleshoot", true));
        assert!(!investigates("analytics pipeline", false));
        assert!(!investigates("overview", true));
    }

    #[test]
    fn fixes_are_no_steps_and_end_the_step_before() {
        assert!(starts_with_fix(
            "1. To start one of the services that is down:"
        ));
        assert!(starts_with_fix("* Now disable the integration"));
        assert!(starts_with_fix("Possibly restart the deployment:"));
        assert!(!starts_with_fix("1. To check whether the queue drains:"));
        assert_eq!(
            kind("1) Go to the [aws.tf](https://x/aws.tf), create a new policy block"),
            ItemKind::Other
        );
        assert_eq!(
            kind("* Browse into its configuration, Disable and save it"),
            ItemKind::Other
        );
        assert_eq!(kind("* Go to the integrations section"), ItemKind::Check);
        assert_eq!(
            kind("Make sure you have the go SDK installed."),
            ItemKind::Other
        );
        assert_eq!(kind("* Or use it non-interactively:"), ItemKind::Check);
        // A fix's action named before its command is the fix.
        assert_eq!(
            kind("Update the CLI: `curl https://example.com/install | sh`."),
            ItemKind::Other
        );
        assert_eq!(kind("Check the logs: `kubectl logs x`"), ItemKind::Check);
    }

    #[test]
    fn a_block_of_output_is_no_command_of_its_heading() {
        let md = "# T\n\n### √ ns exists\n\n```text\n× ns exists\n```\n\n### √ cli is up-to-date\n\n```\n‼ cli is up-to-date\n```\n\n### Replication status\n\n```\ninfo replication\n```\n\n### Mount errors\n\n```shell hideCopy\nMountVolume.SetUp failed\n```\n";
        let doc = Document::parse(md);
        let shown: Vec<bool> = doc
            .code_blocks
            .iter()
            .map(|b| shows_output(&doc, b))
            .collect();
        assert_eq!(shown, [true, true, false, true]);
    }

    #[test]
    fn a_fix_verb_used_to_look_does_not_end_the_step() {
        assert!(done_to_look(
            "Expand the JSON fields to identify who performed a decryption operation."
        ));
        assert!(done_to_look("Increase the log level to show the requests:"));
        assert!(!done_to_look("Restart the pod to see if it recovers."));
        assert!(!done_to_look("Expand the volume to 20 GiB."));
        assert!(!done_to_look(
            "Restart the pod. Then look at its logs to see why."
        ));
        let steps = steps_of(
            "Go to Logs Explorer, use the following filter:\n\n```text\nseverity=ERROR\n```\n\nExpand the JSON fields to identify which secret was accessed.\n",
        );
        assert_eq!(steps.len(), 1);
        assert!(
            steps
                .first()
                .is_some_and(|(_, text)| text.ends_with("which secret was accessed.")),
            "{steps:?}"
        );
    }

    /// The steps of all of `doc`, read as a section named as checks or not.
    fn all_steps(doc: &Document<'_>, checks: bool) -> Vec<Step> {
        let mut out = Vec::new();
        let all = 0..doc.source().len();
        steps_in(doc, &all, checks, false, &mut BTreeSet::new(), &mut out);
        out
    }

    /// What one of the readings of a section not read (`announced_lists`,
    /// `looks_with_code`) finds in the own text of the section under heading
    /// `heading`.
    fn read_section(
        doc: &Document<'_>,
        heading: usize,
        read: fn(&Document<'_>, &Span, &mut BTreeSet<usize>, &mut Vec<Step>),
    ) -> Vec<Step> {
        let section = doc
            .sections
            .iter()
            .find(|s| s.heading == heading)
            .expect("section");
        let mut steps = Vec::new();
        read(doc, &section.own_body, &mut BTreeSet::new(), &mut steps);
        steps
    }

    #[test]
    fn a_section_named_as_a_check_is_one_step_when_its_text_holds_none() {
        let headed = |md: &str, at: usize| {
            let doc = Document::parse(md);
            let section = doc
                .sections
                .iter()
                .find(|s| s.heading == at)
                .expect("section");
            headed_section(&doc, section, &section.body, &mut BTreeSet::new())
                .map(|s| (doc.text(&s.line).to_string(), s.command, s.title))
        };
        let page = "# Tool fails\n\n### Check the host name\n\nBy default it connects to `localhost`. Pass another with `-h`.\n";
        assert_eq!(
            headed(page, 1),
            Some((
                "By default it connects to `localhost`. Pass another with `-h`.".into(),
                Command::None,
                Some(1)
            ))
        );
        // A heading that names no check, a fix, a link to the check, code, or
        // subsections: no such step.
        assert_eq!(
            headed(&page.replace("Check the host name", "Host name"), 1),
            None
        );
        assert_eq!(
            headed(&page.replace("Check the host name", "Restart the tool"), 1),
            None
        );
        assert_eq!(
            headed(
                &page.replace("Pass another", "See [hosts](h.md). Pass another"),
                1
            ),
            None
        );
        assert_eq!(
            headed(&format!("{page}\n```sh\nhostname -f\n```\n"), 1),
            None
        );
        assert_eq!(headed(&format!("{page}\n#### Defaults\n\nx\n"), 1), None);
    }

    #[test]
    fn a_lead_in_over_a_logged_line_is_no_step() {
        let heading = "# Egress\n\n## Triage\n\n### 1. Inspect the controller logs for errors\n\n```bash\nkubectl logs -n osm-system deploy/osm-controller\n```\n\n";
        let lines = step_lines;
        // "…:" over a logged line shows what the step's command prints.
        assert_eq!(
            lines(&format!(
                "{heading}Errors will be logged with the `level` key set to `error`:\n```console\n{{\"level\":\"error\",\"msg\":\"...\"}}\n```\n"
            )),
            [7]
        );
        // "…:" over a command is a step of its own.
        assert_eq!(
            lines(&format!(
                "{heading}The controller's events are listed with:\n```console\nkubectl get events -n osm-system\n```\n"
            )),
            [7, 11]
        );
    }

    #[test]
    fn what_follows_an_example_label_is_examples_up_to_the_next_heading() {
        let lines = step_lines;
        let step = "# Egress\n\n## Triage\n\nUse `osm verify connectivity` to check the pod reaches the host.\n\n";
        let example = "To verify if the pod `curl` can reach `httpbin.org`:\n\n```console\n$ osm verify connectivity --from-pod curl/curl\n```\n\n";
        let check = "## Logs\n\nCheck the controller logs: `kubectl logs deploy/osm-controller`\n";
        for label in ["Examples:", "For example:", "E.g.:"] {
            assert_eq!(
                lines(&format!("{step}{label}\n\n{example}{check}")),
                [5, 17],
                "{label}"
            );
        }
        // Without the label, the paragraph over the command is a step.
        assert_eq!(lines(&format!("{step}{example}{check}")), [5, 7, 15]);
        // The words a list's lead-in names examples with count alone too.
        assert!(is_example_label("**For instance:**"));
        assert!(is_example_label("Sample:"));
        // A label that says more is a lead-in of its own.
        assert!(!is_example_label("Example output of the first check:"));
        assert!(!is_example_label("Example outputs follow:"));
    }

    /// The line each step of `md` is reported on.
    fn step_lines(md: &str) -> Vec<usize> {
        let doc = Document::parse(md);
        all_steps(&doc, false)
            .iter()
            .map(|s| doc.line_of(s.line.start))
            .collect()
    }

    fn steps_of(md: &str) -> Vec<(Option<usize>, String)> {
        let doc = Document::parse(md);
        all_steps(&doc, false)
            .iter()
            .map(|s| (s.number, doc.text(&s.extent).trim_end().to_string()))
            .collect()
    }

    #[test]
    fn a_look_taken_is_a_check_and_one_asked_of_people_is_none() {
        assert_eq!(
            kind("Take a look at the HPA configuration"),
            ItemKind::Check
        );
        assert_eq!(
            kind("Then have a closer look at the queue"),
            ItemKind::Check
        );
        assert_eq!(kind("Take a backup of the database"), ItemKind::Other);
        assert_eq!(
            kind("Check with the service owner to see if it needs to be deployed"),
            ItemKind::Other
        );
        assert_eq!(kind("Check with your administrator"), ItemKind::Other);
        assert_eq!(kind("Also check with the platform team"), ItemKind::Other);
        assert_eq!(kind("Check with `kubectl get pods -n x`"), ItemKind::Check);
        assert_eq!(kind("Check with the dashboard below"), ItemKind::Check);
        // A later sentence that says to look for something, or to take a look.
        assert!(
            instructs_later("The trybot has been running long. Look for which CLs it ran")
                .is_some()
        );
        assert!(instructs_later("The number of CLs is high. Take a look at the queue").is_some());
    }

    #[test]
    fn a_step_that_follows_a_link_delegates_to_it() {
        assert_eq!(
            kind("Investigate this by following [Backup not completed](#backup-not-completed)."),
            ItemKind::Other
        );
        assert_eq!(kind("Follow the [upgrade guide](up.md)"), ItemKind::Other);
        // "the following [dashboard]" names a place to look at.
        assert_eq!(
            kind("Check the following [dashboard](https://grafana.example.com/d/x)"),
            ItemKind::Check
        );
    }

    #[test]
    fn a_step_in_a_later_sentence_looks_where_that_sentence_says() {
        let command_of = |md: &str| {
            let doc = Document::parse(md);
            all_steps(&doc, false).first().map(|s| s.command)
        };
        // The link before the instruction is the goroutine's code.
        let page = "The [job metrics](https://example.com/jobs.go) goroutine has not run for some time. You should\ncheck the logs to try to diagnose what's failing.\n";
        assert_eq!(command_of(page), Some(Command::None));
        // Unless the instruction points back at it.
        let back = "The [alert-listener](https://groups.example.com/g/x) list gets every alert. Check whether the message appears there.\n";
        assert_eq!(command_of(back), Some(Command::Ui));
        assert!(refers_back("Check whether the message appears there."));
        assert!(refers_back("Open it and look for errors"));
        assert!(refers_back("Look at that dashboard for the error rate"));
        assert!(!refers_back("Check the logs to try to diagnose it"));
    }

    #[test]
    fn a_name_cut_at_its_line_goes_on_into_the_next() {
        let doc = Document::parse(
            "# A\n\n## Diagnosis\n\nThe goroutine has not run for some time. You should\ncheck the logs to try to diagnose what's failing.\n",
        );
        let steps = all_steps(&doc, false);
        let names: Vec<String> = steps.iter().map(|s| s.name(&doc)).collect();
        assert_eq!(names, ["step \"You should check the logs to …\""]);
    }

    #[test]
    fn a_numbered_cause_is_read_for_its_checks() {
        assert!(numbers_a_cause("cause 1 gke private cluster"));
        assert!(numbers_a_cause("root cause 2 dns resolution issues"));
        assert!(numbers_a_cause("possible cause 3"));
        assert!(!numbers_a_cause("root cause"));
        // A numbered case is one situation with its checks, as a cause is.
        assert!(numbers_a_cause(
            "case 1 shoot stuck due to resources in kube-system"
        ));
        assert!(!numbers_a_cause("case studies"));
        assert!(!numbers_a_cause("root case 1"));
        assert!(!numbers_a_cause("causes"));
        assert!(!numbers_a_cause("cause of the outage"));
    }

    #[test]
    fn a_bullet_that_only_groups_nested_steps_is_no_step() {
        let page = "# Migrator failures\n\n## Troubleshooting\n\n";
        let group = "- Verify AWS SSM Parameter Store Access\n    - Evaluate permission: `aws sts get-caller-identity`\n    - Verify: `aws ssm get-parameters-by-path --path /bfd/pipeline`\n";
        let lines = |md: &str| {
            let doc = Document::parse(md);
            let mut steps = all_steps(&doc, false);
            drop_groups(&doc, &mut steps);
            steps
                .iter()
                .map(|s| doc.text(&s.line).trim().to_string())
                .collect::<Vec<_>>()
        };
        let found = lines(&format!("{page}{group}"));
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|l| l.contains("aws")), "{found:?}");
        // A command of its own keeps the bullet a step; so does a number.
        let own = group.replace("Access\n", "Access: `aws ssm describe-parameters`\n");
        assert_eq!(lines(&format!("{page}{own}")).len(), 3);
        let numbered = group.replacen("- Verify", "1. Verify", 1);
        assert_eq!(lines(&format!("{page}{numbered}")).len(), 3);
    }

    #[test]
    fn a_fix_item_ends_the_step_and_its_parts_are_no_steps() {
        let steps = steps_of(
            "1. If one is not running, check `/var/log/supervisor/supervisord.log`.\n1. To start one of the services (e.g. sentry-web):\n\n    ```\n    sudo supervisorctl start sentry-web\n    ```\n1. Check the queues:\n\n    ```\n    sentry queues list\n    ```\n",
        );
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert!(
            !steps[0].1.contains("e.g."),
            "the fix is not the reading of the step before: {steps:?}"
        );
        let steps = steps_of(
            "* Now disable the integration\n  * Go to the integrations section\n  * Find Bamboo CI\n",
        );
        assert!(steps.is_empty(), "{steps:?}");
    }

    #[test]
    fn a_step_may_open_with_a_place_or_a_modal() {
        let place = "In the OpenShift console under Observe section, select the etcd\ndashboard.";
        assert_eq!(kind(place), ItemKind::Check);
        assert!(names_place(place));
        assert_eq!(
            kind(
                "1. In OpenShift console on primary page under \"Cluster utilization\" view the requested CPU"
            ),
            ItemKind::Check
        );
        assert!(names_place("In (3), we should look for exhaustions"));
        assert!(!names_place("In a new window run `kubectl get nodes`"));
        assert_eq!(
            kind("In (3), we should look for exhaustions"),
            ItemKind::Check
        );
        assert_eq!(
            kind("We can inspect one of these monitors:"),
            ItemKind::Check
        );
        // Cases, conditions, possibilities and results are no instruction.
        for other in [
            "In this example we can confirm there's trouble",
            "In the presence of errors, we should also look at the logs",
            "You can find the project name in another shard",
            "You may get secrets problems as you run chef-client",
            "You should see output similar to this:",
            "- read only filesystem",
            "Select Sync to apply it",
        ] {
            assert_eq!(kind(other), ItemKind::Other, "{other}");
        }
    }

    #[test]
    fn the_list_a_fix_introduces_holds_no_steps() {
        let steps = steps_of(
            "You may get secrets problems, to fix this:\n\n1. wipe the node from the vault\n1. run chef client on the node again\n\nCheck the run: `chef-client -W`\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.starts_with("Check the run"), "{steps:?}");
        // "To <fix>, follow these steps:" names the fix its list does.
        let steps = steps_of(
            "To disable encryption, follow these steps:\n\n- Navigate to the Backup section.\n- Locate the Encryption settings.\n\nCheck the backup: `waf backup list`\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.starts_with("Check the backup"), "{steps:?}");
        let steps = steps_of(
            "To check the backup, follow these steps:\n\n- Navigate to the Backup section.\n- Look at the last backup's size.\n",
        );
        assert_eq!(steps.len(), 2, "{steps:?}");
    }

    #[test]
    fn a_check_on_a_later_line_of_a_paragraph_is_a_step() {
        let steps = steps_of(
            "Misconfigured alertmanager, bad credentials, firewalls..\nCheck alertmanager logs.\n",
        );
        assert_eq!(steps, [(None, "Check alertmanager logs.".to_string())]);
        // A follow-up question belongs to the check before it.
        let steps = steps_of("How did the queue develop? See `queue_length`.\nIs it going down?\n");
        assert!(steps.is_empty(), "{steps:?}");
        // "… and see if …" after a first action, in a paragraph or a top-level
        // item; a nested item says more about the one above it.
        let steps = steps_of("Log in to the server and check the logs for errors.\n");
        assert_eq!(steps.len(), 1, "{steps:?}");
        let steps =
            steps_of("1. Look at the live events tab\n2. Send an event and see if it appears\n");
        assert_eq!(steps.len(), 2, "{steps:?}");
        let steps = steps_of("- causes:\n  - the probe is wrong, check is failing too fast\n");
        assert!(steps.is_empty(), "{steps:?}");
        // A bulleted item is named by, and found on, the sentence that says to
        // look; its nested items are not read for it.
        let md = "- Connections are hogged. We should investigate if queries run long.\n  - you can check with the DBA\n";
        let doc = Document::parse(md);
        let out = all_steps(&doc, false);
        let names: Vec<_> = out.iter().map(|s| s.name(&doc)).collect();
        assert_eq!(names, ["step \"We should investigate if queries run …\""]);
    }

    #[test]
    fn a_heading_that_names_checks_makes_its_list_items_steps() {
        let md = "## What to check\n\n1. Accessibility of the target from the server.\n1. Login to server.\n1. Running status (`sv status x`)\n   - a note nested in it\n";
        let steps: Vec<_> = steps_of(md).into_iter().map(|(n, _)| n).collect();
        // The noun phrases are checks; logging in is getting there, and a nested
        // note is part of its step.
        assert_eq!(steps, [Some(1), Some(3)]);
        // Under a heading of another kind, a noun phrase is no step.
        assert!(steps_of("## Causes\n\n1. Accessibility of the target.\n").is_empty());
        assert!(names_checks("Things to check"));
        assert!(names_checks("Places to look at"));
        assert!(!names_checks("What to look for"));
        // Where or when may follow the verb; its object may not.
        assert!(names_checks("there are a few places to look in for issues"));
        assert!(names_checks(
            "Things to look at while investigating a spike"
        ));
        assert!(names_checks("a few things to look out for"));
        assert!(!names_checks(
            "Use the follow command to check shard allocation"
        ));
        assert!(!names_checks("It helps to look at the logs. The pods are"));
    }

    #[test]
    fn a_numbered_list_that_a_lead_in_announces_as_places_to_look_is_its_steps() {
        let md = "If tasks aren't running, there are a few places to look in for issues:\n\n1. The worker database: it could be down.\n2. The `scheduler` pods: they could be overloaded.\n3. Login to the bastion.\n";
        let steps: Vec<_> = steps_of(md).into_iter().map(|(n, _)| n).collect();
        // Each numbered place is a step (getting there is not one), and the
        // lead-in only announces them.
        assert_eq!(steps, [Some(1), Some(2)]);
        // A bulleted list after "Other things to check:" is often a list of
        // causes: the lead-in and its list stay one step.
        let causes =
            "Other things to check:\n\n- app waits for the database\n- read only filesystem\n";
        let steps = steps_of(causes);
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.starts_with("Other things to check"), "{steps:?}");
        // Bullets that each instruct a check are steps, as numbered ones are.
        let checks = "Some things to check:\n\n- Ensure the `keda` deployment has the `role` annotation\n- Check `kiam-server` logs\n";
        let steps = steps_of(checks);
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert!(steps[0].1.starts_with("- Ensure"), "{steps:?}");
        // One item that is no instruction keeps the list one step.
        let mixed = "Some things to check:\n\n- Ensure the `keda` deployment has the annotation\n- read only filesystem\n";
        assert_eq!(steps_of(mixed).len(), 1);
    }

    #[test]
    fn a_command_right_under_a_subheading_is_a_step_named_by_it() {
        let md = "# Checks\n\n## Replication status\n\n```\n> info replication\n```\n\nIn this case one replica is missing.\n\n## Rate limited\n\n```\nlevel=error msg=\"Throttling\"\n```\n\n## Get sentinel machines\n\n[Sentinels](https://thanos.example.net/graph?g0.expr=up)\n\n## Start Redis\n\n```\nsudo systemctl start redis\n```\n";
        let doc = Document::parse(md);
        let names = |checks: bool| {
            let out = all_steps(&doc, checks);
            out.iter().map(|s| s.name(&doc)).collect::<Vec<_>>()
        };
        // Among checks, a noun phrase names what its command shows; a fix is none.
        assert_eq!(
            names(true),
            [
                "step \"Replication status\"",
                "step \"Rate limited\"",
                "step \"Get sentinel machines\""
            ]
        );
        // Elsewhere such a heading more often names a symptom: only a heading that
        // says to look makes a step.
        assert_eq!(names(false), ["step \"Get sentinel machines\""]);
        // The step's line is its command's, and it runs to the next heading.
        let out = all_steps(&doc, true);
        let first = out.first().expect("a step");
        assert_eq!(doc.text(&first.line), "```");
        assert!(doc.text(&first.extent).contains("one replica is missing"));
    }

    #[test]
    fn a_pointer_to_documentation_before_a_headed_command_opens_its_step() {
        // gitlab-com/runbooks' redis.md: the paragraph sends to reading, the code
        // under the heading is the check; the step starts at the paragraph.
        let md = "# Checks\n\n## client-output-buffer-limit\n\ncheck Redis docs for more information: https://example.org/redis.conf\n\n```shell\n> config get client-output-buffer-limit\n```\n";
        let doc = Document::parse(md);
        let out = all_steps(&doc, true);
        let names: Vec<_> = out.iter().map(|s| s.name(&doc)).collect();
        assert_eq!(names, ["step \"client-output-buffer-limit\""]);
        let first = out.first().expect("a step");
        assert_eq!(doc.line_of(first.line.start), 5);
        assert!(doc.text(&first.extent).contains("config get"));
    }

    #[test]
    fn documentation_as_the_object_of_a_check_is_reading() {
        assert!(names_docs(
            "Check your cloud provider's documentation to determine the minimum versions"
        ));
        assert!(names_docs(
            "check Redis docs for more information: https://x"
        ));
        assert!(names_docs("See the manual for the flags"));
        assert!(points_to_docs(
            "Check your cloud provider's documentation to determine the minimum versions"
        ));
        // Code names the object; a noun too far from the verb is not its object;
        // a word that is no verb of looking does not send to reading.
        assert!(!names_docs("Check the `docs` pods"));
        assert!(!names_docs(
            "Check the pods in the namespace that serves the docs"
        ));
        assert!(!names_docs("Restart the docs server"));
        assert!(!names_docs("Check the queue length"));
        assert_eq!(
            kind("- Check your cloud provider's documentation to determine the minimum version."),
            ItemKind::Other
        );
    }

    #[test]
    fn a_label_that_names_what_it_looks_at_leads_a_check() {
        assert!(labels_a_look(
            "- Logs: Web logs (namespace) for slow endpoints/errors."
        ));
        assert!(labels_a_look(
            "- Grafana: Web dashboard → Latency percentiles, APDEX, 5xx rate."
        ));
        assert!(!labels_a_look(
            "2. `precheck`: make sure there's enough free disk space in ClickHouse"
        ));
        assert!(!labels_a_look("- Gitaly is overloaded"));
        assert!(!labels_a_look(
            "- The thing we found most often when the service was slow: logs"
        ));
        let doc = Document::parse(
            "# X
## Quick checks
- a
## Checks done
- b
",
        );
        assert!(heading_ends_in_checks(
            &doc,
            doc.source().find("- a").unwrap_or(0)
        ));
        assert!(!heading_ends_in_checks(
            &doc,
            doc.source().find("- b").unwrap_or(0)
        ));
    }

    #[test]
    fn a_link_or_an_address_alone_is_only_a_place() {
        assert!(only_a_place(
            "* Staging: https://grafana.example.org/d/G48U1YoGk/file-checks-staging"
        ));
        assert!(only_a_place(
            "- [Error rates](https://grafana.example.org/d/x)"
        ));
        assert!(only_a_place("- <https://status.example.org>"));
        assert!(!only_a_place(
            "- Check the error rates: https://grafana.example.org/d/x and compare"
        ));
        assert!(!only_a_place(
            "- [Error rates](https://grafana.example.org/d/x): above 5% is an outage"
        ));
        assert!(!only_a_place("- `kubectl get pods`"));
    }

    #[test]
    fn a_file_path_alone_is_no_step_but_a_script_path_runs() {
        assert!(only_a_file("~/.kube/config", ""));
        assert!(only_a_file("/var/log/syslog", "  "));
        assert!(!only_a_file("./scripts/check-health.sh", ""));
        assert!(!only_a_file("kubectl get pods", ""));
        assert!(!only_a_file("~/.kube/config", ": is it there?"));
        assert_eq!(kind("* `~/.kube/config`"), ItemKind::Other);
        assert_eq!(kind("1. `./scripts/check-health.sh`"), ItemKind::Check);
        assert_eq!(
            kind("1. `kubectl get pods`: are all Running?"),
            ItemKind::Check
        );
    }

    #[test]
    fn a_lead_in_that_ends_by_asking_to_check_announces_its_list() {
        // The Collector's checklist: the situation first, the ask at the end.
        let lead = "It can be difficult to isolate problems. For each \"hop\" of telemetry \
                    through a Collector, it's important to verify the following:";
        assert!(announces_conditions(lead));
        assert!(last_sentence_asks(lead));
        assert!(last_sentence_asks(
            "In that case you should check the following:"
        ));
        assert!(last_sentence_asks("For each pod, please confirm these:"));
        // Not a check, not at the end, or no list after it.
        assert!(!last_sentence_asks(
            "For each hop, it's important to restart the following:"
        ));
        assert!(!last_sentence_asks(
            "For each hop, verify the following settings are applied:"
        ));
        assert!(!last_sentence_asks(
            "For each hop, it's important to verify the following"
        ));
        // Four words at least: "Verify the following:" is the lead-in's own verb.
        assert!(!asks_after_its_situation("verify the following"));
    }

    #[test]
    fn a_lead_in_that_asks_to_make_sure_announces_its_list() {
        assert!(announces_conditions("Ensure the following:"));
        assert!(announces_conditions(
            "This means the secret has not been mounted into the pod. Ensure the following:"
        ));
        assert!(announces_conditions("Check:"));
        assert!(announces_conditions("Please verify that:"));
        assert!(announces_conditions("Make sure that all of these hold:"));
        // "Make sure to check": the verb after "sure to" asks the same.
        assert!(announces_conditions(
            "If your challenge self-check fails with a 404 not found error. Make sure to check the following:"
        ));
        assert!(!announces_conditions("Make sure to restart the following:"));
        // After the condition it applies in.
        assert!(announces_conditions(
            "If Ceph is not healthy, check the following health for more clues:"
        ));
        assert!(!announces_conditions("If Ceph is not healthy, restart it:"));
        assert!(announces_conditions("Additionally, verify the following:"));
        assert!(!announces_conditions(
            "Additionally, restart the following:"
        ));
        // No colon, an object of its own, or no verb of making sure.
        assert!(!announces_conditions("Ensure the following"));
        assert!(announces_conditions("Check the basics:"));
        assert!(announces_conditions("Verify these:"));
        assert!(announces_conditions("Verify these settings:"));
        assert!(object_follows(&["the", "following", "steps"]));
        assert!(!object_follows(&["the", "pods"]));
        assert!(!announces_conditions("Check the basics of the setup:"));
        assert!(!announces_conditions("Check the pod's logs:"));
        assert!(!announces_conditions("The following are required:"));
        // "Steps to troubleshoot:" names its list as checks.
        assert!(announces_checks("Steps to troubleshoot:"));
        assert!(announces_checks(
            "Here are some things to verify if you receive `SignatureDoesNotMatch` errors:"
        ));
    }

    #[test]
    fn an_announced_list_in_a_section_not_read_is_its_steps() {
        let md = "# Debugging\n\n## Azure\n\nThis means the secret is not mounted. Ensure the following:\n\n* The `cloud-credentials` secret exists in the namespace\n* The secret is mounted into the pod at `/credentials`\n* For Ceph, try using a native account instead\n* Check the pod: `kubectl get pods -n velero`\n\nSome text after the list.\n\n* Not announced: the pod restarts\n";
        let doc = Document::parse(md);
        let steps = read_section(&doc, 1, announced_lists);
        let lines: Vec<_> = steps.iter().map(|s| doc.line_of(s.line.start)).collect();
        // What to try is no statement to make sure of; the list ends at the
        // paragraph after it.
        assert_eq!(
            lines,
            [7, 8, 10],
            "{:?}",
            steps.iter().map(|s| s.name(&doc)).collect::<Vec<_>>()
        );
        let commands: Vec<_> = steps.iter().map(|s| s.command).collect();
        // A path in a statement is a value; a command after a check runs.
        assert_eq!(commands, [Command::None, Command::None, Command::Run]);
    }

    #[test]
    fn an_announced_list_goes_on_past_a_reading_of_its_last_item() {
        let list = "# Debugging\n\n## Metrics\n\nSteps to troubleshoot:\n\n- Confirm the server answers on its port:\n\n```bash\nkubectl port-forward <pod> 8085:8085\n```\n\n";
        let lines = |md: &str| {
            let doc = Document::parse(md);
            read_section(&doc, 1, announced_lists)
                .iter()
                .map(|s| doc.line_of(s.line.start))
                .collect::<Vec<_>>()
        };
        // "… should show the metrics" reads the step before; the item after it
        // is the list's next.
        let reading = format!(
            "{list}Now, visiting /metrics should show the metrics.\n\n- Confirm the pod is a scrape target.\n"
        );
        assert_eq!(lines(&reading), [7, 15]);
        // A paragraph that asks for something of its own ends the list.
        let instruction = format!(
            "{list}Then check the dashboard, it should show the metrics.\n\n- Confirm the pod is a scrape target.\n"
        );
        assert_eq!(lines(&instruction), [7]);
        // So does a reading with no item right after it.
        let apart = format!(
            "{list}Now, visiting /metrics should show the metrics.\n\nSome text.\n\n- Confirm the pod is a scrape target.\n"
        );
        assert_eq!(lines(&apart), [7]);
    }

    #[test]
    fn a_lead_in_that_offers_tools_names_its_items_as_steps() {
        assert!(announces_tools(
            "Here are some common commands to troubleshoot a Ceph cluster:"
        ));
        assert!(announces_tools(
            "Kubernetes status comes first. Here are a few artifacts that are helpful to gather:"
        ));
        assert!(announces_tools(
            "To determine this, there are a few useful resources:"
        ));
        // No colon, no such things named, or nothing that offers them.
        assert!(!announces_tools(
            "Here are some common commands to troubleshoot."
        ));
        assert!(!announces_tools("Here are some useful links:"));
        assert!(!announces_tools("The commands are:"));
        // The last sentence is the lead-in.
        assert!(!announces_tools(
            "Useful commands are below. Restart the pods:"
        ));

        let md = "# Queue

## Tools

Here are a few artifacts that are helpful to gather:

* Worker status:
    * `kubectl get pods -l app=worker`
        * e.g., `kubectl get pods -n staging -l app=worker`
* Logs of the workers
    * Of the scheduler: `kubectl logs -l app=scheduler`
    * Of the broker: `kubectl logs -l app=broker`
* Sentry errors for `/capture`

Text after the list.

* `kubectl get pods`
";
        let doc = Document::parse(md);
        let steps = read_section(&doc, 1, announced_lists);
        let lines: Vec<_> = steps.iter().map(|s| doc.line_of(s.line.start)).collect();
        // The item whose nested items each give a command only groups them;
        // the list ends at the paragraph after it.
        assert_eq!(
            lines,
            [7, 11, 12, 13],
            "{:?}",
            steps.iter().map(|s| s.name(&doc)).collect::<Vec<_>>()
        );
        let commands: Vec<_> = steps.iter().map(|s| s.command).collect();
        // A path named in a noun phrase is a value, not a command.
        assert_eq!(
            commands,
            [Command::Run, Command::Run, Command::Run, Command::None]
        );
        // With a code block under it and no list, the lead-in is a check of its
        // own, with that command.
        let steps = steps_of(
            "Check the useful commands to troubleshoot the broker:\n\n```\nrabbitmqctl status\n```\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.contains("rabbitmqctl status"), "{steps:?}");
    }

    #[test]
    fn a_check_with_its_code_under_it_opens_a_section_not_read() {
        let md = "# CSI Common Issues\n\n## Provisioning\n\nThe provisioner is a sidecar.\n\nIf there is an issue with PVC Create, check the logs of the provisioner.\n\n```\nkubectl logs deploy/provisioner\n```\n\nThen look at the events:\n\n```\nkubectl get events\n```\n\n## Node Loss\n\nRun the following command to delete the pod:\n\n```\nkubectl delete pod x --force\n```\n";
        let doc = Document::parse(md);
        let steps_of_section = |heading: usize| {
            read_section(&doc, heading, looks_with_code)
                .iter()
                .map(|s| doc.line_of(s.line.start))
                .collect::<Vec<_>>()
        };
        // From the check on, the section is read: both checks are steps.
        assert_eq!(steps_of_section(1), [7, 13]);
        // A command that fixes opens nothing.
        assert_eq!(steps_of_section(2), Vec::<usize>::new());
    }

    #[test]
    fn a_branch_without_a_comma_starts_at_its_instruction() {
        let step = |text: &'static str| branch_start(text).and_then(|i| text.get(i..));
        assert_eq!(
            step("If any issue exists in PVC expansion you can check the logs of the resizer."),
            Some("check the logs of the resizer.")
        );
        assert_eq!(
            step("If it's a genuine error, look at the pods:"),
            Some(" look at the pods:")
        );
        // An instruction only on a later line: the condition runs on.
        assert_eq!(step("If the pool is missing\nthen check it"), None);
    }

    #[test]
    fn inline_code_after_words_that_lead_into_output_is_no_command() {
        assert!(introduces_output(
            "- Check `kiam-server` logs, successful provisioning of credentials looks like: "
        ));
        assert!(introduces_output("You should see: "));
        // Words that say to run what follows, or no colon at all.
        assert!(!introduces_output("Check the operator's events. Run: "));
        assert!(!introduces_output(
            "It looks like the pods are down, so run "
        ));
        // What the code returns, said of a query: the code is the query.
        assert!(!introduces_output(
            "2. Look at which partition is missing. This metric will return the assigned ones and their state:\n   "
        ));
        let doc = Document::parse(
            "- Check the logs, success looks like: `kiam-server level=info msg=found role`\n",
        );
        assert_eq!(command(&doc, &(0..doc.source().len())), Command::None);
    }

    #[test]
    fn a_fence_marked_as_output_is_no_command() {
        let step = |fence: &str| {
            let md = format!(
                "Verify that both lines are in the operator's logs:\n\n```{fence}\nconfig-controller started\nconfig-controller done\n```\n"
            );
            let doc = Document::parse(&md);
            command(&doc, &(0..doc.source().len()))
        };
        assert_eq!(step("log"), Command::None);
        assert_eq!(step("output"), Command::None);
        assert_eq!(step("shell hideCopy"), Command::None);
        // Text fences hold commands as often as output.
        assert_eq!(step("text"), Command::Run);
        assert_eq!(step("bash"), Command::Run);
    }

    #[test]
    fn what_a_step_shows_is_no_command_and_its_own_lead_in_is_no_result() {
        // A logged line under "For example in this access log:" is output.
        let doc = Document::parse(
            "1. Look at the Envoy pod logs.\n\n    For example in this access log:\n\n    ```\n    [2024-02-06T15:18:17.437Z] \"GET / HTTP/1.1\" 503 UF\n    ```\n",
        );
        assert_eq!(command(&doc, &(0..doc.source().len())), Command::None);
        // The item's own lead-in instructs: its block is what to run, although
        // it names a state ("healthy").
        let doc = Document::parse(
            "2. Check if the pods are running and healthy:\n   ```bash\n   kubectl get pods -l name=live-store\n   ```\n",
        );
        assert_eq!(command(&doc, &(0..doc.source().len())), Command::Run);
        // An item whose last clause leads into output still shows a result.
        let doc = Document::parse(
            "- Check `kiam-server` logs, successful provisioning looks like:\n\n  ```\n  kube-system kiam-server msg=found role\n  ```\n",
        );
        assert_eq!(command(&doc, &(0..doc.source().len())), Command::None);
        // Fields of a log format are no commands, a query is.
        assert!(!reads_as_command("%REQ(:METHOD)%"));
        assert!(reads_as_command("rate(http_requests_total[5m])"));
    }

    #[test]
    fn a_check_that_groups_listed_checks_is_not_one_of_them() {
        let nested = "1. Check the health of the Kafka cluster:\n   - Verify broker health\n   - Check for network issues\n";
        let steps = steps_of(nested);
        assert_eq!(steps.len(), 2, "{steps:?}");
        assert!(steps[0].1.contains("Verify broker health"), "{steps:?}");
        let after = "Check the health of the Kafka cluster:\n\n- Verify broker health\n- Check for network issues\n";
        assert_eq!(steps_of(after).len(), 2);
        // One item that is no instruction: the lead-in stays a step.
        let causes = "1. Check the health of the Kafka cluster:\n   - Verify broker health\n   - a full disk\n";
        assert!(steps_of(causes)[0].1.starts_with("1. Check the health"));
    }

    #[test]
    fn a_check_in_a_labelled_fix_verifies_it() {
        let fix = "**Solution**: Delete the webhook configurations. When Kyverno recovers, check your Namespace exclusions.";
        assert!(labelled_fix(fix));
        assert_eq!(instructs_later(fix), None);
        assert!(!labelled_fix(
            "This can occur when … Check that all nodes are on."
        ));
        let steps = steps_of(&format!("{fix}\n"));
        assert!(steps.is_empty(), "{steps:?}");
    }

    #[test]
    fn a_site_generators_tags_on_their_own_lines_are_no_words() {
        assert!(is_template_line(
            "{{< figure src=\"/media/home.png\" alt=\"Home page\" >}}"
        ));
        assert!(is_template_line(
            "{{% alert title=\"Note\" %}} {{% /alert %}}"
        ));
        assert!(is_template_line("{% include note.html %}"));
        assert!(!is_template_line("{{< ref \"x\" >}} explains it"));
        assert!(!is_template_line("Check the {{ .Values.port }} port"));
        let text = "{{< figure src=\"/a.png\" >}}\nThe home page shows a table.";
        assert_eq!(
            text.get(leading_template_lines(text)..),
            Some("The home page shows a table.")
        );
        let steps = steps_of("{{< figure src=\"/media/home.png\" alt=\"Foo UI home page\" >}}\n");
        assert!(steps.is_empty(), "{steps:?}");
    }

    #[test]
    fn messages_to_find_are_no_steps_and_a_verb_before_of_is_a_noun() {
        let steps = steps_of(
            "Check the logs of the query-frontend:\n\n```bash\nkubectl logs pod/query-frontend-x\n```\n\nThe presence of the following errors in the log may explain issues:\n\n- `no org id`\n- `tenant-id not found`\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.contains("tenant-id not found"), "{steps:?}");
        // A lead-in that instructs still lists checks.
        assert!(!shows_what_to_find("Ensure the following are healthy"));
        assert!(shows_what_to_find("You should see the following errors"));
        assert_eq!(
            kind("- Use of incorrect protocol/port combination"),
            ItemKind::Other
        );
        assert_eq!(
            kind("- Use the `otelcol components` command"),
            ItemKind::Check
        );
    }

    #[test]
    fn a_restore_is_a_fix() {
        assert!(starts_with_fix("Restore process"));
        assert!(starts_with_fix(
            "1. Restore the backup: `velero restore create …`"
        ));
        assert!(names_fix_by_gerund("Restoring"));
        assert_eq!(
            kind("Restore the namespace from the last backup"),
            ItemKind::Other
        );
    }

    #[test]
    fn asking_to_look_comes_first_or_after_a_condition() {
        assert!(asks_to_look("Check the dmesg logs on the node."));
        assert!(asks_to_look(
            "If any issue exists in PVC expansion you can check the logs of the `csi-resizer` sidecar."
        ));
        assert!(asks_to_look("If it's a genuine error, look at the pods:"));
        assert!(asks_to_look("Then verify the pool exists:"));
        // The verb of the sentence is another: getting there, or a fix.
        assert!(!asks_to_look(
            "Connect to the provisioner pods and verify the connection to the mon endpoints:"
        ));
        assert!(!asks_to_look(
            "Run the following Rake task to reprocess the data:"
        ));
        // Only the first sentence counts.
        assert!(!asks_to_look(
            "Delete the pod. Then check that it comes back:"
        ));
    }

    #[test]
    fn a_lead_in_with_a_nested_command_is_one_step() {
        let steps = steps_of(
            "* To look into one of the listed methods:\n  * `go tool pprof -list x cpu.bin`\n",
        );
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].1.starts_with("* To look into"), "{steps:?}");
    }

    #[test]
    fn items_are_classified_by_their_first_words() {
        assert_eq!(kind("1. Check the queue depth"), ItemKind::Check);
        assert_eq!(kind("2) **Check** the queue"), ItemKind::Check);
        assert_eq!(kind("1. First, look at the dashboard"), ItemKind::Check);
        assert_eq!(kind("1. **AWS S3**: Check the console"), ItemKind::Check);
        assert_eq!(kind("3. Is the site up?"), ItemKind::Check);
        assert_eq!(kind("1. If the count is 0, stop here"), ItemKind::Branch);
        assert_eq!(kind("1. Restart the pod"), ItemKind::Other);
        assert_eq!(
            kind("1. [`registry-main/overview`](https://example.com)"),
            ItemKind::Other
        );
        assert_eq!(kind("1. Slow background saves"), ItemKind::Other);
        assert_eq!(
            kind("1. Check the queue: `queuectl depth`"),
            ItemKind::Check
        );
        assert_eq!(
            kind("1. `kubectl get pods` - are all Running?"),
            ItemKind::Check
        );
        assert_eq!(
            kind("1. Restart the pod: `kubectl delete pod x`"),
            ItemKind::Other
        );
    }

    #[test]
    fn openers_before_the_instruction_are_looked_past() {
        assert_eq!(
            kind("Finally and most importantly, in (4), we can look at the metrics."),
            ItemKind::Check
        );
        assert_eq!(kind("Additionally, check the queue."), ItemKind::Check);
        assert_eq!(
            kind("In (2), we should double-check the saturation graph."),
            ItemKind::Check
        );
        // Another way to do the step before, not a step of its own.
        assert_eq!(
            kind("Alternatively, navigate to the folder in a terminal."),
            ItemKind::Other
        );
        assert_eq!(kind("Other things to check:"), ItemKind::Check);
        assert_eq!(kind("Places to look at:"), ItemKind::Check);
        // What follows reads the output of the step before.
        assert_eq!(kind("What to look for:"), ItemKind::Other);
        assert_eq!(kind("Things to try:"), ItemKind::Other);
    }

    #[test]
    fn a_sentence_ending_in_its_command_labels_it() {
        assert!(labels_command(
            "Sort by cumulative CPU consumption: `top 30 -cum`"
        ));
        assert!(labels_command("Logs: `kubectl logs x` and more"));
        // A refinement of the step before, and code in the middle of a sentence.
        assert!(!labels_command(
            "You can filter the logs with: `app = mirror`"
        ));
        assert!(!labels_command(
            "Applies to the server and its workers: `lint-pr serve` and the CLI"
        ));
    }
}
