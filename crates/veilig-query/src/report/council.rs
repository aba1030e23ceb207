//! The council brief: one municipality's year for its municipal council: its figures against
//! the zone's (exact, or in the public edition from the published tables with verdicts
//! computed from shown figures only), its part of the plan, and what its inhabitants said in
//! the population survey.

use anyhow::{Context, Result};
use chrono::Datelike;
use veilig_analysis::compare::compare;
use veilig_analysis::{Period, TestRules, Verdict};
use veilig_disclosure::Status;
use veilig_report::doc::{Block, Column, Doc};

use super::survey::survey_section;
use super::{Ctx, h1};
use crate::figures::{Access, ZoneFigures};

/// A phenomenon's count in the municipality in a year, and whether it is shown.
struct Cell {
    count: Option<u64>,
    status: Status,
    rate: Option<f64>,
}

pub(crate) async fn build(ctx: &mut Ctx<'_>, figs: &ZoneFigures<'_>) -> Result<Doc> {
    let nis = ctx
        .req
        .municipality
        .clone()
        .context("a council brief names its municipality")?;
    let store = figs.store_ref();
    let muni = store
        .municipalities(ctx.zone.id)
        .await?
        .into_iter()
        .find(|m| m.nis.as_str() == nis)
        .with_context(|| {
            format!(
                "municipality {nis} is not part of zone {}",
                ctx.zone.code.as_str()
            )
        })?;
    let name = match ctx.req.lang {
        veilig_i18n::Lang::Fr if !muni.name_fr.is_empty() => muni.name_fr.clone(),
        _ => muni.name_nl.clone(),
    };
    let year = ctx.year();
    let (from, to) = ctx.period();
    let period = Period::new(from, to);
    let before = Period::new(
        from.with_year(year - 1).expect("date"),
        to.with_year(year - 1).expect("date"),
    );
    let zone_details = super::jaarverslag::details(ctx, figs).await?;
    for d in &zone_details {
        ctx.batches_of(&d.loaded.provenance);
    }
    let zone_rows: Vec<super::jaarverslag::Row> = zone_details
        .iter()
        .map(|d| super::jaarverslag::row(ctx, d))
        .collect();
    // The municipality's figures: its wijken's picture (exact), or the published table.
    let areas: Vec<i64> = store
        .areas(ctx.zone.id)
        .await?
        .into_iter()
        .filter(|a| a.municipality_nis.as_deref() == Some(nis.as_str()))
        .map(|a| a.id)
        .collect();
    let (public_now, public_before) = if ctx.req.protected() {
        (
            Some(figs.public(period).await?),
            figs.public(before).await.ok(),
        )
    } else {
        (None, None)
    };
    let mut rows = Vec::new();
    for (d, zr) in zone_details.iter().zip(&zone_rows) {
        let code = d.def.code.clone();
        let (now, prev, verdict, change) = match (&public_now, &public_before) {
            (Some(p), pb) => {
                let cell = |t: &crate::figures::Public| -> Option<Cell> {
                    let i = t.municipalities.iter().position(|m| m.0 == nis)?;
                    let r = t.rows.iter().find(|r| r.code == code)?;
                    Some(Cell {
                        count: r.cells[i],
                        status: r.cell_status[i],
                        rate: None,
                    })
                };
                let now = cell(p).unwrap_or(Cell {
                    count: None,
                    status: Status::Primary,
                    rate: None,
                });
                let prev = pb.as_ref().and_then(|t| cell(t));
                let (verdict, change) = match (now.count, prev.as_ref().and_then(|c| c.count)) {
                    (Some(a), Some(b)) => {
                        let c = compare(a, period.days(), b, before.days(), TestRules::default());
                        (c.verdict, c.change_pct)
                    }
                    _ => (Verdict::Withheld, None),
                };
                (now, prev, verdict, change)
            }
            _ => {
                let md = figs
                    .detail(&d.def, period, &Access::Areas(areas.clone()))
                    .await?;
                let c = &md.picture.comparison.comparison;
                let rate = md
                    .picture
                    .municipalities
                    .iter()
                    .find(|m| m.code == nis)
                    .and_then(|m| m.rate_per_1000);
                (
                    Cell {
                        count: Some(c.current),
                        status: Status::Shown,
                        rate,
                    },
                    Some(Cell {
                        count: Some(c.baseline_events),
                        status: Status::Shown,
                        rate: None,
                    }),
                    c.verdict,
                    c.change_pct,
                )
            }
        };
        let unit = format!("m:{nis}");
        let now_text = ctx.count(&code, &unit, from, to, now.count, now.status);
        let prev_text = match &prev {
            Some(p) => ctx.count(&code, &unit, before.start, before.end, p.count, p.status),
            None => "–".into(),
        };
        rows.push(vec![
            zr.name.clone(),
            now_text,
            prev_text,
            ctx.pct(change),
            ctx.verdict(verdict),
            ctx.rate(now.rate),
            zr.count.clone(),
            zr.rate.clone(),
            zr.verdict.clone(),
        ]);
    }
    let y = year.to_string();
    let mut blocks = vec![
        h1(ctx
            .tr
            .args("report-council-figures", &[("name", name.clone())])),
        Block::Para(ctx.tr.args(
            "report-council-intro",
            &[("name", name.clone()), ("year", y.clone())],
        )),
        Block::Table {
            columns: vec![
                Column::text(ctx.t("report-col-phenomenon"), 7),
                Column::number(format!("{name} {y}"), 3),
                Column::number((year - 1).to_string(), 3),
                Column::number(ctx.t("report-col-change"), 4),
                Column::text(ctx.t("report-col-verdict"), 5),
                Column::number(ctx.t("report-col-rate"), 3),
                Column::number(format!("{} {y}", ctx.t("report-col-zone")), 3),
                Column::number(ctx.t("report-col-rate"), 3),
                Column::text(ctx.t("report-col-zone-verdict"), 5),
            ],
            rows,
        },
        Block::Note(ctx.t(if ctx.req.protected() {
            "report-method-public"
        } else {
            "report-method"
        })),
    ];
    blocks.extend(super::plan::municipality_section(ctx, store, &name).await?);
    blocks.extend(survey_section(ctx, store, Some((&nis, &name))).await?);
    let title = ctx.tr.args(
        "report-council-title",
        &[("name", name.clone()), ("year", y)],
    );
    Ok(ctx.doc(title, ctx.zone.name.clone(), blocks))
}
