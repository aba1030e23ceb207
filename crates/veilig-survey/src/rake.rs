//! Raking (iterative proportional fitting) of weights to population margins, with weight
//! trimming that keeps the total; the raked design keeps its margins so that variances are
//! those of the calibrated estimator, not of fixed weights.

use serde::Serialize;

use crate::design::Design;
use crate::residual::Residual;
pub use crate::reweight::Margin;
use crate::reweight::{Step, cap_weights, gaps, rake_weights};

/// How the raking went.
#[derive(Debug, Clone, Serialize)]
pub struct RakeReport {
    pub converged: bool,
    pub cycles: usize,
    /// The largest relative gap between a weighted margin and its target at the end.
    pub max_relative_gap: f64,
    pub tolerance: f64,
    pub max_cycles: usize,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RakeError {
    #[error("margin {margin}: category {category} has a population but no respondent")]
    EmptyCategory { margin: String, category: usize },
    #[error("margin {margin}: {len} categories for {n} respondents")]
    Length {
        margin: String,
        len: usize,
        n: usize,
    },
}

/// Rakes the design's weights to the margins, each cycle adjusting the margins in order,
/// until every margin is within `tolerance` (relative) or after `max_cycles` cycles.
pub fn rake(
    design: &Design,
    margins: &[Margin],
    tolerance: f64,
    max_cycles: usize,
) -> Result<(Design, RakeReport), RakeError> {
    let n = design.len();
    for m in margins {
        if m.category.len() != n {
            return Err(RakeError::Length {
                margin: m.name.clone(),
                len: m.category.len(),
                n,
            });
        }
        let mut seen = vec![false; m.targets.len()];
        for &c in &m.category {
            seen[c] = true;
        }
        if let Some(c) = (0..m.targets.len()).find(|&c| !seen[c] && m.targets[c] > 0.0) {
            return Err(RakeError::EmptyCategory {
                margin: m.name.clone(),
                category: c,
            });
        }
    }
    let (w, cycles) = rake_weights(&design.weights, margins, tolerance, max_cycles);
    let gap = gaps(&w, margins);
    let mut d = design.clone();
    d.calibration.push(Residual::Margins {
        margins: margins.iter().map(|m| m.category.clone()).collect(),
        base: design.weights.clone(),
    });
    d.steps.push(Step::Rake {
        margins: margins.to_vec(),
        tolerance,
        max_cycles,
    });
    d.weights = w;
    Ok((
        d,
        RakeReport {
            converged: gap <= tolerance,
            cycles,
            max_relative_gap: gap,
            tolerance,
            max_cycles,
        },
    ))
}

/// Trims weights to at most `cap` times the mean weight, spreading what was cut over the
/// untrimmed weights so the total stays the same (repeated until no weight exceeds the cap).
pub fn trim(design: &Design, cap: f64) -> Design {
    let mut d = design.clone();
    d.weights = cap_weights(&design.weights, cap);
    d.steps.push(Step::Cap { cap });
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_caps_the_weights_and_keeps_the_total() {
        let d = Design::new(vec![1.0, 1.0, 1.0, 1.0, 16.0], None, None, None).unwrap();
        // Mean weight 4; cap at 2 × the mean = 8.
        let t = trim(&d, 2.0);
        let total: f64 = t.weights.iter().sum();
        assert!((total - 20.0).abs() < 1e-9);
        assert!(
            t.weights.iter().all(|w| *w <= 8.0 + 1e-9),
            "{:?}",
            t.weights
        );
        assert!((t.weights[4] - 8.0).abs() < 1e-9);
        // The others share the 8 that was cut, in proportion: 1 + 2 each.
        assert!((t.weights[0] - 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_category_with_a_population_but_no_respondent_is_refused() {
        let d = Design::new(vec![1.0; 3], None, None, None).unwrap();
        let m = Margin {
            name: "sex".into(),
            category: vec![0, 0, 0],
            targets: vec![10.0, 12.0],
        };
        assert_eq!(
            rake(&d, &[m], 1e-9, 10).unwrap_err(),
            RakeError::EmptyCategory {
                margin: "sex".into(),
                category: 1
            }
        );
    }
}
