//! Incidents from any CSV, described by a mapping file. Enough for a Belgian export:
//!
//! ```toml
//! source = "islp-bdm"
//! encoding = "windows-1252"          # detected when absent
//! delimiter = ";"                    # detected when absent
//! decimal = ","
//! crs = 31370                        # Lambert 72; 3812 for Lambert 2008
//! datetime_formats = ["%d/%m/%Y %H:%M"]
//! date_formats = ["%d/%m/%Y"]
//!
//! [columns]
//! id = "PV-nummer"
//! category = "Feit"
//! occurred_from = "Begin feiten"
//! occurred_to = "Einde feiten"
//! reported_at = "Registratie"
//! x = "X"
//! y = "Y"
//! address = ["Straat", "Huisnummer", "Gemeente"]
//!
//! [categories]                        # file category -> phenomenon code
//! "Diefstal in woning" = "woninginbraak"
//! "Sluikstort" = "sluikstorten"
//!
//! [phenomena.sluikstorten]            # a local phenomenon the catalogue lacks
//! nl = "Sluikstorten"
//! fr = "Dépôts clandestins"
//! en = "Fly-tipping"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use veilig_domain::Reject;

use crate::ImportError;
use crate::file::{Header, Row};
use crate::incidents::{IncidentFormat, Parsed};
use crate::mapping::{Columns, Dialect, load};
use chrono::{NaiveDateTime, NaiveTime};

use crate::parse::{Stamp, stamp, why_no_stamp};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentColumns {
    pub id: Option<String>,
    pub category: String,
    pub occurred_from: String,
    /// A separate time-of-day column for `occurred_from` (`HH:MM` or `HH:MM:SS`).
    pub occurred_from_time: Option<String>,
    pub occurred_to: Option<String>,
    pub occurred_to_time: Option<String>,
    pub reported_at: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
    pub address: Option<Columns>,
    pub area: Option<String>,
    pub premises: Option<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentMapping {
    pub source: String,
    #[serde(flatten)]
    pub dialect: Dialect,
    pub columns: IncidentColumns,
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
    /// Local phenomena the zone adds to its catalogue (code -> its words), for categories
    /// the built-in catalogue has no phenomenon for (sluikstorten, GAS nuisance).
    #[serde(default)]
    pub phenomena: BTreeMap<String, LocalPhenomenon>,
}

/// A local phenomenon's name in each language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalPhenomenon {
    pub nl: String,
    pub fr: String,
    pub en: String,
}

pub struct Generic {
    mapping: IncidentMapping,
    text: String,
    decimal: char,
    delimiter: Option<u8>,
    datetime_formats: Vec<String>,
    date_formats: Vec<String>,
}

impl Generic {
    pub fn from_file(path: &Path) -> Result<Generic, ImportError> {
        let (mapping, text): (IncidentMapping, String) = load(path)?;
        Generic::new(mapping, text, &path.display().to_string())
    }

    pub fn new(mapping: IncidentMapping, text: String, name: &str) -> Result<Generic, ImportError> {
        if mapping.source.trim().is_empty() {
            return Err(ImportError::file(name, "the mapping's `source` is empty"));
        }
        for (code, words) in &mapping.phenomena {
            if !veilig_domain::valid_phenomenon_code(code) {
                return Err(ImportError::file(
                    name,
                    format!("phenomena.{code}: a code is 1-40 lower-case letters, digits or '-'"),
                ));
            }
            for (lang, w) in [("nl", &words.nl), ("fr", &words.fr), ("en", &words.en)] {
                if w.trim().is_empty() {
                    return Err(ImportError::file(
                        name,
                        format!("phenomena.{code}.{lang}: the name is empty"),
                    ));
                }
            }
        }
        if mapping.columns.x.is_some() != mapping.columns.y.is_some() {
            return Err(ImportError::file(
                name,
                "columns.x and columns.y go together",
            ));
        }
        Ok(Generic {
            decimal: mapping.dialect.decimal(name)?,
            delimiter: mapping.dialect.delimiter(name)?,
            datetime_formats: mapping.dialect.datetime_formats(),
            date_formats: mapping.dialect.date_formats(),
            mapping,
            text,
        })
    }

    /// The first and last moment a date(-time) column covers, with an optional separate
    /// time-of-day column: a date alone covers its whole day.
    fn span(
        &self,
        row: &Row,
        date_col: &str,
        time_col: Option<&str>,
    ) -> Result<Option<(NaiveDateTime, NaiveDateTime)>, Reject> {
        let Some(v) = row.opt(date_col) else {
            return Ok(None);
        };
        let s = stamp(v, &self.datetime_formats, &self.date_formats).ok_or_else(|| {
            row.reject(
                date_col,
                why_no_stamp(v, &self.datetime_formats, &self.date_formats),
            )
        })?;
        match (time_col, s) {
            (Some(tc), Stamp::Day(d)) => match row.opt(tc) {
                Some(t) => {
                    let time = NaiveTime::parse_from_str(t, "%H:%M:%S")
                        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                        .map_err(|_| row.reject(tc, format!("{t:?} is not a time HH:MM")))?;
                    Ok(Some((d.and_time(time), d.and_time(time))))
                }
                None => Ok(Some((s.start(), s.end()))),
            },
            _ => Ok(Some((s.start(), s.end()))),
        }
    }
}

impl IncidentFormat for Generic {
    fn source(&self) -> &str {
        &self.mapping.source
    }
    fn crs(&self) -> i32 {
        self.mapping.dialect.crs.unwrap_or(4326)
    }
    fn encoding(&self) -> Option<&str> {
        self.mapping.dialect.encoding.as_deref()
    }
    fn delimiter(&self) -> Option<u8> {
        self.delimiter
    }
    fn check_header(&mut self, file: &str, header: &Header) -> Result<(), ImportError> {
        let c = &self.mapping.columns;
        let mut needed: Vec<&str> = vec![&c.category, &c.occurred_from];
        for o in [
            &c.id,
            &c.occurred_from_time,
            &c.occurred_to,
            &c.occurred_to_time,
            &c.reported_at,
            &c.x,
            &c.y,
            &c.area,
            &c.premises,
            &c.outcome,
        ]
        .into_iter()
        .flatten()
        {
            needed.push(o);
        }
        if let Some(a) = &c.address {
            needed.extend(a.names());
        }
        header.require(file, &needed).map(|_| ())
    }
    fn parse(&self, row: &Row) -> Result<Parsed, Reject> {
        let c = &self.mapping.columns;
        let category = row.req(&c.category)?.to_string();
        let (from, from_end) = self
            .span(row, &c.occurred_from, c.occurred_from_time.as_deref())?
            .ok_or_else(|| row.reject(&c.occurred_from, "empty"))?;
        let to = match &c.occurred_to {
            Some(col) => self
                .span(row, col, c.occurred_to_time.as_deref())?
                .map(|(_, end)| end),
            None => None,
        }
        .unwrap_or(from_end);
        let reported_at = match &c.reported_at {
            Some(col) => self.span(row, col, None)?.map(|(start, _)| start),
            None => None,
        };
        let coords = match (&c.x, &c.y) {
            (Some(xc), Some(yc)) => row.coords(xc, yc, self.decimal)?,
            _ => None,
        };
        let address = c.address.as_ref().and_then(|a| {
            let parts: Vec<&str> = a.names().into_iter().filter_map(|n| row.opt(n)).collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
        Ok(Parsed {
            id: c
                .id
                .as_ref()
                .and_then(|col| row.opt(col))
                .map(str::to_string),
            category,
            occurred_from: from,
            occurred_to: to,
            reported_at,
            coords,
            address,
            source_area: c
                .area
                .as_ref()
                .and_then(|col| row.opt(col))
                .map(str::to_string),
            premises: c
                .premises
                .as_ref()
                .and_then(|col| row.opt(col))
                .map(str::to_string),
            outcome: c
                .outcome
                .as_ref()
                .and_then(|col| row.opt(col))
                .map(str::to_string),
        })
    }
    fn categories(&self) -> Vec<(String, String)> {
        self.mapping
            .categories
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
    fn mapping_text(&self) -> Option<String> {
        Some(self.text.clone())
    }
    fn phenomena(&self) -> Vec<veilig_domain::PhenomenonDef> {
        self.mapping
            .phenomena
            .iter()
            .map(|(code, w)| veilig_domain::PhenomenonDef {
                code: code.clone(),
                nl: w.nl.trim().to_string(),
                fr: w.fr.trim().to_string(),
                en: w.en.trim().to_string(),
                nvp: None,
                mapped: true,
            })
            .collect()
    }
}
