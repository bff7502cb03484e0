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

/// One numbered step.
pub(crate) struct Step {
    /// The number the reader sees: the list's start number plus the item's index.
    pub(crate) number: usize,
    /// The step's first line, where findings point.
    pub(crate) line: Span,
    /// The item and what follows it up to the next item or heading: a code block
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
    let mut seen = BTreeSet::new();
    let mut steps = Vec::new();
    for section in &doc.sections {
        let heading = doc.heading(section);
        let is_triage = triage.matches_heading(doc, heading);
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
        let items = Document::within(&doc.list_items, &range);
        let Some(depth) = items
            .iter()
            .filter(|i| i.ordered && i.quote_depth == 0)
            .map(|i| i.depth)
            .min()
        else {
            continue;
        };
        let top: Vec<&ListItem> = items
            .iter()
            .filter(|i| i.ordered && i.quote_depth == 0 && i.depth == depth)
            .collect();
        let next_heading = |from: usize| {
            Document::within(&doc.headings, &(from..range.end))
                .first()
                .map_or(range.end, |h| h.span.start)
        };
        let kinds: Vec<ItemKind> = top.iter().map(|i| kind(doc.text(&i.span))).collect();
        let mut number = 0;
        let mut prev_end: Option<usize> = None;
        for (n, item) in top.iter().enumerate() {
            // Items separated by nothing but blank space are one list; anything else
            // (a code block, a paragraph) starts a new list, numbered as written.
            let continues =
                prev_end.is_some_and(|e| doc.text(&(e..item.span.start)).trim().is_empty());
            number = if continues {
                number + 1
            } else {
                written_number(doc.text(&item.span)).unwrap_or(1)
            };
            prev_end = Some(item.span.end);
            if kinds.get(n) != Some(&ItemKind::Check) || !seen.insert(item.span.start) {
                continue;
            }
            // The step runs up to the next item that is not an interpretation of it.
            let next_item = top
                .iter()
                .zip(&kinds)
                .skip(n + 1)
                .find(|(_, k)| **k != ItemKind::Branch)
                .map(|(i, _)| i.span.start);
            let end = next_item.unwrap_or_else(|| next_heading(item.span.end));
            let end = end
                .max(item.span.end)
                .min(next_heading(item.span.start + 1).max(item.span.end));
            let line_end = doc
                .text(&item.span)
                .find('\n')
                .map_or(item.span.end, |i| item.span.start + i);
            steps.push(Step {
                number,
                line: item.span.start..line_end,
                extent: item.span.start..end,
            });
        }
    }
    steps.sort_by_key(|s| s.line.start);
    steps
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
    let text = first_line
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit());
    let text = text.strip_prefix(['.', ')']).unwrap_or(text);
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
        let words = lead_words(candidate);
        let first = words.first().map_or("", String::as_str);
        let two = words
            .iter()
            .take(2)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        if BRANCH_WORDS.contains(&first) || BRANCH_WORDS.contains(&two.as_str()) {
            return ItemKind::Branch;
        }
        if CHECK_VERBS.contains(&first) {
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

/// The first words of `text`, lowercased, with emphasis, punctuation and filler
/// words dropped.
fn lead_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .skip_while(|w| FILLER.contains(&w.as_str()))
        .take(2)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
