//! Survey responses and the population groups surveys are raked to.

use super::*;

both_backends!(
    survey_responses_round_trip_once_per_respondent_and_wave,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let response = |id: &str, wave: &str, answer: Option<i64>| SurveyResponse {
            survey: "veiligheidsmonitor".into(),
            wave: wave.into(),
            respondent: id.into(),
            municipality: Some("13025".into()),
            area_code: Some("MOL-01".into()),
            stratum: Some("13025-F-35-49".into()),
            cluster: None,
            weight: 25.5,
            fpc: Some(31_000.0),
            sex: Some("F".into()),
            age_band: Some("35-49".into()),
            answers: [
                ("onveilig".to_string(), answer),
                ("tevreden".to_string(), Some(4)),
            ]
            .into_iter()
            .collect(),
            synthetic: true,
        };
        let mut tx = store
            .begin_import(&NewBatch {
                zone_id: z.id,
                kind: BatchKind::Survey,
                source: "veiligheidsmonitor",
                file_name: "vm.csv",
                sha256: "h",
                mapping: Some("survey = \"veiligheidsmonitor\""),
                synthetic: true,
            })
            .await
            .unwrap();
        // The same respondent twice in a wave is stored once; another wave is another row.
        assert_eq!(
            tx.insert_survey_responses(&[
                response("r1", "2021", Some(4)),
                response("r1", "2021", Some(4)),
                response("r2", "2021", None),
                response("r1", "2024", Some(2)),
            ])
            .await
            .unwrap(),
            3
        );
        let batch = tx.batch_id();
        tx.finish(4, 3, 1, 0).await.unwrap();
        let waves = store.survey_waves(z.id).await.unwrap();
        assert_eq!(
            waves,
            vec![
                (
                    "veiligheidsmonitor".to_string(),
                    "2021".to_string(),
                    batch,
                    2
                ),
                (
                    "veiligheidsmonitor".to_string(),
                    "2024".to_string(),
                    batch,
                    1
                )
            ]
        );
        let back = store
            .survey_responses(z.id, "veiligheidsmonitor", "2021")
            .await
            .unwrap();
        assert_eq!(
            back,
            vec![
                response("r1", "2021", Some(4)),
                response("r2", "2021", None)
            ]
        );
        assert_eq!(
            store.batch_mapping(batch).await.unwrap().as_deref(),
            Some("survey = \"veiligheidsmonitor\"")
        );
    }
);

both_backends!(
    population_groups_keep_each_reference_date,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let group = |sex: &str, date: &str, n: i64| PopulationGroup {
            municipality: "13025".into(),
            sex: sex.into(),
            age_band: "15-24".into(),
            ref_date: d(date),
            inhabitants: n,
            source: "Statbel".into(),
            synthetic: false,
        };
        let mut tx = begin(
            &store,
            z.id,
            BatchKind::PopulationGroups,
            "statbel",
            "p.csv",
            "h",
        )
        .await;
        assert_eq!(
            tx.insert_population_groups(&[
                group("M", "2023-01-01", 2_000),
                group("V", "2023-01-01", 1_900),
                group("M", "2023-01-01", 2_000),
                group("M", "2024-01-01", 2_050),
                group("V", "2024-01-01", 1_950),
            ])
            .await
            .unwrap(),
            4
        );
        tx.finish(5, 4, 1, 0).await.unwrap();
        // The latest reference date not after the day asked, or the oldest.
        let on = |s: &str| {
            let store = store.clone();
            let s = s.to_string();
            async move { store.population_groups(z.id, d(&s)).await.unwrap() }
        };
        let y2024 = on("2024-12-31").await;
        assert_eq!(y2024.iter().map(|g| g.inhabitants).sum::<i64>(), 4_000);
        let y2023 = on("2023-06-30").await;
        assert_eq!(y2023.iter().map(|g| g.inhabitants).sum::<i64>(), 3_900);
        let before = on("2020-01-01").await;
        assert_eq!(before[0].ref_date, d("2023-01-01"));
    }
);
