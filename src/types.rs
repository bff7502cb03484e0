//! The vocabulary every layer shares: what a rule produces ([`Finding`], [`Severity`],
//! [`Target`]), how findings add up to a check's conclusion ([`Mode`],
//! [`Conclusion`]), and the facts about a pull request that conditions test
//! ([`Facts`]).
//!
//! This module imports nothing from the crate, so `markdown`, `rules`, `config`,
//! `report` and both front ends can all depend on it without depending on each
//! other.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A byte range in a document's normalised text.
pub type Span = Range<usize>;

/// Facts about the pull request that conditions (`when`/`unless`) test.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// Changed paths; `None` when unknown (then no condition on paths waives anything).
    pub changed_paths: Option<&'a [String]>,
    pub author: Option<&'a str>,
    pub labels: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Notice,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `enforcing`: an error fails the check. `advisory`: it concludes `neutral`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Enforcing,
    Advisory,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforcing => "enforcing",
            Mode::Advisory => "advisory",
        }
    }
}

/// What a draft PR concludes (`drafts:` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Drafts {
    /// Linted, but errors conclude `neutral` until it is ready for review.
    #[default]
    Neutral,
    /// Linted and concluded like any other PR.
    Lint,
}

impl Drafts {
    pub fn as_str(self) -> &'static str {
        match self {
            Drafts::Neutral => "neutral",
            Drafts::Lint => "lint",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conclusion {
    Success,
    Neutral,
    Failure,
}

impl Conclusion {
    /// The one place the CLI and the server decide pass or fail (SPEC "Conclusion").
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>, mode: Mode) -> Self {
        let has_error = findings.into_iter().any(|f| f.severity == Severity::Error);
        match (has_error, mode) {
            (false, _) => Conclusion::Success,
            (true, Mode::Enforcing) => Conclusion::Failure,
            (true, Mode::Advisory) => Conclusion::Neutral,
        }
    }

    /// A draft PR held at `neutral` (`drafts: neutral`): a failure becomes
    /// `neutral`; success stays success.
    pub fn for_draft(self) -> Self {
        match self {
            Conclusion::Failure => Conclusion::Neutral,
            other => other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Conclusion::Success => "success",
            Conclusion::Neutral => "neutral",
            Conclusion::Failure => "failure",
        }
    }
}

/// Which text a finding points into.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// The PR description (SPEC: `path: null`).
    Description,
    /// The PR title (SPEC: `path: null`).
    Title,
    /// A file, by its repository-relative path (or the path as given, outside git).
    /// Shared: every finding in the file carries it.
    File(Arc<str>),
}

impl Target {
    pub fn path(&self) -> Option<&str> {
        match self {
            Target::Description | Target::Title => None,
            Target::File(p) => Some(p),
        }
    }
}

/// One problem found. Positions are byte ranges into the target's normalised text;
/// `report::` turns them into lines and character columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Rule id such as `pr/required-section`, or `custom/<id>` for a YAML rule.
    pub rule: Cow<'static, str>,
    pub severity: Severity,
    pub target: Target,
    /// Byte range in the target's text; empty (`0..0`) for "the whole text".
    pub span: Span,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it. Most rules say the same for every finding, which
    /// then costs no allocation.
    pub help: Option<Cow<'static, str>>,
    /// For a missing required section: its configured name, so the check-run
    /// summary can offer a skeleton to paste.
    pub missing_section: Option<String>,
}
