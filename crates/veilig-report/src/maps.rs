//! Maps: areas coloured by a rate, and a grid of values over the areas' outlines.

use std::fmt::Write;

use veilig_analysis::hotspot::Grid;
use veilig_domain::MultiPolygon;

use crate::{esc, ramp};

/// Opens a map's SVG: the view's box with room for the title above it.
fn map_open(v: &View, title: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 -24 {:.0} {:.0}" role="img" aria-label="{t}" font-family="sans-serif" font-size="10"><text x="0" y="-8" font-size="13" font-weight="bold">{t}</text>"#,
        v.w,
        v.h + 24.0,
        t = esc(title)
    )
}

/// Projects map coordinates (metres) into an SVG box, y up.
struct View {
    min_x: f64,
    max_y: f64,
    scale: f64,
    w: f64,
    h: f64,
}

impl View {
    fn new(min_x: f64, min_y: f64, max_x: f64, max_y: f64, width: f64) -> View {
        let scale = width / (max_x - min_x).max(1.0);
        View {
            min_x,
            max_y,
            scale,
            w: width,
            h: ((max_y - min_y) * scale).max(1.0),
        }
    }
    fn pt(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.min_x) * self.scale, (self.max_y - y) * self.scale)
    }
    fn path(&self, g: &MultiPolygon) -> String {
        let mut d = String::new();
        for p in &g.0 {
            for ring in std::iter::once(&p.exterior).chain(p.holes.iter()) {
                for (k, &[x, y]) in ring.iter().enumerate() {
                    let (a, b) = self.pt(x, y);
                    let _ = write!(d, "{}{a:.1},{b:.1}", if k == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        d
    }
}

fn extent<'a>(shapes: impl Iterator<Item = &'a MultiPolygon>) -> Option<(f64, f64, f64, f64)> {
    let mut b = veilig_domain::BBox::EMPTY;
    for s in shapes {
        b = b.union(&s.bbox());
    }
    b.min_x
        .is_finite()
        .then_some((b.min_x, b.min_y, b.max_x, b.max_y))
}

/// Areas coloured by a value (a rate, a count), labelled, with the value in each title;
/// numbers carry the reader's decimal `mark`.
pub fn choropleth(
    areas: &[(&MultiPolygon, Option<f64>, String)],
    title: &str,
    mark: char,
) -> String {
    let Some((a, b, c, d)) = extent(areas.iter().map(|x| x.0)) else {
        return String::new();
    };
    let v = View::new(a, b, c, d, 560.0);
    let max = areas
        .iter()
        .filter_map(|x| x.1)
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut s = map_open(&v, title);
    for (shape, value, label) in areas {
        let fill = value
            .map(|x| ramp(x / max))
            .unwrap_or_else(|| "#eeeeee".into());
        let shown = value
            .map(|x| crate::num(x, 1, mark))
            .unwrap_or_else(|| "-".into());
        let _ = write!(
            s,
            r##"<path d="{}" fill="{fill}" stroke="#333" stroke-width="0.8"><title>{}: {shown}</title></path>"##,
            v.path(shape),
            esc(label)
        );
        let bb = shape.bbox();
        let (cx, cy) = v.pt((bb.min_x + bb.max_x) / 2.0, (bb.min_y + bb.max_y) / 2.0);
        // Dark text with a white halo stays readable on every fill (WCAG contrast).
        let _ = write!(
            s,
            r##"<text x="{cx:.1}" y="{cy:.1}" text-anchor="middle" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
            esc(label)
        );
    }
    legend(&mut s, (8.0, v.h - 40.0), (0.0, max), mark);
    s.push_str("</svg>");
    s
}

/// A five-step legend of the colour ramp from `lo` to `hi`, drawn at (x, y).
fn legend(s: &mut String, (x, y): (f64, f64), (lo, hi): (f64, f64), mark: char) {
    let _ = write!(
        s,
        r##"<g font-size="10"><rect x="{}" y="{}" width="232" height="34" fill="#fff" fill-opacity="0.85" stroke="#999"/>"##,
        x - 4.0,
        y - 4.0
    );
    for k in 0..5 {
        let t = k as f64 / 4.0;
        let left = x + k as f64 * 45.0;
        let _ = write!(
            s,
            r##"<rect x="{left:.1}" y="{y:.1}" width="44" height="12" fill="{}" stroke="#666" stroke-width="0.5"/><text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            ramp(t),
            left + 22.0,
            y + 25.0,
            crate::num(lo + t * (hi - lo), 1, mark)
        );
    }
    s.push_str("</g>");
}

/// A grid of values (counts or density) over the area outlines; with `classes`, Gi* hot and
/// cold cells are outlined in red and blue. Numbers carry the reader's decimal `mark`.
pub fn grid_map(
    grid: &Grid,
    outlines: &[&MultiPolygon],
    classes: Option<&[&str]>,
    title: &str,
    mark: char,
) -> String {
    let (gx1, gy1) = (
        grid.x0 + grid.nx as f64 * grid.cell,
        grid.y0 + grid.ny as f64 * grid.cell,
    );
    let (a, b, c, d) = match extent(outlines.iter().copied()) {
        Some((a, b, c, d)) => (a.min(grid.x0), b.min(grid.y0), c.max(gx1), d.max(gy1)),
        None => (grid.x0, grid.y0, gx1, gy1),
    };
    let v = View::new(a, b, c, d, 640.0);
    let max = grid.values.iter().copied().fold(0.0, f64::max).max(1e-9);
    let cs = grid.cell * v.scale;
    let mut s = map_open(&v, title);
    for (i, val) in grid.values.iter().enumerate() {
        let class = classes.map(|c| c[i]).unwrap_or("-");
        if *val <= 0.0 && class == "-" {
            continue;
        }
        let (cx, cy) = grid.centre(i);
        let (x, y) = v.pt(cx - grid.cell / 2.0, cy + grid.cell / 2.0);
        let stroke = match class {
            "hot" => r##" stroke="#d7301f" stroke-width="1.5""##,
            "cold" => r##" stroke="#2171b5" stroke-width="1.5""##,
            _ => "",
        };
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{cs:.2}" height="{cs:.2}" fill="{}"{stroke}><title>{}{}</title></rect>"#,
            ramp(val / max),
            crate::num(*val, 2, mark),
            if class == "-" {
                String::new()
            } else {
                format!(" ({class})")
            }
        );
    }
    for o in outlines {
        let _ = write!(
            s,
            r##"<path d="{}" fill="none" stroke="#333" stroke-width="0.8"/>"##,
            v.path(o)
        );
    }
    legend(&mut s, (8.0, v.h - 40.0), (0.0, max), mark);
    s.push_str("</svg>");
    s
}

/// One layer of a cell map: the centres of its cells, how they are drawn, and the legend's
/// words for them.
pub struct CellLayer<'a> {
    pub centres: &'a [(f64, f64)],
    /// `filled` cells are painted; the others are drawn as a thick outline, so a cell in both
    /// layers shows both.
    pub filled: bool,
    pub colour: &'a str,
    pub label: &'a str,
}

/// Square cells (`cell` metres, by their centres) over the named area outlines, each layer
/// in its colour, with a legend naming the layers: next week's likeliest cells beside the
/// naive count's.
pub fn cell_map(
    outlines: &[(&MultiPolygon, &str)],
    cell: f64,
    layers: &[CellLayer],
    title: &str,
) -> String {
    let half = cell / 2.0;
    let mut b = veilig_domain::BBox::EMPTY;
    for (shape, _) in outlines {
        b = b.union(&shape.bbox());
    }
    for l in layers {
        for &(x, y) in l.centres {
            b = b.union(&veilig_domain::BBox {
                min_x: x - half,
                min_y: y - half,
                max_x: x + half,
                max_y: y + half,
            });
        }
    }
    if !b.min_x.is_finite() {
        return String::new();
    }
    let v = View::new(b.min_x, b.min_y, b.max_x, b.max_y, 640.0);
    let mut s = map_open(&v, title);
    for (shape, _) in outlines {
        let _ = write!(
            s,
            r##"<path d="{}" fill="#f4f4f4" stroke="#555" stroke-width="0.8"/>"##,
            v.path(shape)
        );
    }
    let side = (cell * v.scale).max(2.0);
    for l in layers {
        for &(cx, cy) in l.centres {
            let (x, y) = v.pt(cx - half, cy + half);
            let paint = if l.filled {
                format!(r#"fill="{}" fill-opacity="0.85""#, l.colour)
            } else {
                format!(r#"fill="none" stroke="{}" stroke-width="2""#, l.colour)
            };
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{side:.1}" height="{side:.1}" {paint}><title>{}</title></rect>"#,
                esc(l.label)
            );
        }
    }
    for (shape, name) in outlines {
        let bb = shape.bbox();
        let (cx, cy) = v.pt((bb.min_x + bb.max_x) / 2.0, (bb.min_y + bb.max_y) / 2.0);
        let _ = write!(
            s,
            r##"<text x="{cx:.1}" y="{cy:.1}" text-anchor="middle" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
            esc(name)
        );
    }
    let (x, mut y) = (8.0, v.h - 8.0 - 16.0 * layers.len() as f64);
    for l in layers {
        let paint = if l.filled {
            format!(r#"fill="{}""#, l.colour)
        } else {
            format!(r##"fill="#fff" stroke="{}" stroke-width="2""##, l.colour)
        };
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="12" height="12" {paint}/><text x="{:.1}" y="{:.1}" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
            x + 18.0,
            y + 10.0,
            esc(l.label)
        );
        y += 16.0;
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, side: f64) -> MultiPolygon {
        let ring = vec![
            [x, y],
            [x + side, y],
            [x + side, y + side],
            [x, y + side],
            [x, y],
        ];
        MultiPolygon(vec![veilig_domain::Polygon {
            exterior: ring,
            holes: Vec::new(),
        }])
    }

    #[test]
    fn a_cell_map_names_its_areas_and_both_layers() {
        let wijk = square(0.0, 0.0, 1000.0);
        let ours = [(150.0, 150.0), (450.0, 850.0)];
        let naive = [(150.0, 150.0)];
        let svg = cell_map(
            &[(&wijk, "Centrum")],
            100.0,
            &[
                CellLayer {
                    centres: &ours,
                    filled: true,
                    colour: "#b2182b",
                    label: "Poisson & co",
                },
                CellLayer {
                    centres: &naive,
                    filled: false,
                    colour: "#2166ac",
                    label: "naïef",
                },
            ],
            "Volgende week",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(">Centrum</text>"));
        assert!(svg.contains("Poisson &amp; co"), "labels are escaped");
        assert_eq!(
            svg.matches("<rect").count(),
            3 + 2,
            "three cells and two legend keys"
        );
        assert!(cell_map(&[], 100.0, &[], "leeg").is_empty());
    }
}
