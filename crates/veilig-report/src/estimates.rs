//! Estimates with their intervals: dots and whiskers per category, and an indicator's
//! progress towards its target.

use std::fmt::Write;

use crate::esc;

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
/// baseline to target (dashed), periods on the x axis; numbers carry the reader's decimal
/// `mark`.
pub fn progress_chart(
    points: &[ProgressPoint],
    title: &str,
    path_label: &str,
    mark: char,
) -> String {
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
                format!("{} %", crate::num(p.value * 100.0, 1, mark))
            } else {
                crate::num(p.value, 1, mark)
            }
        );
    }
    s.push_str("</svg>");
    s
}
