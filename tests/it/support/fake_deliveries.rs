//! A fake of GitHub's App webhook-delivery endpoints on loopback (wiremock):
//! `GET /app/hook/deliveries` (`apps/list-webhook-deliveries`) and
//! `POST /app/hook/deliveries/{id}/attempts` (`apps/redeliver-webhook-delivery`).
//!
//! Real shapes: every attempt starts from the `hook-delivery-items` example of
//! `fixtures/github/rest-api/api.github.com.subset.json` with the fields a test
//! sets replaced. As GitHub does, it lists attempts newest first, `per_page` at a
//! time (default 30, at most 100), with an absolute `Link: <…?cursor=…>;
//! rel="next"` while more remain; it answers a redelivery `202` and then lists a
//! new attempt with the same `guid` and `redelivery: true`. Both endpoints need the
//! App's JWT (three dot-separated parts), else `401`, and refuse an installation
//! token. Faults: `fail_list` answers every list request with a status;
//! `refuse_redelivery` answers one attempt's redelivery with `422`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::fake_github::TOKEN;
use super::rest_examples::example;

/// One attempt the fake lists.
#[derive(Debug, Clone)]
pub(crate) struct Attempt {
    pub(crate) id: u64,
    pub(crate) guid: String,
    /// Minutes before the test's "now" (when the fake was told about it).
    pub(crate) minutes_ago: i64,
    pub(crate) status_code: u16,
    pub(crate) event: String,
    pub(crate) action: Option<String>,
    pub(crate) redelivery: bool,
}

impl Attempt {
    /// An attempt of a `pull_request` `opened` delivery answered `status_code`.
    pub(crate) fn new(id: u64, guid: &str, minutes_ago: i64, status_code: u16) -> Attempt {
        Attempt {
            id,
            guid: guid.into(),
            minutes_ago,
            status_code,
            event: "pull_request".into(),
            action: Some("opened".into()),
            redelivery: false,
        }
    }

    pub(crate) fn event(mut self, event: &str, action: Option<&str>) -> Attempt {
        self.event = event.into();
        self.action = action.map(str::to_string);
        self
    }
}

#[derive(Default)]
pub(crate) struct State {
    attempts: Vec<(Attempt, chrono::DateTime<chrono::Utc>)>,
    /// `"METHOD /path?query"` of every request, in order.
    pub(crate) requests: Vec<String>,
    /// Every JWT the fake was sent (tests check no log or error repeats one).
    pub(crate) jwts: Vec<String>,
    /// Attempt ids a redelivery was accepted for, in order.
    pub(crate) redelivered: Vec<u64>,
    /// Every list request gets this status (a GitHub that cannot list).
    fail_list: Option<u16>,
    /// Redeliveries of these attempt ids are refused with `422`.
    refused: Vec<u64>,
    /// The status our server "answers" the attempts GitHub makes on redelivery
    /// (default 502: the server is still unreachable).
    redelivery_status: u16,
}

#[derive(Clone)]
pub(crate) struct FakeDeliveries {
    pub(crate) server: Arc<MockServer>,
    pub(crate) state: Arc<Mutex<State>>,
}

impl FakeDeliveries {
    pub(crate) async fn start() -> FakeDeliveries {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            redelivery_status: 502,
            ..State::default()
        }));
        Mock::given(any())
            .respond_with(Handler {
                state: state.clone(),
                base: server.uri(),
            })
            .mount(&server)
            .await;
        FakeDeliveries {
            server: Arc::new(server),
            state,
        }
    }

    pub(crate) fn uri(&self) -> String {
        self.server.uri()
    }

    pub(crate) fn add(&self, attempt: Attempt) {
        let at = chrono::Utc::now() - chrono::Duration::minutes(attempt.minutes_ago);
        self.state.lock().unwrap().attempts.push((attempt, at));
    }

    pub(crate) fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    pub(crate) fn redelivered(&self) -> Vec<u64> {
        self.state.lock().unwrap().redelivered.clone()
    }

    pub(crate) fn jwts(&self) -> Vec<String> {
        self.state.lock().unwrap().jwts.clone()
    }

    pub(crate) fn fail_list(&self, status: Option<u16>) {
        self.state.lock().unwrap().fail_list = status;
    }

    pub(crate) fn refuse_redelivery(&self, attempt_id: u64) {
        self.state.lock().unwrap().refused.push(attempt_id);
    }

    /// The list requests made, in order.
    pub(crate) fn list_requests(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.starts_with("GET /app/hook/deliveries"))
            .collect()
    }
}

struct Handler {
    state: Arc<Mutex<State>>,
    base: String,
}

fn error(status: u16, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "message": message,
        "documentation_url": "https://docs.github.com/rest/apps/webhooks",
        "status": status.to_string(),
    }))
}

fn attempt_json(a: &Attempt, at: chrono::DateTime<chrono::Utc>) -> Value {
    let mut v = example("hook-delivery-items")[0].clone();
    v["id"] = json!(a.id);
    v["guid"] = json!(a.guid);
    v["delivered_at"] = json!(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    v["redelivery"] = json!(a.redelivery);
    v["status_code"] = json!(a.status_code);
    v["status"] = json!(if (200..300).contains(&a.status_code) {
        "OK"
    } else {
        "Invalid HTTP Response: 502"
    });
    v["event"] = json!(a.event);
    v["action"] = json!(a.action);
    v["throttled_at"] = Value::Null;
    v
}

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut s = self.state.lock().unwrap();
        let path = req.url.path().to_string();
        let line = match req.url.query() {
            Some(q) => format!("{} {path}?{q}", req.method),
            None => format!("{} {path}", req.method),
        };
        s.requests.push(line);
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let jwt = auth.strip_prefix("Bearer ").unwrap_or("");
        if !jwt.is_empty() && !s.jwts.iter().any(|j| j == jwt) {
            let jwt = jwt.to_string();
            s.jwts.push(jwt);
        }
        if jwt.split('.').count() != 3 || jwt == TOKEN {
            return error(
                401,
                "A JSON web token could not be decoded (these endpoints need the App's JWT)",
            );
        }
        let query: HashMap<String, String> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match (req.method.as_str(), segs.as_slice()) {
            ("GET", ["app", "hook", "deliveries"]) => {
                if let Some(status) = s.fail_list {
                    return error(status, "Server Error");
                }
                let per_page: usize = query
                    .get("per_page")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(30)
                    .clamp(1, 100);
                // Newest first; a cursor names the last attempt of the page before.
                let mut all: Vec<&(Attempt, chrono::DateTime<chrono::Utc>)> =
                    s.attempts.iter().collect();
                all.sort_by_key(|a| std::cmp::Reverse(a.0.id));
                let after = query
                    .get("cursor")
                    .and_then(|c| c.strip_prefix("v1_"))
                    .and_then(|id| id.parse::<u64>().ok());
                let rest: Vec<&&(Attempt, chrono::DateTime<chrono::Utc>)> = all
                    .iter()
                    .filter(|(a, _)| after.is_none_or(|after| a.id < after))
                    .collect();
                let page: Vec<Value> = rest
                    .iter()
                    .take(per_page)
                    .map(|(a, at)| attempt_json(a, *at))
                    .collect();
                let mut resp = ResponseTemplate::new(200).set_body_json(Value::Array(page));
                if rest.len() > per_page
                    && let Some((last, _)) = rest.get(per_page - 1).map(|x| **x)
                {
                    let next = format!(
                        "{}/app/hook/deliveries?per_page={per_page}&cursor=v1_{}",
                        self.base, last.id
                    );
                    resp = resp.insert_header("link", format!("<{next}>; rel=\"next\"").as_str());
                }
                resp
            }
            ("POST", ["app", "hook", "deliveries", id, "attempts"]) => {
                let Ok(id) = id.parse::<u64>() else {
                    return error(404, "Not Found");
                };
                let Some((original, _)) = s.attempts.iter().find(|(a, _)| a.id == id).cloned()
                else {
                    return error(404, "Not Found");
                };
                if s.refused.contains(&id) {
                    return error(422, "Validation Failed");
                }
                s.redelivered.push(id);
                // GitHub makes the new attempt at once; the test's server is down.
                let new_id = s.attempts.iter().map(|(a, _)| a.id).max().unwrap_or(0) + 1;
                let status = s.redelivery_status;
                s.attempts.push((
                    Attempt {
                        id: new_id,
                        status_code: status,
                        redelivery: true,
                        ..original
                    },
                    chrono::Utc::now(),
                ));
                ResponseTemplate::new(202).set_body_json(json!({}))
            }
            _ => error(404, "Not Found"),
        }
    }
}
