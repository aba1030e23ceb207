//! The arguments of `veilig survey`: estimates, imports, indicators and comparisons.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SurveyCmd {
    /// One estimate from survey microdata (CSV) and its design (TOML: strata, clusters,
    /// weights, fpc columns): a weighted mean, total or proportion with its linearised
    /// standard error, interval, n, Kish's effective n and design effect.
    Estimate(SurveyEstimateArgs),
    /// Import a wave (or several) of survey microdata through its codebook (TOML): one
    /// batch, atomic and idempotent, rejected rows with line, field and reason.
    Import {
        #[arg(long)]
        zone: String,
        #[arg(long)]
        codebook: std::path::PathBuf,
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Every indicator of the stored waves for the zone, each municipality and each wijk:
    /// weighted proportion, Korn-Graubard interval, n, effective n, and whether the
    /// small-sample rule lets it be shown.
    Indicators {
        #[arg(long)]
        zone: Option<String>,
        /// Only this survey (default: every survey of the zone).
        #[arg(long)]
        survey: Option<String>,
        /// Only this wave.
        #[arg(long)]
        wave: Option<String>,
        #[arg(long, default_value_t = 0.95)]
        level: f64,
        #[arg(long)]
        json: bool,
    },
    /// One indicator between two waves (zone and municipalities) and, within the newer
    /// wave, each municipality against the rest of the zone; with verdicts.
    Compare {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        survey: Option<String>,
        #[arg(long)]
        indicator: String,
        /// OLDER,NEWER (default: the last two waves).
        #[arg(long)]
        waves: Option<String>,
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct SurveyEstimateArgs {
    /// The respondents (CSV with a header; `NA` and empty cells are missing).
    #[arg(long)]
    pub data: std::path::PathBuf,
    /// The design (TOML): `weights = "col"`, optional `strata`, `clusters`, `fpc`, `missing`.
    #[arg(long)]
    pub design: std::path::PathBuf,
    /// Weighted mean of this column.
    #[arg(long, conflicts_with_all = ["total", "proportion"])]
    pub mean: Option<String>,
    /// Weighted total of this column.
    #[arg(long, conflicts_with = "proportion")]
    pub total: Option<String>,
    /// Proportion of respondents with COLUMN=VALUE (among those who answered COLUMN).
    #[arg(long)]
    pub proportion: Option<String>,
    /// Only respondents with COLUMN=VALUE (a domain; the design stays whole).
    #[arg(long)]
    pub domain: Option<String>,
    /// Interval: beta (Korn-Graubard, the default for proportions), logit, wilson, mean
    /// (the default for means and totals).
    #[arg(long)]
    pub ci: Option<String>,
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    #[arg(long)]
    pub json: bool,
}
