//! The arguments of the analyses: which incidents, the picture, hotspots, near-repeat.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Which incidents an analysis reads.
#[derive(Debug, Args)]
pub struct Selection {
    /// A phenomenon code (`woninginbraak`) or a source category as in the data ("Break and Enter").
    #[arg(long)]
    pub phenomenon: String,
    /// Zone code; may be left out when one zone has this phenomenon.
    #[arg(long)]
    pub zone: Option<String>,
    /// Only this area (code).
    #[arg(long)]
    pub area: Option<String>,
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: chrono::NaiveDate,
    /// Last day, included (YYYY-MM-DD).
    #[arg(long)]
    pub to: chrono::NaiveDate,
}

#[derive(Debug, Args)]
pub struct PictureArgs {
    #[command(flatten)]
    pub select: Selection,
    #[command(flatten)]
    pub test: crate::args::shared::TestArgs,
    #[arg(long)]
    pub json: bool,
    /// Also write picture.json, SVG charts and an HTML page here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The language of the page written with --out.
    #[arg(long, default_value = "nl", value_parser = ["nl", "fr", "en"])]
    pub lang: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HotspotMethod {
    Counts,
    Kde,
    Gistar,
    /// Counts on H3 hexagons (see --resolution).
    H3,
}

#[derive(Debug, Args)]
pub struct HotspotArgs {
    #[command(flatten)]
    pub select: Selection,
    /// Cell size in metres.
    #[arg(long, default_value_t = 150.0)]
    pub cell: f64,
    #[arg(long, value_enum, default_value = "kde")]
    pub method: HotspotMethod,
    /// KDE bandwidth in metres (default: the rule in docs/guide/picture.md).
    #[arg(long)]
    pub bandwidth: Option<f64>,
    /// H3 resolution for --method h3 (9: cells of about 0.1 km²).
    #[arg(long, default_value_t = 9)]
    pub resolution: u8,
    /// Gi* neighbourhood in cells (1 = the 3 × 3 block).
    #[arg(long, default_value_t = 1)]
    pub radius: usize,
    /// Gi* false-discovery rate.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    #[arg(long)]
    pub json: bool,
    /// Also write hotspots.svg here.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NearRepeatArgs {
    #[command(flatten)]
    pub select: Selection,
    /// Distance band edges in metres.
    #[arg(long, default_value = "0,100,200,400", value_delimiter = ',')]
    pub space_bands: Vec<f64>,
    /// Time band edges in days.
    #[arg(long, default_value = "0,7,14,28", value_delimiter = ',')]
    pub time_bands: Vec<f64>,
    #[arg(long, default_value_t = 999)]
    pub permutations: u32,
    /// Seed of the permutations (the same seed gives the same p-values).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    #[arg(long)]
    pub json: bool,
}
