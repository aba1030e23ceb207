//! The jaarverslag's key messages: what a mayor reads in five minutes, in words, generated
//! from the same figures and verdicts the chapters print: which phenomena rose or fell
//! significantly against the year before, how the plan's indicators stand (in the words the
//! edition may show) and what the plan set out to do that year.

use anyhow::Result;
use veilig_analysis::Verdict;
use veilig_report::doc::Block;
use veilig_store::Store;

use super::Ctx;
use super::row::Row;
use crate::figures::Detail;

/// One sentence per message, in the order a reader wants them.
pub(crate) async fn messages(
    ctx: &Ctx<'_>,
    store: &Store,
    details: &[std::sync::Arc<Detail>],
    rows: &[Row],
) -> Result<Block> {
    let mut out = Vec::new();
    out.extend(phenomena(ctx, details, rows));
    out.extend(indicators(ctx, store).await?);
    Ok(Block::List(out))
}

/// The phenomena that moved significantly, largest change first, and how many did not.
fn phenomena(ctx: &Ctx<'_>, details: &[std::sync::Arc<Detail>], rows: &[Row]) -> Vec<String> {
    let mut up = Vec::new();
    let mut down = Vec::new();
    for (d, r) in details.iter().zip(rows) {
        let change = d.summary.change_pct.unwrap_or(0.0);
        let text = ctx.tr.args(
            "report-key-item",
            &[
                ("name", r.name.clone()),
                ("count", r.count.clone()),
                ("previous", r.previous.clone()),
                ("change", r.change.clone()),
            ],
        );
        match d.summary.verdict {
            Verdict::SignificantlyHigher => up.push((change, text)),
            Verdict::SignificantlyLower => down.push((change, text)),
            _ => {}
        }
    }
    up.sort_by(|a, b| b.0.total_cmp(&a.0));
    down.sort_by(|a, b| a.0.total_cmp(&b.0));
    let year = ctx.year().to_string();
    let before = (ctx.year() - 1).to_string();
    let join = |v: &[(f64, String)]| v.iter().map(|x| x.1.clone()).collect::<Vec<_>>().join("; ");
    let mut out = Vec::new();
    if !up.is_empty() {
        out.push(ctx.tr.args(
            "report-key-up",
            &[
                ("year", year.clone()),
                ("before", before.clone()),
                ("list", join(&up)),
            ],
        ));
    }
    if !down.is_empty() {
        out.push(ctx.tr.args(
            "report-key-down",
            &[
                ("year", year.clone()),
                ("before", before.clone()),
                ("list", join(&down)),
            ],
        ));
    }
    let others = rows.len() - up.len() - down.len();
    out.push(ctx.tr.args(
        if up.is_empty() && down.is_empty() {
            "report-key-none-moved"
        } else {
            "report-key-others"
        },
        &[("n", others.to_string()), ("before", before)],
    ));
    out
}

/// How the indicators of the plan in force stand at the year's end, in the words the
/// edition may show (a verdict resting on a small count is withheld outside the staff).
async fn indicators(ctx: &Ctx<'_>, store: &Store) -> Result<Vec<String>> {
    let Some(plan) = super::plan::year_plan(ctx, store).await? else {
        return Ok(vec![ctx.t("report-key-no-plan")]);
    };
    let objectives: Vec<&str> = plan
        .document
        .objectives
        .iter()
        .map(|o| o.code.as_str())
        .collect();
    let day = ctx.period().1;
    let (status, _) =
        crate::monitor::status_through(store, ctx.zone, crate::plan::DEFAULT_RULES, Some(day))
            .await?;
    let mine: Vec<_> = status
        .iter()
        .filter(|s| objectives.contains(&s.objective.as_str()))
        .collect();
    let mut out = Vec::new();
    let actions = plan
        .document
        .actions
        .iter()
        .filter(|a| a.year == ctx.year())
        .count();
    out.push(ctx.tr.args(
        if actions == 0 {
            "report-key-plan-no-actions"
        } else {
            "report-key-plan"
        },
        &[
            ("title", plan.document.title.clone()),
            ("priorities", plan.document.priorities.len().to_string()),
            ("actions", actions.to_string()),
            ("year", ctx.year().to_string()),
        ],
    ));
    if mine.is_empty() {
        return Ok(out);
    }
    let verdict = |s: &&crate::monitor::IndicatorStatus| s.disclosed_verdict(ctx.threshold);
    let count = |v: &str| mine.iter().filter(|s| verdict(s) == v).count();
    out.push(ctx.tr.args(
        "report-key-indicators",
        &[
            ("n", mine.len().to_string()),
            ("on", count("on-track").to_string()),
            ("off", count("off-track").to_string()),
            (
                "open",
                (mine.len() - count("on-track") - count("off-track")).to_string(),
            ),
        ],
    ));
    let off: Vec<String> = mine
        .iter()
        .filter(|s| verdict(s) == "off-track")
        .map(|s| s.name.clone())
        .collect();
    if !off.is_empty() {
        out.push(
            ctx.tr
                .args("report-key-off-track", &[("list", off.join("; "))]),
        );
    }
    Ok(out)
}
