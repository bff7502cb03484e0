//! Check runs: created on the head SHA, annotations sent 50 per request.
//!
//! GitHub takes at most 50 annotations per request and *appends* the annotations
//! of each update (`output.annotations` in
//! <https://docs.github.com/en/rest/checks/runs#update-a-check-run>). So: up to 50 → one `POST` with the
//! conclusion. More → `POST` `in_progress` with the first 50, a `PATCH` per further
//! 50, and the conclusion on the last `PATCH`, so the check never shows "completed"
//! with half its annotations.
//!
//! The create is the one call that is not idempotent. GitHub can create the run and
//! still answer 5xx, so a retried create first lists the commit's `lint-pr` runs and
//! continues the one carrying our `external_id` (the job id) instead of making a
//! second run, which would stay `in_progress` forever beside the real one.

use http::Method;
use serde_json::{Value, json};

use super::Error;
use super::client::{GitHub, Request, decode};
use super::retry;
use crate::report::check_run::{
    Annotation, CHECK_NAME, CheckRunOutput, Level, MAX_ANNOTATIONS_PER_REQUEST,
};

/// GitHub's id of a check run.
pub type CheckRunId = u64;

/// A finished result to post.
#[derive(Debug, Clone, Copy)]
pub struct Publish<'a> {
    pub repo: &'a str,
    pub head_sha: &'a str,
    pub output: &'a CheckRunOutput,
    /// Our own reference, shown by GitHub as `external_id` (the job id).
    pub external_id: &'a str,
}

#[derive(serde::Deserialize)]
struct Created {
    id: u64,
}

#[derive(serde::Deserialize)]
struct Listed {
    check_runs: Vec<Listed1>,
}

#[derive(serde::Deserialize)]
struct Listed1 {
    id: u64,
    external_id: Option<String>,
}

impl GitHub {
    /// Our check run on `p.head_sha` with `p.external_id`, if one exists. One
    /// attempt: it runs inside the create's retry loop.
    async fn find_check_run(
        &self,
        installation_id: u64,
        p: Publish<'_>,
    ) -> Result<Option<CheckRunId>, Error> {
        // `filter=all`: every run of that name, not only the latest one.
        let route = format!(
            "/repos/{}/commits/{}/check-runs?check_name={CHECK_NAME}&filter=all&per_page=100",
            p.repo, p.head_sha
        );
        let resp = self
            .request_once(installation_id, &Request::get(route.clone()))
            .await?;
        let listed: Listed = decode(&route, &resp.body)?;
        Ok(listed
            .check_runs
            .into_iter()
            .find(|r| r.external_id.as_deref() == Some(p.external_id))
            .map(|r| r.id))
    }

    /// Post `p.output` as a `lint-pr` check run on `p.head_sha`.
    pub async fn publish(&self, installation_id: u64, p: Publish<'_>) -> Result<CheckRunId, Error> {
        let out = p.output;
        let mut batches = out.annotations.chunks(MAX_ANNOTATIONS_PER_REQUEST);
        let first = batches.next().unwrap_or(&[]);
        let rest: Vec<&[Annotation]> = batches.collect();
        let mut create = json!({
            "name": CHECK_NAME,
            "head_sha": p.head_sha,
            "external_id": p.external_id,
            "output": output_json(out, first),
        });
        if rest.is_empty() {
            set(&mut create, "status", json!("completed"));
            set(&mut create, "conclusion", json!(out.conclusion.as_str()));
        } else {
            set(&mut create, "status", json!("in_progress"));
        }
        let route = format!("/repos/{}/check-runs", p.repo);
        let create = Request {
            method: Method::POST,
            route: route.clone(),
            body: Some(&create),
            headers: Default::default(),
        };
        // A POST is not idempotent: GitHub may have created the run and still
        // answered 5xx (or the answer was lost to a timeout). So a retry first looks
        // for a run carrying our `external_id`, and continues that one; the first
        // batch of annotations is then already on it.
        let what = format!("POST {route}");
        let id = retry::run(self.retry_policy(), &what, |attempt| {
            let create = &create;
            let route = &route;
            async move {
                if attempt > 1
                    && let Some(id) = self.find_check_run(installation_id, p).await?
                {
                    tracing::info!(
                        check_run_id = id,
                        "the check run was created by an attempt that seemed to fail; continuing it"
                    );
                    return Ok(id);
                }
                let resp = self.request_once(installation_id, create).await?;
                decode::<Created>(route, &resp.body).map(|c| c.id)
            }
        })
        .await?;
        let last = rest.len();
        for (i, batch) in rest.into_iter().enumerate() {
            let mut update = json!({ "output": output_json(out, batch) });
            if i + 1 == last {
                set(&mut update, "status", json!("completed"));
                set(&mut update, "conclusion", json!(out.conclusion.as_str()));
            }
            let route = format!("/repos/{}/check-runs/{id}", p.repo);
            self.request(
                installation_id,
                &Request {
                    method: Method::PATCH,
                    route,
                    body: Some(&update),
                    headers: Default::default(),
                },
            )
            .await?;
        }
        Ok(id)
    }
}

fn output_json(out: &CheckRunOutput, annotations: &[Annotation]) -> Value {
    let mut o = json!({
        "title": out.title,
        "summary": out.summary,
        "annotations": annotations.iter().map(annotation_json).collect::<Vec<_>>(),
    });
    if let Some(text) = &out.text {
        set(&mut o, "text", json!(text));
    }
    o
}

fn annotation_json(a: &Annotation) -> Value {
    let mut v = json!({
        "path": a.path,
        "start_line": a.start_line,
        "end_line": a.end_line,
        "annotation_level": match a.level {
            Level::Notice => "notice",
            Level::Warning => "warning",
            Level::Failure => "failure",
        },
        "message": a.message,
        "title": a.title,
    });
    // GitHub accepts columns only on single-line annotations (`start_column` in
    // https://docs.github.com/en/rest/checks/runs#create-a-check-run).
    if let (Some(s), Some(e)) = (a.start_column, a.end_column)
        && a.start_line == a.end_line
    {
        set(&mut v, "start_column", json!(s));
        set(&mut v, "end_column", json!(e));
    }
    if let Some(d) = &a.raw_details {
        set(&mut v, "raw_details", json!(d));
    }
    v
}

/// Set `key` on a JSON object (no-op on anything else; ours are always objects).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(obj) = v.as_object_mut() {
        obj.insert(key.to_string(), value);
    }
}
