//! The merged configuration compiled into what rules read: glob sets, regexes,
//! heading matchers and per-rule severities. Every compile error keeps the position
//! of the YAML value it came from.

use std::collections::HashMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexBuilder};

use super::error::{ConfigError, did_you_mean};
use super::raw::{
    At, DocKind, Level, RawConditions, RawConfig, RawCustom, RawKind, RawOption, RawOptionValue,
    RawRule, RawSection,
};
use crate::markdown::HeadingMatcher;
use crate::rules::custom::{CustomRule, CustomTarget};
use crate::rules::options::{OptionDecl, OptionKind, OptionValue, Options};
use crate::rules::runbook::RunbookKind;
use crate::rules::settings::{Conditions, SectionRequirement};
use crate::rules::{self, AppliesTo, RuleMeta};
use crate::types::{Drafts, Facts, Mode, Severity};

/// Compiled regexes may use at most this much memory (hostile configs stay small).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Runbook globs used when no configuration names any.
pub const DEFAULT_RUNBOOK_PATHS: &[&str] =
    &["runbooks/**/*.md", "**/runbook*.md", "docs/runbooks/**"];

/// How one built-in rule is configured.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    /// `None` when the rule is off.
    pub severity: Option<Severity>,
    pub conditions: Conditions,
    /// The rule's own options, decoded against its declarations.
    pub options: Options,
}

/// Everything the rules read. Built only by [`super::Chain::compile`].
#[derive(Debug, Clone)]
pub struct CompiledConfig {
    pub mode: Mode,
    /// What a draft PR concludes.
    pub drafts: Drafts,
    /// Looked up for every rule of every document: foldhash, not SipHash (the keys
    /// are our own rule ids).
    rules: HashMap<&'static str, RuleSettings, foldhash::fast::RandomState>,
    pub description_sections: Vec<SectionRequirement>,
    pub runbook_sections: Vec<SectionRequirement>,
    runbook_paths: GlobSet,
    /// The runbook globs as written, for messages and `lint-pr init`.
    pub runbook_globs: Vec<String>,
    /// `runbook.kinds`; `None` when the configuration names none. Boxed: most
    /// configurations are passed around far more often than this is read.
    runbook_kinds: Option<Box<RunbookKinds>>,
    pub custom: Vec<CustomRule>,
    /// Things the user should know about how this configuration was found
    /// (e.g. "cannot see the org's file"); the CLI prints each in one line.
    pub notes: Vec<String>,
}

/// `runbook.kinds`, compiled: globs, and the kind of the runbooks the first
/// matching one names (`None`: `auto`, judged by content), by glob index.
#[derive(Debug, Clone)]
struct RunbookKinds {
    globs: GlobSet,
    kinds: Vec<Option<RunbookKind>>,
}

static OFF: RuleSettings = RuleSettings {
    severity: None,
    conditions: Conditions::ALWAYS,
    options: Options::NONE,
};

impl CompiledConfig {
    /// No rules at all.
    pub(crate) fn empty() -> Self {
        CompiledConfig {
            mode: Mode::default(),
            drafts: Drafts::default(),
            rules: HashMap::default(),
            description_sections: Vec::new(),
            runbook_sections: Vec::new(),
            runbook_paths: GlobSet::empty(),
            runbook_globs: Vec::new(),
            runbook_kinds: None,
            custom: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Settings of a built-in rule (off if not configured).
    pub fn rule(&self, id: &str) -> &RuleSettings {
        self.rules.get(id).unwrap_or(&OFF)
    }

    /// The rule's severity for this PR, or `None` when off or waived by a condition.
    pub fn severity_for(&self, id: &str, facts: &Facts<'_>) -> Option<Severity> {
        let r = self.rule(id);
        r.severity.filter(|_| r.conditions.applies(facts))
    }

    /// Whether `path` is a runbook by the configured globs.
    pub fn is_runbook(&self, path: &str) -> bool {
        self.runbook_paths.is_match(path)
    }

    /// The kind `runbook.kinds` gives `path`: the first matching glob's, `None`
    /// when no glob matches or it says `auto` (then the page's front matter or
    /// content decides).
    ///
    /// Asked of every runbook linted, and most paths match no glob: a plain
    /// `is_match` says so before the search for every glob that matches (globset's
    /// overlapping search, about twice its cost, and a `Vec`).
    pub fn runbook_kind(&self, path: &str) -> Option<RunbookKind> {
        let compiled = self.runbook_kinds.as_ref()?;
        let path = globset::Candidate::new(path);
        if !compiled.globs.is_match_candidate(&path) {
            return None;
        }
        let first = compiled.globs.matches_candidate(&path).into_iter().min()?;
        compiled.kinds.get(first).copied().flatten()
    }

    /// This configuration with every rule off except `id` (for per-rule fixtures).
    pub fn only_rule(mut self, id: &str) -> Self {
        for (rid, settings) in &mut self.rules {
            if *rid != id {
                settings.severity = None;
            }
        }
        if let Some(s) = self.rules.get_mut(id) {
            s.severity.get_or_insert(Severity::Error);
        }
        self.custom.clear();
        self
    }
}

/// Compile the merged layers.
pub(super) fn compile(raw: RawConfig) -> Result<CompiledConfig, ConfigError> {
    let mut rules_map: HashMap<&'static str, RuleSettings, foldhash::fast::RandomState> =
        HashMap::default();
    for (id, rule) in &raw.rules {
        let Some(builtin) = rules::find(&id.value) else {
            let hint = did_you_mean(&id.value, rules::RULES.iter().map(|r| r.meta().id))
                .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"));
            return Err(ConfigError::new(
                id.pos.clone(),
                format!(
                    "unknown rule \"{}\"{hint} (`lint-pr rules` lists them)",
                    id.value
                ),
            ));
        };
        let meta = builtin.meta();
        if meta.applies_to == AppliesTo::Config {
            return Err(ConfigError::new(
                id.pos.clone(),
                format!(
                    "\"{}\" cannot be configured: an unusable configuration is never ignored",
                    meta.id
                ),
            ));
        }
        rules_map.insert(meta.id, compile_rule(meta, rule)?);
    }
    let runbook_globs: Vec<At<String>> = raw.runbook.paths.clone().unwrap_or_else(|| {
        DEFAULT_RUNBOOK_PATHS
            .iter()
            .map(|p| At {
                value: (*p).to_string(),
                pos: super::error::Pos {
                    file: "<default>".into(),
                    line: 1,
                    column: 1,
                },
            })
            .collect()
    });
    let description_sections =
        compile_sections(raw.description.sections.as_deref().unwrap_or(&[]))?;
    let runbook_sections = compile_sections(raw.runbook.sections.as_deref().unwrap_or(&[]))?;
    let custom = raw
        .custom
        .iter()
        .map(|c| {
            compile_custom(
                c,
                raw.description.sections.as_deref().unwrap_or(&[]),
                raw.runbook.sections.as_deref().unwrap_or(&[]),
            )
        })
        .collect::<Result<_, _>>()?;
    let runbook_kinds = compile_kinds(raw.runbook.kinds.as_deref().unwrap_or(&[]))?;
    Ok(CompiledConfig {
        mode: raw.mode.map(|m| m.value).unwrap_or_default(),
        drafts: raw.drafts.map(|d| d.value).unwrap_or_default(),
        rules: rules_map,
        description_sections,
        runbook_sections,
        runbook_paths: globset(&runbook_globs)?,
        runbook_globs: runbook_globs.into_iter().map(|g| g.value).collect(),
        runbook_kinds,
        custom,
        notes: Vec::new(),
    })
}

fn compile_kinds(kinds: &[RawKind]) -> Result<Option<Box<RunbookKinds>>, ConfigError> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let globs: Vec<At<String>> = kinds.iter().map(|k| k.glob.clone()).collect();
    Ok(Some(Box::new(RunbookKinds {
        globs: globset(&globs)?,
        kinds: kinds.iter().map(|k| k.kind).collect(),
    })))
}

fn compile_rule(meta: &RuleMeta, rule: &RawRule) -> Result<RuleSettings, ConfigError> {
    let mut options = Options::default();
    for option in &rule.options {
        let Some(decl) = meta.options.iter().find(|d| d.name == option.key.value) else {
            return Err(not_an_option(meta, option));
        };
        options.set(decl, compile_option(decl, option)?);
    }
    Ok(RuleSettings {
        severity: level(rule.severity.as_ref(), Some(Severity::Error)),
        conditions: compile_conditions(&rule.conditions)?,
        options,
    })
}

/// An option another rule has, given to a rule that has not.
fn not_an_option(meta: &RuleMeta, option: &RawOption) -> ConfigError {
    let pos = match &option.value {
        RawOptionValue::Strings(v) => v.first().map(|v| v.pos.clone()),
        RawOptionValue::Flag(b) => Some(b.pos.clone()),
    }
    .unwrap_or_else(|| option.key.pos.clone());
    let names: Vec<&str> = meta.options.iter().map(|d| d.name).collect();
    let expected = if names.is_empty() {
        "it takes only severity, when and unless".to_string()
    } else {
        format!("it takes severity, when, unless and {}", names.join(", "))
    };
    ConfigError::new(
        pos,
        format!(
            "rule \"{}\" has no option `{}`; {expected}",
            meta.id, option.key.value
        ),
    )
}

/// Build the value a rule reads from what the file says (the decoder already
/// checked the YAML type against the same declaration).
fn compile_option(decl: &OptionDecl, option: &RawOption) -> Result<OptionValue, ConfigError> {
    Ok(match (decl.kind, &option.value) {
        (OptionKind::Headings, RawOptionValue::Strings(list)) => {
            OptionValue::Headings(Box::new(match list.as_slice() {
                [first, rest @ ..] => {
                    HeadingMatcher::new(&first.value, rest.iter().map(|a| a.value.as_str()))
                }
                [] => HeadingMatcher::EMPTY,
            }))
        }
        (OptionKind::Regexes, RawOptionValue::Strings(list)) => {
            OptionValue::Regexes(list.iter().map(regex).collect::<Result<_, _>>()?)
        }
        (OptionKind::Flag, RawOptionValue::Flag(b)) => OptionValue::Flag(b.value),
        _ => {
            return Err(ConfigError::new(
                option.key.pos.clone(),
                format!("expected `{}` to be {}", decl.name, decl.kind.as_str()),
            ));
        }
    })
}

/// A rule listed without a severity is on at `default`.
fn level(l: Option<&At<Level>>, default: Level) -> Level {
    l.map_or(default, |l| l.value)
}

fn compile_sections(sections: &[RawSection]) -> Result<Vec<SectionRequirement>, ConfigError> {
    sections
        .iter()
        .filter(|s| s.enabled != Some(false))
        .map(|s| {
            Ok(SectionRequirement {
                matcher: HeadingMatcher::new(
                    &s.name.value,
                    s.aliases.iter().flatten().map(|a| a.value.as_str()),
                ),
                severity: s.severity.as_ref().map(|l| l.value),
                conditions: compile_conditions(&s.conditions)?,
            })
        })
        .collect()
}

fn compile_custom(
    c: &RawCustom,
    desc: &[RawSection],
    runbook: &[RawSection],
) -> Result<CustomRule, ConfigError> {
    let id = c.id.value.strip_prefix("custom/").unwrap_or(&c.id.value);
    if id.is_empty()
        || !id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
    {
        return Err(ConfigError::new(
            c.id.pos.clone(),
            format!(
                "custom rule id \"{}\" must be lowercase letters, digits and hyphens (it is reported as custom/<id>)",
                c.id.value
            ),
        ));
    }
    let target = match c.target.as_ref().map(|t| t.value) {
        Some(DocKind::Runbook) => CustomTarget::Runbook,
        Some(DocKind::Title) => CustomTarget::Title,
        Some(DocKind::Description) | None => CustomTarget::Description,
    };
    if let (CustomTarget::Title, Some(s)) = (target, &c.section) {
        return Err(ConfigError::new(
            s.pos.clone(),
            "a custom rule `in: title` cannot name a `section`: a title has none",
        ));
    }
    // A section named like a required one inherits that section's aliases.
    let section = c.section.as_ref().map(|s| {
        let known = if target == CustomTarget::Runbook {
            runbook
        } else {
            desc
        };
        let key = crate::markdown::normalize_heading(&s.value);
        let inherited = known
            .iter()
            .find(|k| crate::markdown::normalize_heading(&k.name.value) == key);
        let aliases = inherited
            .and_then(|k| k.aliases.as_ref())
            .into_iter()
            .flatten()
            .chain(c.aliases.iter().flatten())
            .map(|a| a.value.as_str());
        HeadingMatcher::new(&s.value, aliases)
    });
    let has_check = c.must_match.is_some()
        || c.must_not_match.is_some()
        || c.must_contain.as_ref().is_some_and(|v| !v.is_empty())
        || c.min_words.is_some();
    if !has_check {
        return Err(ConfigError::new(
            c.id.pos.clone(),
            format!(
                "custom rule \"{id}\" checks nothing; expected at least one of must_match, must_not_match, must_contain, min_words"
            ),
        ));
    }
    Ok(CustomRule {
        id: format!("custom/{id}"),
        target,
        section,
        severity: level(c.severity.as_ref(), Some(Severity::Error)),
        message: c.message.as_ref().map(|m| m.value.clone()),
        help: c.help.as_ref().map(|m| m.value.clone()),
        must_match: c.must_match.as_ref().map(regex).transpose()?,
        must_not_match: c.must_not_match.as_ref().map(regex).transpose()?,
        must_contain: c.must_contain.iter().flatten().map(|a| a.value).collect(),
        min_words: c.min_words.as_ref().map(|m| m.value),
        conditions: compile_conditions(&c.conditions)?,
    })
}

fn compile_conditions(c: &RawConditions) -> Result<Conditions, ConfigError> {
    Ok(Conditions {
        changed: c.changed.as_deref().map(globset).transpose()?,
        only_changed: c.only_changed.as_deref().map(globset).transpose()?,
        authors: c
            .authors
            .as_deref()
            .map(|a| globset(&literal_brackets(a)))
            .transpose()?,
        labels: c.labels.iter().flatten().map(|l| l.value.clone()).collect(),
    })
}

/// Logins never contain `[` or `]` except in GitHub's `name[bot]` suffix, which
/// people write as-is (`*[bot]`); in glob syntax that would be a character class.
fn literal_brackets(globs: &[At<String>]) -> Vec<At<String>> {
    globs
        .iter()
        .map(|g| At {
            value: g
                .value
                .replace('[', "\u{0}")
                .replace(']', "[]]")
                .replace('\u{0}', "[[]"),
            pos: g.pos.clone(),
        })
        .collect()
}

fn regex(pattern: &At<String>) -> Result<Regex, ConfigError> {
    RegexBuilder::new(&pattern.value)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            let detail = match e {
                regex::Error::CompiledTooBig(_) => {
                    format!("compiles to more than {REGEX_SIZE_LIMIT} bytes; simplify it")
                }
                other => {
                    let text = other.to_string();
                    let last = text.lines().last().unwrap_or("").trim();
                    last.strip_prefix("error: ").unwrap_or(last).to_string()
                }
            };
            ConfigError::new(
                pattern.pos.clone(),
                format!("invalid regex \"{}\": {detail}", pattern.value),
            )
        })
}

/// Globs match repository paths: `*` stays within one directory, `**` crosses them.
fn globset(globs: &[At<String>]) -> Result<GlobSet, ConfigError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = GlobBuilder::new(&g.value)
            .literal_separator(true)
            .build()
            .map_err(|e| {
                ConfigError::new(
                    g.pos.clone(),
                    format!("invalid glob \"{}\": {}", g.value, e.kind()),
                )
            })?;
        b.add(glob);
    }
    b.build().map_err(|e| {
        let pos = globs
            .first()
            .map(|g| g.pos.clone())
            .unwrap_or(super::error::Pos {
                file: String::new(),
                line: 1,
                column: 1,
            });
        ConfigError::new(pos, format!("invalid glob set: {e}"))
    })
}
