//! The other imports on both backends (population, statistics, calls, staff; wide statistics
//! tables by period and by category), and a source's own zone.

use super::*;

both_backends!(
    population_statistics_calls_staff,
    |store: Store| async move {
        let z = zone(&store, "west-yorkshire", 27700).await;
        let lsoa = std::fs::read_to_string(data("lsoa-population-sample.csv")).unwrap();
        let codes: Vec<&str> = lsoa
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .collect();
        with_areas(&store, &z, &codes).await;
        with_municipalities(&store, &z, &["13025", "13003"]).await;
        let opts = PopulationOptions {
            level: PopulationLevel::Area,
            code_column: "lsoa_code".into(),
            inhabitants_column: "persons".into(),
            dwellings_column: None,
            households_column: Some("households".into()),
            ref_date: Some(chrono::NaiveDate::from_ymd_opt(2011, 3, 27).unwrap()),
            date_column: None,
            source: "ONS Census 2011".into(),
        };
        let p = import_population(
            &store,
            &z,
            &data("lsoa-population-sample.csv"),
            &opts,
            &Quiet,
        )
        .await
        .unwrap();
        assert_eq!((p.rows_read, p.stored, p.rejected), (14, 14, 0));

        let (_d1, stats) = dir_file(
            "pcs.csv",
            "NIS;Periode;Figuur;Aantal\n13025;2023;Woninginbraak;84\n13025;2023;Fietsdiefstal;301\n13025;2024-Q1;Woninginbraak;19\n13003;2023;Woninginbraak;<5\n",
        );
        let (_d2, sm) = dir_file(
            "pcs.toml",
            "source = \"federale-politie\"\ncategory_kind = \"criminal-figure\"\nclosing_date = \"2024-01-26\"\n[columns]\narea = \"NIS\"\nperiod = \"Periode\"\ncategory = \"Figuur\"\ncount = \"Aantal\"\n",
        );
        let s = import_stat_counts(&store, &z, &stats, &sm, &Quiet)
            .await
            .unwrap();
        assert_eq!((s.rows_read, s.stored, s.rejected), (4, 3, 1));
        assert_eq!(store.rejects(s.batch).await.unwrap()[0].line, 5);
        let st = store.status(&z).await.unwrap();
        assert_eq!(st.statistics[0].category_kind, "criminal-figure");
        assert_eq!(st.statistics[0].categories, 2);

        let (_d3, calls) = dir_file(
            "cad.csv",
            "nr,ontvangen,prio,aard,vrij,ter plaatse\nA1,2024-03-01 10:00:00,P1,inbraak,2024-03-01 11:30:00,2024-03-01 10:12:30\nA2,2024-03-01 10:05:00,P3,,,\nA3,2024-03-01 10:10:00,P2,geluid,2024-03-01 09:00:00,\nA4,2024-03-01 10:20:00,P2,geluid,,2024-03-01 10:10:00\n",
        );
        let (_d4, cm) = dir_file(
            "cad.toml",
            "source = \"cad\"\n[columns]\nid = \"nr\"\nreceived_at = \"ontvangen\"\npriority = \"prio\"\ncategory = \"aard\"\ncleared_at = \"vrij\"\narrived_at = \"ter plaatse\"\n",
        );
        let c = import_calls(&store, &z, &calls, &cm, &Quiet).await.unwrap();
        assert_eq!((c.rows_read, c.stored, c.rejected), (4, 2, 2));
        let rejects = store.rejects(c.batch).await.unwrap();
        assert!(rejects[0].reason.contains("cleared before"));
        assert!(rejects[1].reason.contains("arrived before"));
        // The response time: receipt to arrival, 12.5 minutes; none recorded for A2.
        let (m, _) = store
            .call_response_minutes(
                z.id,
                "2024-03-01T00:00:00".parse().unwrap(),
                "2024-03-02T00:00:00".parse().unwrap(),
                None,
                None,
            )
            .await
            .unwrap();
        assert_eq!(m, [12.5]);

        let (_d5, staff) = dir_file(
            "staff.csv",
            "code,functionality,rank,fte,contract_hours_week,skills,area_code\nD-1,interventie,INP,1,38,OBP|rijbewijs-c,\nD-2,wijkwerking,HINP,0.8,30.4,,W01\nD-3,boekhouding,CALog,1,38,,\n",
        );
        let s = import_staff(&store, &z, &staff, &Quiet).await.unwrap();
        assert_eq!((s.stored, s.rejected), (2, 1));
        assert_eq!(store.count(z.id, Table::Staff).await.unwrap(), 2);
    }
);

both_backends!(
    wide_statistics_by_period_and_by_category,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        with_municipalities(&store, &z, &["13025", "13003", "13006"]).await;
        // The federal police's layout: one row per municipality and figure, a column per year.
        let (_d1, wide) = dir_file(
            "pcs-wide.csv",
            "NIS;Figuur;2022;2023;2024-Q1\n13025;Woninginbraak;91;84;19\n13003;Woninginbraak;40;<5;\n13006;Fietsdiefstal;55;61;12\n",
        );
        let (_d2, wm) = dir_file(
            "pcs-wide.toml",
            "source = \"federale-politie\"\ncategory_kind = \"criminal-figure\"\nclosing_date = \"2024-04-30\"\n[columns]\narea = \"NIS\"\ncategory = \"Figuur\"\n[wide]\nperiods = [\"2022\", \"2023\", \"2024-Q1\"]\n",
        );
        let s = import_stat_counts(&store, &z, &wide, &wm, &Quiet)
            .await
            .unwrap();
        // 8 figures (the blank cell is none), one of them "<5": quarantined by line and column.
        assert_eq!(
            (s.rows_read, s.stored, s.duplicates, s.rejected),
            (8, 7, 0, 1)
        );
        let r = &store.rejects(s.batch).await.unwrap()[0];
        assert_eq!((r.line, r.field.as_str()), (3, "2023"));
        // The same file again: every figure a duplicate.
        let again = import_stat_counts(&store, &z, &wide, &wm, &Quiet)
            .await
            .unwrap();
        assert_eq!((again.stored, again.duplicates), (0, 7));
        // One column per category, one row per municipality and period.
        let (_d3, bycat) = dir_file(
            "cat-wide.csv",
            "gemeente,jaar,Woninginbraak,Fietsdiefstal\n13025,2021,97,280\n13003,2021,44,abc\n",
        );
        let (_d4, cm) = dir_file(
            "cat-wide.toml",
            "source = \"provincie\"\ncategory_kind = \"criminal-figure\"\nclosing_date = \"2022-03-01\"\n[columns]\narea = \"gemeente\"\nperiod = \"jaar\"\n[wide]\ncategories = [\"Woninginbraak\", \"Fietsdiefstal\"]\n",
        );
        let s = import_stat_counts(&store, &z, &bycat, &cm, &Quiet)
            .await
            .unwrap();
        assert_eq!((s.rows_read, s.stored, s.rejected), (4, 3, 1));
        let r = &store.rejects(s.batch).await.unwrap()[0];
        assert_eq!((r.line, r.field.as_str()), (3, "Fietsdiefstal"));
        let st = store.status(&z).await.unwrap();
        assert!(
            st.statistics
                .iter()
                .all(|x| x.category_kind == "criminal-figure")
        );
        // A mapping that names both, or a period column that is not a period, is refused by name.
        let (_d5, bad) = dir_file(
            "bad.toml",
            "source = \"x\"\ncategory_kind = \"total\"\nclosing_date = \"2024-01-01\"\n[columns]\narea = \"NIS\"\ncategory = \"Figuur\"\n[wide]\nperiods = [\"2022\", \"twintig\"]\n",
        );
        let e = import_stat_counts(&store, &z, &wide, &bad, &Quiet)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("bad.toml") && e.contains("\"twintig\""), "{e}");
    }
);

both_backends!(
    figures_about_units_outside_the_zone_are_rejected_with_line_and_field,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        with_municipalities(&store, &z, &["13025"]).await;
        // Berlin district codes (Mitte 11001, Pankow 11003) beside Mol (13025).
        let (_d1, f) = dir_file(
            "mixed.csv",
            "NIS;Periode;Figuur;Aantal\n13025;2023;Woninginbraak;84\n11001;2023;Woninginbraak;900\n11003;2023;Fietsdiefstal;450\n",
        );
        let (_d2, m) = dir_file(
            "mixed.toml",
            "source = \"fp\"\ncategory_kind = \"criminal-figure\"\nclosing_date = \"2024-01-26\"\n[columns]\narea = \"NIS\"\nperiod = \"Periode\"\ncategory = \"Figuur\"\ncount = \"Aantal\"\n",
        );
        let s = import_stat_counts(&store, &z, &f, &m, &Quiet)
            .await
            .unwrap();
        assert_eq!((s.rows_read, s.stored, s.rejected), (3, 1, 2));
        let rejects = store.rejects(s.batch).await.unwrap();
        let got: Vec<(u64, &str)> = rejects.iter().map(|r| (r.line, r.field.as_str())).collect();
        assert_eq!(got, vec![(3, "NIS"), (4, "NIS")]);
        assert!(
            rejects[0]
                .reason
                .contains("\"11001\" is not a municipality of zone bdm"),
            "{}",
            rejects[0].reason
        );
        // Population for a municipality that is not the zone's: rejected the same way.
        // And the same municipality and date with another count: a conflict, not a duplicate.
        let (_d3, p) = dir_file(
            "pop.csv",
            "nis,inw\n13025,37000\n11001,102000\n13025,37000\n13025,38000\n",
        );
        let opts = PopulationOptions {
            level: PopulationLevel::Municipality,
            code_column: "nis".into(),
            inhabitants_column: "inw".into(),
            dwellings_column: None,
            households_column: None,
            ref_date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
            date_column: None,
            source: "Statbel".into(),
        };
        let s = import_population(&store, &z, &p, &opts, &Quiet)
            .await
            .unwrap();
        assert_eq!((s.stored, s.duplicates, s.rejected), (1, 1, 2));
        let rejects = store.rejects(s.batch).await.unwrap();
        assert_eq!((rejects[0].line, rejects[0].field.as_str()), (3, "nis"));
        assert_eq!((rejects[1].line, rejects[1].field.as_str()), (5, "inw"));
        assert!(
            rejects[1].reason.contains("conflict"),
            "{}",
            rejects[1].reason
        );
    }
);

#[test]
fn a_source_names_its_own_zone() {
    let uk = source_zone("police-uk", &data("police-uk-2016-07-sample.csv"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (uk.code.as_str(), uk.name.as_str(), uk.crs),
        (
            "west-yorkshire",
            "West Yorkshire Police (data.police.uk)",
            27700
        )
    );
    let toronto = source_zone("toronto-mci", &data("toronto-mci-sample.csv"))
        .unwrap()
        .unwrap();
    assert_eq!((toronto.code.as_str(), toronto.crs), ("toronto", 32617));
    assert_eq!(
        source_zone("generic", &data("belgian-export-100.csv")).unwrap(),
        None
    );
    let missing = source_zone("police-uk", Path::new("/nonexistent/file.csv")).unwrap_err();
    assert!(
        missing.to_string().contains("/nonexistent/file.csv"),
        "{missing}"
    );
}
