//! `veilig plan`: the priority matrix, the council's decisions and the zonal security plan.
//! Every change goes through `veilig_query::plan` (checked whole, stored with its audit line).

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use veilig_analysis::TestRules;
use veilig_analysis::picture::Baseline;
use veilig_plan::{
    Action, Domain, Level, Method, Objective, PartnerRole, Phase, PlanDoc, Priority, PriorityKind,
    Procedure, ReferencePlan,
};
use veilig_query::plan::{self as qp, MatrixOptions, PlanView};
use veilig_store::{NewDecision, Store};

use super::given_or_only_zone;
use crate::cli_plan::{PlanCmd, PlanRef};
use crate::output::json;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

use super::cli_audit_entry as audit;

fn references(dir: Option<&std::path::Path>) -> Result<Vec<ReferencePlan>> {
    Ok(match dir {
        Some(d) => veilig_plan::reference::load_dir(d)?,
        None => veilig_plan::reference::builtin(),
    })
}

async fn view(store: &Store, at: &PlanRef) -> Result<(veilig_domain::Zone, PlanView)> {
    let z = given_or_only_zone(store, at.zone.as_deref()).await?;
    let p = qp::find_plan(store, &z, &at.plan, today()).await?;
    let v = qp::plan_view(store, &z, &p, &Procedure::builtin()).await?;
    Ok((z, v))
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{:+.1} %", v))
}

pub async fn run(store: &Store, cmd: PlanCmd) -> Result<ExitCode> {
    match cmd {
        cmd @ (PlanCmd::Indicator(_)
        | PlanCmd::Indicators { .. }
        | PlanCmd::Measure { .. }
        | PlanCmd::Refresh { .. }
        | PlanCmd::Problem(_)
        | PlanCmd::Problems { .. }
        | PlanCmd::Agenda { .. }
        | PlanCmd::Review { .. }
        | PlanCmd::Reviews { .. }
        | PlanCmd::Evaluate { .. }) => super::monitor::run(store, cmd).await,
        PlanCmd::Matrix {
            zone,
            from,
            to,
            compare,
            alpha,
            min_events,
            method,
            references: refs,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let o = MatrixOptions {
                from,
                to,
                baseline: Baseline::parse(&compare).expect("clap checked"),
                rules: TestRules { alpha, min_events },
                method: match &method {
                    Some(f) => Method::load(f)?,
                    None => Method::builtin(),
                },
                references: references(refs.as_deref())?,
            };
            let m = qp::matrix(store, &z, &o).await?;
            if as_json {
                json(&m)?;
            } else {
                println!(
                    "{}Prioriteitenmatrix {} {} tot {} (methode {} v{})",
                    if m.synthetic { "[SYNTHETISCH] " } else { "" },
                    m.zone_name,
                    from,
                    to,
                    m.method.name,
                    m.method.version
                );
                println!(
                    "  {:>4} {:<24} {:>6} {:>8} {:>9} {:<22} {:>7} {:>6}  NVP/KIV",
                    "rang", "fenomeen", "feiten", "/1.000", "trend/j", "oordeel", "score", "band",
                );
                for r in &m.rows {
                    println!(
                        "  {:>4} {:<24} {:>6} {:>8} {:>9} {:<22} {:>7.3} {:>6}  {}",
                        r.rank,
                        r.phenomenon,
                        r.count,
                        r.rate_per_1000.map_or("—".into(), |v| format!("{v:.2}")),
                        pct(r.trend.as_ref().map(|t| t.annual_change_pct)),
                        r.verdict.as_str(),
                        r.score,
                        format!("{}-{}", r.rank_best, r.rank_worst),
                        r.alignment
                            .iter()
                            .map(|a| format!("{}:{}", a.plan, a.item))
                            .collect::<Vec<_>>()
                            .join(" ")
                    );
                }
                println!("  band: beste en slechtste rang als een gewicht ± 25 % verschuift");
                println!("  {}", m.note);
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Method => {
            print!(
                "{}",
                include_str!("../../../veilig-plan/data/priority-method.toml")
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::References {
            references: refs,
            on,
            json: as_json,
        } => {
            let plans = references(refs.as_deref())?;
            let day = on.unwrap_or_else(today);
            if as_json {
                json(
                    &serde_json::json!({"on": day, "plans": plans.iter().map(|p| serde_json::json!({
                    "plan": p, "applies_until": p.applies_until(), "in_force": p.in_force_on(day)
                })).collect::<Vec<_>>()}),
                )?;
            } else {
                for p in &plans {
                    println!(
                        "{} ({}) {} tot {}, {:?}{} [{}]: {}",
                        p.code,
                        p.kind,
                        p.period_start,
                        p.period_end,
                        p.status,
                        if p.in_force_on(day) {
                            ", van kracht"
                        } else {
                            ""
                        },
                        p.confidence,
                        p.title
                    );
                    println!("    bron: {}", p.citation);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Input {
            zone,
            phenomenon,
            score,
            source,
            note,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            qp::add_input(
                store,
                &z,
                &phenomenon,
                score,
                &source,
                &note,
                &audit(
                    "priority-input",
                    z.id,
                    format!("{phenomenon} {score} ({source})"),
                ),
            )
            .await?;
            println!("{phenomenon}: stakeholder input {score} from {source} recorded");
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Decide {
            zone,
            meeting,
            subject,
            title,
            kind,
            domain,
            rationale,
            decided_by,
            withdraw,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let title = match title {
                Some(t) => t,
                None => store
                    .phenomena(z.id)
                    .await?
                    .into_iter()
                    .find(|p| p.code == subject)
                    .map(|p| p.nl)
                    .unwrap_or_else(|| subject.clone()),
            };
            let outcome = if withdraw { "withdrawn" } else { "adopted" };
            let d = NewDecision {
                zone_id: z.id,
                meeting,
                subject: subject.clone(),
                title,
                kind,
                domain,
                outcome: outcome.into(),
                rationale,
                decided_by,
                recorded_by: Some(super::cli_user()),
            };
            let id = qp::decide(
                store,
                &z,
                &d,
                today(),
                &audit(
                    "zvr-decision",
                    z.id,
                    format!("{subject} {outcome} on {meeting}"),
                ),
            )
            .await?;
            println!("decision {id}: {subject} {outcome} by the ZVR of {meeting}");
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Decisions {
            zone,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let log = store.decisions(z.id).await?;
            let current = qp::current_priorities(&log);
            if as_json {
                json(
                    &serde_json::json!({"zone": z.code.as_str(), "log": log, "current": current}),
                )?;
            } else {
                for d in &log {
                    println!(
                        "#{} {} {} {} {} ({}, {}): {} — {}",
                        d.id,
                        d.meeting,
                        d.outcome,
                        d.subject,
                        d.title,
                        d.kind,
                        d.domain,
                        d.rationale,
                        d.decided_by
                    );
                }
                println!(
                    "huidige prioriteiten: {}",
                    current
                        .iter()
                        .map(|d| d.subject.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Create {
            zone,
            code,
            title,
            start_year,
            years,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            if !(1..=8).contains(&years) {
                bail!("--years {years}: a plan runs 1 to 8 years (6 by default)");
            }
            let mut doc = PlanDoc::new(&title, start_year, years);
            doc.priorities = qp::priorities_from_decisions(store, &z, doc.period_start).await?;
            let p = qp::create_plan(
                store,
                &z,
                &code,
                &doc,
                &audit("plan-create", z.id, format!("{code}: {title}")),
            )
            .await?;
            println!(
                "plan {} created (version 1, draft) with {} priorities from the council's decisions",
                p.code,
                doc.priorities.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Priority {
            at,
            code,
            subject,
            title,
            kind,
            domain,
            decision,
            references,
        } => {
            let kind = PriorityKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!("--kind {kind:?}: prioriteit or bijzonder-aandachtspunt")
            })?;
            let domain = Domain::parse(&domain)
                .ok_or_else(|| anyhow::anyhow!("--domain {domain:?}: external or internal"))?;
            let p = Priority {
                code: code.clone(),
                subject,
                title,
                kind,
                domain,
                decision,
                references,
            };
            edit(store, &at, "plan-priority", &code, move |d| {
                d.put_priority(p);
                Ok(())
            })
            .await
        }
        PlanCmd::Objective {
            at,
            code,
            level,
            parent,
            priority,
            statement,
            target,
            due,
            owner,
        } => {
            let level = Level::parse(&level).ok_or_else(|| {
                anyhow::anyhow!("--level {level:?}: strategic, tactical or operational")
            })?;
            let o = Objective {
                code: code.clone(),
                level,
                parent,
                priority,
                statement,
                target,
                due,
                owner,
            };
            edit(store, &at, "plan-objective", &code, move |d| {
                d.put_objective(o, today()).map_err(anyhow::Error::msg)
            })
            .await
        }
        PlanCmd::Action {
            at,
            code,
            objective,
            year,
            title,
            phases,
            partners,
            owner,
            hours,
            functionalities,
        } => {
            let phases = phases
                .iter()
                .map(|p| {
                    Phase::parse(p).ok_or_else(|| {
                        anyhow::anyhow!("--phase {p:?}: proactie, preventie, reactie or nazorg")
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let partners = partners
                .iter()
                .map(|p| match p.split_once(':') {
                    Some((partner, role)) => Ok(PartnerRole {
                        partner: partner.into(),
                        role: role.into(),
                    }),
                    None => bail!("--partner {p:?}: partner:role, e.g. gemeente-mol:communicatie"),
                })
                .collect::<Result<Vec<_>>>()?;
            let a = Action {
                code: code.clone(),
                objective,
                year,
                title,
                phases,
                partners,
                owner,
                hours,
                functionalities,
            };
            edit(store, &at, "plan-action", &code, move |d| {
                d.put_action(a);
                Ok(())
            })
            .await
        }
        PlanCmd::Remove { at, item, code } => {
            let c = code.clone();
            edit(
                store,
                &at,
                "plan-remove",
                &format!("{item} {code}"),
                move |d| {
                    let before = d.priorities.len() + d.objectives.len() + d.actions.len();
                    match item.as_str() {
                        "priority" => d.priorities.retain(|x| x.code != c),
                        "objective" => d.objectives.retain(|x| x.code != c),
                        "action" => d.actions.retain(|x| x.code != c),
                        _ => bail!("{item:?}: priority, objective or action"),
                    }
                    if before == d.priorities.len() + d.objectives.len() + d.actions.len() {
                        bail!("the plan has no {item} {c:?}");
                    }
                    Ok(())
                },
            )
            .await
        }
        PlanCmd::Chapter {
            at,
            mission,
            vision,
            values,
            communication,
        } => {
            edit(store, &at, "plan-chapter", "chapters", move |d| {
                for (field, v) in [
                    (&mut d.chapters.mission, mission),
                    (&mut d.chapters.vision, vision),
                    (&mut d.chapters.values, values),
                    (&mut d.chapters.communication, communication),
                ] {
                    if let Some(v) = v {
                        *field = v;
                    }
                }
                Ok(())
            })
            .await
        }
        PlanCmd::Snapshot { at, from, to } => {
            let (z, _) = view(store, &at).await?;
            let m = qp::matrix(store, &z, &MatrixOptions::builtin(from, to)).await?;
            let security = qp::security_snapshot(&m);
            let service = service_snapshot(store, &z, from, to).await?;
            edit(
                store,
                &at,
                "plan-snapshot",
                &format!("{from}..{to}"),
                move |d| {
                    d.snapshots.push(security);
                    d.snapshots.extend(service);
                    Ok(())
                },
            )
            .await
        }
        PlanCmd::Show { at, json: as_json } => {
            let (_, v) = view(store, &at).await?;
            if as_json {
                json(&v)?;
            } else {
                print_plan(&v);
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Approve {
            at,
            step,
            date,
            outcome,
            reference,
        } => {
            let (z, v) = view(store, &at).await?;
            qp::take_step(
                store,
                &v,
                &step,
                date,
                &outcome,
                &reference,
                today(),
                &audit(
                    "plan-step",
                    z.id,
                    format!(
                        "{} v{}: {step} {outcome} on {date} ({reference})",
                        v.code, v.version
                    ),
                ),
            )
            .await?;
            let (_, v) = view(store, &at).await?;
            println!(
                "{} version {}: {}{}",
                v.code,
                v.version,
                v.status,
                v.deadline
                    .map_or(String::new(), |d| format!(" — next step due by {d}"))
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Addendum { at, reason, kind } => {
            let (z, v) = view(store, &at).await?;
            let n = qp::new_version(
                store,
                &v,
                &kind,
                &reason,
                &audit(
                    "plan-version",
                    z.id,
                    format!("{} v{}: {kind} ({reason})", v.code, v.version + 1),
                ),
            )
            .await?;
            println!("{} version {n} ({kind}, draft): {reason}", v.code);
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Diff {
            at,
            from,
            to,
            json: as_json,
        } => {
            let (_, v) = view(store, &at).await?;
            let doc = |n: i32| {
                v.document_of(n)
                    .ok_or_else(|| anyhow::anyhow!("plan {} has no version {n}", v.code))
            };
            let changes = veilig_plan::diff(doc(from)?, doc(to)?);
            if as_json {
                json(
                    &serde_json::json!({"plan": v.code, "from": from, "to": to, "changes": changes}),
                )?;
            } else {
                println!(
                    "{}: version {from} -> {to}, {} changes",
                    v.code,
                    changes.len()
                );
                for c in &changes {
                    println!("  {} {} {}", c.change, c.item, c.code);
                    for (f, a, b) in &c.fields {
                        println!("      {f}: {a} -> {b}");
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn edit(
    store: &Store,
    at: &PlanRef,
    action: &str,
    what: &str,
    change: impl FnOnce(&mut PlanDoc) -> Result<()>,
) -> Result<ExitCode> {
    let (z, v) = view(store, at).await?;
    qp::edit_plan(
        store,
        &v,
        &audit(action, z.id, format!("{} v{}: {what}", v.code, v.version)),
        change,
    )
    .await?;
    println!("{} version {} (draft): {what} saved", v.code, v.version);
    Ok(ExitCode::SUCCESS)
}

/// The service picture: the norm check's lines and the net hours, as a dated snapshot.
async fn service_snapshot(
    store: &Store,
    z: &veilig_domain::Zone,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Option<veilig_plan::Snapshot>> {
    if store.staff(z.id).await?.is_empty() {
        return Ok(None);
    }
    let nc =
        veilig_query::capacity::norm_check(store, z, veilig_capacity::norms::Ruleset::builtin())
            .await?;
    Ok(Some(veilig_plan::Snapshot {
        kind: "service-picture".into(),
        taken_at: chrono::Utc::now().naive_utc(),
        period_from: from,
        period_to: to,
        source: format!("veilig capacity norms --zone {}", z.code.as_str()),
        data: serde_json::json!({"lines": nc.lines, "net": nc.net}),
    }))
}

fn print_plan(v: &PlanView) {
    let d = &v.document;
    println!(
        "{}{} ({}), {} tot {} — versie {}: {}{}",
        if v.synthetic { "[SYNTHETISCH] " } else { "" },
        d.title,
        v.code,
        d.period_start,
        d.period_end,
        v.version,
        v.status,
        v.deadline
            .map_or(String::new(), |x| format!(", volgende stap uiterlijk {x}"))
    );
    for p in &d.priorities {
        println!(
            "  {} {} [{}, {}] {}",
            p.code,
            p.title,
            p.kind.as_str(),
            p.domain.as_str(),
            p.references.join(" ")
        );
        let print_obj = |o: &Objective, indent: usize| {
            println!(
                "{:indent$}{} {} ({}): {} — doel {} tegen {}, piloot {}",
                "",
                o.code,
                o.level.as_str(),
                o.priority,
                o.statement,
                o.target,
                o.due,
                o.owner,
                indent = indent
            );
            for a in d.actions.iter().filter(|a| a.objective == o.code) {
                println!(
                    "{:indent$}  actie {} {} {}: {} [{}] {} u, partners {}",
                    "",
                    a.code,
                    a.year,
                    a.owner,
                    a.title,
                    a.phases
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.hours,
                    a.partners
                        .iter()
                        .map(|p| format!("{} ({})", p.partner, p.role))
                        .collect::<Vec<_>>()
                        .join(", "),
                    indent = indent
                );
            }
        };
        for s in d
            .objectives
            .iter()
            .filter(|o| o.priority == p.code && o.level == Level::Strategic)
        {
            print_obj(s, 4);
            for t in d
                .objectives
                .iter()
                .filter(|o| o.parent.as_deref() == Some(&s.code))
            {
                print_obj(t, 6);
                for op in d
                    .objectives
                    .iter()
                    .filter(|o| o.parent.as_deref() == Some(&t.code))
                {
                    print_obj(op, 8);
                }
            }
        }
    }
    println!("  versies:");
    for ver in &v.versions {
        println!(
            "    {} ({}{}): {}",
            ver.version,
            ver.kind,
            if ver.reason.is_empty() {
                String::new()
            } else {
                format!(", {}", ver.reason)
            },
            ver.standing.status
        );
        for s in &ver.steps {
            println!(
                "      {} {} {} ({})",
                s.decided_on, s.step, s.outcome, s.reference
            );
        }
    }
}
