//! One design-based estimate straight from a microdata file and its design file (`veilig
//! survey estimate`): a weighted mean, total or proportion with its linearised standard
//! error, interval, n, Kish's effective n and design effect, and for a proportion whether the
//! small-sample rule lets it be shown.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_survey::{Estimate, Method, Presentation, SmallSample, interval};

use super::microdata::{DesignFile, Table};

/// What to estimate.
pub enum Statistic {
    Mean(String),
    Total(String),
    /// `COLUMN=VALUE`: the share answering VALUE among those who answered.
    Proportion(String),
}

pub struct EstimateRequest {
    pub data: PathBuf,
    pub design: PathBuf,
    pub statistic: Statistic,
    /// `COLUMN=VALUE`: only these respondents.
    pub domain: Option<String>,
    /// `beta`, `logit`, `wilson` or `mean` (default: beta for proportions, else mean).
    pub ci: Option<String>,
    pub level: f64,
}

/// The answer, as `veilig survey estimate --json` prints it.
#[derive(Debug, Serialize)]
pub struct FileEstimate {
    pub kind: &'static str,
    pub of: String,
    pub domain: Option<String>,
    pub estimate: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub level: f64,
    pub ci_method: &'static str,
    pub n: usize,
    pub n_eff: f64,
    pub df: f64,
    pub deff: Option<f64>,
    pub population: f64,
    pub method: &'static str,
    pub presentation: Option<Presentation>,
    pub small_sample_rule: Option<String>,
    pub design: BTreeMap<&'static str, String>,
    pub data: String,
}

fn split_eq(s: &str, flag: &str) -> Result<(String, String)> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .with_context(|| format!("{flag} takes COLUMN=VALUE, not {s:?}"))
}

/// The estimate itself: its kind, the default interval and the value.
fn compute(
    t: &Table,
    spec: &DesignFile,
    design: &veilig_survey::Design,
    statistic: &Statistic,
    domain: &[bool],
) -> Result<(&'static str, Method, Estimate)> {
    // A numeric column within the domain (missing cells and other respondents: None).
    let in_domain = |col: &str, role: &str| -> Result<Vec<Option<f64>>> {
        let values = t.numbers(t.column(col, role)?, &spec.missing)?;
        Ok(values
            .into_iter()
            .zip(domain)
            .map(|(v, d)| v.filter(|_| *d))
            .collect())
    };
    Ok(match statistic {
        Statistic::Mean(col) => {
            let y = in_domain(col, "mean")?;
            ("mean", Method::Mean, veilig_survey::mean(design, &y))
        }
        Statistic::Total(col) => {
            let y = in_domain(col, "total")?;
            ("total", Method::Mean, veilig_survey::total(design, &y))
        }
        Statistic::Proportion(p) => {
            let (col, value) = split_eq(p, "--proportion")?;
            let c = t.column(&col, "proportion")?;
            let missing = |r: &Vec<String>| spec.missing.iter().any(|m| *m == r[c].trim());
            let answered: Vec<bool> = t
                .rows
                .iter()
                .zip(domain)
                .map(|(r, d)| *d && !missing(r))
                .collect();
            let yes: Vec<bool> = t.rows.iter().map(|r| r[c].trim() == value).collect();
            let est = veilig_survey::proportion(design, &answered, &yes);
            ("proportion", Method::Beta, est)
        }
    })
}

fn interval_method(ci: Option<&str>, kind: &str, default: Method, level: f64) -> Result<Method> {
    let method = match ci {
        Some(m) => Method::parse(m)
            .with_context(|| format!("--ci {m:?}: use beta, logit, wilson or mean"))?,
        None => default,
    };
    if kind != "proportion" && method != Method::Mean {
        bail!(
            "--ci {} is for proportions; a {kind} has the symmetric (mean) interval",
            method.as_str()
        );
    }
    if !(0.5..1.0).contains(&level) {
        bail!("--level {level} must lie between 0.5 and 1");
    }
    Ok(method)
}

fn design_columns(spec: &DesignFile) -> BTreeMap<&'static str, String> {
    let optional = [
        ("strata", &spec.strata),
        ("clusters", &spec.clusters),
        ("fpc", &spec.fpc),
    ];
    let mut columns: BTreeMap<&'static str, String> = optional
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.clone()?)))
        .collect();
    columns.insert("weights", spec.weights.clone());
    columns
}

/// Reads the files, builds the design and estimates.
pub fn estimate_from_file(r: &EstimateRequest) -> Result<FileEstimate> {
    let spec = DesignFile::read(&r.design)?;
    let t = Table::read(&r.data)?;
    let design = t.design(&spec)?;
    let domain: Vec<bool> = match &r.domain {
        Some(d) => {
            let (col, value) = split_eq(d, "--domain")?;
            let c = t.column(&col, "domain")?;
            t.rows.iter().map(|row| row[c] == value).collect()
        }
        None => vec![true; t.rows.len()],
    };
    let (kind, default_ci, est) = compute(&t, &spec, &design, &r.statistic, &domain)?;
    let method = interval_method(r.ci.as_deref(), kind, default_ci, r.level)?;
    let (lo, hi) = interval(&est, method, r.level);
    let rule = SmallSample::builtin();
    let presentation = (kind == "proportion").then(|| rule.judge(&est, r.level));
    let of = match &r.statistic {
        Statistic::Mean(c) | Statistic::Total(c) | Statistic::Proportion(c) => c.clone(),
    };
    Ok(FileEstimate {
        kind,
        of,
        domain: r.domain.clone(),
        estimate: est.estimate,
        se: est.se,
        ci_low: lo,
        ci_high: hi,
        level: r.level,
        ci_method: method.as_str(),
        n: est.n,
        n_eff: est.n_eff,
        df: est.df,
        deff: est.deff,
        population: est.population,
        method: est.method,
        presentation,
        small_sample_rule: presentation.map(|_| rule.citation.clone()),
        design: design_columns(&spec),
        data: t.file,
    })
}
