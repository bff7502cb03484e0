//! The `lint-pr` command line: the IO shell around [`crate::lint::run`].
//!
//! Owns: reading files, git and `$GITHUB_EVENT_PATH`, finding the configuration,
//! printing, and exit statuses (0 success/neutral, 1 failure, 2 usage or input
//! error). One file per subcommand; `check.rs` holds `check` and `runbook`;
//! `changes.rs` (and `changes/`) the 3am view; `jobs.rs` the App's queue for its
//! operator.

mod actions_event;
pub mod args;
mod changes;
mod check;
mod git;
mod info;
mod init;
mod jobs;
mod load;
mod serve;

use std::io::Write;

use anyhow::Result;

pub use args::Cli;
use args::Command;

/// How a run ended; `main` turns it into the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Exit 0: conclusion success or neutral.
    Success,
    /// Exit 1: conclusion failure.
    Failure,
    /// Exit 2: usage error, unreadable input or invalid configuration.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

/// Run the command line. Errors are input errors (exit 2), printed by `main`.
pub fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        None => check::check(&cli.check),
        Some(Command::Check(args)) => check::check(&args),
        Some(Command::Runbook(args)) => check::runbook(&args),
        Some(Command::Rules) => info::rules(),
        Some(Command::Explain {
            rule,
            config,
            org_config,
        }) => info::explain(&rule, config.as_deref(), org_config.as_deref()),
        Some(Command::Config(args::ConfigCommand::Check { file, org_config })) => {
            load::config_check(file.as_deref(), org_config.as_deref())
        }
        Some(Command::Init(args)) => init::init(&args),
        Some(Command::Serve(args)) => serve::serve(*args),
        Some(Command::Changes(args)) => changes::changes(&args),
        Some(Command::Jobs(args)) => jobs::jobs(&args),
    }
}

/// Print to stdout; a closed pipe (`lint-pr rules | head`) is not an error.
pub(crate) fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
