//! Solving a MIP with HiGHS and reporting honestly: status, objective, the proven bound and
//! the gap. "optimal" is said only when HiGHS proved it with a zero relative gap.

use std::time::Instant;

use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MipResult {
    /// `optimal`, `time-limit` (a solution, not proven optimal) or another HiGHS status.
    pub status: String,
    pub objective: f64,
    /// The best lower bound HiGHS proved (minimisation).
    pub bound: f64,
    /// Relative gap (objective − bound) / |objective|.
    pub gap: f64,
    pub seconds: f64,
    #[serde(skip)]
    pub values: Vec<f64>,
}

/// Minimises `pb` within `time_limit` seconds, asking for a proof of optimality (relative gap
/// 0, absolute gap 1e-6).
pub fn minimise(pb: RowProblem, time_limit: f64) -> Result<MipResult, String> {
    let t0 = Instant::now();
    let mut model = pb.optimise(Sense::Minimise);
    model.make_quiet();
    model.set_option("time_limit", time_limit);
    model.set_option("mip_rel_gap", 0.0);
    model.set_option("mip_abs_gap", 1e-6);
    let solved = model
        .try_solve()
        .map_err(|e| format!("HiGHS failed: {e:?}"))?;
    let seconds = t0.elapsed().as_secs_f64();
    let status = solved.status();
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(format!("no feasible solution ({status:?})"));
    }
    let objective = solved.objective_value();
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NEG_INFINITY);
    let gap = if objective.abs() > 0.0 {
        ((objective - bound) / objective.abs()).max(0.0)
    } else {
        (objective - bound).abs()
    };
    let status = match status {
        HighsModelStatus::Optimal if gap <= 1e-9 || (objective - bound).abs() <= 1e-6 => {
            "optimal".to_string()
        }
        HighsModelStatus::Optimal => "gap-limit".to_string(),
        HighsModelStatus::ReachedTimeLimit => "time-limit".to_string(),
        other => format!("{other:?}").to_lowercase(),
    };
    Ok(MipResult {
        status,
        objective,
        bound,
        gap,
        seconds,
        values: solved.get_solution().columns().to_vec(),
    })
}

/// Minimises a linear programme (no integer columns). An LP's optimum is certified by its
/// dual, so when HiGHS says optimal the bound is the objective and the gap zero.
pub fn minimise_lp(pb: RowProblem, time_limit: f64) -> Result<MipResult, String> {
    let t0 = Instant::now();
    let mut model = pb.optimise(Sense::Minimise);
    model.make_quiet();
    model.set_option("time_limit", time_limit);
    let solved = model
        .try_solve()
        .map_err(|e| format!("HiGHS failed: {e:?}"))?;
    let seconds = t0.elapsed().as_secs_f64();
    let status = solved.status();
    if status != HighsModelStatus::Optimal {
        return Err(format!("the LP was not solved to optimality ({status:?})"));
    }
    let objective = solved.objective_value();
    Ok(MipResult {
        status: "optimal".into(),
        objective,
        bound: objective,
        gap: 0.0,
        seconds,
        values: solved.get_solution().columns().to_vec(),
    })
}
