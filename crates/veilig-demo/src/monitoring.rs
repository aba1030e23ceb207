//! The demo plan followed (synthetic, labelled so wherever shown): indicators bound to the
//! demo's own data (one entered by hand), two problem files (the guarded bike parking at Mol
//! station, which the data really contain, and night-life nuisance, which they do not), and
//! two past Compstat reviews whose decisions carry over. The computed measurements are
//! `veilig_query::monitor::refresh`'s, which `veilig demo` runs after the build.

use chrono::NaiveDate;
use veilig_store::{AuditEntry, Store, StoreError};

use crate::plan::PLAN;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn audit(zone_id: i64, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        username: Some("demo".into()),
        action: action.into(),
        zone_id: Some(zone_id),
        detail: detail.into(),
        ..Default::default()
    }
}

/// The demo plan's indicators (synthetic): computed from the demo's own data, one entered by
/// hand. Their measurements come from `veilig_query::monitor::refresh`.
pub fn indicators() -> Vec<veilig_monitor::IndicatorDef> {
    use veilig_monitor::{
        Baseline, Direction, Frequency, IndicatorDef, IndicatorKind, Measure, Source, Target,
    };
    let year = |y: i32| Baseline {
        from: NaiveDate::from_ymd_opt(y, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(y, 12, 31).expect("date"),
        value: None,
    };
    let incidents = |p: &str, municipality: Option<&str>| Source::Incidents {
        phenomenon: p.into(),
        measure: Measure::Count,
        municipality: municipality.map(str::to_string),
        wijken: vec![],
    };
    let ind = |code: &str,
               objective: &str,
               name: &str,
               kind,
               source,
               frequency,
               baseline,
               direction,
               target| IndicatorDef {
        code: code.into(),
        objective: objective.into(),
        name: name.into(),
        kind,
        source,
        frequency,
        baseline,
        direction,
        target,
    };
    use Direction::*;
    use Frequency::*;
    use IndicatorKind::*;
    vec![
        ind(
            "I-SD1",
            "SD1",
            "Woninginbraken in de zone",
            Effect,
            incidents("woninginbraak", None),
            Year,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -15.0,
                by: d("2031-12-31"),
            },
        ),
        ind(
            "I-SD1-MOL",
            "SD1",
            "Woninginbraken in Mol, per kwartaal",
            Effect,
            incidents("woninginbraak", Some("13025")),
            Quarter,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -15.0,
                by: d("2031-12-31"),
            },
        ),
        ind(
            "I-SD1-PCS",
            "SD1",
            "Woninginbraak in Mol volgens de gepubliceerde statistiek",
            Effect,
            Source::Published {
                category: "Woninginbraak".into(),
                area_code: Some("13025".into()),
            },
            Year,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -15.0,
                by: d("2031-12-31"),
            },
        ),
        ind(
            "I-TD1.1",
            "TD1.1",
            "Slachtoffers van inbraak (bevraging)",
            Perception,
            Source::Survey {
                survey: crate::survey::SURVEY.into(),
                indicator: "slachtoffer-inbraak".into(),
            },
            Year,
            year(2021),
            Down,
            Target::ChangePct {
                pct: -20.0,
                by: d("2027-12-31"),
            },
        ),
        ind(
            "I-SD2",
            "SD2",
            "Verkeersongevallen met letsel",
            Effect,
            incidents("verkeersongeval", None),
            Quarter,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -10.0,
                by: d("2031-12-31"),
            },
        ),
        ind(
            "I-TD2.1",
            "TD2.1",
            "Snelheid als buurtprobleem (bevraging)",
            Perception,
            Source::Survey {
                survey: crate::survey::SURVEY.into(),
                indicator: "snelheid-probleem".into(),
            },
            Year,
            year(2021),
            Down,
            Target::ChangePct {
                pct: -10.0,
                by: d("2027-12-31"),
            },
        ),
        ind(
            "I-TD2.1-CALLS",
            "TD2.1",
            "Oproepen verkeer",
            Process,
            Source::Calls {
                category: Some("verkeer".into()),
                priority: None,
                percentile: None,
            },
            Year,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -5.0,
                by: d("2027-12-31"),
            },
        ),
        ind(
            "I-SD4-RT",
            "SD4",
            "Aanrijtijd bij oproepen intrafamiliaal (P90, minuten)",
            Process,
            Source::Calls {
                category: Some("familiaal".into()),
                priority: None,
                percentile: Some(90.0),
            },
            Year,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -10.0,
                by: d("2027-12-31"),
            },
        ),
        ind(
            "I-OD2.1",
            "OD2.1",
            "Snelheids- en alcoholcontroles (ingevoerd)",
            Output,
            Source::Manual {
                unit: "controles".into(),
            },
            Year,
            Baseline {
                value: Some(100.0),
                ..year(2023)
            },
            Up,
            Target::Value {
                value: 120.0,
                by: d("2026-12-31"),
            },
        ),
        ind(
            "I-SD3",
            "SD3",
            "Drugsfeiten",
            Effect,
            incidents("drugs", None),
            Year,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -10.0,
                by: d("2031-12-31"),
            },
        ),
        ind(
            "I-SD4",
            "SD4",
            "Geregistreerd intrafamiliaal geweld (meer melden is het doel)",
            Process,
            incidents("intrafamiliaal-geweld", None),
            Year,
            year(2023),
            Up,
            Target::ChangePct {
                pct: 10.0,
                by: d("2027-12-31"),
            },
        ),
        ind(
            "I-SD5",
            "SD5",
            "Internetfraude",
            Effect,
            incidents("fraude", None),
            Year,
            year(2023),
            Down,
            Target::ChangePct {
                pct: -5.0,
                by: d("2031-12-31"),
            },
        ),
    ]
}

/// Values entered by hand for the manual indicator (synthetic).
pub const ENTERED: [(&str, &str, &str, f64); 2] = [
    ("I-OD2.1", "2024-01-01", "2024-12-31", 104.0),
    ("I-OD2.1", "2025-01-01", "2025-12-31", 118.0),
];

/// Two problem files (synthetic): the guarded bike parking at Mol station (a real effect in
/// the demo's data) against the shopping streets, and night-life nuisance with no
/// intervention in the data, against the centre of Balen.
pub fn problem_files() -> Vec<veilig_monitor::ProblemFile> {
    use veilig_monitor::problem::{Analysis, ResponseAction};
    use veilig_monitor::{Place, ProblemFile};
    let circle = |h: usize, radius: f64| {
        let (x, y) = crate::generate::hotspot_centre(h);
        Place::Circle { x, y, radius }
    };
    vec![
        ProblemFile {
            code: "PF-2024-01".into(),
            title: "Fietsdiefstal aan het station van Mol (synthetisch)".into(),
            phenomenon: "fietsdiefstal".into(),
            place: circle(0, 300.0),
            comparison: circle(1, 350.0),
            analysis: Analysis {
                offender: "Gelegenheidsdaders en enkele veelplegers uit de regio; de fietsen worden doorverkocht.".into(),
                victim: "Pendelaars die overdag hun fiets onbewaakt aan het station laten.".into(),
                place: "Onbewaakte fietsenrekken zonder zicht; geen camerabewaking.".into(),
            },
            response: vec![
                ResponseAction { what: "Bewaakte fietsenstalling aan het station (vanaf 1 september 2024)".into(), partners: vec!["gemeente-mol".into(), "nmbs".into()] },
                ResponseAction { what: "Graveeracties en sensibilisering van pendelaars".into(), partners: vec!["gemeente-mol".into()] },
            ],
            response_start: d("2024-09-01"),
            window_days: 365,
            stage: "assessment".into(),
        },
        ProblemFile {
            code: "PF-2025-01".into(),
            title: "Nachtlawaai en vandalisme in de uitgaansbuurt van Mol (synthetisch)".into(),
            phenomenon: "vandalisme".into(),
            place: circle(2, 300.0),
            comparison: circle(1, 350.0),
            analysis: Analysis {
                offender: "Jongeren na sluitingstijd.".into(),
                victim: "Buurtbewoners en handelaars.".into(),
                place: "Twee cafés met late sluiting; weinig verlichting in de zijstraten.".into(),
            },
            response: vec![ResponseAction { what: "Extra avondpatrouilles op vrijdag en zaterdag".into(), partners: vec!["gemeente-mol".into()] }],
            response_start: d("2025-03-01"),
            window_days: 365,
            stage: "response".into(),
        },
    ]
}

/// Writes the indicators, the entered values, the problem files and two past Compstat
/// reviews (with their decisions; the second closes one of the first's), unless the zone has
/// indicators already. The computed measurements are the refresh's (`veilig demo` runs it).
pub async fn write(store: &Store, zone_id: i64) -> Result<(), StoreError> {
    if !store.indicators(zone_id).await?.is_empty() {
        return Ok(());
    }
    let plan = store.plan(zone_id, PLAN).await?.map(|p| p.id);
    for i in indicators() {
        store
            .create_indicator(
                zone_id,
                plan,
                &i.code,
                &serde_json::to_string(&i).expect("serialise"),
                &audit(zone_id, "indicator-add", &i.code),
            )
            .await?;
    }
    let ids = store.indicators(zone_id).await?;
    for (code, from, to, value) in ENTERED {
        let id = ids.iter().find(|i| i.code == code).expect("defined").id;
        store
            .add_measurements(
                &[veilig_store::NewMeasurement {
                    indicator_id: id,
                    period_start: d(from),
                    period_end: d(to),
                    value,
                    low: None,
                    high: None,
                    count: None,
                    exposure_days: Some((d(to) - d(from)).num_days() as f64 + 1.0),
                    provisional: false,
                    batches: vec![],
                    origin: "entered".into(),
                    recorded_by: Some("demo".into()),
                }],
                &audit(zone_id, "indicator-measure", code),
            )
            .await?;
    }
    for pf in problem_files() {
        store
            .save_problem_file(
                zone_id,
                &pf.code,
                &serde_json::to_string(&pf).expect("serialise"),
                &audit(zone_id, "problem-file", &pf.code),
            )
            .await?;
    }
    // The meetings' agendas are drafted from the data once the zone is built
    // (`veilig_query::monitor::fill_pending_agendas`): pending until then.
    let agenda = |from: &str, to: &str, _note: &str| {
        serde_json::json!({"period_from": from, "period_to": to, "pending": true}).to_string()
    };
    let first = veilig_store::NewReview {
        zone_id,
        kind: "compstat".into(),
        period_from: d("2026-08-01"),
        period_to: d("2026-08-31"),
        held_on: d("2026-09-08"),
        document: agenda("2026-08-01", "2026-08-31", "Compstat augustus 2026"),
        decisions: vec![
            veilig_store::NewReviewDecision {
                what: "Extra patrouilles rond het station in de avond (fietsdiefstal)".into(),
                who: "diensthoofd interventie".into(),
                due: d("2026-09-30"),
            },
            veilig_store::NewReviewDecision {
                what: "Drugsbeeld Mol-Centrum bespreken met het parket".into(),
                who: "diensthoofd recherche".into(),
                due: d("2026-10-31"),
            },
        ],
        closes: vec![],
    };
    store
        .add_review(&first, &audit(zone_id, "review", "compstat 2026-08"))
        .await?;
    let open = store.review_decisions(zone_id).await?;
    let second = veilig_store::NewReview {
        period_from: d("2026-09-01"),
        period_to: d("2026-09-30"),
        held_on: d("2026-10-06"),
        document: agenda("2026-09-01", "2026-09-30", "Compstat september 2026"),
        decisions: vec![veilig_store::NewReviewDecision {
            what: "Preventiecampagne woninginbraak voor de wintermaanden".into(),
            who: "diensthoofd wijkwerking".into(),
            due: d("2026-11-15"),
        }],
        closes: vec![(
            open[0].id,
            "Patrouilles uitgevoerd; fietsdiefstal aan het station blijft laag (synthetisch)"
                .into(),
        )],
        ..first
    };
    store
        .add_review(&second, &audit(zone_id, "review", "compstat 2026-09"))
        .await?;
    Ok(())
}
