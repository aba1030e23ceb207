//! `veilig picture`, `hotspots` and `near-repeat` through the real binary.

use crate::common;

use common::{data, json, run};

use veilig_store::testing;

/// Break and Enter rows of 2019 in the Toronto sample, counted straight from the CSV.
fn sample_break_and_enter_2019() -> u64 {
    let mut rdr = csv::Reader::from_path(data("toronto-mci-sample.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let (d, m) = (
        h.iter().position(|c| c == "occurrencedate").unwrap(),
        h.iter().position(|c| c == "MCI").unwrap(),
    );
    rdr.records()
        .map(|r| r.unwrap())
        .filter(|r| &r[m] == "Break and Enter" && r[d].starts_with("2019/"))
        .count() as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picture_contract_on_toronto_sample_both_backends() {
    let want = sample_break_and_enter_2019();
    assert!(want > 0);
    let mut stores = vec![testing::sqlite().await];
    stores.extend(testing::postgres().await);
    for t in stores {
        let db = t.url.clone();
        json(&run(
            &db,
            &[
                "import",
                "incidents",
                "--source",
                "toronto-mci",
                data("toronto-mci-sample.csv").to_str().unwrap(),
                "--json",
            ],
        ));
        let pic = json(&run(
            &db,
            &[
                "picture",
                "--phenomenon",
                "Break and Enter",
                "--from",
                "2019-01-01",
                "--to",
                "2019-12-31",
                "--json",
            ],
        ));
        assert_eq!(pic["count"].as_u64(), Some(want), "{db}");
        let c = &pic["comparison"];
        assert!(
            c["baseline"].is_number() && c["p_value"].is_number() && c["verdict"].is_string(),
            "{c}"
        );
        let hw = pic["hour_weekday"].as_array().unwrap();
        assert_eq!(hw.len(), 7);
        assert!(hw.iter().all(|r| r.as_array().unwrap().len() == 24));
        let sum: f64 = hw
            .iter()
            .flat_map(|r| r.as_array().unwrap())
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((sum - want as f64).abs() < 1e-6);
        assert!(pic["monthly"].as_array().unwrap().len() >= 12);
        assert_eq!(pic["provenance"]["selected_by"], "category");
        assert!(
            pic["provenance"]["batches"][0]["file"]
                .as_str()
                .unwrap()
                .ends_with("toronto-mci-sample.csv")
        );
        // The phenomenon code reaches the same incidents (Break and Enter is all of them).
        let by_code = json(&run(
            &db,
            &[
                "picture",
                "--phenomenon",
                "woninginbraak",
                "--from",
                "2019-01-01",
                "--to",
                "2019-12-31",
                "--compare",
                "previous-3-years",
                "--json",
            ],
        ));
        assert_eq!(by_code["count"], pic["count"]);
        assert_eq!(by_code["comparison"]["label"], "period-vs-previous-3-years");
        let bad = run(
            &db,
            &[
                "picture",
                "--phenomenon",
                "Burglary",
                "--from",
                "2019-01-01",
                "--to",
                "2019-12-31",
            ],
        );
        assert!(
            !bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("veilig status")
        );
    }
}

#[test]
fn demo_picture_page_hotspots_and_near_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    let out = dir.path().join("picture");
    let pic = json(&run(
        &db,
        &[
            "picture",
            "--phenomenon",
            "woninginbraak",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
    ));
    assert_eq!(pic["provenance"]["synthetic"], true);
    // The demo's "published" yearly figures per municipality for Woninginbraak, 2026 provisional.
    let cells = pic["published"]["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 8 * 3);
    assert!(
        cells
            .iter()
            .all(|c| c["category_kind"] == "criminal-figure")
    );
    assert!(
        cells
            .iter()
            .any(|c| c["provisional"] == true && c["period_start"] == "2026-01-01")
    );
    assert!(
        std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("Gepubliceerde cijfers")
    );
    assert_eq!(pic["areas"].as_array().unwrap().len(), 18);
    assert!(pic["areas"][0]["rate_per_1000"].is_number());
    // Rates per municipality and for the zone, on the municipal and zone populations.
    let ms = pic["municipalities"].as_array().unwrap();
    assert_eq!(ms.len(), 3);
    let in_municipalities: u64 = ms.iter().map(|m| m["count"].as_u64().unwrap()).sum();
    assert_eq!(in_municipalities, pic["count"].as_u64().unwrap());
    assert!(
        ms.iter()
            .all(|m| m["rate_per_1000"].as_f64().unwrap() > 0.0)
    );
    let zone_rate = pic["zone"]["rate_per_1000"].as_f64().unwrap();
    assert!(
        (zone_rate
            - pic["count"].as_f64().unwrap() * 1000.0
                / pic["zone"]["population"].as_f64().unwrap())
        .abs()
            < 1e-9
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("lang=\"nl-BE\"") && html.contains("SYNTHETISCH"));
    // The page speaks the reader's language and names imports, not files or commands.
    for b in pic["provenance"]["batches"].as_array().unwrap() {
        let file = b["file"].as_str().unwrap();
        assert!(!html.contains(file), "the page shows the file name {file}");
    }
    assert!(!html.contains("veilig ") && !html.contains("exact conditional"));
    let fr = dir.path().join("picture-fr");
    let args = [
        "picture",
        "--phenomenon",
        "woninginbraak",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--lang",
        "fr",
        "--out",
        fr.to_str().unwrap(),
    ];
    assert!(run(&db, &args).status.success());
    let html_fr = std::fs::read_to_string(fr.join("index.html")).unwrap();
    assert!(html_fr.contains("lang=\"fr-BE\"") && html_fr.contains("Chiffres publiés"));
    for f in [
        "monthly.svg",
        "hour-weekday.svg",
        "areas.svg",
        "hotspots.svg",
    ] {
        let svg = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{f}");
    }
    // Burglary hot spots of 2025 in the demo, with the method's own arguments.
    let hotspots = |extra: &[&str]| {
        let mut args = vec![
            "hotspots",
            "--phenomenon",
            "woninginbraak",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--json",
        ];
        args.extend_from_slice(extra);
        json(&run(&db, &args))
    };
    let counts = hotspots(&["--cell", "150", "--method", "counts"]);
    let total: f64 = counts["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_f64().unwrap())
        .sum();
    assert_eq!(total as u64, counts["events"].as_u64().unwrap());
    assert_eq!(
        counts["events"], pic["count"],
        "every demo incident is located"
    );
    let kde = hotspots(&["--method", "kde"]);
    assert!(kde["bandwidth"].as_f64().unwrap() > 0.0 && kde["bandwidth_rule"].is_string());
    let gi = hotspots(&["--method", "gistar"]);
    assert!(gi["gistar"]["hot"].as_u64().unwrap() > 0);
    let h3 = hotspots(&["--method", "h3", "--resolution", "8"]);
    let in_cells: u64 = h3["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(in_cells, h3["events"].as_u64().unwrap());
    assert!(
        h3["cells"][0]["cell"].as_str().unwrap().starts_with("88"),
        "resolution 8 cells start with 88"
    );
    let nr = json(&run(
        &db,
        &[
            "near-repeat",
            "--phenomenon",
            "woninginbraak",
            "--from",
            "2024-01-01",
            "--to",
            "2025-12-31",
            "--space-bands",
            "0,100,200,400",
            "--time-bands",
            "0,7,14,28",
            "--permutations",
            "99",
            "--json",
        ],
    ));
    assert_eq!(nr["observed"].as_array().unwrap().len(), 3);
    assert_eq!(
        nr["near_repeat"], true,
        "the demo plants near-repeat burglary chains"
    );
    let bad = run(
        &db,
        &[
            "near-repeat",
            "--phenomenon",
            "woninginbraak",
            "--from",
            "2024-01-01",
            "--to",
            "2025-12-31",
            "--space-bands",
            "100,50",
        ],
    );
    assert!(!bad.status.success());
}

/// What the data cover is a stored fact that every figure reads: listed, set by hand, and
/// the trend and the period follow it.
#[test]
fn coverage_is_listed_set_and_read_by_the_picture() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("c.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    let c = json(&run(&db, &["coverage", "--zone", "demo-bdm", "--json"]));
    let s = &c["sources"][0];
    assert_eq!(
        (
            s["first_day"].as_str(),
            s["last_day"].as_str(),
            s["edited"].as_bool()
        ),
        (Some("2019-01-01"), Some("2026-10-31"), Some(false))
    );
    let picture = |from: &str, to: &str| {
        json(&run(
            &db,
            &[
                "picture",
                "--zone",
                "demo-bdm",
                "--phenomenon",
                "woninginbraak",
                "--from",
                from,
                "--to",
                to,
                "--json",
            ],
        ))
    };
    // A period past the data is cut to them, and says so.
    let p = picture("2026-01-01", "2026-12-31");
    assert_eq!(p["partial"], true);
    assert_eq!(p["period"]["end"], "2026-10-31");
    assert_eq!(p["provenance"]["coverage"]["end"], "2026-10-31");
    let years = |p: &serde_json::Value| p["trend"]["years"].as_array().unwrap().clone();
    assert_eq!(
        years(&picture("2025-01-01", "2025-12-31")).len(),
        7,
        "2019-2025"
    );
    // The first two years declared incomplete: the trend starts in 2021.
    let set = json(&run(
        &db,
        &[
            "coverage",
            "--zone",
            "demo-bdm",
            "--source",
            "demo",
            "--from",
            "2021-01-01",
            "--to",
            "2026-10-31",
            "--json",
        ],
    ));
    assert_eq!(set["sources"][0]["edited"], true);
    let after = years(&picture("2025-01-01", "2025-12-31"));
    assert_eq!(after.first().and_then(|y| y.as_i64()), Some(2021));
    // An unknown source, or an end before the start, is refused.
    for args in [
        [
            "--source",
            "islp",
            "--from",
            "2021-01-01",
            "--to",
            "2026-10-31",
        ],
        [
            "--source",
            "demo",
            "--from",
            "2026-01-01",
            "--to",
            "2025-10-31",
        ],
    ] {
        let mut a = vec!["coverage", "--zone", "demo-bdm"];
        a.extend_from_slice(&args);
        assert!(!run(&db, &a).status.success(), "{args:?}");
    }
}
