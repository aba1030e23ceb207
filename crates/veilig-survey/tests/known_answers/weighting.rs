//! Issue 24's known answers: post-stratification, linear calibration, trimming, a two-stage
//! design, a domain contrast with the design covariance, quantiles with Woodruff intervals
//! and the jackknife, each to 1e-4 relative against R's `survey` (4.1.1). The values are
//! read from `testdata/survey/r/known-answers.txt`, which `r/known-answers.R` beside it
//! printed (the R calls are there).

use std::collections::HashMap;

use veilig_survey::{
    Design, ReplicateKind, Stage, WeightsReport, calibrate, contrast, mean, post_stratify,
    quantile, total, trim_to,
};

use super::{Data, categories, close, dclus1};

/// The answers R printed, by key.
fn r() -> HashMap<String, f64> {
    let path = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../testdata/survey/r/known-answers.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

fn check(r: &HashMap<String, f64>, key: &str, value: f64) {
    let want = *r.get(key).unwrap_or_else(|| panic!("no R answer {key}"));
    assert!(
        (value - want).abs() <= 1e-4 * want.abs().max(1e-12),
        "{key}: {value} vs R {want}"
    );
}

fn post_stratified(d: &Data, c: &Design) -> Design {
    let cells = categories(&d.col("stype"), &["E", "H", "M"]);
    post_stratify(c, &cells, &[4421.0, 755.0, 1018.0]).unwrap()
}

/// The model matrix of `~stype + api99`: intercept, stype H, stype M, api99.
fn calibrated(d: &Data, c: &Design) -> Design {
    let stype = d.col("stype");
    let api99 = d.f("api99");
    let x: Vec<Vec<f64>> = (0..stype.len())
        .map(|i| {
            let is = |v: &str| if stype[i] == v { 1.0 } else { 0.0 };
            vec![1.0, is("H"), is("M"), api99[i]]
        })
        .collect();
    calibrate(c, &x, &[6194.0, 755.0, 1018.0, 3914069.0]).unwrap()
}

#[test]
fn post_stratification_on_school_type() {
    let r = r();
    let (d, c) = dclus1();
    let p = post_stratified(&d, &c);
    let m = mean(&p, &d.num("api00"));
    check(&r, "post.mean_api00.estimate", m.estimate);
    check(&r, "post.mean_api00.se", m.se);
    let t = total(&p, &d.num("enroll"));
    check(&r, "post.total_enroll.estimate", t.estimate);
    check(&r, "post.total_enroll.se", t.se);
}

#[test]
fn linear_calibration_on_school_type_and_api99() {
    let r = r();
    let (d, c) = dclus1();
    let g = calibrated(&d, &c);
    let m = mean(&g, &d.num("api00"));
    check(&r, "cal.mean_api00.estimate", m.estimate);
    check(&r, "cal.mean_api00.se", m.se);
    let t = total(&g, &d.num("enroll"));
    check(&r, "cal.total_enroll.estimate", t.estimate);
    check(&r, "cal.total_enroll.se", t.se);
    let w = WeightsReport::of(&g);
    check(&r, "cal.weights.min", w.min);
    check(&r, "cal.weights.max", w.max);
    check(&r, "cal.weights.sum", w.total);
    check(&r, "cal.weights.first", g.weights[0]);
}

#[test]
fn trimming_the_calibrated_weights_to_20_45() {
    let r = r();
    let (d, c) = dclus1();
    let g = calibrated(&d, &c);
    for (strict, key) in [(false, "trim"), (true, "trim_strict")] {
        let t = trim_to(&g, 20.0, 45.0, strict).unwrap();
        let m = mean(&t, &d.num("api00"));
        check(&r, &format!("{key}.mean_api00.estimate"), m.estimate);
        check(&r, &format!("{key}.mean_api00.se"), m.se);
        let w = WeightsReport::of(&t);
        check(&r, &format!("{key}.weights.min"), w.min);
        check(&r, &format!("{key}.weights.max"), w.max);
        close(w.total, 6194.0, 1e-9);
    }
    assert!(trim_to(&g, 45.0, 20.0, true).is_err());
    // 183 weights cannot total 6194 within [20, 30].
    assert!(trim_to(&g, 20.0, 30.0, true).is_err());
}

#[test]
fn a_two_stage_design_with_a_correction_at_each_stage() {
    let r = r();
    let d = Data::load("apiclus2.csv");
    let (dnum, snum) = (d.col("dnum"), d.col("snum"));
    let (f1, f2) = (d.f("fpc1"), d.f("fpc2"));
    let design = Design::multistage(
        d.f("pw"),
        None,
        &[
            Stage {
                clusters: &dnum,
                fpc: Some(&f1),
            },
            Stage {
                clusters: &snum,
                fpc: Some(&f2),
            },
        ],
    )
    .unwrap();
    assert_eq!(design.stages(), 2);
    check(&r, "two_stage.df", design.df());
    let m = mean(&design, &d.num("api00"));
    check(&r, "two_stage.mean_api00.estimate", m.estimate);
    check(&r, "two_stage.mean_api00.se", m.se);
    let t = total(&design, &d.num("api00"));
    check(&r, "two_stage.total_api00.estimate", t.estimate);
    check(&r, "two_stage.total_api00.se", t.se);
    let e = mean(&design, &d.num("ell"));
    check(&r, "two_stage.mean_ell.estimate", e.estimate);
    check(&r, "two_stage.mean_ell.se", e.se);
    // Without the second stage's correction the first stage alone is smaller.
    let one = Design::new(d.f("pw"), None, Some(&dnum), Some(&f1)).unwrap();
    assert!(mean(&one, &d.num("api00")).se < m.se);
}

#[test]
fn a_contrast_of_two_domains_of_one_sample_uses_their_covariance() {
    let r = r();
    let (d, c) = dclus1();
    let sw = d.col("sch.wide");
    let yes: Vec<bool> = sw.iter().map(|v| v == "Yes").collect();
    let no: Vec<bool> = sw.iter().map(|v| v == "No").collect();
    let y = d.num("api00");
    let k = contrast(&c, &y, &yes, &no, 0.95);
    check(&r, "contrast.yes_minus_no.estimate", k.difference);
    check(&r, "contrast.yes_minus_no.se", k.se);
    assert_eq!(k.df, Some(14.0));
    // The naive combination of the two domains' SEs is what the design-based one corrects.
    let dom = |inside: &[bool]| {
        let yd: Vec<Option<f64>> = y
            .iter()
            .zip(inside)
            .map(|(v, i)| v.filter(|_| *i))
            .collect();
        mean(&c, &yd)
    };
    let (a, b) = (dom(&yes), dom(&no));
    check(&r, "domain.yes.se", a.se);
    check(&r, "domain.no.se", b.se);
    check(
        &r,
        "contrast.naive_se",
        veilig_survey::difference(&a, &b, 0.95).se,
    );
}

#[test]
fn the_median_and_quartiles_with_woodruff_intervals() {
    let r = r();
    let (d, c) = dclus1();
    let y = d.num("api00");
    for (p, key) in [(0.25, "q25"), (0.5, "median"), (0.75, "q75")] {
        let q = quantile(&c, &y, p, 0.95);
        check(&r, &format!("{key}.estimate"), q.estimate);
        check(&r, &format!("{key}.ci_low"), q.ci_low.unwrap());
        check(&r, &format!("{key}.ci_high"), q.ci_high.unwrap());
        check(&r, &format!("{key}.se"), q.se.unwrap());
    }
}

#[test]
fn the_jackknife_repeats_the_post_stratification_on_every_replicate() {
    let r = r();
    let (d, c) = dclus1();
    let rep = c.replicates(ReplicateKind::Jackknife);
    assert_eq!(rep.weights.len(), 15);
    check(&r, "jk1.mean_api00.se", rep.se_of_mean(&d.num("api00")));
    check(&r, "jk1.total_enroll.se", rep.se_of_total(&d.num("enroll")));
    let p = post_stratified(&d, &c);
    let rep = p.replicates(ReplicateKind::Jackknife);
    check(
        &r,
        "jk1_post.mean_api00.se",
        rep.se_of_mean(&d.num("api00")),
    );
}

#[test]
fn the_bootstrap_agrees_with_the_linearisation_and_is_reproducible() {
    let (d, c) = dclus1();
    let y = d.num("api00");
    let kind = ReplicateKind::Bootstrap {
        replicates: 2000,
        seed: 24,
    };
    let a = c.replicates(kind).se_of_mean(&y);
    assert_eq!(a, c.replicates(kind).se_of_mean(&y));
    let lin = mean(&c, &y).se;
    assert!(
        (a / lin - 1.0).abs() < 0.1,
        "bootstrap {a} vs linearised {lin}"
    );
}
