//! What each source of a zone covers: the first and last day its records speak for. Imports
//! widen it ([`crate::ImportTx::finish`]); an analyst may set it (a source whose first years
//! are incomplete, an export cut off before its last day), recorded as a batch so that every
//! figure computed before is recomputed.

use chrono::NaiveDate;
use serde::Serialize;

use crate::{AuditEntry, NewBatch, Result, Store, StoreError, from_row, on_pool};
use veilig_domain::BatchKind;

/// One source's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceCoverage {
    pub source: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// Set by an analyst (imports then only move the last day later).
    pub edited: bool,
}

from_row!(SourceCoverage {
    source,
    first_day,
    last_day,
    edited
});

impl Store {
    /// The coverage of every incident source of the zone, by source.
    pub async fn coverage(&self, zone_id: i64) -> Result<Vec<SourceCoverage>> {
        on_pool!(self, pool => Ok(sqlx::query_as(
            "SELECT source, first_day, last_day, edited FROM coverage WHERE zone_id = $1 ORDER BY source",
        )
        .bind(zone_id)
        .fetch_all(pool)
        .await?))
    }

    /// Sets a source's coverage by hand, as a batch of its own (the zone's data version
    /// moves on) with its audit line. The source must have records.
    pub async fn set_coverage(
        &self,
        zone_id: i64,
        source: &str,
        first_day: NaiveDate,
        last_day: NaiveDate,
        audit: &AuditEntry,
    ) -> Result<()> {
        if last_day < first_day {
            return Err(StoreError::Invalid(format!(
                "the coverage of {source} would end ({last_day}) before it starts ({first_day})"
            )));
        }
        if !self
            .coverage(zone_id)
            .await?
            .iter()
            .any(|c| c.source == source)
        {
            return Err(StoreError::Invalid(format!(
                "the zone has no records from source {source:?}"
            )));
        }
        let mut tx = self
            .begin_import(&NewBatch {
                zone_id,
                kind: BatchKind::Coverage,
                source,
                file_name: "",
                sha256: "",
                mapping: None,
                synthetic: false,
            })
            .await?;
        tx.edit_coverage(first_day, last_day, audit).await?;
        tx.finish(0, 0, 0, 0).await
    }
}
