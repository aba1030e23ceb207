//! A sampling design: strata, clusters at one or more stages (primary sampling units, then
//! units within them), weights and the finite-population correction at each stage; and what
//! the weights were calibrated to, so that variances are those of the calibrated estimator.
//! The variance itself is in [`crate::variance`].

use std::collections::HashMap;

use thiserror::Error;

use crate::residual::Residual;
use crate::reweight::Step;

/// What is wrong with a design, naming the respondent (0-based row) where it applies.
#[derive(Debug, Error, PartialEq)]
pub enum DesignError {
    #[error("row {row}: weight {weight} is not positive")]
    Weight { row: usize, weight: f64 },
    #[error(
        "stratum {stratum:?} has a single primary sampling unit: its variance cannot be estimated"
    )]
    LonelyPsu { stratum: String },
    #[error(
        "stage {stage}: unit {unit:?} has a single sampled unit below it and is not a census: its variance cannot be estimated"
    )]
    LonelyUnit { stage: usize, unit: String },
    #[error("stratum {stratum:?}: the finite-population correction differs between rows")]
    FpcVaries { stratum: String },
    #[error("row {row}: the finite-population correction {fpc} is smaller than the sample")]
    FpcTooSmall { row: usize, fpc: f64 },
    #[error("the design columns have different lengths")]
    Lengths,
    #[error("the design has no respondents")]
    Empty,
}

/// One stage of a design as given: each respondent's unit at this stage (unique within the
/// unit of the stage above) and, optionally, the population count of units at this stage in
/// that unit above (or, when ≤ 1, the sampling fraction), as R's `fpc=~f1+f2`.
#[derive(Debug, Clone, Copy)]
pub struct Stage<'a> {
    pub clusters: &'a [String],
    pub fpc: Option<&'a [f64]>,
}

/// A stage below the first, as the variance needs it.
#[derive(Debug, Clone)]
pub(crate) struct Lower {
    /// Each respondent's unit at this stage (unique across the whole sample).
    pub unit: Vec<usize>,
    /// Each unit's parent unit at the stage above.
    pub parent: Vec<usize>,
    /// Per parent unit: the number of its units in the sample and their sampling fraction
    /// (0 without a finite-population correction).
    pub n: Vec<usize>,
    pub fraction: Vec<f64>,
}

/// A design over `n` respondents.
#[derive(Debug, Clone)]
pub struct Design {
    pub weights: Vec<f64>,
    /// Stratum index of each respondent.
    pub(crate) strata: Vec<usize>,
    stratum_names: Vec<String>,
    /// Primary sampling unit index of each respondent (unique across strata).
    pub(crate) psu: Vec<usize>,
    /// Per stratum: the number of PSUs in the sample and the sampling fraction (0 without
    /// a finite-population correction).
    pub(crate) n_psu: Vec<usize>,
    pub(crate) fraction: Vec<f64>,
    /// The stages below the first (their variance is added when the first stage has a
    /// finite-population correction, as R's `survey` does).
    pub(crate) lower: Vec<Lower>,
    /// What the weights were calibrated to, in order: the variance is then that of the
    /// calibrated estimator.
    pub(crate) calibration: Vec<Residual>,
    /// The weights the design was made with, and the steps since (post-stratification,
    /// calibration, raking, trimming): replicate designs repeat them on every replicate.
    pub(crate) initial_weights: Vec<f64>,
    pub(crate) steps: Vec<Step>,
}

/// Index of each key in order of first appearance.
fn index<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> (Vec<usize>, usize) {
    let mut seen: HashMap<K, usize> = HashMap::new();
    let idx = keys
        .map(|k| {
            let next = seen.len();
            *seen.entry(k).or_insert(next)
        })
        .collect();
    (idx, seen.len())
}

/// The sampling fraction of `n` sampled units out of `fpc` (a count, or a fraction ≤ 1).
fn fraction(n: usize, fpc: f64, row: usize) -> Result<f64, DesignError> {
    let f = if fpc <= 1.0 { fpc } else { n as f64 / fpc };
    if (0.0..=1.0).contains(&f) {
        Ok(f)
    } else {
        Err(DesignError::FpcTooSmall { row, fpc })
    }
}

impl Design {
    /// A one-stage design. `strata` and `clusters` name each respondent's stratum and PSU
    /// (None: one stratum; every respondent its own PSU). `fpc` per respondent is the
    /// population count of its stratum's PSUs (or, when ≤ 1, the sampling fraction), as
    /// R's `fpc=`.
    pub fn new(
        weights: Vec<f64>,
        strata: Option<&[String]>,
        clusters: Option<&[String]>,
        fpc: Option<&[f64]>,
    ) -> Result<Design, DesignError> {
        let own: Vec<String>;
        let clusters = match clusters {
            Some(c) => c,
            None => {
                own = (0..weights.len()).map(|i| i.to_string()).collect();
                &own
            }
        };
        Design::multistage(weights, strata, &[Stage { clusters, fpc }])
    }

    /// A design of one or more stages (R's `svydesign(id=~a+b, strata=, fpc=~f1+f2)`):
    /// strata apply to the first stage; each later stage's units are sampled within the
    /// units of the stage above.
    pub fn multistage(
        weights: Vec<f64>,
        strata: Option<&[String]>,
        stages: &[Stage],
    ) -> Result<Design, DesignError> {
        let n = weights.len();
        if n == 0 {
            return Err(DesignError::Empty);
        }
        if stages.is_empty()
            || strata.is_some_and(|s| s.len() != n)
            || stages
                .iter()
                .any(|s| s.clusters.len() != n || s.fpc.is_some_and(|f| f.len() != n))
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
        let (strata_idx, h) = index((0..n).map(|i| strata.map(|s| s[i].as_str()).unwrap_or("")));
        stratum_names.resize(h, String::new());
        for i in 0..n {
            stratum_names[strata_idx[i]] = strata.map(|s| s[i].clone()).unwrap_or_default();
        }
        let first = &stages[0];
        let (psu, n_units) = index((0..n).map(|i| (strata_idx[i], first.clusters[i].as_str())));
        let mut n_psu = vec![0usize; h];
        let mut psu_stratum = vec![usize::MAX; n_units];
        for i in 0..n {
            if psu_stratum[psu[i]] == usize::MAX {
                psu_stratum[psu[i]] = strata_idx[i];
                n_psu[strata_idx[i]] += 1;
            }
        }
        let mut fraction_h = vec![0.0; h];
        if let Some(f) = first.fpc {
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
                fraction_h[s] = fraction(n_psu[s], f[i], i)?;
            }
        }
        if let Some(s) = (0..h).find(|&s| n_psu[s] < 2) {
            return Err(DesignError::LonelyPsu {
                stratum: stratum_names[s].clone(),
            });
        }
        let mut lower = Vec::new();
        let mut above = psu.clone();
        let mut above_count = n_units;
        for (k, stage) in stages.iter().enumerate().skip(1) {
            let l = Self::lower(k + 1, stage, &above, above_count)?;
            above = l.unit.clone();
            above_count = l.parent.len();
            lower.push(l);
        }
        Ok(Design {
            initial_weights: weights.clone(),
            weights,
            strata: strata_idx,
            stratum_names,
            psu,
            n_psu,
            fraction: fraction_h,
            lower,
            calibration: Vec::new(),
            steps: Vec::new(),
        })
    }

    /// A stage below the first: its units within each unit of the stage above.
    fn lower(
        stage: usize,
        s: &Stage,
        above: &[usize],
        above_count: usize,
    ) -> Result<Lower, DesignError> {
        let n = above.len();
        let (unit, units) = index((0..n).map(|i| (above[i], s.clusters[i].as_str())));
        let mut parent = vec![usize::MAX; units];
        let mut count = vec![0usize; above_count];
        for i in 0..n {
            if parent[unit[i]] == usize::MAX {
                parent[unit[i]] = above[i];
                count[above[i]] += 1;
            }
        }
        let mut frac = vec![0.0; above_count];
        if let Some(f) = s.fpc {
            for i in 0..n {
                frac[above[i]] = fraction(count[above[i]], f[i], i)?;
            }
        }
        for (i, &p) in above.iter().enumerate() {
            if count[p] < 2 && frac[p] < 1.0 - 1e-9 && s.fpc.is_some() {
                return Err(DesignError::LonelyUnit {
                    stage,
                    unit: s.clusters[i].clone(),
                });
            }
        }
        Ok(Lower {
            unit,
            parent,
            n: count,
            fraction: frac,
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

    /// The number of sampling stages.
    pub fn stages(&self) -> usize {
        1 + self.lower.len()
    }
}
