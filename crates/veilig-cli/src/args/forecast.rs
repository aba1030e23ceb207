//! `veilig forecast`: next week's likeliest cells for a zone beside the naive count, and the
//! backtest that decides whether a method may be shown at all.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::args::Source;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ForecastCmd {
    #[command(subcommand)]
    pub command: Option<ForecastSub>,
    #[command(flatten)]
    pub next: NextArgs,
}

#[derive(Debug, Subcommand)]
pub enum ForecastSub {
    /// Every method name, one a line.
    Methods,
    /// The rolling-origin backtest of a method on a file (the TOR-BE-W protocol), against the
    /// all-history count with paired tests.
    Backtest(BacktestArgs),
    /// Tune Veilig's own methods on origins before the test year (2017-2018 by default) and
    /// print every candidate's pooled hit rates; the frozen choice is documented in the code.
    Tune(TuneArgs),
}

#[derive(Debug, Args)]
pub struct FileArgs {
    #[arg(long, value_enum)]
    pub source: Source,
    #[arg(long)]
    pub file: PathBuf,
    /// Mapping file (TOML) for the generic source.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// The offence type, matched exactly against the file's category (e.g. "Break and Enter").
    #[arg(long = "type")]
    pub kind: String,
    /// Cell size in metres.
    #[arg(long, default_value_t = 150.0)]
    pub cell: f64,
    /// Metric CRS (EPSG) to grid in; default UTM 17N for toronto-mci, 27700 for police-uk.
    #[arg(long)]
    pub crs: Option<i32>,
}

#[derive(Debug, Args)]
pub struct BacktestArgs {
    #[command(flatten)]
    pub file: FileArgs,
    /// The first weekly origin (a date; the origin is its midnight).
    #[arg(long, default_value = "2019-01-07")]
    pub first_origin: chrono::NaiveDate,
    #[arg(long, default_value_t = 52)]
    pub weeks: usize,
    /// A name from `veilig forecast methods`.
    #[arg(long, default_value = "poisson-glm")]
    pub method: String,
    /// Judge against the events of this later file (same format) instead; the model sees only
    /// `--file`.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    /// Also print every week's counts.
    #[arg(long)]
    pub weekly: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TuneArgs {
    #[command(flatten)]
    pub file: FileArgs,
    #[arg(long, default_value = "2017-01-02")]
    pub first_origin: chrono::NaiveDate,
    #[arg(long, default_value_t = 104)]
    pub weeks: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// Zone code (default: the store's only zone).
    #[arg(long)]
    pub zone: Option<String>,
    /// Phenomenon code, e.g. woninginbraak.
    #[arg(long)]
    pub phenomenon: Option<String>,
    /// Coverage in per cent of the zone's cells with events: 0.5, 1, 2, 5 or 10.
    #[arg(long, default_value_t = 1.0)]
    pub coverage: f64,
    /// The method to weigh against the naive count.
    #[arg(long, default_value = "poisson-glm")]
    pub method: String,
    #[arg(long, default_value_t = 150.0)]
    pub cell: f64,
    /// The forecast week starts on this Monday (default: the Monday after the last event).
    #[arg(long)]
    pub origin: Option<chrono::NaiveDate>,
    #[arg(long)]
    pub json: bool,
}
