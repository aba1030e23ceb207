//! Areas (wijken, municipalities, statistical areas) from GeoJSON, with their population
//! when the file carries it. Once stored, every located incident and call of the zone is
//! (re)assigned, in the same transaction: areas may arrive after the incidents.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use veilig_domain::{
    BatchKind, ImportSummary, MultiPolygon, NewArea, PopulationLevel, PopulationRecord, Projector,
    Reject, Zone,
};
use veilig_store::{ImportTx, NewBatch, Store};

use crate::assign::AreaIndex;
use crate::file::read_text;
use crate::{ImportError, Progress};

/// Which GeoJSON properties hold what.
#[derive(Debug, Clone)]
pub struct AreaOptions {
    pub code_field: String,
    pub name_field: Option<String>,
    /// `wijk`, `municipality`, `lsoa`, …
    pub kind: String,
    pub municipality_field: Option<String>,
    pub population_field: Option<String>,
    pub dwellings_field: Option<String>,
    pub households_field: Option<String>,
    /// Reference date of the population figures (required with a population field).
    pub ref_date: Option<NaiveDate>,
    /// Label stored with the population figures.
    pub population_source: String,
    /// EPSG of the file's coordinates (GeoJSON: 4326).
    pub crs: i32,
}

impl Default for AreaOptions {
    fn default() -> Self {
        AreaOptions {
            code_field: "code".into(),
            name_field: Some("name".into()),
            kind: "wijk".into(),
            municipality_field: None,
            population_field: None,
            dwellings_field: None,
            households_field: None,
            ref_date: None,
            population_source: "GeoJSON".into(),
            crs: 4326,
        }
    }
}

fn prop_text(props: &Value, field: &str) -> Option<String> {
    match props.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn prop_count(props: &Value, field: &str) -> Result<Option<i64>, String> {
    match props.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .filter(|v| *v >= 0)
            .map(Some)
            .ok_or_else(|| format!("{n} is not a whole non-negative number")),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(Some)
            .ok_or_else(|| format!("{s:?} is not a whole non-negative number")),
        Some(v) => Err(format!("{v} is not a number")),
    }
}

pub async fn import_areas(
    store: &Store,
    zone: &Zone,
    path: &Path,
    opts: &AreaOptions,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let file = read_text(path, None)?;
    let name = file.name.clone();
    if opts.population_field.is_some() && opts.ref_date.is_none() {
        return Err(ImportError::file(
            &name,
            "a population field needs --ref-date (the date the population figures refer to)",
        ));
    }
    let doc: Value = serde_json::from_str(&file.text)
        .map_err(|e| ImportError::file(&name, format!("not valid JSON: {e}")))?;
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(ImportError::file(&name, "not a GeoJSON FeatureCollection"));
    }
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ImportError::file(&name, "the FeatureCollection has no \"features\" array")
        })?;
    let projector =
        Projector::new(opts.crs, zone.crs).map_err(|e| ImportError::file(&name, e.to_string()))?;

    let mut rejects = Vec::new();
    let mut areas = Vec::new();
    let mut population = Vec::new();
    for (i, f) in features.iter().enumerate() {
        // For GeoJSON the "line" of a reject is the feature's 1-based number.
        let n = i as u64 + 1;
        let raw = || {
            let mut s = f
                .get("properties")
                .map(Value::to_string)
                .unwrap_or_default();
            s.truncate(500);
            s
        };
        let reject = |field: &str, reason: String| Reject {
            line: n,
            field: field.into(),
            reason,
            raw: raw(),
        };
        let props = f.get("properties").cloned().unwrap_or(Value::Null);
        let Some(code) = prop_text(&props, &opts.code_field) else {
            rejects.push(reject(&opts.code_field, "missing area code".into()));
            continue;
        };
        let Some(geometry) = f.get("geometry").filter(|g| !g.is_null()) else {
            rejects.push(reject("geometry", "feature has no geometry".into()));
            continue;
        };
        let geometry = match MultiPolygon::from_geojson(geometry, |x, y| projector.project(x, y)) {
            Ok(g) => g,
            Err(e) => {
                rejects.push(reject("geometry", e.to_string()));
                continue;
            }
        };
        let mut counts = [None, None, None];
        let mut bad = None;
        for (k, field) in [
            &opts.population_field,
            &opts.dwellings_field,
            &opts.households_field,
        ]
        .into_iter()
        .enumerate()
        {
            if let Some(field) = field {
                match prop_count(&props, field) {
                    Ok(v) => counts[k] = v,
                    Err(e) => bad = Some(reject(field, e)),
                }
            }
        }
        if let Some(r) = bad {
            rejects.push(r);
            continue;
        }
        if let (Some(inhabitants), Some(ref_date)) = (counts[0], opts.ref_date) {
            population.push(PopulationRecord {
                level: PopulationLevel::Area,
                code: code.clone(),
                ref_date,
                inhabitants,
                dwellings: counts[1],
                households: counts[2],
                source: opts.population_source.clone(),
                synthetic: false,
            });
        }
        areas.push(NewArea {
            name: opts
                .name_field
                .as_ref()
                .and_then(|f| prop_text(&props, f))
                .unwrap_or_else(|| code.clone()),
            code,
            kind: opts.kind.clone(),
            municipality_nis: opts
                .municipality_field
                .as_ref()
                .and_then(|f| prop_text(&props, f)),
            geometry,
            synthetic: false,
        });
    }
    let same_content_as = store
        .batch_with_hash(zone.id, "geojson", &file.sha256)
        .await?;
    let mut tx = store
        .begin_import(&NewBatch {
            zone_id: zone.id,
            kind: BatchKind::Areas,
            source: "geojson",
            file_name: &name,
            sha256: &file.sha256,
            mapping: None,
            synthetic: false,
        })
        .await?;
    let stored = tx.insert_areas(&areas).await?;
    tx.insert_population(&population).await?;
    tx.insert_rejects(&rejects).await?;
    let unassigned = reassign(&mut tx).await?;
    let rows_read = features.len() as u64;
    let rejected = rejects.len() as u64;
    let duplicates = areas.len() as u64 - stored;
    let batch = tx.batch_id();
    tx.finish(rows_read, stored, duplicates, rejected).await?;
    progress.advance(1, 1);
    Ok(ImportSummary {
        batch,
        kind: BatchKind::Areas,
        source: "geojson".into(),
        file: name,
        sha256: file.sha256,
        rows_read,
        stored,
        duplicates,
        rejected,
        unassigned,
        without_location: 0,
        same_content_as,
    })
}

/// Re-assigns every located incident and call of the zone to the areas the transaction
/// sees; returns how many located incidents lie in no area.
pub async fn reassign(tx: &mut ImportTx) -> Result<u64, ImportError> {
    let index = AreaIndex::new(tx.areas().await?);
    let mut unassigned = 0;
    for calls in [false, true] {
        let rows = tx.located(calls).await?;
        let mut changes = Vec::new();
        for r in rows {
            let a = index.locate(r.x, r.y);
            if a.is_none() && !calls {
                unassigned += 1;
            }
            if a != r.area_id {
                changes.push((r.id, a));
            }
        }
        tx.set_areas(calls, &changes).await?;
    }
    tx.assign_by_source_area().await?;
    Ok(unassigned)
}
