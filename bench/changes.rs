//! `lint-pr changes` against a busy day (issue 13): 500 PRs squash-merged in
//! the last 24 hours, their descriptions from a fake GitHub that answers every
//! `pulls/get` after 40 ms. Prints the wall time of a first run (cold cache: 500
//! requests, at most `MAX_IN_FLIGHT` at a time) and of a second run (every
//! description from the disk cache, no request). Targets: < 2 s and < 0.2 s.
//!
//!     cargo build --release --bin lint-pr --example changes
//!     target/release/examples/changes [PRS] [DELAY_MS]
//!
//! (`bench/changes.sh` does both.) The binary it times is the `lint-pr` next to
//! this example's directory (`target/release/lint-pr`), or `$LINT_PR_BIN`.
//! The history is written with one `git fast-import`; the fake answers with the
//! `pull-request` example of `fixtures/github/rest-api`, number, title and body
//! replaced.

// A benchmark: a panic here is a failed measurement, not a crash on user input.
#![allow(clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "ghp_benchTOKEN";
const DESCRIPTION: &str = "## What this does\nRaises the pool.\n\n## Expected behavior change\nFewer timeouts.\n\n## If something seems wrong after this ships\nRoll back with `kubectl rollout undo deploy/api`.\n";

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let prs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let delay = Duration::from_millis(args.next().and_then(|a| a.parse().ok()).unwrap_or(40));
    let bin = lint_pr_bin()?;
    let repo = tempfile::tempdir()?;
    history(repo.path(), prs)?;
    let rt = tokio::runtime::Runtime::new()?;
    let server = rt.block_on(fake_github(delay));
    let run = || -> Result<(Duration, Value), Error> {
        let start = Instant::now();
        let out = Command::new(&bin)
            .current_dir(repo.path())
            .env("GITHUB_TOKEN", TOKEN)
            .args(["changes", "--format", "json", "--repo", "acme/shop"])
            .args(["--github-api-url", &server.uri()])
            .output()?;
        let took = start.elapsed();
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
        }
        Ok((took, serde_json::from_slice(&out.stdout)?))
    };
    let (cold, v) = run()?;
    check(&v, prs)?;
    let requests = rt
        .block_on(server.received_requests())
        .map_or(0, |r| r.len());
    let (warm, v) = run()?;
    check(&v, prs)?;
    let after = rt
        .block_on(server.received_requests())
        .map_or(0, |r| r.len());
    println!(
        "{prs} PRs, GitHub answering after {} ms, {}",
        delay.as_millis(),
        bin.display()
    );
    println!(
        "first run (cold cache): {:>7.3} s  ({requests} requests)",
        cold.as_secs_f64()
    );
    println!(
        "second run (cache):     {:>7.3} s  ({} requests)",
        warm.as_secs_f64(),
        after - requests
    );
    Ok(())
}

/// Every PR listed, every description from GitHub with its sections found.
fn check(v: &Value, prs: u64) -> Result<(), Error> {
    let changes = v["changes"].as_array().ok_or("no changes array")?;
    let from_github = changes
        .iter()
        .filter(|c| c["source"] == "github" && c["expected_behavior_change"] == "Fewer timeouts.")
        .count();
    if changes.len() as u64 != prs || from_github as u64 != prs {
        return Err(format!(
            "expected {prs} changes from GitHub, got {} ({from_github} from GitHub); warnings: {}",
            changes.len(),
            v["warnings"]
        )
        .into());
    }
    Ok(())
}

fn lint_pr_bin() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("LINT_PR_BIN") {
        return Ok(p.into());
    }
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or("no target directory")?;
    let bin = dir.join("lint-pr");
    if !bin.is_file() {
        return Err(format!(
            "{} not found: cargo build --release --bin lint-pr",
            bin.display()
        )
        .into());
    }
    Ok(bin)
}

/// `prs` squash merges on `main`, one every 150 s up to a minute ago, each
/// touching one service, written by one `git fast-import`.
fn history(dir: &Path, prs: u64) -> Result<(), Error> {
    let git = |args: &[&str]| Command::new("git").current_dir(dir).args(args).output();
    git(&["init", "-q", "-b", "main"])?;
    let now = chrono::Utc::now().timestamp();
    let mut stream = String::new();
    for i in 1..=prs {
        let at = now - 60 - (prs - i) as i64 * 150;
        let message = format!("Change {i} (#{i})\n\n{DESCRIPTION}");
        let file = format!("services/s{}/src/f{i}.rs", i % 20);
        let content = format!("// change {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{i}\ncommitter Bench <bench@example.com> {at} +0000\ndata {}\n{message}\n",
            message.len()
        ));
        if i > 1 {
            stream.push_str(&format!("from :{}\n", i - 1));
        }
        stream.push_str(&format!(
            "M 100644 inline {file}\ndata {}\n{content}\n",
            content.len()
        ));
    }
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(stream.as_bytes())?;
    if !child.wait()?.success() {
        return Err("git fast-import failed".into());
    }
    git(&["checkout", "-q", "main"])?;
    Ok(())
}

/// A fake `pulls/get` for every number, after `delay`.
async fn fake_github(delay: Duration) -> MockServer {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/github/rest-api/api.github.com.subset.json"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default())
        .unwrap_or_default();
    let example = doc["components"]["examples"]["pull-request"]["value"].clone();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Pulls { example, delay })
        .mount(&server)
        .await;
    server
}

struct Pulls {
    example: Value,
    delay: Duration,
}

impl Respond for Pulls {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let number = req
            .url
            .path()
            .rsplit('/')
            .next()
            .and_then(|n| n.parse::<u64>().ok());
        let authorized = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            == Some(&format!("Bearer {TOKEN}"));
        match number {
            Some(n) if authorized => {
                let mut pr = self.example.clone();
                pr["number"] = json!(n);
                pr["title"] = json!(format!("Change {n}"));
                pr["body"] = json!(DESCRIPTION);
                ResponseTemplate::new(200)
                    .set_body_json(pr)
                    .set_delay(self.delay)
            }
            _ => ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        }
    }
}
