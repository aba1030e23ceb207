//! The policy cycle over the store: the priority matrix's evidence gathered per phenomenon
//! (the same picture `veilig picture` prints, calls, the survey, published statistics, harm,
//! the reference plans, stakeholder input) and ranked by `veilig_plan`; the ZVR's current
//! priorities; the zonal security plan with its versions and approval standing; and the
//! plan's changes, checked by `veilig_plan` and written with their audit line, one path for
//! the CLI and the web.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use veilig_analysis::picture::{Baseline, picture as build_picture};
use veilig_analysis::{Period, TestRules, Verdict};
use veilig_domain::Zone;
use veilig_plan::{Alignment, Method, PlanDoc, Procedure, ReferencePlan, Standing, Taken};
use veilig_store::{
    AuditEntry, Decision, NewDecision, NewPlanStep, PlanRow, PlanStep, PriorityInput,
    PublishedCell, Store,
};

pub use crate::snapshot::security_snapshot;
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
}

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

/// The ZVR's current decision per subject: the newest decision on it, when that adopted it.
pub fn current_priorities(decisions: &[Decision]) -> Vec<Decision> {
    let mut last: BTreeMap<&str, &Decision> = BTreeMap::new();
    for d in decisions {
        last.insert(d.subject.as_str(), d);
    }
    let mut out: Vec<Decision> = last
        .into_values()
        .filter(|d| d.outcome == "adopted")
        .cloned()
        .collect();
    out.sort_by_key(|d| d.id);
    out
}

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
        let pic = build_picture(&l.events, period, o.baseline, &den, o.rules);
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
            })
            .collect(),
        rows,
        sensitivity: ranking.sensitivity,
        unstable: ranking.unstable,
        note: NOTE,
        generated_at: chrono::Utc::now().naive_utc(),
    })
}

/// Records a ZVR decision after checking it: a known kind and domain, an external priority
/// on one of the zone's phenomena, a meeting not in the future, a rationale.
pub async fn decide(
    store: &Store,
    zone: &Zone,
    d: &NewDecision,
    today: NaiveDate,
    audit: &AuditEntry,
) -> Result<i64> {
    if veilig_plan::PriorityKind::parse(&d.kind).is_none() {
        bail!("kind {:?}: prioriteit or bijzonder-aandachtspunt", d.kind);
    }
    let Some(domain) = veilig_plan::Domain::parse(&d.domain) else {
        bail!("domain {:?}: external or internal", d.domain);
    };
    if domain == veilig_plan::Domain::External
        && !store
            .phenomena(zone.id)
            .await?
            .iter()
            .any(|p| p.code == d.subject)
    {
        bail!(
            "subject {:?} is not a phenomenon of zone {} (an internal priority may name a theme: --domain internal)",
            d.subject,
            zone.code.as_str()
        );
    }
    if !veilig_plan::valid_code(&d.subject) {
        bail!(
            "subject {:?}: 1-40 letters, digits, '.', '-', '_'",
            d.subject
        );
    }
    if d.meeting > today {
        bail!(
            "meeting {} lies in the future: record a decision once it is taken",
            d.meeting
        );
    }
    if d.rationale.trim().is_empty() || d.decided_by.trim().is_empty() {
        bail!("a decision needs its rationale and who decided");
    }
    Ok(store.record_decision(d, audit).await?)
}

/// Records stakeholder input for a phenomenon after checking it: a phenomenon of the zone, a
/// score from 0 to 5, a named source.
pub async fn add_input(
    store: &Store,
    zone: &Zone,
    phenomenon: &str,
    score: f64,
    source: &str,
    note: &str,
    audit: &AuditEntry,
) -> Result<i64> {
    if !store
        .phenomena(zone.id)
        .await?
        .iter()
        .any(|p| p.code == phenomenon)
    {
        bail!(
            "zone {} has no phenomenon {phenomenon:?}",
            zone.code.as_str()
        );
    }
    if !(0.0..=5.0).contains(&score) {
        bail!("score {score}: 0 to 5");
    }
    if source.trim().is_empty() {
        bail!("say who gave the input (its source)");
    }
    Ok(store
        .add_priority_input(
            zone.id,
            phenomenon,
            score,
            source.trim(),
            note.trim(),
            audit,
        )
        .await?)
}

/// One version of a plan with where its approval stands.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub kind: String,
    pub reason: String,
    pub created_at: chrono::NaiveDateTime,
    pub created_by: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
    pub standing: Standing,
    pub steps: Vec<PlanStep>,
}

/// A plan as shown: its newest version's document (flattened: `title`, `priorities`,
/// `objectives`, `actions`, ...), that version's `status`, and every version.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub zone: String,
    pub synthetic: bool,
    pub code: String,
    pub version: i32,
    pub status: String,
    pub editable: bool,
    /// The date by which the next step is due (the ministers' two months), when running.
    pub deadline: Option<NaiveDate>,
    pub next_steps: Vec<String>,
    #[serde(flatten)]
    pub document: PlanDoc,
    pub versions: Vec<VersionView>,
    /// Hours asked per priority and year.
    pub hours: BTreeMap<i32, BTreeMap<String, f64>>,
    pub procedure: Procedure,
    #[serde(skip)]
    pub plan_id: i64,
    #[serde(skip)]
    pub documents: Vec<PlanDoc>,
}

impl PlanView {
    /// The document of a version.
    pub fn document_of(&self, version: i32) -> Option<&PlanDoc> {
        self.versions
            .iter()
            .position(|v| v.version == version)
            .map(|i| &self.documents[i])
    }
}

/// The plan `which` names: `current` (the plan whose period covers `today`, else the newest)
/// or a plan code.
pub async fn find_plan(
    store: &Store,
    zone: &Zone,
    which: &str,
    today: NaiveDate,
) -> Result<PlanRow> {
    let plans = store.plans(zone.id).await?;
    if plans.is_empty() {
        bail!(
            "zone {} has no plan yet: `veilig plan create`",
            zone.code.as_str()
        );
    }
    if which != "current" {
        return plans
            .into_iter()
            .find(|p| p.code == which)
            .with_context(|| format!("zone {} has no plan {which:?}", zone.code.as_str()));
    }
    let mut best = None;
    for p in &plans {
        let v = store.plan_versions(p.id).await?;
        if let Some(last) = v.last() {
            let doc: PlanDoc = serde_json::from_str(&last.document)?;
            if doc.period_start <= today && today <= doc.period_end {
                best = Some(p.clone());
            }
        }
    }
    Ok(best.unwrap_or_else(|| plans.last().expect("not empty").clone()))
}

pub async fn plan_view(
    store: &Store,
    zone: &Zone,
    plan: &PlanRow,
    proc: &Procedure,
) -> Result<PlanView> {
    let versions = store.plan_versions(plan.id).await?;
    let steps = store.plan_steps(plan.id).await?;
    let mut views = Vec::new();
    let mut documents = Vec::new();
    for v in &versions {
        let doc: PlanDoc = serde_json::from_str(&v.document).with_context(|| {
            format!("plan {} version {}: stored document", plan.code, v.version)
        })?;
        let mine: Vec<PlanStep> = steps
            .iter()
            .filter(|s| s.version == v.version)
            .cloned()
            .collect();
        let taken = taken(&mine);
        views.push(VersionView {
            version: v.version,
            kind: v.kind.clone(),
            reason: v.reason.clone(),
            created_at: v.created_at,
            created_by: v.created_by.clone(),
            updated_at: v.updated_at,
            standing: proc.standing(&taken),
            steps: mine,
        });
        documents.push(doc);
    }
    let last = views.last().context("a plan without a version")?.clone();
    let document = documents.last().expect("one per version").clone();
    let mut hours = BTreeMap::new();
    for y in document.period_start.year()..=document.period_end.year() {
        let h = document.hours_by_priority(y);
        if !h.is_empty() {
            hours.insert(y, h);
        }
    }
    Ok(PlanView {
        zone: zone.code.as_str().to_string(),
        synthetic: plan.synthetic,
        code: plan.code.clone(),
        version: last.version,
        status: last.standing.status.clone(),
        editable: last.standing.editable,
        deadline: last.standing.deadline,
        next_steps: last.standing.next.clone(),
        document,
        versions: views,
        hours,
        procedure: proc.clone(),
        plan_id: plan.id,
        documents,
    })
}

fn problems_error(doc: &PlanDoc) -> Result<()> {
    let p = doc.problems();
    if !p.is_empty() {
        bail!(
            "the plan would not be valid; nothing was changed:\n  {}",
            p.join("\n  ")
        );
    }
    Ok(())
}

/// The plan's priorities from the council's current decisions (P1, P2, ... in the order they
/// were decided), each with the reference-plan items in force at the plan's start.
pub async fn priorities_from_decisions(
    store: &Store,
    zone: &Zone,
    start: NaiveDate,
) -> Result<Vec<veilig_plan::Priority>> {
    let refs = veilig_plan::reference::builtin();
    Ok(current_priorities(&store.decisions(zone.id).await?)
        .iter()
        .enumerate()
        .map(|(i, d)| veilig_plan::Priority {
            code: format!("P{}", i + 1),
            subject: d.subject.clone(),
            title: d.title.clone(),
            kind: veilig_plan::PriorityKind::parse(&d.kind)
                .unwrap_or(veilig_plan::PriorityKind::Prioriteit),
            domain: veilig_plan::Domain::parse(&d.domain).unwrap_or(veilig_plan::Domain::External),
            decision: Some(d.id),
            references: veilig_plan::alignment(&refs, &d.subject, start)
                .iter()
                .map(|a| format!("{}:{}", a.plan, a.item))
                .collect(),
        })
        .collect())
}

/// Creates a plan (version 1, a draft) after checking its document.
pub async fn create_plan(
    store: &Store,
    zone: &Zone,
    code: &str,
    doc: &PlanDoc,
    audit: &AuditEntry,
) -> Result<PlanRow> {
    if !veilig_plan::valid_code(code) {
        bail!("plan code {code:?}: 1-40 letters, digits, '.', '-', '_'");
    }
    problems_error(doc)?;
    Ok(store
        .create_plan(
            zone.id,
            code,
            zone.synthetic,
            &serde_json::to_string(doc)?,
            audit,
        )
        .await?)
}

/// Changes the newest version of a plan, when it is still a draft: `change` edits the
/// document, the result is checked whole, and only a valid document is stored.
pub async fn edit_plan(
    store: &Store,
    view: &PlanView,
    audit: &AuditEntry,
    change: impl FnOnce(&mut PlanDoc) -> Result<()>,
) -> Result<PlanDoc> {
    if !view.editable {
        bail!(
            "version {} of plan {} is {}: it can no longer change; start an addendum (`veilig plan addendum`)",
            view.version,
            view.code,
            view.status
        );
    }
    let mut doc = view.document.clone();
    change(&mut doc)?;
    problems_error(&doc)?;
    store
        .save_draft(
            view.plan_id,
            view.version,
            &serde_json::to_string(&doc)?,
            audit,
        )
        .await?;
    Ok(doc)
}

/// Starts a new version (an addendum, or a revision after a refusal) from the newest one.
pub async fn new_version(
    store: &Store,
    view: &PlanView,
    kind: &str,
    reason: &str,
    audit: &AuditEntry,
) -> Result<i32> {
    if view.editable {
        bail!(
            "version {} is still a draft: change it instead of adding a version",
            view.version
        );
    }
    if reason.trim().is_empty() {
        bail!("a new version needs its reason (e.g. a new NVP)");
    }
    Ok(store
        .add_plan_version(
            view.plan_id,
            kind,
            reason,
            &serde_json::to_string(&view.document)?,
            audit,
        )
        .await?)
}

/// The approval steps a version has taken, as the procedure checks them.
fn taken(steps: &[PlanStep]) -> Vec<Taken> {
    steps
        .iter()
        .map(|s| Taken {
            step: s.step.clone(),
            on: s.decided_on,
            outcome: s.outcome.clone(),
        })
        .collect()
}

/// Records an approval step on the newest version after the procedure's checks (order, dates,
/// not in the future) and, for its first step, the document's.
#[allow(clippy::too_many_arguments)]
pub async fn take_step(
    store: &Store,
    view: &PlanView,
    step: &str,
    on: NaiveDate,
    outcome: &str,
    reference: &str,
    today: NaiveDate,
    audit: &AuditEntry,
) -> Result<i64> {
    let last = view.versions.last().context("no version")?;
    let taken = taken(&last.steps);
    view.procedure.check(&taken, step, on, outcome, today)?;
    if taken.is_empty() {
        problems_error(&view.document)?;
        if view.document.priorities.is_empty() {
            bail!("the plan has no priority: nothing to approve");
        }
    }
    if reference.trim().is_empty() {
        bail!("a step needs its reference (the meeting, letter or decision)");
    }
    Ok(store
        .add_plan_step(
            &NewPlanStep {
                plan_id: view.plan_id,
                version: view.version,
                step: step.into(),
                decided_on: on,
                outcome: outcome.into(),
                reference: reference.into(),
                recorded_by: audit.username.clone(),
            },
            audit,
        )
        .await?)
}

/// A plan action as a project of the capacity allocation.
#[derive(Debug, Clone, Serialize)]
pub struct PlanProject {
    pub code: String,
    pub name: String,
    pub priority: String,
    pub priority_kind: String,
    pub weight: f64,
    pub hours: f64,
    pub functionalities: Vec<String>,
}

/// The actions of one year of the plan as allocation projects, weighted by the kind of the
/// priority they serve.
pub fn plan_projects(doc: &PlanDoc, year: i32, method: &Method) -> Vec<PlanProject> {
    doc.actions
        .iter()
        .filter(|a| a.year == year)
        .filter_map(|a| {
            let p = doc.action_priority(a)?;
            Some(PlanProject {
                code: a.code.clone(),
                name: a.title.clone(),
                priority: p.code.clone(),
                priority_kind: p.kind.as_str().to_string(),
                weight: method.allocation_weight(p.kind.as_str()),
                hours: a.hours,
                functionalities: a.functionalities.clone(),
            })
        })
        .collect()
}
