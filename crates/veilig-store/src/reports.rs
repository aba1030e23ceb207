//! Issued reports (kept as issued, with what they were made from) and partners' feedback on
//! the plan's actions with the zone's answers. Every write carries its audit line in the same
//! transaction.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::from_row;
use crate::{AuditEntry, Result, Store, StoreError, audit_tx, now, on_pool};

/// A report to keep as issued.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub zone_id: i64,
    pub kind: String,
    pub year: i32,
    pub municipality: Option<String>,
    pub organisation: Option<String>,
    /// "council", "public" or "partner".
    pub edition: String,
    pub lang: String,
    pub data_version: i64,
    /// The import batches the figures were read from ("source (file)").
    pub batches: Vec<String>,
    pub parameters: serde_json::Value,
    pub content_sha256: String,
    pub pdf: &'a [u8],
    pub issued_by: String,
}

/// An issued report, without its PDF.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedReport {
    pub id: i64,
    pub zone_id: i64,
    pub kind: String,
    pub year: i32,
    pub municipality: Option<String>,
    pub organisation: Option<String>,
    pub edition: String,
    pub lang: String,
    pub data_version: i64,
    pub batches: Vec<String>,
    pub parameters: serde_json::Value,
    pub content_sha256: String,
    pub pdf_sha256: String,
    pub issued_at: NaiveDateTime,
    pub issued_by: String,
}

/// A partner's remark on an action, and the zone's answer once given.
#[derive(Debug, Clone, Serialize)]
pub struct Feedback {
    pub id: i64,
    pub zone_id: i64,
    pub plan_code: String,
    pub action_code: String,
    pub organisation: String,
    pub author: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
}

const REPORT_COLUMNS: &str = "id, zone_id, kind, year, municipality, organisation, edition, lang, data_version, batches, parameters, content_sha256, pdf_sha256, issued_at, issued_by";

fn report_of<R: Row>(r: &R) -> Result<IssuedReport>
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    for<'q> i64: sqlx::Decode<'q, R::Database> + sqlx::Type<R::Database>,
    for<'q> i32: sqlx::Decode<'q, R::Database> + sqlx::Type<R::Database>,
    for<'q> String: sqlx::Decode<'q, R::Database> + sqlx::Type<R::Database>,
    for<'q> NaiveDateTime: sqlx::Decode<'q, R::Database> + sqlx::Type<R::Database>,
{
    let batches: String = r.try_get("batches")?;
    let parameters: String = r.try_get("parameters")?;
    Ok(IssuedReport {
        id: r.try_get("id")?,
        zone_id: r.try_get("zone_id")?,
        kind: r.try_get("kind")?,
        year: r.try_get("year")?,
        municipality: r.try_get("municipality")?,
        organisation: r.try_get("organisation")?,
        edition: r.try_get("edition")?,
        lang: r.try_get("lang")?,
        data_version: r.try_get("data_version")?,
        batches: serde_json::from_str(&batches)
            .map_err(|e| StoreError::Invalid(format!("report batches: {e}")))?,
        parameters: serde_json::from_str(&parameters)
            .map_err(|e| StoreError::Invalid(format!("report parameters: {e}")))?,
        content_sha256: r.try_get("content_sha256")?,
        pdf_sha256: r.try_get("pdf_sha256")?,
        issued_at: r.try_get("issued_at")?,
        issued_by: r.try_get("issued_by")?,
    })
}

from_row!(Feedback {
    id,
    zone_id,
    plan_code,
    action_code,
    organisation,
    author,
    body,
    created_at,
    answer,
    answered_by,
    answered_at
});

impl Store {
    /// Keeps an issued report with its audit line; returns its id.
    pub async fn issue_report(&self, r: &NewReport<'_>, audit: &AuditEntry) -> Result<i64> {
        if !matches!(
            r.edition.as_str(),
            "council" | "public" | "partner" | "staff"
        ) {
            return Err(StoreError::Invalid(format!(
                "edition {:?}: council, public, partner or staff",
                r.edition
            )));
        }
        let pdf_sha256: String = Sha256::digest(r.pdf)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let batches = serde_json::to_string(&r.batches).expect("strings serialise");
        let parameters = r.parameters.to_string();
        let pdf = STANDARD.encode(r.pdf);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO reports (zone_id, kind, year, municipality, organisation, edition, lang, data_version, batches, parameters, content_sha256, pdf_sha256, pdf_base64, issued_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
                .bind(r.zone_id)
                .bind(&r.kind)
                .bind(r.year)
                .bind(&r.municipality)
                .bind(&r.organisation)
                .bind(&r.edition)
                .bind(&r.lang)
                .bind(r.data_version)
                .bind(&batches)
                .bind(&parameters)
                .bind(&r.content_sha256)
                .bind(&pdf_sha256)
                .bind(&pdf)
                .bind(now())
                .bind(&r.issued_by)
                .fetch_one(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The zone's issued reports, newest first (without their PDFs).
    pub async fn issued_reports(&self, zone_id: i64) -> Result<Vec<IssuedReport>> {
        let sql =
            format!("SELECT {REPORT_COLUMNS} FROM reports WHERE zone_id = $1 ORDER BY id DESC");
        on_pool!(self, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(zone_id).fetch_all(pool).await?;
            rows.iter().map(report_of).collect()
        })
    }

    /// One issued report of the zone with its PDF.
    pub async fn issued_report(
        &self,
        zone_id: i64,
        id: i64,
    ) -> Result<Option<(IssuedReport, Vec<u8>)>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS}, pdf_base64 FROM reports WHERE zone_id = $1 AND id = $2"
        );
        on_pool!(self, pool => {
            let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(zone_id).bind(id).fetch_optional(pool).await? else {
                return Ok(None);
            };
            let b64: String = r.try_get("pdf_base64")?;
            let pdf = STANDARD
                .decode(b64)
                .map_err(|e| StoreError::Invalid(format!("report {id}: {e}")))?;
            Ok(Some((report_of(&r)?, pdf)))
        })
    }

    /// Records a partner's remark on an action with its audit line; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_feedback(
        &self,
        zone_id: i64,
        plan_code: &str,
        action_code: &str,
        organisation: &str,
        author: &str,
        body: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        if body.trim().is_empty() {
            return Err(StoreError::Invalid("feedback: the remark is empty".into()));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO action_feedback (zone_id, plan_code, action_code, organisation, author, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(zone_id)
                .bind(plan_code)
                .bind(action_code)
                .bind(organisation)
                .bind(author)
                .bind(body.trim())
                .bind(now())
                .fetch_one(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The zone's answer to a remark (once: a given answer is not rewritten). False when the
    /// remark does not exist in this zone or was answered already.
    pub async fn answer_feedback(
        &self,
        zone_id: i64,
        id: i64,
        answer: &str,
        by: &str,
        audit: &AuditEntry,
    ) -> Result<bool> {
        if answer.trim().is_empty() {
            return Err(StoreError::Invalid("feedback: the answer is empty".into()));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE action_feedback SET answer = $1, answered_by = $2, answered_at = $3 WHERE zone_id = $4 AND id = $5 AND answer IS NULL")
                .bind(answer.trim())
                .bind(by)
                .bind(now())
                .bind(zone_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Ok(false);
            }
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The remarks on a plan's actions, oldest first; only one organisation's when given.
    pub async fn feedback(
        &self,
        zone_id: i64,
        plan_code: &str,
        organisation: Option<&str>,
    ) -> Result<Vec<Feedback>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, Feedback>("SELECT id, zone_id, plan_code, action_code, organisation, author, body, created_at, answer, answered_by, answered_at FROM action_feedback WHERE zone_id = $1 AND plan_code = $2 AND ($3 IS NULL OR organisation = $3) ORDER BY id")
                .bind(zone_id)
                .bind(plan_code)
                .bind(organisation)
                .fetch_all(pool)
                .await?)
        })
    }
}
