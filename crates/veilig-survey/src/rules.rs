//! What may be shown of a survey estimate (the small-sample rule, as data with its
//! citation), and the verdict on a difference, in the same words as the crime comparisons.

use serde::{Deserialize, Serialize};

use crate::ci::{Method, interval};
use crate::estimate::{Difference, Estimate};

/// The small-sample rule for proportions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmallSample {
    pub citation: String,
    pub confidence: String,
    pub min_effective_n: f64,
    pub show_width: f64,
    pub suppress_width: f64,
    pub max_relative_width: f64,
    pub footnote_complement_relative_width: f64,
    pub review_df: f64,
}

pub const BUILTIN: &str = include_str!("../data/small-sample.toml");

/// Whether an estimate may be shown, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presentation {
    Show,
    /// Shown with a footnote (the interval is wide relative to 1 − p).
    Footnote,
    /// Shown, but flagged for a statistician's review (few degrees of freedom, p at 0 or 1).
    Review,
    /// Too few effective respondents.
    SuppressSmallN,
    /// The interval is too wide to say anything.
    SuppressWide,
    /// The interval is too wide relative to the estimate.
    SuppressRelativeWidth,
    /// Shown it would give back another, hidden estimate (with the estimate it is part of and
    /// the others beside it): hidden with it (complementary suppression).
    SuppressComplementary,
}

impl Presentation {
    pub fn shown(self) -> bool {
        matches!(
            self,
            Presentation::Show | Presentation::Footnote | Presentation::Review
        )
    }
}

impl SmallSample {
    pub fn builtin() -> SmallSample {
        toml::from_str(BUILTIN).expect("the built-in small-sample rule parses")
    }

    pub fn parse(text: &str, origin: &str) -> Result<SmallSample, String> {
        toml::from_str(text).map_err(|e| format!("{origin}: not a small-sample rule: {e}"))
    }

    /// Judges a proportion with its Korn-Graubard interval at `level`.
    pub fn judge(&self, e: &Estimate, level: f64) -> Presentation {
        let p = e.estimate;
        let n_eff = if e.se > 0.0 {
            (p * (1.0 - p) / (e.se * e.se)).min(e.n as f64)
        } else {
            e.n as f64
        };
        if n_eff < self.min_effective_n {
            return Presentation::SuppressSmallN;
        }
        let (lo, hi) = interval(e, Method::Beta, level);
        let width = hi - lo;
        let review = e.df < self.review_df || p <= 0.0 || p >= 1.0;
        let shown = if review {
            Presentation::Review
        } else {
            Presentation::Show
        };
        if width <= self.show_width {
            return shown;
        }
        if width >= self.suppress_width {
            return Presentation::SuppressWide;
        }
        if p > 0.0 && width / p > self.max_relative_width {
            return Presentation::SuppressRelativeWidth;
        }
        if p < 1.0 && width / (1.0 - p) > self.footnote_complement_relative_width && !review {
            return Presentation::Footnote;
        }
        shown
    }
}

/// The verdict on a difference between two survey estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SurveyVerdict {
    SignificantlyHigher,
    SignificantlyLower,
    NoSignificantChange,
    /// One of the two may not be shown under the small-sample rule.
    TooFewRespondents,
    /// One of the two is hidden so that another hidden estimate cannot be derived.
    Withheld,
}

impl SurveyVerdict {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyVerdict::SignificantlyHigher => "significantly-higher",
            SurveyVerdict::SignificantlyLower => "significantly-lower",
            SurveyVerdict::NoSignificantChange => "no-significant-change",
            SurveyVerdict::TooFewRespondents => "too-few-respondents",
            SurveyVerdict::Withheld => "withheld",
        }
    }
}

/// The verdict on `a − b` (a the newer wave or the municipality, b the older wave or the
/// rest of the zone) at significance `alpha`, when both may be shown.
pub fn verdict(
    a: &Estimate,
    b: &Estimate,
    d: &Difference,
    rule: &SmallSample,
    alpha: f64,
) -> SurveyVerdict {
    if !rule.judge(a, 1.0 - alpha).shown() || !rule.judge(b, 1.0 - alpha).shown() {
        return SurveyVerdict::TooFewRespondents;
    }
    if d.p_value >= alpha {
        SurveyVerdict::NoSignificantChange
    } else if d.difference > 0.0 {
        SurveyVerdict::SignificantlyHigher
    } else {
        SurveyVerdict::SignificantlyLower
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::difference;

    fn est(p: f64, se: f64, n: usize, df: f64) -> Estimate {
        Estimate {
            estimate: p,
            se,
            df,
            n,
            n_eff: n as f64,
            deff: None,
            population: 1000.0,
            method: "test",
        }
    }

    #[test]
    fn the_nchs_rule_suppresses_small_and_wide_estimates() {
        let r = SmallSample::builtin();
        assert_eq!(r.min_effective_n, 30.0);
        // p = 0.5 with SE 0.1: n_eff 25 < 30.
        assert_eq!(
            r.judge(&est(0.5, 0.1, 400, 100.0), 0.95),
            Presentation::SuppressSmallN
        );
        // p = 0.5, SE 0.08: n_eff 39, interval ~0.31 wide: too wide.
        assert_eq!(
            r.judge(&est(0.5, 0.08, 400, 100.0), 0.95),
            Presentation::SuppressWide
        );
        // p = 0.05, SE 0.02: n_eff 119, interval ~0.08 wide, 160 % of p.
        assert_eq!(
            r.judge(&est(0.05, 0.02, 400, 100.0), 0.95),
            Presentation::SuppressRelativeWidth
        );
        // p = 0.3, SE 0.01: narrow enough.
        assert_eq!(
            r.judge(&est(0.3, 0.01, 2000, 100.0), 0.95),
            Presentation::Show
        );
        // Few degrees of freedom: shown for review.
        assert_eq!(
            r.judge(&est(0.3, 0.01, 2000, 5.0), 0.95),
            Presentation::Review
        );
        // Capped at n: SE 0.001 on 50 respondents is still 50 effective respondents.
        assert!(r.judge(&est(0.5, 0.001, 20, 100.0), 0.95) == Presentation::SuppressSmallN);
    }

    #[test]
    fn verdicts_use_the_same_words_and_refuse_small_samples() {
        let r = SmallSample::builtin();
        let a = est(0.12, 0.008, 1400, 1300.0);
        let b = est(0.09, 0.007, 1400, 1300.0);
        let d = difference(&a, &b, 0.95);
        assert_eq!(
            verdict(&a, &b, &d, &r, 0.05),
            SurveyVerdict::SignificantlyHigher
        );
        assert_eq!(
            verdict(&b, &a, &difference(&b, &a, 0.95), &r, 0.05),
            SurveyVerdict::SignificantlyLower
        );
        let c = est(0.11, 0.008, 1400, 1300.0);
        assert_eq!(
            verdict(&a, &c, &difference(&a, &c, 0.95), &r, 0.05),
            SurveyVerdict::NoSignificantChange
        );
        let small = est(0.12, 0.09, 20, 19.0);
        assert_eq!(
            verdict(&small, &b, &difference(&small, &b, 0.95), &r, 0.05),
            SurveyVerdict::TooFewRespondents
        );
    }
}
