//! Problem files: an effect told from chance, and bad input refused with nothing changed.

use super::*;

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
