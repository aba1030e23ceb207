//! The key figures above the chief's overview, as cards: the phenomena that moved most (the
//! count, its change against a year earlier with the verdict, the trend with its interval),
//! how many rose and fell, the indicators off track, the open Compstat decisions and how far
//! the data run. Every number is one the table or the attention list below already shows
//! (the same figures, from the same cache); a card only picks and words them.

use veilig_analysis::Verdict;
use veilig_query::attention::Item;
use veilig_query::figures::{Overview, PhenomenonFigures};

use crate::i18n::Tr;
use crate::view::{phen_name, verdict};

/// One card: a heading, a big figure, the lines under it, where it leads, and its class.
pub struct Card {
    pub heading: String,
    pub figure: String,
    pub lines: Vec<String>,
    pub href: String,
    pub class: &'static str,
}

fn moved(p: &PhenomenonFigures) -> bool {
    matches!(
        p.verdict,
        Verdict::SignificantlyHigher | Verdict::SignificantlyLower
    )
}

fn phenomenon_card(tr: &Tr, zone: &str, query: &str, p: &PhenomenonFigures) -> Card {
    let (word, class) = verdict(tr, p.verdict);
    let mut lines = vec![match p.change_pct {
        Some(c) => tr.args(
            "card-change",
            &[("change", tr.pct(c)), ("verdict", word.clone())],
        ),
        None => word,
    }];
    if let Some(t) = &p.trend {
        lines.push(tr.args(
            "card-trend",
            &[
                ("value", tr.pct(t.annual_change_pct)),
                ("low", tr.pct(t.annual_change_low_pct)),
                ("high", tr.pct(t.annual_change_high_pct)),
            ],
        ));
    }
    Card {
        heading: phen_name(tr.lang, &p.name_nl, &p.name_fr, &p.name_en).to_string(),
        figure: p.count.map_or_else(|| "–".into(), |n| tr.int(n)),
        lines,
        href: format!("/z/{zone}/p/{}{query}", p.code),
        class,
    }
}

/// The cards for the overview `o` and its attention list `items`.
pub fn cards(tr: &Tr, zone: &str, query: &str, o: &Overview, items: &[Item]) -> Vec<Card> {
    let mut movers: Vec<&PhenomenonFigures> = o.phenomena.iter().filter(|p| moved(p)).collect();
    movers.sort_by(|a, b| {
        let size = |p: &PhenomenonFigures| p.change_pct.map_or(0.0, f64::abs);
        size(b).total_cmp(&size(a))
    });
    let mut out: Vec<Card> = movers
        .iter()
        .take(2)
        .map(|p| phenomenon_card(tr, zone, query, p))
        .collect();
    let count = |v: Verdict| o.phenomena.iter().filter(|p| p.verdict == v).count();
    let (up, down) = (
        count(Verdict::SignificantlyHigher),
        count(Verdict::SignificantlyLower),
    );
    out.push(Card {
        heading: tr.t("card-moved"),
        figure: format!("↑ {up} · ↓ {down}"),
        lines: vec![tr.args("card-moved-of", &[("total", o.phenomena.len().to_string())])],
        href: "#figures-table".into(),
        class: if up > 0 { "up" } else { "flat" },
    });
    let off_track = items
        .iter()
        .filter(|i| matches!(i, Item::Indicator { .. }))
        .count();
    let decisions: Vec<bool> = items
        .iter()
        .filter_map(|i| match i {
            Item::Decision { overdue, .. } => Some(*overdue),
            _ => None,
        })
        .collect();
    if off_track > 0 {
        out.push(Card {
            heading: tr.t("card-indicators"),
            figure: off_track.to_string(),
            lines: vec![tr.t("card-indicators-line")],
            href: format!("/z/{zone}/plan/indicators"),
            class: "up",
        });
    }
    if !decisions.is_empty() {
        let late = decisions.iter().filter(|o| **o).count();
        out.push(Card {
            heading: tr.t("card-decisions"),
            figure: decisions.len().to_string(),
            lines: vec![tr.arg("card-decisions-late", "late", late)],
            href: format!("/z/{zone}/plan/reviews"),
            class: if late > 0 { "up" } else { "flat" },
        });
    }
    if let Some(through) = o.source.data_through {
        let late = items.iter().any(|i| matches!(i, Item::DataLate { .. }));
        out.push(Card {
            heading: tr.t("card-data"),
            figure: tr.date(through),
            lines: vec![tr.t(if late {
                "card-data-late"
            } else {
                "card-data-line"
            })],
            href: format!("/z/{zone}/data"),
            class: if late { "up" } else { "flat" },
        });
    }
    out
}
