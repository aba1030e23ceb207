//! A new release of a published table, protected jointly with every earlier release of it.
//!
//! A reader who saved the earlier releases joins them with the new one: a cell hidden before
//! and shown now, a column that appeared, a label that changed, or a margin that grew by one
//! record can give back a small count that no single release shows. So a release:
//! 1. keeps hidden every cell hidden in an earlier release (an a priori suppression, as
//!    tau-ARGUS's a priori file does), then protects itself as one table;
//! 2. is audited together with all the earlier releases ([`crate::joint::pinned`]); while
//!    the audit finds a derivable hidden cell, one more cell of the new release is hidden
//!    (the smallest shown cell that shares an equation with it) and the release is
//!    protected again.
//!
//! Earlier releases are never changed: what was published stays what it was.

use chrono::NaiveDate;

use crate::joint::pinned;
use crate::publish::{publishable, suppress};
use crate::rules::Rules;
use crate::year::{Layout, ProtectedYear, YearCounts};

/// The next release of one phenomenon's year, given its earlier releases (oldest first).
pub fn protect_release(
    year: i32,
    layout: &Layout,
    counts: &YearCounts,
    complete_through: NaiveDate,
    rules: &Rules,
    earlier: &[ProtectedYear],
) -> ProtectedYear {
    let cells = publishable(year, layout, counts, complete_through, rules);
    let joint = rules.joint && !earlier.is_empty();
    let mut forced: Vec<bool> = cells
        .iter()
        .map(|c| {
            joint
                && earlier.iter().any(|t| {
                    t.cell(c.unit, c.period)
                        .is_some_and(|before| before.status.hidden())
                })
        })
        .collect();
    loop {
        let candidate = suppress(year, layout, cells.clone(), rules, &forced);
        if !joint {
            return candidate;
        }
        let mut all: Vec<&ProtectedYear> = earlier.iter().collect();
        all.push(&candidate);
        let exposed = pinned(&all);
        let Some(&(r, c)) = exposed.first() else {
            return candidate;
        };
        // The exposed cell's key in the new release (it may be an earlier release's cell).
        let key = (all[r].cells[c].unit, all[r].cells[c].period);
        let table = candidate.table();
        let shown = |i: usize| !candidate.cells[i].status.hidden();
        let near = |want: &dyn Fn(usize) -> bool| -> Option<usize> {
            table
                .equations()
                .filter(|(t, parts)| want(*t) || parts.iter().any(|&p| want(p)))
                .flat_map(|(t, parts)| std::iter::once(t).chain(parts.iter().copied()))
                .filter(|&i| shown(i))
                .min_by_key(|&i| (candidate.cells[i].value, i))
        };
        let pick = near(&|i| (candidate.cells[i].unit, candidate.cells[i].period) == key)
            .or_else(|| near(&|i| candidate.cells[i].status.hidden()))
            .or_else(|| {
                (0..candidate.cells.len())
                    .filter(|&i| shown(i))
                    .min_by_key(|&i| (candidate.cells[i].value, i))
            });
        match pick {
            Some(i) => forced[i] = true,
            // Nothing left to hide in this release: the earlier releases expose it by
            // themselves (they were made without this protection). Publish nothing more.
            None => return candidate,
        }
    }
}

/// Whether the table the data give now holds what `last` holds (the same cells with the same
/// true values on the same layout): then there is nothing to release, and nothing to protect.
pub fn unchanged(
    last: &ProtectedYear,
    year: i32,
    layout: &Layout,
    counts: &YearCounts,
    complete_through: NaiveDate,
    rules: &Rules,
) -> bool {
    let now = publishable(year, layout, counts, complete_through, rules);
    last.threshold == rules.threshold
        && &last.layout == layout
        && last.cells.len() == now.len()
        && last
            .cells
            .iter()
            .zip(&now)
            .all(|(a, b)| (a.unit, a.period, a.value) == (b.unit, b.period, b.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Status;
    use crate::period::PubPeriod;
    use crate::publish::protect_year;
    use crate::year::Unit;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// One municipality with wijken A and B, all records in January.
    fn counts(a: u64, b: u64, not_located: u64) -> YearCounts {
        let month = |n: u64| std::array::from_fn(|m| if m == 0 { n } else { 0 });
        YearCounts {
            areas: vec![month(a), month(b), month(20)],
            not_located: month(not_located),
        }
    }

    fn layout(not_located: bool) -> Layout {
        let mut l = Layout::new([(1, Some("M")), (2, Some("M")), (3, Some("N"))]);
        l.not_located = not_located;
        l
    }

    /// Wijk A has 4 records ("< 5"), B has 5 (hidden with it), their municipality 9. One late
    /// record in A makes it 5: alone, the second release shows A = 5 and B = 5. Joined with
    /// the first, B was at least 5 (its label) and at most 5 (it cannot shrink): A was 4. The
    /// joint protection keeps that from following.
    #[test]
    fn a_label_that_changes_between_releases_gives_a_count_back_unless_protected_jointly() {
        let rules = Rules::builtin();
        let y = PubPeriod::Year { year: 2025 };
        let first = protect_year(
            2025,
            &layout(false),
            &counts(4, 5, 0),
            d("2025-12-31"),
            &rules,
        );
        assert_eq!(
            first.cell(Unit::Area(0), y).unwrap().status,
            Status::Primary
        );
        assert!(first.cell(Unit::Area(1), y).unwrap().status.hidden());
        let late = counts(5, 5, 0);
        let mut alone = rules.clone();
        alone.joint = false;
        let naive = protect_release(
            2025,
            &layout(false),
            &late,
            d("2025-12-31"),
            &alone,
            std::slice::from_ref(&first),
        );
        assert!(
            naive.derivable(5).is_empty(),
            "each release alone is protected"
        );
        let exposed = pinned(&[&first, &naive]);
        assert!(
            exposed
                .iter()
                .any(|&(r, c)| r == 0 && first.cells[c].unit == Unit::Area(0)),
            "joined, the reader pins A's first value: {exposed:?}"
        );
        let joint = protect_release(
            2025,
            &layout(false),
            &late,
            d("2025-12-31"),
            &rules,
            std::slice::from_ref(&first),
        );
        assert!(pinned(&[&first, &joint]).is_empty());
        // Hidden once, hidden again.
        for c in first.cells.iter().filter(|c| c.status.hidden()) {
            assert!(joint.cell(c.unit, c.period).unwrap().status.hidden());
        }
    }

    /// A late record outside every wijk adds a cell to the table: the new release with it is
    /// jointly safe with the one before.
    #[test]
    fn a_new_not_located_cell_is_protected_with_the_release_before() {
        let rules = Rules::builtin();
        let first = protect_year(
            2025,
            &layout(false),
            &counts(3, 9, 0),
            d("2025-12-31"),
            &rules,
        );
        let second = protect_release(
            2025,
            &layout(true),
            &counts(3, 9, 1),
            d("2025-12-31"),
            &rules,
            std::slice::from_ref(&first),
        );
        assert!(
            second
                .cell(Unit::NotLocated, PubPeriod::Year { year: 2025 })
                .is_some()
        );
        assert!(pinned(&[&first, &second]).is_empty());
        let third = protect_release(
            2025,
            &layout(true),
            &counts(4, 12, 2),
            d("2025-12-31"),
            &rules,
            &[first.clone(), second.clone()],
        );
        assert!(pinned(&[&first, &second, &third]).is_empty());
    }
}
