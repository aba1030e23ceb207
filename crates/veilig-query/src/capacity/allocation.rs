//! The corps' yearly hours over the norm floors and the plan's projects (the three-stage
//! allocation LP): what `capacity allocate` answers, and the hours asked and allocated per
//! action that the yearly evaluation and its page show.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use chrono::Datelike;
use serde::Serialize;
use veilig_capacity::{Deductions, Ruleset};
use veilig_domain::Zone;
use veilig_solver::allocation::{Allocation, Floor, Project, Team, allocate};
use veilig_store::Store;

use super::{NormCheck, norm_check, teams_and_floors};
use crate::plan::{find_plan, plan_projects, plan_view};

/// Where the projects come from.
pub enum Projects {
    /// A TOML file: `[[project]] code, name, weight, hours, functionalities`.
    File(PathBuf),
    /// The actions of a plan (`current` or its code) in one year (default: this year when
    /// the plan covers it, else its first year).
    Plan { plan: String, year: Option<i32> },
}

#[derive(serde::Deserialize)]
struct ProjectsFile {
    #[serde(rename = "project")]
    projects: Vec<Project>,
}

/// Which plan the projects come from.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSource {
    pub code: String,
    pub version: i32,
    pub status: String,
    pub year: i32,
    pub weights: &'static str,
}

/// The projects of an allocation, each with the plan's priority it serves (empty for a file).
struct Source {
    projects: Vec<Project>,
    priorities: Vec<String>,
    plan: Option<PlanSource>,
}

fn from_file(path: &std::path::Path) -> Result<Source> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let file: ProjectsFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let n = file.projects.len();
    Ok(Source {
        projects: file.projects,
        priorities: vec![String::new(); n],
        plan: None,
    })
}

async fn from_plan(store: &Store, z: &Zone, which: &str, year: Option<i32>) -> Result<Source> {
    let today = chrono::Local::now().date_naive();
    let row = find_plan(store, z, which, today).await?;
    let v = plan_view(store, z, &row, &veilig_plan::Procedure::for_kind(z.kind)).await?;
    let d = &v.document;
    let in_force = d.period_start <= today && today <= d.period_end;
    let year = year.unwrap_or(if in_force {
        today.year()
    } else {
        d.period_start.year()
    });
    if year < d.period_start.year() || year > d.period_end.year() {
        bail!(
            "--year {year} lies outside plan {} ({} to {})",
            v.code,
            d.period_start,
            d.period_end
        );
    }
    let pp = plan_projects(d, year, &veilig_plan::Method::builtin());
    if pp.is_empty() {
        bail!("plan {} has no action in {year}", v.code);
    }
    Ok(Source {
        priorities: pp.iter().map(|p| p.priority.clone()).collect(),
        projects: pp
            .into_iter()
            .map(|p| Project {
                code: p.code,
                name: p.name,
                weight: p.weight,
                hours: p.hours,
                functionalities: p.functionalities,
            })
            .collect(),
        plan: Some(PlanSource {
            code: v.code.clone(),
            version: v.version,
            status: v.status.clone(),
            year,
            weights: "by the kind of priority an action serves (priority method, [allocation])",
        }),
    })
}

async fn source(store: &Store, z: &Zone, projects: &Projects) -> Result<Source> {
    match projects {
        Projects::File(path) => from_file(path),
        Projects::Plan { plan, year } => from_plan(store, z, plan, *year).await,
    }
}

/// Teams from the staff (one per functionality, with its net schedulable hours for a year)
/// and floors from the norm check; then the three-stage LP over these projects.
async fn solve(
    store: &Store,
    z: &Zone,
    rules: Ruleset,
    projects: &[Project],
) -> Result<(NormCheck, Allocation)> {
    let nc = norm_check(store, z, rules).await?;
    let (team_hours, floor_hours) = teams_and_floors(&nc);
    let teams: Vec<Team> = team_hours
        .into_iter()
        .map(|t| Team {
            name: t.functionality.clone(),
            hours: t.hours,
            functionality: t.functionality,
        })
        .collect();
    let floors: Vec<Floor> = floor_hours
        .into_iter()
        .map(|f| Floor {
            functionality: f.functionality,
            hours: f.hours,
            rule: f.rule,
        })
        .collect();
    let a = allocate(&teams, &floors, projects).map_err(anyhow::Error::msg)?;
    Ok((nc, a))
}

/// Hours asked and allocated per action of one plan year (the allocation LP with the built-in
/// norms), for the yearly evaluation.
pub async fn plan_year_allocation(
    store: &Store,
    z: &Zone,
    plan: &str,
    year: i32,
) -> Result<Vec<(String, f64, f64)>> {
    let row = find_plan(store, z, plan, chrono::Local::now().date_naive()).await?;
    let v = plan_view(store, z, &row, &veilig_plan::Procedure::for_kind(z.kind)).await?;
    if !v.document.actions.iter().any(|a| a.year == year) {
        return Ok(Vec::new());
    }
    let src = from_plan(store, z, plan, Some(year)).await?;
    if store.staff(z.id).await?.is_empty() {
        return Ok(src
            .projects
            .iter()
            .map(|p| (p.code.clone(), p.hours, 0.0))
            .collect());
    }
    let (_, a) = solve(store, z, Ruleset::builtin(), &src.projects).await?;
    Ok(a.projects
        .iter()
        .map(|p| (p.code.clone(), p.asked, p.allocated))
        .collect())
}

/// One action (project) of the allocation, with what it competes with.
#[derive(Debug, Serialize)]
pub struct ActionLine {
    pub code: String,
    pub name: String,
    pub priority: String,
    pub weight: f64,
    pub asked: f64,
    pub allocated: f64,
    pub unstaffed: f64,
    pub staffed: bool,
    /// The floors of the functionalities it may draw on.
    pub competes_with_floors: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PriorityLine {
    pub priority: String,
    pub asked: f64,
    pub allocated: f64,
}

/// What `capacity allocate` answers.
#[derive(Debug, Serialize)]
pub struct AllocationReport {
    pub zone: String,
    #[serde(skip)]
    pub zone_name: String,
    pub synthetic: bool,
    pub period: &'static str,
    pub deductions: Deductions,
    pub method: &'static str,
    pub allocation: Allocation,
    pub plan: Option<PlanSource>,
    pub actions: Vec<ActionLine>,
    pub priorities: Vec<PriorityLine>,
}

fn action_lines(src: &Source, a: &Allocation) -> Vec<ActionLine> {
    let lines = src.projects.iter().zip(&a.projects).zip(&src.priorities);
    lines
        .map(|((p, l), prio)| ActionLine {
            code: p.code.clone(),
            name: p.name.clone(),
            priority: prio.clone(),
            weight: p.weight,
            asked: l.asked,
            allocated: l.allocated,
            unstaffed: ((l.asked - l.allocated) * 100.0).round() / 100.0,
            staffed: l.allocated + 0.5 >= l.asked,
            competes_with_floors: a
                .floors
                .iter()
                .filter(|f| {
                    p.functionalities.is_empty() || p.functionalities.contains(&f.functionality)
                })
                .map(|f| f.functionality.clone())
                .collect(),
        })
        .collect()
}

fn priority_lines(actions: &[ActionLine]) -> Vec<PriorityLine> {
    let mut per: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for l in actions.iter().filter(|l| !l.priority.is_empty()) {
        let e = per.entry(&l.priority).or_default();
        e.0 += l.asked;
        e.1 += l.allocated;
    }
    per.into_iter()
        .map(|(p, (asked, allocated))| PriorityLine {
            priority: p.to_string(),
            asked,
            allocated,
        })
        .collect()
}

/// The projects allocated by the three-stage LP.
pub async fn allocation(
    store: &Store,
    z: &Zone,
    rules: Ruleset,
    projects: &Projects,
) -> Result<AllocationReport> {
    let src = source(store, z, projects).await?;
    let (nc, a) = solve(store, z, rules, &src.projects).await?;
    let actions = action_lines(&src, &a);
    Ok(AllocationReport {
        zone: nc.zone.code.as_str().to_string(),
        zone_name: nc.zone.name.clone(),
        synthetic: nc.zone.synthetic,
        period: "one year of net schedulable hours",
        deductions: nc.deductions,
        method: "LP in three stages (HiGHS): minimise floor shortfall; then maximise weighted project hours; then minimise the largest project share of a team's hours (and the spread of the shares)",
        priorities: priority_lines(&actions),
        allocation: a,
        plan: src.plan,
        actions,
    })
}
