//! Missed deliveries (issue 12): `jobs::redelivery` against a fake of GitHub's
//! App delivery endpoints (`support::fake_deliveries`, real shapes from the REST
//! description, paginated with `Link`). A delivery lint-pr handles, failed on
//! every attempt and not in the store, is redelivered once; nothing else is.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lint_pr::github::{self, GitHub};
use lint_pr::jobs::redelivery::{self, Known};
use secrecy::SecretString;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::app::{eventually, private_key};
use crate::support::fake_deliveries::{Attempt, FakeDeliveries};

const TEN_MINUTES: Duration = Duration::from_secs(600);

fn client(uri: String) -> GitHub {
    GitHub::new(github::Settings {
        api_url: uri,
        app_id: 4242,
        private_key: SecretString::from(private_key()),
        retry: github::retry::Policy {
            max_attempts: 2,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_rate_limit_wait: Duration::from_secs(1),
            secondary_limit_wait: Duration::from_millis(50),
        },
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

/// The store, as far as redelivery sees it: the deliveries it holds, and every
/// question asked of it.
#[derive(Default)]
struct Stored {
    guids: HashSet<String>,
    asked: Mutex<Vec<Vec<String>>>,
    broken: bool,
}

impl Stored {
    fn holding(guids: &[&str]) -> Stored {
        Stored {
            guids: guids.iter().map(|g| (*g).to_string()).collect(),
            ..Stored::default()
        }
    }
}

impl Known for Stored {
    type Error = String;

    fn known(
        &self,
        guids: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, String>> + Send {
        self.asked.lock().unwrap().push(guids.to_vec());
        let found = if self.broken {
            Err("database is locked".to_string())
        } else {
            Ok(guids
                .iter()
                .filter(|g| self.guids.contains(*g))
                .cloned()
                .collect())
        };
        std::future::ready(found)
    }
}

/// Every case the policy tells apart, behind 150 recent successful attempts and
/// 250 old ones, so that the pass reads two pages of 100 and stops there.
fn a_busy_app(fake: &FakeDeliveries) {
    for id in 1..250 {
        fake.add(Attempt::new(id, &format!("old-ok-{id}"), 180, 202));
    }
    // Failed, handled, never stored: but three hours ago, outside the window
    // (listed on page 2, the page that reaches back past the window).
    fake.add(Attempt::new(250, "g-old", 180, 502));
    for id in 300..450 {
        fake.add(
            Attempt::new(id, &format!("recent-ok-{id}"), 5, 202)
                .event("pull_request", Some("synchronize")),
        );
    }
    // a: failed twice; the newest failed attempt (463) is the one to redeliver.
    fake.add(Attempt::new(460, "a-sync", 8, 502).event("pull_request", Some("synchronize")));
    // d: failed, then a later attempt succeeded.
    fake.add(Attempt::new(461, "d-later-ok", 6, 502).event("check_run", Some("rerequested")));
    // b: failed on GitHub's side, but the store has it (answered too late).
    fake.add(Attempt::new(462, "b-known", 4, 504));
    fake.add(Attempt::new(463, "a-sync", 3, 0).event("pull_request", Some("synchronize")));
    fake.add(Attempt::new(464, "c-ok", 2, 202).event("check_suite", Some("requested")));
    // Events lint-pr does not act on.
    fake.add(Attempt::new(465, "e-issues", 2, 502).event("issues", Some("opened")));
    fake.add(Attempt::new(466, "f-closed", 2, 502).event("pull_request", Some("closed")));
    // h: failed, handled, unknown.
    fake.add(Attempt::new(467, "h-suite", 1, 504).event("check_suite", Some("rerequested")));
    let mut ok = Attempt::new(468, "d-later-ok", 1, 202).event("check_run", Some("rerequested"));
    ok.redelivery = true;
    fake.add(ok);
}

#[tokio::test]
async fn one_pass_redelivers_only_failed_handled_unknown_recent_deliveries() {
    let fake = FakeDeliveries::start().await;
    a_busy_app(&fake);
    let gh = client(fake.uri());
    let store = Stored::holding(&["b-known"]);

    let report = redelivery::redeliver_missed(&gh, &store, chrono::Utc::now(), TEN_MINUTES)
        .await
        .unwrap();

    assert_eq!(report.requested, ["a-sync", "h-suite"], "{report}");
    assert_eq!(
        fake.redelivered(),
        [463, 467],
        "the newest failed attempt of each"
    );
    assert_eq!(report.missed, 3, "a, b and h: {report}");
    assert_eq!(report.already_known, 1, "b: {report}");
    assert!(report.failed.is_empty(), "{report:?}");
    // The store is asked once, and only about the missed ones.
    assert_eq!(
        *store.asked.lock().unwrap(),
        [vec![
            "a-sync".to_string(),
            "b-known".into(),
            "h-suite".into()
        ]]
    );
    // Paging: page 2 reaches back past the window, so page 3 is never read.
    assert_eq!(
        (report.pages, report.listed, report.truncated),
        (2, 200, false)
    );
    let lists = fake.list_requests();
    assert_eq!(lists.len(), 2, "{lists:#?}");
    assert_eq!(lists[0], "GET /app/hook/deliveries?per_page=100");
    assert_eq!(
        lists[1],
        "GET /app/hook/deliveries?per_page=100&cursor=v1_359"
    );
    assert_eq!(
        report.to_string(),
        "200 delivery attempts listed on 2 pages (last 10m); 3 missed, 1 already stored, 2 redeliveries requested, 0 requests failed"
    );
}

/// Log lines written while the guard lives (this thread's subscriber).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// While alive, this thread's events go to [`Logs`].
struct Capture {
    _default: tracing::subscriber::DefaultGuard,
    /// A second live dispatcher. With exactly one registered, tracing-core takes
    /// the interest of a callsite another test's thread registers first from
    /// *that* thread's default (none: "never"), and this thread's events at it are
    /// then dropped (`Dispatchers::has_just_one` in tracing-core 0.1.36). With
    /// two, every callsite asks every dispatcher.
    _second: tracing::Dispatch,
}

impl Logs {
    fn capture(&self) -> Capture {
        let logs = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || logs.clone())
            .finish();
        let second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
        Capture {
            _default: tracing::subscriber::set_default(subscriber),
            _second: second,
        }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// The loop runs a pass at once and then every interval, logging one summary
/// line per pass (and never the App's JWT). GitHub's redelivery fails again (the
/// fake lists a new failed attempt each time), yet the loop asks only once: it
/// remembers what it asked for.
#[tokio::test]
async fn the_loop_redelivers_a_missed_delivery_once() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let fake = FakeDeliveries::start().await;
    fake.add(Attempt::new(7, "missed", 2, 502));
    let gh = Arc::new(client(fake.uri()));
    let store = Arc::new(Stored::default());
    let (tx, rx) = tokio::sync::watch::channel(false);
    let task = {
        let (gh, store) = (gh.clone(), store.clone());
        tokio::spawn(async move {
            redelivery::run(&gh, store.as_ref(), Duration::from_millis(30), rx).await;
        })
    };
    eventually(Duration::from_secs(10), "five passes", || {
        (fake.list_requests().len() >= 5).then_some(())
    })
    .await;
    tx.send(true).unwrap();
    let stopped = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the loop stops on shutdown")
        .unwrap();
    assert!(stopped.elapsed() < Duration::from_secs(2));
    assert_eq!(
        fake.redelivered(),
        [7],
        "asked once: {:#?}",
        fake.requests()
    );
    // Later passes saw the failed redelivery attempt and did not even ask the
    // store about it again.
    let asked = store.asked.lock().unwrap().clone();
    assert_eq!(asked, [vec!["missed".to_string()]], "{asked:?}");
    let text = logs.text();
    let summaries = text
        .lines()
        .filter(|l| l.contains("missed deliveries: ") && l.contains("delivery attempts listed"))
        .count();
    // The last pass may have been cut short by the shutdown: no line for it.
    let passes = fake.list_requests().len();
    assert!(
        summaries >= 4 && (summaries == passes || summaries + 1 == passes),
        "one summary line per finished pass ({passes} started):\n{text}"
    );
    assert!(
        text.contains("1 missed, 0 already stored, 1 redelivery requested, 0 requests failed"),
        "{text}"
    );
    assert!(
        text.contains("requested redelivery of a missed delivery"),
        "{text}"
    );
    let jwts = fake.jwts();
    assert!(!jwts.is_empty());
    for jwt in jwts {
        assert!(!text.contains(&jwt), "a JWT in the logs");
    }
    assert!(!text.contains("PRIVATE KEY"), "the key in the logs");
}

/// GitHub cannot list the deliveries: the pass says so (naming the endpoint),
/// nothing is redelivered, nothing panics.
#[tokio::test]
async fn a_list_github_will_not_serve_is_an_error_not_a_panic() {
    let fake = FakeDeliveries::start().await;
    fake.add(Attempt::new(7, "missed", 2, 502));
    fake.fail_list(Some(500));
    let gh = client(fake.uri());
    let err =
        redelivery::redeliver_missed(&gh, &Stored::default(), chrono::Utc::now(), TEN_MINUTES)
            .await
            .unwrap_err();
    assert!(matches!(err, redelivery::Error::List(_)), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("GET /app/hook/deliveries"), "{text}");
    assert!(text.contains("500"), "{text}");
    assert_eq!(
        fake.list_requests().len(),
        2,
        "the client's retries, then up"
    );
    assert!(fake.redelivered().is_empty());

    // An answer that is not a list of deliveries: the same, with what was wrong.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/app/hook/deliveries"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"message": "not a list"})))
        .mount(&server)
        .await;
    let gh = client(server.uri());
    let err =
        redelivery::redeliver_missed(&gh, &Stored::default(), chrono::Utc::now(), TEN_MINUTES)
            .await
            .unwrap_err();
    assert!(
        err.to_string()
            .contains("unexpected response from /app/hook/deliveries"),
        "{err}"
    );
}

/// A pass that fails is logged and the loop goes on: once GitHub answers again,
/// the missed delivery is redelivered.
#[tokio::test]
async fn the_loop_survives_failing_passes() {
    let fake = FakeDeliveries::start().await;
    fake.add(Attempt::new(7, "missed", 2, 502));
    fake.fail_list(Some(502));
    let gh = Arc::new(client(fake.uri()));
    let (tx, rx) = tokio::sync::watch::channel(false);
    let task = {
        let gh = gh.clone();
        tokio::spawn(async move {
            redelivery::run(&gh, &Stored::default(), Duration::from_millis(30), rx).await;
        })
    };
    eventually(Duration::from_secs(10), "two failed passes", || {
        (fake.list_requests().len() >= 4).then_some(())
    })
    .await;
    assert!(fake.redelivered().is_empty());
    fake.fail_list(None);
    eventually(Duration::from_secs(10), "the redelivery", || {
        (!fake.redelivered().is_empty()).then_some(())
    })
    .await;
    tx.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the loop stops on shutdown")
        .unwrap();
    assert_eq!(fake.redelivered(), [7]);
}

/// GitHub refuses one redelivery (422): it is reported as failed, the others
/// are still requested. A store that cannot answer stops the pass with an error
/// that says so, before anything is redelivered.
#[tokio::test]
async fn refused_redeliveries_and_store_errors_are_reported() {
    let fake = FakeDeliveries::start().await;
    fake.add(Attempt::new(7, "refused", 3, 502));
    fake.add(Attempt::new(8, "accepted", 2, 502));
    fake.refuse_redelivery(7);
    let gh = client(fake.uri());
    let report =
        redelivery::redeliver_missed(&gh, &Stored::default(), chrono::Utc::now(), TEN_MINUTES)
            .await
            .unwrap();
    assert_eq!(report.requested, ["accepted"]);
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!(report.failed[0].0, "refused");
    assert!(report.failed[0].1.contains("422"), "{:?}", report.failed);
    assert_eq!(fake.redelivered(), [8]);

    let broken = Stored {
        broken: true,
        ..Stored::default()
    };
    let fresh = FakeDeliveries::start().await;
    fresh.add(Attempt::new(9, "missed", 2, 502));
    let gh = client(fresh.uri());
    let err = redelivery::redeliver_missed(&gh, &broken, chrono::Utc::now(), TEN_MINUTES)
        .await
        .unwrap_err();
    assert!(matches!(err, redelivery::Error::Known(_)), "{err:?}");
    assert!(err.to_string().contains("database is locked"), "{err}");
    assert!(fresh.redelivered().is_empty());
}
