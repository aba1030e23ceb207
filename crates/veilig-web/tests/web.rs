//! The web application driven through its router (no socket): every route as every role,
//! a crawl that checks what partners and the public receive, CSRF, login limits, sessions,
//! languages. The demo zone is built once per test binary and copied for each test.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use veilig_domain::Role;
use veilig_web::{Config, auth, i18n};

/// The areas of the demo: the wijkinspecteur has the first.
async fn area_codes(app: &App) -> (String, String) {
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let a = app.store.areas(z.id).await.unwrap();
    (a[0].code.clone(), a[1].code.clone())
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_policy_says() {
    let app = app().await;
    let (own, other) = area_codes(&app).await;
    use StatusCode as S;
    // Roles in this order: public, administrator, chief, analyst, wijkinspecteur, council, partner.
    let ok = S::OK;
    let no = S::FORBIDDEN;
    let login = S::SEE_OTHER; // pages send the public to the login form
    let unauth = S::UNAUTHORIZED; // the API answers 401
    let bad = S::BAD_REQUEST;
    let routes: Vec<(String, [StatusCode; 7])> = vec![
        ("/health".into(), [ok; 7]),
        ("/public/demo-bdm".into(), [ok; 7]),
        ("/api/v1/public/demo-bdm".into(), [ok; 7]),
        ("/api/openapi.json".into(), [ok; 7]),
        ("/api/v1/zones".into(), [ok; 7]),
        ("/static/app.css".into(), [ok; 7]),
        ("/login".into(), [ok; 7]),
        ("/z/demo-bdm".into(), [login, ok, ok, ok, ok, ok, ok]),
        (
            "/z/demo-bdm/p/woninginbraak".into(),
            [login, ok, ok, ok, ok, ok, ok],
        ),
        (
            format!("/z/demo-bdm/p/woninginbraak?area={own}"),
            [login, ok, ok, ok, ok, bad, bad],
        ),
        (
            format!("/z/demo-bdm/p/woninginbraak?area={other}"),
            [login, ok, ok, ok, no, bad, bad],
        ),
        (
            format!("/z/demo-bdm/a/{own}"),
            [login, ok, ok, ok, ok, ok, ok],
        ),
        (
            format!("/z/demo-bdm/a/{other}"),
            [login, ok, ok, ok, no, ok, ok],
        ),
        ("/z/demo-bdm/data".into(), [login, ok, ok, ok, no, no, no]),
        (
            "/z/demo-bdm/capacity".into(),
            [login, ok, ok, ok, no, ok, no],
        ),
        (
            "/z/demo-bdm/forecast".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/forecast?phenomenon=woninginbraak&coverage=5&method=naive".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/forecast?coverage=3".into(),
            [login, bad, bad, bad, no, no, no],
        ),
        (
            "/z/demo-bdm/forecast?method=crystal-ball".into(),
            [login, bad, bad, bad, no, no, no],
        ),
        (
            "/z/demo-bdm/forecast?phenomenon=nope".into(),
            [login, bad, bad, bad, no, no, no],
        ),
        ("/z/demo-bdm/survey".into(), [login, ok, ok, ok, ok, ok, ok]),
        (
            "/z/demo-bdm/map/areas.geojson".into(),
            [login, ok, ok, ok, ok, ok, ok],
        ),
        (
            "/z/demo-bdm/map/hotspots/woninginbraak".into(),
            [login, ok, ok, ok, ok, no, no],
        ),
        ("/z/demo-bdm/plan".into(), [login, ok, ok, ok, ok, ok, ok]),
        (
            "/z/demo-bdm/plan/matrix".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/plan/matrix?from=2025-01-01&to=2025-12-31&sort=harm".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/plan/matrix?sort=nonsense".into(),
            [login, bad, bad, bad, no, no, no],
        ),
        (
            "/z/demo-bdm/plan/decisions".into(),
            [login, ok, ok, ok, ok, ok, no],
        ),
        (
            "/z/demo-bdm/plan/compare?from=1&to=2".into(),
            [login, ok, ok, ok, ok, ok, no],
        ),
        (
            "/z/demo-bdm/plan/print".into(),
            [login, ok, ok, ok, ok, ok, no],
        ),
        (
            "/api/v1/zones/demo-bdm/plan".into(),
            [unauth, ok, ok, ok, ok, ok, ok],
        ),
        (
            "/api/v1/zones/demo-bdm/plan/matrix?from=2025-01-01&to=2025-12-31".into(),
            [unauth, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/plan/indicators".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/plan/reviews".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        (
            "/z/demo-bdm/plan/problems".into(),
            [login, ok, ok, ok, ok, no, no],
        ),
        (
            "/api/v1/zones/demo-bdm/plan/indicators".into(),
            [unauth, ok, ok, ok, no, no, no],
        ),
        (
            "/api/v1/zones/demo-bdm/plan/problems".into(),
            [unauth, ok, ok, ok, ok, no, no],
        ),
        ("/admin/users".into(), [login, ok, no, no, no, no, no]),
        ("/admin/audit".into(), [login, ok, no, no, no, no, no]),
        (
            "/z/demo-bdm/reports".into(),
            [login, ok, ok, ok, no, ok, ok],
        ),
        (
            "/z/demo-bdm/reports/999".into(),
            [
                login,
                S::NOT_FOUND,
                S::NOT_FOUND,
                S::NOT_FOUND,
                no,
                S::NOT_FOUND,
                S::NOT_FOUND,
            ],
        ),
        (
            "/z/demo-bdm/partner".into(),
            [login, no, no, no, no, no, ok],
        ),
        (
            "/z/demo-bdm/feedback".into(),
            [login, ok, ok, ok, no, no, no],
        ),
        ("/public/demo-bdm/feed.atom".into(), [ok; 7]),
        ("/public/demo-bdm/reports/999".into(), [S::NOT_FOUND; 7]),
        ("/api/v1/public/demo-bdm/open-data.json".into(), [ok; 7]),
        (
            "/api/v1/public/demo-bdm/open-data/dictionary.json".into(),
            [ok; 7],
        ),
        (
            "/api/v1/zones/demo-bdm/overview".into(),
            [unauth, ok, ok, ok, ok, ok, ok],
        ),
        (
            "/api/v1/zones/demo-bdm/phenomena/woninginbraak".into(),
            [unauth, ok, ok, ok, ok, ok, ok],
        ),
        ("/z/nope".into(), [S::NOT_FOUND; 7]),
        (
            "/z/demo-bdm/p/nope".into(),
            [
                login,
                S::NOT_FOUND,
                S::NOT_FOUND,
                S::NOT_FOUND,
                S::NOT_FOUND,
                S::NOT_FOUND,
                S::NOT_FOUND,
            ],
        ),
        (
            "/z/demo-bdm?from=2026-13-01".into(),
            [login, bad, bad, bad, bad, bad, bad],
        ),
    ];
    let roles: [Option<Role>; 7] = [
        None,
        Some(Role::Administrator),
        Some(Role::Chief),
        Some(Role::Analyst),
        Some(Role::Wijkinspecteur),
        Some(Role::Council),
        Some(Role::Partner),
    ];
    for (i, role) in roles.iter().enumerate() {
        let mut c = logged_in(&app, *role).await;
        for (path, expected) in &routes {
            let a = c.get(path).await;
            assert_eq!(
                a.status,
                expected[i],
                "GET {path} as {:?}: {}",
                role.map(|r| r.as_str()),
                &a.body[..a.body.len().min(300)]
            );
            if a.status == S::OK
                && a.headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html")
            {
                assert!(a.body.contains("<html lang=\"nl-BE\">"), "{path}");
            }
        }
        // State-changing routes: only the administrator may add users.
        let csrf = if role.is_some() {
            let page = c.get("/z/demo-bdm/data").await; // any page with the logout form
            let p = if page.status == S::OK {
                page
            } else {
                c.get("/public/demo-bdm").await
            };
            let at = p.body.find("name=\"csrf\" value=\"").expect("logout form");
            p.body[at + 19..at + 83].to_string()
        } else {
            c.csrf().await
        };
        let name = format!("new{i}");
        let a = c
            .post(
                "/admin/users",
                &[
                    ("csrf", &csrf),
                    ("username", &name),
                    ("display_name", "N"),
                    ("role", "analyst"),
                    ("zone", ZONE),
                    ("areas", ""),
                    ("password", "long enough password"),
                ],
            )
            .await;
        let expected = match role {
            None => S::SEE_OTHER,                      // to the login form
            Some(Role::Administrator) => S::SEE_OTHER, // back to the list
            Some(_) => S::FORBIDDEN,
        };
        assert_eq!(a.status, expected, "POST /admin/users as {role:?}");
        let exists = app.store.user_by_name(&name).await.unwrap().is_some();
        assert_eq!(exists, *role == Some(Role::Administrator));
    }
    let log = app.store.audit_log(1000).await.unwrap();
    assert!(
        log.iter()
            .any(|l| l.action == "user-add" && l.detail.contains("new1"))
    );
    assert!(
        log.iter()
            .any(|l| l.action == "export" && l.username.as_deref() == Some("partner")),
        "API answers are audited as exports"
    );
    assert!(log.iter().filter(|l| l.action == "login").count() >= 6);
}

/// Every number-valued field that is a count, anywhere in a JSON answer.
fn json_counts(v: &serde_json::Value, key: &str, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                json_counts(x, k, out);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                json_counts(x, key, out);
            }
        }
        serde_json::Value::Number(n) => out.push((key.to_string(), n.as_f64().unwrap())),
        _ => {}
    }
}

#[tokio::test]
async fn partners_and_the_public_never_receive_records_locations_or_small_counts() {
    let app = app().await;
    for role in [None, Some(Role::Partner), Some(Role::Council)] {
        let mut c = logged_in(&app, role).await;
        let mut todo: Vec<String> = vec![
            "/".into(),
            "/z/demo-bdm".into(),
            "/public/demo-bdm".into(),
            "/api/v1/public/demo-bdm".into(),
            "/api/v1/zones/demo-bdm/overview".into(),
        ];
        let mut seen = BTreeSet::new();
        let mut suppressed = 0;
        let mut shown = 0;
        while let Some(path) = todo.pop() {
            if !seen.insert(path.clone()) || seen.len() > 400 {
                continue;
            }
            let a = c.get(&path).await;
            if a.status != StatusCode::OK {
                continue;
            }
            let who = format!("{:?} at {path}", role.map(|r| r.as_str()));
            for forbidden in [
                "hotspots",
                "\"x\":",
                "\"y\":",
                "incident_id",
                "\"xy\"",
                "occurred",
            ] {
                assert!(!a.body.contains(forbidden), "{forbidden} in {who}");
            }
            if path.starts_with("/api/") || path.ends_with(".geojson") {
                let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
                let mut nums = Vec::new();
                json_counts(&v, "", &mut nums);
                for (k, n) in nums {
                    if ["count", "baseline", "total", "previous", "cells", "monthly"]
                        .contains(&k.as_str())
                    {
                        assert!(n >= 5.0, "{k} = {n} in {who}");
                        shown += 1;
                    }
                }
                suppressed += a.body.matches("null").count();
            } else {
                // Every count cell carries data-n; suppressed cells carry none.
                for part in a.body.split("data-n=\"").skip(1) {
                    let n: u64 = part[..part.find('"').unwrap()].parse().unwrap();
                    assert!(n >= 5, "data-n {n} in {who}");
                    shown += 1;
                }
                assert!(!a.body.contains("<circle"), "no monthly points in {who}");
                suppressed += a.body.matches("class=\"num suppressed\"").count();
                for part in a.body.split("href=\"").skip(1) {
                    let link = &part[..part.find('"').unwrap()]
                        .replace("&amp;", "&")
                        .replace("&#38;", "&");
                    if link.starts_with('/')
                        && !link.starts_with("/static")
                        && !link.starts_with("/lang")
                    {
                        todo.push(link.to_string());
                    }
                }
            }
        }
        assert!(seen.len() > 5, "the crawl reached {} pages", seen.len());
        assert!(
            shown > 50 && suppressed > 0,
            "{shown} shown, {suppressed} suppressed for {role:?}"
        );
        // And the record-derived routes are closed to them.
        for path in ["/z/demo-bdm/map/hotspots/woninginbraak", "/z/demo-bdm/data"] {
            let s = c.get(path).await.status;
            assert!(
                s == StatusCode::FORBIDDEN || s == StatusCode::SEE_OTHER,
                "{path}: {s}"
            );
        }
    }
}

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

/// A figure cache that keeps evicting (the scale benchmark's 185 zones fill it) gives the
/// same published figures: disclosure control is computed from the data alone, so a
/// recomputed table suppresses the same cells and no second version of a figure exists for
/// a reader to combine with the first.
#[tokio::test]
async fn an_evicting_figure_cache_publishes_the_same_figures() {
    let app = app().await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let rules = veilig_disclosure::Rules::builtin();
    let year = veilig_analysis::Period::new(
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    );
    let mut seen = Vec::new();
    for cache in [
        veilig_web::figures::Cache::default(),
        veilig_web::figures::Cache::with_capacity(4),
    ] {
        let figs = veilig_web::figures::ZoneFigures::new(&cache, &app.store, &z, &rules)
            .await
            .unwrap();
        let public = figs.public(year).await.unwrap();
        let council = figs
            .overview(year, &veilig_web::figures::Access::Aggregate)
            .await
            .unwrap();
        seen.push((
            serde_json::to_value(public.as_ref()).unwrap(),
            serde_json::to_value(council.as_ref()).unwrap(),
            cache.len(),
        ));
    }
    assert!(seen[0].2 > 4 && seen[1].2 <= 4, "the small cache evicted");
    assert!(seen[0].0["rows"].as_array().is_some_and(|r| !r.is_empty()));
    assert_eq!(seen[0].0, seen[1].0, "the public table");
    assert_eq!(seen[0].1, seen[1].1, "the council's overview");
}

#[tokio::test]
async fn the_overview_shows_every_phenomenon_with_a_verdict_in_each_language() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let cache = veilig_web::figures::Cache::default();
    let rules = veilig_disclosure::Rules::builtin();
    let figures = veilig_web::figures::ZoneFigures::new(&cache, &app.store, &z, &rules)
        .await
        .unwrap();
    let phenomena = figures.phenomena_with_data().await.unwrap();
    assert_eq!(phenomena.len(), 14);
    let page = c.get("/z/demo-bdm").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("SYNTHETISCHE DEMOGEGEVENS"));
    for p in phenomena.iter() {
        assert!(
            page.body.contains(&format!("/z/demo-bdm/p/{}?", p.code)),
            "{}",
            p.code
        );
        assert!(page.body.contains(&veilig_report::esc(&p.nl)), "{}", p.nl);
    }
    assert_eq!(page.body.matches("class=\"verdict ").count(), 14);
    assert!(
        page.body.len() < 300_000,
        "overview weighs {} bytes",
        page.body.len()
    );
    // French, then English, through the switch (a cookie).
    let a = c.get("/lang/fr?next=/z/demo-bdm").await;
    assert_eq!(a.headers[header::LOCATION], "/z/demo-bdm");
    let fr = c.get("/z/demo-bdm").await.body;
    assert!(fr.contains("<html lang=\"fr-BE\">") && fr.contains("Aperçu"));
    assert!(fr.contains(&veilig_report::esc(&phenomena[0].fr)));
    c.get("/lang/en?next=/").await;
    let en = c.get("/z/demo-bdm").await.body;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Overview"));
    // The period filter changes the figures; the phenomenon page has every section.
    let p = c
        .get("/z/demo-bdm/p/woninginbraak?from=2025-01-01&to=2025-12-31")
        .await;
    assert_eq!(p.status, StatusCode::OK);
    for s in [
        "Comparisons and tests",
        "Per month",
        "Hour and weekday",
        "Near repeat",
        "Per area",
        "2025-01-01",
    ] {
        assert!(p.body.contains(s), "{s}");
    }
    let api: serde_json::Value = serde_json::from_str(
        &c.get("/api/v1/zones/demo-bdm/phenomena/woninginbraak?from=2025-01-01&to=2025-12-31")
            .await
            .body,
    )
    .unwrap();
    let count = api["summary"]["count"].as_u64().unwrap();
    assert!(
        p.body.contains(&format!("{count} incidents")),
        "page and API agree on {count}"
    );
    let areas_sum: u64 = api["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .sum();
    assert_eq!(areas_sum, count, "every demo incident lies in an area");
    assert_eq!(api["source"]["period"]["start"], "2025-01-01");
    // The public table: every demo incident is located, so there is no "not located" column
    // to force a municipality into secondary suppression; a row with only large counts is
    // shown whole, and the totals agree with the cells.
    let public: serde_json::Value =
        serde_json::from_str(&c.get("/api/v1/public/demo-bdm").await.body).unwrap();
    assert_eq!(public["not_located_column"], false);
    let rows = public["rows"].as_array().unwrap();
    let drugs = rows.iter().find(|r| r["code"] == "drugs").unwrap();
    let cells: Vec<u64> = drugs["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(cells.iter().sum::<u64>(), drugs["total"].as_u64().unwrap());
    for r in rows {
        let hidden = r["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.is_null())
            .count();
        assert_ne!(
            hidden, 1,
            "a single hidden cell would be revealed by the total: {r}"
        );
    }
}

#[test]
fn every_message_exists_in_every_language() {
    let nl: BTreeSet<String> = i18n::I18n::keys(i18n::Lang::Nl).into_iter().collect();
    for lang in [i18n::Lang::Fr, i18n::Lang::En] {
        let other: BTreeSet<String> = i18n::I18n::keys(lang).into_iter().collect();
        assert_eq!(
            nl.symmetric_difference(&other).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "nl and {} differ",
            lang.code()
        );
    }
    // Every key the code and the templates use exists.
    let root = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let mut used = BTreeSet::new();
    let mut files = Vec::new();
    for dir in ["src", "src/pages", "templates"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                files.push(p);
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for call in [
            ".t(\"",
            ".arg(\"",
            ".arg2(\"",
            ".args(\"",
            " fail(\"",
            "BadRequest(\"",
        ] {
            for part in text.split(call).skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    && !key.is_empty()
                {
                    used.insert(key.to_string());
                }
            }
        }
    }
    // Keys built from data: roles, verdicts, comparison labels, days, errors.
    for r in Role::ALL {
        used.insert(format!("role-{}", r.as_str()));
    }
    for v in [
        "significantly-higher",
        "significantly-lower",
        "no-significant-change",
        "too-few-events",
    ] {
        used.insert(format!("verdict-{v}"));
    }
    for l in [
        "period-vs-previous-year",
        "period-vs-previous-3-years",
        "week-to-date",
        "last-28-days",
        "year-to-date",
    ] {
        used.insert(format!("cmp-{l}"));
    }
    for d in 0..7 {
        used.insert(format!("day-{d}"));
    }
    let missing: Vec<&String> = used.iter().filter(|k| !nl.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys used but not in nl.ftl: {missing:?}"
    );
    assert!(used.len() > 130, "the scan found only {} keys", used.len());
}

#[tokio::test]
async fn an_analyst_uploads_a_file_sees_the_validation_report_then_imports_it() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let data = c.get("/z/demo-bdm/data").await.body;
    let at = data.find("/data/upload?csrf=").expect("the upload form");
    let action = data[at - 12..at + 18 + 64]
        .trim_start_matches(|ch| ch != '/')
        .to_string();
    let root = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../testdata");
    let csv = std::fs::read(root.join("belgian-export-100.csv")).unwrap();
    let mapping = std::fs::read_to_string(root.join("belgian-export.toml")).unwrap();
    let boundary = "veiligboundary7d";
    let mut body = Vec::new();
    for (name, value) in [("source", "generic"), ("mapping", mapping.as_str())] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../belgian-export-100.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend(&csv);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let multipart = |uri: &str, cookie: String, body: Vec<u8>| {
        Request::post(uri)
            .header(header::COOKIE, cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap()
    };
    // Without the token in the query, refused.
    let a = c
        .send(multipart(
            "/z/demo-bdm/data/upload",
            c.cookie_header(),
            body.clone(),
        ))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let before = app.store.batches(z.id).await.unwrap().len();
    let a = c.send(multipart(&action, c.cookie_header(), body)).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        &a.body[..a.body.len().min(500)]
    );
    let p = &a.body;
    assert!(p.contains("PV-nummer;Feit"), "the first lines as read");
    assert!(
        p.contains("belgian-export-100.csv"),
        "the file name, without its path"
    );
    for (label, n) in [("Gelezen", 100), ("Opgeslagen", 97), ("Geweigerd", 3)] {
        assert!(
            p.contains(&format!("{label}</th><td class=\"num\">{n}</td>")),
            "{label} {n}"
        );
    }
    for line in [21, 56, 91] {
        assert!(
            p.contains(&format!("<td class=\"num\">{line}</td>")),
            "rejected line {line}"
        );
    }
    assert_eq!(
        app.store.batches(z.id).await.unwrap().len(),
        before,
        "the preview stores nothing"
    );
    // Confirm.
    let at = p.find("name=\"id\" value=\"").unwrap();
    let id = p[at + 17..at + 17 + 64].to_string();
    let at = p.find("name=\"csrf\" value=\"").unwrap();
    let csrf = p[at + 19..at + 83].to_string();
    let mut partner = logged_in(&app, Some(Role::Partner)).await;
    let pcsrf = partner.csrf().await;
    let a = partner
        .post("/z/demo-bdm/data/import", &[("csrf", &pcsrf), ("id", &id)])
        .await;
    assert!(
        a.status == StatusCode::FORBIDDEN || a.status == StatusCode::SEE_OTHER,
        "{}",
        a.status
    );
    let a = c
        .post("/z/demo-bdm/data/import", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let batches = app.store.batches(z.id).await.unwrap();
    assert_eq!(batches.len(), before + 1);
    let b = batches.last().unwrap();
    assert_eq!(
        (b.stored, b.rejected, b.file_name.as_str()),
        (97, 3, "belgian-export-100.csv")
    );
    let log = app.store.audit_log(20).await.unwrap();
    assert!(
        log.iter()
            .any(|l| l.action == "import" && l.username.as_deref() == Some("analyst"))
    );
    // The preview is gone once imported.
    let a = c
        .post("/z/demo-bdm/data/import", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

/// The capacity page shows the demo zone's norm check (the wijk norm: ⌈inhabitants / 4,000⌉
/// wijkinspecteurs, at least 18 here, with its citation and confidence), the net hours and the
/// officers needed in each of the 168 hours, in Dutch by default and in French on request.
#[tokio::test]
async fn the_capacity_page_shows_the_norm_check_and_the_hourly_need() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Chief)).await;
    let a = c.get("/z/demo-bdm/capacity").await;
    assert_eq!(a.status, StatusCode::OK);
    let b = &a.body;
    assert!(b.contains("Normtoets"), "{}", &b[..b.len().min(500)]);
    // The zone's wijk rule: 18 required.
    let zone_row = b
        .split("<tr>")
        .find(|r| r.contains("<code>wijk-per-inwoners</code>") && r.contains("<td>zone</td>"))
        .expect("the wijk norm for the zone");
    let inhabitants: u64 = zone_row
        .split('⌈')
        .nth(1)
        .and_then(|x| x.split(' ').next())
        .and_then(|x| x.parse().ok())
        .expect("the basis names the inhabitants");
    let required = inhabitants.div_ceil(4000);
    assert!(required >= 18, "{inhabitants} inhabitants");
    assert!(
        zone_row.contains(&format!(">{required},00<")),
        "{required} required: {zone_row}"
    );
    assert!(zone_row.contains(">H<"), "confidence mark: {zone_row}");
    // The skill-on-shift rule is marked as an assumption.
    assert!(b.contains("ploegverantwoordelijke-per-ploeg"));
    // 24 hour rows × 7 days, the floor hours marked.
    let heat = &b[b.find("figures heat").expect("the hourly table")..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(heat.matches("<th scope=\"row\">").count(), 24);
    assert_eq!(heat.matches("<td class=\"num").count(), 168);
    // Never under the floor of one intervention team (2 officers) in any hour.
    for cell in heat.split("<td class=\"num").skip(1) {
        let n: u32 = cell[cell.find('>').unwrap() + 1..cell.find('<').unwrap()]
            .parse()
            .unwrap();
        assert!(n >= 2, "{cell}");
    }
    assert!(b.contains("Erlang C"));
    // French on request.
    c.get("/lang/fr?next=/z/demo-bdm/capacity").await;
    let f = c.get("/z/demo-bdm/capacity").await;
    assert!(
        f.body.contains("Contrôle des normes"),
        "{}",
        &f.body[..f.body.len().min(300)]
    );
    assert!(
        f.body.contains("lang=\"nl\""),
        "the Dutch rule texts are marked as Dutch"
    );
}

/// The forecast page: the evidence badge decides what is shown, the naive count stands beside
/// it, the model card names its limits; cells only, no incident points; NL, FR and EN.
#[tokio::test]
async fn the_forecast_page_shows_the_evidence_the_count_beside_and_the_model_card() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    // The first view asks for the forecast; a worker computes it; then it is there.
    let first = c
        .get("/z/demo-bdm/forecast?phenomenon=woninginbraak&coverage=1")
        .await;
    assert!(first.body.contains("Deze voorspelling wordt berekend"));
    run_jobs(&app).await;
    let a = c
        .get("/z/demo-bdm/forecast?phenomenon=woninginbraak&coverage=1")
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = &a.body;
    assert!(
        b.contains("Voorspelling volgende week"),
        "{}",
        &b[..b.len().min(400)]
    );
    assert!(b.contains("Modelkaart") && b.contains("Terugkoppeling"));
    assert!(b.contains("de eenvoudige telling van vroegere feiten per cel"));
    // Exactly one of the two badges, and what is shown follows it.
    let better = b.contains("De methode verslaat de telling.");
    let not_better = b.contains("Veilig toont daarom de telling.");
    assert!(better ^ not_better, "one verdict");
    if not_better {
        assert!(b.contains("Getoond: eenvoudige telling"));
    } else {
        assert!(b.contains("Getoond: Poisson-regressie op meerdere vensters"));
    }
    // Two tables of ceil(1 % of the mask) cells each.
    let tables: Vec<&str> = b.split("<table class=\"figures\">").skip(1).collect();
    assert!(tables.len() >= 2);
    let rows = |t: &str| {
        t[..t.find("</table>").unwrap()]
            .matches("<tr><td class=\"num\">")
            .count()
    };
    assert_eq!(rows(tables[0]), rows(tables[1]));
    assert!(rows(tables[0]) > 0);
    // No incident record reaches the page: no map layer of points, no incident id.
    assert!(!b.contains("leaflet") && !b.contains("incident_id"));
    assert!(b.contains("McNemar"));
    c.get("/lang/fr?next=/z/demo-bdm/forecast").await;
    let f = c.get("/z/demo-bdm/forecast").await;
    assert!(f.body.contains("Fiche du modèle") && f.body.contains("Rétroaction"));
    c.get("/lang/en?next=/z/demo-bdm/forecast").await;
    let e = c.get("/z/demo-bdm/forecast").await;
    assert!(e.body.contains("Model card") && e.body.contains("Feedback loop"));
    // The nav offers it to the analyst, not to a partner.
    assert!(e.body.contains("/z/demo-bdm/forecast"));
    let mut p = logged_in(&app, Some(Role::Partner)).await;
    let o = p.get("/z/demo-bdm").await;
    assert!(!o.body.contains("/forecast"));
}

/// Heavy figures are computed when the data change, never in the reader's request: a page
/// opened while its job runs answers at once that it is being computed (and polls for the
/// result), then shows the figures; new data make the stored figures stale at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_opened_while_its_job_runs_says_so_at_once_then_shows_the_figures() {
    use veilig_query::refresh;
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let version = app.store.data_version(zone.id).await.unwrap();
    let scheduled = refresh::schedule(&app.store, &zone).await.unwrap();
    assert_eq!(scheduled.data_version, version);
    assert_eq!(
        scheduled.queued, scheduled.jobs,
        "one forecast per phenomenon with data"
    );
    assert!(scheduled.jobs >= 14);
    // A worker takes the first job (the page's default forecast) and computes it.
    let store = app.store.clone();
    let job = tokio::spawn(async move { refresh::run_next(&store, "test-worker", None).await });
    while app
        .store
        .job_progress(zone.id, version)
        .await
        .unwrap()
        .running
        == 0
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let url = "/z/demo-bdm/forecast";
    let waiting = c.get(url).await;
    assert_eq!(waiting.status, StatusCode::OK);
    let b = &waiting.body;
    assert!(b.contains("Deze voorspelling wordt berekend"), "{b}");
    assert!(b.contains("0 van "), "the progress");
    assert!(b.contains("aria-busy=\"true\""));
    assert!(b.contains("id=\"forecast-result\""));
    assert!(!b.contains("Modelkaart"), "no figures yet");
    assert!(
        !job.is_finished(),
        "the page answered while the job was still running"
    );
    let ran = job.await.unwrap().unwrap().expect("a job ran");
    assert!(ran.error.is_none(), "{:?}", ran.error);
    assert!(
        ran.params.contains("woninginbraak"),
        "the page's default first"
    );
    let ready = c.get(url).await;
    assert!(ready.body.contains("Modelkaart"));
    assert!(!ready.body.contains("aria-busy"), "no more polling");
    // New data: the stored forecast belongs to the old version and is not shown.
    let tx = app
        .store
        .begin_import(&veilig_store::NewBatch {
            zone_id: zone.id,
            kind: veilig_domain::BatchKind::Incidents,
            source: "islp",
            file_name: "late.csv",
            sha256: "late",
            mapping: None,
            synthetic: true,
        })
        .await
        .unwrap();
    tx.finish(0, 0, 0, 0).await.unwrap();
    let after = c.get(url).await;
    assert!(after.body.contains("Deze voorspelling wordt berekend"));
    assert!(!after.body.contains("Modelkaart"));
}

#[tokio::test]
async fn the_survey_page_shows_weighted_indicators_with_intervals_and_verdicts() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Council)).await;
    let page = c.get("/z/demo-bdm/survey").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Voelt zich vaak of altijd onveilig",
        "Hoe vaak voelt u zich onveilig in uw buurt?",
        "Korn-Graubard",
        "tegenover de rest van de zone",
        "2024 tegenover 2021",
        "niet getoond (",
        "Parker JD",
        "gewichten geraked naar de bevolking",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    // Five indicators, each with its chart and table.
    assert_eq!(page.body.matches("class=\"survey-indicator\"").count(), 5);
    assert_eq!(page.body.matches("<svg").count(), 5);
    // French: the question and the names in French.
    c.get("/lang/fr?next=/").await;
    let fr = c.get("/z/demo-bdm/survey").await;
    assert!(
        fr.body
            .contains("Se sent souvent ou toujours en insécurité")
    );
    assert!(fr.body.contains("Enquête auprès de la population"));
    // The public page carries the latest wave's zone and municipality estimates.
    let mut public = Client::new(&app);
    let p = public.get("/public/demo-bdm").await;
    assert!(
        p.body.contains("bevolkingsbevraging 2024"),
        "public survey section"
    );
    assert!(p.body.contains("Voelt zich vaak of altijd onveilig"));
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

async fn plan_doc(app: &App) -> serde_json::Value {
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let p = app.store.plans(z.id).await.unwrap().remove(0);
    let v = app.store.plan_versions(p.id).await.unwrap();
    serde_json::from_str(&v.last().unwrap().document).unwrap()
}

#[tokio::test]
async fn plan_changes_follow_the_policy_and_the_checks() {
    use StatusCode as S;
    let app = app().await;
    let mut analyst = logged_in(&app, Some(Role::Analyst)).await;
    let mut council = logged_in(&app, Some(Role::Council)).await;
    let mut partner = logged_in(&app, Some(Role::Partner)).await;
    let mut wi = logged_in(&app, Some(Role::Wijkinspecteur)).await;

    // A ZVR decision: the council records it; a partner or wijkinspecteur may not.
    let page = council.get("/z/demo-bdm/plan/decisions").await;
    assert_eq!(page.status, S::OK);
    let csrf = form_csrf(&page.body);
    let decision = |csrf: String| {
        vec![
            ("csrf".to_string(), csrf),
            ("meeting".into(), "2026-03-05".into()),
            ("subject".into(), "overlast".into()),
            ("title".into(), String::new()),
            ("kind".into(), "bijzonder-aandachtspunt".into()),
            ("domain".into(), "external".into()),
            ("outcome".into(), "adopted".into()),
            ("rationale".into(), "klachten in de stationsbuurt".into()),
            ("decided_by".into(), "ZVR".into()),
        ]
    };
    let f = decision(csrf);
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        council
            .post("/z/demo-bdm/plan/decide", &fields)
            .await
            .status,
        S::SEE_OTHER
    );
    for c in [&mut partner, &mut wi] {
        let csrf = form_csrf(&c.get("/z/demo-bdm/plan").await.body);
        let f = decision(csrf);
        let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(
            c.post("/z/demo-bdm/plan/decide", &fields).await.status,
            S::FORBIDDEN
        );
    }
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let log = app.store.decisions(z.id).await.unwrap();
    assert_eq!(log.iter().filter(|d| d.subject == "overlast").count(), 1);
    let shown = council.get("/z/demo-bdm/plan/decisions").await;
    assert!(shown.body.contains("klachten in de stationsbuurt"));

    // Stakeholder input: the analyst records it, the council may not; the matrix reads it.
    let acsrf = form_csrf(&analyst.get("/z/demo-bdm/plan/decisions").await.body);
    let input = |csrf: &str, score: &'static str| {
        vec![
            ("csrf", csrf.to_string()),
            ("phenomenon", "overlast".to_string()),
            ("score", score.to_string()),
            ("source", "adviesraad Mol".to_string()),
            ("note", String::new()),
        ]
    };
    let f = input(&acsrf, "9");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        analyst.post("/z/demo-bdm/plan/input", &fields).await.status,
        S::BAD_REQUEST
    );
    let f = input(&acsrf, "4,5");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        analyst.post("/z/demo-bdm/plan/input", &fields).await.status,
        S::SEE_OTHER
    );
    let ccsrf0 = form_csrf(&council.get("/z/demo-bdm/plan/decisions").await.body);
    let f = input(&ccsrf0, "1");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        council.post("/z/demo-bdm/plan/input", &fields).await.status,
        S::FORBIDDEN
    );
    let m = analyst
        .get("/api/v1/zones/demo-bdm/plan/matrix?from=2025-01-01&to=2025-12-31")
        .await;
    let m: serde_json::Value = serde_json::from_str(&m.body).unwrap();
    let row = m["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["phenomenon"] == "overlast")
        .unwrap();
    assert_eq!(row["criteria"]["stakeholder"]["value"], 4.5);
    assert_eq!(row["criteria"]["stakeholder"]["source"], "adviesraad Mol");

    // The draft (the demo's addendum): an objective without a priority is refused, whole.
    let page = analyst.get("/z/demo-bdm/plan").await;
    assert!(
        page.body.contains("id=\"objective\""),
        "the analyst edits the draft"
    );
    let csrf = form_csrf(&page.body);
    let before = plan_doc(&app).await;
    let objective = |prio: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("code", "TD5.1".to_string()),
            ("level", "tactical".to_string()),
            ("parent", "SD5".to_string()),
            ("priority", prio.to_string()),
            (
                "statement",
                "Slachtoffers melden internetfraude".to_string(),
            ),
            ("target", "meldingen +20 %".to_string()),
            ("due", "2029-12-31".to_string()),
            ("owner", "diensthoofd onthaal".to_string()),
        ]
    };
    let f = objective("P9");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let refused = analyst.post("/z/demo-bdm/plan/objective", &fields).await;
    assert_eq!(refused.status, S::BAD_REQUEST);
    assert!(refused.body.contains("P9"), "the reason is named");
    assert_eq!(plan_doc(&app).await, before, "nothing changed");
    let f = objective("P5");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        analyst
            .post("/z/demo-bdm/plan/objective", &fields)
            .await
            .status,
        S::SEE_OTHER
    );
    assert!(
        plan_doc(&app).await["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["code"] == "TD5.1")
    );
    let neg = [
        ("csrf", csrf.as_str()),
        ("code", "A9"),
        ("objective", "TD5.1"),
        ("year", "2027"),
        ("title", "t"),
        ("reactie", "on"),
        ("owner", "o"),
        ("hours", "-5"),
    ];
    assert_eq!(
        analyst.post("/z/demo-bdm/plan/action", &neg).await.status,
        S::BAD_REQUEST
    );

    // Approval: the analyst may not record a step; the council may, in order only.
    let step = |csrf: &str, step: &'static str| {
        vec![
            ("csrf", csrf.to_string()),
            ("step", step.to_string()),
            ("date", chrono::Local::now().date_naive().to_string()),
            ("outcome", "approved".to_string()),
            ("reference", "ZVR".to_string()),
        ]
    };
    let f = step(&csrf, "zvr");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        analyst.post("/z/demo-bdm/plan/step", &fields).await.status,
        S::FORBIDDEN
    );
    let cpage = council.get("/z/demo-bdm/plan").await;
    assert!(
        cpage.body.contains("id=\"step\""),
        "the council records steps"
    );
    assert!(
        !cpage.body.contains("id=\"objective\""),
        "the council does not edit"
    );
    let ccsrf = form_csrf(&cpage.body);
    let f = step(&ccsrf, "ministers");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let out_of_order = council.post("/z/demo-bdm/plan/step", &fields).await;
    assert_eq!(out_of_order.status, S::BAD_REQUEST);
    assert!(out_of_order.body.contains("out of order"));
    let f = step(&ccsrf, "zvr");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        council.post("/z/demo-bdm/plan/step", &fields).await.status,
        S::SEE_OTHER
    );
    let api = analyst.get("/api/v1/zones/demo-bdm/plan").await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["status"], "zvr-approved");
    // Frozen now: the analyst's edit is refused and an addendum is offered.
    let f = objective("P5");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let frozen = analyst.post("/z/demo-bdm/plan/objective", &fields).await;
    assert_eq!(frozen.status, S::BAD_REQUEST);
    assert!(frozen.body.contains("addendum"));
    assert!(
        analyst
            .get("/z/demo-bdm/plan")
            .await
            .body
            .contains("id=\"addendum\"")
    );

    // The partner sees only the actions of its organisation (the OCMW of Mol).
    let p = partner.get("/z/demo-bdm/plan").await;
    assert_eq!(p.status, S::OK);
    assert!(p.body.contains("A4.1") && p.body.contains("ocmw-mol"));
    assert!(
        !p.body.contains("Winterpatrouilles"),
        "an action without the partner"
    );
    assert!(
        !p.body.contains("parket-antwerpen"),
        "other partners' roles"
    );
    assert!(!p.body.contains("id=\"versions\""));
    let api = partner.get("/api/v1/zones/demo-bdm/plan").await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let actions = v["actions"].as_array().unwrap();
    assert!(!actions.is_empty());
    assert!(v.get("objectives").is_none() && v.get("versions").is_none());
    for a in actions {
        assert!(!a["role"].as_array().unwrap().is_empty());
    }

    // Every change is in the audit trail.
    let log = app.store.audit_log(1000).await.unwrap();
    for action in ["zvr-decision", "plan-edit", "plan-step"] {
        assert!(
            log.iter()
                .any(|l| l.action == action && l.username.is_some()),
            "{action}"
        );
    }
}

#[tokio::test]
async fn following_the_plan_in_the_browser() {
    use StatusCode as S;
    let app = app().await;
    let (own, other) = area_codes(&app).await;
    let mut analyst = logged_in(&app, Some(Role::Analyst)).await;
    let mut council = logged_in(&app, Some(Role::Council)).await;
    let mut wi = logged_in(&app, Some(Role::Wijkinspecteur)).await;

    // The indicators page: every indicator with its verdict, a chart, its measurements.
    let page = analyst.get("/z/demo-bdm/plan/indicators").await;
    assert_eq!(page.status, S::OK);
    assert!(page.body.matches("tr class=\"indicator").count() >= 8);
    assert!(page.body.contains("niet op koers") && page.body.contains("<svg"));
    // The plan's tree: coloured by progress; the council reads verdict words, no figures.
    let a = analyst.get("/z/demo-bdm/plan").await.body;
    assert!(a.contains("progress-off-track") && a.contains("li class=\"badge"));
    assert!(
        a.contains(" → "),
        "full access sees the figure against the target"
    );
    let c = council.get("/z/demo-bdm/plan").await.body;
    assert!(c.contains("li class=\"badge") && !c.contains(" → "));
    // A verdict rests on counts: the council reads it only when every count meets the
    // threshold; a response-time percentile keeps no count and is withheld.
    let rt = &c[c.find("data-code=\"I-SD4-RT\"").unwrap()..];
    assert!(rt[..rt.find("</li>").unwrap()].contains("niet gepubliceerd (afscherming)"));
    // A wijk's indicator with counts under the threshold: its verdict is withheld for the
    // council, shown to the analyst.
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let wijk = app.store.areas(z.id).await.unwrap()[17].code.clone();
    let def = serde_json::json!({"code": "I-KLEIN", "objective": "SD4", "name": "Geweld in een kleine wijk",
        "kind": "effect", "source": "incidents", "phenomenon": "geweld-seksueel", "measure": "count", "wijken": [wijk],
        "frequency": "year", "baseline": {"from": "2023-01-01", "to": "2023-12-31"}, "direction": "down",
        "target": {"kind": "change-pct", "pct": -10.0, "by": "2027-12-31"}});
    app.store
        .create_indicator(
            z.id,
            None,
            "I-KLEIN",
            &def.to_string(),
            &veilig_store::AuditEntry::default(),
        )
        .await
        .unwrap();
    veilig_query::monitor::refresh(&app.store, &z, &veilig_store::AuditEntry::default())
        .await
        .unwrap();
    let c = council.get("/z/demo-bdm/plan").await.body;
    let small = &c[c.find("data-code=\"I-KLEIN\"").unwrap()..];
    assert!(
        small[..small.find("</li>").unwrap()].contains("niet gepubliceerd"),
        "{}",
        &small[..200]
    );
    let a = analyst.get("/z/demo-bdm/plan").await.body;
    let small = &a[a.find("data-code=\"I-KLEIN\"").unwrap()..];
    assert!(!small[..small.find("</li>").unwrap()].contains("niet gepubliceerd"));

    // A Compstat review: the agenda lists the open decisions; recording one closes one.
    let r = analyst.get("/z/demo-bdm/plan/reviews").await;
    assert!(r.body.contains("id=\"open\""));
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let open: Vec<i64> = app
        .store
        .review_decisions(z.id)
        .await
        .unwrap()
        .iter()
        .filter(|d| d.closed_in.is_none())
        .map(|d| d.id)
        .collect();
    assert_eq!(open.len(), 2);
    let csrf = form_csrf(&r.body);
    let closes = format!("{}: besproken", open[0]);
    let fields = [
        ("csrf", csrf.as_str()),
        ("from", "2026-10-01"),
        ("to", "2026-10-31"),
        ("held_on", "2026-11-09"),
        ("decisions", "Controle station | interventie | 2026-12-15"),
        ("closes", closes.as_str()),
    ];
    assert_eq!(
        analyst
            .post("/z/demo-bdm/plan/reviews", &fields)
            .await
            .status,
        S::SEE_OTHER
    );
    let now_open: Vec<i64> = app
        .store
        .review_decisions(z.id)
        .await
        .unwrap()
        .iter()
        .filter(|d| d.closed_in.is_none())
        .map(|d| d.id)
        .collect();
    assert_eq!(now_open.len(), 2);
    assert!(!now_open.contains(&open[0]) && now_open.contains(&open[1]));
    let bad = [
        ("csrf", csrf.as_str()),
        ("from", "2026-10-01"),
        ("to", "2026-10-31"),
        ("held_on", "2026-11-09"),
        ("decisions", "zonder datum"),
        ("closes", ""),
    ];
    assert_eq!(
        analyst.post("/z/demo-bdm/plan/reviews", &bad).await.status,
        S::BAD_REQUEST
    );

    // A yearly evaluation (recorded by `veilig plan evaluate`) shows per objective.
    let doc = serde_json::json!({"plan": "zvp-2026-2031", "version": 2, "year": 2026, "objectives": [
        {"objective": "SD3", "statement": "Drugs", "verdict": "adjust", "note": "meer recherche",
         "indicators": [{"code": "I-SD3", "verdict": "off-track"}],
         "actions": [{"code": "A3.1", "done": true, "hours_planned": 2500.0, "hours_allocated": 2500.0}]}]});
    app.store
        .add_review(
            &veilig_store::NewReview {
                zone_id: z.id,
                kind: "annual".into(),
                period_from: "2026-01-01".parse().unwrap(),
                period_to: "2026-12-31".parse().unwrap(),
                held_on: "2026-11-20".parse().unwrap(),
                document: doc.to_string(),
                decisions: vec![],
                closes: vec![],
            },
            &veilig_store::AuditEntry::default(),
        )
        .await
        .unwrap();
    let r = analyst.get("/z/demo-bdm/plan/reviews").await.body;
    assert!(r.contains("bijsturen: meer recherche") && r.contains("I-SD3 niet op koers"));
    assert!(
        r.contains("A3.1 uitgevoerd (2.500 / 2.500 u)"),
        "{}",
        &r[r.find("A3.1").unwrap_or(0)..][..80]
    );

    // The council's yearly evaluation, recorded in the browser: every strategic objective
    // needs a verdict.
    let page = analyst.get("/z/demo-bdm/plan/reviews").await;
    assert!(page.body.contains("id=\"evaluate\""));
    let csrf = form_csrf(&page.body);
    let mut f: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("year".into(), "2026".into()),
        ("held_on".into(), "2026-11-25".into()),
        ("done_A1.2".into(), "on".into()),
    ];
    for o in ["SD1", "SD2", "SD3", "SD4", "SD5"] {
        f.push((format!("verdict_{o}"), "continue".into()));
    }
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let missing = analyst.post("/z/demo-bdm/plan/evaluate", &fields).await;
    assert_eq!(missing.status, S::BAD_REQUEST);
    assert!(missing.body.contains("SD6"));
    f.push(("verdict_SD6".into(), "adjust".into()));
    f.push(("note_SD6".into(), "verzuim blijft hoog".into()));
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(
        analyst
            .post("/z/demo-bdm/plan/evaluate", &fields)
            .await
            .status,
        S::SEE_OTHER
    );
    let csrf_c = form_csrf(&council.get("/z/demo-bdm/plan").await.body);
    let cf = [
        ("csrf", csrf_c.as_str()),
        ("year", "2026"),
        ("held_on", "2026-11-25"),
    ];
    assert_eq!(
        council.post("/z/demo-bdm/plan/evaluate", &cf).await.status,
        S::FORBIDDEN
    );
    let r = analyst.get("/z/demo-bdm/plan/reviews").await.body;
    assert!(r.contains("bijsturen: verzuim blijft hoog") && r.contains("A1.2 uitgevoerd"));

    // Problem files: the wijkinspecteur opens one in their own wijk, not in another's.
    let p = wi.get("/z/demo-bdm/plan/problems").await;
    assert_eq!(p.status, S::OK);
    let csrf = form_csrf(&p.body);
    let file = |wijk: &str, code: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("code", code.to_string()),
            ("title", "Fietsen aan de school".to_string()),
            ("phenomenon", "fietsdiefstal".to_string()),
            ("wijk", wijk.to_string()),
            ("comparison_wijk", other.clone()),
            ("response_start", "2025-09-01".to_string()),
            ("response", "Graveeractie".to_string()),
        ]
    };
    let f = file(&own, "PF-WI-1");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        wi.post("/z/demo-bdm/plan/problems", &fields).await.status,
        S::SEE_OTHER
    );
    let f = file(&other, "PF-WI-2");
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        wi.post("/z/demo-bdm/plan/problems", &fields).await.status,
        S::FORBIDDEN
    );
    let mine = wi.get("/api/v1/zones/demo-bdm/plan/problems").await;
    let v: serde_json::Value = serde_json::from_str(&mine.body).unwrap();
    let mine = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"]["code"] == "PF-WI-1")
        .unwrap();
    // The comparison wijk is not theirs: its counts, the ratio and p are withheld, the
    // verdict is not.
    let a = &mine["assessment"];
    assert!(a["comparison"].as_str().unwrap().starts_with("withheld"));
    assert!(a.get("ratio_of_ratios").is_none() && a.get("comparison_change").is_none());
    assert!(a["verdict"].is_string() && a["place"]["after"].is_number());
    // The analyst sees the demo's files with their verdicts.
    let all = analyst.get("/z/demo-bdm/plan/problems").await.body;
    assert!(
        all.contains("PF-2024-01")
            && all.contains("daling die het vergelijkingsgebied niet verklaart")
    );
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

/// Issues a report as the analyst through the form; returns its id.
async fn issue(
    app: &App,
    c: &mut Client<'_>,
    fields: &[(&str, &str)],
) -> (StatusCode, Option<i64>) {
    let csrf = form_csrf(&c.get("/z/demo-bdm/reports").await.body);
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(fields);
    let a = c.post("/z/demo-bdm/reports", &f).await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let newest = app
        .store
        .issued_reports(z.id)
        .await
        .unwrap()
        .first()
        .map(|r| r.id);
    (a.status, newest)
}

#[tokio::test]
async fn reports_feedback_and_open_data_follow_the_policy() {
    use StatusCode as S;
    let app = app().await;
    let mut analyst = logged_in(&app, Some(Role::Analyst)).await;
    let (s, public) = issue(
        &app,
        &mut analyst,
        &[
            ("kind", "jaarverslag"),
            ("year", "2025"),
            ("public", "1"),
            ("lang", "nl"),
        ],
    )
    .await;
    assert_eq!(s, S::SEE_OTHER);
    let (s, council) = issue(
        &app,
        &mut analyst,
        &[("kind", "jaarverslag"), ("year", "2025"), ("lang", "fr")],
    )
    .await;
    assert_eq!(s, S::SEE_OTHER);
    let (s, compstat) = issue(
        &app,
        &mut analyst,
        &[("kind", "compstat"), ("year", "2026")],
    )
    .await;
    assert_eq!(s, S::SEE_OTHER);
    let (s, ocmw) = issue(
        &app,
        &mut analyst,
        &[
            ("kind", "partner"),
            ("year", "2026"),
            ("organisation", "ocmw-mol"),
        ],
    )
    .await;
    assert_eq!(s, S::SEE_OTHER);
    let (s, parket) = issue(
        &app,
        &mut analyst,
        &[
            ("kind", "partner"),
            ("year", "2026"),
            ("organisation", "parket-antwerpen"),
        ],
    )
    .await;
    assert_eq!(s, S::SEE_OTHER);
    let ids = [public, council, compstat, ocmw, parket].map(|i| i.unwrap());
    assert_eq!(
        ids.iter().collect::<std::collections::BTreeSet<_>>().len(),
        5
    );
    // Refused requests re-show the form with the reason; nothing is issued.
    let (s, last) = issue(
        &app,
        &mut analyst,
        &[("kind", "compstat"), ("year", "2026"), ("public", "1")],
    )
    .await;
    assert_eq!((s, last), (S::BAD_REQUEST, Some(ids[4])));
    let (s, _) = issue(
        &app,
        &mut analyst,
        &[("kind", "horoscope"), ("year", "2026")],
    )
    .await;
    assert_eq!(s, S::BAD_REQUEST);
    // Only the zone's staff issue.
    for role in [Role::Council, Role::Partner] {
        let mut c = logged_in(&app, Some(role)).await;
        let csrf = form_csrf(&c.get("/z/demo-bdm/reports").await.body);
        let a = c
            .post(
                "/z/demo-bdm/reports",
                &[("csrf", &csrf), ("kind", "jaarverslag"), ("year", "2025")],
            )
            .await;
        assert_eq!(a.status, S::FORBIDDEN, "{role:?}");
    }
    // Who downloads what: public, administrator, chief, analyst, wijkinspecteur, council, partner.
    let (ok, no, login) = (S::OK, S::FORBIDDEN, S::SEE_OTHER);
    let expected: [[StatusCode; 7]; 5] = [
        [login, ok, ok, ok, no, ok, ok], // public edition
        [login, ok, ok, ok, no, ok, no], // the elected bodies' edition
        [login, ok, ok, ok, no, no, no], // Compstat book
        [login, ok, ok, ok, no, no, ok], // ocmw-mol's feedback report (the demo partner's)
        [login, ok, ok, ok, no, no, no], // another partner's
    ];
    let roles: [Option<Role>; 7] = [
        None,
        Some(Role::Administrator),
        Some(Role::Chief),
        Some(Role::Analyst),
        Some(Role::Wijkinspecteur),
        Some(Role::Council),
        Some(Role::Partner),
    ];
    for (i, role) in roles.iter().enumerate() {
        let mut c = logged_in(&app, *role).await;
        for (k, id) in ids.iter().enumerate() {
            let a = c.get(&format!("/z/demo-bdm/reports/{id}")).await;
            assert_eq!(a.status, expected[k][i], "report {k} as {role:?}");
            if a.status == S::OK {
                assert_eq!(a.headers[header::CONTENT_TYPE], "application/pdf");
                assert!(a.body.starts_with("%PDF-"));
            }
            // The public URL serves the public edition alone, to anyone.
            let p = c.get(&format!("/public/demo-bdm/reports/{id}")).await;
            assert_eq!(
                p.status,
                if k == 0 { S::OK } else { S::NOT_FOUND },
                "public {k} as {role:?}"
            );
        }
        if *role == Some(Role::Partner) {
            let list = c.get("/z/demo-bdm/reports").await.body;
            assert!(list.contains(&format!("/z/demo-bdm/reports/{}\"", ids[3])));
            assert!(!list.contains(&format!("/z/demo-bdm/reports/{}\"", ids[4])));
            assert!(!list.contains(&format!("/z/demo-bdm/reports/{}\"", ids[2])));
        }
    }
    let log = app.store.audit_log(1000).await.unwrap();
    assert!(log.iter().filter(|l| l.action == "report.issue").count() == 5);
    assert!(log.iter().any(|l| l.action == "export"
        && l.detail.starts_with("report ")
        && l.username.as_deref() == Some("council")));

    // The feed announces the public edition and the open data at stable URLs.
    let mut public_client = logged_in(&app, None).await;
    let feed = public_client.get("/public/demo-bdm/feed.atom").await;
    assert!(
        feed.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(
        feed.body
            .contains(&format!("/public/demo-bdm/reports/{}", ids[0]))
    );
    assert!(
        !feed
            .body
            .contains(&format!("/public/demo-bdm/reports/{}\"", ids[1]))
    );
    assert!(feed.body.contains("/api/v1/public/demo-bdm/open-data.json"));

    // Open data: JSON with the CSV's lines, a dictionary naming every column, a licence.
    let j: serde_json::Value = serde_json::from_str(
        &public_client
            .get("/api/v1/public/demo-bdm/open-data.json")
            .await
            .body,
    )
    .unwrap();
    let csv = public_client
        .get("/api/v1/public/demo-bdm/open-data.csv")
        .await;
    assert!(
        csv.headers[header::LINK]
            .to_str()
            .unwrap()
            .contains("dictionary.json")
    );
    let mut lines = csv.body.lines();
    let header_line = lines.next().unwrap();
    let names: Vec<&str> = j["dictionary"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.join(","), header_line);
    assert!(
        j["dictionary"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["description"].as_str().unwrap().starts_with("od-field"))
    );
    assert_eq!(j["rows"].as_array().unwrap().len(), lines.count());
    assert_eq!(j["licence"]["name"], "CC BY 4.0");
    for r in j["rows"].as_array().unwrap() {
        match r["status"].as_str().unwrap() {
            "shown" => assert!(r["count"].as_u64().unwrap() >= 5),
            _ => assert!(r["count"].is_null()),
        }
    }

    // Feedback: the partner remarks on its own action only; the zone answers once.
    let mut partner = logged_in(&app, Some(Role::Partner)).await;
    let page = partner.get("/z/demo-bdm/partner").await;
    assert_eq!(page.status, S::OK);
    assert!(
        page.body.contains("A4.2") && !page.body.contains("A2.1"),
        "its own actions only"
    );
    let csrf = form_csrf(&page.body);
    let a = partner
        .post(
            "/z/demo-bdm/partner/feedback",
            &[
                ("csrf", &csrf),
                ("action", "A4.2"),
                ("body", "Kan het overleg naar maart?"),
            ],
        )
        .await;
    assert_eq!(a.status, S::SEE_OTHER);
    let a = partner
        .post(
            "/z/demo-bdm/partner/feedback",
            &[
                ("csrf", &csrf),
                ("action", "A2.1"),
                ("body", "Niet onze actie"),
            ],
        )
        .await;
    assert_eq!(a.status, S::FORBIDDEN);
    let a = partner
        .post(
            "/z/demo-bdm/partner/feedback",
            &[("csrf", &csrf), ("action", "A4.2"), ("body", "  ")],
        )
        .await;
    assert_eq!(a.status, S::BAD_REQUEST);
    let analyst_csrf = form_csrf(&analyst.get("/z/demo-bdm/feedback").await.body);
    let a = analyst
        .post(
            "/z/demo-bdm/partner/feedback",
            &[("csrf", &analyst_csrf), ("action", "A4.2"), ("body", "x")],
        )
        .await;
    assert_eq!(a.status, S::FORBIDDEN, "only partners leave remarks");
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let remarks = app
        .store
        .feedback(z.id, &plan_code(&app).await, None)
        .await
        .unwrap();
    assert_eq!(remarks.len(), 1);
    let page = analyst.get("/z/demo-bdm/feedback").await;
    assert!(page.body.contains("Kan het overleg naar maart?"));
    let acsrf = form_csrf(&page.body);
    let path = format!("/z/demo-bdm/feedback/{}", remarks[0].id);
    let a = analyst
        .post(&path, &[("csrf", &acsrf), ("answer", "Ja, op 12 maart.")])
        .await;
    assert_eq!(a.status, S::SEE_OTHER);
    let a = analyst
        .post(&path, &[("csrf", &acsrf), ("answer", "Toch niet.")])
        .await;
    assert_eq!(a.status, S::BAD_REQUEST, "answered once");
    let mut council_c = logged_in(&app, Some(Role::Council)).await;
    let ccsrf = form_csrf(&council_c.get("/z/demo-bdm/reports").await.body);
    assert_eq!(
        council_c
            .post(&path, &[("csrf", &ccsrf), ("answer", "x")])
            .await
            .status,
        S::FORBIDDEN
    );
    let page = partner.get("/z/demo-bdm/partner").await;
    assert!(
        page.body.contains("Ja, op 12 maart."),
        "the partner reads the answer"
    );
    let log = app.store.audit_log(2000).await.unwrap();
    assert_eq!(log.iter().filter(|l| l.action == "feedback").count(), 1);
    assert_eq!(
        log.iter().filter(|l| l.action == "feedback.answer").count(),
        1
    );
}

async fn plan_code(app: &App) -> String {
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    app.store.plans(z.id).await.unwrap().remove(0).code
}

#[tokio::test]
async fn every_new_form_answers_each_role_as_the_policy_says() {
    use StatusCode as S;
    let app = app().await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let plan = plan_code(&app).await;
    let audit = veilig_store::AuditEntry::default();
    // Roles: public, administrator, chief, analyst, wijkinspecteur, council, partner.
    let roles: [Option<Role>; 7] = [
        None,
        Some(Role::Administrator),
        Some(Role::Chief),
        Some(Role::Analyst),
        Some(Role::Wijkinspecteur),
        Some(Role::Council),
        Some(Role::Partner),
    ];
    let (done, no, login) = (S::SEE_OTHER, S::FORBIDDEN, S::SEE_OTHER);
    let issue_expected = [login, done, done, done, no, no, no];
    let remark_expected = [login, no, no, no, no, no, done];
    let answer_expected = [login, done, done, done, no, no, no];
    for (i, role) in roles.iter().enumerate() {
        let mut c = logged_in(&app, *role).await;
        let csrf = if role.is_some() {
            form_csrf(&c.get("/public/demo-bdm").await.body) // the logout form
        } else {
            c.csrf().await
        };
        let before = app.store.issued_reports(z.id).await.unwrap().len();
        let a = c
            .post(
                "/z/demo-bdm/reports",
                &[("csrf", &csrf), ("kind", "plan"), ("year", "2026")],
            )
            .await;
        assert_eq!(a.status, issue_expected[i], "issue as {role:?}");
        let after = app.store.issued_reports(z.id).await.unwrap().len();
        assert_eq!(
            after - before,
            usize::from((1..=3).contains(&i)),
            "{role:?}"
        );
        let remarks = app.store.feedback(z.id, &plan, None).await.unwrap().len();
        let a = c
            .post(
                "/z/demo-bdm/partner/feedback",
                &[("csrf", &csrf), ("action", "A4.2"), ("body", "Een vraag")],
            )
            .await;
        assert_eq!(a.status, remark_expected[i], "remark as {role:?}");
        assert_eq!(
            app.store.feedback(z.id, &plan, None).await.unwrap().len() - remarks,
            usize::from(i == 6)
        );
        let open = app
            .store
            .add_feedback(
                z.id,
                &plan,
                "A4.2",
                "ocmw-mol",
                "partner",
                "Open vraag",
                &audit,
            )
            .await
            .unwrap();
        let a = c
            .post(
                &format!("/z/demo-bdm/feedback/{open}"),
                &[("csrf", &csrf), ("answer", "Antwoord")],
            )
            .await;
        assert_eq!(a.status, answer_expected[i], "answer as {role:?}");
        let answered = app
            .store
            .feedback(z.id, &plan, None)
            .await
            .unwrap()
            .into_iter()
            .find(|f| f.id == open)
            .unwrap()
            .answer
            .is_some();
        assert_eq!(answered, (1..=3).contains(&i), "{role:?}");
    }
}

/// The priority matrix is computed once per data version and policy-cycle state: a second
/// request reads it from the cache, and a new decision of the zonal security council shows
/// at once (the cache key follows the decisions, inputs, indicators and plans).
#[tokio::test]
async fn the_cached_matrix_follows_a_new_decision_at_once() {
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let url = "/api/v1/zones/demo-bdm/plan/matrix?from=2025-01-01&to=2025-12-31";
    let row = |v: &serde_json::Value, code: &str| {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["phenomenon"] == code)
            .cloned()
            .unwrap()
    };
    let before: serde_json::Value = serde_json::from_str(&c.get(url).await.body).unwrap();
    let undecided = before["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["decision"].is_null())
        .expect("a phenomenon without a decision")["phenomenon"]
        .as_str()
        .unwrap()
        .to_string();
    let again: serde_json::Value = serde_json::from_str(&c.get(url).await.body).unwrap();
    assert_eq!(before, again, "the same figures from the cache");
    veilig_query::plan::decide(
        &app.store,
        &zone,
        &veilig_store::NewDecision {
            zone_id: zone.id,
            meeting: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            subject: undecided.clone(),
            title: "Nieuw aandachtspunt".into(),
            kind: "bijzonder-aandachtspunt".into(),
            domain: "external".into(),
            outcome: "adopted".into(),
            rationale: "test".into(),
            decided_by: "ZVR".into(),
            recorded_by: Some("analist".into()),
        },
        chrono::NaiveDate::from_ymd_opt(2026, 6, 2).unwrap(),
        &veilig_store::AuditEntry::default(),
    )
    .await
    .unwrap();
    let after: serde_json::Value = serde_json::from_str(&c.get(url).await.body).unwrap();
    assert!(
        !row(&after, &undecided)["decision"].is_null(),
        "the new decision shows at once"
    );
}
