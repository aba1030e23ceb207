//! CSRF, login limits and sessions, on one server and on two; API tokens.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use veilig_domain::Role;
use veilig_web::{Config, auth};

use super::common::*;

#[tokio::test]
async fn csrf_login_limits_and_sessions() {
    let app = app_with(Config {
        login_attempts: 3,
        ..Config::default()
    })
    .await;
    let mut c = Client::new(&app);
    // No token, wrong token: refused before any handler runs.
    let csrf = c.csrf().await;
    let a = c
        .post("/login", &[("username", "analyst"), ("password", PASSWORD)])
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = c
        .post(
            "/login",
            &[
                ("csrf", "0000"),
                ("username", "analyst"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.body.contains("formulier"), "translated CSRF message");
    // Wrong passwords, then the limit.
    for _ in 0..3 {
        let a = c
            .post(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("username", "analyst"),
                    ("password", "wrong password!"),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = c
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "analyst"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "limited even with the right password"
    );
    let log = app.store.audit_log(20).await.unwrap();
    assert_eq!(log.iter().filter(|l| l.action == "login-failed").count(), 3);
    assert!(log.iter().any(|l| l.action == "login-refused"));

    // Another account logs in; the session cookie is HttpOnly and SameSite.
    let mut c = Client::new(&app);
    let csrf = c.csrf().await;
    let a = c
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "chief"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.headers[header::LOCATION], "/", "no open redirect");
    let set = a.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"),
        "{set}"
    );
    let first = c.cookies[auth::SESSION_COOKIE].clone();
    assert_eq!(c.get("/z/demo-bdm").await.status, StatusCode::OK);
    // A second login gives a new session and ends the first.
    let page = c.get("/z/demo-bdm").await.body;
    let at = page.find("name=\"csrf\" value=\"").unwrap();
    let session_csrf = page[at + 19..at + 83].to_string();
    assert_ne!(session_csrf, csrf, "the session has its own CSRF token");
    let a = c
        .post(
            "/login",
            &[
                ("csrf", &session_csrf),
                ("username", "chief"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_ne!(c.cookies[auth::SESSION_COOKIE], first, "rotated at login");
    let mut old = Client::new(&app);
    old.cookies.insert(auth::SESSION_COOKIE.into(), first);
    assert_eq!(old.get("/z/demo-bdm").await.status, StatusCode::SEE_OTHER);
    // Logging out ends the session on the server, not only in the browser.
    let token = c.cookies[auth::SESSION_COOKIE].clone();
    let page = c.get("/z/demo-bdm").await.body;
    let at = page.find("name=\"csrf\" value=\"").unwrap();
    let session_csrf = page[at + 19..at + 83].to_string();
    let a = c.post("/logout", &[("csrf", &session_csrf)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let mut replay = Client::new(&app);
    replay.cookies.insert(auth::SESSION_COOKIE.into(), token);
    assert_eq!(
        replay.get("/z/demo-bdm").await.status,
        StatusCode::SEE_OTHER
    );

    // Secure cookies when configured.
    let app = app_with(Config {
        secure_cookies: true,
        ..Config::default()
    })
    .await;
    let mut c = Client::new(&app);
    let a = c.login("analyst", PASSWORD).await;
    assert!(
        a.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn two_servers_on_one_database_share_login_limits_and_idle_sessions_end() {
    let app = app_with(Config {
        login_attempts: 2,
        ..Config::default()
    })
    .await;
    // A second server process on the same database.
    let other = App::with_store(
        app.store.clone(),
        Config {
            login_attempts: 2,
            ..Config::default()
        },
    );
    let mut a = Client::new(&app);
    let mut b = Client::new(&other);
    assert_eq!(
        a.login("analyst", "wrong password!").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        b.login("analyst", "wrong password!").await.status,
        StatusCode::UNAUTHORIZED
    );
    // Two failures counted across both servers: the next attempt is refused on either.
    assert_eq!(
        a.login("analyst", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        b.login("analyst", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account is not affected; its session works on both servers.
    let mut c = Client::new(&app);
    assert_eq!(
        c.login("chief", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.get("/z/demo-bdm").await.status, StatusCode::OK);
    let token = c.cookies["veilig_session"].clone();
    let mut d = Client::new(&other);
    d.cookies.insert("veilig_session".into(), token.clone());
    assert_eq!(d.get("/z/demo-bdm").await.status, StatusCode::OK);
    // Unused for longer than the idle time (60 minutes by default): ended.
    let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(61);
    app.store
        .touch_session(&auth::token_hash(&token), long_ago)
        .await
        .unwrap();
    assert_eq!(c.get("/z/demo-bdm").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn api_tokens_read_the_api_of_their_zone_only() {
    use StatusCode as S;
    let app = app().await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let mk = |name: &'static str, role: Role, days: i64| {
        let store = app.store.clone();
        async move {
            let token = format!("vlg_{}", auth::random_token());
            let id = store
                .create_api_token(
                    &auth::token_hash(&token),
                    name,
                    z.id,
                    role,
                    chrono::Utc::now().naive_utc() + chrono::Duration::days(days),
                    &veilig_store::AuditEntry::default(),
                )
                .await
                .unwrap();
            (id, token)
        }
    };
    let get = |path: &str, token: &str| {
        Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let (_, council) = mk("rapportering", Role::Council, 30).await;
    let mut c = Client::new(&app);
    let a = c
        .send(get("/api/v1/zones/demo-bdm/overview", &council))
        .await;
    assert_eq!(a.status, S::OK, "{}", a.body);
    // Aggregate access as its role says: the matrix (full access) is closed to it.
    assert_eq!(
        c.send(get("/api/v1/zones/demo-bdm/plan/matrix", &council))
            .await
            .status,
        S::FORBIDDEN
    );
    // Pages are not for tokens, nor is anything that changes state.
    assert_eq!(
        c.send(get("/z/demo-bdm", &council)).await.status,
        S::UNAUTHORIZED
    );
    let post = Request::post("/api/v1/zones/demo-bdm/overview")
        .header(header::AUTHORIZATION, format!("Bearer {council}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(c.send(post).await.status, S::FORBIDDEN);
    // A wrong, expired or revoked token opens nothing.
    assert_eq!(
        c.send(get("/api/v1/zones/demo-bdm/overview", "vlg_nope"))
            .await
            .status,
        S::UNAUTHORIZED
    );
    let (_, old) = mk("oud", Role::Analyst, -1).await;
    assert_eq!(
        c.send(get("/api/v1/zones/demo-bdm/overview", &old))
            .await
            .status,
        S::UNAUTHORIZED
    );
    let (id, analyst) = mk("bi", Role::Analyst, 30).await;
    assert_eq!(
        c.send(get(
            "/api/v1/zones/demo-bdm/plan/matrix?from=2025-01-01&to=2025-12-31",
            &analyst
        ))
        .await
        .status,
        S::OK
    );
    app.store
        .revoke_api_token(id, &veilig_store::AuditEntry::default())
        .await
        .unwrap();
    assert_eq!(
        c.send(get("/api/v1/zones/demo-bdm/overview", &analyst))
            .await
            .status,
        S::UNAUTHORIZED
    );
    // An administrator's role is never a token's.
    let (_, admin) = mk("te-machtig", Role::Administrator, 30).await;
    assert_eq!(
        c.send(get("/api/v1/zones/demo-bdm/overview", &admin))
            .await
            .status,
        S::FORBIDDEN
    );
    // Every answer is in the audit trail under the token's name.
    let log = app.store.audit_log(1000).await.unwrap();
    assert!(
        log.iter()
            .any(|l| l.action == "export" && l.username.as_deref() == Some("token:rapportering"))
    );
}

/// Issue 23: the administrator saves a wijkinspecteur's account as the list shows it (the
/// wijken by their codes, not internal ids) and blocks it, without retyping anything; the
/// blocked account can no longer log in.
#[tokio::test]
async fn the_administrator_blocks_a_wijkinspecteur_without_retyping_anything() {
    let app = app().await;
    let (user, _) = app
        .store
        .user_by_name("wijkinspecteur")
        .await
        .unwrap()
        .unwrap();
    let mut c = logged_in(&app, Some(Role::Administrator)).await;
    let page = c.get("/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    let field = format!("id=\"areas-{}\" name=\"areas\" value=\"", user.id);
    let at = page.body.find(&field).expect("the wijken field") + field.len();
    let shown = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let first = app.store.areas(z.id).await.unwrap()[0].code.clone();
    assert_eq!(shown, first, "the wijken by their codes");
    let csrf = form_csrf(&page.body);
    let a = c
        .post(
            &format!("/admin/users/{}", user.id),
            &[
                ("csrf", &csrf),
                ("role", "wijkinspecteur"),
                ("areas", shown),
                ("disabled", "on"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let (after, _) = app
        .store
        .user_by_name("wijkinspecteur")
        .await
        .unwrap()
        .unwrap();
    assert!(after.disabled);
    assert_eq!(after.areas, user.areas, "the wijken stay");
    let mut w = Client::new(&app);
    let answer = w.login("wijkinspecteur", PASSWORD).await;
    assert_ne!(
        answer.status,
        StatusCode::SEE_OTHER,
        "a blocked account cannot log in"
    );
}

/// The administrator's form and `veilig user add` refuse through the same checks
/// (`veilig_query::accounts`): an unknown wijk, a short password and a taken username are
/// said in Dutch on the page, and nothing is stored.
#[tokio::test]
async fn a_refused_account_is_said_in_the_readers_language_and_not_stored() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Administrator)).await;
    let page = c.get("/admin/users").await;
    let csrf = form_csrf(&page.body);
    let cases = [
        (
            "nieuw1",
            "wijkinspecteur",
            "geen-wijk",
            "long enough password",
            "Onbekende wijk: geen-wijk",
        ),
        ("nieuw2", "analyst", "", "kort", "minstens 12 tekens"),
        (
            "wijkinspecteur",
            "analyst",
            "",
            "long enough password",
            "bestaat al",
        ),
        (
            "nieuw3",
            "sheriff",
            "",
            "long enough password",
            "Onbekende rol",
        ),
    ];
    for (username, role, areas, password, said) in cases {
        let before = app.store.users().await.unwrap().len();
        let a = c
            .post(
                "/admin/users",
                &[
                    ("csrf", &csrf),
                    ("username", username),
                    ("display_name", "N"),
                    ("role", role),
                    ("zone", ZONE),
                    ("areas", areas),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{username}");
        assert!(a.body.contains(said), "{username}: {said}");
        assert_eq!(app.store.users().await.unwrap().len(), before, "{username}");
    }
}
