//! Differences between survey estimates with their verdicts: a wave against the one before,
//! a municipality against the rest of the zone. A comparison is shown only when both sides
//! are (the small-sample rule).

use anyhow::{Result, bail};
use serde::Serialize;
use veilig_survey::{Estimate, SmallSample, SurveyVerdict, difference, verdict};

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
        self.verdict != SurveyVerdict::TooFewRespondents
    }
}

fn compared(
    indicator: &str,
    labels: (String, String),
    unit: Unit,
    a: &Estimate,
    b: &Estimate,
    rule: &SmallSample,
    alpha: f64,
) -> SurveyComparison {
    let d = difference(a, b, 1.0 - alpha);
    let verdict = verdict(a, b, &d, rule, alpha);
    let shown = |v: f64| (verdict != SurveyVerdict::TooFewRespondents).then_some(v);
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
        method: "difference of independent estimates, z-test; no verdict when either may not be shown (small-sample rule)",
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
        out.push(compared(
            indicator,
            (newer.wave.clone(), older.wave.clone()),
            unit,
            &a,
            &b,
            rule,
            alpha,
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
    let mut out = Vec::new();
    for unit in w.units() {
        let Unit::Municipality(m) = &unit else {
            continue;
        };
        let a = w.estimate(&design, indicator, &unit, true)?;
        let rest = Unit::RestOf(m.clone());
        let b = w.estimate(&design, indicator, &rest, true)?;
        out.push(compared(
            indicator,
            (m.clone(), format!("rest of the zone ({})", w.wave)),
            unit.clone(),
            &a,
            &b,
            rule,
            alpha,
        ));
    }
    Ok(out)
}
