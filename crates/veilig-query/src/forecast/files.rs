//! The forecast protocol on files, without a store: the rolling-origin backtest of a method
//! against the naive count (the TOR-BE-W protocol of `bench/forecast/METHODS.md`) and the
//! tuning of Veilig's own methods on the origins before the test year. `veilig forecast
//! backtest` and `veilig forecast tune` call these and print.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::Serialize;
use veilig_forecast::{
    Backtest, Events, FROZEN, Method, Minutes, Params, Point, Truth, VsNaive, backtest, minutes,
    vs_naive,
};
use veilig_import::{LocatedFile, incident_format, metric_crs, read_located};

/// Which file, read how, and which of its offence types on which grid.
#[derive(Debug, Clone)]
pub struct EventFile {
    /// The import source's name (`police-uk`, `toronto-mci`, `generic`).
    pub source: &'static str,
    pub file: PathBuf,
    /// Mapping file (TOML) for the generic source.
    pub mapping: Option<PathBuf>,
    /// The offence type, matched exactly against the file's category.
    pub kind: String,
    /// Cell size in metres.
    pub cell: f64,
    /// Metric CRS (EPSG) to grid in; default the source's own.
    pub crs: Option<i32>,
}

/// The events of one type on their grid, and what the reader refused on the way.
pub struct FileEvents {
    pub events: Events,
    /// "FILE: N rows refused (first: line L, field F: reason)" when any was.
    pub refused: Option<String>,
}

/// Reads a file the way the protocol does: every located row projected to metres.
fn read(spec: &EventFile, path: &Path) -> Result<(LocatedFile, Option<String>)> {
    let format = incident_format(spec.source, spec.mapping.as_deref())?;
    let crs = spec
        .crs
        .or_else(|| metric_crs(spec.source))
        .with_context(|| {
            format!(
                "the {} source has no default metric CRS: give --crs EPSG (in metres)",
                spec.source
            )
        })?;
    let f = read_located(path, format.as_ref(), crs)?;
    let refused = f.rejects.first().map(|r| {
        format!(
            "{}: {} rows refused (first: line {}, field {}: {})",
            path.display(),
            f.rejects.len(),
            r.line,
            r.field,
            r.reason
        )
    });
    Ok((f, refused))
}

/// The file's events of the chosen type on a grid of the chosen cell size.
pub fn read_events(spec: &EventFile) -> Result<FileEvents> {
    let (f, refused) = read(spec, &spec.file)?;
    let points: Vec<Point> = f
        .rows
        .iter()
        .map(|r| Point {
            x: r.x,
            y: r.y,
            t: minutes(r.at),
            category: r.category.clone(),
        })
        .collect();
    let events = Events::build(&points, &spec.kind, spec.cell)
        .with_context(|| format!("{}: no located rows", spec.file.display()))?;
    if events.is_empty() {
        bail!(
            "{}: no rows of type {:?} (the type is matched exactly)",
            spec.file.display(),
            spec.kind
        );
    }
    Ok(FileEvents { events, refused })
}

fn origin(d: NaiveDate) -> Minutes {
    minutes(d.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// A backtest of one method on a file.
#[derive(Debug, Clone)]
pub struct BacktestRequest {
    pub file: EventFile,
    pub method: Method,
    /// The first weekly origin (its midnight).
    pub first_origin: NaiveDate,
    pub weeks: usize,
    /// Judge against the events of this later file (same format); the model sees only `file`.
    pub truth: Option<PathBuf>,
}

/// The backtest with the paired comparison against the naive count, and where it came from.
#[derive(Debug, Serialize)]
pub struct BacktestReport {
    #[serde(flatten)]
    pub backtest: Backtest,
    pub source: &'static str,
    pub file: String,
    pub truth: Option<String>,
    pub r#type: String,
    pub first_origin: NaiveDate,
    pub vs_naive: Vec<VsNaive>,
    /// The readers' refusals, for the terminal's error stream (not part of the answer).
    #[serde(skip)]
    pub refused: Vec<String>,
}

pub fn backtest_file(req: &BacktestRequest) -> Result<BacktestReport> {
    let spec = &req.file;
    let FileEvents {
        events: ev,
        refused,
    } = read_events(spec)?;
    let mut refusals: Vec<String> = refused.into_iter().collect();
    let truth = match &req.truth {
        None => Truth::same(&ev),
        Some(path) => {
            let (f, refused) = read(spec, path)?;
            refusals.extend(refused);
            let pts: Vec<(f64, f64, Minutes)> = f
                .rows
                .iter()
                .filter(|r| r.category == spec.kind)
                .map(|r| (r.x, r.y, minutes(r.at)))
                .collect();
            Truth::on_grid(&ev, &pts)
        }
    };
    let o = origin(req.first_origin);
    let result = backtest(&ev, &truth, req.method, &FROZEN, o, req.weeks);
    let naive = if req.method == Method::Naive {
        result.clone()
    } else {
        backtest(&ev, &truth, Method::Naive, &FROZEN, o, req.weeks)
    };
    let vs = vs_naive(&result, &naive);
    Ok(BacktestReport {
        backtest: result,
        source: spec.source,
        file: spec.file.display().to_string(),
        truth: req.truth.as_ref().map(|p| p.display().to_string()),
        r#type: spec.kind.clone(),
        first_origin: req.first_origin,
        vs_naive: vs,
        refused: refusals,
    })
}

/// Candidate parameters for Veilig's own methods, tried on the tuning origins only.
fn candidates() -> Vec<(Method, Params)> {
    let mut out = Vec::new();
    for h in [91.0, 182.0, 365.0, 730.0, 1461.0] {
        out.push((
            Method::Ewma,
            Params {
                half_life_days: h,
                ..FROZEN
            },
        ));
    }
    for h in [182.0, 365.0, 730.0] {
        for recency in [0.0, 0.25, 0.5, 1.0, 2.0] {
            for neighbours in [0.0, 0.02, 0.05, 0.1, 0.2] {
                for other_types in [0.0, 0.01, 0.03, 0.1] {
                    out.push((
                        Method::Blend,
                        Params {
                            half_life_days: h,
                            recency,
                            neighbours,
                            other_types,
                        },
                    ));
                }
            }
        }
    }
    out
}

/// One candidate's pooled hit rates and its ratios to the naive count at 1 % and 5 %.
#[derive(Debug, Serialize)]
pub struct TuneRow {
    pub method: &'static str,
    pub params: Params,
    pub hit_rate: [f64; 5],
    pub ratio_1: f64,
    pub ratio_5: f64,
}

/// Every candidate, best first (by the sum of its two ratios), beside the naive count.
pub struct Tuning {
    pub naive_hit_rate: [f64; 5],
    pub rows: Vec<TuneRow>,
    pub refused: Option<String>,
}

pub fn tune_file(spec: &EventFile, first_origin: NaiveDate, weeks: usize) -> Result<Tuning> {
    let FileEvents {
        events: ev,
        refused,
    } = read_events(spec)?;
    let truth = Truth::same(&ev);
    let o = origin(first_origin);
    let naive = backtest(&ev, &truth, Method::Naive, &FROZEN, o, weeks);
    let mut rows: Vec<TuneRow> = candidates()
        .into_iter()
        .map(|(m, params)| {
            let b = backtest(&ev, &truth, m, &params, o, weeks);
            TuneRow {
                method: m.name(),
                params,
                hit_rate: b.hit_rate,
                ratio_1: b.hit_rate[1] / naive.hit_rate[1],
                ratio_5: b.hit_rate[3] / naive.hit_rate[3],
            }
        })
        .collect();
    rows.sort_by(|x, y| (y.ratio_1 + y.ratio_5).total_cmp(&(x.ratio_1 + x.ratio_5)));
    Ok(Tuning {
        naive_hit_rate: naive.hit_rate,
        rows,
        refused,
    })
}
