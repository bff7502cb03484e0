//! Finding and loading the configuration for the CLI, and `lint-pr config check`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{ExitStatus, print};
use crate::config::{self, CompiledConfig, ConfigError, Pending, Scope, Source};

/// The configuration for a run, or why it cannot be used.
pub(crate) enum Loaded {
    Ok(CompiledConfig),
    /// Invalid: the error and the text of the file it is in (for the code frame).
    Invalid(ConfigError, Option<String>),
}

/// `.github/lint-pr.yml` from `cwd` up to the git root (outside git: `cwd` only).
pub(crate) fn discover(cwd: &Path, root: Option<&Path>) -> Option<PathBuf> {
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        for name in ["lint-pr.yml", "lint-pr.yaml"] {
            let candidate = d.join(".github").join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        match root {
            Some(r) if d != r && d.starts_with(r) => dir = d.parent(),
            _ => dir = None,
        }
    }
    None
}

/// Load `explicit` or the discovered file; none anywhere → recommended, advisory.
pub(crate) fn load(
    explicit: Option<&Path>,
    org: Option<&Path>,
    cwd: &Path,
    root: Option<&Path>,
) -> Result<Loaded> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match discover(cwd, root) {
            Some(p) => p,
            None => {
                let mut c = config::no_config();
                c.notes.push(
                    "no .github/lint-pr.yml found; using the recommended preset in advisory mode (`lint-pr init` writes one)"
                        .into(),
                );
                return Ok(Loaded::Ok(c));
            }
        },
    };
    let display = display_path(&path, cwd);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading configuration {}", path.display()))?;
    let mut texts: HashMap<String, String> = HashMap::new();
    texts.insert(display.clone(), text.clone());
    let mut read = |p: &Pending| -> Option<String> {
        let (file, key) = match p {
            Pending::Org => {
                let f = org?;
                (
                    f.to_path_buf(),
                    Source::new(Scope::Org, ".github/lint-pr.yml").display(),
                )
            }
            Pending::File(src) => (cwd.join(&src.path), src.display()),
        };
        let t = std::fs::read_to_string(file).ok()?;
        texts.insert(key, t.clone());
        Some(t)
    };
    let result = config::load(Source::new(Scope::Local, display.clone()), &text, &mut read);
    Ok(match result {
        Ok(mut c) => {
            for n in &mut c.notes {
                if n.contains("`extends: org`") {
                    *n = format!("{n} (pass --org-config FILE to use it)");
                }
            }
            Loaded::Ok(c)
        }
        Err(e) => {
            let text = texts.get(&e.pos.file).cloned();
            Loaded::Invalid(e, text)
        }
    })
}

/// `path` relative to `cwd` when it is below it, else as given.
pub(crate) fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

pub(crate) fn config_check(file: Option<&Path>, org: Option<&Path>) -> Result<ExitStatus> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let root = super::git::root(&cwd);
    if file.is_none() && discover(&cwd, root.as_deref()).is_none() {
        anyhow::bail!(
            "no .github/lint-pr.yml found from {} up to the git root; name a file",
            cwd.display()
        );
    }
    match load(file, org, &cwd, root.as_deref())? {
        Loaded::Ok(c) => {
            let mut out = String::new();
            for n in &c.notes {
                out.push_str(&format!("note: {n}\n"));
            }
            out.push_str(&format!(
                "ok: configuration is valid ({} mode, {} description sections, {} runbook sections, {} custom rules)\n",
                c.mode.as_str(),
                c.description_sections.len(),
                c.runbook_sections.len(),
                c.custom.len()
            ));
            print(&out)?;
            Ok(ExitStatus::Success)
        }
        Loaded::Invalid(e, _) => {
            eprintln!("error: invalid configuration: {e}");
            Ok(ExitStatus::Error)
        }
    }
}
