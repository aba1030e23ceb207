//! The compact MIP of the Curtois & Qu problem: x[e][d][t] binaries with every hard rule as
//! rows, the weighted requests and cover in the objective, solved by HiGHS branch and cut.
//! Its LP relaxation is weak on the run rules (instance 4's root bound is 6 % below the
//! optimum), which is why [`super::colgen`] is the default; this model stays as the second,
//! independent formulation the tests compare against.

use highs::RowProblem;

use super::{Assignment, Instance};
use crate::mip::{MipResult, minimise};

// Index loops state the model as written on paper (x[e][d][t], day windows).
#[allow(clippy::needless_range_loop)]
pub(super) fn solve(inst: &Instance, time_limit: f64) -> Result<(MipResult, Assignment), String> {
    let (ne, d, nt) = (inst.staff.len(), inst.days, inst.shifts.len());
    let mut pb = RowProblem::default();
    // Objective weights of x from the requests: off-requests cost when worked, on-requests
    // cost when not worked (a constant minus x).
    let mut cost = vec![vec![vec![0.0; nt]; d]; ne];
    let mut constant = 0.0;
    for &(e, day, t, w) in &inst.on_requests {
        cost[e][day][t] -= w as f64;
        constant += w as f64;
    }
    for &(e, day, t, w) in &inst.off_requests {
        cost[e][day][t] += w as f64;
    }
    let mut x = vec![vec![Vec::with_capacity(nt); d]; ne];
    for e in 0..ne {
        for day in 0..d {
            for t in 0..nt {
                let fixed_off = inst.days_off[e].contains(&day) || inst.staff[e].max_shifts[t] == 0;
                x[e][day].push(
                    pb.add_integer_column(cost[e][day][t], 0.0..=if fixed_off { 0.0 } else { 1.0 }),
                );
            }
        }
    }
    let work = |e: usize, day: usize| -> Vec<(highs::Col, f64)> {
        (0..nt).map(|t| (x[e][day][t], 1.0)).collect()
    };
    for e in 0..ne {
        let s = &inst.staff[e];
        for day in 0..d {
            pb.add_row(..=1.0, work(e, day));
            if day + 1 < d {
                for t in 0..nt {
                    for &u in &inst.forbidden[t] {
                        pb.add_row(..=1.0, [(x[e][day][t], 1.0), (x[e][day + 1][u], 1.0)]);
                    }
                }
            }
        }
        for t in 0..nt {
            if s.max_shifts[t] < u32::MAX {
                pb.add_row(
                    ..=s.max_shifts[t] as f64,
                    (0..d).map(|day| (x[e][day][t], 1.0)),
                );
            }
        }
        pb.add_row(
            s.min_minutes as f64..=s.max_minutes as f64,
            (0..d)
                .flat_map(|day| (0..nt).map(move |t| (day, t)))
                .map(|(day, t)| (x[e][day][t], inst.minutes[t] as f64)),
        );
        // At most max_consecutive working days in any window of max_consecutive + 1.
        let m = s.max_consecutive;
        for start in 0..d.saturating_sub(m) {
            pb.add_row(
                ..=m as f64,
                (start..=start + m).flat_map(|day| work(e, day)),
            );
        }
        // Too-short runs bounded on both sides: off, k working days, off (k < min) and
        // working, k days off, working (k < min days off).
        for k in 1..s.min_consecutive {
            for start in 1..d.saturating_sub(k) {
                if start + k >= d {
                    break;
                }
                // -w[start-1] + Σ w[start..start+k] - w[start+k] ≤ k - 1
                let mut row: Vec<(highs::Col, f64)> = work(e, start - 1)
                    .into_iter()
                    .map(|(c, _)| (c, -1.0))
                    .collect();
                for day in start..start + k {
                    row.extend(work(e, day));
                }
                row.extend(work(e, start + k).into_iter().map(|(c, _)| (c, -1.0)));
                pb.add_row(..=(k as f64 - 1.0), row);
            }
        }
        for k in 1..s.min_days_off {
            for start in 1..d.saturating_sub(k) {
                if start + k >= d {
                    break;
                }
                // w[start-1] - Σ w[start..start+k] + w[start+k] ≤ 1
                let mut row = work(e, start - 1);
                for day in start..start + k {
                    row.extend(work(e, day).into_iter().map(|(c, _)| (c, -1.0)));
                }
                row.extend(work(e, start + k));
                pb.add_row(..=1.0, row);
            }
        }
        // Weekends worked: y ≥ each weekend day's work; Σ y ≤ MaxWeekends.
        let ys: Vec<_> = (0..d / 7)
            .map(|_| pb.add_integer_column(0.0, 0.0..=1.0))
            .collect();
        for (w, y) in ys.iter().enumerate() {
            for day in [w * 7 + 5, w * 7 + 6] {
                pb.add_row(..=0.0, work(e, day).into_iter().chain([(*y, -1.0)]));
            }
        }
        pb.add_row(..=s.max_weekends as f64, ys.iter().map(|y| (*y, 1.0)));
    }
    // Cover: Σ x - over + under = requirement.
    for day in 0..d {
        for t in 0..nt {
            let (req, under_w, over_w) = inst.cover[day][t];
            let under = pb.add_column(under_w as f64, 0.0..);
            let over = pb.add_column(over_w as f64, 0.0..);
            pb.add_row(
                req as f64..=req as f64,
                (0..ne)
                    .map(|e| (x[e][day][t], 1.0))
                    .chain([(over, -1.0), (under, 1.0)]),
            );
        }
    }
    let mut result = minimise(pb, time_limit)?;
    result.objective += constant;
    result.bound += constant;
    result.gap = if result.objective.abs() > 0.0 {
        ((result.objective - result.bound) / result.objective.abs()).max(0.0)
    } else {
        0.0
    };
    let assignment: Assignment = (0..ne)
        .map(|e| {
            (0..d)
                .map(|day| (0..nt).find(|&t| result.values[(e * d + day) * nt + t] > 0.5))
                .collect()
        })
        .collect();
    Ok((result, assignment))
}
