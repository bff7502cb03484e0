//! Throwaway git repositories and the real `lint-pr` binary, for tests that run
//! the CLI as a user would.

use std::path::PathBuf;
use std::process::{Command, Output};

use tempfile::TempDir;

/// The `lint-pr` binary, without the Actions environment of the machine running
/// the tests.
pub(crate) fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lint-pr"));
    c.env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_ACTIONS")
        .env("NO_COLOR", "1");
    c
}

/// A throwaway git repository with a `main` branch.
pub(crate) struct Repo {
    dir: TempDir,
}

impl Repo {
    pub(crate) fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo.git(&["config", "user.name", "Test"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub(crate) fn git(&self, args: &[&str]) {
        self.git_with_env(&[], args);
    }

    /// `git` with extra environment (e.g. `GIT_COMMITTER_DATE`).
    pub(crate) fn git_with_env(&self, env: &[(&str, &str)], args: &[&str]) {
        let out = Command::new("git")
            .arg("-C")
            .arg(self.dir.path())
            .envs(env.iter().copied())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub(crate) fn commit(&self, msg: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
    }

    /// Run lint-pr in `sub` (relative to the repository root).
    pub(crate) fn lint(&self, sub: &str, args: &[&str]) -> Output {
        bin()
            .current_dir(self.path().join(sub))
            .args(args)
            .output()
            .unwrap()
    }
}
