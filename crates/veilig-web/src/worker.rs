//! The server's background worker: it notices when a zone's data change (an import, a demo
//! build, from this server or any other process on the same store), asks for the zone's
//! heavy computations at the new data version, fills this server's figure cache with what
//! the zone's pages open on, and runs the queued jobs one at a time. Once a day, and when a
//! zone's data change, it makes the release the calendar calls for (published tables change
//! only on release days: `veilig_query::published::release`).
//!
//! Each piece of work runs on a blocking thread, so the runtime keeps answering pages while a
//! forecast computes. Several servers on one PostgreSQL share the durable queue (each job is
//! claimed by one of them); a server that stops mid-job leaves a job whose heartbeat stops,
//! and the next worker takes it over after the lease (`veilig_query::refresh::LEASE`).

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;
use veilig_query::figures::ZoneFigures;
use veilig_query::{published, refresh};

use crate::AppState;

/// How often the worker looks for changed data when it has nothing to run.
const POLL: Duration = Duration::from_secs(2);

/// This server's name in the job queue.
fn worker_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("serve-{}-{nanos:08x}", std::process::id())
}

/// Starts the worker on the current runtime; it runs until the runtime stops.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let name = worker_name();
        let mut seen = HashMap::new();
        let mut deep = Vec::new();
        let mut released_on = None;
        loop {
            if let Err(e) = calendar(&state, &mut released_on).await {
                tracing::warn!(error = %format!("{e:#}"), "release calendar");
            }
            match round(&state, &name, &mut seen, &mut deep).await {
                Ok(true) => {}
                Ok(false) => tokio::time::sleep(POLL).await,
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "background worker");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    })
}

/// On a new day, the release each zone's calendar calls for (under the server's rules).
async fn calendar(state: &AppState, released_on: &mut Option<chrono::NaiveDate>) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let rules = &state.config.disclosure;
    if *released_on == Some(today) || !rules.protection {
        return Ok(());
    }
    for zone in state.store.zones().await? {
        let (store, rules) = (state.store.clone(), rules.clone());
        let done = off_runtime(async move {
            published::release_due(&store, &zone, &rules, today, "calendar").await
        })
        .await?;
        if let Some(r) = &done.release {
            tracing::info!(zone = %done.zone, number = r.number, tables = r.tables, kind = %r.kind, "tables released");
        }
        if !done.waiting.is_empty() {
            tracing::info!(zone = %done.zone, tables = done.waiting.len(), "late records in frozen years wait for a revision");
        }
    }
    *released_on = Some(today);
    Ok(())
}

/// Runs `work` on a blocking thread (driving its futures there), so that CPU-heavy figures
/// never hold a runtime thread.
async fn off_runtime<T, F>(work: F) -> Result<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = Result<T>> + Send + 'static,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(work)).await?
}

/// Runs `warm` over a zone's figures on a blocking thread.
async fn warm_zone<F>(state: &AppState, zone: veilig_domain::Zone, what: &'static str, warm: F)
where
    F: for<'a> FnOnce(
            &'a ZoneFigures<'a>,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>,
        > + Send
        + 'static,
{
    let s = state.clone();
    let code = zone.code.as_str().to_string();
    let started = std::time::Instant::now();
    let warmed = off_runtime(async move {
        let figs = ZoneFigures::new(&s.figures, &s.store, &zone, &s.config.disclosure).await?;
        warm(&figs).await
    })
    .await;
    match warmed {
        Ok(()) => {
            tracing::info!(zone = %code, what, millis = started.elapsed().as_millis() as u64, "figure cache warmed")
        }
        Err(e) => tracing::warn!(error = %format!("{e:#}"), what, "warming the figure cache"),
    }
}

/// One round: schedules and warms the zones whose data changed since the last round, then
/// runs one job, or when none is left warms one zone's phenomenon pages. Returns whether it
/// did any work (then the next round follows at once).
async fn round(
    state: &AppState,
    name: &str,
    seen: &mut HashMap<i64, i64>,
    deep: &mut Vec<veilig_domain::Zone>,
) -> Result<bool> {
    let versions = state.store.data_versions().await?;
    let changed: Vec<(i64, i64)> = versions
        .into_iter()
        .filter(|(zone, v)| seen.get(zone) != Some(v))
        .collect();
    if !changed.is_empty() {
        let zones = state.store.zones().await?;
        for (id, version) in changed {
            let Some(zone) = zones.iter().find(|z| z.id == id).cloned() else {
                continue;
            };
            let scheduled = refresh::schedule(&state.store, &zone).await?;
            tracing::info!(zone = %zone.code.as_str(), data_version = version, queued = scheduled.queued, "data changed: figures scheduled");
            warm_zone(state, zone.clone(), "overview", |f| {
                Box::pin(refresh::warm(f))
            })
            .await;
            deep.retain(|z| z.id != id);
            deep.push(zone);
            seen.insert(id, version);
        }
    }
    let (store, worker) = (state.store.clone(), name.to_string());
    let ran = off_runtime(async move { refresh::run_next(&store, &worker, None).await }).await?;
    if let Some(r) = &ran {
        match &r.error {
            None => {
                tracing::info!(job = r.id, kind = %r.kind, params = %r.params, millis = r.millis, "computed")
            }
            Some(e) => {
                tracing::warn!(job = r.id, kind = %r.kind, params = %r.params, error = %e, "could not be computed")
            }
        }
    }
    if ran.is_some() {
        return Ok(true);
    }
    // The queue is empty: the phenomenon and policy-cycle pages of a zone whose data changed.
    if let Some(zone) = deep.pop() {
        let s = state.clone();
        let z = zone.clone();
        let plan = off_runtime(async move {
            crate::pages::plan::warm(&s, &z)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))
        })
        .await;
        if let Err(e) = plan {
            tracing::warn!(error = %format!("{e:#}"), "warming the policy-cycle pages");
        }
        warm_zone(state, zone, "phenomena", |f| {
            Box::pin(refresh::warm_phenomena(f))
        })
        .await;
        return Ok(true);
    }
    Ok(false)
}
