//! Publishing one phenomenon's year: the cells the rules publish for the months complete in
//! the data, suppressed together ([`protect_year`]); [`crate::release`] protects a later
//! release of the same table jointly with the earlier ones.

use chrono::{Datelike, NaiveDate};

use crate::network::{Status, protect_from};
use crate::period::PubPeriod;
use crate::rules::{PeriodKind, Rules};
use crate::year::{Cell, Layout, ProtectedYear, Unit, YearCounts, structure};

/// Publishes one phenomenon's year: the cells the rules publish for the months complete by
/// `complete_through`, suppressed together.
pub fn protect_year(
    year: i32,
    layout: &Layout,
    counts: &YearCounts,
    complete_through: NaiveDate,
    rules: &Rules,
) -> ProtectedYear {
    let cells = publishable(year, layout, counts, complete_through, rules);
    let forced = vec![false; cells.len()];
    suppress(year, layout, cells, rules, &forced)
}

/// The cells of `cells` suppressed together, those marked in `forced` hidden from the start.
pub(crate) fn suppress(
    year: i32,
    layout: &Layout,
    mut cells: Vec<Cell>,
    rules: &Rules,
    forced: &[bool],
) -> ProtectedYear {
    let (table, _) = structure(&cells, layout);
    for (c, s) in cells
        .iter_mut()
        .zip(protect_from(&table, rules.threshold, forced))
    {
        c.status = s;
    }
    ProtectedYear::new(year, rules.threshold, layout.clone(), cells)
}

/// The cells the rules publish of one phenomenon's year, all shown (before suppression).
pub(crate) fn publishable(
    year: i32,
    layout: &Layout,
    counts: &YearCounts,
    complete_through: NaiveDate,
    rules: &Rules,
) -> Vec<Cell> {
    let complete = if complete_through >= NaiveDate::from_ymd_opt(year, 12, 31).expect("date") {
        12
    } else if complete_through.year() == year {
        complete_through.month()
    } else {
        0
    };
    let zone_month = |m: u32| -> u64 {
        counts.areas.iter().map(|a| a[m as usize - 1]).sum::<u64>()
            + counts.not_located[m as usize - 1]
    };
    let mut cells = Vec::new();
    let mut push = |unit: Unit, period: PubPeriod, value: u64| {
        cells.push(Cell {
            unit,
            period,
            value,
            status: Status::Shown,
        })
    };
    if rules.zone_publishes(PeriodKind::Month) {
        for month in 1..=complete {
            push(
                Unit::Zone,
                PubPeriod::Month { year, month },
                zone_month(month),
            );
        }
    }
    if rules.zone_publishes(PeriodKind::Quarter) {
        for quarter in (1..=4).filter(|q| 3 * q <= complete) {
            let p = PubPeriod::Quarter { year, quarter };
            push(Unit::Zone, p, p.months().map(zone_month).sum());
        }
    }
    let areas = complete == 12 && rules.areas_publish(PeriodKind::Year);
    if complete == 12 && (rules.zone_publishes(PeriodKind::Year) || areas) {
        let y = PubPeriod::Year { year };
        push(Unit::Zone, y, (1..=12).map(zone_month).sum());
        if areas {
            let total = |a: &[u64; 12]| a.iter().sum::<u64>();
            for m in 0..layout.municipalities.len() {
                let v = layout
                    .areas
                    .iter()
                    .zip(&counts.areas)
                    .filter(|((_, am), _)| *am == Some(m))
                    .map(|(_, c)| total(c))
                    .sum();
                push(Unit::Municipality(m), y, v);
            }
            for (a, c) in counts.areas.iter().enumerate() {
                push(Unit::Area(a), y, total(c));
            }
            if layout.not_located {
                push(Unit::NotLocated, y, total(&counts.not_located));
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::year::Unit;

    fn layout() -> Layout {
        // Municipality A: wijken 1, 2; municipality B: wijken 3, 4, 5.
        Layout::new([
            (1, Some("A")),
            (2, Some("A")),
            (3, Some("B")),
            (4, Some("B")),
            (5, Some("B")),
        ])
    }

    fn counts(per_area_year: [u64; 5], not_located: u64) -> YearCounts {
        // Spread each wijk's year over the months: the first `n mod 12` months get one more.
        let spread = |n: u64| -> [u64; 12] {
            std::array::from_fn(|m| n / 12 + u64::from((m as u64) < n % 12))
        };
        YearCounts {
            areas: per_area_year.iter().map(|&n| spread(n)).collect(),
            not_located: spread(not_located),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_complete_year_publishes_both_hierarchies_and_hides_nothing_derivable() {
        let r = Rules::builtin();
        let mut l = layout();
        l.not_located = true;
        let p = protect_year(
            2025,
            &l,
            &counts([40, 3, 25, 30, 2], 7),
            d("2026-10-31"),
            &r,
        );
        let y = PubPeriod::Year { year: 2025 };
        // 12 months + 4 quarters + year + 2 municipalities + 5 wijken + not located.
        assert_eq!(p.cells.len(), 25);
        assert_eq!(p.figure(Unit::Zone, y).unwrap().value, Some(107));
        // Wijk 2 (3) and wijk 5 (2) are primary; municipality A = 43 with one hidden wijk
        // needs a companion in A.
        assert_eq!(p.figure(Unit::Area(1), y).unwrap().status, Status::Primary);
        assert_eq!(p.figure(Unit::Area(4), y).unwrap().status, Status::Primary);
        assert_eq!(
            p.figure(Unit::Area(0), y).unwrap().status,
            Status::Secondary
        );
        assert!(p.derivable(5).is_empty());
        // No wijk per month.
        assert!(
            p.figure(
                Unit::Area(0),
                PubPeriod::Month {
                    year: 2025,
                    month: 1
                }
            )
            .is_none()
        );
    }

    #[test]
    fn an_incomplete_year_publishes_its_complete_months_and_quarters_only() {
        let r = Rules::builtin();
        let p = protect_year(
            2026,
            &layout(),
            &counts([40, 3, 25, 30, 2], 0),
            d("2026-08-31"),
            &r,
        );
        assert!(
            p.figure(
                Unit::Zone,
                PubPeriod::Month {
                    year: 2026,
                    month: 8
                }
            )
            .is_some()
        );
        assert!(
            p.figure(
                Unit::Zone,
                PubPeriod::Month {
                    year: 2026,
                    month: 9
                }
            )
            .is_none()
        );
        assert!(
            p.figure(
                Unit::Zone,
                PubPeriod::Quarter {
                    year: 2026,
                    quarter: 2
                }
            )
            .is_some()
        );
        assert!(
            p.figure(
                Unit::Zone,
                PubPeriod::Quarter {
                    year: 2026,
                    quarter: 3
                }
            )
            .is_none()
        );
        assert!(
            p.figure(Unit::Zone, PubPeriod::Year { year: 2026 })
                .is_none()
        );
        assert!(
            p.figure(Unit::Municipality(0), PubPeriod::Year { year: 2026 })
                .is_none()
        );
        assert!(p.derivable(5).is_empty());
    }

    #[test]
    fn small_months_are_protected_within_their_quarter_and_year() {
        // 100 incidents in wijk 1, all in January-March except 3 in April: April is small.
        let mut c = counts([0, 0, 0, 0, 0], 0);
        c.areas[0] = [30, 30, 37, 3, 0, 0, 0, 0, 0, 0, 0, 0];
        let p = protect_year(2025, &layout(), &c, d("2025-12-31"), &Rules::builtin());
        let q2 = PubPeriod::Quarter {
            year: 2025,
            quarter: 2,
        };
        // Q2 = 3 is itself small; April (3), May and June (0) hidden; Q2 hidden; Q1 + Q2 +
        // Q3 + Q4 = year needs a companion among the quarters, and so on: nothing derivable.
        assert_eq!(p.figure(Unit::Zone, q2).unwrap().status, Status::Primary);
        assert!(p.derivable(5).is_empty());
        let shown = p.cells.iter().filter(|c| !c.status.hidden()).count();
        assert!(shown > 0);
    }
}
