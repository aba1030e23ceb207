//! Reading incidents, batches and the quarantine back.

use chrono::NaiveDateTime;
use sqlx::{QueryBuilder, Row};
use veilig_domain::{Incident, Location, NewIncident, Reject};

pub use crate::import::LocatedRow;
use crate::timestamp::parse_ts;
use crate::{Result, Store, on_pool};

/// Which incidents to read. `phenomenon` and `category` may both be set (both must match).
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    pub phenomenon: Option<String>,
    /// A source category exactly as in the data ("Break and Enter").
    pub category: Option<String>,
    /// Occurrence window start at or after this.
    pub from: Option<NaiveDateTime>,
    /// Occurrence window start before this.
    pub until: Option<NaiveDateTime>,
    pub area_id: Option<i64>,
}

impl Store {
    pub async fn incidents(&self, zone_id: i64, q: &IncidentQuery) -> Result<Vec<Incident>> {
        on_pool!(self, pool => {
            let mut qb = QueryBuilder::new("SELECT id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to, reported_at, x, y, orig_x, orig_y, orig_crs, address, source_area, area_id, premises, outcome, synthetic FROM incidents WHERE zone_id = ");
            qb.push_bind(zone_id);
            if let Some(p) = &q.phenomenon {
                qb.push(" AND phenomenon = ").push_bind(p.clone());
            }
            if let Some(c) = &q.category {
                qb.push(" AND category = ").push_bind(c.clone());
            }
            if let Some(f) = q.from {
                qb.push(" AND occurred_from >= ").push_bind(f);
            }
            if let Some(u) = q.until {
                qb.push(" AND occurred_from < ").push_bind(u);
            }
            if let Some(a) = q.area_id {
                qb.push(" AND area_id = ").push_bind(a);
            }
            qb.push(" ORDER BY occurred_from, id");
            let rows = qb.build().fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let x: Option<f64> = r.try_get("x")?;
                let y: Option<f64> = r.try_get("y")?;
                let location = match (x, y) {
                    (Some(x), Some(y)) => Some(Location {
                        x,
                        y,
                        orig_x: r.try_get::<Option<f64>, _>("orig_x")?.unwrap_or(f64::NAN),
                        orig_y: r.try_get::<Option<f64>, _>("orig_y")?.unwrap_or(f64::NAN),
                        orig_crs: r.try_get::<Option<i64>, _>("orig_crs")?.unwrap_or(0) as i32,
                    }),
                    _ => None,
                };
                out.push(Incident {
                    id: r.try_get("id")?,
                    batch_id: r.try_get("batch_id")?,
                    source: r.try_get("source")?,
                    record: NewIncident {
                        source_key: r.try_get("source_key")?,
                        category: r.try_get("category")?,
                        phenomenon: r.try_get("phenomenon")?,
                        occurred_from: r.try_get("occurred_from")?,
                        occurred_to: r.try_get("occurred_to")?,
                        reported_at: r.try_get("reported_at")?,
                        location,
                        address: r.try_get("address")?,
                        source_area: r.try_get("source_area")?,
                        area_id: r.try_get("area_id")?,
                        premises: r.try_get("premises")?,
                        outcome: r.try_get("outcome")?,
                        synthetic: r.try_get("synthetic")?,
                    },
                });
            }
            Ok(out)
        })
    }

    /// The quarantined rows of a batch, in file order.
    pub async fn rejects(&self, batch_id: i64) -> Result<Vec<Reject>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT line, field, reason, raw FROM rejects WHERE batch_id = $1 ORDER BY line, id")
                .bind(batch_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(Reject {
                    line: r.try_get::<i64, _>("line")? as u64,
                    field: r.try_get("field")?,
                    reason: r.try_get("reason")?,
                    raw: r.try_get("raw")?,
                });
            }
            Ok(out)
        })
    }

    /// Number of rows of each kind the store holds for a zone (for tests and status).
    pub async fn count(&self, zone_id: i64, table: Table) -> Result<i64> {
        let sql = match table {
            Table::Incidents => "SELECT COUNT(*) FROM incidents WHERE zone_id = $1",
            Table::Areas => "SELECT COUNT(*) FROM areas WHERE zone_id = $1",
            Table::Population => "SELECT COUNT(*) FROM population WHERE zone_id = $1",
            Table::StatCounts => "SELECT COUNT(*) FROM stat_counts WHERE zone_id = $1",
            Table::Calls => "SELECT COUNT(*) FROM calls WHERE zone_id = $1",
            Table::Staff => "SELECT COUNT(*) FROM staff WHERE zone_id = $1",
            Table::Batches => "SELECT COUNT(*) FROM batches WHERE zone_id = $1",
            Table::Rejects => "SELECT COUNT(*) FROM rejects WHERE zone_id = $1",
        };
        on_pool!(self, pool => Ok(sqlx::query_scalar(sql).bind(zone_id).fetch_one(pool).await?))
    }
}

/// The tables [`Store::count`] can count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Incidents,
    Areas,
    Population,
    StatCounts,
    Calls,
    Staff,
    Batches,
    Rejects,
}

/// An incident reduced to what the analysis reads: fast to load by the hundred thousand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisRow {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub xy: Option<(f64, f64)>,
    pub area_id: Option<i64>,
    pub batch_id: i64,
}

impl Store {
    /// Incidents of one phenomenon (or one source category), optionally one area, whose window
    /// starts in `[from, until)`, oldest first.
    pub async fn analysis_rows(&self, zone_id: i64, q: &IncidentQuery) -> Result<Vec<AnalysisRow>> {
        use crate::sqlite_bulk::Param;
        let postgres = matches!(self.backend, crate::Backend::Postgres(_));
        // Times travel as ISO text; PostgreSQL compares them as TIMESTAMP.
        let time = |n: usize| {
            if postgres {
                format!("CAST(${n} AS TIMESTAMP)")
            } else {
                format!("${n}")
            }
        };
        let stamps = (
            q.from.map(crate::timestamp::ts),
            q.until.map(crate::timestamp::ts),
        );
        let mut sql = String::from(
            "SELECT CAST(occurred_from AS TEXT), CAST(occurred_to AS TEXT), x, y, area_id, batch_id FROM incidents WHERE zone_id = $1",
        );
        let mut params = vec![Param::Int(zone_id)];
        if let Some(p) = &q.phenomenon {
            params.push(Param::Text(p));
            sql.push_str(&format!(" AND phenomenon = ${}", params.len()));
        }
        if let Some(c) = &q.category {
            params.push(Param::Text(c));
            sql.push_str(&format!(" AND category = ${}", params.len()));
        }
        if let Some(f) = &stamps.0 {
            params.push(Param::Text(f));
            sql.push_str(&format!(" AND occurred_from >= {}", time(params.len())));
        }
        if let Some(u) = &stamps.1 {
            params.push(Param::Text(u));
            sql.push_str(&format!(" AND occurred_from < {}", time(params.len())));
        }
        if let Some(a) = q.area_id {
            params.push(Param::Int(a));
            sql.push_str(&format!(" AND area_id = ${}", params.len()));
        }
        sql.push_str(" ORDER BY occurred_from");
        match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                let mut handle = conn.lock_handle().await?;
                let sql = std::ffi::CString::new(sql)
                    .map_err(|e| crate::StoreError::Invalid(e.to_string()))?;
                // SAFETY: the connection stays locked by `handle` for the whole call.
                unsafe {
                    crate::sqlite_bulk::analysis_rows(
                        handle.as_raw_handle().as_ptr(),
                        &sql,
                        &params,
                    )
                }
            }
            crate::Backend::Postgres(pool) => {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for p in &params {
                    query = match p {
                        Param::Int(v) => query.bind(*v),
                        Param::Text(v) => query.bind(v.to_string()),
                    };
                }
                let rows = query.fetch_all(pool).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let x: Option<f64> = r.try_get(2)?;
                    let y: Option<f64> = r.try_get(3)?;
                    out.push(AnalysisRow {
                        from: parse_ts(r.try_get(0)?)?,
                        to: parse_ts(r.try_get(1)?)?,
                        xy: x.zip(y),
                        area_id: r.try_get(4)?,
                        batch_id: r.try_get(5)?,
                    });
                }
                Ok(out)
            }
        }
    }

    /// The zone's population records, oldest reference date first.
    pub async fn population(&self, zone_id: i64) -> Result<Vec<veilig_domain::PopulationRecord>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT level, code, ref_date, inhabitants, dwellings, households, source, synthetic FROM population WHERE zone_id = $1 ORDER BY ref_date, level, code")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let level: String = r.try_get("level")?;
                out.push(veilig_domain::PopulationRecord {
                    level: veilig_domain::PopulationLevel::parse(&level).ok_or_else(|| crate::StoreError::Invalid(format!("population level {level:?}")))?,
                    code: r.try_get("code")?,
                    ref_date: r.try_get("ref_date")?,
                    inhabitants: r.try_get("inhabitants")?,
                    dwellings: r.try_get("dwellings")?,
                    households: r.try_get("households")?,
                    source: r.try_get("source")?,
                    synthetic: r.try_get("synthetic")?,
                });
            }
            Ok(out)
        })
    }

    /// Whether any incident of the zone carries this source category.
    pub async fn has_category(&self, zone_id: i64, category: &str) -> Result<bool> {
        on_pool!(self, pool => {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM incidents WHERE zone_id = $1 AND category = $2 LIMIT 1) AS t")
                .bind(zone_id).bind(category).fetch_one(pool).await?;
            Ok(n > 0)
        })
    }
}
