//! The application layer: every use case of Veilig as one function that the command line
//! and the web application both call, taking plain inputs and returning plain outputs with
//! their provenance (source, period, method). It reads the store into the inputs of the pure
//! crates (analysis, survey, plan, monitor, capacity, forecast, disclosure) and keeps no SQL
//! (the store knows SQL) and no statistics (the pure crates do those).
//!
//! Writing paths check before they store and store with their audit line, so the command
//! line and a page cannot check differently: the plan's (`plan`), the follow-up's
//! (`monitor`), accounts and API tokens (`accounts`, refusing with a translation key), the
//! releases under disclosure control (`published`), issued reports (`report`), backup and
//! restore (`backup`) and the demo's readiness (`demo`). Heavy figures are computed once per
//! data version and cached (`figures`, `refresh`).

pub mod accounts;
pub mod analysis;
pub mod attention;
pub mod backup;
mod cache;
pub mod capacity;
pub mod demo;
pub mod figures;
pub mod forecast;
mod imports;
pub mod monitor;
pub mod plan;
pub mod plan_state;
pub mod published;
pub mod refresh;
pub mod report;
pub mod survey;
mod zones;

pub use imports::after_import;

pub use zones::{
    coverage, existing_zone, given_or_only_zone, import_zone, map_category, zone_or_create,
};

use std::collections::{BTreeSet, HashMap};

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use veilig_analysis::hotspot::Grid;
use veilig_analysis::picture::{AreaInfo, Denominators};
use veilig_analysis::{Event, Period};
use veilig_domain::{Area, PopulationLevel, Zone};
use veilig_store::{IncidentQuery, Store};

/// What to read: a phenomenon code (`woninginbraak`) or a source category exactly as in the
/// data ("Break and Enter"), optionally one zone and one area, over a period.
#[derive(Debug, Clone)]
pub struct Selection {
    pub phenomenon: String,
    /// Zone code; may be left out when one zone has this phenomenon.
    pub zone: Option<String>,
    /// Area code.
    pub area: Option<String>,
    pub from: NaiveDate,
    /// Included.
    pub to: NaiveDate,
}

/// Where the figures come from: principle 2, every number carries its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub zone: String,
    pub zone_name: String,
    /// True when the data are the synthetic demo: say so wherever shown.
    pub synthetic: bool,
    /// `phenomenon` or `category`, and its value.
    pub selected_by: &'static str,
    pub selection: String,
    pub area: Option<String>,
    pub period: Period,
    /// The import batches the incidents come from.
    pub batches: Vec<BatchRef>,
    /// When the newest of those batches was imported (the data's extraction date here).
    pub extraction_date: Option<NaiveDateTime>,
    pub generated_at: NaiveDateTime,
    pub parameters: serde_json::Value,
    /// The first and last day the zone's data cover (its sources' coverage): the figures say
    /// nothing about days outside it.
    pub coverage: Option<Period>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct BatchRef {
    pub id: i64,
    pub source: String,
    pub file: String,
    pub sha256: String,
    pub imported_at: Option<NaiveDateTime>,
}

/// The incidents of a selection, everything up to the period's end (the baselines and series
/// need the years before it).
pub struct Loaded {
    pub zone: Zone,
    pub areas: Vec<Area>,
    pub area: Option<Area>,
    pub events: Vec<Event>,
    pub period: Period,
    pub provenance: Provenance,
    /// As in the provenance: what the zone's data cover.
    pub coverage: Option<Period>,
}

impl Loaded {
    /// Located incidents inside the period, in the zone's metric CRS.
    pub fn points_in_period(&self) -> Vec<(f64, f64)> {
        self.events
            .iter()
            .filter(|e| self.period.contains(e.date()))
            .filter_map(|e| e.xy)
            .collect()
    }
}

/// The zone's import batches among `used`, as provenance names them.
pub async fn batch_refs(
    store: &Store,
    zone_id: i64,
    used: &BTreeSet<i64>,
) -> Result<Vec<BatchRef>> {
    Ok(store
        .batches(zone_id)
        .await?
        .into_iter()
        .filter(|b| used.contains(&b.id))
        .map(|b| BatchRef {
            id: b.id,
            source: b.source,
            file: b.file_name,
            sha256: b.sha256,
            imported_at: b.finished_at,
        })
        .collect())
}

/// The days the zone's incident data cover: from the earliest first day to the latest last
/// day of its sources' coverage (None without incidents).
pub async fn zone_coverage(store: &Store, zone_id: i64) -> Result<Option<Period>> {
    let c = store.coverage(zone_id).await?;
    let first = c.iter().map(|c| c.first_day).min();
    let last = c.iter().map(|c| c.last_day).max();
    Ok(first.zip(last).map(|(a, b)| Period::new(a, b)))
}

/// Reads a selection. `parameters` are recorded in the provenance as given.
pub async fn load(store: &Store, s: &Selection, parameters: serde_json::Value) -> Result<Loaded> {
    if s.to < s.from {
        bail!("--to {} lies before --from {}", s.to, s.from);
    }
    // The zone: given, or the only one that knows this phenomenon or category.
    let candidates = match &s.zone {
        Some(code) => vec![existing_zone(store, code).await?],
        None => store.zones().await?,
    };
    let mut found = Vec::new();
    for z in candidates {
        let by_code = store
            .phenomena(z.id)
            .await?
            .iter()
            .any(|p| p.code == s.phenomenon);
        if by_code {
            found.push((z, "phenomenon"));
        } else if store.has_category(z.id, &s.phenomenon).await? {
            found.push((z, "category"));
        }
    }
    let (zone, selected_by) = match found.len() {
        1 => found.pop().expect("one"),
        0 => bail!(
            "no zone has a phenomenon code or source category {:?}; `veilig status` lists both",
            s.phenomenon
        ),
        _ => bail!(
            "several zones have {:?}: give --zone ({})",
            s.phenomenon,
            found
                .iter()
                .map(|(z, _)| z.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let areas = store.areas(zone.id).await?;
    let area = match &s.area {
        None => None,
        Some(code) => Some(
            areas
                .iter()
                .find(|a| &a.code == code)
                .cloned()
                .with_context(|| format!("zone {} has no area {code:?}", zone.code.as_str()))?,
        ),
    };
    let mut q = IncidentQuery {
        until: s
            .to
            .succ_opt()
            .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight")),
        area_id: area.as_ref().map(|a| a.id),
        ..Default::default()
    };
    if selected_by == "phenomenon" {
        q.phenomenon = Some(s.phenomenon.clone());
    } else {
        q.category = Some(s.phenomenon.clone());
    }
    let rows = store.analysis_rows(zone.id, &q).await?;
    let used: BTreeSet<i64> = rows.iter().map(|r| r.batch_id).collect();
    let batches = batch_refs(store, zone.id, &used).await?;
    let period = Period::new(s.from, s.to);
    let coverage = zone_coverage(store, zone.id).await?;
    let provenance = Provenance {
        coverage,
        zone: zone.code.as_str().to_string(),
        zone_name: zone.name.clone(),
        synthetic: zone.synthetic,
        selected_by,
        selection: s.phenomenon.clone(),
        area: area.as_ref().map(|a| a.code.clone()),
        period,
        extraction_date: batches.iter().filter_map(|b| b.imported_at).max(),
        batches,
        generated_at: chrono::Utc::now().naive_utc(),
        parameters,
    };
    let events = rows
        .iter()
        .map(|r| Event {
            from: r.from,
            to: r.to,
            xy: r.xy,
            area: r.area_id,
        })
        .collect();
    Ok(Loaded {
        zone,
        areas,
        area,
        events,
        period,
        provenance,
        coverage,
    })
}

/// Areas, municipalities and the zone with their population on the latest reference date
/// not after `end` (or the oldest, when all are later).
pub async fn denominators(
    store: &Store,
    zone: &Zone,
    areas: &[Area],
    end: NaiveDate,
) -> Result<Denominators> {
    let mut pop: HashMap<(PopulationLevel, String), (i64, Option<i64>)> = HashMap::new();
    for p in store.population(zone.id).await? {
        // Records come oldest first: keep the newest not after `end`, else the oldest.
        let key = (p.level, p.code.clone());
        if p.ref_date <= end || !pop.contains_key(&key) {
            pop.insert(key, (p.inhabitants, p.dwellings));
        }
    }
    let info = |level, id, code: &str, name: &str, municipality: Option<String>| {
        let p = pop.get(&(level, code.to_string()));
        AreaInfo {
            id,
            code: code.to_string(),
            name: name.to_string(),
            municipality,
            population: p.map(|p| p.0),
            dwellings: p.and_then(|p| p.1),
        }
    };
    let municipalities: Vec<AreaInfo> = store
        .municipalities(zone.id)
        .await?
        .iter()
        .map(|m| {
            info(
                PopulationLevel::Municipality,
                0,
                m.nis.as_str(),
                &m.name_nl,
                None,
            )
        })
        .collect();
    let areas: Vec<AreaInfo> = areas
        .iter()
        .map(|a| {
            info(
                PopulationLevel::Area,
                a.id,
                &a.code,
                &a.name,
                a.municipality_nis.clone(),
            )
        })
        .collect();
    let mut whole = info(
        PopulationLevel::Zone,
        0,
        zone.code.as_str(),
        &zone.name,
        None,
    );
    // Without a zone figure, the zone's population is the sum over its municipalities (or
    // its areas) when every one of them has one: never a part taken for the whole.
    if whole.population.is_none() {
        let sum = |units: &[AreaInfo], f: fn(&AreaInfo) -> Option<i64>| {
            (!units.is_empty())
                .then(|| units.iter().map(f).sum::<Option<i64>>())
                .flatten()
        };
        // Every area of the zone, not only those this reader sees.
        let all_areas: Vec<AreaInfo> = store
            .areas(zone.id)
            .await?
            .iter()
            .map(|a| info(PopulationLevel::Area, a.id, &a.code, &a.name, None))
            .collect();
        if let Some(p) = sum(&municipalities, |u| u.population) {
            whole.population = Some(p);
            whole.dwellings = sum(&municipalities, |u| u.dwellings);
        } else if let Some(p) = sum(&all_areas, |u| u.population) {
            whole.population = Some(p);
            whole.dwellings = sum(&all_areas, |u| u.dwellings);
        }
    }
    Ok(Denominators {
        areas,
        municipalities,
        zone: Some(whole),
    })
}

/// A grid over the zone's areas (or, without areas, around the points).
pub fn map_grid(areas: &[Area], pts: &[(f64, f64)], cell: f64) -> Grid {
    let mut b = veilig_domain::BBox::EMPTY;
    for a in areas {
        b = b.union(&a.geometry.bbox());
    }
    if b.min_x.is_finite() {
        Grid::covering(b.min_x, b.min_y, b.max_x, b.max_y, cell)
    } else {
        Grid::around(pts, cell)
    }
}
