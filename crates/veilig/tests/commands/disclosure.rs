//! `veilig disclosure` on the demo zone: the rules as data, and the protected table of a
//! phenomenon-year with its audit.

use crate::common;

use common::{json, run};

#[test]
fn the_protected_table_of_a_year_hides_every_small_count_and_nothing_derivable() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let rules = run(&db, &["disclosure", "rules"]);
    assert!(rules.status.success());
    let text = String::from_utf8(rules.stdout).unwrap();
    assert!(text.contains("threshold = 5") && text.contains("citation"));
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    let out = run(
        &db,
        &[
            "disclosure",
            "table",
            "--phenomenon",
            "diefstal-voertuig",
            "--year",
            "2025",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["derivable"], 0);
    assert_eq!(v["disclosure"]["threshold"], 5);
    let cells = v["cells"].as_array().unwrap();
    // 12 months, 4 quarters, the year; 3 municipalities; 18 wijken.
    assert_eq!(cells.len(), 12 + 4 + 1 + 3 + 18);
    for c in cells {
        let value = c["value"].as_u64().unwrap();
        let status = c["status"].as_str().unwrap();
        assert_eq!(value < 5, status == "primary", "{c}");
        if status == "secondary" {
            assert!(value >= 5);
        }
    }
    // The year's zone total equals the sum of its months and of its municipalities.
    let sum = |level: &str, days: i64| -> u64 {
        cells
            .iter()
            .filter(|c| c["level"] == level)
            .filter(|c| {
                let s: chrono::NaiveDate = c["start"].as_str().unwrap().parse().unwrap();
                let e: chrono::NaiveDate = c["end"].as_str().unwrap().parse().unwrap();
                (e - s).num_days() < days
            })
            .map(|c| c["value"].as_u64().unwrap())
            .sum()
    };
    let year = sum("zone", 400) - sum("zone", 100);
    assert_eq!(year, sum("zone", 40));
    assert_eq!(year, sum("municipality", 400));
    // A stricter threshold hides more, and an unknown phenomenon is refused by name.
    let strict = json(&run(
        &db,
        &[
            "disclosure",
            "table",
            "--phenomenon",
            "diefstal-voertuig",
            "--year",
            "2025",
            "--threshold",
            "10",
            "--json",
        ],
    ));
    let hidden = |v: &serde_json::Value| {
        v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] != "shown")
            .count()
    };
    assert!(hidden(&strict) > hidden(&v));
    let bad = run(
        &db,
        &[
            "disclosure",
            "table",
            "--phenomenon",
            "nope",
            "--year",
            "2025",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("\"nope\""));
}

/// `veilig disclosure release`: the first release holds every table; on the next release day
/// nothing changed, so nothing is released; a revision needs its reason and is listed with
/// it; the list shows number, date and kind.
#[test]
fn releases_are_made_on_the_calendar_and_revisions_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    let rel = |args: &[&str]| {
        let mut a = vec!["disclosure", "release"];
        a.extend_from_slice(args);
        a.push("--json");
        run(&db, &a)
    };
    let first = json(&rel(&["--on", "2026-12-07"]));
    let r = &first["release"];
    assert_eq!(r["number"], 1, "{first}");
    assert_eq!(r["kind"], "regular");
    // Every phenomenon (20), the years of the data and the year before.
    assert!(r["tables"].as_i64().unwrap() >= 14 * 8, "{first}");
    assert_eq!(r["complete_through"], "2026-10-31");
    // The next release day: the data did not change, nothing is released.
    let again = json(&rel(&["--on", "2027-01-01"]));
    assert!(again["release"].is_null(), "{again}");
    assert_eq!(again["waiting"].as_array().unwrap().len(), 0);
    // A revision without a reason is refused before anything is done.
    let no_reason = rel(&["--revise", "2025"]);
    assert!(!no_reason.status.success());
    // With one, of an unchanged year: nothing to revise.
    let revised = json(&rel(&[
        "--revise",
        "2025",
        "--reason",
        "controle",
        "--on",
        "2027-01-02",
    ]));
    assert!(revised["release"].is_null(), "{revised}");
    let list = json(&run(&db, &["disclosure", "release", "--list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["released_on"], "2026-12-07");
    assert!(list[0]["rules"].as_str().unwrap().contains("threshold 5"));
}
