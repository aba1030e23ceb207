//! Importer behaviour on real data subsets, on SQLite and PostgreSQL.

use std::path::{Path, PathBuf};

use veilig_domain::*;
use veilig_import::*;
use veilig_store::{IncidentQuery, Store, Table, both_backends};

fn data(name: &str) -> PathBuf {
    std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../testdata")
    .join(name)
}

async fn zone(store: &Store, code: &str, crs: i32) -> Zone {
    store
        .create_zone(
            &NewZone {
                code: ZoneCode::parse(code).unwrap(),
                name: code.into(),
                kind: ZoneKind::MultiMunicipality,
                crs,
                synthetic: false,
            },
            &Catalogue::builtin(),
        )
        .await
        .unwrap()
}

/// Gives the zone these municipalities (NIS codes), so published figures about them are its.
async fn with_municipalities(store: &Store, z: &Zone, nis: &[&str]) {
    for n in nis {
        let m = Municipality {
            nis: NisCode::parse(n).unwrap(),
            name_nl: n.to_string(),
            name_fr: n.to_string(),
        };
        store.add_municipality(z.id, &m).await.unwrap();
    }
}

/// Gives the zone one small square area per code, side by side.
async fn with_areas(store: &Store, z: &Zone, codes: &[&str]) {
    let features: Vec<String> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let x = 400_000 + 1000 * i;
            format!(
                r#"{{"type":"Feature","properties":{{"code":"{c}","name":"{c}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},400000],[{},400000],[{},401000],[{x},401000],[{x},400000]]]}}}}"#,
                x + 1000,
                x + 1000
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("areas.geojson");
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    std::fs::write(&f, text).unwrap();
    let opts = AreaOptions {
        code_field: "code".into(),
        name_field: Some("name".into()),
        kind: "wijk".into(),
        crs: z.crs,
        ..AreaOptions::default()
    };
    import_areas(store, z, &f, &opts, &Quiet).await.unwrap();
}

async fn incidents(
    store: &Store,
    z: &Zone,
    source: &str,
    mapping: Option<&Path>,
    file: &Path,
) -> Result<ImportSummary, ImportError> {
    import_incidents(store, z, incident_format(source, mapping)?, file, &Quiet).await
}

both_backends!(
    police_uk_rows_balance_and_reimport_stores_nothing,
    |store: Store| async move {
        let z = zone(&store, "west-yorkshire", 27700).await;
        let f = data("police-uk-2016-07-sample.csv");
        let s = incidents(&store, &z, "police-uk", None, &f).await.unwrap();
        assert_eq!(s.rows_read, 310);
        assert!(s.balanced());
        // Identical anti-social-behaviour rows are distinct reports: all are stored.
        assert_eq!((s.stored, s.duplicates, s.rejected), (310, 0, 0));
        assert_eq!(s.without_location, 10);
        assert_eq!(s.same_content_as, None);
        let again = incidents(&store, &z, "police-uk", None, &f).await.unwrap();
        assert_eq!(
            (again.rows_read, again.stored, again.duplicates),
            (310, 0, 310)
        );
        assert_eq!(again.same_content_as, Some(s.batch));
        let burglary = store
            .incidents(
                z.id,
                &IncidentQuery {
                    category: Some("Burglary".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(!burglary.is_empty());
        let b = &burglary[0].record;
        assert_eq!(b.phenomenon, "woninginbraak");
        assert_eq!(b.occurred_from.to_string(), "2016-07-01 00:00:00");
        assert_eq!(b.occurred_to.to_string(), "2016-07-31 23:59:59");
        let l = b.location.unwrap();
        assert_eq!(l.orig_crs, 4326);
        // British National Grid: West Yorkshire lies around E 400-450 km, N 400-460 km.
        assert!(
            (380_000.0..480_000.0).contains(&l.x) && (380_000.0..480_000.0).contains(&l.y),
            "{l:?}"
        );
        assert!(b.source_area.as_deref().unwrap().starts_with("E0"));
    }
);

both_backends!(
    toronto_window_is_the_hour_and_date_part_is_local,
    |store: Store| async move {
        let z = zone(&store, "toronto", 32617).await;
        let s = incidents(
            &store,
            &z,
            "toronto-mci",
            None,
            &data("toronto-mci-sample.csv"),
        )
        .await
        .unwrap();
        assert_eq!((s.rows_read, s.stored, s.rejected), (302, 302, 0));
        let all = store
            .incidents(z.id, &IncidentQuery::default())
            .await
            .unwrap();
        // First data row: "2014/03/02 05:00:00+00", hour 8, Assault, House, West Humber-Clairville.
        let first = all
            .iter()
            .find(|i| i.record.occurred_from.to_string() == "2014-03-02 08:00:00")
            .unwrap();
        assert_eq!(first.record.occurred_to.to_string(), "2014-03-02 08:59:59");
        assert_eq!(first.record.category, "Assault");
        assert_eq!(first.record.phenomenon, "fysiek-geweld");
        assert_eq!(first.record.premises.as_deref(), Some("House"));
        assert_eq!(
            first.record.source_area.as_deref(),
            Some("West Humber-Clairville")
        );
        let l = first.record.location.unwrap();
        // UTM 17N: Toronto lies around E 600-650 km, N 4830-4860 km.
        assert!(
            (600_000.0..660_000.0).contains(&l.x) && (4_820_000.0..4_870_000.0).contains(&l.y),
            "{l:?}"
        );
        let st = store.status(&z).await.unwrap();
        assert_eq!(st.phenomena.iter().map(|p| p.total).sum::<i64>(), 302);
    }
);

both_backends!(
    belgian_export_quarantines_exactly_the_malformed_rows,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        let m = data("belgian-export.toml");
        let s = incidents(
            &store,
            &z,
            "generic",
            Some(&m),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap();
        assert_eq!(
            (s.rows_read, s.stored, s.duplicates, s.rejected),
            (100, 97, 0, 3)
        );
        let rejects = store.rejects(s.batch).await.unwrap();
        let got: Vec<(u64, &str)> = rejects.iter().map(|r| (r.line, r.field.as_str())).collect();
        assert_eq!(got, vec![(21, "Begin feiten"), (56, "X"), (91, "Feit")]);
        assert!(
            rejects[0].reason.contains("31/02/2024 10:00")
                && rejects[0].reason.contains("no such day"),
            "{}",
            rejects[0].reason
        );
        assert!(rejects[0].raw.starts_with("BDM.2024.000020;"));
        let all = store
            .incidents(z.id, &IncidentQuery::default())
            .await
            .unwrap();
        // Windows-1252 decoded: the accent survives.
        assert!(
            all.iter()
                .any(|i| i.record.address.as_deref().unwrap_or("").contains("Église"))
        );
        // The mapping's own category table: "Diefstal in woning" → woninginbraak.
        assert!(
            all.iter().any(|i| i.record.category == "Diefstal in woning"
                && i.record.phenomenon == "woninginbraak")
        );
        // Categories no mapping knows become their own phenomenon, flagged unmapped (none here
        // for "Fietsdiefstal", which the catalogue maps for any source).
        assert!(
            all.iter()
                .filter(|i| i.record.category == "Fietsdiefstal")
                .all(|i| i.record.phenomenon == "fietsdiefstal")
        );
        // Decimal comma and Lambert 72: projected into Lambert 2008, about +500 km on both axes.
        let i = all
            .iter()
            .find(|i| i.record.source_key == "BDM.2024.000001")
            .unwrap();
        let l = i.record.location.unwrap();
        // File line 2: X "200698,55", Y "207884,63".
        assert_eq!(
            (l.orig_x, l.orig_y, l.orig_crs),
            (200698.55, 207884.63, 31370)
        );
        assert!(
            (l.x - l.orig_x - 500_000.0).abs() < 10.0 && (l.y - l.orig_y - 500_000.0).abs() < 10.0
        );
        assert_eq!(i.record.occurred_from.to_string(), "2024-04-17 13:09:00");
        assert_eq!(
            i.record.occurred_to, i.record.occurred_from,
            "no end given: an exact time"
        );
        assert_eq!(
            i.record.reported_at.unwrap().to_string(),
            "2024-04-18 09:15:00"
        );
        let again = incidents(
            &store,
            &z,
            "generic",
            Some(&m),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap();
        assert_eq!((again.stored, again.duplicates, again.rejected), (0, 97, 3));
    }
);

both_backends!(
    a_mapping_without_its_decimal_mark_is_refused_naming_the_coordinate_field,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("no-decimal.toml");
        let text = std::fs::read_to_string(data("belgian-export.toml")).unwrap();
        std::fs::write(&m, text.replace("decimal = \",\"\n", "")).unwrap();
        let e = incidents(
            &store,
            &z,
            "generic",
            Some(&m),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 2, field X") && e.contains("decimal") && e.contains("nothing"),
            "{e}"
        );
        // Refused whole: no batch, no incident.
        let st = store.status(&z).await.unwrap();
        assert_eq!(st.phenomena.iter().map(|p| p.total).sum::<i64>(), 0);
        assert!(store.batches(z.id).await.unwrap().is_empty());
    }
);

both_backends!(
    points_far_from_every_area_refuse_the_file_unless_allowed,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        // Two small areas near (400 km, 400 km), far from the export's points (near 700 km).
        with_areas(&store, &z, &["w1", "w2"]).await;
        let format = || incident_format("generic", Some(&data("belgian-export.toml"))).unwrap();
        let file = data("belgian-export-100.csv");
        let e = import_incidents(&store, &z, format(), &file, &Quiet)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("97 of 97 located rows lie far outside") && e.contains("--allow-outside"),
            "{e}"
        );
        let allow = IncidentOptions {
            allow_outside: true,
        };
        let s = import_incidents_with(&store, &z, format(), &file, "x.csv", &allow, &Quiet)
            .await
            .unwrap();
        assert_eq!((s.stored, s.unassigned), (97, 97));
    }
);

both_backends!(
    unknown_categories_become_unmapped_phenomena,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.csv");
        std::fs::write(
            &f,
            "id;feit;datum\n1;Fietsroof;01/02/2024\n2;Fietsroof;02/02/2024\n",
        )
        .unwrap();
        let m = dir.path().join("m.toml");
        std::fs::write(&m, "source = \"x\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nid = \"id\"\ncategory = \"feit\"\noccurred_from = \"datum\"\n").unwrap();
        let s = incidents(&store, &z, "generic", Some(&m), &f)
            .await
            .unwrap();
        assert_eq!(s.stored, 2);
        let p = store.phenomena(z.id).await.unwrap();
        let x = p.iter().find(|p| p.code == "x-fietsroof").unwrap();
        assert!(!x.mapped);
        let inc = store
            .incidents(z.id, &IncidentQuery::default())
            .await
            .unwrap();
        assert_eq!(
            inc[0].record.occurred_from.to_string(),
            "2024-02-01 00:00:00"
        );
        assert_eq!(
            inc[0].record.occurred_to.to_string(),
            "2024-02-01 23:59:59",
            "a date alone covers the day"
        );
    }
);

both_backends!(
    bad_files_are_refused_whole_and_store_nothing,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("export.csv");
        std::fs::write(
            &bin,
            [0x50u8, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0x10],
        )
        .unwrap();
        let e = incidents(&store, &z, "police-uk", None, &bin)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("export.csv") && e.contains("binary"), "{e}");
        // Toronto's file given as police.uk: the missing columns are named.
        let e = incidents(
            &store,
            &z,
            "police-uk",
            None,
            &data("toronto-mci-sample.csv"),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("toronto-mci-sample.csv")
                && e.contains("\"Crime ID\"")
                && e.contains("\"Crime type\""),
            "{e}"
        );
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        assert!(
            incidents(&store, &z, "toronto-mci", None, &empty)
                .await
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        let badmap = dir.path().join("m.toml");
        std::fs::write(
            &badmap,
            "source = \"x\"\n[columns]\ncategory = \"a\"\noccured_from = \"typo\"\n",
        )
        .unwrap();
        let e = incidents(
            &store,
            &z,
            "generic",
            Some(&badmap),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(e.contains("m.toml") && e.contains("occured_from"), "{e}");
        assert_eq!(store.count(z.id, Table::Batches).await.unwrap(), 0);
        assert_eq!(store.count(z.id, Table::Incidents).await.unwrap(), 0);
    }
);

both_backends!(
    areas_after_incidents_reassign_them,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        let s = incidents(
            &store,
            &z,
            "generic",
            Some(&data("belgian-export.toml")),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap();
        assert_eq!(s.unassigned, 97, "no areas yet");
        let opts = AreaOptions {
            code_field: "canton".into(),
            name_field: Some("name_nl".into()),
            kind: "kanton".into(),
            ..AreaOptions::default()
        };
        let a = import_areas(
            &store,
            &z,
            &data("canton-mol-geel-1.geojson"),
            &opts,
            &Quiet,
        )
        .await
        .unwrap();
        assert_eq!((a.rows_read, a.stored, a.rejected), (1, 1, 0));
        // The synthetic points lie around Mol, Balen and Dessel, all inside canton Mol-Geel 1.
        assert_eq!(a.unassigned, 0);
        let st = store.status(&z).await.unwrap();
        assert_eq!((st.unassigned, st.areas), (0, 1));
        let area = &store.areas(z.id).await.unwrap()[0];
        assert_eq!(area.name, "Mol-Geel");
        // The canton covers about 380 km² (Balen 73, Dessel 27, Meerhout 36, Mol 114, Retie 48 km²
        // plus water); the projected polygon's area must be of that order.
        let km2 = area.geometry.area() / 1e6;
        assert!((280.0..420.0).contains(&km2), "{km2} km²");
        // Incidents imported after the areas are assigned on the way in.
        let later = dir_file(
            "late.csv",
            "id;feit;datum;x;y\n1;Drugs;01/02/2024;201000,5;211000,5\n2;Drugs;01/02/2024;100000;100000\n",
        );
        let m = dir_file(
            "late.toml",
            "source = \"late\"\ncrs = 31370\ndecimal = \",\"\ndate_formats = [\"%d/%m/%Y\"]\n[columns]\nid = \"id\"\ncategory = \"feit\"\noccurred_from = \"datum\"\nx = \"x\"\ny = \"y\"\n",
        );
        let s = incidents(&store, &z, "generic", Some(&m.1), &later.1)
            .await
            .unwrap();
        assert_eq!((s.stored, s.unassigned), (2, 1));
    }
);

fn dir_file(name: &str, body: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(name);
    std::fs::write(&p, body).unwrap();
    (d, p)
}

#[path = "import/files.rs"]
mod files;

#[path = "import/local.rs"]
mod local;
