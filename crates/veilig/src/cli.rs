//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cli_disclosure::DisclosureCmd;

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
    Status(crate::cli_shared::ZoneOrAll),
    /// Compute a zone's heavy figures (next week's forecasts) for its current data and wait
    /// for them; a running server does this by itself after every change.
    Refresh(crate::cli_shared::ZoneOrAll),
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
    Plan(Box<crate::cli_plan::PlanCmd>),
    /// Short-term place forecasts: next week's likeliest cells beside the naive count, the
    /// backtest that proves (or not) a method beats it, the method list.
    Forecast(Box<crate::cli_forecast::ForecastCmd>),
    /// Reports as PDF for the councils, partners and citizens: jaarverslag, evaluation,
    /// council brief, Compstat book, plan, partner feedback; kept as issued.
    Report(Box<crate::cli_report::ReportArgs>),
    /// The zone's issued reports (newest first), with the data version each was made from.
    Reports {
        #[arg(long)]
        zone: String,
        #[arg(long)]
        json: bool,
    },
    /// Developer tools (benchmark inputs).
    #[command(subcommand, hide = true)]
    Dev(DevCmd),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Source {
    PoliceUk,
    TorontoMci,
    Generic,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::PoliceUk => "police-uk",
            Source::TorontoMci => "toronto-mci",
            Source::Generic => "generic",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Import {
    /// Incidents: police-uk, toronto-mci, or generic with a mapping file.
    Incidents {
        #[arg(long, value_enum)]
        source: Source,
        /// Mapping file (TOML) for the generic source.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Zone code; created if absent. Default: derived from the source.
        #[arg(long)]
        zone: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Areas (wijken, municipalities, statistical areas) from GeoJSON.
    Areas(AreaArgs),
    /// Population per area, municipality or zone from CSV.
    Population(PopulationArgs),
    /// Residents per municipality by sex and age band (columns municipality, sex, age_band,
    /// inhabitants): the margins population surveys are raked to.
    PopulationGroups {
        #[arg(long)]
        zone: String,
        file: PathBuf,
        #[arg(long)]
        ref_date: chrono::NaiveDate,
        #[arg(long)]
        source_label: String,
        #[arg(long)]
        json: bool,
    },
    /// Published aggregated statistics (criminele figuren, main headings) from CSV.
    Statistics {
        #[arg(long)]
        zone: String,
        #[arg(long)]
        mapping: PathBuf,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Calls for service from CSV.
    Calls {
        #[arg(long)]
        zone: String,
        #[arg(long)]
        mapping: PathBuf,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Staff (pseudonymised) from CSV.
    Staff {
        #[arg(long)]
        zone: String,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct AreaArgs {
    #[arg(long)]
    pub zone: String,
    pub file: PathBuf,
    #[arg(long, default_value = "code")]
    pub code_field: String,
    #[arg(long, default_value = "name")]
    pub name_field: String,
    /// What the areas are: wijk, municipality, lsoa, neighbourhood, …
    #[arg(long, default_value = "wijk")]
    pub kind: String,
    #[arg(long)]
    pub municipality_field: Option<String>,
    #[arg(long)]
    pub population_field: Option<String>,
    #[arg(long)]
    pub dwellings_field: Option<String>,
    #[arg(long)]
    pub households_field: Option<String>,
    /// Reference date of the population figures (YYYY-MM-DD).
    #[arg(long)]
    pub ref_date: Option<chrono::NaiveDate>,
    /// Where the population figures come from.
    #[arg(long, default_value = "GeoJSON")]
    pub population_source: String,
    /// EPSG code of the coordinates (GeoJSON is 4326).
    #[arg(long, default_value_t = 4326)]
    pub crs: i32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Level {
    Area,
    Municipality,
    Zone,
}

#[derive(Debug, Args)]
pub struct PopulationArgs {
    #[arg(long)]
    pub zone: String,
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "area")]
    pub level: Level,
    #[arg(long)]
    pub code_column: String,
    #[arg(long)]
    pub inhabitants_column: String,
    #[arg(long)]
    pub dwellings_column: Option<String>,
    #[arg(long)]
    pub households_column: Option<String>,
    #[arg(long)]
    pub ref_date: Option<chrono::NaiveDate>,
    #[arg(long)]
    pub date_column: Option<String>,
    /// Where the figures come from ("Statbel 2024-01-01").
    #[arg(long)]
    pub source_label: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Single,
    Multi,
}

#[derive(Debug, Subcommand)]
pub enum ZoneCmd {
    /// Create a zone with the default phenomenon catalogue.
    Add {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "multi")]
        kind: Kind,
        /// Working CRS (EPSG): 3812 Lambert 2008 (default), 31370 Lambert 72, …
        #[arg(long, default_value_t = 3812)]
        crs: i32,
        /// Member municipality NIS codes (names from the Belgian municipality list).
        #[arg(long = "municipality")]
        municipalities: Vec<String>,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

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

/// How `veilig serve` (and `veilig demo`) serve.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Map background tiles (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png); none by
    /// default, so maps work offline.
    #[arg(long)]
    pub tile_url: Option<String>,
    /// Attribution the tile server requires.
    #[arg(long)]
    pub tile_attribution: Option<String>,
    /// Counts under this are suppressed on council, partner and public outputs (overrides
    /// the threshold of the disclosure rules; 5 in the built-in rules).
    #[arg(long)]
    pub disclosure_threshold: Option<u64>,
    /// Disclosure rules (TOML; `veilig disclosure rules` prints the built-in file to copy).
    #[arg(long)]
    pub disclosure_rules: Option<std::path::PathBuf>,
    /// Mark cookies Secure (set when served over TLS or behind a TLS proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Session lifetime in hours.
    #[arg(long, default_value_t = 8)]
    pub session_hours: i64,
    /// A session also ends after this many minutes without a request.
    #[arg(long, default_value_t = 60)]
    pub session_idle_minutes: i64,
    /// The open data's licence as NAME|URL (default CC BY 4.0).
    #[arg(long)]
    pub open_data_licence: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Leave: add a stretch, import a CSV, list, remove.
    #[command(subcommand)]
    Leave(LeaveCmd),
    /// Record whether an officer asked not to work nights (`--no-nights true|false`).
    Wish {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        officer: String,
        #[arg(long, action = clap::ArgAction::Set)]
        no_nights: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LeaveCmd {
    /// One stretch of leave (both days included).
    Add {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        officer: String,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
        /// verlof, ziekte, opleiding, ...
        #[arg(long, default_value = "verlof")]
        kind: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A CSV with a header: `officer,from,to[,kind[,note]]`; all lines or none are stored.
    Import {
        #[arg(long)]
        zone: Option<String>,
        file: PathBuf,
    },
    /// Leave that overlaps the period.
    List {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// Remove one stretch by its id (from `list`).
    Remove {
        #[arg(long)]
        zone: Option<String>,
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token; it is printed once (only its SHA-256 is kept).
    Add {
        name: String,
        #[arg(long)]
        zone: String,
        /// chief, analyst, council or partner (what the token may read follows the role).
        #[arg(long)]
        role: String,
        /// Days until it expires (at most 366).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// The tokens with their zone, role, expiry and whether revoked.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token: from now on it opens nothing.
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line).
    Add {
        username: String,
        /// administrator, chief, analyst, wijkinspecteur, council or partner.
        #[arg(long)]
        role: String,
        /// The zone the account works for (required except for administrators).
        #[arg(long)]
        zone: Option<String>,
        /// Area codes, comma-separated (for a wijkinspecteur).
        #[arg(long, default_value = "")]
        areas: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Set a new password, read from standard input (one line); ends the account's sessions.
    Passwd { username: String },
    /// Change the role (and areas) of an account; ends its sessions.
    Role {
        username: String,
        role: String,
        #[arg(long, default_value = "")]
        areas: String,
    },
    /// Set the organisation a partner account speaks for (a code as in the plan's actions,
    /// e.g. ocmw-mol): it then sees the plan's actions that organisation takes part in.
    /// Without ORG the link is removed.
    Organisation {
        username: String,
        organisation: Option<String>,
    },
    /// List the accounts.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct PictureArgs {
    #[command(flatten)]
    pub select: Selection,
    /// Baseline of the headline comparison.
    #[arg(long, default_value = "previous-year", value_parser = ["previous-year", "previous-3-years"])]
    pub compare: String,
    /// Significance level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Fewer events than this in both periods together: "too few events to say".
    #[arg(long, default_value_t = 10)]
    pub min_events: u64,
    #[arg(long)]
    pub json: bool,
    /// Also write picture.json, SVG charts and an HTML page here.
    #[arg(long)]
    pub out: Option<PathBuf>,
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
    Demand {
        #[command(flatten)]
        common: CapacityCommon,
        /// First day of calls to use (default: a year before --to).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day of calls to use (default: the last call).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// A season: only calls in these months (1-12), e.g. 6,7,8 for the summer; the rate
        /// is per week of those months.
        #[arg(long, value_delimiter = ',')]
        months: Vec<u32>,
        /// Maximum probability that a call waits.
        #[arg(long, default_value_t = 0.10)]
        max_wait: f64,
        /// Maximum utilisation of units.
        #[arg(long, default_value_t = 0.40)]
        max_utilisation: f64,
        /// Officers per unit.
        #[arg(long, default_value_t = 2)]
        officers_per_unit: u32,
    },
    /// Check a duty plan (CSV: officer,start,end,functionality,on_call,skills) hour by hour
    /// against the norm floors and the on-call rules; lists every hour that falls short.
    Coverage {
        #[command(flatten)]
        common: CapacityCommon,
        #[arg(long)]
        plan: PathBuf,
        /// Also require, every hour, the officers the calls of the year before the plan need
        /// (Erlang C with the default staffing rules).
        #[arg(long)]
        with_demand: bool,
    },
    /// Minimum-cost shift design (set-covering MIP, HiGHS) for an instance of the golden
    /// instances file; prints status, objective, bound, gap and seconds.
    Shifts {
        #[arg(long)]
        instance: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long, default_value_t = 300.0)]
        time_limit: f64,
        #[arg(long)]
        json: bool,
    },
    /// Fair roster (MIP, HiGHS) for a roster instance of the golden instances file
    /// (`--instance FILE --id G`) or a Curtois-Qu benchmark file (`--curtois FILE`).
    Roster {
        #[arg(long, required_unless_present = "curtois")]
        instance: Option<PathBuf>,
        #[arg(long, required_unless_present = "curtois")]
        id: Option<String>,
        #[arg(long, conflicts_with_all = ["instance", "id"])]
        curtois: Option<PathBuf>,
        /// For `--curtois`: `colgen` (exact: column generation, then every pattern that could
        /// improve the roster) or `compact` (the plain MIP).
        #[arg(long, default_value = "colgen", requires = "curtois")]
        method: veilig_solver::curtois::Method,
        #[arg(long, default_value_t = 300.0)]
        time_limit: f64,
        #[arg(long)]
        json: bool,
    },
    /// Allocate the corps' net hours over the functionalities and the plan's projects (LP,
    /// HiGHS, three stages): the norm floors first, then the projects by weight, then an even
    /// share of project work over the teams. Projects are the actions of the zonal security
    /// plan (`--plan current` or a plan code; one year of its action plans, `--year`), or
    /// come from a TOML file (`--projects`: `[[project]] code, name, weight, hours,
    /// functionalities`).
    Allocate {
        #[command(flatten)]
        common: CapacityCommon,
        #[arg(long, conflicts_with = "plan", required_unless_present = "plan")]
        projects: Option<PathBuf>,
        /// `current` or a plan code: its actions are the projects, weighted by the kind of
        /// priority they serve.
        #[arg(long)]
        plan: Option<String>,
        /// The action plan's year (default: this year when the plan covers it, else its
        /// first year).
        #[arg(long)]
        year: Option<i32>,
    },
    /// Build a week's duty plan for the zone's interventie officers (shifts E/L/N against the
    /// norm floor and the demand, on-call rotas for OBP and victim support) and write it as
    /// CSV for `capacity coverage`. `--solver mip` (default) is the fair rostering MIP with
    /// its status and gap; `--solver greedy` the quick heuristic.
    Plan {
        #[command(flatten)]
        common: CapacityCommon,
        /// The Monday the week starts.
        #[arg(long)]
        week_of: chrono::NaiveDate,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value = "mip", value_parser = ["mip", "greedy"])]
        solver: String,
        /// Leave (CSV: officer,from,to with dates YYYY-MM-DD, both included).
        #[arg(long)]
        leave: Option<PathBuf>,
        /// Officers (codes, comma-separated) who asked not to work nights.
        #[arg(long, default_value = "")]
        no_nights: String,
        #[arg(long, default_value_t = 60.0)]
        time_limit: f64,
    },
}

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
