//! The Compstat book: for every phenomenon and every month, the month against the same month
//! last year and against the mean of the three previous years, the year to date against last
//! year's, and the month's hour-of-week table. Range counts come from prefix sums over days,
//! so each comparison is O(1) after one pass over the events.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::compare::{Comparison, TestRules, compare};
use crate::event::{Event, Period};
use crate::time::aoristic_add;

/// Events per day as prefix sums: `count(period)` in constant time.
#[derive(Debug, Clone)]
pub struct DayCounts {
    first: NaiveDate,
    /// `prefix[i]` = events on days before `first + i`.
    prefix: Vec<u64>,
}

impl DayCounts {
    pub fn new(events: &[Event]) -> DayCounts {
        let Some(first) = events.iter().map(Event::date).min() else {
            return DayCounts {
                first: NaiveDate::MIN,
                prefix: vec![0],
            };
        };
        let last = events.iter().map(Event::date).max().expect("non-empty");
        let n = (last - first).num_days() as usize + 1;
        let mut per_day = vec![0u64; n];
        for e in events {
            per_day[(e.date() - first).num_days() as usize] += 1;
        }
        let mut prefix = Vec::with_capacity(n + 1);
        prefix.push(0);
        let mut acc = 0;
        for c in per_day {
            acc += c;
            prefix.push(acc);
        }
        DayCounts { first, prefix }
    }

    fn at(&self, d: NaiveDate) -> u64 {
        let i = (d - self.first).num_days();
        if i <= 0 {
            0
        } else {
            self.prefix[(i as usize).min(self.prefix.len() - 1)]
        }
    }

    /// Events on the days of `p` (inclusive).
    pub fn count(&self, p: &Period) -> u64 {
        if p.end < p.start {
            return 0;
        }
        self.at(p.end.succ_opt().expect("a next day")) - self.at(p.start)
    }

    /// The comparison of `current` with `baselines` (their exposures summed).
    pub fn compare(&self, current: &Period, baselines: &[Period], rules: TestRules) -> Comparison {
        let b: u64 = baselines.iter().map(|p| self.count(p)).sum();
        let bt: f64 = baselines.iter().map(Period::days).sum();
        compare(self.count(current), current.days(), b, bt, rules)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BookRow {
    pub phenomenon: String,
    /// `YYYY-MM`.
    pub month: String,
    pub vs_previous_year: Comparison,
    pub vs_previous_3_years: Comparison,
    pub year_to_date: Comparison,
    pub hour_weekday: [[f64; 24]; 7],
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .expect("valid")
        .pred_opt()
        .expect("valid")
}

/// The book for the months from `first` to `last` (inclusive, as (year, month)).
pub fn book(
    series: &[(String, Vec<Event>)],
    first: (i32, u32),
    last: (i32, u32),
    rules: TestRules,
) -> Vec<BookRow> {
    let mut out = Vec::new();
    for (name, events) in series {
        let days = DayCounts::new(events);
        // Hour-of-week tables per month in one pass.
        let mut tables: std::collections::HashMap<(i32, u32), [[f64; 24]; 7]> = Default::default();
        for e in events {
            aoristic_add(
                tables
                    .entry((e.from.year(), e.from.month()))
                    .or_insert([[0.0; 24]; 7]),
                e.from,
                e.to,
            );
        }
        let (mut y, mut m) = first;
        while (y, m) <= last {
            let cur = Period::new(
                NaiveDate::from_ymd_opt(y, m, 1).expect("valid"),
                month_end(y, m),
            );
            let ytd = Period::new(NaiveDate::from_ymd_opt(y, 1, 1).expect("valid"), cur.end);
            out.push(BookRow {
                phenomenon: name.clone(),
                month: format!("{y:04}-{m:02}"),
                vs_previous_year: days.compare(&cur, &[cur.shift_years(1)], rules),
                vs_previous_3_years: days.compare(
                    &cur,
                    &[cur.shift_years(1), cur.shift_years(2), cur.shift_years(3)],
                    rules,
                ),
                year_to_date: days.compare(&ytd, &[ytd.shift_years(1)], rules),
                hour_weekday: tables.get(&(y, m)).copied().unwrap_or([[0.0; 24]; 7]),
            });
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(y: i32, m: u32, d: u32) -> Event {
        let t = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        Event {
            from: t,
            to: t,
            xy: None,
            area: None,
        }
    }

    #[test]
    fn prefix_counts_equal_direct_counts() {
        let events: Vec<Event> = (1..=28)
            .flat_map(|d| (2020..=2023).map(move |y| ev(y, 2, d)))
            .chain([ev(2024, 2, 29)])
            .collect();
        let days = DayCounts::new(&events);
        for p in [
            Period::new(
                NaiveDate::from_ymd_opt(2021, 2, 10).unwrap(),
                NaiveDate::from_ymd_opt(2021, 2, 20).unwrap(),
            ),
            Period::new(
                NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            ),
            Period::new(
                NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
                NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(),
            ),
            Period::new(
                NaiveDate::from_ymd_opt(2010, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(2011, 1, 1).unwrap(),
            ),
        ] {
            assert_eq!(days.count(&p), p.count(&events), "{p:?}");
        }
    }

    #[test]
    fn book_rows() {
        let events: Vec<Event> = (2019..=2023)
            .flat_map(|y| (1..=(y - 2017) as u32).map(move |d| ev(y, 3, d)))
            .collect();
        let rows = book(
            &[("x".into(), events)],
            (2023, 1),
            (2023, 12),
            TestRules::default(),
        );
        assert_eq!(rows.len(), 12);
        let march = &rows[2];
        assert_eq!(
            (
                march.vs_previous_year.current,
                march.vs_previous_year.baseline_events
            ),
            (6, 5)
        );
        assert_eq!(march.vs_previous_3_years.baseline_events, 5 + 4 + 3);
        assert_eq!(rows[11].year_to_date.current, 6);
        assert!((march.hour_weekday.iter().flatten().sum::<f64>() - 6.0).abs() < 1e-9);
    }
}
