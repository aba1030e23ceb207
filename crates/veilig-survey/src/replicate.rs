//! Replicate weights, for statistics whose linearisation is awkward: the delete-one-PSU
//! jackknife (JK1 without strata, JKn with strata, R's `as.svrepdesign`) and the Rao-Wu
//! rescaling bootstrap. Every step that built the design's weights (post-stratification,
//! calibration, raking, trimming) is repeated on each replicate, so the variance carries the
//! calibration as R's replicate designs do.

use serde::Serialize;

use veilig_domain::rng::SplitMix;

use crate::design::Design;

/// Which replicates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplicateKind {
    /// Delete one PSU at a time (JK1 without strata, JKn with).
    Jackknife,
    /// Rao-Wu rescaling bootstrap: per stratum, n_h − 1 PSUs drawn with replacement.
    Bootstrap { replicates: usize, seed: u64 },
}

/// A design's replicate weights and how to combine the replicates.
#[derive(Debug, Clone)]
pub struct Replicates {
    pub kind: ReplicateKind,
    /// One set of (calibrated) weights per replicate.
    pub weights: Vec<Vec<f64>>,
    /// Per replicate, its factor in the variance.
    pub factor: Vec<f64>,
}

impl Replicates {
    /// The replicates of a design; its weighting steps are repeated on each.
    pub fn new(d: &Design, kind: ReplicateKind) -> Replicates {
        let units = d.psu.iter().max().map_or(0, |m| m + 1);
        let mut stratum_of = vec![0usize; units];
        for i in 0..d.len() {
            stratum_of[d.psu[i]] = d.strata[i];
        }
        let mut base: Vec<Vec<f64>> = Vec::new();
        let mut factor = Vec::new();
        match kind {
            ReplicateKind::Jackknife => {
                for (p, &h) in stratum_of.iter().enumerate() {
                    let nh = d.n_psu[h] as f64;
                    let w = (0..d.len())
                        .map(|i| {
                            let x = d.initial_weights[i];
                            match (d.psu[i] == p, d.strata[i] == h) {
                                (true, _) => 0.0,
                                (false, true) => x * nh / (nh - 1.0),
                                (false, false) => x,
                            }
                        })
                        .collect();
                    base.push(w);
                    factor.push((1.0 - d.fraction[h]) * (nh - 1.0) / nh);
                }
            }
            ReplicateKind::Bootstrap { replicates, seed } => {
                let mut rng = SplitMix::new(seed);
                let members: Vec<Vec<usize>> = (0..d.n_psu.len())
                    .map(|h| (0..units).filter(|&p| stratum_of[p] == h).collect())
                    .collect();
                for _ in 0..replicates {
                    let mut drawn = vec![0.0; units];
                    for m in &members {
                        for _ in 0..m.len() - 1 {
                            drawn[m[rng.below(m.len())]] += 1.0;
                        }
                    }
                    let w = (0..d.len())
                        .map(|i| {
                            let h = d.strata[i];
                            let nh = d.n_psu[h] as f64;
                            let f = d.fraction[h];
                            // Rao-Wu with the finite-population correction folded in.
                            let r = 1.0 - (1.0 - f).sqrt()
                                + (1.0 - f).sqrt() * nh / (nh - 1.0) * drawn[d.psu[i]];
                            d.initial_weights[i] * r
                        })
                        .collect();
                    base.push(w);
                    factor.push(1.0 / replicates as f64);
                }
            }
        }
        let weights = base
            .into_iter()
            .map(|mut w| {
                for s in &d.steps {
                    w = s.apply(&w);
                }
                w
            })
            .collect();
        Replicates {
            kind,
            weights,
            factor,
        }
    }

    /// The replicate variance of a statistic of the weights: Σ factor_r (θ_r − θ̄)², θ̄ the
    /// mean of the replicates (R's default, `mse = FALSE`).
    pub fn variance(&self, statistic: impl Fn(&[f64]) -> f64) -> f64 {
        let theta: Vec<f64> = self.weights.iter().map(|w| statistic(w)).collect();
        let bar = theta.iter().sum::<f64>() / theta.len() as f64;
        theta
            .iter()
            .zip(&self.factor)
            .map(|(t, f)| f * (t - bar).powi(2))
            .sum()
    }

    /// The replicate standard error of a weighted mean of `y` (None: missing or outside).
    pub fn se_of_mean(&self, y: &[Option<f64>]) -> f64 {
        self.variance(|w| weighted_mean(y, w)).sqrt()
    }

    /// The replicate standard error of a weighted total of `y`.
    pub fn se_of_total(&self, y: &[Option<f64>]) -> f64 {
        self.variance(|w| y.iter().zip(w).map(|(v, w)| v.map_or(0.0, |v| v * w)).sum())
            .sqrt()
    }
}

/// The weighted mean of `y` (None: missing or outside the domain) under weights `w`: the
/// statistic a replicate recomputes.
pub fn weighted_mean(y: &[Option<f64>], w: &[f64]) -> f64 {
    let (mut s, mut sw) = (0.0, 0.0);
    for (v, w) in y.iter().zip(w) {
        if let Some(v) = v {
            s += w * v;
            sw += w;
        }
    }
    s / sw
}

impl Design {
    /// The design's replicates (see [`Replicates::new`]).
    pub fn replicates(&self, kind: ReplicateKind) -> Replicates {
        Replicates::new(self, kind)
    }
}
