//! The Compstat book of a review meeting: the agenda as the meeting saw it (stored with the
//! review), the decisions it took and those still open. For the zone's staff only: it holds
//! exact small counts and cell locations. Without a recorded review in the year, the book is
//! the agenda Veilig drafts for the year's last quarter, marked as a draft.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use veilig_report::doc::{Block, Column, Doc};
use veilig_store::Store;

use super::{Ctx, h1};

fn s(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "–".into(),
        v => v.to_string(),
    }
}

pub(crate) async fn build(ctx: &mut Ctx<'_>, store: &Store) -> Result<Doc> {
    let year = ctx.year();
    let reviews: Vec<_> = store
        .reviews(ctx.zone.id)
        .await?
        .into_iter()
        .filter(|r| r.kind == "compstat")
        .collect();
    let chosen = match ctx.req.review {
        Some(id) => Some(
            reviews
                .iter()
                .find(|r| r.id == id)
                .cloned()
                .with_context(|| {
                    format!(
                        "zone {} has no Compstat review {id}",
                        ctx.zone.code.as_str()
                    )
                })?,
        ),
        None => reviews
            .iter()
            .rfind(|r| r.held_on.format("%Y").to_string() == year.to_string())
            .cloned(),
    };
    let (agenda, held, review_id) = match &chosen {
        Some(r) => (
            serde_json::from_str::<serde_json::Value>(&r.document)
                .with_context(|| format!("review {}: stored agenda", r.id))?,
            Some(r.held_on),
            Some(r.id),
        ),
        None => {
            let from = NaiveDate::from_ymd_opt(year, 10, 1).expect("date");
            let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("date");
            if store
                .last_incident_day(ctx.zone.id)
                .await?
                .is_none_or(|d| d < from)
            {
                bail!(
                    "zone {} has no data in the last quarter of {year} and no Compstat review that year",
                    ctx.zone.code.as_str()
                );
            }
            let a = crate::monitor::agenda(store, ctx.zone, from, to, crate::plan::DEFAULT_RULES)
                .await?;
            (serde_json::to_value(&a)?, None, None)
        }
    };
    let mut blocks = Vec::new();
    blocks.push(Block::Strong(match held {
        Some(h) => ctx.tr.args(
            "report-compstat-held",
            &[
                ("held", h.to_string()),
                ("from", s(&agenda["period_from"])),
                ("to", s(&agenda["period_to"])),
            ],
        ),
        None => ctx.tr.args(
            "report-compstat-draft",
            &[
                ("from", s(&agenda["period_from"])),
                ("to", s(&agenda["period_to"])),
            ],
        ),
    }));
    let list = |k: &str| agenda[k].as_array().cloned().unwrap_or_default();
    blocks.push(h1(ctx.t("review-moved")));
    let moved = list("moved");
    if moved.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(Block::Table {
            columns: vec![
                Column::text(ctx.t("plan-col-code"), 1),
                Column::text(ctx.t("ind-col-name"), 5),
                Column::text(ctx.t("report-col-verdict"), 3),
                Column::number(ctx.t("report-col-change"), 2),
                Column::number("p", 2),
            ],
            rows: moved
                .iter()
                .map(|m| {
                    vec![
                        s(&m["code"]),
                        s(&m["name"]),
                        ctx.t(&format!("verdict-{}", s(&m["verdict"]))),
                        ctx.pct(m["change_pct"].as_f64()),
                        ctx.p(m["p_value"].as_f64()),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(h1(ctx.t("review-off-track")));
    let off = list("off_track");
    if off.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(Block::List(
            off.iter()
                .map(|o| {
                    let inds: Vec<String> = o["indicators"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(s)
                        .collect();
                    format!("{}: {}", s(&o["objective"]), inds.join(", "))
                })
                .collect(),
        ));
    }
    blocks.push(h1(ctx.t("review-rising")));
    let rising = list("rising");
    if rising.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(Block::Table {
            columns: vec![
                Column::text(ctx.t("report-col-phenomenon"), 5),
                Column::number(ctx.t("report-col-count"), 2),
                Column::number(ctx.t("report-col-change"), 2),
                Column::number("p", 2),
            ],
            rows: rising
                .iter()
                .map(|r| {
                    vec![
                        s(&r["name_nl"]),
                        r["count"]
                            .as_u64()
                            .map(|c| ctx.tr.int(c))
                            .unwrap_or_default(),
                        ctx.pct(r["change_pct"].as_f64()),
                        ctx.p(r["p_value"].as_f64()),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(h1(ctx.t("review-hotspots")));
    let hot = list("hotspots");
    if hot.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(Block::Table {
            columns: vec![
                Column::text(ctx.t("report-col-phenomenon"), 3),
                Column::number("x", 2),
                Column::number("y", 2),
                Column::number(ctx.t("report-col-count"), 2),
                Column::number(ctx.t("report-col-baseline"), 2),
                Column::number("p", 2),
            ],
            rows: hot
                .iter()
                .map(|h| {
                    vec![
                        s(&h["phenomenon"]),
                        h["x"]
                            .as_f64()
                            .map(|v| format!("{v:.0}"))
                            .unwrap_or_default(),
                        h["y"]
                            .as_f64()
                            .map(|v| format!("{v:.0}"))
                            .unwrap_or_default(),
                        s(&h["now"]),
                        s(&h["before"]),
                        ctx.p(h["p_value"].as_f64()),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(h1(ctx.t("review-series")));
    let series = list("series");
    if series.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(Block::Table {
            columns: vec![
                Column::text(ctx.t("report-col-phenomenon"), 3),
                Column::number(ctx.t("report-col-count"), 2),
                Column::text(ctx.t("report-col-period"), 4),
                Column::number("x", 2),
                Column::number("y", 2),
            ],
            rows: series
                .iter()
                .map(|x| {
                    vec![
                        s(&x["phenomenon"]),
                        s(&x["events"]),
                        format!("{} – {}", s(&x["first"]), s(&x["last"])),
                        x["x"]
                            .as_f64()
                            .map(|v| format!("{v:.0}"))
                            .unwrap_or_default(),
                        x["y"]
                            .as_f64()
                            .map(|v| format!("{v:.0}"))
                            .unwrap_or_default(),
                    ]
                })
                .collect(),
        });
    }
    // Decisions: those this review took, and those still open on its agenda.
    let decisions = store.review_decisions(ctx.zone.id).await?;
    blocks.push(h1(ctx.t("report-compstat-decisions")));
    let taken: Vec<Vec<String>> = decisions
        .iter()
        .filter(|d| Some(d.review_id) == review_id)
        .map(|d| {
            vec![
                d.id.to_string(),
                d.what.clone(),
                d.who.clone(),
                d.due.to_string(),
            ]
        })
        .collect();
    if taken.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(decision_table(ctx, taken));
    }
    blocks.push(h1(ctx.t("review-open-decisions")));
    let open: Vec<Vec<String>> = list("open_decisions")
        .iter()
        .map(|d| vec![s(&d["id"]), s(&d["what"]), s(&d["who"]), s(&d["due"])])
        .collect();
    if open.is_empty() {
        blocks.push(Block::Para(ctx.t("report-none")));
    } else {
        blocks.push(decision_table(ctx, open));
    }
    // How the agenda is drafted, in the reader's language (the stored note is the method's
    // record, in English).
    if agenda["note"].is_string() {
        blocks.push(Block::Note(ctx.t("review-agenda-note")));
    }
    let title = ctx.tr.args(
        "report-compstat-title",
        &[(
            "date",
            held.map(|h| h.to_string())
                .unwrap_or_else(|| year.to_string()),
        )],
    );
    Ok(ctx.doc(title, ctx.zone.name.clone(), blocks))
}

fn decision_table(ctx: &Ctx<'_>, rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        columns: vec![
            Column::number("#", 1),
            Column::text(ctx.t("report-col-what"), 6),
            Column::text(ctx.t("report-col-who"), 3),
            Column::text(ctx.t("report-col-due"), 2),
        ],
        rows,
    }
}
