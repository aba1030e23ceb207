//! The command line's analyses over a selection of incidents: the security picture with its
//! published statistics, hotspots on a grid or H3 cells, and the Knox near-repeat test. Each
//! returns its figures with their provenance; `page` renders the picture as a stand-alone
//! page with SVG charts in the reader's language.

pub mod page;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_analysis::hotspot::{self, Grid};
use veilig_analysis::picture::{Baseline, Picture, picture as build_picture};
use veilig_analysis::{TestRules, knox};
use veilig_store::{PublishedCell, Store};

use crate::{Loaded, Selection, denominators, load, map_grid};

/// The picture of a selection: the figures, the loaded incidents they come from, and the
/// published statistics of the same phenomenon as published.
pub struct PictureRun {
    pub loaded: Loaded,
    pub picture: Picture,
    pub published: Vec<PublishedCell>,
    /// The picture, its provenance and the published cells as one JSON document.
    pub value: serde_json::Value,
}

/// The picture of `sel` compared by `compare` (`previous-year`, `previous-3-years`).
pub async fn picture(
    store: &Store,
    sel: &Selection,
    compare: &str,
    rules: TestRules,
) -> Result<PictureRun> {
    let baseline =
        Baseline::parse(compare).with_context(|| format!("comparison {compare:?} unknown"))?;
    let parameters = serde_json::json!({"compare": compare, "alpha": rules.alpha, "min_events": rules.min_events});
    let l = load(store, sel, parameters).await?;
    let denominators = denominators(store, &l.zone, &l.areas, l.period.end).await?;
    let pic = build_picture(
        &l.events,
        l.period,
        baseline,
        &denominators,
        l.coverage,
        rules,
    );
    let mut value = serde_json::to_value(&pic)?;
    value["provenance"] = serde_json::to_value(&l.provenance)?;
    // Published statistics of the same figure, on their own terms: as published, latest
    // revision, never summed with each other or with the incident counts.
    let names: Vec<String> = store
        .phenomena(l.zone.id)
        .await?
        .into_iter()
        .filter(|p| p.code == sel.phenomenon)
        .map(|p| p.nl)
        .chain([sel.phenomenon.clone()])
        .collect();
    let mut published = Vec::new();
    for n in &names {
        published = store.published(l.zone.id, n).await?;
        if !published.is_empty() {
            break;
        }
    }
    value["published"] = serde_json::json!({
        "note": "as published by the source, latest closing date per cell; criminele figuren are never summed",
        "cells": published,
    });
    Ok(PictureRun {
        loaded: l,
        picture: pic,
        published,
        value,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HotspotMethod {
    Counts,
    Kde,
    Gistar,
    H3,
}

impl HotspotMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HotspotMethod::Counts => "counts",
            HotspotMethod::Kde => "kde",
            HotspotMethod::Gistar => "gistar",
            HotspotMethod::H3 => "h3",
        }
    }
}

/// How hotspots are asked for.
#[derive(Debug, Clone, Copy)]
pub struct HotspotRequest {
    pub method: HotspotMethod,
    /// Cell size in metres.
    pub cell: f64,
    /// KDE bandwidth in metres (default: the ArcGIS Pro rule).
    pub bandwidth: Option<f64>,
    /// Gi* neighbourhood radius in cells and FDR level.
    pub radius: usize,
    pub alpha: f64,
    /// H3 resolution.
    pub resolution: u8,
}

#[derive(Serialize)]
struct Cell {
    ix: usize,
    iy: usize,
    x: f64,
    y: f64,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    z: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'static str>,
}

/// Hotspots of a selection: the cells with a value, their grid and provenance (`value`),
/// and for a grid method the grid itself to draw.
pub struct HotspotRun {
    pub loaded: Loaded,
    pub events: usize,
    pub cells: usize,
    /// Gi*'s hot and cold cells.
    pub hot_cold: Option<(usize, usize)>,
    /// The grid and, for Gi*, each cell's class (not for H3).
    pub grid: Option<(Grid, Option<Vec<&'static str>>)>,
    pub value: serde_json::Value,
}

pub async fn hotspots(store: &Store, sel: &Selection, r: HotspotRequest) -> Result<HotspotRun> {
    if r.cell <= 0.0 {
        bail!("--cell must be positive");
    }
    let method = r.method.as_str();
    let parameters = serde_json::json!({"cell": r.cell, "method": method, "bandwidth": r.bandwidth, "radius": r.radius, "alpha": r.alpha, "resolution": r.resolution});
    let l = load(store, sel, parameters).await?;
    let pts = l.points_in_period();
    if r.method == HotspotMethod::H3 {
        return h3(l, &pts, r.resolution);
    }
    let grid = map_grid(&l.areas, &pts, r.cell);
    let counts = hotspot::counts(&grid, &pts);
    let (values, gi, bandwidth) = match r.method {
        HotspotMethod::Kde => {
            let h = match r.bandwidth {
                Some(h) => h,
                None => hotspot::default_bandwidth(&pts)
                    .context("too few located incidents for a kernel density")?,
            };
            (hotspot::kde(&grid, &pts, h), None, Some(h))
        }
        HotspotMethod::Gistar => {
            let gi = hotspot::gi_star(&counts, r.radius, r.alpha);
            (counts, Some(gi), None)
        }
        _ => (counts, None, None),
    };
    let cells: Vec<Cell> = (0..values.values.len())
        .filter(|&i| values.values[i] > 0.0 || gi.as_ref().is_some_and(|g| g.class[i] != "-"))
        .map(|i| {
            let (x, y) = values.centre(i);
            Cell {
                ix: i % values.nx,
                iy: i / values.nx,
                x,
                y,
                value: values.values[i],
                z: gi.as_ref().map(|g| g.z[i]),
                q: gi.as_ref().map(|g| g.q[i]),
                class: gi.as_ref().map(|g| g.class[i]),
            }
        })
        .collect();
    let class_count = |c: &str| {
        gi.as_ref()
            .map_or(0, |g| g.class.iter().filter(|x| **x == c).count())
    };
    let hot_cold = gi
        .as_ref()
        .map(|_| (class_count("hot"), class_count("cold")));
    let kde = r.method == HotspotMethod::Kde;
    let value = serde_json::json!({
        "method": method,
        "cell": r.cell,
        "crs": l.zone.crs,
        "grid": {"x0": values.x0, "y0": values.y0, "nx": values.nx, "ny": values.ny},
        "events": pts.len(),
        "bandwidth": bandwidth,
        "bandwidth_rule": if kde && r.bandwidth.is_none() { Some("0.9 · min(SD, √(1/ln 2) · Dm) · n^-0.2 (ArcGIS Pro Kernel Density default)") } else { None },
        "unit": if kde { "incidents per km²" } else { "incidents per cell" },
        "gistar": gi.as_ref().map(|g| serde_json::json!({"radius": g.radius, "alpha": g.alpha, "method": g.method, "hot": class_count("hot"), "cold": class_count("cold")})),
        "cells": cells,
        "provenance": l.provenance,
    });
    Ok(HotspotRun {
        events: pts.len(),
        cells: cells.len(),
        hot_cold,
        grid: Some((values, gi.map(|g| g.class))),
        loaded: l,
        value,
    })
}

/// Counts per H3 cell: the zone's metres back to WGS84, then h3o.
fn h3(l: Loaded, pts: &[(f64, f64)], resolution: u8) -> Result<HotspotRun> {
    let back = veilig_domain::Projector::new(l.zone.crs, 4326)?;
    let lnglat = pts
        .iter()
        .map(|&(x, y)| back.project(x, y))
        .collect::<Result<Vec<_>, _>>()?;
    let cells = veilig_analysis::hex::h3_counts(&lnglat, resolution).map_err(anyhow::Error::msg)?;
    let value = serde_json::json!({
        "method": "h3",
        "resolution": resolution,
        "events": pts.len(),
        "unit": "incidents per H3 cell",
        "cells": cells,
        "provenance": l.provenance,
    });
    Ok(HotspotRun {
        events: pts.len(),
        cells: cells.len(),
        hot_cold: None,
        grid: None,
        loaded: l,
        value,
    })
}

/// The Knox test of a selection's located incidents in the period, with its provenance.
pub async fn near_repeat(
    store: &Store,
    sel: &Selection,
    (space_bands, time_bands): (&[f64], &[f64]),
    (permutations, seed, alpha): (u32, u64, f64),
) -> Result<(knox::Knox, serde_json::Value)> {
    for (name, b) in [("--space-bands", space_bands), ("--time-bands", time_bands)] {
        if b.len() < 2 || b.windows(2).any(|w| w[1] <= w[0]) || b[0] < 0.0 {
            bail!("{name} must be at least two increasing, non-negative edges, e.g. 0,100,200,400");
        }
    }
    let parameters = serde_json::json!({"space_bands": space_bands, "time_bands": time_bands, "permutations": permutations, "seed": seed, "alpha": alpha});
    let l = load(store, sel, parameters).await?;
    let origin = l.period.start.and_hms_opt(0, 0, 0).expect("midnight");
    let (pts, times): (Vec<(f64, f64)>, Vec<f64>) = l
        .events
        .iter()
        .filter(|e| l.period.contains(e.date()))
        .filter_map(|e| {
            e.xy.map(|xy| (xy, (e.from - origin).num_seconds() as f64 / 86_400.0))
        })
        .unzip();
    let k = knox::knox(
        &pts,
        &times,
        space_bands,
        time_bands,
        permutations,
        seed,
        alpha,
    );
    let mut v = serde_json::to_value(&k)?;
    v["provenance"] = serde_json::to_value(&l.provenance)?;
    Ok((k, v))
}
