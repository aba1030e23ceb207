//! The plan's changes in the browser, as the policy and the checks allow.

use axum::http::StatusCode;
use veilig_domain::Role;

use super::common::*;

pub(crate) async fn plan_doc(app: &App) -> serde_json::Value {
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    // The demo's current plan (the one before it, 2020-2025, was made first).
    let p = app.store.plans(z.id).await.unwrap().pop().unwrap();
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
    // A refused decision says why in the reader's language, not in the check's English.
    let mut f = decision(form_csrf(&shown.body));
    f[1].1 = "2099-01-01".into();
    let fields: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let refused = council.post("/z/demo-bdm/plan/decide", &fields).await;
    assert_eq!(refused.status, S::BAD_REQUEST);
    assert!(
        refused.body.contains("ligt in de toekomst")
            && !refused.body.contains("lies in the future"),
        "{}",
        refused.body
    );

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
    // Said in Dutch, without the command line's words.
    assert!(
        frozen
            .body
            .contains("kan niet meer wijzigen: begin een addendum")
    );
    assert!(!frozen.body.contains("veilig plan addendum"));
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
    // Named as people write it, never by its code.
    assert!(p.body.contains("A4.1") && p.body.contains("OCMW Mol"));
    assert!(!p.body.contains("ocmw-mol"));
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
