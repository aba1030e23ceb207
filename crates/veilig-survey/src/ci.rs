//! Confidence intervals for proportions from complex samples, with the design's degrees of
//! freedom (as R's `svyciprop`): Korn-Graubard (beta; the default for small domains:
//! Korn & Graubard 1998), logit, Wilson (score interval on the effective sample size) and
//! the symmetric interval on the mean.

use serde::{Deserialize, Serialize};
use statrs::distribution::{Beta, ContinuousCDF, StudentsT};

use crate::estimate::Estimate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Korn-Graubard: Clopper-Pearson on the effective sample size, adjusted for the
    /// design's degrees of freedom.
    Beta,
    Logit,
    Wilson,
    Mean,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "beta" | "korn-graubard" => Some(Method::Beta),
            "logit" => Some(Method::Logit),
            "wilson" => Some(Method::Wilson),
            "mean" => Some(Method::Mean),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Beta => "beta (Korn-Graubard)",
            Method::Logit => "logit",
            Method::Wilson => "wilson",
            Method::Mean => "mean",
        }
    }
}

fn t_quantile(q: f64, df: f64) -> f64 {
    if df.is_finite() && df > 0.0 {
        StudentsT::new(0.0, 1.0, df)
            .expect("t distribution")
            .inverse_cdf(q)
    } else {
        statrs::distribution::Normal::new(0.0, 1.0)
            .expect("normal")
            .inverse_cdf(q)
    }
}

/// The interval of a proportion `e` at `level` (0.95).
pub fn interval(e: &Estimate, method: Method, level: f64) -> (f64, f64) {
    let p = e.estimate;
    let se = e.se;
    let alpha = 1.0 - level;
    let t = t_quantile(1.0 - alpha / 2.0, e.df);
    match method {
        Method::Mean => (p - t * se, p + t * se),
        Method::Logit => {
            if p <= 0.0 || p >= 1.0 || se == 0.0 {
                return (p, p);
            }
            let l = (p / (1.0 - p)).ln();
            let s = se / (p * (1.0 - p));
            let expit = |x: f64| 1.0 / (1.0 + (-x).exp());
            (expit(l - t * s), expit(l + t * s))
        }
        Method::Wilson => {
            // An estimate of 0 or 1 has no variance to scale by: the respondents count as
            // they are (design effect 1), so 0 of 50 is not "0 to 0".
            let n = if se == 0.0 && (p <= 0.0 || p >= 1.0) && e.n > 0 {
                e.n as f64
            } else if se == 0.0 {
                return (p, p);
            } else {
                p * (1.0 - p) / (se * se)
            };
            let z2 = t * t;
            let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
            let half = t / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
            (centre - half, centre + half)
        }
        Method::Beta => {
            let n_rows = e.n as f64;
            // An estimate of 0 or 1 has no variance to scale by: Korn and Graubard take the
            // respondents as they are (design effect 1), the exact Clopper-Pearson interval
            // of 0 of n (0 of 50: 0 to 7.1 %), never "0 to 0".
            let n = if se == 0.0 && (p <= 0.0 || p >= 1.0) && e.n > 0 {
                n_rows
            } else if se == 0.0 {
                return (p, p);
            } else {
                // The effective n, scaled by (t_{n−1} / t_df)² for the design's degrees of
                // freedom.
                let adj =
                    (t_quantile(alpha / 2.0, n_rows - 1.0) / t_quantile(alpha / 2.0, e.df)).powi(2);
                p * (1.0 - p) / (se * se) * adj
            };
            let x = n * p;
            let low = if x <= 0.0 {
                0.0
            } else {
                Beta::new(x, n - x + 1.0)
                    .expect("beta")
                    .inverse_cdf(alpha / 2.0)
            };
            let high = if n - x <= 0.0 {
                1.0
            } else {
                Beta::new(x + 1.0, n - x)
                    .expect("beta")
                    .inverse_cdf(1.0 - alpha / 2.0)
            };
            (low, high)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none_of(n: usize) -> Estimate {
        Estimate {
            estimate: 0.0,
            se: 0.0,
            df: n as f64 - 1.0,
            n,
            n_eff: n as f64,
            deff: None,
            population: n as f64,
            method: "test",
        }
    }

    #[test]
    fn none_of_fifty_is_not_zero_to_zero() {
        // Clopper-Pearson for 0 of 50: upper bound 1 − 0.025^(1/50).
        let (lo, hi) = interval(&none_of(50), Method::Beta, 0.95);
        assert_eq!(lo, 0.0);
        assert!(
            (hi - (1.0 - 0.025f64.powf(1.0 / 50.0))).abs() < 1e-9,
            "{hi}"
        );
        assert!((0.07..0.072).contains(&hi));
        let (lo, hi) = interval(&none_of(50), Method::Wilson, 0.95);
        assert!(lo.abs() < 1e-12 && hi > 0.05, "{lo} {hi}");
        // All of them: the mirror image.
        let all = Estimate {
            estimate: 1.0,
            ..none_of(50)
        };
        let (lo, hi) = interval(&all, Method::Beta, 0.95);
        assert!((lo - 0.025f64.powf(1.0 / 50.0)).abs() < 1e-9 && hi == 1.0);
    }
}
