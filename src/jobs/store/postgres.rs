//! PostgreSQL: one queue shared by any number of `lint-pr serve` instances.
//!
//! - Migrations run at start-up on one connection holding
//!   `pg_advisory_lock(MIGRATION_LOCK)`: instances starting at once take turns,
//!   and the later ones find the schema current.
//! - A claim locks its candidate row with `FOR UPDATE SKIP LOCKED`, so two
//!   instances never wait on or take the same job; the partial unique index
//!   `jobs_running_key` refuses a second running job of one PR even when two
//!   instances pick two jobs of the same PR at the same moment (the loser's claim
//!   finds nothing this time).
//! - Timestamps are the instances' clocks (milliseconds since the Unix epoch):
//!   keep them in sync (NTP); a lease is only as exact as the skew between them.

use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

use super::{
    Claimed, Dialect, Error, Inserted, NewDelivery, NewJob, claim_body, insert_batch_body,
    insert_jobs,
};

pub(super) struct Postgres;

impl Dialect for Postgres {
    const EXPIRED_CANDIDATE: &'static str = "SELECT id, key FROM jobs WHERE state = 'running' AND lease_until <= $1 ORDER BY lease_until LIMIT 1 FOR UPDATE SKIP LOCKED";
    const DUE_CANDIDATE: &'static str = "SELECT j.id, j.key FROM jobs j
        WHERE j.state = 'queued' AND j.next_attempt_at <= $1
          AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.key = j.key AND r.state = 'running')
        ORDER BY j.next_attempt_at, j.id LIMIT 1 FOR UPDATE OF j SKIP LOCKED";
    const INSERT_JOB: &'static str = "INSERT INTO jobs (delivery_id, key, payload, next_attempt_at, created_ms, updated_ms, repo, pr) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)";
    const INSERT_JOBS: &'static str = "INSERT INTO jobs (delivery_id, key, payload, state, next_attempt_at, created_ms, updated_ms, repo, pr)";
    const JOB_WIDTH: usize = 9;
    const SUPERSEDE_KEYS: &'static str =
        "UPDATE jobs SET state = 'superseded', updated_ms = $1 WHERE state = 'queued' AND key IN";

    const PRUNE_JOBS: &'static str = "DELETE FROM jobs WHERE id IN (
            SELECT id FROM jobs WHERE id < $1 AND state IN ('done', 'superseded') ORDER BY id LIMIT $2)";

    /// No rowid: the cut-off is the bound, read through `deliveries_received`.
    const DELIVERY_BOUND: &'static str = "SELECT $1::BIGINT AS bound";
    const PRUNE_DELIVERIES: &'static str = "DELETE FROM deliveries WHERE delivery_id IN (
            SELECT d.delivery_id FROM deliveries d WHERE d.received_ms < $1
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.delivery_id = d.delivery_id)
            ORDER BY d.received_ms LIMIT $2)";

    fn placeholders(first: usize, rows: usize, width: usize) -> String {
        super::placeholders(first, rows, width)
    }
}

/// The advisory lock key migrations run under (any constant; this one spells
/// "lint-pr" in ASCII).
const MIGRATION_LOCK: i64 = 0x006c_696e_742d_7072;

/// The whole schema as of issue #12. Integers are BIGINT, so the same Rust types
/// (`i64`) read both backends.
const SCHEMA: &str = "
CREATE TABLE deliveries (
    delivery_id TEXT PRIMARY KEY,
    event       TEXT NOT NULL,
    action      TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);
CREATE TABLE jobs (
    id              BIGSERIAL PRIMARY KEY,
    delivery_id     TEXT NOT NULL REFERENCES deliveries(delivery_id),
    key             TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'queued',
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    last_error      TEXT,
    repo            TEXT,
    pr              BIGINT,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX jobs_key ON jobs(key, id);
CREATE INDEX jobs_due ON jobs(state, next_attempt_at, id);
CREATE INDEX jobs_lease ON jobs(lease_until) WHERE state = 'running';
CREATE INDEX jobs_queued_key ON jobs(key) WHERE state = 'queued';
CREATE UNIQUE INDEX jobs_running_key ON jobs(key) WHERE state = 'running';
CREATE TABLE config_cache (
    repo       TEXT PRIMARY KEY,
    base_sha   TEXT NOT NULL,
    files      TEXT NOT NULL,
    loaded_ms  BIGINT NOT NULL
);
";

/// Migration 2: what retention needs to delete old delivery ids, as SQLite's
/// migration 4: `jobs_delivery` for the foreign key's check (without it,
/// deleting a delivery reads every job), and `deliveries_received` to find the
/// old ones without reading the table.
const SCHEMA_DELIVERY_INDEX: &str = "
CREATE INDEX jobs_delivery ON jobs(delivery_id);
CREATE INDEX deliveries_received ON deliveries(received_ms);
";

/// PostgreSQL's migrations, in order ([`super::migrator_of`]: they only add).
pub(super) fn migrator() -> Migrator {
    let steps = [
        (1, "deliveries, jobs with leases, config cache", SCHEMA),
        (
            2,
            "jobs by delivery, deliveries by time, to prune old deliveries",
            SCHEMA_DELIVERY_INDEX,
        ),
    ];
    super::migrator_of(&steps)
}

pub(super) async fn connect(url: &str) -> Result<PgPool, Error> {
    let options: PgConnectOptions = url.parse()?;
    // One plain connection first: an unreachable server fails start-up at once
    // (the pool would retry until its acquire timeout).
    PgConnection::connect_with(&options).await?.close().await?;
    let pool = PgPoolOptions::new()
        // Workers and the writer each hold a connection only for one statement or
        // one short transaction.
        .max_connections(10)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Run the migrations under the advisory lock, on one connection.
async fn migrate(pool: &PgPool) -> Result<(), Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await?;
    let mut migrator = migrator();
    // Our lock already serialises instances; sqlx's own would be taken on the
    // same connection, harmlessly, but one lock is easier to reason about.
    migrator.set_locking(false);
    // `run_direct` on the connection (not `run`, whose future is not `Send`).
    let result = migrator.run_direct(None, &mut *conn, false).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *conn)
        .await;
    result?;
    unlocked?;
    Ok(())
}

pub(super) async fn insert_batch(
    pool: &PgPool,
    deliveries: &[&NewDelivery],
) -> Result<Vec<Inserted>, Error> {
    let mut tx = pool.begin().await?;
    let out = insert_batch_body!(Postgres, tx, deliveries);
    tx.commit().await?;
    Ok(out)
}

pub(super) async fn enqueue(
    pool: &PgPool,
    delivery_id: &str,
    jobs: &[NewJob],
) -> Result<(), Error> {
    let mut tx = pool.begin().await?;
    let now = super::now_ms();
    insert_jobs!(Postgres, tx, delivery_id, jobs, now, now);
    tx.commit().await?;
    Ok(())
}

pub(super) async fn claim(pool: &PgPool, lease: Duration) -> Result<Option<Claimed>, Error> {
    // Two instances can pick two queued jobs of one PR at the same moment (the
    // second stored while the first claim ran); `jobs_running_key` lets one win.
    for _ in 0..3 {
        match claim_once(pool, lease).await {
            Err(Error::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {}
            other => return other,
        }
    }
    Ok(None)
}

async fn claim_once(pool: &PgPool, lease: Duration) -> Result<Option<Claimed>, Error> {
    Ok(claim_body!(Postgres, pool.begin().await?, lease))
}
