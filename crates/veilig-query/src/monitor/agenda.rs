//! The Compstat agenda Veilig drafts for a period.

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use veilig_analysis::TestRules;
use veilig_domain::Zone;
use veilig_store::{IncidentQuery, Store};

use super::*;

/// What a Compstat meeting over a period finds on its table, drafted by Veilig.
#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// Indicators whose latest count differs significantly from their baseline.
    pub moved: Vec<AgendaIndicator>,
    /// Objectives with an indicator off track.
    pub off_track: Vec<AgendaObjective>,
    /// Phenomena significantly higher in the period than a year before.
    pub rising: Vec<AgendaPhenomenon>,
    /// Grid cells (250 m) where a phenomenon is significantly higher than over the same dates
    /// a year before (Bonferroni over the cells tested).
    pub hotspots: Vec<AgendaHotspot>,
    /// Chains of at least three incidents of one phenomenon within 200 m and 14 days of each
    /// other in the period (near-repeat series), largest first (at most ten).
    pub series: Vec<AgendaSeries>,
    /// Decisions of earlier reviews not yet closed: they stay on the agenda until they are.
    pub open_decisions: Vec<veilig_store::ReviewDecisionRow>,
    pub note: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaIndicator {
    pub code: String,
    pub name: String,
    pub verdict: String,
    pub change_pct: Option<f64>,
    pub p_value: Option<f64>,
}

impl AgendaIndicator {
    /// The locale key of its verdict.
    pub fn verdict_key(&self) -> String {
        format!("verdict-{}", self.verdict)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaHotspot {
    pub phenomenon: String,
    #[serde(flatten)]
    pub cell: veilig_monitor::agenda::HotCell,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaSeries {
    pub phenomenon: String,
    #[serde(flatten)]
    pub series: veilig_monitor::agenda::Series,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaObjective {
    pub objective: String,
    pub indicators: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaPhenomenon {
    pub phenomenon: String,
    pub name_nl: String,
    pub count: u64,
    pub change_pct: Option<f64>,
    pub p_value: f64,
}

pub async fn agenda(
    store: &Store,
    zone: &Zone,
    from: NaiveDate,
    to: NaiveDate,
    rules: TestRules,
) -> Result<Agenda> {
    let st = status(store, zone, rules).await?;
    let moved = st
        .iter()
        .filter_map(|s| {
            let c = s.progress.comparison.as_ref()?;
            matches!(
                c.verdict,
                veilig_analysis::Verdict::SignificantlyHigher
                    | veilig_analysis::Verdict::SignificantlyLower
            )
            .then(|| AgendaIndicator {
                code: s.code.clone(),
                name: s.name.clone(),
                verdict: c.verdict.as_str().to_string(),
                change_pct: c.change_pct,
                p_value: Some(c.p_value),
            })
        })
        .collect();
    let mut off: Vec<AgendaObjective> = Vec::new();
    for s in st.iter().filter(|s| s.verdict == "off-track") {
        match off.iter_mut().find(|o| o.objective == s.objective) {
            Some(o) => o.indicators.push(s.code.clone()),
            None => off.push(AgendaObjective {
                objective: s.objective.clone(),
                indicators: vec![s.code.clone()],
            }),
        }
    }
    let m = crate::plan::matrix(
        store,
        zone,
        &crate::plan::MatrixOptions {
            rules,
            ..crate::plan::MatrixOptions::builtin(from, to)
        },
    )
    .await?;
    let rising = m
        .rows
        .iter()
        .filter(|r| r.verdict == veilig_analysis::Verdict::SignificantlyHigher)
        .map(|r| AgendaPhenomenon {
            phenomenon: r.phenomenon.clone(),
            name_nl: r.name_nl.clone(),
            count: r.count,
            change_pct: r.change_pct,
            p_value: r.p_value,
        })
        .collect();
    // New hotspots and series from each phenomenon's located incidents.
    let mut hotspots = Vec::new();
    let mut chains = Vec::new();
    let year_before = |d: NaiveDate| d.checked_sub_months(chrono::Months::new(12)).expect("date");
    let (bfrom, bto) = (year_before(from), year_before(to));
    for p in store.phenomena(zone.id).await? {
        let rows = store
            .analysis_rows(
                zone.id,
                &IncidentQuery {
                    phenomenon: Some(p.code.clone()),
                    from: Some(midnight(bfrom)),
                    until: Some(midnight(to.succ_opt().expect("date"))),
                    ..Default::default()
                },
            )
            .await?;
        let within = |a: NaiveDate, b: NaiveDate| -> Vec<(NaiveDate, (f64, f64))> {
            rows.iter()
                .filter(|r| r.from.date() >= a && r.from.date() <= b)
                .filter_map(|r| r.xy.map(|xy| (r.from.date(), xy)))
                .collect()
        };
        let (now, before) = (within(from, to), within(bfrom, bto));
        let pts = |v: &[(NaiveDate, (f64, f64))]| v.iter().map(|e| e.1).collect::<Vec<_>>();
        for cell in veilig_monitor::agenda::new_hotspots(&pts(&now), &pts(&before), 250.0, rules) {
            hotspots.push(AgendaHotspot {
                phenomenon: p.code.clone(),
                cell,
            });
        }
        for s in veilig_monitor::agenda::series(&now, 200.0, 14, 3) {
            chains.push(AgendaSeries {
                phenomenon: p.code.clone(),
                series: s,
            });
        }
    }
    hotspots.sort_by(|a, b| {
        a.cell
            .p_value
            .partial_cmp(&b.cell.p_value)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    chains.sort_by_key(|c| std::cmp::Reverse(c.series.events));
    chains.truncate(10);
    // The decisions open at the period's end: taken at a review held by then and not closed
    // by then (a later review's decisions are not on an earlier month's agenda).
    let reviews = store.reviews(zone.id).await?;
    let held = |id: i64| reviews.iter().find(|r| r.id == id).map(|r| r.held_on);
    let open_decisions = store
        .review_decisions(zone.id)
        .await?
        .into_iter()
        .filter(|d| held(d.review_id).is_some_and(|h| h <= to))
        .filter(|d| d.closed_in.and_then(held).is_none_or(|c| c > to))
        .collect();
    Ok(Agenda {
        period_from: from,
        period_to: to,
        moved,
        off_track: off,
        rising,
        hotspots,
        series: chains,
        open_decisions,
        note: "Drafted by Veilig: indicators whose change from baseline is significant (exact Poisson test), objectives with an indicator significantly behind its path, phenomena significantly higher than the same dates a year before, new hotspots (250 m cells significantly higher than a year before, Bonferroni over the cells tested), series (three or more incidents of one phenomenon within 200 m and 14 days of each other), and every decision not yet closed.",
    })
}
