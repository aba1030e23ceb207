//! Following the plan (issue 14's bars): indicators with baseline, target, measurements and
//! verdict, their latest value equal to `veilig picture`'s; an import revises exactly the
//! measurements whose inputs changed; the problem file on the demo's guarded bike parking
//! finds a reduction beyond its comparison area, one without an intervention does not; bad
//! input refused with nothing stored; Compstat decisions stay on the agenda until closed.

mod common;

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

#[test]
fn problem_files_tell_an_effect_from_chance_and_bad_input_is_refused() {
    let (_d, db) = demo();
    let p = json(&run(
        &db,
        &["plan", "problems", "--zone", "demo-bdm", "--json"],
    ));
    let files = p["problems"].as_array().unwrap();
    let bike = files
        .iter()
        .find(|f| f["file"]["code"] == "PF-2024-01")
        .unwrap();
    assert_eq!(bike["assessment"]["verdict"], "reduction-beyond-comparison");
    assert!(bike["assessment"]["high"].as_f64().unwrap() < 1.0);
    assert_eq!(
        bike["before"],
        serde_json::json!(["2023-09-02", "2024-08-31"])
    );
    let none = files
        .iter()
        .find(|f| f["file"]["code"] == "PF-2025-01")
        .unwrap();
    assert_eq!(
        none["assessment"]["verdict"],
        "no-difference-from-comparison"
    );

    let z = ["--zone", "demo-bdm"];
    let cmd = |extra: &[&str]| -> Vec<String> {
        ["plan", "indicator"]
            .iter()
            .chain(z.iter())
            .chain(extra.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let base = [
        "--objective",
        "SD1",
        "--name",
        "x",
        "--baseline-from",
        "2023-01-01",
        "--baseline-to",
        "2023-12-31",
        "--by",
        "2030-12-31",
    ];
    let with = |more: &[&str]| {
        let mut v: Vec<&str> = base.to_vec();
        v.extend_from_slice(more);
        cmd(&v)
    };
    let check = |args: Vec<String>, needle: &str| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        fails_with(&db, &a, needle);
    };
    let count = indicators(&db).len();
    // A query that matches nothing.
    check(
        with(&[
            "--code",
            "X1",
            "--source",
            "incidents",
            "--phenomenon",
            "geen-fenomeen",
            "--direction",
            "down",
            "--target-change",
            "-10",
        ]),
        "no phenomenon",
    );
    check(
        with(&[
            "--code",
            "X2",
            "--source",
            "calls",
            "--category",
            "nope",
            "--direction",
            "down",
            "--target-change",
            "-10",
        ]),
        "no call matches",
    );
    // A target in the wrong unit: 25 for a proportion.
    check(
        with(&[
            "--code",
            "X3",
            "--source",
            "survey",
            "--survey",
            "veiligheidsmonitor-demo",
            "--survey-indicator",
            "vaak-altijd-onveilig",
            "--direction",
            "down",
            "--target-value",
            "25",
        ]),
        "is not a proportion",
    );
    // An objective not in the plan.
    check(
        cmd(&[
            "--code",
            "X4",
            "--objective",
            "SD99",
            "--name",
            "x",
            "--baseline-from",
            "2023-01-01",
            "--baseline-to",
            "2023-12-31",
            "--by",
            "2030-12-31",
            "--source",
            "incidents",
            "--phenomenon",
            "drugs",
            "--direction",
            "down",
            "--target-change",
            "-10",
        ]),
        "not in the plan",
    );
    // A hand-entered value for a computed indicator.
    fails_with(
        &db,
        &[
            "plan",
            "measure",
            "--zone",
            "demo-bdm",
            "--indicator",
            "I-SD1",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--value",
            "12",
        ],
        "computed by Veilig",
    );
    assert_eq!(indicators(&db).len(), count, "nothing stored");

    // Compstat: the demo's second review closed one decision of the first; the other stays
    // on the agenda until a review closes it.
    let a = json(&run(
        &db,
        &[
            "plan",
            "agenda",
            "--zone",
            "demo-bdm",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--json",
        ],
    ));
    let open: Vec<i64> = a["open_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(open.len(), 2, "{a}");
    assert!(
        a["off_track"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["objective"] == "SD3")
    );
    // The picture's part: series of near repeats (the demo's hotspots make them) and new
    // hotspots (none need be new), each with its test.
    let series = a["series"].as_array().unwrap();
    assert!(!series.is_empty(), "{a}");
    assert!(series.iter().all(|s| s["events"].as_u64().unwrap() >= 3));
    assert!(a["hotspots"].is_array());
    let out = run(
        &db,
        &[
            "plan",
            "review",
            "--zone",
            "demo-bdm",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--held-on",
            "2026-11-09",
            "--decide",
            "Drugsactie station|recherche|2026-12-15",
            "--close",
            &format!("{}:besproken", open[0]),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = json(&run(
        &db,
        &[
            "plan",
            "agenda",
            "--zone",
            "demo-bdm",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--json",
        ],
    ));
    let still: Vec<i64> = a["open_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert!(still.contains(&open[1]) && !still.contains(&open[0]) && still.len() == 2);
    fails_with(
        &db,
        &[
            "plan",
            "review",
            "--zone",
            "demo-bdm",
            "--from",
            "2026-10-01",
            "--to",
            "2026-10-31",
            "--held-on",
            "2026-11-10",
            "--close",
            &format!("{}:again", open[0]),
        ],
        "not an open decision",
    );

    // The yearly evaluation needs the council's verdict on every strategic objective.
    fails_with(
        &db,
        &[
            "plan",
            "evaluate",
            "--zone",
            "demo-bdm",
            "--year",
            "2026",
            "--held-on",
            "2026-11-20",
            "--verdict",
            "SD1:continue",
        ],
        "missing",
    );
    let mut args = vec![
        "plan",
        "evaluate",
        "--zone",
        "demo-bdm",
        "--year",
        "2026",
        "--held-on",
        "2026-11-20",
        "--done",
        "A1.1",
    ];
    let vs: Vec<String> = ["SD1", "SD2", "SD3", "SD4", "SD5", "SD6"]
        .iter()
        .map(|o| {
            format!(
                "{o}:{}",
                if *o == "SD3" {
                    "adjust:meer recherchecapaciteit"
                } else {
                    "continue"
                }
            )
        })
        .collect();
    for v in &vs {
        args.push("--verdict");
        args.push(v);
    }
    let out = run(&db, &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&run(
        &db,
        &["plan", "reviews", "--zone", "demo-bdm", "--json"],
    ));
    let annual = r["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "annual")
        .unwrap();
    let sd3 = annual["document"]["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["objective"] == "SD3")
        .unwrap();
    assert_eq!(sd3["verdict"], "adjust");
    assert!(
        sd3["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == "I-SD3")
    );
}
