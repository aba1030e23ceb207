//! The jaarverslag's traffic chapter: road safety as its own chapter, as Flemish zones
//! report it. The phenomena and the call category it covers are data of the priority
//! method (`[traffic]`, editable): their year in one sentence each (the same count and
//! verdict as the phenomena chapter), the plan's indicators that rest on them (baseline,
//! target, the year's value and verdict, under the edition's disclosure rules); the traffic
//! staff against its norm is in "de zone in cijfers".

use std::sync::Arc;

use anyhow::Result;
use veilig_monitor::Source;
use veilig_plan::Method;
use veilig_report::doc::Block;
use veilig_store::Store;

use super::row::Row;
use super::{Ctx, h1, h2};
use crate::figures::Detail;

pub(crate) async fn section(
    ctx: &Ctx<'_>,
    store: &Store,
    details: &[Arc<Detail>],
    rows: &[Row],
) -> Result<Vec<Block>> {
    let traffic = Method::builtin().traffic;
    if traffic.phenomena.is_empty() && traffic.calls.is_none() {
        return Ok(vec![]);
    }
    let mut out = vec![h1(ctx.t("report-traffic-title"))];
    let mut said = false;
    for (d, r) in details.iter().zip(rows) {
        if traffic.phenomena.contains(&d.def.code) {
            out.push(Block::Strong(super::row::headline(ctx, r)));
            said = true;
        }
    }
    if !said {
        out.push(Block::Para(ctx.t("report-traffic-no-facts")));
    }
    let statuses = super::indicators::statuses(ctx, store, ctx.period().1).await?;
    let mine: Vec<_> = statuses
        .iter()
        .filter(|s| match &s.definition.source {
            Source::Incidents { phenomenon, .. } => traffic.phenomena.contains(phenomenon),
            Source::Calls { category, .. } => {
                category.is_some() && category.as_deref() == traffic.calls.as_deref()
            }
            _ => false,
        })
        .collect();
    out.push(h2(ctx.t("report-traffic-indicators")));
    out.push(if mine.is_empty() {
        Block::Para(ctx.t("report-traffic-no-indicators"))
    } else {
        super::indicators::table(ctx, &mine, true)
    });
    Ok(out)
}
