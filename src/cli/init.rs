//! `lint-pr init`: a starter configuration and a PR template whose sections, once
//! filled in, pass the recommended rules. Its unfilled hints are HTML comments, so
//! an unfilled template is reported by `pr/empty-section`.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::args::InitArgs;
use super::{ExitStatus, print};

pub(crate) const STARTER_CONFIG: &str = r#"# yaml-language-server: $schema=https://raw.githubusercontent.com/lint-pr/lint-pr/main/schemas/config-v1.json
# lint-pr configuration. Every key is documented in lint-pr's README; the line
# above gives editors with a YAML language server completion and checking.
# Start from the recommended preset; override single keys below.
extends: recommended

# advisory: findings show on the check but never block a merge. Switch to
# `enforcing` once the team writes descriptions this way.
mode: advisory

rules:
  # Unchecked task-list items (`- [ ]`) are fine by default.
  pr/unchecked-task: off

runbook:
  # Which changed files are runbooks.
  paths: ["runbooks/**/*.md", "**/runbook*.md", "docs/runbooks/**"]
"#;

pub(crate) const PR_TEMPLATE: &str = r#"## What this does

<!-- What changes, in words an on-call engineer understands without reading the diff. -->

## Why

<!-- The problem this solves, with numbers where you have them. -->

## Expected behavior change

<!-- What users, dashboards and logs will show differently. "None: refactor only" is an answer. -->

## If something seems wrong after this ships

<!-- What to check first (a command, a dashboard, a log line) and how to turn it off or roll it back. -->
"#;

pub(crate) fn init(args: &InitArgs) -> Result<ExitStatus> {
    let dir = Path::new(".github");
    let files = [
        (dir.join("lint-pr.yml"), STARTER_CONFIG),
        (dir.join("pull_request_template.md"), PR_TEMPLATE),
    ];
    if !args.force
        && let Some((p, _)) = files.iter().find(|(p, _)| p.exists())
    {
        bail!(
            "{} already exists; pass --force to overwrite it",
            p.display()
        );
    }
    std::fs::create_dir_all(dir).context("creating .github/")?;
    let mut out = String::new();
    for (path, text) in &files {
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
        out.push_str(&format!("wrote {}\n", path.display()));
    }
    print(&out)?;
    Ok(ExitStatus::Success)
}
