//! Every route and every form as every role, as the policy says.

use axum::http::{StatusCode, header};
use veilig_domain::Role;

use super::common::*;

/// The areas of the demo: the wijkinspecteur has the first.
pub(crate) async fn area_codes(app: &App) -> (String, String) {
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

pub(crate) async fn plan_code(app: &App) -> String {
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    // The demo's current plan (the one before it, 2020-2025, was made first).
    app.store.plans(z.id).await.unwrap().pop().unwrap().code
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
        // The import's mapping form: only who may import (administrator, analyst) reaches it (and then finds no such
        // upload); the others are refused before any file is looked for.
        let m = c
            .post(
                "/z/demo-bdm/data/mapping",
                &[
                    ("csrf", &csrf),
                    ("id", &"0".repeat(64)),
                    ("source_name", "x"),
                ],
            )
            .await;
        let import_expected = [login, S::NOT_FOUND, no, S::NOT_FOUND, no, no, no];
        assert_eq!(m.status, import_expected[i], "mapping form as {role:?}");
        let after = app.store.issued_reports(z.id).await.unwrap().len();
        assert_eq!(
            after - before,
            usize::from((1..=3).contains(&i)),
            "{role:?}"
        );
        // The chief's foreword: written by the zone's staff only.
        let text = format!("Voorwoord {i}");
        let a = c
            .post(
                "/z/demo-bdm/reports/foreword",
                &[
                    ("csrf", &csrf),
                    ("kind", "jaarverslag"),
                    ("year", "2025"),
                    ("lang", "nl"),
                    ("body", &text),
                    ("signed", "K. Korpschef"),
                ],
            )
            .await;
        assert_eq!(a.status, issue_expected[i], "foreword as {role:?}");
        let kept = app
            .store
            .foreword(z.id, "jaarverslag", 2025, "nl")
            .await
            .unwrap();
        assert_eq!(
            kept.is_some_and(|f| f.body == text),
            (1..=3).contains(&i),
            "foreword as {role:?}"
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
