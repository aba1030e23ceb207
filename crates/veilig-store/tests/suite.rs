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

#[path = "suite/imports.rs"]
mod imports;

#[path = "suite/data.rs"]
mod data;

#[path = "suite/accounts.rs"]
mod accounts;

#[path = "suite/survey.rs"]
mod survey;

#[path = "suite/plans.rs"]
mod plans;

#[path = "suite/documents.rs"]
mod documents;

#[path = "suite/forewords.rs"]
mod forewords;

#[path = "suite/jobs.rs"]
mod jobs;

#[path = "suite/releases.rs"]
mod releases;
