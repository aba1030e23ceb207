//! Following the plan in the browser, and the cached matrix after a new decision.

use axum::http::StatusCode;
use veilig_domain::Role;

use super::common::*;
use super::routes::area_codes;

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
    // The agenda is of the last month the data cover (October 2026; the data end on its
    // last day), not of November, which holds no record; its method is said in Dutch.
    assert!(
        r.body.contains("value=\"2026-10-01\""),
        "the agenda's month"
    );
    assert!(r.body.contains("Opgesteld door Veilig") && !r.body.contains("Drafted by"));
    // The agenda's places in words and on a map beside it: phenomena by their names, each
    // cell and series by the wijk that holds it, the wijken named on the map.
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let agenda = &r.body[r.body.find("<div class=\"agenda\">").unwrap()..];
    let agenda = &agenda[..agenda.find("<h2>").unwrap()];
    assert!(!agenda.contains("<code>"), "no raw codes in the agenda");
    let at = agenda
        .find("id=\"hotspots\"")
        .or(agenda.find("id=\"series\""))
        .unwrap_or_else(|| panic!("the demo month has hot cells or series: {agenda}"));
    let hot = &agenda[at..];
    let first = &hot[hot.find("<li>").unwrap() + 4..hot.find("</li>").unwrap()];
    let wijken = app.store.areas(z.id).await.unwrap();
    assert!(
        wijken
            .iter()
            .any(|a| first.contains(&format!(" in {}:", a.name))),
        "a hot cell by its wijk: {first}"
    );
    let map = &agenda[agenda
        .find("<figure class=\"chart agenda-map\">")
        .expect("a map")..];
    assert!(map.contains("significant meer feiten dan een jaar eerder"));
    assert!(
        wijken
            .iter()
            .all(|a| map.contains(&format!(">{}</text>", a.name)))
    );
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
