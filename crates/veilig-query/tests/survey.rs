//! The demo's survey waves read back from the store: weighting corrects the non-response of
//! the young (who feel unsafe more often and answer least): the unweighted share is biased
//! low, the weighted one is not (that the weighted intervals cover the truth in at least 90 %
//! of the cells is checked in `crates/veilig/tests/survey.rs`).

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
    let (raked, how) = veilig_query::survey::weigh(&flat, &w.responses, &groups);
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
    let (_, none) = veilig_query::survey::weigh(&flat, &w.responses, &[]);
    assert_eq!(none.method, "codebook weights");
    assert!(none.note.unwrap().contains("population-groups"));
}
