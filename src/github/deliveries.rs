//! The App's webhook deliveries, as GitHub recorded them: listed a page at a time,
//! newest first (`apps/list-webhook-deliveries`), and redelivered on request
//! (`apps/redeliver-webhook-delivery`). Both need the App's JWT, not an
//! installation token ([`GitHub::app_request`]).
//!
//! Only the calls live here; which deliveries to redeliver, and when, is
//! `jobs::redelivery`.
//!
//! One delivery (one event, one `guid` = the `X-GitHub-Delivery` header) can have
//! several *attempts*: the first, and one per redelivery, each with its own `id`
//! and `status_code`. The list holds attempts.

use chrono::{DateTime, Utc};
use http::Method;
use serde::Deserialize;

use super::Error;
use super::client::{GitHub, Request, decode};

/// Attempts per page: GitHub's maximum (`per_page`, default 30).
const PER_PAGE: u32 = 100;

/// One delivery attempt, as `GET /app/hook/deliveries` lists it
/// (`hook-delivery-item` in GitHub's REST description).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The attempt's id: what `POST /app/hook/deliveries/{id}/attempts` takes.
    pub id: u64,
    /// The delivery's id, shared by every attempt of it: the `X-GitHub-Delivery`
    /// header our server saw (and stores as the delivery id).
    pub guid: String,
    /// When GitHub made this attempt; `None` when GitHub sent a time we cannot
    /// read (such an attempt is never taken for a recent one).
    pub delivered_at: Option<DateTime<Utc>>,
    /// Whether this attempt was a redelivery.
    pub redelivery: bool,
    /// The HTTP status our server answered with; not 2xx (e.g. 502, or 0 when
    /// nothing answered) is a failed attempt.
    pub status_code: i64,
    /// GitHub's description of the outcome (`OK`, `failed to connect`, …).
    pub status: String,
    /// The webhook event (`pull_request`, …).
    pub event: String,
    /// The event's action (`opened`, …); `None` for events without one.
    pub action: Option<String>,
    pub installation_id: Option<u64>,
}

impl DeliveryAttempt {
    /// Whether our server accepted this attempt (answered 2xx).
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.status_code)
    }
}

/// One page of attempts, newest first, and where the next one starts.
#[derive(Debug, Clone, Default)]
pub struct DeliveryPage {
    pub attempts: Vec<DeliveryAttempt>,
    /// `None` on the last page.
    pub next: Option<PageCursor>,
}

/// Where a page of deliveries starts: the route of GitHub's `Link: rel="next"`
/// (a `cursor` parameter), kept relative to the API root. Opaque to callers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor(String);

/// `hook-delivery-item`: only the fields we read. Nullable fields are optional.
#[derive(Deserialize)]
struct RawAttempt {
    id: u64,
    guid: String,
    #[serde(default)]
    delivered_at: Option<String>,
    #[serde(default)]
    redelivery: bool,
    #[serde(default)]
    status_code: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    installation_id: Option<u64>,
}

impl GitHub {
    /// A page of the App's delivery attempts, newest first: the first page for
    /// `None`, else the page `from` points at.
    pub async fn delivery_page(&self, from: Option<&PageCursor>) -> Result<DeliveryPage, Error> {
        let route = match from {
            Some(PageCursor(route)) => route.clone(),
            None => format!("/app/hook/deliveries?per_page={PER_PAGE}"),
        };
        let resp = self.app_request(&Request::get(route.clone())).await?;
        let raw: Vec<RawAttempt> = decode(&route, &resp.body)?;
        let attempts = raw
            .into_iter()
            .map(|r| DeliveryAttempt {
                id: r.id,
                guid: r.guid,
                delivered_at: r
                    .delivered_at
                    .as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc)),
                redelivery: r.redelivery,
                status_code: r.status_code,
                status: r.status,
                event: r.event,
                action: r.action,
                installation_id: r.installation_id,
            })
            .collect();
        let next = self.next_page(&resp).map(PageCursor);
        Ok(DeliveryPage { attempts, next })
    }

    /// Ask GitHub to deliver attempt `attempt_id` again (`202 Accepted`). The new
    /// attempt carries the same `guid`, so the store deduplicates it if it was
    /// stored after all.
    pub async fn redeliver(&self, attempt_id: u64) -> Result<(), Error> {
        let route = format!("/app/hook/deliveries/{attempt_id}/attempts");
        let req = Request {
            method: Method::POST,
            route,
            body: None,
            headers: Default::default(),
        };
        self.app_request(&req).await.map(|_| ())
    }
}
