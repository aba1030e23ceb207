//! `veilig import …`: each file through `veilig_import` as one batch, then one report and
//! the audit line per batch.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use veilig_cli::print::import as print;
use veilig_domain::{ImportSummary, PopulationLevel, Zone};
use veilig_import::{AreaOptions, PopulationOptions};
use veilig_store::Store;

use super::existing_zone;
use veilig_cli::args::{AreaArgs, Import, IncidentsArgs, Level, PopulationArgs};
use veilig_cli::output::{Bar, json};

#[derive(Serialize)]
struct Many<'a> {
    /// The first batch this command wrote; `batches` lists all (one per file).
    batch: i64,
    batches: Vec<i64>,
    zone: &'a str,
    rows_read: u64,
    stored: u64,
    duplicates: u64,
    rejected: u64,
    unassigned: u64,
    without_location: u64,
    files: &'a [ImportSummary],
}

/// Reports the imports after their audit lines, the indicators' revisions and the refresh
/// request (every import command ends here).
pub(crate) async fn finish(
    store: &Store,
    summaries: &[ImportSummary],
    zone: &Zone,
    as_json: bool,
) -> Result<ExitCode> {
    let by = super::cli_audit_entry("import", zone.id, String::new());
    let revised = veilig_query::after_import(store, zone, summaries, &by).await?;
    if revised > 0 {
        // On standard error, so an import's JSON on standard output stays as it is.
        let code = zone.code.as_str();
        eprintln!("{code}: {revised} indicator measurements revised after the import");
    }
    let zone = zone.code.as_str();
    if !as_json {
        summaries.iter().for_each(print::summary);
    } else if let [one] = summaries {
        let mut v = serde_json::to_value(one)?;
        v["zone"] = zone.into();
        json(&v)?;
    } else {
        let sum = |f: fn(&ImportSummary) -> u64| summaries.iter().map(f).sum();
        json(&Many {
            batch: summaries.first().map(|s| s.batch).unwrap_or(0),
            batches: summaries.iter().map(|s| s.batch).collect(),
            zone,
            rows_read: sum(|s| s.rows_read),
            stored: sum(|s| s.stored),
            duplicates: sum(|s| s.duplicates),
            rejected: sum(|s| s.rejected),
            unassigned: sum(|s| s.unassigned),
            without_location: sum(|s| s.without_location),
            files: summaries,
        })?;
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run(store: &Store, cmd: Import) -> Result<ExitCode> {
    match cmd {
        Import::Incidents(a) => incidents(store, a).await,
        Import::Areas(a) => areas(store, a).await,
        Import::Population(p) => population(store, p).await,
        Import::PopulationGroups(a) => {
            let z = existing_zone(store, &a.zone).await?;
            let bar = Bar::new("population-groups");
            let (file, on, label) = (&a.file, a.ref_date, &a.source_label);
            let s =
                veilig_import::import_population_groups(store, &z, file, on, label, &bar).await?;
            finish(store, &[s], &z, a.json).await
        }
        Import::Statistics(a) => {
            let z = existing_zone(store, &a.zone).await?;
            let bar = Bar::new("statistics");
            let s = veilig_import::import_stat_counts(store, &z, &a.file, &a.mapping, &bar).await?;
            finish(store, &[s], &z, a.json).await
        }
        Import::Calls(a) => {
            let z = existing_zone(store, &a.zone).await?;
            let bar = Bar::new("calls");
            let s = veilig_import::import_calls(store, &z, &a.file, &a.mapping, &bar).await?;
            finish(store, &[s], &z, a.json).await
        }
        Import::Staff(a) => {
            let z = existing_zone(store, &a.zone).await?;
            let s = veilig_import::import_staff(store, &z, &a.file, &Bar::new("staff")).await?;
            finish(store, &[s], &z, a.json).await
        }
    }
}

async fn incidents(store: &Store, a: IncidentsArgs) -> Result<ExitCode> {
    let source = a.source.name();
    let (zone, created) =
        veilig_query::import_zone(store, a.zone.as_deref(), source, &a.files[0]).await?;
    if created {
        eprintln!("created zone {} (EPSG:{})", zone.code.as_str(), zone.crs);
    }
    let mut summaries = Vec::new();
    let opts = veilig_import::IncidentOptions {
        allow_outside: a.allow_outside,
    };
    for f in &a.files {
        let format = veilig_import::incident_format(source, a.mapping.as_deref())?;
        let name = f.display().to_string();
        let bar = Bar::new(&name);
        let s =
            veilig_import::import_incidents_with(store, &zone, format, f, &name, &opts, &bar).await;
        bar.finish();
        summaries.push(s?);
    }
    finish(store, &summaries, &zone, a.json).await
}

async fn areas(store: &Store, a: AreaArgs) -> Result<ExitCode> {
    let zone = existing_zone(store, &a.zone).await?;
    let opts = AreaOptions {
        code_field: a.code_field,
        name_field: Some(a.name_field),
        kind: a.kind,
        municipality_field: a.municipality_field,
        population_field: a.population_field,
        dwellings_field: a.dwellings_field,
        households_field: a.households_field,
        ref_date: a.ref_date,
        population_source: a.population_source,
        crs: a.crs,
    };
    let s = veilig_import::import_areas(store, &zone, &a.file, &opts, &Bar::new("areas")).await?;
    finish(store, &[s], &zone, a.json).await
}

async fn population(store: &Store, p: PopulationArgs) -> Result<ExitCode> {
    let zone = existing_zone(store, &p.zone).await?;
    let opts = PopulationOptions {
        level: match p.level {
            Level::Area => PopulationLevel::Area,
            Level::Municipality => PopulationLevel::Municipality,
            Level::Zone => PopulationLevel::Zone,
        },
        code_column: p.code_column,
        inhabitants_column: p.inhabitants_column,
        dwellings_column: p.dwellings_column,
        households_column: p.households_column,
        ref_date: p.ref_date,
        date_column: p.date_column,
        source: p.source_label,
    };
    let bar = Bar::new("population");
    let s = veilig_import::import_population(store, &zone, &p.file, &opts, &bar).await?;
    finish(store, &[s], &zone, p.json).await
}
