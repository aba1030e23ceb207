//! `veilig forecast`: the backtest and tuning on files (no store), and next week's cells of a
//! zone from the store.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use veilig_forecast::{
    Backtest, Events, Method, Minutes, Params, Point, Truth, VsNaive, backtest, minutes, vs_naive,
};
use veilig_import::{LocatedFile, incident_format, metric_crs, read_located};

use crate::cli::forecast::{BacktestArgs, FileArgs, ForecastSub, TuneArgs};
use crate::output;

/// The subcommands that read files only.
pub fn offline(cmd: ForecastSub) -> Result<ExitCode> {
    match cmd {
        ForecastSub::Methods => {
            for name in Method::names() {
                println!("{name}");
            }
            Ok(ExitCode::SUCCESS)
        }
        ForecastSub::Backtest(a) => run_backtest(a),
        ForecastSub::Tune(a) => tune(a),
    }
}

fn method(name: &str) -> Result<Method> {
    Method::parse(name).with_context(|| {
        format!(
            "unknown method {name:?}; `veilig forecast methods` lists: {}",
            Method::names().join(", ")
        )
    })
}

fn origin(d: NaiveDate) -> Minutes {
    minutes(d.and_hms_opt(0, 0, 0).expect("midnight"))
}

/// Reads a file the way the protocol does: every located row projected to metres.
fn read(a: &FileArgs, path: &std::path::Path) -> Result<LocatedFile> {
    let source = a.source.name();
    let format = incident_format(source, a.mapping.as_deref())?;
    let crs = a.crs.or_else(|| metric_crs(source)).with_context(|| {
        format!("the {source} source has no default metric CRS: give --crs EPSG (in metres)")
    })?;
    let f = read_located(path, format.as_ref(), crs)?;
    if let Some(r) = f.rejects.first() {
        eprintln!(
            "{}: {} rows refused (first: line {}, field {}: {})",
            path.display(),
            f.rejects.len(),
            r.line,
            r.field,
            r.reason
        );
    }
    Ok(f)
}

fn points(f: &LocatedFile) -> Vec<Point> {
    f.rows
        .iter()
        .map(|r| Point {
            x: r.x,
            y: r.y,
            t: minutes(r.at),
            category: r.category.clone(),
        })
        .collect()
}

fn events(a: &FileArgs) -> Result<Events> {
    let f = read(a, &a.file)?;
    let ev = Events::build(&points(&f), &a.kind, a.cell)
        .with_context(|| format!("{}: no located rows", a.file.display()))?;
    if ev.is_empty() {
        bail!(
            "{}: no rows of type {:?} (the type is matched exactly)",
            a.file.display(),
            a.kind
        );
    }
    Ok(ev)
}

#[derive(serde::Serialize)]
struct BacktestOut<'a> {
    #[serde(flatten)]
    backtest: &'a Backtest,
    source: &'a str,
    file: String,
    truth: Option<String>,
    r#type: &'a str,
    first_origin: NaiveDate,
    vs_naive: Vec<VsNaive>,
}

fn run_backtest(a: BacktestArgs) -> Result<ExitCode> {
    let m = method(&a.method)?;
    let ev = events(&a.file)?;
    let truth = match &a.truth {
        None => Truth::same(&ev),
        Some(path) => {
            let f = read(&a.file, path)?;
            let pts: Vec<(f64, f64, Minutes)> = f
                .rows
                .iter()
                .filter(|r| r.category == a.file.kind)
                .map(|r| (r.x, r.y, minutes(r.at)))
                .collect();
            Truth::on_grid(&ev, &pts)
        }
    };
    let o = origin(a.first_origin);
    let params = veilig_forecast::FROZEN;
    let result = backtest(&ev, &truth, m, &params, o, a.weeks);
    let naive = if m == Method::Naive {
        result.clone()
    } else {
        backtest(&ev, &truth, Method::Naive, &params, o, a.weeks)
    };
    let vs = vs_naive(&result, &naive);
    if a.json {
        let mut out = serde_json::to_value(BacktestOut {
            backtest: &result,
            source: a.file.source.name(),
            file: a.file.file.display().to_string(),
            truth: a.truth.as_ref().map(|p| p.display().to_string()),
            r#type: &a.file.kind,
            first_origin: a.first_origin,
            vs_naive: vs,
        })?;
        if !a.weekly {
            out.as_object_mut().map(|o| o.remove("weeks"));
        }
        output::json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_backtest(&result, &vs, a.weekly);
    Ok(ExitCode::SUCCESS)
}

fn print_backtest(b: &Backtest, vs: &[VsNaive], weekly: bool) {
    println!(
        "{}: {} weekly origins, {} test events, mask {} cells of {} m; median {:.4} s per forecast",
        b.method, b.origins, b.test_events, b.mask_cells, b.cell_metres, b.seconds_per_forecast
    );
    println!(
        "{:>9} {:>6} {:>9} {:>7} {:>7} {:>9} {:>17} {:>9} {:>9}  verdict",
        "coverage",
        "cells",
        "hit rate",
        "PAI",
        "PEI*",
        "vs naive",
        "95% interval",
        "p event",
        "p weekly"
    );
    for (j, v) in vs.iter().enumerate() {
        println!(
            "{:>8}% {:>6} {:>9.3} {:>7.2} {:>7.3} {:>9.3} {:>8.3}–{:<8.3} {:>9.4} {:>9.4}  {}",
            b.coverage[j],
            b.flagged_cells[j],
            b.hit_rate[j],
            b.pai[j],
            b.pei_star[j],
            v.ratio,
            v.interval[0],
            v.interval[1],
            v.p_value,
            v.p_wilcoxon,
            v.verdict
        );
    }
    println!("log score per event: {:.4}", b.log_score);
    if weekly {
        for w in &b.weeks {
            println!(
                "{} n={} hits={:?} best={:?}",
                w.origin.date(),
                w.n,
                w.hits,
                w.best
            );
        }
    }
}

/// Candidate parameters for Veilig's own methods, tried on the tuning origins only.
fn candidates() -> Vec<(Method, Params)> {
    let mut out = Vec::new();
    for h in [91.0, 182.0, 365.0, 730.0, 1461.0] {
        out.push((
            Method::Ewma,
            Params {
                half_life_days: h,
                ..veilig_forecast::FROZEN
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

#[derive(serde::Serialize)]
struct TuneRow {
    method: &'static str,
    params: Params,
    hit_rate: [f64; 5],
    ratio_1: f64,
    ratio_5: f64,
}

fn tune(a: TuneArgs) -> Result<ExitCode> {
    let ev = events(&a.file)?;
    let truth = Truth::same(&ev);
    let o = origin(a.first_origin);
    let p = veilig_forecast::FROZEN;
    let naive = backtest(&ev, &truth, Method::Naive, &p, o, a.weeks);
    let mut rows = Vec::new();
    for (m, params) in candidates() {
        let b = backtest(&ev, &truth, m, &params, o, a.weeks);
        rows.push(TuneRow {
            method: m.name(),
            params,
            hit_rate: b.hit_rate,
            ratio_1: b.hit_rate[1] / naive.hit_rate[1],
            ratio_5: b.hit_rate[3] / naive.hit_rate[3],
        });
    }
    rows.sort_by(|x, y| (y.ratio_1 + y.ratio_5).total_cmp(&(x.ratio_1 + x.ratio_5)));
    if a.json {
        output::json(&rows)?;
    } else {
        println!(
            "naive: hit rate {:?}",
            naive.hit_rate.map(|v| (v * 1000.0).round() / 1000.0)
        );
        for r in &rows {
            println!(
                "{:<6} h={:<6} rec={:<5} nb={:<5} oth={:<5} ratio@1%={:.3} ratio@5%={:.3} hr={:?}",
                r.method,
                r.params.half_life_days,
                r.params.recency,
                r.params.neighbours,
                r.params.other_types,
                r.ratio_1,
                r.ratio_5,
                r.hit_rate.map(|v| (v * 1000.0).round() / 1000.0)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Next week's cells of a zone (from the store), beside the naive count, with the evidence
/// badge and the model card.
pub async fn next(
    store: &veilig_store::Store,
    a: crate::cli::forecast::NextArgs,
) -> Result<ExitCode> {
    let zone = super::given_or_only_zone(store, a.zone.as_deref()).await?;
    let phenomenon = a
        .phenomenon
        .context("give --phenomenon CODE (e.g. woninginbraak); `veilig status` lists them")?;
    let req = veilig_query::forecast::ForecastRequest {
        phenomenon,
        method: method(&a.method)?,
        coverage: a.coverage,
        cell: a.cell,
        origin: a.origin,
    };
    let v = veilig_query::forecast::next_week(store, &zone, &req).await?;
    output::emit(&v, a.json, print_next)
}

fn print_next(v: &veilig_query::forecast::ForecastView) {
    if v.synthetic {
        println!("SYNTHETIC DEMO DATA");
    }
    println!(
        "{} {}: week {} to {}, {} % of {} cells ({} cells of {} m)",
        v.zone,
        v.phenomenon,
        v.origin,
        v.week_end,
        v.coverage,
        v.card.mask_cells,
        v.flagged_cells,
        v.cell_metres
    );
    let e = &v.card.backtest;
    if e.beats_naive {
        println!(
            "evidence: {} caught {:.3} of the events in the {} weeks before, the naive count {:.3}: ratio {:.2} (95% {:.2}-{:.2}, p {:.4})",
            e.method,
            e.hit_rate,
            e.weeks,
            e.naive_hit_rate,
            e.vs_naive.ratio,
            e.vs_naive.interval[0],
            e.vs_naive.interval[1],
            e.vs_naive.p_value
        );
    } else {
        println!(
            "evidence: {} does not beat the naive count on the {} weeks before (ratio {:.2}, 95% {:.2}-{:.2}, p {:.4}); showing the naive count",
            e.method,
            e.weeks,
            e.vs_naive.ratio,
            e.vs_naive.interval[0],
            e.vs_naive.interval[1],
            e.vs_naive.p_value
        );
    }
    println!(
        "{:>4} {:>12} {:>12} {:>6} {:>6}  area  ({})",
        "rank", "x", "y", "past", "naive", v.shown
    );
    for c in &v.cells {
        println!(
            "{:>4} {:>12.0} {:>12.0} {:>6} {:>6}  {}",
            c.rank,
            c.x,
            c.y,
            c.past_count,
            if c.in_naive { "yes" } else { "no" },
            c.area.as_deref().unwrap_or("-")
        );
    }
    for l in v.card.limits.iter() {
        println!("limit: {}", l.en);
    }
}
