//! The assessment of a problem file (SARA): the place's incidents before and after the
//! response against a comparison area over the same periods, so that a fall everywhere, or
//! regression to the mean after a peak, is not sold as the response's success. The measure is
//! the ratio of the two rate ratios (place after/before over comparison after/before) with a
//! Wald test and interval on the log scale (Poisson counts); each area's own change carries
//! the picture's exact test.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};
use veilig_analysis::{Comparison, TestRules, compare};

/// Counts before and after, with the days each period lasts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Counts {
    pub before: u64,
    pub after: u64,
    pub before_days: f64,
    pub after_days: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssessmentVerdict {
    /// The place fell significantly more than the comparison area.
    ReductionBeyondComparison,
    /// The place rose significantly more than the comparison area.
    IncreaseBeyondComparison,
    /// No difference from the comparison area that chance does not explain.
    NoDifferenceFromComparison,
    /// A zero count: the ratio cannot be estimated.
    TooFewEvents,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub place: Counts,
    pub comparison: Counts,
    pub place_change: Comparison,
    pub comparison_change: Comparison,
    /// (place after/before) / (comparison after/before), exposure-adjusted.
    pub ratio_of_ratios: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub p_value: Option<f64>,
    pub verdict: AssessmentVerdict,
    pub method: &'static str,
}

const METHOD: &str = "ratio of rate ratios (place after/before over comparison after/before), Wald test and 95 % interval on the log scale with variance 1/a + 1/b + 1/c + 1/d (independent Poisson counts); each area's own change: exact conditional Poisson test";

pub fn assess(place: Counts, comparison: Counts, rules: TestRules) -> Assessment {
    let ch = |c: Counts| compare(c.after, c.after_days, c.before, c.before_days, rules);
    let (pc, cc) = (ch(place), ch(comparison));
    let cells = [
        place.before,
        place.after,
        comparison.before,
        comparison.after,
    ];
    if cells.contains(&0) || cells.iter().sum::<u64>() < rules.min_events {
        return Assessment {
            place,
            comparison,
            place_change: pc,
            comparison_change: cc,
            ratio_of_ratios: None,
            low: None,
            high: None,
            p_value: None,
            verdict: AssessmentVerdict::TooFewEvents,
            method: METHOD,
        };
    }
    let rate = |n: u64, days: f64| n as f64 / days;
    let log_rr = (rate(place.after, place.after_days) / rate(place.before, place.before_days)).ln()
        - (rate(comparison.after, comparison.after_days)
            / rate(comparison.before, comparison.before_days))
        .ln();
    let se = cells.iter().map(|c| 1.0 / *c as f64).sum::<f64>().sqrt();
    let n = Normal::new(0.0, 1.0).expect("standard normal");
    let z = log_rr / se;
    let p = 2.0 * (1.0 - n.cdf(z.abs()));
    let q = n.inverse_cdf(1.0 - rules.alpha / 2.0);
    let verdict = if p >= rules.alpha {
        AssessmentVerdict::NoDifferenceFromComparison
    } else if log_rr < 0.0 {
        AssessmentVerdict::ReductionBeyondComparison
    } else {
        AssessmentVerdict::IncreaseBeyondComparison
    };
    Assessment {
        place,
        comparison,
        place_change: pc,
        comparison_change: cc,
        ratio_of_ratios: Some(log_rr.exp()),
        low: Some((log_rr - q * se).exp()),
        high: Some((log_rr + q * se).exp()),
        p_value: Some(p),
        verdict,
        method: METHOD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: TestRules = TestRules {
        alpha: 0.05,
        min_events: 10,
    };

    fn c(before: u64, after: u64) -> Counts {
        Counts {
            before,
            after,
            before_days: 365.0,
            after_days: 365.0,
        }
    }

    #[test]
    fn a_fall_everywhere_is_not_the_response() {
        // The place falls 40 %, but so does the comparison: no effect of the response.
        let a = assess(c(100, 60), c(200, 120), RULES);
        assert_eq!(a.verdict, AssessmentVerdict::NoDifferenceFromComparison);
        assert!((a.ratio_of_ratios.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(
            a.place_change.verdict,
            veilig_analysis::Verdict::SignificantlyLower
        );
        // The place falls 60 % while the comparison holds: a reduction beyond it.
        let a = assess(c(100, 40), c(200, 196), RULES);
        assert_eq!(a.verdict, AssessmentVerdict::ReductionBeyondComparison);
        assert!(a.high.unwrap() < 1.0);
        // Hand check: ln(0.4/0.98) = -0.8961, se = sqrt(1/100+1/40+1/200+1/196) = 0.2114.
        assert!((a.ratio_of_ratios.unwrap() - 0.408_163).abs() < 1e-5);
        let z: f64 = -0.8961 / 0.2114;
        assert!(a.p_value.unwrap() < 1e-4 && z < -4.0);
        assert_eq!(
            assess(c(0, 3), c(10, 12), RULES).verdict,
            AssessmentVerdict::TooFewEvents
        );
    }
}
