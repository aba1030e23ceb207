//! The jaarverslag as a council document (issue 25): key messages in words up front, "de
//! zone in cijfers" with the calls, interventions and response times, and no raw code or
//! English in the Dutch editions.

use super::common::{json, run};
use super::{demo, text};

/// Codes and English words that must never reach a reader of a Dutch report.
const RAW: [&str; 12] = [
    "ocmw-mol",
    "gemeente-mol",
    "parket-antwerpen",
    "caw-kempen",
    "submitted",
    "on-track",
    "off-track",
    "too-few-events",
    "significantly",
    "cli:",
    " the ",
    " of the ",
];

fn jaarverslag(db: &str, dir: &std::path::Path, edition: &str) -> String {
    jaarverslag_of(db, dir, edition, "2025")
}

fn jaarverslag_of(db: &str, dir: &std::path::Path, edition: &str, year: &str) -> String {
    let out = dir.join(format!("jv{edition}{year}.pdf"));
    let r = run(
        db,
        &[
            "report",
            "jaarverslag",
            "--zone",
            "demo-bdm",
            "--year",
            year,
            edition,
            "--draft",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    text(&out)
}

/// The pages of a PDF that hold nothing but the running header and footer.
fn blank_pages(pdf: &std::path::Path) -> Vec<usize> {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup and .ci/run");
    let text = String::from_utf8(out.stdout).unwrap();
    let pages: Vec<&str> = text.split('\x0c').collect();
    // pdftotext ends the last page with a form feed too.
    let pages = &pages[..pages.len() - 1];
    assert!(pages.len() > 10, "{} pages", pages.len());
    pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && !l.contains("Dataversie")
                        && !l.starts_with("Jaarverslag")
                        && *l != "SYNTHETISCH"
                })
                .count()
                == 0
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn the_jaarverslag_opens_with_key_messages_and_the_zone_in_figures_in_dutch_words() {
    let (dir, db) = demo();
    // The chief's foreword, written before the report is issued: its first chapter.
    let foreword = run(
        &db,
        &[
            "foreword",
            "--zone",
            "demo-bdm",
            "--year",
            "2025",
            "--text",
            "Een jaar waarin de woninginbraken daalden.\n\nDank aan elke medewerker.",
            "--signed",
            "Kim Korpschef, korpschef",
            "--json",
        ],
    );
    assert!(
        foreword.status.success(),
        "{}",
        String::from_utf8_lossy(&foreword.stderr)
    );
    assert_eq!(json(&foreword)["signed"], "Kim Korpschef, korpschef");
    let unsigned = run(
        &db,
        &[
            "foreword", "--zone", "demo-bdm", "--year", "2024", "--text", "Tekst",
        ],
    );
    assert!(!unsigned.status.success(), "a foreword is signed");
    let staff = jaarverslag(&db, dir.path(), "--staff");
    let fw = staff.find("Voorwoord Een jaar waarin de woninginbraken daalden. Dank aan elke medewerker. Kim Korpschef, korpschef");
    let key = staff.rfind("Kernboodschappen").unwrap();
    assert!(
        fw.is_some_and(|at| at < key),
        "the foreword opens the report"
    );
    let public = jaarverslag(&db, dir.path(), "--public");
    for edition in ["--staff", "--public"] {
        let pdf = dir.path().join(format!("jv{edition}2025.pdf"));
        assert_eq!(
            blank_pages(&pdf),
            Vec::<usize>::new(),
            "{edition}: blank pages"
        );
    }
    for (edition, t) in [("staff", &staff), ("public", &public)] {
        for heading in [
            "Kernboodschappen",
            "De zone in cijfers",
            "Inwoners",
            "Personeel per functionaliteit tegenover de norm",
            "Oproepen en interventies",
            "Prioriteit P1",
            "Aanrijtijden",
            "Mediaan in minuten",
            "Het plan van kracht",
            "Waar: de wijken",
            "Indicatoren van het plan over verkeer",
            "Dienstverlening en capaciteit",
            "Uren per functionaliteit",
            "Basislijn (periode)",
        ] {
            assert!(t.contains(heading), "{edition}: no {heading:?}");
        }
        for raw in RAW {
            assert!(!t.contains(raw), "{edition}: the Dutch text holds {raw:?}");
        }
    }
    // The wijk chapter: a map and its table in every edition; the public one prints the
    // wijk figures as the published tables hold them (the attack test checks each against
    // the council's pages) and says how they are protected.
    for t in [&staff, &public] {
        assert!(t.contains("feiten per 1.000 inwoners per wijk"));
    }
    assert!(public.contains("zoals de zone ze onder afscherming publiceert"));
    assert!(!staff.contains("zoals de zone ze onder afscherming publiceert"));
    // The survey as it stood in 2025: the newest wave (2024) against the earlier ones, with
    // the verdict on the change since 2021.
    for t in [&staff, &public] {
        assert!(t.contains("Wat inwoners zeggen"));
        assert!(t.contains("golf 2024"), "the newest wave held by 2025");
        assert!(
            t.contains("2024 tegenover 2021"),
            "the change since the wave before"
        );
    }
    // Each indicator's course against its path, where the edition prints its values.
    assert!(staff.contains("tegenover het pad van de basislijn naar het doel"));
    // How many calls record a response time only in the staff edition (beside the calls it
    // would give away how many do not).
    let at_least = |t: &str| t.contains("≥5") || t.contains("≥ 5");
    assert!(at_least(&public) && !at_least(&staff));
    // The key messages name every phenomenon `veilig picture` calls significantly higher or
    // lower in 2025 against 2024, and no other.
    let start = staff.find("Kernboodschappen").unwrap();
    let end = start + staff[start..].find("De zone in cijfers").unwrap();
    let messages = &staff[start..end];
    let status = json(&run(&db, &["status", "--zone", "demo-bdm", "--json"]));
    let mut moved = 0;
    for p in status["zones"][0]["phenomena"].as_array().unwrap() {
        if p["total"].as_u64() == Some(0) {
            continue;
        }
        let pic = json(&run(
            &db,
            &[
                "picture",
                "--zone",
                "demo-bdm",
                "--phenomenon",
                p["code"].as_str().unwrap(),
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--json",
            ],
        ));
        let name = p["name_nl"].as_str().unwrap();
        let said = messages.contains(&format!("{name} ("));
        let significant = pic["comparison"]["verdict"]
            .as_str()
            .unwrap()
            .starts_with("significantly");
        assert_eq!(
            said, significant,
            "{name}: {}",
            pic["comparison"]["verdict"]
        );
        moved += usize::from(significant);
    }
    assert!(moved > 0, "the demo has phenomena that moved in 2025");
    // Each priority of the plan in force in 2025 (the ZVP 2020-2025) with every indicator of
    // its objectives.
    let plan = json(&run(
        &db,
        &[
            "plan",
            "show",
            "--zone",
            "demo-bdm",
            "--plan",
            "zvp-2020-2025",
            "--json",
        ],
    ));
    let indicators = json(&run(
        &db,
        &["plan", "indicators", "--zone", "demo-bdm", "--json"],
    ));
    let indicators = indicators
        .as_array()
        .or_else(|| indicators["indicators"].as_array())
        .unwrap()
        .clone();
    assert!(!indicators.is_empty());
    for p in plan["priorities"].as_array().unwrap() {
        let head = format!(
            "{}: {}",
            p["code"].as_str().unwrap(),
            p["title"].as_str().unwrap()
        );
        assert!(staff.contains(&head), "no priority {head:?}");
    }
    let objectives: Vec<&str> = plan["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    let mut checked = 0;
    for i in &indicators {
        if !objectives.contains(&i["objective"].as_str().unwrap()) {
            continue; // an indicator of an objective the later plan added
        }
        let code = i["code"].as_str().unwrap();
        assert!(staff.contains(code), "no indicator {code}");
        checked += 1;
    }
    assert!(checked > 5, "{checked} indicators of the plan in force");
    // The plan's actions name their partners, not their codes.
    let plan_pdf = dir.path().join("plan.pdf");
    let r = run(
        &db,
        &[
            "report",
            "plan",
            "--zone",
            "demo-bdm",
            "--year",
            "2026",
            "--draft",
            "--out",
            plan_pdf.to_str().unwrap(),
        ],
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let plan = text(&plan_pdf);
    assert!(plan.contains("OCMW Mol"), "the actions name their partners");
    // Every objective's indicators with their baseline and target.
    assert!(plan.contains("Basislijn (periode)") && plan.contains("Doel"));
    let mut listed = 0;
    for i in &indicators {
        // Every objective the plan lists ("SD1 (strategisch): …") shows its indicators.
        let objective = i["objective"].as_str().unwrap();
        if !plan.contains(&format!("{objective} (")) {
            continue;
        }
        let code = i["code"].as_str().unwrap();
        assert!(plan.contains(code), "the plan lacks indicator {code}");
        listed += 1;
    }
    assert!(listed > 5, "{listed} indicators in the plan");
    for raw in RAW {
        assert!(!plan.contains(raw), "the plan holds {raw:?}");
    }
}

#[test]
fn a_year_report_shows_the_survey_as_it_stood_that_year() {
    let (dir, db) = demo();
    // The demo's waves are 2018, 2021 and 2024: in 2020 only the first had been held.
    let t = jaarverslag_of(&db, dir.path(), "--public", "2020");
    assert!(t.contains("golf 2018"), "the newest wave held by 2020");
    for later in ["golf 2021", "golf 2024", "2021 tegenover", "2024 tegenover"] {
        assert!(!t.contains(later), "a wave not yet held: {later:?}");
    }
}
