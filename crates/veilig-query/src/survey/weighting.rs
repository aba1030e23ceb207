//! Weighting a file's respondents as the analyst asks, in the order analysts apply it:
//! post-stratification to known counts (`VAR=FILE`), linear calibration to categorical and
//! continuous totals (a totals file), then trimming to bounds that keep the total. Each
//! file's errors name the file, the line and the field.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_survey::{Design, WeightsReport};

use super::microdata::Table;
pub use super::microdata::WeightingSpec;

/// One step as it was applied, for the answer.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub step: &'static str,
    pub detail: String,
}

/// The weights after weighting, with a report.
#[derive(Debug, Clone, Serialize)]
pub struct Weighted {
    pub steps: Vec<Applied>,
    pub weights: WeightsReport,
}

fn read_csv(path: &Path) -> Result<(String, Vec<String>, Vec<Vec<String>>)> {
    let file = path.display().to_string();
    let mut r = csv::Reader::from_path(path).with_context(|| format!("{file}: cannot read"))?;
    let header = r
        .headers()
        .with_context(|| format!("{file}: no header line"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{file}: line {}: not CSV", i + 2))?;
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok((file, header, rows))
}

fn count(file: &str, line: usize, field: &str, v: &str) -> Result<f64> {
    v.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .with_context(|| format!("{file}: line {line}, field {field}: {v:?} is not a count"))
}

/// Post-stratification: each respondent's cell and the cells' population counts.
fn post_stratify(t: &Table, d: &Design, spec: &str) -> Result<(Design, Applied)> {
    let (vars, file) = spec
        .split_once('=')
        .with_context(|| format!("--poststratify takes VAR=FILE, not {spec:?}"))?;
    let vars: Vec<&str> = vars.split('+').map(str::trim).collect();
    let (file, header, rows) = read_csv(Path::new(file.trim()))?;
    if header.len() != vars.len() + 1 {
        bail!(
            "{file}: {} columns: expected one per variable ({}) and the count",
            header.len(),
            vars.join(", ")
        );
    }
    let mut cells: HashMap<Vec<String>, usize> = HashMap::new();
    let mut targets = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let key = r[..vars.len()].to_vec();
        let n = count(&file, i + 2, &header[vars.len()], &r[vars.len()])?;
        if cells.insert(key.clone(), targets.len()).is_some() {
            bail!("{file}: line {}: the cell {key:?} is given twice", i + 2);
        }
        targets.push(n);
    }
    let columns: Vec<usize> = vars
        .iter()
        .map(|v| t.column(v, "post-stratification"))
        .collect::<Result<_>>()?;
    let mut cell = Vec::with_capacity(t.rows.len());
    for (i, r) in t.rows.iter().enumerate() {
        let key: Vec<String> = columns.iter().map(|&c| r[c].trim().to_string()).collect();
        let c = cells.get(&key).with_context(|| {
            format!(
                "{}: line {}, field {}: {key:?} has no population count in {file}",
                t.file,
                i + 2,
                vars.join("+")
            )
        })?;
        cell.push(*c);
    }
    let out = veilig_survey::post_stratify(d, &cell, &targets).with_context(|| file.clone())?;
    let detail = format!("{} to {file} ({} cells)", vars.join(" × "), targets.len());
    Ok((
        out,
        Applied {
            step: "post-stratification",
            detail,
        },
    ))
}

/// A column of the model matrix and its population total.
struct ModelColumn {
    name: String,
    total: f64,
    value: Box<dyn Fn(usize) -> f64>,
}

/// Linear calibration to the totals file.
fn calibrate(t: &Table, d: &Design, path: &Path, missing: &[String]) -> Result<(Design, Applied)> {
    let (file, header, rows) = read_csv(path)?;
    if header.len() != 3 {
        bail!("{file}: expected the columns variable, category, total");
    }
    // Per categorical variable its categories in file order; continuous in order.
    let mut order: Vec<String> = Vec::new();
    let mut categories: HashMap<String, Vec<(String, f64, usize)>> = HashMap::new();
    let mut continuous: Vec<(String, f64)> = Vec::new();
    let mut intercept = None;
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let total = count(&file, line, &header[2], &r[2])?;
        match (r[0].as_str(), r[1].as_str()) {
            ("(Intercept)", _) => intercept = Some(total),
            (v, "") => continuous.push((v.to_string(), total)),
            (v, c) => {
                if !categories.contains_key(v) {
                    order.push(v.to_string());
                }
                categories
                    .entry(v.to_string())
                    .or_default()
                    .push((c.to_string(), total, line));
            }
        }
    }
    let mut columns: Vec<ModelColumn> = Vec::new();
    let mut size = intercept;
    if let Some(n) = intercept {
        columns.push(ModelColumn {
            name: "(Intercept)".into(),
            total: n,
            value: Box::new(|_| 1.0),
        });
    }
    for v in &order {
        let cats = &categories[v];
        let sum: f64 = cats.iter().map(|c| c.1).sum();
        match size {
            Some(n) if (sum - n).abs() > 1e-6 * n.max(1.0) => {
                bail!("{file}: the categories of {v} total {sum}, not the population size {n}")
            }
            _ => size = Some(sum),
        }
        let col = t.column(v, "calibration")?;
        let values = t.strings(col);
        for (i, x) in values.iter().enumerate() {
            if !cats.iter().any(|c| c.0 == x.trim()) {
                bail!(
                    "{}: line {}, field {v}: category {x:?} has no total in {file}",
                    t.file,
                    i + 2
                );
            }
        }
        // The first category is implied by the intercept or an earlier variable.
        let skip = usize::from(!columns.is_empty());
        for (cat, total, _) in cats.iter().skip(skip) {
            let is: Vec<f64> = values
                .iter()
                .map(|x| if x.trim() == cat { 1.0 } else { 0.0 })
                .collect();
            columns.push(ModelColumn {
                name: format!("{v}={cat}"),
                total: *total,
                value: Box::new(move |i| is[i]),
            });
        }
    }
    for (v, total) in continuous {
        let values = t.numbers(t.column(&v, "calibration")?, missing)?;
        if let Some(i) = values.iter().position(Option::is_none) {
            bail!(
                "{}: line {}, field {v}: missing, but calibration needs every respondent's value",
                t.file,
                i + 2
            );
        }
        let values: Vec<f64> = values.into_iter().map(|v| v.unwrap_or(0.0)).collect();
        columns.push(ModelColumn {
            name: v.clone(),
            total,
            value: Box::new(move |i| values[i]),
        });
    }
    if columns.is_empty() {
        bail!("{file}: no totals");
    }
    let x: Vec<Vec<f64>> = (0..t.rows.len())
        .map(|i| columns.iter().map(|c| (c.value)(i)).collect())
        .collect();
    let totals: Vec<f64> = columns.iter().map(|c| c.total).collect();
    let out = veilig_survey::calibrate(d, &x, &totals).map_err(|e| match e {
        veilig_survey::CalibrationError::Collinear { column } => anyhow::anyhow!(
            "{file}: {} is a combination of the other totals' variables: drop one",
            columns[column].name
        ),
        e => anyhow::anyhow!("{file}: {e}"),
    })?;
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    Ok((
        out,
        Applied {
            step: "linear calibration",
            detail: format!("to {} totals of {file}: {}", totals.len(), names.join(", ")),
        },
    ))
}

/// `LOW:HIGH`.
pub fn parse_bounds(s: &str) -> Result<(f64, f64)> {
    let (a, b) = s
        .split_once(':')
        .with_context(|| format!("--trim takes LOW:HIGH, not {s:?}"))?;
    let num = |x: &str| x.trim().parse::<f64>().ok();
    match (num(a), num(b)) {
        (Some(lo), Some(hi)) if lo >= 0.0 && hi > lo => Ok((lo, hi)),
        _ => bail!("--trim {s:?}: LOW and HIGH are weights with 0 ≤ LOW < HIGH"),
    }
}

/// Applies the spec to the design (file names as given: the design file's are already
/// resolved against its folder).
pub fn weigh(
    t: &Table,
    d: Design,
    spec: &WeightingSpec,
    missing: &[String],
) -> Result<(Design, Weighted)> {
    let mut d = d;
    let mut steps = Vec::new();
    if let Some(p) = &spec.poststratify {
        let (next, a) = post_stratify(t, &d, p)?;
        d = next;
        steps.push(a);
    }
    if let Some(c) = &spec.calibrate {
        let (next, a) = calibrate(t, &d, c, missing)?;
        d = next;
        steps.push(a);
    }
    if let Some(b) = &spec.trim {
        let (lo, hi) = parse_bounds(b)?;
        d = veilig_survey::trim_to(&d, lo, hi, true).map_err(|e| anyhow::anyhow!("--trim: {e}"))?;
        steps.push(Applied {
            step: "trimming",
            detail: format!("to [{lo}, {hi}], the total kept"),
        });
    }
    let weights = WeightsReport::of(&d);
    Ok((d, Weighted { steps, weights }))
}
