//! The audit of all releases of one table together: what a reader who saved every release
//! can derive. Each release alone is a network and [`crate::network::determined`] audits it
//! exactly; joined, the releases are linked by what a reader knows of revisions (late records
//! only add, so a cell never shrinks from one release to the next), and the system is no
//! longer a network. It is solved here as it is, by integer programming (HiGHS): a hidden
//! cell is derivable when its smallest and largest feasible whole value are equal.

use std::collections::HashMap;

use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};

use crate::network::bounds;
use crate::period::PubPeriod;
use crate::year::{ProtectedYear, Unit};

/// The hidden cells, as (release index, cell index), that a reader who knows every release in
/// `releases` (oldest first) derives exactly: every equation of every release, whole
/// non-negative counts, the labels' bounds (each release's own threshold), and that a cell does not shrink between releases
/// (where it indeed did not: a reader who assumes it where a record was withdrawn learns
/// nothing true).
pub fn pinned(releases: &[&ProtectedYear]) -> Vec<(usize, usize)> {
    let model = Model::new(releases);
    // Each column's true value, and whether it is hidden.
    let mut truth = Vec::new();
    let mut hidden = Vec::new();
    for t in releases {
        for cell in &t.cells {
            truth.push(cell.value as f64);
            hidden.push(cell.status.hidden());
        }
    }
    // A hidden cell is free once any whole table that agrees with everything the reader
    // knows gives it another value: every solution found frees every cell it moves, so most
    // cells are freed by another's solve.
    let mut free = vec![false; truth.len()];
    let note = |solution: Option<Vec<f64>>, free: &mut [bool]| {
        for (c, v) in solution.into_iter().flatten().enumerate() {
            if hidden[c] && (v - truth[c]).abs() > 0.5 {
                free[c] = true;
            }
        }
    };
    let mut out = Vec::new();
    for (r, t) in releases.iter().enumerate() {
        for c in 0..t.cells.len() {
            let x = model.column[r][c];
            if !hidden[x] || free[x] {
                continue;
            }
            note(model.extreme(x, Sense::Maximise), &mut free);
            if !free[x] {
                note(model.extreme(x, Sense::Minimise), &mut free);
            }
            if !free[x] {
                out.push((r, c));
            }
        }
    }
    out
}

/// The joint system, rebuilt for each solve (HiGHS consumes a problem).
struct Model<'a> {
    releases: &'a [&'a ProtectedYear],
    /// Column of each release's each cell.
    column: Vec<Vec<usize>>,
    /// A bound no count of a release can pass (so that every problem is bounded).
    cap: f64,
}

impl<'a> Model<'a> {
    fn new(releases: &'a [&'a ProtectedYear]) -> Model<'a> {
        let mut next = 0;
        let column = releases
            .iter()
            .map(|t| {
                (0..t.cells.len())
                    .map(|_| {
                        next += 1;
                        next - 1
                    })
                    .collect()
            })
            .collect();
        let largest: u64 = releases
            .iter()
            .map(|t| t.cells.iter().map(|c| c.value).sum::<u64>())
            .max()
            .unwrap_or(0);
        let threshold = releases.iter().map(|t| t.threshold).max().unwrap_or(0);
        Model {
            releases,
            column,
            cap: (2 * largest + 10 * threshold) as f64,
        }
    }

    /// A whole table that agrees with everything the reader knows and makes column `x` as
    /// large or as small as it can be (or a feasible one found within the time limit): the
    /// value of every column. None when HiGHS found none (never for a true table; the
    /// caller then counts the cell as derivable, the safe side).
    fn extreme(&self, x: usize, sense: Sense) -> Option<Vec<f64>> {
        let mut pb = RowProblem::default();
        let mut cols = Vec::new();
        for (r, t) in self.releases.iter().enumerate() {
            for (c, cell) in t.cells.iter().enumerate() {
                let cost = if self.column[r][c] == x { 1.0 } else { 0.0 };
                let col = if cell.status.hidden() {
                    let (lo, hi) = bounds(cell.status, t.threshold);
                    let hi = hi.map(|h| h as f64).unwrap_or(self.cap);
                    pb.add_integer_column(cost, lo as f64..=hi)
                } else {
                    let v = cell.value as f64;
                    pb.add_column(cost, v..=v)
                };
                cols.push(col);
            }
        }
        for (r, t) in self.releases.iter().enumerate() {
            let col = |c: usize| cols[self.column[r][c]];
            for (total, parts) in t.table().equations() {
                pb.add_row(
                    0.0..=0.0,
                    std::iter::once((col(total), 1.0)).chain(parts.iter().map(|&p| (col(p), -1.0))),
                );
            }
        }
        // Late records only add: each cell at least what it was in its previous release.
        let mut last: HashMap<(Unit, PubPeriod), (usize, u64)> = HashMap::new();
        for (r, t) in self.releases.iter().enumerate() {
            for (c, cell) in t.cells.iter().enumerate() {
                let here = self.column[r][c];
                if let Some((before, value)) =
                    last.insert((cell.unit, cell.period), (here, cell.value))
                    && cell.value >= value
                {
                    pb.add_row(0.0.., [(cols[here], 1.0), (cols[before], -1.0)]);
                }
            }
        }
        let mut model = pb.optimise(sense);
        model.make_quiet();
        model.set_option("time_limit", 10.0);
        model.set_option("mip_rel_gap", 0.0);
        let solved = model.try_solve().ok()?;
        if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
            return None;
        }
        match solved.status() {
            HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit => {
                Some(solved.get_solution().columns().to_vec())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::network::Status;
    use crate::publish::protect_year;
    use crate::rules::Rules;
    use crate::year::{Layout, YearCounts};

    /// On one release the integer programme and the network audit (two methods, one
    /// question) agree: nothing is derivable after protection, and when one hidden cell is
    /// shown again they find the same cells derivable.
    #[test]
    fn on_one_release_the_integer_audit_agrees_with_the_network_audit() {
        let layout = Layout::new([
            (1, Some("A")),
            (2, Some("A")),
            (3, Some("B")),
            (4, Some("B")),
            (5, Some("B")),
        ]);
        let spread = |n: u64| -> [u64; 12] {
            std::array::from_fn(|m| n / 12 + u64::from((m as u64) < n % 12))
        };
        let counts = YearCounts {
            areas: [40, 3, 25, 30, 2].iter().map(|&n| spread(n)).collect(),
            not_located: spread(0),
        };
        let through = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let t = protect_year(2025, &layout, &counts, through, &Rules::builtin());
        assert!(pinned(&[&t]).is_empty());
        let mut compared = 0;
        for i in (0..t.cells.len()).filter(|&i| t.cells[i].status.hidden()) {
            let mut u = t.clone();
            u.cells[i].status = Status::Shown;
            let network: Vec<usize> = u.derivable(5);
            let ip: Vec<usize> = pinned(&[&u]).into_iter().map(|(_, c)| c).collect();
            assert_eq!(network, ip, "cell {i} shown again");
            compared += usize::from(!ip.is_empty());
        }
        assert!(compared > 0, "showing a hidden cell exposes others");
    }
}
