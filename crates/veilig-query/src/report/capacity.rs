//! The jaarverslag's service and capacity chapter: per functionality the staff's net
//! schedulable hours for a year beside the hours the zone-wide norms claim, and the hours
//! the plan's actions of the year asked per priority against what the allocation could
//! staff (the same allocation `veilig capacity allocate --plan` and the yearly evaluation
//! compute).

use anyhow::Result;
use veilig_capacity::norms::Ruleset;
use veilig_report::doc::{Block, Column};
use veilig_store::Store;

use super::{Ctx, h1, h2};
use crate::capacity::{norm_check, teams_and_floors};
use crate::plan::PlanView;

pub(crate) async fn section(
    ctx: &Ctx<'_>,
    store: &Store,
    plan: Option<&PlanView>,
) -> Result<Vec<Block>> {
    let nc = norm_check(store, ctx.zone, Ruleset::builtin()).await?;
    if nc.staff.is_empty() {
        return Ok(vec![]);
    }
    let (teams, floors) = teams_and_floors(&nc);
    let mut out = vec![
        h1(ctx.t("report-capacity-title")),
        h2(ctx.t("report-capacity-hours-title")),
    ];
    let hours = |h: f64| ctx.tr.int(h.round().max(0.0) as u64);
    let rows = veilig_domain::Functionality::ALL
        .iter()
        .filter_map(|f| {
            let team = teams.iter().find(|t| t.functionality == f.as_str());
            let floor = floors.iter().find(|x| x.functionality == f.as_str());
            (team.is_some() || floor.is_some()).then(|| {
                let have = team.map_or(0.0, |t| t.hours);
                let need = floor.map(|x| x.hours);
                vec![
                    ctx.t(&format!("functionality-{}", f.as_str())),
                    hours(have),
                    need.map(hours).unwrap_or_else(|| "–".into()),
                    need.map(|n| hours(have - n)).unwrap_or_else(|| "–".into()),
                ]
            })
        })
        .collect();
    out.push(Block::Table {
        columns: vec![
            Column::text(ctx.t("report-col-functionality"), 4),
            Column::number(ctx.t("report-col-hours-net"), 3),
            Column::number(ctx.t("report-col-hours-norm"), 3),
            Column::number(ctx.t("report-col-hours-free"), 3),
        ],
        rows,
    });
    out.push(Block::Note(ctx.tr.args(
        "report-capacity-hours-note",
        &[("net", ctx.tr.dec(nc.net.schedulable, 0))],
    )));
    if let Some(p) = plan {
        out.extend(plan_hours(ctx, store, p).await?);
    }
    Ok(out)
}

/// Per priority: the hours the year's actions asked and the hours the allocation staffed.
async fn plan_hours(ctx: &Ctx<'_>, store: &Store, plan: &PlanView) -> Result<Vec<Block>> {
    let lines =
        crate::capacity::allocation::plan_year_allocation(store, ctx.zone, &plan.code, ctx.year())
            .await?;
    let mut out = vec![h2(ctx.tr.args(
        "report-capacity-plan-title",
        &[("year", ctx.year().to_string())],
    ))];
    if lines.is_empty() {
        out.push(Block::Para(ctx.t("report-no-year-actions")));
        return Ok(out);
    }
    let d = &plan.document;
    let priority_of = |action: &str| {
        d.actions
            .iter()
            .find(|a| a.code == action)
            .and_then(|a| d.objectives.iter().find(|o| o.code == a.objective))
            .map(|o| o.priority.clone())
    };
    let hours = |h: f64| ctx.tr.int(h.round().max(0.0) as u64);
    let mut rows = Vec::new();
    for p in &d.priorities {
        let (asked, staffed) = lines
            .iter()
            .filter(|(code, ..)| priority_of(code).as_deref() == Some(p.code.as_str()))
            .fold((0.0, 0.0), |(a, s), (_, x, y)| (a + x, s + y));
        if asked > 0.0 {
            rows.push(vec![
                format!("{}: {}", p.code, p.title),
                hours(asked),
                hours(staffed),
            ]);
        }
    }
    let (asked, staffed) = lines
        .iter()
        .fold((0.0, 0.0), |(a, s), (_, x, y)| (a + x, s + y));
    rows.push(vec![
        ctx.t("report-capacity-all"),
        hours(asked),
        hours(staffed),
    ]);
    out.push(Block::Table {
        columns: vec![
            Column::text(ctx.t("report-col-priority"), 6),
            Column::number(ctx.t("report-col-hours-planned"), 2),
            Column::number(ctx.t("report-col-hours-allocated"), 2),
        ],
        rows,
    });
    out.push(Block::Note(ctx.t("report-capacity-plan-note")));
    Ok(out)
}
