//! `veilig forecast`: the backtest and tuning on files (no store), and next week's cells of a
//! zone from the store.

use std::process::ExitCode;

use anyhow::{Context, Result};
use veilig_forecast::{Backtest, Method, VsNaive};
use veilig_query::forecast::files::{BacktestRequest, EventFile, backtest_file, tune_file};

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

fn file(a: &FileArgs) -> EventFile {
    EventFile {
        source: a.source.name(),
        file: a.file.clone(),
        mapping: a.mapping.clone(),
        kind: a.kind.clone(),
        cell: a.cell,
        crs: a.crs,
    }
}

fn run_backtest(a: BacktestArgs) -> Result<ExitCode> {
    let report = backtest_file(&BacktestRequest {
        file: file(&a.file),
        method: method(&a.method)?,
        first_origin: a.first_origin,
        weeks: a.weeks,
        truth: a.truth.clone(),
    })?;
    for r in &report.refused {
        eprintln!("{r}");
    }
    if a.json {
        let mut out = serde_json::to_value(&report)?;
        if !a.weekly {
            out.as_object_mut().map(|o| o.remove("weeks"));
        }
        output::json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_backtest(&report.backtest, &report.vs_naive, a.weekly);
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

fn tune(a: TuneArgs) -> Result<ExitCode> {
    let t = tune_file(&file(&a.file), a.first_origin, a.weeks)?;
    if let Some(r) = &t.refused {
        eprintln!("{r}");
    }
    if a.json {
        return output::emit(&t.rows, true, |_| ());
    }
    println!(
        "naive: hit rate {:?}",
        t.naive_hit_rate.map(|v| (v * 1000.0).round() / 1000.0)
    );
    for r in &t.rows {
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
