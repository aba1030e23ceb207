//! `veilig forecast`: the backtest and tuning on files (no store), and next week's cells of a
//! zone from the store.

use std::process::ExitCode;

use anyhow::{Context, Result};
use veilig_cli::print::forecast as print;
use veilig_forecast::Method;
use veilig_query::forecast::files::{BacktestRequest, EventFile, backtest_file, tune_file};

use veilig_cli::args::forecast::{BacktestArgs, FileArgs, ForecastSub, TuneArgs};
use veilig_cli::output;

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
    print::backtest(&report.backtest, &report.vs_naive, a.weekly);
    Ok(ExitCode::SUCCESS)
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
    a: veilig_cli::args::forecast::NextArgs,
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
    output::emit(&v, a.json, print::next)
}
