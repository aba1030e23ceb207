//! `veilig survey estimate` on the California API data (R `survey`'s known answers, issue 12's
//! bars) and bad input named by file, line and field.

mod common;

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

fn close(a: &serde_json::Value, b: f64, rel: f64) {
    let a = a.as_f64().unwrap();
    assert!((a - b).abs() <= rel * b.abs(), "{a} vs {b}");
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
