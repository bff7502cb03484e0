//! Several `lint-pr serve` instances on one PostgreSQL, a burst of deliveries for
//! many PRs sent round-robin (issue 12: 1,000 deliveries for 200 PRs on two
//! instances). Reports accepted/s and accept latency, the time until every PR has
//! its check run, and what must be zero: PRs without a run (lost) and PRs with
//! more than one (duplicated). A benchmark, not a test: bench/queue.sh runs it.
//!
//!     cargo build --release && cargo run --release --example queue -- [PRS] [PUSHES] [INSTANCES]
//!
//! The instances are the release binary (`target/release/lint-pr`, or
//! `LINT_PR_BIN`); GitHub is the tests' fake (tests/it/support/fake_github.rs) on
//! loopback; PostgreSQL is `LINT_PR_TEST_POSTGRES_URL` (default
//! postgres://postgres@127.0.0.1:5432/postgres), where a database of its own is
//! created and dropped. Bounded: it sends PRS × PUSHES deliveries and gives up
//! after 120 s (`SOAK_DEADLINE_S`).
//!
//! Faults, for the soak (bench/soak.sh): `SOAK_FAIL_RATE` (share of GitHub
//! requests answered 502), `SOAK_RATE_LIMIT_RATE` (share answered 403 with
//! `Retry-After: 1`), `SOAK_DELAY_MS` (every GitHub answer waits this long),
//! `SOAK_WORKERS` (workers per instance). It then also reports end-to-end
//! latency per PR (its last delivery sent → its check run completed, seen by
//! polling every 50 ms) and each instance's peak RSS.
// A benchmark reads top to bottom as one scenario; a panic is a failed run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::too_many_lines
)]

#[allow(dead_code, unreachable_pub)]
#[path = "../tests/it/support/fake_github.rs"]
mod fake_github;
mod proc_status;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_github::{FakeGitHub, Pull};
use sqlx::{Connection, Executor, PgConnection};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "bench-secret";
const REPO: &str = "Codertocat/Hello-World";

/// What `fake_github` reads its REST examples from.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn sha(n: u64, round: u64) -> String {
    format!("{n:020x}{round:020x}")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let prs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let pushes: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let instances: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(prs, pushes, instances.max(1)));
}

async fn run(prs: u64, pushes: u64, instances: usize) {
    let admin = std::env::var("LINT_PR_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("lint_pr_bench_{}", std::process::id());
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL unreachable ({e}); set LINT_PR_TEST_POSTGRES_URL"));
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");

    let env_f64 = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
    let fake = FakeGitHub::start().await;
    fake.set_fail_rate(env_f64("SOAK_FAIL_RATE").unwrap_or(0.0));
    fake.set_rate_limit_rate(env_f64("SOAK_RATE_LIMIT_RATE").unwrap_or(0.0));
    fake.set_delay(Duration::from_millis(
        env_f64("SOAK_DELAY_MS").unwrap_or(0.0) as u64,
    ));
    let workers = std::env::var("SOAK_WORKERS").unwrap_or_else(|_| "4".into());
    let deadline_s = env_f64("SOAK_DEADLINE_S").unwrap_or(120.0);
    for pr in 1..=prs {
        fake.set_pull(
            REPO,
            pr,
            Pull {
                head_sha: sha(pr, pushes - 1),
                ..Pull::default()
            },
        );
    }
    let bin = std::env::var("LINT_PR_BIN")
        .unwrap_or_else(|_| format!("{}/target/release/lint-pr", env!("CARGO_MANIFEST_DIR")));
    let mut children = Vec::new();
    let mut addrs = Vec::new();
    for _ in 0..instances {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(&bin)
            .arg("serve")
            .env("LINT_PR_LISTEN", format!("127.0.0.1:{port}"))
            .env("LINT_PR_APP_ID", "4242")
            .env(
                "LINT_PR_PRIVATE_KEY_PATH",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/test-app-key.pem"),
            )
            .env("LINT_PR_WEBHOOK_SECRET", SECRET)
            .env("LINT_PR_GITHUB_API_URL", fake.uri())
            .env("LINT_PR_DATABASE_URL", &url)
            .env("LINT_PR_DEBOUNCE_MS", "2000")
            .env("LINT_PR_WORKERS", &workers)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {bin}: {e} (cargo build --release first)"));
        children.push(child);
        addrs.push(std::net::SocketAddr::from(([127, 0, 0, 1], port)));
    }
    for addr in &addrs {
        let deadline = Instant::now() + Duration::from_secs(30);
        while get_status(*addr, "/readyz").await != Some(200) {
            assert!(Instant::now() < deadline, "an instance never became ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    // Round-robin, 16 at a time.
    let payload =
        read(&fixtures().join("github/webhooks/payloads/pull_request/synchronize.payload.json"));
    let template: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let work: Vec<(u64, u64)> = (0..pushes)
        .flat_map(|r| (1..=prs).map(move |p| (p, r)))
        .collect();
    let work = Arc::new(tokio::sync::Mutex::new(work.into_iter().enumerate()));
    let started = Instant::now();
    // When each PR's last push was answered: the start of its end-to-end time.
    let last_sent: Arc<std::sync::Mutex<HashMap<u64, Instant>>> = Arc::default();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (work, addrs, template) = (work.clone(), addrs.clone(), template.clone());
        let last_sent = last_sent.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut bad = 0;
            loop {
                let Some((i, (pr, round))) = work.lock().await.next() else {
                    break;
                };
                let mut p = template.clone();
                p["number"] = serde_json::json!(pr);
                p["pull_request"]["head"]["sha"] = serde_json::json!(sha(pr, round));
                let body = serde_json::to_vec(&p).unwrap();
                let t = Instant::now();
                let status =
                    deliver(addrs[i % addrs.len()], &format!("b-{pr}-{round}"), &body).await;
                lat.push(t.elapsed().as_secs_f64());
                if round == pushes - 1 {
                    last_sent.lock().unwrap().insert(pr, Instant::now());
                }
                if status != Some(202) {
                    bad += 1;
                }
            }
            (lat, bad)
        }));
    }
    let mut lat = Vec::new();
    let mut bad = 0;
    for t in tasks {
        let (l, b) = t.await.unwrap();
        lat.extend(l);
        bad += b;
    }
    let sending = started.elapsed();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| quantile(&lat, p) * 1e3;

    let deadline = Instant::now() + Duration::from_secs_f64(deadline_s);
    // When each PR's final head was first seen with a completed run.
    let mut completed_at: HashMap<u64, Instant> = HashMap::new();
    let runs = loop {
        let mut by: HashMap<String, usize> = HashMap::new();
        for r in fake.check_runs() {
            if r.status == "completed" {
                *by.entry(r.head_sha).or_default() += 1;
            }
        }
        let now = Instant::now();
        for p in 1..=prs {
            if by.contains_key(&sha(p, pushes - 1)) {
                completed_at.entry(p).or_insert(now);
            }
        }
        if completed_at.len() as u64 == prs || now > deadline {
            break by;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut e2e: Vec<f64> = {
        let sent = last_sent.lock().unwrap();
        completed_at
            .iter()
            .filter_map(|(p, done)| Some(done.duration_since(*sent.get(p)?).as_secs_f64()))
            .collect()
    };
    e2e.sort_by(f64::total_cmp);
    let e2e_pct = |p: f64| quantile(&e2e, p);
    // Peak RSS of each instance (VmHWM), read before they are stopped.
    let peak_rss_mb: Vec<f64> = children
        .iter()
        .map(|c| proc_status::peak_rss_mb(c.id()))
        .collect();
    let end_to_end = started.elapsed();
    let lost = (1..=prs)
        .filter(|p| !runs.contains_key(&sha(*p, pushes - 1)))
        .count();
    let duplicated = runs.values().filter(|n| **n > 1).count();
    let stale = runs
        .keys()
        .filter(|h| !(1..=prs).any(|p| **h == sha(p, pushes - 1)))
        .count();
    println!(
        "{instances} instances on PostgreSQL, {prs} PRs x {pushes} pushes = {} deliveries, round-robin, 16 at a time",
        prs * pushes
    );
    println!(
        "accepted/s {:.0}   accept p50 {:.1} ms   p99 {:.1} ms   not 202: {bad}",
        lat.len() as f64 / sending.as_secs_f64(),
        pct(0.5),
        pct(0.99)
    );
    println!(
        "every PR's check run after {:.1} s (debounce 2 s included)",
        end_to_end.as_secs_f64()
    );
    println!(
        "end to end (last push answered -> check run completed): p50 {:.2} s   p99 {:.2} s",
        e2e_pct(0.5),
        e2e_pct(0.99)
    );
    println!(
        "GitHub faults injected: {}   peak RSS per instance: {}",
        fake.state.lock().unwrap().faults_injected,
        peak_rss_mb
            .iter()
            .map(|m| format!("{m:.1} MB"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("lost {lost}   duplicated {duplicated}   stale {stale}   (each must be 0)");
    println!("fake GitHub rejections: {}", fake.rejections().len());

    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    conn.execute(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .await
    .unwrap();
    if lost + duplicated + stale > 0 {
        std::process::exit(1);
    }
}

async fn deliver(addr: std::net::SocketAddr, id: &str, body: &[u8]) -> Option<u16> {
    let sig = lint_pr::server::sign(SECRET.as_bytes(), body);
    let head = format!(
        "POST /webhook HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {id}\r\nX-Hub-Signature-256: {sig}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    status(addr, head.as_bytes(), body).await
}

async fn get_status(addr: std::net::SocketAddr, path: &str) -> Option<u16> {
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    status(addr, head.as_bytes(), &[]).await
}

/// Send one request (`head`, then `body`) on a new connection; the answer's status.
async fn status(addr: std::net::SocketAddr, head: &[u8], body: &[u8]) -> Option<u16> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    s.write_all(head).await.ok()?;
    s.write_all(body).await.ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.ok()?;
    String::from_utf8_lossy(&out)
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

/// The `p` quantile (0..=1) of sorted `values`; 0 for none.
fn quantile(values: &[f64], p: f64) -> f64 {
    values
        .get(((values.len() as f64 * p) as usize).min(values.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0)
}
