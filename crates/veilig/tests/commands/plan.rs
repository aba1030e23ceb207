//! `veilig plan` and `veilig capacity allocate --plan` (issue 13's bars): the matrix agrees
//! with `veilig picture`, the demo plan and its allocation, the cycle from decision to
//! approval on the command line, and bad input refused with nothing changed.

use crate::common;

use common::{json, run};
use serde_json::Value;

fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    (dir, db)
}

fn fails_with(db: &str, args: &[&str], needle: &str) {
    let out = run(db, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(err.contains(needle), "{args:?}: {err}");
}

fn ok(db: &str, args: &[&str]) {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn close(a: &Value, b: &Value) {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{x} vs {y}"),
        _ => assert_eq!(a, b),
    }
}

#[test]
fn the_matrix_lists_every_phenomenon_with_the_pictures_own_figures() {
    let (_d, db) = demo();
    let (from, to) = ("2025-01-01", "2025-12-31");
    let m = json(&run(
        &db,
        &[
            "plan", "matrix", "--zone", "demo-bdm", "--from", from, "--to", to, "--json",
        ],
    ));
    let rows = m["rows"].as_array().unwrap();
    let status = json(&run(&db, &["status", "--zone", "demo-bdm", "--json"]));
    let mut codes: Vec<&str> = status["zones"][0]["phenomena"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    let mut listed: Vec<&str> = rows
        .iter()
        .map(|r| r["phenomenon"].as_str().unwrap())
        .collect();
    codes.sort();
    listed.sort();
    assert_eq!(listed, codes, "every phenomenon of the zone, once");
    let mut ranks: Vec<u64> = rows.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    ranks.sort();
    assert_eq!(ranks, (1..=rows.len() as u64).collect::<Vec<_>>());
    assert!(m.get("total").is_none() && !rows.iter().any(|r| r["phenomenon"] == "total"));
    assert!(m["method"]["weights"]["harm"].is_number());
    assert_eq!(m["method"]["harm"]["status"], "assumption");
    assert_eq!(
        m["sensitivity"].as_array().unwrap().len(),
        14,
        "7 weights x (-25 %, +25 %)"
    );
    for r in rows {
        let p = r["phenomenon"].as_str().unwrap();
        let pic = json(&run(
            &db,
            &[
                "picture",
                "--zone",
                "demo-bdm",
                "--phenomenon",
                p,
                "--from",
                from,
                "--to",
                to,
                "--json",
            ],
        ));
        assert_eq!(r["count"], pic["count"], "{p}");
        close(&r["rate_per_1000"], &pic["zone"]["rate_per_1000"]);
        close(
            &r["criteria"]["rate"]["value"],
            &pic["zone"]["rate_per_1000"],
        );
        assert_eq!(r["verdict"], pic["comparison"]["verdict"], "{p}");
        close(&r["change_pct"], &pic["comparison"]["change_pct"]);
        close(&r["p_value"], &pic["comparison"]["p_value"]);
        if pic["trend"].is_null() {
            assert!(r["trend"].is_null(), "{p}");
        } else {
            close(
                &r["trend"]["annual_change_pct"],
                &pic["trend"]["annual_change_pct"],
            );
        }
        // Harm-weighted volume is the count times the harm table's days.
        let days = m["method"]["harm"]["days"][p].as_f64();
        close(
            &r["criteria"]["harm"]["value"],
            &days.map_or(Value::Null, |d| (d * pic["count"].as_f64().unwrap()).into()),
        );
        assert!(
            r["evidence"]
                .as_str()
                .unwrap()
                .starts_with("veilig picture --zone demo-bdm")
        );
        assert!(
            r["rank_best"].as_u64() <= r["rank"].as_u64()
                && r["rank"].as_u64() <= r["rank_worst"].as_u64()
        );
    }
    // The survey and the reference plans are in the evidence where linked.
    let burglary = rows
        .iter()
        .find(|r| r["phenomenon"] == "woninginbraak")
        .unwrap();
    assert_eq!(burglary["survey"]["indicator"], "slachtoffer-inbraak");
    assert_eq!(burglary["survey"]["wave"], "2024");
    assert!(
        burglary["alignment"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["plan"] == "nvp-2022-2025" && a["item"] == "4")
    );
    assert_eq!(
        burglary["decision"]["outcome"], "adopted",
        "the demo ZVR chose it"
    );
    assert!(burglary["calls"]["share"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_demo_plan_and_its_allocation() {
    let (_d, db) = demo();
    let v = json(&run(&db, &["plan", "show", "--zone", "demo-bdm", "--json"]));
    assert_eq!(v["synthetic"], true);
    assert_eq!(v["status"], "draft", "the addendum is in draft");
    assert_eq!(v["version"], 2);
    assert!(v["priorities"].as_array().unwrap().len() >= 4);
    assert!(v["objectives"].as_array().unwrap().len() >= 8);
    assert!(v["actions"].as_array().unwrap().len() >= 8);
    let first = &v["versions"][0];
    assert_eq!(first["standing"]["status"], "approved");
    assert_eq!(first["steps"].as_array().unwrap().len(), 5);
    let a = json(&run(
        &db,
        &[
            "capacity", "allocate", "--zone", "demo-bdm", "--plan", "current", "--json",
        ],
    ));
    assert_eq!(a["plan"]["code"], "zvp-2026-2031");
    let actions = a["actions"].as_array().unwrap();
    let in_year = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["year"] == a["plan"]["year"])
        .count();
    assert_eq!(actions.len(), in_year);
    for x in actions {
        assert!(x["allocated"].as_f64().unwrap() <= x["asked"].as_f64().unwrap() + 1e-6);
        assert!(!x["competes_with_floors"].as_array().unwrap().is_empty() || x["name"].is_string());
    }
    let asked: f64 = a["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["asked"].as_f64().unwrap())
        .sum();
    let actions_asked: f64 = actions.iter().map(|p| p["asked"].as_f64().unwrap()).sum();
    assert!((asked - actions_asked).abs() < 1e-6);
    for s in a["allocation"]["stages"].as_array().unwrap() {
        assert_eq!(s["status"], "optimal");
    }
    // A partner account speaks for an organisation; other roles do not.
    ok(&db, &["user", "organisation", "partner", "ocmw-balen"]);
    fails_with(
        &db,
        &["user", "organisation", "analist", "ocmw-balen"],
        "only a partner account",
    );
    fails_with(
        &db,
        &["user", "organisation", "partner", "OCMW Balen!"],
        "organisation",
    );
    fails_with(
        &db,
        &[
            "capacity", "allocate", "--zone", "demo-bdm", "--plan", "current", "--year", "2035",
        ],
        "outside plan",
    );
}

mod cycle;
