//! A fresh PostgreSQL database per test, dropped afterwards.
//!
//! The server is the machine's (CI starts it: `.ci/run`): by default
//! `postgres://postgres@127.0.0.1:5432/postgres`, or `LINT_PR_TEST_POSTGRES_URL`.
//! A test that cannot reach it FAILS, naming the URL: these tests never skip.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{Connection, Executor, PgConnection};

/// Where the test databases are created from.
pub(crate) fn admin_url() -> String {
    std::env::var("LINT_PR_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A database of its own for one test; dropped (connections closed by force)
/// when this value is.
pub(crate) struct TestDb {
    /// `postgres://…/lint_pr_t_<pid>_<n>`: give it to `Store::connect` or `serve`.
    pub(crate) url: String,
    name: String,
    admin: String,
}

impl TestDb {
    pub(crate) async fn create() -> TestDb {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let admin = admin_url();
        let shown = lint_pr::jobs::store::redact_url(&admin);
        let mut conn = PgConnection::connect(&admin).await.unwrap_or_else(|e| {
            panic!(
                "PostgreSQL is unreachable at {shown}: {e}. These tests need it and never skip: \
                 start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) \
                 or point LINT_PR_TEST_POSTGRES_URL at a server where this user may CREATE DATABASE"
            )
        });
        drop_leftovers(&mut conn).await;
        let name = format!(
            "lint_pr_t_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await
        .unwrap();
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await
            .unwrap_or_else(|e| panic!("creating database {name} at {shown}: {e}"));
        conn.close().await.ok();
        let base = admin
            .split_once('?')
            .map_or(admin.as_str(), |(b, _)| b)
            .rsplit_once('/')
            .map_or(admin.as_str(), |(b, _)| b);
        TestDb {
            url: format!("{base}/{name}"),
            name,
            admin,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        // Drop may run inside a runtime: do the async work on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = PgConnection::connect(&admin).await {
                    let _ = conn
                        .execute(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// Databases left by test processes that were killed before their `Drop` ran
/// (the name carries the process id): dropped once per test process, so a
/// developer's machine does not collect them. A live process's are left alone.
async fn drop_leftovers(conn: &mut PgConnection) {
    static ONCE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if ONCE.swap(true, Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = sqlx::query_scalar::<_, String>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'lint\\_pr\\_t\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    else {
        return;
    };
    for name in rows {
        let pid = name
            .strip_prefix("lint_pr_t_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if pid == std::process::id() || std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let _ = conn
            .execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await;
    }
}
