//! `veilig forecast` through the real binary: the method list, the backtest's promised JSON
//! fields and its invariants, `--truth`, the protocol's reference hit rates (on the full
//! Toronto file when `../shared` is present), and a zone's forecast from the store on both
//! backends, which shows the naive count when the method does not beat it.

use crate::common;

use std::path::PathBuf;

use common::{data, json, run};
use serde_json::Value;
use veilig_store::testing;

const DOWNTOWN: &str = "toronto-mci-downtown.csv";

fn backtest(file: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "forecast",
        "backtest",
        "--source",
        "toronto-mci",
        "--file",
        file,
        "--type",
        "Break and Enter",
        "--cell",
        "150",
        "--json",
    ];
    args.extend_from_slice(extra);
    // The backtest opens no store: the --db given is never created.
    let out = run("sqlite:///nonexistent-dir/never.db", &args);
    json(&out)
}

/// The downtown sample into zone `toronto` of the store at `db`.
fn import_downtown(db: &str) {
    json(&run(
        db,
        &[
            "import",
            "incidents",
            "--source",
            "toronto-mci",
            "--zone",
            "toronto",
            data(DOWNTOWN).to_str().unwrap(),
            "--json",
        ],
    ));
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn methods_are_listed_one_a_line() {
    let out = run(
        "sqlite:///nonexistent-dir/never.db",
        &["forecast", "methods"],
    );
    assert!(out.status.success());
    let names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    for m in [
        "naive",
        "naive-365",
        "retro-hotspot",
        "prospective-hotspot",
        "stkde",
        "ewma",
        "blend",
        "poisson-glm",
    ] {
        assert!(names.iter().any(|n| n == m), "{m} missing from {names:?}");
    }
}

#[test]
fn backtest_prints_the_promised_fields_and_they_hold_together() {
    let file = data(DOWNTOWN);
    for method in ["naive", "poisson-glm", "stkde"] {
        let b = backtest(
            file.to_str().unwrap(),
            &[
                "--first-origin",
                "2019-01-07",
                "--weeks",
                "52",
                "--method",
                method,
            ],
        );
        assert_eq!(b["method"], method);
        assert_eq!(floats(&b["coverage"]), vec![0.5, 1.0, 2.0, 5.0, 10.0]);
        let (hr, pai, pei) = (
            floats(&b["hit_rate"]),
            floats(&b["pai"]),
            floats(&b["pei_star"]),
        );
        assert_eq!((hr.len(), pai.len(), pei.len()), (5, 5, 5));
        for j in 0..5 {
            let c = [0.5, 1.0, 2.0, 5.0, 10.0][j] / 100.0;
            assert!(
                (pai[j] - hr[j] / c).abs() < 1e-9,
                "PAI = hit rate / coverage"
            );
            assert!(pei[j] + 1e-12 >= hr[j] && pei[j] <= 1.0, "PEI* ≥ hit rate");
            if j > 0 {
                assert!(hr[j] >= hr[j - 1], "hit rate grows with coverage: {hr:?}");
            }
        }
        assert!(b["seconds_per_forecast"].as_f64().unwrap() >= 0.0);
        // 52 weeks of the 2019 downtown Break and Enter: 498 test events (counted below).
        assert_eq!(b["test_events"], 498);
        let vs = b["vs_naive"].as_array().unwrap();
        assert_eq!(vs.len(), 5);
        for v in vs {
            let iv = floats(&v["interval"]);
            let p = v["p_value"].as_f64().unwrap();
            assert!(iv.len() == 2 && iv[0] <= v["ratio"].as_f64().unwrap() + 1e-12);
            assert!((0.0..=1.0).contains(&p), "{v}");
            if method == "naive" {
                assert_eq!(v["ratio"], 1.0);
                assert_eq!(v["verdict"], "no difference");
            }
        }
    }
}

/// The test events of the downtown sample's 52 weeks from 2019-01-07, straight from the CSV.
#[test]
fn the_test_events_are_the_files_own() {
    let mut rdr = csv::Reader::from_path(data(DOWNTOWN)).unwrap();
    let h = rdr.headers().unwrap().clone();
    let (d, m) = (
        h.iter().position(|c| c == "occurrencedate").unwrap(),
        h.iter().position(|c| c == "MCI").unwrap(),
    );
    let n = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[m] == "Break and Enter")
        .filter(|r| {
            let day = &r[d][..10];
            ("2019/01/07".."2020/01/06").contains(&day)
        })
        .count();
    assert_eq!(n, 498);
}

#[test]
fn truth_from_a_later_file_is_judged_on_the_first_files_model() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data(DOWNTOWN)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let (mut before, mut after) = (vec![header], vec![header]);
    for l in lines {
        if l[..10] < *"2019/07/01" {
            before.push(l);
        } else {
            after.push(l);
        }
    }
    let first = dir.path().join("first.csv");
    let later = dir.path().join("later.csv");
    std::fs::write(&first, before.join("\n") + "\n").unwrap();
    std::fs::write(&later, after.join("\n") + "\n").unwrap();
    let args = [
        "--first-origin",
        "2019-07-01",
        "--weeks",
        "8",
        "--method",
        "naive",
        "--weekly",
    ];
    let whole = backtest(data(DOWNTOWN).to_str().unwrap(), &args);
    let mut with_truth = args.to_vec();
    with_truth.extend(["--truth", later.to_str().unwrap()]);
    let split = backtest(first.to_str().unwrap(), &with_truth);
    assert_eq!(split["truth"], later.to_str().unwrap());
    let (ww, sw) = (
        whole["weeks"].as_array().unwrap(),
        split["weeks"].as_array().unwrap(),
    );
    assert_eq!(ww.len(), 8);
    for (a, b) in ww.iter().zip(sw) {
        // The same test events each week...
        assert_eq!(a["n"], b["n"], "{a} {b}");
    }
    // ...and the same first forecast (both histories end at the origin); later weeks'
    // forecasts differ, because the first file's model never sees the later events.
    assert_eq!(ww[0]["hits"], sw[0]["hits"]);
    assert_ne!(
        ww.iter().map(|w| w["hits"].clone()).collect::<Vec<_>>(),
        sw.iter().map(|w| w["hits"].clone()).collect::<Vec<_>>()
    );
}

#[test]
fn bad_requests_are_refused_with_what_to_do() {
    let file = data(DOWNTOWN);
    let f = file.to_str().unwrap();
    let db = "sqlite:///nonexistent-dir/never.db";
    let base = [
        "forecast",
        "backtest",
        "--source",
        "toronto-mci",
        "--file",
        f,
    ];
    let out = run(
        db,
        &[
            &base[..],
            &["--type", "Break and Enter", "--method", "magic"],
        ]
        .concat(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("magic") && err.contains("poisson-glm"),
        "{err}"
    );
    let out = run(db, &[&base[..], &["--type", "break and enter"]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("matched exactly"),
        "{err}"
    );
    let out = run(
        db,
        &[
            "forecast",
            "backtest",
            "--source",
            "toronto-mci",
            "--file",
            "/no/such.csv",
            "--type",
            "Break and Enter",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("/no/such.csv"),
        "{err}"
    );
}

/// The TOR-BE-W reference table: pooled hit rates of open_cp on the full Toronto file.
const REFERENCE: &[(&str, [f64; 5])] = &[
    ("naive", [0.071, 0.120, 0.194, 0.333, 0.465]),
    ("naive-365", [0.073, 0.117, 0.181, 0.305, 0.433]),
    ("retro-hotspot", [0.053, 0.092, 0.149, 0.261, 0.370]),
    ("prospective-hotspot", [0.056, 0.091, 0.152, 0.261, 0.365]),
    ("stkde", [0.060, 0.094, 0.160, 0.274, 0.386]),
];

fn shared_toronto() -> Option<PathBuf> {
    let p = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("../../../shared/data/toronto-mci/mci-2014-2021.csv");
    p.exists().then_some(p)
}

/// Runs on the full file, which is not in the repository: CI has `../shared` beside the
/// checkout, so it runs there; a machine without it says so on stderr.
#[test]
fn reference_methods_reproduce_the_protocols_hit_rates() {
    let Some(file) = shared_toronto() else {
        eprintln!("../shared/data/toronto-mci is absent: the reference check did not run");
        return;
    };
    for (method, want) in REFERENCE {
        let b = backtest(
            file.to_str().unwrap(),
            &[
                "--first-origin",
                "2019-01-07",
                "--weeks",
                "52",
                "--method",
                method,
            ],
        );
        assert_eq!(b["test_events"], 7263, "{method}");
        assert_eq!(b["mask_cells"], 12379, "{method}");
        let hr = floats(&b["hit_rate"]);
        for j in 0..5 {
            assert!(
                (hr[j] - want[j]).abs() <= 0.005,
                "{method} at coverage {j}: {} against the reference {}",
                hr[j],
                want[j]
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zones_forecast_shows_the_naive_count_when_the_method_does_not_beat_it() {
    let mut stores = vec![testing::sqlite().await];
    stores.extend(testing::postgres().await);
    for t in stores {
        let db = t.url.clone();
        import_downtown(&db);
        let v = json(&run(
            &db,
            &[
                "forecast",
                "--zone",
                "toronto",
                "--phenomenon",
                "woninginbraak",
                "--coverage",
                "5",
                "--origin",
                "2019-07-01",
                "--json",
            ],
        ));
        assert_eq!(v["origin"], "2019-07-01");
        assert_eq!(v["week_end"], "2019-07-07");
        assert_eq!(v["method"], "poisson-glm");
        let e = &v["card"]["backtest"];
        assert_eq!(e["weeks"], 26);
        let beats = e["beats_naive"].as_bool().unwrap();
        assert_eq!(beats, e["vs_naive"]["verdict"] == "better");
        // On this small downtown sample the regression does not beat the count: the count
        // is what is shown.
        assert!(!beats, "{e}");
        assert_eq!(v["shown"], "naive");
        let k = v["flagged_cells"].as_u64().unwrap() as usize;
        assert_eq!(v["cells"].as_array().unwrap().len(), k);
        assert_eq!(v["cells"], v["naive_cells"]);
        // The naive count's cells are ranked by their past count.
        let past: Vec<u64> = v["naive_cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["past_count"].as_u64().unwrap())
            .collect();
        assert!(past.windows(2).all(|w| w[0] >= w[1]), "{past:?}");
        let limits: Vec<&str> = v["card"]["limits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["code"].as_str().unwrap())
            .collect();
        assert!(limits.contains(&"feedback-loop") && limits.contains(&"place-only"));
        assert!(!v["card"]["batches"].as_array().unwrap().is_empty());
        // A week that does not start on a Monday is refused.
        let out = run(
            &db,
            &[
                "forecast",
                "--zone",
                "toronto",
                "--phenomenon",
                "woninginbraak",
                "--origin",
                "2019-07-02",
            ],
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("Monday"));
    }
}

/// `veilig refresh`: the import queued the zone's forecasts; refresh runs them here and
/// waits; a second refresh finds them done. What the page reads is what `veilig forecast`
/// computes (one truth), on both backends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_computes_the_queued_forecasts_once_and_the_page_reads_the_same_figures() {
    let mut stores = vec![testing::sqlite().await];
    stores.extend(testing::postgres().await);
    for t in stores {
        let db = t.url.clone();
        import_downtown(&db);
        let first = json(&run(&db, &["refresh", "--zone", "toronto", "--json"]));
        let r = &first[0];
        assert_eq!(r["zone"], "toronto");
        let jobs = r["jobs"].as_u64().unwrap();
        assert!(jobs >= 3, "{first}");
        assert_eq!(
            r["done"].as_u64().unwrap() + r["failed"].as_u64().unwrap(),
            jobs
        );
        assert_eq!(
            r["ran"].as_u64().unwrap(),
            jobs,
            "queued by the import, run here"
        );
        let again = json(&run(&db, &["refresh", "--zone", "toronto", "--json"]));
        assert_eq!(again[0]["ran"], 0, "nothing twice");
        assert_eq!(again[0]["data_version"], r["data_version"]);
        let cli = json(&run(
            &db,
            &[
                "forecast",
                "--zone",
                "toronto",
                "--phenomenon",
                "woninginbraak",
                "--json",
            ],
        ));
        let zone = t.store.zone("toronto").await.unwrap().unwrap();
        match veilig_query::refresh::forecast(
            &t.store,
            &zone,
            "woninginbraak",
            veilig_forecast::Method::PoissonGlm,
            1.0,
        )
        .await
        .unwrap()
        {
            veilig_query::refresh::Computed::Ready(v) => {
                let stored = serde_json::to_value(&v).unwrap();
                for field in [
                    "origin",
                    "week_end",
                    "method",
                    "shown",
                    "cells",
                    "naive_cells",
                ] {
                    assert_eq!(stored[field], cli[field], "{field}");
                }
                assert_eq!(stored["card"]["backtest"], cli["card"]["backtest"]);
            }
            other => panic!("not stored: {other:?}"),
        }
    }
}
