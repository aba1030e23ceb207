//! `veilig capacity …`: norms, demand per hour, coverage proof, and a demo plan.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration};
use veilig_capacity::{Ruleset, StaffingRules};
use veilig_domain::Zone;
use veilig_import::{read_duty_plan, read_leave, write_duty_plan};
use veilig_query::capacity::allocation::{AllocationReport, Projects, allocation};
use veilig_query::capacity::reports::{
    CoverageReport, DemandReport, NormsReport, coverage_report, demand_report, norms_report,
};
use veilig_query::capacity::week::{PlanOptions, week_plan};
use veilig_store::Store;

use crate::cli::{CapacityCmd, CapacityCommon};
use crate::output::{emit, json};

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
        CapacityCmd::Norms(c) => norms(store, &c).await,
        CapacityCmd::Allocate {
            common,
            projects,
            plan,
            year,
        } => allocate(store, &common, projects.as_deref(), plan.as_deref(), year).await,
        CapacityCmd::Shifts {
            instance,
            id,
            time_limit,
            json: as_json,
        } => {
            let doc = read_instances(&instance)?;
            let inst = veilig_solver::shifts::golden(&doc, &id).map_err(anyhow::Error::msg)?;
            let r = veilig_solver::shifts::design(&inst, time_limit).map_err(anyhow::Error::msg)?;
            if as_json {
                json(&r)?;
            } else {
                println!(
                    "{id}: {} objective {:.2}, bound {:.2}, gap {:.4} %, {:.1} s; {} shift types used, {} hours uncovered",
                    r.result.status,
                    r.result.objective,
                    r.result.bound,
                    r.result.gap * 100.0,
                    r.result.seconds,
                    r.shifts.len(),
                    r.uncovered_hours.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CapacityCmd::Roster {
            curtois: Some(file),
            method,
            time_limit,
            json: as_json,
            ..
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("{}: cannot read", file.display()))?;
            let inst = veilig_solver::curtois::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let s = veilig_solver::curtois::solve(&inst, method, time_limit)
                .map_err(anyhow::Error::msg)?;
            if as_json {
                json(&s)?;
            } else {
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
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CapacityCmd::Roster {
            instance,
            id,
            time_limit,
            json: as_json,
            ..
        } => {
            let (instance, id) = instance
                .zip(id)
                .context("give --instance FILE --id ID, or --curtois FILE")?;
            let doc = read_instances(&instance)?;
            let inst = veilig_solver::rostering::golden(&doc, &id).map_err(anyhow::Error::msg)?;
            let r =
                veilig_solver::rostering::roster(&inst, time_limit).map_err(anyhow::Error::msg)?;
            let (recomputed, broken) = veilig_solver::rostering::evaluate(&inst, &r.assignment);
            if as_json {
                let mut v = serde_json::to_value(&r)?;
                v["evaluated_objective"] = recomputed.into();
                v["broken_rules"] = serde_json::to_value(&broken)?;
                json(&v)?;
            } else {
                println!(
                    "{id}: {} objective {:.2} (evaluated {recomputed:.2}), bound {:.2}, gap {:.4} %, {:.1} s; broken rules: {}",
                    r.result.status,
                    r.result.objective,
                    r.result.bound,
                    r.result.gap * 100.0,
                    r.result.seconds,
                    broken.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CapacityCmd::Demand {
            common,
            from,
            to,
            months,
            max_wait,
            max_utilisation,
            officers_per_unit,
        } => {
            let staffing = StaffingRules {
                max_wait_probability: max_wait,
                max_utilisation,
                officers_per_unit,
                ..StaffingRules::default()
            };
            let (z, r) = (zone(store, &common).await?, rules(&common)?);
            let d = demand_report(store, &z, &r, (from, to), &months, staffing).await?;
            emit(&d, common.json, print_demand)
        }
        CapacityCmd::Plan {
            common,
            week_of,
            out,
            solver,
            leave,
            no_nights,
            time_limit,
        } => {
            let z = zone(store, &common).await?;
            if week_of.weekday() != chrono::Weekday::Mon {
                bail!("--week-of {week_of} is not a Monday");
            }
            let how = PlanOptions {
                mip: solver == "mip",
                leave: leave
                    .as_deref()
                    .map(read_leave)
                    .transpose()?
                    .unwrap_or_default(),
                no_nights: no_nights
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                time_limit,
            };
            let plan = week_plan(store, &z, &rules(&common)?, week_of, &how).await?;
            write_duty_plan(&out, week_of, &plan.duties)?;
            emit(&plan.report, common.json, |r| {
                println!(
                    "{} shifts over {} days written to {}; shifts short of their requirement: {}; shifts without a needed skill: {}",
                    r.shifts_assigned,
                    r.days,
                    out.display(),
                    r.unstaffed.len(),
                    r.skill_gaps.len()
                )
            })
        }
        CapacityCmd::Coverage {
            common,
            plan,
            with_demand,
        } => {
            let (z, r) = (zone(store, &common).await?, rules(&common)?);
            let (start, duties) = read_duty_plan(&plan)?;
            let name = plan.display().to_string();
            let c = coverage_report(store, &z, &r, (&name, start, &duties), with_demand).await?;
            emit(&c, common.json, print_coverage)
        }
    }
}

fn print_demand(d: &DemandReport) {
    println!(
        "{} calls {} – {} ({:.1} weeks); {} officer-hours a week needed (norm floor included), {:.1} FTE at {:.0} schedulable hours per FTE",
        d.calls,
        d.from,
        d.to,
        d.weeks,
        d.officer_hours_per_week,
        d.fte_needed,
        d.net_hours_per_fte.schedulable
    );
    let days = ["ma", "di", "wo", "do", "vr", "za", "zo"];
    for (i, day) in days.iter().enumerate() {
        let row: Vec<String> = (0..24)
            .map(|h| d.hours[i * 24 + h].officers_required.to_string())
            .collect();
        println!("  {day} {}", row.join(" "));
    }
}

fn print_coverage(c: &CoverageReport) {
    if c.shortfalls.is_empty() {
        println!(
            "{} hours from {}: every hour meets every requirement ({} duties)",
            c.hours, c.start, c.duties
        );
        return;
    }
    println!("{} hour(s) short:", c.shortfalls.len());
    for s in &c.shortfalls {
        println!(
            "  {} ({}): {} of {} ({} short)",
            c.start + Duration::hours(s.hour as i64),
            s.rule,
            s.available,
            s.required,
            s.short_by
        );
    }
}

fn read_instances(path: &std::path::Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))
}

async fn norms(store: &Store, c: &CapacityCommon) -> Result<ExitCode> {
    let r = norms_report(store, &zone(store, c).await?, rules(c)?).await?;
    emit(&r, c.json, print_norms)
}

fn print_norms(r: &NormsReport) {
    println!(
        "{}Normtoets {} ({} personeelsleden, {} inwoners)",
        if r.synthetic { "[SYNTHETISCH] " } else { "" },
        r.zone_name,
        r.staff,
        r.population.zone
    );
    println!(
        "  inzetbare uren per VTE per jaar: {:.0} (aflosfactor 24/7-post: {:.2} VTE)",
        r.net_hours_per_fte.schedulable, r.net_hours_per_fte.relief_factor
    );
    for l in &r.rules {
        let (req, act, short) = if l.unit == "share" {
            let pct = |v: f64| format!("{:.1} %", v * 100.0);
            let short = format!("{:.1} procentpunt", l.shortfall * 100.0);
            (pct(l.required), pct(l.actual), short)
        } else {
            let n = |v: f64| format!("{v:.2}");
            (n(l.required), n(l.actual), n(l.shortfall))
        };
        let verdict = if l.met {
            "ok".to_string()
        } else {
            format!("TEKORT {short}")
        };
        println!(
            "  [{}] {:<34} {:<6} nodig {:>8}  aanwezig {:>8}  {}  ({})",
            l.confidence, l.rule, l.scope, req, act, verdict, l.basis
        );
    }
}

/// Projects from the plan or a file, allocated by the three-stage LP.
async fn allocate(
    store: &Store,
    c: &CapacityCommon,
    projects: Option<&std::path::Path>,
    plan: Option<&str>,
    year: Option<i32>,
) -> Result<ExitCode> {
    let z = zone(store, c).await?;
    let projects = match projects {
        Some(p) => Projects::File(p.to_path_buf()),
        None => Projects::Plan {
            plan: plan
                .expect("clap requires --projects or --plan")
                .to_string(),
            year,
        },
    };
    let a = allocation(store, &z, rules(c)?, &projects).await?;
    emit(&a, c.json, print_allocation)
}

fn print_allocation(r: &AllocationReport) {
    let a = &r.allocation;
    println!(
        "{}Allocatie {} (inzetbare uren per jaar; LP in drie stappen)",
        if r.synthetic { "[SYNTHETISCH] " } else { "" },
        r.zone_name
    );
    for (k, s) in a.stages.iter().enumerate() {
        println!("  stap {}: {} (doel {:.2})", k + 1, s.status, s.objective);
    }
    for f in &a.floors {
        println!(
            "  vloer {:<24} nodig {:>9.0}  toegewezen {:>9.0}  tekort {:>8.0}  ({})",
            f.functionality, f.required, f.allocated, f.shortfall, f.rule
        );
    }
    for p in &r.actions {
        let short = if p.allocated + 0.5 < p.asked {
            "  niet volledig bemand"
        } else {
            ""
        };
        println!(
            "  project {:<22} {:<4} gevraagd {:>7.0}  toegewezen {:>7.0}{short}",
            p.code, p.priority, p.asked, p.allocated
        );
    }
    for p in &r.priorities {
        println!(
            "  prioriteit {:<18} gevraagd {:>7.0}  toegewezen {:>7.0}",
            p.priority, p.asked, p.allocated
        );
    }
    println!(
        "  grootste projectaandeel van een team: {:.1} %",
        a.max_project_share * 100.0
    );
}
