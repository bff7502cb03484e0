//! Rule options: each rule declares the options it understands next to its code,
//! and the configuration loader decodes and validates them against those
//! declarations (`config` imports `rules`, never the other way round).
//!
//! A rule declares an option as a typed constant and lists it in `declare_rule!`:
//!
//! ```ignore
//! impl TriageFirst {
//!     /// The headings accepted as a triage section.
//!     pub(crate) const NAMES: Headings = Headings::new("names", "heading names",
//!         "the headings accepted as a triage section");
//! }
//! ```
//!
//! and reads it with `Self::NAMES.get(cx.options)`. Adding an option is that one
//! edit in the rule's file (plus its fixture and docs).

use regex::Regex;

use crate::markdown::HeadingMatcher;

/// How an option's value is written in YAML and what the rule gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A list of headings (a single string is a list of one) → a [`HeadingMatcher`]
    /// whose first entry is the name shown in messages.
    Headings,
    /// A list of regexes, each compiled with the configuration's size limit.
    Regexes,
    /// `true` or `false`.
    Flag,
}

impl OptionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OptionKind::Headings => "a list of headings",
            OptionKind::Regexes => "a list of regexes",
            OptionKind::Flag => "true or false",
        }
    }
}

/// One declared option: its key under the rule, its kind, and its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionDecl {
    /// The key under `rules: <id>:` in the configuration.
    pub name: &'static str,
    pub kind: OptionKind,
    /// What the items are, for type errors ("expected a list of heading names").
    pub items: &'static str,
    /// One sentence for `lint-pr explain` and the configuration schema.
    pub doc: &'static str,
}

/// A decoded option value, as the configuration loader builds it.
#[derive(Debug, Clone)]
pub enum OptionValue {
    /// Boxed: a matcher holds its forms' words and lookup tables.
    Headings(Box<HeadingMatcher>),
    Regexes(Vec<Regex>),
    Flag(bool),
}

/// The configured options of one rule, by declared name. Options not configured
/// anywhere are absent and read as their kind's empty value.
#[derive(Debug, Clone, Default)]
pub struct Options(Vec<(&'static str, OptionValue)>);

impl Options {
    /// No option set.
    pub const NONE: Options = Options(Vec::new());

    /// Set `decl` to `value` (the loader checked that the value is of its kind).
    pub fn set(&mut self, decl: &OptionDecl, value: OptionValue) {
        match self.0.iter_mut().find(|(n, _)| *n == decl.name) {
            Some((_, v)) => *v = value,
            None => self.0.push((decl.name, value)),
        }
    }

    fn get(&self, name: &str) -> Option<&OptionValue> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

static NO_HEADINGS: HeadingMatcher = HeadingMatcher::EMPTY;

/// A typed handle on a `Headings` option.
#[derive(Debug, Clone, Copy)]
pub struct Headings(pub OptionDecl);

impl Headings {
    pub const fn new(name: &'static str, items: &'static str, doc: &'static str) -> Self {
        Headings(OptionDecl {
            name,
            kind: OptionKind::Headings,
            items,
            doc,
        })
    }

    /// The configured headings; an empty matcher (matching nothing) when unset.
    pub fn get<'a>(&self, options: &'a Options) -> &'a HeadingMatcher {
        match options.get(self.0.name) {
            Some(OptionValue::Headings(m)) => m,
            _ => &NO_HEADINGS,
        }
    }
}

/// A typed handle on a `Regexes` option.
#[derive(Debug, Clone, Copy)]
pub struct Regexes(pub OptionDecl);

impl Regexes {
    pub const fn new(name: &'static str, items: &'static str, doc: &'static str) -> Self {
        Regexes(OptionDecl {
            name,
            kind: OptionKind::Regexes,
            items,
            doc,
        })
    }

    /// The configured regexes; none when unset.
    pub fn get<'a>(&self, options: &'a Options) -> &'a [Regex] {
        match options.get(self.0.name) {
            Some(OptionValue::Regexes(r)) => r,
            _ => &[],
        }
    }
}

/// A typed handle on a `Flag` option with a default.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub decl: OptionDecl,
    pub default: bool,
}

impl Flag {
    pub const fn new(name: &'static str, default: bool, doc: &'static str) -> Self {
        Flag {
            decl: OptionDecl {
                name,
                kind: OptionKind::Flag,
                items: "true or false",
                doc,
            },
            default,
        }
    }

    /// The configured value, or the declared default.
    pub fn get(&self, options: &Options) -> bool {
        match options.get(self.decl.name) {
            Some(OptionValue::Flag(b)) => *b,
            _ => self.default,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: Headings = Headings::new("names", "heading names", "doc");
    const STRICT: Flag = Flag::new("strict", true, "doc");

    #[test]
    fn unset_options_read_as_their_defaults() {
        let o = Options::default();
        assert!(NAMES.get(&o).name().is_empty());
        assert!(STRICT.get(&o));
    }

    #[test]
    fn set_replaces_by_name() {
        let mut o = Options::default();
        o.set(&STRICT.decl, OptionValue::Flag(false));
        o.set(&STRICT.decl, OptionValue::Flag(true));
        o.set(
            &NAMES.0,
            OptionValue::Headings(Box::new(HeadingMatcher::new("Triage", ["Start here"]))),
        );
        assert!(STRICT.get(&o));
        assert!(NAMES.get(&o).matches("start here"));
        assert_eq!(o.0.len(), 2);
    }
}
