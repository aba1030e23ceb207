//! Following the plan: indicators (their definitions as JSON, read by `veilig-monitor`), their
//! measurements (append-only; a changed value is a new revision beside the old one), problem
//! files (SARA documents), Compstat reviews and yearly evaluations with the decisions they
//! take and close. Every change lands with its audit line in one transaction.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use sqlx::Row;

use crate::from_row;
use crate::{AuditEntry, Result, Store, StoreError, audit_tx, now, on_pool};

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub id: i64,
    pub zone_id: i64,
    pub plan_id: Option<i64>,
    pub code: String,
    /// The definition (JSON).
    pub definition: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
}

/// A measurement to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMeasurement {
    pub indicator_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub count: Option<i64>,
    pub exposure_days: Option<f64>,
    pub provisional: bool,
    pub batches: Vec<i64>,
    /// `computed` or `entered`.
    pub origin: String,
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasurementRow {
    pub id: i64,
    pub indicator_id: i64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub revision: i32,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub count: Option<i64>,
    pub exposure_days: Option<f64>,
    pub provisional: bool,
    pub batches: Vec<i64>,
    pub origin: String,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemFileRow {
    pub id: i64,
    pub zone_id: i64,
    pub code: String,
    pub document: String,
    pub opened_at: NaiveDateTime,
    pub opened_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    pub id: i64,
    pub zone_id: i64,
    /// `compstat` or `annual`.
    pub kind: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub held_on: NaiveDate,
    pub document: String,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: Option<String>,
}

/// A decision a review takes: who does what by when.
#[derive(Debug, Clone)]
pub struct NewReviewDecision {
    pub what: String,
    pub who: String,
    pub due: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewDecisionRow {
    pub id: i64,
    pub review_id: i64,
    pub what: String,
    pub who: String,
    pub due: NaiveDate,
    /// The review that closed it (None: still open, on every next agenda).
    pub closed_in: Option<i64>,
    pub closed_note: Option<String>,
}

/// A review to record.
#[derive(Debug, Clone)]
pub struct NewReview {
    pub zone_id: i64,
    pub kind: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub held_on: NaiveDate,
    pub document: String,
    pub decisions: Vec<NewReviewDecision>,
    /// Open decisions of earlier reviews this one closes, with a note.
    pub closes: Vec<(i64, String)>,
}

fn batches_json(b: &[i64]) -> String {
    serde_json::to_string(b).expect("ids serialise")
}

from_row!(IndicatorRow {
    id,
    zone_id,
    plan_id,
    code,
    definition,
    created_at,
    created_by
});
from_row!(ProblemFileRow {
    id,
    zone_id,
    code,
    document,
    opened_at,
    opened_by,
    updated_at
});
from_row!(ReviewRow {
    id,
    zone_id,
    kind,
    period_from,
    period_to,
    held_on,
    document,
    recorded_at,
    recorded_by
});
from_row!(ReviewDecisionRow {
    id,
    review_id,
    what,
    who,
    due,
    closed_in,
    closed_note
});

impl Store {
    /// Defines an indicator; refuses a code the zone already uses.
    pub async fn create_indicator(
        &self,
        zone_id: i64,
        plan_id: Option<i64>,
        code: &str,
        definition: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        if self
            .indicators(zone_id)
            .await?
            .iter()
            .any(|i| i.code == code)
        {
            return Err(StoreError::Invalid(format!(
                "indicator {code:?} already exists in this zone"
            )));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO indicators (zone_id, plan_id, code, definition, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(zone_id)
                .bind(plan_id)
                .bind(code)
                .bind(definition)
                .bind(now())
                .bind(&audit.username)
                .fetch_one(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The zone's indicators, oldest first.
    pub async fn indicators(&self, zone_id: i64) -> Result<Vec<IndicatorRow>> {
        self.rows_by::<IndicatorRow>(
            "SELECT id, zone_id, plan_id, code, definition, created_at, created_by FROM indicators WHERE zone_id = $1 ORDER BY id",
            zone_id,
        )
        .await
    }

    /// Every measurement of the zone's indicators, by indicator, period and revision.
    pub async fn measurements(&self, zone_id: i64) -> Result<Vec<MeasurementRow>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT m.id, m.indicator_id, m.period_start, m.period_end, m.revision, m.value, m.low, m.high, m.count, m.exposure_days, m.provisional, m.batches, m.origin, m.recorded_at, m.recorded_by FROM measurements m JOIN indicators i ON i.id = m.indicator_id WHERE i.zone_id = $1 ORDER BY m.indicator_id, m.period_start, m.period_end, m.revision")
                .bind(zone_id)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let b: String = r.try_get("batches")?;
                out.push(MeasurementRow {
                    id: r.try_get("id")?,
                    indicator_id: r.try_get("indicator_id")?,
                    period_start: r.try_get("period_start")?,
                    period_end: r.try_get("period_end")?,
                    revision: r.try_get("revision")?,
                    value: r.try_get("value")?,
                    low: r.try_get("low")?,
                    high: r.try_get("high")?,
                    count: r.try_get("count")?,
                    exposure_days: r.try_get("exposure_days")?,
                    provisional: r.try_get("provisional")?,
                    batches: serde_json::from_str(&b).map_err(|e| StoreError::Invalid(format!("stored batches {b:?}: {e}")))?,
                    origin: r.try_get("origin")?,
                    recorded_at: r.try_get("recorded_at")?,
                    recorded_by: r.try_get("recorded_by")?,
                });
            }
            Ok(out)
        })
    }

    /// Appends measurements in one transaction, each as the next revision of its indicator's
    /// period (the first is revision 1); returns how many were written.
    pub async fn add_measurements(
        &self,
        rows: &[NewMeasurement],
        audit: &AuditEntry,
    ) -> Result<usize> {
        if rows.is_empty() {
            return Ok(0);
        }
        let t = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for m in rows {
                let last: Option<i32> = sqlx::query_scalar("SELECT MAX(revision) FROM measurements WHERE indicator_id = $1 AND period_start = $2 AND period_end = $3")
                    .bind(m.indicator_id)
                    .bind(m.period_start)
                    .bind(m.period_end)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO measurements (indicator_id, period_start, period_end, revision, value, low, high, count, exposure_days, provisional, batches, origin, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                    .bind(m.indicator_id)
                    .bind(m.period_start)
                    .bind(m.period_end)
                    .bind(last.unwrap_or(0) + 1)
                    .bind(m.value)
                    .bind(m.low)
                    .bind(m.high)
                    .bind(m.count)
                    .bind(m.exposure_days)
                    .bind(m.provisional)
                    .bind(batches_json(&m.batches))
                    .bind(&m.origin)
                    .bind(t)
                    .bind(&m.recorded_by)
                    .execute(&mut *tx)
                    .await?;
            }
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(rows.len())
        })
    }

    /// Creates or replaces a problem file's document.
    pub async fn save_problem_file(
        &self,
        zone_id: i64,
        code: &str,
        document: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        let t = now();
        let existing = self
            .problem_files(zone_id)
            .await?
            .into_iter()
            .find(|p| p.code == code);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id = match &existing {
                Some(p) => {
                    sqlx::query("UPDATE problem_files SET document = $1, updated_at = $2 WHERE id = $3")
                        .bind(document)
                        .bind(t)
                        .bind(p.id)
                        .execute(&mut *tx)
                        .await?;
                    p.id
                }
                None => sqlx::query_scalar("INSERT INTO problem_files (zone_id, code, document, opened_at, opened_by, updated_at) VALUES ($1, $2, $3, $4, $5, $4) RETURNING id")
                    .bind(zone_id)
                    .bind(code)
                    .bind(document)
                    .bind(t)
                    .bind(&audit.username)
                    .fetch_one(&mut *tx)
                    .await?,
            };
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn problem_files(&self, zone_id: i64) -> Result<Vec<ProblemFileRow>> {
        self.rows_by::<ProblemFileRow>(
            "SELECT id, zone_id, code, document, opened_at, opened_by, updated_at FROM problem_files WHERE zone_id = $1 ORDER BY id",
            zone_id,
        )
        .await
    }

    /// Records a review with the decisions it takes and the open ones it closes, at once.
    pub async fn add_review(&self, r: &NewReview, audit: &AuditEntry) -> Result<i64> {
        if !matches!(r.kind.as_str(), "compstat" | "annual") {
            return Err(StoreError::Invalid(format!(
                "review kind {:?}: compstat or annual",
                r.kind
            )));
        }
        let open: Vec<i64> = self
            .review_decisions(r.zone_id)
            .await?
            .into_iter()
            .filter(|d| d.closed_in.is_none())
            .map(|d| d.id)
            .collect();
        for (id, _) in &r.closes {
            if !open.contains(id) {
                return Err(StoreError::Invalid(format!(
                    "decision {id} is not an open decision of this zone"
                )));
            }
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO reviews (zone_id, kind, period_from, period_to, held_on, document, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(r.zone_id)
                .bind(&r.kind)
                .bind(r.period_from)
                .bind(r.period_to)
                .bind(r.held_on)
                .bind(&r.document)
                .bind(now())
                .bind(&audit.username)
                .fetch_one(&mut *tx)
                .await?;
            for d in &r.decisions {
                sqlx::query("INSERT INTO review_decisions (zone_id, review_id, what, who, due) VALUES ($1, $2, $3, $4, $5)")
                    .bind(r.zone_id)
                    .bind(id)
                    .bind(&d.what)
                    .bind(&d.who)
                    .bind(d.due)
                    .execute(&mut *tx)
                    .await?;
            }
            for (d, note) in &r.closes {
                sqlx::query("UPDATE review_decisions SET closed_in = $1, closed_note = $2 WHERE id = $3 AND closed_in IS NULL")
                    .bind(id)
                    .bind(note)
                    .bind(d)
                    .execute(&mut *tx)
                    .await?;
            }
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Writes the agenda of a review recorded before its agenda was drafted (its document
    /// says `"pending": true`); any other review keeps what its meeting saw.
    pub async fn fill_pending_agenda(&self, review_id: i64, document: &str) -> Result<bool> {
        let current: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT document FROM reviews WHERE id = $1")
                .bind(review_id).fetch_optional(pool).await?
        });
        let pending = current
            .and_then(|d| serde_json::from_str::<serde_json::Value>(&d).ok())
            .is_some_and(|d| d["pending"] == serde_json::Value::Bool(true));
        if !pending {
            return Ok(false);
        }
        on_pool!(self, pool => {
            sqlx::query("UPDATE reviews SET document = $1 WHERE id = $2")
                .bind(document).bind(review_id).execute(pool).await?;
        });
        Ok(true)
    }

    pub async fn reviews(&self, zone_id: i64) -> Result<Vec<ReviewRow>> {
        self.rows_by::<ReviewRow>(
            "SELECT id, zone_id, kind, period_from, period_to, held_on, document, recorded_at, recorded_by FROM reviews WHERE zone_id = $1 ORDER BY held_on, id",
            zone_id,
        )
        .await
    }

    pub async fn review_decisions(&self, zone_id: i64) -> Result<Vec<ReviewDecisionRow>> {
        self.rows_by::<ReviewDecisionRow>(
            "SELECT id, review_id, what, who, due, closed_in, closed_note FROM review_decisions WHERE zone_id = $1 ORDER BY id",
            zone_id,
        )
        .await
    }
}
