//! Feedback between the zone and its partners: `/z/{zone}/partner` shows a partner the
//! actions of the current plan it takes part in (its role, the verdict words of the
//! indicators behind them, whether they were done) and takes its remarks; `/z/{zone}/feedback`
//! lists every remark for the zone's staff, who answer each once.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use veilig_query::report::partner_actions;

use super::plan::current_view;
use super::zone_for;
use super::{form_page, organisation};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::policy::Action;
use crate::view::Chrome;

pub struct Remark {
    pub id: i64,
    pub action: String,
    pub organisation: String,
    /// "Remark by … on …: …".
    pub line: String,
    pub answer: Option<String>,
}

pub struct ActionView {
    pub code: String,
    pub title: String,
    pub year: i32,
    pub role: String,
    pub objective: String,
    pub done: String,
    pub indicators: Vec<(String, String, String)>,
    pub remarks: Vec<Remark>,
}

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    organisation: String,
    actions: Vec<ActionView>,
    action: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    remarks: Vec<Remark>,
    base: String,
    error: Option<String>,
}

fn remark(tr: &Tr, f: &veilig_store::Feedback) -> Remark {
    Remark {
        id: f.id,
        action: f.action_code.clone(),
        organisation: f.organisation.clone(),
        line: tr.args(
            "report-feedback-line",
            &[
                ("author", f.author.clone()),
                ("date", f.created_at.date().to_string()),
                ("body", f.body.clone()),
            ],
        ),
        answer: f.answer.as_ref().map(|a| {
            tr.arg2(
                "report-feedback-answer",
                "date",
                f.answered_at
                    .map(|t| t.date().to_string())
                    .unwrap_or_default(),
                "answer",
                a,
            )
        }),
    }
}

async fn render_partner(
    state: &AppState,
    ctx: &Ctx,
    zone: &veilig_domain::Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let tr = state.i18n.tr(ctx.lang);
    let org = organisation(state, ctx).await?.unwrap_or_default();
    let mut actions = Vec::new();
    if let Some(v) = current_view(state, zone).await?
        && !org.is_empty()
    {
        for a in partner_actions(
            &state.store,
            zone,
            &v,
            &org,
            None,
            state.config.disclosure.threshold,
        )
        .await?
        {
            actions.push(ActionView {
                code: a.code.clone(),
                title: a.title.clone(),
                year: a.year,
                role: a.role.clone(),
                objective: format!("{}: {}", a.objective, a.objective_statement),
                done: tr.t(match a.done {
                    Some(true) => "eval-done",
                    Some(false) => "eval-not-done",
                    None => "report-not-evaluated",
                }),
                indicators: a
                    .indicators
                    .iter()
                    .map(|i| {
                        (
                            i.code.clone(),
                            i.name.clone(),
                            tr.t(&format!("ind-verdict-{}", i.verdict)),
                        )
                    })
                    .collect(),
                remarks: a.feedback.iter().map(|f| remark(&tr, f)).collect(),
            });
        }
    }
    let here = format!("/z/{}/partner", zone.code.as_str());
    let refused = error.is_some();
    let page = PartnerPage {
        chrome: Chrome::new(state, ctx, tr.t("partner-title"), Some(zone), &here),
        tr,
        organisation: veilig_query::report::organisation_name(tr, &org),
        actions,
        action: format!("{here}/feedback"),
        error,
    };
    form_page(refused, page.render()?)
}

pub async fn partner_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Feedback).await?;
    render_partner(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct RemarkForm {
    pub action: String,
    pub body: String,
}

/// A partner's remark on one of its own actions.
pub async fn leave_remark(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<RemarkForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Feedback).await?;
    let tr = state.i18n.tr(ctx.lang);
    let org = organisation(&state, &ctx).await?;
    let view = current_view(&state, &zone).await?;
    // Only an action of the current plan that the partner's organisation takes part in.
    let (Some(org), Some(view)) = (org, view) else {
        return Err(WebError::Forbidden);
    };
    if !view
        .document
        .actions_of_partner(&org)
        .iter()
        .any(|a| a.code == f.action)
    {
        return Err(WebError::Forbidden);
    }
    if f.body.trim().is_empty() {
        return render_partner(&state, &ctx, &zone, Some(tr.t("feedback-empty"))).await;
    }
    let author = ctx
        .user
        .as_ref()
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let audit = ctx.audit_entry(
        "feedback",
        Some(zone.id),
        format!("{org} on {} {}", view.code, f.action),
    );
    state
        .store
        .add_feedback(
            zone.id, &view.code, &f.action, &org, &author, &f.body, &audit,
        )
        .await?;
    Ok(Redirect::to(&format!("/z/{}/partner", zone.code.as_str())).into_response())
}

async fn render_feedback(
    state: &AppState,
    ctx: &Ctx,
    zone: &veilig_domain::Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let tr = state.i18n.tr(ctx.lang);
    let remarks = match current_view(state, zone).await? {
        Some(v) => state
            .store
            .feedback(zone.id, &v.code, None)
            .await?
            .iter()
            .map(|f| remark(&tr, f))
            .collect(),
        None => Vec::new(),
    };
    let base = format!("/z/{}/feedback", zone.code.as_str());
    let refused = error.is_some();
    let page = FeedbackPage {
        chrome: Chrome::new(state, ctx, tr.t("feedback-title"), Some(zone), &base),
        tr,
        remarks,
        base,
        error,
    };
    form_page(refused, page.render()?)
}

pub async fn feedback_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::FeedbackAnswer).await?;
    render_feedback(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    pub answer: String,
}

/// The zone's answer to a remark (once).
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((zone, id)): Path<(String, i64)>,
    Form(f): Form<AnswerForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::FeedbackAnswer).await?;
    let tr = state.i18n.tr(ctx.lang);
    if f.answer.trim().is_empty() {
        return render_feedback(&state, &ctx, &zone, Some(tr.t("feedback-empty"))).await;
    }
    let by = ctx
        .user
        .as_ref()
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let audit = ctx.audit_entry("feedback.answer", Some(zone.id), format!("remark {id}"));
    if !state
        .store
        .answer_feedback(zone.id, id, &f.answer, &by, &audit)
        .await?
    {
        return render_feedback(&state, &ctx, &zone, Some(tr.t("feedback-answered"))).await;
    }
    Ok(Redirect::to(&format!("/z/{}/feedback", zone.code.as_str())).into_response())
}
