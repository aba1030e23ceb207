//! The JSON API: what the pages show, with the same permission rules (the handlers ask the
//! same `zone_for` and the figures come out of the same disclosure control). Documented in
//! `openapi.json`, served at `/api/openapi.json`.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::pages::{Filter, zone_for};
use crate::policy::{Access, Action, zone_access};
use crate::published::Level;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/v1/zones", get(zones))
        .route("/api/v1/zones/{zone}/overview", get(overview))
        .route("/api/v1/zones/{zone}/phenomena/{code}", get(phenomenon))
        .route("/api/v1/zones/{zone}/plan", get(plan))
        .route("/api/v1/zones/{zone}/plan/matrix", get(plan_matrix))
        .route("/api/v1/zones/{zone}/plan/indicators", get(plan_indicators))
        .route("/api/v1/zones/{zone}/plan/problems", get(plan_problems))
        .route("/api/v1/public/{zone}", get(public))
        .route("/api/v1/public/{zone}/open-data.csv", get(open_data))
        .route("/api/v1/public/{zone}/open-data.json", get(open_data_json))
        .route(
            "/api/v1/public/{zone}/open-data/dictionary.json",
            get(open_data_dictionary),
        )
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../openapi.json"),
    )
}

/// The zones the user may see (every zone's public page is open to all).
async fn zones(State(state): State<AppState>, ctx: Ctx) -> WebResult<Json<Value>> {
    let zones = state.store.zones().await?;
    let list: Vec<Value> = zones
        .iter()
        .map(|z| {
            json!({
                "code": z.code.as_str(),
                "name": z.name,
                "synthetic": z.synthetic,
                "access": match zone_access(ctx.user.as_ref(), z.id) {
                    Some(Access::Full) => "full",
                    Some(Access::Areas(_)) => "areas",
                    Some(Access::Aggregate) => "aggregate",
                    None => "public",
                },
            })
        })
        .collect();
    Ok(Json(json!({"zones": list})))
}

async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<Json<Value>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let figs = state.figures_for(&zone).await?;
    let period = f.period_for(&figs, &access, Level::Zone).await?;
    let o = figs.overview(period, &access).await?;
    exported(
        &state,
        &ctx,
        zone.id,
        format!(
            "overview {} – {}{}",
            period.start,
            period.end,
            disclosure_note(&o.source)
        ),
    )
    .await?;
    Ok(Json(
        serde_json::to_value(o.as_ref()).map_err(|e| WebError::Internal(e.into()))?,
    ))
}

async fn phenomenon(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((zone, code)): Path<(String, String)>,
    Query(f): Query<Filter>,
) -> WebResult<Json<Value>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let figs = state.figures_for(&zone).await?;
    let period = f.period_for(&figs, &access, Level::Zone).await?;
    let (def, access) =
        crate::pages::phenomenon_scope(&state, &zone, &code, f.area.as_deref(), access).await?;
    let d = figs.detail(&def, period, &access).await?;
    let source = figs.source(&[&d], period, &access);
    exported(
        &state,
        &ctx,
        zone.id,
        format!(
            "phenomenon {code} {} – {}{}",
            period.start,
            period.end,
            disclosure_note(&source)
        ),
    )
    .await?;
    let mut out = json!({
        "source": source,
        "summary": d.summary,
        "areas": d.areas,
    });
    if access.record_derived() {
        let p = &d.picture;
        out["comparisons"] =
            serde_json::to_value(&p.comparisons).map_err(|e| WebError::Internal(e.into()))?;
        out["monthly"] =
            serde_json::to_value(&p.monthly).map_err(|e| WebError::Internal(e.into()))?;
        out["hour_weekday"] =
            serde_json::to_value(p.hour_weekday).map_err(|e| WebError::Internal(e.into()))?;
        out["trend"] = serde_json::to_value(&p.trend).map_err(|e| WebError::Internal(e.into()))?;
    }
    Ok(Json(out))
}

async fn plan(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Json<Value>> {
    Ok(Json(
        crate::pages::plan::plan_json(&state, &ctx, &zone).await?,
    ))
}

async fn plan_indicators(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Json<Value>> {
    Ok(Json(
        crate::pages::plan::indicators_json(&state, &ctx, &zone).await?,
    ))
}

async fn plan_problems(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Json<Value>> {
    Ok(Json(
        crate::pages::plan::problems_json(&state, &ctx, &zone).await?,
    ))
}

async fn plan_matrix(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(q): Query<crate::pages::plan::MatrixQuery>,
) -> WebResult<Json<Value>> {
    Ok(Json(
        crate::pages::plan::matrix_json(&state, &ctx, &zone, &q).await?,
    ))
}

/// The disclosure method and parameters of an aggregated answer, for its audit entry (so
/// that every figure that left can be reproduced and audited).
fn disclosure_note(source: &crate::figures::Source) -> String {
    match &source.disclosure {
        Some(n) => format!(
            "; disclosure {} v{} threshold {} protection {}",
            n.method, n.version, n.threshold, n.protection
        ),
        None => String::new(),
    }
}

/// Figures leaving the application through the API are exports: audited.
async fn exported(state: &AppState, ctx: &Ctx, zone_id: i64, detail: String) -> WebResult<()> {
    state
        .store
        .audit(&ctx.audit_entry("export", Some(zone_id), format!("api: {detail}")))
        .await?;
    Ok(())
}

/// The public table of a zone, under the same disclosure control as the public page.
async fn public_table(
    state: &AppState,
    zone: &str,
    f: &Filter,
) -> WebResult<std::sync::Arc<crate::figures::Public>> {
    let zone = state.store.zone(zone).await?.ok_or(WebError::NotFound)?;
    if f.area.is_some() {
        return Err(WebError::BadRequest("error-area-filter"));
    }
    let figs = state.figures_for(&zone).await?;
    let period = f
        .period_for(&figs, &Access::Aggregate, Level::Areas)
        .await?;
    Ok(figs.public(period).await?)
}

async fn public(
    State(state): State<AppState>,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<Json<Value>> {
    let p = public_table(&state, &zone, &f).await?;
    Ok(Json(
        serde_json::to_value(p.as_ref()).map_err(|e| WebError::Internal(e.into()))?,
    ))
}

/// The columns of the open data, in order, with their type (the dictionary's keys).
const OPEN_DATA_FIELDS: [(&str, &str); 12] = [
    ("zone", "string"),
    ("phenomenon", "string"),
    ("level", "string"),
    ("unit", "string"),
    ("period_start", "date"),
    ("period_end", "date"),
    ("count", "integer"),
    ("status", "string"),
    ("synthetic", "boolean"),
    ("disclosure_method", "string"),
    ("disclosure_version", "integer"),
    ("threshold", "integer"),
];

/// The data dictionary of the open data, in the reader's language.
fn dictionary(state: &AppState, ctx: &Ctx) -> Value {
    let tr = state.i18n.tr(ctx.lang);
    let fields: Vec<Value> = OPEN_DATA_FIELDS
        .iter()
        .map(|(name, kind)| {
            json!({"name": name, "type": kind, "description": tr.t(&format!("od-field-{}", name.replace('_', "-")))})
        })
        .collect();
    let (licence, url) = &state.config.open_data_licence;
    json!({
        "fields": fields,
        "status_values": ["shown", "primary", "secondary"],
        "level_values": ["zone", "municipality", "not-located"],
        "licence": {"name": licence, "url": url},
        "note": tr.t("od-note"),
    })
}

async fn open_data_dictionary(State(state): State<AppState>, ctx: Ctx) -> Json<Value> {
    Json(dictionary(&state, &ctx))
}

/// The public table for open data, with its disclosure rules; audited as an export.
async fn open_data_table(
    state: &AppState,
    ctx: &Ctx,
    zone: &str,
    f: &Filter,
    format: &str,
) -> WebResult<(
    std::sync::Arc<crate::figures::Public>,
    veilig_disclosure::Rules,
)> {
    let p = public_table(state, zone, f).await?;
    let note = p
        .source
        .disclosure
        .clone()
        .unwrap_or_else(|| state.config.disclosure.clone());
    if let Some(z) = state.store.zone(zone).await? {
        exported(
            state,
            ctx,
            z.id,
            format!(
                "open data {} – {}{} ({format})",
                p.source.period.start,
                p.source.period.end,
                disclosure_note(&p.source)
            ),
        )
        .await?;
    }
    Ok((p, note))
}

/// Open data as JSON: the same lines as the CSV with the dictionary, the licence and where
/// the figures come from.
async fn open_data_json(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<Json<Value>> {
    let (p, note) = open_data_table(&state, &ctx, &zone, &f, "json").await?;
    let rows: Vec<Value> = p
        .open_data()
        .into_iter()
        .map(|r| {
            json!({
                "zone": r.zone, "phenomenon": r.phenomenon, "level": r.level, "unit": r.unit,
                "period_start": r.period_start, "period_end": r.period_end, "count": r.count,
                "status": r.status.as_str(), "synthetic": p.source.synthetic,
                "disclosure_method": note.method, "disclosure_version": note.version,
                "threshold": note.threshold,
            })
        })
        .collect();
    let d = dictionary(&state, &ctx);
    Ok(Json(json!({
        "zone": p.source.zone,
        "zone_name": p.source.zone_name,
        "period": p.source.period,
        "synthetic": p.source.synthetic,
        "licence": d["licence"],
        "dictionary": d,
        "source": p.source,
        "rows": rows,
    })))
}

/// Open data: the public table as CSV, one line per published figure with its status and
/// the disclosure method and parameters it was made with (the same control as the page).
async fn open_data(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<impl IntoResponse> {
    let (p, note) = open_data_table(&state, &ctx, &zone, &f, "csv").await?;
    let mut out = OPEN_DATA_FIELDS
        .iter()
        .map(|f| f.0)
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for r in p.open_data() {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.zone,
            r.phenomenon,
            r.level,
            r.unit,
            r.period_start,
            r.period_end,
            r.count.map(|c| c.to_string()).unwrap_or_default(),
            r.status.as_str(),
            p.source.synthetic,
            note.method,
            note.version,
            note.threshold,
        ));
    }
    let described_by =
        format!("</api/v1/public/{zone}/open-data/dictionary.json>; rel=\"describedby\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::LINK, described_by),
        ],
        out,
    ))
}
