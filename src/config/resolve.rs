//! `extends`: from the most specific file down to a built-in preset, then merged
//! base-first so that later (more specific) files win key by key.
//!
//! The chain is resolved step by step ([`Chain::pending`] says what to read next);
//! `driver.rs` is the one loop that reads what it asks for, from disk (the CLI) or
//! from GitHub (the App), with the same loop and depth checks.

use super::CompiledConfig;
use super::error::{ConfigError, Pos, did_you_mean};
use super::presets;
use super::raw::{self, At, RawConditions, RawConfig, RawCustom, RawRule, RawSection};
use super::yaml;
use crate::markdown::normalize_heading;

/// More layers than this (including the built-in preset at the end) is an error.
pub const MAX_DEPTH: usize = 10;

/// Where the configuration lives, in a repository and in the org's `.github`.
pub const CONFIG_PATH: &str = ".github/lint-pr.yml";

/// Where a configuration layer came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Built in, from the top-level `rules/` folder.
    Preset,
    /// A file on this machine (the CLI).
    Local,
    /// A file in the repository being checked (the server, at the base SHA).
    Repo,
    /// A file in the organisation's `.github` repository.
    Org,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub scope: Scope,
    /// A preset's name, or the file's path (relative to its repository, or as given).
    pub path: String,
}

impl Source {
    pub fn new(scope: Scope, path: impl Into<String>) -> Self {
        Source {
            scope,
            path: path.into(),
        }
    }

    /// The organisation's file: what `extends: org` reads.
    pub fn org() -> Self {
        Source::new(Scope::Org, CONFIG_PATH)
    }

    /// How errors name this file.
    pub fn display(&self) -> String {
        match self.scope {
            Scope::Preset => format!("rules/{}.yml", self.path),
            Scope::Local | Scope::Repo => self.path.clone(),
            Scope::Org => format!("<org>/.github:{}", self.path),
        }
    }
}

/// What the chain needs read next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// `extends: org`: the organisation's `.github/lint-pr.yml`.
    Org,
    /// `extends: path`, resolved against the extending file's directory, in its scope.
    File(Source),
}

/// A chain of configuration layers, most specific first.
#[derive(Debug)]
pub struct Chain {
    layers: Vec<(Source, RawConfig)>,
    notes: Vec<String>,
}

impl Chain {
    /// Start from one file's text.
    pub fn start(source: Source, text: &str) -> Result<Chain, ConfigError> {
        let raw = parse_layer(&source, text)?;
        Ok(Chain {
            layers: vec![(source, raw)],
            notes: Vec::new(),
        })
    }

    /// Start from a built-in preset (`recommended`, `strict`).
    pub fn preset(name: &str) -> Option<Chain> {
        let text = presets::text(name)?;
        // Built-in presets are tested to parse; a failure here is a build defect.
        let raw = parse_layer(&Source::new(Scope::Preset, name), text).ok()?;
        Some(Chain {
            layers: vec![(Source::new(Scope::Preset, name), raw)],
            notes: Vec::new(),
        })
    }

    /// Loads built-in presets as needed and returns the next file to read, or
    /// `None` when the chain is complete.
    pub fn pending(&mut self) -> Result<Option<Pending>, ConfigError> {
        loop {
            let Some((source, raw)) = self.layers.last() else {
                return Ok(None);
            };
            let extends = match &raw.extends {
                Some(e) => e.clone(),
                // A preset with no `extends` is the root; a file with none extends recommended.
                None if source.scope == Scope::Preset => return Ok(None),
                None => At {
                    value: "recommended".into(),
                    pos: Pos {
                        file: source.display(),
                        line: 1,
                        column: 1,
                    },
                },
            };
            let name = extends.value.trim();
            if name == "org" {
                if source.scope == Scope::Org {
                    return Err(ConfigError::new(
                        extends.pos,
                        "the organisation's file cannot `extends: org` itself",
                    ));
                }
                self.check_new(&Source::org(), &extends.pos)?;
                return Ok(Some(Pending::Org));
            }
            if presets::text(name).is_some() {
                let preset = Source::new(Scope::Preset, name);
                self.check_new(&preset, &extends.pos)?;
                let text = presets::text(name).unwrap_or("");
                let raw = parse_layer(&preset, text)?;
                self.layers.push((preset, raw));
                continue;
            }
            if !looks_like_path(name) {
                let hint = did_you_mean(name, presets::NAMES.iter().copied().chain(["org"]))
                    .map_or(String::new(), |s| format!("; did you mean \"{s}\"?"));
                return Err(ConfigError::new(
                    extends.pos,
                    format!(
                        "unknown preset \"{name}\"; expected {}, `org`, or a path to a .yml file{hint}",
                        presets::NAMES.join(", ")
                    ),
                ));
            }
            if source.scope == Scope::Preset {
                return Err(ConfigError::new(
                    extends.pos,
                    "a built-in preset can only extend presets",
                ));
            }
            let file = Source::new(source.scope.clone(), join(&source.path, name));
            self.check_new(&file, &extends.pos)?;
            return Ok(Some(Pending::File(file)));
        }
    }

    /// Add the file that [`Chain::pending`] asked for.
    pub fn push(&mut self, source: Source, text: &str) -> Result<(), ConfigError> {
        let raw = parse_layer(&source, text)?;
        self.layers.push((source, raw));
        Ok(())
    }

    /// `extends: org` but the organisation's file cannot be seen (the CLI without
    /// `--org-config`, or an org without one): use `recommended` in its place.
    /// `why` starts the note that says so.
    pub fn org_unavailable(&mut self, why: &str) -> Result<(), ConfigError> {
        self.notes
            .push(format!("{why}; using the recommended preset in its place"));
        let preset = Source::new(Scope::Preset, "recommended");
        let raw = parse_layer(&preset, presets::text("recommended").unwrap_or(""))?;
        self.layers.push((preset, raw));
        Ok(())
    }

    /// A file named by `extends` that does not exist.
    pub fn missing(&self, file: &Source) -> ConfigError {
        let pos = self
            .layers
            .last()
            .and_then(|(_, raw)| raw.extends.as_ref().map(|e| e.pos.clone()))
            .unwrap_or(Pos {
                file: file.display(),
                line: 1,
                column: 1,
            });
        ConfigError::new(
            pos,
            format!("`extends` names {}, which does not exist", file.display()),
        )
    }

    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Merge all layers (base first) and compile globs, regexes and rule settings.
    pub fn compile(self) -> Result<CompiledConfig, ConfigError> {
        let mut merged = RawConfig::default();
        for (_, layer) in self.layers.into_iter().rev() {
            merge(&mut merged, layer);
        }
        let mut compiled = super::compiled::compile(merged)?;
        compiled.notes = self.notes;
        Ok(compiled)
    }

    fn check_new(&self, next: &Source, at: &Pos) -> Result<(), ConfigError> {
        let names = || {
            self.layers
                .iter()
                .map(|(s, _)| display_short(s))
                .chain([display_short(next)])
                .collect::<Vec<_>>()
                .join(" extends ")
        };
        if self.layers.iter().any(|(s, _)| s == next) {
            return Err(ConfigError::new(
                at.clone(),
                format!("`extends` loop: {}", names()),
            ));
        }
        if self.layers.len() >= MAX_DEPTH {
            return Err(ConfigError::new(
                at.clone(),
                format!("`extends` chain deeper than {MAX_DEPTH}: {}", names()),
            ));
        }
        Ok(())
    }
}

fn display_short(s: &Source) -> String {
    match s.scope {
        Scope::Preset => s.path.clone(),
        Scope::Org => "org".into(),
        _ => s.path.clone(),
    }
}

fn parse_layer(source: &Source, text: &str) -> Result<RawConfig, ConfigError> {
    let file = source.display();
    let node = yaml::parse(text, &file)?;
    raw::decode(&node, &file)
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.ends_with(".yml") || s.ends_with(".yaml")
}

use crate::markdown::join_path as join;

/// Apply `layer` over `acc` (later wins key by key).
fn merge(acc: &mut RawConfig, layer: RawConfig) {
    if layer.mode.is_some() {
        acc.mode = layer.mode;
    }
    if layer.drafts.is_some() {
        acc.drafts = layer.drafts;
    }
    merge_kinds(&mut acc.runbook.kinds, layer.runbook.kinds);
    for (id, rule) in layer.rules {
        match acc.rules.iter_mut().find(|(i, _)| i.value == id.value) {
            Some((_, existing)) => merge_rule(existing, rule),
            None => acc.rules.push((id, rule)),
        }
    }
    merge_sections(&mut acc.description.sections, layer.description.sections);
    merge_sections(&mut acc.runbook.sections, layer.runbook.sections);
    if layer.runbook.paths.is_some() {
        acc.runbook.paths = layer.runbook.paths;
    }
    for custom in layer.custom {
        match acc
            .custom
            .iter_mut()
            .find(|c| c.id.value == custom.id.value)
        {
            Some(existing) => merge_custom(existing, custom),
            None => acc.custom.push(custom),
        }
    }
}

macro_rules! take_some {
    ($acc:expr, $new:expr, $($field:ident),+) => {
        $( if $new.$field.is_some() { $acc.$field = $new.$field; } )+
    };
}

fn merge_rule(acc: &mut RawRule, new: RawRule) {
    take_some!(acc, new, severity);
    for option in new.options {
        match acc
            .options
            .iter_mut()
            .find(|o| o.key.value == option.key.value)
        {
            Some(existing) => *existing = option,
            None => acc.options.push(option),
        }
    }
    merge_conditions(&mut acc.conditions, new.conditions);
}

fn merge_conditions(acc: &mut RawConditions, new: RawConditions) {
    take_some!(acc, new, changed, only_changed, authors, labels);
}

/// Sections merge by name: an inherited name is changed, a new name is added, and
/// `enabled: false` drops one.
fn merge_sections(acc: &mut Option<Vec<RawSection>>, new: Option<Vec<RawSection>>) {
    let Some(new) = new else { return };
    let list = acc.get_or_insert_with(Vec::new);
    for section in new {
        let key = normalize_heading(&section.name.value);
        match list
            .iter_mut()
            .find(|s| normalize_heading(&s.name.value) == key)
        {
            Some(existing) => {
                take_some!(existing, section, aliases, enabled, severity);
                merge_conditions(&mut existing.conditions, section.conditions);
            }
            None => list.push(section),
        }
    }
}

/// `runbook.kinds` merge by glob: the later file's entries come first (the first
/// matching glob wins, so the more specific file decides), then the inherited
/// globs it does not name again.
fn merge_kinds(acc: &mut Option<Vec<raw::RawKind>>, new: Option<Vec<raw::RawKind>>) {
    let Some(mut new) = new else { return };
    let inherited: Vec<raw::RawKind> = acc
        .take()
        .unwrap_or_default()
        .into_iter()
        .filter(|old| !new.iter().any(|k| k.glob.value == old.glob.value))
        .collect();
    new.extend(inherited);
    *acc = Some(new);
}

fn merge_custom(acc: &mut RawCustom, new: RawCustom) {
    take_some!(
        acc,
        new,
        target,
        section,
        aliases,
        severity,
        message,
        help,
        must_match,
        must_not_match,
        must_contain,
        min_words
    );
    merge_conditions(&mut acc.conditions, new.conditions);
}
