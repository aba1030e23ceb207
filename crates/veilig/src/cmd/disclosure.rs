//! `veilig disclosure rules|table`: the rules as data, and what one phenomenon-year looks
//! like under them (the same table the web publishes from).

use std::process::ExitCode;

use anyhow::{Result, bail};
use serde_json::json;
use veilig_disclosure::Unit;
use veilig_query::published::{ReleaseKind, publication_context, release, release_due, year_table};
use veilig_store::Store;

use crate::cli::DisclosureCmd;

pub async fn run(store: &Store, cmd: DisclosureCmd) -> Result<ExitCode> {
    match cmd {
        DisclosureCmd::Rules => {
            print!("{}", veilig_disclosure::rules::BUILTIN);
            Ok(ExitCode::SUCCESS)
        }
        DisclosureCmd::Release {
            zone,
            on,
            revise,
            reason,
            list,
            rules,
            json,
        } => {
            let r = rules.load()?;
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            if list {
                let all = store.releases(z.id).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&all)?);
                } else {
                    for x in &all {
                        println!(
                            "{:>4}  {}  {:<9} tabellen {:>4}  gegevens t/m {}  {}{}",
                            x.number,
                            x.released_on,
                            x.kind,
                            x.tables,
                            x.complete_through
                                .map(|d| d.to_string())
                                .unwrap_or_default(),
                            x.rules,
                            x.reason
                                .as_deref()
                                .map(|r| format!(" — {r}"))
                                .unwrap_or_default()
                        );
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let on = on.unwrap_or_else(|| chrono::Local::now().date_naive());
            let by = super::cli_user();
            let done = match revise {
                Some(year) => {
                    let reason = reason.unwrap_or_default();
                    let kind = ReleaseKind::Revision { year, reason };
                    release(store, &z, &r, on, &kind, &by).await?
                }
                None => release_due(store, &z, &r, on, &by).await?,
            };
            if json {
                println!("{}", serde_json::to_string_pretty(&done)?);
            } else {
                match &done.release {
                    Some(x) => println!(
                        "{}: publicatie {} van {} ({}), {} tabellen",
                        done.zone, x.number, x.released_on, x.kind, x.tables
                    ),
                    None => println!("{}: geen tabel veranderd, geen publicatie", done.zone),
                }
                for (p, y) in &done.waiting {
                    println!("  {p} {y}: bevroren, wacht op een herziening (--revise {y})");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DisclosureCmd::Table {
            zone,
            phenomenon,
            year,
            rules,
            json,
        } => {
            let r = rules.load()?;
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            if !store
                .phenomena(z.id)
                .await?
                .iter()
                .any(|p| p.code == phenomenon)
            {
                bail!(
                    "zone {} has no phenomenon {phenomenon:?}; `veilig status` lists them",
                    z.code.as_str()
                );
            }
            let ctx = publication_context(store, &z).await?;
            let t = year_table(store, &z, &phenomenon, year, &ctx, &r).await?;
            let unit = |u: Unit| -> String {
                match u {
                    Unit::Zone => z.code.as_str().to_string(),
                    Unit::Municipality(m) => t.layout.municipalities[m].clone(),
                    Unit::Area(a) => t.areas[a].code.clone(),
                    Unit::NotLocated => "not-located".into(),
                }
            };
            let level = |u: Unit| match u {
                Unit::Zone => "zone",
                Unit::Municipality(_) => "municipality",
                Unit::Area(_) => "wijk",
                Unit::NotLocated => "not-located",
            };
            let derivable = t.table.derivable(r.threshold);
            if json {
                let cells: Vec<_> = t
                    .table
                    .cells
                    .iter()
                    .map(|c| {
                        json!({
                            "level": level(c.unit),
                            "unit": unit(c.unit),
                            "start": c.period.start(),
                            "end": c.period.end(),
                            "value": c.value,
                            "status": c.status,
                        })
                    })
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "zone": z.code.as_str(),
                        "phenomenon": phenomenon,
                        "year": year,
                        "complete_through": ctx.complete_through,
                        "disclosure": r,
                        "cells": cells,
                        "derivable": derivable.len(),
                    }))?
                );
            } else {
                println!(
                    "{} {phenomenon} {year} — {} v{}, drempel {}{}",
                    z.code.as_str(),
                    r.method,
                    r.version,
                    r.threshold,
                    if z.synthetic { " (SYNTHETISCH)" } else { "" }
                );
                println!(
                    "{:<13} {:<12} {:<10} {:<10} {:>7}  status",
                    "niveau", "eenheid", "van", "tot", "waarde"
                );
                for c in &t.table.cells {
                    println!(
                        "{:<13} {:<12} {:<10} {:<10} {:>7}  {}",
                        level(c.unit),
                        unit(c.unit),
                        c.period.start(),
                        c.period.end(),
                        c.value,
                        c.status.as_str()
                    );
                }
                let hidden = t.table.cells.iter().filter(|c| c.status.hidden()).count();
                println!(
                    "{} cellen, {hidden} verborgen; afleidbaar uit de getoonde: {}",
                    t.table.cells.len(),
                    derivable.len()
                );
            }
            Ok(if derivable.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
