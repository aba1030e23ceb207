//! An indicator's course as every page and report shows it: its values in the reader's
//! words, and its measurements (the newest revision of each period, as they stood on a day)
//! against the straight path from baseline to target, ready for
//! [`veilig_report::progress_chart`].

use chrono::{Datelike, NaiveDate};
use veilig_i18n::Tr;
use veilig_report::ProgressPoint;
use veilig_store::MeasurementRow;

use super::IndicatorStatus;

/// A value in the indicator's unit, as the reader writes it: a count without decimals when
/// it is whole, a share in per cent, a rate per 1,000 inhabitants, minutes.
pub fn value_text(tr: &Tr, unit: &str, v: f64) -> String {
    let whole = |v: f64| if v.fract() == 0.0 { 0 } else { 1 };
    match unit {
        "count" => tr.dec(v, whole(v)),
        "per-1000-inhabitants" => tr.args("report-ind-per-1000", &[("v", tr.dec(v, 2))]),
        "share" | "proportion" => format!("{} %", tr.dec(v * 100.0, 1)),
        "minutes" => tr.args("report-ind-minutes", &[("v", tr.dec(v, 1))]),
        other => format!("{} {other}", tr.dec(v, whole(v))),
    }
}

/// The newest revision of each period (ending by `through`, when given), oldest first.
pub fn newest_revisions(s: &IndicatorStatus, through: Option<NaiveDate>) -> Vec<&MeasurementRow> {
    let mut periods: Vec<&MeasurementRow> = Vec::new();
    for m in s
        .measurements
        .iter()
        .filter(|m| through.is_none_or(|t| m.period_end <= t))
    {
        match periods
            .iter_mut()
            .find(|p| p.period_start == m.period_start && p.period_end == m.period_end)
        {
            Some(p) if p.revision < m.revision => *p = m,
            Some(_) => {}
            None => periods.push(m),
        }
    }
    periods
}

/// The period's label: the year for a calendar year, else its quarter.
fn label(tr: &Tr, m: &MeasurementRow) -> String {
    if m.period_end.month() == 12 && m.period_start.month() == 1 {
        m.period_start.year().to_string()
    } else {
        tr.args(
            "ind-quarter",
            &[
                ("q", (m.period_start.month0() / 3 + 1).to_string()),
                ("year", m.period_start.year().to_string()),
            ],
        )
    }
}

/// The measurements (by `through`) against the path; the path of a period with other
/// exposure than the baseline's is scaled by the ratio of their days.
pub fn progress_points(
    s: &IndicatorStatus,
    tr: &Tr,
    through: Option<NaiveDate>,
) -> Vec<ProgressPoint> {
    let b = &s.baseline;
    points(
        &newest_revisions(s, through),
        (b.from, b.to, b.value),
        |base, end| s.definition.path_value(base, end),
        |m| label(tr, m),
    )
}

/// [`progress_points`] over given periods, baseline `(from, to, value)` and path.
fn points(
    periods: &[&MeasurementRow],
    (from, to, base): (NaiveDate, NaiveDate, Option<f64>),
    path: impl Fn(f64, NaiveDate) -> f64,
    label: impl Fn(&MeasurementRow) -> String,
) -> Vec<ProgressPoint> {
    // The baseline's own period (a quarter starting the same day is not it).
    let base_days = periods
        .iter()
        .find(|m| m.period_start == from && m.period_end == to)
        .and_then(|m| m.exposure_days);
    periods
        .iter()
        .map(|m| {
            let scale = match (m.exposure_days, base_days) {
                (Some(a), Some(b)) if b > 0.0 => a / b,
                _ => 1.0,
            };
            ProgressPoint {
                label: label(m),
                value: m.value,
                interval: m.low.zip(m.high),
                path: base.map_or(m.value, |b| path(b, m.period_end) * scale),
                baseline: m.period_start == from && m.period_end == to,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use veilig_store::MeasurementRow;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(from: &str, to: &str, value: f64, days: f64) -> MeasurementRow {
        MeasurementRow {
            id: 0,
            indicator_id: 0,
            period_start: d(from),
            period_end: d(to),
            revision: 1,
            value,
            low: None,
            high: None,
            count: Some(value as i64),
            exposure_days: Some(days),
            provisional: false,
            batches: vec![],
            origin: "computed".into(),
            recorded_at: d(to).and_hms_opt(0, 0, 0).unwrap(),
            recorded_by: None,
        }
    }

    /// A quarter's path is the baseline year's scaled by their days, never by a quarter
    /// that starts on the same day as the baseline (the demo's I-SD1-MOL drew a spike).
    #[test]
    fn a_quarter_is_scaled_by_the_baseline_year_not_by_its_first_quarter() {
        let rows = [
            m("2023-01-01", "2023-03-31", 39.0, 90.0),
            m("2023-01-01", "2023-12-31", 143.0, 365.0),
            m("2023-04-01", "2023-06-30", 25.0, 91.0),
        ];
        let refs: Vec<&MeasurementRow> = rows.iter().collect();
        let p = super::points(
            &refs,
            (d("2023-01-01"), d("2023-12-31"), Some(143.0)),
            |b, _| b,
            |m| m.period_end.to_string(),
        );
        assert!((p[1].path - 143.0).abs() < 1e-9, "the baseline on its path");
        assert!(p[1].baseline && !p[0].baseline && !p[2].baseline);
        assert!(
            (p[0].path - 143.0 * 90.0 / 365.0).abs() < 1e-9,
            "{}",
            p[0].path
        );
        assert!((p[2].path - 143.0 * 91.0 / 365.0).abs() < 1e-9);
    }
}
