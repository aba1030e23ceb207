//! Toronto Police Service "Major Crime Indicators" open data.
//!
//! `occurrencedate` reads `YYYY/MM/DD 05:00:00+00`: the publisher stored local midnight as
//! UTC, so the *date part* is the local date, and `occurrencehour` (0-23) the local hour. The
//! occurrence window is that hour. Coordinates are WGS84, offset by the publisher to the
//! nearest intersection; rows at (0, 0) have no location. The neighbourhood is kept as the
//! row's source area. The file has no row id, so rows are keyed by content.

use chrono::{NaiveDate, NaiveTime};
use veilig_domain::Reject;

use crate::ImportError;
use crate::file::{Header, Row};
use crate::incidents::{IncidentFormat, Parsed};

pub struct TorontoMci;

const REQUIRED: &[&str] = &[
    "occurrencedate",
    "occurrencehour",
    "MCI",
    "premises_type",
    "Lat",
    "Long",
];

impl IncidentFormat for TorontoMci {
    fn source(&self) -> &str {
        "toronto-mci"
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
        let raw = row.req("occurrencedate")?;
        let date = raw
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y/%m/%d").ok())
            .ok_or_else(|| {
                row.reject(
                    "occurrencedate",
                    format!("{raw:?} does not start with a date YYYY/MM/DD"),
                )
            })?;
        let hour_raw = row.req("occurrencehour")?;
        let hour = hour_raw
            .parse::<u32>()
            .ok()
            .filter(|h| *h < 24)
            .ok_or_else(|| {
                row.reject(
                    "occurrencehour",
                    format!("{hour_raw:?} is not an hour 0-23"),
                )
            })?;
        let from = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour"));
        let to = date.and_time(NaiveTime::from_hms_opt(hour, 59, 59).expect("valid hour"));
        // Every row has coordinates; (0, 0) is the publisher's "no location".
        let (lon, lat) = row
            .coords("Long", "Lat", '.')?
            .ok_or_else(|| row.reject("Lat", "empty"))?;
        let coords = (lat != 0.0 || lon != 0.0).then_some((lon, lat));
        Ok(Parsed {
            id: None,
            category: row.req("MCI")?.to_string(),
            occurred_from: from,
            occurred_to: to,
            reported_at: None,
            coords,
            address: None,
            source_area: row.opt("Neighbourhood").map(str::to_string),
            premises: row.opt("premises_type").map(str::to_string),
            outcome: None,
        })
    }
}
