//! Veilig's importers: one module per source format, all feeding batches that are atomic
//! (a failure mid-file stores nothing), idempotent (the same file again stores nothing new)
//! and balanced (`rows_read = stored + duplicates + rejected`). Rows that cannot be stored
//! are quarantined with line, field and reason; a file that is not what it claims to be is
//! refused with one error that names it.

pub mod areas;
pub mod assign;
pub mod calls;
pub mod duty_plan;
pub mod file;
pub mod generic;
pub mod incidents;
pub mod leave;
pub mod mapping;
pub mod parse;
pub mod points;
pub mod police_uk;
pub mod population;
pub mod rows;
pub mod sav;
pub mod staff;
pub mod stats;
pub mod survey;
pub mod toronto;
mod units;

use thiserror::Error;

pub use areas::{AreaOptions, import_areas, reassign};
pub use calls::import_calls;
pub use duty_plan::{read_duty_plan, write_duty_plan};
pub use generic::Generic;
pub use incidents::{
    IncidentFormat, IncidentOptions, import_incidents, import_incidents_as, import_incidents_with,
};
pub use leave::read_leave;
pub use points::{LocatedFile, LocatedRow, metric_crs, read_located};
pub use police_uk::PoliceUk;
pub use population::{PopulationOptions, import_population, import_population_groups};
pub use staff::import_staff;
pub use stats::import_stat_counts;
pub use survey::import_survey;
pub use toronto::TorontoMci;

#[derive(Debug, Error)]
pub enum ImportError {
    /// The file (or mapping) as a whole is unusable; nothing was stored.
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error(transparent)]
    Store(#[from] veilig_store::StoreError),
}

impl ImportError {
    pub fn file(file: &str, message: impl Into<String>) -> ImportError {
        ImportError::File {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// Progress of a long import, in bytes of the file. The CLI draws a bar on a terminal.
pub trait Progress: Sync {
    fn advance(&self, done: u64, total: u64);
}

/// No progress reporting (not a terminal, tests).
pub struct Quiet;

impl Progress for Quiet {
    fn advance(&self, _: u64, _: u64) {}
}

/// The zone a source's files belong to when none is named: its code, name and CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceZone {
    pub code: String,
    pub name: String,
    pub crs: i32,
}

/// The default zone of a built-in source (Toronto's service, the police.uk force of the
/// first file); none for the generic source, whose zone must be named.
pub fn source_zone(
    source: &str,
    first_file: &std::path::Path,
) -> Result<Option<SourceZone>, ImportError> {
    Ok(match source {
        "toronto-mci" => Some(SourceZone {
            code: "toronto".into(),
            name: "Toronto Police Service (open data)".into(),
            crs: 32617,
        }),
        "police-uk" => Some(PoliceUk::zone_of(first_file)?),
        _ => None,
    })
}

/// The incident formats built in, by the name the CLI uses.
pub fn incident_format(
    source: &str,
    mapping: Option<&std::path::Path>,
) -> Result<Box<dyn IncidentFormat + Send>, ImportError> {
    match source {
        "police-uk" => Ok(Box::new(PoliceUk)),
        "toronto-mci" => Ok(Box::new(TorontoMci)),
        "generic" => {
            let m = mapping.ok_or_else(|| {
                ImportError::file(
                    "--mapping",
                    "the generic source needs a mapping file (--mapping FILE)",
                )
            })?;
            Ok(Box::new(Generic::from_file(m)?))
        }
        other => Err(ImportError::file(
            other,
            "unknown source: use police-uk, toronto-mci or generic",
        )),
    }
}
