//! The published table of one phenomenon in one calendar year: the zone per month, quarter
//! and year, and per calendar year the municipalities, their wijken and the incidents in no
//! wijk; protected together so that no combination of its figures gives back a hidden one.
//!
//! Different phenomena and different years share no published total, so each such table
//! is protected on its own; every figure under disclosure control is read from one.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::network::{Status, Table, protect};
use crate::period::PubPeriod;
use crate::rules::{PeriodKind, Rules};

/// The zone's geography as far as figures are published for it.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// NIS codes of the municipalities that have wijken (a municipality's count is the sum
    /// of its wijken).
    pub municipalities: Vec<String>,
    /// Each wijk: its id and the index of its municipality.
    pub areas: Vec<(i64, Option<usize>)>,
    /// Whether the zone has incidents in no wijk: then every year's table has a cell for
    /// them (zero or not); otherwise the zone is the sum of its wijken, as a reader may know.
    pub not_located: bool,
}

impl Layout {
    /// From wijken given as (id, municipality NIS code).
    pub fn new<'a>(areas: impl IntoIterator<Item = (i64, Option<&'a str>)>) -> Layout {
        let mut l = Layout::default();
        for (id, m) in areas {
            let mi = m.map(|m| match l.municipalities.iter().position(|x| x == m) {
                Some(i) => i,
                None => {
                    l.municipalities.push(m.to_string());
                    l.municipalities.len() - 1
                }
            });
            l.areas.push((id, mi));
        }
        l
    }
}

/// Where a figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "level", content = "index", rename_all = "kebab-case")]
pub enum Unit {
    Zone,
    /// Index into [`Layout::municipalities`].
    Municipality(usize),
    /// Index into [`Layout::areas`].
    Area(usize),
    /// Incidents in no wijk.
    NotLocated,
}

/// Counts of one phenomenon in one year, by wijk and month.
#[derive(Debug, Clone)]
pub struct YearCounts {
    pub areas: Vec<[u64; 12]>,
    pub not_located: [u64; 12],
}

impl YearCounts {
    /// Counts the incidents of `year` given as (date, wijk id).
    pub fn count(
        year: i32,
        layout: &Layout,
        events: impl IntoIterator<Item = (NaiveDate, Option<i64>)>,
    ) -> YearCounts {
        let index: HashMap<i64, usize> = layout
            .areas
            .iter()
            .enumerate()
            .map(|(i, a)| (a.0, i))
            .collect();
        let mut c = YearCounts {
            areas: vec![[0; 12]; layout.areas.len()],
            not_located: [0; 12],
        };
        for (d, area) in events {
            if d.year() != year {
                continue;
            }
            let m = d.month0() as usize;
            match area.and_then(|a| index.get(&a)) {
                Some(&i) => c.areas[i][m] += 1,
                None => c.not_located[m] += 1,
            }
        }
        c
    }
}

/// A figure as it leaves the zone: the value when shown, and why not otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub value: Option<u64>,
    pub status: Status,
}

/// One cell of a year's table, with its true value (never leaves the zone) and its status.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub unit: Unit,
    pub period: PubPeriod,
    pub value: u64,
    pub status: Status,
}

/// The protected table of one phenomenon in one year.
#[derive(Debug, Clone)]
pub struct ProtectedYear {
    pub year: i32,
    pub cells: Vec<Cell>,
    layout: Layout,
    index: HashMap<(Unit, PubPeriod), usize>,
}

impl ProtectedYear {
    /// The figure of a unit in a period, or None when it is not published (an incomplete
    /// period, a period kind the rules do not publish, a wijk in a month).
    pub fn figure(&self, unit: Unit, period: PubPeriod) -> Option<Figure> {
        self.index.get(&(unit, period)).map(|&i| {
            let c = &self.cells[i];
            Figure {
                value: (!c.status.hidden()).then_some(c.value),
                status: c.status,
            }
        })
    }

    /// Hidden cells a reader could derive from the shown ones (empty after protection;
    /// the tests and the attack test call it).
    pub fn derivable(&self, threshold: u64) -> Vec<usize> {
        let (table, _) = structure(&self.cells, &self.layout);
        let status: Vec<Status> = self.cells.iter().map(|c| c.status).collect();
        crate::network::determined(&table, &status, threshold)
    }
}

/// The cells and equations of the year's table, for the cells given.
fn structure(cells: &[Cell], layout: &Layout) -> (Table, HashMap<(Unit, PubPeriod), usize>) {
    let index: HashMap<(Unit, PubPeriod), usize> = cells
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.unit, c.period), i))
        .collect();
    let mut t = Table::new(cells.iter().map(|c| c.value).collect());
    let Some(year) = cells.first().map(|c| c.period.year()) else {
        return (t, index);
    };
    let at = |u: Unit, p: PubPeriod| index.get(&(u, p)).copied();
    let all = |ps: &[PubPeriod], u: Unit| -> Option<Vec<usize>> {
        ps.iter().map(|&p| at(u, p)).collect()
    };
    let y = PubPeriod::Year { year };
    let quarters: Vec<PubPeriod> = (1..=4)
        .map(|quarter| PubPeriod::Quarter { year, quarter })
        .collect();
    let months = |r: std::ops::RangeInclusive<u32>| -> Vec<PubPeriod> {
        r.map(|month| PubPeriod::Month { year, month }).collect()
    };
    // Time, at the zone (negated: the second tree of the network).
    if let Some(yi) = at(Unit::Zone, y) {
        if let Some(q) = all(&quarters, Unit::Zone) {
            t.equation(yi, q, true);
        } else if let Some(m) = all(&months(1..=12), Unit::Zone) {
            t.equation(yi, m, true);
        }
    }
    for &q in &quarters {
        if let (Some(qi), Some(m)) = (at(Unit::Zone, q), all(&months(q.months()), Unit::Zone)) {
            t.equation(qi, m, true);
        }
    }
    // Space, in the year: the zone over its municipalities, the wijken without one and the
    // incidents in no wijk; each municipality over its wijken.
    if let Some(yi) = at(Unit::Zone, y) {
        let mut zone_parts: Vec<usize> = Vec::new();
        let mut municipal: Vec<Vec<usize>> = vec![Vec::new(); layout.municipalities.len()];
        for (a, (_, m)) in layout.areas.iter().enumerate() {
            let Some(ai) = at(Unit::Area(a), y) else {
                continue;
            };
            match m {
                Some(m) => municipal[*m].push(ai),
                None => zone_parts.push(ai),
            }
        }
        for (m, parts) in municipal.into_iter().enumerate() {
            if let Some(mi) = at(Unit::Municipality(m), y) {
                zone_parts.push(mi);
                if !parts.is_empty() {
                    t.equation(mi, parts, false);
                }
            }
        }
        zone_parts.extend(at(Unit::NotLocated, y));
        if !zone_parts.is_empty() {
            t.equation(yi, zone_parts, false);
        }
    }
    (t, index)
}

/// Publishes one phenomenon's year: the cells the rules publish for the months complete by
/// `complete_through`, suppressed together.
pub fn protect_year(
    year: i32,
    layout: &Layout,
    counts: &YearCounts,
    complete_through: NaiveDate,
    rules: &Rules,
) -> ProtectedYear {
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
    let (table, index) = structure(&cells, layout);
    for (c, s) in cells.iter_mut().zip(protect(&table, rules.threshold)) {
        c.status = s;
    }
    ProtectedYear {
        year,
        cells,
        layout: layout.clone(),
        index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
