//! `veilig status` and `veilig coverage`

use std::process::ExitCode;

use anyhow::Result;
use veilig_cli::print::status as print;
use veilig_store::Store;

use super::existing_zone;
use veilig_cli::output::json;

pub async fn run(store: &Store, zone: Option<&str>, as_json: bool) -> Result<ExitCode> {
    let zones = match zone {
        Some(code) => vec![existing_zone(store, code).await?],
        None => store.zones().await?,
    };
    let mut report = Vec::with_capacity(zones.len());
    for z in &zones {
        report.push(store.status(z).await?);
    }
    if as_json {
        json(&serde_json::json!({ "store": store.backend_name(), "zones": report }))?;
    } else if report.is_empty() {
        println!(
            "The store is empty. Build the demo zone with `veilig demo`, or import data with `veilig import`."
        );
    } else {
        for st in &report {
            print::zone(st);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `veilig coverage`: lists (or sets, then lists) what each source of a zone covers.
pub async fn coverage(store: &Store, a: veilig_cli::args::DataCoverageArgs) -> Result<ExitCode> {
    let zone = existing_zone(store, &a.zone).await?;
    let set = a.source.as_deref().zip(a.from.zip(a.to));
    let by = super::cli_audit_entry("coverage", zone.id, String::new());
    let rows = veilig_query::coverage(store, &zone, set, &by).await?;
    if a.json {
        json(&serde_json::json!({"zone": zone.code.as_str(), "sources": rows}))?;
    } else {
        for r in &rows {
            let how = if r.edited {
                "set by hand"
            } else {
                "from the imports"
            };
            println!("{}: {} to {} ({how})", r.source, r.first_day, r.last_day);
        }
    }
    Ok(ExitCode::SUCCESS)
}
