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

use crate::markdown::{Document, HeadingKind, HeadingMatcher, ListItem, Span};
use crate::rules::LintContext;

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
}

/// What a numbered item is, judged by its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemKind {
    /// Starts with a checking verb: a diagnostic step.
    Check,
    /// Starts with "If", "Otherwise", …: it reads the result of the step before.
    Branch,
    /// Anything else: an action, a link, a noun phrase.
    Other,
}

/// Words that open a diagnostic step. Imperatives of looking and measuring, and
/// the verbs that start a yes/no question ("Is the queue growing?").
#[rustfmt::skip]
const CHECK_VERBS: &[&str] = &[
    "ask", "browse", "check", "compare", "confirm", "connect", "count", "curl", "describe",
    "determine", "dig", "establish", "examine", "figure", "find", "get", "go", "grep", "identify",
    "inspect", "investigate", "list", "locate", "look", "make", "measure", "monitor", "navigate",
    "observe", "open", "ping", "query", "read", "review", "run", "search", "see", "show", "ssh",
    "tail", "test", "trace", "try", "use", "validate", "verify", "view", "visit", "watch", "work",
    // Questions.
    "are", "can", "did", "do", "does", "has", "have", "is", "was", "were",
];

/// Words that open an item interpreting the previous step.
const BRANCH_WORDS: &[&str] = &["if", "otherwise", "else", "unless", "when", "in case"];

/// Words skipped before the verb: "First, check …", "Then look at …".
const FILLER: &[&str] = &[
    "first",
    "then",
    "next",
    "now",
    "also",
    "finally",
    "optionally",
    "quickly",
    "and",
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
    // By address: the two step rules read the same settings or different ones, and
    // comparing matchers by value would compare their strings on every call.
    if let Some((_, steps)) = memo
        .borrow()
        .iter()
        .find(|(m, _)| std::ptr::eq(*m, configured))
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
    for section in &doc.sections {
        let heading = doc.heading(section);
        let is_triage = opening == Some(section.heading) || triage.matches_heading(doc, heading);
        if !(is_triage || configured.matches_heading(doc, heading)) {
            continue;
        }
        // The triage section is diagnostic throughout. Under "Troubleshooting" and the
        // like, each subsection is usually the fix for one problem, so only the text
        // before the first subsection counts (a subsection named like a diagnostic
        // section is read on its own; a bold line such as `**Verify:**` is no subsection).
        let range = if is_triage {
            section.body.clone()
        } else {
            let sub = Document::within(&doc.headings, &section.body)
                .iter()
                .find(|h| h.kind != HeadingKind::Bold)
                .map_or(section.body.end, |h| h.span.start);
            section.body.start..sub
        };
        steps_in(doc, &range, &mut seen, &mut steps);
    }
    steps.sort_by_key(|s| s.line.start);
    steps
}

/// A block that may be a step: a list item (any depth) or a paragraph outside lists.
struct Candidate {
    span: Span,
    /// The number a numbered item renders as.
    number: Option<usize>,
}

/// The steps of one diagnostic range, each step once (`seen` holds their starts).
fn steps_in(doc: &Document<'_>, range: &Span, seen: &mut BTreeSet<usize>, out: &mut Vec<Step>) {
    let items = Document::within(&doc.list_items, range);
    // Items are in order of their starts; the furthest end so far tells whether an
    // offset lies inside some item, nested or not, in one binary search.
    let reach: Vec<usize> = items
        .iter()
        .scan(0, |end, i| {
            *end = (*end).max(i.span.end);
            Some(*end)
        })
        .collect();
    let in_list = |at: usize| {
        let before = items.partition_point(|i| i.span.start <= at);
        before
            .checked_sub(1)
            .and_then(|i| reach.get(i))
            .is_some_and(|&end| at < end)
    };
    let numbers = rendered_numbers(doc, items);
    let mut blocks: Vec<Candidate> = items
        .iter()
        .zip(&numbers)
        .filter(|(i, _)| i.quote_depth == 0)
        .map(|(i, &n)| Candidate {
            span: i.span.clone(),
            number: i.ordered.then_some(n),
        })
        .collect();
    blocks.extend(
        Document::within(&doc.paragraphs, range)
            .iter()
            // A bold line alone (`**Verify:**`) labels what follows; it is no step.
            .filter(|p| !in_list(p.span.start) && !is_bold_label(doc, &p.span))
            .map(|p| Candidate {
                span: p.span.clone(),
                number: None,
            }),
    );
    blocks.sort_by_key(|b| b.span.start);
    let kinds: Vec<ItemKind> = blocks.iter().map(|b| kind(doc.text(&b.span))).collect();
    let next_heading = |from: usize| {
        Document::within(&doc.headings, &(from..range.end))
            .first()
            .map_or(range.end, |h| h.span.start)
    };
    for (n, block) in blocks.iter().enumerate() {
        if kinds.get(n) != Some(&ItemKind::Check) || !seen.insert(block.span.start) {
            continue;
        }
        // The step runs up to the next block that starts a step or is not an
        // interpretation of it, within its own heading.
        let next_step = blocks
            .iter()
            .zip(&kinds)
            .skip(n + 1)
            .find(|(b, k)| **k == ItemKind::Check && b.span.start >= block.span.start)
            .map(|(b, _)| b.span.start);
        let end = next_step
            .unwrap_or(range.end)
            .min(next_heading(block.span.start + 1))
            .max(block.span.end);
        let line_end = doc
            .text(&block.span)
            .find('\n')
            .map_or(block.span.end, |i| block.span.start + i);
        out.push(Step {
            number: block.number,
            line: block.span.start..line_end,
            extent: block.span.start..end,
        });
    }
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
        step_name(doc, &self.line, self.number)
    }
}

fn step_name(doc: &Document<'_>, line: &Span, number: Option<usize>) -> String {
    if let Some(number) = number {
        return format!("step {number}");
    }
    let text = doc.text(line);
    let first_line = text.lines().next().unwrap_or("");
    let words: Vec<&str> = first_line
        .trim_start_matches(|c: char| c == '-' || c == '*' || c == '+' || c.is_whitespace())
        .split_whitespace()
        .map(|w| w.trim_matches(['*', '_', '`']))
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    let mut name = words.join(" ");
    name = name.trim_end_matches([':', '.', ',']).to_string();
    format!("step \"{name}\"")
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

/// Classify an item by its first words, looking past the list marker, a task box,
/// emphasis, filler ("First,") and a short label ("**Database**: check …").
fn kind(item: &str) -> ItemKind {
    let first_line = item.lines().next().unwrap_or("");
    let text = first_line.trim_start();
    let text = match text.strip_prefix(['-', '*', '+']) {
        Some(rest) if rest.starts_with(' ') => rest,
        _ => {
            let t = text.trim_start_matches(|c: char| c.is_ascii_digit());
            t.strip_prefix(['.', ')']).unwrap_or(t)
        }
    };
    let text = strip_task_box(text.trim_start());
    let mut candidates = vec![text];
    if let Some((label, rest)) = text.split_once(':')
        && label.split_whitespace().count() <= 5
        && !label.contains('`')
    {
        candidates.push(rest);
    }
    // "1. `kubectl get pods`: are all Running?" leads with the command itself
    // (but "Restart it: `kubectl …`" is an action with a label).
    let mut result = if text.starts_with('`') {
        ItemKind::Check
    } else {
        ItemKind::Other
    };
    for candidate in candidates {
        let [first, second] = lead_words(candidate);
        let is = |list: &[&str], w: &str| list.iter().any(|l| l.eq_ignore_ascii_case(w));
        let two_words = BRANCH_WORDS.iter().any(|b| {
            b.split_once(' ').is_some_and(|(x, y)| {
                x.eq_ignore_ascii_case(first) && y.eq_ignore_ascii_case(second)
            })
        });
        if is(BRANCH_WORDS, first) || two_words {
            return ItemKind::Branch;
        }
        if is(CHECK_VERBS, first) {
            result = ItemKind::Check;
        }
    }
    result
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
fn lead_words(text: &str) -> [&str; 2] {
    let mut words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .skip_while(|w| FILLER.iter().any(|f| f.eq_ignore_ascii_case(w)));
    [words.next().unwrap_or(""), words.next().unwrap_or("")]
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
    if !Document::within(&doc.code_blocks, extent).is_empty() {
        return Command::Run;
    }
    let code = Document::within(&doc.code_spans, extent)
        .iter()
        .filter(|c| !in_link(doc, &c.span))
        .any(|c| reads_as_command(doc.text(&c.span).trim_matches('`').trim()));
    if code {
        return Command::Run;
    }
    let ui_link = Document::within(&doc.links, extent).iter().any(|l| {
        let dest = l.dest.to_ascii_lowercase();
        dest.starts_with("http") && !DOC_LINK_WORDS.iter().any(|w| dest.contains(w))
    });
    if ui_link || ui_path(&crate::rules::text::prose(doc, extent)) {
        Command::Ui
    } else {
        Command::None
    }
}

/// Parts of a link that make it documentation to read, not a view to look at.
const DOC_LINK_WORDS: &[&str] = &[
    "/docs", "/doc/", "wiki", "readme", ".md", "/blob/", "/tree/",
];

/// Whether `link`'s text lies inside a link: code there names a page.
fn in_link(doc: &Document<'_>, span: &Span) -> bool {
    doc.links
        .iter()
        .any(|l| l.span.start <= span.start && span.end <= l.span.end)
}

/// Inline code that is a command or a query: a program with arguments, a
/// query-language expression, an HTTP call or a path. An identifier, field name or
/// value (`status.phase`, `NotReady`, `openshift-monitoring`) is not.
pub(crate) fn reads_as_command(code: &str) -> bool {
    code.contains(char::is_whitespace)
        || code.starts_with('/')
        || code.starts_with("./")
        || code.starts_with("~/")
        || code.starts_with("http://")
        || code.starts_with("https://")
        || code.contains(['(', '{', '|', '='])
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
        ] {
            assert!(!reads_as_command(id), "{id}");
        }
        assert!(ui_path("Open Console → Workloads → Pods"));
        assert!(ui_path("go to Observe > Alerting"));
        assert!(!ui_path("if the count is > 5"));
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
}
