//! `veilig capacity` on the demo zone: the norm check, the hourly floor, and a plan that
//! passes the coverage proof until one night officer is taken away.

use crate::common;

use common::{json, run};

#[test]
fn demo_norms_floor_plan_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());

    // A season: the summer's calls, per summer week.
    let all = json(&run(&db, &["capacity", "demand", "--json"]));
    let summer = json(&run(
        &db,
        &["capacity", "demand", "--months", "6,7,8", "--json"],
    ));
    assert_eq!(summer["season_months"], serde_json::json!([6, 7, 8]));
    let (w_all, w_summer) = (
        all["weeks"].as_f64().unwrap(),
        summer["weeks"].as_f64().unwrap(),
    );
    assert!(
        (w_summer - 92.0 / 7.0).abs() < 1e-9,
        "92 summer days: {w_summer}"
    );
    assert!(summer["calls"].as_u64().unwrap() < all["calls"].as_u64().unwrap());
    assert!(w_all > 52.0);
    let bad = run(&db, &["capacity", "demand", "--months", "13"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a month"));

    // Allocation: floors from these norms first, then the plan's projects by weight.
    let projects = common::data("plan-projects-demo.toml");
    let a = json(&run(
        &db,
        &[
            "capacity",
            "allocate",
            "--projects",
            projects.to_str().unwrap(),
            "--json",
        ],
    ));
    let al = &a["allocation"];
    for s in al["stages"].as_array().unwrap() {
        assert_eq!(s["status"], "optimal", "{s}");
    }
    let floor = |f: &str| {
        al["floors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["functionality"] == f)
            .unwrap()
            .clone()
    };
    assert_eq!(
        floor("interventie")["shortfall"],
        0.0,
        "the 24/7 floor is met first"
    );
    assert!(
        floor("wijkwerking")["shortfall"].as_f64().unwrap() > 0.0,
        "the demo has fewer wijkinspecteurs than the norm: the shortfall shows"
    );
    let project = |c: &str| {
        al["projects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == c)
            .unwrap()["allocated"]
            .as_f64()
            .unwrap()
    };
    // Wijk and traffic teams have no hours beyond their floors: the school-traffic project
    // gets none, while the projects interventie and opsporing can serve are met.
    assert_eq!(project("ZVP-2"), 0.0);
    assert_eq!((project("ZVP-1"), project("ZVP-3")), (3000.0, 4000.0));
    for t in al["teams"].as_array().unwrap() {
        let share = t["project_share"].as_f64().unwrap();
        assert!(share <= al["max_project_share"].as_f64().unwrap() + 1e-9);
    }

    let n = json(&run(&db, &["capacity", "norms", "--json"]));
    let rules = n["rules"].as_array().unwrap();
    let wijk = rules
        .iter()
        .find(|r| r["rule"] == "wijk-per-inwoners" && r["scope"] == "zone")
        .unwrap();
    assert!(
        wijk["required"].as_f64().unwrap() >= 18.0,
        "~70,000 inhabitants need at least 18: {wijk}"
    );
    assert_eq!(
        rules
            .iter()
            .filter(|r| r["rule"] == "wijk-per-inwoners")
            .count(),
        4,
        "zone and three municipalities"
    );
    assert!(
        rules
            .iter()
            .all(|r| r["citation"].as_str().is_some_and(|c| !c.is_empty())
                && r["required"].is_number()
                && r["actual"].is_number()
                && r["shortfall"].is_number())
    );
    assert!(
        n["shortfalls"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["met"] == false)
    );

    // The intervention floor: one team (2 officers) every hour, a second team 84 hours a week.
    let d = json(&run(&db, &["capacity", "demand", "--json"]));
    let hours = d["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 168);
    let floor: Vec<u64> = hours
        .iter()
        .map(|h| h["officers_floor"].as_u64().unwrap())
        .collect();
    assert!(floor.iter().all(|f| *f >= 2));
    assert_eq!(floor.iter().filter(|f| **f == 4).count(), 84);
    assert!(
        hours
            .iter()
            .all(|h| h["officers_required"].as_u64() >= h["officers_floor"].as_u64())
    );

    // A week's plan passes the proof with an empty shortfall list.
    let plan_week = |out: &std::path::Path, extra: &[&str]| {
        let mut args = vec![
            "capacity",
            "plan",
            "--week-of",
            "2026-06-01",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&db, &args)
    };
    let plan = dir.path().join("plan.csv");
    let p = json(&plan_week(&plan, &["--json"]));
    assert_eq!(p["unstaffed"].as_array().unwrap().len(), 0);
    assert_eq!(
        p["skill_gaps"].as_array().unwrap().len(),
        0,
        "every shift has a ploegverantwoordelijke"
    );
    assert_eq!(
        (p["method"].as_str(), p["solver"]["status"].as_str()),
        (Some("mip"), Some("optimal")),
        "the fair roster is proven optimal: {}",
        p["solver"]
    );
    assert_eq!(p["solver"]["gap"], 0.0);
    // Leave: an officer on leave all week gets no shift, and the week is still covered.
    let text = std::fs::read_to_string(&plan).unwrap();
    let officer = text
        .lines()
        .find(|l| l.contains(",interventie,false"))
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let leave = dir.path().join("leave.csv");
    std::fs::write(
        &leave,
        format!("officer,from,to\n{officer},2026-06-01,2026-06-07\n"),
    )
    .unwrap();
    let with_leave = dir.path().join("leave-plan.csv");
    let p2 = json(&plan_week(
        &with_leave,
        &[
            "--leave",
            leave.to_str().unwrap(),
            "--no-nights",
            &officer,
            "--json",
        ],
    ));
    assert_eq!(p2["unstaffed"].as_array().unwrap().len(), 0);
    let t2 = std::fs::read_to_string(&with_leave).unwrap();
    assert!(
        !t2.lines()
            .any(|l| l.starts_with(&format!("{officer},")) && l.contains(",interventie,")),
        "{officer} is on leave"
    );
    std::fs::write(&leave, "officer,from,to\nP-NOBODY,2026-06-01,2026-06-07\n").unwrap();
    let out = plan_week(&with_leave, &["--leave", leave.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("P-NOBODY"));

    // Leave and wishes stored per zone: imported from a CSV (all or nothing), listed,
    // respected by the plan, removed; every change audited.
    let stored = dir.path().join("stored-leave.csv");
    let import_leave = |lines: &str| {
        std::fs::write(&stored, format!("officer,from,to,kind\n{lines}")).unwrap();
        run(&db, &["staff", "leave", "import", stored.to_str().unwrap()])
    };
    let list_leave = |from: &str, to: &str| {
        json(&run(
            &db,
            &[
                "staff", "leave", "list", "--from", from, "--to", to, "--json",
            ],
        ))
    };
    let week = format!("{officer},2026-06-01,2026-06-07,verlof\n");
    for (bad, says) in [
        ("P-NOBODY,2026-06-01,2026-06-02,ziekte\n", "P-NOBODY"),
        (
            &format!("{officer},2026-06-03,2026-06-01,ziekte\n"),
            "line 3, field to",
        ),
    ] {
        let out = import_leave(&(week.clone() + bad));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(says), "{err}");
    }
    assert_eq!(
        list_leave("2026-01-01", "2026-12-31")
            .as_array()
            .unwrap()
            .len(),
        0,
        "nothing of a refused file is stored"
    );
    assert!(import_leave(&week).status.success());
    assert!(
        run(
            &db,
            &[
                "staff",
                "wish",
                "--officer",
                &officer,
                "--no-nights",
                "true"
            ]
        )
        .status
        .success()
    );
    let from_store = dir.path().join("store-plan.csv");
    let p3 = json(&plan_week(&from_store, &["--json"]));
    assert_eq!(p3["unstaffed"].as_array().unwrap().len(), 0);
    let t3 = std::fs::read_to_string(&from_store).unwrap();
    assert!(
        !t3.lines()
            .any(|l| l.starts_with(&format!("{officer},")) && l.contains(",interventie,")),
        "{officer} is on stored leave"
    );
    let out = plan_week(&from_store, &["--solver", "greedy"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("does not plan leave"),
        "the greedy roster refuses a week with leave rather than ignoring it"
    );
    let listed = list_leave("2026-06-07", "2026-06-07");
    let id = listed[0]["id"].as_i64().unwrap();
    assert_eq!(listed[0]["officer"], officer.as_str());
    assert!(
        run(&db, &["staff", "leave", "remove", &id.to_string()])
            .status
            .success()
    );
    assert!(
        !run(&db, &["staff", "leave", "remove", &id.to_string()])
            .status
            .success()
    );
    // The week after the removal: the officer works again.
    let p4 = json(&plan_week(&from_store, &["--json"]));
    assert_eq!(p4["unstaffed"].as_array().unwrap().len(), 0);
    assert!(
        std::fs::read_to_string(&from_store)
            .unwrap()
            .lines()
            .any(|l| l.starts_with(&format!("{officer},")) && l.contains(",interventie,"))
    );

    let c = json(&run(
        &db,
        &[
            "capacity",
            "coverage",
            "--plan",
            plan.to_str().unwrap(),
            "--with-demand",
            "--json",
        ],
    ));
    assert_eq!(c["hours"], 168);
    assert_eq!(
        c["shortfalls"].as_array().unwrap().len(),
        0,
        "{}",
        c["shortfalls"]
    );
    let checked: Vec<&str> = c["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    for rule in [
        "interventie-permanent+interventie-piek",
        "obp-bereikbaar",
        "slachtofferbejegening-bereikbaar",
        "ploegverantwoordelijke-per-ploeg",
        "vraag-erlang-c",
    ] {
        assert!(checked.contains(&rule), "{rule} in {checked:?}");
    }

    // Take the team leaders off Tuesday's night shift: the proof names that rule for exactly
    // Tuesday 22 h - Wednesday 6 h.
    let text = std::fs::read_to_string(&plan).unwrap();
    let leaderless: Vec<&str> = text
        .lines()
        .filter(|l| {
            !(l.contains(",2026-06-02 22:00,2026-06-03 06:00,interventie,false,")
                && l.contains("ploegverantwoordelijke"))
        })
        .collect();
    assert!(leaderless.len() < text.lines().count());
    let leaderless_plan = dir.path().join("leaderless.csv");
    std::fs::write(&leaderless_plan, leaderless.join("\n") + "\n").unwrap();
    let c = json(&run(
        &db,
        &[
            "capacity",
            "coverage",
            "--plan",
            leaderless_plan.to_str().unwrap(),
            "--json",
        ],
    ));
    let hours: Vec<u64> = c["shortfalls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] == "ploegverantwoordelijke-per-ploeg")
        .map(|x| x["hour"].as_u64().unwrap())
        .collect();
    assert_eq!(hours, (46..54).collect::<Vec<u64>>(), "{}", c["shortfalls"]);

    // Remove one officer from Tuesday's night shift: exactly the hours where that shift was
    // staffed to the requirement now fall short, and they are Tuesday 22 h - Wednesday 6 h.
    let text = std::fs::read_to_string(&plan).unwrap();
    let mut removed = false;
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            if !removed && l.contains(",2026-06-02 22:00,2026-06-03 06:00,interventie,false") {
                removed = true;
                return false;
            }
            true
        })
        .collect();
    assert!(removed);
    let short_plan = dir.path().join("short.csv");
    std::fs::write(&short_plan, kept.join("\n") + "\n").unwrap();
    let c = json(&run(
        &db,
        &[
            "capacity",
            "coverage",
            "--plan",
            short_plan.to_str().unwrap(),
            "--with-demand",
            "--json",
        ],
    ));
    let s = c["shortfalls"].as_array().unwrap();
    assert!(!s.is_empty());
    assert!(
        s.iter()
            .all(|x| (46..54).contains(&x["hour"].as_u64().unwrap()) && x["short_by"] == 1),
        "{s:?}"
    );

    // A plan with a bad time is refused with file, line and field.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "officer,start,end,functionality,on_call,skills\nP-1,2026-06-01 06:00,morgen,interventie,false,\n").unwrap();
    let out = run(
        &db,
        &["capacity", "coverage", "--plan", bad.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("bad.csv")
            && err.contains("line 2")
            && err.contains("end"),
        "{err}"
    );
}
