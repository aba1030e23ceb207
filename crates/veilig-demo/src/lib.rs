//! The demo zone: a reproducible, entirely synthetic zone modelled on PZ Balen-Dessel-Mol.
//!
//! The municipality names and NIS codes are real (Balen 13003, Dessel 13006, Mol 13025) and
//! the populations approximately real (rounded, not official). Everything else is invented:
//! wijk polygons (Voronoi cells around real place names), eight years of incidents with
//! seasonality, weekday and hour profiles per phenomenon, persistent hotspots, near-repeat
//! burglary chains and a few trends (online fraud rising, burglary falling, an intervention
//! against bike theft at Mol station in September 2024), calls for service and staff. Every
//! record is flagged synthetic, and the zone itself says so.

pub mod generate;
pub mod geo;
pub mod monitoring;
pub mod plan;
pub mod profiles;
pub mod rng;
pub mod survey;

use sha2::{Digest, Sha256};
use veilig_domain::{BatchKind, Catalogue, NewZone, PopulationLevel, Zone, ZoneCode, ZoneKind};
use veilig_import::assign::AreaIndex;
use veilig_import::rows::Storable;
use veilig_store::{NewBatch, Store, StoreError};

pub use generate::{DemoData, generate};

/// The demo zone's code.
pub const ZONE: &str = "demo-bdm";

#[derive(Debug, serde::Serialize)]
pub struct DemoSummary {
    pub zone: String,
    pub seed: u64,
    /// False when the zone was already complete and nothing was written.
    pub built: bool,
    pub areas: usize,
    pub incidents: usize,
    pub calls: usize,
    pub staff: usize,
    pub population_records: usize,
    pub statistics: usize,
    /// Survey respondents over the three synthetic waves.
    pub survey_responses: usize,
}

/// A digest of the generated data, to show that the same seed gives the same data.
pub fn fingerprint(data: &DemoData) -> String {
    let json = serde_json::to_vec(data).expect("demo data serialises");
    veilig_import::file::hex(&Sha256::digest(&json))
}

/// Builds the demo zone in the store unless it is already complete. Each kind of record is
/// one synthetic batch; keys are deterministic, so a build interrupted half-way is finished
/// by the next run without duplicates.
pub async fn build(store: &Store, seed: u64) -> Result<DemoSummary, StoreError> {
    let data = generate(seed);
    let wijken: Vec<(&str, &str, f64)> = data
        .areas
        .iter()
        .map(|a| {
            let people = data
                .population
                .iter()
                .find(|p| p.level == PopulationLevel::Area && p.code == a.code)
                .map_or(1.0, |p| p.inhabitants as f64);
            (
                a.code.as_str(),
                a.municipality_nis.as_deref().unwrap_or(""),
                people,
            )
        })
        .collect();
    let responses = survey::responses(seed, &wijken);
    let summary = |built| DemoSummary {
        zone: ZONE.into(),
        seed,
        built,
        areas: data.areas.len(),
        incidents: data.incidents.len(),
        calls: data.calls.len(),
        staff: data.staff.len(),
        population_records: data.population.len(),
        statistics: data.statistics.len(),
        survey_responses: responses.len(),
    };
    let zone = match store.zone(ZONE).await? {
        Some(z) => {
            // Complete when the last batch of a build (the survey) is there; a zone built
            // before the survey existed gets it now.
            let batches = store.batches(z.id).await?;
            let has = |k: BatchKind| batches.iter().any(|b| b.kind == k.as_str());
            if has(BatchKind::Survey) {
                plan::write(store, z.id).await?;
                monitoring::write(store, z.id).await?;
                return Ok(summary(false));
            }
            if has(BatchKind::StatCounts) {
                write_survey(store, &z, seed, &responses).await?;
                plan::write(store, z.id).await?;
                monitoring::write(store, z.id).await?;
                return Ok(summary(true));
            }
            z
        }
        None => {
            let z = store
                .create_zone(
                    &NewZone {
                        code: ZoneCode::parse(ZONE).expect("valid code"),
                        name: "PZ Balen-Dessel-Mol — demozone (synthetisch)".into(),
                        kind: ZoneKind::MultiMunicipality,
                        crs: generate::CRS,
                        synthetic: true,
                    },
                    &Catalogue::builtin(),
                )
                .await?;
            for m in &data.municipalities {
                store.add_municipality(z.id, m).await?;
            }
            z
        }
    };
    let label = format!("synthetische demozone (seed {seed})");
    let hash = fingerprint(&data);
    let n = |v: usize| v as u64;

    let mut tx = store
        .begin_import(&NewBatch {
            zone_id: zone.id,
            kind: BatchKind::Areas,
            source: "demo",
            file_name: &label,
            sha256: &hash,
            mapping: None,
            synthetic: true,
        })
        .await?;
    let stored = tx.insert_areas(&data.areas).await?;
    tx.insert_population(&data.population).await?;
    tx.finish(n(data.areas.len()), stored, n(data.areas.len()) - stored, 0)
        .await?;

    let index = AreaIndex::new(store.areas(zone.id).await?);
    let incidents: Vec<_> = data
        .incidents
        .iter()
        .cloned()
        .map(|mut i| {
            i.area_id = i.location.and_then(|l| index.locate(l.x, l.y));
            i
        })
        .collect();
    write(store, &zone, &label, &hash, &incidents).await?;
    let calls: Vec<_> = data
        .calls
        .iter()
        .cloned()
        .map(|mut c| {
            c.area_id = c.location.and_then(|l| index.locate(l.x, l.y));
            c
        })
        .collect();
    write(store, &zone, &label, &hash, &calls).await?;
    write(store, &zone, &label, &hash, &data.staff).await?;
    write(store, &zone, &label, &hash, &data.statistics).await?;
    write_survey(store, &zone, seed, &responses).await?;
    plan::write(store, zone.id).await?;
    monitoring::write(store, zone.id).await?;
    Ok(summary(true))
}

/// The synthetic population by sex and age band (one batch), then the survey waves as one
/// batch with their codebook as its mapping.
async fn write_survey(
    store: &Store,
    zone: &Zone,
    seed: u64,
    rows: &[veilig_domain::SurveyResponse],
) -> Result<(), StoreError> {
    let label = format!("synthetische bevolkingsbevraging (seed {seed})");
    let groups = survey::population_groups();
    let hash = format!(
        "{:x}",
        Sha256::digest(serde_json::to_vec(&groups).expect("serialise"))
    );
    write(store, zone, &label, &hash, &groups).await?;
    let hash = format!(
        "{:x}",
        Sha256::digest(serde_json::to_vec(rows).expect("serialise"))
    );
    let mut tx = store
        .begin_import(&NewBatch {
            zone_id: zone.id,
            kind: BatchKind::Survey,
            source: survey::SURVEY,
            file_name: &label,
            sha256: &hash,
            mapping: Some(survey::CODEBOOK),
            synthetic: true,
        })
        .await?;
    let stored = tx.insert_survey_responses(rows).await?;
    let read = rows.len() as u64;
    tx.finish(read, stored, read - stored, 0).await
}

/// Writes one kind of synthetic record as one batch.
async fn write<T: Storable>(
    store: &Store,
    zone: &Zone,
    label: &str,
    hash: &str,
    rows: &[T],
) -> Result<(), StoreError> {
    let mut tx = store
        .begin_import(&NewBatch {
            zone_id: zone.id,
            kind: T::KIND,
            source: "demo",
            file_name: label,
            sha256: hash,
            mapping: None,
            synthetic: true,
        })
        .await?;
    let stored = T::insert(&mut tx, rows).await?;
    let read = rows.len() as u64;
    tx.finish(read, stored, read - stored, 0).await
}
