//! What follows every import, from the command line or the browser: one audit line per
//! batch, the plan's indicators whose inputs changed get a new measurement revision, and the
//! zone's heavy figures are asked for at its new data version.

use anyhow::Result;
use veilig_domain::{ImportSummary, Zone};
use veilig_store::{AuditEntry, Store};

/// After `summaries` were imported into `zone` by the actor of `by` (its user and client;
/// action, zone and detail are filled here). Returns how many indicator measurements were
/// revised.
pub async fn after_import(
    store: &Store,
    zone: &Zone,
    summaries: &[ImportSummary],
    by: &AuditEntry,
) -> Result<usize> {
    let line = |action: &str, detail: String| AuditEntry {
        action: action.into(),
        zone_id: Some(zone.id),
        detail,
        ..by.clone()
    };
    for s in summaries {
        let detail = format!(
            "batch {} ({}, {}): read {}, stored {}, duplicates {}, rejected {}",
            s.batch, s.source, s.file, s.rows_read, s.stored, s.duplicates, s.rejected
        );
        store.audit(&line("import", detail)).await?;
    }
    let batches: Vec<String> = summaries.iter().map(|s| s.batch.to_string()).collect();
    let revised = if store.indicators(zone.id).await?.is_empty() {
        0
    } else {
        let detail = format!("after batch {}", batches.join(", "));
        let r = crate::monitor::refresh(store, zone, &line("indicator-refresh", detail)).await?;
        r.changes.len()
    };
    crate::refresh::schedule(store, zone).await?;
    Ok(revised)
}
