//! The plan that was in force before the demo's current one: a ZVP 2020-2025, approved in
//! 2019-2020, so that the demo's year reports for 2020-2025 have a plan, priorities and
//! indicators to report on (a report for a year reads the plan in force in it). Synthetic,
//! shaped on the current plan: the same priorities and objectives six years earlier.

use chrono::{Datelike, NaiveDate};
use veilig_plan::PlanDoc;
use veilig_store::{Store, StoreError};

use super::audit;

pub const PREVIOUS: &str = "zvp-2020-2025";

fn earlier(day: NaiveDate, years: i32) -> NaiveDate {
    day.with_year(day.year() - years).unwrap_or_else(|| {
        day.pred_opt()
            .expect("date")
            .with_year(day.year() - years)
            .expect("date")
    })
}

/// The current plan moved six years back: its chapters, priorities (decided before the
/// demo's recorded ZVR decisions, so not linked to them; no reference-plan items, which
/// name later plans), objectives and actions.
pub fn previous_zvp(next: &PlanDoc) -> PlanDoc {
    let mut p = next.clone();
    p.title = "Zonaal Veiligheidsplan 2020-2025 PZ Balen-Dessel-Mol (synthetisch)".into();
    p.period_start = earlier(next.period_start, 6);
    p.period_end = earlier(next.period_end, 6);
    p.snapshots.clear();
    for pr in &mut p.priorities {
        pr.decision = None;
        pr.references.clear();
    }
    for o in &mut p.objectives {
        o.due = earlier(o.due, 6);
    }
    // A yearly action plan for each of its years: the current plan's first-year actions,
    // coded per year (A1.1-2020 …), so that every year report of 2020-2025 has actions.
    let first = next.period_start.year();
    p.actions = (p.period_start.year()..=p.period_end.year())
        .flat_map(|y| {
            next.actions
                .iter()
                .filter(move |a| a.year == first)
                .map(move |a| veilig_plan::Action {
                    code: format!("{}-{y}", a.code),
                    year: y,
                    ..a.clone()
                })
        })
        .collect();
    p
}

/// Writes the previous plan with its approval trail (ZVR to the municipal councils).
pub async fn write_previous(store: &Store, zone_id: i64, next: &PlanDoc) -> Result<(), StoreError> {
    let doc = serde_json::to_string(&previous_zvp(next)).expect("serialise");
    let plan = store
        .create_plan(
            zone_id,
            PREVIOUS,
            true,
            &doc,
            &audit(zone_id, "plan-create", PREVIOUS),
        )
        .await?;
    let steps = [
        ("zvr", "2019-10-10", "ZVR 10 oktober 2019 (synthetisch)"),
        (
            "politieraad",
            "2019-10-24",
            "politieraad 24 oktober 2019 (synthetisch)",
        ),
        (
            "submitted",
            "2019-10-31",
            "brief aan de ministers, 31 oktober 2019 (synthetisch)",
        ),
        (
            "ministers",
            "2019-12-19",
            "goedkeuring FOD Binnenlandse Zaken en FOD Justitie (synthetisch)",
        ),
        (
            "gemeenteraden",
            "2020-01-28",
            "gemeenteraden Balen, Dessel, Mol (synthetisch)",
        ),
    ];
    super::approve(store, zone_id, plan.id, &steps).await
}
