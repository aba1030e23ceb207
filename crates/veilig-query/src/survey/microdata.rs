//! Survey microdata straight from a file: a CSV of respondents and a design file (TOML) that
//! names the design's columns. Errors name the file, the line and the field.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use veilig_survey::{Design, DesignError};

/// The design file: which columns hold the design.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignFile {
    pub weights: String,
    pub strata: Option<String>,
    pub clusters: Option<String>,
    pub fpc: Option<String>,
    /// Cell values that mean "missing" (default: "NA" and the empty cell).
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
}

fn default_missing() -> Vec<String> {
    vec!["NA".into(), String::new()]
}

impl DesignFile {
    pub fn read(path: &Path) -> Result<DesignFile> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
        toml::from_str(&text).with_context(|| format!("{name}: not a design file"))
    }
}

/// The respondents as read: every cell a string.
pub struct Table {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &Path) -> Result<Table> {
        let file = path.display().to_string();
        let mut r = csv::Reader::from_path(path).with_context(|| format!("{file}: cannot read"))?;
        let header: Vec<String> = r
            .headers()
            .with_context(|| format!("{file}: no header line"))?
            .iter()
            .map(String::from)
            .collect();
        let mut rows = Vec::new();
        for (i, rec) in r.records().enumerate() {
            let rec = rec.with_context(|| format!("{file}: line {}: not CSV", i + 2))?;
            rows.push(rec.iter().map(String::from).collect());
        }
        if rows.is_empty() {
            bail!("{file}: no respondents");
        }
        Ok(Table { file, header, rows })
    }

    pub fn column(&self, name: &str, role: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name:?} (the design's {role})", self.file))
    }

    pub fn strings(&self, c: usize) -> Vec<String> {
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    /// Numbers of a column; `missing` cells become None, anything else that is not a number
    /// is an error naming line and field.
    pub fn numbers(&self, c: usize, missing: &[String]) -> Result<Vec<Option<f64>>> {
        let number = |(i, r): (usize, &Vec<String>)| {
            let v = r[c].trim();
            if missing.iter().any(|m| m == v) {
                return Ok(None);
            }
            v.replace(',', ".").parse::<f64>().map(Some).map_err(|_| {
                let (file, field) = (&self.file, &self.header[c]);
                anyhow::anyhow!(
                    "{file}: line {}, field {field}: {v:?} is not a number",
                    i + 2
                )
            })
        };
        self.rows.iter().enumerate().map(number).collect()
    }

    /// A column every respondent must have (weights, fpc): a missing cell is an error.
    fn required(
        &self,
        name: &str,
        (role, what): (&str, &str),
        missing: &[String],
    ) -> Result<Vec<f64>> {
        let c = self.column(name, role)?;
        let values = self.numbers(c, missing)?.into_iter().enumerate();
        values
            .map(|(i, v)| {
                v.with_context(|| {
                    let line = i + 2;
                    format!(
                        "{}: line {line}, field {name}: the {what} is missing",
                        self.file
                    )
                })
            })
            .collect()
    }

    /// The design the design file describes over these respondents.
    pub fn design(&self, spec: &DesignFile) -> Result<Design> {
        let weights = self.required(&spec.weights, ("weights", "weight"), &spec.missing)?;
        let strings = |c: &Option<String>, role| -> Result<Option<Vec<String>>> {
            c.as_ref()
                .map(|c| Ok(self.strings(self.column(c, role)?)))
                .transpose()
        };
        let strata = strings(&spec.strata, "strata")?;
        let clusters = strings(&spec.clusters, "clusters")?;
        let fpc = match &spec.fpc {
            Some(f) => Some(self.required(f, ("fpc", "fpc"), &spec.missing)?),
            None => None,
        };
        let design = Design::new(
            weights,
            strata.as_deref(),
            clusters.as_deref(),
            fpc.as_deref(),
        );
        design.map_err(|e| match e {
            DesignError::Weight { row, weight } => anyhow::anyhow!(
                "{}: line {}, field {}: the weight {weight} is not positive",
                self.file,
                row + 2,
                spec.weights
            ),
            DesignError::FpcTooSmall { row, fpc } => anyhow::anyhow!(
                "{}: line {}, field {}: the fpc {fpc} is smaller than the sample",
                self.file,
                row + 2,
                spec.fpc.clone().unwrap_or_default()
            ),
            e => anyhow::anyhow!("{}: {e}", self.file),
        })
    }
}
