//! Following the plan over the store: each indicator's definition computed for its baseline
//! and every complete period since (incidents as `veilig picture` counts them, calls,
//! published statistics as published, survey waves), stored as measurements that revise
//! themselves when their inputs change (a new revision beside the old, never overwritten),
//! and judged by `veilig_monitor`.

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use veilig_analysis::TestRules;
use veilig_domain::{PopulationLevel, Zone};
use veilig_monitor::{IndicatorDef, Measure, Observation, Progress, Source, progress};
use veilig_store::{
    AuditEntry, IncidentQuery, IndicatorRow, MeasurementRow, NewMeasurement, NewReview,
    NewReviewDecision, Store,
};

/// Figures of the last three months are provisional: recent records are still being
/// completed and corrected (POLICY-CYCLE.md §4, "recent figures are incomplete").
const PROVISIONAL_DAYS: i64 = 92;

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight")
}

/// One computed value with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub observation: Observation,
    pub batches: Vec<i64>,
    pub provisional: bool,
}

/// What the computations of one refresh share (each phenomenon's incidents read once).
pub struct Inputs<'a> {
    store: &'a Store,
    zone: &'a Zone,
    areas: Vec<veilig_domain::Area>,
    incidents: HashMap<String, Vec<veilig_store::AnalysisRow>>,
    last_incident: Option<NaiveDate>,
    last_call: Option<NaiveDate>,
}

impl<'a> Inputs<'a> {
    pub async fn new(store: &'a Store, zone: &'a Zone) -> Result<Inputs<'a>> {
        Ok(Inputs {
            store,
            zone,
            areas: store.areas(zone.id).await?,
            incidents: HashMap::new(),
            last_incident: store.last_incident_day(zone.id).await?,
            last_call: store.last_call_day(zone.id).await?,
        })
    }

    async fn rows(&mut self, phenomenon: &str) -> Result<&[veilig_store::AnalysisRow]> {
        if !self.incidents.contains_key(phenomenon) {
            let rows = self
                .store
                .analysis_rows(
                    self.zone.id,
                    &IncidentQuery {
                        phenomenon: Some(phenomenon.to_string()),
                        ..Default::default()
                    },
                )
                .await?;
            self.incidents.insert(phenomenon.to_string(), rows);
        }
        Ok(&self.incidents[phenomenon])
    }

    /// The last day whose data is complete for this source (None: no data at all).
    pub fn complete_through(&self, s: &Source) -> Option<NaiveDate> {
        let last = match s {
            Source::Incidents { .. } => self.last_incident,
            Source::Calls { .. } => self.last_call,
            _ => return Some(NaiveDate::MAX),
        }?;
        Some(veilig_disclosure::last_complete_month_end(last))
    }

    /// The indicator's value over `[from, to]`; None when the data do not reach it.
    pub async fn compute(
        &mut self,
        def: &IndicatorDef,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<Computed>> {
        let days = (to - from).num_days() as f64 + 1.0;
        let recent =
            |last: Option<NaiveDate>| last.is_some_and(|l| (l - to).num_days() < PROVISIONAL_DAYS);
        match &def.source {
            Source::Incidents {
                phenomenon,
                measure,
                municipality,
                wijken,
            } => {
                if self.complete_through(&def.source).is_none_or(|c| c < to) {
                    return Ok(None);
                }
                let unit: Option<BTreeSet<i64>> = if let Some(nis) = municipality {
                    Some(
                        self.areas
                            .iter()
                            .filter(|a| a.municipality_nis.as_deref() == Some(nis))
                            .map(|a| a.id)
                            .collect(),
                    )
                } else if !wijken.is_empty() {
                    Some(
                        self.areas
                            .iter()
                            .filter(|a| wijken.contains(&a.code))
                            .map(|a| a.id)
                            .collect(),
                    )
                } else {
                    None
                };
                let (lo, hi) = (midnight(from), midnight(to.succ_opt().expect("date")));
                let last = self.last_incident;
                let rows = self.rows(phenomenon).await?;
                let in_period: Vec<&veilig_store::AnalysisRow> = rows
                    .iter()
                    .filter(|r| r.from >= lo && r.from < hi)
                    .collect();
                let mine: Vec<&&veilig_store::AnalysisRow> = in_period
                    .iter()
                    .filter(|r| {
                        unit.as_ref()
                            .is_none_or(|u| r.area_id.is_some_and(|a| u.contains(&a)))
                    })
                    .collect();
                let n = mine.len() as u64;
                // The batches of the period's incidents (all of the zone's for a share).
                let used: BTreeSet<i64> = if *measure == Measure::Share {
                    in_period.iter().map(|r| r.batch_id).collect()
                } else {
                    mine.iter().map(|r| r.batch_id).collect()
                };
                let observation = match measure {
                    Measure::Count => Observation::count(n, days),
                    Measure::Share => {
                        let total = in_period.len() as f64;
                        Observation::value(if total > 0.0 { n as f64 / total } else { 0.0 })
                    }
                    Measure::RatePer1000 => {
                        let pop = self.population(municipality.as_deref(), wijken, to).await?;
                        let Some(pop) = pop.filter(|p| *p > 0) else {
                            bail!("indicator {}: no population for its unit on {to}", def.code);
                        };
                        let (l, h) = veilig_monitor::progress::poisson_interval(n, 0.95);
                        let k = 1000.0 / pop as f64;
                        Observation {
                            value: n as f64 * k,
                            low: Some(l * k),
                            high: Some(h * k),
                            count: Some(n),
                            exposure_days: Some(days),
                        }
                    }
                };
                Ok(Some(Computed {
                    observation,
                    batches: used.into_iter().collect(),
                    provisional: recent(last),
                }))
            }
            Source::Calls {
                category,
                priority,
                percentile,
            } => {
                if self.complete_through(&def.source).is_none_or(|c| c < to) {
                    return Ok(None);
                }
                let (lo, hi) = (midnight(from), midnight(to.succ_opt().expect("date")));
                let provisional = recent(self.last_call);
                if let Some(q) = percentile {
                    let (minutes, batches) = self
                        .store
                        .call_response_minutes(
                            self.zone.id,
                            lo,
                            hi,
                            category.as_deref(),
                            priority.as_deref(),
                        )
                        .await?;
                    return Ok(veilig_monitor::percentile(&minutes, *q).map(|observation| {
                        Computed {
                            observation,
                            batches,
                            provisional,
                        }
                    }));
                }
                let (n, batches) = self
                    .store
                    .call_count(
                        self.zone.id,
                        lo,
                        hi,
                        category.as_deref(),
                        priority.as_deref(),
                    )
                    .await?;
                Ok(Some(Computed {
                    observation: Observation::count(n as u64, days),
                    batches,
                    provisional,
                }))
            }
            Source::Published {
                category,
                area_code,
            } => {
                let cells = self.store.published(self.zone.id, category).await?;
                // The zone's own cell, or the named area's: as published, never summed.
                let cell = cells.iter().find(|c| {
                    c.cell.period_start == from
                        && c.cell.period_end == to
                        && match area_code.as_deref() {
                            Some(a) => c.cell.area_code == a,
                            None => c.cell.level == "zone",
                        }
                });
                Ok(cell.map(|c| Computed {
                    observation: Observation::count(c.cell.count.max(0) as u64, days),
                    batches: vec![],
                    provisional: c.cell.provisional,
                }))
            }
            Source::Survey { survey, indicator } => {
                let wave = from.year().to_string();
                let waves = self.store.survey_waves(self.zone.id).await?;
                let Some((_, _, batch, _)) = waves
                    .iter()
                    .find(|(s, w, _, _)| s == survey && w.starts_with(&wave))
                else {
                    return Ok(None);
                };
                let w = crate::survey::load_wave(
                    self.store,
                    self.zone,
                    survey,
                    &waves
                        .iter()
                        .find(|(s, w, _, _)| s == survey && w.starts_with(&wave))
                        .expect("found")
                        .1,
                )
                .await?;
                let rule = veilig_survey::SmallSample::builtin();
                let Some(e) = crate::survey::zone_indicator(&w, indicator, &rule, 0.95)? else {
                    bail!(
                        "indicator {}: wave {wave} of {survey} has no indicator {indicator:?}",
                        def.code
                    );
                };
                if !e.presentation.shown() {
                    return Ok(None);
                }
                Ok(Some(Computed {
                    observation: Observation {
                        value: e.estimate,
                        low: Some(e.ci_low),
                        high: Some(e.ci_high),
                        count: None,
                        exposure_days: None,
                    },
                    batches: vec![*batch],
                    provisional: false,
                }))
            }
            Source::Manual { .. } => Ok(None),
        }
    }

    async fn population(
        &self,
        municipality: Option<&str>,
        wijken: &[String],
        on: NaiveDate,
    ) -> Result<Option<i64>> {
        let pop = self.store.population(self.zone.id).await?;
        // Records come oldest first: the newest not after `on`, else the oldest.
        let newest = |level: PopulationLevel, code: &str| {
            let mine: Vec<&veilig_domain::PopulationRecord> = pop
                .iter()
                .filter(|p| p.level == level && p.code == code)
                .collect();
            mine.iter()
                .rev()
                .find(|p| p.ref_date <= on)
                .or(mine.first())
                .map(|p| p.inhabitants)
        };
        Ok(match (municipality, wijken.is_empty()) {
            (Some(nis), _) => newest(PopulationLevel::Municipality, nis),
            (None, false) => wijken
                .iter()
                .map(|w| newest(PopulationLevel::Area, w))
                .sum(),
            (None, true) => newest(PopulationLevel::Zone, self.zone.code.as_str()),
        })
    }
}

/// The periods an indicator is measured for: its baseline, then each complete period since.
/// A quarterly indicator is also measured for each quarter of its baseline, so that a quarter
/// is compared with the same quarter of the baseline (seasons differ).
pub fn periods(def: &IndicatorDef, complete_through: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = vec![(def.baseline.from, def.baseline.to)];
    if def.frequency == veilig_monitor::Frequency::Quarter {
        let mut q = IndicatorDef {
            baseline: veilig_monitor::Baseline {
                from: def.baseline.from,
                to: def.baseline.from.pred_opt().expect("date"),
                value: None,
            },
            ..def.clone()
        };
        q.baseline.to = def.baseline.from.pred_opt().expect("date");
        out.extend(q.periods(def.baseline.to.min(complete_through)));
    }
    out.extend(def.periods(complete_through));
    out
}

/// The quarter of the baseline year(s) that matches a quarter starting on `start` (the last
/// baseline year with that quarter).
fn same_quarter(def: &IndicatorDef, start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let mut y = def.baseline.to.year();
    while y >= def.baseline.from.year() {
        let s = NaiveDate::from_ymd_opt(y, start.month(), 1)?;
        let e = s.checked_add_months(chrono::Months::new(3))?.pred_opt()?;
        if s >= def.baseline.from && e <= def.baseline.to {
            return Some((s, e));
        }
        y -= 1;
    }
    None
}

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
fn latest(ms: &[MeasurementRow]) -> HashMap<(i64, NaiveDate, NaiveDate), &MeasurementRow> {
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

fn observation(m: &MeasurementRow) -> Observation {
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
    let rows = store.indicators(zone.id).await?;
    let ms = store.measurements(zone.id).await?;
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
    Ok(Agenda {
        period_from: from,
        period_to: to,
        moved,
        off_track: off,
        rising,
        hotspots,
        series: chains,
        open_decisions: store
            .review_decisions(zone.id)
            .await?
            .into_iter()
            .filter(|d| d.closed_in.is_none())
            .collect(),
        note: "Drafted by Veilig: indicators whose change from baseline is significant (exact Poisson test), objectives with an indicator significantly behind its path, phenomena significantly higher than the same dates a year before, new hotspots (250 m cells significantly higher than a year before, Bonferroni over the cells tested), series (three or more incidents of one phenomenon within 200 m and 14 days of each other), and every decision not yet closed.",
    })
}

/// The council's verdict on one objective in a yearly evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveVerdict {
    pub objective: String,
    /// `continue`, `adjust` or `stop`.
    pub verdict: String,
    pub note: String,
}

/// A Compstat review as asked: the period it discussed, the meeting's date, its decisions as
/// `what | who | YYYY-MM-DD` lines and the open decisions it closes as `ID:note` lines.
pub struct ReviewRequest<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub held_on: NaiveDate,
    pub today: NaiveDate,
    pub decisions: Vec<&'a str>,
    pub closes: Vec<&'a str>,
}

fn review_decision(line: &str) -> Result<NewReviewDecision> {
    let p: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
    match p.as_slice() {
        [what, who, due] if !what.is_empty() && !who.is_empty() => Ok(NewReviewDecision {
            what: what.to_string(),
            who: who.to_string(),
            due: due.parse().with_context(|| {
                format!("decision {line:?}: the due date {due:?} is not a date")
            })?,
        }),
        _ => bail!("decision {line:?}: what | who | YYYY-MM-DD"),
    }
}

fn review_close(line: &str) -> Result<(i64, String)> {
    match line.split_once(':') {
        Some((id, note)) => Ok((
            id.trim()
                .parse()
                .with_context(|| format!("{line:?}: ID:note, the decision's id"))?,
            note.trim().to_string(),
        )),
        None => bail!("{line:?}: ID:note"),
    }
}

/// Records a Compstat review with the agenda it discussed (recomputed now, so the stored
/// document is what the meeting saw), its decisions and the decisions it closes: the one
/// checked path for the CLI and the web. Returns the review's id.
pub async fn record_review(
    store: &Store,
    zone: &Zone,
    r: &ReviewRequest<'_>,
    rules: TestRules,
    audit: &AuditEntry,
) -> Result<i64> {
    if r.to < r.from {
        bail!("the period ends ({}) before it starts ({})", r.to, r.from);
    }
    if r.held_on > r.today {
        bail!("the meeting ({}) may not lie in the future", r.held_on);
    }
    let lines = |v: &[&'_ str]| -> Vec<String> {
        v.iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let decisions = lines(&r.decisions)
        .iter()
        .map(|l| review_decision(l))
        .collect::<Result<Vec<_>>>()?;
    let closes = lines(&r.closes)
        .iter()
        .map(|l| review_close(l))
        .collect::<Result<Vec<_>>>()?;
    let agenda = agenda(store, zone, r.from, r.to, rules).await?;
    Ok(store
        .add_review(
            &NewReview {
                zone_id: zone.id,
                kind: "compstat".into(),
                period_from: r.from,
                period_to: r.to,
                held_on: r.held_on,
                document: serde_json::to_string(&agenda)?,
                decisions,
                closes,
            },
            audit,
        )
        .await?)
}

/// Records the zonal security council's yearly evaluation of a plan year: per objective its
/// indicators and their verdicts, the year's actions (done or not) with the hours planned and
/// allocated (`allocation`: action, asked, allocated; empty when not computed), and the
/// council's verdict, which every strategic objective needs.
#[allow(clippy::too_many_arguments)]
pub async fn evaluate(
    store: &Store,
    zone: &Zone,
    view: &crate::plan::PlanView,
    year: i32,
    held_on: NaiveDate,
    verdicts: &[ObjectiveVerdict],
    done: &[String],
    allocation: &[(String, f64, f64)],
    today: NaiveDate,
    audit: &AuditEntry,
) -> Result<i64> {
    let d = &view.document;
    if held_on > today {
        bail!("the evaluation's date {held_on} lies in the future");
    }
    if year < d.period_start.year() || year > d.period_end.year() {
        bail!("{year} is not a year of plan {}", view.code);
    }
    for v in verdicts {
        if d.objective(&v.objective).is_none() {
            bail!("objective {:?} is not in plan {}", v.objective, view.code);
        }
        if !matches!(v.verdict.as_str(), "continue" | "adjust" | "stop") {
            bail!(
                "verdict {:?} on {}: continue, adjust or stop",
                v.verdict,
                v.objective
            );
        }
    }
    let missing: Vec<&str> = d
        .objectives
        .iter()
        .filter(|o| o.level == veilig_plan::Level::Strategic)
        .filter(|o| !verdicts.iter().any(|v| v.objective == o.code))
        .map(|o| o.code.as_str())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the council's verdict is missing for {}",
            missing.join(", ")
        );
    }
    for a in done {
        if !d.actions.iter().any(|x| &x.code == a && x.year == year) {
            bail!("action {a:?}: no action of {year} with that code");
        }
    }
    let st = status(
        store,
        zone,
        TestRules {
            alpha: 0.05,
            min_events: 10,
        },
    )
    .await?;
    let objectives: Vec<serde_json::Value> = d
        .objectives
        .iter()
        .map(|o| {
            let g = verdicts.iter().find(|g| g.objective == o.code);
            serde_json::json!({
                "objective": o.code, "level": o.level.as_str(), "statement": o.statement,
                "indicators": st.iter().filter(|s| s.objective == o.code).map(|s| serde_json::json!({"code": s.code, "verdict": s.verdict, "latest": s.progress.latest, "target": s.target.value})).collect::<Vec<_>>(),
                "actions": d.actions.iter().filter(|a| a.objective == o.code && a.year == year).map(|a| {
                    let al = allocation.iter().find(|x| x.0 == a.code);
                    serde_json::json!({"code": a.code, "title": a.title, "done": done.contains(&a.code), "hours_planned": a.hours, "hours_allocated": al.map(|x| x.2)})
                }).collect::<Vec<_>>(),
                "verdict": g.map(|g| g.verdict.clone()),
                "note": g.map(|g| g.note.clone()),
            })
        })
        .collect();
    let doc = serde_json::json!({"plan": view.code, "version": view.version, "year": year, "objectives": objectives,
        "method": if allocation.is_empty() { "hours planned: the plan's actions of the year; hours allocated: not computed" } else { "hours planned: the plan's actions of the year; hours allocated: the allocation LP over the corps' net hours after the norm floors (veilig capacity allocate --plan)" }});
    Ok(store
        .add_review(
            &veilig_store::NewReview {
                zone_id: zone.id,
                kind: "annual".into(),
                period_from: NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
                period_to: NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
                held_on,
                document: doc.to_string(),
                decisions: vec![],
                closes: vec![],
            },
            audit,
        )
        .await?)
}
