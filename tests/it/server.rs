//! The HTTP contract of `POST /webhook` and the health endpoints, through
//! `router(state).oneshot(..)`, and `lint-pr serve`'s settings. Issue 4.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lint_pr::jobs::{Filters, Store};
use lint_pr::server::{self, AppState, MAX_BODY};
use secrecy::SecretString;
use tower::ServiceExt;

use crate::support::app::payload;

const SECRET: &str = "router-test-secret";

async fn state() -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("t.db").display()))
        .await
        .unwrap();
    let state = AppState {
        store,
        webhook_secret: Arc::new(SecretString::from(SECRET)),
        filters: Filters::default(),
        debounce: Duration::ZERO,
        wake: Arc::new(tokio::sync::Notify::new()),
        shutting_down: Arc::default(),
        metrics: None,
    };
    (state, dir)
}

fn delivery(event: &str, id: &str, body: Vec<u8>, signature: Option<String>) -> Request<Body> {
    let mut b = Request::post("/webhook")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", id)
        .header("Content-Type", "application/json");
    if let Some(sig) = signature {
        b = b.header("X-Hub-Signature-256", sig);
    }
    b.body(Body::from(body)).unwrap()
}

fn signed(event: &str, id: &str, body: Vec<u8>) -> Request<Body> {
    let sig = server::sign(SECRET.as_bytes(), &body);
    delivery(event, id, body, Some(sig))
}

async fn send(state: &AppState, req: Request<Body>) -> (StatusCode, String) {
    let resp = server::router(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn opened() -> Vec<u8> {
    serde_json::to_vec(&payload("payloads/pull_request/opened.payload.json")).unwrap()
}

#[tokio::test]
async fn missing_or_wrong_signature_is_401_and_stores_nothing() {
    let (state, _d) = state().await;
    assert_eq!(
        send(&state, delivery("pull_request", "a", opened(), None))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let wrong = server::sign(b"another secret", &opened());
    assert_eq!(
        send(&state, delivery("pull_request", "b", opened(), Some(wrong)))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let sha1 = Some("sha1=0123456789abcdef0123456789abcdef01234567".to_string());
    assert_eq!(
        send(&state, delivery("pull_request", "c", opened(), sha1))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Signed for a different body (one byte changed).
    let mut tampered = opened();
    let sig = server::sign(SECRET.as_bytes(), &tampered);
    tampered.push(b' ');
    assert_eq!(
        send(&state, delivery("pull_request", "d", tampered, Some(sig)))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    // Even garbage that is not JSON is refused for its signature first, not parsed.
    assert_eq!(
        send(
            &state,
            delivery("pull_request", "e", b"{not json".to_vec(), None)
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert!(state.store.counts().await.unwrap().is_empty());
}

#[tokio::test]
async fn body_over_25_mib_is_413() {
    let (state, _d) = state().await;
    let big = vec![b' '; MAX_BODY + 1];
    let (status, _) = send(
        &state,
        delivery("pull_request", "big", big, Some("sha256=00".into())),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(state.store.counts().await.unwrap().is_empty());
}

#[tokio::test]
async fn malformed_json_with_a_valid_signature_is_400() {
    let (state, _d) = state().await;
    let (status, body) = send(
        &state,
        signed("pull_request", "m", b"{\"action\": \"opened\",".to_vec()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, "bad request\n", "fixed body, details only in the log");
    // Valid JSON, relevant action, but without the fields a PR event must carry.
    let (status, _) = send(
        &state,
        signed(
            "pull_request",
            "n",
            br#"{"action":"opened","installation":{"id":1},"repository":{"full_name":"a/b"}}"#
                .to_vec(),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(state.store.counts().await.unwrap().is_empty());
}

#[tokio::test]
async fn ping_and_irrelevant_events_are_200() {
    let (state, _d) = state().await;
    let ping = serde_json::to_vec(&payload("captured-octocrab/ping/app.json")).unwrap();
    assert_eq!(
        send(&state, signed("ping", "p", ping)).await,
        (StatusCode::OK, "ignored\n".into())
    );
    let labeled =
        serde_json::to_vec(&payload("payloads/pull_request/labeled.payload.json")).unwrap();
    assert_eq!(
        send(&state, signed("pull_request", "l", labeled)).await.0,
        StatusCode::OK
    );
    let unknown = br#"{"action":"created","zen":"x"}"#.to_vec();
    assert_eq!(
        send(&state, signed("star", "s", unknown)).await.0,
        StatusCode::OK
    );
    assert!(state.store.counts().await.unwrap().is_empty());
}

#[tokio::test]
async fn relevant_event_is_stored_then_202_and_a_duplicate_is_not_stored_twice() {
    let (state, _d) = state().await;
    assert_eq!(
        send(&state, signed("pull_request", "dup-1", opened())).await,
        (StatusCode::ACCEPTED, "accepted\n".into())
    );
    assert_eq!(
        state.store.counts().await.unwrap(),
        vec![("queued".to_string(), 1)],
        "stored before the 202"
    );
    assert_eq!(
        send(&state, signed("pull_request", "dup-1", opened())).await,
        (StatusCode::OK, "duplicate\n".into())
    );
    assert_eq!(
        state.store.counts().await.unwrap(),
        vec![("queued".to_string(), 1)]
    );
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let (mut state, _d) = state().await;
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    assert_eq!(send(&state, get("/healthz")).await.0, StatusCode::OK);
    assert_eq!(send(&state, get("/readyz")).await.0, StatusCode::OK);
    // A local recorder, never the global one: tests run in parallel in one process.
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    state.metrics = Some(recorder.handle());
    metrics::with_local_recorder(&recorder, || {
        metrics::counter!("lint_pr_webhook_requests_total", "status" => "202").increment(1)
    });
    let (status, body) = send(&state, get("/metrics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("lint_pr_webhook_requests_total{status=\"202\"} 1"),
        "{body}"
    );
    state.store.close().await;
    assert_eq!(
        send(&state, get("/readyz")).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(send(&state, get("/healthz")).await.0, StatusCode::OK);
}

#[test]
fn serve_names_every_missing_setting_and_exits_2() {
    let mut cmd = assert_cmd::Command::cargo_bin("lint-pr").unwrap();
    for (k, _) in std::env::vars() {
        if k.starts_with("LINT_PR_") {
            cmd.env_remove(k);
        }
    }
    let out = cmd.arg("serve").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for name in [
        "--app-id",
        "LINT_PR_APP_ID",
        "--private-key-path",
        "LINT_PR_PRIVATE_KEY",
        "--webhook-secret",
        "LINT_PR_WEBHOOK_SECRET",
    ] {
        assert!(err.contains(name), "{name} not named in: {err}");
    }
    // One given, two still named.
    let mut cmd = assert_cmd::Command::cargo_bin("lint-pr").unwrap();
    let out = cmd
        .arg("serve")
        .env("LINT_PR_APP_ID", "1")
        .env_remove("LINT_PR_PRIVATE_KEY_PATH")
        .env_remove("LINT_PR_PRIVATE_KEY")
        .env_remove("LINT_PR_WEBHOOK_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("--app-id") && err.contains("--webhook-secret"),
        "{err}"
    );
}

#[test]
fn secrets_never_show_in_debug_output() {
    use clap::Parser;
    let cli = lint_pr::cli::Cli::try_parse_from([
        "lint-pr",
        "serve",
        "--app-id",
        "1",
        "--webhook-secret",
        "s3cr3t-value",
    ])
    .unwrap();
    let debug = format!("{cli:?}");
    assert!(!debug.contains("s3cr3t-value"), "{debug}");
    assert!(debug.contains("REDACTED"));
}
