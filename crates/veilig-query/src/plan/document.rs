//! The zonal security plan: its versions, their approval standing and every change, checked
//! by `veilig_plan` and written with its audit line.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use veilig_domain::{Refusal, Zone};
use veilig_plan::{Method, PlanDoc, Procedure, Standing, Taken};
use veilig_store::{AuditEntry, NewPlanStep, PlanRow, PlanStep, Store};

use super::current_priorities;

/// One version of a plan with where its approval stands.
#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: i32,
    pub kind: String,
    pub reason: String,
    pub created_at: chrono::NaiveDateTime,
    pub created_by: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
    pub standing: Standing,
    pub steps: Vec<PlanStep>,
}

/// A plan as shown: its newest version's document (flattened: `title`, `priorities`,
/// `objectives`, `actions`, ...), that version's `status`, and every version.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub zone: String,
    pub synthetic: bool,
    pub code: String,
    pub version: i32,
    pub status: String,
    pub editable: bool,
    /// The date by which the next step is due (the ministers' two months), when running.
    pub deadline: Option<NaiveDate>,
    pub next_steps: Vec<String>,
    #[serde(flatten)]
    pub document: PlanDoc,
    pub versions: Vec<VersionView>,
    /// Hours asked per priority and year.
    pub hours: BTreeMap<i32, BTreeMap<String, f64>>,
    pub procedure: Procedure,
    #[serde(skip)]
    pub plan_id: i64,
    #[serde(skip)]
    pub zone_id: i64,
    #[serde(skip)]
    pub documents: Vec<PlanDoc>,
}

impl PlanView {
    /// The document of a version.
    pub fn document_of(&self, version: i32) -> Option<&PlanDoc> {
        self.versions
            .iter()
            .position(|v| v.version == version)
            .map(|i| &self.documents[i])
    }
}

/// The plan `which` names (as [`find_plan`]) with its view under the built-in approval
/// procedure.
pub async fn plan_named(
    store: &Store,
    zone: &Zone,
    which: &str,
    today: NaiveDate,
) -> Result<(PlanRow, PlanView)> {
    let row = find_plan(store, zone, which, today).await?;
    let view = plan_view(store, zone, &row, &Procedure::for_kind(zone.kind)).await?;
    Ok((row, view))
}

/// The plan `which` names: `current` (the plan whose period covers `today`, else the newest)
/// or a plan code.
pub async fn find_plan(
    store: &Store,
    zone: &Zone,
    which: &str,
    today: NaiveDate,
) -> Result<PlanRow> {
    let plans = store.plans(zone.id).await?;
    if plans.is_empty() {
        bail!(
            "zone {} has no plan yet: create one first",
            zone.code.as_str()
        );
    }
    if which != "current" {
        return plans
            .into_iter()
            .find(|p| p.code == which)
            .with_context(|| format!("zone {} has no plan {which:?}", zone.code.as_str()));
    }
    Ok(match plan_covering(store, zone, today).await? {
        Some(p) => p,
        None => plans.last().expect("not empty").clone(),
    })
}

/// The plan whose period (as its newest version has it) covers `day`, if any (the latest
/// made, when several do).
pub async fn plan_covering(store: &Store, zone: &Zone, day: NaiveDate) -> Result<Option<PlanRow>> {
    let mut best = None;
    for p in store.plans(zone.id).await? {
        let v = store.plan_versions(p.id).await?;
        if let Some(last) = v.last() {
            let doc: PlanDoc = serde_json::from_str(&last.document)?;
            if doc.period_start <= day && day <= doc.period_end {
                best = Some(p);
            }
        }
    }
    Ok(best)
}

pub async fn plan_view(
    store: &Store,
    zone: &Zone,
    plan: &PlanRow,
    proc: &Procedure,
) -> Result<PlanView> {
    let versions = store.plan_versions(plan.id).await?;
    let steps = store.plan_steps(plan.id).await?;
    let mut views = Vec::new();
    let mut documents = Vec::new();
    for v in &versions {
        let doc: PlanDoc = serde_json::from_str(&v.document).with_context(|| {
            format!("plan {} version {}: stored document", plan.code, v.version)
        })?;
        let mine: Vec<PlanStep> = steps
            .iter()
            .filter(|s| s.version == v.version)
            .cloned()
            .collect();
        let taken = taken(&mine);
        views.push(VersionView {
            version: v.version,
            kind: v.kind.clone(),
            reason: v.reason.clone(),
            created_at: v.created_at,
            created_by: v.created_by.clone(),
            updated_at: v.updated_at,
            standing: proc.standing(&taken),
            steps: mine,
        });
        documents.push(doc);
    }
    let last = views.last().context("a plan without a version")?.clone();
    let document = documents.last().expect("one per version").clone();
    let mut hours = BTreeMap::new();
    for y in document.period_start.year()..=document.period_end.year() {
        let h = document.hours_by_priority(y);
        if !h.is_empty() {
            hours.insert(y, h);
        }
    }
    Ok(PlanView {
        zone: zone.code.as_str().to_string(),
        synthetic: plan.synthetic,
        code: plan.code.clone(),
        version: last.version,
        status: last.standing.status.clone(),
        editable: last.standing.editable,
        deadline: last.standing.deadline,
        next_steps: last.standing.next.clone(),
        document,
        versions: views,
        hours,
        procedure: proc.clone(),
        plan_id: plan.id,
        zone_id: zone.id,
        documents,
    })
}

/// Refuses a document with problems: its own, and an external priority whose subject is not
/// a phenomenon of the zone (named with the zone's codes).
async fn problems_error(store: &Store, zone_id: i64, doc: &PlanDoc) -> Result<()> {
    let mut p = doc.problems();
    let phenomena: Vec<String> = store
        .phenomena(zone_id)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    for pr in &doc.priorities {
        if pr.domain == veilig_plan::Domain::External && !phenomena.contains(&pr.subject) {
            p.push(format!(
                "priority {}: subject {:?} is not a phenomenon of the zone ({})",
                pr.code,
                pr.subject,
                phenomena.join(", ")
            ));
        }
    }
    if !p.is_empty() {
        bail!(
            "the plan would not be valid; nothing was changed:\n  {}",
            p.join("\n  ")
        );
    }
    Ok(())
}

/// The plan's priorities from the council's current decisions (P1, P2, ... in the order they
/// were decided), each with the reference-plan items in force at the plan's start.
pub async fn priorities_from_decisions(
    store: &Store,
    zone: &Zone,
    start: NaiveDate,
) -> Result<Vec<veilig_plan::Priority>> {
    let refs = veilig_plan::reference::builtin();
    Ok(current_priorities(&store.decisions(zone.id).await?)
        .iter()
        .enumerate()
        .map(|(i, d)| veilig_plan::Priority {
            code: format!("P{}", i + 1),
            subject: d.subject.clone(),
            title: d.title.clone(),
            kind: veilig_plan::PriorityKind::parse(&d.kind)
                .unwrap_or(veilig_plan::PriorityKind::Prioriteit),
            domain: veilig_plan::Domain::parse(&d.domain).unwrap_or(veilig_plan::Domain::External),
            decision: Some(d.id),
            references: veilig_plan::alignment(&refs, &d.subject, start)
                .iter()
                .map(|a| format!("{}:{}", a.plan, a.item))
                .collect(),
        })
        .collect())
}

/// Creates a plan (version 1, a draft) after checking its document.
pub async fn create_plan(
    store: &Store,
    zone: &Zone,
    code: &str,
    doc: &PlanDoc,
    audit: &AuditEntry,
) -> Result<PlanRow> {
    if !veilig_plan::valid_code(code) {
        let en = format!("plan code {code:?}: 1-40 letters, digits, '.', '-', '_'");
        let args = [("code", code.to_string())];
        return Err(Refusal::new("refusal-plan-code", &args, en).into());
    }
    problems_error(store, zone.id, doc).await?;
    Ok(store
        .create_plan(
            zone.id,
            code,
            zone.synthetic,
            &serde_json::to_string(doc)?,
            audit,
        )
        .await?)
}

/// Changes the newest version of a plan, when it is still a draft: `change` edits the
/// document, the result is checked whole, and only a valid document is stored.
pub async fn edit_plan(
    store: &Store,
    view: &PlanView,
    audit: &AuditEntry,
    change: impl FnOnce(&mut PlanDoc) -> Result<()>,
) -> Result<PlanDoc> {
    if !view.editable {
        let en = format!(
            "version {} of plan {} is {}: it can no longer change; start an addendum (`veilig plan addendum`)",
            view.version, view.code, view.status
        );
        let args = [
            ("version", view.version.to_string()),
            ("plan", view.code.clone()),
        ];
        return Err(Refusal::new("refusal-plan-frozen", &args, en).into());
    }
    let mut doc = view.document.clone();
    change(&mut doc)?;
    problems_error(store, view.zone_id, &doc).await?;
    store
        .save_draft(
            view.plan_id,
            view.version,
            &serde_json::to_string(&doc)?,
            audit,
        )
        .await?;
    Ok(doc)
}

/// Starts a new version (an addendum, or a revision after a refusal) from the newest one.
pub async fn new_version(
    store: &Store,
    view: &PlanView,
    kind: &str,
    reason: &str,
    audit: &AuditEntry,
) -> Result<i32> {
    if view.editable {
        let en = format!(
            "version {} is still a draft: change it instead of adding a version",
            view.version
        );
        let args = [("version", view.version.to_string())];
        return Err(Refusal::new("refusal-plan-draft", &args, en).into());
    }
    if reason.trim().is_empty() {
        let en = "a new version needs its reason (e.g. a new NVP)";
        return Err(Refusal::new("refusal-plan-reason", &[], en).into());
    }
    Ok(store
        .add_plan_version(
            view.plan_id,
            kind,
            reason,
            &serde_json::to_string(&view.document)?,
            audit,
        )
        .await?)
}

/// The approval steps a version has taken, as the procedure checks them.
fn taken(steps: &[PlanStep]) -> Vec<Taken> {
    steps
        .iter()
        .map(|s| Taken {
            step: s.step.clone(),
            on: s.decided_on,
            outcome: s.outcome.clone(),
        })
        .collect()
}

/// Records an approval step on the newest version after the procedure's checks (order, dates,
/// not in the future) and, for its first step, the document's.
#[allow(clippy::too_many_arguments)]
pub async fn take_step(
    store: &Store,
    view: &PlanView,
    step: &str,
    on: NaiveDate,
    outcome: &str,
    reference: &str,
    today: NaiveDate,
    audit: &AuditEntry,
) -> Result<i64> {
    let last = view.versions.last().context("no version")?;
    let taken = taken(&last.steps);
    view.procedure.check(&taken, step, on, outcome, today)?;
    if taken.is_empty() {
        problems_error(store, view.zone_id, &view.document).await?;
        if view.document.priorities.is_empty() {
            let en = "the plan has no priority: nothing to approve";
            return Err(Refusal::new("refusal-plan-empty", &[], en).into());
        }
    }
    if reference.trim().is_empty() {
        let en = "a step needs its reference (the meeting, letter or decision)";
        return Err(Refusal::new("refusal-step-reference", &[], en).into());
    }
    Ok(store
        .add_plan_step(
            &NewPlanStep {
                plan_id: view.plan_id,
                version: view.version,
                step: step.into(),
                decided_on: on,
                outcome: outcome.into(),
                reference: reference.into(),
                recorded_by: audit.username.clone(),
            },
            audit,
        )
        .await?)
}

/// A plan action as a project of the capacity allocation.
#[derive(Debug, Clone, Serialize)]
pub struct PlanProject {
    pub code: String,
    pub name: String,
    pub priority: String,
    pub priority_kind: String,
    pub weight: f64,
    pub hours: f64,
    pub functionalities: Vec<String>,
}

/// The actions of one year of the plan as allocation projects, weighted by the kind of the
/// priority they serve.
pub fn plan_projects(doc: &PlanDoc, year: i32, method: &Method) -> Vec<PlanProject> {
    doc.actions
        .iter()
        .filter(|a| a.year == year)
        .filter_map(|a| {
            let p = doc.action_priority(a)?;
            Some(PlanProject {
                code: a.code.clone(),
                name: a.title.clone(),
                priority: p.code.clone(),
                priority_kind: p.kind.as_str().to_string(),
                weight: method.allocation_weight(p.kind.as_str()),
                hours: a.hours,
                functionalities: a.functionalities.clone(),
            })
        })
        .collect()
}
