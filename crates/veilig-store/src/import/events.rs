//! Incidents and calls into an open batch: by the hundred thousand, so through SQLite's C API
//! (`sqlite_bulk`) or PostgreSQL's `jsonb` arrays rather than bound parameters.

use veilig_domain::{CallForService, NewIncident};

use super::{ImportTx, Tx};
use crate::timestamp::ts;
use crate::{Result, StoreError};

/// Rows per PostgreSQL JSON bulk insert. Incidents and calls come by the hundred thousand:
/// one `jsonb` array per chunk instead of ~20 parameters per row. (SQLite takes them through
/// its C API instead: `sqlite_bulk`.)
const JSON_CHUNK: usize = 5000;

const INCIDENTS_POSTGRES: &str = "INSERT INTO incidents (zone_id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to, reported_at, x, y, orig_x, orig_y, orig_crs, address, source_area, area_id, premises, outcome, synthetic) \
    SELECT $1, $2, $3, e->>0, e->>1, e->>2, (e->>3)::timestamp, (e->>4)::timestamp, (e->>5)::timestamp, (e->>6)::float8, (e->>7)::float8, (e->>8)::float8, (e->>9)::float8, (e->>10)::bigint, e->>11, e->>12, (e->>13)::bigint, e->>14, e->>15, (e->>16)::boolean \
    FROM jsonb_array_elements($4::jsonb) AS e ON CONFLICT (zone_id, source, source_key) DO NOTHING";

const CALLS_POSTGRES: &str = "INSERT INTO calls (zone_id, batch_id, source, source_key, received_at, priority, category, committed_minutes, x, y, orig_x, orig_y, orig_crs, area_id, synthetic, response_minutes) \
    SELECT $1, $2, $3, e->>0, (e->>1)::timestamp, e->>2, e->>3, (e->>4)::float8, (e->>5)::float8, (e->>6)::float8, (e->>7)::float8, (e->>8)::float8, (e->>9)::bigint, (e->>10)::bigint, (e->>11)::boolean, (e->>12)::float8 \
    FROM jsonb_array_elements($4::jsonb) AS e ON CONFLICT (zone_id, source, source_key) DO NOTHING";

/// One incident as a JSON array, in the column order of `INCIDENTS_*` from `source_key` on.
#[derive(serde::Serialize)]
struct IncidentRow<'a>(
    &'a str,
    &'a str,
    &'a str,
    String,
    String,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<i32>,
    Option<&'a str>,
    Option<&'a str>,
    Option<i64>,
    Option<&'a str>,
    Option<&'a str>,
    bool,
);

/// One call as a JSON array, in the column order of `CALLS_*` from `source_key` on.
#[derive(serde::Serialize)]
struct CallRow<'a>(
    &'a str,
    String,
    &'a str,
    Option<&'a str>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<i32>,
    Option<i64>,
    bool,
    Option<f64>,
);

fn json_rows<T: serde::Serialize>(rows: impl Iterator<Item = T>) -> Result<String> {
    serde_json::to_string(&rows.collect::<Vec<T>>()).map_err(|e| StoreError::Invalid(e.to_string()))
}

impl ImportTx {
    /// Inserts incidents; returns how many were new (the rest were already stored).
    pub async fn insert_incidents(&mut self, rows: &[NewIncident]) -> Result<u64> {
        for r in rows {
            let d = r.occurred_from.date();
            let e = self
                .span
                .entry(chrono::Datelike::year(&d))
                .or_insert((0, d, d));
            *e = (e.0 + 1, e.1.min(d), e.2.max(d));
        }
        let b = crate::sqlite_bulk::Batch {
            zone_id: self.zone_id,
            batch_id: self.batch_id,
            source: &self.source,
        };
        let bulk = !self.rebuild.is_empty();
        if let Tx::Sqlite(t) = &mut self.tx {
            let mut handle = t.lock_handle().await?;
            // SAFETY: the connection stays locked by `handle` for the whole call.
            return unsafe {
                crate::sqlite_bulk::incidents(handle.as_raw_handle().as_ptr(), &b, rows, bulk)
            };
        }
        let mut stored = 0;
        for chunk in rows.chunks(JSON_CHUNK) {
            let json = json_rows(chunk.iter().map(|r| {
                let l = r.location;
                IncidentRow(
                    &r.source_key,
                    &r.category,
                    &r.phenomenon,
                    ts(r.occurred_from),
                    ts(r.occurred_to),
                    r.reported_at.map(ts),
                    l.map(|l| l.x),
                    l.map(|l| l.y),
                    l.map(|l| l.orig_x),
                    l.map(|l| l.orig_y),
                    l.map(|l| l.orig_crs),
                    r.address.as_deref(),
                    r.source_area.as_deref(),
                    r.area_id,
                    r.premises.as_deref(),
                    r.outcome.as_deref(),
                    r.synthetic,
                )
            }))?;
            stored += self.insert_json(INCIDENTS_POSTGRES, json).await?;
        }
        Ok(stored)
    }

    pub async fn insert_calls(&mut self, rows: &[CallForService]) -> Result<u64> {
        let b = crate::sqlite_bulk::Batch {
            zone_id: self.zone_id,
            batch_id: self.batch_id,
            source: &self.source,
        };
        if let Tx::Sqlite(t) = &mut self.tx {
            let mut handle = t.lock_handle().await?;
            // SAFETY: the connection stays locked by `handle` for the whole call.
            return unsafe { crate::sqlite_bulk::calls(handle.as_raw_handle().as_ptr(), &b, rows) };
        }
        let mut stored = 0;
        for chunk in rows.chunks(JSON_CHUNK) {
            let json = json_rows(chunk.iter().map(|r| {
                let l = r.location;
                CallRow(
                    &r.source_key,
                    ts(r.received_at),
                    &r.priority,
                    r.category.as_deref(),
                    r.committed_minutes,
                    l.map(|l| l.x),
                    l.map(|l| l.y),
                    l.map(|l| l.orig_x),
                    l.map(|l| l.orig_y),
                    l.map(|l| l.orig_crs),
                    r.area_id,
                    r.synthetic,
                    r.response_minutes,
                )
            }))?;
            stored += self.insert_json(CALLS_POSTGRES, json).await?;
        }
        Ok(stored)
    }

    /// A PostgreSQL bulk insert whose rows arrive as one JSON array (`$4`), after the
    /// batch's zone, batch id and source (`$1`-`$3`).
    async fn insert_json(&mut self, sql: &'static str, json: String) -> Result<u64> {
        let (zone_id, batch_id, source) = (self.zone_id, self.batch_id, self.source.clone());
        match &mut self.tx {
            Tx::Postgres(t) => Ok(sqlx::query(sql)
                .bind(zone_id)
                .bind(batch_id)
                .bind(source)
                .bind(json)
                .execute(&mut **t)
                .await?
                .rows_affected()),
            Tx::Sqlite(_) => Err(StoreError::Invalid(
                "JSON bulk insert is for PostgreSQL".into(),
            )),
        }
    }
}
