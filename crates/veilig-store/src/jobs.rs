//! The durable queue of heavy computations and their stored results.
//!
//! A job is one computation (`kind` + `params`) of one zone at one data version. Enqueueing
//! is idempotent (a unique key), so every server and `veilig refresh` may ask for the same
//! work and it is done once. A worker claims the next job in one statement (PostgreSQL:
//! `FOR UPDATE SKIP LOCKED`, so two servers never take the same row; SQLite runs one writer
//! at a time), beats a heartbeat while it runs, and stores the result with the job's data
//! version in one transaction. A job whose heartbeat has stopped longer than the lease (its
//! server died) is claimed again, at most [`MAX_ATTEMPTS`] times.

use chrono::NaiveDateTime;
use sqlx::Row;

use crate::{Backend, Result, Store, now, on_pool};

/// How often a job is started before it counts as failed (a job that kills its server every
/// time must not take every server down in turn).
pub const MAX_ATTEMPTS: i32 = 3;

/// A claimed job: what to compute, for which zone and data version.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub zone_id: i64,
    pub kind: String,
    /// The computation's parameters as the application wrote them (JSON); with `kind` the
    /// key of its result.
    pub params: String,
    pub data_version: i64,
    pub attempts: i32,
}

/// Where one computation stands at one data version.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    /// With the reason the computation gave.
    Failed(String),
}

/// How far a zone's jobs at one data version have come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct JobProgress {
    pub queued: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
}

impl JobProgress {
    pub fn total(&self) -> u64 {
        self.queued + self.running + self.done + self.failed
    }

    /// Whether nothing is left to run.
    pub fn idle(&self) -> bool {
        self.queued + self.running == 0
    }
}

/// Reads a job out of either backend's row.
trait JobRow {
    fn job(&self) -> Result<Job>;
}

macro_rules! job_row {
    ($row:ty) => {
        impl JobRow for $row {
            fn job(&self) -> Result<Job> {
                Ok(Job {
                    id: self.try_get("id")?,
                    zone_id: self.try_get("zone_id")?,
                    kind: self.try_get("kind")?,
                    params: self.try_get("params")?,
                    data_version: self.try_get("data_version")?,
                    attempts: self.try_get("attempts")?,
                })
            }
        }
    };
}
job_row!(sqlx::sqlite::SqliteRow);
job_row!(sqlx::postgres::PgRow);

impl Store {
    /// Asks for a computation of a zone at a data version; nothing happens when it is already
    /// asked for (queued, running, done or failed at that version). Lower `priority` runs
    /// first. Returns whether a new job was queued.
    pub async fn enqueue_job(
        &self,
        zone_id: i64,
        kind: &str,
        params: &str,
        data_version: i64,
        priority: i32,
    ) -> Result<bool> {
        let n = on_pool!(self, pool => {
            sqlx::query("INSERT INTO jobs (zone_id, kind, params, data_version, priority, state, created_at) VALUES ($1, $2, $3, $4, $5, 'queued', $6) ON CONFLICT (zone_id, kind, params, data_version) DO NOTHING")
                .bind(zone_id)
                .bind(kind)
                .bind(params)
                .bind(data_version)
                .bind(priority)
                .bind(now())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Takes the next job to run (of one zone, or of any): queued ones by priority, then
    /// running ones whose heartbeat is older than `lease` (their worker is gone). Marks it
    /// running for `worker`.
    pub async fn claim_job(
        &self,
        worker: &str,
        zone_id: Option<i64>,
        lease: chrono::Duration,
    ) -> Result<Option<Job>> {
        let at = now();
        let stale = at - lease;
        // The candidate: queued, or running with a stopped heartbeat and attempts left.
        const PICK: &str = "SELECT id FROM jobs WHERE (state = 'queued' OR (state = 'running' AND heartbeat_at < $3 AND attempts < $4)) AND ($5 IS NULL OR zone_id = $5) ORDER BY priority, id LIMIT 1";
        let sql = match self.backend {
            Backend::Sqlite(_) => format!(
                "UPDATE jobs SET state = 'running', worker = $1, started_at = $2, heartbeat_at = $2, attempts = attempts + 1 WHERE id = ({PICK}) RETURNING id, zone_id, kind, params, data_version, attempts"
            ),
            Backend::Postgres(_) => format!(
                "UPDATE jobs SET state = 'running', worker = $1, started_at = $2, heartbeat_at = $2, attempts = attempts + 1 WHERE id = ({PICK} FOR UPDATE SKIP LOCKED) RETURNING id, zone_id, kind, params, data_version, attempts"
            ),
        };
        on_pool!(self, pool => {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(worker)
                .bind(at)
                .bind(stale)
                .bind(MAX_ATTEMPTS)
                .bind(zone_id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(JobRow::job).transpose()
        })
    }

    /// Marks as failed the running jobs whose heartbeat stopped and that have no attempt
    /// left (so that readers stop waiting for them). Returns how many.
    pub async fn give_up_stale_jobs(&self, lease: chrono::Duration) -> Result<u64> {
        let at = now();
        Ok(on_pool!(self, pool => {
            sqlx::query("UPDATE jobs SET state = 'failed', finished_at = $1, error = 'abandoned: its worker stopped every time' WHERE state = 'running' AND heartbeat_at < $2 AND attempts >= $3")
                .bind(at)
                .bind(at - lease)
                .bind(MAX_ATTEMPTS)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Tells the queue that `worker` still runs job `id`. False when the job is no longer
    /// this worker's (its lease ran out and another worker took it).
    pub async fn heartbeat_job(&self, id: i64, worker: &str) -> Result<bool> {
        let n = on_pool!(self, pool => {
            sqlx::query("UPDATE jobs SET heartbeat_at = $1 WHERE id = $2 AND worker = $3 AND state = 'running'")
                .bind(now())
                .bind(id)
                .bind(worker)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Stores a job's result and marks it done, in one transaction. A result never replaces
    /// one of a newer data version.
    pub async fn finish_job(&self, job: &Job, value: &str, millis: i64) -> Result<()> {
        let at = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO computed (zone_id, kind, params, data_version, value, computed_at, millis) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (zone_id, kind, params) DO UPDATE SET data_version = excluded.data_version, value = excluded.value, computed_at = excluded.computed_at, millis = excluded.millis WHERE computed.data_version <= excluded.data_version")
                .bind(job.zone_id)
                .bind(&job.kind)
                .bind(&job.params)
                .bind(job.data_version)
                .bind(value)
                .bind(at)
                .bind(millis)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE jobs SET state = 'done', finished_at = $1, error = NULL WHERE id = $2")
                .bind(at)
                .bind(job.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Marks a job failed with the computation's reason (it is not retried at this data
    /// version: the same data give the same error).
    pub async fn fail_job(&self, id: i64, error: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE jobs SET state = 'failed', finished_at = $1, error = $2 WHERE id = $3")
                .bind(now())
                .bind(error)
                .bind(id)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The stored result of a computation at exactly this data version.
    pub async fn computed(
        &self,
        zone_id: i64,
        kind: &str,
        params: &str,
        data_version: i64,
    ) -> Result<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT value FROM computed WHERE zone_id = $1 AND kind = $2 AND params = $3 AND data_version = $4")
                .bind(zone_id)
                .bind(kind)
                .bind(params)
                .bind(data_version)
                .fetch_optional(pool)
                .await?)
        })
    }

    /// Where a computation stands at a data version (None: never asked for).
    pub async fn job_state(
        &self,
        zone_id: i64,
        kind: &str,
        params: &str,
        data_version: i64,
    ) -> Result<Option<JobState>> {
        let row: Option<(String, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT state, error FROM jobs WHERE zone_id = $1 AND kind = $2 AND params = $3 AND data_version = $4")
                .bind(zone_id)
                .bind(kind)
                .bind(params)
                .bind(data_version)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(state, error)| match state.as_str() {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            _ => JobState::Failed(error.unwrap_or_default()),
        }))
    }

    /// How many of a zone's jobs at a data version are queued, running, done and failed.
    pub async fn job_progress(&self, zone_id: i64, data_version: i64) -> Result<JobProgress> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT state, COUNT(*) FROM jobs WHERE zone_id = $1 AND data_version = $2 GROUP BY state")
                .bind(zone_id)
                .bind(data_version)
                .fetch_all(pool)
                .await?
        });
        let mut p = JobProgress::default();
        for (state, n) in rows {
            let n = n as u64;
            match state.as_str() {
                "queued" => p.queued = n,
                "running" => p.running = n,
                "done" => p.done = n,
                _ => p.failed = n,
            }
        }
        Ok(p)
    }

    /// When the last job of a zone at a data version finished (None while any is left).
    pub async fn jobs_finished_at(
        &self,
        zone_id: i64,
        data_version: i64,
    ) -> Result<Option<NaiveDateTime>> {
        if !self.job_progress(zone_id, data_version).await?.idle() {
            return Ok(None);
        }
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT MAX(finished_at) FROM jobs WHERE zone_id = $1 AND data_version = $2")
                .bind(zone_id)
                .bind(data_version)
                .fetch_one(pool)
                .await?)
        })
    }

    /// Drops the jobs and results of data versions older than `data_version` (their figures
    /// can never be shown again: readers ask for the current version only).
    pub async fn prune_jobs(&self, zone_id: i64, data_version: i64) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM jobs WHERE zone_id = $1 AND data_version < $2 AND state IN ('done', 'failed', 'queued')")
                .bind(zone_id)
                .bind(data_version)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM computed WHERE zone_id = $1 AND data_version < $2")
                .bind(zone_id)
                .bind(data_version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
