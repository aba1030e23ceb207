//! Differences between survey estimates with their verdicts: a wave against the one before
//! (independent samples, z-test), a municipality against the rest of the zone (two domains
//! of one sample: the design covariance counts, t-test with the design's degrees of freedom). A comparison is shown only when both sides
//! are (the small-sample rule).

use anyhow::{Result, bail};
use serde::Serialize;
use veilig_survey::{
    Difference, Estimate, SmallSample, SurveyVerdict, contrast, difference, verdict,
};

use super::{Unit, Wave};

/// A difference between two estimates with its verdict. A comparison is shown only when both
/// sides are: when either estimate may not be shown (the small-sample rule), the verdict says
/// so and every figure is withheld, since the shown side and the difference would give the
/// hidden estimate away.
#[derive(Debug, Clone, Serialize)]
pub struct SurveyComparison {
    pub indicator: String,
    /// What is compared: `a` minus `b`.
    pub a: String,
    pub b: String,
    pub unit: Unit,
    pub estimate_a: Option<f64>,
    pub estimate_b: Option<f64>,
    pub n_a: usize,
    pub n_b: usize,
    pub difference: Option<f64>,
    pub se: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub verdict: SurveyVerdict,
    pub method: &'static str,
}

impl SurveyComparison {
    /// Whether its figures are shown (both sides may be).
    pub fn shown(&self) -> bool {
        !matches!(
            self.verdict,
            SurveyVerdict::TooFewRespondents | SurveyVerdict::Withheld
        )
    }

    /// The verdict in the reader's words, with the difference in percentage points and its
    /// interval when both sides are shown: what every page and report prints.
    pub fn text(&self, tr: &veilig_i18n::Tr) -> String {
        let verdict = tr.t(&format!("verdict-{}", self.verdict.as_str()));
        match (self.difference, self.ci_low, self.ci_high) {
            (Some(d), Some(lo), Some(hi)) => format!(
                "{verdict} ({})",
                tr.args(
                    "survey-difference",
                    &[
                        ("d", tr.dec(d * 100.0, 1)),
                        ("low", tr.dec(lo * 100.0, 1)),
                        ("high", tr.dec(hi * 100.0, 1)),
                    ],
                )
            ),
            _ => verdict,
        }
    }
}

/// `withheld`: a side is hidden to protect another estimate (complementary suppression).
#[allow(clippy::too_many_arguments)]
fn compared(
    indicator: &str,
    labels: (String, String),
    unit: Unit,
    (a, b): (&Estimate, &Estimate),
    d: Difference,
    rule: &SmallSample,
    alpha: f64,
    withheld: bool,
) -> SurveyComparison {
    let verdict = match verdict(a, b, &d, rule, alpha) {
        SurveyVerdict::TooFewRespondents => SurveyVerdict::TooFewRespondents,
        _ if withheld => SurveyVerdict::Withheld,
        v => v,
    };
    let hidden = matches!(
        verdict,
        SurveyVerdict::TooFewRespondents | SurveyVerdict::Withheld
    );
    let shown = |v: f64| (!hidden).then_some(v);
    SurveyComparison {
        indicator: indicator.into(),
        a: labels.0,
        b: labels.1,
        unit,
        estimate_a: shown(a.estimate),
        estimate_b: shown(b.estimate),
        n_a: a.n,
        n_b: b.n,
        difference: shown(d.difference),
        se: shown(d.se),
        ci_low: shown(d.ci_low),
        ci_high: shown(d.ci_high),
        p_value: shown(d.p_value),
        verdict,
        method: if d.df.is_some() {
            "difference of two domains of one sample with their design covariance, t-test; no verdict when either may not be shown (small-sample rule, or hidden to protect another estimate)"
        } else {
            "difference of independent estimates, z-test; no verdict when either may not be shown (small-sample rule, or hidden to protect another estimate)"
        },
    }
}

/// The newer wave against the older one, for the zone and each municipality.
pub fn compare_waves(
    newer: &Wave,
    older: &Wave,
    indicator: &str,
    rule: &SmallSample,
    alpha: f64,
) -> Result<Vec<SurveyComparison>> {
    if newer.survey != older.survey {
        bail!(
            "waves of different surveys ({} and {}) are not compared",
            newer.survey,
            older.survey
        );
    }
    let (dn, dold) = (newer.design()?, older.design()?);
    let level = 1.0 - alpha;
    let hidden_new = newer.complementary(&dn, indicator, rule, level)?;
    let hidden_old = older.complementary(&dold, indicator, rule, level)?;
    let mut out = Vec::new();
    for unit in newer
        .units()
        .into_iter()
        .filter(|u| !matches!(u, Unit::Wijk(_)))
    {
        let a = newer.estimate(&dn, indicator, &unit, true)?;
        let b = older.estimate(&dold, indicator, &unit, true)?;
        if a.n == 0 || b.n == 0 {
            continue;
        }
        let withheld = hidden_new.contains(&unit) || hidden_old.contains(&unit);
        out.push(compared(
            indicator,
            (newer.wave.clone(), older.wave.clone()),
            unit,
            (&a, &b),
            difference(&a, &b, level),
            rule,
            alpha,
            withheld,
        ));
    }
    Ok(out)
}

/// Each municipality against the rest of the zone in one wave.
pub fn compare_municipalities(
    w: &Wave,
    indicator: &str,
    rule: &SmallSample,
    alpha: f64,
) -> Result<Vec<SurveyComparison>> {
    let design = w.design()?;
    // The rest of the zone follows from the zone and the municipality: only the
    // municipality's own hiding matters.
    let hidden = w.complementary(&design, indicator, rule, 1.0 - alpha)?;
    let mut out = Vec::new();
    for unit in w.units() {
        let Unit::Municipality(m) = &unit else {
            continue;
        };
        let a = w.estimate(&design, indicator, &unit, true)?;
        let rest = Unit::RestOf(m.clone());
        let b = w.estimate(&design, indicator, &rest, true)?;
        // One sample: the difference carries the two domains' design covariance.
        let (y, in_a, in_b) = w.contrast_columns(indicator, &unit, &rest)?;
        let d = contrast(&design, &y, &in_a, &in_b, 1.0 - alpha);
        out.push(compared(
            indicator,
            (m.clone(), format!("rest of the zone ({})", w.wave)),
            unit.clone(),
            (&a, &b),
            d,
            rule,
            alpha,
            hidden.contains(&unit),
        ));
    }
    Ok(out)
}
