//! The chief's foreword to a report of a year: one text per zone, report kind, year and
//! language, written (and rewritten) before the report is issued. An issued report keeps
//! its bytes, so a later edit changes only what is issued after it. Every edit is audited
//! in the same transaction.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::{AuditEntry, Result, Store, StoreError, audit_tx, from_row, now, on_pool};

/// A foreword as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Foreword {
    pub kind: String,
    pub year: i32,
    pub lang: String,
    pub body: String,
    /// Who signs it ("Kim Korpschef, korpschef").
    pub signed: String,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

from_row!(Foreword {
    kind,
    year,
    lang,
    body,
    signed,
    updated_by,
    updated_at
});

/// The longest foreword kept (a page or two of text).
pub const FOREWORD_MAX_CHARS: usize = 6000;

impl Store {
    /// Writes (or rewrites) the foreword of a zone's report of a year in one language; an
    /// empty body removes it.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_foreword(
        &self,
        zone_id: i64,
        kind: &str,
        year: i32,
        lang: &str,
        body: &str,
        signed: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        let body = body.trim();
        if body.chars().count() > FOREWORD_MAX_CHARS {
            return Err(StoreError::Invalid(format!(
                "the foreword has {} characters; at most {FOREWORD_MAX_CHARS}",
                body.chars().count()
            )));
        }
        let by = audit.username.clone().unwrap_or_default();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM forewords WHERE zone_id = $1 AND kind = $2 AND year = $3 AND lang = $4")
                .bind(zone_id).bind(kind).bind(year).bind(lang)
                .execute(&mut *tx).await?;
            if !body.is_empty() {
                sqlx::query("INSERT INTO forewords (zone_id, kind, year, lang, body, signed, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(zone_id).bind(kind).bind(year).bind(lang).bind(body).bind(signed.trim()).bind(&by).bind(now())
                    .execute(&mut *tx).await?;
            }
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The foreword of a zone's report of a year in one language, if written.
    pub async fn foreword(
        &self,
        zone_id: i64,
        kind: &str,
        year: i32,
        lang: &str,
    ) -> Result<Option<Foreword>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, Foreword>("SELECT kind, year, lang, body, signed, updated_by, updated_at FROM forewords WHERE zone_id = $1 AND kind = $2 AND year = $3 AND lang = $4")
                .bind(zone_id).bind(kind).bind(year).bind(lang)
                .fetch_optional(pool).await?)
        })
    }
}
