//! The `lint-pr` binary: parse arguments, run, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use lint_pr::cli::{self, Cli, ExitStatus};

fn main() -> ExitCode {
    let args = Cli::parse();
    match cli::run(args) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            // `{:#}` prints the whole context chain on one line, once.
            eprintln!("lint-pr: error: {err:#}");
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}
