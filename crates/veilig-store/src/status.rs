//! What the store holds for a zone: `veilig status`.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sqlx::Row;
use veilig_domain::{Municipality, Zone};

use crate::{Backend, Result, Store, Table, on_pool};

#[derive(Debug, Clone, Serialize)]
pub struct BatchRow {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub file_name: String,
    pub sha256: String,
    pub rows_read: i64,
    pub stored: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub synthetic: bool,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// The mapping an incident file of the zone was imported with: what the web's import offers
/// to use again instead of typing one.
#[derive(Debug, Clone, Serialize)]
pub struct SavedMapping {
    /// The batch that used it.
    pub id: i64,
    pub source: String,
    pub file_name: String,
    pub finished_at: Option<NaiveDateTime>,
    pub mapping: String,
}

crate::from_row!(SavedMapping {
    id,
    source,
    file_name,
    finished_at,
    mapping
});

/// Incident counts of one phenomenon by year of the occurrence window's start.
#[derive(Debug, Clone, Serialize)]
pub struct PhenomenonYears {
    pub code: String,
    pub name_nl: String,
    pub mapped: bool,
    pub total: i64,
    pub by_year: BTreeMap<i32, i64>,
}

/// A source category as it appears in the data and the phenomenon it is filed under.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub source: String,
    pub category: String,
    pub phenomenon: String,
    pub incidents: i64,
}

/// The data period of one source.
#[derive(Debug, Clone, Serialize)]
pub struct SourcePeriod {
    pub source: String,
    pub incidents: i64,
    pub first: Option<NaiveDateTime>,
    pub last: Option<NaiveDateTime>,
    pub synthetic: bool,
}

/// Published statistics held, per source and category kind (never summed across categories).
#[derive(Debug, Clone, Serialize)]
pub struct StatSeries {
    pub source: String,
    pub category_kind: String,
    pub categories: i64,
    pub cells: i64,
    pub first_period: Option<NaiveDate>,
    pub last_period: Option<NaiveDate>,
    pub latest_closing_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZoneStatus {
    pub zone: Zone,
    pub municipalities: Vec<Municipality>,
    pub areas: i64,
    pub population_records: i64,
    pub incidents: i64,
    /// Incidents with a location that lies in no area of the zone.
    pub unassigned: i64,
    pub without_location: i64,
    pub rejected: i64,
    pub calls: i64,
    pub staff: i64,
    pub phenomena: Vec<PhenomenonYears>,
    pub categories: Vec<CategoryCount>,
    pub sources: Vec<SourcePeriod>,
    pub statistics: Vec<StatSeries>,
    pub batches: Vec<BatchRow>,
}

impl Store {
    /// The mappings the zone's finished incident imports used, newest first.
    pub async fn saved_mappings(&self, zone_id: i64) -> Result<Vec<SavedMapping>> {
        self.rows_by::<SavedMapping>(
            "SELECT id, source, file_name, finished_at, mapping FROM batches WHERE zone_id = $1 AND kind = 'incidents' AND mapping IS NOT NULL AND finished_at IS NOT NULL ORDER BY id DESC",
            zone_id,
        )
        .await
    }

    pub async fn batches(&self, zone_id: i64) -> Result<Vec<BatchRow>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, kind, source, file_name, sha256, rows_read, stored, duplicates, rejected, synthetic, started_at, finished_at FROM batches WHERE zone_id = $1 ORDER BY id")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(BatchRow {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    source: r.try_get("source")?,
                    file_name: r.try_get("file_name")?,
                    sha256: r.try_get("sha256")?,
                    rows_read: r.try_get("rows_read")?,
                    stored: r.try_get("stored")?,
                    duplicates: r.try_get("duplicates")?,
                    rejected: r.try_get("rejected")?,
                    synthetic: r.try_get("synthetic")?,
                    started_at: r.try_get("started_at")?,
                    finished_at: r.try_get("finished_at")?,
                });
            }
            Ok(out)
        })
    }

    /// A number that changes whenever a batch of the zone finishes (or any zone is added):
    /// caches of computed figures are keyed by it.
    pub async fn data_version(&self, zone_id: i64) -> Result<i64> {
        on_pool!(self, pool => {
            let v: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM batches WHERE zone_id = $1 AND finished_at IS NOT NULL")
                .bind(zone_id).fetch_one(pool).await?;
            Ok(v.unwrap_or(0))
        })
    }

    /// A number that changes whenever what the zone's monitoring shows may change: its
    /// indicators, their (append-only) measurements, the Compstat decisions and their
    /// closing, and the data version. A cache of indicator verdicts and open decisions is
    /// valid while it stays the same.
    pub async fn monitoring_version(&self, zone_id: i64) -> Result<i64> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "SELECT \
                 (SELECT COALESCE(MAX(id), 0) FROM indicators WHERE zone_id = $1), \
                 (SELECT COALESCE(MAX(m.id), 0) FROM measurements m JOIN indicators i ON i.id = m.indicator_id WHERE i.zone_id = $1), \
                 (SELECT COALESCE(MAX(id), 0) FROM review_decisions WHERE zone_id = $1), \
                 (SELECT COUNT(closed_in) FROM review_decisions WHERE zone_id = $1), \
                 (SELECT COALESCE(MAX(id), 0) FROM batches WHERE zone_id = $1 AND finished_at IS NOT NULL)",
            )
            .bind(zone_id)
            .fetch_one(pool)
            .await?;
            let mut v: i64 = 17;
            for i in 0..5 {
                let x: i64 = row.try_get(i)?;
                v = v.wrapping_mul(1_000_003).wrapping_add(x);
            }
            Ok(v)
        })
    }

    /// Changes whenever a plan of the zone is created, edited (a draft's document), given a
    /// version or an approval step: what keys the plan figures a cache keeps.
    pub async fn plan_stamp(&self, zone_id: i64) -> Result<i64> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "SELECT \
                 (SELECT COUNT(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.zone_id = $1), \
                 (SELECT COALESCE(MAX(s.id), 0) FROM plan_steps s JOIN plans p ON p.id = s.plan_id WHERE p.zone_id = $1), \
                 (SELECT MAX(v.updated_at) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.zone_id = $1)",
            )
            .bind(zone_id)
            .fetch_one(pool)
            .await?;
            let (versions, steps): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            let edited: Option<NaiveDateTime> = row.try_get(2)?;
            let at = edited.map_or(0, |t| t.and_utc().timestamp_micros());
            Ok(versions
                .wrapping_mul(1_000_003)
                .wrapping_add(steps)
                .wrapping_mul(1_000_003)
                .wrapping_add(at))
        })
    }

    /// How many of the zone's incidents lie in no wijk (outside every area, or without a
    /// location and without a wijk from the source).
    pub async fn incidents_in_no_area(&self, zone_id: i64) -> Result<i64> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM incidents WHERE zone_id = $1 AND area_id IS NULL")
                .bind(zone_id).fetch_one(pool).await?)
        })
    }

    /// Every zone's data version at once (zones without a finished batch: 0), for a worker
    /// that watches many zones for changes.
    pub async fn data_versions(&self) -> Result<Vec<(i64, i64)>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as("SELECT z.id, COALESCE(MAX(b.id), 0) FROM zones z LEFT JOIN batches b ON b.zone_id = z.id AND b.finished_at IS NOT NULL GROUP BY z.id ORDER BY z.id")
                .fetch_all(pool).await?)
        })
    }

    /// The day of the zone's first call for service, if any.
    pub async fn first_call_day(&self, zone_id: i64) -> Result<Option<chrono::NaiveDate>> {
        let t: Option<chrono::NaiveDateTime> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT MIN(received_at) FROM calls WHERE zone_id = $1")
                .bind(zone_id).fetch_one(pool).await?
        });
        Ok(t.map(|t| t.date()))
    }

    /// The day of the latest call for service of the zone, if any (the demand's default
    /// period ends there).
    pub async fn last_call_day(&self, zone_id: i64) -> Result<Option<chrono::NaiveDate>> {
        let t: Option<chrono::NaiveDateTime> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT MAX(received_at) FROM calls WHERE zone_id = $1")
                .bind(zone_id).fetch_one(pool).await?
        });
        Ok(t.map(|t| t.date()))
    }

    /// The day of the latest incident of the zone (window start), if any.
    pub async fn last_incident_day(&self, zone_id: i64) -> Result<Option<chrono::NaiveDate>> {
        let t: Option<chrono::NaiveDateTime> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT MAX(occurred_from) FROM incidents WHERE zone_id = $1")
                .bind(zone_id).fetch_one(pool).await?
        });
        Ok(t.map(|t| t.date()))
    }

    /// The zone a batch belongs to, if the batch exists.
    pub async fn batch_zone(&self, batch_id: i64) -> Result<Option<i64>> {
        on_pool!(self, pool => Ok(sqlx::query_scalar("SELECT zone_id FROM batches WHERE id = $1")
            .bind(batch_id).fetch_optional(pool).await?))
    }

    pub async fn status(&self, zone: &Zone) -> Result<ZoneStatus> {
        let zid = zone.id;
        let year_sql = match self.backend {
            Backend::Sqlite(_) => {
                "SELECT i.phenomenon AS code, CAST(substr(i.occurred_from, 1, 4) AS BIGINT) AS year, COUNT(*) AS n FROM incidents i WHERE i.zone_id = $1 GROUP BY 1, 2"
            }
            Backend::Postgres(_) => {
                "SELECT i.phenomenon AS code, CAST(EXTRACT(YEAR FROM i.occurred_from) AS BIGINT) AS year, COUNT(*) AS n FROM incidents i WHERE i.zone_id = $1 GROUP BY 1, 2"
            }
        };
        let (phenomena, categories, sources, statistics, unassigned, without_location) = on_pool!(self, pool => {
            let mut phen: BTreeMap<String, PhenomenonYears> = BTreeMap::new();
            for r in sqlx::query("SELECT code, name_nl, mapped FROM phenomena WHERE zone_id = $1").bind(zid).fetch_all(pool).await? {
                let code: String = r.try_get("code")?;
                phen.insert(code.clone(), PhenomenonYears { code, name_nl: r.try_get("name_nl")?, mapped: r.try_get("mapped")?, total: 0, by_year: BTreeMap::new() });
            }
            for r in sqlx::query(year_sql).bind(zid).fetch_all(pool).await? {
                let code: String = r.try_get("code")?;
                let year: i64 = r.try_get("year")?;
                let n: i64 = r.try_get("n")?;
                let e = phen.entry(code.clone()).or_insert_with(|| PhenomenonYears { name_nl: code.clone(), code, mapped: false, total: 0, by_year: BTreeMap::new() });
                e.total += n;
                e.by_year.insert(year as i32, n);
            }
            let mut categories = Vec::new();
            for r in sqlx::query("SELECT source, category, phenomenon, COUNT(*) AS n FROM incidents WHERE zone_id = $1 GROUP BY source, category, phenomenon ORDER BY source, category").bind(zid).fetch_all(pool).await? {
                categories.push(CategoryCount { source: r.try_get("source")?, category: r.try_get("category")?, phenomenon: r.try_get("phenomenon")?, incidents: r.try_get("n")? });
            }
            let mut sources = Vec::new();
            for r in sqlx::query("SELECT source, COUNT(*) AS n, MIN(occurred_from) AS first, MAX(occurred_to) AS last, CAST(MAX(CASE WHEN synthetic THEN 1 ELSE 0 END) AS BIGINT) AS synthetic FROM incidents WHERE zone_id = $1 GROUP BY source ORDER BY source").bind(zid).fetch_all(pool).await? {
                sources.push(SourcePeriod { source: r.try_get("source")?, incidents: r.try_get("n")?, first: r.try_get("first")?, last: r.try_get("last")?, synthetic: r.try_get::<i64, _>("synthetic")? != 0 });
            }
            let mut statistics = Vec::new();
            for r in sqlx::query("SELECT source, category_kind, COUNT(DISTINCT category) AS categories, COUNT(*) AS cells, MIN(period_start) AS first, MAX(period_end) AS last, MAX(closing_date) AS closing FROM stat_counts WHERE zone_id = $1 GROUP BY source, category_kind ORDER BY source, category_kind").bind(zid).fetch_all(pool).await? {
                statistics.push(StatSeries { source: r.try_get("source")?, category_kind: r.try_get("category_kind")?, categories: r.try_get("categories")?, cells: r.try_get("cells")?, first_period: r.try_get("first")?, last_period: r.try_get("last")?, latest_closing_date: r.try_get("closing")? });
            }
            let unassigned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents WHERE zone_id = $1 AND x IS NOT NULL AND area_id IS NULL").bind(zid).fetch_one(pool).await?;
            let without_location: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents WHERE zone_id = $1 AND x IS NULL").bind(zid).fetch_one(pool).await?;
            Ok::<_, crate::StoreError>((phen.into_values().collect::<Vec<_>>(), categories, sources, statistics, unassigned, without_location))
        })?;
        Ok(ZoneStatus {
            zone: zone.clone(),
            municipalities: self.municipalities(zid).await?,
            areas: self.count(zid, Table::Areas).await?,
            population_records: self.count(zid, Table::Population).await?,
            incidents: self.count(zid, Table::Incidents).await?,
            unassigned,
            without_location,
            rejected: self.count(zid, Table::Rejects).await?,
            calls: self.count(zid, Table::Calls).await?,
            staff: self.count(zid, Table::Staff).await?,
            phenomena,
            categories,
            sources,
            statistics,
            batches: self.batches(zid).await?,
        })
    }
}
