//! Curtois & Qu instances 1-4 (testdata/curtois-qu, copied byte for byte from
//! shared/bench/capacity/curtois-qu): the solver must reach the published optima (607, 828,
//! 1001, 1716) and prove them, and the roster it returns, re-scored by the independent
//! evaluator, must give the same value and break no hard rule.

use veilig_solver::curtois;

fn instance(n: u32) -> curtois::Instance {
    let p = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
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

/// Branch and price proves the published optima of instances 1-4, even in a debug build,
/// and the roster it returns, re-scored by the evaluator, has that value and keeps every hard
/// rule. (Instances 5-12 and the timings are measured in release by scripts/bench-capacity.)
#[test]
fn branch_and_price_proves_the_published_optima_of_instances_1_to_4() {
    for (n, optimum) in [(1, 607.0), (2, 828.0), (3, 1001.0), (4, 1716.0)] {
        let s = curtois::solve(&instance(n), curtois::Method::Colgen, 60.0).unwrap();
        assert_eq!(
            s.result.status, "optimal",
            "instance {n}: {} / {}",
            s.result.objective, s.result.bound
        );
        assert_eq!(s.result.objective, optimum, "instance {n}");
        assert_eq!(s.result.bound, optimum, "instance {n}");
        assert_eq!(s.evaluated as f64, s.result.objective, "instance {n}");
        assert!(s.broken_rules.is_empty(), "{:?}", s.broken_rules);
    }
}

/// The compact MIP, a second formulation built independently of the patterns, agrees on
/// instances 1 and 2; on instance 3 within a short limit it never claims more than it proves.
#[test]
fn the_compact_mip_agrees() {
    for (n, optimum) in [(1, 607.0), (2, 828.0)] {
        let s = curtois::solve(&instance(n), curtois::Method::Compact, 60.0).unwrap();
        assert_eq!(s.result.status, "optimal", "instance {n}");
        assert!((s.result.objective - optimum).abs() < 1e-6, "instance {n}");
        assert!(s.broken_rules.is_empty(), "{:?}", s.broken_rules);
    }
    let s = curtois::solve(&instance(3), curtois::Method::Compact, 5.0).unwrap();
    assert!(s.broken_rules.is_empty(), "{:?}", s.broken_rules);
    assert!((s.evaluated as f64 - s.result.objective).abs() < 1e-6);
    assert!(s.result.objective >= 1001.0 - 1e-6 && s.result.bound <= 1001.0 + 1e-6);
    assert!(s.result.status == "optimal" || s.result.gap > 0.0);
}

/// Out of time, branch and price still answers honestly: a roster that keeps every hard
/// rule, its evaluated cost, and a bound that is proven (never above the optimum).
#[test]
fn out_of_time_the_answer_is_a_roster_with_its_gap() {
    let s = curtois::solve(&instance(4), curtois::Method::Colgen, 0.0).unwrap();
    assert!(s.broken_rules.is_empty(), "{:?}", s.broken_rules);
    assert_eq!(s.evaluated as f64, s.result.objective);
    assert!(s.result.bound <= 1716.0);
    assert!(s.result.status == "optimal" || s.result.status == "time-limit");
    assert!(s.result.status != "optimal" || s.result.objective == 1716.0);
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
