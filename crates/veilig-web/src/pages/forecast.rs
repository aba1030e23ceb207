//! `/z/{zone}/forecast`: next week's likeliest cells of a phenomenon beside the naive count,
//! the evidence that decides which one is shown, and the model card; the same view as
//! `veilig forecast` (from `veilig_query::forecast`). Analysts and chiefs only: cells only,
//! never incident points.
//!
//! The forecast is computed when the data change (`veilig_query::refresh`), never in the
//! request: the page shows the stored forecast of the current data, or says that it is being
//! computed, with the zone's progress, and fills itself in (htmx polling) when it is ready.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;
use veilig_forecast::{COVERAGE, METHODS, Method};
use veilig_query::forecast::{ForecastCell, ForecastView};
use veilig_query::refresh::{self, Computed};

use super::zone_for;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::policy::Action;
use crate::view::{Chrome, SourceNote, phen_name};

#[derive(Debug, Default, Deserialize)]
pub struct ForecastQuery {
    pub phenomenon: Option<String>,
    pub coverage: Option<String>,
    pub method: Option<String>,
}

pub struct CellRow {
    pub rank: usize,
    pub area: String,
    pub centre: String,
    pub past: String,
    pub in_naive: bool,
}

#[derive(Template)]
#[template(path = "forecast.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    phenomena: Vec<(String, String, bool)>,
    coverages: Vec<(String, bool)>,
    methods: Vec<(String, String, bool)>,
    /// The stored forecast of the current data, when it is there.
    figures: Option<Figures>,
    /// While it is being computed: the progress in words, and the address the page polls.
    pending: Option<String>,
    poll: String,
    /// The computation gave an error for these data.
    failed: bool,
    note: Option<SourceNote>,
}

/// What the page shows of a ready forecast.
struct Figures {
    heading: String,
    /// Said when the forecast week began before today: the data end earlier, so the week
    /// is the one after the data, not the coming one.
    past_week: Option<String>,
    badge: String,
    beats: bool,
    shown_label: String,
    cells: Vec<CellRow>,
    naive_cells: Vec<CellRow>,
    card: Vec<(String, String)>,
    limits: Vec<String>,
    /// The shown method's cells and the naive count's over the wijken (SVG), and its caption.
    map: String,
    map_caption: String,
}

/// Next week's cells on the zone's wijken: the shown method's filled, the naive count's as
/// outlines (one layer when the naive count is what is shown).
fn cell_map(tr: &Tr, v: &ForecastView, areas: &[veilig_domain::Area]) -> String {
    let outlines: Vec<(&veilig_domain::MultiPolygon, &str)> = areas
        .iter()
        .map(|a| (&a.geometry, a.name.as_str()))
        .collect();
    let centres = |cells: &[ForecastCell]| cells.iter().map(|c| (c.x, c.y)).collect::<Vec<_>>();
    let (shown, naive) = (centres(&v.cells), centres(&v.naive_cells));
    let shown_label = tr.arg(
        "forecast-map-shown",
        "method",
        tr.t(&format!("forecast-method-{}", v.shown)),
    );
    let naive_label = tr.t("forecast-map-naive");
    let mut layers = vec![veilig_report::CellLayer {
        centres: &shown,
        filled: true,
        colour: "#b2182b",
        label: &shown_label,
    }];
    if v.shown != "naive" {
        layers.push(veilig_report::CellLayer {
            centres: &naive,
            filled: false,
            colour: "#2166ac",
            label: &naive_label,
        });
    }
    let title = tr.arg2(
        "forecast-map-title",
        "from",
        tr.date(v.origin),
        "to",
        tr.date(v.week_end),
    );
    veilig_report::cell_map(&outlines, v.cell_metres, &layers, &title)
}

fn rows(tr: &Tr, cells: &[ForecastCell]) -> Vec<CellRow> {
    cells
        .iter()
        .map(|c| CellRow {
            rank: c.rank,
            area: c.area.clone().unwrap_or_else(|| "–".into()),
            centre: match (c.lat, c.lon) {
                (Some(lat), Some(lon)) => format!("{lat:.5}, {lon:.5}"),
                _ => format!("{:.0}, {:.0}", c.x, c.y),
            },
            past: tr.int(c.past_count),
            in_naive: c.in_naive,
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(q): Query<ForecastQuery>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Forecast).await?;
    let tr = state.i18n.tr(ctx.lang);
    let figs = state.figures_for(&zone).await?;
    let defs = figs.phenomena_with_data().await?;
    let phenomenon = match q.phenomenon.filter(|p| !p.is_empty()) {
        Some(p) if defs.iter().any(|d| d.code == p) => p,
        Some(_) => return Err(WebError::BadRequest("error-unknown-phenomenon")),
        None => defs
            .iter()
            .find(|d| d.code == refresh::FIRST_PHENOMENON)
            .or(defs.first())
            .map(|d| d.code.clone())
            .ok_or(WebError::NotFound)?,
    };
    let coverage = match q.coverage.as_deref().filter(|c| !c.is_empty()) {
        None => 1.0,
        Some(c) => c
            .parse::<f64>()
            .ok()
            .filter(|c| veilig_forecast::coverage_index(*c).is_some())
            .ok_or(WebError::BadRequest("error-bad-coverage"))?,
    };
    let method = match q.method.as_deref().filter(|m| !m.is_empty()) {
        None => Method::PoissonGlm,
        Some(m) => Method::parse(m).ok_or(WebError::BadRequest("error-bad-method"))?,
    };
    let computed = refresh::forecast(&state.store, &zone, &phenomenon, method, coverage).await?;
    let name = |code: &str| {
        defs.iter()
            .find(|d| d.code == code)
            .map(|d| phen_name(ctx.lang, &d.nl, &d.fr, &d.en).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let note = match &computed {
        Computed::Ready(v) => Some(source_note(v)),
        _ => None,
    };
    let (figures, pending, failed) = match computed {
        Computed::Ready(v) => {
            let mut f = figures(&tr, &v, &name);
            f.map = cell_map(&tr, &v, &state.store.areas(zone.id).await?);
            f.map_caption = tr.t(if v.shown == "naive" {
                "forecast-map-caption-naive"
            } else {
                "forecast-map-caption"
            });
            (Some(f), None, false)
        }
        Computed::Pending(p) => (
            None,
            Some(tr.args(
                "forecast-pending-progress",
                &[
                    ("done", tr.int(p.done + p.failed)),
                    ("total", tr.int(p.total())),
                ],
            )),
            false,
        ),
        Computed::Failed(_) => (None, None, true),
    };
    let code = zone.code.as_str().to_string();
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            format!("{} · {}", tr.t("forecast-title"), zone.name),
            Some(&zone),
            &format!("/z/{code}/forecast"),
        ),
        phenomena: defs
            .iter()
            .map(|d| (d.code.clone(), name(&d.code), d.code == phenomenon))
            .collect(),
        coverages: COVERAGE
            .iter()
            .map(|c| (c.to_string(), (c - coverage).abs() < 1e-9))
            .collect(),
        methods: METHODS
            .iter()
            .map(|m| {
                (
                    m.name.to_string(),
                    tr.t(&format!("forecast-method-{}", m.name)),
                    m.method == method,
                )
            })
            .collect(),
        figures,
        pending,
        poll: format!(
            "/z/{code}/forecast?phenomenon={phenomenon}&coverage={coverage}&method={}",
            method.name()
        ),
        failed,
        note,
        tr,
    };
    Ok(Html(page.render().map_err(anyhow::Error::from)?))
}

/// The ready forecast in the reader's language.
fn figures(tr: &Tr, v: &ForecastView, name: &dyn Fn(&str) -> String) -> Figures {
    let e = &v.card.backtest;
    let args = [
        ("method", tr.t(&format!("forecast-method-{}", e.method))),
        ("weeks", e.weeks.to_string()),
        ("hit", tr.dec(e.hit_rate * 100.0, 1)),
        ("naive", tr.dec(e.naive_hit_rate * 100.0, 1)),
        ("ratio", tr.dec(e.vs_naive.ratio, 2)),
        ("lo", tr.dec(e.vs_naive.interval[0], 2)),
        ("hi", tr.dec(e.vs_naive.interval[1], 2)),
        ("p", tr.dec(e.vs_naive.p_value, 4)),
        ("events", tr.int(e.test_events)),
    ];
    let badge = if e.beats_naive {
        tr.args("forecast-badge-better", &args)
    } else {
        tr.args("forecast-badge-not-better", &args)
    };
    let params = match &v.card.parameters {
        Some(p) if v.method != "poisson-glm" => tr.args(
            "forecast-card-params",
            &[
                ("half_life", tr.dec(p.half_life_days, 0)),
                ("recency", tr.dec(p.recency, 2)),
                ("neighbours", tr.dec(p.neighbours, 2)),
                ("other", tr.dec(p.other_types, 2)),
            ],
        ),
        Some(_) => tr.t("forecast-card-params-glm"),
        None => tr.t("forecast-card-params-reference"),
    };
    let card = vec![
        (
            tr.t("forecast-card-data"),
            tr.args(
                "forecast-card-data-value",
                &[
                    ("events", tr.int(v.card.events as u64)),
                    ("phenomenon", name(&v.phenomenon)),
                    (
                        "first",
                        v.card.first_event.map(|d| tr.date(d)).unwrap_or_default(),
                    ),
                    (
                        "last",
                        v.card.last_event.map(|d| tr.date(d)).unwrap_or_default(),
                    ),
                ],
            ),
        ),
        (
            tr.t("forecast-card-period"),
            format!("{} – {}", tr.date(v.origin), tr.date(v.week_end)),
        ),
        (
            tr.t("forecast-card-method"),
            tr.t(&format!("forecast-method-{}", v.method)),
        ),
        (tr.t("forecast-card-parameters"), params),
        (
            tr.t("forecast-card-grid"),
            tr.args(
                "forecast-card-grid-value",
                &[
                    ("cell", tr.dec(v.cell_metres, 0)),
                    ("mask", tr.int(v.card.mask_cells as u64)),
                    ("flagged", tr.int(v.flagged_cells as u64)),
                    ("coverage", tr.dec(v.coverage, 1)),
                ],
            ),
        ),
        (tr.t("forecast-card-backtest"), badge.clone()),
    ];
    let past_week = (v.origin < super::today()).then(|| {
        tr.args(
            "forecast-past-week",
            &[
                (
                    "through",
                    tr.date(
                        v.data_through
                            .unwrap_or(v.origin.pred_opt().unwrap_or(v.origin)),
                    ),
                ),
                ("from", tr.date(v.origin)),
                ("to", tr.date(v.week_end)),
            ],
        )
    });
    Figures {
        past_week,
        heading: tr.args(
            "forecast-heading",
            &[
                ("phenomenon", name(&v.phenomenon)),
                ("from", tr.date(v.origin)),
                ("to", tr.date(v.week_end)),
                ("flagged", tr.int(v.flagged_cells as u64)),
                ("coverage", tr.dec(v.coverage, 1)),
            ],
        ),
        badge,
        beats: e.beats_naive,
        shown_label: tr.t(&format!("forecast-method-{}", v.shown)),
        cells: rows(tr, &v.cells),
        naive_cells: rows(tr, &v.naive_cells),
        map: String::new(),
        map_caption: String::new(),
        card,
        limits: v
            .card
            .limits
            .iter()
            .map(|l| tr.t(&format!("forecast-limit-{}", l.code)))
            .collect(),
    }
}

/// Where the forecast's figures come from.
fn source_note(v: &ForecastView) -> SourceNote {
    SourceNote {
        through: None,
        sources: v
            .card
            .batches
            .iter()
            .map(|b| format!("{} ({})", b.source, b.file))
            .collect::<Vec<_>>()
            .join("; "),
        extraction: v
            .card
            .batches
            .iter()
            .filter_map(|b| b.imported_at)
            .max()
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "–".into()),
        method: "method-forecast",
        disclosure: None,
        disclosure_method: None,
        release: None,
    }
}
