//! Indicators over the store: defined, entered, refreshed (a new revision beside the old,
//! never overwritten) and followed with their verdict.
use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::Serialize;
use veilig_analysis::TestRules;
use veilig_domain::Zone;
use veilig_monitor::{IndicatorDef, Observation, Progress, Source, progress};
use veilig_store::{AuditEntry, IndicatorRow, MeasurementRow, NewMeasurement, Store};

use super::as_of::{Lateness, as_of};

use super::*;

/// One measurement that a refresh wrote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub indicator: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub revision: i32,
    pub old: Option<f64>,
    pub new: f64,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Refresh {
    pub indicators: usize,
    pub computed: usize,
    pub changes: Vec<Change>,
}

/// The newest revision of every (indicator, period).
pub(super) fn latest(
    ms: &[MeasurementRow],
) -> HashMap<(i64, NaiveDate, NaiveDate), &MeasurementRow> {
    let mut m: HashMap<(i64, NaiveDate, NaiveDate), &MeasurementRow> = HashMap::new();
    for x in ms {
        let k = (x.indicator_id, x.period_start, x.period_end);
        if m.get(&k).is_none_or(|y| y.revision < x.revision) {
            m.insert(k, x);
        }
    }
    m
}

pub fn parse(row: &IndicatorRow) -> Result<IndicatorDef> {
    serde_json::from_str(&row.definition)
        .with_context(|| format!("indicator {}: stored definition", row.code))
}

/// Recomputes every computed indicator of the zone for its baseline and each complete period,
/// and appends a measurement (a new revision) where the value, its provisional flag or the
/// batches it comes from changed; the rest stays as it is.
pub async fn refresh(store: &Store, zone: &Zone, audit: &AuditEntry) -> Result<Refresh> {
    let rows = store.indicators(zone.id).await?;
    let stored = store.measurements(zone.id).await?;
    let newest = latest(&stored);
    let mut inputs = Inputs::new(store, zone).await?;
    let mut out = Refresh {
        indicators: rows.len(),
        ..Default::default()
    };
    let mut writes = Vec::new();
    for row in &rows {
        let def = parse(row)?;
        if !def.source.computed() {
            continue;
        }
        let Some(through) = inputs.complete_through(&def.source) else {
            continue;
        };
        for (from, to) in periods(&def, through.min(chrono::Local::now().date_naive())) {
            let Some(c) = inputs.compute(&def, from, to).await? else {
                continue;
            };
            out.computed += 1;
            let old = newest.get(&(row.id, from, to));
            let reason = match old {
                None => "new",
                Some(o) if (o.value - c.observation.value).abs() > 1e-9 => "value",
                Some(o) if o.batches != c.batches => "batches",
                Some(o) if o.provisional != c.provisional => "provisional",
                Some(_) => continue,
            };
            out.changes.push(Change {
                indicator: row.code.clone(),
                period_start: from,
                period_end: to,
                revision: old.map_or(1, |o| o.revision + 1),
                old: old.map(|o| o.value),
                new: c.observation.value,
                reason,
            });
            writes.push(NewMeasurement {
                indicator_id: row.id,
                period_start: from,
                period_end: to,
                value: c.observation.value,
                low: c.observation.low,
                high: c.observation.high,
                count: c.observation.count.map(|n| n as i64),
                exposure_days: c.observation.exposure_days,
                provisional: c.provisional,
                batches: c.batches,
                origin: "computed".into(),
                recorded_by: audit.username.clone(),
            });
        }
    }
    if !writes.is_empty() {
        let mut a = audit.clone();
        a.detail = format!("{}; {} measurements written", a.detail, writes.len());
        store.add_measurements(&writes, &a).await?;
    }
    Ok(out)
}

/// Defines an indicator after checking it: a valid definition for an objective of the plan,
/// and, for a computed one, a query that matches something in the store.
pub async fn define(
    store: &Store,
    zone: &Zone,
    plan: Option<(&veilig_plan::PlanDoc, i64)>,
    def: &IndicatorDef,
    audit: &AuditEntry,
) -> Result<i64> {
    let p = def.problems();
    if !p.is_empty() {
        bail!(
            "the indicator is not valid; nothing was stored:\n  {}",
            p.join("\n  ")
        );
    }
    if let Some((doc, _)) = plan
        && doc.objective(&def.objective).is_none()
    {
        bail!(
            "indicator {}: objective {:?} is not in the plan",
            def.code,
            def.objective
        );
    }
    match &def.source {
        Source::Incidents {
            phenomenon,
            municipality,
            wijken,
            ..
        } => {
            if !store
                .phenomena(zone.id)
                .await?
                .iter()
                .any(|p| &p.code == phenomenon)
            {
                bail!(
                    "indicator {}: zone {} has no phenomenon {phenomenon:?}",
                    def.code,
                    zone.code.as_str()
                );
            }
            if let Some(nis) = municipality
                && !store
                    .municipalities(zone.id)
                    .await?
                    .iter()
                    .any(|m| m.nis.as_str() == nis)
            {
                bail!(
                    "indicator {}: municipality {nis:?} is not in the zone",
                    def.code
                );
            }
            let areas = store.areas(zone.id).await?;
            for w in wijken {
                if !areas.iter().any(|a| &a.code == w) {
                    bail!("indicator {}: wijk {w:?} is not in the zone", def.code);
                }
            }
        }
        Source::Calls {
            category,
            priority,
            percentile,
        } => {
            if percentile.is_some() {
                let (m, _) = store
                    .call_response_minutes(
                        zone.id,
                        midnight(NaiveDate::MIN),
                        midnight(NaiveDate::MAX),
                        category.as_deref(),
                        priority.as_deref(),
                    )
                    .await?;
                if m.is_empty() {
                    bail!(
                        "indicator {}: no call records a response time (category {category:?}, priority {priority:?})",
                        def.code
                    );
                }
            }
            let (n, _) = store
                .call_count(
                    zone.id,
                    midnight(NaiveDate::MIN),
                    midnight(NaiveDate::MAX),
                    category.as_deref(),
                    priority.as_deref(),
                )
                .await?;
            if n == 0 {
                bail!(
                    "indicator {}: no call matches (category {category:?}, priority {priority:?})",
                    def.code
                );
            }
        }
        Source::Published { category, .. } => {
            if store.published(zone.id, category).await?.is_empty() {
                bail!(
                    "indicator {}: no published statistic {category:?} in the store",
                    def.code
                );
            }
        }
        Source::Survey { survey, indicator } => {
            let waves = store.survey_waves(zone.id).await?;
            let Some((_, w, _, _)) = waves.iter().find(|(s, _, _, _)| s == survey) else {
                bail!(
                    "indicator {}: no wave of survey {survey:?} in the store",
                    def.code
                );
            };
            let wave = crate::survey::load_wave(store, zone, survey, w).await?;
            if !wave.codebook.indicator.iter().any(|i| &i.code == indicator) {
                bail!(
                    "indicator {}: survey {survey:?} has no indicator {indicator:?}",
                    def.code
                );
            }
        }
        Source::Manual { .. } => {}
    }
    Ok(store
        .create_indicator(
            zone.id,
            plan.map(|p| p.1),
            &def.code,
            &serde_json::to_string(def)?,
            audit,
        )
        .await?)
}

/// Enters a value for a manual indicator (refused for a computed one).
pub async fn enter(
    store: &Store,
    zone: &Zone,
    code: &str,
    from: NaiveDate,
    to: NaiveDate,
    value: f64,
    audit: &AuditEntry,
) -> Result<()> {
    let row = store
        .indicators(zone.id)
        .await?
        .into_iter()
        .find(|i| i.code == code)
        .with_context(|| format!("zone {} has no indicator {code:?}", zone.code.as_str()))?;
    let def = parse(&row)?;
    if def.source.computed() {
        bail!(
            "indicator {code} is computed by Veilig from the store: a value cannot be entered for it"
        );
    }
    if to < from || !value.is_finite() || value < 0.0 {
        bail!("a measurement needs a period (from before to) and a value of 0 or more");
    }
    store
        .add_measurements(
            &[NewMeasurement {
                indicator_id: row.id,
                period_start: from,
                period_end: to,
                value,
                low: None,
                high: None,
                count: None,
                exposure_days: Some((to - from).num_days() as f64 + 1.0),
                provisional: false,
                batches: vec![],
                origin: "entered".into(),
                recorded_by: audit.username.clone(),
            }],
            audit,
        )
        .await?;
    Ok(())
}

/// An indicator as followed: its definition, every measurement (revisions included), and the
/// verdict on its latest complete period.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorStatus {
    pub code: String,
    pub objective: String,
    pub name: String,
    pub kind: veilig_monitor::IndicatorKind,
    pub unit: String,
    pub computed: bool,
    pub definition: IndicatorDef,
    pub baseline: BaselineView,
    pub target: TargetView,
    /// Every measurement, oldest period first, revisions in order.
    pub measurements: Vec<MeasurementRow>,
    pub progress: Progress,
    /// `on-track`, `off-track`, `not-yet-measurable` or `too-few-events`.
    pub verdict: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaselineView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetView {
    pub definition: veilig_monitor::Target,
    pub value: Option<f64>,
    pub direction: veilig_monitor::Direction,
}

pub(super) fn observation(m: &MeasurementRow) -> Observation {
    Observation {
        value: m.value,
        low: m.low,
        high: m.high,
        count: m.count.map(|n| n.max(0) as u64),
        exposure_days: m.exposure_days,
    }
}

impl IndicatorStatus {
    /// Whether the verdict may be shown outside the zone's staff (the council, partners,
    /// reports for elected bodies and citizens): a verdict is computed from its counts, so,
    /// as on every aggregated page, it is shown only when every count it rests on meets the
    /// disclosure threshold. Survey values pass the small-sample rule before they are stored,
    /// published figures are public and entered values are no records; a response-time
    /// percentile keeps no count, so it is withheld.
    pub fn verdict_disclosed(&self, threshold: u64) -> bool {
        use veilig_monitor::Source;
        match &self.definition.source {
            Source::Survey { .. } | Source::Published { .. } | Source::Manual { .. } => true,
            Source::Calls {
                percentile: Some(_),
                ..
            } => false,
            Source::Incidents { .. } | Source::Calls { .. } => {
                self.verdict != "too-few-events"
                    && !self.measurements.is_empty()
                    && self
                        .measurements
                        .iter()
                        .all(|m| m.count.is_some_and(|c| c >= threshold as i64))
            }
        }
    }

    /// The verdict as it may be shown outside the zone's staff: its own, or `withheld`.
    pub fn disclosed_verdict(&self, threshold: u64) -> &'static str {
        if self.verdict_disclosed(threshold) {
            self.verdict
        } else {
            "withheld"
        }
    }
}

/// Every indicator of the zone with its measurements and verdict.
pub async fn status(store: &Store, zone: &Zone, rules: TestRules) -> Result<Vec<IndicatorStatus>> {
    Ok(status_through(store, zone, rules, None).await?.0)
}

/// The indicators as they stood at the end of `through`: only the measurements of periods
/// that ended by then, each as its revisions stood then (see [`as_of`]).
pub async fn status_through(
    store: &Store,
    zone: &Zone,
    rules: TestRules,
    through: Option<NaiveDate>,
) -> Result<(Vec<IndicatorStatus>, Lateness)> {
    let mut ms = store.measurements(zone.id).await?;
    let late = match through {
        Some(day) => as_of(&mut ms, day),
        None => Lateness::default(),
    };
    Ok((status_of(store, zone, rules, ms).await?, late))
}

async fn status_of(
    store: &Store,
    zone: &Zone,
    rules: TestRules,
    ms: Vec<MeasurementRow>,
) -> Result<Vec<IndicatorStatus>> {
    let rows = store.indicators(zone.id).await?;
    let newest = latest(&ms);
    let mut out = Vec::new();
    for row in &rows {
        let def = parse(row)?;
        let mine: Vec<MeasurementRow> = ms
            .iter()
            .filter(|m| m.indicator_id == row.id)
            .cloned()
            .collect();
        let base = match def.baseline.value {
            Some(v) => Some(Observation::value(v)),
            None => newest
                .get(&(row.id, def.baseline.from, def.baseline.to))
                .map(|m| observation(m)),
        };
        let latest_period = mine
            .iter()
            .filter(|m| m.period_start > def.baseline.to)
            .map(|m| (m.period_end, m.period_start))
            .max();
        let last = latest_period
            .and_then(|(e, s)| newest.get(&(row.id, s, e)).map(|m| (e, observation(m))));
        // A quarter against the same quarter of the baseline, with a relative target.
        let quarter_base = match (def.frequency, &def.target, latest_period) {
            (
                veilig_monitor::Frequency::Quarter,
                veilig_monitor::Target::ChangePct { .. },
                Some((_, s)),
            ) => same_quarter(&def, s)
                .and_then(|(a, b)| newest.get(&(row.id, a, b)).map(|m| observation(m))),
            _ => None,
        };
        let p = progress(
            &def,
            quarter_base.as_ref().or(base.as_ref()),
            last.as_ref().map(|(e, o)| (*e, o)),
            rules,
        );
        out.push(IndicatorStatus {
            code: row.code.clone(),
            objective: def.objective.clone(),
            name: def.name.clone(),
            kind: def.kind,
            unit: def.source.unit(),
            computed: def.source.computed(),
            baseline: BaselineView {
                from: def.baseline.from,
                to: def.baseline.to,
                value: base.as_ref().map(|b| b.value),
            },
            target: TargetView {
                definition: def.target.clone(),
                value: base.as_ref().map(|b| def.target_value(b.value)),
                direction: def.direction,
            },
            verdict: p.status.as_str(),
            progress: p,
            measurements: mine,
            definition: def,
        });
    }
    Ok(out)
}
