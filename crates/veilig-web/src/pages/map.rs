//! GeoJSON for the Leaflet maps, in WGS84: the zone's area outlines (not sensitive), and
//! the kernel density of one phenomenon as grid cells (derived from incident locations:
//! only for users who may see record-derived maps; never points).

use axum::Json;
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use veilig_domain::{MultiPolygon, Projector};

use super::{Filter, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::policy::Action;

fn ring(p: &Projector, ring: &[[f64; 2]]) -> WebResult<Vec<[f64; 2]>> {
    ring.iter()
        .map(|&[x, y]| {
            p.project(x, y)
                .map(|(lon, lat)| [(lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5])
                .map_err(|e| WebError::Internal(e.into()))
        })
        .collect()
}

fn multipolygon(p: &Projector, m: &MultiPolygon) -> WebResult<Value> {
    let mut polys = Vec::new();
    for poly in &m.0 {
        let mut rings = vec![ring(p, &poly.exterior)?];
        for h in &poly.holes {
            rings.push(ring(p, h)?);
        }
        polys.push(rings);
    }
    Ok(json!({"type": "MultiPolygon", "coordinates": polys}))
}

pub async fn areas(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Json<Value>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let p = Projector::new(zone.crs, 4326).map_err(|e| WebError::Internal(e.into()))?;
    let mut features = Vec::new();
    for a in state.store.areas(zone.id).await? {
        features.push(json!({
            "type": "Feature",
            "properties": {"code": a.code, "name": a.name},
            "geometry": multipolygon(&p, &a.geometry)?,
        }));
    }
    Ok(Json(
        json!({"type": "FeatureCollection", "features": features}),
    ))
}

pub async fn hotspots(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((zone, code)): Path<(String, String)>,
    Query(f): Query<Filter>,
) -> WebResult<Json<Value>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::RecordDerived).await?;
    let figs = state.figures_for(&zone).await?;
    let period = f.period(&figs).await?;
    let (def, access) =
        crate::pages::phenomenon_scope(&state, &zone, &code, f.area.as_deref(), access).await?;
    let d = figs.detail(&def, period, &access).await?;
    let pts = d.loaded.points_in_period();
    let cell = 200.0;
    let Some(h) = veilig_analysis::hotspot::default_bandwidth(&pts) else {
        return Ok(Json(json!({"type": "FeatureCollection", "features": []})));
    };
    let h = h.max(cell);
    let grid = veilig_query::map_grid(&d.loaded.areas, &pts, cell);
    let k = veilig_analysis::hotspot::kde(&grid, &pts, h);
    let max = k.values.iter().copied().fold(0.0, f64::max);
    let p = Projector::new(zone.crs, 4326).map_err(|e| WebError::Internal(e.into()))?;
    let mut features = Vec::new();
    // Only the upper part of the surface: cells at or above 40 % of the peak.
    for (i, v) in k.values.iter().enumerate() {
        if max <= 0.0 || *v < 0.4 * max {
            continue;
        }
        let (cx, cy) = k.centre(i);
        let r = cell / 2.0;
        let sq = ring(
            &p,
            &[
                [cx - r, cy - r],
                [cx + r, cy - r],
                [cx + r, cy + r],
                [cx - r, cy + r],
                [cx - r, cy - r],
            ],
        )?;
        features.push(json!({
            "type": "Feature",
            "properties": {"density": (v * 100.0).round() / 100.0, "level": (v / max * 100.0).round() / 100.0},
            "geometry": {"type": "Polygon", "coordinates": [sq]},
        }));
    }
    Ok(Json(json!({
        "type": "FeatureCollection",
        "method": format!("quartic kernel density, bandwidth {h:.0} m, {cell} m cells; cells at or above 40 % of the peak"),
        "unit": "incidents per km²",
        "features": features,
    })))
}
