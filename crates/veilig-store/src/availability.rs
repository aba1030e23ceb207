//! Leave and rostering wishes of a zone's staff, which the capacity plan reads. Officers are
//! named by staff code; an officer who is not on the staff is refused, and a batch of leave
//! is stored whole or not at all.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, StoreError, on_pool};

/// A stretch of leave (both days included).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leave {
    pub officer: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// `verlof`, `ziekte`, `opleiding`, ...
    pub kind: String,
    pub note: String,
}

/// A stored stretch of leave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredLeave {
    pub id: i64,
    #[serde(flatten)]
    pub leave: Leave,
}

impl Store {
    async fn check_officers(&self, zone_id: i64, officers: &[&str]) -> Result<()> {
        let staff: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT code FROM staff WHERE zone_id = $1")
                .bind(zone_id)
                .fetch_all(pool)
                .await?
        });
        for (i, o) in officers.iter().enumerate() {
            if !staff.iter().any(|s| s == o) {
                return Err(StoreError::Invalid(format!(
                    "entry {}: officer {o:?} is not on the zone's staff",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    /// Stores leave, all of it or none: every officer must be on the staff and every
    /// stretch must end on or after its first day. Returns the new ids.
    pub async fn add_leave(&self, zone_id: i64, leave: &[Leave]) -> Result<Vec<i64>> {
        for (i, l) in leave.iter().enumerate() {
            if l.last_day < l.first_day {
                return Err(StoreError::Invalid(format!(
                    "entry {}: leave of {} ends ({}) before it starts ({})",
                    i + 1,
                    l.officer,
                    l.last_day,
                    l.first_day
                )));
            }
        }
        let officers: Vec<&str> = leave.iter().map(|l| l.officer.as_str()).collect();
        self.check_officers(zone_id, &officers).await?;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(leave.len());
            for l in leave {
                let id: i64 = sqlx::query_scalar("INSERT INTO staff_leave (zone_id, officer, first_day, last_day, kind, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(zone_id)
                    .bind(&l.officer)
                    .bind(l.first_day)
                    .bind(l.last_day)
                    .bind(&l.kind)
                    .bind(&l.note)
                    .fetch_one(&mut *tx)
                    .await?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Leave that overlaps `[from, to]` (both included), by first day and officer.
    pub async fn leave_between(
        &self,
        zone_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<StoredLeave>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, officer, first_day, last_day, kind, note FROM staff_leave WHERE zone_id = $1 AND first_day <= $3 AND last_day >= $2 ORDER BY first_day, officer, id")
                .bind(zone_id)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(StoredLeave {
                    id: r.try_get("id")?,
                    leave: Leave {
                        officer: r.try_get("officer")?,
                        first_day: r.try_get("first_day")?,
                        last_day: r.try_get("last_day")?,
                        kind: r.try_get("kind")?,
                        note: r.try_get("note")?,
                    },
                });
            }
            Ok(out)
        })
    }

    /// Removes one stretch of leave; false when the zone has no leave with that id.
    pub async fn remove_leave(&self, zone_id: i64, id: i64) -> Result<bool> {
        on_pool!(self, pool => {
            let done = sqlx::query("DELETE FROM staff_leave WHERE zone_id = $1 AND id = $2")
                .bind(zone_id)
                .bind(id)
                .execute(pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Records whether an officer asked not to work nights.
    pub async fn set_no_nights(&self, zone_id: i64, officer: &str, no_nights: bool) -> Result<()> {
        self.check_officers(zone_id, &[officer]).await?;
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO staff_wishes (zone_id, officer, no_nights) VALUES ($1, $2, $3) ON CONFLICT (zone_id, officer) DO UPDATE SET no_nights = excluded.no_nights")
                .bind(zone_id)
                .bind(officer)
                .bind(no_nights)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The officers who asked not to work nights, by code.
    pub async fn no_nights(&self, zone_id: i64) -> Result<Vec<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT officer FROM staff_wishes WHERE zone_id = $1 AND no_nights ORDER BY officer")
                .bind(zone_id)
                .fetch_all(pool)
                .await?)
        })
    }
}
