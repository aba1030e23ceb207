//! `veilig import …`

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_domain::{ImportSummary, PopulationLevel, ZoneKind};
use veilig_import::{AreaOptions, PopulationOptions};
use veilig_store::Store;

use super::{existing_zone, zone_or_create};
use crate::cli::{Import, Level, Source};
use crate::output::{Bar, json};

/// The default zone for a source when `--zone` is not given, with its name and CRS.
fn default_zone(source: Source, first_file: &Path) -> Result<Option<(String, String, i32)>> {
    Ok(match source {
        Source::TorontoMci => Some((
            "toronto".into(),
            "Toronto Police Service (open data)".into(),
            32617,
        )),
        Source::PoliceUk => {
            // The force named in "Falls within" on the first row: "West Yorkshire Police" → west-yorkshire.
            let mut rdr = csv::Reader::from_path(first_file)
                .with_context(|| format!("{}: cannot read", first_file.display()))?;
            let idx = rdr.headers()?.iter().position(|h| h == "Falls within");
            let force = match (idx, rdr.records().next()) {
                (Some(i), Some(Ok(r))) => r.get(i).unwrap_or("").to_string(),
                _ => String::new(),
            };
            let code: String = force
                .trim_end_matches(" Police")
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let code = if code.trim_matches('-').is_empty() {
                "police-uk".to_string()
            } else {
                code
            };
            Some((code, format!("{force} (data.police.uk)"), 27700))
        }
        Source::Generic => None,
    })
}

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

fn print_summary(s: &ImportSummary) {
    println!(
        "batch {}: {} — read {}, stored {}, duplicates {}, rejected {}{}{}",
        s.batch,
        s.file,
        s.rows_read,
        s.stored,
        s.duplicates,
        s.rejected,
        if s.unassigned + s.without_location > 0 {
            format!(
                " (outside every area {}, without location {})",
                s.unassigned, s.without_location
            )
        } else {
            String::new()
        },
        match s.same_content_as {
            Some(b) => format!(" [same content as batch {b}]"),
            None => String::new(),
        }
    );
    if s.rejected > 0 {
        println!("  see the rejected rows with: veilig rejects {}", s.batch);
    }
}

/// Reports the imports and writes them to the audit trail (every import command ends here).
pub(crate) async fn finish(
    store: &Store,
    summaries: &[ImportSummary],
    zone: &str,
    as_json: bool,
) -> Result<ExitCode> {
    let zone_id = store.zone(zone).await?.map(|z| z.id);
    for s in summaries {
        super::audit_cli(
            store,
            "import",
            zone_id,
            format!(
                "batch {} ({}, {}): read {}, stored {}, duplicates {}, rejected {}",
                s.batch, s.source, s.file, s.rows_read, s.stored, s.duplicates, s.rejected
            ),
        )
        .await?;
    }
    if as_json {
        if summaries.len() == 1 {
            let mut v = serde_json::to_value(&summaries[0])?;
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
    } else {
        summaries.iter().for_each(print_summary);
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run(store: &Store, cmd: Import) -> Result<ExitCode> {
    match cmd {
        Import::Incidents {
            source,
            mapping,
            zone,
            files,
            json,
        } => {
            let (zone, created) = match (zone, default_zone(source, &files[0])?) {
                (Some(code), d) => {
                    let (name, crs) = d
                        .map(|(_, n, c)| (n, c))
                        .unwrap_or_else(|| (code.clone(), 3812));
                    zone_or_create(store, &code, &name, ZoneKind::MultiMunicipality, crs).await?
                }
                (None, Some((code, name, crs))) => {
                    zone_or_create(store, &code, &name, ZoneKind::MultiMunicipality, crs).await?
                }
                (None, None) => {
                    let zones = store.zones().await?;
                    match zones.as_slice() {
                        [only] => (only.clone(), false),
                        _ => bail!(
                            "give --zone CODE: the generic source has no default zone and the store holds {} zones",
                            zones.len()
                        ),
                    }
                }
            };
            if created {
                eprintln!("created zone {} (EPSG:{})", zone.code.as_str(), zone.crs);
            }
            let mut summaries = Vec::new();
            for f in &files {
                let format = veilig_import::incident_format(source.name(), mapping.as_deref())?;
                let bar = Bar::new(&f.display().to_string());
                let s = veilig_import::import_incidents(store, &zone, format, f, &bar).await;
                bar.finish();
                summaries.push(s?);
            }
            finish(store, &summaries, zone.code.as_str(), json).await
        }
        Import::Areas(a) => {
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
            let s = veilig_import::import_areas(store, &zone, &a.file, &opts, &Bar::new("areas"))
                .await?;
            finish(store, &[s], zone.code.as_str(), a.json).await
        }
        Import::PopulationGroups {
            zone,
            file,
            ref_date,
            source_label,
            json,
        } => {
            let z = existing_zone(store, &zone).await?;
            let s = veilig_import::import_population_groups(
                store,
                &z,
                &file,
                ref_date,
                &source_label,
                &Bar::new("population-groups"),
            )
            .await?;
            finish(store, &[s], z.code.as_str(), json).await
        }
        Import::Population(p) => {
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
            let s = veilig_import::import_population(
                store,
                &zone,
                &p.file,
                &opts,
                &Bar::new("population"),
            )
            .await?;
            finish(store, &[s], zone.code.as_str(), p.json).await
        }
        Import::Statistics {
            zone,
            mapping,
            file,
            json,
        } => {
            let z = existing_zone(store, &zone).await?;
            let s = veilig_import::import_stat_counts(
                store,
                &z,
                &file,
                &mapping,
                &Bar::new("statistics"),
            )
            .await?;
            finish(store, &[s], z.code.as_str(), json).await
        }
        Import::Calls {
            zone,
            mapping,
            file,
            json,
        } => {
            let z = existing_zone(store, &zone).await?;
            let s =
                veilig_import::import_calls(store, &z, &file, &mapping, &Bar::new("calls")).await?;
            finish(store, &[s], z.code.as_str(), json).await
        }
        Import::Staff { zone, file, json } => {
            let z = existing_zone(store, &zone).await?;
            let s = veilig_import::import_staff(store, &z, &file, &Bar::new("staff")).await?;
            finish(store, &[s], z.code.as_str(), json).await
        }
    }
}
