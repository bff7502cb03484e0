//! SQLite: the embedded default, for one instance. WAL mode (readers never block
//! the writer); what must survive a power cut is committed with
//! `synchronous=FULL` (the WAL is fsynced before the commit returns): the
//! deliveries and their jobs (so a `202` survives a power cut), follow-up jobs
//! (`enqueue`) and `lint-pr jobs retry` ([`durable`]). The workers' bookkeeping
//! (claims, lease renewals, outcomes, the config cache) commits with
//! `synchronous=NORMAL`: no fsync of its own; the next durable commit's fsync
//! covers it, since the WAL is one ordered file. A power cut can lose the last
//! few of those writes, and each loss is one the queue already survives after
//! a crash: the job runs again (its check run is found by `external_id`).
//! One connection (SQLite has one writer anyway;
//! with several, a waiting writer sleeps in SQLite's busy handler instead of
//! queueing in the pool: measured with bench/loadgen). Write transactions start
//! with `BEGIN IMMEDIATE`, so the claim's read and its write hold one lock.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqlitePool};

use super::{Claimed, Dialect, Error, Inserted, NewDelivery, NewJob, claim_body, insert_jobs};

pub(super) struct Sqlite;

impl Dialect for Sqlite {
    const EXPIRED_CANDIDATE: &'static str = "SELECT id, key FROM jobs INDEXED BY jobs_lease WHERE state = 'running' AND lease_until <= $1 ORDER BY lease_until LIMIT 1";
    const DUE_CANDIDATE: &'static str = "SELECT j.id, j.key FROM jobs j INDEXED BY jobs_due
        WHERE j.state = 'queued' AND j.next_attempt_at <= $1
          AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.key = j.key AND r.state = 'running')
        ORDER BY j.next_attempt_at, j.id LIMIT 1";
    /// `not_before` is the column `next_attempt_at` replaced (migration 3); it is
    /// still written so that an older release, rolled back onto this database,
    /// finds it (it is NOT NULL there).
    const INSERT_JOB: &'static str = "INSERT INTO jobs (delivery_id, key, payload, next_attempt_at, not_before, created_ms, updated_ms, repo, pr) VALUES ($1, $2, $3, $4, $4, $5, $5, $6, $7)";
    const INSERT_JOBS: &'static str = "INSERT INTO jobs (delivery_id, key, payload, state, next_attempt_at, created_ms, updated_ms, repo, pr, not_before)";
    const JOB_WIDTH: usize = 10;
    /// `INDEXED BY`: without statistics SQLite's planner picks `jobs_due
    /// (state=?)` for `state = 'queued' AND key IN (…)`, which reads every
    /// queued job at every grouped commit. With a backlog of 20,000 queued jobs
    /// (bench/loadgen with the workers running) that scan was the store's
    /// hottest work and the accept rate fell over the run.
    ///
    /// `?`, not `$1`: the key list that follows is anonymous `?`s
    /// ([`Dialect::placeholders`]), and sqlx-sqlite numbers those from 1
    /// whatever numbered ones came before.
    const SUPERSEDE_KEYS: &'static str = "UPDATE jobs INDEXED BY jobs_queued_key SET state = 'superseded', updated_ms = ? WHERE state = 'queued' AND key IN";

    /// `NOT INDEXED`: left to itself SQLite reads every `done` and `superseded`
    /// entry of `jobs_due` and sorts them by id for each batch; in rowid order it
    /// stops after `$2`. Deleting 360,000 finished jobs of a 177 MB database in
    /// batches of 200 (`python3 bench/retention_replay.py index|rowid`): p50
    /// 20.6 ms a batch through `jobs_due`, 0.88 ms in rowid order.
    const PRUNE_JOBS: &'static str = "DELETE FROM jobs WHERE id IN (
            SELECT id FROM jobs NOT INDEXED WHERE id < $1 AND state IN ('done', 'superseded') ORDER BY id LIMIT $2)";

    /// The first rowid received at or after `$1`, read in rowid order (the old
    /// rows once, as `PRUNE_BOUND` reads old jobs).
    const DELIVERY_BOUND: &'static str = "SELECT COALESCE(
            (SELECT rowid FROM deliveries WHERE received_ms >= $1 ORDER BY rowid LIMIT 1),
            (SELECT MAX(rowid) + 1 FROM deliveries),
            0) AS bound";
    /// In rowid order, stopping at `$2`, like `PRUNE_JOBS`.
    const PRUNE_DELIVERIES: &'static str = "DELETE FROM deliveries WHERE rowid IN (
            SELECT d.rowid FROM deliveries d WHERE d.rowid < $1
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.delivery_id = d.delivery_id)
            ORDER BY d.rowid LIMIT $2)";

    /// Anonymous `?`s: no O(params²) name lookups per bind.
    fn placeholders(_first: usize, rows: usize, width: usize) -> String {
        super::anonymous_placeholders(rows, width)
    }
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

/// Migration 3 (issue #12): leases, the next attempt time, what `lint-pr jobs`
/// lists, and indexes that keep the claim an index lookup whatever the backlog.
/// Only adds (an older release still runs on it: it writes and reads
/// `not_before`, which stays); `jobs_state` gives way to `jobs_due`.
const SCHEMA_LEASES: &str = "
ALTER TABLE jobs ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN lease_until INTEGER;
ALTER TABLE jobs ADD COLUMN repo TEXT;
ALTER TABLE jobs ADD COLUMN pr INTEGER;
UPDATE jobs SET next_attempt_at = not_before;
DROP INDEX jobs_state;
CREATE INDEX jobs_due ON jobs(state, next_attempt_at);
CREATE INDEX jobs_lease ON jobs(lease_until) WHERE state = 'running';
CREATE INDEX jobs_queued_key ON jobs(key) WHERE state = 'queued';
CREATE UNIQUE INDEX jobs_running_key ON jobs(key) WHERE state = 'running';
";

/// Migration 4: the index retention needs to delete old delivery ids. Deleting
/// a `deliveries` row makes the foreign key look for a job naming it; without
/// an index on `jobs.delivery_id` that is a scan of every job per delivery.
/// Costs the accept path one more index entry per job (bench/README, "what grows
/// with the tables": 5.09 → 5.76 page writes per delivery in
/// `bench/store_replay.py`), and keeps `deliveries` from growing for as long as
/// the App runs.
const SCHEMA_DELIVERY_INDEX: &str = "
CREATE INDEX jobs_delivery ON jobs(delivery_id);
";

/// SQLite's migrations, in order ([`super::migrator_of`]: they only add).
pub(super) fn migrator() -> Migrator {
    let steps = [
        (1, "deliveries and jobs", SCHEMA),
        (2, "config cache", SCHEMA_CONFIG_CACHE),
        (3, "leases, retries and job listing", SCHEMA_LEASES),
        (
            4,
            "jobs by delivery, to prune old deliveries",
            SCHEMA_DELIVERY_INDEX,
        ),
    ];
    super::migrator_of(&steps)
}

pub(super) async fn connect(url: &str) -> Result<SqlitePool, Error> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL for the workers' bookkeeping; [`durable`] commits with FULL
        // (see the module header). Grouped commits (`writer`) pay one fsync for
        // many deliveries.
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10));
    // One connection (see the module header; in-memory databases also exist per
    // connection).
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    {
        // `run_direct` on a connection (not `run`, whose future is not `Send`).
        let mut conn = pool.acquire().await?;
        migrator().run_direct(None, &mut *conn, false).await?;
    }
    Ok(pool)
}

/// The pool's connection, set to `synchronous=FULL` ([`durable`], or
/// [`BEGIN_DURABLE`] for a transaction) until [`Durable::done`]: a commit on it
/// returns once the WAL (everything before it included) is fsynced. Back to
/// NORMAL is best effort: left at FULL, later commits are only slower.
struct Durable(PoolConnection<sqlx::Sqlite>);

async fn durable(pool: &SqlitePool) -> Result<Durable, Error> {
    let mut conn = pool.acquire().await?;
    // An error here fails the write: nothing may be answered as durable
    // without FULL.
    sqlx::query("PRAGMA synchronous = FULL")
        .execute(&mut *conn)
        .await?;
    Ok(Durable(conn))
}

/// `synchronous=FULL`, then a write transaction, in one call to SQLite's
/// thread: every call is a round trip to that thread (two thread wake-ups), and
/// the grouped commit made seven per group. SQLite runs the two statements in
/// order and stops at the first error: if the PRAGMA fails, no transaction
/// begins and the write fails, so nothing is answered as durable without FULL.
/// (The PRAGMA cannot go inside the transaction: SQLite refuses to change the
/// safety level there.)
const BEGIN_DURABLE: &str = "PRAGMA synchronous = FULL; BEGIN IMMEDIATE";

impl Durable {
    async fn done(mut self) {
        if let Err(e) = sqlx::query("PRAGMA synchronous = NORMAL")
            .execute(&mut *self.0)
            .await
        {
            tracing::warn!(error = %e, "SQLite stays at synchronous=FULL for bookkeeping too (slower, still correct)");
        }
    }
}

/// Groups one held connection may commit back to back before it goes back to
/// the pool: the workers' bookkeeping waits for the connection meanwhile (8
/// groups are a few tens of milliseconds under load).
const HOLD_GROUPS: u32 = 8;

/// The group-commit writer's connection, kept between groups that follow each
/// other ([`Held::release_if_idle`]): giving it back after every group cost two
/// more round trips to SQLite's thread (the reset to NORMAL, the pool's
/// release and acquire). Durability does not depend on it: every group begins
/// with [`BEGIN_DURABLE`], whatever the connection's last setting.
#[derive(Default)]
pub(super) struct Held {
    conn: Option<Durable>,
    /// Groups committed on `conn` since it was acquired.
    groups: u32,
}

impl Held {
    /// Store one group in one transaction at `synchronous=FULL`.
    pub(super) async fn insert_batch(
        &mut self,
        pool: &SqlitePool,
        deliveries: &[&NewDelivery],
    ) -> Result<Vec<Inserted>, Error> {
        let mut conn = match self.conn.take() {
            Some(conn) => conn,
            None => {
                self.groups = 0;
                Durable(pool.acquire().await?)
            }
        };
        let result = grouped_commit(&mut conn.0, deliveries).await;
        self.groups += 1;
        match result {
            Ok(out) => {
                self.conn = Some(conn);
                Ok(out)
            }
            Err(e) => {
                conn.done().await;
                Err(e)
            }
        }
    }

    /// Give the connection back (at NORMAL) unless the next group is already
    /// waiting (`next_waiting`) and the connection has not been held for
    /// [`HOLD_GROUPS`] groups.
    pub(super) async fn release_if_idle(&mut self, next_waiting: bool) {
        if next_waiting && self.groups < HOLD_GROUPS {
            return;
        }
        if let Some(conn) = self.conn.take() {
            conn.done().await;
        }
    }
}

/// One group in one transaction at `synchronous=FULL`, sent to SQLite's thread
/// in as few calls as it can be (each call is a round trip: two thread
/// wake-ups, a large part of a small group's time): in one call when every
/// delivery of the group is new ([`one_call`], nearly always: GitHub gives each
/// delivery its own id), else in two ([`two_calls`]). SQLite runs a call's
/// statements in order and stops at the first error; then the transaction is
/// rolled back here, so the connection goes on outside any transaction (sqlx's
/// own `Transaction` is not used: it cannot span statements sent in one call).
async fn grouped_commit(
    conn: &mut sqlx::SqliteConnection,
    deliveries: &[&NewDelivery],
) -> Result<Vec<Inserted>, Error> {
    let result = match one_call(conn, deliveries).await {
        Ok(Some(out)) => Ok(out),
        Ok(None) => two_calls(conn, deliveries).await,
        Err(e) => Err(e),
    };
    if result.is_err() {
        rollback_failed_group(conn, deliveries).await;
    }
    result
}

/// After a failed group nothing of it was committed. If no transaction is open
/// (the PRAGMA failed, or SQLite already rolled back), ROLLBACK fails, which is
/// fine; if it fails with one open, the next group's BEGIN fails and is
/// reported as that group's error.
async fn rollback_failed_group(conn: &mut sqlx::SqliteConnection, deliveries: &[&NewDelivery]) {
    if let Err(e) = sqlx::query("ROLLBACK").execute(&mut *conn).await {
        // "no transaction is active": SQLite had already rolled back.
        let message = e.to_string();
        let first = deliveries.first().map_or("", |d| d.delivery_id.as_str());
        if message.contains("no transaction is active") {
            tracing::debug!(error = %message, first_delivery = first, "rollback after a failed group");
        } else {
            tracing::warn!(
                error = %message,
                deliveries = deliveries.len(),
                first_delivery = first,
                "a failed group's ROLLBACK failed: the next group on this connection may fail at its BEGIN too (its own ROLLBACK is tried again)"
            );
        }
    }
}

/// The constraint that stops a [`one_call`] group holding a delivery stored
/// before; SQLite's error names it ("CHECK constraint failed: group_all_new").
const ALL_NEW: &str = "group_all_new";

/// A group whose deliveries are all new, in one call: [`BEGIN_DURABLE`], the
/// deliveries' insert (`ON CONFLICT DO NOTHING`), a guard that fails the call
/// when that insert stored fewer rows than the group has (some delivery was
/// stored before: a redelivery), the supersede, the jobs and `COMMIT`. The
/// guard inserts a row that breaks the [`ALL_NEW`] check of a temporary table
/// (the connection's own, never written otherwise) only in that case. When it
/// trips, nothing of the group was committed: the transaction is rolled back
/// and `None` says to store the group in two calls, which tell the new
/// deliveries from the stored ones. `None` too for a group that names one id
/// twice.
async fn one_call(
    conn: &mut sqlx::SqliteConnection,
    deliveries: &[&NewDelivery],
) -> Result<Option<Vec<Inserted>>, Error> {
    let fresh: std::collections::HashSet<String> =
        deliveries.iter().map(|d| d.delivery_id.clone()).collect();
    if fresh.len() != deliveries.len() {
        return Ok(None);
    }
    let now = super::now_ms();
    let plan = super::plan_group(deliveries, fresh);
    let statements = [
        format!(
            "{BEGIN_DURABLE}; CREATE TEMP TABLE IF NOT EXISTS {ALL_NEW} (ok INTEGER CONSTRAINT {ALL_NEW} CHECK (ok))"
        ),
        super::insert_deliveries_sql::<Sqlite>(deliveries.len(), false),
        format!(
            "INSERT INTO temp.{ALL_NEW} SELECT 0 WHERE changes() <> {}",
            deliveries.len()
        ),
        jobs_and_commit_sql(&plan),
    ];
    let q = sqlx::query(sqlx::AssertSqlSafe(statements.join("; ")));
    let q = super::bind_delivery_rows!(q, deliveries, now);
    let q = bind_group_jobs(q, &plan, now);
    match q.execute(&mut *conn).await {
        Ok(_) => Ok(Some(plan.out)),
        Err(sqlx::Error::Database(e)) if e.message().contains(ALL_NEW) => {
            sqlx::query("ROLLBACK").execute(&mut *conn).await?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// A group's supersede and its jobs' inserts (the statements that have rows),
/// then `COMMIT`: the end of [`one_call`], the second of [`two_calls`].
/// [`bind_group_jobs`] binds them.
fn jobs_and_commit_sql(plan: &super::GroupPlan<'_>) -> String {
    let statements = [
        (!plan.keys.is_empty()).then(|| super::supersede_keys_sql::<Sqlite>(plan.keys.len())),
        (!plan.older.is_empty()).then(|| super::insert_jobs_sql::<Sqlite>(plan.older.len())),
        (!plan.newest.is_empty()).then(|| super::insert_jobs_sql::<Sqlite>(plan.newest.len())),
        Some("COMMIT".to_string()),
    ];
    statements
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

/// Binds a group's supersede (now, then its keys) and its jobs' inserts, in
/// the order [`jobs_and_commit_sql`] writes them.
fn bind_group_jobs<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>,
    plan: &super::GroupPlan<'q>,
    now: i64,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    if !plan.keys.is_empty() {
        q = q.bind(now);
        for key in &plan.keys {
            q = q.bind(*key);
        }
    }
    let q = super::bind_job_rows!(q, plan.older.iter(), "superseded", now, Sqlite::JOB_WIDTH);
    super::bind_job_rows!(q, plan.newest.iter(), "queued", now, Sqlite::JOB_WIDTH)
}

// Every group fits one statement per kind (a group's calls do not chunk).
const _: () = assert!(super::MAX_BATCH <= super::ROWS_PER_STATEMENT);

/// A group in two calls: (1) [`BEGIN_DURABLE`] and the deliveries' insert, whose
/// `RETURNING` says which are new; (2) the supersede, the new deliveries' jobs
/// and `COMMIT` ([`super::plan_group`]).
async fn two_calls(
    conn: &mut sqlx::SqliteConnection,
    deliveries: &[&NewDelivery],
) -> Result<Vec<Inserted>, Error> {
    use sqlx::Row as _;
    let now = super::now_ms();
    let text = format!(
        "{BEGIN_DURABLE}; {}",
        super::insert_deliveries_sql::<Sqlite>(deliveries.len(), true)
    );
    let q = sqlx::query(sqlx::AssertSqlSafe(text));
    let q = super::bind_delivery_rows!(q, deliveries, now);
    let mut fresh = std::collections::HashSet::new();
    for row in q.fetch_all(&mut *conn).await? {
        fresh.insert(row.try_get::<String, _>("delivery_id")?);
    }
    let plan = super::plan_group(deliveries, fresh);
    let q = sqlx::query(sqlx::AssertSqlSafe(jobs_and_commit_sql(&plan)));
    bind_group_jobs(q, &plan, now).execute(&mut *conn).await?;
    Ok(plan.out)
}

pub(super) async fn enqueue(
    pool: &SqlitePool,
    delivery_id: &str,
    jobs: &[NewJob],
) -> Result<(), Error> {
    let mut conn = Durable(pool.acquire().await?);
    let mut tx = conn.0.begin_with(BEGIN_DURABLE).await?;
    let now = super::now_ms();
    insert_jobs!(Sqlite, tx, delivery_id, jobs, now, now);
    tx.commit().await?;
    conn.done().await;
    Ok(())
}

/// `lint-pr jobs retry`: [`super::sql::RETRY`], durable. Rows changed.
pub(super) async fn retry(pool: &SqlitePool, id: i64, now: i64) -> Result<u64, Error> {
    let mut conn = durable(pool).await?;
    let n = sqlx::query(super::sql::RETRY)
        .bind(id)
        .bind(now)
        .execute(&mut *conn.0)
        .await?
        .rows_affected();
    conn.done().await;
    Ok(n)
}

pub(super) async fn claim(pool: &SqlitePool, lease: Duration) -> Result<Option<Claimed>, Error> {
    Ok(claim_body!(
        Sqlite,
        pool.begin_with("BEGIN IMMEDIATE").await?,
        lease
    ))
}

/// Jobs left `running` by the previous process: their leases end now.
pub(super) async fn recover(pool: &SqlitePool) -> Result<u64, Error> {
    Ok(sqlx::query(
        "UPDATE jobs SET lease_until = 0 WHERE state = 'running' AND (lease_until IS NULL OR lease_until > 0)",
    )
    .execute(pool)
    .await?
    .rows_affected())
}

#[cfg(test)]
mod tests {
    use sqlx::SqlSafeStr;
    use sqlx::migrate::{Migration, MigrationType};

    use super::super::{Backend, NewJob, Store};
    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        (Store::connect(&url).await.unwrap(), dir)
    }

    fn pool(s: &Store) -> &SqlitePool {
        match s.backend() {
            Backend::Sqlite(pool) => pool,
            Backend::Postgres(_) => panic!("not sqlite"),
        }
    }

    #[tokio::test]
    async fn an_older_binary_starts_on_a_newer_database() {
        // See: #14 — rollback is running the older release on the same volume.
        let (s, dir) = store().await;
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
        newer
            .run_direct(None, &mut *pool(&s).acquire().await.unwrap(), false)
            .await
            .unwrap();
        s.close().await;
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        Store::connect(&url).await.unwrap();
    }

    /// The previous process's running jobs are claimable at once after a
    /// restart, and the interrupted attempt counts (no unbounded re-queue).
    #[tokio::test]
    async fn running_jobs_survive_a_crash_and_their_attempt_counts() {
        let (s, _d) = store().await;
        s.insert(delivery("1", "pr", 1)).await.unwrap();
        let job = s.claim(Duration::from_secs(3600)).await.unwrap().unwrap();
        assert!(s.claim(Duration::from_secs(60)).await.unwrap().is_none());
        assert_eq!(s.recover().await.unwrap(), 1);
        let again = s.claim(Duration::from_secs(60)).await.unwrap().unwrap();
        assert_eq!((again.id, again.attempt), (job.id, 2));
    }

    /// The grouped commit's transaction, begun with the PRAGMA in the same
    /// call, runs at `synchronous=FULL` (2): a `202` is fsynced. See: #12.
    #[tokio::test]
    async fn the_durable_transaction_runs_at_full() {
        let (s, _d) = store().await;
        let mut conn = pool(&s).acquire().await.unwrap();
        let mut tx = conn.begin_with(BEGIN_DURABLE).await.unwrap();
        let level: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(level, 2);
    }

    /// One group of deliveries, bound through anonymous `?`s: every column of
    /// every row gets its own value (a bind off by one would shift them), a
    /// key's earlier job in the group is superseded, a duplicate stores nothing.
    /// See: #12.
    #[tokio::test]
    async fn a_group_binds_every_column_in_order() {
        let (s, _d) = store().await;
        let d = |id: &str, key: &str, pr: u64| NewDelivery {
            delivery_id: id.into(),
            event: format!("event-{id}"),
            action: format!("action-{id}"),
            jobs: vec![NewJob {
                key: key.into(),
                payload: format!("{{\"d\":\"{id}\"}}"),
                repo: Some(format!("o/{key}")),
                pr: Some(pr),
            }],
            debounce: Duration::from_millis(1000 + pr),
        };
        let group = [
            d("a", "k1", 1),
            d("b", "k2", 2),
            d("c", "k1", 3),
            d("a", "k9", 9),
        ];
        let refs: Vec<&NewDelivery> = group.iter().collect();
        let out = Held::default().insert_batch(pool(&s), &refs).await.unwrap();
        assert_eq!(
            out,
            [
                Inserted::New,
                Inserted::New,
                Inserted::New,
                Inserted::Duplicate
            ]
        );
        let rows = sqlx::query(
            "SELECT j.delivery_id, j.key, j.payload, j.state, j.next_attempt_at - j.created_ms AS wait, \
             j.not_before = j.next_attempt_at AS same, j.updated_ms = j.created_ms AS fresh, j.repo, j.pr, \
             d.event, d.action FROM jobs j JOIN deliveries d USING (delivery_id) ORDER BY j.pr",
        )
        .fetch_all(pool(&s))
        .await
        .unwrap();
        let got: Vec<String> = rows
            .iter()
            .map(|r| {
                use sqlx::Row as _;
                format!(
                    "{} {} {} {} {} {} {} {} {} {} {}",
                    r.get::<String, _>("delivery_id"),
                    r.get::<String, _>("key"),
                    r.get::<String, _>("payload"),
                    r.get::<String, _>("state"),
                    r.get::<i64, _>("wait"),
                    r.get::<bool, _>("same"),
                    r.get::<bool, _>("fresh"),
                    r.get::<String, _>("repo"),
                    r.get::<i64, _>("pr"),
                    r.get::<String, _>("event"),
                    r.get::<String, _>("action"),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                r#"a k1 {"d":"a"} superseded 1001 true true o/k1 1 event-a action-a"#,
                r#"b k2 {"d":"b"} queued 1002 true true o/k2 2 event-b action-b"#,
                r#"c k1 {"d":"c"} queued 1003 true true o/k1 3 event-c action-c"#,
            ]
        );
    }

    /// A group whose second call fails (a job's insert, here made to fail by a
    /// trigger) stores nothing, not even its deliveries from the first call,
    /// and the held connection is left outside any transaction: the next group
    /// on it commits. See: #12.
    #[tokio::test]
    async fn a_failed_group_stores_nothing_and_the_next_one_commits() {
        let (s, _d) = store().await;
        sqlx::query(
            "CREATE TRIGGER boom BEFORE INSERT ON jobs WHEN NEW.key = 'boom' \
             BEGIN SELECT RAISE(ABORT, 'boom'); END",
        )
        .execute(pool(&s))
        .await
        .unwrap();
        let d = |id: &str, key: &str| delivery(id, key, 1);
        let mut held = Held::default();
        let bad = [d("a", "k1"), d("b", "boom")];
        let refs: Vec<&NewDelivery> = bad.iter().collect();
        let err = held.insert_batch(pool(&s), &refs).await.unwrap_err();
        assert!(err.to_string().contains("boom"), "{err}");
        let good = [d("a", "k1"), d("c", "k2")];
        let refs: Vec<&NewDelivery> = good.iter().collect();
        let out = held.insert_batch(pool(&s), &refs).await.unwrap();
        assert_eq!(out, [Inserted::New, Inserted::New]);
        held.release_if_idle(false).await;
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT delivery_id FROM deliveries ORDER BY delivery_id")
                .fetch_all(pool(&s))
                .await
                .unwrap();
        assert_eq!(stored, ["a", "c"]);
    }

    fn delivery(id: &str, key: &str, pr: u64) -> NewDelivery {
        NewDelivery {
            delivery_id: id.into(),
            event: "pull_request".into(),
            action: "synchronize".into(),
            jobs: vec![NewJob {
                key: key.into(),
                payload: format!("{{\"pr\":{pr}}}"),
                repo: Some("octo/repo".into()),
                pr: Some(pr),
            }],
            debounce: Duration::ZERO,
        }
    }

    /// `(delivery_id, key, payload, state, repo, pr)` of every job, in order.
    async fn jobs(s: &Store) -> Vec<(String, String, String, String, String, i64)> {
        sqlx::query_as("SELECT delivery_id, key, payload, state, repo, pr FROM jobs ORDER BY id")
            .fetch_all(pool(s))
            .await
            .unwrap()
    }

    /// A group of new deliveries goes in one call, and every value lands in its
    /// own column: the deliveries' and the jobs' rows are bound in one list, so
    /// an offset error would put a key in `payload` or a PR in `repo`. The
    /// second job of key `k1` in the group is stored superseded. See: #12.
    #[tokio::test]
    async fn new_deliveries_commit_in_one_call_with_every_value_in_place() {
        let (s, _d) = store().await;
        let group = [
            delivery("a", "k1", 1),
            delivery("b", "k2", 2),
            delivery("c", "k1", 1),
        ];
        let refs: Vec<&NewDelivery> = group.iter().collect();
        let mut conn = pool(&s).acquire().await.unwrap();
        let out = one_call(&mut conn, &refs).await.unwrap();
        drop(conn);
        assert_eq!(out, Some(vec![Inserted::New; 3]));
        let row = |id: &str, key: &str, pr: i64, state: &str| {
            (
                id.to_string(),
                key.to_string(),
                format!("{{\"pr\":{pr}}}"),
                state.to_string(),
                "octo/repo".to_string(),
                pr,
            )
        };
        assert_eq!(
            jobs(&s).await,
            [
                row("a", "k1", 1, "superseded"),
                row("b", "k2", 2, "queued"),
                row("c", "k1", 1, "queued")
            ]
        );
    }

    /// A group holding a delivery stored before (a redelivery) trips the one
    /// call's guard: nothing of that call is kept, the connection is left outside
    /// a transaction, and the group is stored in two calls that tell the stored
    /// delivery from the new one. Without the guard the redelivery would be
    /// answered as new. See: #12.
    #[tokio::test]
    async fn a_redelivery_in_a_group_is_told_apart_in_two_calls() {
        let (s, _d) = store().await;
        let first = [delivery("a", "k1", 1)];
        let mut held = Held::default();
        let refs: Vec<&NewDelivery> = first.iter().collect();
        assert_eq!(
            held.insert_batch(pool(&s), &refs).await.unwrap(),
            [Inserted::New]
        );
        held.release_if_idle(false).await;

        let group = [delivery("a", "k1", 1), delivery("b", "k2", 2)];
        let refs: Vec<&NewDelivery> = group.iter().collect();
        let mut conn = pool(&s).acquire().await.unwrap();
        assert_eq!(one_call(&mut conn, &refs).await.unwrap(), None);
        // Outside any transaction: BEGIN would fail inside one.
        sqlx::query("BEGIN").execute(&mut *conn).await.unwrap();
        sqlx::query("ROLLBACK").execute(&mut *conn).await.unwrap();
        drop(conn);
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM deliveries")
            .fetch_one(pool(&s))
            .await
            .unwrap();
        assert_eq!(stored, 1, "the tripped call stored nothing");

        assert_eq!(
            held.insert_batch(pool(&s), &refs).await.unwrap(),
            [Inserted::Duplicate, Inserted::New]
        );
        held.release_if_idle(false).await;
        let keys: Vec<String> = jobs(&s).await.into_iter().map(|j| j.1).collect();
        assert_eq!(keys, ["k1", "k2"]);
    }

    /// A group that names one id twice is not for one call; two calls store it
    /// once. See: #12.
    #[tokio::test]
    async fn an_id_twice_in_one_group_is_stored_once() {
        let (s, _d) = store().await;
        let group = [delivery("a", "k1", 1), delivery("a", "k1", 1)];
        let refs: Vec<&NewDelivery> = group.iter().collect();
        let mut conn = pool(&s).acquire().await.unwrap();
        assert_eq!(one_call(&mut conn, &refs).await.unwrap(), None);
        drop(conn);
        let mut held = Held::default();
        assert_eq!(
            held.insert_batch(pool(&s), &refs).await.unwrap(),
            [Inserted::New, Inserted::Duplicate]
        );
        held.release_if_idle(false).await;
        assert_eq!(jobs(&s).await.len(), 1);
    }

    /// A grouped commit supersedes the queued jobs of its own keys through
    /// `jobs_queued_key`, never by reading every queued job: its cost does not
    /// grow with the backlog. See: #12.
    #[tokio::test]
    async fn the_group_supersede_reads_only_its_keys() {
        let (s, _d) = store().await;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {} (?, ?)",
            <Sqlite as Dialect>::SUPERSEDE_KEYS
        )))
        .bind(0_i64)
        .bind("a")
        .bind("b")
        .fetch_all(pool(&s))
        .await
        .unwrap();
        let plan: Vec<String> = rows
            .iter()
            .map(|r| sqlx::Row::get::<String, _>(r, "detail"))
            .collect();
        assert_eq!(plan, ["SEARCH jobs USING INDEX jobs_queued_key (key=?)"]);
    }

    /// The claim reads the `jobs_due` index and the running-key index, never
    /// the table: its cost does not grow with the backlog. See: #12.
    #[tokio::test]
    async fn the_claim_is_an_index_lookup() {
        let (s, _d) = store().await;
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            <Sqlite as Dialect>::DUE_CANDIDATE
        )))
        .bind(0_i64)
        .fetch_all(pool(&s))
        .await
        .unwrap();
        let plan: Vec<String> = rows
            .iter()
            .map(|r| sqlx::Row::get::<String, _>(r, "detail"))
            .collect();
        assert!(
            plan.iter().any(|p| p.contains("USING INDEX jobs_due")),
            "{plan:?}"
        );
        assert!(
            plan.iter()
                .all(|p| !p.starts_with("SCAN j") && !p.starts_with("SCAN r")),
            "{plan:?}"
        );
    }
}
