//! The demo zone's policy cycle (synthetic, labelled so wherever shown): the ZVR's decisions
//! of 2025, a zonal security plan 2026-2031 with four external priorities, one bijzonder
//! aandachtspunt and one internal priority, each with objectives on three levels, actions
//! with partners, chain phases and capacity hours for 2026 and 2027; its approval up to the
//! ministers; and an addendum in draft (a new cyber action after the NVP's extension).
//! Invented to show the product, not any zone's real plan.

use chrono::NaiveDate;
use veilig_plan::{
    Action, Chapters, Domain, Level, Objective, PartnerRole, Phase, PlanDoc, Priority, PriorityKind,
};
use veilig_store::{AuditEntry, NewDecision, NewPlanStep, Store, StoreError};

pub const PLAN: &str = "zvp-2026-2031";
/// The organisation the demo partner account speaks for.
pub const PARTNER: &str = "ocmw-mol";

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// (subject, title, kind, domain, rationale)
const DECISIONS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "woninginbraak",
        "Woninginbraak",
        "prioriteit",
        "external",
        "Hoogste schade per feit; dalend, maar de inwoners noemen het (bevraging 2024).",
    ),
    (
        "verkeersongeval",
        "Verkeersveiligheid",
        "prioriteit",
        "external",
        "Grootste aandeel van de oproepen; snelheid is het meest genoemde buurtprobleem.",
    ),
    (
        "drugs",
        "Drugs (handel en overlast)",
        "prioriteit",
        "external",
        "Stijgende trend; NVP 3 en Kadernota cluster 3.",
    ),
    (
        "intrafamiliaal-geweld",
        "Intrafamiliaal geweld",
        "prioriteit",
        "external",
        "Hoge schade, groot dark number; ketenaanpak met OCMW en parket.",
    ),
    (
        "fraude",
        "Internetfraude",
        "bijzonder-aandachtspunt",
        "external",
        "Sterk stijgend (+11 %/jaar); gevolgd in de reguliere werking, preventie met de gemeenten.",
    ),
    (
        "welzijn-personeel",
        "Welzijn en inzetbaarheid van het personeel",
        "prioriteit",
        "internal",
        "Interne prioriteit: ziekteverzuim en vacatures drukken de capaciteit.",
    ),
];

const ZVR: &str = "burgemeesters Balen, Dessel en Mol; procureur des Konings Antwerpen (afdeling Turnhout); korpschef; DirCo Antwerpen";

fn prio(
    code: &str,
    subject: &str,
    title: &str,
    kind: PriorityKind,
    domain: Domain,
    decision: i64,
    refs: &[&str],
) -> Priority {
    Priority {
        code: code.into(),
        subject: subject.into(),
        title: title.into(),
        kind,
        domain,
        decision: Some(decision),
        references: refs.iter().map(|r| r.to_string()).collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn obj(
    code: &str,
    level: Level,
    parent: Option<&str>,
    priority: &str,
    statement: &str,
    target: &str,
    due: &str,
    owner: &str,
) -> Objective {
    Objective {
        code: code.into(),
        level,
        parent: parent.map(str::to_string),
        priority: priority.into(),
        statement: statement.into(),
        target: target.into(),
        due: d(due),
        owner: owner.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn act(
    code: &str,
    objective: &str,
    year: i32,
    title: &str,
    phases: &[Phase],
    partners: &[(&str, &str)],
    owner: &str,
    hours: f64,
    functionalities: &[&str],
) -> Action {
    Action {
        code: code.into(),
        objective: objective.into(),
        year,
        title: title.into(),
        phases: phases.to_vec(),
        partners: partners
            .iter()
            .map(|(p, r)| PartnerRole {
                partner: p.to_string(),
                role: r.to_string(),
            })
            .collect(),
        owner: owner.into(),
        hours,
        functionalities: functionalities.iter().map(|f| f.to_string()).collect(),
    }
}

/// The plan as approved (version 1). `decision_ids` are the stored ids of [`DECISIONS`].
pub fn zvp(decision_ids: &[i64]) -> PlanDoc {
    use Level::*;
    use Phase::*;
    let id = |i: usize| decision_ids.get(i).copied().unwrap_or(0);
    let mut p = PlanDoc::new(
        "Zonaal Veiligheidsplan 2026-2031 PZ Balen-Dessel-Mol (synthetisch)",
        2026,
        6,
    );
    p.chapters = Chapters {
        mission: "Wij zorgen samen met onze partners voor een veilige en leefbare zone Balen-Dessel-Mol, dichtbij en bereikbaar voor elke inwoner. (synthetisch)".into(),
        vision: "Een informatiegestuurde, wijkgerichte politie die haar capaciteit inzet waar de schade het grootst is en daarover open verantwoording aflegt. (synthetisch)".into(),
        values: "Integriteit, respect, betrokkenheid, professionalisme. (synthetisch)".into(),
        communication: "Intern: briefings en intranet per kwartaal. Extern: jaarverslag, resultaten per kwartaal op de website, infoavonden per gemeente. (synthetisch)".into(),
    };
    p.priorities = vec![
        prio(
            "P1",
            "woninginbraak",
            "Woninginbraak",
            PriorityKind::Prioriteit,
            Domain::External,
            id(0),
            &["nvp-2022-2025:4", "kiv-2022-2024:7"],
        ),
        prio(
            "P2",
            "verkeersongeval",
            "Verkeersveiligheid",
            PriorityKind::Prioriteit,
            Domain::External,
            id(1),
            &["nvp-2022-2025:6", "kiv-2022-2024:9"],
        ),
        prio(
            "P3",
            "drugs",
            "Drugs (handel en overlast)",
            PriorityKind::Prioriteit,
            Domain::External,
            id(2),
            &["nvp-2022-2025:3", "kiv-2022-2024:3"],
        ),
        prio(
            "P4",
            "intrafamiliaal-geweld",
            "Intrafamiliaal geweld",
            PriorityKind::Prioriteit,
            Domain::External,
            id(3),
            &["nvp-2022-2025:2", "kiv-2022-2024:6"],
        ),
        prio(
            "P5",
            "fraude",
            "Internetfraude",
            PriorityKind::BijzonderAandachtspunt,
            Domain::External,
            id(4),
            &["nvp-2022-2025:13", "kiv-2022-2024:5"],
        ),
        prio(
            "P6",
            "welzijn-personeel",
            "Welzijn en inzetbaarheid van het personeel",
            PriorityKind::Prioriteit,
            Domain::Internal,
            id(5),
            &[],
        ),
    ];
    p.objectives = vec![
        obj(
            "SD1",
            Strategic,
            None,
            "P1",
            "Het aantal woninginbraken daalt",
            "-15 % in 2031 t.o.v. het gemiddelde 2023-2025",
            "2031-12-31",
            "korpschef",
        ),
        obj(
            "TD1.1",
            Tactical,
            Some("SD1"),
            "P1",
            "Inwoners beveiligen hun woning beter",
            "500 diefstalpreventieadviezen per jaar",
            "2027-12-31",
            "diensthoofd wijkwerking",
        ),
        obj(
            "OD1.1",
            Operational,
            Some("TD1.1"),
            "P1",
            "Gerichte patrouilles in de inbraakgevoelige wijken in de wintermaanden",
            "2 patrouilles per avond van oktober tot maart",
            "2026-12-31",
            "diensthoofd interventie",
        ),
        obj(
            "SD2",
            Strategic,
            None,
            "P2",
            "Minder verkeersongevallen met letsel",
            "-10 % letselongevallen in 2031 t.o.v. 2025",
            "2031-12-31",
            "korpschef",
        ),
        obj(
            "TD2.1",
            Tactical,
            Some("SD2"),
            "P2",
            "Snelheid rond scholen en in de kernen daalt",
            "aandeel overtreders bij controles < 8 %",
            "2027-12-31",
            "diensthoofd verkeer",
        ),
        obj(
            "OD2.1",
            Operational,
            Some("TD2.1"),
            "P2",
            "Snelheids- en alcoholcontroles volgens het handhavingsplan",
            "120 controles per jaar, 12 BOB-acties",
            "2026-12-31",
            "diensthoofd verkeer",
        ),
        obj(
            "SD3",
            Strategic,
            None,
            "P3",
            "Drugshandel en drugsoverlast worden teruggedrongen",
            "ontmanteling van 3 netwerken; overlastmeldingen -10 %",
            "2031-12-31",
            "diensthoofd recherche",
        ),
        obj(
            "TD3.1",
            Tactical,
            Some("SD3"),
            "P3",
            "Informatiepositie op de lokale drugsmarkt",
            "elk kwartaal een beeld met de gemeenten en het parket",
            "2027-12-31",
            "diensthoofd recherche",
        ),
        obj(
            "OD3.1",
            Operational,
            Some("TD3.1"),
            "P3",
            "Acties op de gekende dealplaatsen",
            "1 actie per maand met bestuurlijke opvolging",
            "2026-12-31",
            "diensthoofd recherche",
        ),
        obj(
            "SD4",
            Strategic,
            None,
            "P4",
            "Snelle detectie, correcte registratie en kwaliteitsvolle opvang bij intrafamiliaal geweld",
            "elk dossier binnen 48 uur opgevolgd",
            "2031-12-31",
            "korpschef",
        ),
        obj(
            "TD4.1",
            Tactical,
            Some("SD4"),
            "P4",
            "Ketenaanpak met OCMW en parket (casusoverleg)",
            "maandelijks casusoverleg, 90 % van de dossiers besproken",
            "2027-12-31",
            "diensthoofd slachtofferbejegening",
        ),
        obj(
            "OD4.1",
            Operational,
            Some("TD4.1"),
            "P4",
            "Opvolging van elke aangifte door de wijkinspecteur",
            "100 % binnen 48 uur",
            "2026-12-31",
            "diensthoofd wijkwerking",
        ),
        obj(
            "SD5",
            Strategic,
            None,
            "P5",
            "Inwoners herkennen internetfraude",
            "slachtofferschap in de bevraging daalt",
            "2031-12-31",
            "korpschef",
        ),
        obj(
            "SD6",
            Strategic,
            None,
            "P6",
            "Een gezond en inzetbaar korps",
            "ziekteverzuim < 6 %; vacatures binnen 6 maanden ingevuld",
            "2031-12-31",
            "korpschef",
        ),
        obj(
            "TD6.1",
            Tactical,
            Some("SD6"),
            "P6",
            "Verzuimbeleid en onthaal van nieuwe medewerkers",
            "verzuimgesprek na elke afwezigheid; peter/meter voor elke nieuwkomer",
            "2027-12-31",
            "directeur personeel",
        ),
    ];
    p.actions = vec![
        act(
            "A1.1",
            "TD1.1",
            2026,
            "Diefstalpreventieadvies aan huis",
            &[Preventie],
            &[
                ("gemeente-mol", "communicatie en premie"),
                ("gemeente-balen", "communicatie"),
                ("gemeente-dessel", "communicatie"),
            ],
            "diensthoofd wijkwerking",
            1200.0,
            &["wijkwerking"],
        ),
        act(
            "A1.2",
            "OD1.1",
            2026,
            "Winterpatrouilles in de inbraakgevoelige wijken",
            &[Proactie, Reactie],
            &[],
            "diensthoofd interventie",
            1800.0,
            &["interventie"],
        ),
        act(
            "A1.3",
            "OD1.1",
            2027,
            "Winterpatrouilles in de inbraakgevoelige wijken",
            &[Proactie, Reactie],
            &[],
            "diensthoofd interventie",
            1800.0,
            &["interventie"],
        ),
        act(
            "A2.1",
            "OD2.1",
            2026,
            "Snelheids- en alcoholcontroles",
            &[Reactie],
            &[("parket-antwerpen", "vervolgingsbeleid")],
            "diensthoofd verkeer",
            2000.0,
            &["verkeer"],
        ),
        act(
            "A2.2",
            "TD2.1",
            2026,
            "Schoolomgevingen: sensibilisering en toezicht",
            &[Preventie],
            &[
                ("gemeente-mol", "infrastructuur"),
                ("scholen", "sensibilisering"),
            ],
            "diensthoofd verkeer",
            600.0,
            &["verkeer", "wijkwerking"],
        ),
        act(
            "A2.3",
            "OD2.1",
            2027,
            "Snelheids- en alcoholcontroles",
            &[Reactie],
            &[("parket-antwerpen", "vervolgingsbeleid")],
            "diensthoofd verkeer",
            2000.0,
            &["verkeer"],
        ),
        act(
            "A3.1",
            "OD3.1",
            2026,
            "Acties op dealplaatsen met bestuurlijke opvolging",
            &[Proactie, Reactie],
            &[
                ("parket-antwerpen", "gerechtelijke opvolging"),
                ("gemeente-mol", "bestuurlijke maatregelen"),
            ],
            "diensthoofd recherche",
            2500.0,
            &["lokale-opsporing", "interventie"],
        ),
        act(
            "A3.2",
            "TD3.1",
            2026,
            "Drugsbeeld per kwartaal met gemeenten en parket",
            &[Proactie],
            &[
                ("gemeente-mol", "informatie"),
                ("parket-antwerpen", "informatie"),
            ],
            "diensthoofd recherche",
            300.0,
            &["lokale-opsporing"],
        ),
        act(
            "A4.1",
            "TD4.1",
            2026,
            "Maandelijks casusoverleg intrafamiliaal geweld",
            &[Reactie, Nazorg],
            &[
                ("ocmw-mol", "hulpverlening"),
                ("parket-antwerpen", "vervolging"),
                ("caw-kempen", "slachtofferhulp"),
            ],
            "diensthoofd slachtofferbejegening",
            400.0,
            &["slachtofferbejegening", "wijkwerking"],
        ),
        act(
            "A4.2",
            "OD4.1",
            2026,
            "Opvolgingsbezoek na elke aangifte",
            &[Nazorg],
            &[("ocmw-mol", "doorverwijzing")],
            "diensthoofd wijkwerking",
            900.0,
            &["wijkwerking"],
        ),
        act(
            "A5.1",
            "SD5",
            2026,
            "Infosessies internetfraude voor senioren",
            &[Preventie],
            &[
                ("gemeente-balen", "zaal en communicatie"),
                ("ocmw-mol", "bereik van senioren"),
            ],
            "diensthoofd onthaal",
            150.0,
            &["onthaal", "wijkwerking"],
        ),
        act(
            "A6.1",
            "TD6.1",
            2026,
            "Verzuimgesprekken en peterschap",
            &[Preventie],
            &[],
            "directeur personeel",
            250.0,
            &["ondersteuning"],
        ),
    ];
    p
}

/// The addendum (version 2, draft): a cyber action after the NVP's extension.
pub fn addendum(v1: &PlanDoc) -> PlanDoc {
    let mut p = v1.clone();
    p.actions.push(act(
        "A5.2",
        "SD5",
        2027,
        "Meldpunt en terugkoppeling internetfraude aan slachtoffers",
        &[Phase::Reactie, Phase::Nazorg],
        &[("ocmw-mol", "doorverwijzing")],
        "diensthoofd onthaal",
        300.0,
        &["onthaal"],
    ));
    p
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

/// Writes the decisions, the plan, its approval and the addendum, unless the zone has a plan.
pub async fn write(store: &Store, zone_id: i64) -> Result<(), StoreError> {
    if !store.plans(zone_id).await?.is_empty() {
        return Ok(());
    }
    let mut ids = Vec::new();
    for (subject, title, kind, domain, rationale) in DECISIONS {
        ids.push(
            store
                .record_decision(
                    &NewDecision {
                        zone_id,
                        meeting: d("2025-06-12"),
                        subject: subject.into(),
                        title: title.into(),
                        kind: kind.into(),
                        domain: domain.into(),
                        outcome: "adopted".into(),
                        rationale: format!("{rationale} (synthetisch)"),
                        decided_by: ZVR.into(),
                        recorded_by: Some("demo".into()),
                    },
                    &audit(zone_id, "zvr-decision", subject),
                )
                .await?,
        );
    }
    let v1 = zvp(&ids);
    let json = serde_json::to_string(&v1).expect("serialise");
    let plan = store
        .create_plan(
            zone_id,
            PLAN,
            true,
            &json,
            &audit(zone_id, "plan-create", PLAN),
        )
        .await?;
    for (step, on, reference) in [
        ("zvr", "2025-10-09", "ZVR 9 oktober 2025 (synthetisch)"),
        (
            "politieraad",
            "2025-10-23",
            "politieraad 23 oktober 2025 (synthetisch)",
        ),
        (
            "submitted",
            "2025-10-30",
            "brief aan de ministers, 30 oktober 2025 (synthetisch)",
        ),
        (
            "ministers",
            "2025-12-18",
            "goedkeuring FOD Binnenlandse Zaken en FOD Justitie (synthetisch)",
        ),
        (
            "gemeenteraden",
            "2026-01-27",
            "gemeenteraden Balen, Dessel, Mol (synthetisch)",
        ),
    ] {
        store
            .add_plan_step(
                &NewPlanStep {
                    plan_id: plan.id,
                    version: 1,
                    step: step.into(),
                    decided_on: d(on),
                    outcome: "approved".into(),
                    reference: reference.into(),
                    recorded_by: Some("demo".into()),
                },
                &audit(zone_id, "plan-step", step),
            )
            .await?;
    }
    let v2 = serde_json::to_string(&addendum(&v1)).expect("serialise");
    store
        .add_plan_version(
            plan.id,
            "addendum",
            "NVP 2022-2025 verlengd; actie internetfraude toegevoegd (synthetisch)",
            &v2,
            &audit(zone_id, "plan-version", PLAN),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_plan_is_valid_and_whole() {
        let p = zvp(&[1, 2, 3, 4, 5, 6]);
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        let a = addendum(&p);
        assert!(a.problems().is_empty(), "{:?}", a.problems());
        // At least four priorities, each with objectives and actions with hours.
        let external: Vec<&Priority> = p
            .priorities
            .iter()
            .filter(|x| x.kind == PriorityKind::Prioriteit)
            .collect();
        assert!(external.len() >= 4);
        for pr in &p.priorities {
            assert!(
                p.objectives.iter().any(|o| o.priority == pr.code),
                "{}",
                pr.code
            );
            let hours: f64 = p
                .actions
                .iter()
                .filter(|a| p.action_priority(a).map(|x| &x.code) == Some(&pr.code))
                .map(|a| a.hours)
                .sum();
            assert!(hours > 0.0, "{}", pr.code);
        }
        assert!(!p.actions_of_partner("ocmw-mol").is_empty());
        assert_eq!(veilig_plan::diff(&p, &a).len(), 1);
    }
}
