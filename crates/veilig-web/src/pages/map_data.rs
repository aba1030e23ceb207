//! What the Leaflet map of a phenomenon says beside its shapes, in the reader's words: each
//! wijk's figures (the same cells as the page's wijk table, hidden as there) and its link, the
//! colour of its rate class, the legends of both layers, and the wijk a filter zooms to. The
//! page carries it in data attributes (JSON), so the script needs no words of its own.

use serde_json::{Map, Value, json};
use veilig_query::figures::AreaFigures;

use crate::i18n::Tr;
use veilig_disclosure::Status;

/// Rate classes of the wijk layer.
const CLASSES: usize = 5;

pub struct MapData {
    /// `{code: {t: text, h: link, f: fill}}` per wijk with figures.
    pub wijken: String,
    /// `[{c: colour, l: label}]`: the rate classes, then "no figure".
    pub legend: String,
    /// The title of the wijk layer's legend.
    pub legend_title: String,
    /// `[{c, l}]`: the concentration layer's three levels.
    pub legend_hot: String,
    /// The wijk the page is filtered on (the map zooms to it), or empty.
    pub focus: String,
}

/// A count as the wijk table shows it, in words: the number, "x" when hidden so that
/// another cannot be derived, "< threshold" under the threshold.
fn count_text(tr: &Tr, a: &AreaFigures, threshold: u64) -> String {
    match (a.count, a.status) {
        (Some(n), _) => tr.int(n),
        (None, Status::Secondary) => "x".into(),
        (None, _) => format!("< {threshold}"),
    }
}

fn class_of(rate: f64, max: f64) -> usize {
    ((rate / max * CLASSES as f64).floor() as usize).min(CLASSES - 1)
}

fn fill(class: usize) -> String {
    veilig_report::ramp((class as f64 + 0.5) / CLASSES as f64)
}

pub fn map_data(
    tr: &Tr,
    areas: &[AreaFigures],
    threshold: u64,
    href: &dyn Fn(&str) -> String,
    focus: Option<&str>,
) -> MapData {
    let max = areas
        .iter()
        .filter_map(|a| a.rate_per_1000)
        .fold(0.0, f64::max);
    let mut wijken = Map::new();
    for a in areas {
        let rate = a.rate_per_1000.map_or_else(|| "–".into(), |r| tr.dec(r, 1));
        let text = tr.args(
            "map-wijk-figures",
            &[("count", count_text(tr, a, threshold)), ("rate", rate)],
        );
        let colour = match a.rate_per_1000 {
            Some(r) if max > 0.0 => fill(class_of(r, max)),
            _ => "#eeeeee".into(),
        };
        wijken.insert(
            a.code.clone(),
            json!({"t": text, "h": href(&a.code), "f": colour}),
        );
    }
    let mut legend: Vec<Value> = Vec::new();
    if max > 0.0 {
        let step = max / CLASSES as f64;
        for k in 0..CLASSES {
            let (lo, hi) = (k as f64 * step, (k + 1) as f64 * step);
            let label = format!("{} – {}", tr.dec(lo, 1), tr.dec(hi, 1));
            legend.push(json!({"c": fill(k), "l": label}));
        }
    }
    legend.push(json!({"c": "#eeeeee", "l": tr.t("map-no-figure")}));
    let hot = [
        ("#5a0014", "map-hot-high"),
        ("#bd0026", "map-hot-mid"),
        ("#fd8d3c", "map-hot-low"),
    ]
    .map(|(c, key)| json!({"c": c, "l": tr.t(key)}));
    MapData {
        wijken: Value::Object(wijken).to_string(),
        legend: Value::Array(legend).to_string(),
        legend_title: tr.t("chart-rates"),
        legend_hot: Value::Array(hot.to_vec()).to_string(),
        focus: focus.unwrap_or_default().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_classes_cover_zero_to_the_highest_rate() {
        assert_eq!(class_of(0.0, 10.0), 0);
        assert_eq!(class_of(1.99, 10.0), 0);
        assert_eq!(class_of(2.0, 10.0), 1);
        assert_eq!(class_of(10.0, 10.0), CLASSES - 1);
    }
}
