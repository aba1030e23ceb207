//! Issue 24 on the command line: `veilig survey estimate` with --poststratify, --calibrate,
//! --trim, a two-stage design file, --contrast, --quantile and --replicates gives R survey's
//! answers (testdata/survey/r/known-answers.txt, made by r/known-answers.R), and bad
//! weighting files are refused naming file, line and field.

use std::collections::HashMap;

use super::common::{data, json, run};

fn r() -> HashMap<String, f64> {
    std::fs::read_to_string(data("survey/r/known-answers.txt"))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.parse().ok()?))
        })
        .collect()
}

fn check(r: &HashMap<String, f64>, key: &str, v: &serde_json::Value) {
    let v = v
        .as_f64()
        .unwrap_or_else(|| panic!("{key}: {v} is not a number"));
    let want = r[key];
    assert!(
        (v - want).abs() <= 1e-4 * want.abs(),
        "{key}: {v} vs R {want}"
    );
}

/// `veilig survey estimate --data FILE --design DESIGN ARGS --json`.
fn estimate(file: &str, design: &str, args: &[&str]) -> std::process::Output {
    let (f, d) = (data(file), data(design));
    let mut all = vec![
        "survey",
        "estimate",
        "--data",
        f.to_str().unwrap(),
        "--design",
        d.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    all.push("--json");
    run("sqlite::memory:", &all)
}

fn clus1_out(args: &[&str]) -> std::process::Output {
    estimate("survey/apiclus1.csv", "survey/apiclus1.design.toml", args)
}

fn clus1(args: &[&str]) -> serde_json::Value {
    json(&clus1_out(args))
}

#[test]
fn post_stratification_calibration_and_trimming_from_the_flags() {
    let r = r();
    let post = data("survey/population-stype.csv");
    let post = format!("stype={}", post.display());
    let v = clus1(&["--mean", "api00", "--poststratify", &post]);
    check(&r, "post.mean_api00.estimate", &v["estimate"]);
    check(&r, "post.mean_api00.se", &v["se"]);
    assert_eq!(v["weighting"]["steps"][0]["step"], "post-stratification");
    let totals = data("survey/calibration-totals.csv");
    let totals = totals.to_str().unwrap();
    let v = clus1(&["--mean", "api00", "--calibrate", totals]);
    check(&r, "cal.mean_api00.estimate", &v["estimate"]);
    check(&r, "cal.mean_api00.se", &v["se"]);
    check(&r, "cal.weights.min", &v["weighting"]["weights"]["min"]);
    check(&r, "cal.weights.max", &v["weighting"]["weights"]["max"]);
    assert!(
        v["weighting"]["weights"]["deff_weighting"]
            .as_f64()
            .unwrap()
            > 1.0
    );
    for key in [
        "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "method",
    ] {
        assert!(!v[key].is_null(), "{key} missing from {v}");
    }
    let v = clus1(&["--mean", "api00", "--calibrate", totals, "--trim", "20:45"]);
    check(&r, "trim_strict.mean_api00.estimate", &v["estimate"]);
    check(&r, "trim_strict.mean_api00.se", &v["se"]);
    check(
        &r,
        "trim_strict.weights.max",
        &v["weighting"]["weights"]["max"],
    );
    // The design file says the same in its [weighting].
    let v = json(&estimate(
        "survey/apiclus1.csv",
        "survey/apiclus1.calibrated.design.toml",
        &["--mean", "api00"],
    ));
    check(&r, "trim_strict.mean_api00.estimate", &v["estimate"]);
    check(&r, "trim_strict.mean_api00.se", &v["se"]);
}

#[test]
fn a_two_stage_design_a_contrast_and_a_median() {
    let r = r();
    let v = json(&estimate(
        "survey/apiclus2.csv",
        "survey/apiclus2.design.toml",
        &["--mean", "api00"],
    ));
    check(&r, "two_stage.mean_api00.estimate", &v["estimate"]);
    check(&r, "two_stage.mean_api00.se", &v["se"]);
    assert_eq!(v["design"]["clusters"], "dnum+snum");
    let v = clus1(&[
        "--mean",
        "api00",
        "--contrast",
        "sch.wide=Yes",
        "sch.wide=No",
    ]);
    check(&r, "contrast.yes_minus_no.estimate", &v["estimate"]);
    check(&r, "contrast.yes_minus_no.se", &v["se"]);
    check(&r, "domain.yes.estimate", &v["contrast"]["estimate_a"]);
    assert_eq!(v["df"], 14.0);
    // t = 41.3 / 19.6 = 2.11 on 14 degrees of freedom: p just above 0.05.
    let p = v["contrast"]["p_value"].as_f64().unwrap();
    assert!((0.05..0.06).contains(&p), "{p}");
    assert_eq!(v["contrast"]["verdict"], "no-significant-change");
    let v = clus1(&["--quantile", "api00"]);
    check(&r, "median.estimate", &v["estimate"]);
    check(&r, "median.ci_low", &v["ci_low"]);
    check(&r, "median.ci_high", &v["ci_high"]);
    assert_eq!(v["p"], 0.5);
    let v = clus1(&["--quantile", "api00", "--p", "0.25"]);
    check(&r, "q25.estimate", &v["estimate"]);
    check(&r, "q25.ci_high", &v["ci_high"]);
    let post = format!("stype={}", data("survey/population-stype.csv").display());
    let v = clus1(&[
        "--mean",
        "api00",
        "--poststratify",
        &post,
        "--replicates",
        "jackknife",
    ]);
    check(&r, "jk1_post.mean_api00.se", &v["se"]);
    assert_eq!(v["replicates"], "jackknife");
}

#[test]
fn bad_weighting_files_are_refused_naming_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("stype.csv");
    // The counts file as written, then the error `veilig survey estimate` gives on it.
    let post_stratified = |text: &str| {
        std::fs::write(&bad, text).unwrap();
        let spec = format!("stype={}", bad.display());
        let out = clus1_out(&["--mean", "api00", "--poststratify", &spec]);
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let err = post_stratified("stype,count\nE,4421\nH,many\nM,1018\n");
    assert!(err.contains("stype.csv: line 3, field count"), "{err}");
    // A category of the sample without a population count names the respondent's line.
    let err = post_stratified("stype,count\nE,4421\nH,755\n");
    assert!(
        err.contains("apiclus1.csv: line") && err.contains("field stype"),
        "{err}"
    );
    let totals = dir.path().join("totals.csv");
    std::fs::write(
        &totals,
        "variable,category,total\nstype,E,4421\nstype,H,755\nstype,M,1000\n(Intercept),,6194\n",
    )
    .unwrap();
    let out = clus1_out(&["--mean", "api00", "--calibrate", totals.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("total 6176, not the population size 6194"),
        "{err}"
    );
    let out = clus1_out(&["--mean", "api00", "--trim", "45:20"]);
    assert!(!out.status.success());
    let out = clus1_out(&[
        "--total",
        "enroll",
        "--contrast",
        "sch.wide=Yes",
        "sch.wide=No",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--contrast compares a --mean"));
}
