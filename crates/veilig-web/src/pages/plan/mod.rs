//! The policy cycle's pages: the priority matrix (`/z/{zone}/plan/matrix`), the council's
//! decisions (`/z/{zone}/plan/decisions`), the zonal security plan as a tree with its hours
//! beside the norm check and its approval trail (`/z/{zone}/plan`), two versions compared
//! (`/z/{zone}/plan/compare`) and the whole plan for print (`/z/{zone}/plan/print`). Every
//! change is a POST through `veilig_query::plan` (checked whole, stored with its audit line);
//! who may do what is [`crate::policy`]'s.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use veilig_analysis::TestRules;
use veilig_domain::Zone;
use veilig_plan::{Action as PlanAction, Cited, Level, Objective, PartnerRole, Phase, PlanDoc};
use veilig_query::plan::{self as qp, PlanView};
use veilig_store::NewDecision;

use super::{form_page, organisation, today, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::{Lang, Tr};
use crate::policy::{Action, PlanScope, allows, plan_scope};
use crate::view::Chrome;

mod agenda_map;
mod cached;
mod decisions;
mod edit;
mod indicators;
mod problems;
mod reviews;
pub use cached::matrix_for;
pub(crate) use cached::warm;
mod matrix;
mod outline;
mod page;
mod print;

use outline::*;
use page::render_plan;
pub use page::{plan_json, plan_page};

pub use decisions::{decide, decisions_page, input};
pub use edit::{add_action, add_objective, addendum, create, take_step};
pub use indicators::{indicators_json, indicators_page};
pub use matrix::{MatrixQuery, matrix_json, matrix_page};
pub use print::{compare, print};
pub use problems::{problems_json, problems_page, save_problem};
pub use reviews::{evaluate, record_review, reviews_page};

pub(super) fn li(l: Lang) -> usize {
    match l {
        Lang::Nl => 0,
        Lang::Fr => 1,
        Lang::En => 2,
    }
}

/// The last complete calendar year before today: the matrix's default period.
pub(super) fn last_year() -> (NaiveDate, NaiveDate) {
    let y = today().year() - 1;
    (
        NaiveDate::from_ymd_opt(y, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(y, 12, 31).expect("date"),
    )
}

pub(super) fn parse_date(s: Option<&str>, default: NaiveDate) -> WebResult<NaiveDate> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| WebError::BadRequest("error-bad-period")),
    }
}

/// The significance rules the follow-up pages judge by.
const RULES: TestRules = qp::DEFAULT_RULES;

/// The zone's phenomena as (code, name in the user's language).
async fn phenomenon_names(
    state: &AppState,
    zone: &Zone,
    lang: Lang,
) -> WebResult<Vec<(String, String)>> {
    let l = li(lang);
    Ok(state
        .store
        .phenomena(zone.id)
        .await?
        .into_iter()
        .map(|p| {
            let n = [p.nl, p.fr, p.en];
            (p.code, n[l].clone())
        })
        .collect())
}

/// The message shown when a change is refused, with its reason.
/// Why a change was not saved, in the reader's language when the check said it with a key
/// (a [`veilig_domain::Refusal`]), else as the check said it.
fn refused(state: &AppState, ctx: &Ctx, e: &anyhow::Error) -> String {
    let tr = state.i18n.tr(ctx.lang);
    let reason = match e.downcast_ref::<veilig_domain::Refusal>() {
        Some(r) => tr.args(r.key, &r.args),
        None => format!("{e:#}"),
    };
    tr.arg("plan-refused", "reason", reason)
}

pub(crate) async fn current_view(state: &AppState, zone: &Zone) -> WebResult<Option<PlanView>> {
    if state.store.plans(zone.id).await?.is_empty() {
        return Ok(None);
    }
    let (_, view) = qp::plan_named(&state.store, zone, "current", today()).await?;
    Ok(Some(view))
}
