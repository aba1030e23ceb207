//! Issue 23: the overview opens with what needs attention. For the analyst it names every
//! phenomenon the overview (and so `veilig picture`, see the consistency suite) calls
//! significantly higher or lower, largest change first, and every plan indicator off track;
//! the table lists the phenomena that moved first. The council's list holds only what the
//! council may see (no withheld verdict, no Compstat decision).

use axum::http::StatusCode;
use veilig_domain::Role;

use super::common::*;

/// The attention section of a page.
fn section(body: &str) -> &str {
    let at = body
        .find("<section class=\"attention\"")
        .expect("the attention list");
    let end = at + body[at..].find("</section>").expect("its end");
    &body[at..end]
}

#[tokio::test]
async fn the_overview_opens_with_what_needs_attention() {
    let app = app().await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    // A year with significant changes.
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    );
    let page = c.get("/z/demo-bdm?from=2025-01-01&to=2025-12-31").await;
    assert_eq!(page.status, StatusCode::OK);
    let list = section(&page.body);
    assert!(list.contains("Wat aandacht vraagt"), "{list}");
    let cache = veilig_web::figures::Cache::default();
    let rules = veilig_disclosure::Rules::builtin();
    let figs = veilig_web::figures::ZoneFigures::new(&cache, &app.store, &z, &rules)
        .await
        .unwrap();
    let o = figs
        .overview(
            veilig_analysis::Period::new(from, to),
            &veilig_web::figures::Access::Full,
        )
        .await
        .unwrap();
    let significant: Vec<_> = o
        .phenomena
        .iter()
        .filter(|p| {
            matches!(
                p.verdict,
                veilig_analysis::Verdict::SignificantlyHigher
                    | veilig_analysis::Verdict::SignificantlyLower
            )
        })
        .collect();
    assert!(!significant.is_empty(), "the demo has significant changes");
    for p in &significant {
        assert!(
            list.contains(&format!("/z/demo-bdm/p/{}?", p.code)),
            "{} is significant but not in the attention list",
            p.code
        );
    }
    let status = veilig_query::monitor::status(&app.store, &z, veilig_query::plan::DEFAULT_RULES)
        .await
        .unwrap();
    let off: Vec<_> = status.iter().filter(|s| s.verdict == "off-track").collect();
    for s in &off {
        assert!(
            list.contains(&veilig_report::esc(&s.name)),
            "indicator {} is off track but not listed",
            s.code
        );
    }
    // The table: the phenomena that moved first.
    let table = &page.body[page.body.find("<tbody>").unwrap()..];
    let first = &table[..table.find("</tr>").unwrap()];
    assert!(
        first.contains("verdict up") || first.contains("verdict down"),
        "the first row moved: {first}"
    );
    // The council: phenomena with the verdicts it sees, indicators only with a disclosed
    // verdict, no Compstat decision.
    let mut council = logged_in(&app, Some(Role::Council)).await;
    let page = council.get("/z/demo-bdm").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let list = section(&page.body);
    assert!(!list.contains("Compstat"), "{list}");
    for s in &status {
        if s.disclosed_verdict(rules.threshold) == "withheld" {
            assert!(!list.contains(&veilig_report::esc(&s.name)), "{}", s.code);
        }
    }
}

/// The same idea per role: the wijkinspecteur's list is about the wijken they work in (and
/// says which), the partner's names the actions of this year its organisation takes part in,
/// each leading to the page where it says how they go.
#[tokio::test]
async fn each_role_sees_its_own_part_first() {
    let app = app().await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let first = app.store.areas(z.id).await.unwrap()[0].name.clone();
    let mut w = logged_in(&app, Some(Role::Wijkinspecteur)).await;
    let page = w.get("/z/demo-bdm").await;
    assert_eq!(page.status, StatusCode::OK);
    let list = section(&page.body);
    assert!(
        list.contains(&format!("Wat aandacht vraagt in uw wijken: {first}")),
        "{list}"
    );
    let mut p = logged_in(&app, Some(Role::Partner)).await;
    let page = p.get("/z/demo-bdm").await;
    let list = section(&page.body);
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let plan = veilig_query::plan::plan_named(
        &app.store,
        &z,
        "current",
        chrono::Local::now().date_naive(),
    )
    .await
    .unwrap()
    .1;
    let ours: Vec<_> = plan
        .document
        .actions
        .iter()
        .filter(|a| a.year == year && a.partners.iter().any(|r| r.partner == "ocmw-mol"))
        .collect();
    for a in &ours {
        assert!(
            list.contains(&format!("Uw actie {} ({year})", a.code)),
            "{} missing in {list}",
            a.code
        );
    }
    assert_eq!(list.matches("Uw actie ").count(), ours.len(), "{list}");
    if !ours.is_empty() {
        assert!(list.contains("href=\"/z/demo-bdm/partner\""));
    }
    // Nobody else sees a partner's lines.
    let mut a = logged_in(&app, Some(Role::Analyst)).await;
    assert!(!section(&a.get("/z/demo-bdm").await.body).contains("Uw actie"));
}
