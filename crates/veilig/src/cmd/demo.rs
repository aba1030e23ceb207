//! `veilig demo`: build the synthetic demo zone if absent (and, once the web application
//! exists, serve it).

use std::process::ExitCode;

use anyhow::Result;
use veilig_store::Store;

use crate::output::json;

pub async fn run(
    store: &Store,
    seed: u64,
    no_serve: bool,
    addr: &str,
    as_json: bool,
) -> Result<ExitCode> {
    let s = veilig_demo::build(store, seed).await?;
    if as_json {
        json(&s)?;
    } else {
        if s.built {
            println!(
                "Demo zone {} built (seed {}): SYNTHETIC data, modelled on PZ Balen-Dessel-Mol.",
                s.zone, s.seed
            );
        } else {
            println!("Demo zone {} is already complete; nothing written.", s.zone);
        }
        println!(
            "  {} wijken, {} incidents (2019-01-01 to 2026-10-31), {} calls for service, {} staff, {} population records, {} published-statistics cells",
            s.areas, s.incidents, s.calls, s.staff, s.population_records, s.statistics
        );
        println!(
            "  municipalities and NIS codes are real; populations approximately real; everything else is invented."
        );
        println!();
        super::status::run(store, Some(&s.zone), false).await?;
        if !no_serve {
            println!(
                "  (the web application is not built yet: `veilig demo` cannot serve on {addr}; use --no-serve to silence this)"
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
