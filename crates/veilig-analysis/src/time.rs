//! When: hour-of-week tables with aoristic weighting, and month-by-year tables.
//!
//! Aoristic analysis (Ratcliffe & McCullagh 1998, "Aoristic crime analysis", IJGIS 12(7))
//! spreads each incident's unit weight over the hours its window covers, in proportion to
//! the overlap: a burglary "between 08:00 and 12:00" adds 0.25 to each of four hours. The
//! window `[from, to]` is read as the half-open `[from, to + 1 s)`, so an exact time (from =
//! to) and Toronto's `08:00:00-08:59:59` both put their whole weight in one hour.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use crate::event::Event;

/// Longest window spread hour by hour; longer windows (a police.uk month) are spread evenly
/// over the week's hours in whole weeks plus the remainder hour by hour.
const WEEK_SECONDS: i64 = 7 * 24 * 3600;

/// Adds the event's aoristic weights to `table[weekday][hour]` (Monday = 0).
pub fn aoristic_add(table: &mut [[f64; 24]; 7], from: NaiveDateTime, to: NaiveDateTime) {
    let end = to.max(from) + Duration::seconds(1);
    let total = (end - from).num_seconds() as f64;
    let mut t = from;
    let full_weeks = (end - from).num_seconds() / WEEK_SECONDS;
    if full_weeks > 0 {
        // Every hour of the week is covered `full_weeks` times by whole weeks.
        let w = full_weeks as f64 * 3600.0 / total;
        for day in table.iter_mut() {
            for cell in day.iter_mut() {
                *cell += w;
            }
        }
        t += Duration::seconds(full_weeks * WEEK_SECONDS);
    }
    while t < end {
        let hour_end = t
            .with_minute(0)
            .and_then(|x| x.with_second(0))
            .and_then(|x| x.with_nanosecond(0))
            .expect("valid time")
            + Duration::hours(1);
        let stop = hour_end.min(end);
        let w = (stop - t).num_milliseconds() as f64 / 1000.0 / total;
        table[t.weekday().num_days_from_monday() as usize][t.hour() as usize] += w;
        t = stop;
    }
}

/// The 7 × 24 hour-of-week table (rows Monday..Sunday, columns 0..23 h); sums to the count.
pub fn hour_weekday(events: &[Event]) -> [[f64; 24]; 7] {
    let mut t = [[0.0; 24]; 7];
    for e in events {
        aoristic_add(&mut t, e.from, e.to);
    }
    t
}

/// Counts per month for each year, by the start of the window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthYear {
    pub years: Vec<i32>,
    /// `counts[i][m]`: year `years[i]`, month `m` (0 = January).
    pub counts: Vec<[u64; 12]>,
}

pub fn month_year(events: &[Event]) -> MonthYear {
    let mut by: std::collections::BTreeMap<i32, [u64; 12]> = Default::default();
    for e in events {
        by.entry(e.from.year()).or_insert([0; 12])[e.from.month0() as usize] += 1;
    }
    MonthYear {
        years: by.keys().copied().collect(),
        counts: by.values().copied().collect(),
    }
}

/// Where a phenomenon's own data begin, when no source coverage is known: the rule of
/// [`veilig_domain::coverage::coverage_start`] over its years.
pub fn coverage_start(my: &MonthYear, first_event: Option<NaiveDate>) -> Option<NaiveDate> {
    let years: Vec<(i32, u64)> = my
        .years
        .iter()
        .zip(&my.counts)
        .map(|(y, r)| (*y, r.iter().sum()))
        .collect();
    veilig_domain::coverage::coverage_start(&years, first_event?)
}

pub(crate) fn month_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid")
}

pub(crate) fn next_month(d: NaiveDate) -> NaiveDate {
    if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }
    .expect("valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        // 2024-01-01 is a Monday.
        NaiveDate::from_ymd_opt(2024, 1, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn total(t: &[[f64; 24]; 7]) -> f64 {
        t.iter().flatten().sum()
    }

    #[test]
    fn exact_times_and_hour_windows_fill_one_cell() {
        let mut t = [[0.0; 24]; 7];
        aoristic_add(&mut t, at(1, 8, 30), at(1, 8, 30));
        aoristic_add(&mut t, at(2, 8, 0), at(2, 8, 0) + Duration::seconds(3599));
        assert_eq!(t[0][8], 1.0);
        assert_eq!(t[1][8], 1.0);
        assert!((total(&t) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_window_spreads_in_proportion_to_overlap() {
        let mut t = [[0.0; 24]; 7];
        // Sunday 23:30 to Monday 01:30 (two hours): 0.25, 0.5, 0.25.
        aoristic_add(&mut t, at(7, 23, 30), at(8, 1, 30) - Duration::seconds(1));
        assert!((t[6][23] - 0.25).abs() < 1e-9);
        assert!((t[0][0] - 0.5).abs() < 1e-9);
        assert!((t[0][1] - 0.25).abs() < 1e-9);
        assert!((total(&t) - 1.0).abs() < 1e-9);
    }

    /// Property: whatever the window (exact, minutes, days, months), the weights sum to one.
    #[test]
    fn weights_sum_to_one_for_random_windows() {
        let mut state = 0x2545F4914F6CDD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2000 {
            let mut t = [[0.0; 24]; 7];
            let from = at(1, 0, 0) + Duration::seconds((next() % (400 * 86_400)) as i64);
            let len = match next() % 4 {
                0 => 0,
                1 => next() % 3_600,
                2 => next() % (3 * 86_400),
                _ => next() % (60 * 86_400),
            };
            aoristic_add(&mut t, from, from + Duration::seconds(len as i64));
            assert!(
                (total(&t) - 1.0).abs() < 1e-9,
                "window of {len} s from {from}"
            );
            assert!(t.iter().flatten().all(|w| *w >= 0.0));
        }
    }

    #[test]
    fn month_long_windows_spread_evenly_and_sum_to_one() {
        let mut t = [[0.0; 24]; 7];
        let from = NaiveDate::from_ymd_opt(2016, 7, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        let to = NaiveDate::from_ymd_opt(2016, 7, 31)
            .unwrap()
            .and_hms_opt(23, 59, 59)
            .unwrap();
        aoristic_add(&mut t, from, to);
        assert!((total(&t) - 1.0).abs() < 1e-9);
        // 31 days = 4 weeks + 3 days (Fri, Sat, Sun in July 2016): those days weigh 5/4.
        assert!((t[4][10] / t[0][10] - 1.25).abs() < 1e-9);
    }
}
