//! Reading incidents, batches and the quarantine back.

use chrono::NaiveDateTime;
use sqlx::{QueryBuilder, Row};
use veilig_domain::{Incident, Location, NewIncident, Reject};

pub use crate::import::LocatedRow;
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
