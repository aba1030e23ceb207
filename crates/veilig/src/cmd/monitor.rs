//! `veilig plan indicator|indicators|measure|refresh|problem|problems|agenda|review|reviews|
//! evaluate`: following the plan. Every change goes through `veilig_query::monitor`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use veilig_analysis::TestRules;
use veilig_monitor::{
    Baseline, Direction, Frequency, IndicatorDef, IndicatorKind, Measure, Place, ProblemFile,
    Source, Target,
};
use veilig_query::monitor as qm;
use veilig_store::Store;

use super::given_or_only_zone;
use crate::cli_plan::{IndicatorArgs, PlanCmd, ProblemArgs};
use crate::output::json;

const RULES: TestRules = veilig_query::plan::DEFAULT_RULES;

use super::cli_audit_entry as audit;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn definition(a: &IndicatorArgs) -> Result<IndicatorDef> {
    let need = |v: &Option<String>, flag: &str| {
        v.clone()
            .with_context(|| format!("--source {} needs {flag}", a.source))
    };
    let source = match a.source.as_str() {
        "incidents" => Source::Incidents {
            phenomenon: need(&a.phenomenon, "--phenomenon")?,
            measure: match a.measure.as_str() {
                "count" => Measure::Count,
                "rate-per-1000" => Measure::RatePer1000,
                "share" => Measure::Share,
                m => bail!("--measure {m:?}: count, rate-per-1000 or share"),
            },
            municipality: a.municipality.clone(),
            wijken: a.wijken.clone(),
        },
        "calls" => Source::Calls {
            category: a.category.clone(),
            priority: a.priority.clone(),
            percentile: a.percentile,
        },
        "published" => Source::Published {
            category: need(&a.category, "--category")?,
            area_code: a.area_code.clone(),
        },
        "survey" => Source::Survey {
            survey: need(&a.survey, "--survey")?,
            indicator: need(&a.survey_indicator, "--survey-indicator")?,
        },
        "manual" => Source::Manual {
            unit: need(&a.unit, "--unit")?,
        },
        s => bail!("--source {s:?}: incidents, calls, published, survey or manual"),
    };
    Ok(IndicatorDef {
        code: a.code.clone(),
        objective: a.objective.clone(),
        name: a.name.clone(),
        kind: IndicatorKind::parse(&a.kind).with_context(|| {
            format!("--kind {:?}: effect, output, process or perception", a.kind)
        })?,
        source,
        frequency: match a.frequency.as_str() {
            "year" => Frequency::Year,
            "quarter" => Frequency::Quarter,
            f => bail!("--frequency {f:?}: year or quarter"),
        },
        baseline: Baseline {
            from: a.baseline_from,
            to: a.baseline_to,
            value: a.baseline_value,
        },
        direction: match a.direction.as_str() {
            "down" => Direction::Down,
            "up" => Direction::Up,
            d => bail!("--direction {d:?}: down or up"),
        },
        target: match (a.target_change, a.target_value) {
            (Some(pct), None) => Target::ChangePct { pct, by: a.by },
            (None, Some(value)) => Target::Value { value, by: a.by },
            _ => bail!("give --target-change PCT or --target-value V"),
        },
    })
}

fn place(
    wijken: &[String],
    x: Option<f64>,
    y: Option<f64>,
    r: Option<f64>,
    what: &str,
) -> Result<Place> {
    match (wijken.is_empty(), x, y, r) {
        (false, None, None, None) => Ok(Place::Wijken {
            codes: wijken.to_vec(),
        }),
        (true, Some(x), Some(y), Some(radius)) => Ok(Place::Circle { x, y, radius }),
        _ => bail!("{what}: give wijken, or x, y and radius (not both)"),
    }
}

fn problem(a: &ProblemArgs) -> Result<ProblemFile> {
    Ok(ProblemFile {
        code: a.code.clone(),
        title: a.title.clone(),
        phenomenon: a.phenomenon.clone(),
        place: place(&a.wijken, a.x, a.y, a.radius, "the place")?,
        comparison: place(
            &a.comparison_wijken,
            a.comparison_x,
            a.comparison_y,
            a.comparison_radius,
            "the comparison area",
        )?,
        analysis: veilig_monitor::problem::Analysis {
            offender: a.offender.clone(),
            victim: a.victim.clone(),
            place: a.place_analysis.clone(),
        },
        response: a
            .response
            .iter()
            .map(|r| match r.split_once(':') {
                Some((what, partners)) => veilig_monitor::problem::ResponseAction {
                    what: what.into(),
                    partners: partners
                        .split(',')
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect(),
                },
                None => veilig_monitor::problem::ResponseAction {
                    what: r.clone(),
                    partners: vec![],
                },
            })
            .collect(),
        response_start: a.response_start,
        window_days: a.window_days,
        stage: a.stage.clone(),
    })
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.3}")
        }
    })
}

pub async fn run(store: &Store, cmd: PlanCmd) -> Result<ExitCode> {
    match cmd {
        PlanCmd::Indicator(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let def = definition(&a)?;
            let plan = match store.plans(z.id).await?.is_empty() {
                true => None,
                false => {
                    let row = veilig_query::plan::find_plan(store, &z, &a.plan, today()).await?;
                    let v = veilig_query::plan::plan_view(
                        store,
                        &z,
                        &row,
                        &veilig_plan::Procedure::builtin(),
                    )
                    .await?;
                    Some((v.document, row.id))
                }
            };
            qm::define(
                store,
                &z,
                plan.as_ref().map(|(d, id)| (d, *id)),
                &def,
                &audit("indicator-add", z.id, def.code.clone()),
            )
            .await?;
            let r = qm::refresh(
                store,
                &z,
                &audit(
                    "indicator-refresh",
                    z.id,
                    format!("after defining {}", def.code),
                ),
            )
            .await?;
            println!(
                "indicator {} defined; {} measurements written",
                def.code,
                r.changes.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Indicators {
            zone,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let st = qm::status(store, &z, RULES).await?;
            if as_json {
                json(
                    &serde_json::json!({"zone": z.code.as_str(), "synthetic": z.synthetic, "indicators": st}),
                )?;
            } else {
                for s in &st {
                    println!(
                        "{} [{}] {} ({}, {}): basislijn {} → doel {} — laatste {} op {} — {}",
                        s.code,
                        s.objective,
                        s.name,
                        s.kind.as_str(),
                        s.unit,
                        fmt(s.baseline.value),
                        fmt(s.target.value),
                        fmt(s.progress.latest),
                        s.progress
                            .latest_period_end
                            .map_or("—".into(), |d| d.to_string()),
                        s.verdict
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Measure {
            zone,
            indicator,
            from,
            to,
            value,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            qm::enter(
                store,
                &z,
                &indicator,
                from,
                to,
                value,
                &audit(
                    "indicator-measure",
                    z.id,
                    format!("{indicator} {from}..{to}: {value}"),
                ),
            )
            .await?;
            println!("{indicator} {from} to {to}: {value} entered");
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Refresh {
            zone,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let r = qm::refresh(
                store,
                &z,
                &audit("indicator-refresh", z.id, "veilig plan refresh".into()),
            )
            .await?;
            if as_json {
                json(&r)?;
            } else {
                println!(
                    "{} indicators, {} values computed, {} measurements written",
                    r.indicators,
                    r.computed,
                    r.changes.len()
                );
                for c in &r.changes {
                    println!(
                        "  {} {}..{} rev {}: {} -> {} ({})",
                        c.indicator,
                        c.period_start,
                        c.period_end,
                        c.revision,
                        fmt(c.old),
                        c.new,
                        c.reason
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Problem(a) => {
            let z = given_or_only_zone(store, a.zone.as_deref()).await?;
            let pf = problem(&a)?;
            qm::save_problem(
                store,
                &z,
                &pf,
                &audit("problem-file", z.id, format!("{}: {}", pf.code, pf.title)),
            )
            .await?;
            println!("problem file {} saved", pf.code);
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Problems {
            zone,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let ps = qm::problems(store, &z, RULES).await?;
            if as_json {
                json(
                    &serde_json::json!({"zone": z.code.as_str(), "synthetic": z.synthetic, "problems": ps}),
                )?;
            } else {
                for p in &ps {
                    print!(
                        "{} {} ({}, {}): ",
                        p.file.code, p.file.title, p.file.phenomenon, p.file.stage
                    );
                    match &p.assessment {
                        Some(a) => println!(
                            "plaats {} → {}, vergelijking {} → {}: verhouding {} ({}–{}), p {} — {:?}",
                            a.place.before,
                            a.place.after,
                            a.comparison.before,
                            a.comparison.after,
                            fmt(a.ratio_of_ratios),
                            fmt(a.low),
                            fmt(a.high),
                            fmt(a.p_value),
                            a.verdict
                        ),
                        None => println!("nog geen periode na de start om te beoordelen"),
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Agenda {
            zone,
            from,
            to,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let a = qm::agenda(store, &z, from, to, RULES).await?;
            if as_json {
                json(&a)?;
            } else {
                println!("Compstat {from} tot {to}");
                for i in &a.moved {
                    println!(
                        "  indicator {} {}: {} ({} %)",
                        i.code,
                        i.name,
                        i.verdict,
                        fmt(i.change_pct)
                    );
                }
                for o in &a.off_track {
                    println!(
                        "  doelstelling {} niet op koers: {}",
                        o.objective,
                        o.indicators.join(", ")
                    );
                }
                for r in &a.rising {
                    println!(
                        "  stijgend: {} {} feiten ({} %, p {:.3})",
                        r.name_nl,
                        r.count,
                        fmt(r.change_pct),
                        r.p_value
                    );
                }
                for h in &a.hotspots {
                    println!(
                        "  nieuwe hotspot {}: {} feiten tegen {} een jaar eerder (cel {:.0} m rond {:.0}, {:.0}; p {:.2e})",
                        h.phenomenon,
                        h.cell.now,
                        h.cell.before,
                        h.cell.cell_m,
                        h.cell.x,
                        h.cell.y,
                        h.cell.p_value
                    );
                }
                for s in &a.series {
                    println!(
                        "  reeks {}: {} feiten van {} tot {} rond {:.0}, {:.0}",
                        s.phenomenon,
                        s.series.events,
                        s.series.first,
                        s.series.last,
                        s.series.x,
                        s.series.y
                    );
                }
                for d in &a.open_decisions {
                    println!(
                        "  open beslissing #{}: {} — {} tegen {}",
                        d.id, d.what, d.who, d.due
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Review {
            zone,
            from,
            to,
            held_on,
            decisions,
            closes,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let id = qm::record_review(
                store,
                &z,
                &qm::ReviewRequest {
                    from,
                    to,
                    held_on,
                    today: today(),
                    decisions: decisions.iter().map(String::as_str).collect(),
                    closes: closes.iter().map(String::as_str).collect(),
                },
                RULES,
                &audit(
                    "review",
                    z.id,
                    format!("compstat {from}..{to} held {held_on}"),
                ),
            )
            .await?;
            let open = store
                .review_decisions(z.id)
                .await?
                .into_iter()
                .filter(|d| d.closed_in.is_none())
                .count();
            println!("review {id} recorded; {open} decisions open");
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Reviews {
            zone,
            json: as_json,
        } => {
            let z = given_or_only_zone(store, zone.as_deref()).await?;
            let reviews = store.reviews(z.id).await?;
            let decisions = store.review_decisions(z.id).await?;
            if as_json {
                let rs: Vec<serde_json::Value> = reviews
                    .iter()
                    .map(|r| serde_json::json!({
                        "id": r.id, "kind": r.kind, "period_from": r.period_from, "period_to": r.period_to,
                        "held_on": r.held_on, "document": serde_json::from_str::<serde_json::Value>(&r.document).unwrap_or_default(),
                        "decisions": decisions.iter().filter(|d| d.review_id == r.id).collect::<Vec<_>>(),
                    }))
                    .collect();
                json(&serde_json::json!({"zone": z.code.as_str(), "reviews": rs}))?;
            } else {
                for r in &reviews {
                    println!(
                        "#{} {} {} ({} tot {})",
                        r.id, r.kind, r.held_on, r.period_from, r.period_to
                    );
                    for d in decisions.iter().filter(|d| d.review_id == r.id) {
                        println!(
                            "   #{} {} — {} tegen {}: {}",
                            d.id,
                            d.what,
                            d.who,
                            d.due,
                            d.closed_in
                                .map_or("open".to_string(), |c| format!("gesloten in #{c}"))
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCmd::Evaluate {
            at,
            year,
            held_on,
            verdicts,
            done,
        } => {
            let z = given_or_only_zone(store, at.zone.as_deref()).await?;
            let row = veilig_query::plan::find_plan(store, &z, &at.plan, today()).await?;
            let v =
                veilig_query::plan::plan_view(store, &z, &row, &veilig_plan::Procedure::builtin())
                    .await?;
            let mut given = Vec::new();
            for x in &verdicts {
                let p: Vec<&str> = x.splitn(3, ':').collect();
                match p.as_slice() {
                    [o, verdict, rest @ ..] => given.push(qm::ObjectiveVerdict {
                        objective: o.to_string(),
                        verdict: verdict.to_string(),
                        note: rest.first().copied().unwrap_or("").to_string(),
                    }),
                    _ => bail!("--verdict {x:?}: OBJECTIVE:continue|adjust|stop[:note]"),
                }
            }
            let allocation = veilig_query::capacity::allocation::plan_year_allocation(
                store, &z, &row.code, year,
            )
            .await?;
            let id = qm::evaluate(
                store,
                &z,
                &v,
                year,
                held_on,
                &given,
                &done,
                &allocation,
                today(),
                &audit(
                    "evaluation",
                    z.id,
                    format!("{} {year} evaluated on {held_on}", v.code),
                ),
            )
            .await?;
            println!("evaluation {id} of {} {year} recorded", v.code);
            Ok(ExitCode::SUCCESS)
        }
        _ => unreachable!("plan::run handles the plan's own commands"),
    }
}
