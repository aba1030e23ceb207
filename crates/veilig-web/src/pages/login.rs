//! Logging in and out, and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use veilig_store::AuditEntry;

use crate::AppState;
use crate::auth::{
    self, Ctx, LANG_COOKIE, SESSION_COOKIE, cookie, random_token, token_hash, verify_password,
};
use crate::error::{WebError, WebResult};
use crate::i18n::{Lang, Tr};
use crate::view::{Chrome, safe_next};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

fn render(
    state: &AppState,
    ctx: &Ctx,
    next: String,
    username: String,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let tr = state.i18n.tr(ctx.lang);
    let page = LoginPage {
        chrome: Chrome::new(state, ctx, tr.t("login-title"), None, "/login"),
        tr,
        next,
        username,
        error,
    };
    Ok(Html(page.render()?))
}

pub async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Next>,
) -> WebResult<Html<String>> {
    render(
        &state,
        &ctx,
        safe_next(q.next.as_deref()),
        String::new(),
        None,
    )
}

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<Credentials>,
) -> WebResult<Response> {
    let next = safe_next(f.next.as_deref());
    // Failures count per account (since its last successful login) and, when the address is
    // known, per client, from the audit trail: every server process on the database sees
    // the same counts.
    let window = chrono::Duration::from_std(state.config.login_window)
        .map_err(|e| WebError::Internal(e.into()))?;
    let (by_user, by_client) = state
        .store
        .failed_logins(
            &f.username,
            ctx.client.as_deref(),
            chrono::Utc::now().naive_utc() - window,
        )
        .await?;
    let limit = state.config.login_attempts as i64;
    let tr = state.i18n.tr(ctx.lang);
    if by_user >= limit || by_client >= limit {
        state
            .store
            .audit(&AuditEntry {
                username: Some(f.username.clone()),
                ..ctx.audit_entry("login-refused", None, "too many failed attempts".into())
            })
            .await?;
        let page = render(
            &state,
            &ctx,
            next,
            f.username,
            Some(tr.t("error-too-many-attempts")),
        )?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let found = state.store.user_by_name(&f.username).await?;
    let password = f.password.clone();
    let hash = found
        .as_ref()
        .map(|(_, h)| h.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_string());
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| WebError::Internal(e.into()))?;
    let user = match found {
        Some((u, _)) if ok && !u.disabled => u,
        _ => {
            state
                .store
                .audit(&AuditEntry {
                    username: Some(f.username.clone()),
                    action: "login-failed".into(),
                    detail: String::new(),
                    client: ctx.client.clone(),
                    ..Default::default()
                })
                .await?;
            let page = render(&state, &ctx, next, f.username, Some(tr.t("login-failed")))?;
            return Ok((StatusCode::UNAUTHORIZED, page).into_response());
        }
    };
    // A new session at every login (the old one, if any, ends): no fixation.
    if let Some(old) = &ctx.token_hash {
        state.store.delete_session(old).await?;
    }
    let token = random_token();
    let expires =
        chrono::Utc::now().naive_utc() + chrono::Duration::hours(state.config.session_hours);
    state
        .store
        .create_session(&token_hash(&token), user.id, &random_token(), expires)
        .await?;
    state
        .store
        .audit(&AuditEntry {
            user_id: Some(user.id),
            username: Some(user.username.clone()),
            ..ctx.audit_entry("login", user.zone_id, String::new())
        })
        .await?;
    let mut r = Redirect::to(&next).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(
            SESSION_COOKIE,
            &token,
            Some(state.config.session_hours * 3600),
            ctx.secure,
        ),
    );
    Ok(r)
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> WebResult<Response> {
    if let Some(h) = &ctx.token_hash {
        state.store.delete_session(h).await?;
    }
    if let Some(u) = &ctx.user {
        state
            .store
            .audit(&ctx.audit_entry("logout", u.zone_id, String::new()))
            .await?;
    }
    let mut r = Redirect::to("/").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(SESSION_COOKIE, "", Some(0), ctx.secure),
    );
    Ok(r)
}

/// Remembers the language in a cookie and returns to the page.
pub async fn language(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> WebResult<Response> {
    let lang = Lang::parse(&code).ok_or(WebError::NotFound)?;
    let mut r = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        cookie(LANG_COOKIE, lang.code(), Some(365 * 86400), ctx.secure),
    );
    Ok(r)
}
