//! The store behaviour suite: every test runs on SQLite and on PostgreSQL.

use chrono::{NaiveDate, NaiveDateTime};
use veilig_domain::*;
use veilig_store::{ImportTx, IncidentQuery, NewBatch, Store, Table, both_backends};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn zone(store: &Store, code: &str) -> Zone {
    store
        .create_zone(
            &NewZone {
                code: ZoneCode::parse(code).unwrap(),
                name: format!("Zone {code}"),
                kind: ZoneKind::MultiMunicipality,
                crs: 3812,
                synthetic: false,
            },
            &Catalogue::builtin(),
        )
        .await
        .unwrap()
}

/// Opens a plain (non-synthetic, mapping-less) batch.
async fn begin(
    store: &Store,
    zone_id: i64,
    kind: BatchKind,
    source: &str,
    file: &str,
    sha: &str,
) -> ImportTx {
    store
        .begin_import(&NewBatch {
            zone_id,
            kind,
            source,
            file_name: file,
            sha256: sha,
            mapping: None,
            synthetic: false,
        })
        .await
        .unwrap()
}

fn incident(key: &str, cat: &str, phen: &str, from: &str, xy: Option<(f64, f64)>) -> NewIncident {
    NewIncident {
        source_key: key.into(),
        category: cat.into(),
        phenomenon: phen.into(),
        occurred_from: t(from),
        occurred_to: t(from) + chrono::Duration::hours(2),
        reported_at: Some(t(from) + chrono::Duration::days(1)),
        location: xy.map(|(x, y)| Location {
            x,
            y,
            orig_x: x - 500_000.0,
            orig_y: y - 500_000.0,
            orig_crs: 31370,
        }),
        address: Some("Markt 1, Mol".into()),
        source_area: Some("W03".into()),
        area_id: None,
        premises: Some("woning".into()),
        outcome: None,
        synthetic: false,
    }
}

fn square(code: &str, x0: f64, y0: f64, s: f64) -> NewArea {
    NewArea {
        code: code.into(),
        name: format!("Wijk {code}"),
        kind: "wijk".into(),
        municipality_nis: Some("13025".into()),
        geometry: MultiPolygon(vec![Polygon {
            exterior: vec![
                [x0, y0],
                [x0 + s, y0],
                [x0 + s, y0 + s],
                [x0, y0 + s],
                [x0, y0],
            ],
            holes: vec![],
        }]),
        synthetic: false,
    }
}

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

both_backends!(accounts_sessions_and_audit, |store: Store| async move {
    let z = zone(&store, "z1").await;
    let mut tx = begin(&store, z.id, BatchKind::Areas, "geojson", "a.geojson", "ha").await;
    tx.insert_areas(&[
        square("W1", 0.0, 0.0, 100.0),
        square("W2", 100.0, 0.0, 100.0),
    ])
    .await
    .unwrap();
    tx.finish(2, 2, 0, 0).await.unwrap();
    let areas = store.areas(z.id).await.unwrap();
    let new = |name: &str, role, areas: Vec<i64>| NewUser {
        username: name.into(),
        display_name: format!("User {name}"),
        password_hash: format!("$argon2id$fake${name}"),
        role,
        zone_id: Some(z.id),
        areas,
    };
    let wi = store
        .create_user(&new("wi", Role::Wijkinspecteur, vec![areas[1].id]))
        .await
        .unwrap();
    assert_eq!(
        (wi.role, wi.areas.clone(), wi.disabled),
        (Role::Wijkinspecteur, vec![areas[1].id], false)
    );
    let err = store
        .create_user(&new("wi", Role::Analyst, vec![]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    let (found, hash) = store.user_by_name("wi").await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (wi.id, "$argon2id$fake$wi"));
    assert!(store.user_by_name("nobody").await.unwrap().is_none());

    // Sessions: live until they expire, end with a password or role change.
    let later = chrono::Utc::now().naive_utc() + chrono::Duration::hours(1);
    let earlier = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
    store
        .create_session("h1", wi.id, "c1", later)
        .await
        .unwrap();
    store
        .create_session("old", wi.id, "c0", earlier)
        .await
        .unwrap();
    let s = store.session("h1").await.unwrap().unwrap();
    assert_eq!((s.user.id, s.csrf.as_str()), (wi.id, "c1"));
    assert!(store.session("old").await.unwrap().is_none(), "expired");
    store.set_role(wi.id, Role::Analyst, &[]).await.unwrap();
    assert!(
        store.session("h1").await.unwrap().is_none(),
        "role change ends sessions"
    );
    let u = store.user(wi.id).await.unwrap().unwrap();
    assert_eq!((u.role, u.areas.len()), (Role::Analyst, 0));
    store
        .create_session("h2", wi.id, "c2", later)
        .await
        .unwrap();
    store.set_password(wi.id, "$argon2id$new").await.unwrap();
    assert!(store.session("h2").await.unwrap().is_none());
    assert_eq!(
        store.user_by_name("wi").await.unwrap().unwrap().1,
        "$argon2id$new"
    );
    store
        .create_session("h3", wi.id, "c3", later)
        .await
        .unwrap();
    store.set_disabled(wi.id, true).await.unwrap();
    assert!(store.session("h3").await.unwrap().is_none());
    store
        .create_session("h4", wi.id, "c4", later)
        .await
        .unwrap();
    assert!(
        store.session("h4").await.unwrap().is_none(),
        "disabled user"
    );
    store.set_disabled(wi.id, false).await.unwrap();
    assert!(store.session("h4").await.unwrap().is_some());
    store.delete_session("h4").await.unwrap();
    assert!(store.session("h4").await.unwrap().is_none());
    assert_eq!(store.users().await.unwrap().len(), 1);

    // The audit trail only grows.
    for action in ["login", "export"] {
        store
            .audit(&veilig_store::AuditEntry {
                user_id: Some(wi.id),
                username: Some("wi".into()),
                action: action.into(),
                zone_id: Some(z.id),
                detail: "test".into(),
                client: None,
            })
            .await
            .unwrap();
    }
    let log = store.audit_log(10).await.unwrap();
    assert_eq!(
        log.iter().map(|l| l.action.as_str()).collect::<Vec<_>>(),
        ["export", "login"]
    );
    for sql in [
        "DELETE FROM audit_log",
        "UPDATE audit_log SET detail = 'changed'",
    ] {
        let err = veilig_store::testing::execute_raw(&store, sql)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(store.audit_log(10).await.unwrap().len(), 2);
});

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

both_backends!(
    idle_sessions_end_and_failed_logins_count_from_the_audit_trail,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let u = store
            .create_user(&NewUser {
                username: "Analist".into(),
                display_name: "A".into(),
                password_hash: "$argon2id$fake".into(),
                role: Role::Analyst,
                zone_id: Some(z.id),
                areas: vec![],
            })
            .await
            .unwrap();
        let now = chrono::Utc::now().naive_utc();
        store
            .create_session("s1", u.id, "c1", now + chrono::Duration::hours(8))
            .await
            .unwrap();
        let idle = |minutes: i64| now - chrono::Duration::minutes(minutes);
        // Fresh: used since any cutoff in the past.
        let s = store
            .session_used_since("s1", idle(30))
            .await
            .unwrap()
            .unwrap();
        assert!(s.last_seen <= chrono::Utc::now().naive_utc());
        // Last used 45 minutes ago: alive under a 60-minute idle limit, ended under 30.
        store.touch_session("s1", idle(45)).await.unwrap();
        assert!(
            store
                .session_used_since("s1", idle(60))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .session_used_since("s1", idle(30))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store.session("s1").await.unwrap().is_some(),
            "no idle limit"
        );
        // Failed logins: per account (any case) since its last login, per client.
        let entry = |action: &str, user: &str, client: &str| veilig_store::AuditEntry {
            username: Some(user.into()),
            action: action.into(),
            client: Some(client.into()),
            ..Default::default()
        };
        for (user, client) in [
            ("analist", "10.0.0.1"),
            ("ANALIST", "10.0.0.2"),
            ("other", "10.0.0.1"),
        ] {
            store
                .audit(&entry("login-failed", user, client))
                .await
                .unwrap();
        }
        let since = idle(15);
        assert_eq!(
            store
                .failed_logins("Analist", Some("10.0.0.1"), since)
                .await
                .unwrap(),
            (2, 2)
        );
        store
            .audit(&entry("login", "Analist", "10.0.0.2"))
            .await
            .unwrap();
        // A successful login clears the account's count, not the client's.
        assert_eq!(
            store
                .failed_logins("analist", Some("10.0.0.1"), since)
                .await
                .unwrap(),
            (0, 2)
        );
        assert_eq!(
            store.failed_logins("nobody", None, since).await.unwrap(),
            (0, 0)
        );
    }
);

both_backends!(
    plans_keep_every_version_and_steps_freeze_them,
    |store: Store| async move {
        use veilig_store::{AuditEntry, NewDecision, NewPlanStep, testing::execute_raw};
        let z = zone(&store, "plan-a").await;
        let other = zone(&store, "plan-b").await;
        let audit = |what: &str| AuditEntry {
            username: Some("analist".into()),
            action: what.into(),
            zone_id: Some(z.id),
            detail: what.into(),
            ..Default::default()
        };
        let before = store.audit_log(1000).await.unwrap().len();

        // Decisions: appended, read back oldest first, per zone, never changed.
        let dec = NewDecision {
            zone_id: z.id,
            meeting: d("2025-06-12"),
            subject: "woninginbraak".into(),
            title: "Woninginbraak".into(),
            kind: "prioriteit".into(),
            domain: "external".into(),
            outcome: "adopted".into(),
            rationale: "hoogste schade".into(),
            decided_by: "burgemeesters, PdK, korpschef, DirCo".into(),
            recorded_by: Some("analist".into()),
        };
        let id1 = store
            .record_decision(&dec, &audit("zvr-decision"))
            .await
            .unwrap();
        let id2 = store
            .record_decision(
                &NewDecision {
                    outcome: "withdrawn".into(),
                    meeting: d("2026-03-01"),
                    ..dec.clone()
                },
                &audit("zvr-decision"),
            )
            .await
            .unwrap();
        assert!(id2 > id1);
        let ds = store.decisions(z.id).await.unwrap();
        assert_eq!(
            ds.iter().map(|d| d.outcome.as_str()).collect::<Vec<_>>(),
            ["adopted", "withdrawn"]
        );
        assert_eq!(ds[0].meeting, d("2025-06-12"));
        assert!(store.decisions(other.id).await.unwrap().is_empty());
        let bad = store
            .record_decision(
                &NewDecision {
                    outcome: "maybe".into(),
                    ..dec.clone()
                },
                &audit("zvr-decision"),
            )
            .await;
        assert!(bad.is_err());
        assert_eq!(
            store.decisions(z.id).await.unwrap().len(),
            2,
            "nothing written"
        );
        assert!(
            execute_raw(&store, "UPDATE zvr_decisions SET rationale = 'x'")
                .await
                .is_err()
        );
        assert!(
            execute_raw(&store, "DELETE FROM zvr_decisions")
                .await
                .is_err()
        );

        // Stakeholder input: 0-5 only.
        store
            .add_priority_input(
                z.id,
                "drugs",
                4.0,
                "gemeenteraad Mol",
                "",
                &audit("priority-input"),
            )
            .await
            .unwrap();
        assert!(
            store
                .add_priority_input(z.id, "drugs", 7.0, "x", "", &audit("priority-input"))
                .await
                .is_err()
        );
        assert_eq!(store.priority_inputs(z.id).await.unwrap().len(), 1);

        // A plan: version 1 editable until a step is taken, then frozen; an addendum is version 2.
        let p = store
            .create_plan(
                z.id,
                "zvp-2026-2031",
                false,
                r#"{"v":1}"#,
                &audit("plan-create"),
            )
            .await
            .unwrap();
        assert!(
            store
                .create_plan(z.id, "zvp-2026-2031", false, "{}", &audit("plan-create"))
                .await
                .is_err()
        );
        store
            .save_draft(p.id, 1, r#"{"v":1.1}"#, &audit("plan-edit"))
            .await
            .unwrap();
        let step = NewPlanStep {
            plan_id: p.id,
            version: 1,
            step: "zvr".into(),
            decided_on: d("2026-06-12"),
            outcome: "approved".into(),
            reference: "ZVR 12/06/2026".into(),
            recorded_by: Some("korpschef".into()),
        };
        store
            .add_plan_step(&step, &audit("plan-step"))
            .await
            .unwrap();
        let e = store
            .save_draft(p.id, 1, r#"{"v":"late"}"#, &audit("plan-edit"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("frozen"), "{e}");
        assert!(
            execute_raw(&store, "UPDATE plan_versions SET document = 'x'")
                .await
                .is_err()
        );
        assert!(execute_raw(&store, "DELETE FROM plan_steps").await.is_err());
        let v2 = store
            .add_plan_version(
                p.id,
                "addendum",
                "nieuw NVP",
                r#"{"v":2}"#,
                &audit("plan-version"),
            )
            .await
            .unwrap();
        assert_eq!(v2, 2);
        let vs = store.plan_versions(p.id).await.unwrap();
        assert_eq!(
            vs.iter()
                .map(|v| (v.version, v.document.as_str()))
                .collect::<Vec<_>>(),
            [(1, r#"{"v":1.1}"#), (2, r#"{"v":2}"#)]
        );
        assert_eq!(vs[1].kind, "addendum");
        let steps = store.plan_steps(p.id).await.unwrap();
        assert_eq!((steps.len(), steps[0].decided_on), (1, d("2026-06-12")));
        assert!(store.plans(other.id).await.unwrap().is_empty());

        // Every change wrote its audit line (2 decisions, 1 input, create, edit, step, version).
        let after = store.audit_log(1000).await.unwrap().len();
        assert_eq!(after - before, 7);
    }
);

both_backends!(
    measurements_are_revised_beside_the_old_and_reviews_close_decisions,
    |store: Store| async move {
        use veilig_store::{
            AuditEntry, NewMeasurement, NewReview, NewReviewDecision, testing::execute_raw,
        };
        let z = zone(&store, "mon-a").await;
        let audit = |what: &str| AuditEntry {
            username: Some("analist".into()),
            action: what.into(),
            zone_id: Some(z.id),
            detail: what.into(),
            ..Default::default()
        };
        let i = store
            .create_indicator(z.id, None, "I1", r#"{"x":1}"#, &audit("indicator-add"))
            .await
            .unwrap();
        assert!(
            store
                .create_indicator(z.id, None, "I1", "{}", &audit("indicator-add"))
                .await
                .is_err()
        );
        let m = NewMeasurement {
            indicator_id: i,
            period_start: d("2024-01-01"),
            period_end: d("2024-12-31"),
            value: 203.0,
            low: Some(176.0),
            high: Some(233.0),
            count: Some(203),
            exposure_days: Some(366.0),
            provisional: false,
            batches: vec![1, 2],
            origin: "computed".into(),
            recorded_by: None,
        };
        store
            .add_measurements(std::slice::from_ref(&m), &audit("measure"))
            .await
            .unwrap();
        store
            .add_measurements(
                &[NewMeasurement {
                    value: 205.0,
                    count: Some(205),
                    batches: vec![1, 2, 3],
                    ..m.clone()
                }],
                &audit("measure"),
            )
            .await
            .unwrap();
        let ms = store.measurements(z.id).await.unwrap();
        assert_eq!(
            ms.iter().map(|m| (m.revision, m.value)).collect::<Vec<_>>(),
            [(1, 203.0), (2, 205.0)]
        );
        assert_eq!(ms[1].batches, [1, 2, 3]);
        assert_eq!(ms[0].period_end, d("2024-12-31"));
        assert!(
            execute_raw(&store, "UPDATE measurements SET value = 0")
                .await
                .is_err()
        );
        assert!(
            execute_raw(&store, "DELETE FROM measurements")
                .await
                .is_err()
        );

        // A problem file is saved and replaced whole.
        let p1 = store
            .save_problem_file(z.id, "PF1", r#"{"v":1}"#, &audit("problem-file"))
            .await
            .unwrap();
        let p2 = store
            .save_problem_file(z.id, "PF1", r#"{"v":2}"#, &audit("problem-file"))
            .await
            .unwrap();
        assert_eq!(p1, p2);
        assert_eq!(
            store.problem_files(z.id).await.unwrap()[0].document,
            r#"{"v":2}"#
        );

        // A review takes decisions; the next closes one, the other stays open.
        let r = NewReview {
            zone_id: z.id,
            kind: "compstat".into(),
            period_from: d("2026-09-01"),
            period_to: d("2026-09-30"),
            held_on: d("2026-10-05"),
            document: "{}".into(),
            decisions: vec![
                NewReviewDecision {
                    what: "patrouilles station".into(),
                    who: "interventie".into(),
                    due: d("2026-10-31"),
                },
                NewReviewDecision {
                    what: "preventieadvies".into(),
                    who: "wijkwerking".into(),
                    due: d("2026-11-30"),
                },
            ],
            closes: vec![],
        };
        store.add_review(&r, &audit("review")).await.unwrap();
        let open = store.review_decisions(z.id).await.unwrap();
        let r2 = NewReview {
            held_on: d("2026-11-05"),
            decisions: vec![],
            closes: vec![(open[0].id, "gedaan".into())],
            ..r.clone()
        };
        let id2 = store.add_review(&r2, &audit("review")).await.unwrap();
        let ds = store.review_decisions(z.id).await.unwrap();
        assert_eq!(
            ds.iter().map(|d| d.closed_in).collect::<Vec<_>>(),
            [Some(id2), None]
        );
        // Closing one that is closed already is refused, and nothing is written.
        let bad = NewReview {
            closes: vec![(open[0].id, "again".into())],
            ..r.clone()
        };
        assert!(store.add_review(&bad, &audit("review")).await.is_err());
        assert_eq!(store.reviews(z.id).await.unwrap().len(), 2);
    }
);

both_backends!(
    api_tokens_expire_and_are_revoked,
    |store: Store| async move {
        use veilig_store::AuditEntry;
        let z = zone(&store, "tok-a").await;
        let audit = || AuditEntry {
            username: Some("beheerder".into()),
            action: "token".into(),
            zone_id: Some(z.id),
            detail: "t".into(),
            ..Default::default()
        };
        let id = store
            .create_api_token(
                "h1",
                "bi-tool",
                z.id,
                Role::Council,
                t("2027-01-01 00:00:00"),
                &audit(),
            )
            .await
            .unwrap();
        store
            .create_api_token(
                "h2",
                "old",
                z.id,
                Role::Partner,
                t("2026-01-01 00:00:00"),
                &audit(),
            )
            .await
            .unwrap();
        let now = t("2026-06-01 12:00:00");
        let tok = store.valid_api_token("h1", now).await.unwrap().unwrap();
        assert_eq!((tok.id, tok.role, tok.zone_id), (id, Role::Council, z.id));
        assert!(
            store.valid_api_token("h2", now).await.unwrap().is_none(),
            "expired"
        );
        assert!(store.valid_api_token("nope", now).await.unwrap().is_none());
        assert!(
            store
                .create_api_token(
                    "h1",
                    "dup",
                    z.id,
                    Role::Council,
                    t("2027-01-01 00:00:00"),
                    &audit()
                )
                .await
                .is_err()
        );
        assert!(store.revoke_api_token(id, &audit()).await.unwrap());
        assert!(!store.revoke_api_token(id, &audit()).await.unwrap());
        assert!(
            store.valid_api_token("h1", now).await.unwrap().is_none(),
            "revoked"
        );
        assert_eq!(store.api_tokens().await.unwrap().len(), 2);
    }
);

both_backends!(
    a_dump_restores_whole_into_either_backend,
    |store: Store| async move {
        use veilig_store::{AuditEntry, DERIVED_TABLES, NewDecision, TABLES, testing};
        // Every table of the store is in the dump's list or derived (and left out).
        let mut listed: Vec<String> = TABLES
            .iter()
            .chain(DERIVED_TABLES)
            .map(|t| t.to_string())
            .collect();
        listed.sort();
        assert_eq!(store.table_names().await.unwrap(), listed);

        let z = zone(&store, "dump-a").await;
        let mut tx = begin(
            &store,
            z.id,
            BatchKind::Incidents,
            "islp",
            "a.csv",
            "sha-dump",
        )
        .await;
        tx.insert_incidents(&[
            incident(
                "k1",
                "Diefstal in woning",
                "woninginbraak",
                "2024-03-01 10:00:00",
                Some((650_000.0, 680_000.0)),
            ),
            incident(
                "k2",
                "Fietsdiefstal",
                "fietsdiefstal",
                "2024-03-02 11:00:00",
                None,
            ),
        ])
        .await
        .unwrap();
        tx.finish(2, 2, 0, 0).await.unwrap();
        let audit = AuditEntry {
            username: Some("analist".into()),
            action: "zvr-decision".into(),
            zone_id: Some(z.id),
            detail: "d".into(),
            ..Default::default()
        };
        store
            .record_decision(
                &NewDecision {
                    zone_id: z.id,
                    meeting: d("2025-06-12"),
                    subject: "woninginbraak".into(),
                    title: "Woninginbraak".into(),
                    kind: "prioriteit".into(),
                    domain: "external".into(),
                    outcome: "adopted".into(),
                    rationale: "r".into(),
                    decided_by: "ZVR".into(),
                    recorded_by: None,
                },
                &audit,
            )
            .await
            .unwrap();
        let p = store
            .create_plan(z.id, "zvp", false, r#"{"x":1}"#, &audit)
            .await
            .unwrap();
        let mut dump = Vec::new();
        let header = store.dump(&mut dump).await.unwrap();
        let counts = store.table_counts().await.unwrap();
        assert_eq!(header.counts, counts);

        // Into a fresh SQLite store and (when there is one) a fresh PostgreSQL store: the same
        // counts, the same rows as the store reads them, and identities that continue.
        let mut targets = vec![testing::sqlite().await];
        if let Some(pg) = testing::postgres().await {
            targets.push(pg);
        }
        for t in &targets {
            t.store.restore(&dump[..]).await.unwrap();
            assert_eq!(t.store.table_counts().await.unwrap(), counts);
            let z2 = t.store.zone("dump-a").await.unwrap().unwrap();
            assert_eq!(z2.id, z.id);
            let inc = t
                .store
                .incidents(z2.id, &IncidentQuery::default())
                .await
                .unwrap();
            assert_eq!(inc.len(), 2);
            assert_eq!(inc[0].record.occurred_from, t_of("2024-03-01 10:00:00"));
            assert_eq!(inc[0].record.location.map(|l| l.x), Some(650_000.0));
            assert_eq!(
                t.store.decisions(z2.id).await.unwrap()[0].meeting,
                d("2025-06-12")
            );
            assert_eq!(
                t.store.plan_versions(p.id).await.unwrap()[0].document,
                r#"{"x":1}"#
            );
            let next = t
                .store
                .create_plan(z2.id, "zvp-2", false, "{}", &audit)
                .await
                .unwrap();
            assert!(next.id > p.id, "identities continue after the restored ids");
            // A second restore into a store that is no longer empty is refused.
            let e = t.store.restore(&dump[..]).await.unwrap_err();
            assert!(e.to_string().contains("not empty"), "{e}");
        }
        // A corrupt or truncated dump is refused before anything is written.
        let fresh = testing::sqlite().await;
        let mut bad = dump.clone();
        let at = bad.len() / 2;
        bad[at] = if bad[at] == b'1' { b'2' } else { b'1' };
        assert!(
            fresh
                .store
                .restore(&bad[..])
                .await
                .unwrap_err()
                .to_string()
                .contains("corrupt")
        );
        let cut = &dump[..dump.len() - 30];
        assert!(
            fresh
                .store
                .restore(cut)
                .await
                .unwrap_err()
                .to_string()
                .contains("truncated")
        );
        assert!(
            fresh
                .store
                .table_counts()
                .await
                .unwrap()
                .iter()
                .all(|(_, n)| *n == 0)
        );
    }
);

fn t_of(s: &str) -> NaiveDateTime {
    t(s)
}

both_backends!(
    issued_reports_are_kept_whole_and_feedback_is_answered_once,
    |store: Store| async move {
        use veilig_store::{AuditEntry, NewReport};
        let z = zone(&store, "rep-a").await;
        let other = zone(&store, "rep-b").await;
        let audit = |action: &str| AuditEntry {
            username: Some("analist".into()),
            action: action.into(),
            zone_id: Some(z.id),
            detail: "d".into(),
            ..Default::default()
        };
        // Bytes that are not text survive the round trip exactly.
        let pdf: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let r = NewReport {
            zone_id: z.id,
            kind: "jaarverslag".into(),
            year: 2025,
            municipality: None,
            organisation: None,
            edition: "council".into(),
            lang: "nl".into(),
            data_version: 7,
            batches: vec!["islp (a.csv)".into()],
            parameters: serde_json::json!({"year": 2025}),
            content_sha256: "c".into(),
            pdf: &pdf,
            issued_by: "analist".into(),
        };
        let id = store
            .issue_report(&r, &audit("report.issue"))
            .await
            .unwrap();
        let list = store.issued_reports(z.id).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].data_version, 7);
        assert_eq!(list[0].batches, vec!["islp (a.csv)".to_string()]);
        assert_eq!(list[0].parameters["year"], 2025);
        assert_eq!(list[0].pdf_sha256.len(), 64);
        let (meta, bytes) = store.issued_report(z.id, id).await.unwrap().unwrap();
        assert_eq!(bytes, pdf);
        assert_eq!(meta.id, id);
        // Another zone sees none of it.
        assert!(store.issued_report(other.id, id).await.unwrap().is_none());
        assert!(store.issued_reports(other.id).await.unwrap().is_empty());
        // An unknown edition is refused, nothing stored.
        let bad = NewReport {
            edition: "secret".into(),
            ..r.clone()
        };
        assert!(
            store
                .issue_report(&bad, &audit("report.issue"))
                .await
                .is_err()
        );
        assert_eq!(store.issued_reports(z.id).await.unwrap().len(), 1);
        // Kept as issued: the database refuses a change.
        assert!(
            veilig_store::testing::execute_raw(&store, "UPDATE reports SET year = 2024")
                .await
                .is_err()
        );
        assert!(
            veilig_store::testing::execute_raw(&store, "DELETE FROM reports")
                .await
                .is_err()
        );
        assert_eq!(store.issued_reports(z.id).await.unwrap()[0].year, 2025);
        // Migration 14: a "council" edition issued before it held exact figures; it is the
        // staff edition now (the relabelling runs again here, as on an older store), and the
        // append-only trigger is back afterwards.
        let relabel = match store.backend_name() {
            "sqlite" => include_str!("../migrations/sqlite/0014_staff_edition.sql"),
            _ => include_str!("../migrations/postgres/0014_staff_edition.sql"),
        };
        veilig_store::testing::execute_raw(&store, relabel)
            .await
            .unwrap();
        let relabelled = &store.issued_reports(z.id).await.unwrap()[0];
        assert_eq!(relabelled.edition, "staff");
        assert!(
            veilig_store::testing::execute_raw(&store, "UPDATE reports SET year = 2024")
                .await
                .is_err(),
            "append-only again"
        );

        // Feedback: a partner's remark, answered once.
        let f = store
            .add_feedback(
                z.id,
                "ZVP-1",
                "A4.2",
                "ocmw-mol",
                "partner",
                "Graag een overleg in maart.",
                &audit("feedback"),
            )
            .await
            .unwrap();
        assert!(
            store
                .add_feedback(
                    z.id,
                    "ZVP-1",
                    "A4.2",
                    "ocmw-mol",
                    "partner",
                    "  ",
                    &audit("feedback")
                )
                .await
                .is_err()
        );
        store
            .add_feedback(
                z.id,
                "ZVP-1",
                "A2.1",
                "parket-antwerpen",
                "p2",
                "Ok.",
                &audit("feedback"),
            )
            .await
            .unwrap();
        assert_eq!(store.feedback(z.id, "ZVP-1", None).await.unwrap().len(), 2);
        let mine = store
            .feedback(z.id, "ZVP-1", Some("ocmw-mol"))
            .await
            .unwrap();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].answer.is_none());
        assert!(
            !store
                .answer_feedback(other.id, f, "nee", "x", &audit("feedback.answer"))
                .await
                .unwrap()
        );
        assert!(
            store
                .answer_feedback(
                    z.id,
                    f,
                    "Afgesproken op 12 maart.",
                    "analist",
                    &audit("feedback.answer")
                )
                .await
                .unwrap()
        );
        assert!(
            !store
                .answer_feedback(z.id, f, "anders", "analist", &audit("feedback.answer"))
                .await
                .unwrap()
        );
        let mine = store
            .feedback(z.id, "ZVP-1", Some("ocmw-mol"))
            .await
            .unwrap();
        assert_eq!(mine[0].answer.as_deref(), Some("Afgesproken op 12 maart."));
        assert_eq!(mine[0].answered_by.as_deref(), Some("analist"));
        let log = store.audit_log(100).await.unwrap();
        assert_eq!(log.iter().filter(|a| a.action == "feedback").count(), 2);
        assert_eq!(
            log.iter().filter(|a| a.action == "feedback.answer").count(),
            1
        );
        assert_eq!(log.iter().filter(|a| a.action == "report.issue").count(), 1);
    }
);

#[path = "suite/jobs.rs"]
mod jobs;

#[path = "suite/releases.rs"]
mod releases;
