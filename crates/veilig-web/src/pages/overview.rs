//! `/z/{zone}`: the Compstat page a chief opens first: every phenomenon with its period,
//! the comparison with the previous year and its verdict, the trend and a small line.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;

use super::{Filter, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::figures::Overview;
use crate::i18n::Tr;
use crate::policy::Action;
use crate::published::Level;
use crate::view::{Chrome, SourceNote, count_cell, phen_name, verdict};

pub struct Row {
    pub href: String,
    pub name: String,
    pub count: String,
    pub baseline: String,
    pub change: String,
    pub verdict: String,
    pub class: &'static str,
    pub trend: String,
    pub spark: String,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    from: String,
    to: String,
    /// Publication periods to choose from (aggregated views); empty: date fields.
    periods: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    note: SourceNote,
}

/// The months as a line, or, where disclosure control hides too many of them to draw one
/// (no two shown months in a row), a word saying so instead of an empty box.
fn spark(tr: &Tr, monthly: &[(String, Option<u64>)], name: &str) -> String {
    let values: Vec<Option<u64>> = monthly.iter().map(|m| m.1).collect();
    if values.windows(2).any(|w| w[0].is_some() && w[1].is_some()) {
        veilig_report::sparkline(
            &values,
            &tr.args("spark-label", &[("name", name.to_string())]),
        )
    } else {
        format!(
            "<span class=\"muted\">{}</span>",
            veilig_report::esc(&tr.t("spark-hidden"))
        )
    }
}

pub fn rows(tr: &Tr, zone: &str, o: &Overview, threshold: u64, query: &str) -> Vec<Row> {
    o.phenomena
        .iter()
        .map(|p| {
            let (v, class) = verdict(tr, p.verdict);
            let name = phen_name(tr.lang, &p.name_nl, &p.name_fr, &p.name_en).to_string();
            Row {
                href: format!("/z/{zone}/p/{}{query}", p.code),
                count: count_cell(tr, p.count, p.count_status, threshold),
                baseline: count_cell(tr, p.baseline, p.baseline_status, threshold),
                change: p
                    .change_pct
                    .map(|c| tr.pct(c))
                    .unwrap_or_else(|| "–".into()),
                verdict: v,
                class,
                trend: p
                    .trend_pct
                    .map(|t| tr.args("per-year", &[("value", tr.pct(t))]))
                    .unwrap_or_else(|| "–".into()),
                spark: spark(tr, &p.monthly, &name),
                name,
            }
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<Html<String>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let figs = state.figures_for(&zone).await?;
    let period = f.period_for(&figs, &access, Level::Zone).await?;
    let threshold = state.config.disclosure.threshold;
    let o = figs.overview(period, &access).await?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str().to_string();
    let query = format!("?from={}&to={}", period.start, period.end);
    let periods = super::period_choices(&figs, &access, Level::Zone, period, &tr).await?;
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.args("overview-title", &[("zone", zone.name.clone())]),
            Some(&zone),
            &format!("/z/{code}"),
        ),
        rows: rows(&tr, &code, &o, threshold, &query),
        tr,
        periods,
        from: period.start.to_string(),
        to: period.end.to_string(),
        note: SourceNote::new(&o.source),
    };
    Ok(Html(page.render()?))
}
