//! The demo zone's population per wijk and municipality, and the published statistics that
//! follow from its incidents.

use super::*;

pub(super) fn population(layout: &Layout) -> Vec<PopulationRecord> {
    let mut out = Vec::new();
    for year in START.0..=END.0 {
        let growth = 1.004f64.powi(year - START.0);
        let ref_date = date((year, 1, 1));
        let rec = |level, code: &str, inh: f64| PopulationRecord {
            level,
            code: code.to_string(),
            ref_date,
            inhabitants: (inh * growth).round() as i64,
            dwellings: Some((inh * growth / 2.3).round() as i64),
            households: Some((inh * growth / 2.35).round() as i64),
            source: "synthetisch (demo; ongeveer reële gemeentetotalen)".to_string(),
            synthetic: true,
        };
        for (i, w) in WIJKEN.iter().enumerate() {
            out.push(rec(PopulationLevel::Area, w.0, layout.people[i]));
        }
        for m in MUNICIPALITIES {
            out.push(rec(PopulationLevel::Municipality, m.0, m.4));
        }
        out.push(rec(
            PopulationLevel::Zone,
            "demo-bdm",
            MUNICIPALITIES.iter().map(|m| m.4).sum(),
        ));
    }
    out
}

/// Synthetic "published statistics": yearly counts per municipality for three criminele
/// figuren, computed from the synthetic incidents, closed on 15 October 2026 (so 2026 is
/// provisional). They let every screen that shows published figures be tried on the demo.
pub(super) fn statistics(layout: &Layout, incidents: &[NewIncident]) -> Vec<StatCount> {
    let closing = date((2026, 10, 15));
    let figures = [
        ("woninginbraak", "Woninginbraak"),
        ("fietsdiefstal", "Fietsdiefstal"),
        ("winkeldiefstal", "Winkeldiefstal"),
    ];
    let mut out = Vec::new();
    for year in START.0..=END.0 {
        for (nis, ..) in MUNICIPALITIES {
            for (code, figure) in figures {
                let count = incidents
                    .iter()
                    .filter(|i| {
                        i.phenomenon == code
                            && i.occurred_from.year() == year
                            && i.occurred_from.date() <= closing
                    })
                    .filter(|i| {
                        let l = i.location.expect("located");
                        layout.wijk_of([l.x, l.y]).map(|w| WIJKEN[w].2) == Some(*nis)
                    })
                    .count() as i64;
                out.push(StatCount {
                    level: "municipality".into(),
                    area_code: nis.to_string(),
                    period_start: date((year, 1, 1)),
                    period_end: date((year, 12, 31)),
                    category: figure.to_string(),
                    category_kind: StatCategoryKind::CriminalFigure,
                    count,
                    closing_date: closing,
                    provisional: date((year, 12, 31)) >= closing,
                });
            }
        }
    }
    out
}
