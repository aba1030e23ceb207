//! `/public/{zone}`: the zone's figures for everyone, without login: aggregates only, no
//! locations, every count under the threshold suppressed with secondary suppression.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;

use super::Filter;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::published::Level;
use crate::view::{Chrome, SourceNote, count_cell, phen_name, verdict};

pub struct Row {
    pub name: String,
    pub total: String,
    pub previous: String,
    pub verdict: String,
    pub class: &'static str,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "public.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    from: String,
    to: String,
    /// Publication periods to choose from (aggregated views); empty: date fields.
    periods: Vec<(String, String, bool)>,
    columns: Vec<String>,
    rows: Vec<Row>,
    /// The latest survey wave: its label, municipality columns and indicator rows.
    survey: Option<(String, Vec<String>, Vec<super::survey::Row>)>,
    note: SourceNote,
    /// The approved plan in force: its title and each priority with its verdicts in words.
    plan: Option<(String, Vec<(String, String)>)>,
    /// Every public edition issued: title, link, issue date; newest first.
    publications: Vec<(String, String, String)>,
    code: String,
}

/// The public editions the zone issued (the public jaarverslag, the public ZVP, …).
async fn publications(
    state: &AppState,
    zone: i64,
    code: &str,
    tr: &Tr<'_>,
) -> WebResult<Vec<(String, String, String)>> {
    let mut reports: Vec<_> = state
        .store
        .issued_reports(zone)
        .await?
        .into_iter()
        .filter(|r| r.edition == "public")
        .collect();
    reports.sort_by_key(|r| std::cmp::Reverse(r.issued_at));
    Ok(reports
        .iter()
        .map(|r| {
            (
                super::reports::title(tr, r),
                format!("/public/{code}/reports/{}", r.id),
                tr.date(r.issued_at.date()),
            )
        })
        .collect())
}

/// The plan's priorities in words for citizens.
async fn plan(
    state: &AppState,
    zone: &veilig_domain::Zone,
    tr: &Tr<'_>,
) -> WebResult<Option<(String, Vec<(String, String)>)>> {
    let today = chrono::Local::now().date_naive();
    let threshold = state.config.disclosure.threshold;
    let Some((title, ps)) =
        veilig_query::plan::public_priorities(&state.store, &state.figures, zone, threshold, today)
            .await?
    else {
        return Ok(None);
    };
    let rows = ps
        .into_iter()
        .map(|p| {
            let words = tr.args(
                "public-priority-words",
                &[
                    ("on", p.on_track.to_string()),
                    ("off", p.off_track.to_string()),
                    ("open", p.open.to_string()),
                ],
            );
            (p.title, words)
        })
        .collect();
    Ok(Some((title, rows)))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<Html<String>> {
    let zone = state.store.zone(&zone).await?.ok_or(WebError::NotFound)?;
    if f.area.is_some() {
        return Err(WebError::BadRequest("error-area-filter"));
    }
    let figs = state.figures_for(&zone).await?;
    let period = f
        .period_for(&figs, &crate::policy::Access::Aggregate, Level::Areas)
        .await?;
    let threshold = state.config.disclosure.threshold;
    let p = figs.public(period).await?;
    let survey_data = super::survey::figures(&state, &figs, &zone).await?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str().to_string();
    let mut columns: Vec<String> = p.municipalities.iter().map(|m| m.1.clone()).collect();
    if p.not_located_column {
        columns.push(tr.t("public-not-placed"));
    }
    let periods = super::period_choices(
        &figs,
        &crate::policy::Access::Aggregate,
        Level::Areas,
        period,
        &tr,
    )
    .await?;
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.arg("public-title", "zone", &zone.name),
            Some(&zone),
            &format!("/public/{code}"),
        ),
        periods,
        from: period.start.to_string(),
        to: period.end.to_string(),
        columns,
        rows: p
            .rows
            .iter()
            .map(|r| {
                let (v, class) = verdict(&tr, r.verdict);
                Row {
                    name: phen_name(ctx.lang, &r.name_nl, &r.name_fr, &r.name_en).to_string(),
                    total: count_cell(&tr, r.total, r.total_status, threshold),
                    previous: count_cell(&tr, r.previous, r.previous_status, threshold),
                    verdict: v,
                    class,
                    cells: r
                        .cells
                        .iter()
                        .zip(&r.cell_status)
                        .map(|(c, s)| count_cell(&tr, *c, *s, threshold))
                        .collect(),
                }
            })
            .collect(),
        survey: super::survey::public_rows(&survey_data, &tr, &p.municipalities),
        note: SourceNote::new(&p.source),
        plan: plan(&state, &zone, &tr).await?,
        publications: publications(&state, zone.id, &code, &tr).await?,
        code: code.clone(),
        tr,
    };
    Ok(Html(page.render()?))
}
