//! The document's checks and edits on a small plan (shared with the other modules' tests).

use super::*;
use crate::diff::diff;

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn small_plan() -> PlanDoc {
    let mut p = PlanDoc::new("ZVP test", 2026, 6);
    p.priorities.push(Priority {
        code: "P1".into(),
        subject: "woninginbraak".into(),
        title: "Woninginbraak".into(),
        kind: PriorityKind::Prioriteit,
        domain: Domain::External,
        decision: Some(1),
        references: vec!["nvp-2022-2025:4".into()],
    });
    p.objectives.push(Objective {
        code: "SD1".into(),
        level: Level::Strategic,
        parent: None,
        priority: "P1".into(),
        statement: "Minder woninginbraken".into(),
        target: "-10 % tegen 2031 t.o.v. 2025".into(),
        due: d("2031-12-31"),
        owner: "korpschef".into(),
    });
    p.actions.push(Action {
        code: "A1".into(),
        objective: "SD1".into(),
        year: 2027,
        title: "Afwezigheidstoezicht".into(),
        phases: vec![Phase::Preventie],
        partners: vec![PartnerRole {
            partner: "gemeente-mol".into(),
            role: "communicatie".into(),
        }],
        owner: "wijkwerking".into(),
        hours: 400.0,
        functionalities: vec!["wijkwerking".into()],
    });
    p
}

#[test]
fn a_whole_plan_is_valid_and_each_fault_is_named() {
    let p = small_plan();
    assert!(p.problems().is_empty(), "{:?}", p.problems());
    assert_eq!(p.period_end, d("2031-12-31"));

    let mut bad = p.clone();
    bad.objectives[0].priority = "P9".into();
    assert_eq!(
        bad.problems(),
        ["objective SD1: priority \"P9\" is not in the plan"]
    );

    let mut bad = p.clone();
    bad.actions[0].hours = -5.0;
    assert_eq!(bad.problems(), ["action A1: hours -5 must be 0 or more"]);

    let mut bad = p.clone();
    bad.objectives.push(Objective {
        code: "TD1".into(),
        level: Level::Tactical,
        parent: None,
        ..p.objectives[0].clone()
    });
    assert_eq!(
        bad.problems(),
        ["objective TD1: a tactical objective needs a strategic parent"]
    );

    let mut bad = p.clone();
    bad.objectives[0].due = d("2035-01-01");
    assert!(bad.problems()[0].contains("outside the plan's period"));

    let mut bad = p.clone();
    bad.actions.push(bad.actions[0].clone());
    assert_eq!(
        bad.problems(),
        ["action \"A1\": code used twice in the plan"]
    );

    // A functionality that is not one of the seven (and support) names the valid ones.
    let mut bad = p.clone();
    bad.actions[0].functionalities = vec!["vliegende-brigade".into()];
    let problems = bad.problems();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "action A1: functionality \"vliegende-brigade\" is not one of wijkwerking, onthaal,"
        ),
        "{problems:?}"
    );
}

#[test]
fn items_are_put_by_code_and_a_new_deadline_lies_ahead() {
    let mut p = small_plan();
    let mut o = p.objectives[0].clone();
    o.target = "-20 %".into();
    p.put_objective(o.clone(), d("2026-11-30")).unwrap();
    assert_eq!(
        (p.objectives.len(), p.objectives[0].target.as_str()),
        (1, "-20 %")
    );
    o.code = "SD2".into();
    o.due = d("2025-12-31");
    assert!(
        p.put_objective(o, d("2026-11-30"))
            .unwrap_err()
            .contains("in the past")
    );
    assert_eq!(p.objectives.len(), 1);
    let mut a = p.actions[0].clone();
    a.code = "A2".into();
    p.put_action(a);
    assert_eq!(p.actions.len(), 2);
}

#[test]
fn versions_compare_item_by_item() {
    let a = small_plan();
    let mut b = a.clone();
    b.actions[0].hours = 600.0;
    b.chapters.mission = "Samen veilig".into();
    b.priorities.push(Priority {
        code: "P2".into(),
        subject: "verkeersongeval".into(),
        title: "Verkeer".into(),
        ..a.priorities[0].clone()
    });
    let c = diff(&a, &b);
    let summary: Vec<(&str, &str, &str)> = c
        .iter()
        .map(|c| (c.item, c.code.as_str(), c.change))
        .collect();
    assert_eq!(
        summary,
        [
            ("chapter", "", "changed"),
            ("priority", "P2", "added"),
            ("action", "A1", "changed")
        ]
    );
    assert_eq!(
        c[2].fields,
        [(
            "hours".to_string(),
            serde_json::json!(400.0),
            serde_json::json!(600.0)
        )]
    );
    assert!(diff(&a, &a).is_empty());
    assert_eq!(a.hours_by_priority(2027)["P1"], 400.0);
    assert_eq!(a.actions_of_partner("gemeente-mol").len(), 1);
    assert!(a.actions_of_partner("ocmw-mol").is_empty());
}
