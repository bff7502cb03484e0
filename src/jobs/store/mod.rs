//! The durable queue: deliveries and jobs, committed before the `202`.
//!
//! Owns: deduplication by delivery id (the `deliveries` primary key), grouped
//! commits of concurrent deliveries ([`Store::insert`]), claiming jobs under a
//! lease, per-PR coalescing, the retry bookkeeping of a job (attempts, next attempt
//! time, last error, `dead`), and what `lint-pr jobs` shows. Never does: know what a
//! job means (its payload is opaque here) or call GitHub.
//!
//! # Layout
//! - `mod.rs` (this file): the public interface, the group-commit writer, and the
//!   SQL both backends share (SQLite accepts PostgreSQL's `$1` placeholders;
//!   its grouped statements use anonymous `?`, see `anonymous_placeholders`);
//! - `sqlite.rs`: SQLite (the embedded default: one instance, WAL,
//!   `synchronous=FULL` for what must survive a power cut, NORMAL for the
//!   workers' bookkeeping, one connection) and its migrations;
//! - `postgres.rs`: PostgreSQL (several instances share one queue) and its
//!   migrations, run under `pg_advisory_lock`.
//!
//! [`Store`] holds a [`Backend`], a closed enum: the compiler checks every method
//! handles each backend. SQL is written at run time (no `query!` macros).
//!
//! # Job states
//! `queued` → `running` (claimed under a lease) → `done` | `failed` (a permanent
//! error; a neutral check run said so) | `dead` (attempts used up; a neutral check
//! run said so) | `superseded` (a newer job of the same PR took over). A retryable
//! failure puts a job back to `queued` with a later `next_attempt_at`. Nothing is
//! deleted: `dead` and `failed` jobs stay for the operator (`lint-pr jobs`).
//!
//! # Coalescing protocol (holds across instances)
//! - every job has a `key` (the PR) and an increasing `id`;
//! - storing a job supersedes the older *queued* jobs of its key, in the same
//!   transaction: a burst of events for one PR leaves one queued job, the newest,
//!   so no claim ever walks a busy PR's backlog;
//! - at most one job per key is `running`: a partial unique index
//!   (`jobs_running_key`) enforces it even when two instances claim at once;
//! - a claim takes the due job with the smallest `(next_attempt_at, id)`, an index
//!   lookup (`jobs_due`); if a newer job of its key exists, it is marked
//!   `superseded` instead of run. Claim and supersede are one transaction
//!   (`BEGIN IMMEDIATE` on SQLite, `FOR UPDATE SKIP LOCKED` on PostgreSQL);
//! - before posting, a job asks [`Store::superseded`]: a newer job of its PR
//!   stored since it was claimed means its result is stale, and it posts nothing.
//!
//! # Leases and attempts
//! A claim sets `lease_until` = now + lease and increments `attempts` *at claim*,
//! so an attempt that crashed the process counts. The worker renews the lease
//! every lease/3 ([`Store::renew`]); a `running` job whose lease expired is
//! claimable again by any instance (a new attempt). Every write about a claimed job
//! is fenced by `(id, attempts, state = 'running')`: a worker that lost its lease
//! cannot record an outcome over the new owner's.

mod postgres;
mod sqlite;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::{PgPool, Row, SqlitePool};
use tokio::sync::{mpsc, oneshot};

/// Store failures: the database cannot be opened, reached or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `--database-url` names no backend we have. Holds the URL's scheme only
    /// (a URL may carry a password).
    #[error(
        "unsupported --database-url scheme {0:?}: expected sqlite://PATH or postgres://USER@HOST/DB"
    )]
    UnsupportedUrl(String),
    /// The database answered with an error or is unreachable.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Creating or upgrading the schema failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The grouped commit this delivery was part of failed (the message is the
    /// database's); nothing of the group was stored.
    #[error("storing the delivery failed: {0}")]
    Batch(String),
    /// The store's writer task has stopped (the store was closed).
    #[error("the store is closed")]
    Closed,
}

/// A new delivery and the jobs it brings, as the webhook handler extracted them.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub delivery_id: String,
    pub event: String,
    pub action: String,
    pub jobs: Vec<NewJob>,
    /// How long a job waits for newer events of its PR before it may run.
    pub debounce: Duration,
}

/// One job to store: what the worker needs, not the webhook payload.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The coalescing key (the PR; see `webhook_event::Job::key`).
    pub key: String,
    /// The job's own JSON (`webhook_event::Job`), a few hundred bytes.
    pub payload: String,
    /// `owner/name`, for `lint-pr jobs list`.
    pub repo: Option<String>,
    /// The PR number, for `lint-pr jobs list`.
    pub pr: Option<u64>,
}

/// Whether a delivery was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New,
    /// Seen before (GitHub redelivery keeps the id): nothing was stored.
    Duplicate,
}

/// A job a worker now owns, until its lease expires.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub key: String,
    pub delivery_id: String,
    pub payload: String,
    /// This attempt's number, 1 on the first run. Counted at claim, so an attempt
    /// that crashed the process counts; also the fencing token of every write
    /// about this claim.
    pub attempt: u32,
    /// What went wrong last time (`None` on a first attempt). A job re-claimed
    /// after its lease expired says so here.
    pub last_error: Option<String>,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Check run posted (or nothing to post, e.g. a closed PR).
    Done,
    /// A permanent error: a neutral check run said what failed, no retry.
    Failed,
    /// Attempts used up: a neutral check run said what failed.
    Dead,
    /// A newer job of the same PR took over.
    Superseded,
    /// Put back in the queue by [`Store::retry_later`]; not a final state.
    Requeued,
    /// The worker lost its lease or was stopped: it records nothing (another
    /// instance, or the next start, owns the job).
    Abandoned,
}

impl Outcome {
    /// The `state` column value (and the `outcome` metric label).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Failed => "failed",
            Outcome::Dead => "dead",
            Outcome::Superseded => "superseded",
            Outcome::Requeued => "queued",
            Outcome::Abandoned => "abandoned",
        }
    }
}

/// Every state a job row can be in, for `lint-pr jobs list --state`.
pub const STATES: &[&str] = &["queued", "running", "done", "failed", "dead", "superseded"];

/// A job as `lint-pr jobs list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobRow {
    pub id: i64,
    pub delivery_id: String,
    /// `owner/name` (`null` for jobs about no repository, e.g. installation upkeep).
    pub repo: Option<String>,
    pub pr: Option<u64>,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When a queued job may next run, in milliseconds since the Unix epoch.
    pub next_attempt_at_ms: i64,
    /// When a running job's lease ends, in milliseconds since the Unix epoch.
    pub lease_until_ms: Option<i64>,
    /// When the delivery was stored, in milliseconds since the Unix epoch.
    pub created_ms: i64,
    /// When the row last changed, in milliseconds since the Unix epoch.
    pub updated_ms: i64,
}

/// The queue at a glance (`lint-pr jobs stats`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Jobs per state, every state of [`STATES`] present.
    pub states: std::collections::BTreeMap<String, i64>,
    /// `running` jobs whose lease has expired: their instance stopped; any
    /// instance will claim them again.
    pub expired_leases: i64,
    /// Age of the oldest queued job, in seconds (`None`: nothing queued).
    pub oldest_queued_age_s: Option<i64>,
}

/// What `lint-pr jobs retry ID` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retried {
    /// Queued again with a fresh attempt budget.
    Requeued,
    /// No job has this id.
    NotFound,
    /// The job is in this state, which is not `dead` or `failed`.
    NotRetryable(String),
}

/// The last configuration that loaded for a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedConfig {
    /// The base commit it was read at.
    pub base_sha: String,
    /// What the configuration driver read (the pipeline's format).
    pub files: String,
    /// When it loaded, in milliseconds since the Unix epoch.
    pub loaded_ms: i64,
}

/// The database behind a [`Store`].
#[derive(Debug, Clone)]
pub enum Backend {
    /// `sqlite://PATH`: one instance, one connection.
    Sqlite(SqlitePool),
    /// `postgres://…`: any number of instances.
    Postgres(PgPool),
}

/// The store: a backend and the writer task that groups the commits of
/// concurrent deliveries. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    /// Deliveries waiting for the writers ([`sqlite_writer`], [`postgres_writer`]);
    /// each carries its reply.
    writer: mpsc::Sender<Pending>,
}

/// A delivery on its way to the writer, and where to send the result.
#[derive(Debug)]
struct Pending {
    delivery: NewDelivery,
    reply: oneshot::Sender<Result<Inserted, Error>>,
}

/// The most deliveries one grouped commit takes; more wait for the next one.
const MAX_BATCH: usize = 256;

/// Runs `$body` with `$pool` bound to the backend's pool, once per backend: the
/// same SQL, type-checked for each database.
macro_rules! on_pool {
    ($backend:expr, $pool:ident => $body:expr) => {
        match $backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// `scheme://user:password@host/db` → `scheme://user:***@host/db`, for errors and
/// logs: a database URL's password is a secret.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.split_once('@') {
        Some((auth, host)) if !auth.contains('/') => (auth, host),
        _ => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => format!("{scheme}://{auth}@{host}"),
    }
}

/// A migrator of `steps` (version, name, SQL), for either backend. Migrations
/// only ever add tables, columns or indexes, so a binary may start on a
/// database that a newer release migrated further (`ignore_missing`): rolling
/// back is running the older image, nothing else (docs/deploy.md).
fn migrator_of(steps: &[(i64, &'static str, &'static str)]) -> sqlx::migrate::Migrator {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType, Migrator};
    let mut migrator = Migrator::with_migrations(
        steps
            .iter()
            .map(|&(version, name, sql)| {
                Migration::new(
                    version,
                    name.into(),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect(),
    );
    migrator.set_ignore_missing(true);
    migrator
}

/// The queries both backends run with the same text.
mod sql {
    /// Storing a job supersedes the older queued jobs of its key (the partial index
    /// `jobs_queued_key` finds them without reading the key's history).
    pub(super) const SUPERSEDE_QUEUED: &str =
        "UPDATE jobs SET state = 'superseded', updated_ms = $2 WHERE key = $1 AND state = 'queued'";
    pub(super) const IS_NEWER: &str =
        "SELECT EXISTS (SELECT 1 FROM jobs WHERE key = $1 AND id > $2) AS newer";
    pub(super) const MARK_SUPERSEDED: &str =
        "UPDATE jobs SET state = 'superseded', lease_until = NULL, updated_ms = $2 WHERE id = $1";
    /// `$4`: the note left on a job re-claimed while `running` (its last attempt
    /// never finished).
    pub(super) const TAKE: &str = "UPDATE jobs SET
            last_error = CASE WHEN state = 'running' THEN $4 ELSE last_error END,
            state = 'running', attempts = attempts + 1, lease_until = $2, updated_ms = $3
         WHERE id = $1
         RETURNING id, key, delivery_id, payload, attempts, last_error";
    pub(super) const SUPERSEDE_OLDER: &str = "UPDATE jobs SET state = 'superseded', updated_ms = $3 WHERE key = $1 AND id < $2 AND state = 'queued'";
    pub(super) const RENEW: &str =
        "UPDATE jobs SET lease_until = $3 WHERE id = $1 AND attempts = $2 AND state = 'running'";
    pub(super) const FINISH: &str = "UPDATE jobs SET state = $3, last_error = COALESCE($4, last_error), lease_until = NULL, updated_ms = $5 WHERE id = $1 AND attempts = $2 AND state = 'running'";
    pub(super) const RETRY_LATER: &str = "UPDATE jobs SET state = 'queued', next_attempt_at = $3, last_error = $4, lease_until = NULL, updated_ms = $5 WHERE id = $1 AND attempts = $2 AND state = 'running'";
    /// Give the job back unrun: the attempt is not burnt.
    pub(super) const RELEASE: &str = "UPDATE jobs SET state = 'queued', attempts = attempts - 1, next_attempt_at = $3, lease_until = NULL, updated_ms = $3 WHERE id = $1 AND attempts = $2 AND state = 'running'";
    pub(super) const COUNTS: &str =
        "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state ORDER BY state";
    pub(super) const QUEUE_DEPTH: &str = "SELECT COUNT(*) AS n FROM jobs WHERE state = 'queued'";
    pub(super) const EXPIRED: &str =
        "SELECT COUNT(*) AS n FROM jobs WHERE state = 'running' AND lease_until <= $1";
    pub(super) const OLDEST_QUEUED: &str =
        "SELECT MIN(created_ms) AS t FROM jobs WHERE state = 'queued'";
    pub(super) const LIST_ALL: &str = "SELECT id, delivery_id, repo, pr, payload, state, attempts, last_error, next_attempt_at, lease_until, created_ms, updated_ms FROM jobs ORDER BY id DESC LIMIT $1";
    pub(super) const LIST_STATE: &str = "SELECT id, delivery_id, repo, pr, payload, state, attempts, last_error, next_attempt_at, lease_until, created_ms, updated_ms FROM jobs WHERE state = $2 ORDER BY id DESC LIMIT $1";
    pub(super) const STATE_OF: &str = "SELECT state FROM jobs WHERE id = $1";
    /// A fresh attempt budget; the last error stays for the record.
    pub(super) const RETRY: &str = "UPDATE jobs SET state = 'queued', attempts = 0, next_attempt_at = $2, lease_until = NULL, updated_ms = $2 WHERE id = $1 AND state IN ('dead', 'failed')";
    pub(super) const REMEMBER_CONFIG: &str = "INSERT INTO config_cache (repo, base_sha, files, loaded_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (repo) DO UPDATE SET base_sha = excluded.base_sha, files = excluded.files, loaded_ms = excluded.loaded_ms";
    /// The first job created at or after `$1`, or past the last job: jobs below
    /// it are older than the retention. Walks ids from the oldest (the primary
    /// key's order), so it reads only the old rows, which pruning removes.
    pub(super) const PRUNE_BOUND: &str = "SELECT COALESCE(
            (SELECT id FROM jobs WHERE created_ms >= $1 ORDER BY id LIMIT 1),
            (SELECT MAX(id) + 1 FROM jobs),
            0) AS bound";
    pub(super) const CACHED_CONFIG: &str =
        "SELECT base_sha, files, loaded_ms FROM config_cache WHERE repo = $1";
}

/// Rows per multi-row statement of a grouped commit: 500 rows of at most 10
/// placeholders stay far below SQLite's 32,766 and PostgreSQL's 65,535.
const ROWS_PER_STATEMENT: usize = 500;

/// `($f, $f+1, …), (…)`: `rows` groups of `width` placeholders numbered from
/// `first` (PostgreSQL's multi-row statements).
fn placeholders(first: usize, rows: usize, width: usize) -> String {
    placeholder_rows(rows, width, 5, |out, i| {
        out.push('$');
        out.push_str(&(first + i).to_string());
    })
}

/// `(?, ?, …), (…)`: `rows` groups of `width` anonymous placeholders (SQLite's
/// multi-row statements). They take the arguments in order, so every earlier
/// placeholder of the statement must be an anonymous `?` too: sqlx-sqlite
/// counts anonymous ones from 1 whatever numbered ones came before.
///
/// Why not `$N` on SQLite: sqlx-sqlite asks `sqlite3_bind_parameter_name` for
/// every parameter it binds, and for a named or numbered one SQLite finds the
/// name by walking the statement's list of names: O(params²) per statement, 4%
/// of `serve`'s CPU at 64 connections (a group's 10-column job rows). An
/// anonymous `?` has no name and the list is empty.
fn anonymous_placeholders(rows: usize, width: usize) -> String {
    placeholder_rows(rows, width, 3, |out, _| out.push('?'))
}

/// `rows` parenthesised groups of `width` placeholders, each written by
/// `write(out, index)` (index from 0 across the rows); `size` is a guess of one
/// placeholder's length with its separator.
fn placeholder_rows(
    rows: usize,
    width: usize,
    size: usize,
    mut write: impl FnMut(&mut String, usize),
) -> String {
    let mut out = String::with_capacity(rows * (width * size + 2));
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            write(&mut out, r * width + c);
        }
        out.push(')');
    }
    out
}

/// The note a job re-claimed in state `running` gets as its `last_error`.
const INTERRUPTED: &str = "the previous attempt never finished: its lint-pr process stopped (crash, out-of-memory kill, kill -9) or lost its lease";

/// How many jobs one claim may find superseded before it gives up for this call.
const CLAIM_SKIPS: usize = 16;

/// What a backend must provide beyond the shared SQL: how to open a write
/// transaction, and its two claim-candidate queries (PostgreSQL's take row
/// locks with `SKIP LOCKED`; SQLite's rely on `BEGIN IMMEDIATE`).
trait Dialect {
    /// A running job whose lease ended: `$1` now. Returns `id, key`.
    const EXPIRED_CANDIDATE: &'static str;
    /// The due queued job with the smallest `(next_attempt_at, id)` whose key has
    /// no running job: `$1` now. Returns `id, key`.
    const DUE_CANDIDATE: &'static str;
    /// One job, placeholders `$1`…`$7`: SQLite also fills its legacy `not_before`.
    const INSERT_JOB: &'static str;
    /// `INSERT INTO jobs (…)` for a group, before `VALUES`: delivery_id, key,
    /// payload, state, next_attempt_at, created_ms, updated_ms, repo, pr, and on
    /// SQLite `not_before` (= next_attempt_at).
    const INSERT_JOBS: &'static str;
    /// How many placeholders one row of `INSERT_JOBS` takes.
    const JOB_WIDTH: usize;
    /// A group's supersede, up to its key list: `… key IN` then `($2, $3, …)`;
    /// `$1` is now. It must read `jobs_queued_key` (the group's keys), never
    /// every queued job: see `sqlite::Sqlite`.
    const SUPERSEDE_KEYS: &'static str;
    /// Up to `$2` finished jobs below the id `$1`, oldest first (`Store::prune`).
    /// `dead` and `failed` jobs stay for the operator (`lint-pr jobs list`,
    /// `retry`); queued and running ones are work. Ids are never reused
    /// (AUTOINCREMENT, BIGSERIAL), so "a newer job of this PR" (`IS_NEWER`)
    /// still holds. It must walk ids from the lowest and stop at `$2` rows, not
    /// read every finished job through `jobs_due`.
    const PRUNE_JOBS: &'static str;
    /// The bound a pass of `PRUNE_DELIVERIES` deletes below, from the cut-off
    /// `$1` (received before it): on SQLite the first rowid received at or after
    /// it (rowids follow arrival; one bound serves a whole pass, as for jobs),
    /// on PostgreSQL the cut-off itself. Returns `bound`.
    const DELIVERY_BOUND: &'static str;
    /// Up to `$2` deliveries below the bound `$1` that no job names, oldest
    /// first (`Store::prune_deliveries`). A delivery a job still names (a
    /// `dead` job the operator may retry, work not done yet) stays: the
    /// foreign key needs it, and `jobs_delivery` makes both that check and the
    /// `NOT EXISTS` an index lookup.
    const PRUNE_DELIVERIES: &'static str;
    /// The placeholders of a grouped statement's rows (`insert_batch_body`):
    /// `rows` groups of `width`, after the statement's first `first - 1`.
    fn placeholders(first: usize, rows: usize, width: usize) -> String;
}

impl Store {
    /// Open (creating the SQLite file if needed) and migrate the database at `url`.
    /// Errors never show the URL's password.
    pub async fn connect(url: &str) -> Result<Store, Error> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite(sqlite::connect(url).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(postgres::connect(url).await?)
        } else {
            let scheme = url.split_once(':').map_or(url, |(s, _)| s);
            return Err(Error::UnsupportedUrl(scheme.to_string()));
        };
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        match &backend {
            Backend::Sqlite(pool) => {
                tokio::spawn(sqlite_writer(pool.clone(), rx));
            }
            Backend::Postgres(pool) => {
                let rx = Arc::new(tokio::sync::Mutex::new(rx));
                for _ in 0..POSTGRES_WRITERS {
                    tokio::spawn(postgres_writer(pool.clone(), Arc::clone(&rx)));
                }
            }
        }
        Ok(Store {
            backend,
            writer: tx,
        })
    }

    /// The backend (tests reach the pool through it).
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// `sqlite` or `postgres`, for logs.
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> Result<(), Error> {
        on_pool!(&self.backend, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Store a delivery and its jobs, unless its id was seen; returns once the
    /// commit that holds it is durable. Concurrent calls share one commit (one
    /// fsync): the writer takes everything that arrived while the last commit ran.
    pub async fn insert(&self, delivery: NewDelivery) -> Result<Inserted, Error> {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Pending { delivery, reply })
            .await
            .map_err(|_| Error::Closed)?;
        answer.await.map_err(|_| Error::Closed)?
    }

    /// Store follow-up jobs of a delivery already stored, due now, in one committed
    /// transaction; like [`Store::insert`], each supersedes the older queued jobs
    /// of its key. A fork's check suite names no PR: its job finds the PRs of its
    /// head SHA and hands each to a job keyed by the PR, which then coalesces with
    /// that PR's other events.
    pub async fn enqueue(&self, delivery_id: &str, jobs: &[NewJob]) -> Result<(), Error> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlite::enqueue(pool, delivery_id, jobs).await,
            Backend::Postgres(pool) => postgres::enqueue(pool, delivery_id, jobs).await,
        }
    }

    /// Take the next runnable job (see the coalescing protocol above) under a
    /// lease of `lease`, incrementing its attempts.
    pub async fn claim(&self, lease: Duration) -> Result<Option<Claimed>, Error> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlite::claim(pool, lease).await,
            Backend::Postgres(pool) => postgres::claim(pool, lease).await,
        }
    }

    /// Extend a claim's lease to now + `lease`. `false`: the claim is no longer
    /// ours (the lease expired and another worker took the job, or it ended).
    pub async fn renew(&self, job: &Claimed, lease: Duration) -> Result<bool, Error> {
        let until = now_ms().saturating_add(ms(lease));
        on_pool!(&self.backend, pool => {
            let n = sqlx::query(sql::RENEW)
                .bind(job.id)
                .bind(i64::from(job.attempt))
                .bind(until)
                .execute(pool)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    /// Whether a newer job for the same PR has arrived since `job` was claimed: then
    /// `job` must not post its result (the newer one will, about a newer state).
    pub async fn superseded(&self, job: &Claimed) -> Result<bool, Error> {
        on_pool!(&self.backend, pool => {
            let row = sqlx::query(sql::IS_NEWER)
                .bind(&job.key)
                .bind(job.id)
                .fetch_one(pool)
                .await?;
            Ok(row.try_get::<bool, _>("newer")?)
        })
    }

    /// Record how a claimed job ended (`Done`, `Failed`, `Dead`, `Superseded`),
    /// with the error that ended it. `false`: the claim was no longer ours and
    /// nothing was written.
    pub async fn finish(
        &self,
        job: &Claimed,
        outcome: Outcome,
        error: Option<&str>,
    ) -> Result<bool, Error> {
        on_pool!(&self.backend, pool => {
            let n = sqlx::query(sql::FINISH)
                .bind(job.id)
                .bind(i64::from(job.attempt))
                .bind(outcome.as_str())
                .bind(error)
                .bind(now_ms())
                .execute(pool)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    /// Put a claimed job back to run again after `delay` (a retryable failure);
    /// the attempt it used stays counted.
    pub async fn retry_later(
        &self,
        job: &Claimed,
        delay: Duration,
        error: &str,
    ) -> Result<bool, Error> {
        let now = now_ms();
        on_pool!(&self.backend, pool => {
            let n = sqlx::query(sql::RETRY_LATER)
                .bind(job.id)
                .bind(i64::from(job.attempt))
                .bind(now.saturating_add(ms(delay)))
                .bind(error)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    /// Give a claimed job back unfinished (graceful shutdown): queued again at once,
    /// lease cleared, its attempt not counted.
    pub async fn release(&self, job: &Claimed) -> Result<bool, Error> {
        on_pool!(&self.backend, pool => {
            let n = sqlx::query(sql::RELEASE)
                .bind(job.id)
                .bind(i64::from(job.attempt))
                .bind(now_ms())
                .execute(pool)
                .await?
                .rows_affected();
            Ok(n == 1)
        })
    }

    /// At start-up. SQLite has one instance, so a job still `running` was left by
    /// this server's previous process: its lease is ended now, and the next claim
    /// takes it as a new attempt (the interrupted one counted). PostgreSQL: nothing
    /// (other instances may be running those jobs; leases expire on their own).
    /// Returns how many jobs were found interrupted.
    pub async fn recover(&self) -> Result<u64, Error> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlite::recover(pool).await,
            Backend::Postgres(_) => Ok(0),
        }
    }

    /// Jobs per state (tests, `jobs stats`). Reads every row: not for hot paths.
    pub async fn counts(&self) -> Result<Vec<(String, i64)>, Error> {
        on_pool!(&self.backend, pool => {
            let rows = sqlx::query(sql::COUNTS).fetch_all(pool).await?;
            rows.iter()
                .map(|r| Ok((r.try_get("state")?, r.try_get("n")?)))
                .collect()
        })
    }

    /// Queued jobs (the `lint_pr_queue_depth` gauge); an index range count.
    pub async fn queue_depth(&self) -> Result<i64, Error> {
        on_pool!(&self.backend, pool => {
            let row = sqlx::query(sql::QUEUE_DEPTH).fetch_one(pool).await?;
            Ok(row.try_get("n")?)
        })
    }

    /// The queue at a glance (`lint-pr jobs stats`).
    pub async fn stats(&self) -> Result<Stats, Error> {
        let mut states: std::collections::BTreeMap<String, i64> =
            STATES.iter().map(|s| ((*s).to_string(), 0)).collect();
        for (state, n) in self.counts().await? {
            states.insert(state, n);
        }
        let now = now_ms();
        let (expired, oldest): (i64, Option<i64>) = on_pool!(&self.backend, pool => {
            let e = sqlx::query(sql::EXPIRED).bind(now).fetch_one(pool).await?;
            let o = sqlx::query(sql::OLDEST_QUEUED).fetch_one(pool).await?;
            (e.try_get("n")?, o.try_get("t")?)
        });
        Ok(Stats {
            states,
            expired_leases: expired,
            oldest_queued_age_s: oldest.map(|t| (now - t).max(0) / 1000),
        })
    }

    /// The newest `limit` jobs, of one state or all, newest first.
    pub async fn list(&self, state: Option<&str>, limit: u32) -> Result<Vec<JobRow>, Error> {
        let limit = i64::from(limit);
        on_pool!(&self.backend, pool => {
            let rows = match state {
                Some(s) => sqlx::query(sql::LIST_STATE).bind(limit).bind(s).fetch_all(pool).await?,
                None => sqlx::query(sql::LIST_ALL).bind(limit).fetch_all(pool).await?,
            };
            rows.iter().map(job_row).collect()
        })
    }

    /// Queue a `dead` or `failed` job again with a fresh attempt budget
    /// (`lint-pr jobs retry`).
    pub async fn retry(&self, id: i64) -> Result<Retried, Error> {
        let n = match &self.backend {
            // Durable: the operator is told it is queued again.
            Backend::Sqlite(pool) => sqlite::retry(pool, id, now_ms()).await?,
            Backend::Postgres(pool) => sqlx::query(sql::RETRY)
                .bind(id)
                .bind(now_ms())
                .execute(pool)
                .await?
                .rows_affected(),
        };
        if n == 1 {
            return Ok(Retried::Requeued);
        }
        on_pool!(&self.backend, pool => {
            let row = sqlx::query(sql::STATE_OF).bind(id).fetch_optional(pool).await?;
            Ok(match row {
                None => Retried::NotFound,
                Some(r) => Retried::NotRetryable(r.try_get("state")?),
            })
        })
    }

    /// Which of these delivery ids are in the store, whatever became of them (the
    /// missed-deliveries poller asks before requesting a redelivery).
    pub async fn known_deliveries(&self, ids: &[String]) -> Result<HashSet<String>, Error> {
        let mut known = HashSet::new();
        // Bounded statements: SQLite allows 32,766 parameters, PostgreSQL 65,535.
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let text = format!(
                "SELECT delivery_id FROM deliveries WHERE delivery_id IN ({})",
                placeholders.join(", ")
            );
            on_pool!(&self.backend, pool => {
                // Only `$n` placeholders are formatted in; the ids are bound.
                let mut q = sqlx::query(sqlx::AssertSqlSafe(text.clone()));
                for id in chunk {
                    q = q.bind(id);
                }
                for r in q.fetch_all(pool).await? {
                    known.insert(r.try_get::<String, _>("delivery_id")?);
                }
            });
        }
        Ok(known)
    }

    /// The first job id created at or after `before_ms` (past the last job when
    /// none is): the jobs below it are the ones a retention pass may delete. Ids
    /// only grow, so one bound serves a whole pass. It reads the rows older than
    /// the cut-off once, in id order.
    pub async fn prune_bound(&self, before_ms: i64) -> Result<i64, Error> {
        self.bound(sql::PRUNE_BOUND, before_ms).await
    }

    /// Delete up to `batch` finished jobs (`done`, `superseded`) with an id below
    /// `bound` ([`Store::prune_bound`]), oldest first; returns how many went.
    /// `dead` and `failed` jobs stay; deliveries are [`Store::prune_deliveries`]'
    /// to delete. One short statement per call, so the accept path waits at
    /// most one batch for SQLite's connection ([`super::retention`] calls it
    /// until a batch comes back short). Not durable on SQLite
    /// (`synchronous=NORMAL`): a power cut can only leave rows to delete again.
    pub async fn prune(&self, bound: i64, batch: u32) -> Result<u64, Error> {
        let text = match &self.backend {
            Backend::Sqlite(_) => sqlite::Sqlite::PRUNE_JOBS,
            Backend::Postgres(_) => postgres::Postgres::PRUNE_JOBS,
        };
        self.delete_batch(text, bound, batch).await
    }

    /// The bound below which [`Store::prune_deliveries`] may delete deliveries
    /// received before `before_ms` (a rowid on SQLite, the time on PostgreSQL:
    /// pass it back as it is).
    pub async fn delivery_prune_bound(&self, before_ms: i64) -> Result<i64, Error> {
        let text = match &self.backend {
            Backend::Sqlite(_) => sqlite::Sqlite::DELIVERY_BOUND,
            Backend::Postgres(_) => postgres::Postgres::DELIVERY_BOUND,
        };
        self.bound(text, before_ms).await
    }

    /// Delete up to `batch` delivery ids below `bound`
    /// ([`Store::delivery_prune_bound`]) that no job names, oldest first;
    /// returns how many went. Once a delivery id is gone, a redelivery of it is
    /// accepted as new: [`super::retention`] only asks for ids older than
    /// GitHub redelivers (3 days, 7 on GHES). One short statement per call, as
    /// [`Store::prune`].
    pub async fn prune_deliveries(&self, bound: i64, batch: u32) -> Result<u64, Error> {
        let text = match &self.backend {
            Backend::Sqlite(_) => sqlite::Sqlite::PRUNE_DELIVERIES,
            Backend::Postgres(_) => postgres::Postgres::PRUNE_DELIVERIES,
        };
        self.delete_batch(text, bound, batch).await
    }

    /// A retention bound: `text` with the cut-off `$1`, returning `bound`.
    async fn bound(&self, text: &'static str, before_ms: i64) -> Result<i64, Error> {
        on_pool!(&self.backend, pool => {
            Ok(sqlx::query(text)
                .bind(before_ms)
                .fetch_one(pool)
                .await?
                .try_get("bound")?)
        })
    }

    /// One retention batch: `text` with the bound `$1` and the batch size `$2`;
    /// how many rows went.
    async fn delete_batch(&self, text: &'static str, bound: i64, batch: u32) -> Result<u64, Error> {
        on_pool!(&self.backend, pool => {
            Ok(sqlx::query(text)
                .bind(bound)
                .bind(i64::from(batch))
                .execute(pool)
                .await?
                .rows_affected())
        })
    }

    /// Remember the configuration that just loaded for `repo` (replacing the last).
    pub async fn remember_config(
        &self,
        repo: &str,
        base_sha: &str,
        files: &str,
    ) -> Result<(), Error> {
        on_pool!(&self.backend, pool => {
            sqlx::query(sql::REMEMBER_CONFIG)
                .bind(repo)
                .bind(base_sha)
                .bind(files)
                .bind(now_ms())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The last configuration that loaded for `repo`, if any did.
    pub async fn cached_config(&self, repo: &str) -> Result<Option<CachedConfig>, Error> {
        on_pool!(&self.backend, pool => {
            let row = sqlx::query(sql::CACHED_CONFIG)
                .bind(repo)
                .fetch_optional(pool)
                .await?;
            row.map(|r| {
                Ok(CachedConfig {
                    base_sha: r.try_get("base_sha")?,
                    files: r.try_get("files")?,
                    loaded_ms: r.try_get("loaded_ms")?,
                })
            })
            .transpose()
        })
    }

    /// Close the pool (tests that reopen the same file).
    pub async fn close(&self) {
        on_pool!(&self.backend, pool => pool.close().await);
    }
}

/// A `jobs` row read by `list`. Rows stored before `repo`/`pr` were columns get
/// them from their payload.
fn job_row<R: Row>(r: &R) -> Result<JobRow, Error>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let payload: String = r.try_get("payload")?;
    let mut repo: Option<String> = r.try_get("repo")?;
    let mut pr: Option<i64> = r.try_get("pr")?;
    if repo.is_none()
        && let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload)
    {
        repo = v.get("repo").and_then(|x| x.as_str()).map(str::to_string);
        pr = v.get("pr").and_then(serde_json::Value::as_i64);
    }
    Ok(JobRow {
        id: r.try_get("id")?,
        delivery_id: r.try_get("delivery_id")?,
        repo,
        pr: pr.and_then(|p| u64::try_from(p).ok()),
        state: r.try_get("state")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        next_attempt_at_ms: r.try_get("next_attempt_at")?,
        lease_until_ms: r.try_get("lease_until")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Group-commit writers on PostgreSQL ([`postgres_writer`]): while one
/// commits, the next collects the deliveries that arrive meanwhile and commits
/// them on another connection. bench/loadgen, 32 connections, 20 s each,
/// alternating: one writer 3,252 and 2,681/s (p99 60 and 56 ms), three 4,573
/// and 4,931/s (p99 17 and 15 ms), five 4,957 and 5,290/s (p99 22 and 21 ms,
/// and the workers, sharing the pool's 10 connections, completed half the
/// check runs).
const POSTGRES_WRITERS: usize = 3;

/// One of [`POSTGRES_WRITERS`]: takes a group from the shared queue (the lock
/// is held only while collecting it: the one waiting for the next delivery
/// holds it), commits it, answers each caller. Groups of one instance commit
/// at once as two instances' groups always could: the coalescing protocol
/// holds as it does across instances (each group supersedes the queued jobs
/// it sees, and a claim supersedes the older queued jobs of its PR in its own
/// transaction, so a PR never runs an older job after a newer one).
async fn postgres_writer(pool: PgPool, rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Pending>>>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    loop {
        if !next_group(&mut *rx.lock().await, &mut batch).await {
            break;
        }
        let deliveries: Vec<&NewDelivery> = batch.iter().map(|p| &p.delivery).collect();
        let result = postgres::insert_batch(&pool, &deliveries).await;
        answer(&mut batch, result);
    }
}

/// Wait for a delivery, then take every other one already waiting, up to
/// [`MAX_BATCH`], into `batch`: the next group. False once every `Store` is gone.
async fn next_group(rx: &mut mpsc::Receiver<Pending>, batch: &mut Vec<Pending>) -> bool {
    let Some(first) = rx.recv().await else {
        return false;
    };
    batch.push(first);
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(p) => batch.push(p),
            Err(_) => break,
        }
    }
    true
}

/// Send each caller of a committed (or failed) group its answer.
fn answer(batch: &mut Vec<Pending>, result: Result<Vec<Inserted>, Error>) {
    metrics::histogram!("lint_pr_store_commit_batch_size").record(batch.len() as f64);
    match result {
        Ok(each) => {
            for (p, inserted) in batch.drain(..).zip(each) {
                let _ = p.reply.send(Ok(inserted));
            }
        }
        Err(e) => {
            let message = e.to_string();
            for p in batch.drain(..) {
                let _ = p.reply.send(Err(Error::Batch(message.clone())));
            }
        }
    }
    // Anything left (a result shorter than the batch) is answered by dropping
    // its sender: the caller sees `Error::Closed`.
    batch.clear();
}

/// The group-commit writer on SQLite: one task per store. It waits for a delivery, takes
/// every other one already waiting (up to [`MAX_BATCH`]), stores them all in one
/// transaction, and answers each caller after that commit. While a commit runs,
/// new deliveries queue up and form the next group: under load, one fsync serves
/// many `202`s; alone, a delivery waits for nothing but its own commit. On
/// SQLite the writer keeps the connection while groups follow each other, up
/// to 8 (`sqlite::Held`): under a sustained flood the workers' bookkeeping gets
/// the connection once per 8 groups, so jobs slow down while accepts go first.
async fn sqlite_writer(pool: SqlitePool, mut rx: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    let mut held = sqlite::Held::default();
    while next_group(&mut rx, &mut batch).await {
        let deliveries: Vec<&NewDelivery> = batch.iter().map(|p| &p.delivery).collect();
        let result = held.insert_batch(&pool, &deliveries).await;
        answer(&mut batch, result);
        // SQLite: keep the connection for the next group if it is already
        // waiting (the answers above went out first).
        held.release_if_idle(!rx.is_empty()).await;
    }
    held.release_if_idle(false).await;
}

/// Store `$jobs` of delivery `$delivery_id` in `$tx`, due at `$due`: each first
/// supersedes the older queued jobs of its key (the coalescing protocol).
macro_rules! insert_jobs {
    ($dialect:ty, $tx:expr, $delivery_id:expr, $jobs:expr, $due:expr, $now:expr) => {{
        for job in $jobs {
            sqlx::query($crate::jobs::store::sql::SUPERSEDE_QUEUED)
                .bind(&job.key)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
            sqlx::query(<$dialect as $crate::jobs::store::Dialect>::INSERT_JOB)
                .bind($delivery_id)
                .bind(&job.key)
                .bind(&job.payload)
                .bind($due)
                .bind($now)
                .bind(job.repo.as_deref())
                .bind(job.pr.and_then(|p| i64::try_from(p).ok()))
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
use insert_jobs;

/// The deliveries' insert of a group of `rows`; with `returning`, those it
/// returns are new.
fn insert_deliveries_sql<D: Dialect>(rows: usize, returning: bool) -> String {
    format!(
        "INSERT INTO deliveries (delivery_id, event, action, received_ms) VALUES {} ON CONFLICT (delivery_id) DO NOTHING{}",
        D::placeholders(1, rows, 4),
        if returning {
            " RETURNING delivery_id"
        } else {
            ""
        }
    )
}

/// The supersede of the queued jobs of `keys` keys: now, then the keys.
fn supersede_keys_sql<D: Dialect>(keys: usize) -> String {
    format!(
        "{} ({})",
        D::SUPERSEDE_KEYS,
        D::placeholders(2, keys, 1).replace(['(', ')'], "")
    )
}

/// The insert of `rows` jobs ([`bind_job_rows!`] binds them).
fn insert_jobs_sql<D: Dialect>(rows: usize) -> String {
    format!(
        "{} VALUES {}",
        D::INSERT_JOBS,
        D::placeholders(1, rows, D::JOB_WIDTH)
    )
}

/// Binds one row of [`insert_deliveries_sql`] per delivery of `$rows`.
macro_rules! bind_delivery_rows {
    ($q:expr, $rows:expr, $now:expr) => {{
        let mut q = $q;
        for d in $rows {
            q = q
                .bind(&d.delivery_id)
                .bind(&d.event)
                .bind(&d.action)
                .bind($now);
        }
        q
    }};
}
use bind_delivery_rows;

/// A group's deliveries, split by what the deliveries' insert returned
/// (`fresh`: the ids it stored; a second copy within the group is a duplicate):
/// one [`Inserted`] per delivery, in order; the keys of the new deliveries' jobs
/// (whose queued jobs are superseded); and those jobs, each key's last one
/// (`newest`, queued) apart from its earlier ones in the group (`older`, stored as
/// `superseded` by a statement *before* the queued ones, so their ids are
/// smaller: `Store::superseded` compares ids).
struct GroupPlan<'a> {
    out: Vec<Inserted>,
    keys: Vec<&'a str>,
    older: Vec<(&'a NewDelivery, &'a NewJob)>,
    newest: Vec<(&'a NewDelivery, &'a NewJob)>,
}

fn plan_group<'a>(
    deliveries: &[&'a NewDelivery],
    mut fresh: std::collections::HashSet<String>,
) -> GroupPlan<'a> {
    let mut out = Vec::with_capacity(deliveries.len());
    let mut jobs: Vec<(&'a NewDelivery, &'a NewJob)> = Vec::new();
    for d in deliveries {
        if fresh.remove(&d.delivery_id) {
            out.push(Inserted::New);
            jobs.extend(d.jobs.iter().map(|j| (*d, j)));
        } else {
            out.push(Inserted::Duplicate);
        }
    }
    // The index of each key's last job in the group.
    let mut last: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, (_, j)) in jobs.iter().enumerate() {
        last.insert(j.key.as_str(), i);
    }
    let keys = last.keys().copied().collect();
    let (older, newest) = jobs
        .iter()
        .enumerate()
        .partition::<Vec<_>, _>(|(i, (_, j))| last.get(j.key.as_str()) != Some(i));
    let unzip = |rows: Vec<(usize, &(&'a NewDelivery, &'a NewJob))>| {
        rows.into_iter().map(|(_, job)| *job).collect()
    };
    GroupPlan {
        out,
        keys,
        older: unzip(older),
        newest: unzip(newest),
    }
}

/// Binds one `INSERT_JOBS` row per job of `$rows` to the query `$q`, in state
/// `$state`: `$width` placeholders (SQLite's tenth is its legacy `not_before`,
/// see `sqlite::Sqlite`).
macro_rules! bind_job_rows {
    ($q:expr, $rows:expr, $state:expr, $now:expr, $width:expr) => {{
        let mut q = $q;
        for (d, j) in $rows {
            let due = $now.saturating_add($crate::jobs::store::ms(d.debounce));
            q = q
                .bind(&d.delivery_id)
                .bind(&j.key)
                .bind(&j.payload)
                .bind($state)
                .bind(due)
                .bind($now)
                .bind($now)
                .bind(j.repo.as_deref())
                .bind(j.pr.and_then(|p| i64::try_from(p).ok()));
            if $width > 9 {
                q = q.bind(due);
            }
        }
        q
    }};
}
use bind_job_rows;

/// The body of PostgreSQL's `insert_batch` (SQLite's, `sqlite::grouped_commit`,
/// sends the same statements in one or two calls): one transaction for the whole group, and a
/// handful of statements whatever its size (each statement is a round trip to
/// the database: one per delivery made the writer the accept path's
/// bottleneck). Returns one [`Inserted`] per delivery, in order.
///
/// 1. one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` of the
///    deliveries: those returned are new, the rest are duplicates;
/// 2. one `UPDATE` superseding the queued jobs of the group's keys;
/// 3. the group's jobs ([`plan_group`]): earlier ones of a key as `superseded`,
///    then each key's last one queued.
macro_rules! insert_batch_body {
    ($dialect:ty, $tx:expr, $deliveries:expr) => {{
        use sqlx::Row as _;
        use $crate::jobs::store::{NewDelivery, ROWS_PER_STATEMENT};
        let now = $crate::jobs::store::now_ms();
        let deliveries: &[&NewDelivery] = $deliveries;
        let mut fresh = std::collections::HashSet::new();
        for chunk in deliveries.chunks(ROWS_PER_STATEMENT) {
            let text = $crate::jobs::store::insert_deliveries_sql::<$dialect>(chunk.len(), true);
            let q = sqlx::query(sqlx::AssertSqlSafe(text));
            let q = $crate::jobs::store::bind_delivery_rows!(q, chunk, now);
            for row in q.fetch_all(&mut *$tx).await? {
                fresh.insert(row.try_get::<String, _>("delivery_id")?);
            }
        }
        let plan = $crate::jobs::store::plan_group(deliveries, fresh);
        for chunk in plan.keys.chunks(ROWS_PER_STATEMENT) {
            let text = $crate::jobs::store::supersede_keys_sql::<$dialect>(chunk.len());
            let mut q = sqlx::query(sqlx::AssertSqlSafe(text)).bind(now);
            for key in chunk {
                q = q.bind(*key);
            }
            q.execute(&mut *$tx).await?;
        }
        for (state, rows) in [("superseded", &plan.older), ("queued", &plan.newest)] {
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let width = <$dialect as $crate::jobs::store::Dialect>::JOB_WIDTH;
                let text = $crate::jobs::store::insert_jobs_sql::<$dialect>(chunk.len());
                let q = sqlx::query(sqlx::AssertSqlSafe(text));
                $crate::jobs::store::bind_job_rows!(q, chunk, state, now, width)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        plan.out
    }};
}
use insert_batch_body;

/// The body of a claim, the same for both backends, inside the backend's write
/// transaction `$tx`: find a candidate (an expired lease first, else the next due
/// job), supersede it if a newer job of its key exists (and look again), else take
/// it and supersede the older queued jobs of its key.
macro_rules! claim_body {
    ($dialect:ty, $begin:expr, $lease:expr) => {{
        use sqlx::Row as _;
        let mut found = None;
        for _ in 0..$crate::jobs::store::CLAIM_SKIPS {
            let now = $crate::jobs::store::now_ms();
            let mut tx = $begin;
            let mut candidate =
                sqlx::query(<$dialect as $crate::jobs::store::Dialect>::EXPIRED_CANDIDATE)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
            if candidate.is_none() {
                candidate = sqlx::query(<$dialect as $crate::jobs::store::Dialect>::DUE_CANDIDATE)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
            }
            let Some(candidate) = candidate else { break };
            let id: i64 = candidate.try_get("id")?;
            let key: String = candidate.try_get("key")?;
            let newer: bool = sqlx::query($crate::jobs::store::sql::IS_NEWER)
                .bind(&key)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("newer")?;
            if newer {
                sqlx::query($crate::jobs::store::sql::MARK_SUPERSEDED)
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                continue;
            }
            let row = sqlx::query($crate::jobs::store::sql::TAKE)
                .bind(id)
                .bind(now.saturating_add($crate::jobs::store::ms($lease)))
                .bind(now)
                .bind($crate::jobs::store::INTERRUPTED)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query($crate::jobs::store::sql::SUPERSEDE_OLDER)
                .bind(&key)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            let attempts: i64 = row.try_get("attempts")?;
            found = Some($crate::jobs::store::Claimed {
                id,
                key,
                delivery_id: row.try_get("delivery_id")?,
                payload: row.try_get("payload")?,
                attempt: u32::try_from(attempts).unwrap_or(u32::MAX),
                last_error: row.try_get("last_error")?,
            });
            break;
        }
        found
    }};
}
use claim_body;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_rows_from_first() {
        assert_eq!(placeholders(1, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(2, 3, 1), "($2), ($3), ($4)");
        assert_eq!(placeholders(1, 0, 4), "");
    }

    #[test]
    fn anonymous_placeholders_group_rows() {
        assert_eq!(anonymous_placeholders(2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(anonymous_placeholders(3, 1), "(?), (?), (?)");
        assert_eq!(anonymous_placeholders(0, 4), "");
    }

    #[test]
    fn a_password_is_redacted_and_nothing_else() {
        assert_eq!(redact_url("postgres://u:pw@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite:///data/l.db"), "sqlite:///data/l.db");
    }
}
