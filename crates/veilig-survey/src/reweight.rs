//! Changing weights: the arithmetic of post-stratification, linear calibration, raking,
//! trimming and capping on a plain vector of weights, and the [`Step`] a design keeps of
//! each so that replicate designs repeat it. What a step leaves for the variance is in
//! [`crate::residual`]; the design-level functions are in [`crate::calibrate`] and
//! [`crate::rake`].

/// One margin: each respondent's category and the population count of each category.
#[derive(Debug, Clone)]
pub struct Margin {
    pub name: String,
    pub category: Vec<usize>,
    pub targets: Vec<f64>,
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
            } => rake_weights(w, margins, *tolerance, *max_cycles).0,
            Step::Trim { low, high, strict } => trim_weights(w, *low, *high, *strict),
            Step::Cap { cap } => cap_weights(w, *cap),
        }
    }
}

pub(crate) fn post_weights(w: &[f64], cell: &[usize], targets: &[f64]) -> Vec<f64> {
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

/// Linear calibration: w = d·(1 + x·λ) with Σ w x = totals; also returns g.
pub(crate) fn greg_weights(
    d: &[f64],
    x: &[Vec<f64>],
    totals: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), usize> {
    let p = totals.len();
    // (Σ d x x') λ = T − Σ d x.
    let mut gap = totals.to_vec();
    for (i, row) in x.iter().enumerate() {
        for j in 0..p {
            gap[j] -= d[i] * row[j];
        }
    }
    let lambda = solve_system(x, d, &gap)?;
    let g: Vec<f64> = x
        .iter()
        .map(|row| 1.0 + row.iter().zip(&lambda).map(|(a, b)| a * b).sum::<f64>())
        .collect();
    Ok((d.iter().zip(&g).map(|(d, g)| d * g).collect(), g))
}

/// Solves (Σ d x x') λ = rhs.
fn solve_system(x: &[Vec<f64>], d: &[f64], rhs: &[f64]) -> Result<Vec<f64>, usize> {
    crate::linalg::gauss(crate::linalg::cross(x, Some(d)), rhs.to_vec())
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

pub(crate) fn trim_weights(w: &[f64], low: f64, high: f64, strict: bool) -> Vec<f64> {
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

pub(crate) fn gaps(w: &[f64], margins: &[Margin]) -> f64 {
    let mut worst: f64 = 0.0;
    for m in margins {
        let mut sum = vec![0.0; m.targets.len()];
        for (i, &c) in m.category.iter().enumerate() {
            sum[c] += w[i];
        }
        for (s, t) in sum.iter().zip(&m.targets) {
            if *t > 0.0 {
                worst = worst.max((s - t).abs() / t);
            }
        }
    }
    worst
}

/// Iterative proportional fitting of `w` to the margins: the weights and the cycles run.
pub(crate) fn rake_weights(
    w: &[f64],
    margins: &[Margin],
    tolerance: f64,
    max_cycles: usize,
) -> (Vec<f64>, usize) {
    let mut w = w.to_vec();
    let mut cycles = 0;
    while cycles < max_cycles && gaps(&w, margins) > tolerance {
        cycles += 1;
        for m in margins {
            let mut sum = vec![0.0; m.targets.len()];
            for (i, &c) in m.category.iter().enumerate() {
                sum[c] += w[i];
            }
            for (i, &c) in m.category.iter().enumerate() {
                w[i] *= m.targets[c] / sum[c];
            }
        }
    }
    (w, cycles)
}

/// Caps the weights at `cap` times the mean weight, spreading what was cut over the
/// weights under the cap in proportion (repeated until no weight exceeds it).
pub(crate) fn cap_weights(w: &[f64], cap: f64) -> Vec<f64> {
    let mut w = w.to_vec();
    let total: f64 = w.iter().sum();
    let limit = cap * total / w.len() as f64;
    for _ in 0..100 {
        let over: f64 = w.iter().map(|x| (x - limit).max(0.0)).sum();
        if over <= 1e-12 * total {
            break;
        }
        let free: f64 = w.iter().filter(|x| **x < limit).sum();
        for x in w.iter_mut() {
            if *x >= limit {
                *x = limit;
            } else {
                *x += over * *x / free;
            }
        }
    }
    w
}
