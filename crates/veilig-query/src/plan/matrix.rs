//! The priority matrix: the evidence gathered per phenomenon (the same picture the overview
//! shows, calls, the survey, published statistics, harm, the reference plans, stakeholder
//! input), ranked by `veilig_plan`.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use veilig_analysis::picture::{Baseline, picture as build_picture};
use veilig_analysis::{Period, TestRules, Verdict};
use veilig_domain::Zone;
use veilig_plan::{Alignment, Method, ReferencePlan};
use veilig_store::{Decision, PriorityInput, PublishedCell, Store};

use super::current_priorities;
use crate::{Selection, denominators, load};

/// What the matrix is computed over and how.
#[derive(Debug, Clone)]
pub struct MatrixOptions {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub baseline: Baseline,
    pub rules: TestRules,
    pub method: Method,
    pub references: Vec<ReferencePlan>,
}

/// The picture's default test rules (as `veilig picture` without options): the policy cycle's
/// figures are judged by them unless a command says otherwise.
pub const DEFAULT_RULES: TestRules = TestRules {
    alpha: 0.05,
    min_events: 10,
};

impl MatrixOptions {
    /// The built-in method and reference plans, the previous year as baseline, the default
    /// rules.
    pub fn builtin(from: NaiveDate, to: NaiveDate) -> MatrixOptions {
        MatrixOptions {
            from,
            to,
            baseline: Baseline::PreviousYear,
            rules: DEFAULT_RULES,
            method: Method::builtin(),
            references: veilig_plan::reference::builtin(),
        }
    }
}

/// One criterion of one phenomenon: its value as evidence and its part in the score.
#[derive(Debug, Clone, Serialize)]
pub struct Criterion {
    pub value: Option<f64>,
    pub unit: &'static str,
    /// Scaled to 0-1 over the zone's phenomena (missing: 0).
    pub scaled: f64,
    pub weight: f64,
    /// Where the value comes from (a command, a file, an entry).
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendEvidence {
    pub annual_change_pct: f64,
    pub low_pct: f64,
    pub high_pct: f64,
    pub p_value: f64,
    pub significant: bool,
    pub years: Vec<i32>,
    pub method: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallsEvidence {
    /// The call categories that cover the phenomenon (shared with other phenomena).
    pub categories: Vec<String>,
    pub calls: i64,
    pub zone_calls: i64,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SurveyEvidence {
    pub survey: String,
    pub wave: String,
    pub indicator: String,
    pub name_nl: String,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub n: usize,
    pub presentation: veilig_survey::Presentation,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub phenomenon: String,
    pub name_nl: String,
    pub name_fr: String,
    pub name_en: String,
    pub count: u64,
    pub population: Option<i64>,
    pub rate_per_1000: Option<f64>,
    pub trend: Option<TrendEvidence>,
    /// The headline comparison, as `veilig picture` gives it.
    pub comparison: String,
    pub verdict: Verdict,
    pub change_pct: Option<f64>,
    pub p_value: f64,
    pub calls: CallsEvidence,
    pub survey: Option<SurveyEvidence>,
    /// Published statistics of the same figure whose period overlaps, as published.
    pub published: Vec<PublishedCell>,
    pub harm_days: Option<f64>,
    pub alignment: Vec<Alignment>,
    pub stakeholder: Option<PriorityInput>,
    pub criteria: BTreeMap<&'static str, Criterion>,
    pub score: f64,
    pub rank: usize,
    pub rank_best: usize,
    pub rank_worst: usize,
    /// The current ZVR decision on this phenomenon, if any.
    pub decision: Option<Decision>,
    /// The command that prints the figures this row was drawn from.
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReferenceSummary {
    pub code: String,
    pub kind: String,
    pub title: String,
    pub status: veilig_plan::reference::RefStatus,
    pub applies_until: NaiveDate,
    pub in_force: bool,
    pub confidence: String,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation_nl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation_fr: Option<String>,
}

veilig_plan::cited!(ReferenceSummary);

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub zone: String,
    pub zone_name: String,
    pub synthetic: bool,
    pub period: Period,
    pub baseline: Baseline,
    pub method: Method,
    pub references: Vec<ReferenceSummary>,
    /// Ranked, best first.
    pub rows: Vec<MatrixRow>,
    pub sensitivity: Vec<veilig_plan::matrix::Shift>,
    /// Phenomena whose rank moves when any weight moves ± 25 %.
    pub unstable: Vec<String>,
    pub note: &'static str,
    pub generated_at: chrono::NaiveDateTime,
}

const NOTE: &str = "Evidence for the ZVR's deliberation, not its decision. Each criterion is scaled 0-1 over the zone's phenomena (min-max) and weighted; a missing value scores 0. Only a significant trend counts. Criminele figuren overlap and are never summed: there is no total. Harm weights are an assumption (no Belgian harm index exists).";

fn day_after(d: NaiveDate) -> chrono::NaiveDateTime {
    d.succ_opt()
        .expect("date")
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
}

/// The priority matrix of a zone over a period.
pub async fn matrix(store: &Store, zone: &Zone, o: &MatrixOptions) -> Result<Matrix> {
    if o.to < o.from {
        bail!("--to {} lies before --from {}", o.to, o.from);
    }
    let period = Period::new(o.from, o.to);
    let zone_code = zone.code.as_str().to_string();
    let phenomena = store.phenomena(zone.id).await?;
    let areas = store.areas(zone.id).await?;
    let den = denominators(store, zone, &areas, o.to).await?;

    // Calls by category in the period.
    let calls = store
        .call_categories(
            zone.id,
            o.from.and_hms_opt(0, 0, 0).expect("t"),
            day_after(o.to),
        )
        .await?;
    let zone_calls: i64 = calls.iter().map(|c| c.1).sum();

    // The survey: the latest wave of each survey not after the period's year.
    let mut waves = Vec::new();
    let mut latest: BTreeMap<String, String> = BTreeMap::new();
    for (survey, wave, _) in crate::survey::waves(store, zone).await? {
        let year = wave.get(..4).and_then(|y| y.parse::<i32>().ok());
        if year.is_some_and(|y| y <= o.to.year()) {
            let e = latest.entry(survey).or_default();
            if wave > *e {
                *e = wave;
            }
        }
    }
    for (survey, wave) in &latest {
        waves.push(crate::survey::load_wave(store, zone, survey, wave).await?);
    }
    let rule = veilig_survey::SmallSample::builtin();

    let inputs = store.priority_inputs(zone.id).await?;
    let decisions = current_priorities(&store.decisions(zone.id).await?);

    let mut rows = Vec::new();
    for p in &phenomena {
        let l = load(
            store,
            &Selection {
                phenomenon: p.code.clone(),
                zone: Some(zone_code.clone()),
                area: None,
                from: o.from,
                to: o.to,
            },
            serde_json::Value::Null,
        )
        .await?;
        let pic = build_picture(&l.events, period, o.baseline, &den, l.coverage, o.rules);
        let cmp = &pic.comparison.comparison;
        let trend = pic.trend.as_ref().map(|t| TrendEvidence {
            annual_change_pct: t.annual_change_pct,
            low_pct: t.annual_change_low_pct,
            high_pct: t.annual_change_high_pct,
            p_value: t.p_value,
            significant: t.p_value < o.rules.alpha,
            years: t.years.clone(),
            method: t.method,
        });
        let cats = o.method.call_categories(&p.code);
        let n_calls: i64 = calls
            .iter()
            .filter(|(c, _)| c.as_deref().is_some_and(|c| cats.contains(&c)))
            .map(|c| c.1)
            .sum();
        let calls_ev = CallsEvidence {
            categories: cats.iter().map(|c| c.to_string()).collect(),
            calls: n_calls,
            zone_calls,
            share: (zone_calls > 0 && !cats.is_empty()).then(|| n_calls as f64 / zone_calls as f64),
        };
        let survey = match o.method.survey.get(&p.code) {
            None => None,
            Some(ind) => {
                let mut found = None;
                for w in &waves {
                    if let Some(e) = crate::survey::zone_indicator(w, ind, &rule, 0.95)? {
                        let shown = e.presentation.shown();
                        found = Some(SurveyEvidence {
                            survey: e.survey,
                            wave: e.wave,
                            indicator: e.indicator,
                            name_nl: e.name_nl,
                            estimate: shown.then_some(e.estimate),
                            ci_low: shown.then_some(e.ci_low),
                            ci_high: shown.then_some(e.ci_high),
                            n: e.n,
                            presentation: e.presentation,
                        });
                    }
                }
                found
            }
        };
        let mut published = Vec::new();
        for name in [p.nl.as_str(), p.code.as_str()] {
            published = store.published(zone.id, name).await?;
            if !published.is_empty() {
                break;
            }
        }
        published.retain(|c| c.cell.period_start <= o.to && c.cell.period_end >= o.from);
        let harm_days = o.method.harm.days.get(&p.code).copied();
        let alignment = veilig_plan::alignment(&o.references, &p.code, o.to);
        let stakeholder = inputs
            .iter()
            .rev()
            .find(|i| i.phenomenon == p.code)
            .cloned();
        let zone_fig = pic.zone.as_ref();
        let evidence = format!(
            "veilig picture --zone {zone_code} --phenomenon {} --from {} --to {}",
            p.code, o.from, o.to
        );
        let w = |c: &str| o.method.weights.get(c).copied().unwrap_or(0.0);
        let crit =
            |c: &'static str, value: Option<f64>, unit, source: String, note: Option<String>| {
                (
                    c,
                    Criterion {
                        value,
                        unit,
                        scaled: 0.0,
                        weight: w(c),
                        source,
                        note,
                    },
                )
            };
        let kinds: std::collections::BTreeSet<&str> =
            alignment.iter().map(|a| a.kind.as_str()).collect();
        let criteria: BTreeMap<&'static str, Criterion> = [
            crit(
                "harm",
                harm_days.map(|d| d * pic.count as f64),
                "harm-days",
                format!("count ({evidence}) x harm days (priority method, harm table: {})", o.method.harm.status),
                harm_days.is_none().then(|| "no harm weight for this phenomenon".to_string()),
            ),
            crit(
                "rate",
                zone_fig.and_then(|z| z.rate_per_1000),
                "per-1000-inhabitants",
                evidence.clone(),
                zone_fig.and_then(|z| z.rate_per_1000).is_none().then(|| "no population for the zone".to_string()),
            ),
            crit(
                "trend",
                trend.as_ref().map(|t| if t.significant { t.annual_change_pct } else { 0.0 }),
                "pct-per-year",
                evidence.clone(),
                trend.as_ref().and_then(|t| (!t.significant).then(|| format!("not significant (p = {:.3}): counts as 0", t.p_value))),
            ),
            crit(
                "calls",
                calls_ev.share,
                "share-of-calls",
                format!("calls for service {} to {} in categories {}", o.from, o.to, calls_ev.categories.join(", ")),
                calls_ev.categories.is_empty().then(|| "no call category covers this phenomenon".to_string()),
            ),
            crit(
                "survey",
                survey.as_ref().and_then(|s| s.estimate),
                "share-of-residents",
                survey.as_ref().map_or("no survey indicator linked".to_string(), |s| {
                    format!("veilig survey indicators --zone {zone_code} --survey {} --wave {} ({})", s.survey, s.wave, s.indicator)
                }),
                survey.as_ref().and_then(|s| s.estimate.is_none().then(|| format!("withheld by the small-sample rule ({:?})", s.presentation))),
            ),
            crit(
                "alignment",
                Some(kinds.len() as f64),
                "reference-plans",
                alignment.iter().map(|a| format!("{}:{}", a.plan, a.item)).collect::<Vec<_>>().join(", "),
                None,
            ),
            crit(
                "stakeholder",
                stakeholder.as_ref().map(|s| s.score),
                "score-0-5",
                stakeholder.as_ref().map_or("no input entered".to_string(), |s| s.source.clone()),
                None,
            ),
        ]
        .into_iter()
        .collect();
        rows.push(MatrixRow {
            phenomenon: p.code.clone(),
            name_nl: p.nl.clone(),
            name_fr: p.fr.clone(),
            name_en: p.en.clone(),
            count: pic.count,
            population: zone_fig.and_then(|z| z.population),
            rate_per_1000: zone_fig.and_then(|z| z.rate_per_1000),
            trend,
            comparison: pic.comparison.label.to_string(),
            verdict: cmp.verdict,
            change_pct: cmp.change_pct,
            p_value: cmp.p_value,
            calls: calls_ev,
            survey,
            published,
            harm_days,
            alignment,
            stakeholder,
            criteria,
            score: 0.0,
            rank: 0,
            rank_best: 0,
            rank_worst: 0,
            decision: decisions.iter().find(|d| d.subject == p.code).cloned(),
            evidence,
        });
    }
    let candidates: Vec<veilig_plan::Candidate> = rows
        .iter()
        .map(|r| veilig_plan::Candidate {
            key: r.phenomenon.clone(),
            values: r.criteria.iter().map(|(k, c)| (*k, c.value)).collect(),
        })
        .collect();
    let ranking = veilig_plan::rank(&candidates, &o.method);
    for (row, s) in rows.iter_mut().zip(&ranking.rows) {
        for (k, c) in row.criteria.iter_mut() {
            c.scaled = s.scaled.get(k).copied().unwrap_or(0.0);
        }
        row.score = s.score;
        row.rank = s.rank;
        row.rank_best = s.rank_best;
        row.rank_worst = s.rank_worst;
    }
    rows.sort_by_key(|r| r.rank);
    Ok(Matrix {
        zone: zone_code,
        zone_name: zone.name.clone(),
        synthetic: zone.synthetic,
        period,
        baseline: o.baseline,
        method: o.method.clone(),
        references: o
            .references
            .iter()
            .map(|r| ReferenceSummary {
                code: r.code.clone(),
                kind: r.kind.clone(),
                title: r.title.clone(),
                status: r.status,
                applies_until: r.applies_until(),
                in_force: r.in_force_on(o.to),
                confidence: r.confidence.clone(),
                citation: r.citation.clone(),
                citation_nl: r.citation_nl.clone(),
                citation_fr: r.citation_fr.clone(),
            })
            .collect(),
        rows,
        sensitivity: ranking.sensitivity,
        unstable: ranking.unstable,
        note: NOTE,
        generated_at: chrono::Utc::now().naive_utc(),
    })
}
