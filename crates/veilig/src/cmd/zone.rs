//! `veilig zone add|list`

use std::process::ExitCode;

use anyhow::{Result, anyhow};
use veilig_domain::{Crs, ZoneKind, belgium};
use veilig_store::Store;

use super::zone_or_create;
use veilig_cli::args::{Kind, ZoneCmd};
use veilig_cli::output::json;

pub async fn run(store: &Store, cmd: ZoneCmd) -> Result<ExitCode> {
    match cmd {
        ZoneCmd::Add {
            code,
            name,
            kind,
            crs,
            municipalities,
        } => {
            Crs::from_epsg(crs)?;
            let ms = municipalities
                .iter()
                .map(|nis| {
                    belgium::municipality(nis)
                        .ok_or_else(|| anyhow!("{nis:?} is not a Belgian NIS municipality code"))
                })
                .collect::<Result<Vec<_>>>()?;
            let kind = match kind {
                Kind::Single => ZoneKind::SingleMunicipality,
                Kind::Multi => ZoneKind::MultiMunicipality,
            };
            let (zone, created) = zone_or_create(store, &code, &name, kind, crs).await?;
            if !created {
                anyhow::bail!("zone {code:?} already exists");
            }
            for m in &ms {
                store.add_municipality(zone.id, m).await?;
            }
            println!(
                "zone {} created ({}, EPSG:{}, {} municipalities)",
                zone.code.as_str(),
                kind.as_str(),
                crs,
                ms.len()
            );
        }
        ZoneCmd::List { json: as_json } => {
            let zones = store.zones().await?;
            if as_json {
                json(&zones)?;
            } else {
                for z in zones {
                    println!(
                        "{:<16} {:<40} {:<20} EPSG:{}{}",
                        z.code.as_str(),
                        z.name,
                        z.kind.as_str(),
                        z.crs,
                        if z.synthetic { "  SYNTHETISCH" } else { "" }
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Files a source category under a phenomenon (its incidents move with it); audited.
pub async fn map(
    store: &Store,
    zone: &str,
    source: &str,
    category: &str,
    phenomenon: &str,
) -> Result<ExitCode> {
    let z = super::existing_zone(store, zone).await?;
    let by = super::cli_audit_entry("category-map", z.id, String::new());
    let (moved, statistics) =
        veilig_query::map_category(store, &z, source, category, phenomenon, &by).await?;
    println!("{source} / {category:?} -> {phenomenon}: {moved} incidents refiled");
    if statistics {
        eprintln!(
            "{category:?} is a category of published statistics: they are kept as published and never mapped, so this mapping has no effect on them"
        );
    }
    Ok(ExitCode::SUCCESS)
}
