//! The indicators' measurements as they stood on a day: a year's report judges the year with
//! what was known at its end, and says what came or changed after it.

use std::collections::HashMap;

use chrono::NaiveDate;
use veilig_store::MeasurementRow;

/// What a year's judgement had to take from after the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lateness {
    /// Periods whose first measurement was recorded after the day (the figures came later):
    /// used as first recorded.
    pub recorded_later: usize,
    /// Periods measured by the day and revised after it: used as they stood at the day.
    pub revised_later: usize,
}

/// Keeps the measurements of periods ended by `day`, each period as its revisions stood at
/// the end of that day; a period first measured later keeps its first revision, counted.
pub(crate) fn as_of(ms: &mut Vec<MeasurementRow>, day: NaiveDate) -> Lateness {
    let end = day
        .succ_opt()
        .unwrap_or(day)
        .and_time(chrono::NaiveTime::MIN);
    ms.retain(|m| m.period_end <= day);
    let mut late = Lateness::default();
    let mut keep: HashMap<(i64, NaiveDate, NaiveDate), i32> = HashMap::new();
    let mut periods: HashMap<(i64, NaiveDate, NaiveDate), Vec<&MeasurementRow>> = HashMap::new();
    for m in ms.iter() {
        periods
            .entry((m.indicator_id, m.period_start, m.period_end))
            .or_default()
            .push(m);
    }
    for (key, revs) in periods {
        let in_time = revs
            .iter()
            .filter(|m| m.recorded_at < end)
            .map(|m| m.revision)
            .max();
        match in_time {
            Some(r) => {
                late.revised_later += usize::from(revs.iter().any(|m| m.revision > r));
                keep.insert(key, r);
            }
            None => {
                late.recorded_later += 1;
                keep.insert(key, revs.iter().map(|m| m.revision).min().unwrap_or(1));
            }
        }
    }
    ms.retain(|m| keep.get(&(m.indicator_id, m.period_start, m.period_end)) == Some(&m.revision));
    late
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: &str, end: &str, revision: i32, value: f64, recorded: &str) -> MeasurementRow {
        MeasurementRow {
            id: 0,
            indicator_id: 1,
            period_start: start.parse().unwrap(),
            period_end: end.parse().unwrap(),
            revision,
            value,
            low: None,
            high: None,
            count: None,
            exposure_days: None,
            provisional: false,
            batches: vec![],
            origin: "computed".into(),
            recorded_at: format!("{recorded}T12:00:00").parse().unwrap(),
            recorded_by: None,
        }
    }

    #[test]
    fn a_year_is_judged_with_what_was_known_at_its_end() {
        let mut ms = vec![
            m("2025-01-01", "2025-12-31", 1, 10.0, "2025-12-31"),
            m("2025-01-01", "2025-12-31", 2, 12.0, "2026-02-01"),
            m("2025-10-01", "2025-12-31", 1, 3.0, "2026-01-15"),
            m("2025-10-01", "2025-12-31", 2, 4.0, "2026-03-01"),
            m("2026-01-01", "2026-03-31", 1, 5.0, "2026-04-02"),
        ];
        let late = as_of(&mut ms, "2025-12-31".parse().unwrap());
        assert_eq!(
            late,
            Lateness {
                recorded_later: 1,
                revised_later: 1
            }
        );
        let kept: Vec<(i32, f64)> = ms.iter().map(|m| (m.revision, m.value)).collect();
        assert_eq!(kept, vec![(1, 10.0), (1, 3.0)]);
    }
}
