//! The merged configuration compiled into what rules read: glob sets, regexes,
//! heading matchers and per-rule severities. Every compile error keeps the position
//! of the YAML value it came from.

use std::collections::HashMap;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::{Regex, RegexBuilder};

use super::error::{ConfigError, did_you_mean};
use super::raw::{
    At, Contain, DocKind, Level, RawConditions, RawConfig, RawCustom, RawRule, RawSection,
};
use crate::markdown::HeadingMatcher;
use crate::rules::{self, AppliesTo, Facts, Mode, Severity};

/// Compiled regexes may use at most this much memory (hostile configs stay small).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Runbook globs used when no configuration names any.
pub const DEFAULT_RUNBOOK_PATHS: &[&str] =
    &["runbooks/**/*.md", "**/runbook*.md", "docs/runbooks/**"];

/// Conditions that decide whether a rule or a section applies to this PR.
#[derive(Debug, Clone, Default)]
pub struct Conditions {
    changed: Option<GlobSet>,
    only_changed: Option<GlobSet>,
    authors: Option<GlobSet>,
    labels: Vec<String>,
}

impl Conditions {
    /// Whether the rule or section applies, given what is known about the PR.
    /// Unknown or empty changed paths waive nothing (SPEC).
    pub fn applies(&self, facts: &Facts<'_>) -> bool {
        let paths = facts.changed_paths.filter(|p| !p.is_empty());
        if let (Some(globs), Some(paths)) = (&self.changed, paths)
            && !paths.iter().any(|p| globs.is_match(p))
        {
            return false;
        }
        if let (Some(globs), Some(paths)) = (&self.only_changed, paths)
            && paths.iter().all(|p| globs.is_match(p))
        {
            return false;
        }
        if let (Some(globs), Some(author)) = (&self.authors, facts.author)
            && globs.is_match(author)
        {
            return false;
        }
        !facts
            .labels
            .iter()
            .any(|l| self.labels.iter().any(|w| w.eq_ignore_ascii_case(l)))
    }
}

/// How one built-in rule is configured.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    /// `None` when the rule is off.
    pub severity: Option<Severity>,
    pub conditions: Conditions,
    /// Headings naming the rule's section (`names:`).
    pub names: HeadingMatcher,
    /// Sections the rule looks in (`sections:`).
    pub sections: HeadingMatcher,
    /// Placeholder regexes (`placeholders:`).
    pub placeholders: Vec<Regex>,
}

/// A section required in a description or runbook.
#[derive(Debug, Clone)]
pub struct SectionRequirement {
    pub matcher: HeadingMatcher,
    /// Overrides the rule's severity for this section; `Some(None)` turns it off.
    pub severity: Option<Option<Severity>>,
    pub conditions: Conditions,
}

/// A rule written in YAML (`custom:`).
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
    pub must_contain: Vec<Contain>,
    pub min_words: Option<u64>,
    pub conditions: Conditions,
}

pub use super::raw::Contain as CustomContain;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomTarget {
    Title,
    Description,
    Runbook,
}

/// Everything the rules read. Built only by [`super::Chain::compile`].
#[derive(Debug, Clone)]
pub struct CompiledConfig {
    pub mode: Mode,
    /// Looked up for every rule of every document: foldhash, not SipHash (the keys
    /// are our own rule ids).
    rules: HashMap<&'static str, RuleSettings, foldhash::fast::RandomState>,
    pub description_sections: Vec<SectionRequirement>,
    pub runbook_sections: Vec<SectionRequirement>,
    runbook_paths: GlobSet,
    /// The runbook globs as written, for messages and `lint-pr init`.
    pub runbook_globs: Vec<String>,
    pub custom: Vec<CustomRule>,
    /// Things the user should know about how this configuration was found
    /// (e.g. "cannot see the org's file"); the CLI prints each in one line.
    pub notes: Vec<String>,
}

static OFF: RuleSettings = RuleSettings {
    severity: None,
    conditions: Conditions {
        changed: None,
        only_changed: None,
        authors: None,
        labels: Vec::new(),
    },
    names: HeadingMatcher::EMPTY,
    sections: HeadingMatcher::EMPTY,
    placeholders: Vec::new(),
};

impl CompiledConfig {
    /// No rules at all.
    pub(crate) fn empty() -> Self {
        CompiledConfig {
            mode: Mode::default(),
            rules: HashMap::default(),
            description_sections: Vec::new(),
            runbook_sections: Vec::new(),
            runbook_paths: GlobSet::empty(),
            runbook_globs: Vec::new(),
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
        check_options(meta.id, rule)?;
        rules_map.insert(meta.id, compile_rule(rule)?);
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
    Ok(CompiledConfig {
        mode: raw.mode.map(|m| m.value).unwrap_or_default(),
        rules: rules_map,
        description_sections,
        runbook_sections,
        runbook_paths: globset(&runbook_globs)?,
        runbook_globs: runbook_globs.into_iter().map(|g| g.value).collect(),
        custom,
        notes: Vec::new(),
    })
}

/// Which options each rule understands (beyond severity/when/unless).
fn allowed_options(id: &str) -> &'static [&'static str] {
    match id {
        "runbook/triage-first" | "runbook/escalation-without-threshold" => &["names"],
        "runbook/step-without-command" | "runbook/step-without-interpretation" => &["sections"],
        "pr/empty-section" => &["placeholders"],
        _ => &[],
    }
}

fn check_options(id: &str, rule: &RawRule) -> Result<(), ConfigError> {
    let allowed = allowed_options(id);
    let given = [
        ("names", rule.names.as_ref()),
        ("sections", rule.sections.as_ref()),
        ("placeholders", rule.placeholders.as_ref()),
    ];
    for (name, value) in given {
        let Some(value) = value else { continue };
        if allowed.contains(&name) {
            continue;
        }
        let pos = value
            .first()
            .map(|v| v.pos.clone())
            .unwrap_or_else(|| rule_pos(rule));
        let expected = if allowed.is_empty() {
            "it takes only severity, when and unless".to_string()
        } else {
            format!("it takes severity, when, unless and {}", allowed.join(", "))
        };
        return Err(ConfigError::new(
            pos,
            format!("rule \"{id}\" has no option `{name}`; {expected}"),
        ));
    }
    Ok(())
}

fn rule_pos(rule: &RawRule) -> super::error::Pos {
    rule.severity
        .as_ref()
        .map(|s| s.pos.clone())
        .unwrap_or(super::error::Pos {
            file: String::new(),
            line: 1,
            column: 1,
        })
}

fn compile_rule(rule: &RawRule) -> Result<RuleSettings, ConfigError> {
    let list = |v: &Option<Vec<At<String>>>| -> HeadingMatcher {
        match v.as_deref() {
            Some([first, rest @ ..]) => {
                HeadingMatcher::new(&first.value, rest.iter().map(|a| a.value.as_str()))
            }
            _ => HeadingMatcher::EMPTY,
        }
    };
    Ok(RuleSettings {
        severity: level(rule.severity.as_ref(), Some(Severity::Error)),
        conditions: compile_conditions(&rule.conditions)?,
        names: list(&rule.names),
        sections: list(&rule.sections),
        placeholders: rule
            .placeholders
            .iter()
            .flatten()
            .map(regex)
            .collect::<Result<_, _>>()?,
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
