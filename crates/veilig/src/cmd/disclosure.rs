//! `veilig disclosure rules|table`: the rules as data, and what one phenomenon-year looks
//! like under them (the same table the web publishes from).

use std::process::ExitCode;

use anyhow::{Result, bail};
use serde_json::json;
use veilig_disclosure::{Rules, Unit};
use veilig_query::published::{publication_context, year_table};
use veilig_store::Store;

use crate::cli::DisclosureCmd;

pub async fn run(store: &Store, cmd: DisclosureCmd) -> Result<ExitCode> {
    match cmd {
        DisclosureCmd::Rules => {
            print!("{}", veilig_disclosure::rules::BUILTIN);
            Ok(ExitCode::SUCCESS)
        }
        DisclosureCmd::Table {
            zone,
            phenomenon,
            year,
            rules,
            threshold,
            json,
        } => {
            let mut r = match rules {
                Some(p) => Rules::load(&p)?,
                None => Rules::builtin(),
            };
            if let Some(t) = threshold {
                r = r.with_threshold(t);
            }
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
