//! Built-in presets: the YAML files of the top-level `rules/` folder, compiled in.
//! They are data in the user configuration schema, parsed by the same loader.

/// Preset names, in the order `lint-pr` lists them.
pub const NAMES: &[&str] = &["recommended", "strict"];

/// The YAML text of a built-in preset.
pub(crate) fn text(name: &str) -> Option<&'static str> {
    match name {
        "recommended" => Some(include_str!("../../rules/recommended.yml")),
        "strict" => Some(include_str!("../../rules/strict.yml")),
        _ => None,
    }
}
