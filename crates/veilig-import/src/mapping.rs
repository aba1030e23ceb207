//! Mapping files (TOML): how to read a CSV that Veilig has no built-in format for.
//!
//! Unknown keys are errors, so a typo in a mapping fails at once instead of silently
//! dropping a column.

use std::path::Path;

use serde::Deserialize;

use crate::ImportError;

/// How a file spells its values. Every field is optional; absent ones are detected
/// (encoding, delimiter) or take the common default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dialect {
    /// `utf-8`, `windows-1252`, … Detected when absent: UTF-8 if valid, else Windows-1252.
    pub encoding: Option<String>,
    /// One character; detected from the header line when absent.
    pub delimiter: Option<String>,
    /// `.` (default) or `,`.
    pub decimal: Option<String>,
    /// chrono formats for date-times, tried in order (default ISO `%Y-%m-%d %H:%M:%S`, `%Y-%m-%dT%H:%M:%S`, `%Y-%m-%d %H:%M`).
    #[serde(default)]
    pub datetime_formats: Vec<String>,
    /// chrono formats for dates, tried after the date-time ones (default `%Y-%m-%d`).
    #[serde(default)]
    pub date_formats: Vec<String>,
    /// EPSG code of x/y columns (default 4326, longitude/latitude).
    pub crs: Option<i32>,
}

impl Dialect {
    pub fn delimiter(&self, file: &str) -> Result<Option<u8>, ImportError> {
        match self.delimiter.as_deref() {
            None => Ok(None),
            Some("\\t") | Some("tab") => Ok(Some(b'\t')),
            Some(d) if d.len() == 1 => Ok(Some(d.as_bytes()[0])),
            Some(d) => Err(ImportError::file(
                file,
                format!("delimiter {d:?} must be one character"),
            )),
        }
    }

    pub fn decimal(&self, file: &str) -> Result<char, ImportError> {
        match self.decimal.as_deref() {
            None | Some(".") => Ok('.'),
            Some(",") => Ok(','),
            Some(d) => Err(ImportError::file(
                file,
                format!("decimal separator {d:?} must be \".\" or \",\""),
            )),
        }
    }

    pub fn datetime_formats(&self) -> Vec<String> {
        if self.datetime_formats.is_empty() {
            vec![
                "%Y-%m-%d %H:%M:%S".into(),
                "%Y-%m-%dT%H:%M:%S".into(),
                "%Y-%m-%d %H:%M".into(),
            ]
        } else {
            self.datetime_formats.clone()
        }
    }

    pub fn date_formats(&self) -> Vec<String> {
        if self.date_formats.is_empty() {
            vec!["%Y-%m-%d".into()]
        } else {
            self.date_formats.clone()
        }
    }
}

/// One column name, or several whose values are joined with a space (an address in parts).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Many(Vec<String>),
}

impl Columns {
    pub fn names(&self) -> Vec<&str> {
        match self {
            Columns::One(c) => vec![c.as_str()],
            Columns::Many(cs) => cs.iter().map(String::as_str).collect(),
        }
    }
}

/// Reads and parses a mapping file.
pub fn load<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, String), ImportError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ImportError::file(&name, format!("cannot read mapping: {e}")))?;
    let value: T = toml::from_str(&text)
        .map_err(|e| ImportError::file(&name, format!("invalid mapping: {e}")))?;
    Ok((value, text))
}
