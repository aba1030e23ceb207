//! The imported tables and what is read from them: category mapping, statistics, population, calls, staff, analysis rows, the data version, leave and wishes.

use super::*;

both_backends!(
    category_remapping_moves_incidents,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "f", "h").await;
        tx.ensure_phenomenon(&PhenomenonDef {
            code: "x-fietsroof".into(),
            nl: "Fietsroof".into(),
            fr: "Fietsroof".into(),
            en: "Fietsroof".into(),
            nvp: None,
            mapped: false,
        })
        .await
        .unwrap();
        tx.insert_incidents(&[incident(
            "a",
            "Fietsroof",
            "x-fietsroof",
            "2024-01-01 10:00:00",
            None,
        )])
        .await
        .unwrap();
        tx.finish(1, 1, 0, 0).await.unwrap();
        assert!(
            store
                .set_category_mapping(z.id, "islp", "Fietsroof", "bestaat-niet")
                .await
                .is_err()
        );
        assert_eq!(
            store
                .set_category_mapping(z.id, "islp", "Fietsroof", "fietsdiefstal")
                .await
                .unwrap(),
            1
        );
        let inc = store
            .incidents(z.id, &IncidentQuery::default())
            .await
            .unwrap();
        assert_eq!(inc[0].record.phenomenon, "fietsdiefstal");
        assert_eq!(
            store
                .category_map(z.id)
                .await
                .unwrap()
                .lookup("islp", "fietsroof"),
            Some("fietsdiefstal")
        );
    }
);

both_backends!(
    statistics_population_calls_staff,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let cell = |closing: &str, count| StatCount {
            level: "municipality".into(),
            area_code: "13025".into(),
            period_start: d("2023-01-01"),
            period_end: d("2023-12-31"),
            category: "Woninginbraak".into(),
            category_kind: StatCategoryKind::CriminalFigure,
            count,
            closing_date: d(closing),
            provisional: closing < "2024-06-01",
        };
        let mut tx = begin(
            &store,
            z.id,
            BatchKind::StatCounts,
            "federale-politie",
            "f",
            "h",
        )
        .await;
        // A revision with a later closing date is kept beside the first; a repeat is not.
        assert_eq!(
            tx.insert_stat_counts(&[
                cell("2024-01-26", 80),
                cell("2024-09-30", 84),
                cell("2024-01-26", 80)
            ])
            .await
            .unwrap(),
            2
        );
        let pop = PopulationRecord {
            level: PopulationLevel::Municipality,
            code: "13025".into(),
            ref_date: d("2024-01-01"),
            inhabitants: 37_000,
            dwellings: Some(16_000),
            households: None,
            source: "Statbel".into(),
            synthetic: false,
        };
        assert_eq!(tx.insert_population(&[pop.clone(), pop]).await.unwrap(), 1);
        let call = CallForService {
            source_key: "c1".into(),
            received_at: t("2024-01-01 03:04:05"),
            priority: "P1".into(),
            category: Some("inbraak".into()),
            committed_minutes: Some(42.5),
            response_minutes: Some(9.5),
            location: None,
            area_id: None,
            synthetic: true,
        };
        assert_eq!(tx.insert_calls(&[call.clone(), call]).await.unwrap(), 1);
        let officer = StaffMember {
            code: "D-001".into(),
            functionality: Functionality::Interventie,
            rank: "INP".into(),
            fte: 1.0,
            contract_hours_week: 38.0,
            skills: vec!["OBP".into()],
            area_code: None,
            synthetic: true,
        };
        assert_eq!(
            tx.insert_staff(&[officer.clone(), officer]).await.unwrap(),
            1
        );
        tx.finish(9, 5, 4, 0).await.unwrap();
        let st = store.status(&z).await.unwrap();
        assert_eq!((st.calls, st.staff, st.population_records), (1, 1, 1));
        assert_eq!(
            store.first_call_day(z.id).await.unwrap(),
            Some(d("2024-01-01"))
        );
        assert_eq!(
            store.last_call_day(z.id).await.unwrap(),
            Some(d("2024-01-01"))
        );
        // Staff and calls read back as written.
        let staff = store.staff(z.id).await.unwrap();
        assert_eq!(
            (staff.len(), staff[0].skills.clone(), staff[0].functionality),
            (1, vec!["OBP".to_string()], Functionality::Interventie)
        );
        let calls = store
            .call_times(z.id, t("2024-01-01 00:00:00"), t("2024-01-02 00:00:00"))
            .await
            .unwrap();
        assert_eq!(calls, vec![(t("2024-01-01 03:04:05"), Some(42.5))]);
        assert_eq!(
            store
                .call_categories(z.id, t("2024-01-01 00:00:00"), t("2024-01-02 00:00:00"))
                .await
                .unwrap(),
            vec![(Some("inbraak".to_string()), 1)]
        );
        let (n, batches) = store
            .call_count(
                z.id,
                t("2024-01-01 00:00:00"),
                t("2024-01-02 00:00:00"),
                Some("inbraak"),
                Some("P1"),
            )
            .await
            .unwrap();
        assert_eq!((n, batches.len()), (1, 1));
        assert_eq!(
            store
                .call_priorities(z.id, t("2024-01-01 00:00:00"), t("2024-01-02 00:00:00"))
                .await
                .unwrap(),
            vec![veilig_store::CallPriority {
                priority: "P1".into(),
                calls: 1,
                interventions: 1,
            }]
        );
        let (minutes, _) = store
            .call_response_minutes(
                z.id,
                t("2024-01-01 00:00:00"),
                t("2024-01-02 00:00:00"),
                None,
                Some("P1"),
            )
            .await
            .unwrap();
        assert_eq!(minutes, [9.5]);
        let (n, _) = store
            .call_count(
                z.id,
                t("2024-01-01 00:00:00"),
                t("2024-01-02 00:00:00"),
                None,
                Some("P3"),
            )
            .await
            .unwrap();
        assert_eq!(n, 0);
        assert!(
            store
                .call_times(z.id, t("2024-01-02 00:00:00"), t("2024-02-01 00:00:00"))
                .await
                .unwrap()
                .is_empty()
        );
        // Only the latest revision of a published cell is read back, whatever the case.
        let p = store.published(z.id, "woninginbraak").await.unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(
            (
                p[0].cell.count,
                p[0].cell.closing_date,
                p[0].source.as_str()
            ),
            (84, d("2024-09-30"), "federale-politie")
        );
        assert!(
            store
                .published(z.id, "fietsdiefstal")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(st.statistics.len(), 1);
        assert_eq!(st.statistics[0].cells, 2);
        assert_eq!(st.statistics[0].latest_closing_date, Some(d("2024-09-30")));
    }
);

both_backends!(
    analysis_rows_filter_and_round_trip,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "toronto-mci", "f", "h").await;
        tx.insert_incidents(&[
            incident(
                "a",
                "Break and Enter",
                "woninginbraak",
                "2019-12-31 23:30:00",
                Some((650_000.25, 700_000.5)),
            ),
            incident(
                "b",
                "Break and Enter",
                "woninginbraak",
                "2020-01-01 00:15:00",
                None,
            ),
            incident("c", "Assault", "fysiek-geweld", "2020-01-02 10:00:00", None),
        ])
        .await
        .unwrap();
        let pop = PopulationRecord {
            level: PopulationLevel::Area,
            code: "W1".into(),
            ref_date: d("2024-01-01"),
            inhabitants: 4000,
            dwellings: Some(1800),
            households: None,
            source: "test".into(),
            synthetic: false,
        };
        tx.insert_population(std::slice::from_ref(&pop))
            .await
            .unwrap();
        tx.finish(4, 4, 0, 0).await.unwrap();
        let all = store
            .analysis_rows(
                z.id,
                &IncidentQuery {
                    phenomenon: Some("woninginbraak".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].from, t("2019-12-31 23:30:00"));
        assert_eq!(all[0].to, t("2020-01-01 01:30:00"));
        assert_eq!(all[0].xy, Some((650_000.25, 700_000.5)));
        assert_eq!(all[1].xy, None);
        let q = IncidentQuery {
            category: Some("Break and Enter".into()),
            from: Some(t("2020-01-01 00:00:00")),
            until: Some(t("2020-01-01 00:15:01")),
            ..Default::default()
        };
        let got = store.analysis_rows(z.id, &q).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].from, t("2020-01-01 00:15:00"));
        let q = IncidentQuery {
            until: Some(t("2020-01-01 00:15:00")),
            ..Default::default()
        };
        assert_eq!(
            store.analysis_rows(z.id, &q).await.unwrap().len(),
            1,
            "until is exclusive"
        );
        assert!(store.has_category(z.id, "Assault").await.unwrap());
        assert!(!store.has_category(z.id, "assault").await.unwrap());
        assert_eq!(store.population(z.id).await.unwrap(), vec![pop]);
    }
);

both_backends!(
    data_version_follows_finished_batches,
    |store: Store| async move {
        let z = zone(&store, "z1").await;
        assert_eq!(store.data_version(z.id).await.unwrap(), 0);
        assert_eq!(store.last_incident_day(z.id).await.unwrap(), None);
        assert_eq!(store.last_call_day(z.id).await.unwrap(), None);
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "f", "h").await;
        tx.insert_incidents(&[incident("k", "drugs", "drugs", "2024-03-05 10:00:00", None)])
            .await
            .unwrap();
        tx.finish(1, 1, 0, 0).await.unwrap();
        let v = store.data_version(z.id).await.unwrap();
        assert!(v > 0);
        assert_eq!(
            store.last_incident_day(z.id).await.unwrap(),
            Some(d("2024-03-05"))
        );
    }
);

both_backends!(leave_and_wishes, |store: Store| async move {
    use veilig_store::Leave;
    let z = zone(&store, "lw").await;
    let officer = |code: &str| StaffMember {
        code: code.into(),
        functionality: Functionality::Interventie,
        rank: "INP".into(),
        fte: 1.0,
        contract_hours_week: 38.0,
        skills: vec![],
        area_code: None,
        synthetic: true,
    };
    let mut tx = begin(&store, z.id, BatchKind::Staff, "personeel", "p", "h").await;
    tx.insert_staff(&[officer("P-1"), officer("P-2")])
        .await
        .unwrap();
    tx.finish(2, 2, 0, 0).await.unwrap();
    let leave = |who: &str, from: &str, to: &str| Leave {
        officer: who.into(),
        first_day: d(from),
        last_day: d(to),
        kind: "verlof".into(),
        note: String::new(),
    };
    let ids = store
        .add_leave(
            z.id,
            &[
                leave("P-1", "2026-06-01", "2026-06-03"),
                leave("P-2", "2026-06-10", "2026-06-20"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    // Overlap, both days included: 3 June touches P-1's leave, 4-9 June touches none.
    let found = store
        .leave_between(z.id, d("2026-06-03"), d("2026-06-10"))
        .await
        .unwrap();
    assert_eq!(
        found
            .iter()
            .map(|l| l.leave.officer.as_str())
            .collect::<Vec<_>>(),
        ["P-1", "P-2"]
    );
    assert_eq!(found[0].leave, leave("P-1", "2026-06-01", "2026-06-03"));
    assert!(
        store
            .leave_between(z.id, d("2026-06-04"), d("2026-06-09"))
            .await
            .unwrap()
            .is_empty()
    );
    // A batch with an unknown officer or a stretch that ends before it starts stores nothing.
    for bad in [
        leave("P-9", "2026-07-01", "2026-07-02"),
        leave("P-1", "2026-07-05", "2026-07-01"),
    ] {
        let err = store
            .add_leave(z.id, &[leave("P-2", "2026-07-01", "2026-07-02"), bad])
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("entry 2"), "{err}");
    }
    let all = store
        .leave_between(z.id, d("2026-01-01"), d("2026-12-31"))
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "nothing of the refused batches was stored");
    assert!(store.remove_leave(z.id, ids[0]).await.unwrap());
    assert!(!store.remove_leave(z.id, ids[0]).await.unwrap());
    // Wishes: set, change, and refused for someone not on the staff.
    store.set_no_nights(z.id, "P-2", true).await.unwrap();
    store.set_no_nights(z.id, "P-1", true).await.unwrap();
    store.set_no_nights(z.id, "P-1", false).await.unwrap();
    assert_eq!(store.no_nights(z.id).await.unwrap(), ["P-2"]);
    assert!(store.set_no_nights(z.id, "P-9", true).await.is_err());
});
