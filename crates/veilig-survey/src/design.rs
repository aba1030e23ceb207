//! A sampling design: strata, one-stage clusters (primary sampling units), weights and the
//! finite-population correction; and the linearised variance of an estimated total
//! (Wolter 2007, ch. 6; Lumley 2010, §2-3), the formula R's `survey` package uses for
//! `svydesign(id, strata, weights, fpc)`.

use std::collections::HashMap;

use thiserror::Error;

/// What is wrong with a design, naming the respondent (0-based row) where it applies.
#[derive(Debug, Error, PartialEq)]
pub enum DesignError {
    #[error("row {row}: weight {weight} is not positive")]
    Weight { row: usize, weight: f64 },
    #[error(
        "stratum {stratum:?} has a single primary sampling unit: its variance cannot be estimated"
    )]
    LonelyPsu { stratum: String },
    #[error("stratum {stratum:?}: the finite-population correction differs between rows")]
    FpcVaries { stratum: String },
    #[error("row {row}: the finite-population correction {fpc} is smaller than the sample")]
    FpcTooSmall { row: usize, fpc: f64 },
    #[error("the design columns have different lengths")]
    Lengths,
    #[error("the design has no respondents")]
    Empty,
}

/// A design over `n` respondents.
#[derive(Debug, Clone)]
pub struct Design {
    pub weights: Vec<f64>,
    /// Stratum index of each respondent.
    strata: Vec<usize>,
    stratum_names: Vec<String>,
    /// Primary sampling unit index of each respondent (unique across strata).
    psu: Vec<usize>,
    /// Per stratum: the number of PSUs in the sample and the sampling fraction (0 without
    /// a finite-population correction).
    n_psu: Vec<usize>,
    fraction: Vec<f64>,
    /// Margins the weights were calibrated to (raking): the variance is then that of the
    /// calibrated estimator.
    pub(crate) calibration: Vec<Vec<usize>>,
    /// The weights before calibration (the regression weights of the residuals).
    pub(crate) base_weights: Vec<f64>,
}

impl Design {
    /// `strata` and `clusters` name each respondent's stratum and PSU (None: one stratum;
    /// every respondent its own PSU). `fpc` per respondent is the population count of its
    /// stratum's PSUs (or, when ≤ 1, the sampling fraction), as R's `fpc=`.
    pub fn new(
        weights: Vec<f64>,
        strata: Option<&[String]>,
        clusters: Option<&[String]>,
        fpc: Option<&[f64]>,
    ) -> Result<Design, DesignError> {
        let n = weights.len();
        if n == 0 {
            return Err(DesignError::Empty);
        }
        if strata.is_some_and(|s| s.len() != n)
            || clusters.is_some_and(|c| c.len() != n)
            || fpc.is_some_and(|f| f.len() != n)
        {
            return Err(DesignError::Lengths);
        }
        if let Some((row, &weight)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| !(**w > 0.0 && w.is_finite()))
        {
            return Err(DesignError::Weight { row, weight });
        }
        let mut stratum_names: Vec<String> = Vec::new();
        let mut s_index: HashMap<&str, usize> = HashMap::new();
        let strata_idx: Vec<usize> = (0..n)
            .map(|i| {
                let name = strata.map(|s| s[i].as_str()).unwrap_or("");
                *s_index.entry(name).or_insert_with(|| {
                    stratum_names.push(name.to_string());
                    stratum_names.len() - 1
                })
            })
            .collect();
        let mut p_index: HashMap<(usize, String), usize> = HashMap::new();
        let psu: Vec<usize> = (0..n)
            .map(|i| {
                let key = (
                    strata_idx[i],
                    clusters
                        .map(|c| c[i].clone())
                        .unwrap_or_else(|| i.to_string()),
                );
                let next = p_index.len();
                *p_index.entry(key).or_insert(next)
            })
            .collect();
        let h = stratum_names.len();
        let mut n_psu = vec![0usize; h];
        let mut psu_stratum = vec![0usize; p_index.len()];
        for i in 0..n {
            psu_stratum[psu[i]] = strata_idx[i];
        }
        for &s in &psu_stratum {
            n_psu[s] += 1;
        }
        let mut fraction = vec![0.0; h];
        if let Some(f) = fpc {
            let mut seen: Vec<Option<f64>> = vec![None; h];
            for i in 0..n {
                let s = strata_idx[i];
                match seen[s] {
                    Some(v) if (v - f[i]).abs() > 1e-9 * v.abs().max(1.0) => {
                        return Err(DesignError::FpcVaries {
                            stratum: stratum_names[s].clone(),
                        });
                    }
                    _ => seen[s] = Some(f[i]),
                }
                let frac = if f[i] <= 1.0 {
                    f[i]
                } else {
                    n_psu[s] as f64 / f[i]
                };
                if !(0.0..=1.0).contains(&frac) {
                    return Err(DesignError::FpcTooSmall { row: i, fpc: f[i] });
                }
                fraction[s] = frac;
            }
        }
        if let Some(s) = (0..h).find(|&s| n_psu[s] < 2) {
            return Err(DesignError::LonelyPsu {
                stratum: stratum_names[s].clone(),
            });
        }
        Ok(Design {
            weights,
            strata: strata_idx,
            stratum_names,
            psu,
            n_psu,
            fraction,
            calibration: Vec::new(),
            base_weights: Vec::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Whether the design has a finite-population correction.
    pub fn has_fpc(&self) -> bool {
        self.fraction.iter().any(|f| *f > 0.0)
    }

    /// Degrees of freedom: PSUs minus strata.
    pub fn df(&self) -> f64 {
        (self.n_psu.iter().sum::<usize>() - self.n_psu.len()) as f64
    }

    pub fn strata(&self) -> &[String] {
        &self.stratum_names
    }

    /// The linearised variance of Σ u_i, where u_i is respondent i's contribution (its
    /// weighted influence): PSU totals, centred within strata, with n_h/(n_h−1) and the
    /// finite-population correction. Under calibration, u is first replaced by its residual
    /// from the calibration margins.
    pub fn variance_of_total(&self, u: &[f64]) -> f64 {
        let u = self.calibrated(u);
        let mut psu_total = vec![0.0; self.psu.iter().max().map_or(0, |m| m + 1)];
        let mut psu_stratum = vec![0usize; psu_total.len()];
        for i in 0..u.len() {
            psu_total[self.psu[i]] += u[i];
            psu_stratum[self.psu[i]] = self.strata[i];
        }
        let h = self.n_psu.len();
        let mut mean = vec![0.0; h];
        for (p, t) in psu_total.iter().enumerate() {
            mean[psu_stratum[p]] += t / self.n_psu[psu_stratum[p]] as f64;
        }
        let mut ss = vec![0.0; h];
        for (p, t) in psu_total.iter().enumerate() {
            let s = psu_stratum[p];
            ss[s] += (t - mean[s]).powi(2);
        }
        (0..h)
            .map(|s| {
                let nh = self.n_psu[s] as f64;
                (1.0 - self.fraction[s]) * nh / (nh - 1.0) * ss[s]
            })
            .sum()
    }

    /// The influences of a calibrated estimator: with r = u / w (w the calibrated weights),
    /// the residual of r from its regression on the margins' indicators with the design's
    /// base weights as regression weights (the GREG linearisation of raking: Deville &
    /// Särndal 1992; Lumley 2010, §7), found by backfitting one margin at a time until the
    /// corrections vanish; returned as w · residual. With equal base weights this is what
    /// R's `survey` computes for `rake()` (checked in T7).
    fn calibrated(&self, u: &[f64]) -> Vec<f64> {
        if self.calibration.is_empty() {
            return u.to_vec();
        }
        let w = &self.weights;
        let d = &self.base_weights;
        let mut r: Vec<f64> = u.iter().zip(w).map(|(u, w)| u / w).collect();
        for _ in 0..1000 {
            let mut change: f64 = 0.0;
            for margin in &self.calibration {
                let k = margin.iter().max().map_or(0, |m| m + 1);
                let mut num = vec![0.0; k];
                let mut den = vec![0.0; k];
                for i in 0..r.len() {
                    num[margin[i]] += d[i] * r[i];
                    den[margin[i]] += d[i];
                }
                for i in 0..r.len() {
                    let m = num[margin[i]] / den[margin[i]];
                    r[i] -= m;
                    change = change.max(m.abs());
                }
            }
            let scale = r.iter().map(|x| x.abs()).fold(0.0, f64::max).max(1e-300);
            if change <= 1e-13 * scale {
                break;
            }
        }
        r.iter().zip(w).map(|(r, w)| r * w).collect()
    }
}
