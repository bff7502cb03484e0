//! Configuration errors: always a file, a line, a column and what was expected.

use std::fmt;

/// Where in which configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    /// The file as the user knows it (`.github/lint-pr.yml`, `rules/recommended.yml`).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A configuration that cannot be used. Displayed as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}:{}: {message}", pos.file, pos.line, pos.column)]
pub struct ConfigError {
    pub pos: Pos,
    /// What is wrong and what was expected, e.g. `unknown key "rulez"; did you mean "rules"?`.
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(pos: Pos, message: impl Into<String>) -> Self {
        ConfigError {
            pos,
            message: message.into(),
        }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The candidate closest to `word`, if close enough to be a likely typo (edit
/// distance, ignoring case). Every "did you mean" of a configuration error uses it.
pub(crate) use crate::suggest::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            did_you_mean("rulez", ["extends", "mode", "rules"]),
            Some("rules")
        );
        assert_eq!(
            did_you_mean("descripton", ["description", "runbook"]),
            Some("description")
        );
        assert_eq!(did_you_mean("zzz", ["extends", "mode"]), None);
    }
}
