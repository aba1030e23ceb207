//! The arguments of `veilig dev`: benchmark inputs and runs.

use std::path::PathBuf;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
// Every developer command is a benchmark input or run: `veilig dev bench-…`.
#[allow(clippy::enum_variant_names)]
pub enum DevCmd {
    /// Time the security picture on a zone (issue 3's bars): the Compstat book for every
    /// category and month, a 150 m KDE and a Knox test on one year of one category.
    BenchAnalysis {
        #[arg(long)]
        zone: String,
        #[arg(long, default_value = "Break and Enter")]
        category: String,
        #[arg(long, default_value_t = 2019)]
        year: i32,
        #[arg(long, default_value = "2014-01")]
        first_month: String,
        #[arg(long, default_value = "2021-12")]
        last_month: String,
    },
    /// Write a generic-format incident CSV of N rows in Lambert 2008, a GeoJSON of areas
    /// covering it, and a mapping, for the import benchmark.
    BenchFiles {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        #[arg(long, default_value_t = 120)]
        areas: u32,
        #[arg(long)]
        out: PathBuf,
        /// The random seed: another seed, other places, dates and categories (the scale
        /// benchmark gives every zone its own).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The years the incidents spread over, ending with 2025.
        #[arg(long, default_value_t = 1)]
        years: u32,
    },
    /// Many zones' users at once against a running server (issue 11's scale benchmark): each
    /// zone's first answer timed cold and kept; then N clients on keep-alive connections ask
    /// zones in turn; every answer must be the zone's own and every attempt on another zone
    /// refused (exit 1 otherwise). Needs no store: `--db` is not opened.
    BenchLoad {
        /// The server, e.g. http://127.0.0.1:8080
        #[arg(long)]
        base: String,
        /// Lines "ZONE TOKEN": an API token (`veilig token add`) of a user of each zone.
        #[arg(long)]
        tokens: PathBuf,
        /// The path asked, with {zone} for the zone's code.
        #[arg(long, default_value = "/api/v1/zones/{zone}/overview")]
        path: String,
        #[arg(long, default_value_t = 100)]
        clients: usize,
        #[arg(long, default_value_t = 30.0)]
        seconds: f64,
        /// Every N-th request of a client uses its token on another zone (0: never).
        #[arg(long, default_value_t = 10)]
        cross_every: u64,
        #[arg(long)]
        json: bool,
    },
    /// Time the survey estimator (issue 12's speed bars) on synthetic respondents: raking N
    /// respondents on three margins (age band, sex, municipality), and every indicator in
    /// every domain for three waves of a zone-sized survey.
    BenchSurvey {
        #[arg(long, default_value_t = 100_000)]
        respondents: usize,
        #[arg(long, default_value_t = 20)]
        indicators: usize,
    },
}
