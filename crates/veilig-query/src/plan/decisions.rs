//! The ZVR's decisions and the stakeholder input, checked before they are stored.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use veilig_domain::{Refusal, Zone};
use veilig_store::{AuditEntry, Decision, NewDecision, Store};

/// The ZVR's current decision per subject: the newest decision on it, when that adopted it.
pub fn current_priorities(decisions: &[Decision]) -> Vec<Decision> {
    let mut last: BTreeMap<&str, &Decision> = BTreeMap::new();
    for d in decisions {
        last.insert(d.subject.as_str(), d);
    }
    let mut out: Vec<Decision> = last
        .into_values()
        .filter(|d| d.outcome == "adopted")
        .cloned()
        .collect();
    out.sort_by_key(|d| d.id);
    out
}

/// Records a ZVR decision after checking it: a known kind and domain, an external priority
/// on one of the zone's phenomena, a meeting not in the future, a rationale. An empty title
/// becomes the phenomenon's name.
pub async fn decide(
    store: &Store,
    zone: &Zone,
    d: &NewDecision,
    today: NaiveDate,
    audit: &AuditEntry,
) -> Result<i64> {
    if veilig_plan::PriorityKind::parse(&d.kind).is_none() {
        let en = format!("kind {:?}: prioriteit or bijzonder-aandachtspunt", d.kind);
        return Err(Refusal::new("refusal-decision-kind", &[("kind", d.kind.clone())], en).into());
    }
    let Some(domain) = veilig_plan::Domain::parse(&d.domain) else {
        let en = format!("domain {:?}: external or internal", d.domain);
        let args = [("domain", d.domain.clone())];
        return Err(Refusal::new("refusal-decision-domain", &args, en).into());
    };
    let phenomena = store.phenomena(zone.id).await?;
    let phenomenon = phenomena.iter().find(|p| p.code == d.subject);
    if domain == veilig_plan::Domain::External && phenomenon.is_none() {
        let en = format!(
            "subject {:?} is not a phenomenon of zone {} (an internal priority may name a theme: --domain internal)",
            d.subject,
            zone.code.as_str()
        );
        let args = [("subject", d.subject.clone())];
        return Err(Refusal::new("refusal-decision-subject", &args, en).into());
    }
    if !veilig_plan::valid_code(&d.subject) {
        let en = format!(
            "subject {:?}: 1-40 letters, digits, '.', '-', '_'",
            d.subject
        );
        let args = [("subject", d.subject.clone())];
        return Err(Refusal::new("refusal-decision-code", &args, en).into());
    }
    if d.meeting > today {
        let en = format!(
            "meeting {} lies in the future: record a decision once it is taken",
            d.meeting
        );
        let args = [("meeting", d.meeting.to_string())];
        return Err(Refusal::new("refusal-decision-future", &args, en).into());
    }
    if d.rationale.trim().is_empty() || d.decided_by.trim().is_empty() {
        let en = "a decision needs its rationale and who decided";
        return Err(Refusal::new("refusal-decision-rationale", &[], en).into());
    }
    // An untitled decision on a phenomenon carries the phenomenon's name.
    let mut d = d.clone();
    if d.title.trim().is_empty() {
        d.title = phenomenon.map_or_else(|| d.subject.clone(), |p| p.nl.clone());
    }
    Ok(store.record_decision(&d, audit).await?)
}

/// Records stakeholder input for a phenomenon after checking it: a phenomenon of the zone, a
/// score from 0 to 5, a named source.
pub async fn add_input(
    store: &Store,
    zone: &Zone,
    phenomenon: &str,
    score: f64,
    source: &str,
    note: &str,
    audit: &AuditEntry,
) -> Result<i64> {
    if !store
        .phenomena(zone.id)
        .await?
        .iter()
        .any(|p| p.code == phenomenon)
    {
        let en = format!(
            "zone {} has no phenomenon {phenomenon:?}",
            zone.code.as_str()
        );
        let args = [("phenomenon", phenomenon.to_string())];
        return Err(Refusal::new("refusal-input-phenomenon", &args, en).into());
    }
    if !(0.0..=5.0).contains(&score) {
        let args = [("score", score.to_string())];
        let en = format!("score {score}: 0 to 5");
        return Err(Refusal::new("refusal-input-score", &args, en).into());
    }
    if source.trim().is_empty() {
        let en = "say who gave the input (its source)";
        return Err(Refusal::new("refusal-input-source", &[], en).into());
    }
    Ok(store
        .add_priority_input(
            zone.id,
            phenomenon,
            score,
            source.trim(),
            note.trim(),
            audit,
        )
        .await?)
}
