//! One configuration file, decoded exactly as written: every key optional, every
//! value that can be wrong later (a regex, a glob, a rule id) kept with its position.
//!
//! The fixed top-level keys (SPEC "Configuration") are `extends`, `mode`, `rules`,
//! `description`, `runbook`; we add `custom` for rules written in YAML and `drafts`
//! (what a draft PR concludes). Unknown keys are errors, with a "did you mean" when
//! one is close.

use super::error::{ConfigError, Pos, did_you_mean};
use super::yaml::{Key, Node, Value};
use crate::rules::options::{OptionDecl, OptionKind};
use crate::rules::runbook::RunbookKind;
use crate::rules::{self, RULES};
use crate::types::{Drafts, Mode, Severity};

/// A value and where it was written.
#[derive(Debug, Clone)]
pub(crate) struct At<T> {
    pub(crate) value: T,
    pub(crate) pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawConfig {
    pub(crate) extends: Option<At<String>>,
    pub(crate) mode: Option<At<Mode>>,
    /// `drafts: neutral | lint`.
    pub(crate) drafts: Option<At<Drafts>>,
    /// Per rule id, in file order.
    pub(crate) rules: Vec<(At<String>, RawRule)>,
    pub(crate) description: RawDocSettings,
    pub(crate) runbook: RawDocSettings,
    pub(crate) custom: Vec<RawCustom>,
}

/// `description:` or `runbook:`. `paths` and `kinds` only exist under `runbook:`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawDocSettings {
    pub(crate) sections: Option<Vec<RawSection>>,
    pub(crate) paths: Option<Vec<At<String>>>,
    pub(crate) kinds: Option<Vec<RawKind>>,
}

/// One `runbook.kinds` entry: a path glob and the kind of the runbooks it matches
/// (`None` for `auto`: judged by content).
#[derive(Debug, Clone)]
pub(crate) struct RawKind {
    pub(crate) glob: At<String>,
    pub(crate) kind: Option<RunbookKind>,
}

/// `off` or a severity.
pub(crate) type Level = Option<Severity>;

#[derive(Debug, Clone, Default)]
pub(crate) struct RawRule {
    pub(crate) severity: Option<At<Level>>,
    pub(crate) conditions: RawConditions,
    /// The rule's own options (declared by each rule, `rules::options`), in file order.
    pub(crate) options: Vec<RawOption>,
}

/// One rule option as written; typed by the declaration its key names.
#[derive(Debug, Clone)]
pub(crate) struct RawOption {
    pub(crate) key: At<String>,
    pub(crate) value: RawOptionValue,
}

#[derive(Debug, Clone)]
pub(crate) enum RawOptionValue {
    /// Headings or regexes.
    Strings(Vec<At<String>>),
    Flag(At<bool>),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RawConditions {
    /// `when: {changed: [...]}`: applies only if a changed path matches.
    pub(crate) changed: Option<Vec<At<String>>>,
    /// `unless: {only_changed: [...]}`: waived when every changed path matches.
    pub(crate) only_changed: Option<Vec<At<String>>>,
    /// `unless: {authors: [...]}`: waived for these authors (globs, e.g. `*[bot]`).
    pub(crate) authors: Option<Vec<At<String>>>,
    /// `unless: {labels: [...]}`: waived when the PR carries one of these labels.
    pub(crate) labels: Option<Vec<At<String>>>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    pub(crate) name: At<String>,
    pub(crate) aliases: Option<Vec<At<String>>>,
    pub(crate) enabled: Option<bool>,
    pub(crate) severity: Option<At<Level>>,
    pub(crate) conditions: RawConditions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocKind {
    Title,
    Description,
    Runbook,
}

pub(crate) use crate::rules::custom::CustomContain as Contain;

#[derive(Debug, Clone)]
pub(crate) struct RawCustom {
    pub(crate) id: At<String>,
    pub(crate) target: Option<At<DocKind>>,
    pub(crate) section: Option<At<String>>,
    pub(crate) aliases: Option<Vec<At<String>>>,
    pub(crate) severity: Option<At<Level>>,
    pub(crate) message: Option<At<String>>,
    pub(crate) help: Option<At<String>>,
    pub(crate) must_match: Option<At<String>>,
    pub(crate) must_not_match: Option<At<String>>,
    pub(crate) must_contain: Option<Vec<At<Contain>>>,
    pub(crate) min_words: Option<At<u64>>,
    pub(crate) conditions: RawConditions,
}

/// Decoding state: the file name for positions.
struct Cx<'a> {
    file: &'a str,
}

impl Cx<'_> {
    fn err(&self, node: &Node, msg: impl Into<String>) -> ConfigError {
        ConfigError::new(node.pos(self.file), msg)
    }

    fn map<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [(Key, Node)], ConfigError> {
        match &node.value {
            Value::Map(entries) => Ok(entries),
            Value::Null => Ok(&[]),
            _ => Err(self.err(
                node,
                format!("expected {what} (a mapping), found {}", node.type_name()),
            )),
        }
    }

    fn unknown(&self, key: &Key, known: &[&str], what: &str) -> ConfigError {
        let hint = match did_you_mean(&key.name, known.iter().copied()) {
            Some(s) => format!("; did you mean \"{s}\"?"),
            None => format!("; expected one of: {}", known.join(", ")),
        };
        ConfigError::new(
            key.pos(self.file),
            format!("unknown key \"{}\" in {what}{hint}", key.name),
        )
    }

    fn string(&self, node: &Node, what: &str) -> Result<At<String>, ConfigError> {
        match &node.value {
            Value::Str(s) => Ok(At {
                value: s.clone(),
                pos: node.pos(self.file),
            }),
            Value::Int(i) => Ok(At {
                value: i.to_string(),
                pos: node.pos(self.file),
            }),
            _ => Err(self.err(
                node,
                format!("expected {what} (a string), found {}", node.type_name()),
            )),
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    fn strings(&self, node: &Node, what: &str) -> Result<Vec<At<String>>, ConfigError> {
        match &node.value {
            Value::Seq(items) => items.iter().map(|n| self.string(n, what)).collect(),
            Value::Str(_) => Ok(vec![self.string(node, what)?]),
            Value::Null => Ok(Vec::new()),
            _ => Err(self.err(
                node,
                format!("expected a list of {what}, found {}", node.type_name()),
            )),
        }
    }

    fn boolean(&self, node: &Node, what: &str) -> Result<bool, ConfigError> {
        match node.value {
            Value::Bool(b) => Ok(b),
            _ => Err(self.err(
                node,
                format!(
                    "expected {what} (true or false), found {}",
                    node.type_name()
                ),
            )),
        }
    }

    fn level(&self, node: &Node) -> Result<At<Level>, ConfigError> {
        let value = match &node.value {
            Value::Str(s) => match s.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "notice" => Some(Severity::Notice),
                "off" => None,
                other => {
                    let hint = did_you_mean(other, ["error", "warning", "notice", "off"])
                        .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"));
                    return Err(self.err(
                        node,
                        format!("unknown severity \"{other}\"; expected error, warning, notice or off{hint}"),
                    ));
                }
            },
            // YAML 1.1 habit: `off` unquoted is a string in YAML 1.2, but `false` is not.
            Value::Bool(false) => None,
            _ => {
                return Err(self.err(
                    node,
                    format!(
                        "expected a severity (error, warning, notice or off), found {}",
                        node.type_name()
                    ),
                ));
            }
        };
        Ok(At {
            value,
            pos: node.pos(self.file),
        })
    }
}

const TOP_KEYS: &[&str] = &[
    "extends",
    "mode",
    "drafts",
    "rules",
    "description",
    "runbook",
    "custom",
];

/// Decode one parsed file.
pub(crate) fn decode(root: &Node, file: &str) -> Result<RawConfig, ConfigError> {
    let cx = Cx { file };
    let mut raw = RawConfig::default();
    for (key, value) in cx.map(root, "a configuration")? {
        match key.name.as_str() {
            "extends" => {
                raw.extends = Some(cx.string(value, "a preset name, `org`, or a file path")?)
            }
            "mode" => {
                let s = cx.string(value, "a mode")?;
                let mode = match s.value.as_str() {
                    "enforcing" => Mode::Enforcing,
                    "advisory" => Mode::Advisory,
                    other => {
                        return Err(cx.err(
                            value,
                            format!("unknown mode \"{other}\"; expected enforcing or advisory"),
                        ));
                    }
                };
                raw.mode = Some(At {
                    value: mode,
                    pos: s.pos,
                });
            }
            "drafts" => raw.drafts = Some(decode_drafts(&cx, value)?),
            "rules" => {
                for (id, entry) in cx.map(value, "rules by id")? {
                    raw.rules.push((
                        At {
                            value: id.name.clone(),
                            pos: id.pos(file),
                        },
                        decode_rule(&cx, &id.name, entry)?,
                    ));
                }
            }
            "description" => {
                raw.description = decode_doc(&cx, value, "description", &["sections"])?
            }
            "runbook" => {
                raw.runbook = decode_doc(&cx, value, "runbook", &["paths", "kinds", "sections"])?
            }
            "custom" => {
                let Value::Seq(items) = &value.value else {
                    return Err(cx.err(
                        value,
                        format!(
                            "expected `custom` to be a list of rules, found {}",
                            value.type_name()
                        ),
                    ));
                };
                raw.custom = items
                    .iter()
                    .map(|n| decode_custom(&cx, n))
                    .collect::<Result<_, _>>()?;
            }
            _ => return Err(cx.unknown(key, TOP_KEYS, "the configuration")),
        }
    }
    Ok(raw)
}

/// The keys every rule takes, before its own options.
const RULE_KEYS: &[&str] = &["severity", "when", "unless"];

fn decode_rule(cx: &Cx<'_>, id: &str, node: &Node) -> Result<RawRule, ConfigError> {
    let mut rule = RawRule::default();
    if !matches!(node.value, Value::Map(_)) {
        rule.severity = Some(cx.level(node)?);
        return Ok(rule);
    }
    for (key, value) in cx.map(node, "a rule")? {
        match key.name.as_str() {
            "severity" => rule.severity = Some(cx.level(value)?),
            "when" => decode_when(cx, value, &mut rule.conditions)?,
            "unless" => decode_unless(cx, value, &mut rule.conditions)?,
            name => {
                // The rule's own declaration types the value; an option only another
                // rule has is decoded by that one's, so compiling can say whose it is.
                let Some(decl) = option_decl(id, name) else {
                    let mut known: Vec<&str> = RULE_KEYS.to_vec();
                    known.extend(all_option_names());
                    return Err(cx.unknown(key, &known, "a rule"));
                };
                rule.options.push(RawOption {
                    key: At {
                        value: name.to_string(),
                        pos: key.pos(cx.file),
                    },
                    value: decode_option(cx, decl, value)?,
                });
            }
        }
    }
    Ok(rule)
}

/// The declaration of option `name`: the rule's own, else any rule's.
fn option_decl(id: &str, name: &str) -> Option<&'static OptionDecl> {
    let own = rules::find(id).and_then(|r| r.meta().options.iter().find(|d| d.name == name));
    own.or_else(|| {
        RULES
            .iter()
            .flat_map(|r| r.meta().options)
            .find(|d| d.name == name)
    })
}

/// Every option name some rule declares, each once, in registry order.
fn all_option_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for decl in RULES.iter().flat_map(|r| r.meta().options) {
        if !names.contains(&decl.name) {
            names.push(decl.name);
        }
    }
    names
}

fn decode_option(
    cx: &Cx<'_>,
    decl: &OptionDecl,
    node: &Node,
) -> Result<RawOptionValue, ConfigError> {
    Ok(match decl.kind {
        OptionKind::Headings | OptionKind::Regexes => {
            RawOptionValue::Strings(cx.strings(node, decl.items)?)
        }
        OptionKind::Flag => RawOptionValue::Flag(At {
            value: cx.boolean(node, &format!("`{}`", decl.name))?,
            pos: node.pos(cx.file),
        }),
    })
}

/// `drafts: neutral | lint`.
fn decode_drafts(cx: &Cx<'_>, node: &Node) -> Result<At<Drafts>, ConfigError> {
    let s = cx.string(node, "`neutral` or `lint`")?;
    let value = match s.value.as_str() {
        "neutral" => Drafts::Neutral,
        "lint" => Drafts::Lint,
        other => {
            let hint = did_you_mean(other, ["neutral", "lint"])
                .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"));
            return Err(cx.err(
                node,
                format!("unknown `drafts` value \"{other}\"; expected neutral (a draft's errors conclude neutral) or lint (a draft is concluded like any PR){hint}"),
            ));
        }
    };
    Ok(At { value, pos: s.pos })
}

/// `runbook.kinds`: a mapping from path glob to kind, in file order.
fn decode_kinds(cx: &Cx<'_>, node: &Node) -> Result<Vec<RawKind>, ConfigError> {
    let mut out = Vec::new();
    for (key, value) in cx.map(node, "`runbook.kinds` (path glob: kind)")? {
        let name = cx.string(value, "a runbook kind")?;
        let kind = match name.value.as_str() {
            "auto" => None,
            other => match RunbookKind::parse(other) {
                Some(kind) => Some(kind),
                None => {
                    let names = RunbookKind::NAMES.iter().copied().chain(["auto"]);
                    let hint = did_you_mean(other, names)
                        .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"));
                    return Err(ConfigError::new(
                        name.pos,
                        format!(
                            "unknown runbook kind \"{other}\" for \"{}\"; expected {} or auto{hint}",
                            key.name,
                            RunbookKind::NAMES.join(", ")
                        ),
                    ));
                }
            },
        };
        out.push(RawKind {
            glob: At {
                value: key.name.clone(),
                pos: key.pos(cx.file),
            },
            kind,
        });
    }
    Ok(out)
}

fn decode_when(cx: &Cx<'_>, node: &Node, out: &mut RawConditions) -> Result<(), ConfigError> {
    for (key, value) in cx.map(node, "`when` conditions")? {
        match key.name.as_str() {
            "changed" => out.changed = Some(cx.strings(value, "path globs")?),
            _ => return Err(cx.unknown(key, &["changed"], "`when`")),
        }
    }
    Ok(())
}

fn decode_unless(cx: &Cx<'_>, node: &Node, out: &mut RawConditions) -> Result<(), ConfigError> {
    const KEYS: &[&str] = &["only_changed", "authors", "labels"];
    for (key, value) in cx.map(node, "`unless` conditions")? {
        match key.name.as_str() {
            "only_changed" => out.only_changed = Some(cx.strings(value, "path globs")?),
            "authors" => out.authors = Some(cx.strings(value, "author logins or globs")?),
            "labels" => out.labels = Some(cx.strings(value, "label names")?),
            _ => return Err(cx.unknown(key, KEYS, "`unless`")),
        }
    }
    Ok(())
}

fn decode_doc(
    cx: &Cx<'_>,
    node: &Node,
    what: &str,
    keys: &[&str],
) -> Result<RawDocSettings, ConfigError> {
    let mut out = RawDocSettings::default();
    for (key, value) in cx.map(node, what)? {
        match key.name.as_str() {
            "sections" if keys.contains(&"sections") => {
                let Value::Seq(items) = &value.value else {
                    return Err(cx.err(
                        value,
                        format!("expected a list of sections, found {}", value.type_name()),
                    ));
                };
                out.sections = Some(
                    items
                        .iter()
                        .map(|n| decode_section(cx, n))
                        .collect::<Result<_, _>>()?,
                );
            }
            "paths" if keys.contains(&"paths") => {
                out.paths = Some(cx.strings(value, "path globs")?)
            }
            "kinds" if keys.contains(&"kinds") => out.kinds = Some(decode_kinds(cx, value)?),
            _ => return Err(cx.unknown(key, keys, &format!("`{what}`"))),
        }
    }
    Ok(out)
}

const SECTION_KEYS: &[&str] = &["name", "aliases", "enabled", "severity", "when", "unless"];

fn decode_section(cx: &Cx<'_>, node: &Node) -> Result<RawSection, ConfigError> {
    // `- Why` is shorthand for `- name: Why`.
    if let Value::Str(_) = node.value {
        return Ok(RawSection {
            name: cx.string(node, "a section name")?,
            aliases: None,
            enabled: None,
            severity: None,
            conditions: RawConditions::default(),
        });
    }
    let mut name = None;
    let mut section = RawSection {
        name: At {
            value: String::new(),
            pos: node.pos(cx.file),
        },
        aliases: None,
        enabled: None,
        severity: None,
        conditions: RawConditions::default(),
    };
    for (key, value) in cx.map(node, "a section")? {
        match key.name.as_str() {
            "name" => name = Some(cx.string(value, "a section name")?),
            "aliases" => section.aliases = Some(cx.strings(value, "aliases")?),
            "enabled" => section.enabled = Some(cx.boolean(value, "`enabled`")?),
            "severity" => section.severity = Some(cx.level(value)?),
            "when" => decode_when(cx, value, &mut section.conditions)?,
            "unless" => decode_unless(cx, value, &mut section.conditions)?,
            _ => return Err(cx.unknown(key, SECTION_KEYS, "a section")),
        }
    }
    section.name = name.ok_or_else(|| cx.err(node, "a section needs a `name`"))?;
    if section.name.value.trim().is_empty() {
        return Err(ConfigError::new(
            section.name.pos.clone(),
            "a section name cannot be empty",
        ));
    }
    Ok(section)
}

const CUSTOM_KEYS: &[&str] = &[
    "id",
    "in",
    "section",
    "aliases",
    "severity",
    "message",
    "help",
    "must_match",
    "must_not_match",
    "must_contain",
    "min_words",
    "when",
    "unless",
];

/// A custom rule's `in:`.
fn decode_target(cx: &Cx<'_>, value: &Node) -> Result<At<DocKind>, ConfigError> {
    let s = cx.string(value, "`title`, `description` or `runbook`")?;
    let kind = match s.value.as_str() {
        "title" => DocKind::Title,
        "description" => DocKind::Description,
        "runbook" => DocKind::Runbook,
        other => {
            return Err(cx.err(
                value,
                format!("unknown target \"{other}\"; expected title, description or runbook"),
            ));
        }
    };
    Ok(At {
        value: kind,
        pos: s.pos,
    })
}

/// A custom rule's `must_contain:` list.
fn decode_contains(cx: &Cx<'_>, value: &Node) -> Result<Vec<At<Contain>>, ConfigError> {
    let mut out = Vec::new();
    for item in cx.strings(value, "things to contain")? {
        let kind = match item.value.as_str() {
            "code_block" | "code" => Contain::CodeBlock,
            "link" => Contain::Link,
            "list_item" | "list" => Contain::ListItem,
            "number" => Contain::Number,
            other => {
                let hint = did_you_mean(other, ["code_block", "link", "list_item", "number"])
                    .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"));
                return Err(ConfigError::new(
                    item.pos,
                    format!(
                        "unknown `must_contain` kind \"{other}\"; expected code_block, link, list_item or number{hint}"
                    ),
                ));
            }
        };
        out.push(At {
            value: kind,
            pos: item.pos,
        });
    }
    Ok(out)
}

/// A custom rule's `min_words:`, a whole number.
fn decode_min_words(cx: &Cx<'_>, value: &Node) -> Result<At<u64>, ConfigError> {
    match value.value {
        Value::Int(n) if n >= 0 => Ok(At {
            value: n.unsigned_abs(),
            pos: value.pos(cx.file),
        }),
        _ => Err(cx.err(
            value,
            format!(
                "expected `min_words` to be a whole number, found {}",
                value.type_name()
            ),
        )),
    }
}

fn decode_custom(cx: &Cx<'_>, node: &Node) -> Result<RawCustom, ConfigError> {
    let mut id = None;
    let mut c = RawCustom {
        id: At {
            value: String::new(),
            pos: node.pos(cx.file),
        },
        target: None,
        section: None,
        aliases: None,
        severity: None,
        message: None,
        help: None,
        must_match: None,
        must_not_match: None,
        must_contain: None,
        min_words: None,
        conditions: RawConditions::default(),
    };
    for (key, value) in cx.map(node, "a custom rule")? {
        match key.name.as_str() {
            "id" => id = Some(cx.string(value, "a rule id")?),
            "in" => c.target = Some(decode_target(cx, value)?),
            "section" => c.section = Some(cx.string(value, "a section name")?),
            "aliases" => c.aliases = Some(cx.strings(value, "aliases")?),
            "severity" => c.severity = Some(cx.level(value)?),
            "message" => c.message = Some(cx.string(value, "a message")?),
            "help" => c.help = Some(cx.string(value, "a help text")?),
            "must_match" => c.must_match = Some(cx.string(value, "a regex")?),
            "must_not_match" => c.must_not_match = Some(cx.string(value, "a regex")?),
            "must_contain" => c.must_contain = Some(decode_contains(cx, value)?),
            "min_words" => c.min_words = Some(decode_min_words(cx, value)?),
            "when" => decode_when(cx, value, &mut c.conditions)?,
            "unless" => decode_unless(cx, value, &mut c.conditions)?,
            _ => return Err(cx.unknown(key, CUSTOM_KEYS, "a custom rule")),
        }
    }
    c.id = id.ok_or_else(|| cx.err(node, "a custom rule needs an `id`"))?;
    Ok(c)
}
