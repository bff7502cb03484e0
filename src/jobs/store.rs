//! The durable queue: deliveries and jobs, written before the `202`.
//!
//! Owns: deduplication by delivery id (the `deliveries` primary key), claiming jobs
//! (one running job per PR at a time; only the newest queued job of a PR may run),
//! and crash recovery. Never does: know what a job means.
//!
//! One small interface, [`Store`], an enum over backends: today SQLite (embedded,
//! WAL mode, a single instance); the next issue adds PostgreSQL behind the same
//! methods. SQL is written at run time (no `query!` macros).
//!
//! # Coalescing protocol
//! - every job has a `key` (the PR) and an increasing `id`;
//! - a job is claimable when it is `queued`, its `not_before` has passed (a short
//!   debounce after it arrived), no job with the same key is `running`, and **no
//!   newer job with the same key exists at all**. So a burst of events for one PR
//!   runs once, for the newest, and an older job can never run after a newer one;
//! - on claim, older queued jobs of the key are marked `superseded`.

use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlSafeStr, SqlitePool};

/// Store failures: the database cannot be opened, reached or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// `--database-url` names no backend we have.
    #[error("unsupported --database-url {0:?}: expected sqlite://PATH (postgres:// comes next)")]
    UnsupportedUrl(String),
    /// The database answered with an error or is unreachable.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Creating or upgrading the schema failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A new delivery and the jobs it brings.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub delivery_id: &'a str,
    pub event: &'a str,
    pub action: &'a str,
    /// `(key, payload JSON)` per job.
    pub jobs: Vec<(String, String)>,
    /// How long a job waits for newer events of its PR before it may run.
    pub debounce: Duration,
}

/// Whether a delivery was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New,
    /// Seen before (GitHub redelivery keeps the id): nothing was stored.
    Duplicate,
}

/// A job a worker now owns.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub key: String,
    pub delivery_id: String,
    pub payload: String,
    /// 1 on the first run.
    pub attempt: u32,
}

/// How a job ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Check run posted (or nothing to post, e.g. a closed PR).
    Done,
    /// Gave up: a neutral check run was posted if possible.
    Failed,
    /// A newer job of the same PR took over.
    Superseded,
    /// Put back in the queue by [`Store::retry_later`]; not a final state.
    Requeued,
}

impl Outcome {
    /// The `state` column value (and the `outcome` metric label).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Failed => "failed",
            Outcome::Superseded => "superseded",
            Outcome::Requeued => "queued",
        }
    }
}

/// The store. An enum, not a trait object: the set of backends is closed and the
/// compiler checks every method handles each.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqlitePool),
}

const SCHEMA: &str = "
CREATE TABLE deliveries (
    delivery_id TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    action      TEXT NOT NULL,
    received_ms INTEGER NOT NULL
);
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL REFERENCES deliveries(delivery_id),
    key         TEXT NOT NULL,
    payload     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'queued',
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL,
    last_error  TEXT,
    created_ms  INTEGER NOT NULL,
    updated_ms  INTEGER NOT NULL
);
CREATE INDEX jobs_key ON jobs(key, id);
CREATE INDEX jobs_state ON jobs(state, not_before);
";

/// Migration 2 (issue #14): the last configuration that loaded, per repository, so
/// a job can lint with it when GitHub's contents API fails. One row per
/// repository, replaced on every successful load; `files` is opaque here (the
/// pipeline's JSON of the files the configuration driver read).
const SCHEMA_CONFIG_CACHE: &str = "
CREATE TABLE config_cache (
    repo       TEXT PRIMARY KEY,
    base_sha   TEXT NOT NULL,
    files      TEXT NOT NULL,
    loaded_ms  INTEGER NOT NULL
);
";

/// Migrations only ever add tables or columns, so a binary may start on a database
/// that a newer release migrated further (`ignore_missing`): rolling back is
/// running the older image, nothing else (docs/deploy.md).
fn migrator() -> Migrator {
    let mut migrator = Migrator::with_migrations(vec![
        Migration::new(
            1,
            "deliveries and jobs".into(),
            MigrationType::Simple,
            SCHEMA.into_sql_str(),
            false,
        ),
        Migration::new(
            2,
            "config cache".into(),
            MigrationType::Simple,
            SCHEMA_CONFIG_CACHE.into_sql_str(),
            false,
        ),
    ]);
    migrator.set_ignore_missing(true);
    migrator
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

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Store {
    /// Open (creating if needed) and migrate the database at `url`.
    pub async fn connect(url: &str) -> Result<Store, Error> {
        if !url.starts_with("sqlite:") {
            return Err(Error::UnsupportedUrl(url.to_string()));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            // WAL: readers do not block the writer; NORMAL sync is durable in WAL mode
            // across process crashes (kill -9), which is what the queue promises.
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        // One connection: SQLite has one writer anyway, and with several
        // connections a waiting writer sleeps in SQLite's busy handler (1, 2, 5,
        // 10... ms) instead of queueing in the pool. Measured with bench/loadgen.
        // (In-memory databases also exist per connection.)
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        migrator().run(&pool).await?;
        Ok(Store::Sqlite(pool))
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> Result<(), Error> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Store a delivery and its jobs in one transaction, unless its id was seen.
    pub async fn insert(&self, d: &NewDelivery<'_>) -> Result<Inserted, Error> {
        let now = now_ms();
        let not_before = now + i64::try_from(d.debounce.as_millis()).unwrap_or(0);
        match self {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let inserted = sqlx::query(
                    "INSERT INTO deliveries (delivery_id, event, action, received_ms) VALUES (?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING",
                )
                .bind(d.delivery_id)
                .bind(d.event)
                .bind(d.action)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 0 {
                    return Ok(Inserted::Duplicate);
                }
                for (key, payload) in &d.jobs {
                    sqlx::query(
                        "INSERT INTO jobs (delivery_id, key, payload, not_before, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?)",
                    )
                    .bind(d.delivery_id)
                    .bind(key)
                    .bind(payload)
                    .bind(not_before)
                    .bind(now)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(Inserted::New)
            }
        }
    }

    /// Take the next runnable job (see the coalescing protocol above).
    pub async fn claim(&self) -> Result<Option<Claimed>, Error> {
        let now = now_ms();
        match self {
            Store::Sqlite(pool) => {
                // One statement, so two workers cannot claim the same job.
                let row = sqlx::query(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_ms = ?1
                     WHERE id = (
                        SELECT j.id FROM jobs j
                        WHERE j.state = 'queued' AND j.not_before <= ?1
                          AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.key = j.key AND r.state = 'running')
                          AND NOT EXISTS (SELECT 1 FROM jobs n WHERE n.key = j.key AND n.id > j.id)
                        ORDER BY j.not_before, j.id LIMIT 1)
                     RETURNING id, key, delivery_id, payload, attempts",
                )
                .bind(now)
                .fetch_optional(pool)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let claimed = Claimed {
                    id: row.try_get("id")?,
                    key: row.try_get("key")?,
                    delivery_id: row.try_get("delivery_id")?,
                    payload: row.try_get("payload")?,
                    attempt: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                };
                sqlx::query("UPDATE jobs SET state = 'superseded', updated_ms = ? WHERE key = ? AND id < ? AND state = 'queued'")
                    .bind(now)
                    .bind(&claimed.key)
                    .bind(claimed.id)
                    .execute(pool)
                    .await?;
                Ok(Some(claimed))
            }
        }
    }

    /// Whether a newer job for the same PR has arrived since `job` was claimed: then
    /// `job` must not post its result (the newer one will, about a newer state).
    pub async fn superseded(&self, job: &Claimed) -> Result<bool, Error> {
        match self {
            Store::Sqlite(pool) => {
                let row = sqlx::query(
                    "SELECT EXISTS (SELECT 1 FROM jobs WHERE key = ? AND id > ?) AS newer",
                )
                .bind(&job.key)
                .bind(job.id)
                .fetch_one(pool)
                .await?;
                Ok(row.try_get::<bool, _>("newer")?)
            }
        }
    }

    /// Record how a job ended.
    pub async fn finish(
        &self,
        id: i64,
        outcome: Outcome,
        error: Option<&str>,
    ) -> Result<(), Error> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query(
                    "UPDATE jobs SET state = ?, last_error = ?, updated_ms = ? WHERE id = ?",
                )
                .bind(outcome.as_str())
                .bind(error)
                .bind(now_ms())
                .bind(id)
                .execute(pool)
                .await?;
            }
        }
        Ok(())
    }

    /// Put a job back to run again after `delay` (a retryable failure).
    pub async fn retry_later(&self, id: i64, delay: Duration, error: &str) -> Result<(), Error> {
        let now = now_ms();
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("UPDATE jobs SET state = 'queued', not_before = ?, last_error = ?, updated_ms = ? WHERE id = ?")
                    .bind(now + i64::try_from(delay.as_millis()).unwrap_or(0))
                    .bind(error)
                    .bind(now)
                    .bind(id)
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// At start-up: jobs left `running` by a crashed process run again. Correct
    /// for SQLite, which only one instance uses; Postgres will use leases instead.
    pub async fn recover(&self) -> Result<u64, Error> {
        match self {
            Store::Sqlite(pool) => Ok(sqlx::query(
                "UPDATE jobs SET state = 'queued', updated_ms = ? WHERE state = 'running'",
            )
            .bind(now_ms())
            .execute(pool)
            .await?
            .rows_affected()),
        }
    }

    /// Jobs per state, for tests and the metrics gauge.
    pub async fn counts(&self) -> Result<Vec<(String, i64)>, Error> {
        match self {
            Store::Sqlite(pool) => {
                let rows = sqlx::query(
                    "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state ORDER BY state",
                )
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| Ok((r.try_get("state")?, r.try_get("n")?)))
                    .collect()
            }
        }
    }

    /// Remember the configuration that just loaded for `repo` (replacing the last).
    pub async fn remember_config(
        &self,
        repo: &str,
        base_sha: &str,
        files: &str,
    ) -> Result<(), Error> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query(
                    "INSERT INTO config_cache (repo, base_sha, files, loaded_ms) VALUES (?, ?, ?, ?) \
                     ON CONFLICT (repo) DO UPDATE SET base_sha = excluded.base_sha, files = excluded.files, loaded_ms = excluded.loaded_ms",
                )
                .bind(repo)
                .bind(base_sha)
                .bind(files)
                .bind(now_ms())
                .execute(pool)
                .await?;
            }
        }
        Ok(())
    }

    /// The last configuration that loaded for `repo`, if any did.
    pub async fn cached_config(&self, repo: &str) -> Result<Option<CachedConfig>, Error> {
        match self {
            Store::Sqlite(pool) => {
                let row = sqlx::query(
                    "SELECT base_sha, files, loaded_ms FROM config_cache WHERE repo = ?",
                )
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
            }
        }
    }

    /// Close the pool (tests that reopen the same file).
    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        (Store::connect(&url).await.unwrap(), dir)
    }

    fn delivery<'a>(id: &'a str, key: &str) -> NewDelivery<'a> {
        NewDelivery {
            delivery_id: id,
            event: "pull_request",
            action: "edited",
            jobs: vec![(key.into(), "{}".into())],
            debounce: Duration::ZERO,
        }
    }

    #[tokio::test]
    async fn duplicates_are_refused() {
        let (s, _d) = store().await;
        assert_eq!(s.insert(&delivery("a", "k")).await.unwrap(), Inserted::New);
        assert_eq!(
            s.insert(&delivery("a", "k")).await.unwrap(),
            Inserted::Duplicate
        );
        assert_eq!(s.counts().await.unwrap(), vec![("queued".to_string(), 1)]);
    }

    #[tokio::test]
    async fn only_the_newest_job_of_a_key_runs_and_one_at_a_time() {
        let (s, _d) = store().await;
        for id in ["1", "2", "3"] {
            s.insert(&delivery(id, "pr")).await.unwrap();
        }
        s.insert(&delivery("4", "other")).await.unwrap();
        let first = s.claim().await.unwrap().unwrap();
        assert_eq!(first.delivery_id, "3");
        let second = s.claim().await.unwrap().unwrap();
        assert_eq!(second.delivery_id, "4");
        assert!(s.claim().await.unwrap().is_none());
        // A newer event while "3" runs: it waits, and "3" learns it is superseded.
        s.insert(&delivery("5", "pr")).await.unwrap();
        assert!(s.claim().await.unwrap().is_none(), "one running job per PR");
        assert!(s.superseded(&first).await.unwrap());
        s.finish(first.id, Outcome::Superseded, None).await.unwrap();
        assert_eq!(s.claim().await.unwrap().unwrap().delivery_id, "5");
    }

    #[tokio::test]
    async fn the_config_cache_keeps_the_last_per_repository() {
        let (s, _d) = store().await;
        assert_eq!(s.cached_config("o/r").await.unwrap(), None);
        s.remember_config("o/r", "aaa", "[1]").await.unwrap();
        s.remember_config("o/r", "bbb", "[2]").await.unwrap();
        s.remember_config("o/other", "ccc", "[3]").await.unwrap();
        let c = s.cached_config("o/r").await.unwrap().unwrap();
        assert_eq!((c.base_sha.as_str(), c.files.as_str()), ("bbb", "[2]"));
    }

    #[tokio::test]
    async fn an_older_binary_starts_on_a_newer_database() {
        // See: #14 — rollback is running the older release on the same volume.
        let (s, dir) = store().await;
        let Store::Sqlite(pool) = &s;
        let mut newer = migrator();
        newer.migrations = std::borrow::Cow::Owned(
            newer
                .migrations
                .iter()
                .cloned()
                .chain([Migration::new(
                    99,
                    "from the future".into(),
                    MigrationType::Simple,
                    "CREATE TABLE future (x INTEGER);".into_sql_str(),
                    false,
                )])
                .collect(),
        );
        newer.run(pool).await.unwrap();
        s.close().await;
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        Store::connect(&url).await.unwrap();
    }

    #[tokio::test]
    async fn running_jobs_survive_a_crash() {
        let (s, _d) = store().await;
        s.insert(&delivery("1", "pr")).await.unwrap();
        let job = s.claim().await.unwrap().unwrap();
        assert_eq!(s.recover().await.unwrap(), 1);
        let again = s.claim().await.unwrap().unwrap();
        assert_eq!((again.id, again.attempt), (job.id, 2));
    }
}
