//! The demo's survey waves read back from the store: weighting corrects the non-response of
//! the young (who feel unsafe more often and answer least): the unweighted share is biased
//! low, the weighted one is not (that the weighted intervals cover the truth in at least 90 %
//! of the cells is checked in `crates/veilig/tests/commands/survey.rs`).

use veilig_query::survey::{Unit, load_wave, waves};
use veilig_store::Store;

/// The demo zone in a scratch SQLite store (the directory lives as long as the store is used).
async fn demo() -> (tempfile::TempDir, Store, veilig_domain::Zone) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("d.db").display()))
        .await
        .unwrap();
    veilig_demo::build(&store, 2026).await.unwrap();
    let zone = store.zone("demo-bdm").await.unwrap().unwrap();
    (dir, store, zone)
}

#[tokio::test]
async fn weighting_removes_the_bias_of_non_response() {
    let (_dir, store, zone) = demo().await;
    let all = waves(&store, &zone).await.unwrap();
    assert_eq!(all.len(), 3);
    let (mut err_weighted, mut err_flat) = (0.0, 0.0);
    for (i, (survey, wave, n)) in all.iter().enumerate() {
        assert!((1_300..1_500).contains(n), "{wave}: {n} respondents");
        let w = load_wave(&store, &zone, survey, wave).await.unwrap();
        let d = w.design().unwrap();
        let truth = veilig_demo::survey::truth(0, i, None);
        let weighted = w
            .estimate(&d, "vaak-altijd-onveilig", &Unit::Zone, true)
            .unwrap();
        let flat = w
            .estimate(&d, "vaak-altijd-onveilig", &Unit::Zone, false)
            .unwrap();
        // The unweighted share is too low (the young are under-represented).
        assert!(
            flat.estimate < truth,
            "{wave}: unweighted {} vs truth {truth}",
            flat.estimate
        );
        err_weighted += (weighted.estimate - truth).abs() / 3.0;
        err_flat += (flat.estimate - truth).abs() / 3.0;
    }
    // Over the three waves, the unweighted share misses the truth by more than twice as much.
    assert!(
        err_flat > 2.0 * err_weighted,
        "unweighted {err_flat}, weighted {err_weighted}"
    );
}

#[tokio::test]
async fn raking_to_the_stored_population_recovers_the_post_stratified_estimate() {
    let (_dir, store, zone) = demo().await;
    let w = load_wave(&store, &zone, "veiligheidsmonitor-demo", "2024")
        .await
        .unwrap();
    // The stored wave is raked to the stored population (already calibrated: no cycle).
    assert!(w.weighting.method.starts_with("raked"), "{:?}", w.weighting);
    assert!(w.weighting.report.as_ref().unwrap().converged);
    let post = w
        .estimate(
            &w.design().unwrap(),
            "vaak-altijd-onveilig",
            &Unit::Zone,
            true,
        )
        .unwrap();
    // From equal weights and no strata, raking to municipality × age band and municipality
    // × sex gives every stratum its population back: the same estimate.
    let n = w.responses.len();
    let flat = veilig_survey::Design::new(vec![1.0; n], None, None, None).unwrap();
    let groups = store
        .population_groups(
            zone.id,
            chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        )
        .await
        .unwrap();
    let (raked, how) =
        veilig_query::survey::weigh(&flat, &w.responses, &groups, &Default::default());
    assert!(how.report.as_ref().unwrap().converged, "{how:?}");
    let population: i64 = groups.iter().map(|g| g.inhabitants).sum();
    let total: f64 = raked.weights.iter().sum();
    assert!((total - population as f64).abs() < 1e-6 * population as f64);
    let e = w
        .estimate(&raked, "vaak-altijd-onveilig", &Unit::Zone, true)
        .unwrap();
    assert!(
        (e.estimate - post.estimate).abs() < 0.003,
        "raked {} post-stratified {}",
        e.estimate,
        post.estimate
    );
    // Without a stored population the codebook weights stay, and the note says why.
    let (_, none) = veilig_query::survey::weigh(&flat, &w.responses, &[], &Default::default());
    assert_eq!(none.method, "codebook weights");
    assert!(none.note.unwrap().contains("population-groups"));
    assert_eq!(none.why_key, Some("survey-not-weighted-no-population"));
}

#[tokio::test]
async fn a_codebook_can_post_stratify_or_calibrate_a_stored_wave_and_trim_it() {
    use veilig_survey::codebook::{WaveMethod, WaveWeighting};
    let (_dir, store, zone) = demo().await;
    let w = load_wave(&store, &zone, "veiligheidsmonitor-demo", "2024")
        .await
        .unwrap();
    let n = w.responses.len();
    let flat = veilig_survey::Design::new(vec![1.0; n], None, None, None).unwrap();
    let on = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let groups = store.population_groups(zone.id, on).await.unwrap();
    let population: f64 = groups.iter().map(|g| g.inhabitants as f64).sum();
    let share = |d: &veilig_survey::Design| {
        w.estimate(d, "vaak-altijd-onveilig", &Unit::Zone, true)
            .unwrap()
    };
    let (raked, _) = veilig_query::survey::weigh(&flat, &w.responses, &groups, &Default::default());
    let r = share(&raked);
    for method in [WaveMethod::Calibrate, WaveMethod::Poststratify] {
        let spec = WaveWeighting { method, trim: None };
        let (d, how) = veilig_query::survey::weigh(&flat, &w.responses, &groups, &spec);
        assert!(how.population.is_some(), "{method:?}: {how:?}");
        let total: f64 = d.weights.iter().sum();
        assert!((total - population).abs() < 1e-6 * population, "{method:?}");
        // Three ways to the same population give nearly the same share and interval.
        let e = share(&d);
        assert!(
            (e.estimate - r.estimate).abs() < 0.01,
            "{method:?}: {} vs {}",
            e.estimate,
            r.estimate
        );
        assert!(
            (e.se / r.se - 1.0).abs() < 0.15,
            "{method:?}: SE {} vs {}",
            e.se,
            r.se
        );
    }
    // Linear calibration hits the margins: every municipality × sex total.
    let spec = WaveWeighting {
        method: WaveMethod::Calibrate,
        trim: Some([0.5, 2.0]),
    };
    let (d, how) = veilig_query::survey::weigh(&flat, &w.responses, &groups, &spec);
    assert_eq!(how.trimmed, Some([0.5, 2.0]));
    let mean = population / n as f64;
    assert!(
        d.weights
            .iter()
            .all(|x| *x >= 0.5 * mean - 1e-6 && *x <= 2.0 * mean + 1e-6)
    );
    assert!((d.weights.iter().sum::<f64>() - population).abs() < 1e-6 * population);
    assert!(how.weights.deff_weighting >= 1.0);
    let spec = WaveWeighting {
        method: WaveMethod::Codebook,
        trim: None,
    };
    let (_, own) = veilig_query::survey::weigh(&flat, &w.responses, &groups, &spec);
    assert_eq!(own.why_key, Some("survey-not-weighted-asked"));
}
