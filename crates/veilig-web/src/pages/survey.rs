//! `/z/{zone}/survey`: the population survey ("Bevolkingsbevraging"): every indicator of the
//! stored waves for the zone and its municipalities, as a proportion with its Korn-Graubard
//! interval and n, a dot-and-whisker chart over the waves, the change since the previous
//! wave and each municipality against the rest of the zone with their verdicts, the wijken
//! of the latest wave, the question's wording and the method. Estimates the small-sample
//! rule does not let through are not shown, for any role. Aggregates only: the council and
//! partners see it too.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use veilig_query::survey::{
    IndicatorEstimate, SurveyComparison, Unit, Wave, compare_municipalities, compare_waves,
    indicators, load_wave, waves,
};
use veilig_survey::SmallSample;

use super::zone_for;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::i18n::{Lang, Tr};
use crate::policy::Action;
use crate::view::{Chrome, SourceNote};

/// Everything the page shows, computed once per data version.
pub struct SurveyFigures {
    pub waves: Vec<(String, String)>,
    /// Per wave: how its weights were made.
    pub weighting: Vec<veilig_query::survey::Weighting>,
    /// Per indicator: code, names and question in NL/FR/EN.
    pub texts: Vec<(String, [String; 3], [String; 3])>,
    pub estimates: Vec<IndicatorEstimate>,
    pub comparisons: Vec<SurveyComparison>,
    pub rule: SmallSample,
    pub sources: Vec<String>,
}

async fn compute(state: &AppState, zone: &veilig_domain::Zone) -> anyhow::Result<SurveyFigures> {
    let rule = SmallSample::builtin();
    let mut loaded: Vec<Wave> = Vec::new();
    for (s, w, _) in waves(&state.store, zone).await? {
        loaded.push(load_wave(&state.store, zone, &s, &w).await?);
    }
    let mut estimates = Vec::new();
    let mut comparisons = Vec::new();
    let mut texts: Vec<(String, [String; 3], [String; 3])> = Vec::new();
    for (k, w) in loaded.iter().enumerate() {
        estimates.extend(indicators(w, &rule, 0.95)?);
        for ind in &w.codebook.indicator {
            if !texts.iter().any(|t| t.0 == ind.code) {
                let q = w.codebook.question(&ind.question).expect("checked");
                let or = |x: &Option<String>, nl: &String| x.clone().unwrap_or_else(|| nl.clone());
                texts.push((
                    ind.code.clone(),
                    ["nl", "fr", "en"].map(|l| ind.name_in(l).to_string()),
                    [
                        q.text_nl.clone(),
                        or(&q.text_fr, &q.text_nl),
                        or(&q.text_en, &q.text_nl),
                    ],
                ));
            }
            // The latest wave of each survey: against the wave before, and per municipality
            // against the rest of the zone.
            let later = loaded[k + 1..].iter().any(|x| x.survey == w.survey);
            if !later {
                if let Some(prev) = loaded[..k].iter().rev().find(|x| x.survey == w.survey) {
                    comparisons.extend(compare_waves(w, prev, &ind.code, &rule, 0.05)?);
                }
                comparisons.extend(compare_municipalities(w, &ind.code, &rule, 0.05)?);
            }
        }
    }
    let batches = state.store.batches(zone.id).await?;
    Ok(SurveyFigures {
        waves: loaded
            .iter()
            .map(|w| (w.survey.clone(), w.wave.clone()))
            .collect(),
        weighting: loaded.iter().map(|w| w.weighting.clone()).collect(),
        texts,
        sources: batches
            .iter()
            .filter(|b| b.kind == veilig_domain::BatchKind::Survey.as_str())
            .map(|b| format!("{} ({})", b.source, b.file_name))
            .collect(),
        estimates,
        comparisons,
        rule,
    })
}

/// An estimate with its interval, where shown.
type Interval = Option<(f64, f64, f64)>;

pub struct Cell {
    pub text: String,
    pub shown: bool,
}

pub struct Row {
    pub unit: String,
    pub cells: Vec<Cell>,
}

pub struct Verdict {
    pub what: String,
    pub text: String,
    pub class: &'static str,
}

pub struct Section {
    pub code: String,
    pub name: String,
    pub question: String,
    pub chart: String,
    pub rows: Vec<Row>,
    pub verdicts: Vec<Verdict>,
    pub wijken: Vec<Row>,
}

#[derive(Template)]
#[template(path = "survey.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    waves: Vec<String>,
    latest: String,
    sections: Vec<Section>,
    /// One sentence per wave on its weights.
    weighting: Vec<String>,
    rule: String,
    note: SourceNote,
}

fn lang_index(l: Lang) -> usize {
    match l {
        Lang::Nl => 0,
        Lang::Fr => 1,
        Lang::En => 2,
    }
}

/// An estimate as a table shows it (see [`veilig_query::survey::estimate_text`]).
fn cell(tr: &Tr, e: Option<&IndicatorEstimate>) -> Cell {
    let (text, shown) = veilig_query::survey::estimate_text(tr, e);
    Cell { text, shown }
}

/// The survey figures of the zone at this data version (shared with the public page).
pub async fn figures(
    state: &AppState,
    figs: &crate::figures::ZoneFigures<'_>,
    zone: &veilig_domain::Zone,
) -> anyhow::Result<std::sync::Arc<SurveyFigures>> {
    figs.cached("survey", compute(state, zone)).await
}

/// The latest wave's zone and municipality estimates that pass the small-sample rule, for
/// the public page: (wave, municipality columns, rows of indicator name and cells).
pub fn public_rows(
    data: &SurveyFigures,
    tr: &Tr,
    municipalities: &[(String, String)],
) -> Option<(String, Vec<String>, Vec<Row>)> {
    let (survey, wave) = data.waves.last()?.clone();
    let li = lang_index(tr.lang);
    let units: Vec<Unit> = std::iter::once(Unit::Zone)
        .chain(
            municipalities
                .iter()
                .map(|m| Unit::Municipality(m.0.clone())),
        )
        .collect();
    let rows = data
        .texts
        .iter()
        .map(|(code, name, _)| Row {
            unit: name[li].clone(),
            cells: units
                .iter()
                .map(|u| {
                    cell(
                        tr,
                        data.estimates.iter().find(|e| {
                            &e.indicator == code
                                && e.survey == survey
                                && e.wave == wave
                                && &e.unit == u
                        }),
                    )
                })
                .collect(),
        })
        .collect();
    Some((
        wave,
        municipalities.iter().map(|m| m.1.clone()).collect(),
        rows,
    ))
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Html<String>> {
    let (zone, _access) = zone_for(&state, &ctx, &zone, Action::Survey).await?;
    let figs = state.figures_for(&zone).await?;
    let data = figures(&state, &figs, &zone).await?;
    let tr = state.i18n.tr(ctx.lang);
    let li = lang_index(ctx.lang);
    let names: Vec<(String, String)> = state
        .store
        .municipalities(zone.id)
        .await?
        .into_iter()
        .map(|m| (m.nis.as_str().to_string(), m.name_nl))
        .collect();
    let unit_name = |u: &Unit| -> String {
        match u {
            Unit::Zone => zone.name.clone(),
            Unit::Municipality(m) | Unit::RestOf(m) => names
                .iter()
                .find(|x| &x.0 == m)
                .map(|x| x.1.clone())
                .unwrap_or_else(|| m.clone()),
            Unit::Wijk(w) => w.clone(),
        }
    };
    let wave_labels: Vec<String> = data.waves.iter().map(|w| w.1.clone()).collect();
    let latest = wave_labels.last().cloned().unwrap_or_default();
    let find = |code: &str, wave: &str, unit: &Unit| {
        data.estimates
            .iter()
            .find(|e| e.indicator == code && e.wave == wave && &e.unit == unit)
    };
    let mut units: Vec<Unit> = vec![Unit::Zone];
    for e in &data.estimates {
        if matches!(e.unit, Unit::Municipality(_)) && !units.contains(&e.unit) {
            units.push(e.unit.clone());
        }
    }
    let sections = data
        .texts
        .iter()
        .map(|(code, name, question)| {
            let rows: Vec<Row> = units
                .iter()
                .map(|u| Row {
                    unit: unit_name(u),
                    cells: wave_labels
                        .iter()
                        .map(|w| cell(&tr, find(code, w, u)))
                        .collect(),
                })
                .collect();
            let series: Vec<(String, Vec<Interval>)> = units
                .iter()
                .map(|u| {
                    (
                        unit_name(u),
                        wave_labels
                            .iter()
                            .map(|w| {
                                find(code, w, u)
                                    .filter(|e| e.presentation.shown())
                                    .map(|e| (e.estimate, e.ci_low, e.ci_high))
                            })
                            .collect(),
                    )
                })
                .collect();
            let whiskers: Vec<veilig_report::Whiskers> = series
                .iter()
                .map(|(n, p)| veilig_report::Whiskers {
                    name: n,
                    points: p.clone(),
                })
                .collect();
            let chart = veilig_report::dot_whisker(&wave_labels, &whiskers, &name[li]);
            let verdicts = data
                .comparisons
                .iter()
                .filter(|c| &c.indicator == code)
                .map(|c| {
                    let class = match c.verdict {
                        veilig_survey::SurveyVerdict::SignificantlyHigher => "up",
                        veilig_survey::SurveyVerdict::SignificantlyLower => "down",
                        _ => "flat",
                    };
                    let what = match &c.unit {
                        Unit::Municipality(m) if c.a == *m => {
                            tr.arg("survey-vs-rest", "unit", unit_name(&c.unit))
                        }
                        u => tr.args(
                            "survey-vs-wave",
                            &[
                                ("unit", unit_name(u)),
                                ("a", c.a.clone()),
                                ("b", c.b.clone()),
                            ],
                        ),
                    };
                    // A comparison with a hidden side shows its verdict only.
                    let text = c.text(&tr);
                    Verdict { what, text, class }
                })
                .collect();
            let wijken = data
                .estimates
                .iter()
                .filter(|e| {
                    &e.indicator == code && e.wave == latest && matches!(e.unit, Unit::Wijk(_))
                })
                .map(|e| Row {
                    unit: unit_name(&e.unit),
                    cells: vec![cell(&tr, Some(e))],
                })
                .collect();
            Section {
                code: code.clone(),
                name: name[li].clone(),
                question: question[li].clone(),
                chart,
                rows,
                verdicts,
                wijken,
            }
        })
        .collect();
    let code = zone.code.as_str().to_string();
    let note = SourceNote {
        sources: data.sources.join("; "),
        extraction: "–".into(),
        method: "method-survey",
        disclosure: None,
        disclosure_method: None,
        release: None,
        through: None,
    };
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            format!("{} · {}", tr.t("survey-title"), zone.name),
            Some(&zone),
            &format!("/z/{code}/survey"),
        ),
        waves: wave_labels,
        latest,
        sections,
        weighting: data
            .waves
            .iter()
            .zip(&data.weighting)
            .map(|((_, wave), w)| weighting_sentence(&tr, wave, w))
            .collect(),
        rule: data.rule.citation.clone(),
        note,
        tr,
    };
    Ok(Html(page.render()?))
}

/// What a wave's weights are, in the reader's language: the method and population, the
/// trimming, the weights' range and design effect of weighting, or why the codebook's
/// weights stayed.
fn weighting_sentence(
    tr: &veilig_i18n::Tr,
    wave: &str,
    w: &veilig_query::survey::Weighting,
) -> String {
    let mut s = match &w.population {
        Some(p) => tr.args(
            w.method_key,
            &[("wave", wave.to_string()), ("population", tr.written(p))],
        ),
        None => tr.args(
            "survey-weighting-codebook",
            &[
                ("wave", wave.to_string()),
                (
                    "why",
                    tr.args(
                        w.why_key.unwrap_or("survey-not-weighted-asked"),
                        &[("value", w.why_value.clone().unwrap_or_default())],
                    ),
                ),
            ],
        ),
    };
    if let Some([lo, hi]) = w.trimmed {
        s.push(' ');
        s.push_str(&tr.args(
            "survey-weighting-trimmed",
            &[("low", tr.dec(lo, 1)), ("high", tr.dec(hi, 1))],
        ));
    }
    if w.population.is_some()
        && let Some(key) = w.why_key
    {
        s.push(' ');
        s.push_str(&tr.t(key));
    }
    let r = &w.weights;
    s.push(' ');
    s.push_str(&tr.args(
        "survey-weighting-weights",
        &[
            ("min", tr.dec(r.min, 1)),
            ("max", tr.dec(r.max, 1)),
            ("deff", tr.dec(r.deff_weighting, 2)),
        ],
    ));
    s
}
