//! The write side of an import: one transaction per batch, so a file is stored whole or not
//! at all (a crash or SIGKILL mid-file leaves no trace), and uniqueness keys make a second
//! import of the same file store nothing.

use sqlx::{Postgres, QueryBuilder, Row, Sqlite, Transaction};
use veilig_domain::{
    BatchKind, CallForService, NewArea, NewIncident, PhenomenonDef, PopulationRecord, Reject,
    StaffMember, StatCount,
};

use crate::{Backend, Result, Store, StoreError, now};

pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Like `on_pool!`, for the open transaction: `$c` is `&mut` the connection.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match &mut $tx {
            Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Rows per multi-row INSERT: keeps binds under SQLite's 32,766 and PostgreSQL's 65,535.
const CHUNK: usize = 1000;

/// An open import batch. Dropping it without [`ImportTx::finish`] rolls everything back.
pub struct ImportTx {
    tx: Tx,
    zone_id: i64,
    batch_id: i64,
    source: String,
}

/// A stored point and the area it is assigned to, for (re)assignment after area imports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocatedRow {
    pub id: i64,
    pub x: f64,
    pub y: f64,
    pub area_id: Option<i64>,
}

impl Store {
    /// Opens a batch: the batch row is written inside the transaction, so it exists only if
    /// the whole import commits.
    pub async fn begin_import(
        &self,
        zone_id: i64,
        kind: BatchKind,
        source: &str,
        file_name: &str,
        sha256: &str,
        mapping: Option<&str>,
        synthetic: bool,
    ) -> Result<ImportTx> {
        let mut tx = match &self.backend {
            Backend::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Backend::Postgres(p) => Tx::Postgres(p.begin().await?),
        };
        let batch_id: i64 = on_tx!(tx, c => {
            sqlx::query_scalar("INSERT INTO batches (zone_id, kind, source, file_name, sha256, mapping, synthetic, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(zone_id).bind(kind.as_str()).bind(source).bind(file_name).bind(sha256)
                .bind(mapping).bind(synthetic).bind(now())
                .fetch_one(c).await?
        });
        Ok(ImportTx {
            tx,
            zone_id,
            batch_id,
            source: source.to_string(),
        })
    }

    /// The earliest committed batch of this zone and source with this content hash.
    pub async fn batch_with_hash(
        &self,
        zone_id: i64,
        source: &str,
        sha256: &str,
    ) -> Result<Option<i64>> {
        crate::on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT MIN(id) FROM batches WHERE zone_id = $1 AND source = $2 AND sha256 = $3")
                .bind(zone_id).bind(source).bind(sha256)
                .fetch_one(pool).await?)
        })
    }
}

impl ImportTx {
    pub fn batch_id(&self) -> i64 {
        self.batch_id
    }

    pub fn zone_id(&self) -> i64 {
        self.zone_id
    }

    /// Adds a phenomenon if the zone lacks it (used for categories no mapping knows).
    pub async fn ensure_phenomenon(&mut self, p: &PhenomenonDef) -> Result<()> {
        let zone_id = self.zone_id;
        on_tx!(self.tx, c => {
            sqlx::query("INSERT INTO phenomena (zone_id, code, name_nl, name_fr, name_en, nvp, mapped) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING")
                .bind(zone_id).bind(&p.code).bind(&p.nl).bind(&p.fr).bind(&p.en)
                .bind(p.nvp.map(i64::from)).bind(p.mapped)
                .execute(c).await?;
        });
        Ok(())
    }

    /// Inserts incidents; returns how many were new (the rest were already stored).
    pub async fn insert_incidents(&mut self, rows: &[NewIncident]) -> Result<u64> {
        let mut stored = 0;
        for chunk in rows.chunks(CHUNK) {
            let (zone_id, batch_id, source) = (self.zone_id, self.batch_id, self.source.as_str());
            stored += on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO incidents (zone_id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to, reported_at, x, y, orig_x, orig_y, orig_crs, address, source_area, area_id, premises, outcome, synthetic) ");
                qb.push_values(chunk, |mut b, r| {
                    let l = r.location;
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(source.to_string())
                        .push_bind(r.source_key.clone()).push_bind(r.category.clone()).push_bind(r.phenomenon.clone())
                        .push_bind(r.occurred_from).push_bind(r.occurred_to).push_bind(r.reported_at)
                        .push_bind(l.map(|l| l.x)).push_bind(l.map(|l| l.y))
                        .push_bind(l.map(|l| l.orig_x)).push_bind(l.map(|l| l.orig_y)).push_bind(l.map(|l| l.orig_crs as i64))
                        .push_bind(r.address.clone()).push_bind(r.source_area.clone()).push_bind(r.area_id)
                        .push_bind(r.premises.clone()).push_bind(r.outcome.clone()).push_bind(r.synthetic);
                });
                qb.push(" ON CONFLICT (zone_id, source, source_key) DO NOTHING");
                qb.build().execute(c).await?.rows_affected()
            });
        }
        Ok(stored)
    }

    pub async fn insert_calls(&mut self, rows: &[CallForService]) -> Result<u64> {
        let mut stored = 0;
        for chunk in rows.chunks(CHUNK) {
            let (zone_id, batch_id, source) = (self.zone_id, self.batch_id, self.source.as_str());
            stored += on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO calls (zone_id, batch_id, source, source_key, received_at, priority, category, committed_minutes, x, y, orig_x, orig_y, orig_crs, area_id, synthetic) ");
                qb.push_values(chunk, |mut b, r| {
                    let l = r.location;
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(source.to_string())
                        .push_bind(r.source_key.clone()).push_bind(r.received_at).push_bind(r.priority.clone())
                        .push_bind(r.category.clone()).push_bind(r.committed_minutes)
                        .push_bind(l.map(|l| l.x)).push_bind(l.map(|l| l.y))
                        .push_bind(l.map(|l| l.orig_x)).push_bind(l.map(|l| l.orig_y)).push_bind(l.map(|l| l.orig_crs as i64))
                        .push_bind(r.area_id).push_bind(r.synthetic);
                });
                qb.push(" ON CONFLICT (zone_id, source, source_key) DO NOTHING");
                qb.build().execute(c).await?.rows_affected()
            });
        }
        Ok(stored)
    }

    pub async fn insert_areas(&mut self, rows: &[NewArea]) -> Result<u64> {
        let mut stored = 0;
        for chunk in rows.chunks(CHUNK / 4) {
            let (zone_id, batch_id) = (self.zone_id, self.batch_id);
            let mut prepared = Vec::with_capacity(chunk.len());
            for a in chunk {
                let geometry = serde_json::to_string(&a.geometry)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                prepared.push((a, geometry, a.geometry.bbox()));
            }
            stored += on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO areas (zone_id, batch_id, code, name, kind, municipality_nis, geometry, min_x, min_y, max_x, max_y, synthetic) ");
                qb.push_values(&prepared, |mut b, (a, g, bb)| {
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(a.code.clone()).push_bind(a.name.clone())
                        .push_bind(a.kind.clone()).push_bind(a.municipality_nis.clone()).push_bind(g.clone())
                        .push_bind(bb.min_x).push_bind(bb.min_y).push_bind(bb.max_x).push_bind(bb.max_y)
                        .push_bind(a.synthetic);
                });
                qb.push(" ON CONFLICT (zone_id, code) DO NOTHING");
                qb.build().execute(c).await?.rows_affected()
            });
        }
        Ok(stored)
    }

    pub async fn insert_population(&mut self, rows: &[PopulationRecord]) -> Result<u64> {
        let mut stored = 0;
        for chunk in rows.chunks(CHUNK) {
            let (zone_id, batch_id) = (self.zone_id, self.batch_id);
            stored += on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO population (zone_id, batch_id, level, code, ref_date, inhabitants, dwellings, households, source, synthetic) ");
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(r.level.as_str()).push_bind(r.code.clone())
                        .push_bind(r.ref_date).push_bind(r.inhabitants).push_bind(r.dwellings).push_bind(r.households)
                        .push_bind(r.source.clone()).push_bind(r.synthetic);
                });
                qb.push(" ON CONFLICT (zone_id, level, code, ref_date) DO NOTHING");
                qb.build().execute(c).await?.rows_affected()
            });
        }
        Ok(stored)
    }

    pub async fn insert_stat_counts(&mut self, rows: &[StatCount]) -> Result<u64> {
        let mut stored = 0;
        for chunk in rows.chunks(CHUNK) {
            let (zone_id, batch_id, source) = (self.zone_id, self.batch_id, self.source.as_str());
            stored += on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO stat_counts (zone_id, batch_id, source, level, area_code, period_start, period_end, category, category_kind, count, closing_date, provisional) ");
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(source.to_string()).push_bind(r.level.clone())
                        .push_bind(r.area_code.clone()).push_bind(r.period_start).push_bind(r.period_end)
                        .push_bind(r.category.clone()).push_bind(r.category_kind.as_str()).push_bind(r.count)
                        .push_bind(r.closing_date).push_bind(r.provisional);
                });
                qb.push(" ON CONFLICT (zone_id, source, level, area_code, period_start, period_end, category, closing_date) DO NOTHING");
                qb.build().execute(c).await?.rows_affected()
            });
        }
        Ok(stored)
    }

    pub async fn insert_staff(&mut self, rows: &[StaffMember]) -> Result<u64> {
        let mut stored = 0;
        for chunk in rows.chunks(CHUNK) {
            let (zone_id, batch_id) = (self.zone_id, self.batch_id);
            stored += on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO staff (zone_id, batch_id, code, functionality, rank, fte, contract_hours_week, skills, area_code, synthetic) ");
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(r.code.clone())
                        .push_bind(r.functionality.as_str()).push_bind(r.rank.clone()).push_bind(r.fte)
                        .push_bind(r.contract_hours_week).push_bind(r.skills.join(","))
                        .push_bind(r.area_code.clone()).push_bind(r.synthetic);
                });
                qb.push(" ON CONFLICT (zone_id, code) DO NOTHING");
                qb.build().execute(c).await?.rows_affected()
            });
        }
        Ok(stored)
    }

    pub async fn insert_rejects(&mut self, rows: &[Reject]) -> Result<()> {
        for chunk in rows.chunks(CHUNK) {
            let (zone_id, batch_id) = (self.zone_id, self.batch_id);
            on_tx!(self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO rejects (zone_id, batch_id, line, field, reason, raw) ");
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(zone_id).push_bind(batch_id).push_bind(r.line as i64)
                        .push_bind(r.field.clone()).push_bind(r.reason.clone()).push_bind(r.raw.clone());
                });
                qb.build().execute(c).await?;
            });
        }
        Ok(())
    }

    /// The zone's areas as this transaction sees them (including ones it just added).
    pub async fn areas(&mut self) -> Result<Vec<veilig_domain::Area>> {
        let zone_id = self.zone_id;
        on_tx!(self.tx, c => {
            let rows = sqlx::query(crate::zones::AREAS_SQL).bind(zone_id).fetch_all(c).await?;
            rows.iter().map(|r| crate::zones::area_from_row!(r)).collect()
        })
    }

    /// Assigns unlocated incidents that name an area code of the zone (`source_area`).
    pub async fn assign_by_source_area(&mut self) -> Result<u64> {
        let zone_id = self.zone_id;
        on_tx!(self.tx, c => {
            Ok(sqlx::query("UPDATE incidents SET area_id = (SELECT a.id FROM areas a WHERE a.zone_id = incidents.zone_id AND a.code = incidents.source_area) WHERE zone_id = $1 AND x IS NULL AND area_id IS NULL AND source_area IS NOT NULL AND EXISTS (SELECT 1 FROM areas a WHERE a.zone_id = incidents.zone_id AND a.code = incidents.source_area)")
                .bind(zone_id).execute(c).await?.rows_affected())
        })
    }

    /// Every located incident (or call, with `calls = true`) of the zone, for area assignment.
    pub async fn located(&mut self, calls: bool) -> Result<Vec<LocatedRow>> {
        let zone_id = self.zone_id;
        let sql = if calls {
            "SELECT id, x, y, area_id FROM calls WHERE zone_id = $1 AND x IS NOT NULL AND y IS NOT NULL"
        } else {
            "SELECT id, x, y, area_id FROM incidents WHERE zone_id = $1 AND x IS NOT NULL AND y IS NOT NULL"
        };
        on_tx!(self.tx, c => {
            let rows = sqlx::query(sql).bind(zone_id).fetch_all(c).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(LocatedRow {
                    id: r.try_get("id")?,
                    x: r.try_get("x")?,
                    y: r.try_get("y")?,
                    area_id: r.try_get("area_id")?,
                });
            }
            Ok(out)
        })
    }

    /// Sets `area_id` for the given rows, grouped by target area.
    pub async fn set_areas(&mut self, calls: bool, updates: &[(i64, Option<i64>)]) -> Result<()> {
        let mut by_area: std::collections::BTreeMap<Option<i64>, Vec<i64>> = Default::default();
        for &(id, area) in updates {
            by_area.entry(area).or_default().push(id);
        }
        let table = if calls { "calls" } else { "incidents" };
        let zone_id = self.zone_id;
        for (area, ids) in by_area {
            for chunk in ids.chunks(5000) {
                on_tx!(self.tx, c => {
                    let mut qb = QueryBuilder::new(format!("UPDATE {table} SET area_id = "));
                    qb.push_bind(area).push(" WHERE zone_id = ").push_bind(zone_id).push(" AND id IN (");
                    let mut sep = qb.separated(", ");
                    for id in chunk {
                        sep.push_bind(*id);
                    }
                    qb.push(")");
                    qb.build().execute(c).await?;
                });
            }
        }
        Ok(())
    }

    /// Writes the batch's counts and commits everything.
    pub async fn finish(
        mut self,
        rows_read: u64,
        stored: u64,
        duplicates: u64,
        rejected: u64,
    ) -> Result<()> {
        if rows_read != stored + duplicates + rejected {
            return Err(StoreError::Invalid(format!(
                "batch counts do not balance: read {rows_read} != stored {stored} + duplicates {duplicates} + rejected {rejected}"
            )));
        }
        let batch_id = self.batch_id;
        on_tx!(self.tx, c => {
            sqlx::query("UPDATE batches SET rows_read = $1, stored = $2, duplicates = $3, rejected = $4, finished_at = $5 WHERE id = $6")
                .bind(rows_read as i64).bind(stored as i64).bind(duplicates as i64).bind(rejected as i64)
                .bind(now()).bind(batch_id)
                .execute(c).await?;
        });
        match self.tx {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
