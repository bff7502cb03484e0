//! Load on `POST /webhook` as deployed (issue 12's bar): the release `lint-pr
//! serve` binary with its workers running against a fake GitHub, next to an axum
//! "hello world" measured in the same run as the ceiling of this machine, HTTP
//! stack and client.
//!
//! The hello world is a process of its own, as `serve` is: this example run
//! again as `loadgen --hello ADDR`, on a multi-threaded tokio runtime built
//! like `serve`'s. In the loadgen process it shared the client's runtime (no
//! process switch, no cross-process wake-up per request) and ran about twice
//! as fast as a server process can here: a ceiling no server could reach.
//!
//!     cargo build --release --bin lint-pr
//!     cargo run --release --example loadgen -- [SECONDS] [CONNECTIONS] [PRS]
//!
//! Defaults: 60 s per target, 16 connections, 20,000 PRs. Targets, one after the
//! other: the hello world, then `serve` on SQLite (a file in a temp dir: WAL,
//! `synchronous=FULL`), then `serve` on PostgreSQL (a database of its own on
//! `LINT_PR_TEST_POSTGRES_URL`, default
//! postgres://postgres@127.0.0.1:5432/postgres, created and dropped).
//! `LOADGEN_TARGETS=hello,sqlite,postgres` picks some of them.
//!
//! `serve` runs with its defaults (4 workers, 2 s debounce) except what the
//! bench must set: the fake GitHub's URL, the App's test key and secret.
//! `LOADGEN_WORKERS` overrides the worker count; the binary is the
//! `lint-pr` of this example's target directory, or `LINT_PR_BIN`. GitHub is the tests' fake
//! (tests/it/support/fake_github.rs, the REST API's real shapes) in this
//! process, serving PRS pull requests. Every request is a signed
//! `pull_request.synchronize` (the 24 KB payload of `fixtures/github`) with a new
//! delivery id shaped as GitHub's (a time-based UUID: [`delivery_id`];
//! `LOADGEN_SCATTERED_IDS=1` sends the earlier `loadgen-<connection>-<n>`),
//! for the PRs in turn (request n of the run, over all connections,
//! is for PR n mod PRS). So each PR gets a push every PRS requests: with 20,000
//! PRs and a few thousand requests a second, that is longer than the 2 s
//! debounce, every push's job becomes due, and the workers lint and post check
//! runs the whole time (they cannot keep up: the worst case for the accept path,
//! which they share the machine and the store with). With few PRs, pushes come
//! faster than the debounce, each supersedes the last, and the workers never
//! run a job. Payloads are signed once per PR, before the clock starts (signing
//! in this process would take CPU from the servers; 20,000 payloads are ~480 MB).
//!
//! Each connection is HTTP/1.1 keep-alive with one request in flight. Printed per
//! target: requests, answers per second, p50/p99 latency; per 10-second window
//! the rate and p99 (to show the run is flat); the server process's peak RSS
//! (VmHWM of /proc/PID/status) and the CPU it used (/proc/PID/stat) per
//! request, in all and per thread name; for `serve`, the check runs its
//! workers completed meanwhile.
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

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use fake_github::{FakeGitHub, Pull};
use sqlx::{Connection, Executor, PgConnection};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const SECRET: &str = "loadgen-secret";
const REPO: &str = "Codertocat/Hello-World";
/// The width of the windows that show whether a run is flat.
const WINDOW: Duration = Duration::from_secs(10);

/// What `fake_github` reads its REST examples from.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// `fake_github` reads its examples with this.
fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--hello") {
        let addr: SocketAddr = args.nth(1).and_then(|a| a.parse().ok()).unwrap();
        hello(addr);
        return;
    }
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let connections: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let prs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(Duration::from_secs(seconds), connections, prs.max(1)));
}

/// One PR's delivery, ready to send.
struct Delivery {
    body: Vec<u8>,
    signature: String,
}

async fn run(duration: Duration, connections: usize, prs: u64) {
    let targets =
        std::env::var("LOADGEN_TARGETS").unwrap_or_else(|_| "hello,sqlite,postgres".into());
    let template: serde_json::Value = serde_json::from_str(&read(
        &fixtures().join("github/webhooks/payloads/pull_request/synchronize.payload.json"),
    ))
    .unwrap();
    let deliveries: Arc<Vec<Delivery>> = Arc::new(
        (1..=prs)
            .map(|pr| {
                let mut p = template.clone();
                p["number"] = serde_json::json!(pr);
                p["pull_request"]["number"] = serde_json::json!(pr);
                p["pull_request"]["head"]["sha"] = serde_json::json!(head(pr));
                let body = serde_json::to_vec(&p).unwrap();
                let signature = lint_pr::server::sign(SECRET.as_bytes(), &body);
                Delivery { body, signature }
            })
            .collect(),
    );
    println!(
        "{connections} connections, {}s per target, {prs} PRs, payload {} bytes (pull_request.synchronize), {} cores",
        duration.as_secs(),
        deliveries[0].body.len(),
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    println!("load before: {}", loadavg());
    let mut hello_rate = None;
    for target in targets.split(',').map(str::trim) {
        let (addr, server) = match target {
            "hello" => {
                let h = Hello::start().await;
                (h.addr, Target::Hello(h))
            }
            "sqlite" | "postgres" => {
                let s = Serve::start(target, prs).await;
                (s.addr, Target::Serve(s))
            }
            other => panic!("unknown target {other:?}: hello, sqlite or postgres"),
        };
        let is_serve = matches!(server, Target::Serve(_));
        let want = if is_serve { 202 } else { 200 };
        let cpu_before = server.process().cpu_seconds();
        let threads_before = server.process().cpu_by_thread();
        let r = load(addr, deliveries.clone(), duration, connections, want).await;
        let cpu = server.process().cpu_seconds() - cpu_before;
        let per_request = |cpu: f64| cpu / r.latencies.len().max(1) as f64 * 1e6;
        let threads: Vec<String> = server
            .process()
            .cpu_by_thread()
            .into_iter()
            .map(|(name, s)| (s - threads_before.get(&name).copied().unwrap_or(0.0), name))
            .filter(|(s, _)| *s >= 0.05)
            .map(|(s, name)| format!("{name} {:.0} us", per_request(s)))
            .collect();
        let rate = r.latencies.len() as f64 / r.elapsed.as_secs_f64();
        if target == "hello" {
            hello_rate = Some(rate);
        }
        let ratio = hello_rate.map_or(String::new(), |h| format!("  {:.3}x hello", rate / h));
        println!(
            "\n{target}: {} requests, {rate:.0}/s{ratio}, p50 {:.2} ms, p99 {:.2} ms, not {want}: {}, load {}",
            r.latencies.len(),
            quantile(
                &mut r.latencies.iter().map(|l| l.1).collect::<Vec<_>>(),
                0.5
            ) * 1e3,
            quantile(
                &mut r.latencies.iter().map(|l| l.1).collect::<Vec<_>>(),
                0.99
            ) * 1e3,
            r.unexpected,
            loadavg()
        );
        // Whole windows only (the run ends a few ms after its deadline).
        let windows = (r.elapsed.as_secs_f64() / WINDOW.as_secs_f64())
            .floor()
            .max(1.0);
        for w in 0..windows as usize {
            let from = w as f64 * WINDOW.as_secs_f64();
            let mut in_window: Vec<f64> = r
                .latencies
                .iter()
                .filter(|(at, _)| *at >= from && *at < from + WINDOW.as_secs_f64())
                .map(|l| l.1)
                .collect();
            let width = WINDOW.as_secs_f64().min(r.elapsed.as_secs_f64());
            println!(
                "  {:>3}-{:<3}s  {:>7.0}/s  p99 {:>6.2} ms",
                from as u64,
                (from + width) as u64,
                in_window.len() as f64 / width,
                quantile(&mut in_window, 0.99) * 1e3
            );
        }
        println!(
            "  {target} used {cpu:.1} CPU-seconds ({:.0}% of the machine), {:.0} us per request{}; peak RSS {:.1} MB",
            100.0 * cpu
                / r.elapsed.as_secs_f64()
                / std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64),
            per_request(cpu),
            if is_serve { " (workers included)" } else { "" },
            server.process().peak_rss_mb()
        );
        println!("  per request, by thread: {}", threads.join(", "));
        match server {
            Target::Serve(s) => {
                let completed = s
                    .fake
                    .check_runs()
                    .iter()
                    .filter(|c| c.status == "completed")
                    .count();
                println!(
                    "  workers completed {completed} check runs meanwhile; fake GitHub rejections: {}; deliveries per grouped commit: {:.1}",
                    s.fake.rejections().len(),
                    mean_batch(s.addr).await
                );
                s.stop().await;
            }
            Target::Hello(h) => h.process.stop(),
        }
    }
}

/// What a run measures: both are processes of their own.
enum Target {
    Hello(Hello),
    Serve(Serve),
}

impl Target {
    fn process(&self) -> &Process {
        match self {
            Target::Hello(h) => &h.process,
            Target::Serve(s) => &s.process,
        }
    }
}

/// The ceiling: axum reading the POST body and answering a fixed text, nothing
/// else, in a process of its own (`loadgen --hello ADDR`).
struct Hello {
    process: Process,
    addr: SocketAddr,
}

impl Hello {
    async fn start() -> Hello {
        let addr = free_addr();
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--hello")
            .arg(addr.to_string())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).await.is_err() {
            assert!(Instant::now() < deadline, "the hello world never listened");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Hello {
            process: Process(child),
            addr,
        }
    }
}

/// `loadgen --hello ADDR`: the hello world's process. Its runtime is built as
/// `lint-pr serve` builds its own (multi-threaded, a thread per core).
fn hello(addr: SocketAddr) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = Router::new().route(
            "/webhook",
            post(|_body: axum::body::Bytes| async { "Hello, World!" }),
        );
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        axum::serve(listener, app).await.unwrap();
    });
}

/// A loopback address no one listens on yet.
fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A server process the run measures: its CPU time and peak memory.
struct Process(std::process::Child);

impl Process {
    /// The process's peak resident set (VmHWM), in MB.
    fn peak_rss_mb(&self) -> f64 {
        proc_status::peak_rss_mb(self.0.id())
    }

    /// User + system CPU time the process has used, in seconds.
    fn cpu_seconds(&self) -> f64 {
        cpu_of(&format!("/proc/{}/stat", self.0.id())).map_or(f64::NAN, |(_, s)| s)
    }

    /// CPU seconds per thread name (`tokio-runtime-w` serves HTTP,
    /// `lint-pr-worker` runs jobs, `sqlx-sqlite-wor` is SQLite's own thread).
    fn cpu_by_thread(&self) -> std::collections::BTreeMap<String, f64> {
        let mut by = std::collections::BTreeMap::new();
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", self.0.id())) else {
            return by;
        };
        for t in tasks.flatten() {
            if let Some((name, s)) = cpu_of(&t.path().join("stat").display().to_string()) {
                *by.entry(name).or_insert(0.0) += s;
            }
        }
        by
    }

    fn stop(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The name and user + system CPU seconds of a /proc/…/stat file (in clock
/// ticks of 1/100 s there).
fn cpu_of(stat: &str) -> Option<(String, f64)> {
    let st = std::fs::read_to_string(stat).ok()?;
    let (head, _) = st.split_once(')')?;
    let name = head.split_once('(')?.1.to_string();
    // Fields after the command name, which is in parentheses.
    let rest = st.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some((name, ticks / 100.0))
}

/// PR `n`'s head SHA (40 hex digits).
fn head(n: u64) -> String {
    format!("{n:040x}")
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A `lint-pr serve` process, its fake GitHub, and its database.
struct Serve {
    process: Process,
    addr: SocketAddr,
    fake: FakeGitHub,
    /// PostgreSQL: the admin connection and the database to drop.
    pg: Option<(PgConnection, String)>,
    _dir: tempfile::TempDir,
}

impl Serve {
    async fn start(backend: &str, prs: u64) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = if backend == "sqlite" {
            (
                format!("sqlite://{}", dir.path().join("lint-pr.db").display()),
                None,
            )
        } else {
            let admin = std::env::var("LINT_PR_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let name = format!("lint_pr_loadgen_{}", std::process::id());
            let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
                panic!("PostgreSQL unreachable ({e}); set LINT_PR_TEST_POSTGRES_URL")
            });
            conn.execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await
            .unwrap();
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .unwrap();
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            (format!("{base}/{name}"), Some((conn, name)))
        };
        let fake = FakeGitHub::start().await;
        for pr in 1..=prs {
            fake.set_pull(
                REPO,
                pr,
                Pull {
                    head_sha: head(pr),
                    ..Pull::default()
                },
            );
        }
        // Beside this example's own directory (target/release/examples/..), so
        // CARGO_TARGET_DIR is followed.
        let bin = std::env::var("LINT_PR_BIN").unwrap_or_else(|_| {
            let exe = std::env::current_exe().unwrap();
            let release = exe.parent().and_then(Path::parent).unwrap();
            release.join("lint-pr").display().to_string()
        });
        let port = free_addr().port();
        let mut cmd = std::process::Command::new(&bin);
        cmd.arg("serve")
            .env("LINT_PR_LISTEN", format!("127.0.0.1:{port}"))
            .env("LINT_PR_APP_ID", "4242")
            .env(
                "LINT_PR_PRIVATE_KEY_PATH",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/test-app-key.pem"),
            )
            .env("LINT_PR_WEBHOOK_SECRET", SECRET)
            .env("LINT_PR_GITHUB_API_URL", fake.uri())
            .env("LINT_PR_DATABASE_URL", &url)
            // Logging as deployed (`info`, lint-pr's default), to a sink.
            .env_remove("RUST_LOG")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if let Ok(w) = std::env::var("LOADGEN_WORKERS") {
            cmd.env("LINT_PR_WORKERS", w);
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("starting {bin}: {e} (cargo build --release --bin lint-pr first)")
        });
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ready(addr).await {
            assert!(
                Instant::now() < deadline,
                "lint-pr serve never became ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Serve {
            process: Process(child),
            addr,
            fake,
            pg,
            _dir: dir,
        }
    }

    async fn stop(mut self) {
        self.process.stop();
        if let Some((mut conn, name)) = self.pg.take() {
            conn.execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await
            .unwrap();
        }
    }
}

async fn ready(addr: SocketAddr) -> bool {
    get(addr, "/readyz").await.starts_with("HTTP/1.1 200")
}

/// `GET path`, the whole answer (status line, headers and body) as text.
async fn get(addr: SocketAddr, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        return String::new();
    };
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(head.as_bytes()).await.is_err() {
        return String::new();
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// The mean size of the store's grouped commits so far, from `/metrics`
/// (`lint_pr_store_commit_batch_size`, a summary: `_sum` / `_count`).
async fn mean_batch(addr: SocketAddr) -> f64 {
    let metrics = get(addr, "/metrics").await;
    let value = |name: &str| {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
    };
    match (
        value("lint_pr_store_commit_batch_size_sum"),
        value("lint_pr_store_commit_batch_size_count"),
    ) {
        (Some(sum), Some(count)) if count > 0.0 => sum / count,
        _ => f64::NAN,
    }
}

struct Measured {
    /// `(seconds since the start when answered, latency in seconds)`.
    latencies: Vec<(f64, f64)>,
    unexpected: usize,
    elapsed: Duration,
}

async fn load(
    addr: SocketAddr,
    deliveries: Arc<Vec<Delivery>>,
    duration: Duration,
    connections: usize,
    want: u16,
) -> Measured {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    // Request n of the run is for PR n mod PRS, whichever connection sends it.
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // `LOADGEN_SCATTERED_IDS=1`: the ids of runs before 2026-12-05 23:40
    // (`loadgen-<connection>-<n>`), which land all over the store's delivery key.
    let scattered_ids = std::env::var_os("LOADGEN_SCATTERED_IDS").is_some();
    for c in 0..connections {
        let deliveries = deliveries.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut unexpected = 0usize;
            let Ok(stream) = TcpStream::connect(addr).await else {
                return (latencies, 1);
            };
            let _ = stream.set_nodelay(true);
            let mut stream = BufReader::new(stream);
            let mut n = 0usize;
            let mut head = String::with_capacity(512);
            while Instant::now() < deadline {
                n += 1;
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let d = &deliveries[i % deliveries.len()];
                head.clear();
                use std::fmt::Write as _;
                let id = if scattered_ids {
                    format!("loadgen-{c}-{n}")
                } else {
                    delivery_id(c, n)
                };
                let _ = write!(
                    head,
                    "POST /webhook HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {id}\r\nX-Hub-Signature-256: {}\r\n\r\n",
                    d.body.len(),
                    d.signature
                );
                let t = Instant::now();
                if stream.get_mut().write_all(head.as_bytes()).await.is_err()
                    || stream.get_mut().write_all(&d.body).await.is_err()
                {
                    unexpected += 1;
                    break;
                }
                let Some(status) = read_response(&mut stream).await else {
                    unexpected += 1;
                    break;
                };
                latencies.push((
                    t.duration_since(start).as_secs_f64(),
                    t.elapsed().as_secs_f64(),
                ));
                if status != want {
                    unexpected += 1;
                }
            }
            (latencies, unexpected)
        }));
    }
    let mut latencies = Vec::new();
    let mut unexpected = 0;
    for t in tasks {
        let (l, u) = t.await.unwrap();
        latencies.extend(l);
        unexpected += u;
    }
    Measured {
        latencies,
        unexpected,
        elapsed: start.elapsed(),
    }
}

/// A delivery id shaped as GitHub's: a version-1 (time-based) UUID, as in
/// every `X-GitHub-Delivery` of `fixtures/github` and GitHub's docs
/// ("0b989ba4-242f-11e5-81e1-c7b6966d2516"). Its first field is the low 32 bits
/// of the time in 100 ns ticks, so ids sent close together sort close together
/// (the store's delivery key is inserted near one place, not at random). The
/// clock sequence and node are the connection and the request's number, so
/// every id of the run is unique.
fn delivery_id(connection: usize, n: usize) -> String {
    // 100 ns ticks from 1582-10-15 (the UUID epoch) to 1970-01-01.
    const UUID_EPOCH: u64 = 0x01B2_1DD2_1381_4000;
    let ticks = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| (d.as_nanos() / 100) as u64)
        + UUID_EPOCH;
    format!(
        "{:08x}-{:04x}-1{:03x}-{:04x}-{:012x}",
        ticks & 0xFFFF_FFFF,
        (ticks >> 32) & 0xFFFF,
        (ticks >> 48) & 0x0FFF,
        0x8000 | (connection & 0x3FFF),
        n & 0xFFFF_FFFF_FFFF
    )
}

/// The `p` quantile (0..=1) of `values` (sorted here); 0 for none.
fn quantile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values
        .get(((values.len() as f64 * p) as usize).min(values.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0)
}

/// Read one HTTP/1.1 response (status line, headers, Content-Length body).
async fn read_response(stream: &mut BufReader<TcpStream>) -> Option<u16> {
    let mut line = String::new();
    stream.read_line(&mut line).await.ok()?;
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line).await.ok()?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some(status)
}
