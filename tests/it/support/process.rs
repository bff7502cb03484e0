//! The real `lint-pr serve` binary as a child process (kill -9, SIGTERM, several
//! instances on one database), and the real `lint-pr jobs` command. Its logs go
//! to a file in a temp dir; [`Serve::log_tail`] shows them when a test fails.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::app::{SECRET, get, post};
use super::fake_github::FakeGitHub;
use super::root;

/// A `lint-pr serve` process, SIGKILLed when dropped so a failing test leaves no
/// server behind.
pub(crate) struct Serve {
    child: Child,
    pub(crate) addr: SocketAddr,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

/// Start `lint-pr serve` against `fake` and the store at `database_url`, with
/// short queue settings a test can wait for; `env` adds or overrides `LINT_PR_*`.
pub(crate) fn spawn_serve(fake: &FakeGitHub, database_url: &str, env: &[(&str, &str)]) -> Serve {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lint-pr"));
    cmd.arg("serve");
    for (k, _) in std::env::vars() {
        if k.starts_with("LINT_PR_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("LINT_PR_LISTEN", format!("127.0.0.1:{port}"))
        .env("LINT_PR_APP_ID", "4242")
        .env(
            "LINT_PR_PRIVATE_KEY_PATH",
            root().join("tests/it/support/test-app-key.pem"),
        )
        .env("LINT_PR_WEBHOOK_SECRET", SECRET)
        .env("LINT_PR_GITHUB_API_URL", fake.uri())
        .env("LINT_PR_DATABASE_URL", database_url)
        .env("LINT_PR_DEBOUNCE_MS", "0")
        .env("LINT_PR_LEASE", "2s")
        .env("LINT_PR_RETRY_DELAY", "200ms")
        .env("LINT_PR_SHUTDOWN_TIMEOUT", "5s")
        .env("RUST_LOG", "info,lint_pr=debug");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    Serve {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        log,
        _dir: dir,
    }
}

impl Serve {
    /// Wait until `/readyz` answers 200.
    pub(crate) async fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while get(self.addr, "/readyz").await.0 != 200 {
            assert!(
                Instant::now() < deadline,
                "lint-pr serve never became ready:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Send a signed delivery; the status code.
    pub(crate) async fn deliver(&self, event: &str, delivery_id: &str, payload: &Value) -> u16 {
        let body = serde_json::to_vec(payload).unwrap();
        let sig = lint_pr::server::sign(SECRET.as_bytes(), &body);
        let headers = [
            ("X-GitHub-Event", event),
            ("X-GitHub-Delivery", delivery_id),
            ("X-Hub-Signature-256", sig.as_str()),
        ];
        post(self.addr, "/webhook", &headers, &body).await.0
    }

    /// SIGKILL, as `kill -9` does, and reap it.
    pub(crate) fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as `docker stop` and Kubernetes send it.
    pub(crate) fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Wait for the process to exit by itself, at most `timeout`.
    pub(crate) async fn exited(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The last 60 lines of its log, for failure messages.
    pub(crate) fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(60)..].join("\n")
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// `lint-pr jobs ARGS --database-url URL`: (exit code, stdout, stderr).
pub(crate) fn jobs(database_url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lint-pr"))
        .arg("jobs")
        .args(args)
        .args(["--database-url", database_url])
        .env_remove("LINT_PR_DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `lint-pr jobs list --format json [--state STATE]`: the jobs.
pub(crate) fn jobs_json(database_url: &str, state: Option<&str>) -> Vec<Value> {
    let mut args = vec!["list", "--format", "json"];
    if let Some(s) = state {
        args.extend(["--state", s]);
    }
    let (code, out, err) = jobs(database_url, &args);
    assert_eq!(code, 0, "lint-pr jobs list: {err}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["version"], 1);
    v["jobs"].as_array().unwrap().clone()
}

/// A SQLite URL for a file in `dir`.
pub(crate) fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("lint-pr.db").display())
}
