//! Heavy figures computed when the data change, not when a page is opened.
//!
//! [`schedule`] asks the store's durable job queue for a zone's heavy computations at its
//! current data version (today: next week's forecast of every phenomenon with data); a
//! worker, in each server and in `veilig refresh`, claims them one at a time ([`run_next`])
//! and stores each result with the data version it belongs to. A reader asks for its result
//! at the version it reads now ([`forecast`]): the stored figures, or where their job stands,
//! never a computation in the reader's request and never figures of older data.
//!
//! [`warm`] fills a server's own figure cache (the overview, the council's and the public's
//! protected year tables) the same way, after the data change, and [`warm_phenomena`] each
//! phenomenon page's figures (its picture and near-repeat test) once the jobs are done;
//! those figures are kept per server, keyed by the data version.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use veilig_domain::Zone;
use veilig_forecast::Method;
use veilig_store::{Job, JobProgress, JobState, Store};

use crate::figures::{Access, ZoneFigures, default_period};
use crate::forecast::{ForecastRequest, ForecastView, next_week};
use crate::published::Level;

/// The job kind of next week's forecast.
pub const FORECAST: &str = "forecast";

/// How long a running job may go without a heartbeat before another worker takes it over.
pub const LEASE: Duration = Duration::from_secs(60);

/// How often a running job beats its heartbeat.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// The grid of the stored forecasts (the page's).
pub const FORECAST_CELL: f64 = 150.0;

/// The phenomenon a forecast page opens on (computed first).
pub const FIRST_PHENOMENON: &str = "woninginbraak";

/// A result that is computed when the data change: there, or where its job stands.
#[derive(Debug, Clone)]
pub enum Computed<T> {
    Ready(T),
    /// Not yet computed for the current data; the zone's jobs at that version so far.
    Pending(JobProgress),
    /// The computation gave an error for these data (it is not retried until they change).
    Failed(String),
}

/// What names a stored forecast: the choices of the forecast page.
#[derive(Debug, Serialize, Deserialize)]
struct ForecastKey {
    phenomenon: String,
    method: Method,
    coverage: f64,
}

fn forecast_params(phenomenon: &str, method: Method, coverage: f64) -> String {
    serde_json::to_string(&ForecastKey {
        phenomenon: phenomenon.to_string(),
        method,
        coverage,
    })
    .expect("a key serialises")
}

/// What [`schedule`] asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Scheduled {
    pub zone: String,
    pub data_version: i64,
    /// Jobs newly queued (the others were asked for already at this version).
    pub queued: usize,
    pub jobs: usize,
}

/// The phenomena of the zone with any incident (what the forecast page offers).
async fn phenomena_with_data(store: &Store, zone: &Zone) -> Result<Vec<String>> {
    Ok(store
        .status(zone)
        .await?
        .phenomena
        .into_iter()
        .filter(|p| p.total > 0)
        .map(|p| p.code)
        .collect())
}

/// Asks for the zone's heavy computations at its current data version, and drops the jobs
/// and results of older versions. Idempotent: every server may call it on every change.
pub async fn schedule(store: &Store, zone: &Zone) -> Result<Scheduled> {
    let version = store.data_version(zone.id).await?;
    let mut codes = phenomena_with_data(store, zone).await?;
    // The page's default first, then the others.
    codes.sort_by_key(|c| (c != FIRST_PHENOMENON, c.clone()));
    let mut queued = 0;
    for (i, code) in codes.iter().enumerate() {
        let params = forecast_params(code, Method::PoissonGlm, 1.0);
        let priority = if i == 0 { 1 } else { 2 };
        if store
            .enqueue_job(zone.id, FORECAST, &params, version, priority)
            .await?
        {
            queued += 1;
        }
    }
    store.prune_jobs(zone.id, version).await?;
    Ok(Scheduled {
        zone: zone.code.as_str().to_string(),
        data_version: version,
        queued,
        jobs: codes.len(),
    })
}

/// Next week's forecast as stored for the zone's current data; when it is not there, its job
/// is asked for (ahead of the scheduled ones: a reader waits for it) and its state returned.
pub async fn forecast(
    store: &Store,
    zone: &Zone,
    phenomenon: &str,
    method: Method,
    coverage: f64,
) -> Result<Computed<ForecastView>> {
    let version = store.data_version(zone.id).await?;
    let params = forecast_params(phenomenon, method, coverage);
    if let Some(json) = store.computed(zone.id, FORECAST, &params, version).await? {
        let view = serde_json::from_str(&json).context("a stored forecast")?;
        return Ok(Computed::Ready(view));
    }
    match store.job_state(zone.id, FORECAST, &params, version).await? {
        Some(JobState::Failed(e)) => return Ok(Computed::Failed(e)),
        Some(_) => {}
        None => {
            store
                .enqueue_job(zone.id, FORECAST, &params, version, 0)
                .await?;
        }
    }
    Ok(Computed::Pending(
        store.job_progress(zone.id, version).await?,
    ))
}

async fn compute(store: &Store, job: &Job) -> Result<String> {
    let zone = store
        .zones()
        .await?
        .into_iter()
        .find(|z| z.id == job.zone_id)
        .ok_or_else(|| anyhow!("zone {} is gone", job.zone_id))?;
    match job.kind.as_str() {
        FORECAST => {
            let key: ForecastKey = serde_json::from_str(&job.params).context("forecast key")?;
            let req = ForecastRequest {
                phenomenon: key.phenomenon,
                method: key.method,
                coverage: key.coverage,
                cell: FORECAST_CELL,
                origin: None,
            };
            Ok(serde_json::to_string(
                &next_week(store, &zone, &req).await?,
            )?)
        }
        other => Err(anyhow!("unknown job kind {other:?}")),
    }
}

/// One job a worker ran.
#[derive(Debug, Clone, Serialize)]
pub struct Ran {
    pub id: i64,
    pub zone_id: i64,
    pub kind: String,
    pub params: String,
    pub data_version: i64,
    pub millis: u64,
    /// The computation's error, when it failed.
    pub error: Option<String>,
}

/// Claims the next job (of one zone, or of any) and runs it, beating its heartbeat; stores
/// the result or the error. None when nothing is queued.
pub async fn run_next(store: &Store, worker: &str, zone_id: Option<i64>) -> Result<Option<Ran>> {
    let lease = chrono::Duration::from_std(LEASE).expect("a short lease");
    store.give_up_stale_jobs(lease).await?;
    let Some(job) = store.claim_job(worker, zone_id, lease).await? else {
        return Ok(None);
    };
    let started = Instant::now();
    let work = compute(store, &job);
    tokio::pin!(work);
    let mut beat = tokio::time::interval(HEARTBEAT);
    beat.tick().await;
    let result = loop {
        tokio::select! {
            r = &mut work => break r,
            _ = beat.tick() => {
                store.heartbeat_job(job.id, worker).await?;
            }
        }
    };
    let millis = started.elapsed().as_millis() as u64;
    let error = match result {
        Ok(value) => {
            store.finish_job(&job, &value, millis as i64).await?;
            None
        }
        Err(e) => {
            let e = format!("{e:#}");
            store.fail_job(job.id, &e).await?;
            Some(e)
        }
    };
    Ok(Some(Ran {
        id: job.id,
        zone_id: job.zone_id,
        kind: job.kind.clone(),
        params: job.params.clone(),
        data_version: job.data_version,
        millis,
        error,
    }))
}

/// Runs the queued jobs (of one zone, or of all) until none is left; what `veilig refresh`
/// waits for. `each` hears of every job as it ends.
pub async fn run_all(
    store: &Store,
    worker: &str,
    zone_id: Option<i64>,
    mut each: impl FnMut(&Ran),
) -> Result<Vec<Ran>> {
    let mut ran = Vec::new();
    while let Some(r) = run_next(store, worker, zone_id).await? {
        each(&r);
        ran.push(r);
    }
    Ok(ran)
}

/// What [`refresh_zone`] did for one zone.
#[derive(Debug, Clone, Serialize)]
pub struct Refreshed {
    pub zone: String,
    pub data_version: i64,
    pub jobs: u64,
    pub done: u64,
    pub failed: u64,
    /// Jobs run here (the rest were done already or by another process).
    pub ran: usize,
    pub seconds: f64,
}

/// Asks for the zone's heavy computations at its current data, runs them here and waits
/// until none is left, including those another process claimed (`veilig refresh`). `each`
/// hears of every job run here as it ends.
pub async fn refresh_zone(
    store: &Store,
    zone: &Zone,
    worker: &str,
    mut each: impl FnMut(&Ran),
) -> Result<Refreshed> {
    let started = Instant::now();
    let s = schedule(store, zone).await?;
    let mut ran = run_all(store, worker, Some(zone.id), &mut each)
        .await?
        .len();
    let mut progress = store.job_progress(zone.id, s.data_version).await?;
    while !progress.idle() {
        tokio::time::sleep(Duration::from_millis(250)).await;
        ran += run_all(store, worker, Some(zone.id), &mut each)
            .await?
            .len();
        progress = store.job_progress(zone.id, s.data_version).await?;
    }
    Ok(Refreshed {
        zone: s.zone,
        data_version: s.data_version,
        jobs: progress.total(),
        done: progress.done,
        failed: progress.failed,
        ran,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// After the data changed: every zone's heavy computations are asked for at its new data
/// version (a running server computes them; `veilig refresh` runs them here).
pub async fn schedule_all(store: &Store) -> Result<()> {
    for z in store.zones().await? {
        schedule(store, &z).await?;
    }
    Ok(())
}

/// Fills the figure cache with what the zone's pages open on: the zone's status (the data
/// page), the analyst's overview of the default period, and under the disclosure rules' protection the council's overview and
/// the public table of the latest publication period.
pub async fn warm(figs: &ZoneFigures<'_>) -> Result<()> {
    figs.status().await?;
    figs.phenomena_with_data().await?;
    let period = default_period(figs.last_day().await?);
    figs.overview(period, &Access::Full).await?;
    if figs.rules().protection {
        for level in [Level::Zone, Level::Areas] {
            if let Ok(p) = figs.publication_period(None, level).await? {
                let period = veilig_analysis::Period::new(p.start(), p.end());
                match level {
                    Level::Zone => {
                        figs.overview(period, &Access::Aggregate).await?;
                    }
                    Level::Areas => {
                        figs.public(period).await?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Fills the figure cache with what each phenomenon page opens on for the analyst: its
/// picture over the default period and its near-repeat test (the page's heaviest figures).
pub async fn warm_phenomena(figs: &ZoneFigures<'_>) -> Result<()> {
    let period = default_period(figs.last_day().await?);
    for def in figs.phenomena_with_data().await?.iter() {
        let d = figs.detail(def, period, &Access::Full).await?;
        figs.near_repeat(&d, &Access::Full).await?;
    }
    Ok(())
}
