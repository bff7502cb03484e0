//! The queue's behaviour, written once and run against both backends: SQLite (a
//! temp file) and PostgreSQL (a fresh database per test, `support::postgres`).
//! Issue 12: claim + supersede in one transaction, leases, attempts counted at
//! claim, dead jobs and `retry`, dedupe and coalescing across "instances" (two
//! `Store`s on one PostgreSQL database).

use std::collections::HashSet;
use std::time::Duration;

use lint_pr::jobs::Store;
use lint_pr::jobs::store::{Inserted, NewDelivery, NewJob, Outcome, Retried};

use crate::support::postgres::TestDb;

/// A store and what keeps its database alive.
enum Guard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(#[allow(dead_code)] TestDb),
}

async fn sqlite() -> (Store, Guard) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("q.db").display());
    (Store::connect(&url).await.unwrap(), Guard::Sqlite(dir))
}

async fn postgres() -> (Store, Guard) {
    let db = TestDb::create().await;
    (Store::connect(&db.url).await.unwrap(), Guard::Postgres(db))
}

/// A delivery with one job of key `key` (also used by `queue_process`).
pub(crate) fn delivery(id: &str, key: &str) -> NewDelivery {
    NewDelivery {
        delivery_id: id.into(),
        event: "pull_request".into(),
        action: "edited".into(),
        jobs: vec![NewJob {
            key: key.into(),
            payload: "{}".into(),
            repo: Some("o/r".into()),
            pr: Some(7),
        }],
        debounce: Duration::ZERO,
    }
}

const LEASE: Duration = Duration::from_secs(30);

async fn state_counts(s: &Store) -> Vec<(String, i64)> {
    s.counts().await.unwrap()
}

async fn duplicates_are_refused(s: Store) {
    assert_eq!(s.insert(delivery("a", "k")).await.unwrap(), Inserted::New);
    assert_eq!(
        s.insert(delivery("a", "k")).await.unwrap(),
        Inserted::Duplicate
    );
    // Concurrent copies of one delivery (GitHub redelivering while the first is
    // being stored): exactly one is new, whichever commit group each lands in.
    let results = futures_join(
        (0..20)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move { s.insert(delivery("b", "k2")).await.unwrap() })
            })
            .collect(),
    )
    .await;
    assert_eq!(results.iter().filter(|r| **r == Inserted::New).count(), 1);
    assert_eq!(state_counts(&s).await, vec![("queued".to_string(), 2)]);
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

async fn only_the_newest_job_of_a_pr_runs_and_one_at_a_time(s: Store) {
    for id in ["1", "2", "3"] {
        s.insert(delivery(id, "pr")).await.unwrap();
    }
    s.insert(delivery("4", "other")).await.unwrap();
    assert_eq!(
        state_counts(&s).await,
        vec![("queued".to_string(), 2), ("superseded".to_string(), 2)],
        "storing a job supersedes the older queued jobs of its PR"
    );
    let first = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!((first.delivery_id.as_str(), first.attempt), ("3", 1));
    let second = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!(second.delivery_id, "4");
    assert!(s.claim(LEASE).await.unwrap().is_none());
    // A newer event while "3" runs: it waits, and "3" learns it is superseded.
    s.insert(delivery("5", "pr")).await.unwrap();
    assert!(
        s.claim(LEASE).await.unwrap().is_none(),
        "one running job per PR"
    );
    assert!(s.superseded(&first).await.unwrap());
    assert!(!s.superseded(&second).await.unwrap());
    assert!(s.finish(&first, Outcome::Superseded, None).await.unwrap());
    assert_eq!(s.claim(LEASE).await.unwrap().unwrap().delivery_id, "5");
}

async fn an_expired_lease_makes_the_job_claimable_and_counts_the_attempt(s: Store) {
    s.insert(delivery("1", "pr")).await.unwrap();
    let lost = s.claim(Duration::from_millis(800)).await.unwrap().unwrap();
    assert_eq!(lost.attempt, 1);
    assert!(s.claim(LEASE).await.unwrap().is_none(), "leased");
    tokio::time::sleep(Duration::from_millis(900)).await;
    let again = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempt), (lost.id, 2));
    assert!(
        again
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("never finished"),
        "{:?}",
        again.last_error
    );
    // The first owner is fenced off: it can neither renew nor record.
    assert!(!s.renew(&lost, LEASE).await.unwrap());
    assert!(!s.finish(&lost, Outcome::Done, None).await.unwrap());
    assert!(!s.retry_later(&lost, Duration::ZERO, "x").await.unwrap());
    assert!(s.finish(&again, Outcome::Done, None).await.unwrap());
    assert_eq!(state_counts(&s).await, vec![("done".to_string(), 1)]);
}

async fn a_renewed_lease_keeps_the_job(s: Store) {
    s.insert(delivery("1", "pr")).await.unwrap();
    let job = s.claim(Duration::from_millis(800)).await.unwrap().unwrap();
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(s.renew(&job, Duration::from_millis(800)).await.unwrap());
        assert!(s.claim(LEASE).await.unwrap().is_none(), "still ours");
    }
}

async fn a_retry_waits_and_keeps_its_attempt_count(s: Store) {
    s.insert(delivery("1", "pr")).await.unwrap();
    let job = s.claim(LEASE).await.unwrap().unwrap();
    assert!(
        s.retry_later(&job, Duration::from_millis(800), "GitHub answered 502")
            .await
            .unwrap()
    );
    assert!(
        s.claim(LEASE).await.unwrap().is_none(),
        "not before its time"
    );
    tokio::time::sleep(Duration::from_millis(900)).await;
    let again = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!(again.attempt, 2);
    assert_eq!(again.last_error.as_deref(), Some("GitHub answered 502"));
}

async fn a_released_job_runs_again_without_burning_an_attempt(s: Store) {
    s.insert(delivery("1", "pr")).await.unwrap();
    let job = s.claim(LEASE).await.unwrap().unwrap();
    assert!(s.release(&job).await.unwrap());
    let again = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempt), (job.id, 1));
}

async fn a_dead_job_stays_listed_and_retry_gives_it_a_fresh_budget(s: Store) {
    s.insert(delivery("d-1", "pr")).await.unwrap();
    s.insert(delivery("d-2", "other")).await.unwrap();
    let job = s.claim(LEASE).await.unwrap().unwrap();
    let other = s.claim(LEASE).await.unwrap().unwrap();
    assert!(
        s.finish(
            &job,
            Outcome::Dead,
            Some("GitHub answered 502 (attempt 5 of 5)")
        )
        .await
        .unwrap()
    );
    assert!(s.finish(&other, Outcome::Done, None).await.unwrap());
    let dead = s.list(Some("dead"), 100).await.unwrap();
    assert_eq!(dead.len(), 1, "{dead:?}");
    let row = &dead[0];
    assert_eq!(
        (
            row.id,
            row.delivery_id.as_str(),
            row.repo.as_deref(),
            row.pr,
            row.attempts
        ),
        (job.id, job.delivery_id.as_str(), Some("o/r"), Some(7), 1)
    );
    assert_eq!(
        row.last_error.as_deref(),
        Some("GitHub answered 502 (attempt 5 of 5)")
    );
    assert_eq!(s.list(None, 100).await.unwrap().len(), 2);
    let stats = s.stats().await.unwrap();
    assert_eq!(
        (
            stats.states["dead"],
            stats.states["done"],
            stats.states["queued"]
        ),
        (1, 1, 0)
    );
    assert_eq!(
        s.retry(other.id).await.unwrap(),
        Retried::NotRetryable("done".into())
    );
    assert_eq!(s.retry(987_654).await.unwrap(), Retried::NotFound);
    assert_eq!(s.retry(job.id).await.unwrap(), Retried::Requeued);
    let again = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!(
        (again.id, again.attempt),
        (job.id, 1),
        "a fresh attempt budget"
    );
}

async fn known_deliveries_are_those_stored_in_any_state(s: Store) {
    s.insert(delivery("k-1", "pr")).await.unwrap();
    s.insert(delivery("k-2", "pr")).await.unwrap(); // supersedes k-1's job
    let mut ids: Vec<String> = (0..1200).map(|i| format!("missing-{i}")).collect();
    ids.push("k-1".into());
    ids.push("k-2".into());
    let known = s.known_deliveries(&ids).await.unwrap();
    assert_eq!(known, HashSet::from(["k-1".to_string(), "k-2".to_string()]));
}

/// Eight workers claiming at once (across two `Store`s where the backend allows
/// several instances): every job is claimed once, one running job per PR.
async fn concurrent_claims_take_each_job_once(stores: Vec<Store>) {
    let s = &stores[0];
    for i in 0..60 {
        s.insert(delivery(&format!("c-{i}"), &format!("pr-{}", i % 30)))
            .await
            .unwrap();
    }
    let mut handles = Vec::new();
    for w in 0..8 {
        let s = stores[w % stores.len()].clone();
        handles.push(tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(job) = s.claim(LEASE).await.unwrap() {
                got.push(job.clone());
                assert!(s.finish(&job, Outcome::Done, None).await.unwrap());
            }
            got
        }));
    }
    let all: Vec<_> = futures_join(handles).await.into_iter().flatten().collect();
    let ids: HashSet<i64> = all.iter().map(|j| j.id).collect();
    assert_eq!(ids.len(), all.len(), "a job was claimed twice");
    let keys: HashSet<&str> = all.iter().map(|j| j.key.as_str()).collect();
    assert_eq!(keys.len(), 30, "one job per PR ran: {}", all.len());
    assert_eq!(all.len(), 30, "only the newest job of each PR ran");
}

/// Two hundred deliveries at once: all stored (grouped commits), none lost.
async fn concurrent_deliveries_are_all_stored(s: Store) {
    let handles = (0..200)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.insert(delivery(&format!("g-{i}"), &format!("pr-{i}")))
                    .await
                    .unwrap()
            })
        })
        .collect();
    let results = futures_join(handles).await;
    assert!(results.iter().all(|r| *r == Inserted::New));
    assert_eq!(s.queue_depth().await.unwrap(), 200);
}

/// Jobs a running job hands on (a fork's suite → its PRs) coalesce like stored
/// ones: they supersede the PR's queued job and run once.
async fn follow_up_jobs_coalesce_with_the_pr(s: Store) {
    s.insert(delivery("suite", "sha:abc")).await.unwrap();
    s.insert(delivery("push", "pr")).await.unwrap();
    let suite = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!(suite.key, "sha:abc");
    let follow = NewJob {
        key: "pr".into(),
        payload: "{}".into(),
        repo: Some("o/r".into()),
        pr: Some(7),
    };
    s.enqueue(&suite.delivery_id, &[follow]).await.unwrap();
    assert!(s.finish(&suite, Outcome::Done, None).await.unwrap());
    let next = s.claim(LEASE).await.unwrap().unwrap();
    assert_eq!(
        (next.key.as_str(), next.delivery_id.as_str()),
        ("pr", "suite")
    );
    assert!(
        s.claim(LEASE).await.unwrap().is_none(),
        "the push's job was superseded"
    );
}

/// Fifty deliveries for one PR at once (they share commits): one job stays
/// queued, the newest, and no other job of the PR is newer than it, so it posts.
async fn a_burst_for_one_pr_leaves_the_newest_job(s: Store) {
    let handles = (0..50)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move {
                s.insert(delivery(&format!("burst-{i}"), "pr"))
                    .await
                    .unwrap()
            })
        })
        .collect();
    futures_join(handles).await;
    let counts: std::collections::HashMap<String, i64> =
        s.counts().await.unwrap().into_iter().collect();
    let queued = counts.get("queued").copied().unwrap_or(0);
    assert_eq!(
        queued + counts.get("superseded").copied().unwrap_or(0),
        50,
        "{counts:?}"
    );
    // SQLite's one writer: every group sees the last one's job. PostgreSQL's
    // three writers commit groups at once, which do not see each other's jobs
    // (as two instances' groups never could): at most one left per writer.
    let most = if s.kind() == "sqlite" { 1 } else { 3 };
    assert!((1..=most).contains(&queued), "{counts:?}");
    // Whichever are left, the claim takes the newest.
    let job = s.claim(LEASE).await.unwrap().unwrap();
    assert!(
        !s.superseded(&job).await.unwrap(),
        "the queued job is the newest of its PR"
    );
    let newest = s.list(None, 1).await.unwrap();
    assert_eq!(newest[0].id, job.id);
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    i64::try_from(since.as_millis()).unwrap()
}

/// Every job's id and state, by id.
async fn ids_and_states(s: &Store) -> Vec<(i64, String)> {
    let mut jobs: Vec<(i64, String)> = s
        .list(None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|j| (j.id, j.state))
        .collect();
    jobs.sort();
    jobs
}

/// Retention deletes `done` and `superseded` jobs created before the cut-off,
/// oldest first and at most a batch per call; dead, running and queued jobs and
/// every delivery stay, and ids are not reused.
async fn finished_jobs_past_the_retention_go_and_nothing_else(s: Store) {
    s.insert(delivery("r-1", "a")).await.unwrap();
    let done = s.claim(LEASE).await.unwrap().unwrap();
    assert!(s.finish(&done, Outcome::Done, None).await.unwrap());
    s.insert(delivery("r-2", "c")).await.unwrap();
    let dead = s.claim(LEASE).await.unwrap().unwrap();
    assert!(s.finish(&dead, Outcome::Dead, Some("502")).await.unwrap());
    s.insert(delivery("r-3", "e")).await.unwrap();
    let running = s.claim(LEASE).await.unwrap().unwrap();
    s.insert(delivery("r-4", "b")).await.unwrap();
    s.insert(delivery("r-5", "b")).await.unwrap(); // supersedes r-4's job
    s.insert(delivery("r-6", "f")).await.unwrap();
    let before = ids_and_states(&s).await;
    assert_eq!(before.len(), 6, "{before:?}");

    // Nothing was created before an hour ago.
    let hour_ago = s.prune_bound(now_ms() - 3_600_000).await.unwrap();
    assert_eq!(s.prune(hour_ago, 500).await.unwrap(), 0);
    tokio::time::sleep(Duration::from_millis(5)).await;
    let cut = s.prune_bound(now_ms()).await.unwrap();
    // One per call with a batch of 1: the oldest finished job first.
    assert_eq!(s.prune(cut, 1).await.unwrap(), 1);
    let ids = ids_and_states(&s).await;
    assert!(
        ids.iter().all(|(id, _)| *id != done.id),
        "the oldest finished job went first: {ids:?}"
    );
    assert_eq!(s.prune(cut, 500).await.unwrap(), 1, "the superseded job");
    assert_eq!(s.prune(cut, 500).await.unwrap(), 0);
    let left = ids_and_states(&s).await;
    let kept: Vec<(i64, String)> = before
        .into_iter()
        .filter(|(_, state)| state != "done" && state != "superseded")
        .collect();
    assert_eq!(left, kept);
    assert_eq!(
        left.iter().map(|(_, st)| st.as_str()).collect::<Vec<_>>(),
        ["dead", "running", "queued", "queued"]
    );
    assert_eq!(running.id, left[1].0);
    // Every delivery stays: a redelivery of one is still a duplicate.
    let ids: Vec<String> = (1..=6).map(|i| format!("r-{i}")).collect();
    assert_eq!(s.known_deliveries(&ids).await.unwrap().len(), 6);
    assert_eq!(
        s.insert(delivery("r-1", "a")).await.unwrap(),
        Inserted::Duplicate
    );
    // A new job gets an id above every job there ever was.
    s.insert(delivery("r-7", "a")).await.unwrap();
    let newest = s.list(None, 1).await.unwrap();
    let highest = left.iter().map(|(id, _)| *id).max().unwrap();
    assert!(newest[0].id > highest.max(done.id), "{newest:?}");
}

/// A pass deletes batch after batch until one comes back short.
async fn a_retention_pass_deletes_every_batch(s: Store) {
    let inserts = (0..1_102)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.insert(delivery(&format!("p-{i}"), "pr")).await.unwrap() })
        })
        .collect();
    futures_join(inserts).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let pruned = lint_pr::jobs::retention::prune_older_than(&s, Duration::ZERO, Duration::ZERO)
        .await
        .unwrap();
    let deleted = pruned.jobs;
    // Delivery ids stay for `DELIVERY_KEEP` whatever the retention: GitHub may
    // still redeliver them.
    assert_eq!(pruned.deliveries, 0);
    // Every superseded job, in six batches. Groups committed at once (the
    // writers on PostgreSQL) do not see each other's jobs, so a few of the
    // burst's jobs may still be queued: a claim supersedes them.
    let counts = state_counts(&s).await;
    let [(state, queued)] = counts.as_slice() else {
        panic!("only queued jobs should be left: {counts:?}")
    };
    assert_eq!(state, "queued");
    assert_eq!(deleted + u64::try_from(*queued).unwrap(), 1_102);
    assert!(deleted > 1_000, "{deleted}");
    // Within the retention, nothing goes.
    let kept =
        lint_pr::jobs::retention::prune_older_than(&s, Duration::from_secs(3600), Duration::ZERO)
            .await
            .unwrap();
    assert_eq!(kept, lint_pr::jobs::retention::Pruned::default());
}

/// A pass that cannot reach the store says which part failed and what it had
/// deleted, for the log line the operator reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_retention_pass_names_its_part() {
    let (s, _guard) = sqlite().await;
    s.close().await;
    let failed = lint_pr::jobs::retention::prune_older_than(&s, Duration::ZERO, Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(failed.part, "finished jobs");
    assert_eq!(failed.done, lint_pr::jobs::retention::Pruned::default());
}

/// The ids of `ids` the store holds, sorted (also used by `queue_process`).
pub(crate) async fn known_sorted(s: &Store, ids: &[String]) -> Vec<String> {
    let mut known: Vec<String> = s.known_deliveries(ids).await.unwrap().into_iter().collect();
    known.sort();
    known
}

/// Delivery ids received before the cut-off go once no job names them, oldest
/// first and at most a batch per call; those a dead or queued job names stay,
/// and a redelivery of an id that went is new again.
async fn old_delivery_ids_go_once_no_job_names_them(s: Store) {
    s.insert(delivery("x-1", "a")).await.unwrap();
    let done = s.claim(LEASE).await.unwrap().unwrap();
    assert!(s.finish(&done, Outcome::Done, None).await.unwrap());
    s.insert(delivery("x-2", "c")).await.unwrap();
    let dead = s.claim(LEASE).await.unwrap().unwrap();
    assert!(s.finish(&dead, Outcome::Dead, Some("502")).await.unwrap());
    s.insert(delivery("x-3", "e")).await.unwrap();
    s.insert(delivery("x-4", "b")).await.unwrap();
    s.insert(delivery("x-5", "b")).await.unwrap(); // supersedes x-4's job
    let ids: Vec<String> = (1..=5).map(|i| format!("x-{i}")).collect();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let cut = now_ms();

    // Every id is still named by a job.
    let bound = s.delivery_prune_bound(cut).await.unwrap();
    assert_eq!(s.prune_deliveries(bound, 500).await.unwrap(), 0);
    let jobs = s.prune_bound(cut).await.unwrap();
    assert_eq!(
        s.prune(jobs, 500).await.unwrap(),
        2,
        "the done and the superseded job"
    );
    // Received within the last hour: nothing goes.
    let hour_ago = s.delivery_prune_bound(cut - 3_600_000).await.unwrap();
    assert_eq!(s.prune_deliveries(hour_ago, 500).await.unwrap(), 0);
    // One per call with a batch of 1, the oldest first.
    assert_eq!(s.prune_deliveries(bound, 1).await.unwrap(), 1);
    let known = known_sorted(&s, &ids).await;
    assert_eq!(known, ["x-2", "x-3", "x-4", "x-5"]);
    assert_eq!(s.prune_deliveries(bound, 500).await.unwrap(), 1);
    assert_eq!(s.prune_deliveries(bound, 500).await.unwrap(), 0);
    let known = known_sorted(&s, &ids).await;
    assert_eq!(
        known,
        ["x-2", "x-3", "x-5"],
        "the ids a dead or queued job names stay"
    );
    // The dead job can still be retried, and runs.
    assert_eq!(s.retry(dead.id).await.unwrap(), Retried::Requeued);
    // An id that went is a new delivery again.
    assert_eq!(s.insert(delivery("x-1", "a")).await.unwrap(), Inserted::New);
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (s, _guard) = super::sqlite().await;
                    super::$name(s).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (s, _guard) = super::postgres().await;
                    super::$name(s).await;
                }
            )*
        }
    };
}

on_both_backends!(
    duplicates_are_refused,
    only_the_newest_job_of_a_pr_runs_and_one_at_a_time,
    an_expired_lease_makes_the_job_claimable_and_counts_the_attempt,
    a_renewed_lease_keeps_the_job,
    a_retry_waits_and_keeps_its_attempt_count,
    a_released_job_runs_again_without_burning_an_attempt,
    a_dead_job_stays_listed_and_retry_gives_it_a_fresh_budget,
    known_deliveries_are_those_stored_in_any_state,
    concurrent_deliveries_are_all_stored,
    the_config_cache_keeps_the_last_per_repository,
    follow_up_jobs_coalesce_with_the_pr,
    a_burst_for_one_pr_leaves_the_newest_job,
    finished_jobs_past_the_retention_go_and_nothing_else,
    a_retention_pass_deletes_every_batch,
    old_delivery_ids_go_once_no_job_names_them,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_concurrent_claims_take_each_job_once() {
    let (s, _guard) = sqlite().await;
    concurrent_claims_take_each_job_once(vec![s]).await;
}

/// Two instances on one database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_instances_claim_each_job_once() {
    let db = TestDb::create().await;
    let a = Store::connect(&db.url).await.unwrap();
    let b = Store::connect(&db.url).await.unwrap();
    concurrent_claims_take_each_job_once(vec![a, b]).await;
}

/// Instances starting at once migrate one at a time (the advisory lock); all
/// start, and the schema is there once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_instances_starting_at_once_all_migrate() {
    let db = TestDb::create().await;
    let handles = (0..4)
        .map(|_| {
            let url = db.url.clone();
            tokio::spawn(async move { Store::connect(&url).await })
        })
        .collect();
    let stores = futures_join(handles).await;
    for s in &stores {
        assert!(s.is_ok(), "{:?}", s.as_ref().err().map(ToString::to_string));
    }
    let s = stores.into_iter().next().unwrap().unwrap();
    s.insert(delivery("m-1", "pr")).await.unwrap();
    assert_eq!(s.queue_depth().await.unwrap(), 1);
}

/// An older job that a newer one of its PR replaced never posts, whichever
/// instance ran it: `superseded` sees jobs stored by any instance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_newer_job_stored_by_another_instance_supersedes() {
    let db = TestDb::create().await;
    let a = Store::connect(&db.url).await.unwrap();
    let b = Store::connect(&db.url).await.unwrap();
    a.insert(delivery("old", "pr")).await.unwrap();
    let old = a.claim(LEASE).await.unwrap().unwrap();
    assert!(!a.superseded(&old).await.unwrap());
    b.insert(delivery("new", "pr")).await.unwrap();
    assert!(a.superseded(&old).await.unwrap());
    assert!(
        b.claim(LEASE).await.unwrap().is_none(),
        "one running job per PR"
    );
    a.finish(&old, Outcome::Superseded, None).await.unwrap();
    assert_eq!(b.claim(LEASE).await.unwrap().unwrap().delivery_id, "new");
}

#[tokio::test]
async fn a_database_url_password_never_shows_in_errors() {
    let err = Store::connect("postgres://lint:hunter2-secret@127.0.0.1:1/nodb")
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2-secret"), "{err}");
    let err = Store::connect("mysql://lint:hunter2-secret@h/db")
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2-secret"), "{err}");
    assert_eq!(
        lint_pr::jobs::store::redact_url("postgres://lint:hunter2@h:5432/db"),
        "postgres://lint:***@h:5432/db"
    );
}

async fn the_config_cache_keeps_the_last_per_repository(s: Store) {
    assert_eq!(s.cached_config("o/r").await.unwrap(), None);
    s.remember_config("o/r", "aaa", "[1]").await.unwrap();
    s.remember_config("o/r", "bbb", "[2]").await.unwrap();
    s.remember_config("o/other", "ccc", "[3]").await.unwrap();
    let c = s.cached_config("o/r").await.unwrap().unwrap();
    assert_eq!((c.base_sha.as_str(), c.files.as_str()), ("bbb", "[2]"));
}
