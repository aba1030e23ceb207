//! Quantiles (the median, percentiles) of a weighted sample with Woodruff's interval: the
//! interval of the estimated share at or below the quantile, read back through the weighted
//! distribution function (Woodruff 1952; R's `svyquantile`, `qrule = "math"`,
//! `interval.type = "mean"`, its defaults).

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::design::Design;
use crate::estimate::{Column, mean};

/// A quantile with its interval; `se` is the interval's width over 2·t (as R reports it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantile {
    pub p: f64,
    pub estimate: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub se: Option<f64>,
    pub df: f64,
    pub n: usize,
    pub method: &'static str,
}

/// The smallest value whose weighted share at or below it reaches p ("math" rule: the
/// lower value when p falls exactly on a step, else the next).
fn weighted_quantile(sorted: &[(f64, f64)], total: f64, p: f64) -> f64 {
    let mut cum = 0.0;
    let mut pos = None;
    for (i, (_, w)) in sorted.iter().enumerate() {
        cum += w;
        if cum <= p * total {
            pos = Some((i, cum));
        } else {
            break;
        }
    }
    match pos {
        None => sorted[0].0,
        Some((i, cum)) => {
            if p - cum / total == 0.0 || i + 1 == sorted.len() {
                sorted[i].0
            } else {
                sorted[i + 1].0
            }
        }
    }
}

/// The p-quantile of `y` under weights `w`, without an interval (for replicates).
pub fn point(y: Column, w: &[f64], p: f64) -> f64 {
    let mut sorted: Vec<(f64, f64)> = y
        .iter()
        .zip(w)
        .filter_map(|(v, w)| v.filter(|_| *w > 0.0).map(|v| (v, *w)))
        .collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = sorted.iter().map(|x| x.1).sum();
    weighted_quantile(&sorted, total, p)
}

/// The p-quantile of `y` (None: missing or outside the domain) with its `level` interval.
pub fn quantile(d: &Design, y: Column, p: f64, level: f64) -> Quantile {
    let mut sorted: Vec<(f64, f64)> = (0..d.len())
        .filter_map(|i| y[i].map(|v| (v, d.weights[i])))
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = sorted.iter().map(|x| x.1).sum();
    let df = d.df();
    let n = sorted.len();
    let method = "weighted quantile; Woodruff interval from the linearised variance of the share at or below it";
    if n == 0 {
        return Quantile {
            p,
            estimate: f64::NAN,
            ci_low: None,
            ci_high: None,
            se: None,
            df,
            n,
            method,
        };
    }
    let q = weighted_quantile(&sorted, total, p);
    let below: Vec<Option<f64>> = (0..d.len())
        .map(|i| y[i].map(|v| if v <= q { 1.0 } else { 0.0 }))
        .collect();
    let share = mean(d, &below);
    let t = StudentsT::new(0.0, 1.0, df.max(1.0)).expect("df");
    let crit = t.inverse_cdf(1.0 - (1.0 - level) / 2.0);
    let (lo, hi) = (
        share.estimate - crit * share.se,
        share.estimate + crit * share.se,
    );
    let back = |s: f64| {
        (0.0..=1.0)
            .contains(&s)
            .then(|| weighted_quantile(&sorted, total, s))
    };
    let (ci_low, ci_high) = (back(lo), back(hi));
    Quantile {
        p,
        estimate: q,
        ci_low,
        ci_high,
        se: ci_low.zip(ci_high).map(|(a, b)| (b - a) / (2.0 * crit)),
        df,
        n,
        method,
    }
}
