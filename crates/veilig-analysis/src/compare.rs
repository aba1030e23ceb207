//! Is a change real? Two counts compared with the exact conditional Poisson test.
//!
//! Given `x1` events in exposure `t1` (days, or person-days) and `x0` in `t0`, under equal
//! rates `x1 | x1 + x0 = n` is Binomial(n, p0) with `p0 = t1 / (t1 + t0)` (Przyborowski &
//! Wilenski 1940; the method of R's `poisson.test` for two samples). The two-sided p-value
//! sums the probabilities of all outcomes no more likely than the one observed (R's and
//! SciPy's `binomtest` "minlike"). The rate ratio's interval maps the Clopper-Pearson
//! interval for the binomial proportion onto `(p / (1 - p)) · (t0 / t1)`.

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF};
use statrs::function::gamma::ln_gamma;

/// What a comparison says, in words an analyst can repeat in a council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    SignificantlyHigher,
    SignificantlyLower,
    NoSignificantChange,
    /// Too few events for any test to tell a change from chance.
    TooFewEvents,
    /// Not given: a count it rests on is hidden by disclosure control (never the outcome of
    /// a test; a verdict on hidden counts would give them away).
    Withheld,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::SignificantlyHigher => "significantly-higher",
            Verdict::SignificantlyLower => "significantly-lower",
            Verdict::NoSignificantChange => "no-significant-change",
            Verdict::TooFewEvents => "too-few-events",
            Verdict::Withheld => "withheld",
        }
    }
}

/// The rules of a comparison: data, not constants, so a zone can state its own.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestRules {
    /// Significance level (default 0.05).
    pub alpha: f64,
    /// Below this many events in both periods together, no verdict is given (default 10).
    pub min_events: u64,
}

impl Default for TestRules {
    fn default() -> Self {
        TestRules {
            alpha: 0.05,
            min_events: 10,
        }
    }
}

/// A current count against a baseline, with its test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub current: u64,
    /// Exposure of the current period (days).
    pub current_exposure: f64,
    /// Baseline events, summed over its exposure.
    pub baseline_events: u64,
    pub baseline_exposure: f64,
    /// The baseline scaled to the current exposure: what "normal" would have been.
    pub baseline: f64,
    /// The baseline's count per period like the current one (the previous year's count, or
    /// the mean of the three years before): the figure shown beside the count, from which
    /// `change_pct` is recomputed.
    pub baseline_per_period: Option<f64>,
    /// Rate ratio current / baseline, with its 95 % interval (None when undefined).
    pub rate_ratio: Option<f64>,
    pub rate_ratio_low: Option<f64>,
    pub rate_ratio_high: Option<f64>,
    /// Percentage change of the count against the baseline's count per period (None when
    /// the baseline is 0): what a reader recomputes from the two counts shown beside it
    /// (203 against 277 is −26.7 %, though 2024 had a day more). Only when the periods are
    /// of unlike length (not whole multiples up to leap days) is it the change of the daily
    /// rate, `rate_ratio` − 1. Never shown without `verdict`.
    pub change_pct: Option<f64>,
    pub p_value: f64,
    pub verdict: Verdict,
    pub method: &'static str,
    pub rules: TestRules,
}

fn ln_binom_pmf(k: u64, n: u64, p: f64) -> f64 {
    if p <= 0.0 {
        return if k == 0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if p >= 1.0 {
        return if k == n { 0.0 } else { f64::NEG_INFINITY };
    }
    let (k, n) = (k as f64, n as f64);
    ln_gamma(n + 1.0) - ln_gamma(k + 1.0) - ln_gamma(n - k + 1.0)
        + k * p.ln()
        + (n - k) * (1.0 - p).ln()
}

/// Two-sided exact binomial test, "minlike" p-value (as R's `binom.test`, SciPy's `binomtest`).
pub fn binomial_test(x: u64, n: u64, p: f64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let d = ln_binom_pmf(x, n, p);
    // Relative tolerance as R uses (1 + 1e-7), so ties of equal probability count.
    let threshold = d + (1.0f64 + 1e-7).ln();
    let mut total = 0.0;
    for k in 0..=n {
        let l = ln_binom_pmf(k, n, p);
        if l <= threshold {
            total += l.exp();
        }
    }
    total.min(1.0)
}

/// Clopper-Pearson interval for a binomial proportion.
pub fn clopper_pearson(x: u64, n: u64, confidence: f64) -> (f64, f64) {
    let a = (1.0 - confidence) / 2.0;
    let (xf, nf) = (x as f64, n as f64);
    let low = if x == 0 {
        0.0
    } else {
        Beta::new(xf, nf - xf + 1.0)
            .map(|b| b.inverse_cdf(a))
            .unwrap_or(0.0)
    };
    let high = if x == n {
        1.0
    } else {
        Beta::new(xf + 1.0, nf - xf)
            .map(|b| b.inverse_cdf(1.0 - a))
            .unwrap_or(1.0)
    };
    (low, high)
}

/// Compares `current` events in `current_exposure` with `baseline_events` in
/// `baseline_exposure` (same unit, e.g. days).
/// The baseline's count per period like the current one: per baseline period when the
/// baseline spans a whole number of periods like the current one (a leap day apart), else the
/// count scaled by exposure.
fn per_period(cur_days: f64, baseline_events: u64, base_days: f64) -> Option<f64> {
    if cur_days <= 0.0 || base_days <= 0.0 {
        return None;
    }
    let periods = (base_days / cur_days).round();
    let like = periods >= 1.0 && (base_days - periods * cur_days).abs() <= periods.max(1.0);
    Some(if like {
        baseline_events as f64 / periods
    } else {
        baseline_events as f64 * cur_days / base_days
    })
}

pub fn compare(
    current: u64,
    current_exposure: f64,
    baseline_events: u64,
    baseline_exposure: f64,
    rules: TestRules,
) -> Comparison {
    let n = current + baseline_events;
    let p0 = current_exposure / (current_exposure + baseline_exposure);
    let baseline = baseline_events as f64 * current_exposure / baseline_exposure;
    let p_value = binomial_test(current, n, p0);
    let scale = baseline_exposure / current_exposure;
    let ratio = |p: f64| {
        if p >= 1.0 {
            None
        } else {
            Some(p / (1.0 - p) * scale)
        }
    };
    let (rate_ratio, low, high) = if n == 0 {
        (None, None, None)
    } else {
        let (lo, hi) = clopper_pearson(current, n, 0.95);
        (
            if baseline_events == 0 {
                None
            } else {
                Some(current as f64 / baseline)
            },
            ratio(lo),
            ratio(hi),
        )
    };
    let shown_base = per_period(current_exposure, baseline_events, baseline_exposure);
    let verdict = if n < rules.min_events {
        Verdict::TooFewEvents
    } else if p_value < rules.alpha {
        if current as f64 > baseline {
            Verdict::SignificantlyHigher
        } else {
            Verdict::SignificantlyLower
        }
    } else {
        Verdict::NoSignificantChange
    };
    Comparison {
        current,
        current_exposure,
        baseline_events,
        baseline_exposure,
        baseline,
        rate_ratio,
        rate_ratio_low: low,
        rate_ratio_high: high,
        baseline_per_period: shown_base,
        // A change needs a baseline with events: 0 against 0 is no change to state.
        change_pct: shown_base
            .filter(|b| *b > 0.0)
            .map(|b| (current as f64 / b - 1.0) * 100.0),
        p_value,
        verdict,
        method: "exact conditional Poisson test (binomial, two-sided minlike), Clopper-Pearson 95 % interval for the rate ratio",
        rules,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs().max(1e-300)
    }

    /// Reference values: SciPy 1.17.1 `scipy.stats.binomtest(x, n, p)` (two-sided) and its
    /// `proportion_ci(method="exact")`, computed 2026-11-21; the first is also the example of
    /// R's `?poisson.test`, `poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))`: p = 0.07967.
    #[test]
    fn binomial_test_matches_scipy_and_r() {
        assert!(close(
            binomial_test(11, 32, 800.0 / 3811.0),
            0.07966863303,
            1e-8
        ));
        assert!(close(
            binomial_test(7281, 13823, 0.5),
            3.418568454e-10,
            1e-6
        ));
        assert!(close(binomial_test(30, 48, 0.5), 0.1114028911, 1e-8));
        assert!(close(binomial_test(12, 42, 0.25), 0.5941985299, 1e-8));
        assert!(close(binomial_test(3, 5, 0.5), 1.0, 1e-12));
        assert!(close(binomial_test(0, 4, 0.25), 0.578125, 1e-10));
        let (lo, hi) = clopper_pearson(11, 32, 0.95);
        assert!(close(lo, 0.1857190917, 1e-7) && close(hi, 0.5319310363, 1e-7));
        let (lo, hi) = clopper_pearson(0, 4, 0.95);
        assert!(lo == 0.0 && close(hi, 0.6023646356, 1e-7));
    }

    #[test]
    fn verdicts() {
        let r = TestRules::default();
        // Toronto Break and Enter, 2019 vs 2018 (equal exposure: both 365 days).
        let c = compare(7281, 365.0, 6542, 365.0, r);
        assert_eq!(c.verdict, Verdict::SignificantlyHigher);
        assert!((c.change_pct.unwrap() - 11.296).abs() < 0.01);
        assert!(c.rate_ratio_low.unwrap() > 1.0);
        // 203 in 2025 against 277 in 2024 (a leap year): the change read from the counts.
        let c = compare(203, 365.0, 277, 366.0, r);
        assert!((c.change_pct.unwrap() - (203.0 / 277.0 - 1.0) * 100.0).abs() < 1e-9);
        // Three baseline years: against their mean.
        let c = compare(100, 365.0, 360, 365.0 * 3.0 + 1.0, r);
        assert!((c.change_pct.unwrap() - (100.0 / 120.0 - 1.0) * 100.0).abs() < 1e-9);
        // 30 vs 18: looks like +67 %, is not significant.
        assert_eq!(
            compare(30, 1.0, 18, 1.0, r).verdict,
            Verdict::NoSignificantChange
        );
        // 3 vs 1: too few events to say anything.
        assert_eq!(compare(3, 1.0, 1, 1.0, r).verdict, Verdict::TooFewEvents);
        // Against the mean of three years: 12 now vs 30 in three times the exposure.
        let c = compare(12, 1.0, 30, 3.0, r);
        assert!((c.baseline - 10.0).abs() < 1e-12);
        assert!(close(c.p_value, 0.5941985299, 1e-8));
        assert_eq!(c.verdict, Verdict::NoSignificantChange);
        assert_eq!(
            compare(40, 1.0, 80, 1.0, r).verdict,
            Verdict::SignificantlyLower
        );
    }
}
