//! Which paths the repository's `.gitignore` files ignore: a linked file that is
//! not in the repository but ignored is made by the site's build (Flux's website
//! imports its components' pages and ignores them: `gitrepositories.md`,
//! `cmd/flux*`), so a link to it is not broken, only unknown. The CLI reads the
//! files from disk; the App from the contents API at the head commit.
//!
//! A subset of git's rules, enough for the files sites generate: `#` comments,
//! `!` negation (the last matching pattern wins, deeper files after shallower
//! ones), a trailing `/` for directories only, a pattern with a `/` before its
//! end anchored at its `.gitignore`'s folder and one without matching at any
//! depth, `*`, `?`, `[…]` and `**`. Not read: `.git/info/exclude`, the global
//! excludes file, and re-including a file under an ignored folder (git cannot
//! either).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use globset::{GlobBuilder, GlobMatcher};

/// One pattern of a `.gitignore`.
struct Pattern {
    glob: GlobMatcher,
    negated: bool,
    dir_only: bool,
}

/// Where the `.gitignore` files are read from.
enum Source {
    /// Under this folder on disk, each read when first needed.
    Disk(PathBuf),
    /// Their texts, by the folder they are in (`""` for the root); a folder
    /// missing here has none.
    Texts(HashMap<String, String>),
}

/// The `.gitignore` files of a repository, each parsed once.
pub(crate) struct Ignored {
    source: Source,
    /// Patterns by folder (`""` for the root), in file order.
    by_dir: RefCell<HashMap<String, Rc<[Pattern]>>>,
    /// `.gitignore` files on disk that exist but could not be read, with why.
    unreadable: RefCell<Vec<String>>,
}

impl Ignored {
    /// The `.gitignore` files under `root` on disk.
    pub(crate) fn on_disk(root: PathBuf) -> Self {
        Ignored {
            source: Source::Disk(root),
            by_dir: RefCell::default(),
            unreadable: RefCell::default(),
        }
    }

    /// `.gitignore` texts by the folder they are in (`""` for the root).
    pub(crate) fn from_texts(texts: HashMap<String, String>) -> Self {
        Ignored {
            source: Source::Texts(texts),
            by_dir: RefCell::default(),
            unreadable: RefCell::default(),
        }
    }

    /// A note per `.gitignore` on disk that exists but could not be read.
    pub(crate) fn unreadable(&self) -> Vec<String> {
        self.unreadable.take()
    }

    /// The folders whose `.gitignore` [`Ignored::contains`] reads for `path`, from
    /// the root (`""`) down to the path's own folder; none for a path outside the
    /// repository (absolute, or with a `..`), which no `.gitignore` of it speaks of.
    pub(crate) fn folders(path: &str) -> Vec<String> {
        if path.starts_with('/') || path.split('/').any(|p| p == "..") {
            return Vec::new();
        }
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let dirs = parts.split_last().map_or(&[][..], |(_, d)| d);
        (0..=dirs.len())
            .map(|depth| dirs.get(..depth).unwrap_or(&[]).join("/"))
            .collect()
    }

    /// The path of the `.gitignore` of `folder` (`""` for the root).
    pub(crate) fn file_of(folder: &str) -> String {
        if folder.is_empty() {
            ".gitignore".to_string()
        } else {
            format!("{folder}/.gitignore")
        }
    }

    /// Whether `path` (normalised, `/`-separated, relative to the root) is
    /// ignored by the `.gitignore` of its folder or of a folder above it.
    pub(crate) fn contains(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let mut ignored = false;
        // Each folder's patterns, from the root down; within one, each of the
        // path's leading folders below it and then the file itself.
        for (depth, dir) in Self::folders(path).iter().enumerate() {
            let patterns = self.patterns(dir);
            if patterns.is_empty() {
                continue;
            }
            let below = parts.get(depth..).unwrap_or(&[]);
            for end in 1..=below.len() {
                let candidate = below.get(..end).unwrap_or(&[]).join("/");
                let is_dir = end < below.len();
                for p in patterns.iter() {
                    if (is_dir || !p.dir_only) && p.glob.is_match(&candidate) {
                        ignored = !p.negated;
                    }
                }
                // A file under an ignored folder stays ignored.
                if ignored && is_dir {
                    return true;
                }
            }
        }
        ignored
    }

    fn patterns(&self, dir: &str) -> Rc<[Pattern]> {
        if let Some(p) = self.by_dir.borrow().get(dir) {
            return Rc::clone(p);
        }
        // No file, or one that cannot be read: it ignores nothing. One that
        // exists but cannot be read is said (`unreadable`): the files it lists
        // are then reported missing.
        let text = match &self.source {
            Source::Disk(root) => {
                let file = root.join(Self::file_of(dir));
                match std::fs::read_to_string(&file) {
                    Ok(text) => Some(text),
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                        ) =>
                    {
                        None
                    }
                    Err(e) => {
                        self.unreadable.borrow_mut().push(format!(
                            "could not read {} ({e}): links to files it would ignore were checked as if it were not there",
                            file.display()
                        ));
                        None
                    }
                }
            }
            Source::Texts(texts) => texts.get(dir).cloned(),
        };
        let patterns: Rc<[Pattern]> = text
            .map(|t| t.lines().filter_map(pattern).collect())
            .unwrap_or_default();
        self.by_dir
            .borrow_mut()
            .insert(dir.to_string(), Rc::clone(&patterns));
        patterns
    }
}

/// One line of a `.gitignore` as a pattern, if it is one (not blank, not a
/// comment, a glob that compiles).
fn pattern(line: &str) -> Option<Pattern> {
    let line = line.trim_end();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let (negated, line) = match line.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, line.strip_prefix('\\').unwrap_or(line)),
    };
    let (dir_only, line) = match line.strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    // A slash at the start or in the middle anchors the pattern at its folder.
    let anchored = line.contains('/');
    let line = line.strip_prefix('/').unwrap_or(line);
    if line.is_empty() {
        return None;
    }
    let glob = if anchored {
        line.to_string()
    } else {
        format!("**/{line}")
    };
    let glob = GlobBuilder::new(&glob)
        .literal_separator(true)
        .build()
        .ok()?
        .compile_matcher();
    Some(Pattern {
        glob,
        negated,
        dir_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitignore_files_from_the_root_down() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let root = dir.path();
        std::fs::write(
            root.join(".gitignore"),
            "# imported\ncontent/cmd/flux*\nbuild/\n",
        )
        .expect("write");
        std::fs::create_dir_all(root.join("content/source")).expect("mkdir");
        std::fs::write(
            root.join("content/source/.gitignore"),
            "api/v*.md\ngen.md\n*.tmp.md\n!keep.tmp.md\n",
        )
        .expect("write");
        let ignored = Ignored::on_disk(root.to_path_buf());
        assert!(ignored.contains("content/cmd/flux_install.md"));
        assert!(ignored.contains("content/source/gen.md"));
        assert!(ignored.contains("content/source/api/v1.md"));
        assert!(ignored.contains("content/source/deep/x.tmp.md"));
        assert!(ignored.contains("build/out/page.md"));
        assert!(!ignored.contains("content/source/keep.tmp.md"));
        assert!(!ignored.contains("content/source/other.md"));
        assert!(!ignored.contains("content/cmd/other.md"));
        // Anchored: `api/v*.md` is under `content/source` only.
        assert!(!ignored.contains("content/api/v1.md"));
        // `build/` is a folder: a file named `build` is not ignored.
        assert!(!ignored.contains("build"));
        assert!(!ignored.contains(""));
        // Nothing above the root is read or matched.
        assert!(!ignored.contains("../content/source/gen.md"));
        assert!(!ignored.contains("/content/source/gen.md"));
        // The same rules from texts (the App reads them through the API).
        let texts = Ignored::from_texts(HashMap::from([
            (String::new(), "content/cmd/flux*\n".to_string()),
            ("content/source".to_string(), "gen.md\n".to_string()),
        ]));
        assert!(texts.contains("content/cmd/flux_install.md"));
        assert!(texts.contains("content/source/gen.md"));
        assert!(!texts.contains("content/source/other.md"));
        assert_eq!(
            Ignored::folders("content/source/gen.md"),
            ["", "content", "content/source"]
        );
        assert_eq!(Ignored::folders("top.md"), [""]);
        assert!(Ignored::folders("../x.md").is_empty());
        assert_eq!(Ignored::file_of("content"), "content/.gitignore");
        assert_eq!(Ignored::file_of(""), ".gitignore");
    }
}
