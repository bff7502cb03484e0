//! `lint-pr check` (the default) and `lint-pr runbook`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::actions_event::{self, PrEvent};
use super::args::{CheckArgs, RunbookArgs};
use super::{ExitStatus, git, load, print};
use crate::lint::{self, Inputs, RunbookInput};
use crate::markdown::{FileLookup, Lookup};
use crate::report::{self, Format, RenderOptions, Report};
use crate::rules::{Conclusion, Facts};

pub(crate) fn check(args: &CheckArgs) -> Result<ExitStatus> {
    let cwd = current_dir()?;
    let root = git::root(&cwd);
    let base_dir = root.clone().unwrap_or_else(|| cwd.clone());
    let format: Format = args.common.format.into();
    let config = match setup(&args.common, &cwd, root.as_deref())? {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let mut notes = Vec::new();
    let (body, pr_event) = description(args, &mut notes)?;
    if let Some(bot) = pr_event.as_ref().filter(|e| e.bot && args.skip_bots) {
        let mut report = Report::new(config.mode);
        report.notes.push(format!(
            "the PR's author {} is a bot: not linted (`--skip-bots false` lints it)",
            bot.author.as_deref().unwrap_or("(unknown)")
        ));
        return emit(&report, format);
    }
    let draft = pr_event.as_ref().is_some_and(|e| e.draft);
    let changed = changed_paths(args, pr_event.as_ref(), &cwd, root.as_deref(), &mut notes)?;
    let runbook_paths = changed.iter().flatten().filter(|p| config.is_runbook(p));
    let texts = read_changed_runbooks(runbook_paths, &base_dir)?;
    let runbooks: Vec<RunbookInput<'_>> = texts
        .iter()
        .map(|(p, t)| RunbookInput { path: p, text: t })
        .collect();
    let pr = pr_event.unwrap_or_default();
    let title = args.title.clone().or(pr.title);
    let files = FsLookup::new(base_dir, &runbooks);
    let inputs = Inputs {
        title: title.as_deref(),
        description: body.as_deref(),
        facts: Facts {
            changed_paths: changed.as_deref(),
            author: pr.author.as_deref(),
            labels: &pr.labels,
        },
        runbooks: &runbooks,
        files: &files,
    };
    let mut report = lint::run(&inputs, &config);
    lint::hold_draft(&mut report, &config, draft);
    notes.append(&mut report.notes);
    notes.append(&mut files.unreadable());
    report.notes = notes;
    emit(&report, format)
}

/// The PR description: `--body-file` (`-` for stdin), else the GitHub Actions
/// event file, else none (with a note). Also the event's PR, when there is one.
fn description(
    args: &CheckArgs,
    notes: &mut Vec<String>,
) -> Result<(Option<String>, Option<PrEvent>)> {
    match &args.body_file {
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("reading the PR description from stdin")?;
            Ok((Some(s), None))
        }
        Some(p) => {
            let body = std::fs::read_to_string(p)
                .with_context(|| format!("reading --body-file {}", p.display()))?;
            Ok((Some(body), None))
        }
        None => match std::env::var_os("GITHUB_EVENT_PATH").filter(|v| !v.is_empty()) {
            Some(path) => {
                let pr_event = actions_event::read(Path::new(&path))?;
                if pr_event.is_none() {
                    notes.push("the GitHub event is not about a pull request: no description to lint, checking files only".to_string());
                }
                Ok((pr_event.as_ref().map(|e| e.body.clone()), pr_event))
            }
            None => {
                notes.push("no PR description given (--body-file FILE, or GITHUB_EVENT_PATH in Actions): checking changed runbooks only".to_string());
                Ok((None, None))
            }
        },
    }
}

/// Changed paths: the arguments, else git's diff against `--base`, the event's
/// base, or the default branch. `None` (with a note) when they cannot be known.
fn changed_paths(
    args: &CheckArgs,
    pr_event: Option<&PrEvent>,
    cwd: &Path,
    root: Option<&Path>,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<String>>> {
    if !args.changed.is_empty() {
        return Ok(Some(
            args.changed
                .iter()
                .map(|p| repo_path(p, cwd, root))
                .collect(),
        ));
    }
    let Some(root) = root else {
        if args.base.is_some() {
            bail!(
                "--base needs a git repository; {} is not in one",
                cwd.display()
            );
        }
        return Ok(None);
    };
    let range = match (&args.base, pr_event) {
        (Some(b), _) => Some(format!("{b}...HEAD")),
        (
            None,
            Some(PrEvent {
                base_sha: Some(b),
                head_sha: Some(h),
                ..
            }),
        ) => Some(format!("{b}...{h}")),
        _ => git::default_base(root).map(|b| format!("{b}...HEAD")),
    };
    match range {
        // An explicit --base that git cannot diff is a usage error (exit 2).
        Some(r) if args.base.is_some() => Ok(Some(git::changed(root, &r)?)),
        // The event's SHAs may be missing from a shallow checkout: say so, go on.
        Some(r) => match git::changed(root, &r) {
            Ok(paths) => Ok(Some(paths)),
            Err(e) => {
                notes.push(format!(
                    "cannot list changed files ({e:#}); in Actions, check out with `fetch-depth: 0`"
                ));
                Ok(None)
            }
        },
        None => {
            let branch = git::current_branch(root).unwrap_or_else(|| "HEAD".into());
            notes.push(format!("cannot tell which files changed on {branch} (no --base and no default branch found)"));
            Ok(None)
        }
    }
}

/// `(path, text)` of each changed runbook that still exists (a deleted one has
/// nothing to lint).
fn read_changed_runbooks<'p>(
    paths: impl Iterator<Item = &'p String>,
    base_dir: &Path,
) -> Result<Vec<(String, String)>> {
    let mut texts = Vec::new();
    for path in paths {
        let file = base_dir.join(path);
        if !file.exists() {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading runbook {}", file.display()))?;
        texts.push((path.clone(), text));
    }
    Ok(texts)
}

pub(crate) fn runbook(args: &RunbookArgs) -> Result<ExitStatus> {
    let cwd = current_dir()?;
    let root = git::root(&cwd);
    let format: Format = args.common.format.into();
    let config = match setup(&args.common, &cwd, root.as_deref())? {
        Ok(c) => c,
        Err(status) => return Ok(status),
    };
    let mut files = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            walk(p, &mut files).with_context(|| format!("reading directory {}", p.display()))?;
        } else if p.is_file() {
            files.push(p.clone());
        } else {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let base_dir = root.clone().unwrap_or_else(|| cwd.clone());
    let mut texts = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("reading runbook {}", f.display()))?;
        texts.push((repo_path(f, &cwd, root.as_deref()), text));
    }
    let runbooks: Vec<RunbookInput<'_>> = texts
        .iter()
        .map(|(p, t)| RunbookInput { path: p, text: t })
        .collect();
    let files = FsLookup::new(base_dir, &runbooks);
    let inputs = Inputs {
        title: None,
        description: None,
        facts: Facts::default(),
        runbooks: &runbooks,
        files: &files,
    };
    let mut report = lint::run(&inputs, &config);
    report.notes.append(&mut files.unreadable());
    emit(&report, format)
}

/// The configuration for `check` and `runbook`, or the exit status after
/// reporting it invalid (exit 2, in the requested format).
fn setup(
    common: &super::args::CommonArgs,
    cwd: &Path,
    root: Option<&Path>,
) -> Result<Result<crate::config::CompiledConfig, ExitStatus>> {
    let format: Format = common.format.into();
    let loaded = load::load(
        common.config.as_deref(),
        common.org_config.as_deref(),
        cwd,
        root,
    )?;
    Ok(match loaded {
        Ok(c) => Ok(c),
        Err(invalid) => Err(config_invalid(
            format,
            &invalid.error,
            invalid.text.as_deref(),
        )?),
    })
}

/// Markdown files below `dir`, sorted, skipping hidden directories.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        // The entry's type comes with the listing; only a symbolic link needs a
        // `stat` to tell whether it leads to a directory.
        let is_dir = match e.file_type() {
            Ok(t) if !t.is_symlink() => t.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
            if !name.starts_with('.') {
                walk(&path, out)?;
            }
        } else if name.ends_with(".md") || name.ends_with(".md.erb") {
            out.push(path);
        }
    }
    Ok(())
}

fn current_dir() -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("reading the current directory")?;
    Ok(cwd.canonicalize().unwrap_or(cwd))
}

/// Repository-relative when inside the repository; otherwise the path as given.
fn repo_path(p: &Path, cwd: &Path, root: Option<&Path>) -> String {
    let abs = lexical(&if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    });
    match root.and_then(|r| abs.strip_prefix(r).ok()) {
        Some(rel) => rel.to_string_lossy().replace('\\', "/"),
        None => p.to_string_lossy().replace('\\', "/"),
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn emit(report: &Report, format: Format) -> Result<ExitStatus> {
    let color = format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    if format != Format::Human {
        for n in &report.notes {
            eprintln!("lint-pr: note: {n}");
        }
    }
    print(&report::render(report, format, RenderOptions { color }))?;
    Ok(match report.conclusion() {
        Conclusion::Failure => ExitStatus::Failure,
        Conclusion::Success | Conclusion::Neutral => ExitStatus::Success,
    })
}

/// Invalid configuration: exit 2, naming file, line and column. Machine
/// formats also print the `config/invalid` finding so CI shows it as an annotation.
fn config_invalid(
    format: Format,
    err: &crate::config::ConfigError,
    text: Option<&str>,
) -> Result<ExitStatus> {
    let report = lint::config_error_report(err, text);
    eprintln!("error: invalid configuration: {err}");
    match format {
        Format::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!(
                "{}",
                report::human::render_frames(&report, RenderOptions { color })
            );
        }
        _ => print(&report::render(&report, format, RenderOptions::default()))?,
    }
    Ok(ExitStatus::Error)
}

/// Files on disk, relative to the repository root (or the current directory).
///
/// The runbooks being linted are answered from the text already read, and every
/// other answer is kept for the run: over a folder most links point at pages of
/// the same folder, and each page looked its targets up again (948 runbooks made
/// 1,270 more opens and 2,200 more `stat` calls than reading them once).
struct FsLookup<'a> {
    root: PathBuf,
    /// The linted runbooks' texts, by the path they are linted under.
    loaded: HashMap<&'a str, &'a str>,
    answers: RefCell<HashMap<String, Lookup>>,
    /// Linked files that exist but could not be read, with why: their links are
    /// not checked, and the report says so (`unreadable`).
    unreadable: RefCell<Vec<String>>,
    /// A linked file that is not on disk but that the repository ignores is made
    /// by its build (a site importing pages): unknown, not missing.
    ignored: crate::gitignore::Ignored,
}

impl<'a> FsLookup<'a> {
    fn new(root: PathBuf, runbooks: &[RunbookInput<'a>]) -> Self {
        FsLookup {
            ignored: crate::gitignore::Ignored::on_disk(root.clone()),
            root,
            loaded: runbooks.iter().map(|r| (r.path, r.text)).collect(),
            answers: RefCell::default(),
            unreadable: RefCell::default(),
        }
    }

    /// A note per linked file that exists but could not be read (permissions, a
    /// loop of symbolic links, an I/O error): links to it were not checked; and
    /// one per `.gitignore` that could not be read.
    fn unreadable(&self) -> Vec<String> {
        let mut notes = self.unreadable.take();
        notes.append(&mut self.ignored.unreadable());
        notes
    }
}

impl FileLookup for FsLookup<'_> {
    fn lookup(&self, path: &str) -> Lookup {
        if let Some(text) = self.loaded.get(path) {
            return Lookup::Found((*text).to_string());
        }
        if let Some(answer) = self.answers.borrow().get(path) {
            return answer.clone();
        }
        // One open: a file that is not there (or under a file, `a.md/b.md`) is
        // missing; a directory or a file that is not UTF-8 text (an image)
        // cannot be checked, as expected; any other failure is reported.
        use std::io::ErrorKind;
        let full = self.root.join(path);
        let answer = match std::fs::read_to_string(&full) {
            Ok(text) => Lookup::Found(text),
            Err(e) if e.kind() == ErrorKind::NotFound && self.ignored.contains(path) => {
                Lookup::Unknown
            }
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                Lookup::Missing
            }
            Err(e) => {
                if !matches!(e.kind(), ErrorKind::IsADirectory | ErrorKind::InvalidData) {
                    self.unreadable.borrow_mut().push(format!(
                        "could not read {} ({e}): links to it were not checked",
                        full.display()
                    ));
                }
                Lookup::Unknown
            }
        };
        self.answers
            .borrow_mut()
            .insert(path.to_string(), answer.clone());
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_answer_linted_runbooks_from_memory_and_the_rest_from_disk() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join("other.md"), "# Other\n").expect("write");
        std::fs::create_dir(dir.path().join("folder.md")).expect("mkdir");
        std::fs::write(dir.path().join(".gitignore"), "generated/\n").expect("write");
        let linted = [RunbookInput {
            path: "linted.md",
            text: "# In memory\n",
        }];
        let files = FsLookup::new(dir.path().to_path_buf(), &linted);
        // Not on disk at all: the text it is linted with is the answer.
        assert_eq!(
            files.lookup("linted.md"),
            Lookup::Found("# In memory\n".into())
        );
        assert_eq!(files.lookup("other.md"), Lookup::Found("# Other\n".into()));
        assert_eq!(files.lookup("missing.md"), Lookup::Missing);
        // Not on disk but ignored by the repository: made by its build.
        assert_eq!(files.lookup("generated/page.md"), Lookup::Unknown);
        assert_eq!(files.lookup("folder.md"), Lookup::Unknown);
        // Answers are kept: the file's removal is not seen within the run.
        std::fs::remove_file(dir.path().join("other.md")).expect("remove");
        assert_eq!(files.lookup("other.md"), Lookup::Found("# Other\n".into()));
        // A path under a file is missing; an image cannot be checked, silently.
        std::fs::write(dir.path().join("shot.png"), [0x89, 0xff, 0xfe]).expect("write");
        assert_eq!(files.lookup("shot.png/x.md"), Lookup::Missing);
        assert_eq!(files.lookup("shot.png"), Lookup::Unknown);
        assert!(files.unreadable().is_empty());
        // A file that exists but cannot be read is a note naming it and why (a
        // loop of symbolic links: unreadable even as root, where tests run).
        std::os::unix::fs::symlink("loop.md", dir.path().join("loop.md")).expect("symlink");
        assert_eq!(files.lookup("loop.md"), Lookup::Unknown);
        let notes = files.unreadable();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes
                .iter()
                .all(|n| n.contains("loop.md") && n.contains("not checked")),
            "{notes:?}"
        );
        // A `.gitignore` that cannot be read ignores nothing, and says so.
        std::fs::create_dir(dir.path().join("site")).expect("mkdir");
        std::os::unix::fs::symlink(".gitignore", dir.path().join("site/.gitignore"))
            .expect("symlink");
        assert_eq!(files.lookup("site/page.md"), Lookup::Missing);
        let notes = files.unreadable();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("site/.gitignore"), "{notes:?}");
    }
}
