//! `veilig survey estimate` on the California API data (R `survey`'s known answers, issue 12's
//! bars) and bad input named by file, line and field.

use crate::common;
mod sav;
mod weighting;

use common::{data, json, run};

fn estimate(args: &[&str]) -> std::process::Output {
    let file = data("survey/apistrat.csv");
    let design = data("survey/apistrat.design.toml");
    let mut all = vec![
        "survey",
        "estimate",
        "--data",
        file.to_str().unwrap(),
        "--design",
        design.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    // The command reads no store; any URL will do.
    run("sqlite::memory:", &all)
}

/// The demo zone in a scratch SQLite store: (the directory, its URL).
fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    (dir, db)
}

fn close(a: &serde_json::Value, b: f64, rel: f64) {
    let a = a.as_f64().unwrap();
    assert!((a - b).abs() <= rel * b.abs(), "{a} vs {b}");
}

#[test]
fn an_estimate_from_a_file_creates_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let file = data("survey/apistrat.csv");
    let design = data("survey/apistrat.design.toml");
    let out = run(
        &format!("sqlite://{}", db.display()),
        &[
            "survey",
            "estimate",
            "--data",
            file.to_str().unwrap(),
            "--design",
            design.to_str().unwrap(),
            "--mean",
            "api00",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!db.exists(), "the estimate created a store");
}

#[test]
fn the_stratified_mean_and_the_korn_graubard_interval_of_a_proportion() {
    let v = json(&estimate(&["--mean", "api00", "--json"]));
    close(&v["estimate"], 662.28736, 1e-7);
    close(&v["se"], 9.408941, 1e-6);
    assert_eq!(v["n"], 200);
    close(&v["n_eff"], 168.5813313, 1e-8);
    assert!(v["ci_low"].as_f64().unwrap() < 662.0 && v["ci_high"].as_f64().unwrap() > 662.6);
    assert!(v["method"].as_str().unwrap().contains("linearised"));
    let v = json(&estimate(&[
        "--proportion",
        "sch.wide=No",
        "--ci",
        "beta",
        "--json",
    ]));
    close(&v["ci_low"], 0.12656841, 1e-5);
    close(&v["ci_high"], 0.22582867, 1e-5);
    // n_eff 240, interval 0.099 wide, 58 % of p: shown under the NCHS rule.
    assert_eq!(v["presentation"], "show");
    // A domain: the elementary schools only.
    let v = json(&estimate(&[
        "--proportion",
        "sch.wide=Yes",
        "--domain",
        "stype=E",
        "--json",
    ]));
    close(&v["estimate"], 0.91, 1e-9);
    close(&v["se"], 0.028435196, 1e-6);
}

#[test]
fn bad_input_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("survey/apistrat.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Line 6 (the fifth respondent): weight 0.
    let pw = lines[0].split(',').position(|h| h == "\"pw\"").unwrap();
    let mut cells: Vec<String> = lines[5].split(',').map(String::from).collect();
    cells[pw] = "0".into();
    lines[5] = cells.join(",");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let design = data("survey/apistrat.design.toml");
    let out = run(
        "sqlite::memory:",
        &[
            "survey",
            "estimate",
            "--data",
            bad.to_str().unwrap(),
            "--design",
            design.to_str().unwrap(),
            "--mean",
            "api00",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv: line 6, field pw") && err.contains("not positive"),
        "{err}"
    );
    let out = estimate(&["--mean", "nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no column \"nope\""));
    let out = estimate(&["--mean", "api00", "--ci", "beta"]);
    assert!(!out.status.success(), "a beta interval is for proportions");
}

#[test]
fn the_demo_waves_weighted_intervals_cover_the_truth_and_compare_with_verdicts() {
    let (_dir, db) = demo();
    let v = json(&run(&db, &["survey", "indicators", "--json"]));
    let rows = v["indicators"].as_array().unwrap();
    let codes = [
        "vaak-altijd-onveilig",
        "snelheid-probleem",
        "slachtoffer-inbraak",
        "tevreden-politie",
        "vermijdt-donker",
    ];
    let (mut cells, mut covered) = (0, 0);
    for r in rows {
        let unit = &r["unit"];
        let municipality = match unit["level"].as_str().unwrap() {
            "zone" => None,
            "municipality" => Some(unit["code"].as_str().unwrap().to_string()),
            _ => continue,
        };
        let i = codes
            .iter()
            .position(|c| *c == r["indicator"].as_str().unwrap())
            .unwrap();
        let w = veilig_demo::survey::WAVES
            .iter()
            .position(|w| *w == r["wave"].as_str().unwrap())
            .unwrap();
        let truth = veilig_demo::survey::truth(i, w, municipality.as_deref());
        let (lo, hi) = (
            r["ci_low"].as_f64().unwrap(),
            r["ci_high"].as_f64().unwrap(),
        );
        cells += 1;
        if lo <= truth && truth <= hi {
            covered += 1;
        }
        assert_eq!(r["synthetic"], true);
    }
    // 5 indicators × (zone + 3 municipalities) × 3 waves.
    assert_eq!(cells, 60);
    assert!(
        covered as f64 >= 0.9 * cells as f64,
        "95 % intervals cover the truth in {covered} of {cells} cells"
    );
    // Wijken with few respondents are not shown under the small-sample rule.
    assert!(
        rows.iter()
            .any(|r| r["unit"]["level"] == "wijk" && r["presentation"] != "show")
    );
    // Feeling unsafe rises from 2021 to 2024 in the demo's truth: the zone's verdict says so.
    let c = json(&run(
        &db,
        &[
            "survey",
            "compare",
            "--indicator",
            "vaak-altijd-onveilig",
            "--waves",
            "2021,2024",
            "--json",
        ],
    ));
    let zone = c["comparisons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"]["level"] == "zone")
        .unwrap();
    // The interval of the difference covers the true change, and the verdict says what the
    // interval says.
    let change = veilig_demo::survey::truth(0, 2, None) - veilig_demo::survey::truth(0, 1, None);
    let (lo, hi) = (
        zone["ci_low"].as_f64().unwrap(),
        zone["ci_high"].as_f64().unwrap(),
    );
    assert!(
        lo <= change && change <= hi,
        "{change} outside [{lo}, {hi}]"
    );
    let expected = if lo > 0.0 {
        "significantly-higher"
    } else if hi < 0.0 {
        "significantly-lower"
    } else {
        "no-significant-change"
    };
    assert_eq!(zone["verdict"], expected);
}

#[test]
fn a_wave_imports_through_its_codebook_once_with_bad_rows_quarantined() {
    let (_dir, db) = demo();
    let book = data("survey/local-survey.codebook.toml");
    let file = data("survey/local-survey-2025.csv");
    let args = [
        "survey",
        "import",
        "--zone",
        "demo-bdm",
        "--codebook",
        book.to_str().unwrap(),
        file.to_str().unwrap(),
        "--json",
    ];
    let first = json(&run(&db, &args));
    assert_eq!(
        (
            &first["rows_read"],
            &first["stored"],
            &first["duplicates"],
            &first["rejected"]
        ),
        (&12.into(), &9.into(), &0.into(), &3.into())
    );
    let batch = first["batch"].as_i64().unwrap().to_string();
    let rejects = json(&run(&db, &["rejects", &batch, "--json"]));
    let reasons: Vec<(i64, String, String)> = rejects["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap(),
                r["field"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 3);
    assert_eq!((reasons[0].0, reasons[0].1.as_str()), (5, "onveilig"));
    assert!(reasons[0].2.contains("\"7\" is not an answer code"));
    assert_eq!((reasons[1].0, reasons[1].1.as_str()), (7, "gewicht"));
    assert!(reasons[1].2.contains("not a positive number"));
    assert_eq!((reasons[2].0, reasons[2].1.as_str()), (10, "gemeente"));
    assert!(reasons[2].2.contains("not a municipality of zone demo-bdm"));
    // The same file again stores nothing new.
    let again = json(&run(&db, &args));
    assert_eq!(
        (&again["stored"], &again["duplicates"]),
        (&0.into(), &9.into())
    );
    let v = json(&run(
        &db,
        &[
            "survey",
            "indicators",
            "--survey",
            "lokale-bevraging",
            "--json",
        ],
    ));
    let zone = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"]["level"] == "zone")
        .unwrap();
    // 9 respondents, one without an answer: too few to show.
    assert_eq!(zone["n"], 8);
    assert_eq!(zone["presentation"], "suppress-small-n");
}

#[test]
fn a_stratum_with_one_respondent_refuses_the_file_and_stores_nothing() {
    let (dir, db) = demo();
    let book = dir.path().join("strata.toml");
    let text = std::fs::read_to_string(data("survey/local-survey.codebook.toml"))
        .unwrap()
        .replace(
            "[design]\nweights = \"gewicht\"",
            "[design]\nweights = \"gewicht\"\nstrata = \"gemeente\"",
        );
    std::fs::write(&book, text).unwrap();
    // Dessel (13006) keeps one respondent after this file's last line is dropped.
    let csv = dir.path().join("lonely.csv");
    let lines: Vec<&str> = std::fs::read_to_string(data("survey/local-survey-2025.csv"))
        .unwrap()
        .leak()
        .lines()
        .filter(|l| !l.starts_with("6;") && !l.starts_with("11;"))
        .collect();
    std::fs::write(&csv, lines.join("\n")).unwrap();
    let out = run(
        &db,
        &[
            "survey",
            "import",
            "--zone",
            "demo-bdm",
            "--codebook",
            book.to_str().unwrap(),
            csv.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("lonely.csv")
            && err.contains("field gemeente")
            && err.contains("\"13006\"")
            && err.contains("single primary sampling unit"),
        "{err}"
    );
    // Nothing of the file was stored.
    let none = run(
        &db,
        &["survey", "indicators", "--survey", "lokale-bevraging"],
    );
    assert!(!none.status.success());
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no waves of survey \"lokale-bevraging\"")
    );
}

#[test]
fn population_by_sex_and_age_imports_with_bad_rows_quarantined() {
    let (_dir, db) = demo();
    let file = data("survey/population-groups-sample.csv");
    let args = [
        "import",
        "population-groups",
        "--zone",
        "demo-bdm",
        file.to_str().unwrap(),
        "--ref-date",
        "2025-01-01",
        "--source-label",
        "Statbel 2025 (test)",
        "--json",
    ];
    let v = json(&run(&db, &args));
    assert_eq!(
        (&v["rows_read"], &v["stored"], &v["rejected"]),
        (&6.into(), &4.into(), &2.into())
    );
    let rejects = json(&run(&db, &["rejects", &v["batch"].to_string(), "--json"]));
    let rows = rejects["rows"].as_array().unwrap();
    assert_eq!(rows[0]["line"], 6);
    assert_eq!(rows[0]["field"], "municipality");
    assert_eq!(rows[1]["line"], 7);
    assert_eq!(rows[1]["field"], "inhabitants");
    let again = json(&run(&db, &args));
    assert_eq!(again["stored"], 0);
}
