//! `/admin/users` and `/admin/audit`: accounts and roles, and the audit trail (administrators
//! only). Every change is written to the audit trail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use veilig_domain::{Refusal, Role};
use veilig_query::accounts::{self, NewAccount};

use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::policy::{Action, allows};
use crate::view::Chrome;

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub role: &'static str,
    pub zone: String,
    pub areas: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, String)>,
    zones: Vec<(String, String)>,
    error: Option<String>,
}

fn require(ctx: &Ctx, action: Action) -> WebResult<()> {
    if ctx.user.is_none() {
        return Err(WebError::Unauthenticated);
    }
    if !allows(ctx.user.as_ref(), None, action) {
        return Err(WebError::Forbidden);
    }
    Ok(())
}

async fn render_users(
    state: &AppState,
    ctx: &Ctx,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let tr = state.i18n.tr(ctx.lang);
    let zones = state.store.zones().await?;
    // A wijkinspecteur's wijken by their codes, as the form takes them back.
    let mut codes: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
    for z in &zones {
        for a in state.store.areas(z.id).await? {
            codes.insert(a.id, a.code);
        }
    }
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username.clone(),
            name: u.display_name.clone(),
            role: u.role.as_str(),
            zone: u
                .zone_id
                .and_then(|z| zones.iter().find(|x| x.id == z))
                .map(|z| z.code.as_str().to_string())
                .unwrap_or_else(|| "–".into()),
            areas: u
                .areas
                .iter()
                .filter_map(|a| codes.get(a).cloned())
                .collect::<Vec<_>>()
                .join(", "),
            disabled: u.disabled,
        })
        .collect();
    let page = UsersPage {
        chrome: Chrome::new(state, ctx, tr.t("users-title"), None, "/admin/users"),
        users,
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), tr.t(&format!("role-{}", r.as_str()))))
            .collect(),
        zones: zones
            .iter()
            .map(|z| (z.code.as_str().to_string(), z.name.clone()))
            .collect(),
        error,
        tr,
    };
    Ok(Html(page.render()?))
}

pub async fn users(State(state): State<AppState>, ctx: Ctx) -> WebResult<Html<String>> {
    require(&ctx, Action::ManageUsers)?;
    render_users(&state, &ctx, None).await
}

#[derive(Deserialize)]
pub struct AddUser {
    username: String,
    display_name: String,
    role: String,
    zone: String,
    /// Area codes, comma-separated (wijkinspecteur).
    #[serde(default)]
    areas: String,
    password: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AddUser>,
) -> WebResult<Response> {
    require(&ctx, Action::ManageUsers)?;
    let account = NewAccount {
        username: f.username,
        display_name: f.display_name,
        role: f.role,
        zone: Some(f.zone),
        areas: f.areas,
        password: f.password,
    };
    let who = ctx.audit_entry("", None, String::new());
    match accounts::add_user(&state.store, &account, who).await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) => {
            let tr = state.i18n.tr(ctx.lang);
            let reason = match e.downcast_ref::<Refusal>() {
                Some(r) => tr.args(r.key, &r.args),
                None => return Err(WebError::Internal(e)),
            };
            Ok(render_users(&state, &ctx, Some(reason))
                .await?
                .into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ChangeUser {
    role: String,
    #[serde(default)]
    areas: String,
    #[serde(default)]
    disabled: Option<String>,
}

pub async fn change_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ChangeUser>,
) -> WebResult<Response> {
    require(&ctx, Action::ManageUsers)?;
    let user = state.store.user(id).await?.ok_or(WebError::NotFound)?;
    let who = ctx.audit_entry("", None, String::new());
    let disabled = Some(f.disabled.is_some());
    let changed = accounts::change_user(&state.store, &user, &f.role, &f.areas, disabled, who);
    match changed.await {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) => Err(match e.downcast_ref::<Refusal>() {
            Some(r) if r.key == "users-bad-role" => WebError::BadRequest("users-bad-role"),
            Some(_) => WebError::BadRequest("users-bad-area"),
            None => WebError::Internal(e),
        }),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    rows: Vec<veilig_store::AuditRecord>,
}

pub async fn audit(State(state): State<AppState>, ctx: Ctx) -> WebResult<Html<String>> {
    require(&ctx, Action::Audit)?;
    let tr = state.i18n.tr(ctx.lang);
    let page = AuditPage {
        chrome: Chrome::new(&state, &ctx, tr.t("audit-title"), None, "/admin/audit"),
        rows: state.store.audit_log(500).await?,
        tr,
    };
    Ok(Html(page.render()?))
}
