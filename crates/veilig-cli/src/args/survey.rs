//! The arguments of `veilig survey`: estimates, imports, indicators and comparisons.

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum SurveyCmd {
    /// One estimate from survey microdata (CSV or SPSS .sav) and its design (TOML: strata,
    /// clusters and fpc per stage, weights, and the weighting): a weighted mean, total,
    /// proportion or quantile, or a contrast of two domains, with its standard error
    /// (linearised or from replicates), interval, n, Kish's effective n and design effect.
    Estimate(Box<SurveyEstimateArgs>),
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
    #[arg(long, conflicts_with_all = ["total", "proportion", "quantile"])]
    pub mean: Option<String>,
    /// Weighted total of this column.
    #[arg(long, conflicts_with_all = ["proportion", "quantile"])]
    pub total: Option<String>,
    /// A quantile of this column (the median unless --p), with Woodruff's interval.
    #[arg(long, conflicts_with = "proportion")]
    pub quantile: Option<String>,
    /// Which quantile (0 < P < 1; 0.5 is the median).
    #[arg(long, default_value_t = 0.5, requires = "quantile")]
    pub p: f64,
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
    /// Post-stratify the weights: VAR=FILE (or A+B=FILE), a CSV with the variable(s) and the
    /// population count per cell.
    #[arg(long, value_name = "VAR=FILE")]
    pub poststratify: Option<String>,
    /// Calibrate the weights (linear, GREG) to the totals of FILE: a CSV
    /// `variable,category,total` (an empty category for a continuous variable).
    #[arg(long, value_name = "FILE")]
    pub calibrate: Option<std::path::PathBuf>,
    /// Trim the weights to LOW:HIGH, keeping their total.
    #[arg(long, value_name = "LOW:HIGH")]
    pub trim: Option<String>,
    /// The difference of the mean or proportion between two domains of the sample, with
    /// their design covariance: --contrast VAR=A VAR=B (A minus B).
    #[arg(long, num_args = 2, value_names = ["VAR=A", "VAR=B"], conflicts_with = "domain")]
    pub contrast: Option<Vec<String>>,
    /// Standard errors from replicate weights, the weighting repeated on each replicate.
    #[arg(long, value_enum)]
    pub replicates: Option<Replicates>,
    /// The number of bootstrap replicates.
    #[arg(long, default_value_t = 500)]
    pub bootstrap_replicates: usize,
    /// The seed of the bootstrap (the same seed, the same replicates).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Replicates {
    /// Delete one primary sampling unit at a time (JK1, or JKn with strata).
    Jackknife,
    /// Rao-Wu rescaling bootstrap.
    Bootstrap,
}
