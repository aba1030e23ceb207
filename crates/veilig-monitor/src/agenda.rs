//! What a Compstat agenda draws from the picture besides the indicators: new hotspots (grid
//! cells where a phenomenon is significantly higher than over the same dates a year before,
//! Bonferroni-corrected over the cells tested) and series (incidents chained within a
//! distance and a number of days of each other, the near-repeat pattern of burglary).

use chrono::NaiveDate;
use serde::Serialize;
use veilig_analysis::{TestRules, Verdict, compare};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HotCell {
    /// The cell's centre and size (metres, the zone's CRS).
    pub x: f64,
    pub y: f64,
    pub cell_m: f64,
    pub now: u64,
    pub before: u64,
    pub p_value: f64,
    /// The level each cell was tested at (alpha over the number of cells tested).
    pub alpha: f64,
}

/// Cells of `cell` metres where `now` is significantly higher than `before` (periods of
/// equal length); only cells with at least `rules.min_events` together are tested, at
/// `rules.alpha` divided by their number.
pub fn new_hotspots(
    now: &[(f64, f64)],
    before: &[(f64, f64)],
    cell: f64,
    rules: TestRules,
) -> Vec<HotCell> {
    use std::collections::HashMap;
    let key = |(x, y): (f64, f64)| ((x / cell).floor() as i64, (y / cell).floor() as i64);
    let mut counts: HashMap<(i64, i64), (u64, u64)> = HashMap::new();
    for p in now {
        counts.entry(key(*p)).or_default().0 += 1;
    }
    for p in before {
        counts.entry(key(*p)).or_default().1 += 1;
    }
    type Cell<'a> = (&'a (i64, i64), &'a (u64, u64));
    let tested: Vec<Cell> = counts
        .iter()
        .filter(|(_, (a, b))| a + b >= rules.min_events)
        .collect();
    if tested.is_empty() {
        return Vec::new();
    }
    let alpha = rules.alpha / tested.len() as f64;
    let mut out: Vec<HotCell> = tested
        .into_iter()
        .filter_map(|(k, (a, b))| {
            let c = compare(
                *a,
                1.0,
                *b,
                1.0,
                TestRules {
                    alpha,
                    min_events: rules.min_events,
                },
            );
            (c.verdict == Verdict::SignificantlyHigher).then_some(HotCell {
                x: (k.0 as f64 + 0.5) * cell,
                y: (k.1 as f64 + 0.5) * cell,
                cell_m: cell,
                now: *a,
                before: *b,
                p_value: c.p_value,
                alpha,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.p_value
            .partial_cmp(&b.p_value)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub events: usize,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The centre of its incidents.
    pub x: f64,
    pub y: f64,
}

/// Chains of at least `min` incidents, each within `metres` and `days` of another of the
/// chain (single linkage), largest first.
pub fn series(
    events: &[(NaiveDate, (f64, f64))],
    metres: f64,
    days: i64,
    min: usize,
) -> Vec<Series> {
    let n = events.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| events[i].0);
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        let mut j = i;
        while p[j] != r {
            let k = p[j];
            p[j] = r;
            j = k;
        }
        r
    }
    for (a, &i) in order.iter().enumerate() {
        for &j in &order[a + 1..] {
            if (events[j].0 - events[i].0).num_days() > days {
                break;
            }
            let ((x1, y1), (x2, y2)) = (events[i].1, events[j].1);
            if (x1 - x2).hypot(y1 - y2) <= metres {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri != rj {
                    parent[ri] = rj;
                }
            }
        }
    }
    let mut groups: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Series> = groups
        .into_values()
        .filter(|g| g.len() >= min)
        .map(|g| Series {
            events: g.len(),
            first: g.iter().map(|&i| events[i].0).min().expect("not empty"),
            last: g.iter().map(|&i| events[i].0).max().expect("not empty"),
            x: g.iter().map(|&i| events[i].1.0).sum::<f64>() / g.len() as f64,
            y: g.iter().map(|&i| events[i].1.1).sum::<f64>() / g.len() as f64,
        })
        .collect();
    out.sort_by(|a, b| b.events.cmp(&a.events).then(a.first.cmp(&b.first)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_cell_that_doubled_is_new_and_chance_is_not() {
        let rules = TestRules {
            alpha: 0.05,
            min_events: 10,
        };
        let at = |x: f64, n: usize| vec![(x, 10.0); n];
        // Cell A: 40 now against 10 before; cell B: 12 against 10 (chance).
        let now = [at(10.0, 40), at(510.0, 12)].concat();
        let before = [at(10.0, 10), at(510.0, 10)].concat();
        let h = new_hotspots(&now, &before, 250.0, rules);
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].now, h[0].before, h[0].x), (40, 10, 125.0));
        assert_eq!(h[0].alpha, 0.025, "two cells tested");
    }

    #[test]
    fn chains_link_near_repeats_and_leave_loners() {
        let e = [
            (d("2026-01-01"), (0.0, 0.0)),
            (d("2026-01-05"), (150.0, 0.0)),
            (d("2026-01-12"), (300.0, 0.0)),
            (d("2026-03-01"), (300.0, 0.0)),
            (d("2026-01-02"), (5_000.0, 0.0)),
        ];
        let s = series(&e, 200.0, 14, 3);
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].events, s[0].first, s[0].last),
            (3, d("2026-01-01"), d("2026-01-12"))
        );
        assert!(series(&e, 200.0, 14, 4).is_empty());
    }
}
