//! "De zone in cijfers": the zone's size and its means in the report's year: inhabitants,
//! area, municipalities and wijken, the staff per functionality against the norm, the calls
//! for service per priority (against the year before, with a verdict), the interventions
//! and the response times (median and 90th percentile with their intervals).
//!
//! Calls are counted over the days their data cover completely (to the end of the last
//! complete month), the year before over the same days; a year the calls do not reach says
//! so instead of printing zeros. In the editions for councils and citizens, a response time
//! resting on fewer calls than the disclosure threshold is withheld, the priorities are shown
//! one by one only when no count of theirs (either year, calls without an intervention
//! included) lies between 0 and the threshold, and a total row with such a count is hidden.

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use veilig_analysis::{TestRules, compare};
use veilig_capacity::norms::Ruleset;
use veilig_report::doc::{Block, Column};
use veilig_store::{CallPriority, Store};

use super::{Ctx, h1, h2};
use crate::capacity::NormCheck;

/// The days of the report's year the calls cover completely (None: none).
async fn call_days(ctx: &Ctx<'_>, store: &Store) -> Result<Option<(NaiveDate, NaiveDate)>> {
    let (first, last) = (
        store.first_call_day(ctx.zone.id).await?,
        store.last_call_day(ctx.zone.id).await?,
    );
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(None);
    };
    let through = veilig_disclosure::last_complete_month_end(last);
    let (from, to) = (
        NaiveDate::from_ymd_opt(ctx.year(), 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(ctx.year(), 12, 31).expect("date"),
    );
    let (from, to) = (from.max(first), to.min(through));
    Ok((from <= to).then_some((from, to)))
}

fn midnight(d: NaiveDate) -> chrono::NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight")
}

fn year_before(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, 2, 28).expect("date"))
}

async fn calls_in(
    store: &Store,
    zone: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CallPriority>> {
    Ok(store
        .call_priorities(zone, midnight(from), midnight(to.succ_opt().expect("date")))
        .await?)
}

/// The chapter, for every edition.
pub(crate) async fn section(ctx: &Ctx<'_>, store: &Store) -> Result<Vec<Block>> {
    let mut out = vec![h1(ctx.t("report-zone-title"))];
    let nc = crate::capacity::norm_check(store, ctx.zone, Ruleset::builtin()).await?;
    out.extend(size(ctx, store, &nc).await?);
    out.extend(staff(ctx, &nc));
    out.extend(calls(ctx, store).await?);
    Ok(out)
}

/// Inhabitants, area, municipalities and wijken.
async fn size(ctx: &Ctx<'_>, store: &Store, nc: &NormCheck) -> Result<Vec<Block>> {
    let municipalities = store.municipalities(ctx.zone.id).await?;
    let areas = store.areas(ctx.zone.id).await?;
    let mut facts = Vec::new();
    if nc.zone_pop > 0 {
        let date = nc
            .population_date
            .map(|d| ctx.tr.date(d))
            .unwrap_or_else(|| "–".into());
        facts.push((
            ctx.t("report-zone-inhabitants"),
            ctx.tr.args(
                "report-zone-inhabitants-value",
                &[("n", ctx.tr.int(nc.zone_pop as u64)), ("date", date)],
            ),
        ));
    }
    // Surface from the outlines, only where they are in metres.
    if ctx.zone.crs != 4326 && !areas.is_empty() {
        let outlines: Vec<_> = areas.iter().filter(|a| a.kind == "municipality").collect();
        let m2: f64 = if outlines.is_empty() {
            areas.iter().map(|a| a.geometry.area()).sum()
        } else {
            outlines.iter().map(|a| a.geometry.area()).sum()
        };
        facts.push((
            ctx.t("report-zone-area"),
            format!("{} km²", ctx.tr.dec(m2 / 1e6, 1)),
        ));
    }
    if !municipalities.is_empty() {
        let names: Vec<String> = municipalities
            .iter()
            .map(|m| match ctx.req.lang {
                veilig_i18n::Lang::Fr if !m.name_fr.is_empty() => m.name_fr.clone(),
                _ => m.name_nl.clone(),
            })
            .collect();
        facts.push((
            ctx.t("report-zone-municipalities"),
            format!("{} ({})", names.len(), names.join(", ")),
        ));
    }
    let wijken = areas.iter().filter(|a| a.kind == "wijk").count();
    if wijken > 0 {
        facts.push((ctx.t("report-zone-wijken"), wijken.to_string()));
    }
    let fte: f64 = nc.staff.iter().map(|s| s.fte).sum();
    if !nc.staff.is_empty() {
        facts.push((
            ctx.t("report-zone-staff"),
            ctx.tr.args(
                "report-zone-staff-value",
                &[
                    ("fte", ctx.tr.dec(fte, 1)),
                    ("heads", nc.staff.len().to_string()),
                ],
            ),
        ));
    }
    Ok(if facts.is_empty() {
        vec![]
    } else {
        vec![Block::Facts(facts)]
    })
}

/// FTE per functionality beside the norms that apply to the zone as a whole.
fn staff(ctx: &Ctx<'_>, nc: &NormCheck) -> Vec<Block> {
    if nc.staff.is_empty() {
        return vec![];
    }
    let mut rows = Vec::new();
    for f in veilig_domain::Functionality::ALL {
        let fte: f64 = nc
            .staff
            .iter()
            .filter(|s| s.functionality == f)
            .map(|s| s.fte)
            .sum();
        let norms: Vec<&veilig_capacity::Line> = nc
            .lines
            .iter()
            .filter(|l| l.functionality == f.as_str() && l.scope == "zone")
            .collect();
        if fte == 0.0 && norms.is_empty() {
            continue;
        }
        let norm = norms
            .iter()
            .map(|l| {
                format!(
                    "{} {}",
                    ctx.tr
                        .dec(l.required, if l.unit == "share" { 2 } else { 1 }),
                    ctx.t(&format!("report-unit-{}", l.unit))
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let met = if norms.is_empty() {
            "–".to_string()
        } else if norms.iter().any(|l| !l.checkable) {
            ctx.t("report-norm-uncheckable")
        } else if norms.iter().all(|l| l.met) {
            ctx.t("report-yes")
        } else {
            ctx.t("report-no")
        };
        let mut cites: Vec<&str> = norms.iter().map(|l| l.citation.as_str()).collect();
        cites.dedup();
        rows.push(vec![
            ctx.t(&format!("functionality-{}", f.as_str())),
            ctx.tr.dec(fte, 1),
            if norm.is_empty() { "–".into() } else { norm },
            met,
            cites.join("; "),
        ]);
    }
    vec![
        h2(ctx.t("report-zone-staff-title")),
        Block::Table {
            columns: vec![
                Column::text(ctx.t("report-col-functionality"), 4),
                Column::number(ctx.t("report-col-fte"), 2),
                Column::text(ctx.t("report-col-norm"), 3),
                Column::text(ctx.t("report-col-met"), 2),
                Column::text(ctx.t("report-col-citation"), 5),
            ],
            rows,
        },
        Block::Note(ctx.t("report-zone-staff-note")),
    ]
}

/// Calls per priority against the same days a year before, the interventions and the
/// response times.
async fn calls(ctx: &Ctx<'_>, store: &Store) -> Result<Vec<Block>> {
    let mut out = vec![h2(ctx.t("report-zone-calls-title"))];
    let Some((from, to)) = call_days(ctx, store).await? else {
        out.push(Block::Para(ctx.tr.args(
            "report-zone-no-calls",
            &[("year", ctx.year().to_string())],
        )));
        return Ok(out);
    };
    let now = calls_in(store, ctx.zone.id, from, to).await?;
    let (bfrom, bto) = (year_before(from), year_before(to));
    let first = store.first_call_day(ctx.zone.id).await?;
    let before = if first.is_some_and(|f| f <= bfrom) {
        Some(calls_in(store, ctx.zone.id, bfrom, bto).await?)
    } else {
        None
    };
    let protected = ctx.req.protected();
    let threshold = ctx.threshold.max(1) as i64;
    // Under disclosure control no count from 1 to under the threshold is printed or can be
    // derived: the priorities one by one only when every count of every priority, both years,
    // and each priority's calls without an intervention are 0 or at least the threshold.
    let small = |v: i64| protected && v > 0 && v < threshold;
    let one_by_one = !now
        .iter()
        .chain(before.iter().flatten())
        .any(|c| small(c.calls) || small(c.interventions) || small(c.calls - c.interventions));
    let days = |a: NaiveDate, b: NaiveDate| (b - a).num_days() as f64 + 1.0;
    let rules = TestRules {
        alpha: 0.05,
        min_events: 10,
    };
    let line = |label: String, cur: i64, inter: i64, base: Option<i64>| -> Vec<String> {
        if small(cur) || small(inter) || small(cur - inter) || base.is_some_and(small) {
            let h = ctx.t("report-hidden");
            return vec![label, h.clone(), h.clone(), h.clone(), h.clone(), h];
        }
        let (prev, change, verdict) = match base {
            Some(b) => {
                let c = compare(
                    cur as u64,
                    days(from, to),
                    b as u64,
                    days(bfrom, bto),
                    rules,
                );
                (
                    ctx.tr.int(b as u64),
                    ctx.pct(c.change_pct),
                    ctx.verdict(c.verdict),
                )
            }
            None => ("–".into(), "–".into(), "–".into()),
        };
        vec![
            label,
            ctx.tr.int(cur as u64),
            prev,
            change,
            verdict,
            ctx.tr.int(inter as u64),
        ]
    };
    let base_of = |p: Option<&str>| -> Option<i64> {
        before.as_ref().map(|b| {
            b.iter()
                .filter(|c| p.is_none_or(|p| c.priority == p))
                .map(|c| c.calls)
                .sum()
        })
    };
    let mut rows = Vec::new();
    if one_by_one {
        for c in &now {
            rows.push(line(
                ctx.tr
                    .args("report-zone-priority", &[("p", c.priority.clone())]),
                c.calls,
                c.interventions,
                base_of(Some(&c.priority)),
            ));
        }
    }
    rows.push(line(
        ctx.t("report-zone-all-calls"),
        now.iter().map(|c| c.calls).sum(),
        now.iter().map(|c| c.interventions).sum(),
        base_of(None),
    ));
    out.push(Block::Para(ctx.tr.args(
        "report-zone-calls-intro",
        &[
            ("from", ctx.tr.date(from)),
            ("to", ctx.tr.date(to)),
            ("bfrom", ctx.tr.date(bfrom)),
            ("bto", ctx.tr.date(bto)),
        ],
    )));
    out.push(Block::Table {
        columns: vec![
            Column::text(ctx.t("report-col-priority"), 3),
            Column::number(ctx.year().to_string(), 2),
            Column::number((ctx.year() - 1).to_string(), 2),
            Column::number(ctx.t("report-col-change"), 2),
            Column::text(ctx.t("report-col-verdict"), 4),
            Column::number(ctx.t("report-col-interventions"), 2),
        ],
        rows,
    });
    out.extend(response_times(ctx, store, &now, from, to, threshold).await?);
    Ok(out)
}

/// Median and 90th percentile of the response time per priority, with their intervals.
async fn response_times(
    ctx: &Ctx<'_>,
    store: &Store,
    priorities: &[CallPriority],
    from: NaiveDate,
    to: NaiveDate,
    threshold: i64,
) -> Result<Vec<Block>> {
    let (lo, hi) = (midnight(from), midnight(to.succ_opt().expect("date")));
    let minutes = |v: f64| ctx.tr.dec(v, 1);
    let q = |sorted: &[f64], p: f64| match veilig_monitor::percentile(sorted, p) {
        Some(o) => format!(
            "{} ({} – {})",
            minutes(o.value),
            o.low.map(minutes).unwrap_or_else(|| "–".into()),
            o.high.map(minutes).unwrap_or_else(|| "–".into())
        ),
        None => "–".into(),
    };
    let mut rows = Vec::new();
    for c in priorities {
        let (sorted, _) = store
            .call_response_minutes(ctx.zone.id, lo, hi, None, Some(&c.priority))
            .await?;
        if sorted.is_empty() {
            continue;
        }
        let label = ctx
            .tr
            .args("report-zone-priority", &[("p", c.priority.clone())]);
        if ctx.req.protected() && (sorted.len() as i64) < threshold {
            let hidden = ctx.t("report-hidden");
            rows.push(vec![label, hidden.clone(), hidden.clone(), hidden]);
            continue;
        }
        // How many calls record a response time: only in the staff edition (beside the
        // calls per priority it would give away how many do not).
        let n = if ctx.req.protected() {
            format!("≥ {threshold}")
        } else {
            ctx.tr.int(sorted.len() as u64)
        };
        rows.push(vec![label, n, q(&sorted, 50.0), q(&sorted, 90.0)]);
    }
    if rows.is_empty() {
        return Ok(vec![Block::Para(ctx.t("report-zone-no-response"))]);
    }
    Ok(vec![
        h2(ctx.t("report-zone-response-title")),
        Block::Table {
            columns: vec![
                Column::text(ctx.t("report-col-priority"), 3),
                Column::number(ctx.t("report-col-with-response"), 2),
                Column::number(ctx.t("report-col-median"), 3),
                Column::number(ctx.t("report-col-p90"), 3),
            ],
            rows,
        },
        Block::Note(ctx.t("report-zone-response-note")),
    ])
}
