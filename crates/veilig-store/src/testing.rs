//! Test support: fresh stores on both backends, for this crate's suite and the importers'.
//!
//! PostgreSQL comes from `VEILIG_TEST_PG` (an admin URL; `scripts/test` starts a temporary
//! server and sets it). Each test gets its own database. When the variable is unset the
//! PostgreSQL half of a test *fails*: the suite must never pass by silently skipping a
//! backend. `VEILIG_TEST_PG=off` skips it knowingly and says so on stderr.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Store;

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        t % 1_000_000_000,
        n
    )
}

/// A store for one test, and what must be cleaned up after it.
pub struct TestStore {
    pub store: Store,
    pub url: String,
    file: Option<PathBuf>,
}

impl Drop for TestStore {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

pub async fn sqlite() -> TestStore {
    let path = std::env::temp_dir().join(format!("{}.db", unique("veilig_test")));
    let url = format!("sqlite://{}", path.display());
    let store = Store::open(&url).await.expect("open SQLite test store");
    TestStore {
        store,
        url,
        file: Some(path),
    }
}

/// A fresh PostgreSQL database, or `None` when `VEILIG_TEST_PG=off`.
pub async fn postgres() -> Option<TestStore> {
    let admin = match std::env::var("VEILIG_TEST_PG") {
        Ok(v) if v == "off" => {
            eprintln!("VEILIG_TEST_PG=off: PostgreSQL half of this test skipped on purpose");
            return None;
        }
        Ok(v) => v,
        Err(_) => panic!(
            "VEILIG_TEST_PG is not set. The store suite runs on SQLite and PostgreSQL: run \
             scripts/test (it starts a temporary PostgreSQL), or set VEILIG_TEST_PG=off to \
             run on SQLite only, knowingly."
        ),
    };
    let name = unique("veilig_t");
    {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connect to VEILIG_TEST_PG");
        let sql = format!("CREATE DATABASE {name}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut c)
            .await
            .expect("create test database");
    }
    let (base, _) = admin
        .rsplit_once('/')
        .expect("VEILIG_TEST_PG looks like postgres://user@host:port/db");
    let url = format!("{base}/{name}");
    let store = Store::open(&url).await.expect("open PostgreSQL test store");
    Some(TestStore {
        store,
        url,
        file: None,
    })
}

/// Runs one async behaviour against both backends, as two tests named `sqlite` and
/// `postgres` inside a module named after the behaviour, so test output shows each.
///
/// ```text
/// both_backends!(stores_incidents, |store: Store| async move { ... });
/// ```
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::testing::sqlite().await;
                ($body)(t.store.clone()).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::testing::postgres().await {
                    ($body)(t.store.clone()).await;
                }
            }
        }
    };
}

/// Runs a statement as it is, for tests that check what the schema itself refuses (the
/// append-only audit trail).
pub async fn execute_raw(store: &Store, sql: &'static str) -> crate::Result<()> {
    crate::on_pool!(store, pool => {
        sqlx::raw_sql(sql).execute(pool).await?;
        Ok(())
    })
}

/// Every index definition of `table`, sorted: what a bulk load must leave as it found it.
pub async fn index_definitions(store: &Store, table: &str) -> crate::Result<Vec<String>> {
    let mut defs: Vec<String> = crate::on_pool!(store, pool => {
        match store.backend {
            crate::Backend::Sqlite(_) => sqlx::query_scalar(
                "SELECT COALESCE(sql, name) FROM sqlite_master WHERE type = 'index' AND tbl_name = $1",
            )
            .bind(table)
            .fetch_all(pool)
            .await?,
            crate::Backend::Postgres(_) => sqlx::query_scalar(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
            )
            .bind(table)
            .fetch_all(pool)
            .await?,
        }
    });
    defs.sort();
    Ok(defs)
}
