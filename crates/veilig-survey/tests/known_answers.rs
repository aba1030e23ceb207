//! Known answers from R's `survey` package on the California API data
//! (`../shared/bench/survey/README.md`; data copied to `testdata/survey/`, see its README).

use std::collections::HashMap;

#[path = "known_answers/weighting.rs"]
mod weighting;

use veilig_survey::{Design, Margin, Method, difference, interval, mean, proportion, rake, total};

struct Data {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Data {
    fn load(name: &str) -> Data {
        let path = std::path::PathBuf::from(
            std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
        )
        .join("../../testdata/survey")
        .join(name);
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r.headers().unwrap().iter().map(String::from).collect();
        let rows = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        Data { header, rows }
    }

    fn col(&self, name: &str) -> Vec<String> {
        let c = self.header.iter().position(|h| h == name).unwrap();
        self.rows.iter().map(|r| r[c].clone()).collect()
    }

    fn num(&self, name: &str) -> Vec<Option<f64>> {
        self.col(name).iter().map(|s| s.parse().ok()).collect()
    }

    fn f(&self, name: &str) -> Vec<f64> {
        self.num(name).into_iter().map(|x| x.unwrap()).collect()
    }
}

fn close(a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-12),
        "{a} vs {b} (relative {rel})"
    );
}

fn dstrat(fpc: bool) -> (Data, Design) {
    let d = Data::load("apistrat.csv");
    let f = d.f("fpc");
    let design = Design::new(
        d.f("pw"),
        Some(&d.col("stype")),
        None,
        fpc.then_some(&f[..]),
    )
    .unwrap();
    (d, design)
}

fn dclus1() -> (Data, Design) {
    let d = Data::load("apiclus1.csv");
    let design = Design::new(d.f("pw"), None, Some(&d.col("dnum")), Some(&d.f("fpc"))).unwrap();
    (d, design)
}

#[test]
fn t1_stratified_mean_and_total() {
    let (d, s) = dstrat(true);
    assert_eq!(s.df(), 197.0);
    let m = mean(&s, &d.num("api00"));
    close(m.estimate, 662.28736, 1e-7);
    close(m.se, 9.408941, 1e-6);
    let t = total(&s, &d.num("enroll"));
    close(t.estimate, 3687177.5, 1e-7);
    close(t.se, 114641.72, 1e-6);
    let (d, s) = dstrat(false);
    close(mean(&s, &d.num("api00")).se, 9.536132, 1e-6);
}

#[test]
fn t2_one_stage_cluster_mean_and_total() {
    let (d, c) = dclus1();
    assert_eq!(c.df(), 14.0);
    let m = mean(&c, &d.num("api00"));
    close(m.estimate, 644.1694, 1e-6);
    close(m.se, 23.54224, 1e-6);
    let t = total(&c, &d.num("enroll"));
    close(t.estimate, 3404940.0, 1e-6);
    close(t.se, 932235.0, 1e-6);
}

fn is(d: &Data, col: &str, value: &str) -> (Vec<bool>, Vec<bool>) {
    let c = d.col(col);
    (
        c.iter().map(|x| x != "NA").collect(),
        c.iter().map(|x| x == value).collect(),
    )
}

#[test]
fn t3_proportions_with_design_effects() {
    for (fpc, se, deff) in [(true, 0.02434478, 0.855572), (false, 0.02475680, 0.884777)] {
        let (d, s) = dstrat(fpc);
        let (a, y) = is(&d, "sch.wide", "No");
        let p = proportion(&s, &a, &y);
        close(p.estimate, 0.17205199, 1e-7);
        close(p.se, se, 1e-6);
        close(p.deff.unwrap(), deff, 1e-5);
    }
    let (d, c) = dclus1();
    let (a, y) = is(&d, "sch.wide", "No");
    let p = proportion(&c, &a, &y);
    close(p.estimate, 0.12568306, 1e-7);
    close(p.se, 0.02035948, 1e-6);
    close(p.deff.unwrap(), 0.707430, 1e-5);
}

#[test]
fn t4_t5_intervals_for_proportions() {
    let (d, c) = dclus1();
    let ell = d.num("ell");
    let p = proportion(
        &c,
        &vec![true; ell.len()],
        &ell.iter().map(|x| *x == Some(0.0)).collect::<Vec<_>>(),
    );
    close(p.estimate, 0.02185792, 1e-6);
    close(p.se, 0.02262245, 1e-6);
    for (m, lo, hi) in [
        (Method::Logit, 0.00230469, 0.17774777),
        (Method::Beta, 0.00021615, 0.13750776),
        (Method::Mean, -0.02666241, 0.07037825),
        (Method::Wilson, 0.00317878, 0.13539129),
    ] {
        let (l, h) = interval(&p, m, 0.95);
        close(l, lo, 1e-4);
        close(h, hi, 1e-5);
    }
    let (d, s) = dstrat(true);
    let (a, y) = is(&d, "sch.wide", "No");
    let p = proportion(&s, &a, &y);
    for (m, lo, hi) in [
        (Method::Logit, 0.12918515, 0.22546035),
        (Method::Beta, 0.12656841, 0.22582867),
        (Method::Mean, 0.12404216, 0.22006182),
        (Method::Wilson, 0.12936244, 0.22518541),
    ] {
        let (l, h) = interval(&p, m, 0.95);
        close(l, lo, 1e-5);
        close(h, hi, 1e-5);
    }
}

#[test]
fn t6_kish_effective_sample_size() {
    let (d, s) = dstrat(true);
    let m = mean(&s, &d.num("api00"));
    assert_eq!(m.n, 200);
    close(m.population, 6193.99996, 1e-8);
    close(m.n_eff, 168.5813313, 1e-8);
}

fn categories(values: &[String], order: &[&str]) -> Vec<usize> {
    let index: HashMap<&str, usize> = order.iter().enumerate().map(|(i, v)| (*v, i)).collect();
    values.iter().map(|v| index[v.as_str()]).collect()
}

#[test]
fn t7_raking_weights_estimates_and_calibrated_variance() {
    let (d, c) = dclus1();
    let margins = [
        Margin {
            name: "stype".into(),
            category: categories(&d.col("stype"), &["E", "H", "M"]),
            targets: vec![4421.0, 755.0, 1018.0],
        },
        Margin {
            name: "sch.wide".into(),
            category: categories(&d.col("sch.wide"), &["No", "Yes"]),
            targets: vec![1072.0, 5122.0],
        },
    ];
    let (r, report) = rake(&c, &margins, 1e-10, 30).unwrap();
    assert!(report.converged, "{report:?}");
    let st = d.col("stype");
    let sw = d.col("sch.wide");
    for (s, w, want) in [
        ("E", "No", 39.83923625),
        ("E", "Yes", 29.87067549),
        ("H", "No", 67.12552924),
        ("H", "Yes", 50.32940112),
        ("M", "No", 49.06907216),
        ("M", "Yes", 36.79102486),
    ] {
        let i = (0..st.len()).find(|&i| st[i] == s && sw[i] == w).unwrap();
        close(r.weights[i], want, 1e-8);
    }
    let m = mean(&r, &d.num("api00"));
    close(m.estimate, 641.23032, 1e-7);
    close(m.n_eff, 174.0111586, 1e-8);
    close(m.population, 6194.0, 1e-9);
    close(m.se, 23.70362, 1e-5);
    let t = total(&r, &d.num("enroll"));
    close(t.estimate, 3647280.1, 1e-7);
    close(t.se, 400603.26, 1e-5);
    // Negative control: the raked weights as if fixed give other standard errors, which
    // must not be what a raked design reports.
    let fixed = Design::new(
        r.weights.clone(),
        None,
        Some(&d.col("dnum")),
        Some(&d.f("fpc")),
    )
    .unwrap();
    close(mean(&fixed, &d.num("api00")).se, 23.80621, 1e-5);
    close(total(&fixed, &d.num("enroll")).se, 1000326.5, 1e-5);
    assert!((m.se - 23.80621).abs() > 0.05);
}

#[test]
fn t8_toy_raking_by_hand() {
    // Cells M-Y ×4, M-O ×2, F-Y ×1, F-O ×3, weight 1; sex M 48 / F 52, age Y 30 / O 70.
    let cells = [(0, 0, 4), (0, 1, 2), (1, 0, 1), (1, 1, 3)];
    let mut sex = Vec::new();
    let mut age = Vec::new();
    for (s, a, k) in cells {
        for _ in 0..k {
            sex.push(s);
            age.push(a);
        }
    }
    let d = Design::new(vec![1.0; 10], None, None, None).unwrap();
    let margins = |sex: &[usize], age: &[usize]| {
        [
            Margin {
                name: "sex".into(),
                category: sex.to_vec(),
                targets: vec![48.0, 52.0],
            },
            Margin {
                name: "age".into(),
                category: age.to_vec(),
                targets: vec![30.0, 70.0],
            },
        ]
    };
    // The weight of each unit of a cell (all units of a cell get the same).
    let cell_total = |w: &[f64], s: usize, a: usize| -> f64 {
        let i = (0..10).find(|&i| sex[i] == s && age[i] == a).unwrap();
        w[i]
    };
    let (one, _) = rake(&d, &margins(&sex, &age), 0.0, 1).unwrap();
    close(cell_total(&one.weights, 0, 0), 5.33333333, 1e-8);
    close(cell_total(&one.weights, 0, 1), 10.18181818, 1e-8);
    close(cell_total(&one.weights, 1, 0), 8.66666667, 1e-8);
    close(cell_total(&one.weights, 1, 1), 16.54545455, 1e-8);
    let (two, _) = rake(&d, &margins(&sex, &age), 0.0, 2).unwrap();
    close(cell_total(&two.weights, 0, 0), 5.70449679, 1e-8);
    close(cell_total(&two.weights, 1, 1), 15.25536062, 1e-8);
    let (done, report) = rake(&d, &margins(&sex, &age), 1e-12, 1000).unwrap();
    assert!(report.converged);
    close(cell_total(&done.weights, 0, 0), 5.7644391145, 1e-9);
    close(cell_total(&done.weights, 0, 1), 12.4711217711, 1e-9);
    close(cell_total(&done.weights, 1, 0), 6.9422435421, 1e-9);
    close(cell_total(&done.weights, 1, 1), 15.0192521526, 1e-9);
    let y = vec![Some(1.0); 10];
    close(mean(&done, &y).n_eff, 8.5550419453, 1e-9);
}

#[test]
fn t11_domains_and_independent_waves() {
    let (d, s) = dstrat(true);
    let st = d.col("stype");
    let yes: Vec<Option<f64>> = d
        .col("sch.wide")
        .iter()
        .map(|v| Some(if v == "Yes" { 1.0 } else { 0.0 }))
        .collect();
    let domain = |name: &str| -> Vec<Option<f64>> {
        (0..st.len())
            .map(|i| (st[i] == name).then_some(yes[i].unwrap()))
            .collect()
    };
    let e = mean(&s, &domain("E"));
    let h = mean(&s, &domain("H"));
    let m = mean(&s, &domain("M"));
    close(e.estimate, 0.91, 1e-9);
    close(e.se, 0.028435196, 1e-6);
    close(h.estimate, 0.52, 1e-9);
    close(h.se, 0.068967635, 1e-6);
    close(m.se, 0.063837430, 1e-6);
    let diff = difference(&e, &h, 0.95);
    close(diff.difference, 0.39, 1e-9);
    close(diff.se, 0.074599565, 1e-6);
    // Two waves: a simple random sample against the stratified one.
    let srs = Data::load("apisrs.csv");
    let sd = Design::new(vec![1.0; srs.rows.len()], None, None, Some(&srs.f("fpc"))).unwrap();
    let (a, y) = is(&srs, "sch.wide", "Yes");
    let w1 = proportion(&sd, &a, &y);
    close(w1.estimate, 0.815, 1e-9);
    close(w1.se, 0.02707765, 1e-6);
    let (a, y) = is(&d, "sch.wide", "Yes");
    let w2 = proportion(&s, &a, &y);
    close(w2.estimate, 0.82794801, 1e-7);
    let diff = difference(&w1, &w2, 0.95);
    close(diff.difference, -0.01294801, 1e-6);
    close(diff.se, 0.03641246, 1e-6);
    close(diff.z, -0.355593, 1e-5);
    close(diff.p_value, 0.722145, 1e-5);
}

#[test]
fn bad_designs_are_refused_with_the_row_or_stratum() {
    let e = Design::new(vec![1.0, 0.0, 2.0], None, None, None).unwrap_err();
    assert_eq!(e.to_string(), "row 1: weight 0 is not positive");
    let strata: Vec<String> = ["a", "a", "b"].iter().map(|s| s.to_string()).collect();
    let e = Design::new(vec![1.0; 3], Some(&strata), None, None).unwrap_err();
    assert!(
        e.to_string()
            .contains("\"b\" has a single primary sampling unit"),
        "{e}"
    );
}
