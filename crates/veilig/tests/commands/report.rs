//! `veilig report` (issue 15's bars): the jaarverslag's text (pdftotext) holds every
//! phenomenon with the count and verdict `veilig picture` gives; the same data and
//! parameters give the same bytes; an issued report is kept with its audit line; every kind
//! is made; bad requests are refused with nothing stored.

use crate::common;
mod document;

use std::path::Path;
use std::process::Command;

use common::{json, run};

fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    (dir, db)
}

/// The PDF's text as pdftotext reads it, every run of white space made one space.
fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup and .ci/run");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A whole number as Dutch writes it (1.234).
fn nl_int(v: u64) -> String {
    let d = v.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The Dutch words of a verdict, as the locale file gives them.
fn nl_verdict(v: &str) -> String {
    let ftl = include_str!("../../../veilig-i18n/locales/nl.ftl");
    let key = format!("verdict-{v} = ");
    ftl.lines()
        .find_map(|l| l.strip_prefix(&key))
        .unwrap_or_else(|| panic!("no {key}"))
        .to_string()
}

fn report(db: &str, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["report"];
    a.extend_from_slice(args);
    a.push("--json");
    json(&run(db, &a))
}

#[test]
fn the_jaarverslag_holds_every_phenomenon_as_veilig_picture_gives_it_and_the_same_bytes_twice() {
    let (dir, db) = demo();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    let issued = report(
        &db,
        &[
            "jaarverslag",
            "--zone",
            "demo-bdm",
            "--year",
            "2025",
            "--staff",
            "--out",
            a.to_str().unwrap(),
        ],
    );
    assert!(issued["id"].is_i64(), "issued and kept: {issued}");
    let draft = report(
        &db,
        &[
            "jaarverslag",
            "--zone",
            "demo-bdm",
            "--year",
            "2025",
            "--staff",
            "--draft",
            "--out",
            b.to_str().unwrap(),
        ],
    );
    assert!(draft["id"].is_null(), "a draft is not issued");
    let (pa, pb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert!(pa.starts_with(b"%PDF-"));
    assert_eq!(pa, pb, "the same data and parameters give the same bytes");
    assert_eq!(issued["pdf_sha256"], draft["pdf_sha256"]);
    assert!(issued["data_version"].as_i64().unwrap() > 0);
    assert!(!issued["batches"].as_array().unwrap().is_empty());

    let t = text(&a);
    assert!(t.contains("SYNTHETISCHE GEGEVENS"), "the synthetic banner");
    assert!(t.contains("Dataversie"));
    let status = json(&run(&db, &["status", "--zone", "demo-bdm", "--json"]));
    let mut checked = 0;
    for p in status["zones"][0]["phenomena"].as_array().unwrap() {
        if p["total"].as_u64() == Some(0) {
            continue;
        }
        let code = p["code"].as_str().unwrap();
        let name = p["name_nl"].as_str().unwrap();
        let pic = json(&run(
            &db,
            &[
                "picture",
                "--zone",
                "demo-bdm",
                "--phenomenon",
                code,
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--json",
            ],
        ));
        let count = nl_int(pic["count"].as_u64().unwrap());
        let verdict = nl_verdict(pic["comparison"]["verdict"].as_str().unwrap());
        let head = format!("{name}: {count} feiten in 2025 (");
        let at = t
            .find(&head)
            .unwrap_or_else(|| panic!("{code}: {head:?} is not in the report"));
        let rest: String = t[at..].chars().take(400).collect();
        assert!(
            rest.contains(&format!("oordeel: {verdict}.")),
            "{code}: {verdict:?} not in {rest:?}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} phenomena checked");

    // Issued: kept in the store (once: the draft is not) and in the audit trail.
    let list = json(&run(&db, &["reports", "--zone", "demo-bdm", "--json"]));
    let reports = list["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["pdf_sha256"], issued["pdf_sha256"]);
    assert_eq!(reports[0]["data_version"], issued["data_version"]);
    assert_eq!(reports[0]["edition"], "staff");
    assert!(t.contains("Interne editie"), "marked internal");
    let actions = audit_actions(&db);
    assert!(actions.contains(&"report.issue".to_string()), "{actions:?}");
    assert!(actions.contains(&"report.draft".to_string()), "{actions:?}");
}

/// The actions in the store's audit trail.
fn audit_actions(db: &str) -> Vec<String> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let s = veilig_store::Store::open(db).await.unwrap();
        let log = s.audit_log(10_000).await.unwrap();
        s.close().await;
        log.into_iter().map(|r| r.action).collect()
    })
}

#[test]
fn every_kind_of_report_is_made_and_bad_requests_are_refused() {
    let (dir, db) = demo();
    let out = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    let with = |kind: &str, extra: &[&str], file: &str| -> String {
        let f = out(file);
        let mut a = vec![kind, "--zone", "demo-bdm"];
        if !extra.contains(&"--year") {
            a.extend_from_slice(&["--year", "2025"]);
        }
        a.extend_from_slice(extra);
        a.extend_from_slice(&["--out", &f]);
        report(&db, &a);
        text(Path::new(&f))
    };
    let council = with("council", &["--municipality", "13025"], "mol.pdf");
    assert!(council.contains("Raadsbrief Mol 2025"), "{council}");
    assert!(council.contains("Mol tegenover de zone"));
    let public_council = with(
        "council",
        &["--municipality", "13025", "--public"],
        "mol-public.pdf",
    );
    assert!(public_council.contains("Publieke editie"));
    let fr = with("jaarverslag", &["--lang", "fr"], "fr.pdf");
    assert!(fr.contains("Rapport annuel 2025") && fr.contains("verdict :"));
    // The current year in the staff edition: partial, said so, no window past the data.
    let partial = with("jaarverslag", &["--staff", "--year", "2026"], "partial.pdf");
    assert!(
        partial.contains("Onvolledig jaar: gegevens tot en met 31/10/2026"),
        "{partial}"
    );
    assert!(partial.contains("Gegevens tot en met 31/10/2026"));
    assert!(
        !partial.contains("2026-11-") && !partial.contains("2026-12-"),
        "a window past the data"
    );
    // The plan in force in the year: in 2026 the approved version of the current plan (not
    // the draft addendum written after it), in 2025 the plan before it, in 2019 none.
    let plan = with("plan", &["--year", "2026"], "plan.pdf");
    assert!(plan.contains("Goedkeuring en versies"), "{plan}");
    assert!(plan.contains("versie 1: goedgekeurd"), "{plan}");
    assert!(
        !plan.contains("Meldpunt en terugkoppeling internetfraude"),
        "the draft addendum"
    );
    let previous = with("plan", &["--year", "2025"], "previous.pdf");
    assert!(
        previous.contains("Zonaal Veiligheidsplan 2020-2025"),
        "{previous}"
    );
    let before = run(
        &db,
        &[
            "report",
            "plan",
            "--zone",
            "demo-bdm",
            "--year",
            "2019",
            "--out",
            &out("none.pdf"),
        ],
    );
    assert!(!before.status.success());
    assert!(String::from_utf8_lossy(&before.stderr).contains("no plan in force in 2019"));
    // The demo plan runs from 2026: its first year is evaluated (a draft until the council
    // meets), followed in Compstat reviews, and fed back to partners.
    let eval = with("evaluation", &["--year", "2026"], "eval.pdf");
    assert!(eval.contains("Evaluatie van het planjaar 2026"));
    let compstat = with("compstat", &["--year", "2026"], "compstat.pdf");
    assert!(compstat.contains("Compstat-boek"));
    // The book of the year's last meeting (September's, held in October) holds the agenda
    // that meeting discussed: the decisions of August's meeting still open at the end of
    // September among them; no command line in its words.
    assert!(
        compstat.contains("Drugsbeeld Mol-Centrum bespreken met het parket"),
        "{compstat}"
    );
    assert!(!compstat.contains("veilig plan") && !compstat.contains("Drafted by"));
    let partner = with(
        "partner",
        &["--organisation", "ocmw-mol", "--year", "2026"],
        "partner.pdf",
    );
    assert!(
        partner.contains("Terugkoppeling OCMW Mol 2026"),
        "{partner}"
    );
    assert!(partner.contains("A4.2"), "the demo partner's own action");
    assert!(!partner.contains("A2.1"), "not another partner's action");

    // Refused, and nothing issued.
    let before = audit_actions(&db).len();
    let issued = json(&run(&db, &["reports", "--zone", "demo-bdm", "--json"]))["reports"]
        .as_array()
        .unwrap()
        .len();
    for (args, needle) in [
        (vec!["council"], "--municipality"),
        (vec!["council", "--municipality", "99999"], "99999"),
        (vec!["partner"], "--organisation"),
        (vec!["compstat", "--public"], "no public edition"),
        (vec!["jaarverslag", "--public", "--staff"], "--staff"),
        (vec!["jaarverslag", "--year", "2026"], "complete"),
        (
            vec!["jaarverslag", "--public", "--year", "2031"],
            "nothing to report for 2031",
        ),
        // No edition speaks of a year the data do not reach (the staff one neither).
        (
            vec!["jaarverslag", "--staff", "--year", "2030"],
            "the data cover 2019-01-01 to 2026-10-31",
        ),
    ] {
        let mut a = vec!["report"];
        a.extend(args.iter().copied());
        if !args.contains(&"--year") {
            a.extend_from_slice(&["--year", "2025"]);
        }
        let f = out("refused.pdf");
        a.extend_from_slice(&["--zone", "demo-bdm", "--out", &f]);
        let o = run(&db, &a);
        assert!(!o.status.success(), "{a:?} succeeded");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{a:?}: {err}");
        assert!(!Path::new(&f).exists(), "{a:?} wrote a file");
    }
    assert_eq!(
        audit_actions(&db).len(),
        before,
        "a refused report is not audited"
    );
    assert_eq!(
        json(&run(&db, &["reports", "--zone", "demo-bdm", "--json"]))["reports"]
            .as_array()
            .unwrap()
            .len(),
        issued,
        "nor kept"
    );
}
