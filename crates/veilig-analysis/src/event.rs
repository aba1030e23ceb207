//! What the analysis needs of an incident, and periods of days.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// One incident as the analysis sees it: when (a window), where (metres), which area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    pub from: NaiveDateTime,
    /// Equal to `from` for an exact time.
    pub to: NaiveDateTime,
    /// Projected metres in the zone's CRS, if located.
    pub xy: Option<(f64, f64)>,
    pub area: Option<i64>,
}

impl Event {
    /// The date that files the event under a period: the start of its window.
    pub fn date(&self) -> NaiveDate {
        self.from.date()
    }
}

/// A closed range of days `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start, end }
    }

    pub fn days(&self) -> f64 {
        ((self.end - self.start).num_days() + 1).max(0) as f64
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        d >= self.start && d <= self.end
    }

    /// The same calendar dates `years` earlier (29 February becomes 28 February).
    pub fn shift_years(&self, years: i32) -> Period {
        let shift = |d: NaiveDate| {
            NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day())
                .or_else(|| NaiveDate::from_ymd_opt(d.year() - years, d.month(), d.day() - 1))
                .expect("a valid date")
        };
        Period {
            start: shift(self.start),
            end: shift(self.end),
        }
    }

    /// The `days` days ending the day before this period starts.
    pub fn preceding(&self, days: i64) -> Period {
        Period {
            start: self.start - Duration::days(days),
            end: self.start - Duration::days(1),
        }
    }

    pub fn count(&self, events: &[Event]) -> u64 {
        events.iter().filter(|e| self.contains(e.date())).count() as u64
    }
}
