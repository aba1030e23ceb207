//! The plan's dated snapshots of Veilig's own figures (chapter 2 of the ZVP): how the
//! security picture is taken from the priority matrix, and what of a snapshot a reader of
//! aggregates under disclosure control may have (its kind and period, not its figures).

use crate::plan::{Matrix, PlanView};

/// A dated snapshot of the security picture for the plan's chapter 2: per phenomenon the
/// count, rate, verdict and trend from the matrix's evidence.
pub fn security_snapshot(m: &Matrix) -> veilig_plan::Snapshot {
    veilig_plan::Snapshot {
        kind: "security-picture".into(),
        taken_at: m.generated_at,
        period_from: m.period.start,
        period_to: m.period.end,
        source: format!(
            "veilig plan matrix --zone {} --from {} --to {}",
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
