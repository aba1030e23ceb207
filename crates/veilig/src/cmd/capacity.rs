//! `veilig capacity …`: norms, demand per hour, coverage proof, and a demo plan.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration, NaiveDateTime, Timelike};
use veilig_capacity::{
    Deductions, Duty, Requirement, RuleKind, Ruleset, StaffingRules, coverage, net_hours,
};
use veilig_domain::{Functionality, Zone};
use veilig_solver::roster::{Officer, greedy_roster, on_call_rota};
use veilig_store::Store;

use veilig_query::capacity::{NormCheck, contract_hours, demand, norm_check};

use crate::cli::{CapacityCmd, CapacityCommon};
use crate::output::json;

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
            if let Some(m) = months.iter().find(|m| !(1..=12).contains(*m)) {
                bail!("--months: {m} is not a month (1-12)");
            }
            let z = zone(store, &common).await?;
            let r = rules(&common)?;
            let staffing = StaffingRules {
                max_wait_probability: max_wait,
                max_utilisation,
                officers_per_unit,
                ..StaffingRules::default()
            };
            let d = demand(store, &z, &r, from, to, &months, &staffing).await?;
            let net = net_hours(
                contract_hours(&store.staff(z.id).await?),
                &Deductions::default(),
            );
            let officer_hours: u32 = d.hours.iter().map(|h| h.officers_required).sum();
            let out = serde_json::json!({
                "zone": z.code.as_str(),
                "synthetic": z.synthetic,
                "calls": d.calls,
                "calls_without_time": d.without_time,
                "from": d.from, "to": d.to, "weeks": d.weeks,
                "season_months": d.months,
                "staffing_rules": staffing,
                "officer_hours_per_week": officer_hours,
                "fte_needed": net.fte_for(officer_hours as f64),
                "net_hours_per_fte": net,
                "hours": d.hours,
            });
            if common.json {
                json(&out)?;
            } else {
                println!(
                    "{} calls {} – {} ({:.1} weeks); {} officer-hours a week needed (norm floor included), {:.1} FTE at {:.0} schedulable hours per FTE",
                    d.calls,
                    d.from,
                    d.to,
                    d.weeks,
                    officer_hours,
                    net.fte_for(officer_hours as f64),
                    net.schedulable
                );
                let days = ["ma", "di", "wo", "do", "vr", "za", "zo"];
                for (i, day) in days.iter().enumerate() {
                    let row: Vec<String> = (0..24)
                        .map(|h| d.hours[i * 24 + h].officers_required.to_string())
                        .collect();
                    println!("  {day} {}", row.join(" "));
                }
            }
            Ok(ExitCode::SUCCESS)
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
                leave: match &leave {
                    Some(f) => super::staff::read_leave_csv(f)?,
                    None => Vec::new(),
                },
                no_nights: no_nights
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                time_limit,
            };
            let report = week_plan(store, &z, &rules(&common)?, week_of, &out, &how).await?;
            if common.json {
                json(&report)?;
            } else {
                println!(
                    "{} shifts over {} days written to {}; shifts short of their requirement: {}; shifts without a needed skill: {}",
                    report.shifts_assigned,
                    report.days,
                    out.display(),
                    report.unstaffed.len(),
                    report.skill_gaps.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CapacityCmd::Coverage {
            common,
            plan,
            with_demand,
        } => {
            let z = zone(store, &common).await?;
            let r = rules(&common)?;
            let (start, duties) = read_plan(&plan)?;
            let hours = duties.iter().map(|d| d.end_hour).max().unwrap_or(0);
            let how = |h: usize| {
                (start + Duration::hours(h as i64))
                    .weekday()
                    .num_days_from_monday() as usize
                    * 24
                    + (start + Duration::hours(h as i64)).hour() as usize
            };
            let mut reqs = veilig_capacity::coverage::rule_requirements(&r, hours, how);
            if with_demand {
                let d = demand(
                    store,
                    &z,
                    &r,
                    Some(start.date() - Duration::days(365)),
                    Some(start.date() - Duration::days(1)),
                    &[],
                    &StaffingRules::default(),
                )
                .await?;
                reqs.push(Requirement {
                    rule: "vraag-erlang-c".into(),
                    functionality: "interventie".into(),
                    skill: None,
                    reachable: false,
                    per_hour: (0..hours)
                        .map(|h| d.hours[how(h)].officers_required)
                        .collect(),
                });
            }
            let shortfalls = coverage(hours, &duties, &reqs, false);
            let out = serde_json::json!({
                "zone": z.code.as_str(),
                "plan": plan.display().to_string(),
                "start": start,
                "hours": hours,
                "duties": duties.len(),
                "requirements": reqs.iter().map(|r| &r.rule).collect::<Vec<_>>(),
                "shortfalls": shortfalls,
            });
            if common.json {
                json(&out)?;
            } else if shortfalls.is_empty() {
                println!(
                    "{hours} hours from {start}: every hour meets every requirement ({} duties)",
                    duties.len()
                );
            } else {
                println!("{} hour(s) short:", shortfalls.len());
                for s in &shortfalls {
                    println!(
                        "  {} ({}): {} of {} ({} short)",
                        start + Duration::hours(s.hour as i64),
                        s.rule,
                        s.available,
                        s.required,
                        s.short_by
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_instances(path: &std::path::Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))
}

async fn norms(store: &Store, c: &CapacityCommon) -> Result<ExitCode> {
    let NormCheck {
        zone: z,
        ruleset: r,
        staff,
        zone_pop,
        population_date,
        deductions,
        net,
        lines,
    } = norm_check(store, &zone(store, c).await?, rules(c)?).await?;
    let out = serde_json::json!({
        "zone": z.code.as_str(),
        "synthetic": z.synthetic,
        "ruleset": r.ruleset,
        "population": {"zone": zone_pop, "reference_dates": population_date},
        "staff": staff.len(),
        "deductions": deductions,
        "net_hours_per_fte": net,
        "rules": lines,
        "shortfalls": lines.iter().filter(|l| !l.met).collect::<Vec<_>>(),
    });
    if c.json {
        json(&out)?;
    } else {
        println!(
            "{}Normtoets {} ({} personeelsleden, {} inwoners)",
            if z.synthetic { "[SYNTHETISCH] " } else { "" },
            z.name,
            staff.len(),
            zone_pop
        );
        println!(
            "  inzetbare uren per VTE per jaar: {:.0} (aflosfactor 24/7-post: {:.2} VTE)",
            net.schedulable, net.relief_factor
        );
        for l in &lines {
            let (req, act, short) = if l.unit == "share" {
                (
                    format!("{:.1} %", l.required * 100.0),
                    format!("{:.1} %", l.actual * 100.0),
                    format!("{:.1} procentpunt", l.shortfall * 100.0),
                )
            } else {
                (
                    format!("{:.2}", l.required),
                    format!("{:.2}", l.actual),
                    format!("{:.2}", l.shortfall),
                )
            };
            println!(
                "  [{}] {:<34} {:<6} nodig {:>8}  aanwezig {:>8}  {}  ({})",
                l.confidence,
                l.rule,
                l.scope,
                req,
                act,
                if l.met {
                    "ok".to_string()
                } else {
                    format!("TEKORT {short}")
                },
                l.basis
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a duty plan CSV: `officer,start,end,functionality,on_call,skills` with times as
/// `YYYY-MM-DD HH:MM`; returns the plan's start (first duty, to the hour) and its duties in
/// hours from it.
fn read_plan(path: &std::path::Path) -> Result<(NaiveDateTime, Vec<Duty>)> {
    let name = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path).with_context(|| format!("{name}: cannot read"))?;
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{name}: line {}", i + 2))?;
        let field = |k: usize, what: &str| {
            rec.get(k)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .with_context(|| format!("{name}: line {}, field {what} is empty", i + 2))
        };
        let when = |k: usize, what: &str| -> Result<NaiveDateTime> {
            let v = field(k, what)?;
            NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M").with_context(|| {
                format!(
                    "{name}: line {}, field {what}: {v:?} is not YYYY-MM-DD HH:MM",
                    i + 2
                )
            })
        };
        let (s, e) = (when(1, "start")?, when(2, "end")?);
        if e <= s {
            bail!("{name}: line {}: the duty ends before it starts", i + 2);
        }
        rows.push((
            field(0, "officer")?.to_string(),
            s,
            e,
            field(3, "functionality")?.to_string(),
            rec.get(4).map(str::trim) == Some("true"),
            rec.get(5)
                .unwrap_or("")
                .split('|')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>(),
        ));
    }
    let start = rows
        .iter()
        .map(|r| r.1)
        .min()
        .context(format!("{name}: the plan has no duties"))?;
    let start = start.date().and_hms_opt(start.hour(), 0, 0).expect("valid");
    let duties = rows
        .into_iter()
        .map(|(officer, s, e, functionality, on_call, skills)| Duty {
            officer,
            start_hour: ((s - start).num_minutes() / 60) as usize,
            end_hour: ((e - start).num_minutes() as f64 / 60.0).ceil() as usize,
            functionality,
            on_call,
            skills,
        })
        .collect();
    Ok((start, duties))
}

/// A week's greedy plan for the zone's intervention staff and OBP on-call rota, written as a
/// duty plan CSV (what `coverage --plan` reads).
/// How `capacity plan` builds the week.
pub struct PlanOptions {
    pub mip: bool,
    /// Leave beyond what the store holds (a what-if file).
    pub leave: Vec<veilig_store::Leave>,
    /// Officers who asked for no nights, beyond those the store records.
    pub no_nights: Vec<String>,
    pub time_limit: f64,
}

pub async fn week_plan(
    store: &Store,
    z: &Zone,
    r: &Ruleset,
    monday: chrono::NaiveDate,
    out: &std::path::Path,
    how: &PlanOptions,
) -> Result<veilig_solver::roster::RosterReport> {
    let staff = store.staff(z.id).await?;
    let officers: Vec<Officer> = staff
        .iter()
        .filter(|s| s.functionality == Functionality::Interventie)
        .map(|s| Officer {
            code: s.code.clone(),
            skills: s.skills.clone(),
        })
        .collect();
    // Against the floor and the demand of the year before the week.
    let d = demand(
        store,
        z,
        r,
        Some(monday - Duration::days(365)),
        Some(monday - Duration::days(1)),
        &[],
        &StaffingRules::default(),
    )
    .await?;
    let mut required = [0u32; 168];
    for h in &d.hours {
        required[h.hour_of_week] = h.officers_required;
    }
    for l in &how.leave {
        if !staff.iter().any(|s| s.code == l.officer) {
            bail!(
                "the leave file names officer {:?}, who is not on the staff",
                l.officer
            );
        }
    }
    // The store's leave and wishes, and the file's and the command line's on top.
    let sunday = monday + Duration::days(6);
    let mut leave: Vec<veilig_store::Leave> = store
        .leave_between(z.id, monday, sunday)
        .await?
        .into_iter()
        .map(|l| l.leave)
        .collect();
    leave.extend(how.leave.iter().cloned());
    let mut no_nights = store.no_nights(z.id).await?;
    no_nights.extend(how.no_nights.iter().cloned());
    let (week, report) = if how.mip {
        let unavailable = officers
            .iter()
            .map(|o| {
                (0..7)
                    .map(|d| {
                        let day = monday + Duration::days(d);
                        leave
                            .iter()
                            .any(|l| l.officer == o.code && l.first_day <= day && day <= l.last_day)
                    })
                    .collect()
            })
            .collect();
        let avoid = officers
            .iter()
            .map(|o| no_nights.contains(&o.code))
            .collect();
        veilig_solver::roster::mip_week(
            &required,
            &officers,
            7,
            5,
            "interventie",
            veilig_solver::roster::WeekConstraints {
                unavailable,
                avoid_nights: avoid,
                skills_per_shift: r
                    .rules
                    .iter()
                    .filter(|x| {
                        x.kind == RuleKind::SkillOnShift && x.functionality == "interventie"
                    })
                    .filter_map(|x| Some((x.skill.clone()?, x.count.unwrap_or(1))))
                    .collect(),
            },
            how.time_limit,
        )
        .map_err(anyhow::Error::msg)?
    } else {
        if let Some(l) = leave.first() {
            bail!(
                "the greedy roster does not plan leave ({} is on leave this week); use --solver mip",
                l.officer
            );
        }
        greedy_roster(&required, &officers, 7, 5, "interventie")
    };
    // The week is a repeating pattern: Sunday's night shift runs on into Monday 00-06 h, which
    // a dated plan shows as a duty of its own at the start of the week.
    let mut duties = Vec::new();
    for d in week {
        if d.end_hour > 168 {
            duties.push(Duty {
                end_hour: 168,
                ..d.clone()
            });
            duties.push(Duty {
                start_hour: 0,
                end_hour: d.end_hour - 168,
                ..d
            });
        } else {
            duties.push(d);
        }
    }
    let everyone: Vec<Officer> = staff
        .iter()
        .map(|s| Officer {
            code: s.code.clone(),
            skills: s.skills.clone(),
        })
        .collect();
    // On-call rotas for the skills the rule set wants reachable.
    for rule in r.rules.iter().filter(|x| x.kind == RuleKind::OnCall) {
        if let Some(skill) = &rule.skill {
            duties.extend(on_call_rota(&everyone, skill, 7));
        }
    }
    let t0 = monday.and_hms_opt(0, 0, 0).expect("valid");
    let mut w = csv::Writer::from_path(out)?;
    w.write_record([
        "officer",
        "start",
        "end",
        "functionality",
        "on_call",
        "skills",
    ])?;
    for d in &duties {
        let f = |h: usize| {
            (t0 + Duration::hours(h as i64))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        w.write_record([
            d.officer.clone(),
            f(d.start_hour),
            f(d.end_hour),
            d.functionality.clone(),
            d.on_call.to_string(),
            d.skills.join("|"),
        ])?;
    }
    w.flush()?;
    Ok(report)
}

#[derive(serde::Deserialize)]
struct ProjectsFile {
    #[serde(rename = "project")]
    projects: Vec<veilig_solver::allocation::Project>,
}

/// The projects of an allocation: a plan's actions of one year, or a TOML file's.
struct ProjectSource {
    projects: Vec<veilig_solver::allocation::Project>,
    /// Per project, the plan's priority it serves (empty for a file).
    priorities: Vec<String>,
    plan: Option<serde_json::Value>,
}

async fn project_source(
    store: &Store,
    z: &veilig_domain::Zone,
    file: Option<&std::path::Path>,
    plan: Option<&str>,
    year: Option<i32>,
) -> Result<ProjectSource> {
    use chrono::Datelike;
    if let Some(projects) = file {
        let text =
            std::fs::read_to_string(projects).with_context(|| projects.display().to_string())?;
        let file: ProjectsFile =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", projects.display()))?;
        let n = file.projects.len();
        return Ok(ProjectSource {
            projects: file.projects,
            priorities: vec![String::new(); n],
            plan: None,
        });
    }
    let which = plan.expect("clap requires --projects or --plan");
    let today = chrono::Local::now().date_naive();
    let row = veilig_query::plan::find_plan(store, z, which, today).await?;
    let v =
        veilig_query::plan::plan_view(store, z, &row, &veilig_plan::Procedure::builtin()).await?;
    let d = &v.document;
    let year = year.unwrap_or(if d.period_start <= today && today <= d.period_end {
        today.year()
    } else {
        d.period_start.year()
    });
    if year < d.period_start.year() || year > d.period_end.year() {
        anyhow::bail!(
            "--year {year} lies outside plan {} ({} to {})",
            v.code,
            d.period_start,
            d.period_end
        );
    }
    let pp = veilig_query::plan::plan_projects(d, year, &veilig_plan::Method::builtin());
    if pp.is_empty() {
        anyhow::bail!("plan {} has no action in {year}", v.code);
    }
    Ok(ProjectSource {
        priorities: pp.iter().map(|p| p.priority.clone()).collect(),
        projects: pp
            .iter()
            .map(|p| veilig_solver::allocation::Project {
                code: p.code.clone(),
                name: p.name.clone(),
                weight: p.weight,
                hours: p.hours,
                functionalities: p.functionalities.clone(),
            })
            .collect(),
        plan: Some(serde_json::json!({
            "code": v.code, "version": v.version, "status": v.status, "year": year,
            "weights": "by the kind of priority an action serves (priority method, [allocation])",
        })),
    })
}

/// Teams from the staff (one per functionality, with its net schedulable hours for a year)
/// and floors from the norm check; then the three-stage LP over these projects.
async fn solve_allocation(
    store: &Store,
    z: &Zone,
    rules: Ruleset,
    projects: &[veilig_solver::allocation::Project],
) -> Result<(NormCheck, veilig_solver::allocation::Allocation)> {
    use veilig_solver::allocation::{Floor, Team, allocate};
    let nc = norm_check(store, z, rules).await?;
    let (team_hours, floor_hours) = veilig_query::capacity::teams_and_floors(&nc);
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
    let row =
        veilig_query::plan::find_plan(store, z, plan, chrono::Local::now().date_naive()).await?;
    let v =
        veilig_query::plan::plan_view(store, z, &row, &veilig_plan::Procedure::builtin()).await?;
    if !v.document.actions.iter().any(|a| a.year == year) {
        return Ok(Vec::new());
    }
    let src = project_source(store, z, None, Some(plan), Some(year)).await?;
    if store.staff(z.id).await?.is_empty() {
        return Ok(src
            .projects
            .iter()
            .map(|p| (p.code.clone(), p.hours, 0.0))
            .collect());
    }
    let (_, a) = solve_allocation(store, z, Ruleset::builtin(), &src.projects).await?;
    Ok(a.projects
        .iter()
        .map(|p| (p.code.clone(), p.asked, p.allocated))
        .collect())
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
    let src = project_source(store, &z, projects, plan, year).await?;
    let (nc, a) = solve_allocation(store, &z, rules(c)?, &src.projects).await?;
    // What each action competes with: the floors of the functionalities it may draw on.
    let lines: Vec<serde_json::Value> = src
        .projects
        .iter()
        .zip(&a.projects)
        .zip(&src.priorities)
        .map(|((p, l), prio)| {
            let competes: Vec<&str> = a
                .floors
                .iter()
                .filter(|f| {
                    p.functionalities.is_empty() || p.functionalities.contains(&f.functionality)
                })
                .map(|f| f.functionality.as_str())
                .collect();
            serde_json::json!({
                "code": p.code, "name": p.name, "priority": prio, "weight": p.weight,
                "asked": l.asked, "allocated": l.allocated,
                "unstaffed": ((l.asked - l.allocated) * 100.0).round() / 100.0,
                "staffed": l.allocated + 0.5 >= l.asked,
                "competes_with_floors": competes,
            })
        })
        .collect();
    let mut per_priority: std::collections::BTreeMap<&str, (f64, f64)> = Default::default();
    for ((_, l), prio) in src.projects.iter().zip(&a.projects).zip(&src.priorities) {
        if !prio.is_empty() {
            let e = per_priority.entry(prio).or_default();
            e.0 += l.asked;
            e.1 += l.allocated;
        }
    }
    if c.json {
        json(&serde_json::json!({
            "zone": nc.zone.code.as_str(),
            "synthetic": nc.zone.synthetic,
            "period": "one year of net schedulable hours",
            "deductions": nc.deductions,
            "method": "LP in three stages (HiGHS): minimise floor shortfall; then maximise weighted project hours; then minimise the largest project share of a team's hours (and the spread of the shares)",
            "allocation": a,
            "plan": src.plan,
            "actions": lines,
            "priorities": per_priority.iter().map(|(p, (asked, got))| serde_json::json!({"priority": p, "asked": asked, "allocated": got})).collect::<Vec<_>>(),
        }))?;
    } else {
        println!(
            "{}Allocatie {} (inzetbare uren per jaar; LP in drie stappen)",
            if nc.zone.synthetic {
                "[SYNTHETISCH] "
            } else {
                ""
            },
            nc.zone.name
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
        for (p, prio) in a.projects.iter().zip(&src.priorities) {
            println!(
                "  project {:<22} {:<4} gevraagd {:>7.0}  toegewezen {:>7.0}{}",
                p.code,
                prio,
                p.asked,
                p.allocated,
                if p.allocated + 0.5 < p.asked {
                    "  niet volledig bemand"
                } else {
                    ""
                }
            );
        }
        for (p, (asked, got)) in &per_priority {
            println!("  prioriteit {p:<18} gevraagd {asked:>7.0}  toegewezen {got:>7.0}");
        }
        println!(
            "  grootste projectaandeel van een team: {:.1} %",
            a.max_project_share * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
