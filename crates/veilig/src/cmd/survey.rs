//! `veilig survey estimate|import|indicators|compare`: one design-based estimate straight
//! from a microdata file and its design file; stored waves read through their codebooks,
//! every indicator per domain, comparisons with verdicts.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::json;
use veilig_survey::{Design, DesignError, Method, interval};

use crate::cli::{SurveyCmd, SurveyEstimateArgs};

/// The design file: which columns hold the design.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignFile {
    weights: String,
    strata: Option<String>,
    clusters: Option<String>,
    fpc: Option<String>,
    /// Cell values that mean "missing" (default: "NA" and the empty cell).
    #[serde(default = "default_missing")]
    missing: Vec<String>,
}

fn default_missing() -> Vec<String> {
    vec!["NA".into(), String::new()]
}

struct Table {
    file: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
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

    fn column(&self, name: &str, role: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .with_context(|| format!("{}: no column {name:?} (the design's {role})", self.file))
    }

    fn strings(&self, c: usize) -> Vec<String> {
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    /// Numbers of a column; `missing` cells become None, anything else that is not a number
    /// is an error naming line and field.
    fn numbers(&self, c: usize, missing: &[String]) -> Result<Vec<Option<f64>>> {
        self.rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let v = r[c].trim();
                if missing.iter().any(|m| m == v) {
                    return Ok(None);
                }
                v.replace(',', ".").parse::<f64>().map(Some).map_err(|_| {
                    anyhow::anyhow!(
                        "{}: line {}, field {}: {v:?} is not a number",
                        self.file,
                        i + 2,
                        self.header[c]
                    )
                })
            })
            .collect()
    }
}

fn split_eq(s: &str, flag: &str) -> Result<(String, String)> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .with_context(|| format!("{flag} takes COLUMN=VALUE, not {s:?}"))
}

pub async fn run(store: &veilig_store::Store, cmd: SurveyCmd) -> Result<ExitCode> {
    match cmd {
        SurveyCmd::Estimate(a) => estimate(&a),
        SurveyCmd::Import {
            zone,
            codebook,
            file,
            json,
        } => {
            let z = super::existing_zone(store, &zone).await?;
            let s = veilig_import::import_survey(
                store,
                &z,
                &file,
                &codebook,
                &crate::output::Bar::new("survey"),
            )
            .await?;
            super::import::finish(store, &[s], z.code.as_str(), json).await
        }
        SurveyCmd::Indicators {
            zone,
            survey,
            wave,
            level,
            json,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let rule = veilig_survey::SmallSample::builtin();
            let mut rows = Vec::new();
            let selected = selected_waves(store, &z, survey.as_deref()).await?;
            if selected.is_empty() {
                match &survey {
                    Some(s) => bail!("zone {} has no waves of survey {s:?}", z.code.as_str()),
                    None => bail!(
                        "zone {} has no survey waves; `veilig survey import` stores one",
                        z.code.as_str()
                    ),
                }
            }
            for (s, w) in selected {
                if wave.as_ref().is_some_and(|x| *x != w) {
                    continue;
                }
                let data = veilig_query::survey::load_wave(store, &z, &s, &w).await?;
                rows.extend(veilig_query::survey::indicators(&data, &rule, level)?);
            }
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "zone": z.code.as_str(),
                        "small_sample_rule": rule,
                        "indicators": rows,
                    }))?
                );
            } else {
                for r in &rows {
                    let unit = match &r.unit {
                        veilig_query::survey::Unit::Zone => z.code.as_str().to_string(),
                        veilig_query::survey::Unit::Municipality(m)
                        | veilig_query::survey::Unit::Wijk(m)
                        | veilig_query::survey::Unit::RestOf(m) => m.clone(),
                    };
                    let shown = if r.presentation.shown() {
                        format!(
                            "{:5.1} % [{:.1} – {:.1}]",
                            r.estimate * 100.0,
                            r.ci_low * 100.0,
                            r.ci_high * 100.0
                        )
                    } else {
                        format!("niet getoond ({:?})", r.presentation)
                    };
                    println!(
                        "{} {} {:<24} {:<10} {shown}  n = {}, effectief n = {:.0}{}",
                        r.survey,
                        r.wave,
                        r.indicator,
                        unit,
                        r.n,
                        r.n_eff,
                        if r.synthetic { " (synthetisch)" } else { "" }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        SurveyCmd::Compare {
            zone,
            survey,
            indicator,
            waves,
            alpha,
            json,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let all = selected_waves(store, &z, survey.as_deref()).await?;
            let (s, older, newer) = match waves {
                Some(w) => {
                    let (o, n) = w
                        .split_once(',')
                        .with_context(|| format!("--waves takes OLDER,NEWER, not {w:?}"))?;
                    let s = all
                        .iter()
                        .find(|(_, x)| x == n)
                        .map(|(s, _)| s.clone())
                        .with_context(|| format!("no wave {n:?}"))?;
                    (s, o.to_string(), n.to_string())
                }
                None => {
                    if all.len() < 2 {
                        bail!("fewer than two waves to compare");
                    }
                    let (s, n) = all[all.len() - 1].clone();
                    let (_, o) = all[all.len() - 2].clone();
                    (s, o, n)
                }
            };
            let rule = veilig_survey::SmallSample::builtin();
            let a = veilig_query::survey::load_wave(store, &z, &s, &newer).await?;
            let b = veilig_query::survey::load_wave(store, &z, &s, &older).await?;
            let mut rows = veilig_query::survey::compare_waves(&a, &b, &indicator, &rule, alpha)?;
            rows.extend(veilig_query::survey::compare_municipalities(
                &a, &indicator, &rule, alpha,
            )?);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "zone": z.code.as_str(),
                        "survey": s,
                        "indicator": indicator,
                        "comparisons": rows,
                    }))?
                );
            } else {
                for r in &rows {
                    let pct = |v: Option<f64>| {
                        v.map(|v| format!("{:.1} %", v * 100.0))
                            .unwrap_or_else(|| "withheld".into())
                    };
                    let figures = match (r.difference, r.ci_low, r.ci_high, r.p_value) {
                        (Some(d), Some(lo), Some(hi), Some(p)) => format!(
                            "difference {:+.1} points [{:+.1}; {:+.1}], p = {p:.3}",
                            d * 100.0,
                            lo * 100.0,
                            hi * 100.0
                        ),
                        _ => "difference withheld (a side may not be shown)".into(),
                    };
                    println!(
                        "{indicator} {:?}: {} {} against {} {}: {figures}: {}",
                        r.unit,
                        r.a,
                        pct(r.estimate_a),
                        r.b,
                        pct(r.estimate_b),
                        r.verdict.as_str()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The (survey, wave) pairs of the zone, oldest first, optionally of one survey.
async fn selected_waves(
    store: &veilig_store::Store,
    zone: &veilig_domain::Zone,
    survey: Option<&str>,
) -> Result<Vec<(String, String)>> {
    Ok(veilig_query::survey::waves(store, zone)
        .await?
        .into_iter()
        .filter(|(s, _, _)| survey.is_none_or(|x| x == s))
        .map(|(s, w, _)| (s, w))
        .collect())
}

fn estimate(a: &SurveyEstimateArgs) -> Result<ExitCode> {
    let design_name = a.design.display().to_string();
    let spec: DesignFile = toml::from_str(
        &std::fs::read_to_string(&a.design)
            .with_context(|| format!("{design_name}: cannot read"))?,
    )
    .with_context(|| format!("{design_name}: not a design file"))?;
    let t = Table::read(&a.data)?;
    let wcol = t.column(&spec.weights, "weights")?;
    let weights: Vec<f64> = t
        .numbers(wcol, &spec.missing)?
        .into_iter()
        .enumerate()
        .map(|(i, w)| {
            w.with_context(|| {
                format!(
                    "{}: line {}, field {}: the weight is missing",
                    t.file,
                    i + 2,
                    spec.weights
                )
            })
        })
        .collect::<Result<_>>()?;
    let strata = match &spec.strata {
        Some(s) => Some(t.strings(t.column(s, "strata")?)),
        None => None,
    };
    let clusters = match &spec.clusters {
        Some(c) => Some(t.strings(t.column(c, "clusters")?)),
        None => None,
    };
    let fpc = match &spec.fpc {
        Some(f) => {
            let c = t.column(f, "fpc")?;
            Some(
                t.numbers(c, &spec.missing)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| {
                        v.with_context(|| {
                            format!("{}: line {}, field {f}: the fpc is missing", t.file, i + 2)
                        })
                    })
                    .collect::<Result<Vec<f64>>>()?,
            )
        }
        None => None,
    };
    let design = Design::new(
        weights,
        strata.as_deref(),
        clusters.as_deref(),
        fpc.as_deref(),
    )
    .map_err(|e| match e {
        DesignError::Weight { row, weight } => anyhow::anyhow!(
            "{}: line {}, field {}: the weight {weight} is not positive",
            t.file,
            row + 2,
            spec.weights
        ),
        DesignError::FpcTooSmall { row, fpc } => anyhow::anyhow!(
            "{}: line {}, field {}: the fpc {fpc} is smaller than the sample",
            t.file,
            row + 2,
            spec.fpc.clone().unwrap_or_default()
        ),
        e => anyhow::anyhow!("{}: {e}", t.file),
    })?;
    let n = t.rows.len();
    let domain: Vec<bool> = match &a.domain {
        Some(d) => {
            let (col, value) = split_eq(d, "--domain")?;
            let c = t.column(&col, "domain")?;
            t.rows.iter().map(|r| r[c] == value).collect()
        }
        None => vec![true; n],
    };
    // A numeric column within the domain (missing cells and other respondents: None).
    let in_domain = |col: &str, role: &str| -> Result<Vec<Option<f64>>> {
        let c = t.column(col, role)?;
        Ok(t.numbers(c, &spec.missing)?
            .into_iter()
            .zip(&domain)
            .map(|(v, d)| v.filter(|_| *d))
            .collect())
    };
    let (kind, what, est, default_ci) = if let Some(col) = &a.mean {
        let y = in_domain(col, "mean")?;
        (
            "mean",
            col.clone(),
            veilig_survey::mean(&design, &y),
            Method::Mean,
        )
    } else if let Some(col) = &a.total {
        let y = in_domain(col, "total")?;
        (
            "total",
            col.clone(),
            veilig_survey::total(&design, &y),
            Method::Mean,
        )
    } else if let Some(p) = &a.proportion {
        let (col, value) = split_eq(p, "--proportion")?;
        let c = t.column(&col, "proportion")?;
        let answered: Vec<bool> = t
            .rows
            .iter()
            .zip(&domain)
            .map(|(r, d)| *d && !spec.missing.iter().any(|m| *m == r[c].trim()))
            .collect();
        let yes: Vec<bool> = t.rows.iter().map(|r| r[c].trim() == value).collect();
        (
            "proportion",
            p.clone(),
            veilig_survey::proportion(&design, &answered, &yes),
            Method::Beta,
        )
    } else {
        bail!("give --mean COLUMN, --total COLUMN or --proportion COLUMN=VALUE");
    };
    let method = match &a.ci {
        Some(m) => Method::parse(m)
            .with_context(|| format!("--ci {m:?}: use beta, logit, wilson or mean"))?,
        None => default_ci,
    };
    if kind != "proportion" && method != Method::Mean {
        bail!(
            "--ci {} is for proportions; a {kind} has the symmetric (mean) interval",
            method.as_str()
        );
    }
    if !(0.5..1.0).contains(&a.level) {
        bail!("--level {} must lie between 0.5 and 1", a.level);
    }
    let (lo, hi) = interval(&est, method, a.level);
    // Proportions: whether the small-sample rule lets the estimate be shown.
    let rule = veilig_survey::SmallSample::builtin();
    let presentation = (kind == "proportion").then(|| rule.judge(&est, a.level));
    let mut columns = HashMap::new();
    columns.insert("weights", spec.weights.clone());
    if let Some(s) = &spec.strata {
        columns.insert("strata", s.clone());
    }
    if let Some(c) = &spec.clusters {
        columns.insert("clusters", c.clone());
    }
    if let Some(f) = &spec.fpc {
        columns.insert("fpc", f.clone());
    }
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "kind": kind,
                "of": what,
                "domain": a.domain,
                "estimate": est.estimate,
                "se": est.se,
                "ci_low": lo,
                "ci_high": hi,
                "level": a.level,
                "ci_method": method.as_str(),
                "n": est.n,
                "n_eff": est.n_eff,
                "df": est.df,
                "deff": est.deff,
                "population": est.population,
                "method": est.method,
                "presentation": presentation,
                "small_sample_rule": presentation.map(|_| &rule.citation),
                "design": columns,
                "data": t.file,
            }))?
        );
    } else {
        println!(
            "{kind} {what}{}: {:.6} (SE {:.6}; {:.0} % interval {:.6} – {:.6}, {}); n = {}, effectief n = {:.1}, vrijheidsgraden {}{}",
            a.domain
                .as_ref()
                .map(|d| format!(" [{d}]"))
                .unwrap_or_default(),
            est.estimate,
            est.se,
            a.level * 100.0,
            lo,
            hi,
            method.as_str(),
            est.n,
            est.n_eff,
            est.df,
            est.deff
                .map(|d| format!(", design-effect {d:.3}"))
                .unwrap_or_default()
        );
        if let Some(p) = presentation.filter(|p| !p.shown()) {
            println!(
                "niet tonen volgens de regel voor kleine steekproeven ({p:?}): {}",
                rule.citation
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
