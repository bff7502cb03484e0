//! `POST /webhook`: the [`VerifiedDelivery`] extractor and the handler.
//!
//! The signature is checked over the raw bytes, as received, before anything is
//! parsed: a handler cannot even name an unverified body. Then: classify, store
//! durably, answer `202` (or `200` for what needs no work, or a duplicate).
//! GitHub's description of the signature:
//! <https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries>.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use metrics::counter;
use secrecy::ExposeSecret;
use sha2::Sha256;

use super::{ApiError, AppState};
use crate::jobs::Event;
use crate::jobs::store::{Inserted, NewDelivery, NewJob};
use crate::jobs::webhook_event::classify;

/// GitHub caps payloads at 25 MB and does not deliver bigger ones
/// (<https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap>);
/// anything bigger is not GitHub.
pub const MAX_BODY: usize = 25 * 1024 * 1024;

/// A delivery whose `X-Hub-Signature-256` matched its raw body.
#[derive(Debug)]
pub struct VerifiedDelivery {
    /// `X-GitHub-Event`.
    pub event: String,
    /// `X-GitHub-Delivery`: the deduplication key (stable across redeliveries).
    pub delivery_id: String,
    pub body: Bytes,
}

impl FromRequest<AppState> for VerifiedDelivery {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadRequest(r.body_text())
            }
        })?;
        let signature = header(&headers, "x-hub-signature-256").ok_or(ApiError::Unauthorized)?;
        if !verify(
            state.webhook_secret.expose_secret().as_bytes(),
            &body,
            signature,
        ) {
            return Err(ApiError::Unauthorized);
        }
        let event = header(&headers, "x-github-event")
            .ok_or_else(|| ApiError::BadRequest("no X-GitHub-Event".into()))?;
        let delivery_id = header(&headers, "x-github-delivery")
            .ok_or_else(|| ApiError::BadRequest("no X-GitHub-Delivery".into()))?;
        Ok(VerifiedDelivery {
            event: event.to_string(),
            delivery_id: delivery_id.to_string(),
            body,
        })
    }
}

/// Count an answer of `POST /webhook` (`lint_pr_webhook_requests_total{status}`,
/// the metric docs/runbook.md reads). Errors are counted in `ApiError`.
pub(super) fn answered(status: StatusCode) {
    counter!("lint_pr_webhook_requests_total", "status" => status.as_u16().to_string())
        .increment(1);
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// Constant-time check of `sha256=<hex>` against HMAC-SHA256(secret, body).
fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let Some(hex_sig) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_sig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// `sha256=<hex>` for `body`: what GitHub sends (tests and the load generator use it).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here; an
    // empty signature (never valid) is the total fallback.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

pub(super) async fn receive(
    State(state): State<AppState>,
    d: VerifiedDelivery,
) -> Result<(StatusCode, &'static str), ApiError> {
    // One pass over the body for the event the header names: the fields the
    // event reads, into its own small structs; the rest is skipped.
    // The log line of a refused body names the delivery and its event: GitHub's
    // "Recent Deliveries" finds it by id, and nothing was stored.
    let classified = classify(&d.event, &d.body, &state.filters).map_err(|why| {
        ApiError::BadRequest(format!(
            "delivery {} ({}, {} bytes): {why}; not stored",
            d.delivery_id,
            d.event,
            d.body.len()
        ))
    })?;
    let action = classified.action.as_str();
    let event = classified.event;
    let jobs = event.jobs();
    if let Event::Ignored(reason) = &event {
        tracing::info!(delivery_id = %d.delivery_id, event = %d.event, action, reason = %reason, "delivery ignored");
        answered(StatusCode::OK);
        return Ok((StatusCode::OK, "ignored\n"));
    }
    // What the job needs, extracted now: the store never holds the payload.
    let mut rows = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let payload = serde_json::to_string(job).map_err(|e| not_stored(&d, action, &jobs, &e))?;
        rows.push(NewJob {
            key: job.key(&d.delivery_id),
            payload,
            repo: job.repo().map(str::to_string),
            pr: job.pr(),
        });
    }
    let new = NewDelivery {
        delivery_id: d.delivery_id.clone(),
        event: d.event.clone(),
        action: action.to_string(),
        jobs: rows,
        debounce: state.debounce,
    };
    // Returns once the commit holding this delivery is durable (grouped with
    // the deliveries that arrived at the same time).
    match state
        .store
        .insert(new)
        .await
        .map_err(|e| not_stored(&d, action, &jobs, &e))?
    {
        Inserted::New => {
            // `debug`: one line per accepted delivery was the accept path's
            // costliest log work (formatting and a write for every `202`);
            // `lint_pr_webhook_requests_total{status="202"}` counts them, and
            // every job logs its own outcome with this delivery id.
            tracing::debug!(delivery_id = %d.delivery_id, event = %d.event, action, jobs = jobs.len(), "delivery accepted");
            answered(StatusCode::ACCEPTED);
            // One worker per stored job, not all of them: idle workers would
            // otherwise all race for the store at every delivery. With a
            // debounce, the job is not due yet: the workers' poll finds it, so
            // claims stay bounded by workers/poll however fast deliveries come.
            if state.debounce.is_zero() {
                for _ in 0..jobs.len() {
                    state.wake.notify_one();
                }
            }
            Ok((StatusCode::ACCEPTED, "accepted\n"))
        }
        Inserted::Duplicate => {
            tracing::info!(delivery_id = %d.delivery_id, event = %d.event, action, "duplicate delivery ignored");
            answered(StatusCode::OK);
            Ok((StatusCode::OK, "duplicate\n"))
        }
    }
}

/// A delivery that could not be stored: the `500` GitHub sees, and the log line
/// the operator reads (`ApiError` logs it), with what identifies the delivery and
/// its PR, and what happens next.
fn not_stored(
    d: &VerifiedDelivery,
    action: &str,
    jobs: &[crate::jobs::Job],
    error: &dyn std::fmt::Display,
) -> ApiError {
    // The PR (or at least the repository) and head SHA the delivery named.
    let target = jobs
        .iter()
        .find_map(|j| match j {
            crate::jobs::Job::Lint(l) => Some(l),
            crate::jobs::Job::Installation { .. } => None,
        })
        .map_or_else(String::new, |l| {
            let pr = l.pr.map_or_else(String::new, |n| format!("#{n}"));
            let sha = l
                .head_sha
                .as_deref()
                .map_or_else(String::new, |s| format!(" at {s}"));
            format!(", {}{pr}{sha}", l.repo)
        });
    ApiError::Internal(format!(
        "delivery {} ({}.{action}{target}) not stored, so GitHub shows it failed; \
         serve requests its redelivery within --redelivery-interval: {error}",
        d.delivery_id, d.event
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_not_stored_is_logged_with_its_pr_and_what_happens_next() {
        let d = VerifiedDelivery {
            event: "pull_request".into(),
            delivery_id: "d-42".into(),
            body: Bytes::new(),
        };
        let job = crate::jobs::Job::Lint(crate::jobs::LintJob {
            event: "pull_request".into(),
            action: "synchronize".into(),
            installation_id: 7,
            repo: "octo/app".into(),
            pr: Some(12),
            head_sha: Some("abc123".into()),
        });
        let message = not_stored(&d, "synchronize", &[job], &"database is locked").to_string();
        for part in [
            "delivery d-42",
            "pull_request.synchronize",
            "octo/app#12 at abc123",
            "redelivery",
            "database is locked",
        ] {
            assert!(message.contains(part), "{part} in {message}");
        }
    }

    #[test]
    fn github_test_vector() {
        // The test vector of GitHub's docs (validating-webhook-deliveries).
        let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(sign(b"It's a Secret to Everybody", b"Hello, World!"), sig);
        assert!(verify(b"It's a Secret to Everybody", b"Hello, World!", sig));
        assert!(!verify(b"another secret", b"Hello, World!", sig));
        assert!(!verify(
            b"It's a Secret to Everybody",
            b"Hello, World!",
            "sha1=757107ea"
        ));
        assert!(!verify(
            b"It's a Secret to Everybody",
            b"Hello, World!",
            "sha256=zz"
        ));
    }
}
