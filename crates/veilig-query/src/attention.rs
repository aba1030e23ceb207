//! What needs attention first, for the overview a chief opens every morning: the phenomena
//! that rose or fell significantly in the period (the overview's own verdicts, largest change
//! first), the plan's indicators off track, the Compstat decisions still open (overdue first)
//! and data that is late. Each item links to where it is explained. Which kinds a reader gets
//! is decided by the caller's role check ([`Scope`]); the figures are the ones the reader's
//! overview already shows, so the list discloses nothing the table does not.

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use veilig_analysis::Verdict;
use veilig_domain::Zone;
use veilig_store::Store;

use crate::cache::Cache;
use crate::figures::Overview;

/// One line of the list.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Item {
    /// A phenomenon significantly higher or lower than the year before.
    Phenomenon {
        code: String,
        name_nl: String,
        name_fr: String,
        name_en: String,
        verdict: Verdict,
        change_pct: Option<f64>,
    },
    /// A plan indicator off track.
    Indicator {
        code: String,
        name: String,
        objective: String,
    },
    /// A Compstat decision not yet closed.
    Decision {
        what: String,
        who: String,
        due: NaiveDate,
        overdue: bool,
    },
    /// An incident source whose data end long before today.
    DataLate {
        source: String,
        through: NaiveDate,
        days: i64,
    },
}

/// What the reader may see beyond the phenomena (decided by the role check above).
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    /// Indicators: Some(true) every verdict (staff), Some(false) only disclosed verdicts
    /// (under the threshold), None not at all.
    pub indicators: Option<bool>,
    pub decisions: bool,
    pub data: bool,
    pub threshold: u64,
    /// Data count as late when the last day covered lies more than this many days before
    /// today (the installation's setting; 45 by default: a monthly delivery a fortnight after
    /// the month's end).
    pub late_after_days: i64,
}

/// The attention list of a zone's overview, most pressing kinds first. The indicators and
/// decisions come from `cache` while the zone's monitoring has not changed (see
/// `Store::monitoring_version`), so the overview stays as fast as before.
pub async fn attention(
    store: &Store,
    cache: &Cache,
    zone: &Zone,
    overview: &Overview,
    scope: Scope,
    today: NaiveDate,
) -> Result<Vec<Item>> {
    let mut moved: Vec<&crate::figures::PhenomenonFigures> = overview
        .phenomena
        .iter()
        .filter(|p| {
            matches!(
                p.verdict,
                Verdict::SignificantlyHigher | Verdict::SignificantlyLower
            )
        })
        .collect();
    moved.sort_by(|a, b| {
        let size = |p: &&crate::figures::PhenomenonFigures| p.change_pct.map_or(0.0, f64::abs);
        size(b)
            .total_cmp(&size(a))
            .then_with(|| a.code.cmp(&b.code))
    });
    let mut items: Vec<Item> = moved
        .into_iter()
        .map(|p| Item::Phenomenon {
            code: p.code.clone(),
            name_nl: p.name_nl.clone(),
            name_fr: p.name_fr.clone(),
            name_en: p.name_en.clone(),
            verdict: p.verdict,
            change_pct: p.change_pct,
        })
        .collect();
    let key = format!(
        "attention:{}:{:?}:{}:{}:{today}",
        zone.id, scope.indicators, scope.decisions, scope.threshold
    );
    let version = store.monitoring_version(zone.id).await?;
    let monitored = cache
        .get(key, version, monitored(store, zone, scope, today))
        .await?;
    items.extend(monitored.iter().cloned());
    if scope.data {
        for c in store.coverage(zone.id).await? {
            let days = (today - c.last_day).num_days();
            if days > scope.late_after_days {
                items.push(Item::DataLate {
                    source: c.source.clone(),
                    through: c.last_day,
                    days,
                });
            }
        }
    }
    Ok(items)
}

/// The indicators off track and the open decisions the scope allows.
async fn monitored(
    store: &Store,
    zone: &Zone,
    scope: Scope,
    today: NaiveDate,
) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    if let Some(all) = scope.indicators {
        for s in crate::monitor::status(store, zone, crate::plan::DEFAULT_RULES).await? {
            let verdict = if all {
                s.verdict
            } else {
                s.disclosed_verdict(scope.threshold)
            };
            if verdict == "off-track" {
                items.push(Item::Indicator {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    objective: s.objective.clone(),
                });
            }
        }
    }
    if scope.decisions {
        let mut open: Vec<_> = store
            .review_decisions(zone.id)
            .await?
            .into_iter()
            .filter(|d| d.closed_in.is_none())
            .collect();
        open.sort_by_key(|d| d.due);
        items.extend(open.into_iter().map(|d| Item::Decision {
            overdue: d.due < today,
            what: d.what,
            who: d.who,
            due: d.due,
        }));
    }
    Ok(items)
}
