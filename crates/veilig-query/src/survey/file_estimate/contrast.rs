//! `veilig survey estimate --contrast VAR=A VAR=B`: the difference of a mean or proportion
//! between two domains of one sample, with their design covariance (or from replicates),
//! a design-based t-test and the same verdict words as the comparisons of waves.

use anyhow::{Result, bail};
use veilig_survey::estimate::tested;
use veilig_survey::replicate::weighted_mean;
use veilig_survey::{Design, Method, Replicates, SurveyVerdict};

use super::{Contrast, FileEstimate, members};
use crate::survey::microdata::Table;

fn restricted(y: &[Option<f64>], inside: &[bool]) -> Vec<Option<f64>> {
    y.iter()
        .zip(inside)
        .map(|(v, i)| v.filter(|_| *i))
        .collect()
}

/// The contrast `a − b` of the statistic over y (values of the respondents in the domain).
pub(super) fn of_domains(
    t: &Table,
    design: &Design,
    (kind, y): (&'static str, &[Option<f64>]),
    (a, b): (&str, &str),
    replicates: Option<&Replicates>,
    level: f64,
) -> Result<FileEstimate> {
    if !matches!(kind, "mean" | "proportion") {
        bail!("--contrast compares a --mean or a --proportion between two domains, not a {kind}");
    }
    let in_a = members(t, a, "--contrast")?;
    let in_b = members(t, b, "--contrast")?;
    if in_a.iter().zip(&in_b).any(|(x, y)| *x && *y) {
        bail!("--contrast {a:?} {b:?}: the two domains share respondents");
    }
    let (ya, yb) = (restricted(y, &in_a), restricted(y, &in_b));
    let (ea, eb) = (
        veilig_survey::mean(design, &ya),
        veilig_survey::mean(design, &yb),
    );
    if ea.n == 0 || eb.n == 0 {
        bail!("--contrast {a:?} {b:?}: a domain has no respondent with a value");
    }
    let mut d = veilig_survey::contrast(design, y, &in_a, &in_b, level);
    if let Some(rep) = replicates {
        let se = rep
            .variance(|w| weighted_mean(&ya, w) - weighted_mean(&yb, w))
            .sqrt();
        d = tested(
            d.difference,
            se,
            d.df,
            level,
            "difference of two domains of one sample from replicate weights (the weighting repeated on every replicate); t-test",
        );
    }
    let verdict = if d.p_value >= 1.0 - level {
        SurveyVerdict::NoSignificantChange
    } else if d.difference > 0.0 {
        SurveyVerdict::SignificantlyHigher
    } else {
        SurveyVerdict::SignificantlyLower
    };
    let both: Vec<f64> = (0..y.len())
        .filter(|&i| (in_a[i] || in_b[i]) && y[i].is_some())
        .map(|i| design.weights[i])
        .collect();
    let sum: f64 = both.iter().sum();
    let sq: f64 = both.iter().map(|w| w * w).sum();
    Ok(FileEstimate {
        kind,
        of: String::new(),
        domain: None,
        estimate: d.difference,
        se: d.se,
        ci_low: d.ci_low,
        ci_high: d.ci_high,
        level,
        ci_method: Method::Mean.as_str(),
        n: ea.n + eb.n,
        n_eff: sum * sum / sq,
        df: design.df(),
        deff: None,
        population: ea.population + eb.population,
        method: d.method,
        presentation: None,
        small_sample_rule: None,
        design: Default::default(),
        data: String::new(),
        p: None,
        weighting: None,
        contrast: Some(Contrast {
            a: a.to_string(),
            b: b.to_string(),
            estimate_a: ea.estimate,
            estimate_b: eb.estimate,
            n_a: ea.n,
            n_b: eb.n,
            p_value: d.p_value,
            t: d.z,
            verdict: verdict.as_str(),
        }),
        replicates: None,
    })
}
