//! Published tables as stored, immutable releases: numbered per zone, dated, each holding
//! the protected tables that changed since the release before (JSON the application layer
//! writes and reads). The store only keeps them; it never updates or deletes one (triggers
//! refuse it), and backups carry them.

use chrono::{NaiveDate, NaiveDateTime};
use sqlx::Row;

use crate::{AuditEntry, Result, Store, audit_tx, now, on_pool};

/// A release to record.
#[derive(Debug, Clone)]
pub struct NewRelease {
    pub released_on: NaiveDate,
    /// `regular` (on the calendar), `first` (the first publication of new tables between
    /// release days) or `revision` (of a year, with its reason).
    pub kind: String,
    pub reason: Option<String>,
    /// The disclosure rules it was made with (their fingerprint).
    pub rules: String,
    /// The last day of the last complete month of the data the release was made from.
    pub complete_through: Option<NaiveDate>,
    pub data_version: i64,
    /// Who made it: a user name, or `calendar` for the server's own release.
    pub created_by: String,
    /// (phenomenon code, year, content).
    pub tables: Vec<(String, i32, String)>,
}

/// A recorded release.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Release {
    pub number: i64,
    pub released_on: NaiveDate,
    pub kind: String,
    pub reason: Option<String>,
    pub rules: String,
    pub complete_through: Option<NaiveDate>,
    pub data_version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// How many tables it holds.
    pub tables: i64,
}

const RELEASE_COLUMNS: &str = "r.number, r.released_on, r.kind, r.reason, r.rules, r.complete_through, r.data_version, r.created_by, r.created_at, (SELECT COUNT(*) FROM release_tables t WHERE t.release_id = r.id) AS tables";

trait ReleaseRow {
    fn release(&self) -> Result<Release>;
}

macro_rules! release_row {
    ($row:ty) => {
        impl ReleaseRow for $row {
            fn release(&self) -> Result<Release> {
                Ok(Release {
                    number: self.try_get::<i64, _>("number")?,
                    released_on: self.try_get("released_on")?,
                    kind: self.try_get("kind")?,
                    reason: self.try_get("reason")?,
                    rules: self.try_get("rules")?,
                    complete_through: self.try_get("complete_through")?,
                    data_version: self.try_get("data_version")?,
                    created_by: self.try_get("created_by")?,
                    created_at: self.try_get("created_at")?,
                    tables: self.try_get("tables")?,
                })
            }
        }
    };
}
release_row!(sqlx::sqlite::SqliteRow);
release_row!(sqlx::postgres::PgRow);

impl Store {
    /// Records a release with its tables in one transaction, numbered after the zone's last
    /// one, with an entry in the audit trail. Two processes releasing at once: one of them
    /// fails on the number and nothing of it is stored.
    pub async fn create_release(&self, zone_id: i64, r: &NewRelease) -> Result<Release> {
        let at = now();
        let entry = AuditEntry {
            user_id: None,
            username: Some(r.created_by.clone()),
            action: "release".into(),
            zone_id: Some(zone_id),
            detail: format!(
                "{} release of {} tables on {}{}",
                r.kind,
                r.tables.len(),
                r.released_on,
                r.reason
                    .as_deref()
                    .map(|x| format!(": {x}"))
                    .unwrap_or_default()
            ),
            client: None,
        };
        let number = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM releases WHERE zone_id = $1")
                .bind(zone_id)
                .fetch_one(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO releases (zone_id, number, released_on, kind, reason, rules, complete_through, data_version, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
                .bind(zone_id)
                .bind(number)
                .bind(r.released_on)
                .bind(&r.kind)
                .bind(&r.reason)
                .bind(&r.rules)
                .bind(r.complete_through)
                .bind(r.data_version)
                .bind(&r.created_by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            for (phenomenon, year, content) in &r.tables {
                sqlx::query("INSERT INTO release_tables (release_id, phenomenon, year, content) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(phenomenon)
                    .bind(*year)
                    .bind(content)
                    .execute(&mut *tx)
                    .await?;
            }
            audit_tx!(tx, &entry);
            tx.commit().await?;
            number
        });
        Ok(Release {
            number,
            released_on: r.released_on,
            kind: r.kind.clone(),
            reason: r.reason.clone(),
            rules: r.rules.clone(),
            complete_through: r.complete_through,
            data_version: r.data_version,
            created_by: r.created_by.clone(),
            created_at: at,
            tables: r.tables.len() as i64,
        })
    }

    /// The zone's latest release made under `rules`.
    pub async fn latest_release_under(&self, zone_id: i64, rules: &str) -> Result<Option<Release>> {
        let sql = format!(
            "SELECT {RELEASE_COLUMNS} FROM releases r WHERE r.zone_id = $1 AND r.rules = $2 ORDER BY r.number DESC LIMIT 1"
        );
        on_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(zone_id).bind(rules).fetch_optional(pool).await?;
            row.as_ref().map(ReleaseRow::release).transpose()
        })
    }

    /// The zone's releases, oldest first.
    pub async fn releases(&self, zone_id: i64) -> Result<Vec<Release>> {
        let sql = format!(
            "SELECT {RELEASE_COLUMNS} FROM releases r WHERE r.zone_id = $1 ORDER BY r.number"
        );
        on_pool!(self, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(zone_id).fetch_all(pool).await?;
            rows.iter().map(ReleaseRow::release).collect()
        })
    }

    /// The zone's latest release.
    pub async fn latest_release(&self, zone_id: i64) -> Result<Option<Release>> {
        let sql = format!(
            "SELECT {RELEASE_COLUMNS} FROM releases r WHERE r.zone_id = $1 ORDER BY r.number DESC LIMIT 1"
        );
        on_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(zone_id).fetch_optional(pool).await?;
            row.as_ref().map(ReleaseRow::release).transpose()
        })
    }

    /// Every release of one table (a phenomenon's year), oldest first: (release number,
    /// rules, content).
    pub async fn released_table(
        &self,
        zone_id: i64,
        phenomenon: &str,
        year: i32,
    ) -> Result<Vec<(i64, String, String)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT r.number, r.rules, t.content FROM release_tables t JOIN releases r ON r.id = t.release_id WHERE r.zone_id = $1 AND t.phenomenon = $2 AND t.year = $3 ORDER BY r.number")
                .bind(zone_id)
                .bind(phenomenon)
                .bind(year)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get(1)?, r.try_get(2)?)))
                .collect()
        })
    }

    /// Every table the zone has released under `rules`, with the number of its latest
    /// release: (phenomenon, year, number).
    pub async fn released_tables(
        &self,
        zone_id: i64,
        rules: &str,
    ) -> Result<Vec<(String, i32, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT t.phenomenon, t.year, MAX(r.number) FROM release_tables t JOIN releases r ON r.id = t.release_id WHERE r.zone_id = $1 AND r.rules = $2 GROUP BY t.phenomenon, t.year ORDER BY t.phenomenon, t.year")
                .bind(zone_id)
                .bind(rules)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get::<i64, _>(2)?)))
                .collect()
        })
    }
}
