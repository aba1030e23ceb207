//! SVG charts and maps as plain strings: no JavaScript, no fonts to install, the same output
//! for the CLI's HTML pages, the web application and PDF reports. Text passes through
//! [`esc`]; labels come from the caller, so they can be translated.
//!
//! Reports: [`doc`] is a report as plain data, [`pdf`] typesets it (typst lives only here).

mod charts;
pub mod doc;
mod estimates;
mod maps;
pub mod pdf;

pub use charts::{bars, heat_table, line_chart, month_bars, sparkline};
pub use estimates::{ProgressPoint, Whiskers, dot_whisker, progress_chart};
pub use maps::{CellLayer, cell_map, choropleth, grid_map};

/// Escapes text for SVG/HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number with `decimals` places and the reader's decimal mark (`,` in Dutch and French):
/// what a map's legend and tooltips print.
pub fn num(v: f64, decimals: usize, mark: char) -> String {
    format!("{v:.decimals$}").replace('.', &mark.to_string())
}

/// Sequential colour scale (light yellow to dark red, readable in greyscale) for `t` in 0..=1.
pub fn ramp(t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let stops = [
        (255.0, 255.0, 204.0),
        (253.0, 141.0, 60.0),
        (189.0, 0.0, 38.0),
        (90.0, 0.0, 20.0),
    ];
    let x = t * (stops.len() - 1) as f64;
    let i = (x.floor() as usize).min(stops.len() - 2);
    let f = x - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let c = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
    format!("#{:02x}{:02x}{:02x}", c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use veilig_analysis::hotspot::Grid;
    use veilig_analysis::picture::MonthPoint;
    use veilig_domain::MultiPolygon;
    use veilig_domain::Polygon;

    #[test]
    fn dot_and_whisker_draws_shown_estimates_and_leaves_gaps() {
        let cats = vec!["2018".to_string(), "2021".to_string()];
        let s = dot_whisker(
            &cats,
            &[
                Whiskers {
                    name: "Zone <BDM>",
                    points: vec![Some((0.12, 0.10, 0.15)), Some((0.14, 0.12, 0.17))],
                },
                Whiskers {
                    name: "Dessel",
                    points: vec![None, Some((0.15, 0.10, 0.21))],
                },
            ],
            "Onveilig",
        );
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        // Three estimates and two legend keys; the hidden one leaves a gap.
        assert_eq!(s.matches("<rect").count(), 5);
        assert_eq!(s.matches("<title>").count(), 3);
        assert!(s.contains("Zone &lt;BDM&gt;: 12.0 % (10.0–15.0 %)"));
    }

    #[test]
    fn svgs_are_well_formed_and_escape_text() {
        let series = vec![
            MonthPoint {
                month: "2024-01".into(),
                count: 5,
                expected: Some(4.0),
                band_low: Some(1),
                band_high: Some(9),
            },
            MonthPoint {
                month: "2024-02".into(),
                count: 7,
                expected: Some(4.0),
                band_low: Some(1),
                band_high: Some(9),
            },
        ];
        let s = line_chart(&series, "Inbraak <2024> & co", "95 %");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("Inbraak &lt;2024&gt; &amp; co"));
        let sp = sparkline(&[Some(1), Some(3), None, Some(2)], "trend");
        assert_eq!(
            sp.matches('M').count(),
            2,
            "a suppressed month breaks the line: {sp}"
        );
        assert_eq!(s.matches("<circle").count(), 2);
        let mut t = [[0.0; 24]; 7];
        t[0][8] = 3.0;
        let h = heat_table(&t, "uur", &["ma", "di", "wo", "do", "vr", "za", "zo"]);
        assert_eq!(h.matches("<rect").count(), 168);
        assert!(h.contains(&ramp(1.0)));
        let sq = MultiPolygon(vec![Polygon {
            exterior: vec![
                [0.0, 0.0],
                [100.0, 0.0],
                [100.0, 100.0],
                [0.0, 100.0],
                [0.0, 0.0],
            ],
            holes: vec![],
        }]);
        let c = choropleth(&[(&sq, Some(2.0), "W1".into())], "per 1.000", ',');
        assert!(c.contains("W1: 2,0"), "the reader's decimal mark");
        assert!(
            c.contains("paint-order") && c.matches("<rect").count() == 6,
            "legend and halo"
        );
        let mut g = Grid::covering(0.0, 0.0, 99.0, 99.0, 50.0);
        g.values[0] = 1.0;
        let m = grid_map(&g, &[&sq], Some(&["hot", "-", "-", "-"]), "hotspots", '.');
        assert!(m.contains("#d7301f") && m.matches("<rect").count() == 1 + 6);
    }

    #[test]
    fn ramp_ends() {
        assert_eq!(ramp(0.0), "#ffffcc");
        assert_eq!(ramp(1.0), "#5a0014");
        assert_eq!(ramp(7.0), ramp(1.0));
    }

    #[test]
    fn a_progress_chart_draws_every_period_and_the_path() {
        let p = |label: &str, value: f64, path: f64, baseline: bool| ProgressPoint {
            label: label.into(),
            value,
            interval: Some((value * 0.9, value * 1.1)),
            path,
            baseline,
        };
        let svg = progress_chart(
            &[
                p("2023", 287.0, 287.0, true),
                p("2024", 250.0, 282.0, false),
                p("2025", 203.0, 277.0, false),
            ],
            "Woninginbraak <zone>",
            "pad",
            ',',
        );
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains("&lt;zone&gt;") && svg.contains("fill=\"#fff\""));
        assert!(svg.contains("2025: 203,0"), "the reader's decimal mark");
    }
}
