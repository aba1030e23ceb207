//! The golden instances (testdata/capacity-golden-instances.json, optima found independently
//! by HiGHS and CBC): our models must reproduce each optimum and prove it. F, the hard one
//! (67-93 s for HiGHS on this machine), runs in `scripts/bench-capacity`, not here.

use veilig_solver::{rostering, shifts};

fn doc() -> serde_json::Value {
    let p = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../testdata/capacity-golden-instances.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn shift_design_instances_a_to_e_reach_their_optima() {
    let d = doc();
    for (id, optimum) in [
        ("A", 55.0),
        ("B", 118.0),
        ("C", 1297.18),
        ("D", 1393.74),
        ("E", 1537.92),
    ] {
        let inst = shifts::golden(&d, id).unwrap();
        let r = shifts::design(&inst, 60.0).unwrap();
        assert_eq!(r.result.status, "optimal", "{id}: {:?}", r.result);
        assert!(
            (r.result.objective - optimum).abs() < 0.01,
            "{id}: {} vs {optimum}",
            r.result.objective
        );
        assert!(
            (r.result.bound - optimum).abs() < 0.01,
            "{id}: bound {}",
            r.result.bound
        );
        // The shifts really cover the demand, checked apart from the solver.
        assert!(
            r.uncovered_hours.is_empty(),
            "{id}: {:?}",
            r.uncovered_hours
        );
        // And their cost is the objective.
        let cost: f64 = r
            .shifts
            .iter()
            .map(|&(_, len, n)| {
                n as f64
                    * match inst.cost {
                        shifts::Cost::Count => 1.0,
                        shifts::Cost::LengthPlus(x) => len as f64 + x,
                    }
            })
            .sum();
        assert!((cost - r.result.objective).abs() < 1e-6, "{id}");
        if let shifts::Starts::HoursOfDay(h) = &inst.starts {
            assert!(r.shifts.iter().all(|(s, _, _)| h.contains(&(s % 24))));
        }
    }
}

#[test]
fn instance_f_is_read_with_its_start_rule() {
    let f = shifts::golden(&doc(), "F").unwrap();
    assert_eq!(f.starts, shifts::Starts::MaxDistinctHours(4));
    assert_eq!(f.cost, shifts::Cost::LengthPlus(0.01));
    assert!(
        shifts::golden(&doc(), "G").is_err(),
        "G is a roster instance"
    );
}

#[test]
fn roster_g_reaches_its_optimum_and_the_evaluator_agrees() {
    let inst = rostering::golden(&doc(), "G").unwrap();
    assert_eq!(
        (inst.officers, inst.days, inst.min_shifts, inst.max_shifts),
        (30, 7, 4, 5)
    );
    let r = rostering::roster(&inst, 60.0).unwrap();
    assert_eq!(r.result.status, "optimal", "{:?}", r.result);
    assert!(
        (r.result.objective - 6.2).abs() < 0.01,
        "{}",
        r.result.objective
    );
    let (objective, broken) = rostering::evaluate(&inst, &r.assignment);
    assert!(broken.is_empty(), "{broken:?}");
    assert!(
        (objective - r.result.objective).abs() < 1e-6,
        "evaluator {objective} vs solver {}",
        r.result.objective
    );
}

#[test]
fn the_evaluator_catches_broken_rules() {
    let inst = rostering::golden(&doc(), "G").unwrap();
    // Nobody works: coverage and the minimum number of shifts break.
    let idle = vec![vec![None; 7]; 30];
    let (_, broken) = rostering::evaluate(&inst, &idle);
    assert!(
        broken.iter().any(|b| b.contains("works 0 shifts"))
            && broken.iter().any(|b| b.contains("day 0 shift 0"))
    );
    // A late shift followed by an early one breaks the rest rule.
    let mut a = vec![vec![None; 7]; 30];
    a[0][0] = Some(1);
    a[0][1] = Some(0);
    assert!(
        rostering::evaluate(&inst, &a)
            .1
            .iter()
            .any(|b| b.contains("rest"))
    );
}

#[test]
fn leave_preferences_and_an_impossible_week_are_handled_and_named() {
    use veilig_solver::rostering::{RosterInstance, evaluate, roster};
    // 4 officers, one per shift every day: 21 officer-shifts, but at most 5 shifts each is 20.
    let mut inst = RosterInstance {
        id: "leave".into(),
        officers: 4,
        days: 7,
        shifts: vec!["E".into(), "L".into(), "N".into()],
        required: vec![vec![1, 1, 1]; 7],
        min_shifts: 0,
        max_shifts: 5,
        unavailable: vec![vec![false; 7]; 4],
        avoid_nights: vec![false, true, false, false],
        skill_needs: Vec::new(),
    };
    inst.unavailable[0][0] = true;
    let r = roster(&inst, 60.0).unwrap();
    assert_eq!(r.result.status, "optimal");
    assert_eq!(r.assignment[0][0], None, "no shift on a day of leave");
    let missing: u32 = r.uncovered.iter().map(|u| u.2).sum();
    assert_eq!(
        missing, 1,
        "one officer-shift cannot be staffed, and it is named"
    );
    assert!(
        r.assignment[1].iter().all(|x| *x != Some(2)),
        "the officer who asked for no nights gets none when others can take them"
    );
    let (objective, broken) = evaluate(&inst, &r.assignment);
    assert!(
        (objective - r.result.objective).abs() < 1e-6,
        "{objective} vs {}",
        r.result.objective
    );
    assert_eq!(broken.len(), 1, "{broken:?}");
}

/// A skill each shift needs (a team leader): met when enough officers have it, and when too
/// few do, every shift without one is named and the evaluator agrees with the solver.
#[test]
fn skills_per_shift_are_planned_or_their_gaps_named() {
    use veilig_solver::rostering::{RosterInstance, SkillNeed, evaluate, roster};
    let inst = |leaders: usize| RosterInstance {
        id: "skills".into(),
        officers: 8,
        days: 7,
        shifts: vec!["E".into(), "L".into(), "N".into()],
        required: vec![vec![1, 1, 1]; 7],
        min_shifts: 0,
        max_shifts: 5,
        unavailable: Vec::new(),
        avoid_nights: Vec::new(),
        skill_needs: vec![SkillNeed {
            skill: "ploegverantwoordelijke".into(),
            has: (0..8).map(|i| i < leaders).collect(),
            per_shift: 1,
        }],
    };
    // Five leaders × at most 5 shifts cover the 21 shifts.
    let enough = inst(5);
    let r = roster(&enough, 60.0).unwrap();
    assert_eq!(r.result.status, "optimal");
    assert!(r.uncovered_skills.is_empty(), "{:?}", r.uncovered_skills);
    assert!(r.uncovered.is_empty());
    for day in 0..7 {
        for s in 0..3 {
            assert!(
                (0..5).any(|i| r.assignment[i][day] == Some(s)),
                "day {day} shift {s} has a leader"
            );
        }
    }
    assert!(evaluate(&enough, &r.assignment).1.is_empty());
    // Two leaders give at most 10 of the 21 shifts a leader: 11 gaps, each named.
    let few = inst(2);
    let r = roster(&few, 60.0).unwrap();
    assert_eq!(r.result.status, "optimal");
    let missing: u32 = r.uncovered_skills.iter().map(|u| u.3).sum();
    assert_eq!(missing, 11, "{:?}", r.uncovered_skills);
    assert!(r.uncovered.is_empty(), "the others still staff every shift");
    let (objective, broken) = evaluate(&few, &r.assignment);
    assert!((objective - r.result.objective).abs() < 1e-6);
    assert_eq!(broken.len(), 11, "{broken:?}");
}
