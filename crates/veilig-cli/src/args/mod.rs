//! The command line, as clap sees it: the top-level commands here, their arguments in one
//! file per part.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod admin;
mod analysis;
mod capacity;
mod dev;
pub mod disclosure;
pub mod forecast;
mod import;
pub mod monitor;
pub mod monitor_defs;
pub mod plan;
pub mod plan_defs;
pub mod report;
pub mod shared;
mod survey;

pub use admin::*;
pub use analysis::*;
pub use capacity::*;
pub use dev::*;
pub use disclosure::DisclosureCmd;
pub use import::*;
pub use survey::*;

#[derive(Debug, Parser)]
#[command(
    name = "veilig",
    version,
    about = "Veilig: the policy cycle of a Belgian local police zone, from data to accountability"
)]
pub struct Cli {
    /// Store URL: sqlite://FILE (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "VEILIG_DB",
        default_value = "sqlite://veilig.db"
    )]
    pub db: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import a file as one batch (atomic, idempotent, with quarantine).
    #[command(subcommand)]
    Import(Import),
    /// List the quarantined rows of a batch, with line, field and reason.
    Rejects {
        batch: i64,
        #[arg(long)]
        json: bool,
    },
    /// What the store holds: zones, areas, incidents per phenomenon and year, batches.
    Status(crate::args::shared::ZoneOrAll),
    /// What each incident source of a zone covers (first and last day; every trend, rate and
    /// period check reads it); set by hand with --source, --from and --to.
    Coverage(DataCoverageArgs),
    /// Compute a zone's heavy figures (next week's forecasts) for its current data and wait
    /// for them; a running server does this by itself after every change.
    Refresh(crate::args::shared::ZoneOrAll),
    /// Zones: create and list.
    #[command(subcommand)]
    Zone(ZoneCmd),
    /// Map a source category to a phenomenon (and move the incidents already stored).
    Map {
        #[arg(long)]
        zone: String,
        #[arg(long)]
        source: String,
        #[arg(long)]
        category: String,
        #[arg(long)]
        phenomenon: String,
    },
    /// Build the synthetic demo zone (modelled on PZ Balen-Dessel-Mol) if it is absent.
    Demo {
        /// Seed of the synthetic data: the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Only build the data; do not serve it.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        serve: ServeArgs,
        #[arg(long)]
        json: bool,
    },
    /// Serve the web application.
    Serve(ServeArgs),
    /// Accounts of the web application.
    #[command(subcommand)]
    User(UserCommand),
    /// The security picture of a phenomenon: counts, comparisons with significance, time
    /// patterns, trend, control chart, areas; `--out DIR` also writes an HTML page with SVGs.
    Picture(PictureArgs),
    /// Hot spots on a projected grid: counts, kernel density or Getis-Ord Gi*.
    Hotspots(HotspotArgs),
    /// Near repeat: the Knox test over distance and time bands.
    NearRepeat(NearRepeatArgs),
    /// Capacity at every hour: norm check, demand per hour, coverage proof of a plan.
    #[command(subcommand)]
    Capacity(CapacityCmd),
    /// Disclosure control: the rules, and the protected table a phenomenon's year is
    /// published from.
    #[command(subcommand)]
    Disclosure(DisclosureCmd),
    /// Leave and wishes of the zone's staff, which `capacity plan` respects.
    #[command(subcommand)]
    Staff(StaffCmd),
    /// Population surveys: design-based estimates with honest intervals.
    #[command(subcommand)]
    Survey(SurveyCmd),
    /// A consistent copy of the whole store (while the server runs) into one portable file
    /// with a checksum, verified by restoring it into a scratch store and comparing every
    /// table's count.
    Backup {
        #[arg(long)]
        out: PathBuf,
        /// Skip the verification (not recommended).
        #[arg(long)]
        no_verify: bool,
    },
    /// Restore a backup into this store (`--db`), which must be empty: all of it or nothing.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
    /// Move this store (`--db`, e.g. a laptop's SQLite) into another (`--to`, e.g. the
    /// zone's PostgreSQL), which must be empty; every row accounted for.
    Migrate {
        #[arg(long)]
        to: String,
    },
    /// API tokens for integrations and the open-data API: read-only, scoped to a zone and a
    /// role, expiring, revocable; only their hash is stored.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Priorities and the zonal security plan: the priority matrix, the council's decisions,
    /// the plan's objectives and actions, its approval and versions.
    #[command(subcommand)]
    Plan(Box<crate::args::plan::PlanCmd>),
    /// Short-term place forecasts: next week's likeliest cells beside the naive count, the
    /// backtest that proves (or not) a method beats it, the method list.
    Forecast(Box<crate::args::forecast::ForecastCmd>),
    /// Reports as PDF for the councils, partners and citizens: jaarverslag, evaluation,
    /// council brief, Compstat book, plan, partner feedback; kept as issued.
    Report(Box<crate::args::report::ReportArgs>),
    /// The zone's issued reports (newest first), with the data version each was made from.
    Reports {
        #[arg(long)]
        zone: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the chief's foreword to a report of a year (jaarverslag, evaluation, plan),
    /// printed as its first chapter in every report issued after it; an empty text removes
    /// it. Without --file or --text, print the foreword.
    Foreword(crate::args::report::ForewordArgs),
    /// Developer tools (benchmark inputs).
    #[command(subcommand, hide = true)]
    Dev(DevCmd),
}

impl Selection {
    pub fn query(&self) -> veilig_query::Selection {
        veilig_query::Selection {
            phenomenon: self.phenomenon.clone(),
            zone: self.zone.clone(),
            area: self.area.clone(),
            from: self.from,
            to: self.to,
        }
    }
}
