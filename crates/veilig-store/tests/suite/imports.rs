//! Batches, incidents, zones and areas: atomic and idempotent imports, exact round trips, bulk loads, isolation.

use super::*;

both_backends!(
    migrations_are_idempotent_and_zone_gets_catalogue,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        assert_eq!(store.zone("bdm").await.unwrap().unwrap(), z);
        assert!(store.zone("nope").await.unwrap().is_none());
        let phen = store.phenomena(z.id).await.unwrap();
        assert_eq!(phen.len(), Catalogue::builtin().phenomena.len());
        let map = store.category_map(z.id).await.unwrap();
        assert_eq!(map.lookup("police-uk", "Burglary"), Some("woninginbraak"));
        // A second zone with the same code is refused.
        let again = store
            .create_zone(
                &NewZone {
                    code: ZoneCode::parse("bdm").unwrap(),
                    name: "x".into(),
                    kind: ZoneKind::SingleMunicipality,
                    crs: 3812,
                    synthetic: false,
                },
                &Catalogue::builtin(),
            )
            .await;
        assert!(again.is_err());
        store
            .add_municipality(
                z.id,
                &Municipality {
                    nis: NisCode::parse("13025").unwrap(),
                    name_nl: "Mol".into(),
                    name_fr: "Mol".into(),
                },
            )
            .await
            .unwrap();
        store
            .add_municipality(
                z.id,
                &Municipality {
                    nis: NisCode::parse("13025").unwrap(),
                    name_nl: "Mol".into(),
                    name_fr: "Mol (fr)".into(),
                },
            )
            .await
            .unwrap();
        let ms = store.municipalities(z.id).await.unwrap();
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].name_fr, "Mol (fr)");
    }
);

both_backends!(
    import_is_atomic_balanced_and_idempotent,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let rows = vec![
            incident(
                "a",
                "Woninginbraak",
                "woninginbraak",
                "2024-01-05 10:00:00",
                Some((650_000.0, 700_000.0)),
            ),
            incident(
                "b",
                "Woninginbraak",
                "woninginbraak",
                "2024-02-05 10:00:00",
                None,
            ),
            incident(
                "a",
                "Woninginbraak",
                "woninginbraak",
                "2024-01-05 10:00:00",
                None,
            ),
        ];
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "x.csv", "h1").await;
        let stored = tx.insert_incidents(&rows).await.unwrap();
        assert_eq!(stored, 2, "the in-file duplicate key is not stored twice");
        tx.insert_rejects(&[Reject {
            line: 5,
            field: "datum".into(),
            reason: "not a date".into(),
            raw: "x;y".into(),
        }])
        .await
        .unwrap();
        tx.finish(4, 2, 1, 1).await.unwrap();

        // Same file again: nothing new.
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "x.csv", "h1").await;
        assert_eq!(tx.insert_incidents(&rows).await.unwrap(), 0);
        tx.finish(3, 0, 3, 0).await.unwrap();
        assert_eq!(store.count(z.id, Table::Incidents).await.unwrap(), 2);
        let first = store.batches(z.id).await.unwrap()[0].id;
        assert_eq!(
            store.batch_with_hash(z.id, "islp", "h1").await.unwrap(),
            Some(first)
        );
        assert_eq!(
            store.batch_with_hash(z.id, "islp", "other").await.unwrap(),
            None
        );

        // A batch dropped before finish leaves nothing, not even its batch row.
        let before = store.count(z.id, Table::Batches).await.unwrap();
        {
            let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "y.csv", "h2").await;
            tx.insert_incidents(&[incident(
                "c",
                "Woninginbraak",
                "woninginbraak",
                "2024-03-05 10:00:00",
                None,
            )])
            .await
            .unwrap();
        }
        assert_eq!(store.count(z.id, Table::Batches).await.unwrap(), before);
        assert_eq!(store.count(z.id, Table::Incidents).await.unwrap(), 2);

        // Counts that do not balance are refused and roll back.
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "z.csv", "h3").await;
        tx.insert_incidents(&[incident(
            "d",
            "Woninginbraak",
            "woninginbraak",
            "2024-03-05 10:00:00",
            None,
        )])
        .await
        .unwrap();
        assert!(tx.finish(5, 1, 0, 0).await.is_err());
        assert_eq!(store.count(z.id, Table::Incidents).await.unwrap(), 2);

        let batches = store.batches(z.id).await.unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(
            (
                batches[0].rows_read,
                batches[0].stored,
                batches[0].duplicates,
                batches[0].rejected
            ),
            (4, 2, 1, 1)
        );
        assert!(batches[0].finished_at.is_some());
        let rejects = store.rejects(batches[0].id).await.unwrap();
        assert_eq!(
            rejects,
            vec![Reject {
                line: 5,
                field: "datum".into(),
                reason: "not a date".into(),
                raw: "x;y".into()
            }]
        );
    }
);

both_backends!(
    incidents_round_trip_exactly_and_filter,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let a = incident(
            "a",
            "Break and Enter",
            "woninginbraak",
            "2019-12-31 23:30:00",
            Some((650_000.25, 700_000.5)),
        );
        let b = incident("b", "Assault", "fysiek-geweld", "2020-01-01 00:15:00", None);
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "toronto-mci", "f", "h").await;
        tx.insert_incidents(&[a.clone(), b.clone()]).await.unwrap();
        tx.finish(2, 2, 0, 0).await.unwrap();
        let all = store
            .incidents(z.id, &IncidentQuery::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].record, a);
        assert_eq!(all[1].record, b);
        assert_eq!(all[0].source, "toronto-mci");
        let q = IncidentQuery {
            category: Some("Break and Enter".into()),
            ..Default::default()
        };
        assert_eq!(store.incidents(z.id, &q).await.unwrap().len(), 1);
        let q = IncidentQuery {
            from: Some(t("2020-01-01 00:00:00")),
            until: Some(t("2021-01-01 00:00:00")),
            ..Default::default()
        };
        let got = store.incidents(z.id, &q).await.unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].record.phenomenon, "fysiek-geweld");
    }
);

both_backends!(
    a_bulk_load_leaves_the_indexes_as_it_found_them,
    |store: Store| async move {
        let sqlite = store.backend_name() == "sqlite";
        let indexes = || veilig_store::testing::index_definitions(&store, "incidents");
        let before = indexes().await.unwrap();
        assert!(
            before.iter().any(|d| d.contains("UNIQUE")),
            "the key index: {before:?}"
        );
        let count = || async {
            store
                .table_counts()
                .await
                .unwrap()
                .into_iter()
                .find(|(t, _)| t == "incidents")
                .unwrap()
                .1
        };
        let z = zone(&store, "bdm").await;
        let row = |k: &str| incident(k, "Diefstal", "diefstal", "2024-03-01 08:00:00", None);

        // A first import of a source into an empty table: bulk on SQLite, never on PostgreSQL.
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "a.csv", "h1").await;
        assert_eq!(tx.bulk_load(3).await.unwrap(), sqlite);
        assert_eq!(tx.bulk_load(3).await.unwrap(), sqlite, "asked again");
        let stored = tx.insert_incidents(&[row("a"), row("b")]).await.unwrap();
        assert_eq!(stored, 2);
        assert_eq!(tx.insert_incidents(&[row("c")]).await.unwrap(), 1);
        tx.finish(3, 3, 0, 0).await.unwrap();
        assert_eq!(indexes().await.unwrap(), before);
        assert_eq!(count().await, 3);

        // The source has rows now: inserts go through the unique index again.
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "b.csv", "h2").await;
        assert!(!tx.bulk_load(1000).await.unwrap());
        let stored = tx.insert_incidents(&[row("a"), row("d")]).await.unwrap();
        assert_eq!(stored, 1, "the stored key is a duplicate");
        tx.finish(2, 1, 1, 0).await.unwrap();

        // Another zone's first file, smaller than the table: no bulk load; larger: bulk.
        let z2 = zone(&store, "gent").await;
        let mut tx = begin(&store, z2.id, BatchKind::Incidents, "islp", "c.csv", "h3").await;
        assert!(!tx.bulk_load(2).await.unwrap());
        drop(tx);
        let mut tx = begin(&store, z2.id, BatchKind::Incidents, "islp", "c.csv", "h3").await;
        assert_eq!(tx.bulk_load(100).await.unwrap(), sqlite);
        tx.insert_incidents(&[row("a")]).await.unwrap();
        drop(tx); // rolled back: the drop of the indexes with it
        assert_eq!(indexes().await.unwrap(), before);
        assert_eq!(count().await, 4);

        // A caller that breaks the contract (one key twice) loses the whole batch, and the
        // rebuilt unique index is what refuses it.
        let mut tx = begin(&store, z2.id, BatchKind::Incidents, "islp", "c.csv", "h3").await;
        assert_eq!(tx.bulk_load(100).await.unwrap(), sqlite);
        let stored = tx.insert_incidents(&[row("x"), row("x")]).await.unwrap();
        let done = tx.finish(2, stored, 2 - stored, 0).await;
        if sqlite {
            let e = done.unwrap_err().to_string();
            assert!(e.contains("one source key twice"), "{e}");
            assert_eq!(count().await, 4);
            let batches = store.batches(z2.id).await.unwrap();
            assert!(batches.is_empty(), "no batch is left: {batches:?}");
        } else {
            done.unwrap();
            assert_eq!(stored, 1);
            assert_eq!(count().await, 5);
        }
        assert_eq!(indexes().await.unwrap(), before);
    }
);

both_backends!(zones_are_isolated, |store: Store| async move {
    let z1 = zone(&store, "z1").await;
    let z2 = zone(&store, "z2").await;
    for z in [&z1, &z2] {
        let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "f", "h").await;
        assert_eq!(
            tx.insert_incidents(&[incident(
                "same",
                "drugs",
                "drugs",
                "2024-01-01 10:00:00",
                None
            )])
            .await
            .unwrap(),
            1
        );
        tx.finish(1, 1, 0, 0).await.unwrap();
    }
    assert_eq!(store.count(z1.id, Table::Incidents).await.unwrap(), 1);
    assert_eq!(store.count(z2.id, Table::Incidents).await.unwrap(), 1);
});

both_backends!(areas_reassignment_and_status, |store: Store| async move {
    let z = zone(&store, "bdm").await;
    let mut tx = begin(&store, z.id, BatchKind::Incidents, "islp", "f", "h").await;
    tx.insert_incidents(&[
        incident(
            "in",
            "Woninginbraak",
            "woninginbraak",
            "2023-05-01 10:00:00",
            Some((5.0, 5.0)),
        ),
        incident(
            "out",
            "Woninginbraak",
            "woninginbraak",
            "2024-05-01 10:00:00",
            Some((50.0, 50.0)),
        ),
        incident("none", "Drugs", "drugs", "2024-06-01 10:00:00", None),
    ])
    .await
    .unwrap();
    tx.finish(3, 3, 0, 0).await.unwrap();

    let mut tx = begin(&store, z.id, BatchKind::Areas, "geojson", "w.geojson", "ha").await;
    assert_eq!(
        tx.insert_areas(&[
            square("w1", 0.0, 0.0, 10.0),
            square("w2", 100.0, 100.0, 10.0)
        ])
        .await
        .unwrap(),
        2
    );
    assert_eq!(
        tx.insert_areas(&[square("w1", 0.0, 0.0, 10.0)])
            .await
            .unwrap(),
        0
    );
    let located = tx.located(false).await.unwrap();
    assert_eq!(located.len(), 2);
    tx.finish(3, 2, 1, 0).await.unwrap();
    let areas = store.areas(z.id).await.unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0].geometry, square("w1", 0.0, 0.0, 10.0).geometry);
    let w1 = areas[0].id;
    let inside = located.iter().find(|r| r.x == 5.0).unwrap().id;
    let mut tx = begin(&store, z.id, BatchKind::Areas, "geojson", "noop", "hb").await;
    tx.set_areas(false, &[(inside, Some(w1))]).await.unwrap();
    tx.finish(0, 0, 0, 0).await.unwrap();

    let st = store.status(&z).await.unwrap();
    assert_eq!(st.incidents, 3);
    assert_eq!(st.unassigned, 1);
    assert_eq!(st.without_location, 1);
    assert_eq!(st.areas, 2);
    let wi = st
        .phenomena
        .iter()
        .find(|p| p.code == "woninginbraak")
        .unwrap();
    assert_eq!(wi.by_year.get(&2023), Some(&1));
    assert_eq!(wi.by_year.get(&2024), Some(&1));
    assert_eq!(wi.total, 2);
    assert_eq!(st.sources.len(), 1);
    assert_eq!(st.sources[0].first, Some(t("2023-05-01 10:00:00")));
    assert_eq!(st.batches.len(), 3);
});

both_backends!(
    the_mappings_of_finished_incident_imports_are_offered_again,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let other = zone(&store, "other").await;
        let open =
            |zone_id: i64, kind: BatchKind, file: &'static str, mapping: Option<&'static str>| {
                let store = store.clone();
                async move {
                    store
                        .begin_import(&NewBatch {
                            zone_id,
                            kind,
                            source: "lokaal",
                            file_name: file,
                            sha256: file,
                            mapping,
                            synthetic: false,
                        })
                        .await
                        .unwrap()
                }
            };
        let tx = open(
            z.id,
            BatchKind::Incidents,
            "a.csv",
            Some("source = \"lokaal\""),
        )
        .await;
        tx.finish(0, 0, 0, 0).await.unwrap();
        let tx = open(
            z.id,
            BatchKind::Incidents,
            "b.csv",
            Some("source = \"lokaal2\""),
        )
        .await;
        tx.finish(0, 0, 0, 0).await.unwrap();
        // Not offered: without a mapping, another kind, another zone, an unfinished import.
        let tx = open(z.id, BatchKind::Incidents, "c.csv", None).await;
        tx.finish(0, 0, 0, 0).await.unwrap();
        let tx = open(z.id, BatchKind::Calls, "d.csv", Some("x")).await;
        tx.finish(0, 0, 0, 0).await.unwrap();
        let tx = open(other.id, BatchKind::Incidents, "e.csv", Some("y")).await;
        tx.finish(0, 0, 0, 0).await.unwrap();
        let _unfinished = open(z.id, BatchKind::Incidents, "f.csv", Some("z")).await;
        let saved = store.saved_mappings(z.id).await.unwrap();
        let files: Vec<&str> = saved.iter().map(|m| m.file_name.as_str()).collect();
        assert_eq!(files, ["b.csv", "a.csv"], "newest first");
        assert_eq!(saved[0].mapping, "source = \"lokaal2\"");
        assert!(saved.iter().all(|m| m.finished_at.is_some()));
    }
);
