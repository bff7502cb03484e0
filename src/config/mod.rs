//! Configuration: `.github/lint-pr.yml` and the built-in presets, from YAML text to
//! a [`CompiledConfig`] that rules read.
//!
//! Owns: decoding (`yaml.rs` → `raw.rs`), the `extends` chain and merging
//! (`resolve.rs`), and compiling globs and regexes (`compiled.rs`). Never does: IO.
//! Callers read files through a [`Fetcher`]; [`load_with`] (`driver.rs`) is the one
//! loop that feeds them to a [`Chain`], for the CLI and the App. Every error is a
//! [`ConfigError`] with file, line and column.

mod compiled;
mod error;
mod memo;
mod presets;
mod raw;
mod resolve;
mod yaml;

pub use compiled::{CompiledConfig, DEFAULT_RUNBOOK_PATHS, RuleSettings};
pub use error::{ConfigError, Pos};
pub use presets::NAMES as PRESET_NAMES;
pub use resolve::{Chain, MAX_DEPTH, Pending, Scope, Source};

use crate::types::Mode;

/// The text of a built-in preset, as shipped in `rules/`.
pub fn preset_text(name: &str) -> Option<&'static str> {
    presets::text(name)
}

/// A built-in preset, compiled.
pub fn preset(name: &str) -> Option<CompiledConfig> {
    memo::compiled(["preset\0", name].concat(), || {
        let mut chain = Chain::preset(name).ok_or(())?;
        // Presets extend only presets, which `pending` loads itself; anything else
        // it would ask for is a defect in `rules/`, caught by the preset tests.
        if chain.pending().map_err(drop)?.is_some() {
            return Err(());
        }
        chain.compile().map_err(drop)
    })
    .ok()
}

/// What applies when no configuration exists anywhere: the recommended preset in
/// advisory mode, so installing the App never blocks a merge by surprise.
pub fn no_config() -> CompiledConfig {
    let mut c = recommended();
    c.mode = Mode::Advisory;
    c
}

/// The recommended preset (enforcing).
pub fn recommended() -> CompiledConfig {
    // `rules/recommended.yml` is compiled in and a unit test loads it, so the empty
    // fallback is never used in a tested build; it keeps this function total.
    preset("recommended").unwrap_or_else(CompiledConfig::empty)
}

// The one configuration driver, for the CLI and the App (see `driver.rs`).
mod driver;
pub use driver::{Fetcher, Invalid, Loaded, load, load_sync, load_with};
pub use resolve::CONFIG_PATH;

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<CompiledConfig, ConfigError> {
        load(Source::new(Scope::Local, "lint-pr.yml"), text, &mut |_| {
            None
        })
    }

    #[test]
    fn presets_load() {
        for name in PRESET_NAMES {
            let mut chain = Chain::preset(name).unwrap();
            assert_eq!(
                chain.pending().unwrap(),
                None,
                "preset {name} extends only presets"
            );
            chain
                .compile()
                .unwrap_or_else(|e| panic!("preset {name}: {e}"));
        }
        let strict = preset("strict").unwrap();
        assert_eq!(
            strict.description_sections.len(),
            4,
            "strict inherits recommended's sections"
        );
        assert!(strict.rule("pr/unchecked-task").severity.is_some());
    }

    #[test]
    fn unknown_key_suggests() {
        let err =
            load_str("extends: recommended\nrulez:\n  pr/unchecked-task: error\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "lint-pr.yml:2:1: unknown key \"rulez\" in the configuration; did you mean \"rules\"?"
        );
    }

    #[test]
    fn unknown_rule_suggests() {
        let err = load_str("rules:\n  pr/required-sektion: error\n").unwrap_err();
        assert!(err.to_string().starts_with("lint-pr.yml:2:3: unknown rule \"pr/required-sektion\"; did you mean \"pr/required-section\"?"), "{err}");
    }

    #[test]
    fn bad_regex_points_at_value() {
        let err = load_str("custom:\n  - id: x\n    must_match: '(unclosed'\n").unwrap_err();
        assert_eq!((err.pos.line, err.pos.column), (3, 17), "{err}");
    }

    #[test]
    fn huge_regex_is_refused() {
        let err = load_str("custom:\n  - id: x\n    must_match: '\\w{1000}\\w{1000}\\w{1000}'\n")
            .unwrap_err();
        assert!(err.message.contains("compiles to more than"), "{err}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (i, c) in ('b'..='i').enumerate() {
            let prev = (b'a' + i as u8) as char;
            y.push_str(&format!("{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let err = load_str(&y).unwrap_err();
        assert!(err.message.contains("too many nodes"), "{err}");
    }

    #[test]
    fn extends_loop_names_the_chain() {
        let mut read = |p: &Pending| match p {
            Pending::File(s) if s.path == "b.yml" => Some("extends: a.yml\n".to_string()),
            Pending::File(s) if s.path == "a.yml" => Some("extends: b.yml\n".to_string()),
            _ => None,
        };
        let err = load(
            Source::new(Scope::Local, "a.yml"),
            "extends: b.yml\n",
            &mut read,
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "`extends` loop: a.yml extends b.yml extends a.yml"
        );
    }

    #[test]
    fn sections_merge_by_name() {
        let c = load_str(
            "description:\n  sections:\n    - name: Why\n      aliases: [Because]\n    - name: Expected behavior change\n      enabled: false\n    - name: Ticket\n",
        )
        .unwrap();
        let names: Vec<&str> = c
            .description_sections
            .iter()
            .map(|s| s.matcher.name())
            .collect();
        assert_eq!(
            names,
            [
                "What this does",
                "Why",
                "If something seems wrong after this ships",
                "Ticket"
            ]
        );
        let why = &c.description_sections[1].matcher;
        assert!(
            why.matches("Because") && !why.matches("Motivation"),
            "aliases replace the inherited list"
        );
    }

    #[test]
    fn org_missing_falls_back_with_a_note() {
        let c = load_str("extends: org\nmode: advisory\n").unwrap();
        assert_eq!(c.mode, Mode::Advisory);
        assert_eq!(c.notes.len(), 1);
    }
}
