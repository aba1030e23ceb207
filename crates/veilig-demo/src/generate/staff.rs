//! The demo zone's staff: functionalities, ranks, hours and skills of about 150 officers, the
//! wijkinspecteurs one per wijk.

use veilig_domain::{Functionality, StaffMember};

use super::WIJKEN;
use crate::rng::Rng;

pub(super) fn staff(rng: &Rng) -> Vec<StaffMember> {
    let mut r = rng.fork("staff");
    let mut out = Vec::new();
    let mut add = |f: Functionality, rank: &str, fte: f64, skills: &[&str], area: Option<&str>| {
        let n = out.len() + 1;
        out.push(StaffMember {
            code: format!("P-{n:03}"),
            functionality: f,
            rank: rank.to_string(),
            fte,
            contract_hours_week: 38.0 * fte,
            skills: skills.iter().map(|s| s.to_string()).collect(),
            area_code: area.map(str::to_string),
            synthetic: true,
        });
    };
    // One wijkinspecteur per wijk (18), as the 1-per-4,000 norm asks of ~70,500 inhabitants.
    for w in WIJKEN {
        add(
            Functionality::Wijkwerking,
            if r.chance(0.3) { "HINP" } else { "INP" },
            if r.chance(0.15) { 0.8 } else { 1.0 },
            &[],
            Some(w.0),
        );
    }
    // Interventie: five teams of eight plus two team leaders; officers of administrative
    // police (OBP) among the commissarissen.
    for t in 0..5 {
        add(
            Functionality::Interventie,
            "HINP",
            1.0,
            &["ploegverantwoordelijke"],
            None,
        );
        for _ in 0..7 {
            add(
                Functionality::Interventie,
                "INP",
                if r.chance(0.1) { 0.8 } else { 1.0 },
                &[],
                None,
            );
        }
        let _ = t;
    }
    for _ in 0..6 {
        add(Functionality::Interventie, "CP", 1.0, &["OBP"], None);
    }
    for _ in 0..5 {
        add(Functionality::Onthaal, "INP", 1.0, &[], None);
    }
    for _ in 0..3 {
        add(Functionality::Onthaal, "CALog-C", 1.0, &[], None);
    }
    for _ in 0..10 {
        add(Functionality::LokaleOpsporing, "HINP", 1.0, &[], None);
    }
    add(Functionality::LokaleOpsporing, "CP", 1.0, &["OBP"], None);
    for _ in 0..7 {
        add(
            Functionality::Verkeer,
            "INP",
            1.0,
            &["rijbewijs-motor"],
            None,
        );
    }
    for _ in 0..2 {
        add(
            Functionality::Slachtofferbejegening,
            "INP",
            0.5,
            &["slachtofferbejegening"],
            None,
        );
    }
    add(
        Functionality::OpenbareOrde,
        "CP",
        1.0,
        &["OBP", "gold-commander"],
        None,
    );
    add(
        Functionality::Ondersteuning,
        "HCP",
        1.0,
        &["korpschef", "OBP"],
        None,
    );
    for _ in 0..14 {
        add(
            Functionality::Ondersteuning,
            if r.chance(0.5) { "CALog-B" } else { "CALog-C" },
            if r.chance(0.2) { 0.8 } else { 1.0 },
            &[],
            None,
        );
    }
    out
}
