//! What the configuration hands the rules besides their own options: when a rule or
//! a section applies ([`Conditions`]) and which sections a document must have
//! ([`SectionRequirement`]). The configuration loader builds these; rules only read
//! them.

use globset::GlobSet;

use crate::markdown::HeadingMatcher;
use crate::types::{Facts, Severity};

/// Conditions that decide whether a rule or a section applies to this PR.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    /// `when: {changed: [...]}`: applies only if a changed path matches.
    pub changed: Option<GlobSet>,
    /// `unless: {only_changed: [...]}`: waived when every changed path matches.
    pub only_changed: Option<GlobSet>,
    /// `unless: {authors: [...]}`: waived for these authors.
    pub authors: Option<GlobSet>,
    /// `unless: {labels: [...]}`: waived when the PR carries one of these labels.
    pub labels: Vec<String>,
}

impl Conditions {
    /// No condition: applies always.
    pub const ALWAYS: Conditions = Conditions {
        changed: None,
        only_changed: None,
        authors: None,
        labels: Vec::new(),
    };

    /// Whether the rule or section applies, given what is known about the PR.
    /// Unknown or empty changed paths waive nothing (SPEC).
    pub fn applies(&self, facts: &Facts<'_>) -> bool {
        self.waived_by(facts).is_none()
    }

    /// Which condition waives the rule or section for this PR, in the words of
    /// the configuration (`unless: only_changed`, …), or `None` when it applies.
    pub fn waived_by(&self, facts: &Facts<'_>) -> Option<&'static str> {
        let paths = facts.changed_paths.filter(|p| !p.is_empty());
        if let (Some(globs), Some(paths)) = (&self.changed, paths)
            && !paths.iter().any(|p| globs.is_match(p))
        {
            return Some("no changed file matches its `when: changed` globs");
        }
        if let (Some(globs), Some(paths)) = (&self.only_changed, paths)
            && paths.iter().all(|p| globs.is_match(p))
        {
            return Some("every changed file matches its `unless: only_changed` globs");
        }
        if let (Some(globs), Some(author)) = (&self.authors, facts.author)
            && globs.is_match(author)
        {
            return Some("the author matches its `unless: authors`");
        }
        facts
            .labels
            .iter()
            .any(|l| self.labels.iter().any(|w| w.eq_ignore_ascii_case(l)))
            .then_some("the PR carries one of its `unless: labels`")
    }
}

/// A section required in a description or runbook.
#[derive(Debug, Clone)]
pub struct SectionRequirement {
    pub matcher: HeadingMatcher,
    /// Overrides the rule's severity for this section; `Some(None)` turns it off.
    pub severity: Option<Option<Severity>>,
    pub conditions: Conditions,
}
