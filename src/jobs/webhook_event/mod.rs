//! A verified webhook delivery, classified into a closed set of events, and the
//! jobs each one puts in the store. One file per event (`pull_request.rs`, ...)
//! turns its payload into an [`Event`]; they only classify, the lint itself is
//! `jobs::pipeline`. Routing is the one `match` in [`Event::parse`].
//!
//! Payloads are parsed leniently into our own small structs (only the fields we
//! read; actions as strings): GitHub's published schemas disagree with real
//! deliveries in places, and octocrab's action enums reject actions they do not
//! know, so a new action would break parsing instead of being ignored.

use serde::{Deserialize, Serialize};

mod check_run;
mod check_suite;
mod installation;
mod payload;
mod pull_request;

pub use payload::Payload;

/// Choices about which PRs to lint (flags of `lint-pr serve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filters {
    /// Lint draft PRs too (default: yes).
    pub lint_drafts: bool,
    /// Skip PRs opened by bots ([`is_bot`]; default: yes).
    pub skip_bots: bool,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            lint_drafts: true,
            skip_bots: true,
        }
    }
}

/// What a delivery asks of us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `pull_request` opened / edited (title or body) / reopened / synchronize / ready_for_review.
    PullRequest(LintJob),
    /// `check_run` rerequested (the "Re-run" button).
    CheckRun(Vec<LintJob>),
    /// `check_suite` requested / rerequested.
    CheckSuite(Vec<LintJob>),
    /// `installation` / `installation_repositories`: drop cached tokens and files.
    Installation {
        installation_id: u64,
        action: String,
    },
    /// Answered 200 and forgotten; the reason is logged.
    Ignored(String),
}

/// A payload that is valid JSON but lacks what a relevant event must carry.
#[derive(Debug, thiserror::Error)]
#[error("{event} payload: {message}")]
pub struct ParseError {
    pub event: String,
    pub message: String,
}

/// One unit of work in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    Lint(LintJob),
    Installation {
        installation_id: u64,
        action: String,
    },
}

/// Lint one PR (or the PRs of one head SHA) and post the check run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintJob {
    pub event: String,
    pub action: String,
    pub installation_id: u64,
    /// `owner/name`.
    pub repo: String,
    /// `None` for check suites that name no PR (forks): found from `head_sha`.
    pub pr: Option<u64>,
    /// The head SHA the payload named (may be stale; the job reads the PR again).
    pub head_sha: Option<String>,
}

impl Job {
    /// `owner/name` of the repository the job is about (`lint-pr jobs list`).
    pub fn repo(&self) -> Option<&str> {
        match self {
            Job::Lint(j) => Some(&j.repo),
            Job::Installation { .. } => None,
        }
    }

    /// The PR the job is about, when the delivery named it (`lint-pr jobs list`).
    pub fn pr(&self) -> Option<u64> {
        match self {
            Job::Lint(j) => j.pr,
            Job::Installation { .. } => None,
        }
    }

    /// The coalescing key: jobs with the same key describe the same PR, and only
    /// the newest of them runs (see `store`).
    pub fn key(&self, delivery_id: &str) -> String {
        match self {
            Job::Lint(j) => match (j.pr, &j.head_sha) {
                (Some(pr), _) => format!("pr:{}:{}#{pr}", j.installation_id, j.repo),
                (None, Some(sha)) => format!("sha:{}:{}@{sha}", j.installation_id, j.repo),
                (None, None) => format!("delivery:{delivery_id}"),
            },
            Job::Installation {
                installation_id, ..
            } => format!("installation:{installation_id}:{delivery_id}"),
        }
    }
}

/// A delivery's body, read for its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    /// The delivery's `action` (`""` when it has none or it is not a string).
    pub action: String,
    pub event: Event,
}

/// Why a body was refused (both are answered `400`).
#[derive(Debug)]
pub enum BodyError {
    /// Not JSON (or not UTF-8); the message is `serde_json`'s for a `Value`.
    Malformed(serde_json::Error),
    /// JSON that the event cannot use.
    Invalid(ParseError),
}

impl std::fmt::Display for BodyError {
    /// What the `400` and its log line say after the delivery's id.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyError::Malformed(e) => write!(f, "malformed JSON: {e}"),
            BodyError::Invalid(e) => write!(f, "{e}"),
        }
    }
}

/// Classify a delivery's raw body for `event` (the `X-GitHub-Event` header).
///
/// The events that make work (`pull_request`, `check_suite`, `check_run`) are
/// read in one pass into their typed fields (`payload::typed`); reading the top
/// level into slices and then each slice again scanned a 24 KB `pull_request`
/// body twice, ~13% of `serve`'s CPU under load. When that pass cannot decide
/// (a body GitHub does not send: a field of another type, `null` where a value
/// is required, a key given twice), the two-pass path decides, with the
/// verdicts and messages it always gave: the fast path only ever answers what
/// the slow one would.
pub fn classify(event: &str, body: &[u8], filters: &Filters) -> Result<Classified, BodyError> {
    let fast = match event {
        "pull_request" => pull_request::fast(body, filters),
        "check_suite" => check_suite::fast(body),
        "check_run" => check_run::fast(body),
        _ => None,
    };
    if let Some(classified) = fast {
        return Ok(classified);
    }
    let payload = Payload::from_slice(body).map_err(BodyError::Malformed)?;
    let event = Event::parse(event, &payload, filters).map_err(BodyError::Invalid)?;
    Ok(Classified {
        action: payload.action().to_string(),
        event,
    })
}

impl Event {
    /// Classify a delivery. `Err` only for JSON that a relevant event cannot use.
    pub fn parse(
        event: &str,
        payload: &Payload<'_>,
        filters: &Filters,
    ) -> Result<Event, ParseError> {
        let action = payload.action();
        let err = |e: serde_json::Error| ParseError {
            event: event.to_string(),
            message: e.to_string(),
        };
        match event {
            "ping" => Ok(Event::Ignored("ping".into())),
            "pull_request" => pull_request::parse(action, payload, filters).map_err(err),
            "check_run" => check_run::parse(action, payload).map_err(err),
            "check_suite" => check_suite::parse(action, payload).map_err(err),
            "installation" | "installation_repositories" => {
                installation::parse(event, action, payload).map_err(err)
            }
            other => Ok(Event::Ignored(format!(
                "event {other:?} is not one lint-pr handles"
            ))),
        }
    }

    /// The jobs to store for this event.
    pub fn jobs(&self) -> Vec<Job> {
        match self {
            Event::PullRequest(j) => vec![Job::Lint(j.clone())],
            Event::CheckRun(js) | Event::CheckSuite(js) => {
                js.iter().cloned().map(Job::Lint).collect()
            }
            Event::Installation {
                installation_id,
                action,
            } => {
                vec![Job::Installation {
                    installation_id: *installation_id,
                    action: action.clone(),
                }]
            }
            Event::Ignored(_) => Vec::new(),
        }
    }
}

/// Fields every event we handle carries.
#[derive(Debug)]
pub(super) struct Common {
    pub(super) installation: Option<IdOnly>,
    pub(super) repository: Option<Repo>,
}

impl Common {
    fn of(p: &Payload<'_>) -> Result<Common, serde_json::Error> {
        // `null` reads as absent, as `Option` fields always did.
        Ok(Common {
            installation: Payload::field::<Option<IdOnly>>(p.installation)?.flatten(),
            repository: Payload::field::<Option<Repo>>(p.repository)?.flatten(),
        })
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct IdOnly {
    pub(super) id: u64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Repo {
    pub(super) full_name: String,
}

/// The `pull_request` object of a payload, every field optional. GitHub Actions
/// writes the same payload to `$GITHUB_EVENT_PATH`, which `cli::actions_event`
/// reads with this type.
#[derive(Debug, Deserialize)]
pub(crate) struct PullRequest {
    pub(crate) title: Option<String>,
    /// `null` for an empty description.
    pub(crate) body: Option<String>,
    pub(crate) user: Option<User>,
    #[serde(default)]
    pub(crate) labels: Vec<Label>,
    pub(crate) base: Option<Commit>,
    pub(crate) head: Option<Commit>,
    /// `true` while the PR is a draft.
    #[serde(default)]
    pub(crate) draft: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct User {
    pub(crate) login: String,
    /// `User`, `Bot` or `Organization`.
    #[serde(rename = "type", default)]
    pub(crate) kind: Option<String>,
}

impl User {
    pub(crate) fn is_bot(&self) -> bool {
        is_bot(&self.login, self.kind.as_deref())
    }
}

/// Whether a PR's author is a bot, in either form GitHub names one: the login
/// `dependabot[bot]` (webhooks, the REST API, Actions' event file; the user's
/// `type` is then `Bot`) or `app/dependabot` (the GraphQL API, `gh`, search). The
/// one predicate for the App's filter and the CLI's Actions mode.
pub fn is_bot(login: &str, user_type: Option<&str>) -> bool {
    user_type.is_some_and(|t| t.eq_ignore_ascii_case("bot"))
        || login.ends_with("[bot]")
        || login.starts_with("app/")
}

#[derive(Debug, Deserialize)]
pub(crate) struct Label {
    pub(crate) name: String,
}

/// A PR's `base` or `head`: the commit it points at.
#[derive(Debug, Deserialize)]
pub(crate) struct Commit {
    pub(crate) sha: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(rel: &str) -> serde_json::Value {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/github/webhooks")
            .join(rel);
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
    }

    /// `Event::parse` over `value` as bytes on the wire.
    fn parse_value(
        event: &str,
        value: &serde_json::Value,
        filters: &Filters,
    ) -> Result<Event, ParseError> {
        let body = serde_json::to_vec(value).unwrap();
        Event::parse(event, &Payload::from_slice(&body).unwrap(), filters)
    }

    fn parse(event: &str, rel: &str) -> Event {
        parse_value(event, &payload(rel), &Filters::default()).unwrap()
    }

    /// The recorded payloads of the events that make work, with their event.
    fn recorded_payloads() -> Vec<(&'static str, std::path::PathBuf)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/github/webhooks/payloads");
        let mut out = Vec::new();
        for event in ["pull_request", "check_run", "check_suite"] {
            for entry in std::fs::read_dir(root.join(event)).unwrap() {
                out.push((event, entry.unwrap().path()));
            }
        }
        out
    }

    /// `jobs::redelivery` keeps its own list of the events and actions lint-pr
    /// handles (to ask GitHub to redeliver only those): every recorded payload this
    /// parser turns into work must be on it, or a missed delivery of that kind
    /// would never be asked for again.
    #[test]
    fn redelivery_asks_for_every_event_that_makes_work() {
        let mut checked = 0;
        for (event, path) in recorded_payloads() {
            let p: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let action = p["action"].as_str().unwrap_or("");
            let Ok(parsed) = parse_value(event, &p, &Filters::default()) else {
                continue;
            };
            if !matches!(parsed, Event::Ignored(_)) {
                assert!(
                    crate::jobs::redelivery::is_handled(event, Some(action)),
                    "{event} {action} ({}) makes work but redelivery would not ask for it",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 8, "only {checked} payloads make work");
    }

    /// `classify` through the two-pass path only: what `classify` answered
    /// before its one-pass fast path.
    fn two_pass(event: &str, body: &[u8]) -> Result<Classified, String> {
        let payload = Payload::from_slice(body).map_err(|e| format!("malformed JSON: {e}"))?;
        let parsed =
            Event::parse(event, &payload, &Filters::default()).map_err(|e| e.to_string())?;
        Ok(Classified {
            action: payload.action().to_string(),
            event: parsed,
        })
    }

    fn one_pass(event: &str, body: &[u8]) -> Result<Classified, String> {
        classify(event, body, &Filters::default()).map_err(|e| e.to_string())
    }

    /// Every recorded payload of the events read in one pass is classified
    /// as the two-pass path classifies it, and by the fast path itself (a
    /// fixture falling back would hide a fast path that never runs). See: #12.
    #[test]
    fn one_pass_reads_every_recorded_payload_as_two_passes_do() {
        let mut fast = 0;
        for (event, path) in recorded_payloads() {
            let body = std::fs::read(&path).unwrap();
            let expected = two_pass(event, &body);
            assert_eq!(one_pass(event, &body), expected, "{}", path.display());
            let by_fast = match event {
                "pull_request" => pull_request::fast(&body, &Filters::default()),
                "check_run" => check_run::fast(&body),
                _ => check_suite::fast(&body),
            };
            if let Some(c) = by_fast {
                assert_eq!(Ok(c), expected, "{}", path.display());
                fast += 1;
            }
        }
        assert!(fast >= 10, "only {fast} payloads took the fast path");
    }

    /// Bodies GitHub does not send get the verdicts and messages they always
    /// got: malformed JSON, a field of another type, `null` or absent where a
    /// value is required, a key given twice, a top level that is not an object.
    /// See: #12.
    #[test]
    fn one_pass_refuses_and_ignores_as_two_passes_do() {
        let pr = |extra: &str| {
            format!(
                r#"{{"action":"opened","installation":{{"id":1}},"repository":{{"full_name":"o/r"}},"number":2,"pull_request":{{"head":{{"sha":"abc"}},"user":{{"login":"u"}}}}{extra}}}"#
            )
        };
        let suite = |run: &str| {
            format!(
                r#"{{"action":"requested","installation":{{"id":1}},"repository":{{"full_name":"o/r"}},"{run}":{{"head_sha":"abc","pull_requests":[{{"number":3}}]}}}}"#
            )
        };
        let cases: Vec<(&str, String)> = vec![
            ("pull_request", pr("")),
            ("pull_request", pr(r#","number":"2""#)),
            ("pull_request", pr(r#","number":null"#)),
            ("pull_request", pr(r#","number":7"#)),
            ("pull_request", pr(r#","pull_request":null"#)),
            ("pull_request", pr(r#","pull_request":{}"#)),
            ("pull_request", pr(r#","installation":null"#)),
            ("pull_request", pr(r#","repository":{"id":1}"#)),
            ("pull_request", pr(r#","action":"closed","number":"x""#)),
            ("pull_request", pr(r#","action":5"#)),
            ("pull_request", pr(r#","action":"edited""#)),
            (
                "pull_request",
                pr(r#","action":"edited","changes":{"body":{"from":""}}"#),
            ),
            ("pull_request", pr(r#","action":"opened""#)),
            ("pull_request", pr(r#"} trailing"#)),
            ("pull_request", r#"{"number":2"#.to_string()),
            (
                "pull_request",
                "[null,null,null,null,null,null]".to_string(),
            ),
            ("pull_request", r#""opened""#.to_string()),
            ("pull_request", String::new()),
            ("check_suite", suite("check_suite")),
            ("check_suite", suite("check_run")),
            ("check_suite", suite("check_suite").replace("\"abc\"", "1")),
            (
                "check_suite",
                suite("check_suite").replace("requested", "completed"),
            ),
            (
                "check_run",
                suite("check_run").replace("requested", "rerequested"),
            ),
            (
                "check_run",
                suite("check_suite").replace("requested", "rerequested"),
            ),
            (
                "check_run",
                suite("check_run").replace(r#""id":1"#, r#""id":-1"#),
            ),
        ];
        for (event, body) in &cases {
            assert_eq!(
                one_pass(event, body.as_bytes()),
                two_pass(event, body.as_bytes()),
                "{event} {body}"
            );
        }
        let bad_utf8 = b"{\"action\":\"opened\",\"a\":\"\xff\"}";
        assert_eq!(
            one_pass("pull_request", bad_utf8),
            two_pass("pull_request", bad_utf8)
        );
        assert!(
            one_pass("pull_request", bad_utf8)
                .unwrap_err()
                .starts_with("malformed JSON")
        );
    }

    #[test]
    fn pull_request_actions() {
        for a in ["opened", "reopened", "synchronize"] {
            let e = parse(
                "pull_request",
                &format!("payloads/pull_request/{a}.payload.json"),
            );
            let Event::PullRequest(j) = e else {
                panic!("{a}: {e:?}")
            };
            assert_eq!(
                (j.repo.as_str(), j.pr, j.action.as_str()),
                ("Codertocat/Hello-World", Some(2), a)
            );
        }
        assert!(matches!(
            parse(
                "pull_request",
                "payloads/pull_request/ready_for_review.with-installation.payload.json"
            ),
            Event::PullRequest(_)
        ));
        assert!(matches!(
            parse(
                "pull_request",
                "payloads/pull_request/edited.body.derived.json"
            ),
            Event::PullRequest(_)
        ));
        assert!(matches!(
            parse(
                "pull_request",
                "payloads/pull_request/edited.title.derived.json"
            ),
            Event::PullRequest(_)
        ));
        assert!(matches!(
            parse(
                "pull_request",
                "payloads/pull_request/edited.base.derived.json"
            ),
            Event::Ignored(_)
        ));
        assert!(matches!(
            parse("pull_request", "payloads/pull_request/closed.payload.json"),
            Event::Ignored(_)
        ));
        assert!(matches!(
            parse("pull_request", "payloads/pull_request/labeled.payload.json"),
            Event::Ignored(_)
        ));
        // Without an installation an App cannot act.
        assert!(matches!(
            parse(
                "pull_request",
                "payloads/pull_request/ready_for_review.payload.json"
            ),
            Event::Ignored(_)
        ));
        assert!(matches!(
            parse("pull_request", "captured-octocrab/pull_request/opened.json"),
            Event::PullRequest(_)
        ));
    }

    #[test]
    fn checks_and_installations() {
        let Event::CheckSuite(js) =
            parse("check_suite", "payloads/check_suite/requested.payload.json")
        else {
            panic!()
        };
        assert_eq!(js.len(), 1);
        assert_eq!(js[0].pr, None);
        assert!(js[0].head_sha.is_some());
        assert!(matches!(
            parse(
                "check_suite",
                "payloads/check_suite/rerequested.payload.json"
            ),
            Event::CheckSuite(_)
        ));
        assert!(matches!(
            parse("check_suite", "payloads/check_suite/completed.payload.json"),
            Event::Ignored(_)
        ));
        assert!(matches!(
            parse("check_run", "payloads/check_run/rerequested.payload.json"),
            Event::CheckRun(_)
        ));
        assert!(matches!(
            parse("check_run", "payloads/check_run/created.payload.json"),
            Event::Ignored(_)
        ));
        assert!(matches!(
            parse("installation", "payloads/installation/deleted.payload.json"),
            Event::Installation { .. }
        ));
        assert!(matches!(
            parse(
                "installation_repositories",
                "payloads/installation_repositories/added.payload.json"
            ),
            Event::Installation { .. }
        ));
        assert!(matches!(
            parse("ping", "captured-octocrab/ping/app.json"),
            Event::Ignored(_)
        ));
        assert!(matches!(
            parse("issues", "payloads/ping/payload.json"),
            Event::Ignored(_)
        ));
    }

    #[test]
    fn bots_are_skipped_by_default() {
        let mut p = payload("payloads/pull_request/opened.payload.json");
        p["pull_request"]["user"]["login"] = "dependabot[bot]".into();
        assert!(matches!(
            parse_value("pull_request", &p, &Filters::default()).unwrap(),
            Event::Ignored(_)
        ));
        let lint_bots = Filters {
            skip_bots: false,
            ..Filters::default()
        };
        assert!(matches!(
            parse_value("pull_request", &p, &lint_bots).unwrap(),
            Event::PullRequest(_)
        ));
    }

    #[test]
    fn bots_in_both_forms_github_uses() {
        assert!(is_bot("dependabot[bot]", Some("Bot")));
        assert!(is_bot("dependabot[bot]", None));
        assert!(is_bot("app/dependabot", None));
        assert!(is_bot("some-app", Some("Bot")));
        assert!(!is_bot("Codertocat", Some("User")));
        assert!(!is_bot("bot-lover", None));
        // A real delivery whose sender is a bot says so with `type: Bot`.
        let p = payload("payloads/check_suite/rerequested.payload.json");
        let sender: User = serde_json::from_value(p["sender"].clone()).unwrap();
        assert!(sender.is_bot(), "{sender:?}");
        // A bot author by `type` alone is skipped like one named `…[bot]`.
        let mut p = payload("payloads/pull_request/opened.payload.json");
        p["pull_request"]["user"]["login"] = "app/renovate".into();
        assert!(matches!(
            parse_value("pull_request", &p, &Filters::default()).unwrap(),
            Event::Ignored(_)
        ));
        let mut p = payload("payloads/pull_request/opened.payload.json");
        p["pull_request"]["user"]["type"] = "Bot".into();
        assert!(matches!(
            parse_value("pull_request", &p, &Filters::default()).unwrap(),
            Event::Ignored(_)
        ));
    }

    #[test]
    fn drafts_are_linted_and_ready_for_review_triggers_a_lint() {
        // A draft is linted (its conclusion is held at neutral by `lint::hold_draft`).
        let e = parse(
            "pull_request",
            "payloads/pull_request/converted_to_draft.with-installation.payload.json",
        );
        assert!(
            matches!(e, Event::Ignored(_)),
            "converting to draft changes no text: {e:?}"
        );
        let mut p =
            payload("payloads/pull_request/converted_to_draft.with-installation.payload.json");
        p["action"] = "opened".into();
        assert!(matches!(
            parse_value("pull_request", &p, &Filters::default()).unwrap(),
            Event::PullRequest(_)
        ));
        // Marking it ready for review lints it again, now concluded in full.
        let Event::PullRequest(job) = parse(
            "pull_request",
            "payloads/pull_request/ready_for_review.with-installation.payload.json",
        ) else {
            panic!("ready_for_review must trigger a lint")
        };
        assert_eq!(job.action, "ready_for_review");
    }

    /// `null` where an optional object is expected reads as absent; where a
    /// required one is, it is an error (as when these were read from a `Value`).
    #[test]
    fn null_fields_read_as_before() {
        let mut p = payload("payloads/pull_request/opened.payload.json");
        p["installation"] = serde_json::Value::Null;
        assert_eq!(
            parse_value("pull_request", &p, &Filters::default()).unwrap(),
            Event::Ignored("pull_request without installation or repository".into())
        );
        p["changes"] = serde_json::Value::Null;
        assert!(parse_value("pull_request", &p, &Filters::default()).is_ok());
        p["number"] = serde_json::Value::Null;
        let e = parse_value("pull_request", &p, &Filters::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pull_request payload: invalid type: null, expected u64"
        );
        let mut p = payload("payloads/installation/deleted.payload.json");
        p["installation"] = serde_json::Value::Null;
        assert!(parse_value("installation", &p, &Filters::default()).is_err());
        let p = serde_json::json!({"action": "deleted"});
        assert!(matches!(
            parse_value("installation", &p, &Filters::default()).unwrap(),
            Event::Ignored(_)
        ));
    }

    #[test]
    fn relevant_event_without_fields_is_an_error() {
        let p = serde_json::json!({"action": "opened", "installation": {"id": 1}, "repository": {"full_name": "a/b"}});
        let e = parse_value("pull_request", &p, &Filters::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "pull_request payload: missing field `number`"
        );
    }
}
