//! The council's decisions: the log, the current priorities, the form that records one.

use super::*;

// ---- decisions -------------------------------------------------------------------------

/// A decision as shown, its codes translated.
pub struct DecisionView {
    pub id: i64,
    pub meeting: String,
    pub subject: String,
    pub title: String,
    pub kind: String,
    pub domain: String,
    pub outcome: String,
    pub rationale: String,
    pub decided_by: String,
    pub recorded: String,
}

fn decision_view(tr: &Tr, d: &veilig_store::Decision) -> DecisionView {
    DecisionView {
        id: d.id,
        meeting: d.meeting.to_string(),
        subject: d.subject.clone(),
        title: d.title.clone(),
        kind: tr.t(&format!("plan-kind-{}", d.kind)),
        domain: tr.t(&format!("plan-domain-{}", d.domain)),
        outcome: tr.t(&format!("plan-decision-{}", d.outcome)),
        rationale: d.rationale.clone(),
        decided_by: d.decided_by.clone(),
        recorded: format!(
            "{} {}",
            d.recorded_at.format("%Y-%m-%d %H:%M"),
            d.recorded_by.clone().unwrap_or_default()
        ),
    }
}

#[derive(Template)]
#[template(path = "plan_decisions.html")]
struct DecisionsPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    current: Vec<DecisionView>,
    log: Vec<DecisionView>,
    can_decide: bool,
    /// Whether the user records stakeholder input (analyst, chief).
    can_input: bool,
    /// The newest input per phenomenon: code, score, source, note, when and by whom.
    inputs: Vec<(String, String, String, String, String)>,
    phenomena: Vec<(String, String)>,
    error: Option<String>,
    today: String,
    action: String,
    input_action: String,
}

async fn render_decisions(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let tr = state.i18n.tr(ctx.lang);
    let log = state.store.decisions(zone.id).await?;
    let phenomena = phenomenon_names(state, zone, ctx.lang).await?;
    let mut newest: Vec<veilig_store::PriorityInput> = Vec::new();
    for i in state
        .store
        .priority_inputs(zone.id)
        .await?
        .into_iter()
        .rev()
    {
        if !newest.iter().any(|n| n.phenomenon == i.phenomenon) {
            newest.push(i);
        }
    }
    newest.sort_by(|a, b| a.phenomenon.cmp(&b.phenomenon));
    let inputs = newest
        .iter()
        .map(|i| {
            (
                i.phenomenon.clone(),
                tr.dec(i.score, 1),
                i.source.clone(),
                i.note.clone(),
                format!(
                    "{} {}",
                    i.recorded_at.format("%Y-%m-%d"),
                    i.recorded_by.clone().unwrap_or_default()
                ),
            )
        })
        .collect();
    let code = zone.code.as_str();
    let refused_form = error.is_some();
    let page = DecisionsPage {
        chrome: Chrome::new(
            state,
            ctx,
            tr.t("plan-decisions-title"),
            Some(zone),
            &format!("/z/{code}/plan/decisions"),
        ),
        current: qp::current_priorities(&log)
            .iter()
            .map(|d| decision_view(&tr, d))
            .collect(),
        log: log.iter().map(|d| decision_view(&tr, d)).collect(),
        can_decide: allows(ctx.user.as_ref(), Some(zone.id), Action::PlanDecide),
        can_input: allows(ctx.user.as_ref(), Some(zone.id), Action::PlanEdit),
        inputs,
        phenomena,
        error,
        today: today().to_string(),
        action: format!("/z/{code}/plan/decide"),
        input_action: format!("/z/{code}/plan/input"),
        tr,
    };
    form_page(refused_form, page.render()?)
}

pub async fn decisions_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanRead).await?;
    // The decision log and its rationales are the zone's own: not a partner's.
    if matches!(
        plan_scope(ctx.user.as_ref(), zone.id, None),
        Some(PlanScope::Partner(_))
    ) {
        return Err(WebError::Forbidden);
    }
    render_decisions(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    pub meeting: String,
    pub subject: String,
    #[serde(default)]
    pub title: String,
    pub kind: String,
    pub domain: String,
    pub outcome: String,
    pub rationale: String,
    pub decided_by: String,
}

pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<DecideForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanDecide).await?;
    let tr = state.i18n.tr(ctx.lang);
    let Ok(meeting) = f.meeting.parse::<NaiveDate>() else {
        return render_decisions(&state, &ctx, &zone, Some(tr.t("error-bad-period"))).await;
    };
    let d = NewDecision {
        zone_id: zone.id,
        meeting,
        subject: f.subject.trim().to_string(),
        title: f.title.trim().to_string(),
        kind: f.kind.clone(),
        domain: f.domain.clone(),
        outcome: if f.outcome == "withdrawn" {
            "withdrawn".into()
        } else {
            "adopted".into()
        },
        rationale: f.rationale.clone(),
        decided_by: f.decided_by.clone(),
        recorded_by: ctx.user.as_ref().map(|u| u.username.clone()),
    };
    let audit = ctx.audit_entry(
        "zvr-decision",
        Some(zone.id),
        format!("{} {} on {meeting}", d.subject, d.outcome),
    );
    match qp::decide(&state.store, &zone, &d, today(), &audit).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/z/{}/plan/decisions", zone.code.as_str())).into_response())
        }
        Err(e) => render_decisions(&state, &ctx, &zone, Some(refused(&state, &ctx, &e))).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct InputForm {
    pub phenomenon: String,
    pub score: String,
    pub source: String,
    #[serde(default)]
    pub note: String,
}

/// Stakeholder input for the matrix (analyst, chief): appended, the newest counts.
pub async fn input(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<InputForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanEdit).await?;
    let r = async {
        let score: f64 = f
            .score
            .trim()
            .replace(',', ".")
            .parse()
            .map_err(|_| anyhow::anyhow!("score {:?} is not a number", f.score))?;
        let audit = ctx.audit_entry(
            "priority-input",
            Some(zone.id),
            format!("{} {score} ({})", f.phenomenon, f.source),
        );
        qp::add_input(
            &state.store,
            &zone,
            &f.phenomenon,
            score,
            &f.source,
            &f.note,
            &audit,
        )
        .await
    }
    .await;
    match r {
        Ok(_) => {
            Ok(Redirect::to(&format!("/z/{}/plan/decisions", zone.code.as_str())).into_response())
        }
        Err(e) => render_decisions(&state, &ctx, &zone, Some(refused(&state, &ctx, &e))).await,
    }
}
