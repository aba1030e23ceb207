//! police.uk street-level crime CSV (data.police.uk): one row per crime or anti-social
//! behaviour report, dated by month, with an anonymised "on or near" WGS84 point.
//!
//! The month is the only time given, so the occurrence window is the whole month. Crime IDs
//! are the key; anti-social behaviour rows have none and are keyed by content.

use chrono::{Datelike, NaiveDate};
use veilig_domain::Reject;

use crate::ImportError;
use crate::file::{Header, Row};
use crate::incidents::{IncidentFormat, Parsed};

pub struct PoliceUk;

const REQUIRED: &[&str] = &[
    "Crime ID",
    "Month",
    "Longitude",
    "Latitude",
    "Location",
    "Crime type",
];

impl IncidentFormat for PoliceUk {
    fn source(&self) -> &str {
        "police-uk"
    }
    fn crs(&self) -> i32 {
        4326
    }
    fn delimiter(&self) -> Option<u8> {
        Some(b',')
    }
    fn check_header(&mut self, file: &str, header: &Header) -> Result<(), ImportError> {
        header.require(file, REQUIRED).map(|_| ())
    }
    fn parse(&self, row: &Row) -> Result<Parsed, Reject> {
        let month = row.req("Month")?;
        let start = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .map_err(|_| row.reject("Month", format!("{month:?} is not a month (YYYY-MM)")))?;
        let next = if start.month() == 12 {
            NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
        }
        .expect("valid month");
        let end = (next - chrono::Duration::days(1))
            .and_hms_opt(23, 59, 59)
            .expect("valid time");
        let coords = row.coords("Longitude", "Latitude", '.')?;
        Ok(Parsed {
            id: row.opt("Crime ID").map(str::to_string),
            category: row.req("Crime type")?.to_string(),
            occurred_from: start.and_hms_opt(0, 0, 0).expect("valid time"),
            occurred_to: end,
            reported_at: None,
            coords,
            address: row.opt("Location").map(str::to_string),
            source_area: row.opt("LSOA code").map(str::to_string),
            premises: None,
            outcome: row.opt("Last outcome category").map(str::to_string),
        })
    }
}

impl PoliceUk {
    /// The zone a police.uk file belongs to: the force named in "Falls within" on its first
    /// row ("West Yorkshire Police" → `west-yorkshire`), in British National Grid.
    pub fn zone_of(first_file: &std::path::Path) -> Result<crate::SourceZone, ImportError> {
        let name = first_file.display().to_string();
        let mut rdr = csv::Reader::from_path(first_file)
            .map_err(|e| ImportError::file(&name, format!("cannot read: {e}")))?;
        let headers = rdr
            .headers()
            .map_err(|e| ImportError::file(&name, e.to_string()))?;
        let idx = headers.iter().position(|h| h == "Falls within");
        let force = match (idx, rdr.records().next()) {
            (Some(i), Some(Ok(r))) => r.get(i).unwrap_or("").to_string(),
            _ => String::new(),
        };
        let code: String = force
            .trim_end_matches(" Police")
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let code = if code.trim_matches('-').is_empty() {
            "police-uk".to_string()
        } else {
            code
        };
        Ok(crate::SourceZone {
            code,
            name: format!("{force} (data.police.uk)"),
            crs: 27700,
        })
    }
}
