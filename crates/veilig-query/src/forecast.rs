//! Next week's likeliest cells of a zone, beside the naive count, with the evidence that
//! decides which of the two is shown and the model card. What `veilig forecast` and the
//! forecast page share.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use veilig_domain::{Projector, Zone};
use veilig_forecast::card::{LIMITS, Limit};
use veilig_forecast::stored::StaticName;
use veilig_forecast::{
    COVERAGE, Events, Evidence, FROZEN, Method, Params, Point, coverage_index, evidence,
    flagged_cells, from_minutes, minutes, ranking,
};
use veilig_store::{IncidentQuery, Store};

use crate::{BatchRef, batch_refs};

pub mod files;

/// Weeks of the zone's own past the evidence badge is computed on.
pub const EVIDENCE_WEEKS: usize = 26;

#[derive(Debug, Clone)]
pub struct ForecastRequest {
    pub phenomenon: String,
    pub method: Method,
    /// One of [`COVERAGE`], in per cent.
    pub coverage: f64,
    pub cell: f64,
    /// Monday the forecast week starts; default the Monday after the zone's last incident.
    pub origin: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForecastCell {
    pub rank: usize,
    pub cell_id: usize,
    pub ix: usize,
    pub iy: usize,
    /// Centre in the zone's CRS (metres) and in WGS84.
    pub x: f64,
    pub y: f64,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The area (wijk) holding the centre, when the zone has areas.
    pub area: Option<String>,
    /// Past incidents of the phenomenon in the cell (the naive count).
    pub past_count: u64,
    /// Also among the naive count's flagged cells.
    pub in_naive: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelCard {
    pub data: String,
    pub events: usize,
    pub first_event: Option<NaiveDate>,
    pub last_event: Option<NaiveDate>,
    pub batches: Vec<BatchRef>,
    #[serde(deserialize_with = "veilig_forecast::stored::method_name")]
    pub method: StaticName,
    pub parameters: Option<Params>,
    pub grid: String,
    pub mask_cells: usize,
    pub backtest: Evidence,
    /// The same for every forecast: a stored forecast reads them from this version.
    #[serde(skip_deserializing, default = "limits")]
    pub limits: &'static [Limit],
}

fn limits() -> &'static [Limit] {
    LIMITS
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForecastView {
    pub zone: String,
    pub zone_name: String,
    pub synthetic: bool,
    pub phenomenon: String,
    pub origin: NaiveDate,
    /// Last day of the forecast week (included).
    pub week_end: NaiveDate,
    /// The last day the zone's data cover (the week follows it).
    #[serde(default)]
    pub data_through: Option<NaiveDate>,
    pub coverage: f64,
    pub flagged_cells: usize,
    pub cell_metres: f64,
    pub crs: i32,
    /// The method asked for, and the one shown: the naive count when the method does not
    /// beat it on the zone's own backtest.
    #[serde(deserialize_with = "veilig_forecast::stored::method_name")]
    pub method: StaticName,
    #[serde(deserialize_with = "veilig_forecast::stored::method_name")]
    pub shown: StaticName,
    pub cells: Vec<ForecastCell>,
    pub naive_cells: Vec<ForecastCell>,
    pub card: ModelCard,
}

/// The Monday after `d`.
fn monday_after(d: NaiveDate) -> NaiveDate {
    d + Duration::days(7 - i64::from(d.weekday().num_days_from_monday()))
}

pub async fn next_week(store: &Store, zone: &Zone, req: &ForecastRequest) -> Result<ForecastView> {
    let j = coverage_index(req.coverage).with_context(|| {
        format!(
            "coverage {} is not one of {:?} (per cent)",
            req.coverage, COVERAGE
        )
    })?;
    if req.cell.is_nan() || req.cell < 50.0 || req.cell > 2000.0 {
        bail!("the cell size must lie between 50 and 2000 metres");
    }
    let phenomena = store.phenomena(zone.id).await?;
    if !phenomena.iter().any(|p| p.code == req.phenomenon) {
        bail!(
            "zone {} has no phenomenon {:?}; `veilig status --zone {}` lists them",
            zone.code.as_str(),
            req.phenomenon,
            zone.code.as_str()
        );
    }
    // Every located incident of every phenomenon: the mask and the other-offence signal.
    let mut points = Vec::new();
    // (time, batch) of the phenomenon's located incidents: the batches the forecast reads.
    let mut own_batches: Vec<(veilig_forecast::Minutes, i64)> = Vec::new();
    for p in &phenomena {
        let q = IncidentQuery {
            phenomenon: Some(p.code.clone()),
            ..Default::default()
        };
        let own = p.code == req.phenomenon;
        for r in store.analysis_rows(zone.id, &q).await? {
            if own && r.xy.is_some() {
                own_batches.push((minutes(r.from), r.batch_id));
            }
            if let Some((x, y)) = r.xy {
                points.push(Point {
                    x,
                    y,
                    t: minutes(r.from),
                    category: p.code.clone(),
                });
            }
        }
    }
    let own: Vec<&Point> = points
        .iter()
        .filter(|p| p.category == req.phenomenon)
        .collect();
    let last = own
        .iter()
        .map(|p| p.t)
        .max()
        .context("no located incidents of this phenomenon")?;
    let first = own.iter().map(|p| p.t).min().expect("non-empty");
    let data_through = crate::zone_coverage(store, zone.id).await?.map(|c| c.end);
    let origin = match req.origin {
        Some(d) if d.weekday() != chrono::Weekday::Mon => {
            bail!(
                "the forecast week starts on a Monday; {d} is a {}",
                d.weekday()
            )
        }
        Some(d) => d,
        // The week after the zone's data (its coverage), not after this phenomenon's last
        // record: a quiet last week is data too.
        None => monday_after(data_through.unwrap_or(from_minutes(last).date())),
    };
    let ev = Events::build(&points, &req.phenomenon, req.cell).context("no located incidents")?;
    let o = minutes(origin.and_hms_opt(0, 0, 0).expect("midnight"));
    let used: std::collections::BTreeSet<i64> = own_batches
        .iter()
        .filter(|(t, _)| *t < o)
        .map(|(_, b)| *b)
        .collect();
    let params = FROZEN;
    let ev_badge = evidence(&ev, req.method, &params, o, EVIDENCE_WEEKS, j);
    let shown = if ev_badge.beats_naive {
        req.method
    } else {
        Method::Naive
    };
    let k = flagged_cells(ev.mask.len())[j];
    let naive_v = Method::Naive.intensity(&ev, o, &params);
    let naive_top: Vec<u32> = ranking(&naive_v).into_iter().take(k).collect();
    let shown_top: Vec<u32> = if shown == Method::Naive {
        naive_top.clone()
    } else {
        ranking(&shown.intensity(&ev, o, &params))
            .into_iter()
            .take(k)
            .collect()
    };
    let areas = store.areas(zone.id).await?;
    let wgs = Projector::new(zone.crs, 4326).ok();
    let describe = |order: &[u32]| -> Vec<ForecastCell> {
        order
            .iter()
            .enumerate()
            .map(|(rank, &i)| {
                let id = ev.mask[i as usize];
                let (x, y) = ev.grid.centre(id);
                let ll = wgs.as_ref().and_then(|p| p.project(x, y).ok());
                ForecastCell {
                    rank: rank + 1,
                    cell_id: id,
                    ix: id % ev.grid.nx,
                    iy: id / ev.grid.nx,
                    x,
                    y,
                    lon: ll.map(|l| l.0),
                    lat: ll.map(|l| l.1),
                    area: areas
                        .iter()
                        .find(|a| a.geometry.contains(x, y))
                        .map(|a| a.name.clone()),
                    past_count: naive_v[i as usize] as u64,
                    in_naive: naive_top.contains(&i),
                }
            })
            .collect()
    };
    let cells = describe(&shown_top);
    let naive_cells = describe(&naive_top);
    let own_method = veilig_forecast::METHODS
        .iter()
        .any(|m| m.method == req.method && !m.reference);
    Ok(ForecastView {
        zone: zone.code.as_str().to_string(),
        zone_name: zone.name.clone(),
        synthetic: zone.synthetic,
        phenomenon: req.phenomenon.clone(),
        origin,
        data_through,
        week_end: origin + Duration::days(6),
        coverage: COVERAGE[j],
        flagged_cells: k,
        cell_metres: req.cell,
        crs: zone.crs,
        method: req.method.name(),
        shown: shown.name(),
        cells,
        naive_cells,
        card: ModelCard {
            data: format!(
                "recorded incidents of {} in zone {}, located, occurrence start before {origin}",
                req.phenomenon,
                zone.code.as_str()
            ),
            events: ev.before(o),
            first_event: Some(from_minutes(first).date()),
            last_event: Some(from_minutes(last).date()),
            batches: batch_refs(store, zone.id, &used).await?,
            method: req.method.name(),
            parameters: own_method.then_some(params),
            grid: format!(
                "{} m cells from ({}, {}) in EPSG:{}, {} × {}; ranked on the cells with any incident",
                req.cell, ev.grid.x0, ev.grid.y0, zone.crs, ev.grid.nx, ev.grid.ny
            ),
            mask_cells: ev.mask.len(),
            backtest: ev_badge,
            limits: LIMITS,
        },
    })
}
