//! The jaarverslag's wijk chapter: for each phenomenon the plan in force made a priority
//! (or, without a plan, the three with the most facts), a map of the year's rate per 1,000
//! inhabitants per wijk and the table beside it, so that a council sees where.
//!
//! The staff edition prints the exact counts. The editions for councils and citizens print
//! the wijk figures of the calendar year as the published tables hold them (the same cells
//! the council's phenomenon pages and the API show, hidden where they are hidden), so a
//! report prints nothing the views do not publish (the attack test checks every printed
//! figure against them). Where the rules publish no wijk figures, or the report's period is
//! not a calendar year, such an edition prints none and says so.

use std::sync::Arc;

use anyhow::Result;
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
    if ctx.req.protected() && chosen.iter().all(|d| d.areas.is_empty()) {
        // No published wijk figures for this period: an edition under disclosure control
        // prints none (the attack test holds it to that).
        return Ok(vec![
            h1(ctx.t("report-wijken-title")),
            Block::Para(ctx.t("report-wijken-protected")),
        ]);
    }
    let mut out = vec![
        h1(ctx.t("report-wijken-title")),
        Block::Para(if ctx.req.protected() {
            ctx.tr.args(
                "report-wijken-intro-protected",
                &[("threshold", ctx.threshold.to_string())],
            )
        } else {
            ctx.t("report-wijken-intro")
        }),
    ];
    for d in chosen {
        out.extend(one(ctx, d));
    }
    Ok(out)
}

/// One phenomenon's map and table: the wijk figures of the detail (exact in the staff
/// edition, the published cells in the others).
fn one(ctx: &mut Ctx<'_>, d: &Detail) -> Vec<Block> {
    let (from, to) = ctx.period();
    let name = super::name_of(
        ctx.req.lang,
        &d.summary.name_nl,
        &d.summary.name_fr,
        &d.summary.name_en,
    );
    let shapes: Vec<(&veilig_domain::MultiPolygon, Option<f64>, String)> = d
        .areas
        .iter()
        .filter_map(|a| {
            d.loaded
                .areas
                .iter()
                .find(|x| x.id == a.area_id)
                .map(|x| (&x.geometry, a.rate_per_1000, a.name.clone()))
        })
        .collect();
    let title = ctx
        .tr
        .args("report-wijken-map-title", &[("name", name.clone())]);
    let svg = veilig_report::choropleth(&shapes, &title, ctx.tr.decimal_mark());
    let code = d.def.code.clone();
    let table_rows: Vec<Vec<String>> = d
        .areas
        .iter()
        .map(|a| {
            let unit = format!("a:{}", a.code);
            let shown = ctx.count(&code, &unit, from, to, a.count, a.status);
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
