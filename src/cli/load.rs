//! Finding the configuration for the CLI, reading it from disk through the one
//! configuration driver ([`config::load_sync`]), and `lint-pr config check`.

use std::future::Future;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{ExitStatus, print};
use crate::config::{self, CompiledConfig, Fetcher, Invalid, Loaded, Scope, Source};

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
/// `Err` when the file cannot be read (exit 2); `Ok(Err)` when it is invalid.
pub(crate) fn load(
    explicit: Option<&Path>,
    org: Option<&Path>,
    cwd: &Path,
    root: Option<&Path>,
) -> Result<Result<CompiledConfig, Invalid>> {
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| discover(cwd, root));
    let start = path.map(|p| (Source::new(Scope::Local, display_path(&p, cwd)), p));
    let candidates: Vec<Source> = start.iter().map(|(s, _)| s.clone()).collect();
    let mut disk = Disk { cwd, start, org };
    match config::load_sync(&candidates, &mut disk) {
        Loaded::Missing => {
            let mut c = config::no_config();
            c.notes.push(
                "no .github/lint-pr.yml found; using the recommended preset in advisory mode (`lint-pr init` writes one)"
                    .into(),
            );
            Ok(Ok(c))
        }
        Loaded::Unreadable { error, .. } => Err(error),
        Loaded::Invalid(invalid) => Ok(Err(invalid)),
        Loaded::Valid { mut config, .. } => {
            for n in &mut config.notes {
                if n.contains("`extends: org`") {
                    *n = format!("{n} (pass --org-config FILE to use it)");
                }
            }
            Ok(Ok(config))
        }
    }
}

/// Configuration files on disk. The file the run starts from must be readable
/// (else exit 2); a file it `extends` that cannot be read is reported by the
/// chain as not existing, at the `extends` line.
struct Disk<'a> {
    cwd: &'a Path,
    /// The explicit or discovered file: how errors name it, and where it is.
    start: Option<(Source, PathBuf)>,
    /// `--org-config`: what `extends: org` reads.
    org: Option<&'a Path>,
}

impl Disk<'_> {
    fn read(&self, source: &Source) -> Result<Option<String>> {
        if let Some((_, path)) = self.start.as_ref().filter(|(s, _)| s == source) {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading configuration {}", path.display()))?;
            return Ok(Some(text));
        }
        let file = if *source == Source::org() {
            match self.org {
                Some(f) => f.to_path_buf(),
                None => return Ok(None),
            }
        } else {
            self.cwd.join(&source.path)
        };
        Ok(std::fs::read_to_string(file).ok())
    }
}

impl Fetcher for Disk<'_> {
    type Error = anyhow::Error;

    fn fetch(
        &mut self,
        source: &Source,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        std::future::ready(self.read(source))
    }

    fn org_unavailable(&self) -> String {
        "cannot see the organisation's lint-pr.yml (`extends: org`)".into()
    }
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
        Ok(c) => {
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
        Err(invalid) => {
            eprintln!("error: invalid configuration: {}", invalid.error);
            Ok(ExitStatus::Error)
        }
    }
}
