//! Check runs: created on the head SHA, annotations sent 50 per request, and an
//! earlier attempt's run continued instead of a second one made.
//!
//! GitHub takes at most 50 annotations per request and *appends* the annotations
//! of each update (`output.annotations` in
//! <https://docs.github.com/en/rest/checks/runs#update-a-check-run>). So: up to 50 → one `POST` with the
//! conclusion. More → `POST` `in_progress` with the first 50, a `PATCH` per further
//! 50, and the conclusion on the last `PATCH`, so the check never shows "completed"
//! with half its annotations.
//!
//! The create is the one call that is not idempotent, and a job can die between
//! any two calls (a crash, `kill -9`, a lost lease). So [`GitHub::publish`] first
//! lists the commit's `lint-pr` runs and, when one carries our `external_id`,
//! continues that one: the annotations it already holds (`output.annotations_count`)
//! are not sent again, the rest are, and the last update sets the conclusion. Only
//! when none exists is a run created; and because GitHub can create the run and
//! still answer 5xx, a retried create looks again before it posts. A run whose
//! `external_id` differs (another App's, or another state of the PR) is never
//! touched.

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

/// Pages of `checks/list-for-ref` read while looking for our run, at 100 runs a
/// page. GitHub itself lists runs of at most the 1,000 newest check suites of a
/// commit; a commit with more `lint-pr` runs than this is not one we made.
const MAX_LIST_PAGES: usize = 10;

/// A finished result to post.
#[derive(Debug, Clone, Copy)]
pub struct Publish<'a> {
    pub repo: &'a str,
    pub head_sha: &'a str,
    pub output: &'a CheckRunOutput,
    /// Our reference for the run, shown by GitHub as `external_id`, and how an
    /// earlier attempt's run is found again: the same value must mean "the same
    /// result". [`external_id_for_pr`] builds the one for a PR at a head commit.
    pub external_id: &'a str,
}

/// The `external_id` of the `lint-pr` run of PR `pr` in `repo` (reached through
/// installation `installation_id`) at head commit `head_sha`, e.g.
/// `42:octo/app#7@ec26c3e…`.
///
/// It names the PR *state* the run reports on, not the job that made it: every
/// attempt of a job, the same job run again after a crash or by another instance,
/// and a newer job of the same PR at the same head (a description edit, "Re-run")
/// all carry the same id, so [`GitHub::publish`] finds and completes the one run
/// instead of adding another. A push (a new head) gets a new run, as GitHub expects
/// of checks. The installation is part of it so that a repository reinstalled under
/// another installation never continues a run it can no longer vouch for.
pub fn external_id_for_pr(installation_id: u64, repo: &str, pr: u64, head_sha: &str) -> String {
    format!("{installation_id}:{repo}#{pr}@{head_sha}")
}

#[derive(serde::Deserialize)]
struct Created {
    id: u64,
}

/// A `checks/list-for-ref` page: only the fields we read.
#[derive(serde::Deserialize)]
struct Listed {
    check_runs: Vec<ListedRun>,
}

#[derive(serde::Deserialize)]
struct ListedRun {
    id: u64,
    /// `null` or `""` when the App that made it set none.
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    output: Option<ListedOutput>,
}

#[derive(serde::Deserialize)]
struct ListedOutput {
    #[serde(default)]
    annotations_count: Option<u64>,
}

/// A run of ours that already exists: its id and how many annotations it holds.
#[derive(Debug, Clone, Copy)]
struct Existing {
    id: CheckRunId,
    annotations: usize,
}

/// Where the PATCHes start: the run, how many of our annotations it holds, and
/// whether it is already complete with all of them (nothing left to send).
struct Started {
    id: CheckRunId,
    sent: usize,
    complete: bool,
}

impl GitHub {
    /// Our check run on `p.head_sha` with `p.external_id`, if one exists (the
    /// newest, should there be several). One attempt per page: it runs inside a
    /// caller's `retry::run`.
    async fn find_check_run(
        &self,
        installation_id: u64,
        p: Publish<'_>,
    ) -> Result<Option<Existing>, Error> {
        // `filter=all`: every run of that name, not only the latest one;
        // `app_id`: only ours (an external_id means nothing across Apps).
        let mut route = format!(
            "/repos/{}/commits/{}/check-runs?check_name={CHECK_NAME}&filter=all&per_page=100&app_id={}",
            p.repo,
            p.head_sha,
            self.app_id()
        );
        let mut found: Option<Existing> = None;
        for _ in 0..MAX_LIST_PAGES {
            let resp = self
                .request_once(installation_id, &Request::get(route.clone()))
                .await?;
            let listed: Listed = decode(&route, &resp.body)?;
            for run in listed.check_runs {
                if run.external_id.as_deref() != Some(p.external_id)
                    || found.is_some_and(|f| f.id >= run.id)
                {
                    continue;
                }
                let count = run.output.and_then(|o| o.annotations_count).unwrap_or(0);
                found = Some(Existing {
                    id: run.id,
                    annotations: usize::try_from(count).unwrap_or(usize::MAX),
                });
            }
            let next = self.next_page(&resp);
            match next {
                Some(next) => route = next,
                None => break,
            }
        }
        Ok(found)
    }

    /// Post `p.output` as a `lint-pr` check run on `p.head_sha`: continue our
    /// existing run with `p.external_id` if there is one, else create it.
    pub async fn publish(&self, installation_id: u64, p: Publish<'_>) -> Result<CheckRunId, Error> {
        let out = p.output;
        let total = out.annotations.len();
        let lookup = format!("GET check-runs of {} for {}", p.head_sha, p.external_id);
        let existing = match retry::run(self.retry_policy(), &lookup, |_| {
            self.find_check_run(installation_id, p)
        })
        .await
        {
            Ok(found) => found,
            // The lookup only guards against a second run; when GitHub refuses it
            // for good (not a retryable failure), the result is still posted.
            Err(e) if !e.is_retryable() => {
                tracing::warn!(error = %e, "cannot list the commit's check runs; creating ours without looking for an earlier one");
                None
            }
            Err(e) => return Err(e),
        };
        let started = match existing {
            Some(run) => {
                // The annotations an earlier attempt sent are on it already; GitHub
                // appends, so they are not sent twice. (Same external_id, same PR
                // state: the lint is deterministic, so they are the same ones.)
                let sent = run.annotations.min(total);
                tracing::info!(
                    check_run_id = run.id,
                    annotations_on_it = run.annotations,
                    "an earlier attempt created this PR state's check run; completing it"
                );
                Started {
                    id: run.id,
                    sent,
                    complete: false,
                }
            }
            None => self.create(installation_id, p).await?,
        };
        if started.complete {
            return Ok(started.id);
        }
        self.complete(installation_id, p, &started).await?;
        Ok(started.id)
    }

    /// Create the run with the first batch of annotations (and the conclusion, when
    /// that batch is all of them).
    async fn create(&self, installation_id: u64, p: Publish<'_>) -> Result<Started, Error> {
        let out = p.output;
        let first_len = out.annotations.len().min(MAX_ANNOTATIONS_PER_REQUEST);
        let first = out.annotations.get(..first_len).unwrap_or(&[]);
        let complete = first_len == out.annotations.len();
        let mut create = json!({
            "name": CHECK_NAME,
            "head_sha": p.head_sha,
            "external_id": p.external_id,
            "output": output_json(out, first),
        });
        if complete {
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
        // batch of annotations (this create's body, applied whole) is then on it.
        let what = format!("POST {route}");
        let id = retry::run(self.retry_policy(), &what, |attempt| {
            let create = &create;
            let route = &route;
            async move {
                if attempt > 1
                    && let Some(run) = self.find_check_run(installation_id, p).await?
                {
                    tracing::info!(
                        check_run_id = run.id,
                        "the check run was created by an attempt that seemed to fail; continuing it"
                    );
                    return Ok(run.id);
                }
                let resp = self.request_once(installation_id, create).await?;
                decode::<Created>(route, &resp.body).map(|c| c.id)
            }
        })
        .await?;
        Ok(Started {
            id,
            sent: first_len,
            complete,
        })
    }

    /// Send the annotations from `started.sent` on, 50 per `PATCH`, the last
    /// `PATCH` with the conclusion; with none left, one `PATCH` that sets the
    /// output and the conclusion.
    async fn complete(
        &self,
        installation_id: u64,
        p: Publish<'_>,
        started: &Started,
    ) -> Result<(), Error> {
        let out = p.output;
        let rest = out.annotations.get(started.sent..).unwrap_or(&[]);
        let mut batches: Vec<&[Annotation]> = rest.chunks(MAX_ANNOTATIONS_PER_REQUEST).collect();
        if batches.is_empty() {
            batches.push(&[]);
        }
        let last = batches.len();
        let route = format!("/repos/{}/check-runs/{}", p.repo, started.id);
        for (i, batch) in batches.into_iter().enumerate() {
            let mut update = json!({ "output": output_json(out, batch) });
            if i + 1 == last {
                set(&mut update, "status", json!("completed"));
                set(&mut update, "conclusion", json!(out.conclusion.as_str()));
            }
            self.request(
                installation_id,
                &Request {
                    method: Method::PATCH,
                    route: route.clone(),
                    body: Some(&update),
                    headers: Default::default(),
                },
            )
            .await?;
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::external_id_for_pr as external_id;

    #[test]
    fn external_id_names_the_pr_state_not_the_job() {
        let sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
        let id = external_id(42, "octo/app", 7, sha);
        assert_eq!(id, format!("42:octo/app#7@{sha}"));
        assert_eq!(id, external_id(42, "octo/app", 7, sha), "stable");
        for other in [
            external_id(43, "octo/app", 7, sha),
            external_id(42, "octo/other", 7, sha),
            external_id(42, "octo/app", 8, sha),
            external_id(42, "octo/app", 7, &"a".repeat(40)),
        ] {
            assert_ne!(id, other);
        }
    }
}
