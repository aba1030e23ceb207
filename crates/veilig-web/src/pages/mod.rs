//! The pages: one module per page. Each handler asks [`zone_for`] (which asks the policy)
//! before it reads anything.

use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use veilig_analysis::Period;
use veilig_domain::Zone;

use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::policy::{Access, Action, allows, zone_access};

mod admin;
mod area;
mod capacity;
mod data;
mod feedback;
mod forecast;
mod landing;
mod login;
mod map;
mod map_data;
mod overview;
mod overview_cards;
mod phenomenon;
pub(crate) mod plan;
mod public;
mod reports;
mod survey;
mod upload;
mod upload_mapping;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(landing::page))
        .route("/health", get(|| async { "ok" }))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/lang/{code}", get(login::language))
        .route("/z/{zone}", get(overview::page))
        .route("/z/{zone}/p/{code}", get(phenomenon::page))
        .route("/z/{zone}/a/{code}", get(area::page))
        .route("/z/{zone}/data", get(data::page))
        .route("/z/{zone}/capacity", get(capacity::page))
        .route("/z/{zone}/forecast", get(forecast::page))
        .route("/z/{zone}/survey", get(survey::page))
        .route("/z/{zone}/plan", get(plan::plan_page))
        .route("/z/{zone}/plan/matrix", get(plan::matrix_page))
        .route("/z/{zone}/plan/decisions", get(plan::decisions_page))
        .route("/z/{zone}/plan/decide", post(plan::decide))
        .route("/z/{zone}/plan/input", post(plan::input))
        .route("/z/{zone}/plan/create", post(plan::create))
        .route("/z/{zone}/plan/objective", post(plan::add_objective))
        .route("/z/{zone}/plan/action", post(plan::add_action))
        .route("/z/{zone}/plan/step", post(plan::take_step))
        .route("/z/{zone}/plan/addendum", post(plan::addendum))
        .route("/z/{zone}/plan/compare", get(plan::compare))
        .route("/z/{zone}/plan/print", get(plan::print))
        .route("/z/{zone}/plan/indicators", get(plan::indicators_page))
        .route("/z/{zone}/plan/evaluate", post(plan::evaluate))
        .route(
            "/z/{zone}/plan/reviews",
            get(plan::reviews_page).post(plan::record_review),
        )
        .route(
            "/z/{zone}/plan/problems",
            get(plan::problems_page).post(plan::save_problem),
        )
        .route(
            "/z/{zone}/data/upload",
            post(upload::upload).layer(axum::extract::DefaultBodyLimit::max(upload::UPLOAD_LIMIT)),
        )
        .route("/z/{zone}/data/import", post(upload::confirm))
        .route("/z/{zone}/data/mapping", post(upload::remap))
        .route("/z/{zone}/map/areas.geojson", get(map::areas))
        .route("/z/{zone}/map/hotspots/{code}", get(map::hotspots))
        .route("/public/{zone}", get(public::page))
        .route("/public/{zone}/reports/{id}", get(reports::public_download))
        .route("/public/{zone}/feed.atom", get(reports::feed))
        .route(
            "/z/{zone}/reports",
            get(reports::page).post(reports::issue_report),
        )
        .route("/z/{zone}/reports/{id}", get(reports::download))
        .route("/z/{zone}/reports/foreword", post(reports::save_foreword))
        .route("/z/{zone}/partner", get(feedback::partner_page))
        .route("/z/{zone}/partner/feedback", post(feedback::leave_remark))
        .route("/z/{zone}/feedback", get(feedback::feedback_page))
        .route("/z/{zone}/feedback/{id}", post(feedback::answer))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route("/admin/users/{id}", post(admin::change_user))
        .route("/admin/audit", get(admin::audit))
}

/// The zone of a request, if the user may do `action` there, with their level of access.
pub async fn zone_for(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    action: Action,
) -> WebResult<(Zone, Access)> {
    let zone = state.store.zone(code).await?.ok_or(WebError::NotFound)?;
    let user = ctx.user.as_ref().ok_or(WebError::Unauthenticated)?;
    if !allows(Some(user), Some(zone.id), action) {
        return Err(WebError::Forbidden);
    }
    let access = zone_access(Some(user), zone.id).ok_or(WebError::Forbidden)?;
    Ok((zone, access))
}

/// A phenomenon of the zone, and the access narrowed by the area filter: aggregate access
/// cannot filter on one area (too fine for disclosure control), a wijkinspecteur only on
/// their own wijken.
pub async fn phenomenon_scope(
    state: &AppState,
    zone: &Zone,
    code: &str,
    area: Option<&str>,
    access: Access,
) -> WebResult<(veilig_domain::PhenomenonDef, Access)> {
    let def = state
        .store
        .phenomena(zone.id)
        .await?
        .into_iter()
        .find(|p| p.code == code)
        .ok_or(WebError::NotFound)?;
    let access = match area.filter(|a| !a.is_empty()) {
        None => access,
        Some(_) if matches!(access, Access::Aggregate) => {
            return Err(WebError::BadRequest("error-area-filter"));
        }
        Some(a) => {
            let area = state
                .store
                .areas(zone.id)
                .await?
                .into_iter()
                .find(|x| x.code == a)
                .ok_or(WebError::NotFound)?;
            if !access.covers_area(area.id) {
                return Err(WebError::Forbidden);
            }
            Access::Areas(vec![area.id])
        }
    };
    Ok((def, access))
}

/// The period and area filters of the figure pages.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub area: Option<String>,
    /// A publication period as `FROM/TO` (the choice aggregated views offer); overrides
    /// `from` and `to`.
    pub period: Option<String>,
}

impl Filter {
    /// The period of figures seen with `access` at `level`: under disclosure control (aggregate
    /// access, the public page) a publication period of the rules, refused otherwise;
    /// with full access any period ([`Filter::period`]).
    pub async fn period_for(
        &self,
        figures: &crate::figures::ZoneFigures<'_>,
        access: &Access,
        level: crate::published::Level,
    ) -> WebResult<Period> {
        if let Some((from, to)) = self.period.as_deref().and_then(|p| p.split_once('/')) {
            let f = Filter {
                from: Some(from.to_string()),
                to: Some(to.to_string()),
                area: self.area.clone(),
                period: None,
            };
            return Box::pin(f.period_for(figures, access, level)).await;
        }
        if !matches!(access, Access::Aggregate) || !figures.rules().protection {
            return self.period(figures).await;
        }
        let date = |s: &Option<String>| -> WebResult<Option<NaiveDate>> {
            match s.as_deref().filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| WebError::BadRequest("error-bad-period")),
            }
        };
        let asked = match (date(&self.from)?, date(&self.to)?) {
            (None, None) => None,
            (Some(f), Some(t)) => Some((f, t)),
            _ => return Err(WebError::BadRequest("error-period-not-published")),
        };
        match figures.publication_period(asked, level).await? {
            Ok(p) => Ok(Period::new(p.start(), p.end())),
            Err(key) => Err(WebError::BadRequest(key)),
        }
    }

    /// The period asked for, or the default (twelve months to the last complete month).
    pub async fn period(&self, figures: &crate::figures::ZoneFigures<'_>) -> WebResult<Period> {
        let default = crate::figures::default_period(figures.last_day().await?);
        let parse = |s: &Option<String>, d: NaiveDate| -> WebResult<NaiveDate> {
            match s.as_deref().filter(|s| !s.is_empty()) {
                None => Ok(d),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| WebError::BadRequest("error-bad-period")),
            }
        };
        let (from, to) = (
            parse(&self.from, default.start)?,
            parse(&self.to, default.end)?,
        );
        if to < from || (to - from).num_days() > 366 * 5 {
            return Err(WebError::BadRequest("error-bad-period"));
        }
        Ok(Period::new(from, to))
    }
}

/// The publication periods an aggregated view offers in its period choice, as (value,
/// label, selected); empty for full access (which gets the two date fields).
pub async fn period_choices(
    figures: &crate::figures::ZoneFigures<'_>,
    access: &Access,
    level: crate::published::Level,
    current: Period,
    tr: &crate::i18n::Tr<'_>,
) -> WebResult<Vec<(String, String, bool)>> {
    use veilig_disclosure::PubPeriod;
    if !matches!(access, Access::Aggregate) || !figures.rules().protection {
        return Ok(Vec::new());
    }
    Ok(figures
        .publication_periods(level)
        .await?
        .into_iter()
        .map(|p| {
            let label = match p {
                PubPeriod::Year { year } => year.to_string(),
                PubPeriod::Quarter { year, quarter } => {
                    tr.arg2("period-quarter", "q", quarter, "year", year)
                }
                PubPeriod::Month { year, month } => format!("{year}-{month:02}"),
            };
            (
                format!("{}/{}", p.start(), p.end()),
                label,
                p.start() == current.start && p.end() == current.end,
            )
        })
        .collect())
}

/// A form page's answer: 400 when it re-shows a refused submission, else 200.
pub(crate) fn form_page(refused: bool, html: String) -> WebResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let status = if refused {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, axum::response::Html(html)).into_response())
}

/// Today, in the server's time zone.
pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The partner organisation a partner's account belongs to (None for every other role).
pub(crate) async fn organisation(state: &AppState, ctx: &Ctx) -> WebResult<Option<String>> {
    Ok(match &ctx.user {
        Some(u) if u.role == veilig_domain::Role::Partner => {
            state.store.partner_organisation(u.id).await?
        }
        _ => None,
    })
}

/// Whether the request comes from htmx (which then gets only the part it swaps).
pub fn is_htmx(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key("hx-request")
}
