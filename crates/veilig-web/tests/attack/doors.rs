//! The side doors of issue 26: plan snapshots, survey comparisons, periods before the data,
//! derived statistics beside hidden counts, and the reader on PostgreSQL through API tokens.

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::Value;

use super::common::*;
use super::reader::*;
use veilig_domain::Role;
use veilig_web::Config;

/// Door 1 of issue 26: a plan's security snapshot holds exact counts over any period the
/// analyst chose. A council member (session or API token) gets the plan without them; the
/// analyst keeps them. March 2025 has phenomena with 1 to 4 facts, so the door was open.
#[tokio::test]
async fn a_plan_snapshot_gives_an_aggregate_reader_no_count() {
    use veilig_query::plan as qp;
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let (from, to) = (
        NaiveDate::from_ymd_opt(YEAR, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(YEAR, 3, 31).unwrap(),
    );
    let m = qp::matrix(&app.store, &zone, &qp::MatrixOptions::builtin(from, to))
        .await
        .unwrap();
    assert!(
        m.rows.iter().any(|r| r.count > 0 && r.count < THRESHOLD),
        "a small count in the snapshot"
    );
    let today = chrono::Utc::now().date_naive();
    let plan = qp::find_plan(&app.store, &zone, "current", today)
        .await
        .unwrap();
    let view = qp::plan_view(&app.store, &zone, &plan, &veilig_plan::Procedure::builtin())
        .await
        .unwrap();
    assert!(view.editable, "the demo's addendum is a draft");
    qp::edit_plan(
        &app.store,
        &view,
        &veilig_store::AuditEntry::default(),
        |d| {
            d.snapshots.push(qp::security_snapshot(&m));
            Ok(())
        },
    )
    .await
    .unwrap();
    let snapshots =
        |v: &Value| -> Vec<Value> { v["snapshots"].as_array().cloned().unwrap_or_default() };
    // The analyst sees the snapshot's figures.
    let mut analyst = logged_in(&app, Some(Role::Analyst)).await;
    let full = json(&mut analyst, "/api/v1/zones/demo-bdm/plan")
        .await
        .unwrap();
    assert!(snapshots(&full).iter().any(|s| s["data"].is_array()));
    // The council member sees the snapshot's kind and period, never its figures.
    let mut council = logged_in(&app, Some(Role::Council)).await;
    let seen = json(&mut council, "/api/v1/zones/demo-bdm/plan")
        .await
        .unwrap();
    let s = snapshots(&seen);
    assert!(!s.is_empty(), "the snapshot is listed");
    assert!(s.iter().all(|s| s["data"].is_null()), "{s:?}");
    assert!(s.iter().any(|s| s["period_from"] == "2025-03-01"));
    // Nor through an API token of the council.
    let token = format!("vlg_{}", veilig_web::auth::random_token());
    app.store
        .create_api_token(
            &veilig_web::auth::token_hash(&token),
            "raad",
            zone.id,
            Role::Council,
            chrono::Utc::now().naive_utc() + chrono::Duration::days(1),
            &veilig_store::AuditEntry::default(),
        )
        .await
        .unwrap();
    let mut c = Client::new(&app);
    let a = c
        .send(
            axum::http::Request::get("/api/v1/zones/demo-bdm/plan")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let v: Value = serde_json::from_str(&a.body).unwrap();
    assert!(snapshots(&v).iter().all(|s| s["data"].is_null()));
    assert!(!a.body.contains("\"count\""));
}

/// Door 3 of issue 26: a survey comparison is shown only when both sides are. The page hides
/// an estimate as too uncertain; the difference beside it (with its interval) would give it
/// back, so a comparison with a hidden side shows its verdict only, on every survey view.
#[tokio::test]
async fn a_survey_comparison_with_a_hidden_side_shows_no_figure() {
    let app = app().await;
    for role in [Role::Council, Role::Partner, Role::Analyst] {
        let mut c = logged_in(&app, Some(role)).await;
        let page = c.get("/z/demo-bdm/survey").await;
        assert_eq!(page.status, StatusCode::OK);
        let items: Vec<&str> = page
            .body
            .split("<li>")
            .skip(1)
            .filter(|li| li.contains("class=\"verdict "))
            .map(|li| &li[..li.find("</li>").unwrap_or(li.len())])
            .collect();
        let withheld: Vec<&&str> = items
            .iter()
            .filter(|li| li.contains("te weinig respondenten om te besluiten"))
            .collect();
        assert!(
            !withheld.is_empty(),
            "{role:?}: a comparison with a hidden side"
        );
        for li in &withheld {
            assert!(!li.contains("procentpunt"), "{role:?}: {li}");
            assert!(!li.contains("interval"), "{role:?}: {li}");
        }
        // Comparisons whose sides are shown keep their figures.
        assert!(items.iter().any(|li| li.contains("procentpunt")));
    }
}

/// A period before the data is refused, not answered with a table of hidden zeros (which a
/// reader would take for "fewer than 5 each"), on the public API, the council's and the
/// public page.
#[tokio::test]
async fn a_period_before_the_data_is_refused() {
    let app = app().await;
    let mut public = logged_in(&app, None).await;
    let mut council = logged_in(&app, Some(Role::Council)).await;
    for year in [1990, 2010, 2018] {
        let q = format!("from={year}-01-01&to={year}-12-31");
        for (council_view, path) in [
            (false, format!("/api/v1/public/{ZONE}?{q}")),
            (false, format!("/public/{ZONE}?{q}")),
            (true, format!("/api/v1/zones/{ZONE}/overview?{q}")),
            (true, format!("/z/{ZONE}?{q}")),
        ] {
            let c = if council_view {
                &mut council
            } else {
                &mut public
            };
            let a = c.get(&path).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{path}");
        }
    }
    // The demo's first year is answered.
    let a = public
        .get(&format!(
            "/api/v1/public/{ZONE}?from=2019-01-01&to=2019-12-31"
        ))
        .await;
    assert_eq!(a.status, StatusCode::OK);
}

/// Derived statistics never stand beside a hidden count: where the council's or the public's
/// answer hides a count (or the count it is compared with), its change, p-value, verdict and
/// rate are withheld too, for every publication period of the year.
#[tokio::test]
async fn no_derived_statistic_stands_beside_a_hidden_count() {
    let app = app().await;
    let mut council = logged_in(&app, Some(Role::Council)).await;
    let mut periods: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let end_of = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1)
            .unwrap()
            .pred_opt()
            .unwrap()
    };
    for m in 1..=12 {
        periods.push((
            NaiveDate::from_ymd_opt(YEAR, m, 1).unwrap(),
            end_of(YEAR, m),
        ));
    }
    for q in 0..4 {
        periods.push((
            NaiveDate::from_ymd_opt(YEAR, q * 3 + 1, 1).unwrap(),
            end_of(YEAR, q * 3 + 3),
        ));
    }
    periods.push((
        NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(YEAR, 12, 31).unwrap(),
    ));
    let (mut hidden, mut checked) = (0, 0);
    for (s, e) in periods {
        let v = json(
            &mut council,
            &format!("/api/v1/zones/{ZONE}/overview?from={s}&to={e}"),
        )
        .await
        .unwrap_or_else(|| panic!("{s}..{e} is a publication period"));
        for r in v["phenomena"].as_array().unwrap() {
            checked += 1;
            let what = format!("{} {s}..{e}", r["code"]);
            if r["count"].is_null() || r["baseline"].is_null() {
                hidden += 1;
                assert!(
                    r["change_pct"].is_null(),
                    "{what}: a change beside a hidden count"
                );
                assert!(
                    r["p_value"].is_null(),
                    "{what}: a p-value beside a hidden count"
                );
                assert_eq!(r["verdict"], "withheld", "{what}");
            }
            if r["count"].is_null() {
                assert!(
                    r["zone_rate_per_1000"].is_null(),
                    "{what}: a rate gives it back"
                );
            }
            for m in r["monthly"].as_array().unwrap() {
                if let Some(n) = m[1].as_u64() {
                    assert!(n >= THRESHOLD, "{what}: a month of {n}");
                }
            }
        }
    }
    assert!(
        hidden > 10,
        "{hidden} of {checked} rows with a hidden count"
    );
}

/// Three incidents of 2025 in no wijk (a late batch): every table of that
/// year gets its not-located cell.
async fn add_outside_every_wijk(app: &App) {
    let at = |m, d| {
        NaiveDate::from_ymd_opt(YEAR, m, d)
            .unwrap()
            .and_hms_opt(22, 0, 0)
            .unwrap()
    };
    let rows: Vec<_> = [(3, 2), (7, 14), (11, 20)]
        .iter()
        .map(|&(m, d)| (at(m, d), "woninginbraak".to_string(), None))
        .collect();
    super::revisions::late_batch(app, "buiten-de-wijken", &rows).await;
}

/// The same reader on PostgreSQL, through the council's and the partner's API tokens, with
/// incidents outside every wijk (so the not-located cell is in every table of the year):
/// it recovers no count under the threshold.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_through_tokens_with_incidents_outside_every_wijk_the_reader_recovers_nothing()
{
    let Some(app) = postgres_app(Config::default()).await else {
        return;
    };
    add_outside_every_wijk(&app).await;
    let mut p = logged_in(&app, None).await;
    let v = json(
        &mut p,
        &format!("/api/v1/public/{ZONE}?from={YEAR}-01-01&to={YEAR}-12-31"),
    )
    .await
    .unwrap();
    assert_eq!(
        v["not_located_column"], true,
        "the not-located cell is there"
    );
    for view in [View::Public, View::Council, View::Partner] {
        let (answered, recovered) = attack_with(&app, view, 1..=365, true).await;
        assert!(answered >= 1, "{view:?}: nothing answered");
        assert!(
            recovered.is_empty(),
            "{view:?} on PostgreSQL: {} small counts recovered, e.g. {:?}",
            recovered.len(),
            &recovered[..recovered.len().min(5)]
        );
        eprintln!(
            "{view:?} on PostgreSQL through a token: {answered} periods answered, 0 recovered"
        );
    }
}

/// Door 3, its other half: a survey estimate hidden under the small-sample rule must not
/// follow from the zone's estimate and the other municipalities' (the zone's is their
/// weighted mean, and the weights' totals are the populations they are calibrated to). In
/// every wave and indicator of the demo, the zone and its municipalities never have exactly
/// one hidden estimate; the small-sample rule alone leaves such groups (so this can fail).
#[tokio::test]
async fn no_hidden_survey_estimate_follows_from_the_zone_and_the_others() {
    use veilig_query::survey::{Unit, indicators, load_wave, waves};
    use veilig_survey::{Presentation, SmallSample};
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let rule = SmallSample::builtin();
    let (mut groups, mut single_by_rule, mut complementary) = (0, 0, 0);
    for (survey, wave, _) in waves(&app.store, &zone).await.unwrap() {
        let w = load_wave(&app.store, &zone, &survey, &wave).await.unwrap();
        let all = indicators(&w, &rule, 0.95).unwrap();
        let mut codes: Vec<&str> = all.iter().map(|e| e.indicator.as_str()).collect();
        codes.sort();
        codes.dedup();
        for code in codes {
            let group: Vec<_> = all
                .iter()
                .filter(|e| e.indicator == code)
                .filter(|e| matches!(e.unit, Unit::Zone | Unit::Municipality(_)))
                .collect();
            let hidden = group.iter().filter(|e| !e.presentation.shown()).count();
            let by_rule = group
                .iter()
                .filter(|e| {
                    !e.presentation.shown() && e.presentation != Presentation::SuppressComplementary
                })
                .count();
            complementary += hidden - by_rule;
            assert_ne!(
                hidden, 1,
                "{survey} {wave} {code}: one hidden estimate among the zone and its municipalities"
            );
            single_by_rule += usize::from(by_rule == 1);
            groups += 1;
        }
    }
    assert!(groups > 10, "{groups} groups");
    assert!(
        single_by_rule > 0 && complementary > 0,
        "the small-sample rule alone leaves a lone hidden estimate ({single_by_rule}), and a second is hidden with it ({complementary})"
    );
    // The survey page says why, in words.
    let mut c = logged_in(&app, Some(Role::Council)).await;
    let page = c.get("/z/demo-bdm/survey").await.body;
    assert!(page.contains("verborgen zodat een ander verborgen cijfer niet af te leiden is"));
}
