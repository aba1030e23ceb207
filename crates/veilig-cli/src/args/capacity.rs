//! The arguments of `veilig capacity`: norms, demand, coverage, shifts, roster, allocation.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct CapacityCommon {
    /// Zone code; may be left out when the store holds one zone.
    #[arg(long)]
    pub zone: Option<String>,
    /// A norm rule set (TOML) instead of the built-in one (`veilig capacity rules` prints it).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum CapacityCmd {
    /// Print the built-in norm rule set (TOML), to copy and edit.
    Rules,
    /// Required against actual per norm (and per municipality for the wijk norm).
    Norms(CapacityCommon),
    /// Officers needed per hour of the week: calls (Erlang C) with the norm floor on top.
    Demand(DemandArgs),
    /// Check a duty plan (CSV: officer,start,end,functionality,on_call,skills) hour by hour
    /// against the norm floors and the on-call rules; lists every hour that falls short.
    Coverage(CoverageArgs),
    /// Minimum-cost shift design (set-covering MIP, HiGHS) for an instance of the golden
    /// instances file; prints status, objective, bound, gap and seconds.
    Shifts(ShiftsArgs),
    /// Fair roster (MIP, HiGHS) for a roster instance of the golden instances file
    /// (`--instance FILE --id G`) or a Curtois-Qu benchmark file (`--curtois FILE`).
    Roster(RosterArgs),
    /// Allocate the corps' net hours over the functionalities and the plan's projects (LP,
    /// HiGHS, three stages): the norm floors first, then the projects by weight, then an even
    /// share of project work over the teams. Projects are the actions of the zonal security
    /// plan (`--plan current` or a plan code; one year of its action plans, `--year`), or
    /// come from a TOML file (`--projects`: `[[project]] code, name, weight, hours,
    /// functionalities`).
    Allocate(AllocateArgs),
    /// Build a week's duty plan for the zone's interventie officers (shifts E/L/N against the
    /// norm floor and the demand, on-call rotas for OBP and victim support) and write it as
    /// CSV for `capacity coverage`. `--solver mip` (default) is the fair rostering MIP with
    /// its status and gap; `--solver greedy` the quick heuristic.
    Plan(PlanArgs),
}

#[derive(Debug, Args)]
pub struct DemandArgs {
    #[command(flatten)]
    pub common: CapacityCommon,
    /// First day of calls to use (default: a year before --to).
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of calls to use (default: the last call).
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// A season: only calls in these months (1-12), e.g. 6,7,8 for the summer; the rate
    /// is per week of those months.
    #[arg(long, value_delimiter = ',')]
    pub months: Vec<u32>,
    /// Maximum probability that a call waits.
    #[arg(long, default_value_t = 0.10)]
    pub max_wait: f64,
    /// Maximum utilisation of units.
    #[arg(long, default_value_t = 0.40)]
    pub max_utilisation: f64,
    /// Officers per unit.
    #[arg(long, default_value_t = 2)]
    pub officers_per_unit: u32,
}

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub common: CapacityCommon,
    #[arg(long)]
    pub plan: PathBuf,
    /// Also require, every hour, the officers the calls of the year before the plan need
    /// (Erlang C with the default staffing rules).
    #[arg(long)]
    pub with_demand: bool,
}

#[derive(Debug, Args)]
pub struct ShiftsArgs {
    #[arg(long)]
    pub instance: PathBuf,
    #[arg(long)]
    pub id: String,
    #[arg(long, default_value_t = 300.0)]
    pub time_limit: f64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RosterArgs {
    #[arg(long, required_unless_present = "curtois")]
    pub instance: Option<PathBuf>,
    #[arg(long, required_unless_present = "curtois")]
    pub id: Option<String>,
    #[arg(long, conflicts_with_all = ["instance", "id"])]
    pub curtois: Option<PathBuf>,
    /// For `--curtois`: `colgen` (exact: column generation, then every pattern that could
    /// improve the roster) or `compact` (the plain MIP).
    #[arg(long, default_value = "colgen", requires = "curtois")]
    pub method: veilig_solver::curtois::Method,
    #[arg(long, default_value_t = 300.0)]
    pub time_limit: f64,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AllocateArgs {
    #[command(flatten)]
    pub common: CapacityCommon,
    #[arg(long, conflicts_with = "plan", required_unless_present = "plan")]
    pub projects: Option<PathBuf>,
    /// `current` or a plan code: its actions are the projects, weighted by the kind of
    /// priority they serve.
    #[arg(long)]
    pub plan: Option<String>,
    /// The action plan's year (default: this year when the plan covers it, else its
    /// first year).
    #[arg(long)]
    pub year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: CapacityCommon,
    /// The Monday the week starts.
    #[arg(long)]
    pub week_of: chrono::NaiveDate,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, default_value = "mip", value_parser = ["mip", "greedy"])]
    pub solver: String,
    /// Leave (CSV: officer,from,to with dates YYYY-MM-DD, both included).
    #[arg(long)]
    pub leave: Option<PathBuf>,
    /// Officers (codes, comma-separated) who asked not to work nights.
    #[arg(long, default_value = "")]
    pub no_nights: String,
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
}
