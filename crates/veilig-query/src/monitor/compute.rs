//! Computing an indicator's value for a period from the store: incidents as the overview
//! counts them, calls, published statistics as published, survey waves.
use std::collections::{BTreeSet, HashMap};

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use veilig_domain::{PopulationLevel, Zone};
use veilig_monitor::{IndicatorDef, Measure, Observation, Source};
use veilig_store::{IncidentQuery, Store};

/// Figures of the last three months are provisional: recent records are still being
/// completed and corrected (POLICY-CYCLE.md §4, "recent figures are incomplete").
pub(super) const PROVISIONAL_DAYS: i64 = 92;

pub(super) fn midnight(d: NaiveDate) -> NaiveDateTime {
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
pub(super) fn same_quarter(def: &IndicatorDef, start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
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
