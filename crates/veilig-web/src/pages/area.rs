//! `/z/{zone}/a/{code}`: one area (wijk): its phenomena, its rates against the zone's.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;

use super::{Filter, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::figures;
use crate::i18n::Tr;
use crate::policy::{Access, Action, allows};
use crate::published::Level;
use crate::view::{Chrome, SourceNote, count_cell, phen_name};

pub struct Row {
    pub href: String,
    pub name: String,
    pub count: String,
    pub rate: String,
    pub zone_rate: String,
    pub ratio: String,
}

#[derive(Template)]
#[template(path = "area.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    from: String,
    to: String,
    /// Publication periods to choose from (aggregated views); empty: date fields.
    periods: Vec<(String, String, bool)>,
    population: String,
    rows: Vec<Row>,
    map_svg: String,
    note: SourceNote,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((zone, code)): Path<(String, String)>,
    Query(f): Query<Filter>,
) -> WebResult<Html<String>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let areas = state.store.areas(zone.id).await?;
    let area = areas
        .iter()
        .find(|a| a.code == code)
        .ok_or(WebError::NotFound)?;
    if !allows(ctx.user.as_ref(), Some(zone.id), Action::Area(area.id)) {
        return Err(WebError::Forbidden);
    }
    let figs = state.figures_for(&zone).await?;
    let period = f.period_for(&figs, &access, Level::Areas).await?;
    let threshold = state.config.disclosure.threshold;
    // Counts come from the zone-wide computation (suppressed for aggregate access, with the
    // same secondary suppression as the phenomenon pages, so no two pages disagree).
    let level = if matches!(access, Access::Aggregate) {
        Access::Aggregate
    } else {
        Access::Full
    };
    let tr = state.i18n.tr(ctx.lang);
    let zcode = zone.code.as_str().to_string();
    let query = format!("?from={}&to={}", period.start, period.end);
    let mut rows = Vec::new();
    let mut details = Vec::new();
    let mut population = None;
    for def in figs.phenomena_with_data().await?.iter() {
        let d = figs.detail(def, period, &level).await?;
        let Some(a) = d.areas.iter().find(|x| x.area_id == area.id) else {
            continue;
        };
        population = a.population;
        let zone_rate = d.summary.zone_rate_per_1000;
        rows.push(Row {
            href: format!("/z/{zcode}/p/{}{query}", def.code),
            name: phen_name(ctx.lang, &def.nl, &def.fr, &def.en).to_string(),
            count: count_cell(&tr, a.count, a.status, threshold),
            rate: a
                .rate_per_1000
                .map(|r| tr.dec(r, 1))
                .unwrap_or_else(|| "–".into()),
            zone_rate: zone_rate
                .map(|r| tr.dec(r, 1))
                .unwrap_or_else(|| "–".into()),
            ratio: match (a.rate_per_1000, zone_rate) {
                (Some(r), Some(z)) if z > 0.0 => format!("{}×", tr.dec(r / z, 2)),
                _ => "–".into(),
            },
        });
        details.push(d);
    }
    let outline: Vec<(&veilig_domain::MultiPolygon, Option<f64>, String)> = areas
        .iter()
        .map(|a| {
            (
                &a.geometry,
                (a.id == area.id).then_some(1.0),
                a.code.clone(),
            )
        })
        .collect();
    let refs: Vec<&figures::Detail> = details.iter().map(|d| d.as_ref()).collect();
    let source = figs.source(&refs, period, &level);
    let periods = super::period_choices(&figs, &access, Level::Areas, period, &tr).await?;
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            format!("{} {} · {}", area.code, area.name, zone.name),
            Some(&zone),
            &format!("/z/{zcode}/a/{code}"),
        ),
        periods,
        from: period.start.to_string(),
        to: period.end.to_string(),
        population: population
            .map(|p| tr.int(p as u64))
            .unwrap_or_else(|| "–".into()),
        rows,
        map_svg: veilig_report::choropleth(&outline, &tr.t("area-map"), tr.decimal_mark()),
        note: SourceNote::new(&source),
        tr,
    };
    Ok(Html(page.render()?))
}
