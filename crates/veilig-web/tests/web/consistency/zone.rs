//! The accounts the suite reads with, and a one-municipality zone generated for it.

use chrono::{Duration, NaiveDate};
use serde_json::Value;
use veilig_domain::{BatchKind, NewIncident, Role};

use super::super::common::*;

/// A client logged in with an account of `role` for `zone` (made for it when the zone is
/// not the demo's, whose accounts the harness made).
pub(super) async fn zone_account<'a>(
    app: &'a App,
    zone: &veilig_domain::Zone,
    role: Role,
) -> Client<'a> {
    if zone.code.as_str() == ZONE {
        return logged_in(app, Some(role)).await;
    }
    let name = format!("{}-{}", zone.code.as_str(), role.as_str());
    app.store
        .create_user(&veilig_domain::NewUser {
            username: name.clone(),
            display_name: name.clone(),
            password_hash: veilig_web::auth::hash_password(PASSWORD).unwrap(),
            role,
            zone_id: Some(zone.id),
            areas: vec![],
        })
        .await
        .unwrap();
    let mut c = Client::new(app);
    let a = c.login(&name, PASSWORD).await;
    assert_eq!(a.status.as_u16(), 303, "login as {name}: {}", a.body);
    c
}

/// An answer the suite reads: it must have been given.
pub(super) fn answered(what: &str, a: Answer) -> Value {
    assert!(a.status.is_success(), "{what}: {} {}", a.status, a.body);
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// A one-municipality zone (LP Schoten, NIS 11040) whose data start on 1 January 2022, with
/// a phenomenon that starts months later and one that is sparse: the cases where exposure
/// taken from a phenomenon's first record gave two trends.
pub(super) async fn one_municipality_zone(app: &App) -> &'static str {
    let store = &app.store;
    let z = store
        .create_zone(
            &veilig_domain::NewZone {
                code: veilig_domain::ZoneCode::parse("lp-schoten").unwrap(),
                name: "LP Schoten".into(),
                kind: veilig_domain::ZoneKind::SingleMunicipality,
                crs: 3812,
                synthetic: true,
            },
            &veilig_domain::Catalogue::builtin(),
        )
        .await
        .unwrap();
    store
        .add_municipality(
            z.id,
            &veilig_domain::Municipality {
                nis: veilig_domain::NisCode::parse("11040").unwrap(),
                name_nl: "Schoten".into(),
                name_fr: "Schoten".into(),
            },
        )
        .await
        .unwrap();
    let mut tx = store
        .begin_import(&veilig_store::NewBatch {
            zone_id: z.id,
            kind: BatchKind::Incidents,
            source: "islp-schoten",
            file_name: "schoten.csv",
            sha256: "schoten",
            mapping: None,
            synthetic: true,
        })
        .await
        .unwrap();
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let mut rows = Vec::new();
    let mut seed = 0x5eed_u64;
    for day in 0..(4 * 365 + 1) {
        let d = start + Duration::days(day);
        for (code, per_day, from) in [
            ("woninginbraak", 0.35, start),
            (
                "fraude",
                0.30 + day as f64 / 4000.0,
                NaiveDate::from_ymd_opt(2022, 4, 11).unwrap(),
            ),
            (
                "diefstal-geweld",
                0.04,
                NaiveDate::from_ymd_opt(2022, 2, 20).unwrap(),
            ),
        ] {
            if d < from {
                continue;
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if (seed % 10_000) as f64 / 10_000.0 < per_day {
                let t = d.and_hms_opt((seed % 24) as u32, 0, 0).unwrap();
                rows.push(NewIncident {
                    source_key: format!("s{}", rows.len()),
                    category: code.into(),
                    phenomenon: code.into(),
                    occurred_from: t,
                    occurred_to: t,
                    reported_at: None,
                    location: None,
                    address: None,
                    source_area: None,
                    area_id: None,
                    premises: None,
                    outcome: None,
                    synthetic: true,
                });
            }
        }
    }
    tx.insert_incidents(&rows).await.unwrap();
    let n = rows.len() as u64;
    tx.finish(n, n, 0, 0).await.unwrap();
    // Its population at the municipality level only: the zone's rate takes it.
    let mut tx = store
        .begin_import(&veilig_store::NewBatch {
            zone_id: z.id,
            kind: BatchKind::Population,
            source: "statbel",
            file_name: "bevolking.csv",
            sha256: "bevolking",
            mapping: None,
            synthetic: true,
        })
        .await
        .unwrap();
    tx.insert_population(&[veilig_domain::PopulationRecord {
        level: veilig_domain::PopulationLevel::Municipality,
        code: "11040".into(),
        ref_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        inhabitants: 34_000,
        dwellings: None,
        households: None,
        source: "Statbel 2024".into(),
        synthetic: true,
    }])
    .await
    .unwrap();
    tx.finish(1, 1, 0, 0).await.unwrap();
    "lp-schoten"
}
