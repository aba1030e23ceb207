//! `veilig plan indicator|indicators|measure|refresh|problem|problems|agenda|review|reviews|
//! evaluate`: following the plan. Every change goes through `veilig_query::monitor`; this
//! module turns flags into definitions (`args.rs`), calls it and prints (`print.rs`).

use veilig_cli::print::monitor as print;

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::NaiveDate;
use veilig_analysis::TestRules;
use veilig_query::monitor as qm;
use veilig_query::plan::plan_named;
use veilig_store::Store;

use super::cli_audit_entry as audit;
use super::given_or_only_zone;
use veilig_cli::args::monitor::*;
use veilig_cli::args::plan::PlanCmd;
use veilig_cli::output::emit;

const RULES: TestRules = veilig_query::plan::DEFAULT_RULES;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub async fn run(store: &Store, cmd: PlanCmd) -> Result<ExitCode> {
    match cmd {
        PlanCmd::Indicator(a) => indicator(store, a).await,
        PlanCmd::Indicators(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let st = qm::status(store, &z, RULES).await?;
            let out = serde_json::json!({"zone": z.code.as_str(), "synthetic": z.synthetic, "indicators": st});
            emit(&out, a.json, |_| print::indicators(&st))
        }
        PlanCmd::Measure(a) => measure(store, a).await,
        PlanCmd::Refresh(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let line = audit("indicator-refresh", z.id, "veilig plan refresh".into());
            let r = qm::refresh(store, &z, &line).await?;
            emit(&r, a.json, print::refresh)
        }
        PlanCmd::Problem(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let pf = veilig_cli::args::monitor_defs::problem(&a)?;
            let line = audit("problem-file", z.id, format!("{}: {}", pf.code, pf.title));
            qm::save_problem(store, &z, &pf, &line).await?;
            println!("problem file {} saved", pf.code);
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Problems(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let ps = qm::problems(store, &z, RULES).await?;
            let out = serde_json::json!({"zone": z.code.as_str(), "synthetic": z.synthetic, "problems": ps});
            emit(&out, a.json, |_| print::problems(&ps))
        }
        PlanCmd::Agenda(a) => {
            let z = given_or_only_zone(store, a.at.zone.as_deref()).await?;
            let agenda = qm::agenda(store, &z, a.at.days.from, a.at.days.to, RULES).await?;
            emit(&agenda, a.json, |g| {
                print::agenda(g, a.at.days.from, a.at.days.to)
            })
        }
        PlanCmd::Review(a) => review(store, a).await,
        PlanCmd::Reviews(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let reviews = store.reviews(z.id).await?;
            let decisions = store.review_decisions(z.id).await?;
            let out = qm::reviews_listing(&z, &reviews, &decisions);
            emit(&out, a.json, |_| print::reviews(&reviews, &decisions))
        }
        PlanCmd::Evaluate(a) => evaluate(store, a).await,
        _ => unreachable!("plan::run handles the plan's own commands"),
    }
}

async fn indicator(store: &Store, a: IndicatorArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.at.zone.as_deref()).await?;
    let def = veilig_cli::args::monitor_defs::definition(&a)?;
    let plan = match store.plans(z.id).await?.is_empty() {
        true => None,
        false => {
            let (row, v) = plan_named(store, &z, &a.at.plan, today()).await?;
            Some((v.document, row.id))
        }
    };
    let line = audit("indicator-add", z.id, def.code.clone());
    qm::define(
        store,
        &z,
        plan.as_ref().map(|(d, id)| (d, *id)),
        &def,
        &line,
    )
    .await?;
    let line = audit(
        "indicator-refresh",
        z.id,
        format!("after defining {}", def.code),
    );
    let r = qm::refresh(store, &z, &line).await?;
    println!(
        "indicator {} defined; {} measurements written",
        def.code,
        r.changes.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn measure(store: &Store, a: MeasureArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.at.zone.as_deref()).await?;
    let (indicator, from, to, value) = (&a.indicator, a.at.days.from, a.at.days.to, a.value);
    let line = audit(
        "indicator-measure",
        z.id,
        format!("{indicator} {from}..{to}: {value}"),
    );
    qm::enter(store, &z, indicator, from, to, value, &line).await?;
    println!("{indicator} {from} to {to}: {value} entered");
    Ok(ExitCode::SUCCESS)
}

async fn review(store: &Store, a: ReviewArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.at.zone.as_deref()).await?;
    let request = qm::ReviewRequest {
        from: a.at.days.from,
        to: a.at.days.to,
        held_on: a.held_on,
        today: today(),
        decisions: a.decisions.iter().map(String::as_str).collect(),
        closes: a.closes.iter().map(String::as_str).collect(),
    };
    let line = audit(
        "review",
        z.id,
        format!(
            "compstat {}..{} held {}",
            a.at.days.from, a.at.days.to, a.held_on
        ),
    );
    let id = qm::record_review(store, &z, &request, RULES, &line).await?;
    let open = store
        .review_decisions(z.id)
        .await?
        .into_iter()
        .filter(|d| d.closed_in.is_none())
        .count();
    println!("review {id} recorded; {open} decisions open");
    Ok(ExitCode::SUCCESS)
}

/// `OBJECTIVE:continue|adjust|stop[:note]`.
fn verdict(x: &str) -> Result<qm::ObjectiveVerdict> {
    let p: Vec<&str> = x.splitn(3, ':').collect();
    match p.as_slice() {
        [o, verdict, rest @ ..] => Ok(qm::ObjectiveVerdict {
            objective: o.to_string(),
            verdict: verdict.to_string(),
            note: rest.first().copied().unwrap_or("").to_string(),
        }),
        _ => bail!("--verdict {x:?}: OBJECTIVE:continue|adjust|stop[:note]"),
    }
}

async fn evaluate(store: &Store, a: EvaluateArgs) -> Result<ExitCode> {
    let z = given_or_only_zone(store, a.at.zone.as_deref()).await?;
    let (row, v) = plan_named(store, &z, &a.at.plan, today()).await?;
    let given = a
        .verdicts
        .iter()
        .map(|x| verdict(x))
        .collect::<Result<Vec<_>>>()?;
    let allocation =
        veilig_query::capacity::allocation::plan_year_allocation(store, &z, &row.code, a.year)
            .await?;
    let line = audit(
        "evaluation",
        z.id,
        format!("{} {} evaluated on {}", v.code, a.year, a.held_on),
    );
    let (year, held_on) = (a.year, a.held_on);
    let id = qm::evaluate(
        store,
        &z,
        &v,
        year,
        held_on,
        &given,
        &a.done,
        &allocation,
        today(),
        &line,
    )
    .await?;
    println!("evaluation {id} of {} {year} recorded", v.code);
    Ok(ExitCode::SUCCESS)
}
