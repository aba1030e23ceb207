//! `/admin/users` and `/admin/audit`: accounts and roles, and the audit trail (administrators
//! only). Every change is written to the audit trail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use veilig_domain::account::valid_username;
use veilig_domain::{NewUser, Role};

use crate::AppState;
use crate::auth::{Ctx, hash_password, password_acceptable};
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

/// Area codes of a zone to ids; an unknown code is an error naming it.
async fn area_ids(
    state: &AppState,
    zone_id: i64,
    codes: &str,
) -> WebResult<Result<Vec<i64>, String>> {
    let areas = state.store.areas(zone_id).await?;
    let mut ids = Vec::new();
    for c in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        match areas.iter().find(|a| a.code == c) {
            Some(a) => ids.push(a.id),
            None => return Ok(Err(c.to_string())),
        }
    }
    Ok(Ok(ids))
}

pub async fn add_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<AddUser>,
) -> WebResult<Response> {
    require(&ctx, Action::ManageUsers)?;
    let tr = state.i18n.tr(ctx.lang);
    let fail = |key: &str| tr.t(key);
    let Some(role) = Role::parse(&f.role) else {
        return Ok(render_users(&state, &ctx, Some(fail("users-bad-role")))
            .await?
            .into_response());
    };
    if !valid_username(&f.username) {
        return Ok(render_users(&state, &ctx, Some(fail("users-bad-username")))
            .await?
            .into_response());
    }
    if !password_acceptable(&f.password) {
        return Ok(
            render_users(&state, &ctx, Some(fail("users-weak-password")))
                .await?
                .into_response(),
        );
    }
    let zone = if f.zone.is_empty() {
        None
    } else {
        Some(
            state
                .store
                .zone(&f.zone)
                .await?
                .ok_or(WebError::BadRequest("error-bad-zone"))?,
        )
    };
    if zone.is_none() && role != Role::Administrator {
        return Ok(
            render_users(&state, &ctx, Some(fail("users-zone-required")))
                .await?
                .into_response(),
        );
    }
    let areas = match &zone {
        Some(z) => match area_ids(&state, z.id, &f.areas).await? {
            Ok(a) => a,
            Err(code) => {
                return Ok(render_users(
                    &state,
                    &ctx,
                    Some(tr.arg("users-unknown-area", "code", code)),
                )
                .await?
                .into_response());
            }
        },
        None => Vec::new(),
    };
    let password = f.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(e.into()))??;
    let created = state
        .store
        .create_user(&NewUser {
            username: f.username.clone(),
            display_name: f.display_name.clone(),
            password_hash: hash,
            role,
            zone_id: zone.as_ref().map(|z| z.id),
            areas,
        })
        .await;
    let user = match created {
        Ok(u) => u,
        Err(veilig_store::StoreError::Invalid(_)) => {
            return Ok(render_users(&state, &ctx, Some(fail("users-exists")))
                .await?
                .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(&ctx.audit_entry(
            "user-add",
            user.zone_id,
            format!("{} as {}", user.username, user.role.as_str()),
        ))
        .await?;
    Ok(Redirect::to("/admin/users").into_response())
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
    let role = Role::parse(&f.role).ok_or(WebError::BadRequest("users-bad-role"))?;
    let areas = match user.zone_id {
        Some(z) => area_ids(&state, z, &f.areas)
            .await?
            .map_err(|_| WebError::BadRequest("users-bad-area"))?,
        None => Vec::new(),
    };
    let disabled = f.disabled.is_some();
    state.store.set_role(id, role, &areas).await?;
    state.store.set_disabled(id, disabled).await?;
    state
        .store
        .audit(&ctx.audit_entry(
            "user-role",
            user.zone_id,
            format!(
                "{}: {} -> {}, areas {:?}, disabled {disabled}",
                user.username,
                user.role.as_str(),
                role.as_str(),
                areas
            ),
        ))
        .await?;
    Ok(Redirect::to("/admin/users").into_response())
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
