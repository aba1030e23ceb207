//! The arguments of `veilig import`: incidents, areas, population, statistics, calls, staff.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum Import {
    /// Incidents: police-uk, toronto-mci, or generic with a mapping file.
    Incidents(IncidentsArgs),
    /// Areas (wijken, municipalities, statistical areas) from GeoJSON.
    Areas(AreaArgs),
    /// Population per area, municipality or zone from CSV.
    Population(PopulationArgs),
    /// Residents per municipality by sex and age band (columns municipality, sex, age_band,
    /// inhabitants): the margins population surveys are raked to.
    PopulationGroups(PopulationGroupsArgs),
    /// Published aggregated statistics (criminele figuren, main headings) from CSV.
    Statistics(MappedFileArgs),
    /// Calls for service from CSV.
    Calls(MappedFileArgs),
    /// Staff (pseudonymised) from CSV.
    Staff(StaffArgs),
}

#[derive(Debug, Args)]
pub struct IncidentsArgs {
    #[arg(long, value_enum)]
    pub source: Source,
    /// Mapping file (TOML) for the generic source.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Zone code; created if absent. Default: derived from the source.
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Store the file even when most of its points lie far from the zone's areas (refused
    /// otherwise: usually a wrong crs or decimal mark in the mapping).
    #[arg(long)]
    pub allow_outside: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PopulationGroupsArgs {
    #[arg(long)]
    pub zone: String,
    pub file: PathBuf,
    #[arg(long)]
    pub ref_date: chrono::NaiveDate,
    #[arg(long)]
    pub source_label: String,
    #[arg(long)]
    pub json: bool,
}

/// A CSV file read with a mapping (TOML) into a zone: `import statistics`, `import calls`.
#[derive(Debug, Args)]
pub struct MappedFileArgs {
    #[arg(long)]
    pub zone: String,
    #[arg(long)]
    pub mapping: PathBuf,
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StaffArgs {
    #[arg(long)]
    pub zone: String,
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
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

#[derive(Debug, Args)]
pub struct DataCoverageArgs {
    #[arg(long)]
    pub zone: String,
    /// The source to set (with --from and --to); without it, the coverage is listed.
    #[arg(long, requires_all = ["from", "to"])]
    pub source: Option<String>,
    #[arg(long, requires = "source")]
    pub from: Option<chrono::NaiveDate>,
    #[arg(long, requires = "source")]
    pub to: Option<chrono::NaiveDate>,
    #[arg(long)]
    pub json: bool,
}
