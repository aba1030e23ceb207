//! Progress against the target, honestly: "off track" only when the indicator is significantly
//! behind the straight path from its baseline to its target (a count's exact Poisson interval,
//! an estimate's confidence interval; a value entered by hand has none and is compared as
//! it is); a count's change from the baseline carries the picture's exact test.

use chrono::NaiveDate;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use veilig_analysis::{Comparison, TestRules, Verdict, compare};

use crate::indicator::{Direction, IndicatorDef};

/// One measured value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub value: f64,
    /// The 95 % interval of an estimate (a survey proportion), when it has one.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// For event counts: the count and the days it was counted over.
    pub count: Option<u64>,
    pub exposure_days: Option<f64>,
}

impl Observation {
    pub fn value(v: f64) -> Observation {
        Observation {
            value: v,
            low: None,
            high: None,
            count: None,
            exposure_days: None,
        }
    }

    pub fn count(n: u64, days: f64) -> Observation {
        let (low, high) = poisson_interval(n, 0.95);
        Observation {
            value: n as f64,
            low: Some(low),
            high: Some(high),
            count: Some(n),
            exposure_days: Some(days),
        }
    }
}

/// The exact (Garwood) interval of a Poisson mean from one count.
pub fn poisson_interval(n: u64, level: f64) -> (f64, f64) {
    let a = 1.0 - level;
    let low = if n == 0 {
        0.0
    } else {
        ChiSquared::new(2.0 * n as f64)
            .expect("df > 0")
            .inverse_cdf(a / 2.0)
            / 2.0
    };
    let high = ChiSquared::new(2.0 * n as f64 + 2.0)
        .expect("df > 0")
        .inverse_cdf(1.0 - a / 2.0)
        / 2.0;
    (low, high)
}

/// The `q`-th percentile (0-100) of sorted values with its distribution-free 95 % interval:
/// the order statistics whose ranks bound n·p ± 1.96·√(n·p·(1−p)) (the normal approximation
/// to the binomial count of values below the percentile). None for no values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<Observation> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let p = q / 100.0;
    let at = |rank: f64| sorted[(rank.ceil() as usize).clamp(1, n) - 1];
    let np = n as f64 * p;
    let half = 1.96 * (np * (1.0 - p)).sqrt();
    Some(Observation {
        value: at(np),
        low: Some(at(np - half)),
        high: Some(at(np + half + 1.0)),
        count: None,
        exposure_days: None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    OnTrack,
    OffTrack,
    NotYetMeasurable,
    TooFewEvents,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::OnTrack => "on-track",
            Status::OffTrack => "off-track",
            Status::NotYetMeasurable => "not-yet-measurable",
            Status::TooFewEvents => "too-few-events",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub status: Status,
    pub baseline: Option<f64>,
    pub latest: Option<f64>,
    pub latest_period_end: Option<NaiveDate>,
    /// Where the path from baseline to target stands at the latest period's end.
    pub path: Option<f64>,
    pub target: Option<f64>,
    pub change_pct: Option<f64>,
    /// A count's change from the baseline: the picture's exact conditional Poisson test.
    pub comparison: Option<Comparison>,
    pub method: &'static str,
}

const METHOD: &str = "off track only when significantly behind the straight path from baseline to target (95 %: exact Poisson interval of a count, the estimate's interval of a survey value; a value entered by hand is compared as it is); a count's change from the baseline: exact conditional Poisson test";

/// The verdict on an indicator from its baseline and its latest complete period.
pub fn progress(
    def: &IndicatorDef,
    baseline: Option<&Observation>,
    latest: Option<(NaiveDate, &Observation)>,
    rules: TestRules,
) -> Progress {
    let none = |status| Progress {
        status,
        baseline: baseline.map(|b| b.value),
        latest: latest.map(|l| l.1.value),
        latest_period_end: latest.map(|l| l.0),
        path: None,
        target: baseline.map(|b| def.target_value(b.value)),
        change_pct: None,
        comparison: None,
        method: METHOD,
    };
    let (Some(b), Some((end, l))) = (baseline, latest) else {
        return none(Status::NotYetMeasurable);
    };
    let comparison = match (l.count, l.exposure_days, b.count, b.exposure_days) {
        (Some(x), Some(ex), Some(y), Some(ey)) => Some(compare(x, ex, y, ey, rules)),
        _ => None,
    };
    if comparison
        .as_ref()
        .is_some_and(|c| c.verdict == Verdict::TooFewEvents)
    {
        return Progress {
            comparison,
            ..none(Status::TooFewEvents)
        };
    }
    // The path in the latest period's units (a count over a shorter period scales down).
    let scale = match (l.exposure_days, b.exposure_days) {
        (Some(ex), Some(ey)) if ey > 0.0 => ex / ey,
        _ => 1.0,
    };
    let path = def.path_value(b.value, end) * scale;
    let behind = match def.direction {
        // Lower is better: behind when even the interval's low end is above the path.
        Direction::Down => l.low.unwrap_or(l.value) > path + 1e-9,
        Direction::Up => l.high.unwrap_or(l.value) < path - 1e-9,
    };
    let base = b.value * scale;
    Progress {
        status: if behind {
            Status::OffTrack
        } else {
            Status::OnTrack
        },
        baseline: Some(b.value),
        latest: Some(l.value),
        latest_period_end: Some(end),
        path: Some(path),
        target: Some(def.target_value(b.value)),
        change_pct: (base > 0.0).then(|| (l.value / base - 1.0) * 100.0),
        comparison,
        method: METHOD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::tests::{burglary, d};
    use crate::indicator::{Source, Target};

    const RULES: TestRules = TestRules {
        alpha: 0.05,
        min_events: 10,
    };

    #[test]
    fn a_percentile_with_its_interval() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let o = percentile(&v, 90.0).unwrap();
        // n p = 90, half-width 1.96 * 3 = 5.9: ranks 85 to 97.
        assert_eq!((o.value, o.low, o.high), (90.0, Some(85.0), Some(97.0)));
        assert_eq!(percentile(&[7.0], 90.0).unwrap().value, 7.0);
        assert!(percentile(&[], 50.0).is_none());
    }

    #[test]
    fn the_garwood_interval_matches_known_values() {
        // Known values (e.g. R poisson.test): x = 10 -> 4.7954 to 18.3904; x = 0 -> 0 to 3.6889.
        let (l, h) = poisson_interval(10, 0.95);
        assert!(
            (l - 4.795_389).abs() < 1e-4 && (h - 18.390_356).abs() < 1e-4,
            "{l} {h}"
        );
        let (l, h) = poisson_interval(0, 0.95);
        assert!(l == 0.0 && (h - 3.688_879).abs() < 1e-4);
    }

    #[test]
    fn off_track_only_when_significantly_behind_the_path() {
        let i = burglary(); // -15 % from 2023 by 2031
        let b = Observation::count(200, 365.0);
        // 2025: the path stands at about 200 - 30 * 2/8 = 192.5. 197 is behind it but within
        // chance: on track (not shown to be off). 240 is significantly above the path (its
        // interval starts at 210.6): off track, though not yet significantly above the
        // baseline (p = 0.06); 260 is both.
        let p = progress(
            &i,
            Some(&b),
            Some((d("2025-12-31"), &Observation::count(197, 365.0))),
            RULES,
        );
        assert_eq!(p.status, Status::OnTrack);
        assert!((p.path.unwrap() - 192.5).abs() < 0.2, "{:?}", p.path);
        let p = progress(
            &i,
            Some(&b),
            Some((d("2025-12-31"), &Observation::count(240, 365.0))),
            RULES,
        );
        assert_eq!(p.status, Status::OffTrack);
        assert_eq!(p.comparison.unwrap().verdict, Verdict::NoSignificantChange);
        let p = progress(
            &i,
            Some(&b),
            Some((d("2025-12-31"), &Observation::count(260, 365.0))),
            RULES,
        );
        assert_eq!(p.status, Status::OffTrack);
        assert_eq!(p.comparison.unwrap().verdict, Verdict::SignificantlyHigher);
        // Too few events to say anything.
        let p = progress(
            &i,
            Some(&Observation::count(3, 365.0)),
            Some((d("2025-12-31"), &Observation::count(5, 365.0))),
            RULES,
        );
        assert_eq!(p.status, Status::TooFewEvents);
        assert_eq!(
            progress(&i, Some(&b), None, RULES).status,
            Status::NotYetMeasurable
        );
    }

    #[test]
    fn an_entered_value_and_an_estimate() {
        let mut i = burglary();
        i.source = Source::Manual {
            unit: "controles".into(),
        };
        i.direction = Direction::Up;
        i.baseline.value = Some(100.0);
        i.target = Target::Value {
            value: 120.0,
            by: d("2027-12-31"),
        };
        // Half-way (end 2025) the path is 110: 105 is behind (no interval for a typed value).
        let p = progress(
            &i,
            Some(&Observation::value(100.0)),
            Some((d("2025-12-31"), &Observation::value(105.0))),
            RULES,
        );
        assert_eq!(p.status, Status::OffTrack);
        // A survey share with an interval reaching the path is not off track.
        i.source = Source::Survey {
            survey: "vm".into(),
            indicator: "tevreden".into(),
        };
        i.baseline.value = None;
        i.target = Target::Value {
            value: 0.8,
            by: d("2027-12-31"),
        };
        let mut o = Observation::value(0.72);
        o.low = Some(0.68);
        o.high = Some(0.76);
        let p = progress(
            &i,
            Some(&Observation::value(0.70)),
            Some((d("2025-12-31"), &o)),
            RULES,
        );
        assert_eq!(p.status, Status::OnTrack, "path {:?}", p.path);
    }
}
