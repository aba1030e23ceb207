//! Veilig's store: one API over SQLite (the embedded default) and PostgreSQL.
//!
//! Only this crate knows SQL. Each query is written once, with `$n` placeholders that both
//! backends accept, and compiled for both pools by the [`on_pool!`] macro; where the SQL
//! dialects differ (date parts, identity columns) the backend is matched explicitly.
//! Migrations are kept per backend under `migrations/`. Every row carries its zone id, so a
//! national deployment can shard by zone.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use thiserror::Error;

mod accounts;
mod availability;
mod coverage;
mod dump;
mod forewords;
mod import;
mod jobs;
mod listing;
mod monitoring;
mod plans;
mod read;
mod read_tables;
mod releases;
mod reports;
mod sqlite_bulk;
mod status;
pub mod testing;
mod timestamp;
mod zones;

pub use accounts::{ApiToken, AuditEntry, AuditRecord, Session};
pub use availability::{Leave, StoredLeave};
pub use coverage::SourceCoverage;
pub use dump::{DERIVED_TABLES, DumpHeader, TABLES};
pub use forewords::{FOREWORD_MAX_CHARS, Foreword};
pub use import::{ImportTx, NewBatch};
pub use jobs::{Job, JobProgress, JobState, MAX_ATTEMPTS};
pub use monitoring::{
    IndicatorRow, MeasurementRow, NewMeasurement, NewReview, NewReviewDecision, ProblemFileRow,
    ReviewDecisionRow, ReviewRow,
};
pub use plans::{
    Decision, NewDecision, NewPlanStep, PlanRow, PlanStep, PlanVersion, PriorityInput,
};
pub use read::{AnalysisRow, IncidentQuery, LocatedRow, Table};
pub use read_tables::CallPriority;
pub use read_tables::PublishedCell;
pub use releases::{NewRelease, Release};
pub use reports::{Feedback, IssuedReport, NewReport};
pub use status::{
    BatchRow, CategoryCount, PhenomenonYears, SavedMapping, SourcePeriod, StatSeries, ZoneStatus,
};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("cannot open store {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to whichever pool the store has; the body is compiled once
/// per backend, so it must be valid SQL for both.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($p) => $body,
            $crate::Backend::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Implements sqlx's `FromRow` for a store row type on both backends, each field read from
/// the column of its name: what `#[derive(sqlx::FromRow)]` does, without building sqlx's
/// macro crate (which would compile a second bundled SQLite for the build host).
macro_rules! from_row {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for $t {
            fn from_row(r: &'r sqlx::sqlite::SqliteRow) -> sqlx::Result<Self> {
                use sqlx::Row;
                Ok(Self { $($f: r.try_get(stringify!($f))?,)* })
            }
        }
        impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for $t {
            fn from_row(r: &'r sqlx::postgres::PgRow) -> sqlx::Result<Self> {
                use sqlx::Row;
                Ok(Self { $($f: r.try_get(stringify!($f))?,)* })
            }
        }
    };
}
pub(crate) use from_row;

/// Appends `$e` to the audit trail inside transaction `$tx`.
macro_rules! audit_tx {
    ($tx:expr, $e:expr) => {{
        let e: &$crate::AuditEntry = $e;
        sqlx::query("INSERT INTO audit_log (at, user_id, username, action, zone_id, detail, client) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind($crate::now())
            .bind(e.user_id)
            .bind(&e.username)
            .bind(&e.action)
            .bind(e.zone_id)
            .bind(&e.detail)
            .bind(&e.client)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use audit_tx;

/// The handle every other crate uses. Cheap to clone (pools are reference-counted).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) backend: Backend,
}

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sqlite: include_str!("../migrations/sqlite/0002_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "availability",
        sqlite: include_str!("../migrations/sqlite/0003_availability.sql"),
        postgres: include_str!("../migrations/postgres/0003_availability.sql"),
    },
    Migration {
        version: 4,
        name: "survey",
        sqlite: include_str!("../migrations/sqlite/0004_survey.sql"),
        postgres: include_str!("../migrations/postgres/0004_survey.sql"),
    },
    Migration {
        version: 5,
        name: "population groups",
        sqlite: include_str!("../migrations/sqlite/0005_population_groups.sql"),
        postgres: include_str!("../migrations/postgres/0005_population_groups.sql"),
    },
    Migration {
        version: 6,
        name: "sessions idle",
        sqlite: include_str!("../migrations/sqlite/0006_sessions_idle.sql"),
        postgres: include_str!("../migrations/postgres/0006_sessions_idle.sql"),
    },
    Migration {
        version: 7,
        name: "plans",
        sqlite: include_str!("../migrations/sqlite/0007_plans.sql"),
        postgres: include_str!("../migrations/postgres/0007_plans.sql"),
    },
    Migration {
        version: 8,
        name: "monitoring",
        sqlite: include_str!("../migrations/sqlite/0008_monitoring.sql"),
        postgres: include_str!("../migrations/postgres/0008_monitoring.sql"),
    },
    Migration {
        version: 9,
        name: "call response",
        sqlite: include_str!("../migrations/sqlite/0009_call_response.sql"),
        postgres: include_str!("../migrations/postgres/0009_call_response.sql"),
    },
    Migration {
        version: 10,
        name: "api tokens",
        sqlite: include_str!("../migrations/sqlite/0010_api_tokens.sql"),
        postgres: include_str!("../migrations/postgres/0010_api_tokens.sql"),
    },
    Migration {
        version: 11,
        name: "reports and partner feedback",
        sqlite: include_str!("../migrations/sqlite/0011_reports.sql"),
        postgres: include_str!("../migrations/postgres/0011_reports.sql"),
    },
    Migration {
        version: 12,
        name: "incident key index",
        sqlite: include_str!("../migrations/sqlite/0012_incident_key_index.sql"),
        postgres: include_str!("../migrations/postgres/0012_incident_key_index.sql"),
    },
    Migration {
        version: 13,
        name: "jobs",
        sqlite: include_str!("../migrations/sqlite/0013_jobs.sql"),
        postgres: include_str!("../migrations/postgres/0013_jobs.sql"),
    },
    Migration {
        version: 14,
        name: "staff edition",
        sqlite: include_str!("../migrations/sqlite/0014_staff_edition.sql"),
        postgres: include_str!("../migrations/postgres/0014_staff_edition.sql"),
    },
    Migration {
        version: 15,
        name: "releases",
        sqlite: include_str!("../migrations/sqlite/0015_releases.sql"),
        postgres: include_str!("../migrations/postgres/0015_releases.sql"),
    },
    Migration {
        version: 16,
        name: "coverage",
        sqlite: include_str!("../migrations/sqlite/0016_coverage.sql"),
        postgres: include_str!("../migrations/postgres/0016_coverage.sql"),
    },
    Migration {
        version: 17,
        name: "forewords",
        sqlite: include_str!("../migrations/sqlite/0017_forewords.sql"),
        postgres: include_str!("../migrations/postgres/0017_forewords.sql"),
    },
];

/// Takes the store's own `max_pages=N` parameter off a SQLite URL: a size cap of N pages
/// (SQLite's `max_page_count`, in pages of the store's page size: 16 KiB for a store this
/// version creates, 4 KiB for older ones), for a store that must not outgrow its disk. A
/// write past it fails as on a full disk ("database or disk is full"), inside its
/// transaction, so nothing half-written remains; the fault tests use it to fill the disk.
fn sqlite_size_cap(url: &str) -> std::result::Result<(String, Option<u64>), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), None));
    };
    let mut cap = None;
    let mut rest = Vec::new();
    for part in query.split('&') {
        match part.split_once('=') {
            Some(("max_pages", n)) => {
                cap = Some(
                    n.parse::<u64>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("max_pages={n}: a positive number of pages"))?,
                );
            }
            _ => rest.push(part),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, cap))
}

impl Store {
    /// Opens `sqlite://PATH` (created if missing, WAL; `?max_pages=N` caps its size) or
    /// `postgres://…`, and migrates.
    pub async fn open(url: &str) -> Result<Store> {
        let open_err = |reason: String| StoreError::Open {
            url: url.to_string(),
            reason,
        };
        let backend = if url.starts_with("sqlite:") {
            let (url, max_pages) = sqlite_size_cap(url).map_err(open_err)?;
            let mut opts = SqliteConnectOptions::from_str(&url)
                .map_err(|e| open_err(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                // 16 KiB pages for a new store (an existing one keeps its size): a bulk import
                // descends and splits fewer B-tree pages (Toronto's file in 0.78 of the time).
                .page_size(16384)
                .busy_timeout(Duration::from_secs(30))
                // 64 MiB of page cache per connection (the default is 2 MiB): imports insert
                // into unique indexes in hash order, which thrashes a small cache.
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory");
            if let Some(n) = max_pages {
                opts = opts.pragma("max_page_count", n.to_string());
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(opts)
                .await
                .map_err(|e| open_err(e.to_string()))?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .map_err(|e| open_err(e.to_string()))?;
            Backend::Postgres(pool)
        } else {
            return Err(open_err(
                "the URL must start with sqlite:// or postgres://".into(),
            ));
        };
        let store = Store { backend };
        store.migrate().await?;
        Ok(store)
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Applies the migrations this store has not seen, each in its own transaction. On
    /// PostgreSQL an advisory lock keeps concurrent starters (several web nodes) in line.
    async fn migrate(&self) -> Result<()> {
        const LEDGER: &str = "CREATE TABLE IF NOT EXISTS veilig_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if let Backend::Postgres(_) = self.backend {
                sqlx::query("SELECT pg_advisory_xact_lock(7331001)").execute(&mut *tx).await?;
            }
            sqlx::query(LEDGER).execute(&mut *tx).await?;
            let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM veilig_migrations")
                .fetch_all(&mut *tx)
                .await?;
            for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
                let sql = match self.backend {
                    Backend::Sqlite(_) => m.sqlite,
                    Backend::Postgres(_) => m.postgres,
                };
                sqlx::raw_sql(sql).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO veilig_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(now().to_string())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Closes the pools (flushes the SQLite WAL on the last connection).
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// Wall-clock time for bookkeeping columns (batch start and end), UTC.
pub(crate) fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[cfg(test)]
mod size_cap_tests {
    use super::sqlite_size_cap;

    #[test]
    fn the_size_cap_is_taken_off_the_url_and_other_parameters_stay() {
        assert_eq!(
            sqlite_size_cap("sqlite:///a.db").unwrap(),
            ("sqlite:///a.db".into(), None)
        );
        assert_eq!(
            sqlite_size_cap("sqlite:///a.db?max_pages=100").unwrap(),
            ("sqlite:///a.db".into(), Some(100))
        );
        assert_eq!(
            sqlite_size_cap("sqlite:///a.db?mode=rwc&max_pages=7").unwrap(),
            ("sqlite:///a.db?mode=rwc".into(), Some(7))
        );
        assert!(sqlite_size_cap("sqlite:///a.db?max_pages=0").is_err());
        assert!(sqlite_size_cap("sqlite:///a.db?max_pages=lots").is_err());
    }
}

#[cfg(test)]
mod migration_tests {
    use super::*;

    /// Migration 12 rebuilds the SQLite incidents table: every row stays as it was, ids are
    /// never reused (AUTOINCREMENT's high-water mark survives), and the key still refuses a
    /// second row with the same (zone, source, key).
    #[tokio::test]
    async fn the_incident_table_rebuild_keeps_rows_ids_and_the_key() {
        let path = std::env::temp_dir().join(format!(
            "veilig_migration_{}_{}.db",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
        ));
        let url = format!("sqlite://{}", path.display());
        {
            let opts = SqliteConnectOptions::from_str(&url)
                .unwrap()
                .create_if_missing(true);
            let pool = SqlitePoolOptions::new().connect_with(opts).await.unwrap();
            for m in MIGRATIONS.iter().filter(|m| m.version < 12) {
                sqlx::raw_sql(m.sqlite).execute(&pool).await.unwrap();
            }
            sqlx::raw_sql("CREATE TABLE veilig_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                .execute(&pool)
                .await
                .unwrap();
            for v in 1..=11i64 {
                sqlx::query("INSERT INTO veilig_migrations VALUES ($1, 'old', '2026-01-01')")
                    .bind(v)
                    .execute(&pool)
                    .await
                    .unwrap();
            }
            sqlx::raw_sql(
                "INSERT INTO zones (id, code, name, kind, crs, synthetic, created_at) VALUES (1, 'z', 'Z', 'single', 3812, 0, '2026-01-01 00:00:00');
                 INSERT INTO batches (id, zone_id, kind, source, file_name, sha256, synthetic, started_at) VALUES (1, 1, 'incidents', 's', 'f', 'h', 0, '2026-01-01 00:00:00');
                 INSERT INTO incidents (zone_id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to, address)
                   VALUES (1, 1, 's', 'k1', 'c', 'p', '2024-01-01 00:00:00', '2024-01-01 01:00:00', 'Markt 1'),
                          (1, 1, 's', 'k2', 'c', 'p', '2024-01-02 00:00:00', '2024-01-02 01:00:00', NULL),
                          (1, 1, 's', 'k3', 'c', 'p', '2024-01-03 00:00:00', '2024-01-03 01:00:00', NULL);
                 DELETE FROM incidents WHERE source_key = 'k3';",
            )
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
        let store = Store::open(&url).await.unwrap();
        let Backend::Sqlite(pool) = &store.backend else {
            unreachable!()
        };
        let rows: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT id, source_key, address FROM incidents ORDER BY id")
                .fetch_all(pool)
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![
                (1, "k1".into(), Some("Markt 1".into())),
                (2, "k2".into(), None)
            ]
        );
        let insert = "INSERT INTO incidents (zone_id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to) VALUES (1, 1, 's', $1, 'c', 'p', '2024-01-04 00:00:00', '2024-01-04 01:00:00') ON CONFLICT (zone_id, source, source_key) DO NOTHING";
        let new = sqlx::query(insert).bind("k4").execute(pool).await.unwrap();
        assert_eq!(
            new.last_insert_rowid(),
            4,
            "id 3 was used once and is not reused"
        );
        let again = sqlx::query(insert).bind("k1").execute(pool).await.unwrap();
        assert_eq!(
            again.rows_affected(),
            0,
            "the key index refuses a second k1"
        );
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
