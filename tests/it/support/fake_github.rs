//! A fake GitHub REST API on loopback (wiremock), for the App's end-to-end tests.
//!
//! It answers with the real shapes: every response body starts from an example in
//! `fixtures/github/rest-api/api.github.com.subset.json` (`pull-request`,
//! `diff-entry-items`, `content-file-response-if-content-is-a-file`,
//! `check-run-example-of-completed-conclusion`, `installation-token`), with the
//! fields the test cares about replaced. It REJECTS requests that violate that file,
//! as GitHub does (422 with GitHub's message): more than 50 annotations, missing
//! `output.title`/`output.summary`, a bad `annotation_level`, missing annotation
//! fields, `conclusion` missing when `status: completed`, a summary over 65,535
//! characters. Every rejection is also recorded, and tests assert there were none.
//!
//! Auth: the token endpoint needs an App JWT (three dot-separated parts); every
//! other endpoint needs the installation token it handed out, else 401.
//! Faults: `fail_rate` answers that share of requests with a 502 *without*
//! applying them (a deterministic pseudo-random sequence, so runs repeat);
//! `fail_once_after_applying` applies a check-run POST or PATCH and *then* answers
//! 5xx, as GitHub sometimes does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use base64::Engine;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::fixtures;

/// The installation token the fake hands out. Tests grep logs for it.
pub(crate) const TOKEN: &str = "ghs_FAKEinstallationTOKENdoNotLog0123456789";

/// A check run as the fake stored it.
#[derive(Debug, Clone)]
pub(crate) struct CheckRun {
    pub(crate) id: u64,
    pub(crate) repo: String,
    pub(crate) name: String,
    pub(crate) head_sha: String,
    pub(crate) external_id: Option<String>,
    pub(crate) status: String,
    pub(crate) conclusion: Option<String>,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) annotations: Vec<Value>,
    /// How many requests (POST + PATCHes) built it.
    pub(crate) requests: usize,
}

/// A PR the fake serves.
#[derive(Debug, Clone)]
pub(crate) struct Pull {
    pub(crate) title: String,
    pub(crate) body: Option<String>,
    pub(crate) head_sha: String,
    pub(crate) base_sha: String,
    pub(crate) author: String,
    pub(crate) draft: bool,
    /// `(path, status)`.
    pub(crate) files: Vec<(String, String)>,
}

impl Default for Pull {
    fn default() -> Self {
        Pull {
            title: "Update the README with new information".into(),
            body: Some("This is a pretty simple change that we need to pull into master.".into()),
            head_sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821".into(),
            base_sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e".into(),
            author: "Codertocat".into(),
            draft: false,
            files: vec![("README.md".into(), "modified".into())],
        }
    }
}

#[derive(Default)]
pub(crate) struct State {
    /// `(repo, number)` → PR. Unknown PRs are served as `Pull::default()`.
    pub(crate) pulls: HashMap<(String, u64), Pull>,
    /// `(repo, ref, path)` → text; ref `""` is the default branch.
    pub(crate) files: HashMap<(String, String, String), String>,
    pub(crate) check_runs: Vec<CheckRun>,
    /// `"METHOD /path?query"` of every request, in order (faults included).
    pub(crate) requests: Vec<String>,
    /// Requests refused for breaking the REST description.
    pub(crate) rejections: Vec<String>,
    pub(crate) tokens_minted: usize,
    /// Share of requests answered 502 (not applied).
    pub(crate) fail_rate: f64,
    /// Share of requests answered 403 with `Retry-After: 1`, GitHub's secondary
    /// rate limit (not applied).
    pub(crate) rate_limit_rate: f64,
    pub(crate) faults_injected: usize,
    /// Requests whose path contains the string get this status (a permanent fault).
    pub(crate) fail_paths: Vec<(String, u16, String)>,
    /// `(method, path fragment, status)`: the next such request is *applied*, then
    /// answered with that status (a GitHub that did the work and failed to say so).
    pub(crate) fail_after_applying: Vec<(String, String, u16)>,
    /// Every response waits this long (a hung GitHub).
    pub(crate) delay: std::time::Duration,
    rng: u64,
}

/// The fake server and its state.
#[derive(Clone)]
pub(crate) struct FakeGitHub {
    pub(crate) server: Arc<MockServer>,
    pub(crate) state: Arc<Mutex<State>>,
}

impl FakeGitHub {
    pub(crate) async fn start() -> FakeGitHub {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            rng: 0x2545_F491_4F6C_DD1D,
            ..State::default()
        }));
        Mock::given(any())
            .respond_with(Handler {
                state: state.clone(),
                base: server.uri(),
            })
            .mount(&server)
            .await;
        FakeGitHub {
            server: Arc::new(server),
            state,
        }
    }

    pub(crate) fn uri(&self) -> String {
        self.server.uri()
    }

    pub(crate) fn set_pull(&self, repo: &str, number: u64, pull: Pull) {
        self.state
            .lock()
            .unwrap()
            .pulls
            .insert((repo.into(), number), pull);
    }

    pub(crate) fn edit_pull(&self, repo: &str, number: u64, f: impl FnOnce(&mut Pull)) {
        let mut s = self.state.lock().unwrap();
        f(s.pulls.entry((repo.into(), number)).or_default());
    }

    /// A file at `git_ref` (`""`: the default branch).
    pub(crate) fn set_file(&self, repo: &str, git_ref: &str, path: &str, text: &str) {
        self.state
            .lock()
            .unwrap()
            .files
            .insert((repo.into(), git_ref.into(), path.into()), text.into());
    }

    pub(crate) fn check_runs(&self) -> Vec<CheckRun> {
        self.state.lock().unwrap().check_runs.clone()
    }

    pub(crate) fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    pub(crate) fn rejections(&self) -> Vec<String> {
        self.state.lock().unwrap().rejections.clone()
    }

    /// Answer requests whose path contains `fragment` with `status` and `message`.
    pub(crate) fn fail_path(&self, fragment: &str, status: u16, message: &str) {
        self.state
            .lock()
            .unwrap()
            .fail_paths
            .push((fragment.into(), status, message.into()));
    }

    /// The next `method` request whose path contains `fragment` is applied, then
    /// answered `status` (once).
    pub(crate) fn fail_once_after_applying(&self, method: &str, fragment: &str, status: u16) {
        self.state.lock().unwrap().fail_after_applying.push((
            method.into(),
            fragment.into(),
            status,
        ));
    }

    /// GitHub recovers: the faults of [`FakeGitHub::fail_path`] stop.
    pub(crate) fn clear_fail_paths(&self) {
        self.state.lock().unwrap().fail_paths.clear();
    }

    pub(crate) fn set_delay(&self, delay: std::time::Duration) {
        self.state.lock().unwrap().delay = delay;
    }

    /// Answer this share of requests with GitHub's secondary rate limit (403 and
    /// `Retry-After: 1`), after [`FakeGitHub::set_fail_rate`]'s share.
    pub(crate) fn set_rate_limit_rate(&self, rate: f64) {
        self.state.lock().unwrap().rate_limit_rate = rate;
    }

    pub(crate) fn set_fail_rate(&self, rate: f64) {
        self.state.lock().unwrap().fail_rate = rate;
    }
}

/// The examples of the REST description, loaded once.
fn examples() -> &'static Value {
    static EX: OnceLock<Value> = OnceLock::new();
    EX.get_or_init(|| {
        let path = fixtures().join("github/rest-api/api.github.com.subset.json");
        let doc: Value = serde_json::from_str(&super::read(&path)).unwrap();
        doc["components"]["examples"].clone()
    })
}

fn example(name: &str) -> Value {
    let v = examples()[name]["value"].clone();
    assert!(!v.is_null(), "no example {name} in the REST subset");
    v
}

struct Handler {
    state: Arc<Mutex<State>>,
    base: String,
}

fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(body)
        .insert_header("x-ratelimit-remaining", "4999")
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    json_response(
        status,
        json!({ "message": message, "documentation_url": "https://docs.github.com/rest", "status": status.to_string() }),
    )
}

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let delay = self.state.lock().unwrap().delay;
        self.answer(req).set_delay(delay)
    }
}

impl Handler {
    fn answer(&self, req: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().unwrap();
        let path = req.url.path().to_string();
        let query: HashMap<String, String> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let line = match req.url.query() {
            Some(q) => format!("{} {path}?{q}", req.method),
            None => format!("{} {path}", req.method),
        };
        s.requests.push(line);
        // xorshift64: deterministic faults.
        s.rng ^= s.rng << 13;
        s.rng ^= s.rng >> 7;
        s.rng ^= s.rng << 17;
        let roll = (s.rng % 10_000) as f64 / 10_000.0;
        if roll < s.fail_rate {
            s.faults_injected += 1;
            return error(502, "Server Error");
        }
        if roll < s.fail_rate + s.rate_limit_rate {
            s.faults_injected += 1;
            return error(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            )
            .insert_header("retry-after", "1");
        }
        if let Some((_, status, message)) = s
            .fail_paths
            .iter()
            .find(|(f, _, _)| path.contains(f.as_str()))
        {
            return error(*status, message);
        }
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let method = req.method.as_str().to_string();
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();

        if method == "POST"
            && segs.len() == 4
            && segs[0] == "app"
            && segs[1] == "installations"
            && segs[3] == "access_tokens"
        {
            let jwt = auth.strip_prefix("Bearer ").unwrap_or("");
            if jwt.split('.').count() != 3 {
                return error(401, "A JSON web token could not be decoded");
            }
            s.tokens_minted += 1;
            let mut t = example("installation-token");
            t["token"] = json!(TOKEN);
            t["expires_at"] = json!(
                (chrono::Utc::now() + chrono::Duration::hours(1))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            );
            return json_response(201, t);
        }
        if auth != format!("Bearer {TOKEN}") && auth != format!("token {TOKEN}") {
            return error(401, "Bad credentials");
        }
        if segs.len() < 3 || segs[0] != "repos" {
            return error(404, "Not Found");
        }
        let repo = format!("{}/{}", segs[1], segs[2]);
        let rest = &segs[3..];
        let body: Value = if req.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&req.body).unwrap_or(Value::Null)
        };
        match (method.as_str(), rest) {
            ("GET", ["pulls", n]) => {
                let Ok(n) = n.parse::<u64>() else {
                    return error(404, "Not Found");
                };
                let p = s.pulls.get(&(repo.clone(), n)).cloned().unwrap_or_default();
                json_response(200, pull_json(&repo, n, &p))
            }
            ("GET", ["pulls", n, "files"]) => {
                let Ok(n) = n.parse::<u64>() else {
                    return error(404, "Not Found");
                };
                let p = s.pulls.get(&(repo.clone(), n)).cloned().unwrap_or_default();
                let per_page: usize = query
                    .get("per_page")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(30)
                    .min(100);
                let page: usize = query
                    .get("page")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .max(1);
                let template = example("diff-entry-items")[0].clone();
                let items: Vec<Value> = p
                    .files
                    .iter()
                    .skip((page - 1) * per_page)
                    .take(per_page)
                    .map(|(path, status)| {
                        let mut d = template.clone();
                        d["filename"] = json!(path);
                        d["status"] = json!(status);
                        d
                    })
                    .collect();
                let mut resp = json_response(200, Value::Array(items));
                if page * per_page < p.files.len() {
                    // Absolute, as GitHub sends it (this is what trips octocrab's auth).
                    let next = format!(
                        "{}/repos/{repo}/pulls/{n}/files?per_page={per_page}&page={}",
                        self.base,
                        page + 1
                    );
                    resp = resp.insert_header("link", format!("<{next}>; rel=\"next\"").as_str());
                }
                resp
            }
            ("GET", ["commits", sha, "pulls"]) => {
                let numbers: Vec<u64> = s
                    .pulls
                    .iter()
                    .filter(|((r, _), p)| *r == repo && p.head_sha == *sha)
                    .map(|((_, n), _)| *n)
                    .collect();
                let numbers = if numbers.is_empty() { vec![2] } else { numbers };
                let items: Vec<Value> = numbers
                    .iter()
                    .map(|n| {
                        let mut v = pull_json(
                            &repo,
                            *n,
                            &s.pulls
                                .get(&(repo.clone(), *n))
                                .cloned()
                                .unwrap_or_default(),
                        );
                        v["state"] = json!("open");
                        v
                    })
                    .collect();
                json_response(200, Value::Array(items))
            }
            ("GET", ["contents", file @ ..]) => {
                let file = file.join("/");
                let git_ref = query.get("ref").cloned().unwrap_or_default();
                let Some(text) = s
                    .files
                    .get(&(repo.clone(), git_ref.clone(), file.clone()))
                    .cloned()
                else {
                    return error(404, "Not Found");
                };
                let etag = format!("\"{:x}\"", fxhash(&text));
                if req
                    .headers
                    .get("if-none-match")
                    .and_then(|v| v.to_str().ok())
                    == Some(etag.as_str())
                {
                    return ResponseTemplate::new(304).insert_header("etag", etag.as_str());
                }
                let mut c = example("content-file-response-if-content-is-a-file");
                let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
                // GitHub wraps base64 at 60 characters.
                let wrapped: Vec<String> = encoded
                    .as_bytes()
                    .chunks(60)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                c["content"] = json!(wrapped.join("\n") + "\n");
                // As GitHub does: a file over 1 MB comes without its content.
                if text.len() > 1024 * 1024 {
                    c["content"] = json!("");
                    c["encoding"] = json!("none");
                }
                c["size"] = json!(text.len());
                c["path"] = json!(file);
                c["name"] = json!(file.rsplit('/').next().unwrap_or(&file));
                json_response(200, c).insert_header("etag", etag.as_str())
            }
            ("POST", ["check-runs"]) => {
                if let Err(m) = validate_check_run(&body, true) {
                    s.rejections.push(format!("POST check-runs: {m}"));
                    return error(422, &m);
                }
                let id = s.check_runs.len() as u64 + 1;
                let output = &body["output"];
                let run = CheckRun {
                    id,
                    repo: repo.clone(),
                    name: body["name"].as_str().unwrap_or("").into(),
                    head_sha: body["head_sha"].as_str().unwrap_or("").into(),
                    external_id: body["external_id"].as_str().map(str::to_string),
                    status: body["status"].as_str().unwrap_or("queued").into(),
                    conclusion: body["conclusion"].as_str().map(str::to_string),
                    title: output["title"].as_str().unwrap_or("").into(),
                    summary: output["summary"].as_str().unwrap_or("").into(),
                    annotations: output["annotations"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                    requests: 1,
                };
                let resp = check_run_json(&run);
                s.check_runs.push(run);
                if let Some(status) = take_fault(&mut s, "POST", &path) {
                    return error(status, "Server Error");
                }
                json_response(201, resp)
            }
            ("GET", ["commits", sha, "check-runs"]) => {
                // checks/list-for-ref: `check_name` and `filter` (latest: the newest
                // run of each name; all: every run), newest first.
                let name = query.get("check_name");
                let mut runs: Vec<&CheckRun> = s
                    .check_runs
                    .iter()
                    .rev()
                    .filter(|r| r.repo == repo && r.head_sha == *sha)
                    .filter(|r| name.is_none_or(|n| r.name == *n))
                    .collect();
                if query.get("filter").map_or("latest", String::as_str) == "latest" {
                    let mut seen = std::collections::HashSet::new();
                    runs.retain(|r| seen.insert(r.name.clone()));
                }
                let list: Vec<Value> = runs.iter().map(|r| check_run_json(r)).collect();
                json_response(
                    200,
                    json!({ "total_count": list.len(), "check_runs": list }),
                )
            }
            ("PATCH", ["check-runs", id]) => {
                if let Err(m) = validate_check_run(&body, false) {
                    s.rejections.push(format!("PATCH check-runs: {m}"));
                    return error(422, &m);
                }
                let Some(run) = id.parse::<u64>().ok().and_then(|id| {
                    s.check_runs
                        .iter_mut()
                        .find(|r| r.id == id && r.repo == repo)
                }) else {
                    return error(404, "Not Found");
                };
                if let Some(st) = body["status"].as_str() {
                    run.status = st.into();
                }
                if let Some(c) = body["conclusion"].as_str() {
                    run.conclusion = Some(c.into());
                }
                let output = &body["output"];
                if let Some(t) = output["title"].as_str() {
                    run.title = t.into();
                }
                if let Some(t) = output["summary"].as_str() {
                    run.summary = t.into();
                }
                // GitHub appends the annotations of each update.
                run.annotations.extend(
                    output["annotations"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default(),
                );
                run.requests += 1;
                let resp = check_run_json(run);
                if let Some(status) = take_fault(&mut s, "PATCH", &path) {
                    return error(status, "Server Error");
                }
                json_response(200, resp)
            }
            _ => error(404, "Not Found"),
        }
    }
}

/// The status of a `fail_once_after_applying` fault matching this request, removed.
fn take_fault(s: &mut State, method: &str, path: &str) -> Option<u16> {
    let i = s
        .fail_after_applying
        .iter()
        .position(|(m, f, _)| m == method && path.contains(f.as_str()))?;
    s.faults_injected += 1;
    Some(s.fail_after_applying.remove(i).2)
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn pull_json(repo: &str, number: u64, p: &Pull) -> Value {
    let mut v = example("pull-request");
    v["number"] = json!(number);
    v["title"] = json!(p.title);
    v["body"] = json!(p.body);
    v["draft"] = json!(p.draft);
    v["state"] = json!("open");
    v["user"]["login"] = json!(p.author);
    v["head"]["sha"] = json!(p.head_sha);
    v["base"]["sha"] = json!(p.base_sha);
    v["base"]["ref"] = json!("main");
    v["base"]["repo"]["full_name"] = json!(repo);
    v
}

fn check_run_json(run: &CheckRun) -> Value {
    let mut v = example("check-run-example-of-completed-conclusion");
    v["id"] = json!(run.id);
    v["name"] = json!(run.name);
    v["head_sha"] = json!(run.head_sha);
    v["external_id"] = json!(run.external_id);
    v["status"] = json!(run.status);
    v["conclusion"] = json!(run.conclusion);
    v["output"]["title"] = json!(run.title);
    v["output"]["summary"] = json!(run.summary);
    v["output"]["annotations_count"] = json!(run.annotations.len());
    v
}

/// The constraints of `checks/create` and `checks/update` in the REST subset.
fn validate_check_run(body: &Value, create: bool) -> Result<(), String> {
    let Some(obj) = body.as_object() else {
        return Err("Invalid request.\n\nBody is not a JSON object.".into());
    };
    if create {
        for key in ["name", "head_sha"] {
            if !obj.get(key).is_some_and(Value::is_string) {
                return Err(format!("Invalid request.\n\n\"{key}\" wasn't supplied."));
            }
        }
    }
    let status = obj.get("status").and_then(Value::as_str);
    if let Some(st) = status
        && ![
            "queued",
            "in_progress",
            "completed",
            "waiting",
            "requested",
            "pending",
        ]
        .contains(&st)
    {
        return Err(format!(
            "Invalid request.\n\n{st:?} is not a member of status."
        ));
    }
    let conclusion = obj.get("conclusion").and_then(Value::as_str);
    if let Some(c) = conclusion
        && ![
            "action_required",
            "cancelled",
            "failure",
            "neutral",
            "success",
            "skipped",
            "stale",
            "timed_out",
        ]
        .contains(&c)
    {
        return Err(format!(
            "Invalid request.\n\n{c:?} is not a member of conclusion."
        ));
    }
    if status == Some("completed") && conclusion.is_none() {
        return Err("Invalid request.\n\n\"conclusion\" wasn't supplied.".into());
    }
    let Some(output) = obj.get("output") else {
        return Ok(());
    };
    if create && !output.get("title").is_some_and(Value::is_string) {
        return Err("Invalid request.\n\n\"title\" wasn't supplied.".into());
    }
    if !output.get("summary").is_some_and(Value::is_string) {
        return Err("Invalid request.\n\n\"summary\" wasn't supplied.".into());
    }
    for key in ["summary", "text"] {
        if let Some(t) = output.get(key).and_then(Value::as_str)
            && t.chars().count() > 65_535
        {
            return Err(format!(
                "Invalid request.\n\n{key} is too long (maximum is 65535 characters)."
            ));
        }
    }
    let annotations = output
        .get("annotations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if annotations.len() > 50 {
        return Err(format!(
            "Invalid request.\n\nNo more than 50 items are allowed; {} were supplied.",
            annotations.len()
        ));
    }
    for a in &annotations {
        for key in [
            "path",
            "start_line",
            "end_line",
            "annotation_level",
            "message",
        ] {
            if a.get(key).is_none_or(Value::is_null) {
                return Err(format!("Invalid request.\n\n\"{key}\" wasn't supplied."));
            }
        }
        let level = a["annotation_level"].as_str().unwrap_or("");
        if !["notice", "warning", "failure"].contains(&level) {
            return Err(format!(
                "Invalid request.\n\n{level:?} is not a member of annotation_level."
            ));
        }
        if (a.get("start_column").is_some() || a.get("end_column").is_some())
            && a["start_line"] != a["end_line"]
        {
            return Err("Invalid request.\n\nstart_column and end_column are only allowed on single-line annotations.".into());
        }
    }
    Ok(())
}
