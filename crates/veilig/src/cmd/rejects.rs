//! `veilig rejects BATCH`

use std::process::ExitCode;

use anyhow::{Result, bail};
use veilig_store::Store;

use veilig_cli::output::json;

pub async fn run(store: &Store, batch: i64, as_json: bool) -> Result<ExitCode> {
    if store.batch_zone(batch).await?.is_none() {
        bail!("batch {batch} does not exist (see `veilig status` for the batches)");
    }
    let rejects = store.rejects(batch).await?;
    if as_json {
        json(&serde_json::json!({ "batch": batch, "rejected": rejects.len(), "rows": rejects }))?;
    } else if rejects.is_empty() {
        println!("batch {batch}: no rejected rows");
    } else {
        println!("batch {batch}: {} rejected rows", rejects.len());
        println!("{:>7}  {:<20}  reason", "line", "field");
        for r in &rejects {
            println!("{:>7}  {:<20}  {}", r.line, r.field, r.reason);
        }
    }
    Ok(ExitCode::SUCCESS)
}
