//! Weighted totals, means and proportions over the whole sample or a domain, with their
//! linearised standard errors, design effects and Kish effective sample sizes; differences
//! between independent samples.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

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
    /// Degrees of freedom of the t-test (None: a z-test, for independent samples).
    pub df: Option<f64>,
    pub method: &'static str,
}

/// The test of a difference with its standard error: z (df None) or t with df.
pub fn tested(diff: f64, se: f64, df: Option<f64>, level: f64, method: &'static str) -> Difference {
    let z = if se > 0.0 { diff / se } else { 0.0 };
    let (p_value, q) = match df {
        Some(df) if df > 0.0 => {
            let t = StudentsT::new(0.0, 1.0, df).expect("df > 0");
            (
                2.0 * (1.0 - t.cdf(z.abs())),
                t.inverse_cdf(1.0 - (1.0 - level) / 2.0),
            )
        }
        _ => {
            let normal = Normal::new(0.0, 1.0).expect("normal");
            (
                2.0 * (1.0 - normal.cdf(z.abs())),
                normal.inverse_cdf(1.0 - (1.0 - level) / 2.0),
            )
        }
    };
    Difference {
        difference: diff,
        se,
        z,
        p_value,
        ci_low: diff - q * se,
        ci_high: diff + q * se,
        df,
        method,
    }
}

/// The difference of the means of `y` between two domains of one sample (`in_a` minus
/// `in_b`), with the design covariance of the two (R's `svyby(..., covmat=TRUE)` and
/// `svycontrast`): the influence of the difference is the difference of the domains'
/// influences, so PSUs holding respondents of both count once. A design-based t-test with
/// the design's degrees of freedom.
pub fn contrast(d: &Design, y: Column, in_a: &[bool], in_b: &[bool], level: f64) -> Difference {
    let influence = |inside: &[bool]| -> (f64, Vec<f64>) {
        let present: Vec<usize> = (0..d.len())
            .filter(|&i| inside[i] && y[i].is_some())
            .collect();
        let sw: f64 = present.iter().map(|&i| d.weights[i]).sum();
        let m = present
            .iter()
            .map(|&i| d.weights[i] * y[i].unwrap_or(0.0))
            .sum::<f64>()
            / sw;
        let mut u = vec![0.0; d.len()];
        for &i in &present {
            u[i] = d.weights[i] * (y[i].unwrap_or(0.0) - m) / sw;
        }
        (m, u)
    };
    let (ma, ua) = influence(in_a);
    let (mb, ub) = influence(in_b);
    let u: Vec<f64> = ua.iter().zip(&ub).map(|(a, b)| a - b).collect();
    tested(
        ma - mb,
        d.variance_of_total(&u).sqrt(),
        Some(d.df()),
        level,
        "difference of two domains of one sample, with their design covariance; t-test",
    )
}

pub fn difference(a: &Estimate, b: &Estimate, level: f64) -> Difference {
    let se = (a.se * a.se + b.se * b.se).sqrt();
    tested(
        a.estimate - b.estimate,
        se,
        None,
        level,
        "difference of two independent samples; z-test",
    )
}
