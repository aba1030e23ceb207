//! Reads stored survey waves into the estimator: each wave's codebook (kept with its import
//! batch) and respondents become a design, and every indicator of the codebook is estimated
//! for the zone, each municipality and each wijk, with its Korn-Graubard interval, n, Kish's
//! effective n and whether the small-sample rule lets it be shown. Comparisons between waves
//! (independent samples) and between a municipality and the rest of the zone (two domains of
//! one sample, with their design covariance).

use anyhow::{Context, Result};
use serde::Serialize;
use veilig_domain::{SurveyResponse, Zone};
use veilig_store::Store;

pub mod answers;
mod compare;
pub mod file_estimate;
pub mod microdata;
mod protect;
mod wave_weighting;
pub mod weighting;
pub use compare::{SurveyComparison, compare_municipalities, compare_waves};
use veilig_survey::{
    Codebook, Design, Estimate, Method, Presentation, SmallSample, interval, proportion,
};
pub use wave_weighting::{Weighting, weigh};

/// One stored wave with its codebook and how its weights were made.
pub struct Wave {
    pub survey: String,
    pub wave: String,
    pub codebook: Codebook,
    pub responses: Vec<SurveyResponse>,
    pub synthetic: bool,
    pub weighting: Weighting,
    design: Design,
}

/// The waves stored for the zone: (survey, wave, respondents).
pub async fn waves(store: &Store, zone: &Zone) -> Result<Vec<(String, String, i64)>> {
    Ok(store
        .survey_waves(zone.id)
        .await?
        .into_iter()
        .map(|(s, w, _, n)| (s, w, n))
        .collect())
}

pub async fn load_wave(store: &Store, zone: &Zone, survey: &str, wave: &str) -> Result<Wave> {
    let found = store
        .survey_waves(zone.id)
        .await?
        .into_iter()
        .find(|(s, w, _, _)| s == survey && w == wave)
        .with_context(|| {
            format!(
                "zone {} has no wave {wave:?} of survey {survey:?}",
                zone.code.as_str()
            )
        })?;
    let text = store
        .batch_mapping(found.2)
        .await?
        .with_context(|| format!("the import of {survey} {wave} kept no codebook"))?;
    let codebook = Codebook::parse(&text, &format!("codebook of {survey} {wave}"))
        .map_err(anyhow::Error::msg)?;
    let responses = store.survey_responses(zone.id, survey, wave).await?;
    let synthetic = responses.iter().any(|r| r.synthetic);
    let base = base_design(&responses).with_context(|| format!("the design of {survey} {wave}"))?;
    // The population on the last day of the wave's year (a wave named by its year), or the
    // latest stored.
    let on = wave
        .get(..4)
        .and_then(|y| y.parse::<i32>().ok())
        .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 12, 31))
        .unwrap_or(chrono::NaiveDate::MAX);
    let groups = store.population_groups(zone.id, on).await?;
    let (design, weighting) = weigh(&base, &responses, &groups, &codebook.weighting);
    Ok(Wave {
        survey: survey.into(),
        wave: wave.into(),
        codebook,
        responses,
        synthetic,
        weighting,
        design,
    })
}

/// The sampling design of respondents as the codebook gave it.
fn base_design(r: &[SurveyResponse]) -> Result<Design> {
    let strata: Option<Vec<String>> = r.iter().all(|x| x.stratum.is_some()).then(|| {
        r.iter()
            .map(|x| x.stratum.clone().unwrap_or_default())
            .collect()
    });
    let clusters: Option<Vec<String>> = r.iter().all(|x| x.cluster.is_some()).then(|| {
        r.iter()
            .map(|x| x.cluster.clone().unwrap_or_default())
            .collect()
    });
    let fpc: Option<Vec<f64>> = r.iter().map(|x| x.fpc).collect();
    Ok(Design::new(
        r.iter().map(|x| x.weight).collect(),
        strata.as_deref(),
        clusters.as_deref(),
        fpc.as_deref(),
    )?)
}

impl Wave {
    /// The wave's design with its final weights (raked when the population allows).
    pub fn design(&self) -> Result<Design> {
        Ok(self.design.clone())
    }

    /// Respondents in a domain: the zone (None), a municipality or a wijk.
    fn in_domain(&self, unit: &Unit) -> Vec<bool> {
        self.responses
            .iter()
            .map(|r| match unit {
                Unit::Zone => true,
                Unit::Municipality(m) => r.municipality.as_deref() == Some(m.as_str()),
                Unit::Wijk(w) => r.area_code.as_deref() == Some(w.as_str()),
                Unit::RestOf(m) => r.municipality.as_deref() != Some(m.as_str()),
            })
            .collect()
    }

    /// The proportion of an indicator in a domain; `weighted` false treats every
    /// respondent alike (to show what weighting changes).
    pub fn estimate(
        &self,
        design: &Design,
        indicator: &str,
        unit: &Unit,
        weighted: bool,
    ) -> Result<Estimate> {
        let ind = self.indicator(indicator)?;
        let domain = self.in_domain(unit);
        let answered: Vec<bool> = self
            .responses
            .iter()
            .zip(&domain)
            .map(|(r, d)| *d && r.answers.get(&ind.question).copied().flatten().is_some())
            .collect();
        let yes: Vec<bool> = self
            .responses
            .iter()
            .map(|r| {
                r.answers
                    .get(&ind.question)
                    .copied()
                    .flatten()
                    .is_some_and(|a| ind.yes.contains(&a))
            })
            .collect();
        if weighted {
            Ok(proportion(design, &answered, &yes))
        } else {
            let flat = Design::new(vec![1.0; self.responses.len()], None, None, None)?;
            Ok(proportion(&flat, &answered, &yes))
        }
    }

    /// For a contrast of two domains: the indicator as 1/0 among those who answered (None
    /// otherwise) and the two domains' respondents.
    fn contrast_columns(&self, indicator: &str, a: &Unit, b: &Unit) -> Result<ContrastColumns> {
        let ind = self.indicator(indicator)?;
        let y = self
            .responses
            .iter()
            .map(|r| {
                let answer = r.answers.get(&ind.question).copied().flatten()?;
                Some(if ind.yes.contains(&answer) { 1.0 } else { 0.0 })
            })
            .collect();
        Ok((y, self.in_domain(a), self.in_domain(b)))
    }

    fn indicator(&self, indicator: &str) -> Result<&veilig_survey::codebook::Indicator> {
        self.codebook
            .indicator
            .iter()
            .find(|i| i.code == indicator)
            .with_context(|| {
                format!(
                    "the codebook of {} has no indicator {indicator:?}",
                    self.survey
                )
            })
    }

    /// The municipalities and wijken with respondents, in order.
    fn units(&self) -> Vec<Unit> {
        let mut ms: Vec<String> = self
            .responses
            .iter()
            .filter_map(|r| r.municipality.clone())
            .collect();
        ms.sort();
        ms.dedup();
        let mut ws: Vec<String> = self
            .responses
            .iter()
            .filter_map(|r| r.area_code.clone())
            .collect();
        ws.sort();
        ws.dedup();
        std::iter::once(Unit::Zone)
            .chain(ms.into_iter().map(Unit::Municipality))
            .chain(ws.into_iter().map(Unit::Wijk))
            .collect()
    }
}

/// An indicator's 1/0 column and the two domains of a contrast.
type ContrastColumns = (Vec<Option<f64>>, Vec<bool>, Vec<bool>);

/// Where an estimate is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "level", content = "code", rename_all = "kebab-case")]
pub enum Unit {
    Zone,
    Municipality(String),
    Wijk(String),
    /// The zone without this municipality.
    RestOf(String),
}

/// One indicator in one domain of one wave, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorEstimate {
    pub survey: String,
    pub wave: String,
    pub indicator: String,
    pub name_nl: String,
    pub question_nl: String,
    pub unit: Unit,
    pub estimate: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub level: f64,
    pub ci_method: &'static str,
    pub n: usize,
    pub n_eff: f64,
    pub deff: Option<f64>,
    pub df: f64,
    pub presentation: Presentation,
    pub method: &'static str,
    /// How the weights were made.
    pub weighting: Weighting,
    pub synthetic: bool,
}

/// Every indicator of the wave for the zone, each municipality and each wijk.
pub fn indicators(w: &Wave, rule: &SmallSample, level: f64) -> Result<Vec<IndicatorEstimate>> {
    let design = w.design()?;
    let mut out = Vec::new();
    for ind in &w.codebook.indicator {
        let complementary = w.complementary(&design, &ind.code, rule, level)?;
        for unit in w.units() {
            let mut e = indicator_in(w, &design, &ind.code, unit, rule, level)?;
            if let Some(e) = e.as_mut().filter(|e| complementary.contains(&e.unit)) {
                e.presentation = veilig_survey::Presentation::SuppressComplementary;
            }
            out.extend(e);
        }
    }
    Ok(out)
}

/// One indicator of the wave for the whole zone (None when the codebook has no such
/// indicator or nobody answered).
pub fn zone_indicator(
    w: &Wave,
    code: &str,
    rule: &SmallSample,
    level: f64,
) -> Result<Option<IndicatorEstimate>> {
    if !w.codebook.indicator.iter().any(|i| i.code == code) {
        return Ok(None);
    }
    indicator_in(w, &w.design()?, code, Unit::Zone, rule, level)
}

fn indicator_in(
    w: &Wave,
    design: &Design,
    code: &str,
    unit: Unit,
    rule: &SmallSample,
    level: f64,
) -> Result<Option<IndicatorEstimate>> {
    let ind = w
        .codebook
        .indicator
        .iter()
        .find(|i| i.code == code)
        .with_context(|| format!("no indicator {code:?}"))?;
    let q = w
        .codebook
        .question(&ind.question)
        .expect("checked by the codebook");
    let e = w.estimate(design, &ind.code, &unit, true)?;
    if e.n == 0 {
        return Ok(None);
    }
    let (lo, hi) = interval(&e, Method::Beta, level);
    Ok(Some(IndicatorEstimate {
        survey: w.survey.clone(),
        wave: w.wave.clone(),
        indicator: ind.code.clone(),
        name_nl: ind.name_nl.clone(),
        question_nl: q.text_nl.clone(),
        unit,
        estimate: e.estimate,
        se: e.se,
        ci_low: lo,
        ci_high: hi,
        level,
        ci_method: Method::Beta.as_str(),
        n: e.n,
        n_eff: e.n_eff,
        deff: e.deff,
        df: e.df,
        presentation: rule.judge(&e, level),
        method: e.method,
        weighting: w.weighting.clone(),
        synthetic: w.synthetic,
    }))
}

/// "14,1 % (12,1–16,2) · n = 1.390", or why it is not shown; and whether it is shown.
pub fn estimate_text(tr: &veilig_i18n::Tr, e: Option<&IndicatorEstimate>) -> (String, bool) {
    match e {
        None => ("–".into(), false),
        Some(e) if !e.presentation.shown() => (
            tr.arg(
                "survey-not-shown",
                "reason",
                tr.t(match e.presentation {
                    veilig_survey::Presentation::SuppressSmallN => "survey-small-n",
                    veilig_survey::Presentation::SuppressComplementary => "survey-complementary",
                    _ => "survey-wide",
                }),
            ),
            false,
        ),
        Some(e) => (
            tr.args(
                "survey-cell",
                &[
                    ("p", tr.dec(e.estimate * 100.0, 1)),
                    ("low", tr.dec(e.ci_low * 100.0, 1)),
                    ("high", tr.dec(e.ci_high * 100.0, 1)),
                    ("n", tr.int(e.n as u64)),
                ],
            ),
            true,
        ),
    }
}
