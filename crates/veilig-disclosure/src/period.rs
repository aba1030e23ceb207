//! The fixed calendar periods figures are published for.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::rules::PeriodKind;

/// A calendar month, quarter or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PubPeriod {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1).pred_opt().expect("valid date")
}

impl PubPeriod {
    /// The calendar period that runs exactly from `start` to `end`, if there is one.
    pub fn of(start: NaiveDate, end: NaiveDate) -> Option<PubPeriod> {
        if start.day() != 1 || end < start {
            return None;
        }
        let y = start.year();
        let m = start.month();
        [
            PubPeriod::Month { year: y, month: m },
            PubPeriod::Quarter {
                year: y,
                quarter: m.div_ceil(3),
            },
            PubPeriod::Year { year: y },
        ]
        .into_iter()
        .find(|p| p.start() == start && p.end() == end)
    }

    pub fn kind(self) -> PeriodKind {
        match self {
            PubPeriod::Month { .. } => PeriodKind::Month,
            PubPeriod::Quarter { .. } => PeriodKind::Quarter,
            PubPeriod::Year { .. } => PeriodKind::Year,
        }
    }

    pub fn year(self) -> i32 {
        match self {
            PubPeriod::Month { year, .. }
            | PubPeriod::Quarter { year, .. }
            | PubPeriod::Year { year } => year,
        }
    }

    pub fn start(self) -> NaiveDate {
        match self {
            PubPeriod::Month { year, month } => ymd(year, month, 1),
            PubPeriod::Quarter { year, quarter } => ymd(year, 3 * quarter - 2, 1),
            PubPeriod::Year { year } => ymd(year, 1, 1),
        }
    }

    pub fn end(self) -> NaiveDate {
        match self {
            PubPeriod::Month { year, month } => month_end(year, month),
            PubPeriod::Quarter { year, quarter } => month_end(year, 3 * quarter),
            PubPeriod::Year { year } => ymd(year, 12, 31),
        }
    }

    /// The same period one year earlier.
    pub fn previous_year(self) -> PubPeriod {
        match self {
            PubPeriod::Month { year, month } => PubPeriod::Month {
                year: year - 1,
                month,
            },
            PubPeriod::Quarter { year, quarter } => PubPeriod::Quarter {
                year: year - 1,
                quarter,
            },
            PubPeriod::Year { year } => PubPeriod::Year { year: year - 1 },
        }
    }

    /// The month numbers (1-12) the period covers.
    pub fn months(self) -> std::ops::RangeInclusive<u32> {
        self.start().month()..=self.end().month()
    }
}

/// The last month whose data is complete: the month of `last_day` when that is its last
/// day, otherwise the month before. Returned as its last day.
pub fn last_complete_month_end(last_day: NaiveDate) -> NaiveDate {
    if last_day == month_end(last_day.year(), last_day.month()) {
        last_day
    } else {
        ymd(last_day.year(), last_day.month(), 1)
            .pred_opt()
            .expect("valid date")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_calendar_periods_are_publication_periods() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            PubPeriod::of(d("2025-01-01"), d("2025-12-31")),
            Some(PubPeriod::Year { year: 2025 })
        );
        assert_eq!(PubPeriod::of(d("2025-01-01"), d("2025-12-30")), None);
        assert_eq!(PubPeriod::of(d("2025-01-02"), d("2025-12-31")), None);
        assert_eq!(
            PubPeriod::of(d("2025-10-01"), d("2025-12-31")),
            Some(PubPeriod::Quarter {
                year: 2025,
                quarter: 4
            })
        );
        assert_eq!(
            PubPeriod::of(d("2024-02-01"), d("2024-02-29")),
            Some(PubPeriod::Month {
                year: 2024,
                month: 2
            })
        );
        assert_eq!(PubPeriod::of(d("2025-02-01"), d("2025-03-31")), None);
        let q = PubPeriod::Quarter {
            year: 2025,
            quarter: 2,
        };
        assert_eq!(q.months(), 4..=6);
        assert_eq!(q.previous_year().start(), d("2024-04-01"));
        assert_eq!(last_complete_month_end(d("2026-10-31")), d("2026-10-31"));
        assert_eq!(last_complete_month_end(d("2026-10-30")), d("2026-09-30"));
        assert_eq!(last_complete_month_end(d("2026-01-15")), d("2025-12-31"));
    }
}
