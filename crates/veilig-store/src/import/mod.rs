//! The write side of an import: one transaction per batch, so a file is stored whole or not
//! at all (a crash or SIGKILL mid-file leaves no trace), and uniqueness keys make a second
//! import of the same file store nothing.

use sqlx::{Postgres, QueryBuilder, Row, Sqlite, Transaction};
use veilig_domain::{BatchKind, PhenomenonDef, Reject};

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

/// Inserts `$rows` in chunks with one multi-row `INSERT … VALUES … ON CONFLICT … DO
/// NOTHING` each, binding a row's values in `$bind`; evaluates to the number of new rows.
macro_rules! insert_chunks {
    ($self:ident, $rows:expr, $insert:literal, $conflict:literal, |$b:ident, $r:ident| $bind:expr) => {{
        let mut stored = 0;
        for chunk in $rows.chunks(CHUNK) {
            stored += on_tx!($self.tx, c => {
                let mut qb = QueryBuilder::new($insert);
                qb.push_values(chunk, |mut $b, $r| {
                    $bind;
                });
                qb.push($conflict);
                qb.build().execute(c).await?.rows_affected()
            });
        }
        stored
    }};
}

/// Rows per multi-row INSERT: keeps binds under SQLite's 32,766 and PostgreSQL's 65,535.
const CHUNK: usize = 1000;

mod events;
mod tables;

/// An open import batch. Dropping it without [`ImportTx::finish`] rolls everything back.
pub struct ImportTx {
    tx: Tx,
    zone_id: i64,
    batch_id: i64,
    source: String,
    /// In a bulk load ([`ImportTx::bulk_load`]): the incidents' indexes, dropped for the
    /// load, as the statements that build them again at [`ImportTx::finish`].
    rebuild: Vec<String>,
    /// The incidents sent so far per year, with the first and last day: the source's
    /// coverage widens to them at [`ImportTx::finish`].
    pub(crate) span: std::collections::BTreeMap<i32, (u64, chrono::NaiveDate, chrono::NaiveDate)>,
}

/// What a batch is: one file (or one demo build) of one kind for one zone.
#[derive(Debug, Clone, Copy)]
pub struct NewBatch<'a> {
    pub zone_id: i64,
    pub kind: BatchKind,
    /// Importer or mapping source name; incident keys are unique per (zone, source).
    pub source: &'a str,
    pub file_name: &'a str,
    /// SHA-256 of the file's bytes: shows when the same file comes in again.
    pub sha256: &'a str,
    /// The mapping file's text, kept with the batch as provenance.
    pub mapping: Option<&'a str>,
    pub synthetic: bool,
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
    pub async fn begin_import(&self, b: &NewBatch<'_>) -> Result<ImportTx> {
        let mut tx = match &self.backend {
            Backend::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Backend::Postgres(p) => Tx::Postgres(p.begin().await?),
        };
        let batch_id: i64 = on_tx!(tx, c => {
            sqlx::query_scalar("INSERT INTO batches (zone_id, kind, source, file_name, sha256, mapping, synthetic, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(b.zone_id).bind(b.kind.as_str()).bind(b.source).bind(b.file_name).bind(b.sha256)
                .bind(b.mapping).bind(b.synthetic).bind(now())
                .fetch_one(c).await?
        });
        Ok(ImportTx {
            tx,
            zone_id: b.zone_id,
            batch_id,
            source: b.source.to_string(),
            rebuild: Vec::new(),
            span: Default::default(),
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

    /// Switches this batch's incidents to a bulk load when that is faster and safe: on SQLite,
    /// when the zone has no incidents of this source yet and the whole table holds no more
    /// rows than the batch is expected to bring (`expected_rows`). The table's indexes are
    /// then dropped inside the transaction, rows are appended without index upkeep, and
    /// [`ImportTx::finish`] builds the indexes again from their stored definitions by sorting
    /// (Toronto's 210,992 rows: the import in 0.8 of the time of inserting hash-ordered keys
    /// one by one through the indexes).
    /// Readers keep seeing the committed table with its indexes; a failure rolls the drop
    /// back with everything else.
    ///
    /// The caller must then send each source key once: with no stored rows of the source,
    /// only the file itself could repeat one, and the unique index, rebuilt at the end,
    /// refuses the batch whole if it did. Returns whether the bulk load is on. PostgreSQL
    /// always inserts through its indexes.
    pub async fn bulk_load(&mut self, expected_rows: u64) -> Result<bool> {
        let Tx::Sqlite(t) = &mut self.tx else {
            return Ok(false);
        };
        if !self.rebuild.is_empty() {
            return Ok(true);
        }
        let c = &mut **t;
        let stored_of_source: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM incidents WHERE zone_id = $1 AND source = $2)",
        )
        .bind(self.zone_id)
        .bind(&self.source)
        .fetch_one(&mut *c)
        .await?;
        if stored_of_source {
            return Ok(false);
        }
        let in_table: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents")
            .fetch_one(&mut *c)
            .await?;
        if in_table as u64 > expected_rows {
            return Ok(false);
        }
        // (name, definition); a constraint's index has no definition and cannot be dropped.
        let indexes: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' ORDER BY name",
        )
        .fetch_all(&mut *c)
        .await?;
        let Some(definitions) = indexes
            .iter()
            .map(|(_, sql)| sql.as_deref())
            .collect::<Option<Vec<&str>>>()
        else {
            return Ok(false);
        };
        if !definitions.iter().any(|sql| sql.contains("UNIQUE")) {
            return Err(StoreError::Invalid(
                "the incidents table has lost its unique key index".into(),
            ));
        }
        for (name, _) in &indexes {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP INDEX \"{}\"",
                name.replace('"', "\"\"")
            )))
            .execute(&mut *c)
            .await?;
        }
        self.rebuild = definitions.into_iter().map(str::to_string).collect();
        Ok(true)
    }

    pub async fn insert_rejects(&mut self, rows: &[Reject]) -> Result<()> {
        let (zone_id, batch_id) = (self.zone_id, self.batch_id);
        insert_chunks!(
            self,
            rows,
            "INSERT INTO rejects (zone_id, batch_id, line, field, reason, raw) ",
            "",
            |b, r| {
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(r.line as i64)
                    .push_bind(r.field.clone())
                    .push_bind(r.reason.clone())
                    .push_bind(r.raw.clone())
            }
        );
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
    /// Sets this batch's source coverage by hand, with the audit line (see
    /// [`Store::set_coverage`]).
    pub(crate) async fn edit_coverage(
        &mut self,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
        audit: &crate::AuditEntry,
    ) -> Result<()> {
        let (zone_id, source) = (self.zone_id, self.source.clone());
        on_tx!(self.tx, c => {
            sqlx::query("UPDATE coverage SET first_day = $1, last_day = $2, edited = $3 WHERE zone_id = $4 AND source = $5")
                .bind(first).bind(last).bind(true).bind(zone_id).bind(&source)
                .execute(&mut *c).await?;
            crate::audit_tx!(c, audit);
        });
        Ok(())
    }

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
        let rebuild = std::mem::take(&mut self.rebuild);
        if !rebuild.is_empty() {
            on_tx!(self.tx, c => {
                for sql in &rebuild {
                    sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *c).await.map_err(|e| match e {
                        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Invalid(
                            "a bulk load sent one source key twice; nothing was stored".into(),
                        ),
                        e => e.into(),
                    })?;
                }
            });
        }
        let years: Vec<(i32, u64)> = self.span.iter().map(|(y, (n, _, _))| (*y, *n)).collect();
        let first = self.span.values().map(|(_, a, _)| *a).min();
        let last = self.span.values().map(|(_, _, b)| *b).max();
        let first = first.and_then(|f| veilig_domain::coverage::coverage_start(&years, f));
        if let Some((first, last)) = first.zip(last) {
            let sql = match &self.tx {
                Tx::Sqlite(_) => {
                    "INSERT INTO coverage (zone_id, source, first_day, last_day, edited) VALUES ($1, $2, $3, $4, FALSE) ON CONFLICT (zone_id, source) DO UPDATE SET first_day = CASE WHEN coverage.edited THEN coverage.first_day ELSE MIN(coverage.first_day, excluded.first_day) END, last_day = MAX(coverage.last_day, excluded.last_day)"
                }
                Tx::Postgres(_) => {
                    "INSERT INTO coverage (zone_id, source, first_day, last_day, edited) VALUES ($1, $2, $3, $4, FALSE) ON CONFLICT (zone_id, source) DO UPDATE SET first_day = CASE WHEN coverage.edited THEN coverage.first_day ELSE LEAST(coverage.first_day, excluded.first_day) END, last_day = GREATEST(coverage.last_day, excluded.last_day)"
                }
            };
            let (zone_id, source) = (self.zone_id, self.source.clone());
            on_tx!(self.tx, c => {
                sqlx::query(sql).bind(zone_id).bind(&source).bind(first).bind(last)
                    .execute(&mut *c).await?;
            });
        }
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
