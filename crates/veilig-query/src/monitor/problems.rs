//! Problem files (SARA) with their before/after assessment computed from the store.
use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use veilig_analysis::TestRules;
use veilig_domain::Zone;
use veilig_store::{AuditEntry, IncidentQuery, Store};

use super::*;

/// A problem file with its assessment computed from the store now.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemStatus {
    pub file: veilig_monitor::ProblemFile,
    pub opened_at: NaiveDateTime,
    pub opened_by: Option<String>,
    /// (before, after) periods; None when the data do not reach past the response's start.
    pub before: Option<(NaiveDate, NaiveDate)>,
    pub after: Option<(NaiveDate, NaiveDate)>,
    pub assessment: Option<veilig_monitor::Assessment>,
}

/// The before/after counts of the file's phenomenon in its place and its comparison area, and
/// their assessment.
pub async fn assess_problem(
    store: &Store,
    zone: &Zone,
    pf: &veilig_monitor::ProblemFile,
    rules: TestRules,
) -> Result<(
    Option<((NaiveDate, NaiveDate), (NaiveDate, NaiveDate))>,
    Option<veilig_monitor::Assessment>,
)> {
    let Some(last) = store.last_incident_day(zone.id).await? else {
        return Ok((None, None));
    };
    let Some((before, after)) = pf.periods(veilig_disclosure::last_complete_month_end(last)) else {
        return Ok((None, None));
    };
    let areas = store.areas(zone.id).await?;
    let code_of: HashMap<i64, &str> = areas.iter().map(|a| (a.id, a.code.as_str())).collect();
    let rows = store
        .analysis_rows(
            zone.id,
            &IncidentQuery {
                phenomenon: Some(pf.phenomenon.clone()),
                from: Some(midnight(before.0)),
                until: Some(midnight(after.1.succ_opt().expect("date"))),
                ..Default::default()
            },
        )
        .await?;
    let count = |place: &veilig_monitor::Place, (a, b): (NaiveDate, NaiveDate)| -> u64 {
        rows.iter()
            .filter(|r| r.from.date() >= a && r.from.date() <= b)
            .filter(|r| place.contains(r.area_id.and_then(|i| code_of.get(&i).copied()), r.xy))
            .count() as u64
    };
    let days = |(a, b): (NaiveDate, NaiveDate)| (b - a).num_days() as f64 + 1.0;
    let counts = |place| veilig_monitor::Counts {
        before: count(place, before),
        after: count(place, after),
        before_days: days(before),
        after_days: days(after),
    };
    let a = veilig_monitor::assess(counts(&pf.place), counts(&pf.comparison), rules);
    Ok((Some((before, after)), Some(a)))
}

/// Every problem file of the zone with its assessment.
pub async fn problems(store: &Store, zone: &Zone, rules: TestRules) -> Result<Vec<ProblemStatus>> {
    let mut out = Vec::new();
    for row in store.problem_files(zone.id).await? {
        let file: veilig_monitor::ProblemFile = serde_json::from_str(&row.document)
            .with_context(|| format!("problem file {}: stored document", row.code))?;
        let (periods, assessment) = assess_problem(store, zone, &file, rules).await?;
        out.push(ProblemStatus {
            opened_at: row.opened_at,
            opened_by: row.opened_by,
            before: periods.map(|p| p.0),
            after: periods.map(|p| p.1),
            assessment,
            file,
        });
    }
    Ok(out)
}

/// Saves a problem file after its checks (a phenomenon of the zone, wijken that exist).
pub async fn save_problem(
    store: &Store,
    zone: &Zone,
    pf: &veilig_monitor::ProblemFile,
    audit: &AuditEntry,
) -> Result<i64> {
    let p = pf.problems();
    if !p.is_empty() {
        bail!(
            "the problem file is not valid; nothing was stored:\n  {}",
            p.join("\n  ")
        );
    }
    if !store
        .phenomena(zone.id)
        .await?
        .iter()
        .any(|p| p.code == pf.phenomenon)
    {
        bail!(
            "zone {} has no phenomenon {:?}",
            zone.code.as_str(),
            pf.phenomenon
        );
    }
    let areas = store.areas(zone.id).await?;
    for place in [&pf.place, &pf.comparison] {
        if let veilig_monitor::Place::Wijken { codes } = place {
            for c in codes {
                if !areas.iter().any(|a| &a.code == c) {
                    bail!("wijk {c:?} is not in zone {}", zone.code.as_str());
                }
            }
        }
    }
    Ok(store
        .save_problem_file(zone.id, &pf.code, &serde_json::to_string(pf)?, audit)
        .await?)
}
