//! The plan's dated snapshots of Veilig's own figures (chapter 2 of the ZVP): how the
//! security picture is taken from the priority matrix, and what of a snapshot a reader of
//! aggregates under disclosure control may have (its kind and period, not its figures).

use anyhow::Result;
use chrono::NaiveDate;
use veilig_domain::Zone;
use veilig_store::{AuditEntry, Store};

use super::document::{PlanView, edit_plan};
use super::matrix::{Matrix, MatrixOptions, matrix};

/// A dated snapshot of the security picture for the plan's chapter 2: per phenomenon the
/// count, rate, verdict and trend from the matrix's evidence.
pub fn security_snapshot(m: &Matrix) -> veilig_plan::Snapshot {
    veilig_plan::Snapshot {
        kind: "security-picture".into(),
        taken_at: m.generated_at,
        period_from: m.period.start,
        period_to: m.period.end,
        source: format!(
            "priority matrix of zone {}, {} to {}",
            m.zone, m.period.start, m.period.end
        ),
        data: serde_json::json!(
            m.rows
                .iter()
                .map(|r| serde_json::json!({
                    "phenomenon": r.phenomenon,
                    "name_nl": r.name_nl,
                    "count": r.count,
                    "rate_per_1000": r.rate_per_1000,
                    "verdict": r.verdict,
                    "change_pct": r.change_pct,
                    "trend_pct_per_year": r.trend.as_ref().map(|t| t.annual_change_pct),
                    "trend_significant": r.trend.as_ref().map(|t| t.significant),
                    "rank": r.rank,
                }))
                .collect::<Vec<_>>()
        ),
    }
}

/// The service picture for the same chapter: the norm check's lines and the net hours, as
/// a dated snapshot; none when the zone has no staff list.
pub async fn service_snapshot(
    store: &Store,
    z: &Zone,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<veilig_plan::Snapshot>> {
    if store.staff(z.id).await?.is_empty() {
        return Ok(None);
    }
    let nc =
        crate::capacity::norm_check(store, z, veilig_capacity::norms::Ruleset::builtin()).await?;
    Ok(Some(veilig_plan::Snapshot {
        kind: "service-picture".into(),
        taken_at: chrono::Utc::now().naive_utc(),
        period_from: from,
        period_to: to,
        source: format!("norm check of zone {}", z.code.as_str()),
        data: serde_json::json!({"lines": nc.lines, "net": nc.net}),
    }))
}

/// Adds both pictures over `from`..`to` to the plan's editable version.
pub async fn take_snapshots(
    store: &Store,
    z: &Zone,
    view: &PlanView,
    (from, to): (NaiveDate, NaiveDate),
    audit: &AuditEntry,
) -> Result<()> {
    let m = matrix(store, z, &MatrixOptions::builtin(from, to)).await?;
    let security = security_snapshot(&m);
    let service = service_snapshot(store, z, from, to).await?;
    edit_plan(store, view, audit, move |d| {
        d.snapshots.push(security);
        d.snapshots.extend(service);
        Ok(())
    })
    .await?;
    Ok(())
}

impl PlanView {
    /// The plan as a reader of aggregates under disclosure control (a council member) may
    /// have it: a snapshot's figures are exact counts, changes and rates over any period the
    /// analyst chose, which the protected tables would hide, so they are withheld (kind,
    /// period, date and source stay; the figures are published through the protected
    /// tables only).
    pub fn withhold_snapshot_figures(&mut self) {
        for s in &mut self.document.snapshots {
            s.data = serde_json::Value::Null;
        }
        for d in &mut self.documents {
            for s in &mut d.snapshots {
                s.data = serde_json::Value::Null;
            }
        }
    }
}
