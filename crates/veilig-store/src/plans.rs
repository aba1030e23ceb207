//! The policy cycle's records: the ZVR's decisions and the matrix's stakeholder input
//! (append-only), zonal security plans with every version kept whole, the approval steps of
//! each version (append-only; a version with a step is frozen), and which organisation a
//! partner account speaks for. Every change is written with its audit line in one
//! transaction: both land or neither does.
//!
//! The store keeps a plan version's document as JSON text; what it means is the plan crate's
//! business, read by `veilig-query`.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::from_row;
use crate::{AuditEntry, Result, Store, StoreError, audit_tx, now, on_pool};

/// A decision of the zonal security council to record.
#[derive(Debug, Clone)]
pub struct NewDecision {
    pub zone_id: i64,
    pub meeting: NaiveDate,
    /// A phenomenon code or an internal theme.
    pub subject: String,
    pub title: String,
    /// `prioriteit` or `bijzonder-aandachtspunt`.
    pub kind: String,
    /// `external` or `internal`.
    pub domain: String,
    /// `adopted` or `withdrawn`.
    pub outcome: String,
    pub rationale: String,
    /// Who decided (the ZVR members present).
    pub decided_by: String,
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub id: i64,
    pub zone_id: i64,
    pub meeting: NaiveDate,
    pub subject: String,
    pub title: String,
    pub kind: String,
    pub domain: String,
    pub outcome: String,
    pub rationale: String,
    pub decided_by: String,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: Option<String>,
}

/// Stakeholder input for one phenomenon (0-5), as entered by the analyst.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityInput {
    pub id: i64,
    pub phenomenon: String,
    pub score: f64,
    pub source: String,
    pub note: String,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub zone_id: i64,
    pub code: String,
    pub synthetic: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanVersion {
    pub plan_id: i64,
    pub version: i32,
    /// `initial`, `addendum` or `revision`.
    pub kind: String,
    pub reason: String,
    /// The plan document (JSON).
    pub document: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// An approval step to record.
#[derive(Debug, Clone)]
pub struct NewPlanStep {
    pub plan_id: i64,
    pub version: i32,
    pub step: String,
    pub decided_on: NaiveDate,
    pub outcome: String,
    /// The meeting, letter or document the step is recorded from.
    pub reference: String,
    pub recorded_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    pub id: i64,
    pub plan_id: i64,
    pub version: i32,
    pub step: String,
    pub decided_on: NaiveDate,
    pub outcome: String,
    pub reference: String,
    pub recorded_at: NaiveDateTime,
    pub recorded_by: Option<String>,
}

from_row!(Decision {
    id,
    zone_id,
    meeting,
    subject,
    title,
    kind,
    domain,
    outcome,
    rationale,
    decided_by,
    recorded_at,
    recorded_by
});
from_row!(PriorityInput {
    id,
    phenomenon,
    score,
    source,
    note,
    recorded_at,
    recorded_by
});
from_row!(PlanRow {
    id,
    zone_id,
    code,
    synthetic,
    created_at
});
from_row!(PlanVersion {
    plan_id,
    version,
    kind,
    reason,
    document,
    created_at,
    created_by,
    updated_at
});
from_row!(PlanStep {
    id,
    plan_id,
    version,
    step,
    decided_on,
    outcome,
    reference,
    recorded_at,
    recorded_by
});

impl Store {
    /// Appends a ZVR decision; returns its id.
    pub async fn record_decision(&self, d: &NewDecision, audit: &AuditEntry) -> Result<i64> {
        if !matches!(d.outcome.as_str(), "adopted" | "withdrawn") {
            return Err(StoreError::Invalid(format!(
                "outcome {:?}: adopted or withdrawn",
                d.outcome
            )));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO zvr_decisions (zone_id, meeting, subject, title, kind, domain, outcome, rationale, decided_by, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
                .bind(d.zone_id)
                .bind(d.meeting)
                .bind(&d.subject)
                .bind(&d.title)
                .bind(&d.kind)
                .bind(&d.domain)
                .bind(&d.outcome)
                .bind(&d.rationale)
                .bind(&d.decided_by)
                .bind(now())
                .bind(&d.recorded_by)
                .fetch_one(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The zone's ZVR decisions, oldest first.
    pub async fn decisions(&self, zone_id: i64) -> Result<Vec<Decision>> {
        self.rows_by::<Decision>(
            "SELECT id, zone_id, meeting, subject, title, kind, domain, outcome, rationale, decided_by, recorded_at, recorded_by FROM zvr_decisions WHERE zone_id = $1 ORDER BY id",
            zone_id,
        )
        .await
    }

    /// Appends stakeholder input for a phenomenon (the newest per phenomenon counts).
    pub async fn add_priority_input(
        &self,
        zone_id: i64,
        phenomenon: &str,
        score: f64,
        source: &str,
        note: &str,
        audit: &AuditEntry,
    ) -> Result<i64> {
        if !(0.0..=5.0).contains(&score) {
            return Err(StoreError::Invalid(format!("score {score}: 0 to 5")));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO priority_inputs (zone_id, phenomenon, score, source, note, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(zone_id)
                .bind(phenomenon)
                .bind(score)
                .bind(source)
                .bind(note)
                .bind(now())
                .bind(&audit.username)
                .fetch_one(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Every stakeholder input of the zone, oldest first.
    pub async fn priority_inputs(&self, zone_id: i64) -> Result<Vec<PriorityInput>> {
        self.rows_by::<PriorityInput>(
            "SELECT id, phenomenon, score, source, note, recorded_at, recorded_by FROM priority_inputs WHERE zone_id = $1 ORDER BY id",
            zone_id,
        )
        .await
    }

    /// Creates a plan with its first version (`initial`).
    pub async fn create_plan(
        &self,
        zone_id: i64,
        code: &str,
        synthetic: bool,
        document: &str,
        audit: &AuditEntry,
    ) -> Result<PlanRow> {
        if self.plan(zone_id, code).await?.is_some() {
            return Err(StoreError::Invalid(format!(
                "plan {code:?} already exists in this zone"
            )));
        }
        let t = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO plans (zone_id, code, synthetic, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(zone_id)
                .bind(code)
                .bind(synthetic)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO plan_versions (plan_id, version, kind, reason, document, created_at, created_by, updated_at) VALUES ($1, 1, 'initial', '', $2, $3, $4, $3)")
                .bind(id)
                .bind(document)
                .bind(t)
                .bind(&audit.username)
                .execute(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(PlanRow { id, zone_id, code: code.to_string(), synthetic, created_at: t })
        })
    }

    /// The zone's plans, oldest first.
    pub async fn plans(&self, zone_id: i64) -> Result<Vec<PlanRow>> {
        self.rows_by::<PlanRow>(
            "SELECT id, zone_id, code, synthetic, created_at FROM plans WHERE zone_id = $1 ORDER BY id",
            zone_id,
        )
        .await
    }

    pub async fn plan(&self, zone_id: i64, code: &str) -> Result<Option<PlanRow>> {
        Ok(self
            .plans(zone_id)
            .await?
            .into_iter()
            .find(|p| p.code == code))
    }

    /// Every version of a plan, oldest first.
    pub async fn plan_versions(&self, plan_id: i64) -> Result<Vec<PlanVersion>> {
        self.rows_by::<PlanVersion>(
            "SELECT plan_id, version, kind, reason, document, created_at, created_by, updated_at FROM plan_versions WHERE plan_id = $1 ORDER BY version",
            plan_id,
        )
        .await
    }

    /// Replaces the document of a version no step has been taken on (a draft).
    pub async fn save_draft(
        &self,
        plan_id: i64,
        version: i32,
        document: &str,
        audit: &AuditEntry,
    ) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_steps WHERE plan_id = $1 AND version = $2")
                .bind(plan_id)
                .bind(version)
                .fetch_one(&mut *tx)
                .await?;
            if steps > 0 {
                return Err(StoreError::Invalid(format!(
                    "version {version} is frozen: an approval step was taken on it; start a new version (addendum)"
                )));
            }
            let n = sqlx::query("UPDATE plan_versions SET document = $1, updated_at = $2 WHERE plan_id = $3 AND version = $4")
                .bind(document)
                .bind(now())
                .bind(plan_id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n != 1 {
                return Err(StoreError::NotFound(format!("plan {plan_id} version {version}")));
            }
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Adds a version (`addendum` or `revision`) with this document; returns its number.
    pub async fn add_plan_version(
        &self,
        plan_id: i64,
        kind: &str,
        reason: &str,
        document: &str,
        audit: &AuditEntry,
    ) -> Result<i32> {
        if !matches!(kind, "addendum" | "revision") {
            return Err(StoreError::Invalid(format!(
                "kind {kind:?}: addendum or revision"
            )));
        }
        let t = now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let last: Option<i32> = sqlx::query_scalar("SELECT MAX(version) FROM plan_versions WHERE plan_id = $1")
                .bind(plan_id)
                .fetch_one(&mut *tx)
                .await?;
            let Some(last) = last else {
                return Err(StoreError::NotFound(format!("plan {plan_id}")));
            };
            let v = last + 1;
            sqlx::query("INSERT INTO plan_versions (plan_id, version, kind, reason, document, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6)")
                .bind(plan_id)
                .bind(v)
                .bind(kind)
                .bind(reason)
                .bind(document)
                .bind(t)
                .bind(&audit.username)
                .execute(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(v)
        })
    }

    /// Every approval step of a plan, oldest first.
    pub async fn plan_steps(&self, plan_id: i64) -> Result<Vec<PlanStep>> {
        self.rows_by::<PlanStep>(
            "SELECT id, plan_id, version, step, decided_on, outcome, reference, recorded_at, recorded_by FROM plan_steps WHERE plan_id = $1 ORDER BY id",
            plan_id,
        )
        .await
    }

    /// Appends an approval step (the procedure's order is the caller's check).
    pub async fn add_plan_step(&self, s: &NewPlanStep, audit: &AuditEntry) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO plan_steps (plan_id, version, step, decided_on, outcome, reference, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(s.plan_id)
                .bind(s.version)
                .bind(&s.step)
                .bind(s.decided_on)
                .bind(&s.outcome)
                .bind(&s.reference)
                .bind(now())
                .bind(&s.recorded_by)
                .fetch_one(&mut *tx)
                .await?;
            audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Sets (or with `None` clears) the organisation a partner account speaks for.
    pub async fn set_partner_organisation(
        &self,
        user_id: i64,
        organisation: Option<&str>,
    ) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM partner_accounts WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if let Some(o) = organisation {
                sqlx::query("INSERT INTO partner_accounts (user_id, organisation) VALUES ($1, $2)")
                    .bind(user_id)
                    .bind(o)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn partner_organisation(&self, user_id: i64) -> Result<Option<String>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT organisation FROM partner_accounts WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?)
        })
    }
}
