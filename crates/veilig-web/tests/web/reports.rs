//! Reports, partners' feedback and open data as the policy says.

use axum::http::{StatusCode, header};
use veilig_domain::Role;

use super::common::*;
use super::routes::plan_code;

/// Issues a report as the analyst through the form; returns its id.
pub(crate) async fn issue(
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

    // The public page links every publication: the public jaarverslag and, once issued, the
    // public ZVP, the open data with its dictionary and the feed; never another edition. It
    // names the approved plan's priorities with their verdicts in words.
    let (s, zvp) = issue(
        &app,
        &mut analyst,
        &[("kind", "plan"), ("year", "2026"), ("public", "1")],
    )
    .await;
    assert_eq!(s, S::SEE_OTHER);
    let page = public_client.get("/public/demo-bdm").await.body;
    for href in [
        format!("/public/demo-bdm/reports/{}\"", ids[0]),
        format!("/public/demo-bdm/reports/{}\"", zvp.unwrap()),
        "/api/v1/public/demo-bdm/open-data.json".into(),
        "/public/demo-bdm/feed.atom".into(),
    ] {
        assert!(page.contains(&href), "the public page lacks {href}");
    }
    assert!(!page.contains(&format!("/reports/{}\"", ids[1])));
    assert!(page.contains("Jaarverslag 2025") && page.contains("De prioriteiten van de zone"));
    assert!(
        page.contains("op koers:"),
        "the priorities' verdicts in words"
    );

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
