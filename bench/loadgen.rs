//! Load generator for `POST /webhook` (issue 4): signed deliveries over loopback,
//! accepted deliveries per second and p50/p99 answer latency, next to an axum
//! "hello world" on the same machine as the ceiling.
//!
//!     cargo run --release --example loadgen -- [SECONDS] [CONNECTIONS]
//!
//! The webhook server is the real `server::router` with a SQLite store (WAL,
//! `synchronous=FULL`) in a temp dir, or PostgreSQL with
//! `LOADGEN_DATABASE_URL=postgres://…`: every 202 is a committed transaction. Workers are not started (no
//! GitHub here), so this measures what GitHub waits for: verify, classify, store,
//! answer. Each connection is HTTP/1.1 keep-alive and sends one request at a time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use lint_pr::jobs::{Filters, Store};
use lint_pr::server::{self, AppState};
use secrecy::SecretString;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const SECRET: &str = "loadgen-secret";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let connections: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(16);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run(Duration::from_secs(seconds), connections))
}

async fn run(duration: Duration, connections: usize) -> Result<(), Box<dyn std::error::Error>> {
    let payload = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/github/webhooks/payloads/pull_request/opened.payload.json"))
        .unwrap_or_else(|_| br#"{"action":"opened","number":2,"pull_request":{"head":{"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821"},"user":{"login":"a"}},"installation":{"id":1},"repository":{"full_name":"o/r"}}"#.to_vec());
    let payload = Arc::new(payload);

    // The ceiling: axum reading the POST body and answering a fixed text, nothing else.
    let hello = Router::new().route(
        "/webhook",
        post(|_body: axum::body::Bytes| async { "Hello, World!" }),
    );
    let hello_addr = serve(hello).await?;

    // The store: a SQLite file in a temp dir (default), or the PostgreSQL
    // database named by LOADGEN_DATABASE_URL (its jobs table grows by the run).
    let dir = tempfile::tempdir()?;
    let url = std::env::var("LOADGEN_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let store = Store::connect(&url).await?;
    println!(
        "store: {} (every 202 is a committed transaction; concurrent deliveries share a commit)",
        store.kind()
    );
    let state = AppState {
        store,
        webhook_secret: Arc::new(SecretString::from(SECRET)),
        filters: Filters::default(),
        debounce: Duration::from_secs(3600),
        wake: Arc::new(tokio::sync::Notify::new()),
        shutting_down: Arc::default(),
        metrics: None,
    };
    let app_addr = serve(server::router(state)).await?;

    println!(
        "{connections} connections, {}s each, payload {} bytes (pull_request.opened)",
        duration.as_secs(),
        payload.len()
    );
    println!(
        "{:<28} {:>10} {:>12} {:>10} {:>10}",
        "target", "requests", "accepted/s", "p50 ms", "p99 ms"
    );
    for (name, addr, want) in [
        ("axum hello world", hello_addr, 200),
        ("lint-pr POST /webhook (202)", app_addr, 202),
    ] {
        let r = load(addr, payload.clone(), duration, connections, want).await?;
        println!(
            "{:<28} {:>10} {:>12.0} {:>10.3} {:>10.3}",
            name,
            r.count,
            r.count as f64 / r.elapsed.as_secs_f64(),
            r.p50 * 1e3,
            r.p99 * 1e3
        );
        if r.unexpected > 0 {
            println!("  ! {} answers were not {want}", r.unexpected);
        }
    }
    Ok(())
}

async fn serve(app: Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

struct Result_ {
    count: usize,
    unexpected: usize,
    elapsed: Duration,
    p50: f64,
    p99: f64,
}

async fn load(
    addr: SocketAddr,
    payload: Arc<Vec<u8>>,
    duration: Duration,
    connections: usize,
    want: u16,
) -> Result<Result_, Box<dyn std::error::Error>> {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = Vec::new();
    for c in 0..connections {
        let payload = payload.clone();
        // Signed once: the payload never changes, and signing 28 KB per request
        // in this process took CPU from the servers it measures (perf: a
        // quarter of all samples were SHA-256, half of them the client's).
        let sig = server::sign(SECRET.as_bytes(), &payload);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut unexpected = 0usize;
            let Ok(stream) = TcpStream::connect(addr).await else { return (latencies, 1) };
            let _ = stream.set_nodelay(true);
            let mut stream = BufReader::new(stream);
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let delivery = format!("bench-{c}-{n}");
                let head = format!(
                    "POST /webhook HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {delivery}\r\nX-Hub-Signature-256: {sig}\r\n\r\n",
                    payload.len()
                );
                let t = Instant::now();
                if stream.get_mut().write_all(head.as_bytes()).await.is_err() || stream.get_mut().write_all(&payload).await.is_err() {
                    break;
                }
                let Some(status) = read_response(&mut stream).await else { break };
                latencies.push(t.elapsed().as_secs_f64());
                if status != want {
                    unexpected += 1;
                }
            }
            (latencies, unexpected)
        }));
    }
    let mut all = Vec::new();
    let mut unexpected = 0;
    for t in tasks {
        let (l, u) = t.await?;
        all.extend(l);
        unexpected += u;
    }
    let elapsed = start.elapsed();
    all.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    Ok(Result_ {
        count: all.len(),
        unexpected,
        elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
    })
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
