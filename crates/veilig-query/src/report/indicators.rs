//! The plan's priorities as reports print them: per priority its objectives and, per
//! objective, its indicators with their baseline and target, and in a year report the
//! year's value and the verdict as they stood at the year's end.
//!
//! Disclosure: the staff edition prints every value. An edition for councils and citizens
//! prints the values of indicators that rest on no incident or call records (the survey,
//! published statistics, values entered by hand) and the targets as the plan sets them;
//! a value counted from the zone's records there reads "in de interne editie", and the
//! verdict is the one the council's pages show (withheld where a count is under the
//! threshold).

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use veilig_monitor::{Source, Target};
use veilig_report::doc::{Block, Column};
use veilig_store::Store;

use super::{Ctx, h2};
use crate::monitor::IndicatorStatus;
use crate::plan::PlanView;

/// Whether an indicator's values may be printed in this edition.
fn values_shown(ctx: &Ctx<'_>, s: &IndicatorStatus) -> bool {
    !ctx.req.protected()
        || matches!(
            s.definition.source,
            Source::Survey { .. } | Source::Published { .. } | Source::Manual { .. }
        )
}

/// A value in the indicator's unit, as the reader writes it.
fn value(ctx: &Ctx<'_>, s: &IndicatorStatus, v: f64) -> String {
    crate::monitor::value_text(&ctx.tr, &s.unit, v)
}

fn baseline(ctx: &Ctx<'_>, s: &IndicatorStatus) -> String {
    let b = &s.baseline;
    let period = format!("{} – {}", ctx.tr.date(b.from), ctx.tr.date(b.to));
    let shown = match b.value {
        Some(v) if values_shown(ctx, s) => value(ctx, s, v),
        Some(_) => ctx.t("report-ind-internal"),
        None => "–".into(),
    };
    format!("{shown} ({period})")
}

/// The target as the plan sets it: a value or a change, and by when.
fn target(ctx: &Ctx<'_>, s: &IndicatorStatus) -> String {
    match &s.target.definition {
        Target::Value { value: v, by } => ctx.tr.args(
            "report-ind-target",
            &[("what", value(ctx, s, *v)), ("by", ctx.tr.date(*by))],
        ),
        Target::ChangePct { pct, by } => ctx.tr.args(
            "report-ind-target",
            &[("what", ctx.pct(Some(*pct))), ("by", ctx.tr.date(*by))],
        ),
    }
}

/// The value of the report's year: the newest measurement of a period inside the year.
fn year_value(ctx: &Ctx<'_>, s: &IndicatorStatus) -> String {
    let y = ctx.year();
    let m = s
        .measurements
        .iter()
        .filter(|m| m.period_start.year() == y && m.period_end.year() == y)
        .max_by_key(|m| (m.period_end, m.revision));
    match m {
        Some(m) if values_shown(ctx, s) => value(ctx, s, m.value),
        Some(_) => ctx.t("report-ind-internal"),
        None => "–".into(),
    }
}

fn verdict(ctx: &Ctx<'_>, s: &IndicatorStatus) -> String {
    let v = if ctx.req.protected() {
        s.disclosed_verdict(ctx.threshold)
    } else {
        s.verdict
    };
    ctx.t(&format!("ind-verdict-{v}"))
}

/// Per priority: its objectives and their indicators. `year` adds the year's value and
/// the verdict (a year report); without it, the plan as set (baseline and target).
pub(crate) async fn by_priority(
    ctx: &Ctx<'_>,
    store: &Store,
    plan: &PlanView,
    year: bool,
) -> Result<Vec<Block>> {
    let end = NaiveDate::from_ymd_opt(ctx.year(), 12, 31).expect("date");
    let day = if year { ctx.period().1 } else { end };
    let status = statuses(ctx, store, day).await?;
    let d = &plan.document;
    let mut out = Vec::new();
    for p in &d.priorities {
        out.push(h2(format!("{}: {}", p.code, p.title)));
        let objectives: Vec<_> = d
            .objectives
            .iter()
            .filter(|o| o.priority == p.code)
            .collect();
        if objectives.is_empty() {
            out.push(Block::Para(ctx.t("report-ind-no-objectives")));
            continue;
        }
        out.push(Block::List(
            objectives
                .iter()
                .map(|o| {
                    ctx.tr.args(
                        "report-ind-objective",
                        &[
                            ("code", o.code.clone()),
                            ("level", ctx.t(&format!("plan-level-{}", o.level.as_str()))),
                            ("statement", o.statement.clone()),
                            ("target", o.target.clone()),
                            ("due", ctx.tr.date(o.due)),
                        ],
                    )
                })
                .collect(),
        ));
        let mine: Vec<&IndicatorStatus> = status
            .iter()
            .filter(|s| objectives.iter().any(|o| o.code == s.objective))
            .collect();
        if mine.is_empty() {
            out.push(Block::Para(ctx.t("report-ind-none")));
            continue;
        }
        out.push(table(ctx, &mine, year));
        if year {
            out.extend(mine.iter().filter_map(|s| chart(ctx, s)));
        }
    }
    Ok(out)
}

/// An indicator's measurements up to the report's year end against its path, where the
/// edition may print its values and there is a course to draw (two periods or more).
fn chart(ctx: &Ctx<'_>, s: &IndicatorStatus) -> Option<Block> {
    if !values_shown(ctx, s) {
        return None;
    }
    let points = crate::monitor::progress_points(s, &ctx.tr, Some(ctx.period().1));
    (points.len() > 1).then(|| Block::Figure {
        svg: veilig_report::progress_chart(
            &points,
            &format!("{}: {}", s.code, s.name),
            &ctx.t("ind-path"),
            ctx.tr.decimal_mark(),
        ),
        caption: ctx.t("report-ind-chart-caption"),
        width_pct: 60,
    })
}

/// The indicators as they stood on `day` (the year's end, or the last covered day).
pub(crate) async fn statuses(
    ctx: &Ctx<'_>,
    store: &Store,
    day: NaiveDate,
) -> Result<Vec<IndicatorStatus>> {
    Ok(
        crate::monitor::status_through(store, ctx.zone, crate::plan::DEFAULT_RULES, Some(day))
            .await?
            .0,
    )
}

/// The indicators' table: code, name, baseline, target and, for a year, its value and the
/// verdict.
pub(crate) fn table(ctx: &Ctx<'_>, indicators: &[&IndicatorStatus], year: bool) -> Block {
    let mut columns = vec![
        Column::text(ctx.t("plan-col-code"), 3),
        Column::text(ctx.t("ind-col-name"), 5),
        Column::text(ctx.t("report-col-ind-baseline"), 4),
        Column::text(ctx.t("report-col-ind-target"), 3),
    ];
    if year {
        columns.push(Column::number(ctx.year().to_string(), 2));
        columns.push(Column::text(ctx.t("report-col-verdict"), 3));
    }
    let rows = indicators
        .iter()
        .map(|s| {
            let mut r = vec![
                s.code.clone(),
                s.name.clone(),
                baseline(ctx, s),
                target(ctx, s),
            ];
            if year {
                r.push(year_value(ctx, s));
                r.push(verdict(ctx, s));
            }
            r
        })
        .collect();
    Block::Table { columns, rows }
}
