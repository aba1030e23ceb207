//! The demo zone's policy cycle (synthetic, labelled so wherever shown): the ZVR's decisions
//! of 2025, a zonal security plan 2026-2031 with four external priorities, one bijzonder
//! aandachtspunt and one internal priority, each with objectives on three levels, actions
//! with partners, chain phases and capacity hours for 2026 and 2027; its approval up to the
//! ministers; and an addendum in draft (a new cyber action after the NVP's extension). The
//! plan in force before it (2020-2025, approved) gives the earlier years' reports a plan.
//! Invented to show the product, not any zone's real plan.

use chrono::NaiveDate;
mod document;
mod previous;

pub use document::{addendum, zvp};
pub use previous::{PREVIOUS, previous_zvp};
use veilig_store::{AuditEntry, NewDecision, NewPlanStep, Store, StoreError};

pub const PLAN: &str = "zvp-2026-2031";
/// The organisation the demo partner account speaks for.
pub const PARTNER: &str = "ocmw-mol";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// (subject, title, kind, domain, rationale)
const DECISIONS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "woninginbraak",
        "Woninginbraak",
        "prioriteit",
        "external",
        "Hoogste schade per feit; dalend, maar de inwoners noemen het (bevraging 2024).",
    ),
    (
        "verkeersongeval",
        "Verkeersveiligheid",
        "prioriteit",
        "external",
        "Grootste aandeel van de oproepen; snelheid is het meest genoemde buurtprobleem.",
    ),
    (
        "drugs",
        "Drugs (handel en overlast)",
        "prioriteit",
        "external",
        "Stijgende trend; NVP 3 en Kadernota cluster 3.",
    ),
    (
        "intrafamiliaal-geweld",
        "Intrafamiliaal geweld",
        "prioriteit",
        "external",
        "Hoge schade, groot dark number; ketenaanpak met OCMW en parket.",
    ),
    (
        "fraude",
        "Internetfraude",
        "bijzonder-aandachtspunt",
        "external",
        "Sterk stijgend (+11 %/jaar); gevolgd in de reguliere werking, preventie met de gemeenten.",
    ),
    (
        "welzijn-personeel",
        "Welzijn en inzetbaarheid van het personeel",
        "prioriteit",
        "internal",
        "Interne prioriteit: ziekteverzuim en vacatures drukken de capaciteit.",
    ),
];

const ZVR: &str = "burgemeesters Balen, Dessel en Mol; procureur des Konings Antwerpen (afdeling Turnhout); korpschef; DirCo Antwerpen";

fn audit(zone_id: i64, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        username: Some("demo".into()),
        action: action.into(),
        zone_id: Some(zone_id),
        detail: detail.into(),
        ..Default::default()
    }
}

/// Records a plan's first version as approved through `steps` (step, date, reference).
async fn approve(
    store: &Store,
    zone_id: i64,
    plan_id: i64,
    steps: &[(&str, &str, &str)],
) -> Result<(), StoreError> {
    for (step, on, reference) in steps {
        store
            .add_plan_step(
                &NewPlanStep {
                    plan_id,
                    version: 1,
                    step: step.to_string(),
                    decided_on: d(on),
                    outcome: "approved".into(),
                    reference: reference.to_string(),
                    recorded_by: Some("demo".into()),
                },
                &audit(zone_id, "plan-step", step),
            )
            .await?;
    }
    Ok(())
}

/// Writes the decisions, the plan, its approval and the addendum, unless the zone has a plan.
pub async fn write(store: &Store, zone_id: i64) -> Result<(), StoreError> {
    if !store.plans(zone_id).await?.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    for (subject, title, kind, domain, rationale) in DECISIONS {
        ids.push(
            store
                .record_decision(
                    &NewDecision {
                        zone_id,
                        meeting: d("2025-06-12"),
                        subject: subject.into(),
                        title: title.into(),
                        kind: kind.into(),
                        domain: domain.into(),
                        outcome: "adopted".into(),
                        rationale: format!("{rationale} (synthetisch)"),
                        decided_by: ZVR.into(),
                        recorded_by: Some("demo".into()),
                    },
                    &audit(zone_id, "zvr-decision", subject),
                )
                .await?,
        );
    }
    let v1 = zvp(&ids);
    // The plan in force before it, first (plans are listed in the order they were made).
    previous::write_previous(store, zone_id, &v1).await?;
    let json = serde_json::to_string(&v1).expect("serialise");
    let plan = store
        .create_plan(
            zone_id,
            PLAN,
            true,
            &json,
            &audit(zone_id, "plan-create", PLAN),
        )
        .await?;
    let steps = [
        ("zvr", "2025-10-09", "ZVR 9 oktober 2025 (synthetisch)"),
        (
            "politieraad",
            "2025-10-23",
            "politieraad 23 oktober 2025 (synthetisch)",
        ),
        (
            "submitted",
            "2025-10-30",
            "brief aan de ministers, 30 oktober 2025 (synthetisch)",
        ),
        (
            "ministers",
            "2025-12-18",
            "goedkeuring FOD Binnenlandse Zaken en FOD Justitie (synthetisch)",
        ),
        (
            "gemeenteraden",
            "2026-01-27",
            "gemeenteraden Balen, Dessel, Mol (synthetisch)",
        ),
    ];
    approve(store, zone_id, plan.id, &steps).await?;
    let v2 = serde_json::to_string(&addendum(&v1)).expect("serialise");
    store
        .add_plan_version(
            plan.id,
            "addendum",
            "NVP 2022-2025 verlengd; actie internetfraude toegevoegd (synthetisch)",
            &v2,
            &audit(zone_id, "plan-version", PLAN),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use veilig_plan::{Priority, PriorityKind};

    #[test]
    fn the_demo_plan_is_valid_and_whole() {
        let p = zvp(&[1, 2, 3, 4, 5, 6]);
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        let a = addendum(&p);
        assert!(a.problems().is_empty(), "{:?}", a.problems());
        // The plan before it: valid, 2020-2025, its actions in its own years.
        let before = previous_zvp(&p);
        assert!(before.problems().is_empty(), "{:?}", before.problems());
        assert_eq!(
            (before.period_start, before.period_end),
            (d("2020-01-01"), d("2025-12-31"))
        );
        assert!(
            before
                .actions
                .iter()
                .all(|x| (2020..=2025).contains(&x.year))
        );
        for y in 2020..=2025 {
            assert!(before.actions.iter().any(|x| x.year == y), "{y}");
        }
        // At least four priorities, each with objectives and actions with hours.
        let external: Vec<&Priority> = p
            .priorities
            .iter()
            .filter(|x| x.kind == PriorityKind::Prioriteit)
            .collect();
        assert!(external.len() >= 4);
        for pr in &p.priorities {
            assert!(
                p.objectives.iter().any(|o| o.priority == pr.code),
                "{}",
                pr.code
            );
            let hours: f64 = p
                .actions
                .iter()
                .filter(|a| p.action_priority(a).map(|x| &x.code) == Some(&pr.code))
                .map(|a| a.hours)
                .sum();
            assert!(hours > 0.0, "{}", pr.code);
        }
        assert!(!p.actions_of_partner("ocmw-mol").is_empty());
        assert_eq!(veilig_plan::diff(&p, &a).len(), 1);
    }
}
