//! Command-line arguments (clap derive). `check` is the default subcommand, so
//! `lint-pr --body-file pr.md` and `lint-pr check --body-file pr.md` are the same.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "lint-pr",
    version,
    about = "Lint PR descriptions and runbooks for the engineer debugging at 3am",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint a PR description and the changed files that are runbooks (the default).
    Check(CheckArgs),
    /// Lint markdown files as runbooks (directories recurse; .md and .md.erb files).
    Runbook(RunbookArgs),
    /// List every rule: id, default severity, one-line summary.
    Rules,
    /// Print a rule's full documentation.
    Explain {
        /// A rule id such as runbook/triage-first.
        rule: String,
    },
    /// Configuration commands.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write a starter .github/lint-pr.yml and .github/pull_request_template.md.
    Init(InitArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Validate a configuration file (default: the one `check` would use).
    Check {
        file: Option<PathBuf>,
        /// The organisation's file, for `extends: org`.
        #[arg(long, value_name = "FILE")]
        org_config: Option<PathBuf>,
    },
}

/// Options shared by `check` and `runbook`.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Rule configuration [default: .github/lint-pr.yml found from the current
    /// directory up to the git root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The organisation's file, for `extends: org`.
    #[arg(long, value_name = "FILE")]
    pub org_config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
}

#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    /// The PR description (markdown); `-` reads stdin.
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,
    /// The PR title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Changed files = `git diff --name-only REF...HEAD` (when no CHANGED_PATH is given).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Changed paths (instead of asking git).
    #[arg(value_name = "CHANGED_PATH")]
    pub changed: Vec<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct RunbookArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Files or directories.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Human,
    Json,
    Sarif,
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}
