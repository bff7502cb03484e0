//! The real `lint-pr serve` app on 127.0.0.1 (port 0), wired to a [`FakeGitHub`],
//! with a SQLite store in a temp dir, plus a tiny HTTP client for deliveries.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lint_pr::github::{self, GitHub};
use lint_pr::jobs::{Filters, Store, worker};
use lint_pr::server::{self, App, AppState};
use secrecy::SecretString;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

use super::fake_github::FakeGitHub;
use super::{fixtures, root};

/// The webhook secret of the test App. Tests grep logs for it.
pub(crate) const SECRET: &str = "test-webhook-secret-DO-NOT-LOG";

/// Knobs of one test app.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) debounce: Duration,
    pub(crate) workers: usize,
    /// Reuse this database file (restart tests); default: a fresh one.
    pub(crate) db: Option<PathBuf>,
    pub(crate) filters: Filters,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            debounce: Duration::from_millis(30),
            workers: 2,
            db: None,
            filters: Filters::default(),
        }
    }
}

pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) fake: FakeGitHub,
    pub(crate) store: Store,
    pub(crate) db: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: Option<tempfile::TempDir>,
}

pub(crate) fn private_key() -> String {
    super::read(&root().join("tests/it/support/test-app-key.pem"))
}

impl TestApp {
    pub(crate) async fn start(fake: FakeGitHub, opts: Options) -> TestApp {
        let (dir, db) = match &opts.db {
            Some(p) => (None, p.clone()),
            None => {
                let d = tempfile::tempdir().unwrap();
                let p = d.path().join("lint-pr.db");
                (Some(d), p)
            }
        };
        let store = Store::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let gh = GitHub::new(github::Settings {
            api_url: fake.uri(),
            app_id: 4242,
            private_key: SecretString::from(private_key()),
            // Fast retries: the policy is the production one, the delays are short.
            retry: github::retry::Policy {
                max_attempts: 6,
                base_delay: Duration::from_millis(5),
                max_delay: Duration::from_millis(50),
                ..github::retry::Policy::default()
            },
            timeout: Duration::from_secs(5),
        })
        .unwrap();
        let wake = Arc::new(tokio::sync::Notify::new());
        let filters = opts.filters;
        let state = AppState {
            store: store.clone(),
            webhook_secret: Arc::new(SecretString::from(SECRET)),
            filters,
            debounce: opts.debounce,
            wake: wake.clone(),
            shutting_down: Arc::default(),
            metrics: None,
        };
        let workers = worker::Deps {
            store: store.clone(),
            github: Arc::new(gh),
            filters,
            settings: worker::Settings {
                workers: opts.workers,
                poll: Duration::from_millis(20),
                max_attempts: 4,
                retry_delay: Duration::from_millis(50),
                lease: Duration::from_secs(30),
                shutdown_timeout: Duration::from_secs(10),
            },
            wake,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server::start(listener, App { state, workers }, async {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            fake,
            store,
            db,
            stop: Some(tx),
            task: Some(task),
            _dir: dir,
        }
    }

    /// Send a signed delivery; returns the status code.
    pub(crate) async fn deliver(&self, event: &str, delivery_id: &str, body: &[u8]) -> u16 {
        let sig = server::sign(SECRET.as_bytes(), body);
        post(
            self.addr,
            "/webhook",
            &[
                ("X-GitHub-Event", event),
                ("X-GitHub-Delivery", delivery_id),
                ("X-Hub-Signature-256", &sig),
            ],
            body,
        )
        .await
        .0
    }

    pub(crate) async fn deliver_json(
        &self,
        event: &str,
        delivery_id: &str,
        payload: &Value,
    ) -> u16 {
        self.deliver(event, delivery_id, &serde_json::to_vec(payload).unwrap())
            .await
    }

    /// Wait until no job is queued or running (all outcomes recorded).
    pub(crate) async fn settle(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let counts = self.store.counts().await.unwrap();
            let busy = counts
                .iter()
                .any(|(state, n)| (state == "queued" || state == "running") && *n > 0);
            if !busy {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "jobs still busy after {timeout:?}: {counts:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stop serving and let workers finish (graceful shutdown).
    pub(crate) async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        self.store.close().await;
    }
}

/// Poll `f` until it returns `Some`, or fail after `timeout` with `what`.
pub(crate) async fn eventually<T>(
    timeout: Duration,
    what: &str,
    mut f: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A real webhook payload from fixtures/github/webhooks.
pub(crate) fn payload(rel: &str) -> Value {
    serde_json::from_str(&super::read(&fixtures().join("github/webhooks").join(rel))).unwrap()
}

/// A minimal HTTP/1.1 POST over loopback: (status, body).
pub(crate) async fn post(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body).await.unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A minimal HTTP/1.1 GET: (status, body); status 0 when nothing listens.
pub(crate) async fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
        return (0, String::new());
    };
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}
