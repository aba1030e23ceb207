//! What each calibration leaves for the variance: how to replace the contributions by
//! their residuals from what the weights were calibrated to (Deville & Särndal 1992;
//! Lumley 2010, §7), as R's `survey` does for `postStratify`, `rake` and `calibrate`.

/// What a calibration step leaves for the variance: how to take residuals.
#[derive(Debug, Clone)]
pub(crate) enum Residual {
    /// Post-stratification: the contribution minus, per cell, the unweighted mean of
    /// contribution / weight times the weight (R's `postStratify`).
    Cells { cell: Vec<usize>, weights: Vec<f64> },
    /// Raking: the margins' cells, backfitted with the base weights as regression weights.
    Margins {
        margins: Vec<Vec<usize>>,
        base: Vec<f64>,
    },
    /// Linear calibration (GREG): the residual of contribution / `a` from its least-squares
    /// regression on the scaled model matrix `x` (rows × columns), times `a`, where
    /// `a = g·√d` and `x = X·√d` at the time of calibration (R's `calibrate`).
    Regression { x: Vec<Vec<f64>>, a: Vec<f64> },
}

impl Residual {
    pub(crate) fn apply(&self, u: &mut [f64]) {
        match self {
            Residual::Cells { cell, weights } => {
                let k = cell.iter().max().map_or(0, |m| m + 1);
                let mut sum = vec![0.0; k];
                let mut count = vec![0.0; k];
                for i in 0..u.len() {
                    sum[cell[i]] += u[i] / weights[i];
                    count[cell[i]] += 1.0;
                }
                for i in 0..u.len() {
                    u[i] -= sum[cell[i]] / count[cell[i]] * weights[i];
                }
            }
            Residual::Margins { margins, base } => backfit(u, margins, base),
            Residual::Regression { x, a } => {
                let r: Vec<f64> = u.iter().zip(a).map(|(u, a)| u / a).collect();
                let beta = crate::linalg::least_squares(x, &r, None);
                for i in 0..u.len() {
                    let fit: f64 = x[i].iter().zip(&beta).map(|(x, b)| x * b).sum();
                    u[i] = (r[i] - fit) * a[i];
                }
            }
        }
    }
}

/// Raking's residuals: with r = u / w (w the current weights carried in `u`'s scale), the
/// residual of r from its regression on the margins' indicators with the base weights as
/// regression weights, found by backfitting one margin at a time until the corrections
/// vanish. With equal base weights this is what R's `survey` computes for `rake()` (T7).
fn backfit(u: &mut [f64], margins: &[Vec<usize>], d: &[f64]) {
    // u arrives as w · r; the caller's weights are folded in by `Design::calibrated`.
    for _ in 0..1000 {
        let mut change: f64 = 0.0;
        for margin in margins {
            let k = margin.iter().max().map_or(0, |m| m + 1);
            let mut num = vec![0.0; k];
            let mut den = vec![0.0; k];
            for i in 0..u.len() {
                num[margin[i]] += d[i] * u[i];
                den[margin[i]] += d[i];
            }
            for i in 0..u.len() {
                let m = num[margin[i]] / den[margin[i]];
                u[i] -= m;
                change = change.max(m.abs());
            }
        }
        let scale = u.iter().map(|x| x.abs()).fold(0.0, f64::max).max(1e-300);
        if change <= 1e-13 * scale {
            break;
        }
    }
}
