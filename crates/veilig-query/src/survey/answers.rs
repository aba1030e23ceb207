//! The answers of `veilig survey indicators` and `veilig survey compare`: the stored waves
//! chosen, estimated and compared, as plain serialisable results.

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_domain::Zone;
use veilig_store::Store;
use veilig_survey::SmallSample;

use super::{
    IndicatorEstimate, SurveyComparison, compare_municipalities, compare_waves, indicators,
    load_wave, waves,
};

/// The (survey, wave) pairs of the zone, oldest first, optionally of one survey.
async fn selected_waves(
    store: &Store,
    zone: &Zone,
    survey: Option<&str>,
) -> Result<Vec<(String, String)>> {
    Ok(waves(store, zone)
        .await?
        .into_iter()
        .filter(|(s, _, _)| survey.is_none_or(|x| x == s))
        .map(|(s, w, _)| (s, w))
        .collect())
}

#[derive(Serialize)]
pub struct IndicatorsReport {
    pub zone: String,
    pub small_sample_rule: SmallSample,
    pub indicators: Vec<IndicatorEstimate>,
}

/// Every indicator of the zone's stored waves (of one survey, one wave) at `level`.
pub async fn indicators_report(
    store: &Store,
    z: &Zone,
    (survey, wave): (Option<&str>, Option<&str>),
    level: f64,
) -> Result<IndicatorsReport> {
    let rule = SmallSample::builtin();
    let selected = selected_waves(store, z, survey).await?;
    if selected.is_empty() {
        match survey {
            Some(s) => bail!("zone {} has no waves of survey {s:?}", z.code.as_str()),
            None => bail!(
                "zone {} has no survey waves; `veilig survey import` stores one",
                z.code.as_str()
            ),
        }
    }
    let mut rows = Vec::new();
    for (s, w) in selected.iter().filter(|(_, w)| wave.is_none_or(|x| x == w)) {
        let data = load_wave(store, z, s, w).await?;
        rows.extend(indicators(&data, &rule, level)?);
    }
    Ok(IndicatorsReport {
        zone: z.code.as_str().to_string(),
        small_sample_rule: rule,
        indicators: rows,
    })
}

#[derive(Serialize)]
pub struct ComparisonReport {
    pub zone: String,
    pub survey: String,
    pub indicator: String,
    pub comparisons: Vec<SurveyComparison>,
}

/// The survey and the two waves to compare: `OLDER,NEWER`, or the last two.
fn pick(all: &[(String, String)], waves: Option<&str>) -> Result<(String, String, String)> {
    match waves {
        Some(w) => {
            let (o, n) = w
                .split_once(',')
                .with_context(|| format!("--waves takes OLDER,NEWER, not {w:?}"))?;
            let s = all
                .iter()
                .find(|(_, x)| x == n)
                .map(|(s, _)| s.clone())
                .with_context(|| format!("no wave {n:?}"))?;
            Ok((s, o.to_string(), n.to_string()))
        }
        None if all.len() < 2 => bail!("fewer than two waves to compare"),
        None => {
            let (s, n) = all[all.len() - 1].clone();
            let (_, o) = all[all.len() - 2].clone();
            Ok((s, o, n))
        }
    }
}

/// One indicator between two waves, and each municipality against the rest of the zone.
pub async fn comparison_report(
    store: &Store,
    z: &Zone,
    (survey, waves): (Option<&str>, Option<&str>),
    indicator: &str,
    alpha: f64,
) -> Result<ComparisonReport> {
    let all = selected_waves(store, z, survey).await?;
    let (s, older, newer) = pick(&all, waves)?;
    let rule = SmallSample::builtin();
    let a = load_wave(store, z, &s, &newer).await?;
    let b = load_wave(store, z, &s, &older).await?;
    let mut rows = compare_waves(&a, &b, indicator, &rule, alpha)?;
    rows.extend(compare_municipalities(&a, indicator, &rule, alpha)?);
    Ok(ComparisonReport {
        zone: z.code.as_str().to_string(),
        survey: s,
        indicator: indicator.to_string(),
        comparisons: rows,
    })
}
