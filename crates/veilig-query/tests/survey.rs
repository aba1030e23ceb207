//! The demo's survey waves read back from the store: weighting corrects the non-response of
//! the young (who feel unsafe more often and answer least): the unweighted share is biased
//! low, the weighted one is not (that the weighted intervals cover the truth in at least 90 %
//! of the cells is checked in `crates/veilig/tests/survey.rs`).

use veilig_query::survey::{Unit, load_wave, waves};
use veilig_store::Store;

#[tokio::test]
async fn weighting_removes_the_bias_of_non_response() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("d.db").display()))
        .await
        .unwrap();
    veilig_demo::build(&store, 2026).await.unwrap();
    let zone = store.zone("demo-bdm").await.unwrap().unwrap();
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
