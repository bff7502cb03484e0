//! The three things a tired reader needs from a description: what the change
//! does (one line), the behaviour change to expect, and what to check if
//! something seems wrong — found by the rules' own section matching
//! ([`pr::find_required`]) over the configured sections and their aliases.

use crate::config::CompiledConfig;
use crate::markdown::{self, Document};
use crate::rules::pr;
use crate::rules::settings::SectionRequirement;
use crate::types::Facts;

/// The canonical section names (as in `rules/recommended.yml`).
const WHAT: &str = "What this does";
const EXPECTED: &str = "Expected behavior change";
const IF_WRONG: &str = "If something seems wrong after this ships";

/// The longest "what this does" line, in characters.
const MAX_WHAT_CHARS: usize = 200;

/// One section of a description, as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Part {
    /// The section's text, verbatim (HTML comments cut, ends trimmed).
    Text(String),
    /// The heading is there with nothing under it.
    Empty,
    /// No heading names it.
    Missing,
    /// Missing, and the configuration does not require it for this change
    /// (a documentation-only change needs no expected-behaviour section).
    NotRequired,
}

impl Part {
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Part::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// What a description says, for one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Sections {
    /// The first line of "What this does".
    pub(super) what: Option<String>,
    pub(super) expected: Part,
    pub(super) if_wrong: Part,
}

impl Sections {
    /// What a change without any description has.
    pub(super) fn none(facts: &Facts<'_>, finder: &Finder) -> Sections {
        Sections {
            what: None,
            expected: finder.absent(Which::Expected, facts),
            if_wrong: finder.absent(Which::IfWrong, facts),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Which {
    What,
    Expected,
    IfWrong,
}

/// The description sections of the configuration, plus the recommended preset's
/// definition of any of the three that the configuration turned off or lacks:
/// the 3am view wants them whether or not a repository requires them.
pub(super) struct Finder {
    required: Vec<SectionRequirement>,
    /// Index into `required` of What, Expected, IfWrong.
    at: [usize; 3],
}

impl Finder {
    pub(super) fn new(config: &CompiledConfig) -> Finder {
        let mut required = config.description_sections.clone();
        let recommended = crate::config::recommended();
        let mut at = [0; 3];
        for (slot, name) in at.iter_mut().zip([WHAT, EXPECTED, IF_WRONG]) {
            *slot = match position(&required, name) {
                Some(i) => i,
                None => {
                    let fallback = position(&recommended.description_sections, name)
                        .and_then(|i| recommended.description_sections.get(i).cloned())
                        .unwrap_or_else(|| plain(name));
                    required.push(fallback);
                    required.len() - 1
                }
            };
        }
        Finder { required, at }
    }

    fn requirement(&self, which: Which) -> Option<&SectionRequirement> {
        let i = match which {
            Which::What => self.at[0],
            Which::Expected => self.at[1],
            Which::IfWrong => self.at[2],
        };
        self.required.get(i)
    }

    /// Find the sections in `description` (markdown, any line endings).
    pub(super) fn find(&self, description: &str, facts: &Facts<'_>) -> Sections {
        let text = markdown::normalize(description);
        let doc = Document::parse(&text);
        Sections {
            what: self
                .section_text(&doc, Which::What)
                .and_then(|t| first_line(&t)),
            expected: self.part(&doc, Which::Expected, facts),
            if_wrong: self.part(&doc, Which::IfWrong, facts),
        }
    }

    fn part(&self, doc: &Document<'_>, which: Which, facts: &Facts<'_>) -> Part {
        match self.section_text(doc, which) {
            Some(t) if t.is_empty() => Part::Empty,
            Some(t) => Part::Text(t),
            None => self.absent(which, facts),
        }
    }

    fn absent(&self, which: Which, facts: &Facts<'_>) -> Part {
        match self.requirement(which) {
            Some(req) if !req.conditions.applies(facts) => Part::NotRequired,
            _ => Part::Missing,
        }
    }

    /// The text under the section's heading (subsections included), with HTML
    /// comments (template instructions) cut out; `None` without the heading.
    fn section_text(&self, doc: &Document<'_>, which: Which) -> Option<String> {
        let req = self.requirement(which)?;
        let section = pr::find_required(doc, &self.required, req)?;
        Some(doc.text_without_comments(&section.body).trim().to_string())
    }
}

/// The configured section that answers to `name`: the one named so, else the
/// first whose name or aliases accept it as a heading.
fn position(sections: &[SectionRequirement], name: &str) -> Option<usize> {
    sections
        .iter()
        .position(|s| s.matcher.name().eq_ignore_ascii_case(name))
        .or_else(|| sections.iter().position(|s| s.matcher.matches(name)))
}

fn plain(name: &str) -> SectionRequirement {
    SectionRequirement {
        matcher: markdown::HeadingMatcher::new(name, []),
        severity: None,
        conditions: crate::rules::settings::Conditions::default(),
    }
}

/// The first sentence of the first paragraph (or list item) with words in it,
/// on one line, without list markers, cut to [`MAX_WHAT_CHARS`].
fn first_line(text: &str) -> Option<String> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .skip_while(|l| !l.chars().any(char::is_alphanumeric) || l.starts_with("```"));
    let first = strip_marker(lines.next()?);
    let mut paragraph = vec![first];
    // A wrapped paragraph continues until a blank line or the next list item.
    for line in lines {
        if line.is_empty() || strip_marker(line) != line || line.starts_with(['#', '`', '|']) {
            break;
        }
        paragraph.push(line);
    }
    let joined = paragraph
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ");
    let sentence = match joined.find(". ") {
        Some(end) => joined.get(..=end).unwrap_or(&joined),
        None => &joined,
    };
    if sentence.chars().count() <= MAX_WHAT_CHARS {
        return Some(sentence.to_string());
    }
    let cut: String = sentence.chars().take(MAX_WHAT_CHARS - 1).collect();
    Some(format!("{}…", cut.trim_end()))
}

/// A line without its list or quote marker (`- `, `* `, `1. `, `> `).
fn strip_marker(line: &str) -> &str {
    let unquoted = line.trim_start_matches('>').trim_start();
    let bullet = unquoted
        .strip_prefix(['-', '*', '+'])
        .filter(|rest| rest.starts_with(' '));
    let numbered = unquoted
        .find(['.', ')'])
        .filter(|&i| {
            i > 0
                && unquoted
                    .get(..i)
                    .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .and_then(|i| unquoted.get(i + 1..))
        .filter(|rest| rest.starts_with(' '));
    bullet.or(numbered).unwrap_or(unquoted).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(config: &CompiledConfig, text: &str, changed: &[String]) -> Sections {
        let facts = Facts {
            changed_paths: Some(changed),
            ..Facts::default()
        };
        Finder::new(config).find(text, &facts)
    }

    #[test]
    fn headings_bold_pseudo_headings_and_aliases() {
        let c = crate::config::recommended();
        let src = vec!["src/db.rs".to_string()];
        let s = find(
            &c,
            "## Summary\r\n- Raises the pool to 40.\r\n\r\n**Expected behaviour**\r\nFewer timeouts.\r\n\r\n### Rollback plan\r\n<!-- how to undo -->\r\nSet `POOL=20`.\r\n",
            &src,
        );
        assert_eq!(s.what.as_deref(), Some("Raises the pool to 40."));
        assert_eq!(s.expected, Part::Text("Fewer timeouts.".into()));
        assert_eq!(s.if_wrong, Part::Text("Set `POOL=20`.".into()));
    }

    #[test]
    fn missing_empty_and_not_required() {
        let c = crate::config::recommended();
        let src = vec!["src/db.rs".to_string()];
        let s = find(&c, "## Expected behavior change\n\n## Why\nBecause.", &src);
        assert_eq!(s.what, None);
        assert_eq!(s.expected, Part::Empty);
        assert_eq!(s.if_wrong, Part::Missing);
        let docs = vec!["docs/x.md".to_string()];
        let s = find(&c, "Typo.", &docs);
        assert_eq!(s.expected, Part::NotRequired);
    }

    #[test]
    fn configured_aliases_are_used_and_disabled_sections_still_found() {
        let c = crate::config::load(
            crate::config::Source::new(crate::config::Scope::Local, "lint-pr.yml"),
            "description:\n  sections:\n    - name: If something seems wrong after this ships\n      aliases: [Pager notes]\n    - name: Expected behavior change\n      enabled: false\n",
            &mut |_| None,
        )
        .unwrap();
        let s = find(
            &c,
            "# Pager notes\nWatch `5xx`.\n\n# Expected behavior change\nNone.",
            &[],
        );
        assert_eq!(s.if_wrong, Part::Text("Watch `5xx`.".into()));
        assert_eq!(s.expected, Part::Text("None.".into()));
    }

    #[test]
    fn what_is_one_line() {
        let long = "word ".repeat(100);
        let line = first_line(&long).unwrap();
        assert_eq!(line.chars().count(), MAX_WHAT_CHARS);
        assert!(line.ends_with('…'));
        assert_eq!(
            first_line("\n\n1. Adds   a cache.\n2. More."),
            Some("Adds a cache.".into())
        );
        assert_eq!(
            first_line("Moves rendering\nto a job. The endpoint returns sooner.\n\nMore."),
            Some("Moves rendering to a job.".into())
        );
        assert_eq!(
            first_line("- Bumps `x` to 2\n- and y"),
            Some("Bumps `x` to 2".into())
        );
    }
}
