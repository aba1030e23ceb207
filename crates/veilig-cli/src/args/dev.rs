//! The arguments of `veilig dev`: benchmark inputs and runs.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
// Every developer command is a benchmark input or run: `veilig dev bench-…`.
#[allow(clippy::enum_variant_names)]
pub enum DevCmd {
    /// Time the security picture on a zone (issue 3's bars): the Compstat book for every
    /// category and month, a 150 m KDE and a Knox test on one year of one category.
    BenchAnalysis(BenchAnalysisArgs),
    /// Write a generic-format incident CSV of N rows in Lambert 2008, a GeoJSON of areas
    /// covering it, and a mapping, for the import benchmark.
    BenchFiles(BenchFilesArgs),
    /// Many zones' users at once against a running server (issue 11's scale benchmark): each
    /// zone's first answer timed cold and kept; then N clients on keep-alive connections ask
    /// zones in turn; every answer must be the zone's own and every attempt on another zone
    /// refused (exit 1 otherwise). Needs no store: `--db` is not opened.
    BenchLoad(BenchLoadArgs),
    /// Time the survey estimator (issue 12's speed bars) on synthetic respondents: raking N
    /// respondents on three margins (age band, sex, municipality), and every indicator in
    /// every domain for three waves of a zone-sized survey.
    BenchSurvey(BenchSurveyArgs),
}

#[derive(Debug, Args)]
pub struct BenchAnalysisArgs {
    #[arg(long)]
    pub zone: String,
    #[arg(long, default_value = "Break and Enter")]
    pub category: String,
    #[arg(long, default_value_t = 2019)]
    pub year: i32,
    #[arg(long, default_value = "2014-01")]
    pub first_month: String,
    #[arg(long, default_value = "2021-12")]
    pub last_month: String,
}

#[derive(Debug, Args)]
pub struct BenchFilesArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    #[arg(long, default_value_t = 120)]
    pub areas: u32,
    #[arg(long)]
    pub out: PathBuf,
    /// The random seed: another seed, other places, dates and categories (the scale
    /// benchmark gives every zone its own).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The years the incidents spread over, ending with 2025.
    #[arg(long, default_value_t = 1)]
    pub years: u32,
}

#[derive(Debug, Args)]
pub struct BenchLoadArgs {
    /// The server, e.g. http://127.0.0.1:8080
    #[arg(long)]
    pub base: String,
    /// Lines "ZONE TOKEN": an API token (`veilig token add`) of a user of each zone.
    #[arg(long)]
    pub tokens: PathBuf,
    /// The path asked, with {zone} for the zone's code.
    #[arg(long, default_value = "/api/v1/zones/{zone}/overview")]
    pub path: String,
    #[arg(long, default_value_t = 100)]
    pub clients: usize,
    #[arg(long, default_value_t = 30.0)]
    pub seconds: f64,
    /// Every N-th request of a client uses its token on another zone (0: never).
    #[arg(long, default_value_t = 10)]
    pub cross_every: u64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BenchSurveyArgs {
    #[arg(long, default_value_t = 100_000)]
    pub respondents: usize,
    #[arg(long, default_value_t = 20)]
    pub indicators: usize,
}
