//! Who is asking: passwords (argon2id), sessions in the database (the cookie holds a random
//! token, the database its SHA-256), CSRF tokens on every state-changing request, and a
//! limit on failed logins. The session layer runs before every handler.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use veilig_domain::{Role, User};

pub use crate::ctx::Ctx;
use crate::error::{ErrorMarker, WebError};
use crate::i18n::Lang;
use crate::{AppState, view};
pub use veilig_query::accounts::{
    dummy_hash, hash_password, password_acceptable, random_token, token_hash, token_role_allowed,
    verify_password,
};

pub const SESSION_COOKIE: &str = "veilig_session";
pub const CSRF_COOKIE: &str = "veilig_csrf";
pub const LANG_COOKIE: &str = "veilig_lang";
/// Largest form body the CSRF check reads (uploads carry their token in a header or query).
const FORM_LIMIT: usize = 1 << 20;

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| WebError::Internal(anyhow::anyhow!("session layer missing")))
    }
}

pub fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for v in headers.get_all(header::COOKIE) {
        if let Ok(s) = v.to_str() {
            for part in s.split(';') {
                if let Some((k, v)) = part.trim().split_once('=') {
                    out.insert(k.to_string(), v.to_string());
                }
            }
        }
    }
    out
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when asked.
pub fn cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(a) = max_age {
        s.push_str(&format!("; Max-Age={a}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).expect("cookie values are token characters")
}

/// The principal an API token acts as: its role in its zone, named `token:NAME` in the audit
/// trail (the id 0 is no account).
fn token_principal(t: &veilig_store::ApiToken) -> User {
    User {
        id: 0,
        username: format!("token:{}", t.name),
        display_name: t.name.clone(),
        role: if token_role_allowed(t.role) {
            t.role
        } else {
            Role::Partner
        },
        zone_id: Some(t.zone_id),
        areas: Vec::new(),
        disabled: !token_role_allowed(t.role),
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The value of a field in an `application/x-www-form-urlencoded` body.
pub fn form_field(body: &[u8], name: &str) -> Option<String> {
    form_urlencoded_pairs(body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The pairs of an `application/x-www-form-urlencoded` body (or query string).
pub fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// Runs before every handler: finds the session, picks the language, checks the CSRF token
/// of state-changing requests, and after the handler turns error markers into pages.
pub async fn session_layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let jar = cookies(&parts.headers);
    let path = parts.uri.path().to_string();
    // Dutch first: another language only when the user chose it (the browser's
    // Accept-Language is not asked; a zone's screens should not change language by machine).
    let lang = jar
        .get(LANG_COOKIE)
        .and_then(|l| Lang::parse(l))
        .unwrap_or(Lang::Nl);
    let secure = state.config.secure_cookies
        || parts
            .headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let client = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let token_hash = jar.get(SESSION_COOKIE).map(|t| token_hash(t));
    // A session ends at its absolute expiry or after the idle time without a request; its
    // last use is written at most once a minute (not on every request).
    let now = chrono::Utc::now().naive_utc();
    let idle_cutoff = now - chrono::Duration::minutes(state.config.session_idle_minutes);
    let session = match &token_hash {
        Some(h) => match state.store.session_used_since(h, idle_cutoff).await {
            Ok(Some(s)) => {
                if now - s.last_seen > chrono::Duration::seconds(60)
                    && let Err(e) = state.store.touch_session(h, now).await
                {
                    return render_error(&state, lang, &path, WebError::from(e));
                }
                Some(s)
            }
            Ok(None) => None,
            Err(e) => return render_error(&state, lang, &path, WebError::from(e)),
        },
        None => None,
    };
    // An API token (`Authorization: Bearer vlg_…`) opens the JSON API only, for reading:
    // scoped to its zone and role, until it expires or is revoked.
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let token_user = match (&session, bearer) {
        (None, Some(t)) => {
            if !is_api(&path) {
                return render_error(&state, lang, &path, WebError::Unauthenticated);
            }
            if !matches!(parts.method, Method::GET | Method::HEAD) {
                return render_error(&state, lang, &path, WebError::Forbidden);
            }
            match state
                .store
                .valid_api_token(&self::token_hash(&t), now)
                .await
            {
                Ok(Some(tok)) => Some(token_principal(&tok)),
                Ok(None) => return render_error(&state, lang, &path, WebError::Unauthenticated),
                Err(e) => return render_error(&state, lang, &path, WebError::from(e)),
            }
        }
        _ => None,
    };
    let (csrf, new_csrf_cookie) = match (&session, jar.get(CSRF_COOKIE)) {
        (Some(s), _) => (s.csrf.clone(), None),
        (None, Some(c)) if c.len() == 64 => (c.clone(), None),
        (None, _) => {
            let c = random_token();
            (c.clone(), Some(c))
        }
    };
    let ctx = Ctx {
        user: session.map(|s| s.user).or(token_user),
        csrf: csrf.clone(),
        lang,
        token_hash,
        client,
        secure,
    };
    // CSRF: every request that may change state carries the token.
    let body = if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        body
    } else {
        let header_token = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let query_token = parts
            .uri
            .query()
            .and_then(|q| form_field(q.as_bytes(), "csrf"));
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        let (body, form_token) = if is_form {
            match axum::body::to_bytes(body, FORM_LIMIT).await {
                Ok(b) => {
                    let t = form_field(&b, "csrf");
                    (Body::from(b), t)
                }
                Err(_) => {
                    return render_error(
                        &state,
                        lang,
                        &path,
                        WebError::BadRequest("error-too-large"),
                    );
                }
            }
        } else {
            (body, None)
        };
        let given = header_token.or(form_token).or(query_token);
        if given.as_deref() != Some(csrf.as_str()) || new_csrf_cookie.is_some() {
            tracing::warn!(path, "CSRF token missing or wrong");
            return render_error(&state, lang, &path, WebError::Csrf);
        }
        body
    };
    parts.extensions.insert(ctx.clone());
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    if let Some(m) = resp.extensions().get::<ErrorMarker>().cloned() {
        resp = if m.status == StatusCode::UNAUTHORIZED && !is_api(&path) {
            Redirect::to(&format!("/login?next={}", view::urlencode(&path))).into_response()
        } else {
            error_response(&state, &ctx, &path, &m)
        };
    }
    if let Some(c) = new_csrf_cookie {
        resp.headers_mut()
            .append(header::SET_COOKIE, cookie(CSRF_COOKIE, &c, None, secure));
    }
    let h = resp.headers_mut();
    h.entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert(HeaderValue::from_static("DENY"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    ));
    resp
}

fn render_error(state: &AppState, lang: Lang, path: &str, e: WebError) -> Response {
    let ctx = Ctx {
        user: None,
        csrf: String::new(),
        lang,
        token_hash: None,
        client: None,
        secure: false,
    };
    let m = ErrorMarker {
        status: e.status(),
        key: e.key(),
    };
    error_response(state, &ctx, path, &m)
}

fn error_response(state: &AppState, ctx: &Ctx, path: &str, m: &ErrorMarker) -> Response {
    let tr = state.i18n.tr(ctx.lang);
    if is_api(path) {
        let body = serde_json::json!({"error": m.key, "message": tr.t(m.key)});
        (m.status, axum::Json(body)).into_response()
    } else {
        (m.status, view::error_page(state, ctx, m)).into_response()
    }
}
