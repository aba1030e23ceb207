//! The linearised variance of an estimated total (Wolter 2007, ch. 6; Lumley 2010, §2-3),
//! the formula R's `survey` package uses for `svydesign(id, strata, weights, fpc)`: PSU
//! totals centred within strata, with n_h/(n_h−1) and the finite-population correction,
//! plus, where the first stage has a finite-population correction, the variance of each
//! later stage within its units times the sampling fractions above it (R's `multistage`).
//! Under calibration the contributions are first replaced by their residuals from what the
//! weights were calibrated to (Deville & Särndal 1992; Lumley 2010, §7).

use crate::design::Design;
use crate::residual::Residual;

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
