//! Following the plan (issue 14's bars): indicators with baseline, target, measurements and
//! verdict, their latest value equal to `veilig picture`'s; an import revises exactly the
//! measurements whose inputs changed; the problem file on the demo's guarded bike parking
//! finds a reduction beyond its comparison area, one without an intervention does not; bad
//! input refused with nothing stored; Compstat decisions stay on the agenda until closed.

use crate::common;

use common::{data, json, run};
use serde_json::Value;

fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    (dir, db)
}

fn indicators(db: &str) -> Vec<Value> {
    json(&run(
        db,
        &["plan", "indicators", "--zone", "demo-bdm", "--json"],
    ))["indicators"]
        .as_array()
        .unwrap()
        .clone()
}

/// (indicator, period start, revision) of every measurement.
fn revisions(ind: &[Value]) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    for i in ind {
        for m in i["measurements"].as_array().unwrap() {
            out.push((
                i["code"].as_str().unwrap().to_string(),
                m["period_start"].as_str().unwrap().to_string(),
                m["revision"].as_i64().unwrap(),
            ));
        }
    }
    out
}

fn fails_with(db: &str, args: &[&str], needle: &str) {
    let out = run(db, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(err.contains(needle), "{args:?}: {err}");
}

#[test]
fn indicators_measure_themselves_and_imports_revise_only_what_changed() {
    let (dir, db) = demo();
    let ind = indicators(&db);
    assert!(ind.len() >= 8);
    for i in &ind {
        for k in ["baseline", "target", "measurements", "verdict"] {
            assert!(i.get(k).is_some(), "{} has no {k}", i["code"]);
        }
        assert!(
            [
                "on-track",
                "off-track",
                "not-yet-measurable",
                "too-few-events"
            ]
            .contains(&i["verdict"].as_str().unwrap())
        );
    }
    // The zone's burglaries: the latest year equals veilig picture's count for 2025.
    let sd1 = ind.iter().find(|i| i["code"] == "I-SD1").unwrap();
    assert_eq!(sd1["progress"]["latest_period_end"], "2025-12-31");
    let pic = json(&run(
        &db,
        &[
            "picture",
            "--zone",
            "demo-bdm",
            "--phenomenon",
            "woninginbraak",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--json",
        ],
    ));
    assert_eq!(
        sd1["progress"]["latest"].as_f64().unwrap(),
        pic["count"].as_f64().unwrap()
    );
    let base = json(&run(
        &db,
        &[
            "picture",
            "--zone",
            "demo-bdm",
            "--phenomenon",
            "woninginbraak",
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
            "--json",
        ],
    ));
    assert_eq!(
        sd1["baseline"]["value"].as_f64().unwrap(),
        base["count"].as_f64().unwrap()
    );
    // Three years of measurements (quarters from 2024 to 2026).
    let q = ind.iter().find(|i| i["code"] == "I-SD1-MOL").unwrap();
    let periods: Vec<&str> = q["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["period_start"].as_str().unwrap())
        .collect();
    assert!(
        periods.contains(&"2024-01-01") && periods.contains(&"2026-07-01"),
        "{periods:?}"
    );
    // Entered by hand, marked so.
    let manual = ind.iter().find(|i| i["code"] == "I-OD2.1").unwrap();
    assert!(
        manual["measurements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["origin"] == "entered")
    );
    // Drugs rise against a falling target: off track.
    assert_eq!(
        ind.iter().find(|i| i["code"] == "I-SD3").unwrap()["verdict"],
        "off-track"
    );

    // Three burglaries in Mol in May 2025 arrive: the zone's 2025 and Mol's second quarter of
    // 2025 get a new revision, nothing else.
    let before = revisions(&ind);
    let csv = dir.path().join("extra.csv");
    std::fs::write(
        &csv,
        "PV-nummer;Feit;Begin feiten;Einde feiten;Registratie;Straat;Huisnummer;Gemeente;X;Y;Afhandeling\n\
         EXTRA.1;Diefstal in woning;12/05/2025 01:47;12/05/2025 02:41;12/05/2025 09:15;Rozenberg;110;Mol;204743,75;210569,68;\n\
         EXTRA.2;Diefstal in woning;13/05/2025 01:47;13/05/2025 02:41;13/05/2025 09:15;Rozenberg;112;Mol;204750,75;210560,68;\n\
         EXTRA.3;Diefstal in woning;14/05/2025 01:47;14/05/2025 02:41;14/05/2025 09:15;Rozenberg;114;Mol;204760,75;210550,68;\n",
    )
    .unwrap();
    let mapping = data("belgian-export.toml");
    let out = run(
        &db,
        &[
            "import",
            "incidents",
            "--source",
            "generic",
            "--mapping",
            mapping.to_str().unwrap(),
            "--zone",
            "demo-bdm",
            csv.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 indicator measurements revised"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after_ind = indicators(&db);
    let after = revisions(&after_ind);
    let new: Vec<&(String, String, i64)> = after.iter().filter(|r| !before.contains(r)).collect();
    assert_eq!(
        new,
        [
            &("I-SD1".to_string(), "2025-01-01".to_string(), 2),
            &("I-SD1-MOL".to_string(), "2025-04-01".to_string(), 2)
        ]
    );
    // The old revision is kept beside the new one.
    let sd1 = after_ind.iter().find(|i| i["code"] == "I-SD1").unwrap();
    let y2025: Vec<f64> = sd1["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["period_start"] == "2025-01-01")
        .map(|m| m["value"].as_f64().unwrap())
        .collect();
    assert_eq!(
        y2025,
        [
            pic["count"].as_f64().unwrap(),
            pic["count"].as_f64().unwrap() + 3.0
        ]
    );
    // Nothing changed: a refresh writes nothing.
    let r = json(&run(
        &db,
        &["plan", "refresh", "--zone", "demo-bdm", "--json"],
    ));
    assert_eq!(r["changes"].as_array().unwrap().len(), 0);
}

mod problems;
