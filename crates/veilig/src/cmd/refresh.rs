//! `veilig refresh`: asks for the heavy computations of a zone (or of every zone) at its
//! current data and runs them here, waiting until none is left, including those another
//! process runs (what a server's background worker does unasked).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;
use veilig_query::refresh;
use veilig_store::Store;

use super::existing_zone;
use crate::output::json;

#[derive(Debug, Serialize)]
struct Refreshed {
    zone: String,
    data_version: i64,
    jobs: u64,
    done: u64,
    failed: u64,
    /// Jobs this command ran (the rest were done already or by another process).
    ran: usize,
    seconds: f64,
}

pub async fn run(store: &Store, zone: Option<&str>, as_json: bool) -> Result<ExitCode> {
    let zones = match zone {
        Some(code) => vec![existing_zone(store, code).await?],
        None => store.zones().await?,
    };
    let worker = format!("cli-{}", std::process::id());
    let mut out = Vec::new();
    for z in &zones {
        let started = Instant::now();
        let s = refresh::schedule(store, z).await?;
        let ran = refresh::run_all(store, &worker, Some(z.id), |r| {
            if !as_json {
                let outcome = r.error.as_deref().unwrap_or("done");
                eprintln!("  {} {} in {} ms: {outcome}", r.kind, r.params, r.millis);
            }
        })
        .await?;
        // Jobs another process claimed: wait for them too.
        let mut progress = store.job_progress(z.id, s.data_version).await?;
        while !progress.idle() {
            tokio::time::sleep(Duration::from_millis(250)).await;
            refresh::run_all(store, &worker, Some(z.id), |_| {}).await?;
            progress = store.job_progress(z.id, s.data_version).await?;
        }
        out.push(Refreshed {
            zone: s.zone,
            data_version: s.data_version,
            jobs: progress.total(),
            done: progress.done,
            failed: progress.failed,
            ran: ran.len(),
            seconds: started.elapsed().as_secs_f64(),
        });
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

/// After the data changed: every zone's heavy computations are asked for at its new data
/// version (a running server computes them; `veilig refresh` runs them here).
pub async fn schedule_all(store: &Store) -> Result<()> {
    for z in store.zones().await? {
        refresh::schedule(store, &z).await?;
    }
    Ok(())
}
