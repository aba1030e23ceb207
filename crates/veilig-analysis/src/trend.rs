//! Change over years, the seasonal profile, and the control chart.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// The yearly trend of a count, from a Poisson regression `log E[y] = a + b·year + log(exposure)`
/// fitted by iteratively reweighted least squares; `b`'s 95 % Wald interval gives the
/// annual change with its uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub years: Vec<i32>,
    pub counts: Vec<u64>,
    /// Days observed per year (partial years weigh less).
    pub exposure: Vec<f64>,
    pub slope: f64,
    pub slope_se: f64,
    /// Annual change in percent, exp(b) − 1, and its 95 % interval.
    pub annual_change_pct: f64,
    pub annual_change_low_pct: f64,
    pub annual_change_high_pct: f64,
    /// Two-sided p-value of b = 0 (Wald).
    pub p_value: f64,
    pub method: &'static str,
}

/// Fits the trend; `None` with fewer than 3 years or no events.
pub fn poisson_trend(years: &[i32], counts: &[u64], exposure: &[f64]) -> Option<Trend> {
    let n = years.len();
    if n < 3 || counts.iter().sum::<u64>() == 0 {
        return None;
    }
    let x0 = years[0] as f64;
    let xs: Vec<f64> = years.iter().map(|y| *y as f64 - x0).collect();
    let off: Vec<f64> = exposure.iter().map(|t| t.ln()).collect();
    let ys: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
    // Start from the overall rate, flat.
    let mut a = (ys.iter().sum::<f64>() / exposure.iter().sum::<f64>()).ln();
    let mut b = 0.0;
    let mut info = [[0.0; 2]; 2];
    for _ in 0..50 {
        // Score and Fisher information of (a, b).
        let (mut s0, mut s1) = (0.0, 0.0);
        info = [[0.0; 2]; 2];
        for i in 0..n {
            let mu = (a + b * xs[i] + off[i]).exp();
            s0 += ys[i] - mu;
            s1 += (ys[i] - mu) * xs[i];
            info[0][0] += mu;
            info[0][1] += mu * xs[i];
            info[1][1] += mu * xs[i] * xs[i];
        }
        info[1][0] = info[0][1];
        let det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
        if det.abs() < 1e-300 {
            return None;
        }
        let da = (info[1][1] * s0 - info[0][1] * s1) / det;
        let db = (info[0][0] * s1 - info[1][0] * s0) / det;
        a += da;
        b += db;
        if da.abs() < 1e-12 && db.abs() < 1e-12 {
            break;
        }
    }
    let det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
    let se = (info[0][0] / det).sqrt();
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    let z = 1.959963984540054;
    Some(Trend {
        years: years.to_vec(),
        counts: counts.to_vec(),
        exposure: exposure.to_vec(),
        slope: b,
        slope_se: se,
        annual_change_pct: (b.exp() - 1.0) * 100.0,
        annual_change_low_pct: ((b - z * se).exp() - 1.0) * 100.0,
        annual_change_high_pct: ((b + z * se).exp() - 1.0) * 100.0,
        p_value: 2.0 * (1.0 - normal.cdf((b / se).abs())),
        method: "Poisson regression on year with log(exposure days) offset, IRLS; 95 % Wald interval",
    })
}

/// The monthly profile: each calendar month's daily rate against the long-run daily rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Seasonality {
    /// Index per month (January first): 1.2 means 20 % above the year-round rate.
    pub index: [f64; 12],
    pub events: [u64; 12],
    pub days: [f64; 12],
}

pub fn seasonality(events: [u64; 12], days: [f64; 12]) -> Seasonality {
    let rate = events.iter().sum::<u64>() as f64 / days.iter().sum::<f64>();
    let mut index = [0.0; 12];
    for m in 0..12 {
        index[m] = if days[m] > 0.0 && rate > 0.0 {
            events[m] as f64 / days[m] / rate
        } else {
            0.0
        };
    }
    Seasonality {
        index,
        events,
        days,
    }
}

/// Poisson quantile: the smallest k with P(X ≤ k) ≥ q.
pub fn poisson_quantile(mu: f64, q: f64) -> u64 {
    if mu <= 0.0 {
        return 0;
    }
    let mut p = (-mu).exp();
    let mut cdf = p;
    let mut k = 0u64;
    if p == 0.0 {
        // Large mean: start near the mode in log space.
        k = mu.floor() as u64;
        let lp = -mu + k as f64 * mu.ln() - statrs::function::gamma::ln_gamma(k as f64 + 1.0);
        p = lp.exp();
        // CDF at the mode by the regularised gamma function.
        cdf = 1.0 - statrs::function::gamma::gamma_lr(k as f64 + 1.0, mu);
        while cdf > q && k > 0 {
            cdf -= p;
            p *= k as f64 / mu;
            k -= 1;
        }
    }
    while cdf < q {
        k += 1;
        p *= mu / k as f64;
        cdf += p;
    }
    k
}

/// One month of the control chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlPoint {
    pub year: i32,
    pub month: u32,
    pub count: u64,
    pub expected: f64,
    pub lower: u64,
    pub upper: u64,
    /// `above`, `below` or `within`.
    pub flag: &'static str,
}

/// Monthly counts against what history predicts: the mean of the same month in the previous
/// `history` years, with exact Poisson limits at the 3-sigma probabilities (0.135 % and
/// 99.865 %). Months without `history` years behind them get no point.
pub fn control_chart(years: &[i32], counts: &[[u64; 12]], history: usize) -> Vec<ControlPoint> {
    let mut out = Vec::new();
    for i in history..years.len() {
        for (m, &c) in counts[i].iter().enumerate() {
            let expected =
                (i - history..i).map(|j| counts[j][m] as f64).sum::<f64>() / history as f64;
            let lower = poisson_quantile(expected, 0.00135);
            let upper = poisson_quantile(expected, 0.99865);
            out.push(ControlPoint {
                year: years[i],
                month: m as u32 + 1,
                count: c,
                expected,
                lower,
                upper,
                flag: if c > upper {
                    "above"
                } else if c < lower {
                    "below"
                } else {
                    "within"
                },
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: statsmodels 0.15.0 `GLM(y, add_constant(year), family=Poisson(),
    /// offset=log(exposure))`, computed 2026-11-21.
    #[test]
    fn poisson_regression_matches_statsmodels() {
        let t = poisson_trend(
            &[2019, 2020, 2021, 2022, 2023],
            &[100, 110, 125, 130, 150],
            &[365.0, 366.0, 365.0, 365.0, 365.0],
        )
        .unwrap();
        assert!((t.slope - 0.09826371).abs() < 1e-7, "{}", t.slope);
        assert!((t.slope_se - 0.02869413).abs() < 1e-7, "{}", t.slope_se);
        assert!(t.p_value < 0.001);
        let t = poisson_trend(
            &[2019, 2020, 2021, 2022, 2023],
            &[50, 48, 52, 47, 30],
            &[365.0, 365.0, 366.0, 365.0, 200.0],
        )
        .unwrap();
        assert!((t.slope - 0.01024942).abs() < 1e-7 && (t.slope_se - 0.04998534).abs() < 1e-7);
        assert!(t.annual_change_low_pct < 0.0 && t.annual_change_high_pct > 0.0);
    }

    /// Reference: SciPy 1.17.1 `scipy.stats.poisson.ppf(q, mu)`.
    #[test]
    fn poisson_quantiles_match_scipy() {
        for (mu, lo, hi) in [(4.0, 0, 11), (20.0, 8, 35), (123.5, 92, 158)] {
            assert_eq!(poisson_quantile(mu, 0.00135), lo, "{mu}");
            assert_eq!(poisson_quantile(mu, 0.99865), hi, "{mu}");
        }
        assert_eq!(poisson_quantile(2000.0, 0.5), 2000);
    }

    #[test]
    fn control_chart_flags_outliers() {
        let years = [2020, 2021, 2022, 2023];
        let counts = [[20; 12], [20; 12], [20; 12], {
            let mut c = [20; 12];
            c[3] = 40;
            c[7] = 5;
            c
        }];
        let pts = control_chart(&years, &counts, 3);
        assert_eq!(pts.len(), 12);
        assert_eq!(pts[3].flag, "above");
        assert_eq!(pts[7].flag, "below");
        assert_eq!(pts.iter().filter(|p| p.flag == "within").count(), 10);
    }

    #[test]
    fn seasonality_index_averages_to_one() {
        let days = [
            31.0, 28.0, 31.0, 30.0, 31.0, 30.0, 31.0, 31.0, 30.0, 31.0, 30.0, 31.0,
        ];
        let s = seasonality([62, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 62], days);
        assert!(s.index[0] > 1.5 && s.index[5] < 1.0);
        let weighted: f64 = (0..12).map(|m| s.index[m] * days[m]).sum::<f64>() / 365.0;
        assert!((weighted - 1.0).abs() < 1e-12);
    }
}
