//! The jaarverslag: the zone's year for the police council (exact figures at zone and
//! municipality level) or for citizens (every figure from the protected tables). Per
//! phenomenon the same count, comparison and verdict as `veilig picture` and the pages, its
//! months as a chart, its municipalities; then the plan's priorities and how its indicators
//! stand, the population survey, and the method.

use std::sync::Arc;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use veilig_disclosure::{PubPeriod, Status};
use veilig_report::doc::{Block, Column, Doc};

pub(crate) use super::row::{Row, headline};
use super::{Ctx, h1, h2, name_of};
use crate::figures::{Access, Detail, ZoneFigures};

pub(crate) async fn details(ctx: &Ctx<'_>, figs: &ZoneFigures<'_>) -> Result<Vec<Arc<Detail>>> {
    let (from, to) = ctx.period();
    let access = if ctx.req.protected() {
        Access::Aggregate
    } else {
        Access::Full
    };
    let mut out = Vec::new();
    for def in figs.phenomena_with_data().await?.iter() {
        out.push(
            figs.detail(def, veilig_analysis::Period::new(from, to), &access)
                .await?,
        );
    }
    Ok(out)
}

/// The summary row of one phenomenon; records the counts it prints.
pub(crate) fn row(ctx: &mut Ctx<'_>, d: &Detail) -> Row {
    let (from, to) = ctx.period();
    let before = |x: chrono::NaiveDate| x.with_year(x.year() - 1).expect("1 January/31 December");
    let s = &d.summary;
    let name = name_of(ctx.req.lang, &s.name_nl, &s.name_fr, &s.name_en);
    let count = ctx.count(&s.code, "zone", from, to, s.count, s.count_status);
    let previous = ctx.count(
        &s.code,
        "zone",
        before(from),
        before(to),
        s.baseline,
        s.baseline_status,
    );
    let trend = match &s.trend {
        // "−3,5 % [−6,0; −1,1]": the interval without its own per-cent signs, so the
        // column stays one line wide.
        Some(t) => {
            let bound = |v: f64| ctx.pct(Some(v)).trim_end_matches(" %").to_string();
            format!(
                "{} [{}; {}]",
                ctx.pct(Some(t.annual_change_pct)),
                bound(t.annual_change_low_pct),
                bound(t.annual_change_high_pct)
            )
        }
        None => "–".into(),
    };
    Row {
        name,
        count,
        previous,
        change: ctx.pct(s.change_pct),
        p: ctx.p(s.p_value),
        verdict: ctx.verdict(s.verdict),
        rate: ctx.rate(s.zone_rate_per_1000),
        trend,
    }
}

/// The table of every phenomenon (no total: the phenomena overlap).
pub(crate) fn summary_table(ctx: &Ctx<'_>, rows: &[Row]) -> Block {
    let y = ctx.year();
    Block::Table {
        columns: vec![
            Column::text(ctx.t("report-col-phenomenon"), 7),
            Column::number(y.to_string(), 3),
            Column::number((y - 1).to_string(), 3),
            Column::number(ctx.t("report-col-change"), 4),
            Column::number("p", 3),
            Column::text(ctx.t("report-col-verdict"), 5),
            Column::number(ctx.t("report-col-rate"), 3),
            Column::number(ctx.t("report-col-trend"), 8),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    r.count.clone(),
                    r.previous.clone(),
                    r.change.clone(),
                    r.p.clone(),
                    r.verdict.clone(),
                    r.rate.clone(),
                    r.trend.clone(),
                ]
            })
            .collect(),
    }
}

/// Where a phenomenon's figures come from.
pub(crate) fn source_note(ctx: &Ctx<'_>, d: &Detail) -> String {
    let (from, to) = ctx.period();
    let batches: Vec<String> = d
        .loaded
        .provenance
        .batches
        .iter()
        .map(|b| format!("{} ({})", b.source, b.file))
        .collect();
    ctx.tr.args(
        if ctx.req.protected() {
            "report-source-public"
        } else {
            "report-source"
        },
        &[
            ("from", from.to_string()),
            ("to", to.to_string()),
            ("batches", batches.join("; ")),
        ],
    )
}

/// The monthly chart of the edition: the full series with its expected band, or the
/// published months with hidden ones marked.
pub(crate) fn monthly_figure(ctx: &mut Ctx<'_>, d: &Detail, name: &str) -> Block {
    for (month, v) in &d.summary.monthly {
        if let Ok(start) = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d") {
            let end = start
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .expect("date");
            ctx.record(&d.def.code, "zone", start, end, *v);
        }
    }
    let title = ctx
        .tr
        .args("report-monthly-title", &[("name", name.to_string())]);
    let svg = if ctx.req.protected() {
        veilig_report::month_bars(&d.summary.monthly, &title, &ctx.t("report-hidden"))
    } else {
        let first = format!("{:04}-01", ctx.year() - 2);
        let last = format!("{:04}-12", ctx.year());
        let series: Vec<_> = d
            .picture
            .monthly
            .iter()
            .filter(|m| m.month >= first && m.month <= last)
            .cloned()
            .collect();
        veilig_report::line_chart(&series, &title, &ctx.t("report-band"))
    };
    Block::Figure {
        svg,
        caption: ctx.t(if ctx.req.protected() {
            "report-monthly-caption-public"
        } else {
            "report-monthly-caption"
        }),
        width_pct: 100,
    }
}

/// Per municipality: the count of the year and per 1,000 inhabitants (exact, or from the
/// public table).
fn municipalities(
    ctx: &mut Ctx<'_>,
    d: &Detail,
    public: Option<&crate::figures::Public>,
    names: &[(String, String)],
) -> Option<Block> {
    let (from, to) = ctx.period();
    let code = d.def.code.clone();
    let mut rows = Vec::new();
    match public {
        Some(p) => {
            let r = p.rows.iter().find(|r| r.code == code)?;
            for (i, (v, st)) in r.cells.iter().zip(&r.cell_status).enumerate() {
                let (unit, label) = match p.municipalities.get(i) {
                    Some((nis, name)) => (format!("m:{nis}"), name.clone()),
                    None => ("nl".to_string(), ctx.t("report-not-located")),
                };
                let c = ctx.count(&code, &unit, from, to, *v, *st);
                rows.push(vec![label, c]);
            }
            Some(Block::Table {
                columns: vec![
                    Column::text(ctx.t("report-col-municipality"), 5),
                    Column::number(ctx.year().to_string(), 2),
                ],
                rows,
            })
        }
        None => {
            if d.picture.municipalities.is_empty() {
                return None;
            }
            for m in &d.picture.municipalities {
                let name = names
                    .iter()
                    .find(|(nis, _)| nis == &m.code)
                    .map(|x| x.1.clone())
                    .unwrap_or_else(|| m.code.clone());
                let c = ctx.count(
                    &code,
                    &format!("m:{}", m.code),
                    from,
                    to,
                    Some(m.count),
                    Status::Shown,
                );
                rows.push(vec![name, c, ctx.rate(m.rate_per_1000)]);
            }
            Some(Block::Table {
                columns: vec![
                    Column::text(ctx.t("report-col-municipality"), 5),
                    Column::number(ctx.year().to_string(), 2),
                    Column::number(ctx.t("report-col-rate"), 2),
                ],
                rows,
            })
        }
    }
}

/// The labelled comparisons of the full picture (the Compstat windows at the year's end).
fn comparisons(ctx: &Ctx<'_>, d: &Detail) -> Block {
    Block::Table {
        columns: vec![
            Column::text(ctx.t("report-col-comparison"), 5),
            Column::text(ctx.t("report-col-period"), 4),
            Column::number(ctx.t("report-col-count"), 2),
            Column::number(ctx.t("report-col-baseline"), 2),
            Column::number(ctx.t("report-col-change"), 2),
            Column::number("p", 2),
            Column::text(ctx.t("report-col-verdict"), 4),
        ],
        rows: d
            .picture
            .comparisons
            .iter()
            .map(|lc| {
                let c = &lc.comparison;
                vec![
                    ctx.t(&format!("report-comparison-{}", lc.label)),
                    format!("{} – {}", lc.current.start, lc.current.end),
                    ctx.tr.int(c.current),
                    ctx.tr.dec(c.baseline_per_period.unwrap_or(c.baseline), 1),
                    ctx.pct(c.change_pct),
                    ctx.p(Some(c.p_value)),
                    ctx.verdict(c.verdict),
                ]
            })
            .collect(),
    }
}

pub(crate) async fn build(ctx: &mut Ctx<'_>, figs: &ZoneFigures<'_>) -> Result<Doc> {
    let year = ctx.year();
    let (from, to) = ctx.period();
    if ctx.req.protected() {
        // The editions under disclosure control exist only for a published year: complete
        // in the data.
        if PubPeriod::of(from, to).is_none()
            || figs
                .complete_through()
                .await?
                .is_none_or(|through| through < to)
        {
            anyhow::bail!(
                "{year} is not a complete year in the data: the council and public editions publish complete calendar years only (the staff edition, --staff, holds any year)"
            );
        }
    }
    let details = details(ctx, figs).await?;
    for d in &details {
        ctx.batches_of(&d.loaded.provenance);
    }
    let public = if ctx.req.protected() {
        Some(figs.public(veilig_analysis::Period::new(from, to)).await?)
    } else {
        None
    };
    let names: Vec<(String, String)> = figs
        .store_ref()
        .municipalities(ctx.zone.id)
        .await?
        .into_iter()
        .map(|m| (m.nis.as_str().to_string(), m.name_nl))
        .collect();
    let rows: Vec<Row> = details.iter().map(|d| row(ctx, d)).collect();
    let mut blocks = super::foreword::chapter(ctx, figs.store_ref()).await?;
    blocks.extend([
        h1(ctx.t("report-summary")),
        Block::Strong(ctx.t("report-key-title")),
        super::key_messages::messages(ctx, figs.store_ref(), &details, &rows).await?,
        Block::Para(ctx.tr.args(
            "report-summary-intro",
            &[("year", year.to_string()), ("n", rows.len().to_string())],
        )),
        summary_table(ctx, &rows),
        Block::Note(ctx.t(if ctx.req.protected() {
            "report-method-public"
        } else {
            "report-method"
        })),
    ]);
    blocks.extend(super::in_figures::section(ctx, figs.store_ref()).await?);
    blocks.push(h1(ctx.t("report-phenomena")));
    for (d, r) in details.iter().zip(&rows) {
        blocks.push(Block::PageBreak);
        blocks.push(h2(r.name.clone()));
        blocks.push(Block::Strong(headline(ctx, r)));
        blocks.push(monthly_figure(ctx, d, &r.name));
        if let Some(t) = municipalities(ctx, d, public.as_deref(), &names) {
            blocks.push(t);
        }
        if let Some(t) = &d.summary.trend {
            for (y, c) in t.years.iter().zip(&t.counts) {
                let (a, b) = (
                    NaiveDate::from_ymd_opt(*y, 1, 1).expect("date"),
                    NaiveDate::from_ymd_opt(*y, 12, 31).expect("date"),
                );
                ctx.record(&d.def.code, "zone", a, b, Some(*c));
            }
            let series: Vec<(String, Option<u64>)> = t
                .years
                .iter()
                .zip(&t.counts)
                .map(|(y, c)| (y.to_string(), Some(*c)))
                .collect();
            blocks.push(Block::Figure {
                svg: veilig_report::bars(
                    &series,
                    &ctx.tr
                        .args("report-years-title", &[("name", r.name.clone())]),
                    &ctx.t("report-hidden"),
                    |y| Some(y.to_string()),
                ),
                caption: ctx.t("report-years-caption"),
                width_pct: 70,
            });
            blocks.push(Block::Para(ctx.tr.args(
                "report-trend",
                &[
                    ("change", ctx.pct(Some(t.annual_change_pct))),
                    ("low", ctx.pct(Some(t.annual_change_low_pct))),
                    ("high", ctx.pct(Some(t.annual_change_high_pct))),
                    ("p", ctx.p(Some(t.p_value))),
                    (
                        "years",
                        format!(
                            "{}–{}",
                            t.years.first().copied().unwrap_or(year),
                            t.years.last().copied().unwrap_or(year)
                        ),
                    ),
                ],
            )));
        }
        if !ctx.req.protected() {
            // The second page: the Compstat windows at the year's end and the hours.
            blocks.push(Block::PageBreak);
            blocks.push(Block::Strong(
                ctx.tr
                    .args("report-detail-heading", &[("name", r.name.clone())]),
            ));
            blocks.push(comparisons(ctx, d));
            let days: Vec<String> = DAYS.iter().map(|k| ctx.t(k)).collect();
            let labels: [&str; 7] = std::array::from_fn(|i| days[i].as_str());
            blocks.push(Block::Figure {
                svg: veilig_report::heat_table(
                    &d.picture.hour_weekday,
                    &ctx.t("report-heat-title"),
                    &labels,
                ),
                caption: ctx.t("report-heat-caption"),
                width_pct: 100,
            });
        }
        blocks.push(Block::Note(source_note(ctx, d)));
    }
    let store = figs.store_ref();
    blocks.extend(super::wijken::section(ctx, store, &details).await?);
    blocks.extend(super::traffic::section(ctx, store, &details, &rows).await?);
    blocks.extend(super::plan::plan_section(ctx, store).await?);
    let plan = super::plan::year_plan(ctx, store).await?;
    blocks.extend(super::capacity::section(ctx, store, plan.as_ref()).await?);
    blocks.extend(super::survey::survey_section(ctx, figs.store_ref(), None).await?);
    blocks.extend(super::methods::section(ctx));
    let title = ctx
        .tr
        .args("report-jaarverslag-title", &[("year", year.to_string())]);
    let subtitle = ctx.zone.name.clone();
    Ok(ctx.doc(title, subtitle, blocks))
}

/// The weekday keys, Monday first.
const DAYS: [&str; 7] = [
    "day-0", "day-1", "day-2", "day-3", "day-4", "day-5", "day-6",
];
