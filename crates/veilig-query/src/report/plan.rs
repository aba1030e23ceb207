//! The plan in reports: the plan itself (chapters, priorities, the objectives' tree, the
//! year's actions, the approval trail), the ZVR's evaluation of a plan year, and the plan's
//! part in the jaarverslag and in a council brief. The plan is the one whose period covers
//! the report's year (or the one named), never "today's": a report does not read the clock.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use veilig_plan::Procedure;
use veilig_report::doc::{Block, Column, Doc};
use veilig_store::Store;

use super::plan_tables::{actions_table, objectives_table, priorities_table};
use super::{Ctx, h1, h2};
use crate::plan::{PlanView, find_plan, plan_view};

/// The plan of the report's year (None when the zone has no plan).
pub(crate) async fn year_plan(ctx: &Ctx<'_>, store: &Store) -> Result<Option<PlanView>> {
    if store.plans(ctx.zone.id).await?.is_empty() {
        return Ok(None);
    }
    let year = ctx.year();
    let (mid, end) = (
        NaiveDate::from_ymd_opt(year, 7, 1).expect("date"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
    );
    // The plan in force in the year (or the one named), as it stood at the year's end: a
    // later addendum or redraft is not what the year was about.
    let p = if ctx.req.plan == "current" {
        match crate::plan::plan_covering(store, ctx.zone, mid).await? {
            Some(p) => p,
            None => return Ok(None),
        }
    } else {
        find_plan(store, ctx.zone, &ctx.req.plan, mid).await?
    };
    let proc = Procedure::for_kind(ctx.zone.kind);
    Ok(plan_view(store, ctx.zone, &p, &proc)
        .await?
        .as_of(end, &proc))
}

/// The plan of the report's year, or a refusal naming the year.
async fn plan_in_force(ctx: &Ctx<'_>, store: &Store) -> Result<PlanView> {
    year_plan(ctx, store).await?.with_context(|| {
        format!(
            "zone {} has no plan in force in {}",
            ctx.zone.code.as_str(),
            ctx.year()
        )
    })
}

/// A note saying how many measurements came or changed after the day the verdicts are
/// read as of (None when none did).
async fn later_note(ctx: &Ctx<'_>, store: &Store) -> Result<Option<String>> {
    let day = ctx.period().1;
    let (_, late) =
        crate::monitor::status_through(store, ctx.zone, crate::plan::DEFAULT_RULES, Some(day))
            .await?;
    Ok((late.recorded_later + late.revised_later > 0).then(|| {
        ctx.tr.args(
            "report-verdicts-later",
            &[
                ("date", ctx.tr.date(day)),
                ("later", late.recorded_later.to_string()),
                ("revised", late.revised_later.to_string()),
            ],
        )
    }))
}

/// The plan's part in the jaarverslag: its priorities and, for the council, how its
/// indicators stand.
pub(crate) async fn plan_section(ctx: &Ctx<'_>, store: &Store) -> Result<Vec<Block>> {
    let mut out = vec![h1(ctx.t("plan-title"))];
    let Some(v) = year_plan(ctx, store).await? else {
        out.push(Block::Para(ctx.t("plan-none")));
        return Ok(out);
    };
    out.push(Block::Para(plan_summary(ctx, &v)));
    out.push(h2(ctx.t("plan-current-priorities")));
    out.push(priorities_table(ctx, &v.document));
    let year = ctx.year();
    out.push(h2(ctx
        .tr
        .args("report-year-actions", &[("year", year.to_string())])));
    let actions: Vec<&veilig_plan::Action> = v
        .document
        .actions
        .iter()
        .filter(|a| a.year == year)
        .collect();
    out.push(if actions.is_empty() {
        Block::Para(ctx.t("report-no-year-actions"))
    } else {
        actions_table(ctx, actions.into_iter())
    });
    // Per priority its objectives and indicators: baseline, target, the year's value and
    // the verdict as they stood at the year's end.
    out.extend(super::indicators::by_priority(ctx, store, &v, true).await?);
    out.push(Block::Note(ctx.t("report-verdicts-note")));
    if !ctx.req.protected() {
        out.extend(later_note(ctx, store).await?.map(Block::Note));
    }
    Ok(out)
}

fn plan_summary(ctx: &Ctx<'_>, v: &PlanView) -> String {
    format!("{}: {}", v.document.title, v.summary(&ctx.tr))
}

/// A municipality's part of the plan: the priorities, and the year's actions its own
/// organisations (partner codes ending in `-name`, as `gemeente-mol`) take part in.
pub(crate) async fn municipality_section(
    ctx: &Ctx<'_>,
    store: &Store,
    name: &str,
) -> Result<Vec<Block>> {
    let mut out = vec![h1(ctx.t("plan-title"))];
    let Some(v) = year_plan(ctx, store).await? else {
        out.push(Block::Para(ctx.t("plan-none")));
        return Ok(out);
    };
    out.push(Block::Para(plan_summary(ctx, &v)));
    out.push(priorities_table(ctx, &v.document));
    let suffix = format!("-{}", name.to_lowercase().replace(' ', "-"));
    let mine: Vec<&veilig_plan::Action> = v
        .document
        .actions
        .iter()
        .filter(|a| a.year == ctx.year())
        .filter(|a| a.partners.iter().any(|p| p.partner.ends_with(&suffix)))
        .collect();
    out.push(h2(ctx.tr.args(
        "report-council-actions",
        &[("name", name.to_string()), ("year", ctx.year().to_string())],
    )));
    if mine.is_empty() {
        out.push(Block::Para(ctx.t("report-no-actions")));
    } else {
        out.push(actions_table(ctx, mine.into_iter()));
    }
    Ok(out)
}

/// The plan as a document.
pub(crate) async fn plan(ctx: &mut Ctx<'_>, store: &Store) -> Result<Doc> {
    let v = plan_in_force(ctx, store).await?;
    let d = &v.document;
    let mut blocks = super::foreword::chapter(ctx, store).await?;
    blocks.extend([Block::Para(plan_summary(ctx, &v)), h1(ctx.t("plan-ch-mvv"))]);
    for (key, text) in [
        ("plan-ch-mission", &d.chapters.mission),
        ("plan-ch-vision", &d.chapters.vision),
        ("plan-ch-values", &d.chapters.values),
        ("plan-ch-communication", &d.chapters.communication),
    ] {
        if !text.is_empty() {
            blocks.push(h2(ctx.t(key)));
            blocks.push(Block::Para(text.clone()));
        }
    }
    blocks.push(h1(ctx.t("plan-ch-pictures")));
    if d.snapshots.is_empty() {
        blocks.push(Block::Para(ctx.t("plan-no-snapshots")));
    } else {
        blocks.push(Block::List(
            d.snapshots
                .iter()
                .map(|s| {
                    ctx.tr.args(
                        "plan-snapshot-line",
                        &[
                            ("kind", ctx.t(&format!("plan-snapshot-{}", s.kind))),
                            ("from", ctx.tr.date(s.period_from)),
                            ("to", ctx.tr.date(s.period_to)),
                            ("at", ctx.tr.date(s.taken_at.date())),
                            ("source", s.source.clone()),
                        ],
                    )
                })
                .collect(),
        ));
    }
    blocks.push(h1(ctx.t("plan-tree")));
    blocks.push(h2(ctx.t("plan-current-priorities")));
    blocks.push(priorities_table(ctx, d));
    blocks.push(h2(ctx.t("plan-col-objective")));
    blocks.push(objectives_table(ctx, d));
    blocks.extend(super::indicators::by_priority(ctx, store, &v, false).await?);
    let mut years: Vec<i32> = d.actions.iter().map(|a| a.year).collect();
    years.sort();
    years.dedup();
    for y in years {
        blocks.push(h2(format!("{} {y}", ctx.t("plan-col-action"))));
        blocks.push(actions_table(ctx, d.actions.iter().filter(|a| a.year == y)));
    }
    blocks.push(h1(ctx.t("plan-approval")));
    let mut rows = Vec::new();
    for ver in &v.versions {
        for s in &ver.steps {
            rows.push(vec![
                ver.version.to_string(),
                ctx.t(&format!("plan-version-{}", ver.kind)),
                v.step_label(&ctx.tr, &s.step),
                ctx.tr.date(s.decided_on),
                ctx.t(&format!("plan-outcome-{}", s.outcome)),
                s.reference.clone(),
            ]);
        }
        if ver.steps.is_empty() {
            rows.push(vec![
                ver.version.to_string(),
                ctx.t(&format!("plan-version-{}", ver.kind)),
                "–".into(),
                "–".into(),
                v.status_word(&ctx.tr, &ver.standing.status),
                ver.reason.clone(),
            ]);
        }
    }
    blocks.push(Block::Table {
        columns: vec![
            Column::number(ctx.t("plan-col-version"), 1),
            Column::text(ctx.t("plan-col-kind"), 2),
            Column::text(ctx.t("plan-col-step"), 3),
            Column::text(ctx.t("plan-col-date"), 2),
            Column::text(ctx.t("plan-col-outcome"), 2),
            Column::text(ctx.t("plan-col-reference"), 4),
        ],
        rows,
    });
    let title = d.title.clone();
    Ok(ctx.doc(title, ctx.zone.name.clone(), blocks))
}

/// The ZVR's evaluation of the plan year: the recorded evaluation (its verdicts, indicators
/// and actions as the council saw them), or, before the council met, a draft from how the
/// indicators stand now, marked as such.
pub(crate) async fn evaluation(ctx: &mut Ctx<'_>, store: &Store) -> Result<Doc> {
    let v = plan_in_force(ctx, store).await?;
    let year = ctx.year();
    let recorded = store
        .reviews(ctx.zone.id)
        .await?
        .into_iter()
        .filter(|r| {
            r.kind == "annual" && r.period_from.format("%Y").to_string() == year.to_string()
        })
        .filter_map(|r| {
            let doc: serde_json::Value = serde_json::from_str(&r.document).ok()?;
            (doc["plan"].as_str() == Some(v.code.as_str())).then_some((r, doc))
        })
        .next_back();
    let mut blocks = super::foreword::chapter(ctx, store).await?;
    blocks.push(Block::Para(plan_summary(ctx, &v)));
    // The recorded verdicts, each withheld when its counts may not leave the zone.
    let status = crate::monitor::status(store, ctx.zone, crate::plan::DEFAULT_RULES).await?;
    let disclosed = |code: &str| {
        status
            .iter()
            .find(|s| s.code == code)
            .is_none_or(|s| s.verdict_disclosed(ctx.threshold))
    };
    match &recorded {
        Some((r, doc)) => {
            blocks.push(Block::Strong(ctx.tr.args(
                "eval-heading",
                &[
                    ("plan", v.code.clone()),
                    ("year", year.to_string()),
                    ("held", ctx.tr.date(r.held_on)),
                ],
            )));
            for o in doc["objectives"].as_array().into_iter().flatten() {
                let code = o["objective"].as_str().unwrap_or("");
                blocks.push(h2(format!(
                    "{code}: {}",
                    o["statement"].as_str().unwrap_or("")
                )));
                let verdict = o["verdict"]
                    .as_str()
                    .map(|x| ctx.t(&format!("eval-{x}")))
                    .unwrap_or_else(|| "–".into());
                let mut facts = vec![(ctx.t("eval-col-verdict"), verdict)];
                if let Some(n) = o["note"].as_str().filter(|n| !n.is_empty()) {
                    facts.push((ctx.t("plan-col-note"), n.to_string()));
                }
                blocks.push(Block::Facts(facts));
                let inds: Vec<Vec<String>> = o["indicators"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| {
                        let code = i["code"].as_str().unwrap_or("");
                        let verdict = if disclosed(code) {
                            i["verdict"].as_str().unwrap_or("")
                        } else {
                            "withheld"
                        };
                        vec![code.to_string(), ctx.t(&format!("ind-verdict-{verdict}"))]
                    })
                    .collect();
                if !inds.is_empty() {
                    blocks.push(Block::Table {
                        columns: vec![
                            Column::text(ctx.t("ind-col-name"), 2),
                            Column::text(ctx.t("report-col-verdict"), 3),
                        ],
                        rows: inds,
                    });
                }
                let acts: Vec<Vec<String>> = o["actions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        vec![
                            a["code"].as_str().unwrap_or("").to_string(),
                            a["title"].as_str().unwrap_or("").to_string(),
                            ctx.t(if a["done"].as_bool() == Some(true) {
                                "eval-done"
                            } else {
                                "eval-not-done"
                            }),
                            a["hours_planned"]
                                .as_f64()
                                .map(|h| ctx.tr.dec(h, 0))
                                .unwrap_or_else(|| "–".into()),
                            a["hours_allocated"]
                                .as_f64()
                                .map(|h| ctx.tr.dec(h, 0))
                                .unwrap_or_else(|| "–".into()),
                        ]
                    })
                    .collect();
                if !acts.is_empty() {
                    blocks.push(Block::Table {
                        columns: vec![
                            Column::text(ctx.t("plan-col-code"), 2),
                            Column::text(ctx.t("plan-col-title"), 5),
                            Column::text(ctx.t("report-col-done"), 2),
                            Column::number(ctx.t("report-col-hours-planned"), 2),
                            Column::number(ctx.t("report-col-hours-allocated"), 2),
                        ],
                        rows: acts,
                    });
                }
            }
            if let Some(m) = doc["method"].as_str() {
                blocks.push(Block::Note(m.to_string()));
            }
        }
        None => {
            blocks.push(Block::Strong(ctx.t("report-eval-draft")));
            // How the plan's indicators stand now (the year's value and verdict).
            let statuses = super::indicators::statuses(ctx, store, ctx.period().1).await?;
            let mine: Vec<_> = statuses
                .iter()
                .filter(|s| v.document.objectives.iter().any(|o| o.code == s.objective))
                .collect();
            if !mine.is_empty() {
                blocks.push(super::indicators::table(ctx, &mine, true));
                blocks.extend(later_note(ctx, store).await?.map(Block::Note));
            }
            blocks.push(h2(format!("{} {year}", ctx.t("plan-col-action"))));
            blocks.push(actions_table(
                ctx,
                v.document.actions.iter().filter(|a| a.year == year),
            ));
        }
    }
    let title = ctx
        .tr
        .args("report-evaluation-title", &[("year", year.to_string())]);
    Ok(ctx.doc(title, ctx.zone.name.clone(), blocks))
}
