//! The plan as citizens see it on the zone's public page: the priorities of the approved
//! plan in force, each with how its indicators stand in words (the verdicts the council's
//! pages may show; a verdict resting on a count under the threshold is withheld), never a
//! draft or a version still in its approval. The whole answer comes from the figure cache
//! while the zone's plans (`Store::plan_stamp`), monitoring (`Store::monitoring_version`)
//! and the day are unchanged: reading and parsing every plan version per request made the
//! public page five times slower.

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use veilig_domain::Zone;
use veilig_plan::Procedure;
use veilig_store::Store;

/// One priority with the number of its indicators per published verdict.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPriority {
    pub code: String,
    pub title: String,
    pub on_track: usize,
    pub off_track: usize,
    /// Not yet measurable, too few events, or withheld.
    pub open: usize,
}

/// The approved plan in force on `day` (its title) and its priorities; None when the zone
/// has no approved plan covering the day.
pub async fn public_priorities(
    store: &Store,
    cache: &crate::cache::Cache,
    zone: &Zone,
    threshold: u64,
    day: NaiveDate,
) -> Result<Option<(String, Vec<PublicPriority>)>> {
    let version = store
        .plan_stamp(zone.id)
        .await?
        .wrapping_mul(1_000_003)
        .wrapping_add(store.monitoring_version(zone.id).await?);
    let key = format!("public-plan:{}:{threshold}:{day}", zone.id);
    let answer = cache
        .get(key, version, compute(store, zone, threshold, day))
        .await?;
    Ok((*answer).clone())
}

async fn compute(
    store: &Store,
    zone: &Zone,
    threshold: u64,
    day: NaiveDate,
) -> Result<Option<(String, Vec<PublicPriority>)>> {
    let Some(row) = super::plan_covering(store, zone, day).await? else {
        return Ok(None);
    };
    let proc = Procedure::for_kind(zone.kind);
    let Some(v) = super::plan_view(store, zone, &row, &proc)
        .await?
        .as_of(day, &proc)
    else {
        return Ok(None);
    };
    if v.status != "approved" {
        return Ok(None);
    }
    let status = crate::monitor::status(store, zone, super::DEFAULT_RULES).await?;
    let d = &v.document;
    let out = d
        .priorities
        .iter()
        .map(|p| {
            let verdicts: Vec<&str> = status
                .iter()
                .filter(|s| {
                    d.objectives
                        .iter()
                        .any(|o| o.priority == p.code && o.code == s.objective)
                })
                .map(|s| s.disclosed_verdict(threshold))
                .collect();
            let n = |v: &str| verdicts.iter().filter(|x| **x == v).count();
            PublicPriority {
                code: p.code.clone(),
                title: p.title.clone(),
                on_track: n("on-track"),
                off_track: n("off-track"),
                open: verdicts.len() - n("on-track") - n("off-track"),
            }
        })
        .collect();
    Ok(Some((d.title.clone(), out)))
}
