//! Weights as analysts build them: post-stratification to known counts, linear calibration
//! (GREG) to categorical and continuous totals, and trimming with bounds that keeps the
//! total; each keeps what the variance needs (see [`crate::variance`]), and the design
//! remembers the step so that replicate designs repeat it on every replicate. Raking is in
//! [`crate::rake`]. A [`WeightsReport`] describes the weights that result.

use serde::Serialize;

use crate::design::Design;
use crate::rake::Margin;
use crate::variance::Residual;

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

/// A step that changed the weights, to repeat on a replicate's weights.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    PostStratify {
        cell: Vec<usize>,
        targets: Vec<f64>,
    },
    Calibrate {
        x: Vec<Vec<f64>>,
        totals: Vec<f64>,
    },
    Rake {
        margins: Vec<Margin>,
        tolerance: f64,
        max_cycles: usize,
    },
    Trim {
        low: f64,
        high: f64,
        strict: bool,
    },
    Cap {
        cap: f64,
    },
}

impl Step {
    /// The weights after this step, from `w` (a replicate's weights).
    pub(crate) fn apply(&self, w: &[f64]) -> Vec<f64> {
        match self {
            Step::PostStratify { cell, targets } => post_weights(w, cell, targets),
            Step::Calibrate { x, totals } => greg_weights(w, x, totals)
                .map(|(w, _)| w)
                .unwrap_or_else(|_| w.to_vec()),
            Step::Rake {
                margins,
                tolerance,
                max_cycles,
            } => crate::rake::rake_weights(w, margins, *tolerance, *max_cycles).0,
            Step::Trim { low, high, strict } => trim_weights(w, *low, *high, *strict),
            Step::Cap { cap } => crate::rake::cap_weights(w, *cap),
        }
    }
}

fn post_weights(w: &[f64], cell: &[usize], targets: &[f64]) -> Vec<f64> {
    let mut sum = vec![0.0; targets.len()];
    for (i, &c) in cell.iter().enumerate() {
        sum[c] += w[i];
    }
    w.iter()
        .zip(cell)
        .map(|(w, &c)| {
            if sum[c] > 0.0 {
                w * targets[c] / sum[c]
            } else {
                *w
            }
        })
        .collect()
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

/// X'VX of the model matrix (v = 1 when None).
#[allow(clippy::needless_range_loop)] // matrix indices read as the algebra
fn cross(x: &[Vec<f64>], v: Option<&[f64]>) -> Vec<Vec<f64>> {
    let p = x.first().map_or(0, |r| r.len());
    let mut a = vec![vec![0.0; p]; p];
    for (i, row) in x.iter().enumerate() {
        let vi = v.map_or(1.0, |v| v[i]);
        for j in 0..p {
            let xj = vi * row[j];
            for k in j..p {
                a[j][k] += xj * row[k];
            }
        }
    }
    for j in 0..p {
        for k in 0..j {
            a[j][k] = a[k][j];
        }
    }
    a
}

/// The coefficients b minimising Σ v_i (y_i − x_i·b)² (v = 1 when None); Err(column)
/// when the columns are collinear.
fn solve_normal(x: &[Vec<f64>], y: &[f64], v: Option<&[f64]>) -> Result<Vec<f64>, usize> {
    let p = x.first().map_or(0, |r| r.len());
    let mut xty = vec![0.0; p];
    for (i, row) in x.iter().enumerate() {
        let vi = v.map_or(1.0, |v| v[i]);
        for j in 0..p {
            xty[j] += vi * row[j] * y[i];
        }
    }
    gauss(cross(x, v), xty)
}

/// Least squares for the variance's residuals (collinear columns give zero coefficients).
pub(crate) fn least_squares(x: &[Vec<f64>], y: &[f64], v: Option<&[f64]>) -> Vec<f64> {
    solve_normal(x, y, v).unwrap_or_else(|_| vec![0.0; x.first().map_or(0, |r| r.len())])
}

/// Linear calibration: w = d·(1 + x·λ) with Σ w x = totals; also returns g.
fn greg_weights(
    d: &[f64],
    x: &[Vec<f64>],
    totals: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), CalibrationError> {
    let p = totals.len();
    // (Σ d x x') λ = T − Σ d x.
    let mut gap = totals.to_vec();
    for (i, row) in x.iter().enumerate() {
        for j in 0..p {
            gap[j] -= d[i] * row[j];
        }
    }
    let lambda =
        solve_system(x, d, &gap).map_err(|column| CalibrationError::Collinear { column })?;
    let g: Vec<f64> = x
        .iter()
        .map(|row| 1.0 + row.iter().zip(&lambda).map(|(a, b)| a * b).sum::<f64>())
        .collect();
    Ok((d.iter().zip(&g).map(|(d, g)| d * g).collect(), g))
}

/// Solves (Σ d x x') λ = rhs.
fn solve_system(x: &[Vec<f64>], d: &[f64], rhs: &[f64]) -> Result<Vec<f64>, usize> {
    gauss(cross(x, Some(d)), rhs.to_vec())
}

/// Gaussian elimination with partial pivoting; Err(column) when singular.
#[allow(clippy::needless_range_loop)] // matrix indices read as the algebra
pub(crate) fn gauss(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Result<Vec<f64>, usize> {
    let p = b.len();
    let scale: f64 = (0..p).map(|j| a[j][j].abs()).fold(0.0, f64::max);
    for col in 0..p {
        let pivot = (col..p)
            .max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))
            .expect("rows");
        if a[pivot][col].abs() <= 1e-12 * scale.max(1e-300) {
            return Err(col);
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for r in 0..p {
            if r != col {
                let f = a[r][col] / a[col][col];
                if f != 0.0 {
                    for k in col..p {
                        a[r][k] -= f * a[col][k];
                    }
                    b[r] -= f * b[col];
                }
            }
        }
    }
    Ok((0..p).map(|j| b[j] / a[j][j]).collect())
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
    let (w, g) = greg_weights(d, x, totals)?;
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

fn trim_pass(w: &mut [f64], low: f64, high: f64) -> bool {
    let outside: Vec<bool> = w.iter().map(|&x| x < low || x > high).collect();
    let free = outside.iter().filter(|o| !**o).count();
    if !outside.iter().any(|o| *o) || free == 0 {
        return false;
    }
    let mut excess = 0.0;
    for x in w.iter_mut() {
        if *x > high {
            excess += *x - high;
            *x = high;
        } else if *x < low {
            excess += *x - low;
            *x = low;
        }
    }
    let share = excess / free as f64;
    for (x, o) in w.iter_mut().zip(&outside) {
        if !o {
            *x += share;
        }
    }
    true
}

fn trim_weights(w: &[f64], low: f64, high: f64, strict: bool) -> Vec<f64> {
    let mut w = w.to_vec();
    if trim_pass(&mut w, low, high) && strict {
        for _ in 0..10_000 {
            if !trim_pass(&mut w, low, high) {
                break;
            }
        }
    }
    w
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
