//! The published table of one phenomenon in one calendar year: the zone per month, quarter
//! and year, and per calendar year the municipalities, their wijken and the incidents in no
//! wijk; protected together so that no combination of its figures gives back a hidden one.
//!
//! Different phenomena and different years share no published total, so each such table
//! is protected on its own; every figure under disclosure control is read from one.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::network::{Status, Table};
use crate::period::PubPeriod;

/// The zone's geography as far as figures are published for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub unit: Unit,
    pub period: PubPeriod,
    pub value: u64,
    pub status: Status,
}

/// The protected table of one phenomenon in one year. Stored whole as a release (with the
/// true values, which stay in the zone's store); read back with its index rebuilt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct ProtectedYear {
    pub year: i32,
    /// The threshold it was protected with (the labels' "fewer than").
    pub threshold: u64,
    pub cells: Vec<Cell>,
    pub layout: Layout,
    #[serde(skip)]
    index: HashMap<(Unit, PubPeriod), usize>,
}

#[derive(Deserialize)]
struct Stored {
    year: i32,
    threshold: u64,
    cells: Vec<Cell>,
    layout: Layout,
}

impl From<Stored> for ProtectedYear {
    fn from(s: Stored) -> ProtectedYear {
        ProtectedYear::new(s.year, s.threshold, s.layout, s.cells)
    }
}

impl ProtectedYear {
    pub(crate) fn new(
        year: i32,
        threshold: u64,
        layout: Layout,
        cells: Vec<Cell>,
    ) -> ProtectedYear {
        let index = cells
            .iter()
            .enumerate()
            .map(|(i, c)| ((c.unit, c.period), i))
            .collect();
        ProtectedYear {
            year,
            threshold,
            cells,
            layout,
            index,
        }
    }

    /// A table with no cells: a year no release holds (before the data).
    pub fn empty(year: i32, threshold: u64) -> ProtectedYear {
        ProtectedYear::new(year, threshold, Layout::default(), Vec::new())
    }

    /// The cell of a unit in a period, with its true value.
    pub fn cell(&self, unit: Unit, period: PubPeriod) -> Option<&Cell> {
        self.index.get(&(unit, period)).map(|&i| &self.cells[i])
    }

    /// Whether a reader sees the same table in both (the same cells, values and labels).
    pub fn same_as(&self, other: &ProtectedYear) -> bool {
        self.year == other.year
            && self.threshold == other.threshold
            && self.layout == other.layout
            && self.cells == other.cells
    }

    /// The cells and equations of the table, for the audits.
    pub(crate) fn table(&self) -> Table {
        structure(&self.cells, &self.layout).0
    }

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
pub(crate) fn structure(
    cells: &[Cell],
    layout: &Layout,
) -> (Table, HashMap<(Unit, PubPeriod), usize>) {
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
