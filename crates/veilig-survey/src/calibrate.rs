//! Weights as analysts build them: post-stratification to known counts, linear calibration
//! (GREG) to categorical and continuous totals, and trimming with bounds that keeps the
//! total; each keeps what the variance needs (see [`crate::variance`]), and the design
//! remembers the step so that replicate designs repeat it on every replicate. Raking is in
//! [`crate::rake`]. A [`WeightsReport`] describes the weights that result.

use serde::Serialize;

use crate::design::Design;
use crate::residual::Residual;
use crate::reweight::{Step, greg_weights, post_weights, trim_weights};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CalibrationError {
    #[error("cell {cell} has a population count of {target} but no respondent")]
    EmptyCell { cell: usize, target: f64 },
    #[error("cell {cell} has respondents but a population count of {target}")]
    NoPopulation { cell: usize, target: f64 },
    #[error(
        "the calibration variables are collinear (column {column} is a combination of the others): drop one"
    )]
    Collinear { column: usize },
    #[error("{n} respondents for a model matrix of {rows} rows")]
    Length { n: usize, rows: usize },
    #[error("{columns} columns for {totals} totals")]
    Totals { columns: usize, totals: usize },
    #[error("calibration gives respondent {row} a weight of {weight}: the totals are out of reach")]
    NonPositive { row: usize, weight: f64 },
    #[error("trimming bounds {low}:{high} are not an interval of positive weights")]
    Bounds { low: f64, high: f64 },
    #[error("the weights total {total} cannot be kept within {low}:{high} for {n} respondents")]
    Unreachable {
        low: f64,
        high: f64,
        n: usize,
        total: f64,
    },
}

/// Post-stratifies: within each cell the weights are scaled to its population count (R's
/// `postStratify`).
pub fn post_stratify(
    design: &Design,
    cell: &[usize],
    targets: &[f64],
) -> Result<Design, CalibrationError> {
    if cell.len() != design.len() {
        return Err(CalibrationError::Length {
            n: design.len(),
            rows: cell.len(),
        });
    }
    let mut seen = vec![false; targets.len()];
    for &c in cell {
        seen[c] = true;
    }
    for (c, &t) in targets.iter().enumerate() {
        if seen[c] && t <= 0.0 {
            return Err(CalibrationError::NoPopulation { cell: c, target: t });
        }
        if !seen[c] && t > 0.0 {
            return Err(CalibrationError::EmptyCell { cell: c, target: t });
        }
    }
    let w = post_weights(&design.weights, cell, targets);
    let mut d = design.clone();
    d.calibration.push(Residual::Cells {
        cell: cell.to_vec(),
        weights: w.clone(),
    });
    d.steps.push(Step::PostStratify {
        cell: cell.to_vec(),
        targets: targets.to_vec(),
    });
    d.weights = w;
    Ok(d)
}

/// Linear calibration (GREG, R's `calibrate(calfun="linear")`): the weights closest to the
/// design's (chi-square distance) whose weighted totals of the model matrix's columns equal
/// `totals`. `x` has one row per respondent (an intercept, indicator columns of categories,
/// continuous variables). A weight that would not be positive is refused.
pub fn calibrate(
    design: &Design,
    x: &[Vec<f64>],
    totals: &[f64],
) -> Result<Design, CalibrationError> {
    if x.len() != design.len() {
        return Err(CalibrationError::Length {
            n: design.len(),
            rows: x.len(),
        });
    }
    if x.iter().any(|r| r.len() != totals.len()) {
        return Err(CalibrationError::Totals {
            columns: x.first().map_or(0, |r| r.len()),
            totals: totals.len(),
        });
    }
    let d = &design.weights;
    let (w, g) =
        greg_weights(d, x, totals).map_err(|column| CalibrationError::Collinear { column })?;
    if let Some((row, &weight)) = w.iter().enumerate().find(|(_, w)| w.is_nan() || **w <= 0.0) {
        return Err(CalibrationError::NonPositive { row, weight });
    }
    let half: Vec<f64> = d.iter().map(|d| d.sqrt()).collect();
    let mut out = design.clone();
    out.calibration.push(Residual::Regression {
        x: x.iter()
            .zip(&half)
            .map(|(r, h)| r.iter().map(|v| v * h).collect())
            .collect(),
        a: g.iter().zip(&half).map(|(g, h)| g * h).collect(),
    });
    out.steps.push(Step::Calibrate {
        x: x.to_vec(),
        totals: totals.to_vec(),
    });
    out.weights = w;
    Ok(out)
}

/// Trims the weights to [low, high] and spreads what was cut (or added) equally over the
/// weights inside, so that the total stays (R's `trimWeights`): once, or, `strict`, until
/// every weight lies within the bounds. Calibration already made stays for the variance.
pub fn trim_to(
    design: &Design,
    low: f64,
    high: f64,
    strict: bool,
) -> Result<Design, CalibrationError> {
    if !(low >= 0.0 && high > low && high.is_finite()) {
        return Err(CalibrationError::Bounds { low, high });
    }
    let total: f64 = design.weights.iter().sum();
    let n = design.len();
    if strict && (total < low * n as f64 || total > high * n as f64) {
        return Err(CalibrationError::Unreachable {
            low,
            high,
            n,
            total,
        });
    }
    let mut d = design.clone();
    d.weights = trim_weights(&design.weights, low, high, strict);
    d.steps.push(Step::Trim { low, high, strict });
    Ok(d)
}

/// The weights of a design as an analyst checks them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightsReport {
    pub n: usize,
    pub total: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    /// max / min.
    pub ratio: f64,
    /// Kish's design effect of unequal weighting, n Σw² / (Σw)² = 1 + cv².
    pub deff_weighting: f64,
    /// n / deff_weighting.
    pub n_eff: f64,
}

impl WeightsReport {
    pub fn of(d: &Design) -> WeightsReport {
        let w = &d.weights;
        let n = w.len();
        let total: f64 = w.iter().sum();
        let sq: f64 = w.iter().map(|x| x * x).sum();
        let min = w.iter().copied().fold(f64::INFINITY, f64::min);
        let max = w.iter().copied().fold(0.0, f64::max);
        let deff = n as f64 * sq / (total * total);
        WeightsReport {
            n,
            total,
            min,
            max,
            mean: total / n as f64,
            ratio: max / min,
            deff_weighting: deff,
            n_eff: n as f64 / deff,
        }
    }
}
