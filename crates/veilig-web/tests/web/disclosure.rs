//! What partners and the public receive: no records, locations or small counts; the figure cache publishes the same figures when it evicts.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use veilig_domain::Role;

use super::common::*;

/// Every number-valued field that is a count, anywhere in a JSON answer.
pub(crate) fn json_counts(v: &serde_json::Value, key: &str, out: &mut Vec<(String, f64)>) {
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
            if path.ends_with(".csv") {
                // The open data as a table: the same lines as open-data.json, which the
                // public page also links and this walk checks.
                continue;
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
