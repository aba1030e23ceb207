//! `veilig plan`: the priority matrix, the council's decisions and the zonal security plan.
//! Every change goes through `veilig_query::plan` (checked whole, stored with its audit line);
//! this module parses, calls it and prints (the text in `print.rs`).

use veilig_cli::print::plan as print;

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use veilig_plan::{Method, PlanDoc, Procedure};
use veilig_query::plan::{self as qp, PlanView};
use veilig_store::{NewDecision, Store};

use super::cli_audit_entry as audit;
use super::given_or_only_zone;
use veilig_cli::args::plan::*;
use veilig_cli::output::emit;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

async fn view(store: &Store, at: &PlanRef) -> Result<(veilig_domain::Zone, PlanView)> {
    let z = given_or_only_zone(store, at.zone.as_deref()).await?;
    let p = qp::find_plan(store, &z, &at.plan, today()).await?;
    let v = qp::plan_view(store, &z, &p, &Procedure::for_kind(z.kind)).await?;
    Ok((z, v))
}

pub async fn run(store: &Store, cmd: PlanCmd) -> Result<ExitCode> {
    match cmd {
        PlanCmd::Matrix(a) => matrix(store, a).await,
        PlanCmd::Method => {
            print!("{}", Method::BUILTIN_TEXT);
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::References(a) => reference_plans(a),
        PlanCmd::Input(a) => input(store, a).await,
        PlanCmd::Decide(a) => decide(store, a).await,
        PlanCmd::Decisions(a) => decisions(store, a).await,
        PlanCmd::Create(a) => create(store, a).await,
        PlanCmd::Priority(a) => priority(store, a).await,
        PlanCmd::Objective(a) => objective(store, a).await,
        PlanCmd::Action(a) => action(store, a).await,
        PlanCmd::Remove(a) => remove(store, a).await,
        PlanCmd::Chapter(a) => chapter(store, a).await,
        PlanCmd::Snapshot(a) => snapshot(store, a).await,
        PlanCmd::Show(a) => {
            let (_, v) = view(store, &a.at).await?;
            emit(&v, a.json, print::plan)
        }
        PlanCmd::Approve(a) => approve(store, a).await,
        PlanCmd::Addendum(a) => addendum(store, a).await,
        PlanCmd::Diff(a) => diff(store, a).await,
        follow_up => super::monitor::run(store, follow_up).await,
    }
}

async fn matrix(store: &Store, a: MatrixArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.at.zone.as_deref()).await?;
    let m = qp::matrix(store, &z, &a.options()?).await?;
    emit(&m, a.json, print::matrix)
}

fn reference_plans(a: ReferencesArgs) -> Result<ExitCode> {
    let plans = veilig_cli::args::plan_defs::references(a.references.as_deref())?;
    let day = a.on.unwrap_or_else(today);
    let listing = serde_json::json!({"on": day, "plans": plans.iter().map(|p| serde_json::json!({
        "plan": p, "applies_until": p.applies_until(), "in_force": p.in_force_on(day)
    })).collect::<Vec<_>>()});
    emit(&listing, a.json, |_| print::references(&plans, day))
}

async fn input(store: &Store, a: InputArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.zone.as_deref()).await?;
    let line = audit(
        "priority-input",
        z.id,
        format!("{} {} ({})", a.phenomenon, a.score, a.source),
    );
    qp::add_input(store, &z, &a.phenomenon, a.score, &a.source, &a.note, &line).await?;
    println!(
        "{}: stakeholder input {} from {} recorded",
        a.phenomenon, a.score, a.source
    );
    Ok(ExitCode::SUCCESS)
}

async fn decide(store: &Store, a: DecideArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.zone.as_deref()).await?;
    let outcome = if a.withdraw { "withdrawn" } else { "adopted" };
    let line = audit(
        "zvr-decision",
        z.id,
        format!("{} {outcome} on {}", a.subject, a.meeting),
    );
    let d = NewDecision {
        zone_id: z.id,
        meeting: a.meeting,
        subject: a.subject,
        title: a.title.unwrap_or_default(),
        kind: a.kind,
        domain: a.domain,
        outcome: outcome.into(),
        rationale: a.rationale,
        decided_by: a.decided_by,
        recorded_by: Some(super::cli_user()),
    };
    let id = qp::decide(store, &z, &d, today(), &line).await?;
    println!(
        "decision {id}: {} {outcome} by the ZVR of {}",
        d.subject, d.meeting
    );
    Ok(ExitCode::SUCCESS)
}

async fn decisions(store: &Store, a: ZoneJson) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.zone.as_deref()).await?;
    let log = store.decisions(z.id).await?;
    let current = qp::current_priorities(&log);
    let out = serde_json::json!({"zone": z.code.as_str(), "log": log, "current": current});
    emit(&out, a.json, |_| print::decisions(&log, &current))
}

async fn create(store: &Store, a: CreateArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.zone.as_deref()).await?;
    if !(1..=8).contains(&a.years) {
        bail!(
            "--years {}: a plan runs 1 to 8 years (6 by default)",
            a.years
        );
    }
    let mut doc = PlanDoc::new(&a.title, a.start_year, a.years);
    doc.priorities = qp::priorities_from_decisions(store, &z, doc.period_start).await?;
    let line = audit("plan-create", z.id, format!("{}: {}", a.code, a.title));
    let p = qp::create_plan(store, &z, &a.code, &doc, &line).await?;
    println!(
        "plan {} created (version 1, draft) with {} priorities from the council's decisions",
        p.code,
        doc.priorities.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn priority(store: &Store, a: PriorityArgs) -> Result<ExitCode> {
    let p = a.priority()?;
    edit(store, &a.at, "plan-priority", &a.code, move |d| {
        d.put_priority(p);
        Ok(())
    })
    .await
}

async fn objective(store: &Store, a: ObjectiveArgs) -> Result<ExitCode> {
    let o = a.objective()?;
    edit(store, &a.at, "plan-objective", &a.code, move |d| {
        d.put_objective(o, today()).map_err(anyhow::Error::msg)
    })
    .await
}

async fn action(store: &Store, a: ActionArgs) -> Result<ExitCode> {
    let act = a.action()?;
    edit(store, &a.at, "plan-action", &a.code, move |d| {
        d.put_action(act);
        Ok(())
    })
    .await
}

async fn remove(store: &Store, a: RemoveArgs) -> Result<ExitCode> {
    let what = format!("{} {}", a.item, a.code);
    edit(store, &a.at, "plan-remove", &what, move |d| {
        d.remove(&a.item, &a.code).map_err(anyhow::Error::msg)
    })
    .await
}

async fn chapter(store: &Store, a: ChapterArgs) -> Result<ExitCode> {
    edit(store, &a.at, "plan-chapter", "chapters", move |d| {
        for (field, v) in [
            (&mut d.chapters.mission, a.mission),
            (&mut d.chapters.vision, a.vision),
            (&mut d.chapters.values, a.values),
            (&mut d.chapters.communication, a.communication),
        ] {
            if let Some(v) = v {
                *field = v;
            }
        }
        Ok(())
    })
    .await
}

async fn snapshot(store: &Store, a: SnapshotArgs) -> Result<ExitCode> {
    let (z, v) = view(store, &a.at).await?;
    let what = format!("{}..{}", a.days.from, a.days.to);
    let line = audit(
        "plan-snapshot",
        z.id,
        format!("{} v{}: {what}", v.code, v.version),
    );
    qp::take_snapshots(store, &z, &v, (a.days.from, a.days.to), &line).await?;
    println!("{} version {} (draft): {what} saved", v.code, v.version);
    Ok(ExitCode::SUCCESS)
}

async fn approve(store: &Store, a: ApproveArgs) -> Result<ExitCode> {
    let (z, v) = view(store, &a.at).await?;
    let line = audit(
        "plan-step",
        z.id,
        format!(
            "{} v{}: {} {} on {} ({})",
            v.code, v.version, a.step, a.outcome, a.date, a.reference
        ),
    );
    let (step, date, outcome, reference) = (&a.step, a.date, &a.outcome, &a.reference);
    qp::take_step(store, &v, step, date, outcome, reference, today(), &line).await?;
    let (_, v) = view(store, &a.at).await?;
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

async fn addendum(store: &Store, a: AddendumArgs) -> Result<ExitCode> {
    let (z, v) = view(store, &a.at).await?;
    let line = audit(
        "plan-version",
        z.id,
        format!("{} v{}: {} ({})", v.code, v.version + 1, a.kind, a.reason),
    );
    let n = qp::new_version(store, &v, &a.kind, &a.reason, &line).await?;
    println!("{} version {n} ({}, draft): {}", v.code, a.kind, a.reason);
    Ok(ExitCode::SUCCESS)
}

async fn diff(store: &Store, a: DiffArgs) -> Result<ExitCode> {
    let (_, v) = view(store, &a.at).await?;
    let doc = |n: i32| {
        v.document_of(n)
            .ok_or_else(|| anyhow::anyhow!("plan {} has no version {n}", v.code))
    };
    let changes = veilig_plan::diff(doc(a.from)?, doc(a.to)?);
    let out = serde_json::json!({"plan": v.code, "from": a.from, "to": a.to, "changes": changes});
    emit(&out, a.json, |_| {
        print::diff(&v.code, a.from, a.to, &changes)
    })
}

async fn edit(
    store: &Store,
    at: &PlanRef,
    action: &str,
    what: &str,
    change: impl FnOnce(&mut PlanDoc) -> Result<()>,
) -> Result<ExitCode> {
    let (z, v) = view(store, at).await?;
    let line = audit(action, z.id, format!("{} v{}: {what}", v.code, v.version));
    qp::edit_plan(store, &v, &line, change).await?;
    println!("{} version {} (draft): {what} saved", v.code, v.version);
    Ok(ExitCode::SUCCESS)
}
