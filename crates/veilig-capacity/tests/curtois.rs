//! Curtois & Qu instances 1-4 (testdata/curtois-qu, copied byte for byte from
//! shared/bench/capacity/curtois-qu): the MIP must reach the published optima (607, 828,
//! 1001, 1716) and prove them, and the roster it returns, re-scored by the independent
//! evaluator, must give the same value and break no hard rule.

use veilig_capacity::curtois;

fn instance(n: u32) -> curtois::Instance {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../testdata/curtois-qu/Instance{n}.txt"));
    curtois::parse(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn parses_the_format() {
    let i = instance(2);
    assert_eq!(
        (i.days, i.shifts.clone(), i.staff.len()),
        (14, vec!["E".to_string(), "L".to_string()], 14)
    );
    assert_eq!(i.forbidden[1], vec![0], "L may not be followed by E");
    assert_eq!(i.staff[3].max_shifts[1], 0, "D never works L");
    assert_eq!(i.staff[0].max_minutes, 4320);
    assert_eq!(i.days_off[0], vec![3]);
    assert!(
        curtois::parse("SECTION_HORIZON\n14\nSECTION_SHIFTS\nE,x80,\n")
            .unwrap_err()
            .contains("line 4")
    );
}

/// Instances 1 and 2 solve to their published optima in seconds even in a debug build.
#[test]
fn instances_1_and_2_reach_the_published_optima() {
    for (n, optimum) in [(1, 607.0), (2, 828.0)] {
        let s = curtois::solve(&instance(n), 60.0).unwrap();
        assert_eq!(
            s.result.status, "optimal",
            "instance {n}: {} / {}",
            s.result.objective, s.result.bound
        );
        assert!(
            (s.result.objective - optimum).abs() < 1e-6,
            "instance {n}: {} vs {optimum}",
            s.result.objective
        );
        assert!((s.evaluated as f64 - s.result.objective).abs() < 1e-6);
        assert!(s.broken_rules.is_empty(), "{:?}", s.broken_rules);
    }
}

/// Whatever the solver returns within a short limit on instances 3 and 4, the independent
/// evaluator agrees with its objective and finds every hard rule kept; the objective is never
/// below the published optimum and the proven bound never above it. (Their optimality and
/// timing are measured in release by scripts/bench-capacity.)
#[test]
fn instances_3_and_4_evaluator_agrees_with_the_solver() {
    for (n, optimum) in [(3, 1001.0), (4, 1716.0)] {
        let s = curtois::solve(&instance(n), 15.0).unwrap();
        assert!(
            s.broken_rules.is_empty(),
            "instance {n}: {:?}",
            s.broken_rules
        );
        assert!(
            (s.evaluated as f64 - s.result.objective).abs() < 1e-6,
            "instance {n}: evaluator {} vs solver {}",
            s.evaluated,
            s.result.objective
        );
        assert!(
            s.result.objective >= optimum - 1e-6 && s.result.bound <= optimum + 1e-6,
            "instance {n}: {} / {}",
            s.result.objective,
            s.result.bound
        );
        assert!(
            s.result.status == "optimal" || s.result.gap > 0.0,
            "never optimal with a gap"
        );
    }
}

#[test]
fn the_evaluator_charges_requests_and_cover() {
    let inst = instance(1);
    let empty: curtois::Assignment = vec![vec![None; inst.days]; inst.staff.len()];
    let (penalty, broken) = curtois::evaluate(&inst, &empty);
    let on: u64 = inst.on_requests.iter().map(|r| r.3 as u64).sum();
    let under: u64 = inst
        .cover
        .iter()
        .flatten()
        .map(|&(req, w, _)| req as u64 * w as u64)
        .sum();
    assert_eq!(
        penalty,
        on + under,
        "nobody works: every on-request and every missing employee is charged"
    );
    assert!(
        broken.iter().any(|b| b.contains("minutes")),
        "minimum total minutes broken"
    );
}
