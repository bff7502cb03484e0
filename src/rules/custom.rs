//! Rules written in YAML (`custom:` in the configuration): a section (or the whole
//! document) must / must not match a regex, must contain a code block, a link, a
//! list item or a number, or must have a minimum number of words.

use std::sync::OnceLock;

use regex::Regex;

use super::settings::Conditions;
use super::text::{content_lines, prose, word_count};
use super::{Finding, LintContext};
use crate::markdown::{Document, HeadingMatcher};
use crate::types::Severity;

/// A rule written in YAML (`custom:`), as the configuration loader built it.
#[derive(Debug, Clone)]
pub struct CustomRule {
    /// `custom/<id>`.
    pub id: String,
    pub target: CustomTarget,
    pub section: Option<HeadingMatcher>,
    pub severity: Option<Severity>,
    pub message: Option<String>,
    pub help: Option<String>,
    pub must_match: Option<Regex>,
    pub must_not_match: Option<Regex>,
    pub must_contain: Vec<CustomContain>,
    pub min_words: Option<u64>,
    pub conditions: Conditions,
}

/// Which text a custom rule reads (`in:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomTarget {
    Title,
    Description,
    Runbook,
}

/// What a custom rule's `must_contain` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomContain {
    CodeBlock,
    Link,
    ListItem,
    Number,
}

/// Run one custom rule over the document in `cx` (the caller checked its target,
/// severity and conditions; `cx.severity` is the rule's).
pub fn check(rule: &CustomRule, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let (range, anchor, what) = match &rule.section {
        Some(matcher) => {
            // A missing section is `*/required-section`'s business, not ours.
            let Some(section) = doc.find_section(matcher) else {
                return;
            };
            let heading = doc.heading(section);
            (
                section.body.clone(),
                heading.span.clone(),
                format!("section \"{}\"", heading.text),
            )
        }
        None => {
            let start = doc.front_matter.as_ref().map_or(0, |f| f.end);
            (start..doc.source().len(), 0..0, "the text".to_string())
        }
    };
    let mut emit = |span: std::ops::Range<usize>, default: String| {
        let mut f = cx.finding_for(
            rule.id.clone().into(),
            span,
            rule.message.clone().unwrap_or(default),
        );
        f.help = rule.help.clone().map(Into::into);
        out.push(f);
    };
    let text = doc.text_without_comments(&range);
    if let Some(re) = &rule.must_match
        && !re.is_match(&text)
    {
        emit(
            anchor.clone(),
            format!("{what} does not match /{}/", re.as_str()),
        );
    }
    if let Some(re) = &rule.must_not_match {
        let raw = prose(doc, &range);
        if let Some(m) = re.find(&raw) {
            emit(
                range.start + m.start()..range.start + m.end(),
                format!("{what} matches /{}/, which is not allowed", re.as_str()),
            );
        }
    }
    for kind in &rule.must_contain {
        let (present, noun) = match kind {
            CustomContain::CodeBlock => (
                !Document::within(&doc.code_blocks, &range).is_empty(),
                "a code block",
            ),
            CustomContain::Link => (!Document::within(&doc.links, &range).is_empty(), "a link"),
            CustomContain::ListItem => (
                !Document::within(&doc.list_items, &range).is_empty(),
                "a list item",
            ),
            CustomContain::Number => (
                digit().is_some_and(|d| d.is_match(&prose(doc, &range))),
                "a number",
            ),
        };
        if !present {
            emit(
                anchor.clone(),
                format!(
                    "{what} contains no {}",
                    noun.trim_start_matches("a ").trim_start_matches("an ")
                ),
            );
        }
    }
    if let Some(min) = rule.min_words {
        let words = word_count(&content_lines(doc, &range).join("\n"));
        if (words as u64) < min {
            emit(
                anchor,
                format!("{what} has {words} words; at least {min} expected"),
            );
        }
    }
}

fn digit() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\d").ok()).as_ref()
}
