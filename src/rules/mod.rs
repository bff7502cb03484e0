//! The rules: one file per rule, a small trait, and the static registry [`RULES`].
//!
//! Owns: what counts as a problem in a PR description or a runbook. Never does: IO,
//! parsing configuration, or deciding output formats. A rule cannot fail: broken
//! markdown yields findings (or none), never an error. Start at [`Rule`], then read
//! any rule file; `custom.rs` runs the rules users write in YAML.
//!
//! Adding a rule: a file under `pr/` or `runbook/` with `declare_rule!`, an entry in
//! [`RULES`] (sorted), a line in `rules/recommended.yml`, and fixtures under
//! `fixtures/rules/<family>/<rule>/`.

pub mod custom;
pub mod options;
pub mod pr;
pub mod runbook;
pub mod settings;
mod text;

pub use crate::types::{Conclusion, Facts, Finding, Mode, Severity, Target};

use crate::markdown::{Document, FileLookup, HeadingMatcher, Span};
use options::{OptionDecl, Options};
use settings::SectionRequirement;

/// What a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppliesTo {
    Description,
    Runbook,
    /// Reported while loading configuration, not by walking a document.
    Config,
}

/// Severity a rule has in the `recommended` preset (`Off` = listed there as off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultSeverity {
    Error,
    Warning,
    Notice,
    Off,
}

impl DefaultSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            DefaultSeverity::Error => "error",
            DefaultSeverity::Warning => "warning",
            DefaultSeverity::Notice => "notice",
            DefaultSeverity::Off => "off",
        }
    }
}

/// A rule's identity and documentation; built by `declare_rule!`.
#[derive(Debug)]
pub struct RuleMeta {
    /// `family/problem-name`, e.g. `runbook/broken-reference`.
    pub id: &'static str,
    /// One line for `lint-pr rules`.
    pub summary: &'static str,
    pub default_severity: DefaultSeverity,
    pub applies_to: AppliesTo,
    /// The rule's `///` doc comment, verbatim: what `lint-pr explain` prints.
    pub docs: &'static str,
    /// The options the rule understands besides `severity`, `when` and `unless`.
    pub options: &'static [OptionDecl],
}

impl RuleMeta {
    /// The documentation with the one leading space `///` leaves on each line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Everything a rule may read while checking one document.
#[derive(Clone, Copy)]
pub struct LintContext<'a> {
    pub doc: &'a Document<'a>,
    pub target: &'a Target,
    pub facts: &'a Facts<'a>,
    /// Other files, for cross-file links.
    pub files: &'a dyn FileLookup,
    /// The configured severity of the rule being run.
    pub severity: Severity,
    /// The options of the rule being run.
    pub options: &'a Options,
    /// The sections this kind of document must have (`description.sections` or
    /// `runbook.sections`).
    pub required: &'a [SectionRequirement],
    /// What several rules derive from the same document, computed by the first.
    pub shared: &'a Shared<'a>,
}

/// What the configuration says that more than one rule needs, read once per run
/// from the declaring rule's own options.
#[derive(Debug, Clone, Copy)]
pub struct Common<'a> {
    /// The headings that name a runbook's triage section (`runbook/triage-first`'s
    /// `names`): the step rules read steps there too.
    pub triage: &'a HeadingMatcher,
    /// An alert runbook's diagnosis and context sections (`runbook/triage-first`'s
    /// `diagnosis` and `context`): a diagnosis section after only the alert's context
    /// is the runbook's triage section for every rule.
    pub diagnosis: &'a HeadingMatcher,
    pub context: &'a HeadingMatcher,
    /// The escalation section's names (`runbook/escalation-without-threshold`'s
    /// `names`): a page with one is an incident runbook.
    pub escalation: &'a HeadingMatcher,
}

impl<'a> Common<'a> {
    /// Read what is shared from the rules' options (`options_of` answers for any
    /// built-in rule, with no options for a rule that is off).
    pub fn new(options_of: impl Fn(&RuleMeta) -> &'a Options) -> Self {
        let triage_first = options_of(&runbook::TriageFirst::META);
        Common {
            triage: runbook::TriageFirst::NAMES.get(triage_first),
            diagnosis: runbook::TriageFirst::DIAGNOSIS.get(triage_first),
            context: runbook::TriageFirst::CONTEXT.get(triage_first),
            escalation: runbook::EscalationWithoutThreshold::NAMES
                .get(options_of(&runbook::EscalationWithoutThreshold::META)),
        }
    }
}

/// Per-document results that more than one rule needs (the two step rules read the
/// same diagnostic steps), computed once. A fresh one for every document.
pub struct Shared<'a> {
    pub common: Common<'a>,
    pub(crate) steps: runbook::StepMemo<'a>,
    shape: std::cell::OnceCell<runbook::Shape>,
    /// The kind `runbook.kinds` gives this document's path; front matter wins.
    kind: Option<runbook::RunbookKind>,
    /// The document's path: a page with no title is known by its file's name.
    path: Option<&'a str>,
    /// Sections found by [`Shared::section_containing`], by the names asked for
    /// (the escalation rule and the required escalation section ask for the same).
    containing: std::cell::RefCell<Vec<(&'a HeadingMatcher, Option<usize>)>>,
    /// [`runbook::escalation_in_prose`], worked out once.
    escalation_in_prose: std::cell::OnceCell<Option<(Option<usize>, crate::markdown::Span)>>,
}

impl<'a> Shared<'a> {
    pub fn new(common: Common<'a>) -> Self {
        Shared {
            common,
            steps: runbook::StepMemo::default(),
            shape: std::cell::OnceCell::new(),
            kind: None,
            path: None,
            containing: std::cell::RefCell::default(),
            escalation_in_prose: std::cell::OnceCell::new(),
        }
    }

    /// The index in `doc.sections` of [`Document::find_section_containing`]`(names)`,
    /// worked out once per document for equal names.
    pub(crate) fn section_containing(
        &self,
        doc: &Document<'_>,
        names: &'a HeadingMatcher,
    ) -> Option<usize> {
        let memo = self
            .containing
            .borrow()
            .iter()
            .find(|(m, _)| std::ptr::eq(*m, names) || *m == names)
            .map(|&(_, found)| found);
        if let Some(found) = memo {
            return found;
        }
        let found = doc
            .find_section_containing(names)
            .and_then(|s| doc.sections.iter().position(|other| std::ptr::eq(other, s)));
        self.containing.borrow_mut().push((names, found));
        found
    }

    /// Where a runbook with no escalation heading says in passing when to hand over
    /// to other people: the section's index in `doc.sections` and the block's span.
    pub(crate) fn escalation_in_prose(
        &self,
        doc: &Document<'_>,
    ) -> Option<(Option<usize>, crate::markdown::Span)> {
        self.escalation_in_prose
            .get_or_init(|| runbook::escalation_in_prose(doc))
            .clone()
    }

    /// The kind the configuration gives this document (`runbook.kinds`), used
    /// when its front matter names none.
    pub fn with_kind(mut self, kind: Option<runbook::RunbookKind>) -> Self {
        self.kind = kind;
        self
    }

    /// The document's path, for a runbook with no title of its own.
    pub fn with_path(mut self, path: Option<&'a str>) -> Self {
        self.path = path;
        self
    }

    /// The runbook's shape (stub or not, where its diagnosis path starts).
    pub(crate) fn shape(&self, doc: &Document<'_>) -> runbook::Shape {
        *self
            .shape
            .get_or_init(|| runbook::shape_with_kind(doc, &self.common, self.kind, self.path))
    }

    /// Why this runbook was not linted as a runbook (a stub: only its references
    /// are checked), or `None` when it was.
    pub fn skip_reason(&self, doc: &Document<'_>) -> Option<&'static str> {
        self.shape(doc)
            .stub
            .then(|| runbook::stub_reason(doc, self.kind, self.path))
    }
}

impl LintContext<'_> {
    /// A finding of `meta`'s rule at `span`, with the configured severity.
    pub fn finding(&self, meta: &RuleMeta, span: Span, message: String) -> Finding {
        self.finding_for(meta.id.into(), span, message)
    }

    /// A finding of a rule known only by id (custom rules from the configuration).
    pub fn finding_for(
        &self,
        rule: std::borrow::Cow<'static, str>,
        span: Span,
        message: String,
    ) -> Finding {
        Finding {
            rule,
            severity: self.severity,
            target: self.target.clone(),
            span,
            message,
            help: None,
            missing_section: None,
        }
    }
}

/// A check over one document. Kept this small on purpose: a rule reads the context and
/// appends findings; it has no `Result`, no state and no other hooks.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>);
}

/// Declares a unit struct whose `META` carries the doc comment as its documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            id: $id:literal,
            summary: $summary:literal,
            default_severity: $sev:ident,
            applies_to: $kind:ident
            $(, options: [$($option:expr),* $(,)?])? $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub(crate) const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                summary: $summary,
                default_severity: $crate::rules::DefaultSeverity::$sev,
                applies_to: $crate::rules::AppliesTo::$kind,
                docs: concat!($($doc, "\n"),+),
                options: &[$($($option),*)?],
            };
        }
    };
}
pub(crate) use declare_rule;

/// Every built-in rule, sorted by id (a unit test keeps it so).
pub static RULES: &[&dyn Rule] = &[
    &ConfigInvalid,
    &pr::EmptySection,
    &pr::NothingToCheck,
    &pr::RequiredSection,
    &pr::UncheckedTask,
    &runbook::BrokenReference,
    &runbook::EscalationWithoutThreshold,
    &runbook::RequiredSection,
    &runbook::StepWithoutCommand,
    &runbook::StepWithoutInterpretation,
    &runbook::TriageFirst,
];

/// The rule with this id, if built in.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

declare_rule! {
    /// ## What it checks
    /// That the configuration `lint-pr` was given can be used at all: the YAML
    /// parses, every key is known, every value has the expected type, regexes and
    /// globs compile, and `extends` chains end (no loop, at most 10 deep).
    ///
    /// ## Why it matters at 3am
    /// A check that silently falls back to other rules is a check nobody can trust.
    /// An invalid `.github/lint-pr.yml` therefore fails the check (on the server, with
    /// an annotation on the offending line) and makes the CLI exit with status 2.
    ///
    /// ## Example
    /// ```yaml
    /// rules:
    ///   pr/required-sektion: error   # unknown rule id
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// rules:
    ///   pr/required-section: error
    /// ```
    /// Run `lint-pr config check` locally before pushing a configuration change.
    ///
    /// ## Options
    /// None. This finding cannot be turned off: an unusable configuration is never
    /// ignored.
    pub struct ConfigInvalid {
        id: "config/invalid",
        summary: "the configuration cannot be used (unknown key, bad value, extends loop)",
        default_severity: Error,
        applies_to: Config,
    }
}

impl Rule for ConfigInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Configuration errors are found while loading configuration, before any
    /// document is read (`config::ConfigError` → [`crate::lint::config_error_finding`]);
    /// there is nothing to check in a document.
    fn check(&self, _cx: &LintContext<'_>, _out: &mut Vec<Finding>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_unique_and_well_named() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "RULES must be sorted by id and unique");
        let re = regex::Regex::new("^(pr|runbook|config)/[a-z-]+$").unwrap();
        for id in ids {
            assert!(re.is_match(id), "{id} does not match family/problem-name");
        }
    }

    #[test]
    fn every_rule_documents_the_required_sections() {
        for rule in RULES {
            let docs = rule.meta().documentation();
            for heading in [
                "## What it checks",
                "## Why it matters at 3am",
                "## Example",
                "## Use instead",
                "## Options",
            ] {
                assert!(docs.contains(heading), "{} lacks {heading}", rule.meta().id);
            }
        }
    }
}
