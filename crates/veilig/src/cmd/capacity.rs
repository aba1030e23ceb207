//! `veilig capacity …`: norms, demand per hour, coverage proof, a week's duty plan, the
//! allocation of hours, and the solver's reference instances. Each reads its flags, calls
//! `veilig_query::capacity` (or the solver) and prints (`print.rs`).

use veilig_cli::print::capacity as print;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::Datelike;
use veilig_capacity::{Ruleset, StaffingRules};
use veilig_domain::Zone;
use veilig_import::{read_duty_plan, read_leave, write_duty_plan};
use veilig_query::capacity::allocation::{Projects, allocation};
use veilig_query::capacity::reports::{coverage_report, demand_report, norms_report};
use veilig_query::capacity::week::{PlanOptions, week_plan};
use veilig_store::Store;

use veilig_cli::args::*;
use veilig_cli::output::emit;

async fn zone(store: &Store, c: &CapacityCommon) -> Result<Zone> {
    super::given_or_only_zone(store, c.zone.as_deref()).await
}

fn rules(c: &CapacityCommon) -> Result<Ruleset> {
    match &c.rules {
        None => Ok(Ruleset::builtin()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| p.display().to_string())?;
            Ruleset::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        }
    }
}

pub async fn run(store: &Store, cmd: CapacityCmd) -> Result<ExitCode> {
    match cmd {
        CapacityCmd::Rules => {
            print!("{}", Ruleset::builtin_text());
            Ok(ExitCode::SUCCESS)
        }
        CapacityCmd::Norms(c) => {
            let r = norms_report(store, &zone(store, &c).await?, rules(&c)?).await?;
            emit(&r, c.json, print::norms)
        }
        CapacityCmd::Allocate(a) => allocate(store, a).await,
        CapacityCmd::Shifts(a) => shifts(a),
        CapacityCmd::Roster(a) => match &a.curtois {
            Some(file) => curtois(file, &a),
            None => roster(&a),
        },
        CapacityCmd::Demand(a) => demand(store, a).await,
        CapacityCmd::Plan(a) => plan(store, a).await,
        CapacityCmd::Coverage(a) => {
            let (z, r) = (zone(store, &a.common).await?, rules(&a.common)?);
            let (start, duties) = read_duty_plan(&a.plan)?;
            let name = a.plan.display().to_string();
            let c = coverage_report(store, &z, &r, (&name, start, &duties), a.with_demand).await?;
            emit(&c, a.common.json, print::coverage)
        }
    }
}

async fn demand(store: &Store, a: DemandArgs) -> Result<ExitCode> {
    let staffing = StaffingRules {
        max_wait_probability: a.max_wait,
        max_utilisation: a.max_utilisation,
        officers_per_unit: a.officers_per_unit,
        ..StaffingRules::default()
    };
    let (z, r) = (zone(store, &a.common).await?, rules(&a.common)?);
    let d = demand_report(store, &z, &r, (a.from, a.to), &a.months, staffing).await?;
    emit(&d, a.common.json, print::demand)
}

async fn plan(store: &Store, a: PlanArgs) -> Result<ExitCode> {
    let z = zone(store, &a.common).await?;
    if a.week_of.weekday() != chrono::Weekday::Mon {
        bail!("--week-of {} is not a Monday", a.week_of);
    }
    let how = PlanOptions {
        mip: a.solver == "mip",
        leave: a
            .leave
            .as_deref()
            .map(read_leave)
            .transpose()?
            .unwrap_or_default(),
        no_nights: a
            .no_nights
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        time_limit: a.time_limit,
    };
    let plan = week_plan(store, &z, &rules(&a.common)?, a.week_of, &how).await?;
    write_duty_plan(&a.out, a.week_of, &plan.duties)?;
    emit(&plan.report, a.common.json, |r| {
        println!(
            "{} shifts over {} days written to {}; shifts short of their requirement: {}; shifts without a needed skill: {}",
            r.shifts_assigned,
            r.days,
            a.out.display(),
            r.unstaffed.len(),
            r.skill_gaps.len()
        )
    })
}

/// Projects from the plan or a file, allocated by the three-stage LP.
async fn allocate(store: &Store, a: AllocateArgs) -> Result<ExitCode> {
    let z = zone(store, &a.common).await?;
    let projects = match a.projects {
        Some(p) => Projects::File(p),
        None => Projects::Plan {
            plan: a.plan.expect("clap requires --projects or --plan"),
            year: a.year,
        },
    };
    let r = allocation(store, &z, rules(&a.common)?, &projects).await?;
    emit(&r, a.common.json, print::allocation)
}

fn read_instances(path: &std::path::Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))
}

/// A reference shift-design instance solved.
fn shifts(a: ShiftsArgs) -> Result<ExitCode> {
    let doc = read_instances(&a.instance)?;
    let inst = veilig_solver::shifts::golden(&doc, &a.id).map_err(anyhow::Error::msg)?;
    let r = veilig_solver::shifts::design(&inst, a.time_limit).map_err(anyhow::Error::msg)?;
    emit(&r, a.json, |r| {
        println!(
            "{}: {} objective {:.2}, bound {:.2}, gap {:.4} %, {:.1} s; {} shift types used, {} hours uncovered",
            a.id,
            r.result.status,
            r.result.objective,
            r.result.bound,
            r.result.gap * 100.0,
            r.result.seconds,
            r.shifts.len(),
            r.uncovered_hours.len()
        )
    })
}

/// A Curtois benchmark instance rostered.
fn curtois(file: &std::path::Path, a: &RosterArgs) -> Result<ExitCode> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read", file.display()))?;
    let inst = veilig_solver::curtois::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let s =
        veilig_solver::curtois::solve(&inst, a.method, a.time_limit).map_err(anyhow::Error::msg)?;
    emit(&s, a.json, |s| {
        println!(
            "{}: {} objective {:.0} (evaluated {}), bound {:.1}, gap {:.4} %, {:.1} s; broken rules: {}",
            file.display(),
            s.result.status,
            s.result.objective,
            s.evaluated,
            s.result.bound,
            s.result.gap * 100.0,
            s.result.seconds,
            s.broken_rules.len()
        )
    })
}

/// A reference rostering instance rostered, its objective recomputed from the assignment.
fn roster(a: &RosterArgs) -> Result<ExitCode> {
    let (instance, id) = a
        .instance
        .as_ref()
        .zip(a.id.as_ref())
        .context("give --instance FILE --id ID, or --curtois FILE")?;
    let doc = read_instances(instance)?;
    let inst = veilig_solver::rostering::golden(&doc, id).map_err(anyhow::Error::msg)?;
    let r = veilig_solver::rostering::roster(&inst, a.time_limit).map_err(anyhow::Error::msg)?;
    let (recomputed, broken) = veilig_solver::rostering::evaluate(&inst, &r.assignment);
    let mut v = serde_json::to_value(&r)?;
    v["evaluated_objective"] = recomputed.into();
    v["broken_rules"] = serde_json::to_value(&broken)?;
    emit(&v, a.json, |_| {
        println!(
            "{id}: {} objective {:.2} (evaluated {recomputed:.2}), bound {:.2}, gap {:.4} %, {:.1} s; broken rules: {}",
            r.result.status,
            r.result.objective,
            r.result.bound,
            r.result.gap * 100.0,
            r.result.seconds,
            broken.len()
        )
    })
}
