//! Compstat reviews with the agenda Veilig drafts and the decisions that stay open until
//! closed (`/z/{zone}/plan/reviews`), and the council's yearly evaluation.

use veilig_query::monitor as qm;

use super::*;

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
    /// The agenda's phenomena and places in the reader's words, and its map.
    words: super::agenda_map::AgendaWords,
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
        words: super::agenda_map::agenda_words(
            &tr,
            &agenda,
            &state.store.areas(zone.id).await?,
            &state.figures_for(zone).await?.phenomena_with_data().await?,
        ),
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
