//! Following the plan: the indicators with their measurements and verdicts
//! (`/z/{zone}/plan/indicators`), Compstat reviews with the agenda Veilig drafts and the
//! decisions that stay open until closed (`/z/{zone}/plan/reviews`), and the problem files
//! (SARA) with their before/after assessment (`/z/{zone}/plan/problems`), a wijkinspecteur's
//! scoped to their wijken by [`crate::policy::problem_scope`].

use veilig_monitor::{Place, ProblemFile};
use veilig_query::monitor as qm;

use super::*;
use crate::policy::problem_scope;

const RULES: TestRules = qp::DEFAULT_RULES;

fn fmt_value(tr: &Tr, v: f64, unit: &str) -> String {
    match unit {
        "proportion" | "share" => format!("{} %", tr.dec(v * 100.0, 1)),
        "count" => tr.int(v.round().max(0.0) as u64),
        _ => tr.dec(v, 2),
    }
}

pub struct IndicatorRowView {
    pub code: String,
    pub objective: String,
    pub name: String,
    pub kind: String,
    pub source: String,
    pub baseline: String,
    pub target: String,
    pub latest: String,
    pub verdict: String,
    pub verdict_class: &'static str,
    pub chart: String,
    /// Every measurement: period, value, revision, origin, provisional, batches.
    pub measurements: Vec<(String, String, i32, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "plan_indicators.html")]
struct IndicatorsPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    rows: Vec<IndicatorRowView>,
    method: String,
}

pub(super) fn verdict_class(v: &str) -> &'static str {
    match v {
        "on-track" => "on-track",
        "off-track" => "off-track",
        _ => "unknown",
    }
}

pub async fn indicators_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanMonitor).await?;
    let st = qm::status(&state.store, &zone, RULES).await?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str();
    let rows = st
        .iter()
        .map(|s| {
            // The newest revision of each period, baseline first.
            let mut periods: Vec<&veilig_store::MeasurementRow> = Vec::new();
            for m in &s.measurements {
                match periods
                    .iter_mut()
                    .find(|p| p.period_start == m.period_start && p.period_end == m.period_end)
                {
                    Some(p) if p.revision < m.revision => *p = m,
                    Some(_) => {}
                    None => periods.push(m),
                }
            }
            let base = s.baseline.value;
            let points: Vec<veilig_report::ProgressPoint> = periods
                .iter()
                .map(|m| {
                    let scale = match (
                        m.exposure_days,
                        s.measurements
                            .iter()
                            .find(|b| b.period_start == s.baseline.from)
                            .and_then(|b| b.exposure_days),
                    ) {
                        (Some(a), Some(b)) if b > 0.0 => a / b,
                        _ => 1.0,
                    };
                    veilig_report::ProgressPoint {
                        label: if m.period_end.month() == 12 && m.period_start.month() == 1 {
                            m.period_start.year().to_string()
                        } else {
                            tr.args(
                                "ind-quarter",
                                &[
                                    ("q", (m.period_start.month0() / 3 + 1).to_string()),
                                    ("year", m.period_start.year().to_string()),
                                ],
                            )
                        },
                        value: m.value,
                        interval: m.low.zip(m.high),
                        path: base.map_or(m.value, |b| {
                            s.definition.path_value(b, m.period_end) * scale
                        }),
                        baseline: m.period_start == s.baseline.from
                            && m.period_end == s.baseline.to,
                    }
                })
                .collect();
            IndicatorRowView {
                code: s.code.clone(),
                objective: s.objective.clone(),
                name: s.name.clone(),
                kind: tr.t(&format!("ind-kind-{}", s.kind.as_str())),
                source: if s.computed {
                    tr.t("ind-computed")
                } else {
                    tr.t("ind-entered")
                },
                baseline: base.map_or("–".into(), |b| {
                    format!(
                        "{} ({} – {})",
                        fmt_value(&tr, b, &s.unit),
                        s.baseline.from,
                        s.baseline.to
                    )
                }),
                target: s.target.value.map_or("–".into(), |t| {
                    format!(
                        "{} ({})",
                        fmt_value(&tr, t, &s.unit),
                        s.definition.target.by()
                    )
                }),
                latest: s.progress.latest.map_or("–".into(), |l| {
                    format!(
                        "{} ({})",
                        fmt_value(&tr, l, &s.unit),
                        s.progress
                            .latest_period_end
                            .map_or(String::new(), |d| d.to_string())
                    )
                }),
                verdict: tr.t(&format!("ind-verdict-{}", s.verdict)),
                verdict_class: verdict_class(s.verdict),
                chart: if points.len() > 1 {
                    veilig_report::progress_chart(&points, &s.name, &tr.t("ind-path"))
                } else {
                    String::new()
                },
                measurements: s
                    .measurements
                    .iter()
                    .map(|m| {
                        (
                            format!("{} – {}", m.period_start, m.period_end),
                            fmt_value(&tr, m.value, &s.unit),
                            m.revision,
                            format!("{} {}", m.origin, m.recorded_by.clone().unwrap_or_default()),
                            m.provisional,
                            m.batches
                                .iter()
                                .map(|b| b.to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let page = IndicatorsPage {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.t("ind-title"),
            Some(&zone),
            &format!("/z/{code}/plan/indicators"),
        ),
        rows,
        method: st
            .first()
            .map_or(String::new(), |s| s.progress.method.to_string()),
        tr,
    };
    Ok(Html(page.render()?))
}

// ---- reviews --------------------------------------------------------------------------------

/// A decision as shown: id, what, who, due, open or closed (with its note).
type DecisionLine = (i64, String, String, String, String);
/// A review as shown: id, kind, held on, period, its decisions.
type ReviewView = (i64, String, String, String, Vec<DecisionLine>);

/// A yearly evaluation's line per objective: objective, its statement, the council's verdict
/// (with its note), the indicators' verdicts, the actions (done or not, hours planned and
/// allocated).
pub struct EvaluationLine {
    pub objective: String,
    pub statement: String,
    pub verdict: String,
    pub indicators: String,
    pub actions: String,
}

/// A yearly evaluation as shown: heading and lines.
pub struct EvaluationView {
    pub heading: String,
    pub lines: Vec<EvaluationLine>,
}

fn evaluation_view(tr: &Tr, r: &veilig_store::ReviewRow) -> Option<EvaluationView> {
    let doc: serde_json::Value = serde_json::from_str(&r.document).ok()?;
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let lines = doc["objectives"]
        .as_array()?
        .iter()
        .map(|o| EvaluationLine {
            objective: s(&o["objective"]),
            statement: s(&o["statement"]),
            verdict: match o["verdict"].as_str() {
                Some(v) => {
                    let note = s(&o["note"]);
                    let t = tr.t(&format!("eval-{v}"));
                    if note.is_empty() {
                        t
                    } else {
                        format!("{t}: {note}")
                    }
                }
                None => "–".into(),
            },
            indicators: o["indicators"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|i| {
                            format!(
                                "{} {}",
                                s(&i["code"]),
                                tr.t(&format!("ind-verdict-{}", s(&i["verdict"])))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default(),
            actions: o["actions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            tr.args(
                                "eval-action",
                                &[
                                    ("code", s(&x["code"])),
                                    (
                                        "done",
                                        tr.t(if x["done"].as_bool() == Some(true) {
                                            "eval-done"
                                        } else {
                                            "eval-not-done"
                                        }),
                                    ),
                                    (
                                        "planned",
                                        tr.int(x["hours_planned"].as_f64().unwrap_or(0.0).round()
                                            as u64),
                                    ),
                                    (
                                        "allocated",
                                        x["hours_allocated"]
                                            .as_f64()
                                            .map_or("–".into(), |h| tr.int(h.round() as u64)),
                                    ),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default(),
        })
        .collect();
    Some(EvaluationView {
        heading: tr.args(
            "eval-heading",
            &[
                ("plan", s(&doc["plan"])),
                ("year", doc["year"].to_string()),
                ("held", r.held_on.to_string()),
            ],
        ),
        lines,
    })
}

#[derive(Template)]
#[template(path = "plan_reviews.html")]
struct ReviewsPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    error: Option<String>,
    agenda: qm::Agenda,
    reviews: Vec<ReviewView>,
    evaluations: Vec<EvaluationView>,
    /// The evaluation form: strategic objectives (code, statement) and actions (code, year,
    /// title) of the current plan, and its years.
    eval_objectives: Vec<(String, String)>,
    eval_actions: Vec<(String, i32, String)>,
    eval_year: i32,
    can_evaluate: bool,
    eval_action: String,
    from: String,
    to: String,
    today: String,
}

async fn render_reviews(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let tr = state.i18n.tr(ctx.lang);
    let agenda = super::cached::agenda_for(state, zone).await?;
    let (from, to) = (agenda.period_from, agenda.period_to);
    let decisions = state.store.review_decisions(zone.id).await?;
    let stored = state.store.reviews(zone.id).await?;
    let evaluations = stored
        .iter()
        .rev()
        .filter(|r| r.kind == "annual")
        .filter_map(|r| evaluation_view(&tr, r))
        .collect();
    let reviews = stored
        .into_iter()
        .rev()
        .filter(|r| r.kind == "compstat")
        .map(|r| {
            (
                r.id,
                tr.t(&format!("review-kind-{}", r.kind)),
                r.held_on.to_string(),
                format!("{} – {}", r.period_from, r.period_to),
                decisions
                    .iter()
                    .filter(|d| d.review_id == r.id)
                    .map(|d| {
                        (
                            d.id,
                            d.what.clone(),
                            d.who.clone(),
                            d.due.to_string(),
                            match d.closed_in {
                                Some(c) => {
                                    tr.arg("review-closed-in", "id", c)
                                        + &d.closed_note
                                            .as_ref()
                                            .map_or(String::new(), |n| format!(": {n}"))
                                }
                                None => tr.t("review-open"),
                            },
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let plan = super::current_view(state, zone).await?;
    let (eval_objectives, eval_actions, eval_year) = match &plan {
        Some(v) => (
            v.document
                .objectives
                .iter()
                .filter(|o| o.level == veilig_plan::Level::Strategic)
                .map(|o| (o.code.clone(), o.statement.clone()))
                .collect(),
            v.document
                .actions
                .iter()
                .map(|a| (a.code.clone(), a.year, a.title.clone()))
                .collect(),
            today()
                .year()
                .clamp(v.document.period_start.year(), v.document.period_end.year()),
        ),
        None => (vec![], vec![], today().year()),
    };
    let code = zone.code.as_str();
    let page = ReviewsPage {
        chrome: Chrome::new(
            state,
            ctx,
            tr.t("review-title"),
            Some(zone),
            &format!("/z/{code}/plan/reviews"),
        ),
        error: error.clone(),
        agenda: (*agenda).clone(),
        reviews,
        evaluations,
        can_evaluate: plan.is_some()
            && allows(ctx.user.as_ref(), Some(zone.id), Action::PlanDecide),
        eval_objectives,
        eval_actions,
        eval_year,
        eval_action: format!("/z/{code}/plan/evaluate"),
        from: from.to_string(),
        to: to.to_string(),
        today: today().to_string(),
        tr,
    };
    form_page(error.is_some(), page.render()?)
}

pub async fn reviews_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanMonitor).await?;
    render_reviews(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    pub from: String,
    pub to: String,
    pub held_on: String,
    /// One decision per line: what | who | YYYY-MM-DD.
    #[serde(default)]
    pub decisions: String,
    /// Open decisions closed, as `ID:note` per line.
    #[serde(default)]
    pub closes: String,
}

pub async fn record_review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<ReviewForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanMonitor).await?;
    let r = async {
        let date = |s: &str, what: &str| {
            s.trim()
                .parse::<NaiveDate>()
                .map_err(|_| anyhow::anyhow!("{what} {s:?} is not a date"))
        };
        let (from, to, held_on) = (
            date(&f.from, "from")?,
            date(&f.to, "to")?,
            date(&f.held_on, "held on")?,
        );
        qm::record_review(
            &state.store,
            &zone,
            &qm::ReviewRequest {
                from,
                to,
                held_on,
                today: today(),
                decisions: f.decisions.lines().collect(),
                closes: f.closes.lines().collect(),
            },
            RULES,
            &ctx.audit_entry(
                "review",
                Some(zone.id),
                format!("compstat {from}..{to} held {held_on}"),
            ),
        )
        .await
        .map(|_| ())
    }
    .await;
    match r {
        Ok(()) => {
            Ok(Redirect::to(&format!("/z/{}/plan/reviews", zone.code.as_str())).into_response())
        }
        Err(e) => render_reviews(&state, &ctx, &zone, Some(refused(&state, &ctx, &e))).await,
    }
}

/// Records the council's yearly evaluation: `year`, `held_on`, `verdict_OBJ`, `note_OBJ`,
/// `done_ACTION` fields.
pub async fn evaluate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanMonitor).await?;
    if !allows(ctx.user.as_ref(), Some(zone.id), Action::PlanDecide) {
        return Err(WebError::Forbidden);
    }
    let r: anyhow::Result<()> = async {
        let v = super::current_view(&state, &zone)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
            .ok_or_else(|| anyhow::anyhow!("the zone has no plan yet"))?;
        let get = |k: &str| f.get(k).map(|x| x.trim().to_string()).unwrap_or_default();
        let year: i32 = get("year")
            .parse()
            .map_err(|_| anyhow::anyhow!("year {:?} is not a year", get("year")))?;
        let held_on: NaiveDate = get("held_on")
            .parse()
            .map_err(|_| anyhow::anyhow!("date {:?} is not a date", get("held_on")))?;
        let verdicts: Vec<qm::ObjectiveVerdict> = f
            .iter()
            .filter_map(|(k, val)| k.strip_prefix("verdict_").map(|o| (o, val)))
            .filter(|(_, val)| !val.is_empty())
            .map(|(o, val)| qm::ObjectiveVerdict {
                objective: o.to_string(),
                verdict: val.clone(),
                note: get(&format!("note_{o}")),
            })
            .collect();
        let done: Vec<String> = f
            .keys()
            .filter_map(|k| k.strip_prefix("done_").map(str::to_string))
            .collect();
        let allocation = veilig_query::capacity::allocation::plan_year_allocation(
            &state.store,
            &zone,
            &v.code,
            year,
        )
        .await?;
        let audit = ctx.audit_entry(
            "evaluation",
            Some(zone.id),
            format!("{} {year} evaluated on {held_on}", v.code),
        );
        qm::evaluate(
            &state.store,
            &zone,
            &v,
            year,
            held_on,
            &verdicts,
            &done,
            &allocation,
            today(),
            &audit,
        )
        .await?;
        Ok(())
    }
    .await;
    match r {
        Ok(()) => {
            Ok(Redirect::to(&format!("/z/{}/plan/reviews", zone.code.as_str())).into_response())
        }
        Err(e) => render_reviews(&state, &ctx, &zone, Some(refused(&state, &ctx, &e))).await,
    }
}

// ---- problem files ------------------------------------------------------------------------

/// The areas a place lies in (its wijken, or the wijk around a circle's centre).
fn place_areas(place: &Place, areas: &[veilig_domain::Area]) -> Vec<i64> {
    match place {
        Place::Wijken { codes } => areas
            .iter()
            .filter(|a| codes.contains(&a.code))
            .map(|a| a.id)
            .collect(),
        Place::Circle { x, y, .. } => areas
            .iter()
            .filter(|a| a.geometry.contains(*x, *y))
            .map(|a| a.id)
            .collect(),
    }
}

fn visible(scope: &Option<Vec<i64>>, place: &Place, areas: &[veilig_domain::Area]) -> bool {
    match scope {
        None => true,
        Some(own) => {
            let ids = place_areas(place, areas);
            !ids.is_empty() && ids.iter().all(|i| own.contains(i))
        }
    }
}

pub struct ProblemView {
    pub code: String,
    pub title: String,
    pub phenomenon: String,
    pub stage: String,
    pub place: String,
    pub comparison: String,
    pub analysis: (String, String, String),
    pub response: Vec<String>,
    pub start: String,
    pub assessment: Option<(String, String, String, String)>,
    pub verdict: String,
}

#[derive(Template)]
#[template(path = "plan_problems.html")]
struct ProblemsPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    error: Option<String>,
    files: Vec<ProblemView>,
    wijken: Vec<(String, String)>,
    phenomena: Vec<(String, String)>,
    method: String,
}

fn describe(tr: &Tr, p: &Place) -> String {
    match p {
        Place::Wijken { codes } => codes.join(", "),
        Place::Circle { x, y, radius } => tr.args(
            "pf-circle",
            &[
                ("radius", format!("{radius:.0}")),
                ("x", format!("{x:.0}")),
                ("y", format!("{y:.0}")),
            ],
        ),
    }
}

/// The problem files a user may see, each with whether its comparison area lies in the
/// user's scope too. A wijkinspecteur sees another wijk's figures nowhere else, so for a
/// comparison outside their wijken they read the verdict, not the counts, ratio or p-value
/// the comparison's counts could be worked back from.
async fn scoped_problems(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
) -> WebResult<Vec<(qm::ProblemStatus, bool)>> {
    let scope = problem_scope(ctx.user.as_ref(), zone.id).ok_or(WebError::Forbidden)?;
    let areas = state.store.areas(zone.id).await?;
    Ok(qm::problems(&state.store, zone, RULES)
        .await?
        .into_iter()
        .filter(|p| visible(&scope, &p.file.place, &areas))
        .map(|p| {
            let comparison = visible(&scope, &p.file.comparison, &areas);
            (p, comparison)
        })
        .collect())
}

async fn render_problems(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let scope = problem_scope(ctx.user.as_ref(), zone.id).ok_or(WebError::Forbidden)?;
    let tr = state.i18n.tr(ctx.lang);
    let areas = state.store.areas(zone.id).await?;
    let files: Vec<ProblemView> = scoped_problems(state, ctx, zone)
        .await?
        .into_iter()
        .map(|(p, comparison_shown)| {
            let f = &p.file;
            ProblemView {
                code: f.code.clone(),
                title: f.title.clone(),
                phenomenon: f.phenomenon.clone(),
                stage: tr.t(&format!("pf-stage-{}", f.stage)),
                place: describe(&tr, &f.place),
                comparison: describe(&tr, &f.comparison),
                analysis: (
                    f.analysis.offender.clone(),
                    f.analysis.victim.clone(),
                    f.analysis.place.clone(),
                ),
                response: f
                    .response
                    .iter()
                    .map(|r| {
                        if r.partners.is_empty() {
                            r.what.clone()
                        } else {
                            format!("{} ({})", r.what, r.partners.join(", "))
                        }
                    })
                    .collect(),
                start: f.response_start.to_string(),
                assessment: p.assessment.as_ref().map(|a| {
                    if !comparison_shown {
                        let x = tr.t("verdict-withheld");
                        return (
                            format!("{} → {}", a.place.before, a.place.after),
                            x.clone(),
                            x.clone(),
                            x,
                        );
                    }
                    (
                        format!("{} → {}", a.place.before, a.place.after),
                        format!("{} → {}", a.comparison.before, a.comparison.after),
                        a.ratio_of_ratios.map_or("–".into(), |r| {
                            format!(
                                "{} ({} – {})",
                                tr.dec(r, 2),
                                tr.dec(a.low.unwrap_or(0.0), 2),
                                tr.dec(a.high.unwrap_or(0.0), 2)
                            )
                        }),
                        a.p_value.map_or("–".into(), |p| tr.p(p)),
                    )
                }),
                verdict: p.assessment.as_ref().map_or(tr.t("pf-not-yet"), |a| {
                    tr.t(&format!(
                        "pf-verdict-{}",
                        serde_json::to_value(a.verdict)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    ))
                }),
            }
        })
        .collect();
    let own: Vec<(String, String)> = areas
        .iter()
        .filter(|a| scope.as_ref().is_none_or(|s| s.contains(&a.id)))
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let phenomena = phenomenon_names(state, zone, ctx.lang).await?;
    let code = zone.code.as_str();
    let page = ProblemsPage {
        chrome: Chrome::new(
            state,
            ctx,
            tr.t("pf-title"),
            Some(zone),
            &format!("/z/{code}/plan/problems"),
        ),
        error: error.clone(),
        files,
        wijken: own,
        phenomena,
        method: tr.t("pf-method"),
        tr,
    };
    form_page(error.is_some(), page.render()?)
}

pub async fn problems_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Problems).await?;
    render_problems(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct ProblemForm {
    pub code: String,
    pub title: String,
    pub phenomenon: String,
    pub wijk: String,
    pub comparison_wijk: String,
    pub response_start: String,
    #[serde(default)]
    pub offender: String,
    #[serde(default)]
    pub victim: String,
    #[serde(default)]
    pub place_analysis: String,
    /// One action per line.
    #[serde(default)]
    pub response: String,
    #[serde(default)]
    pub stage: String,
}

pub async fn save_problem(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<ProblemForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Problems).await?;
    let scope = problem_scope(ctx.user.as_ref(), zone.id).ok_or(WebError::Forbidden)?;
    let areas = state.store.areas(zone.id).await?;
    let pf = ProblemFile {
        code: f.code.trim().into(),
        title: f.title.trim().into(),
        phenomenon: f.phenomenon.clone(),
        place: Place::Wijken {
            codes: vec![f.wijk.clone()],
        },
        comparison: Place::Wijken {
            codes: vec![f.comparison_wijk.clone()],
        },
        analysis: veilig_monitor::problem::Analysis {
            offender: f.offender.clone(),
            victim: f.victim.clone(),
            place: f.place_analysis.clone(),
        },
        response: f
            .response
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| veilig_monitor::problem::ResponseAction {
                what: l.into(),
                partners: vec![],
            })
            .collect(),
        response_start: match f.response_start.parse() {
            Ok(d) => d,
            Err(_) => {
                let tr = state.i18n.tr(ctx.lang);
                return render_problems(&state, &ctx, &zone, Some(tr.t("error-bad-period"))).await;
            }
        },
        window_days: 365,
        stage: if f.stage.is_empty() {
            "scanning".into()
        } else {
            f.stage.clone()
        },
    };
    // A wijkinspecteur files problems in their own wijken, and may not overwrite another's.
    let existing = state
        .store
        .problem_files(zone.id)
        .await?
        .into_iter()
        .find(|p| p.code == pf.code);
    let other_place = existing
        .as_ref()
        .and_then(|e| serde_json::from_str::<ProblemFile>(&e.document).ok())
        .is_some_and(|old| !visible(&scope, &old.place, &areas));
    if !visible(&scope, &pf.place, &areas) || other_place {
        return Err(WebError::Forbidden);
    }
    let audit = ctx.audit_entry(
        "problem-file",
        Some(zone.id),
        format!("{}: {}", pf.code, pf.title),
    );
    match qm::save_problem(&state.store, &zone, &pf, &audit).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/z/{}/plan/problems", zone.code.as_str())).into_response())
        }
        Err(e) => render_problems(&state, &ctx, &zone, Some(refused(&state, &ctx, &e))).await,
    }
}

// ---- JSON ---------------------------------------------------------------------------------

pub async fn indicators_json(
    state: &AppState,
    ctx: &Ctx,
    zone: &str,
) -> WebResult<serde_json::Value> {
    let (zone, _) = zone_for(state, ctx, zone, Action::PlanMonitor).await?;
    let st = qm::status(&state.store, &zone, RULES).await?;
    state
        .store
        .audit(&ctx.audit_entry("export", Some(zone.id), "api: plan indicators".into()))
        .await?;
    Ok(
        serde_json::json!({"zone": zone.code.as_str(), "synthetic": zone.synthetic, "indicators": st}),
    )
}

pub async fn problems_json(
    state: &AppState,
    ctx: &Ctx,
    zone: &str,
) -> WebResult<serde_json::Value> {
    let (zone, _) = zone_for(state, ctx, zone, Action::Problems).await?;
    let ps: Vec<serde_json::Value> = scoped_problems(state, ctx, &zone)
        .await?
        .into_iter()
        .map(|(p, comparison_shown)| {
            let mut v = serde_json::to_value(&p).unwrap_or_default();
            if !comparison_shown && let Some(a) = &p.assessment {
                v["assessment"] = serde_json::json!({
                    "place": a.place,
                    "place_change": a.place_change,
                    "verdict": a.verdict,
                    "comparison": "withheld: outside the wijken of this account",
                    "method": a.method,
                });
            }
            v
        })
        .collect();
    state
        .store
        .audit(&ctx.audit_entry("export", Some(zone.id), "api: problem files".into()))
        .await?;
    Ok(serde_json::json!({"zone": zone.code.as_str(), "synthetic": zone.synthetic, "problems": ps}))
}
