//! One design-based estimate straight from a microdata file and its design file (`veilig
//! survey estimate`): a weighted mean, total or proportion with its linearised standard
//! error, interval, n, Kish's effective n and design effect, and for a proportion whether the
//! small-sample rule lets it be shown.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_survey::{Design, Estimate, Method, Presentation, ReplicateKind, SmallSample, interval};

use super::microdata::WeightingSpec;
use super::microdata::{Columns, DesignFile, Table};
use super::weighting::{Weighted, weigh};

mod contrast;

/// What to estimate.
pub enum Statistic {
    Mean(String),
    Total(String),
    /// `COLUMN=VALUE`: the share answering VALUE among those who answered.
    Proportion(String),
    /// The p-quantile of a column (0.5: the median).
    Quantile(String, f64),
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
    /// Post-stratification, calibration and trimming from the flags (added to the design
    /// file's `[weighting]`, a flag winning over the file).
    pub weighting: WeightingSpec,
    /// `VAR=A`, `VAR=B`: the difference of the statistic between two domains of the sample.
    pub contrast: Option<(String, String)>,
    /// Standard errors from replicate weights instead of linearisation.
    pub replicates: Option<ReplicateKind>,
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
    /// The quantile's p, for a quantile.
    pub p: Option<f64>,
    /// The weighting applied and the weights' report (range, mean, design effect of
    /// weighting), when the weights were changed.
    pub weighting: Option<Weighted>,
    /// The two domains of a contrast, their estimates and the test.
    pub contrast: Option<Contrast>,
    /// `jackknife` or `bootstrap` when the standard error comes from replicates.
    pub replicates: Option<String>,
}

/// A difference between two domains of one sample.
#[derive(Debug, Serialize)]
pub struct Contrast {
    pub a: String,
    pub b: String,
    pub estimate_a: f64,
    pub estimate_b: f64,
    pub n_a: usize,
    pub n_b: usize,
    pub p_value: f64,
    /// The t statistic.
    pub t: f64,
    pub verdict: &'static str,
}

fn split_eq(s: &str, flag: &str) -> Result<(String, String)> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .with_context(|| format!("{flag} takes COLUMN=VALUE, not {s:?}"))
}

/// The statistic's kind, default interval and column: the values of respondents in the
/// domain (None elsewhere or missing); for a proportion 1 or 0 among those who answered.
fn column(
    t: &Table,
    spec: &DesignFile,
    statistic: &Statistic,
    domain: &[bool],
) -> Result<(&'static str, Method, Vec<Option<f64>>)> {
    let in_domain = |col: &str, role: &str| -> Result<Vec<Option<f64>>> {
        let values = t.numbers(t.column(col, role)?, &spec.missing)?;
        Ok(values
            .into_iter()
            .zip(domain)
            .map(|(v, d)| v.filter(|_| *d))
            .collect())
    };
    Ok(match statistic {
        Statistic::Mean(col) => ("mean", Method::Mean, in_domain(col, "mean")?),
        Statistic::Total(col) => ("total", Method::Mean, in_domain(col, "total")?),
        Statistic::Quantile(col, _) => ("quantile", Method::Mean, in_domain(col, "quantile")?),
        Statistic::Proportion(p) => {
            let (col, value) = split_eq(p, "--proportion")?;
            let c = t.column(&col, "proportion")?;
            let y = t
                .rows
                .iter()
                .zip(domain)
                .map(|(r, d)| {
                    let v = r[c].trim();
                    (*d && !spec.missing.iter().any(|m| m == v)).then_some(if v == value {
                        1.0
                    } else {
                        0.0
                    })
                })
                .collect();
            ("proportion", Method::Beta, y)
        }
    })
}

/// The estimate of a kind over y, linearised.
fn linearised(design: &Design, kind: &str, y: &[Option<f64>], p: f64, level: f64) -> Estimate {
    match kind {
        "total" => veilig_survey::total(design, y),
        "proportion" => {
            let answered: Vec<bool> = y.iter().map(Option::is_some).collect();
            let yes: Vec<bool> = y.iter().map(|v| *v == Some(1.0)).collect();
            veilig_survey::proportion(design, &answered, &yes)
        }
        "quantile" => {
            let q = veilig_survey::quantile(design, y, p, level);
            let m = veilig_survey::mean(design, y);
            Estimate {
                estimate: q.estimate,
                se: q.se.unwrap_or(f64::NAN),
                deff: None,
                method: q.method,
                ..m
            }
        }
        _ => veilig_survey::mean(design, y),
    }
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
    let joined = |c: &Option<Columns>| c.as_ref().map(|c| c.names().join("+"));
    let optional = [
        ("strata", spec.strata.clone()),
        ("clusters", joined(&spec.clusters)),
        ("fpc", joined(&spec.fpc)),
    ];
    let mut columns: BTreeMap<&'static str, String> = optional
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    columns.insert("weights", spec.weights.clone());
    columns
}

/// Respondents with COLUMN=VALUE.
fn members(t: &Table, spec: &str, flag: &str) -> Result<Vec<bool>> {
    let (col, value) = split_eq(spec, flag)?;
    let c = t.column(&col, flag.trim_start_matches('-'))?;
    Ok(t.rows.iter().map(|row| row[c].trim() == value).collect())
}

/// The weighting of the flags over the design file's (a flag wins).
fn merged(file: &WeightingSpec, flags: &WeightingSpec) -> WeightingSpec {
    WeightingSpec {
        poststratify: flags.poststratify.clone().or(file.poststratify.clone()),
        calibrate: flags.calibrate.clone().or(file.calibrate.clone()),
        trim: flags.trim.clone().or(file.trim.clone()),
    }
}

/// Reads the files, builds and weights the design and estimates.
pub fn estimate_from_file(r: &EstimateRequest) -> Result<FileEstimate> {
    let spec = DesignFile::read(&r.design)?;
    let t = Table::read(&r.data)?;
    let weighting = merged(&spec.weighting, &r.weighting);
    let (design, weighted) = {
        let d = t.design(&spec)?;
        let changes = weighting.poststratify.is_some()
            || weighting.calibrate.is_some()
            || weighting.trim.is_some();
        let (d, w) = weigh(&t, d, &weighting, &spec.missing)?;
        (d, changes.then_some(w))
    };
    let domain = match &r.domain {
        Some(d) => members(&t, d, "--domain")?,
        None => vec![true; t.rows.len()],
    };
    let p = match r.statistic {
        Statistic::Quantile(_, p) if !(p > 0.0 && p < 1.0) => {
            bail!("--p {p} must lie strictly between 0 and 1")
        }
        Statistic::Quantile(_, p) => p,
        _ => 0.5,
    };
    let (kind, default_ci, y) = column(&t, &spec, &r.statistic, &domain)?;
    let method = interval_method(r.ci.as_deref(), kind, default_ci, r.level)?;
    let replicates = r.replicates.map(|k| design.replicates(k));
    let of = match &r.statistic {
        Statistic::Mean(c) | Statistic::Total(c) | Statistic::Proportion(c) => c.clone(),
        Statistic::Quantile(c, _) => c.clone(),
    };
    let mut answer = match &r.contrast {
        Some((a, b)) => contrast::of_domains(
            &t,
            &design,
            (kind, &y),
            (a, b),
            replicates.as_ref(),
            r.level,
        )?,
        None => {
            let mut est = linearised(&design, kind, &y, p, r.level);
            let (mut lo, mut hi) = interval(&est, method, r.level);
            if kind == "quantile" {
                let q = veilig_survey::quantile(&design, &y, p, r.level);
                (lo, hi) = (q.ci_low.unwrap_or(f64::NAN), q.ci_high.unwrap_or(f64::NAN));
            }
            if let Some(rep) = &replicates {
                est.se = rep
                    .variance(|w| match kind {
                        "total" => y.iter().zip(w).map(|(v, w)| v.map_or(0.0, |v| v * w)).sum(),
                        "quantile" => veilig_survey::quantile::point(&y, w, p),
                        _ => veilig_survey::replicate::weighted_mean(&y, w),
                    })
                    .sqrt();
                est.method = "replicate weights (the weighting repeated on every replicate)";
                (lo, hi) = interval(&est, method, r.level);
            }
            let rule = SmallSample::builtin();
            let presentation = (kind == "proportion").then(|| rule.judge(&est, r.level));
            FileEstimate {
                kind,
                of: of.clone(),
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
                design: BTreeMap::new(),
                data: String::new(),
                p: None,
                weighting: None,
                contrast: None,
                replicates: None,
            }
        }
    };
    answer.of = of;
    answer.domain = r.domain.clone();
    answer.design = design_columns(&spec);
    answer.data = t.file;
    answer.p = (kind == "quantile").then_some(p);
    answer.weighting = weighted;
    answer.replicates = r.replicates.map(|k| {
        match k {
            ReplicateKind::Jackknife => "jackknife",
            ReplicateKind::Bootstrap { .. } => "bootstrap",
        }
        .to_string()
    });
    Ok(answer)
}
