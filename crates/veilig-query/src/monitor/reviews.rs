//! Compstat reviews and the council's yearly evaluation, recorded through one checked path.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use veilig_analysis::TestRules;
use veilig_domain::Zone;
use veilig_store::{AuditEntry, NewReview, NewReviewDecision, ReviewDecisionRow, ReviewRow, Store};

use super::*;

/// The council's verdict on one objective in a yearly evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveVerdict {
    pub objective: String,
    /// `continue`, `adjust` or `stop`.
    pub verdict: String,
    pub note: String,
}

/// A Compstat review as asked: the period it discussed, the meeting's date, its decisions as
/// `what | who | YYYY-MM-DD` lines and the open decisions it closes as `ID:note` lines.
pub struct ReviewRequest<'a> {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub held_on: NaiveDate,
    pub today: NaiveDate,
    pub decisions: Vec<&'a str>,
    pub closes: Vec<&'a str>,
}

fn review_decision(line: &str) -> Result<NewReviewDecision> {
    let p: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
    match p.as_slice() {
        [what, who, due] if !what.is_empty() && !who.is_empty() => Ok(NewReviewDecision {
            what: what.to_string(),
            who: who.to_string(),
            due: due.parse().with_context(|| {
                format!("decision {line:?}: the due date {due:?} is not a date")
            })?,
        }),
        _ => bail!("decision {line:?}: what | who | YYYY-MM-DD"),
    }
}

fn review_close(line: &str) -> Result<(i64, String)> {
    match line.split_once(':') {
        Some((id, note)) => Ok((
            id.trim()
                .parse()
                .with_context(|| format!("{line:?}: ID:note, the decision's id"))?,
            note.trim().to_string(),
        )),
        None => bail!("{line:?}: ID:note"),
    }
}

/// Records a Compstat review with the agenda it discussed (recomputed now, so the stored
/// document is what the meeting saw), its decisions and the decisions it closes: the one
/// checked path for the CLI and the web. Returns the review's id.
/// Drafts the agenda of every review recorded with a pending one (the demo records its past
/// meetings so): the agenda of the review's period, as `veilig plan agenda` drafts it, kept
/// with the review so its Compstat book holds what the meeting discussed. Returns how many.
pub async fn fill_pending_agendas(store: &Store, zone: &Zone) -> Result<usize> {
    let mut n = 0;
    for r in store.reviews(zone.id).await? {
        if !r.document.contains("\"pending\"") {
            continue;
        }
        let rules = crate::plan::DEFAULT_RULES;
        let a = agenda(store, zone, r.period_from, r.period_to, rules).await?;
        if store
            .fill_pending_agenda(r.id, &serde_json::to_string(&a)?)
            .await?
        {
            n += 1;
        }
    }
    Ok(n)
}

pub async fn record_review(
    store: &Store,
    zone: &Zone,
    r: &ReviewRequest<'_>,
    rules: TestRules,
    audit: &AuditEntry,
) -> Result<i64> {
    if r.to < r.from {
        bail!("the period ends ({}) before it starts ({})", r.to, r.from);
    }
    if r.held_on > r.today {
        bail!("the meeting ({}) may not lie in the future", r.held_on);
    }
    let lines = |v: &[&'_ str]| -> Vec<String> {
        v.iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let decisions = lines(&r.decisions)
        .iter()
        .map(|l| review_decision(l))
        .collect::<Result<Vec<_>>>()?;
    let closes = lines(&r.closes)
        .iter()
        .map(|l| review_close(l))
        .collect::<Result<Vec<_>>>()?;
    let agenda = agenda(store, zone, r.from, r.to, rules).await?;
    Ok(store
        .add_review(
            &NewReview {
                zone_id: zone.id,
                kind: "compstat".into(),
                period_from: r.from,
                period_to: r.to,
                held_on: r.held_on,
                document: serde_json::to_string(&agenda)?,
                decisions,
                closes,
            },
            audit,
        )
        .await?)
}

/// Records the zonal security council's yearly evaluation of a plan year: per objective its
/// indicators and their verdicts, the year's actions (done or not) with the hours planned and
/// allocated (`allocation`: action, asked, allocated; empty when not computed), and the
/// council's verdict, which every strategic objective needs.
#[allow(clippy::too_many_arguments)]
pub async fn evaluate(
    store: &Store,
    zone: &Zone,
    view: &crate::plan::PlanView,
    year: i32,
    held_on: NaiveDate,
    verdicts: &[ObjectiveVerdict],
    done: &[String],
    allocation: &[(String, f64, f64)],
    today: NaiveDate,
    audit: &AuditEntry,
) -> Result<i64> {
    let d = &view.document;
    if held_on > today {
        bail!("the evaluation's date {held_on} lies in the future");
    }
    if year < d.period_start.year() || year > d.period_end.year() {
        bail!("{year} is not a year of plan {}", view.code);
    }
    for v in verdicts {
        if d.objective(&v.objective).is_none() {
            bail!("objective {:?} is not in plan {}", v.objective, view.code);
        }
        if !matches!(v.verdict.as_str(), "continue" | "adjust" | "stop") {
            bail!(
                "verdict {:?} on {}: continue, adjust or stop",
                v.verdict,
                v.objective
            );
        }
    }
    let missing: Vec<&str> = d
        .objectives
        .iter()
        .filter(|o| o.level == veilig_plan::Level::Strategic)
        .filter(|o| !verdicts.iter().any(|v| v.objective == o.code))
        .map(|o| o.code.as_str())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the council's verdict is missing for {}",
            missing.join(", ")
        );
    }
    for a in done {
        if !d.actions.iter().any(|x| &x.code == a && x.year == year) {
            bail!("action {a:?}: no action of {year} with that code");
        }
    }
    let st = status(
        store,
        zone,
        TestRules {
            alpha: 0.05,
            min_events: 10,
        },
    )
    .await?;
    let objectives: Vec<serde_json::Value> = d
        .objectives
        .iter()
        .map(|o| {
            let g = verdicts.iter().find(|g| g.objective == o.code);
            serde_json::json!({
                "objective": o.code, "level": o.level.as_str(), "statement": o.statement,
                "indicators": st.iter().filter(|s| s.objective == o.code).map(|s| serde_json::json!({"code": s.code, "verdict": s.verdict, "latest": s.progress.latest, "target": s.target.value})).collect::<Vec<_>>(),
                "actions": d.actions.iter().filter(|a| a.objective == o.code && a.year == year).map(|a| {
                    let al = allocation.iter().find(|x| x.0 == a.code);
                    serde_json::json!({"code": a.code, "title": a.title, "done": done.contains(&a.code), "hours_planned": a.hours, "hours_allocated": al.map(|x| x.2)})
                }).collect::<Vec<_>>(),
                "verdict": g.map(|g| g.verdict.clone()),
                "note": g.map(|g| g.note.clone()),
            })
        })
        .collect();
    let doc = serde_json::json!({"plan": view.code, "version": view.version, "year": year, "objectives": objectives,
        "method": if allocation.is_empty() { "hours planned: the plan's actions of the year; hours allocated: not computed" } else { "hours planned: the plan's actions of the year; hours allocated: the allocation LP over the corps' net hours after the norm floors (veilig capacity allocate --plan)" }});
    Ok(store
        .add_review(
            &veilig_store::NewReview {
                zone_id: zone.id,
                kind: "annual".into(),
                period_from: NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
                period_to: NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
                held_on,
                document: doc.to_string(),
                decisions: vec![],
                closes: vec![],
            },
            audit,
        )
        .await?)
}

/// The zone's Compstat reviews as one listing: each review with the agenda it discussed (as
/// stored) and its decisions.
pub fn reviews_listing(
    zone: &Zone,
    reviews: &[ReviewRow],
    decisions: &[ReviewDecisionRow],
) -> serde_json::Value {
    let rs: Vec<serde_json::Value> = reviews
        .iter()
        .map(|r| {
            let document =
                serde_json::from_str::<serde_json::Value>(&r.document).unwrap_or_default();
            let own: Vec<&ReviewDecisionRow> =
                decisions.iter().filter(|d| d.review_id == r.id).collect();
            serde_json::json!({
                "id": r.id, "kind": r.kind, "period_from": r.period_from,
                "period_to": r.period_to, "held_on": r.held_on, "document": document,
                "decisions": own,
            })
        })
        .collect();
    serde_json::json!({"zone": zone.code.as_str(), "reviews": rs})
}
