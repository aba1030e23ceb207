//! Charts over time and by hour: sparklines, monthly bars, the monthly line with its
//! expected band, the hour × weekday heat table.

use std::fmt::Write;

use veilig_analysis::picture::MonthPoint;

use crate::{esc, ramp};

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

/// The value axis of counts up to `max`: a round step (1, 2 or 5 times a power of ten, at
/// least 1) giving at most five intervals, and the top grid line, the first multiple of the
/// step at or above `max` (the chart's scale, so every grid line is labelled truly).
pub fn nice_axis(max: f64) -> (f64, f64) {
    let raw = (max / 5.0).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let top = ((max / step).ceil() * step).max(step);
    (top, step)
}

/// The grid lines of the axis up to `top` every `step`, each labelled with its value;
/// across `x` (left, right); `y` maps a value to its height.
fn value_axis(s: &mut String, (top, step): (f64, f64), x: (f64, f64), y: impl Fn(f64) -> f64) {
    let lines = (top / step).round() as u64;
    for k in 0..=lines {
        let v = step * k as f64;
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
    let axis_scale = nice_axis(series.iter().filter_map(|p| p.1).max().unwrap_or(0).max(1) as f64);
    let max = axis_scale.0;
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
    value_axis(&mut s, axis_scale, (l, w - r), y);
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
    let axis_scale = nice_axis(
        series
            .iter()
            .map(|p| (p.count as f64).max(p.band_high.unwrap_or(0) as f64))
            .fold(1.0, f64::max),
    );
    let max = axis_scale.0;
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
    value_axis(&mut s, axis_scale, (l, w - r), y);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_has_round_steps_and_a_top_at_or_above_the_data() {
        assert_eq!(nice_axis(6.6), (8.0, 2.0));
        assert_eq!(nice_axis(74.0), (80.0, 20.0));
        assert_eq!(nice_axis(629.0), (800.0, 200.0));
        assert_eq!(nice_axis(1.0), (1.0, 1.0));
        for max in [3.0, 9.0, 17.0, 44.0, 101.0, 999.0, 12_345.0] {
            let (top, step) = nice_axis(max);
            assert!(top >= max && top / step <= 6.0, "{max}: {top} {step}");
            let m = step / 10f64.powf(step.log10().floor());
            assert!(
                [1.0, 2.0, 5.0].iter().any(|x| (m - x).abs() < 1e-9),
                "{step}"
            );
        }
    }
}
