//! An indicator's definition: bound to a query of the store (incidents, calls, published
//! statistics, the survey) or entered by hand, with its baseline, direction and target.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IndicatorKind {
    Effect,
    Output,
    Process,
    Perception,
}

impl IndicatorKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "effect" => Some(Self::Effect),
            "output" => Some(Self::Output),
            "process" => Some(Self::Process),
            "perception" => Some(Self::Perception),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Effect => "effect",
            Self::Output => "output",
            Self::Process => "process",
            Self::Perception => "perception",
        }
    }
}

/// What an incident indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    Count,
    /// Per 1,000 inhabitants of the unit.
    RatePer1000,
    /// The unit's share of the zone's incidents of the phenomenon.
    Share,
}

/// Where the value comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Source {
    /// Incidents of one phenomenon (never a sum over phenomena) in the zone, one municipality
    /// (NIS code) or a set of wijken.
    Incidents {
        phenomenon: String,
        measure: Measure,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        municipality: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        wijken: Vec<String>,
    },
    /// Calls for service received, optionally of one category and one priority: their count,
    /// or with `percentile` that percentile of their response times (minutes from receipt
    /// to the first unit on scene).
    Calls {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        priority: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        percentile: Option<f64>,
    },
    /// One criminele figuur as published (latest closing date), for the zone's level or one
    /// area code; never summed with another.
    Published {
        category: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area_code: Option<String>,
    },
    /// A survey indicator (a proportion) for the zone, per wave.
    Survey { survey: String, indicator: String },
    /// Entered by hand where nothing can compute it (controls carried out, ...).
    Manual { unit: String },
}

impl Source {
    /// The unit of the values.
    pub fn unit(&self) -> String {
        match self {
            Source::Incidents { measure, .. } => match measure {
                Measure::Count => "count".into(),
                Measure::RatePer1000 => "per-1000-inhabitants".into(),
                Measure::Share => "share".into(),
            },
            Source::Calls {
                percentile: Some(_),
                ..
            } => "minutes".into(),
            Source::Calls { .. } => "count".into(),
            Source::Published { .. } => "count".into(),
            Source::Survey { .. } => "proportion".into(),
            Source::Manual { unit } => unit.clone(),
        }
    }

    /// Whether Veilig computes it (else it is entered).
    pub fn computed(&self) -> bool {
        !matches!(self, Source::Manual { .. })
    }

    /// Whether values are counts of events (Poisson: exact tests apply).
    pub fn counts_events(&self) -> bool {
        matches!(
            self,
            Source::Incidents {
                measure: Measure::Count,
                ..
            } | Source::Calls {
                percentile: None,
                ..
            } | Source::Published { .. }
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Lower is better (incidents, victims).
    Down,
    /// Higher is better (controls, satisfaction).
    Up,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    Year,
    Quarter,
}

/// The target: a value, or a change from the baseline in percent, by a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Target {
    Value { value: f64, by: NaiveDate },
    ChangePct { pct: f64, by: NaiveDate },
}

impl Target {
    pub fn by(&self) -> NaiveDate {
        match self {
            Target::Value { by, .. } | Target::ChangePct { by, .. } => *by,
        }
    }
}

/// The baseline period (its value is computed, or entered for a manual indicator).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Entered for a manual indicator; computed ones leave it empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    pub code: String,
    /// The plan objective it measures.
    pub objective: String,
    pub name: String,
    pub kind: IndicatorKind,
    #[serde(flatten)]
    pub source: Source,
    pub frequency: Frequency,
    pub baseline: Baseline,
    pub direction: Direction,
    pub target: Target,
}

/// The first day of the calendar period (year or quarter) containing `d`.
fn period_start(f: Frequency, d: NaiveDate) -> NaiveDate {
    match f {
        Frequency::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).expect("date"),
        Frequency::Quarter => {
            NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).expect("date")
        }
    }
}

fn next_start(f: Frequency, s: NaiveDate) -> NaiveDate {
    let months = match f {
        Frequency::Year => 12,
        Frequency::Quarter => 3,
    };
    s.checked_add_months(chrono::Months::new(months))
        .expect("date")
}

impl IndicatorDef {
    /// Every problem of the definition, each naming the field; empty when valid.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let c = &self.code;
        if self.code.is_empty()
            || self.code.len() > 40
            || !self
                .code
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_'))
        {
            out.push(format!(
                "indicator {c:?}: code must be 1-40 letters, digits, '.', '-', '_'"
            ));
        }
        if self.name.trim().is_empty() {
            out.push(format!("indicator {c}: name is empty"));
        }
        if self.baseline.to < self.baseline.from {
            out.push(format!("indicator {c}: baseline ends before it starts"));
        }
        if self.target.by() <= self.baseline.to {
            out.push(format!(
                "indicator {c}: target date {} is not after the baseline ({})",
                self.target.by(),
                self.baseline.to
            ));
        }
        match (&self.source, self.baseline.value) {
            (Source::Manual { unit }, v) => {
                if unit.trim().is_empty() {
                    out.push(format!("indicator {c}: a manual indicator needs its unit"));
                }
                if v.is_none() {
                    out.push(format!(
                        "indicator {c}: a manual indicator needs its baseline value"
                    ));
                }
            }
            (_, Some(_)) => out.push(format!(
                "indicator {c}: the baseline of a computed indicator is computed, not entered"
            )),
            _ => {}
        }
        // A target in the unit of the values.
        let unit = self.source.unit();
        match &self.target {
            Target::Value { value, .. } => {
                if !value.is_finite() || *value < 0.0 {
                    out.push(format!(
                        "indicator {c}: target value {value} must be 0 or more"
                    ));
                }
                if (unit == "share" || unit == "proportion") && *value > 1.0 {
                    out.push(format!(
                        "indicator {c}: target value {value} is not a {unit} (0 to 1; write 0.25 for 25 %)"
                    ));
                }
                if unit == "count" && value.fract() != 0.0 {
                    out.push(format!(
                        "indicator {c}: target value {value} is not a count"
                    ));
                }
            }
            Target::ChangePct { pct, .. } => {
                if !pct.is_finite() || *pct <= -100.0 {
                    out.push(format!(
                        "indicator {c}: a change of {pct} % is not possible"
                    ));
                }
                let wrong = match self.direction {
                    Direction::Down => *pct > 0.0,
                    Direction::Up => *pct < 0.0,
                };
                if wrong {
                    out.push(format!(
                        "indicator {c}: a change of {pct} % goes against its direction ({:?})",
                        self.direction
                    ));
                }
            }
        }
        if let Source::Calls {
            percentile: Some(q),
            ..
        } = &self.source
            && !(*q > 0.0 && *q < 100.0)
        {
            out.push(format!(
                "indicator {c}: percentile {q} must lie between 0 and 100"
            ));
        }
        if let Source::Incidents {
            measure: Measure::Share,
            municipality: None,
            wijken,
            ..
        } = &self.source
            && wijken.is_empty()
        {
            out.push(format!(
                "indicator {c}: the zone's share of its own incidents is always 1: give a municipality or wijken"
            ));
        }
        out
    }

    /// The value the target asks for, given the baseline's.
    pub fn target_value(&self, baseline: f64) -> f64 {
        match &self.target {
            Target::Value { value, .. } => *value,
            Target::ChangePct { pct, .. } => baseline * (1.0 + pct / 100.0),
        }
    }

    /// Where the indicator should be at `at` on the straight path from the baseline (at the
    /// baseline's end) to the target (at its date).
    pub fn path_value(&self, baseline: f64, at: NaiveDate) -> f64 {
        let t = self.target_value(baseline);
        let span = (self.target.by() - self.baseline.to).num_days() as f64;
        let done = ((at - self.baseline.to).num_days() as f64 / span).clamp(0.0, 1.0);
        baseline + (t - baseline) * done
    }

    /// The complete calendar periods (years or quarters) after the baseline and up to
    /// `until`, oldest first.
    pub fn periods(&self, until: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
        let mut out = Vec::new();
        let mut s = next_start(
            self.frequency,
            period_start(self.frequency, self.baseline.to),
        );
        if period_start(self.frequency, self.baseline.to + chrono::Duration::days(1))
            == self.baseline.to + chrono::Duration::days(1)
        {
            s = self.baseline.to + chrono::Duration::days(1);
        }
        loop {
            let e = next_start(self.frequency, s).pred_opt().expect("date");
            if e > until {
                break;
            }
            out.push((s, e));
            s = next_start(self.frequency, s);
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub fn burglary() -> IndicatorDef {
        IndicatorDef {
            code: "I1".into(),
            objective: "SD1".into(),
            name: "Woninginbraken in de zone".into(),
            kind: IndicatorKind::Effect,
            source: Source::Incidents {
                phenomenon: "woninginbraak".into(),
                measure: Measure::Count,
                municipality: None,
                wijken: vec![],
            },
            frequency: Frequency::Year,
            baseline: Baseline {
                from: d("2023-01-01"),
                to: d("2023-12-31"),
                value: None,
            },
            direction: Direction::Down,
            target: Target::ChangePct {
                pct: -15.0,
                by: d("2031-12-31"),
            },
        }
    }

    #[test]
    fn a_definition_names_its_faults() {
        let i = burglary();
        assert!(i.problems().is_empty(), "{:?}", i.problems());
        let mut bad = i.clone();
        bad.target = Target::ChangePct {
            pct: 10.0,
            by: d("2031-12-31"),
        };
        assert!(bad.problems()[0].contains("goes against its direction"));
        let mut bad = i.clone();
        bad.source = Source::Survey {
            survey: "vm".into(),
            indicator: "onveilig".into(),
        };
        bad.target = Target::Value {
            value: 25.0,
            by: d("2031-12-31"),
        };
        assert!(
            bad.problems()[0].contains("is not a proportion"),
            "{:?}",
            bad.problems()
        );
        let mut bad = i.clone();
        bad.baseline.value = Some(300.0);
        assert!(bad.problems()[0].contains("computed, not entered"));
        let mut bad = i.clone();
        bad.source = Source::Manual {
            unit: "controles".into(),
        };
        assert!(bad.problems()[0].contains("needs its baseline value"));
    }

    #[test]
    fn the_path_and_the_periods() {
        let i = burglary();
        // Baseline 200: the target is 170 by 2031-12-31; halfway (2027-12-31) 185.
        assert_eq!(i.target_value(200.0), 170.0);
        assert!((i.path_value(200.0, d("2027-12-31")) - 185.0).abs() < 0.1);
        assert_eq!(i.path_value(200.0, d("2020-01-01")), 200.0);
        let p = i.periods(d("2026-10-31"));
        assert_eq!(
            p,
            vec![
                (d("2024-01-01"), d("2024-12-31")),
                (d("2025-01-01"), d("2025-12-31"))
            ]
        );
        let mut q = i.clone();
        q.frequency = Frequency::Quarter;
        assert_eq!(q.periods(d("2024-07-15")).len(), 2);
    }
}
