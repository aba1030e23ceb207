//! The jaarverslag's wijk chapter: for each phenomenon the plan in force made a priority
//! (or, without a plan, the three with the most facts), a map of the year's rate per 1,000
//! inhabitants per wijk and the table beside it, so that a council sees where.
//!
//! The staff edition prints the exact counts. The editions for councils and citizens print
//! no wijk count: a year's wijk counts are not among the tables disclosure control
//! publishes, and a report prints only what the views publish (the attack test checks every
//! printed figure against them); they say where the council finds the wijk figures.

use std::sync::Arc;

use anyhow::Result;
use veilig_disclosure::Status;
use veilig_report::doc::{Block, Column};
use veilig_store::Store;

use super::{Ctx, h1, h2};
use crate::figures::Detail;

/// The phenomena the chapter covers: the plan's priority subjects with data, else the
/// three with the most facts.
async fn chosen<'a>(
    ctx: &Ctx<'_>,
    store: &Store,
    details: &'a [Arc<Detail>],
) -> Result<Vec<&'a Arc<Detail>>> {
    let subjects: Vec<String> = super::plan::year_plan(ctx, store)
        .await?
        .map(|p| {
            p.document
                .priorities
                .iter()
                .map(|x| x.subject.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut out: Vec<&Arc<Detail>> = details
        .iter()
        .filter(|d| subjects.contains(&d.def.code))
        .collect();
    if out.is_empty() {
        out = details.iter().collect();
        out.sort_by_key(|d| std::cmp::Reverse(d.summary.count.unwrap_or(0)));
        out.truncate(3);
    }
    Ok(out)
}

pub(crate) async fn section(
    ctx: &mut Ctx<'_>,
    store: &Store,
    details: &[Arc<Detail>],
) -> Result<Vec<Block>> {
    let chosen = chosen(ctx, store, details).await?;
    if chosen.iter().all(|d| d.loaded.areas.is_empty()) {
        return Ok(vec![]);
    }
    if ctx.req.protected() {
        // The wijk counts of a calendar year are not among the published tables: an edition
        // under disclosure control prints none (the attack test holds it to that).
        return Ok(vec![
            h1(ctx.t("report-wijken-title")),
            Block::Para(ctx.t("report-wijken-protected")),
        ]);
    }
    let mut out = vec![
        h1(ctx.t("report-wijken-title")),
        Block::Para(ctx.t("report-wijken-intro")),
    ];
    for d in chosen {
        out.extend(one(ctx, d));
    }
    Ok(out)
}

/// One phenomenon's map and table.
fn one(ctx: &mut Ctx<'_>, d: &Detail) -> Vec<Block> {
    let (from, to) = ctx.period();
    let name = super::name_of(
        ctx.req.lang,
        &d.summary.name_nl,
        &d.summary.name_fr,
        &d.summary.name_en,
    );
    let areas = &d.picture.areas;
    let shapes: Vec<(&veilig_domain::MultiPolygon, Option<f64>, String)> = areas
        .iter()
        .filter_map(|a| {
            d.loaded
                .areas
                .iter()
                .find(|x| x.code == a.code)
                .map(|x| (&x.geometry, a.rate_per_1000, a.name.clone()))
        })
        .collect();
    let title = ctx
        .tr
        .args("report-wijken-map-title", &[("name", name.clone())]);
    let svg = veilig_report::choropleth(&shapes, &title);
    let code = d.def.code.clone();
    let table_rows: Vec<Vec<String>> = areas
        .iter()
        .map(|a| {
            let unit = format!("a:{}", a.code);
            let shown = ctx.count(&code, &unit, from, to, Some(a.count), Status::Shown);
            vec![a.name.clone(), shown, ctx.rate(a.rate_per_1000)]
        })
        .collect();
    let mut out = vec![h2(name)];
    if !svg.is_empty() {
        out.push(Block::Figure {
            svg,
            caption: ctx.t("report-wijken-caption"),
            width_pct: 80,
        });
    }
    out.push(Block::Table {
        columns: vec![
            Column::text(ctx.t("report-col-wijk"), 5),
            Column::number(ctx.year().to_string(), 2),
            Column::number(ctx.t("report-col-rate"), 2),
        ],
        rows: table_rows,
    });
    out
}
