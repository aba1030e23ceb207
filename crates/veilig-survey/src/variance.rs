//! The linearised variance of an estimated total (Wolter 2007, ch. 6; Lumley 2010, §2-3),
//! the formula R's `survey` package uses for `svydesign(id, strata, weights, fpc)`: PSU
//! totals centred within strata, with n_h/(n_h−1) and the finite-population correction,
//! plus, where the first stage has a finite-population correction, the variance of each
//! later stage within its units times the sampling fractions above it (R's `multistage`).
//! Under calibration the contributions are first replaced by their residuals from what the
//! weights were calibrated to (Deville & Särndal 1992; Lumley 2010, §7).

use crate::design::Design;

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
    fn apply(&self, u: &mut [f64]) {
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
                let beta = crate::calibrate::least_squares(x, &r, None);
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

/// Σ (t − t̄)² over groups of totals, times n/(n−1): per group, its contributions.
fn centred_ss(totals: &[f64], group: &[usize], groups: usize) -> (Vec<f64>, Vec<usize>) {
    let mut sum = vec![0.0; groups];
    let mut n = vec![0usize; groups];
    for (t, &g) in totals.iter().zip(group) {
        sum[g] += t;
        n[g] += 1;
    }
    let mut ss = vec![0.0; groups];
    for (t, &g) in totals.iter().zip(group) {
        ss[g] += (t - sum[g] / n[g] as f64).powi(2);
    }
    (ss, n)
}

impl Design {
    /// The linearised variance of Σ u_i, where u_i is respondent i's contribution (its
    /// weighted influence).
    pub fn variance_of_total(&self, u: &[f64]) -> f64 {
        let u = self.calibrated(u);
        let units = self.psu.iter().max().map_or(0, |m| m + 1);
        let mut total = vec![0.0; units];
        let mut stratum = vec![0usize; units];
        for i in 0..u.len() {
            total[self.psu[i]] += u[i];
            stratum[self.psu[i]] = self.strata[i];
        }
        let (ss, _) = centred_ss(&total, &stratum, self.n_psu.len());
        let mut v: f64 = (0..self.n_psu.len())
            .map(|s| {
                let nh = self.n_psu[s] as f64;
                (1.0 - self.fraction[s]) * nh / (nh - 1.0) * ss[s]
            })
            .sum();
        // Later stages: each unit above carries the product of the sampling fractions
        // above it (0 without a finite-population correction).
        let mut carried: Vec<f64> = stratum.iter().map(|&s| self.fraction[s]).collect();
        for l in &self.lower {
            let mut t = vec![0.0; l.parent.len()];
            for i in 0..u.len() {
                t[l.unit[i]] += u[i];
            }
            let (ss, _) = centred_ss(&t, &l.parent, carried.len());
            for p in 0..carried.len() {
                let n = l.n[p] as f64;
                if carried[p] > 0.0 && n > 1.0 {
                    v += carried[p] * (1.0 - l.fraction[p]) * n / (n - 1.0) * ss[p];
                }
            }
            carried = l
                .parent
                .iter()
                .map(|&p| carried[p] * l.fraction[p])
                .collect();
        }
        v
    }

    /// The contributions of a calibrated estimator, each calibration applied in turn.
    fn calibrated(&self, u: &[f64]) -> Vec<f64> {
        let mut u = u.to_vec();
        for c in &self.calibration {
            match c {
                Residual::Margins { .. } => {
                    // Backfitting works on r = u / w; back to u afterwards.
                    let w = &self.weights;
                    let mut r: Vec<f64> = u.iter().zip(w).map(|(u, w)| u / w).collect();
                    c.apply(&mut r);
                    u = r.iter().zip(w).map(|(r, w)| r * w).collect();
                }
                _ => c.apply(&mut u),
            }
        }
        u
    }
}
