//! `/z/{zone}/p/{code}`: one phenomenon: the monthly chart with its expected band, the
//! comparisons with their tests, hour × weekday, the map, near repeat and the areas. The
//! filters swap `#figures` through htmx (the whole page without it).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Html;

use super::{Filter, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::figures::Detail;
use crate::i18n::Tr;
use crate::policy::{Access, Action};
use crate::published::Level;
use crate::view::{Chrome, SourceNote, count_cell, phen_name, verdict};
use veilig_disclosure::Status;

pub struct Comparison {
    pub label: String,
    pub period: String,
    pub current: String,
    pub baseline: String,
    pub change: String,
    pub p: String,
    pub verdict: String,
    pub class: &'static str,
}

pub struct AreaRow {
    pub href: String,
    pub name: String,
    pub count: String,
    pub population: String,
    pub rate: String,
}

pub struct KnoxRow {
    pub space: String,
    pub time: String,
    pub observed: u64,
    pub expected: String,
    pub ratio: String,
    pub p: String,
}

#[derive(Template)]
#[template(path = "phenomenon.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    from: String,
    to: String,
    /// Publication periods to choose from (aggregated views); empty: date fields.
    periods: Vec<(String, String, bool)>,
    area_options: Vec<(String, String, bool)>,
    headline: String,
    headline_class: &'static str,
    comparisons: Vec<Comparison>,
    trend: Option<String>,
    monthly_svg: String,
    heat_svg: String,
    map_svg: String,
    map_data: Option<(String, String)>,
    /// What the Leaflet map says beside its shapes (figures, links, legends, focus).
    map_words: super::map_data::MapData,
    tiles: String,
    tile_attribution: String,
    knox: Vec<KnoxRow>,
    knox_verdict: String,
    areas: Vec<AreaRow>,
    /// Aggregated figures for a month or quarter: wijken are published per year only.
    areas_yearly_only: bool,
    note: SourceNote,
}

fn comparisons(tr: &Tr, d: &Detail, access: &Access, threshold: u64) -> Vec<Comparison> {
    let aggregate = matches!(access, Access::Aggregate);
    if aggregate {
        // Only what the published figures say: the period against the same period a year
        // earlier, with the verdict computed from the two shown counts.
        let s = &d.summary;
        let (v, class) = verdict(tr, s.verdict);
        return vec![Comparison {
            label: tr.t("cmp-period-vs-previous-year"),
            period: format!(
                "{} – {}",
                tr.date(d.picture.period.start),
                tr.date(d.picture.period.end)
            ),
            current: count_cell(tr, s.count, s.count_status, threshold),
            baseline: count_cell(tr, s.baseline, s.baseline_status, threshold),
            change: s
                .change_pct
                .map(|p| tr.pct(p))
                .unwrap_or_else(|| "–".into()),
            p: s.p_value.map(|p| tr.p(p)).unwrap_or_else(|| "–".into()),
            verdict: v,
            class,
        }];
    }
    d.picture
        .comparisons
        .iter()
        .map(|lc| {
            let c = &lc.comparison;
            let (v, class) = verdict(tr, c.verdict);
            let shown = c.baseline_per_period.unwrap_or(c.baseline);
            let (cur, base) = (Some(c.current), Some(shown.round() as u64));
            Comparison {
                label: tr.t(&format!("cmp-{}", lc.label)),
                period: format!(
                    "{} – {}",
                    tr.date(lc.current.start),
                    tr.date(lc.current.end)
                ),
                current: count_cell(tr, cur, Status::Shown, threshold),
                baseline: if lc.baseline_periods.len() == 1 {
                    count_cell(tr, base, Status::Shown, threshold)
                } else {
                    format!(r#"<td class="num">{}</td>"#, tr.dec(shown, 1))
                },
                change: match (cur, base, c.change_pct) {
                    (Some(_), Some(_), Some(p)) => tr.pct(p),
                    _ => "–".into(),
                },
                p: tr.p(c.p_value),
                verdict: v,
                class,
            }
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path((zone, code)): Path<(String, String)>,
    Query(f): Query<Filter>,
) -> WebResult<Html<String>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let figs = state.figures_for(&zone).await?;
    let period = f.period_for(&figs, &access, Level::Zone).await?;
    let (def, access) =
        crate::pages::phenomenon_scope(&state, &zone, &code, f.area.as_deref(), access).await?;
    let all_areas = state.store.areas(zone.id).await?;
    let threshold = state.config.disclosure.threshold;
    let d = figs.detail(&def, period, &access).await?;
    let tr = state.i18n.tr(ctx.lang);
    let name = phen_name(ctx.lang, &def.nl, &def.fr, &def.en).to_string();
    let zcode = zone.code.as_str().to_string();
    let record = access.record_derived();
    let days: Vec<String> = (0..7).map(|i| tr.t(&format!("day-{i}"))).collect();
    let day_refs: [&str; 7] = std::array::from_fn(|i| days[i].as_str());
    // The charts depend on the figures, the access and the language only: drawn once per
    // data version.
    let key = format!(
        "charts:{code}:{}:{}:{access:?}:{}",
        period.start,
        period.end,
        ctx.lang.code()
    );
    let charts = figs
        .cached(&key, async {
            let (monthly, heat) = if record {
                (
                    veilig_report::line_chart(
                        &d.picture.monthly,
                        &tr.arg("chart-monthly", "name", &name),
                        &tr.t("chart-band"),
                    ),
                    veilig_report::heat_table(
                        &d.picture.hour_weekday,
                        &tr.t("chart-heat"),
                        &day_refs,
                    ),
                )
            } else {
                (String::new(), String::new())
            };
            let rates: Vec<(&veilig_domain::MultiPolygon, Option<f64>, String)> = d
                .loaded
                .areas
                .iter()
                .zip(&d.areas)
                .map(|(a, f)| (&a.geometry, f.rate_per_1000, a.name.clone()))
                .collect();
            Ok([
                monthly,
                heat,
                veilig_report::choropleth(&rates, &tr.t("chart-rates"), tr.decimal_mark()),
            ])
        })
        .await?;
    let [monthly_svg, heat_svg, map_svg] = charts.as_ref().clone();
    let knox = if record {
        Some(figs.near_repeat(&d, &access).await?)
    } else {
        None
    };
    let knox_rows = knox
        .as_ref()
        .map(|k| {
            let mut rows = Vec::new();
            for s in 0..k.observed.len() {
                for t in 0..k.observed[s].len() {
                    rows.push(KnoxRow {
                        space: format!("{}–{} m", k.space_bands[s], k.space_bands[s + 1]),
                        time: tr.arg2(
                            "days-range",
                            "from",
                            k.time_bands[t],
                            "to",
                            k.time_bands[t + 1],
                        ),
                        observed: k.observed[s][t],
                        expected: tr.dec(k.expected[s][t], 1),
                        ratio: k.ratio[s][t]
                            .map(|r| tr.dec(r, 2))
                            .unwrap_or_else(|| "–".into()),
                        p: tr.p(k.p_value[s][t]),
                    });
                }
            }
            rows
        })
        .unwrap_or_default();
    let knox_verdict = knox
        .as_ref()
        .map(|k| tr.t(if k.near_repeat { "knox-yes" } else { "knox-no" }))
        .unwrap_or_default();
    let (headline, headline_class) = verdict(&tr, d.summary.verdict);
    let query = format!("?from={}&to={}", period.start, period.end);
    let areas = d
        .areas
        .iter()
        .map(|a| AreaRow {
            href: format!("/z/{zcode}/a/{}{query}", a.code),
            name: format!("{} {}", a.code, a.name),
            count: count_cell(&tr, a.count, a.status, threshold),
            population: a
                .population
                .map(|p| tr.int(p as u64))
                .unwrap_or_else(|| "–".into()),
            rate: a
                .rate_per_1000
                .map(|r| tr.dec(r, 1))
                .unwrap_or_else(|| "–".into()),
        })
        .collect();
    let source = figs.source(&[&d], period, &access);
    let selected = f.area.clone().unwrap_or_default();
    let area_options = if matches!(access, Access::Aggregate) {
        Vec::new()
    } else {
        all_areas
            .iter()
            .filter(|a| zone_for_scope(&ctx, zone.id, a.id))
            .map(|a| {
                (
                    a.code.clone(),
                    format!("{} {}", a.code, a.name),
                    a.code == selected,
                )
            })
            .collect()
    };
    let mut chrome = Chrome::new(
        &state,
        &ctx,
        format!("{name} · {}", zone.name),
        Some(&zone),
        &format!("/z/{zcode}/p/{code}"),
    );
    chrome.leaflet = chrome.htmx && !d.loaded.areas.is_empty();
    let periods = super::period_choices(&figs, &access, Level::Zone, period, &tr).await?;
    let page = Page {
        chrome,
        periods,
        from: period.start.to_string(),
        to: period.end.to_string(),
        area_options,
        headline: match (d.summary.count, d.summary.count_status) {
            (Some(n), _) => tr.arg2("headline", "count", tr.int(n), "verdict", &headline),
            (None, Status::Secondary) => tr.arg("headline-secondary", "verdict", &headline),
            (None, _) => tr.arg("headline-suppressed", "verdict", &headline),
        },
        headline_class,
        comparisons: comparisons(&tr, &d, &access, threshold),
        trend: d.summary.trend.as_ref().map(|t| {
            tr.args(
                "trend-sentence",
                &[
                    ("value", tr.pct(t.annual_change_pct)),
                    ("low", tr.pct(t.annual_change_low_pct)),
                    ("high", tr.pct(t.annual_change_high_pct)),
                    ("p", tr.p(t.p_value)),
                ],
            )
        }),
        monthly_svg,
        heat_svg,
        map_svg,
        map_data: (!d.loaded.areas.is_empty()).then(|| {
            (
                format!("/z/{zcode}/map/areas.geojson"),
                if record {
                    format!(
                        "/z/{zcode}/map/hotspots/{code}{query}{}",
                        f.area
                            .as_ref()
                            .map(|a| format!("&area={a}"))
                            .unwrap_or_default()
                    )
                } else {
                    String::new()
                },
            )
        }),
        map_words: super::map_data::map_data(
            &tr,
            &d.areas,
            threshold,
            &|code: &str| format!("/z/{zcode}/a/{code}{query}"),
            f.area.as_deref(),
        ),
        tiles: state.config.tile_url.clone().unwrap_or_default(),
        tile_attribution: state.config.tile_attribution.clone().unwrap_or_default(),
        knox: knox_rows,
        knox_verdict,
        areas_yearly_only: matches!(access, Access::Aggregate)
            && d.areas.is_empty()
            && !d.loaded.areas.is_empty(),
        areas,
        note: SourceNote::new(&source),
        tr,
    };
    let _ = super::is_htmx(&headers);
    Ok(Html(page.render()?))
}

/// Whether the user may pick this area in the filter.
fn zone_for_scope(ctx: &Ctx, zone_id: i64, area_id: i64) -> bool {
    crate::policy::allows(ctx.user.as_ref(), Some(zone_id), Action::Area(area_id))
}
