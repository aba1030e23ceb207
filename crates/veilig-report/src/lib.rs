//! SVG charts and maps as plain strings: no JavaScript, no fonts to install, the same output
//! for the CLI's HTML pages, the web application and PDF reports. Text passes through
//! [`esc`]; labels come from the caller, so they can be translated.
//!
//! Reports: [`doc`] is a report as plain data, [`pdf`] typesets it (typst lives only here).

use std::fmt::Write;

pub mod doc;
pub mod pdf;

use veilig_analysis::hotspot::Grid;
use veilig_analysis::picture::MonthPoint;
use veilig_domain::MultiPolygon;

/// Escapes text for SVG/HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

/// A small line of values without axes (the overview's trend cell). Missing values (None:
/// suppressed) break the line. `label` is the accessible name.
pub fn sparkline(values: &[Option<u64>], label: &str) -> String {
    let (w, h) = (120.0, 28.0);
    let max = values.iter().flatten().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len().max(2) as f64 - 1.0;
    let mut d = String::new();
    let mut pen_up = true;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => {
                let x = 1.0 + (w - 2.0) * i as f64 / n;
                let y = h - 2.0 - (h - 4.0) * *v as f64 / max;
                let _ = write!(d, "{}{x:.1},{y:.1} ", if pen_up { "M" } else { "L" });
                pen_up = false;
            }
            None => pen_up = true,
        }
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}"><path d="{d}" fill="none" stroke="#1d4f91" stroke-width="1.5"/></svg>"##,
        esc(label)
    )
}

/// Five labelled grid lines from 0 to `max` across `x` (left, right); `y` maps a value to
/// its height.
fn value_axis(s: &mut String, max: f64, x: (f64, f64), y: impl Fn(f64) -> f64) {
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<text x="{}" y="{:.1}" text-anchor="end" fill="#444">{:.0}</text><line x1="{}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/>"##,
            x.0 - 6.0,
            y(v) + 4.0,
            v,
            x.0,
            x.1,
            y(v),
            y(v)
        );
    }
}

/// Published monthly counts as bars (`YYYY-MM`, count); a hidden month (None) is marked on
/// the axis with `hidden_label`'s sign rather than drawn as zero. January carries its year.
pub fn month_bars(series: &[(String, Option<u64>)], title: &str, hidden_label: &str) -> String {
    bars(series, title, hidden_label, |m| {
        m.ends_with("-01").then(|| m[..4.min(m.len())].to_string())
    })
}

/// Counts as bars with a label under each bar `axis` names; hidden values (None) are marked.
pub fn bars(
    series: &[(String, Option<u64>)],
    title: &str,
    hidden_label: &str,
    axis: impl Fn(&str) -> Option<String>,
) -> String {
    let (w, h, l, r, t, b) = (720.0, 240.0, 48.0, 12.0, 28.0, 36.0);
    let max = series.iter().filter_map(|p| p.1).max().unwrap_or(0).max(1) as f64 * 1.1;
    let n = series.len().max(1) as f64;
    let step = (w - l - r) / n;
    let y = |v: f64| t + (h - t - b) * (1.0 - v / max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11"><text x="{l}" y="16" font-size="13" font-weight="bold">{}</text>"#,
        esc(title),
        esc(title)
    );
    value_axis(&mut s, max, (l, w - r), y);
    for (i, (month, v)) in series.iter().enumerate() {
        let x0 = l + step * i as f64 + step * 0.15;
        match v {
            Some(v) => {
                let _ = write!(
                    s,
                    r##"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#1d4f91"><title>{}: {v}</title></rect>"##,
                    y(*v as f64),
                    step * 0.7,
                    y(0.0) - y(*v as f64),
                    esc(month)
                );
            }
            None => {
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#b00020">×<title>{}: {}</title></text>"##,
                    x0 + step * 0.35,
                    y(0.0) - 3.0,
                    esc(month),
                    esc(hidden_label)
                );
            }
        }
        if let Some(label) = axis(month) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" text-anchor="start" fill="#444">{}</text>"##,
                x0,
                h - 14.0,
                esc(&label)
            );
        }
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="end" fill="#b00020">× {}</text></svg>"##,
        w - r,
        h - 2.0,
        esc(hidden_label)
    );
    s
}

/// Monthly counts as a line, with the expected value (dashed) and its 95 % band (shaded).
pub fn line_chart(series: &[MonthPoint], title: &str, band_label: &str) -> String {
    let (w, h, l, r, t, b) = (720.0, 260.0, 48.0, 12.0, 28.0, 36.0);
    let max = series
        .iter()
        .map(|p| (p.count as f64).max(p.band_high.unwrap_or(0) as f64))
        .fold(1.0, f64::max)
        * 1.1;
    let n = series.len().max(2) as f64 - 1.0;
    let x = |i: usize| l + (w - l - r) * i as f64 / n;
    let y = |v: f64| t + (h - t - b) * (1.0 - v / max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"#,
        esc(title)
    );
    let _ = write!(
        s,
        r#"<text x="{l}" y="16" font-size="13" font-weight="bold">{}</text>"#,
        esc(title)
    );
    // The band: upper edge left to right, lower edge back.
    let banded: Vec<(usize, &MonthPoint)> = series
        .iter()
        .enumerate()
        .filter(|(_, p)| p.band_low.is_some())
        .collect();
    if !banded.is_empty() {
        let mut d = String::new();
        for (k, (i, p)) in banded.iter().enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1} ",
                if k == 0 { "M" } else { "L" },
                x(*i),
                y(p.band_high.unwrap_or(0) as f64)
            );
        }
        for (i, p) in banded.iter().rev() {
            let _ = write!(d, "L{:.1},{:.1} ", x(*i), y(p.band_low.unwrap_or(0) as f64));
        }
        let _ = write!(
            s,
            r##"<path d="{d}Z" fill="#c6dbef" stroke="none"><title>{}</title></path>"##,
            esc(band_label)
        );
        let pts: Vec<String> = banded
            .iter()
            .map(|(i, p)| format!("{:.1},{:.1}", x(*i), y(p.expected.unwrap_or(0.0))))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#4a78a8" stroke-dasharray="4 3"/>"##,
            pts.join(" ")
        );
    }
    let pts: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.count as f64)))
        .collect();
    let _ = write!(
        s,
        r##"<polyline points="{}" fill="none" stroke="#1b1b1b" stroke-width="1.6"/>"##,
        pts.join(" ")
    );
    for (i, p) in series.iter().enumerate() {
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="1.8"><title>{}: {}</title></circle>"#,
            x(i),
            y(p.count as f64),
            esc(&p.month),
            p.count
        );
        if p.month.ends_with("-01") {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#444">{}</text>"##,
                x(i),
                h - 14.0,
                esc(&p.month[..4])
            );
        }
    }
    value_axis(&mut s, max, (l, w - r), y);
    s.push_str("</svg>");
    s
}

/// The hour × weekday table as coloured cells with the values in their titles.
pub fn heat_table(table: &[[f64; 24]; 7], title: &str, day_labels: &[&str; 7]) -> String {
    let (cw, ch, l, t) = (26.0, 22.0, 40.0, 40.0);
    let max = table
        .iter()
        .flatten()
        .copied()
        .fold(0.0, f64::max)
        .max(1e-9);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}" font-family="sans-serif" font-size="10">"#,
        l + 24.0 * cw + 8.0,
        t + 7.0 * ch + 8.0,
        esc(title)
    );
    let _ = write!(
        s,
        r#"<text x="{l}" y="16" font-size="13" font-weight="bold">{}</text>"#,
        esc(title)
    );
    for hour in 0..24 {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{hour}</text>"#,
            l + (hour as f64 + 0.5) * cw,
            t - 6.0
        );
    }
    for (d, row) in table.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            l - 6.0,
            t + (d as f64 + 0.7) * ch,
            esc(day_labels[d])
        );
        for (hour, v) in row.iter().enumerate() {
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{cw}" height="{ch}" fill="{}" stroke="#fff"><title>{} {hour}h: {:.1}</title></rect>"##,
                l + hour as f64 * cw,
                t + d as f64 * ch,
                ramp(v / max),
                esc(day_labels[d]),
                v
            );
        }
    }
    s.push_str("</svg>");
    s
}

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

/// Areas coloured by a value (a rate, a count), labelled, with the value in each title.
pub fn choropleth(areas: &[(&MultiPolygon, Option<f64>, String)], title: &str) -> String {
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
            .map(|x| format!("{x:.1}"))
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
    legend(&mut s, 8.0, v.h - 40.0, 0.0, max);
    s.push_str("</svg>");
    s
}

/// A five-step legend of the colour ramp from `lo` to `hi`, drawn at (x, y).
fn legend(s: &mut String, x: f64, y: f64, lo: f64, hi: f64) {
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
            r##"<rect x="{left:.1}" y="{y:.1}" width="44" height="12" fill="{}" stroke="#666" stroke-width="0.5"/><text x="{:.1}" y="{:.1}" text-anchor="middle">{:.1}</text>"##,
            ramp(t),
            left + 22.0,
            y + 25.0,
            lo + t * (hi - lo)
        );
    }
    s.push_str("</g>");
}

/// A grid of values (counts or density) over the area outlines; with `classes`, Gi* hot and
/// cold cells are outlined in red and blue.
pub fn grid_map(
    grid: &Grid,
    outlines: &[&MultiPolygon],
    classes: Option<&[&str]>,
    title: &str,
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
            r#"<rect x="{x:.1}" y="{y:.1}" width="{cs:.2}" height="{cs:.2}" fill="{}"{stroke}><title>{val:.2}{}</title></rect>"#,
            ramp(val / max),
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
    legend(&mut s, 8.0, v.h - 40.0, 0.0, max);
    s.push_str("</svg>");
    s
}

/// One series of a dot-and-whisker chart: its name and, per category on the x axis, the
/// estimate with its interval (None where it is not shown).
pub struct Whiskers<'a> {
    pub name: &'a str,
    pub points: Vec<Option<(f64, f64, f64)>>,
}

/// Estimates with their intervals as squares and whiskers (proportions, 0-1 shown as percent):
/// the categories (waves) on the x axis, one colour per series (zone, municipalities) side
/// by side. A missing point (not shown under the small-sample rule) leaves a gap.
pub fn dot_whisker(categories: &[String], series: &[Whiskers], title: &str) -> String {
    let (w, h, l, r, t, b) = (560.0, 220.0, 44.0, 12.0, 28.0, 52.0);
    let colours = [
        "#1d4f91", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085",
    ];
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().flatten().map(|p| p.2))
        .fold(0.05, f64::max)
        * 1.1;
    let y = |v: f64| t + (h - t - b) * (1.0 - v / max);
    let slot = (w - l - r) / categories.len().max(1) as f64;
    let step = slot / (series.len() + 1) as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"#,
        esc(title)
    );
    let _ = write!(
        s,
        r#"<text x="{l}" y="16" font-weight="bold">{}</text>"#,
        esc(title)
    );
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{l}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{:.0} %</text>"##,
            w - r,
            l - 4.0,
            y(v) + 4.0,
            v * 100.0,
            y = y(v)
        );
    }
    for (c, cat) in categories.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            l + slot * (c as f64 + 0.5),
            h - b + 16.0,
            esc(cat)
        );
        for (k, ser) in series.iter().enumerate() {
            let Some(Some((est, lo, hi))) = ser.points.get(c) else {
                continue;
            };
            let x = l + slot * c as f64 + step * (k as f64 + 1.0);
            let col = colours[k % colours.len()];
            let _ = write!(
                s,
                r#"<g><title>{}: {:.1} % ({:.1}–{:.1} %)</title><line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="{col}" stroke-width="2"/><rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{col}"/></g>"#,
                esc(ser.name),
                est * 100.0,
                lo * 100.0,
                hi * 100.0,
                y(*lo),
                y(*hi),
                x - 4.0,
                y(*est) - 4.0
            );
        }
    }
    // Legend.
    let mut lx = l;
    for (k, ser) in series.iter().enumerate() {
        let col = colours[k % colours.len()];
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{col}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx,
            h - 18.0,
            lx + 12.0,
            h - 10.0,
            esc(ser.name)
        );
        lx += 24.0 + 7.0 * ser.name.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}

/// One period of an indicator: its label, value and interval (if any), and where the target's
/// path stands at its end.
pub struct ProgressPoint {
    pub label: String,
    pub value: f64,
    pub interval: Option<(f64, f64)>,
    pub path: f64,
    /// Baseline period (drawn hollow).
    pub baseline: bool,
}

/// An indicator's measurements (squares with their intervals) against the straight path from
/// baseline to target (dashed), periods on the x axis.
pub fn progress_chart(points: &[ProgressPoint], title: &str, path_label: &str) -> String {
    let (w, h, l, r, t, b) = (560.0, 200.0, 52.0, 12.0, 28.0, 40.0);
    let max = points
        .iter()
        .map(|p| p.interval.map_or(p.value, |i| i.1).max(p.path))
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.1;
    let y = |v: f64| t + (h - t - b) * (1.0 - v / max);
    let slot = (w - l - r) / points.len().max(1) as f64;
    let x = |i: usize| l + slot * (i as f64 + 0.5);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11"><text x="{l}" y="16" font-weight="bold">{}</text>"#,
        esc(title),
        esc(title)
    );
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{l}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{}</text>"##,
            w - r,
            l - 4.0,
            y(v) + 4.0,
            if max < 2.0 {
                format!("{:.0} %", v * 100.0)
            } else {
                format!("{v:.0}")
            },
            yy = y(v)
        );
    }
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.path)))
        .collect();
    let _ = write!(
        s,
        r##"<polyline points="{}" fill="none" stroke="#888" stroke-dasharray="5 4" stroke-width="1.5"><title>{}</title></polyline>"##,
        path.join(" "),
        esc(path_label)
    );
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            h - b + 16.0,
            esc(&p.label)
        );
        if let Some((lo, hi)) = p.interval {
            let _ = write!(
                s,
                r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="{:.1}" y2="{:.1}" stroke="#1d4f91" stroke-width="2"/>"##,
                y(lo),
                y(hi),
                xx = x(i)
            );
        }
        let fill = if p.baseline { "#fff" } else { "#1d4f91" };
        let _ = write!(
            s,
            r##"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{fill}" stroke="#1d4f91"><title>{}: {}</title></rect>"##,
            x(i) - 4.0,
            y(p.value) - 4.0,
            esc(&p.label),
            if max < 2.0 {
                format!("{:.1} %", p.value * 100.0)
            } else {
                format!("{:.1}", p.value)
            }
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let c = choropleth(&[(&sq, Some(2.0), "W1".into())], "per 1.000");
        assert!(c.contains("W1: 2.0"));
        assert!(
            c.contains("paint-order") && c.matches("<rect").count() == 6,
            "legend and halo"
        );
        let mut g = Grid::covering(0.0, 0.0, 99.0, 99.0, 50.0);
        g.values[0] = 1.0;
        let m = grid_map(&g, &[&sq], Some(&["hot", "-", "-", "-"]), "hotspots");
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
        );
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains("&lt;zone&gt;") && svg.contains("fill=\"#fff\""));
    }
}
