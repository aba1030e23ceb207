//! The Compstat agenda in the reader's words, and its map: the period's hot cells and
//! near-repeat series over the wijken, beside the agenda. Phenomena by their names, places
//! by the wijk that holds them (not coordinates), counts against a year earlier.

use veilig_domain::Area;
use veilig_domain::PhenomenonDef;
use veilig_query::monitor::Agenda;

use crate::i18n::Tr;
use crate::view::phen_name;

/// What the page shows of the agenda's places.
pub struct AgendaWords {
    /// Phenomena higher than a year before: name and count with its change.
    pub rising: Vec<String>,
    pub hotspots: Vec<String>,
    pub series: Vec<String>,
    /// The hot cells and series on the wijken (SVG), empty without wijken or places.
    pub map: String,
}

fn wijk_of(tr: &Tr, areas: &[Area], x: f64, y: f64) -> String {
    areas
        .iter()
        .find(|a| a.geometry.contains(x, y))
        .map_or_else(|| tr.t("agenda-outside-wijken"), |a| a.name.clone())
}

pub fn agenda_words(
    tr: &Tr,
    agenda: &Agenda,
    areas: &[Area],
    defs: &[PhenomenonDef],
) -> AgendaWords {
    let name = |code: &str| {
        defs.iter().find(|d| d.code == code).map_or_else(
            || code.to_string(),
            |d| phen_name(tr.lang, &d.nl, &d.fr, &d.en).to_string(),
        )
    };
    let rising = agenda
        .rising
        .iter()
        .map(|r| {
            tr.args(
                "agenda-rising",
                &[
                    ("name", name(&r.phenomenon)),
                    ("count", tr.int(r.count)),
                    (
                        "change",
                        r.change_pct.map_or_else(|| "–".into(), |c| tr.pct(c)),
                    ),
                ],
            )
        })
        .collect();
    let hotspots = agenda
        .hotspots
        .iter()
        .map(|h| {
            tr.args(
                "agenda-hotspot",
                &[
                    ("name", name(&h.phenomenon)),
                    ("wijk", wijk_of(tr, areas, h.cell.x, h.cell.y)),
                    ("now", tr.int(h.cell.now)),
                    ("before", tr.int(h.cell.before)),
                    ("cell", tr.dec(h.cell.cell_m, 0)),
                ],
            )
        })
        .collect();
    let series = agenda
        .series
        .iter()
        .map(|s| {
            tr.args(
                "agenda-series",
                &[
                    ("name", name(&s.phenomenon)),
                    ("events", s.series.events.to_string()),
                    ("wijk", wijk_of(tr, areas, s.series.x, s.series.y)),
                    ("from", tr.date(s.series.first)),
                    ("to", tr.date(s.series.last)),
                ],
            )
        })
        .collect();
    let hot: Vec<(f64, f64)> = agenda
        .hotspots
        .iter()
        .map(|h| (h.cell.x, h.cell.y))
        .collect();
    let chains: Vec<(f64, f64)> = agenda
        .series
        .iter()
        .map(|s| (s.series.x, s.series.y))
        .collect();
    let cell = agenda.hotspots.first().map_or(250.0, |h| h.cell.cell_m);
    let map = if areas.is_empty() || (hot.is_empty() && chains.is_empty()) {
        String::new()
    } else {
        let outlines: Vec<(&veilig_domain::MultiPolygon, &str)> = areas
            .iter()
            .map(|a| (&a.geometry, a.name.as_str()))
            .collect();
        let (hot_label, chain_label) = (tr.t("agenda-map-hot"), tr.t("agenda-map-series"));
        let layers = [
            veilig_report::CellLayer {
                centres: &hot,
                filled: true,
                colour: "#b2182b",
                label: &hot_label,
            },
            veilig_report::CellLayer {
                centres: &chains,
                filled: false,
                colour: "#2166ac",
                label: &chain_label,
            },
        ];
        let title = tr.arg2(
            "agenda-map-title",
            "from",
            tr.date(agenda.period_from),
            "to",
            tr.date(agenda.period_to),
        );
        veilig_report::cell_map(&outlines, cell, &layers, &title)
    };
    AgendaWords {
        rising,
        hotspots,
        series,
        map,
    }
}
