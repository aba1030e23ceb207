//! A Poisson regression refitted at every origin on the zone's own strict history: per mask
//! cell, features on the log scale (all-history count, recency-weighted count, the last eight
//! weeks, the ring of neighbours, the other offence types, the ProMap near-repeat surface);
//! target, the next week's count. Training rows come from the `TRAIN_WEEKS` weekly origins
//! before the forecast origin whose target week ends by it, so nothing after the origin is
//! seen. Fitted by iteratively reweighted least squares with a small ridge.

// Small dense matrix algebra reads best with row and column indices.
#![allow(clippy::needless_range_loop)]

use std::collections::HashMap;
use std::sync::Arc;

use crate::grid::{Events, MINUTES_PER_DAY, MINUTES_PER_WEEK, Minutes, prospective};

pub const FEATURES: usize = 7;
pub const TRAIN_WEEKS: usize = 52;
const RIDGE: f64 = 1e-3;
const ITERATIONS: usize = 25;

/// Feature rows of every mask cell at `origin` (the intercept first).
pub fn features(ev: &Events, origin: Minutes) -> Vec<[f64; FEATURES]> {
    let g = &ev.grid;
    let n = g.cells();
    let end = ev.before(origin);
    let mut all = vec![0.0f64; n];
    let mut recent = vec![0.0f64; n];
    let mut weeks8 = vec![0.0f64; n];

    let mut promap = vec![0.0; n];
    let start8 = ev.before(origin - 56 * MINUTES_PER_DAY);
    let rate = std::f64::consts::LN_2 / (365.0 * MINUTES_PER_DAY as f64);
    for i in 0..end {
        let c = ev.cell[i];
        all[c] += 1.0;
        recent[c] += (-((origin - ev.t[i]) as f64) * rate).exp();
        if i >= start8 {
            weeks8[c] += 1.0;
        }
    }
    prospective(ev, start8, end, origin, &mut promap);
    let other = ev.other_types_before(origin, &all);
    ev.mask
        .iter()
        .map(|&c| {
            let ring = g.ring_sum(&all, c);
            [
                1.0,
                all[c].ln_1p(),
                recent[c].ln_1p(),
                weeks8[c].ln_1p(),
                ring.ln_1p(),
                other[c].max(0.0).ln_1p(),
                promap[c].ln_1p(),
            ]
        })
        .collect()
}

/// Counts per mask cell of the events in [from, to).
fn targets(ev: &Events, from: Minutes, to: Minutes) -> Vec<f64> {
    let mut y = vec![0.0; ev.mask.len()];
    for i in ev.before(from)..ev.before(to) {
        y[ev.mask_index[ev.cell[i]] as usize] += 1.0;
    }
    y
}

/// One training week: its distinct feature rows, each with how many cells share it and their
/// summed next-week count (most cells have no history at all, so the rows shrink a lot).
type Week = Arc<Vec<([f64; FEATURES], f64, f64)>>;

fn week(ev: &Events, o: Minutes) -> Week {
    // Training weeks already computed for these events: consecutive forecasts share 51 of
    // their 52.
    if let Some(w) = ev.per_origin.get(o) {
        return w;
    }
    let x = features(ev, o);
    let y = targets(ev, o, o + MINUTES_PER_WEEK);
    let mut index: HashMap<[u64; FEATURES], usize> = HashMap::new();
    let mut rows: Vec<([f64; FEATURES], f64, f64)> = Vec::new();
    // Mask order, so the rows (and every sum over them) come in a fixed order.
    for (xi, yi) in x.iter().zip(&y) {
        let i = *index.entry(xi.map(f64::to_bits)).or_insert_with(|| {
            rows.push((*xi, 0.0, 0.0));
            rows.len() - 1
        });
        rows[i].1 += 1.0;
        rows[i].2 += yi;
    }
    let w = Arc::new(rows);
    ev.per_origin.put(o, w.clone());
    w
}

/// Fits β by IRLS on the stacked training weeks; `None` when there is nothing to learn from.
pub fn fit(ev: &Events, origin: Minutes) -> Option<[f64; FEATURES]> {
    let weeks: Vec<Week> = (1..=TRAIN_WEEKS)
        .map(|k| week(ev, origin - k as i64 * MINUTES_PER_WEEK))
        .collect();
    let rows: Vec<&([f64; FEATURES], f64, f64)> = weeks.iter().flat_map(|w| w.iter()).collect();
    let (count, total): (f64, f64) = rows.iter().fold((0.0, 0.0), |a, r| (a.0 + r.1, a.1 + r.2));
    if total == 0.0 {
        return None;
    }
    let mut beta = [0.0; FEATURES];
    beta[0] = (total / count).ln();
    for _ in 0..ITERATIONS {
        let mut a = [[0.0; FEATURES]; FEATURES];
        let mut b = [0.0; FEATURES];
        for &&(ref xi, n, yi) in &rows {
            let eta: f64 = xi.iter().zip(&beta).map(|(u, v)| u * v).sum();
            let mu = eta.clamp(-30.0, 30.0).exp();
            // Working response z = η + (y − μ)/μ with weight μ: accumulate XᵀWX and XᵀWz.
            let wz = n * mu * eta + (yi - n * mu);
            for r in 0..FEATURES {
                b[r] += xi[r] * wz;
                let wr = n * mu * xi[r];
                for s in 0..=r {
                    a[r][s] += wr * xi[s];
                }
            }
        }
        for r in 0..FEATURES {
            for s in 0..r {
                a[s][r] = a[r][s];
            }
            a[r][r] += RIDGE * (1.0 + a[r][r]);
        }
        let next = solve(a, b)?;
        let change: f64 = next
            .iter()
            .zip(&beta)
            .map(|(u, v)| (u - v).abs())
            .fold(0.0, f64::max);
        beta = next;
        if change < 1e-7 {
            break;
        }
    }
    Some(beta)
}

/// Gaussian elimination with partial pivoting on a small dense system.
fn solve(mut a: [[f64; FEATURES]; FEATURES], mut b: [f64; FEATURES]) -> Option<[f64; FEATURES]> {
    for col in 0..FEATURES {
        let pivot = (col..FEATURES).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..FEATURES {
            let f = a[row][col] / a[col][col];
            for k in col..FEATURES {
                a[row][k] -= f * a[col][k];
            }
            b[row] -= f * b[col];
        }
    }
    let mut out = [0.0; FEATURES];
    for row in (0..FEATURES).rev() {
        let s: f64 = (row + 1..FEATURES).map(|k| a[row][k] * out[k]).sum();
        out[row] = (b[row] - s) / a[row][row];
    }
    Some(out)
}

/// The expected next-week count per mask cell; the all-history count when no fit is possible.
pub fn intensity(ev: &Events, origin: Minutes) -> Vec<f64> {
    let f = features(ev, origin);
    match fit(ev, origin) {
        Some(beta) => f
            .iter()
            .map(|xi| {
                let eta: f64 = xi.iter().zip(&beta).map(|(u, v)| u * v).sum();
                eta.clamp(-30.0, 30.0).exp()
            })
            .collect(),
        None => f.iter().map(|xi| xi[1].exp_m1()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solve_recovers_a_known_system() {
        let mut a = [[0.0; FEATURES]; FEATURES];
        let mut b = [0.0; FEATURES];
        for i in 0..FEATURES {
            a[i][i] = 2.0;
            if i + 1 < FEATURES {
                a[i][i + 1] = 1.0;
            }
            b[i] = 3.0;
        }
        let x = solve(a, b).unwrap();
        for i in 0..FEATURES {
            let lhs: f64 = (0..FEATURES).map(|k| a[i][k] * x[k]).sum();
            assert!((lhs - b[i]).abs() < 1e-12);
        }
    }
}
