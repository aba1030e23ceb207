//! The whole cycle on the command line, and bad input that changes nothing.

use super::*;

#[test]
fn the_cycle_on_the_command_line_and_bad_input_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    // A one-municipality zone modelled on LP Schoten, from the CLI alone.
    ok(
        &db,
        &[
            "zone",
            "add",
            "lp-schoten",
            "--name",
            "LP Schoten",
            "--kind",
            "single",
            "--municipality",
            "11040",
        ],
    );
    let z = ["--zone", "lp-schoten"];
    let with = |args: &[&str]| -> Vec<String> {
        args.iter().chain(z.iter()).map(|s| s.to_string()).collect()
    };
    let okz = |args: &[&str]| {
        let a = with(args);
        ok(&db, &a.iter().map(String::as_str).collect::<Vec<_>>());
    };
    let failz = |args: &[&str], needle: &str| {
        let a = with(args);
        fails_with(
            &db,
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            needle,
        );
    };
    let show = || {
        let a = with(&["plan", "show", "--json"]);
        json(&run(&db, &a.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    failz(
        &[
            "plan",
            "decide",
            "--meeting",
            "2099-01-01",
            "--subject",
            "verkeersongeval",
            "--rationale",
            "r",
            "--decided-by",
            "ZVR",
        ],
        "in the future",
    );
    failz(
        &[
            "plan",
            "decide",
            "--meeting",
            "2025-05-01",
            "--subject",
            "geen-fenomeen",
            "--rationale",
            "r",
            "--decided-by",
            "ZVR",
        ],
        "not a phenomenon",
    );
    for s in ["verkeersongeval", "woninginbraak", "overlast"] {
        okz(&[
            "plan",
            "decide",
            "--meeting",
            "2025-05-01",
            "--subject",
            s,
            "--rationale",
            "ZVP Schoten 2020-2025",
            "--decided-by",
            "burgemeester, PdK, korpschef, DirCo",
        ]);
    }
    failz(&["plan", "show"], "no plan yet");
    okz(&[
        "plan",
        "create",
        "--code",
        "zvp-2026-2031",
        "--title",
        "ZVP LP Schoten 2026-2031",
        "--start-year",
        "2026",
    ]);
    let v = show();
    assert_eq!(
        (
            v["status"].as_str(),
            v["priorities"].as_array().unwrap().len()
        ),
        (Some("draft"), 3)
    );
    assert_eq!(v["period_end"], "2031-12-31");
    // An objective without a priority: refused, nothing stored.
    failz(
        &[
            "plan",
            "objective",
            "--code",
            "SD1",
            "--level",
            "strategic",
            "--priority",
            "P9",
            "--statement",
            "s",
            "--target",
            "t",
            "--due",
            "2031-12-31",
            "--owner",
            "korpschef",
        ],
        "priority \"P9\" is not in the plan",
    );
    assert_eq!(show()["objectives"].as_array().unwrap().len(), 0);
    failz(
        &[
            "plan",
            "objective",
            "--code",
            "SD1",
            "--level",
            "strategic",
            "--priority",
            "P1",
            "--statement",
            "s",
            "--target",
            "t",
            "--due",
            "2020-12-31",
            "--owner",
            "korpschef",
        ],
        "in the past",
    );
    okz(&[
        "plan",
        "objective",
        "--code",
        "SD1",
        "--level",
        "strategic",
        "--priority",
        "P1",
        "--statement",
        "Minder letselongevallen",
        "--target",
        "-10 %",
        "--due",
        "2031-12-31",
        "--owner",
        "korpschef",
    ]);
    failz(
        &[
            "plan",
            "action",
            "--code",
            "A1",
            "--objective",
            "SD1",
            "--year",
            "2027",
            "--title",
            "Controles",
            "--phase",
            "reactie",
            "--owner",
            "verkeer",
            "--hours",
            "-40",
        ],
        "hours",
    );
    okz(&[
        "plan",
        "action",
        "--code",
        "A1",
        "--objective",
        "SD1",
        "--year",
        "2027",
        "--title",
        "Controles",
        "--phase",
        "reactie",
        "--partner",
        "gemeente-schoten:infrastructuur",
        "--owner",
        "verkeer",
        "--hours",
        "800",
        "--functionality",
        "verkeer",
    ]);
    assert_eq!(show()["actions"][0]["hours"], 800.0);
    // Approval out of order: refused.
    failz(
        &[
            "plan",
            "approve",
            "--step",
            "ministers",
            "--date",
            "2025-10-01",
            "--reference",
            "brief",
        ],
        "out of order",
    );
    okz(&[
        "plan",
        "approve",
        "--step",
        "zvr",
        "--date",
        "2025-10-01",
        "--reference",
        "ZVR 1/10/2025",
    ]);
    // A one-municipality zone has no police council: its gemeenteraad agrees instead.
    failz(
        &[
            "plan",
            "approve",
            "--step",
            "politieraad",
            "--date",
            "2025-10-15",
            "--reference",
            "PR",
        ],
        "is not in the procedure (steps: zvr, gemeenteraad, submitted, ministers, college)",
    );
    failz(
        &[
            "plan",
            "approve",
            "--step",
            "gemeenteraad",
            "--date",
            "2025-09-01",
            "--reference",
            "GR",
        ],
        "before the previous step",
    );
    okz(&[
        "plan",
        "approve",
        "--step",
        "gemeenteraad",
        "--date",
        "2025-10-15",
        "--reference",
        "Gemeenteraad 15/10/2025",
    ]);
    okz(&[
        "plan",
        "approve",
        "--step",
        "submitted",
        "--date",
        "2025-10-20",
        "--reference",
        "brief",
    ]);
    let v = show();
    assert_eq!(
        (v["status"].as_str(), v["deadline"].as_str()),
        (Some("submitted"), Some("2025-12-20"))
    );
    // The plan as a document names the one-municipality zone's own bodies.
    let pdf = dir.path().join("zvp.pdf");
    okz(&[
        "report",
        "plan",
        "--year",
        "2026",
        "--draft",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup and .ci/run");
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for words in [
        "Akkoord van de gemeenteraad voor zijn deel",
        "de gemeenteraad en het college van burgemeester en schepenen",
    ] {
        assert!(text.contains(words), "the Schoten plan lacks {words:?}");
    }
    assert!(!text.contains("politieraad"), "{text}");
    // A submitted version is frozen; an addendum is a new version, compared with the old.
    failz(
        &[
            "plan",
            "action",
            "--code",
            "A2",
            "--objective",
            "SD1",
            "--year",
            "2027",
            "--title",
            "x",
            "--phase",
            "preventie",
            "--owner",
            "o",
            "--hours",
            "5",
        ],
        "start an addendum",
    );
    failz(&["plan", "addendum", "--reason", " "], "reason");
    okz(&[
        "plan",
        "addendum",
        "--reason",
        "nieuw NVP",
        "--kind",
        "addendum",
    ]);
    okz(&[
        "plan",
        "action",
        "--code",
        "A1",
        "--objective",
        "SD1",
        "--year",
        "2027",
        "--title",
        "Controles",
        "--phase",
        "reactie",
        "--owner",
        "verkeer",
        "--hours",
        "1000",
        "--functionality",
        "verkeer",
    ]);
    let a = with(&[
        "plan",
        "diff",
        "--from-version",
        "1",
        "--to-version",
        "2",
        "--json",
    ]);
    let d = json(&run(&db, &a.iter().map(String::as_str).collect::<Vec<_>>()));
    let c = d["changes"].as_array().unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0]["item"].as_str(), c[0]["change"].as_str()),
        (Some("action"), Some("changed"))
    );
    let v = show();
    assert_eq!(
        (v["version"].as_i64(), v["status"].as_str()),
        (Some(2), Some("draft"))
    );
    assert_eq!(v["versions"][0]["standing"]["status"], "submitted");
}
