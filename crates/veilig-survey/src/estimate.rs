//! Weighted totals, means and proportions over the whole sample or a domain, with their
//! linearised standard errors, design effects and Kish effective sample sizes; differences
//! between independent samples.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use crate::design::Design;

/// An estimate with what it needs to be shown honestly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub estimate: f64,
    pub se: f64,
    /// Degrees of freedom of the design (PSUs minus strata).
    pub df: f64,
    /// Respondents that answered (in the domain).
    pub n: usize,
    /// Kish's effective sample size of the respondents' weights, (Σw)² / Σw².
    pub n_eff: f64,
    /// Design effect against simple random sampling of the same size (means and
    /// proportions; with the finite-population correction (1 − n/N̂), as R's `survey`).
    pub deff: Option<f64>,
    /// The estimated population size (Σw over the respondents).
    pub population: f64,
    pub method: &'static str,
}

/// A value per respondent; None where missing or outside the domain.
pub type Column<'a> = &'a [Option<f64>];

fn kish(w: impl Iterator<Item = f64> + Clone) -> f64 {
    let s: f64 = w.clone().sum();
    let s2: f64 = w.map(|x| x * x).sum();
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// The weighted total of `y` (missing values count as outside the domain).
pub fn total(d: &Design, y: Column) -> Estimate {
    let u: Vec<f64> = (0..d.len())
        .map(|i| y[i].map_or(0.0, |v| d.weights[i] * v))
        .collect();
    let present = || (0..d.len()).filter(|&i| y[i].is_some());
    Estimate {
        estimate: u.iter().sum(),
        se: d.variance_of_total(&u).sqrt(),
        df: d.df(),
        n: present().count(),
        n_eff: kish(present().map(|i| d.weights[i])),
        deff: None,
        population: present().map(|i| d.weights[i]).sum(),
        method: "weighted total; linearised variance over strata and primary sampling units",
    }
}

/// The weighted mean of `y` over the respondents where it is present (a domain mean when
/// the column is None outside the domain): a ratio estimator, linearised.
pub fn mean(d: &Design, y: Column) -> Estimate {
    let present: Vec<usize> = (0..d.len()).filter(|&i| y[i].is_some()).collect();
    let w = |i: usize| d.weights[i];
    let sw: f64 = present.iter().map(|&i| w(i)).sum();
    let m = present.iter().map(|&i| w(i) * y[i].unwrap()).sum::<f64>() / sw;
    let mut u = vec![0.0; d.len()];
    for &i in &present {
        u[i] = w(i) * (y[i].unwrap() - m) / sw;
    }
    let var = d.variance_of_total(&u);
    // Simple random sampling of the same size: the weighted variance / n, with (1 − n/N̂).
    let n = present.len() as f64;
    let s2 = present
        .iter()
        .map(|&i| w(i) * (y[i].unwrap() - m).powi(2))
        .sum::<f64>()
        / sw
        * n
        / (n - 1.0);
    let vsrs = s2 / n * (sw - n) / sw;
    Estimate {
        estimate: m,
        se: var.sqrt(),
        df: d.df(),
        n: present.len(),
        n_eff: kish(present.iter().map(|&i| w(i))),
        deff: (vsrs > 0.0).then(|| var / vsrs),
        population: sw,
        method: "weighted mean (ratio estimator); linearised variance over strata and primary sampling units",
    }
}

/// The weighted proportion of respondents (where `answered`) for whom `yes` holds.
pub fn proportion(d: &Design, answered: &[bool], yes: &[bool]) -> Estimate {
    let y: Vec<Option<f64>> = (0..d.len())
        .map(|i| answered[i].then_some(if yes[i] { 1.0 } else { 0.0 }))
        .collect();
    Estimate {
        method: "weighted proportion; linearised variance over strata and primary sampling units",
        ..mean(d, &y)
    }
}

/// The difference a − b of two estimates from independent samples (two waves, or two
/// strata of one design), its standard error, and the two-sided p-value of a z-test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub difference: f64,
    pub se: f64,
    pub z: f64,
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

pub fn difference(a: &Estimate, b: &Estimate, level: f64) -> Difference {
    let diff = a.estimate - b.estimate;
    let se = (a.se * a.se + b.se * b.se).sqrt();
    let normal = Normal::new(0.0, 1.0).expect("normal");
    let z = if se > 0.0 { diff / se } else { 0.0 };
    let q = normal.inverse_cdf(1.0 - (1.0 - level) / 2.0);
    Difference {
        difference: diff,
        se,
        z,
        p_value: 2.0 * (1.0 - normal.cdf(z.abs())),
        ci_low: diff - q * se,
        ci_high: diff + q * se,
    }
}
