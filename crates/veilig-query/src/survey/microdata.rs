//! Survey microdata straight from a file: a CSV of respondents and a design file (TOML) that
//! names the design's columns. Errors name the file, the line and the field.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use veilig_survey::{Design, DesignError, Stage};

/// The design file: which columns hold the design, and how to weight.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignFile {
    pub weights: String,
    pub strata: Option<String>,
    /// The clusters of each stage: one column, or a list from the first stage down.
    pub clusters: Option<Columns>,
    /// The finite-population correction of each stage, in the same order.
    pub fpc: Option<Columns>,
    /// Cell values that mean "missing" (default: "NA" and the empty cell).
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
    /// Post-stratification, calibration and trimming (file names relative to this file).
    #[serde(default)]
    pub weighting: WeightingSpec,
}

/// One column name or several (one per stage).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Stages(Vec<String>),
}

impl Columns {
    pub fn names(&self) -> Vec<String> {
        match self {
            Columns::One(c) => vec![c.clone()],
            Columns::Stages(c) => c.clone(),
        }
    }
}

fn default_missing() -> Vec<String> {
    vec!["NA".into(), String::new()]
}

impl DesignFile {
    pub fn read(path: &Path) -> Result<DesignFile> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("{name}: cannot read"))?;
        let mut spec: DesignFile =
            toml::from_str(&text).with_context(|| format!("{name}: not a design file"))?;
        // The weighting's files are named relative to the design file.
        let dir = path.parent().unwrap_or(Path::new(""));
        let w = &mut spec.weighting;
        if let Some((vars, file)) = w.poststratify.as_deref().and_then(|p| p.split_once('=')) {
            w.poststratify = Some(format!("{vars}={}", dir.join(file.trim()).display()));
        }
        w.calibrate = w.calibrate.as_ref().map(|c| dir.join(c));
        Ok(spec)
    }
}

/// The respondents as read: every cell a string.
pub struct Table {
    pub file: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV, or an SPSS system file (`.sav`, `.zsav`) as its cases and variables.
    pub fn read(path: &Path) -> Result<Table> {
        let file = path.display().to_string();
        if veilig_import::sav::is_sav(path) {
            let (text, _) = veilig_import::sav::read_sav(path)?;
            return Table::from_reader(file, csv::Reader::from_reader(text.text.as_bytes()));
        }
        let r = csv::Reader::from_path(path).with_context(|| format!("{file}: cannot read"))?;
        Table::from_reader(file, r)
    }

    fn from_reader<R: std::io::Read>(file: String, mut r: csv::Reader<R>) -> Result<Table> {
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
        let stage_names = spec
            .clusters
            .as_ref()
            .map(Columns::names)
            .unwrap_or_default();
        let fpc_names = spec.fpc.as_ref().map(Columns::names).unwrap_or_default();
        if fpc_names.len() > stage_names.len().max(1) {
            bail!(
                "{}: {} fpc columns for {} stages of clusters",
                self.file,
                fpc_names.len(),
                stage_names.len().max(1)
            );
        }
        let clusters: Vec<Vec<String>> = if stage_names.is_empty() {
            vec![(0..self.rows.len()).map(|i| i.to_string()).collect()]
        } else {
            stage_names
                .iter()
                .map(|c| Ok(self.strings(self.column(c, "clusters")?)))
                .collect::<Result<_>>()?
        };
        let fpc: Vec<Vec<f64>> = fpc_names
            .iter()
            .map(|f| self.required(f, ("fpc", "fpc"), &spec.missing))
            .collect::<Result<_>>()?;
        let stages: Vec<Stage> = clusters
            .iter()
            .enumerate()
            .map(|(k, c)| Stage {
                clusters: c,
                fpc: fpc.get(k).map(|f| &f[..]),
            })
            .collect();
        let design = Design::multistage(weights, strata.as_deref(), &stages);
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
                fpc_names.join("+")
            ),
            e => anyhow::anyhow!("{}: {e}", self.file),
        })
    }
}

/// What to do to the weights (from the design file's `[weighting]` and the flags).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightingSpec {
    /// `VAR=FILE` (or `A+B=FILE` for a joint table): a CSV with a column per variable and the
    /// population count last.
    pub poststratify: Option<String>,
    /// A CSV `variable,category,total`: one row per category of a categorical variable, one
    /// row with an empty category per continuous variable, `(Intercept)` for the population
    /// size when no categorical variable gives it.
    pub calibrate: Option<PathBuf>,
    /// `LOW:HIGH`, absolute weights; every weight ends within them.
    pub trim: Option<String>,
}
