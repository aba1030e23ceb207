//! `veilig refresh`: computes the heavy figures of a zone (or of every zone) for its current
//! data here and waits for them (`veilig_query::refresh::refresh_zone`).

use std::process::ExitCode;

use anyhow::Result;
use veilig_query::refresh;
use veilig_store::Store;

use super::existing_zone;
use veilig_cli::output::json;

pub async fn run(store: &Store, zone: Option<&str>, as_json: bool) -> Result<ExitCode> {
    let zones = match zone {
        Some(code) => vec![existing_zone(store, code).await?],
        None => store.zones().await?,
    };
    let worker = format!("cli-{}", std::process::id());
    let mut out = Vec::new();
    for z in &zones {
        out.push(
            refresh::refresh_zone(store, z, &worker, |r| {
                if !as_json {
                    let outcome = r.error.as_deref().unwrap_or("done");
                    eprintln!("  {} {} in {} ms: {outcome}", r.kind, r.params, r.millis);
                }
            })
            .await?,
        );
    }
    if as_json {
        json(&out)?;
    } else {
        for r in &out {
            println!(
                "{}: data version {}, {} computations ({} done, {} could not be computed), {} run here in {:.1} s",
                r.zone, r.data_version, r.jobs, r.done, r.failed, r.ran, r.seconds
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
