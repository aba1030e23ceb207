//! Per-table threshold suppression, without control of periods: what Veilig did before the
//! protected year tables, kept as the unprotected comparison of the attack test (rules with
//! `protection = false`). It protects one table against its own totals, but not against a
//! reader who combines tables of overlapping periods.
//!
//! Disclosure control for what partners and the public see (principle 5): every count under
//! the threshold is suppressed (primary suppression), and where a line's total is published,
//! a further cell is suppressed in any line with exactly one suppressed cell, so that the
//! total minus the shown cells cannot reveal it (secondary suppression). Zeros count as small
//! cells: "none" is as telling as "one" about a street with three houses.
//!
//! The rule is the classic one of statistical offices (e.g. Hundepool et al., *Statistical
//! Disclosure Control*, Wiley 2012, §5.2 "primary and secondary suppression"); the secondary
//! cell chosen is the smallest shown one, which loses the least information.

use serde::Serialize;

/// Which cells and totals of a table may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `true` where a cell must not be shown, row by row.
    pub cells: Vec<Vec<bool>>,
    /// Row totals (when published) that must not be shown.
    pub row_totals: Vec<bool>,
    /// Column totals (when published) that must not be shown.
    pub col_totals: Vec<bool>,
    /// The grand total.
    pub grand_total: bool,
}

/// Decides the suppression of a table of counts. `row_totals` / `col_totals` say whether the
/// table publishes those totals (a single row with its total is the per-area list with the
/// zone total). Rows must be of equal length.
pub fn suppress(
    table: &[Vec<u64>],
    threshold: u64,
    row_totals: bool,
    col_totals: bool,
) -> Suppression {
    let nrows = table.len();
    let ncols = table.first().map(|r| r.len()).unwrap_or(0);
    assert!(table.iter().all(|r| r.len() == ncols), "ragged table");
    let values: Vec<u64> = table.iter().flatten().copied().collect();
    let mut lines = Vec::new();
    if row_totals {
        lines.extend((0..nrows).map(|r| (0..ncols).map(|c| r * ncols + c).collect()));
    }
    if col_totals {
        lines.extend((0..ncols).map(|c| (0..nrows).map(|r| r * ncols + c).collect()));
    }
    let (hide, totals) = suppress_lines(&values, &lines, threshold);
    let row_hidden = |r: usize| table[r].iter().sum::<u64>() < threshold;
    Suppression {
        cells: (0..nrows)
            .map(|r| hide[r * ncols..(r + 1) * ncols].to_vec())
            .collect(),
        row_totals: (0..nrows).map(|r| row_totals && row_hidden(r)).collect(),
        col_totals: if col_totals {
            totals[lines.len() - ncols..].to_vec()
        } else {
            vec![false; ncols]
        },
        grand_total: values.iter().sum::<u64>() < threshold,
    }
}

/// The general form: `values` are cells, each of `lines` is a set of cells whose total is
/// published (a zone's areas, the areas of one municipality, ...). Returns which cells and
/// which line totals must be hidden. Lines may overlap (hierarchies): the loop runs until no
/// line holds exactly one hidden cell.
pub fn suppress_lines(
    values: &[u64],
    lines: &[Vec<usize>],
    threshold: u64,
) -> (Vec<bool>, Vec<bool>) {
    let mut hide: Vec<bool> = values.iter().map(|&v| v < threshold).collect();
    // A published total under the threshold is itself suppressed; its line then needs no
    // protection from it.
    let total_hidden: Vec<bool> = lines
        .iter()
        .map(|l| l.iter().map(|&i| values[i]).sum::<u64>() < threshold)
        .collect();
    loop {
        let mut changed = false;
        for (l, line) in lines.iter().enumerate() {
            if !total_hidden[l] {
                changed |= protect(values, &mut hide, line);
            }
        }
        if !changed {
            break;
        }
    }
    (hide, total_hidden)
}

/// In one line with a published total: exactly one hidden cell gets a companion, the
/// smallest shown cell. Returns whether anything changed.
fn protect(values: &[u64], hide: &mut [bool], line: &[usize]) -> bool {
    if line.iter().filter(|&&i| hide[i]).count() != 1 {
        return false;
    }
    match line
        .iter()
        .filter(|&&i| !hide[i])
        .min_by_key(|&&i| values[i])
    {
        Some(&i) => {
            hide[i] = true;
            true
        }
        None => false,
    }
}

/// A count as it may be shown: the number, or `None` when suppressed.
pub fn shown(value: u64, threshold: u64) -> Option<u64> {
    (value >= threshold).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hidden(s: &Suppression) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (r, row) in s.cells.iter().enumerate() {
            for (c, h) in row.iter().enumerate() {
                if *h {
                    out.push((r, c));
                }
            }
        }
        out
    }

    #[test]
    fn a_single_small_cell_in_a_totalled_line_takes_the_smallest_other_with_it() {
        // Areas 12, 3, 40, 7 with the zone total 62: hiding only the 3 would let 62-12-40-7
        // reveal it; the 7 goes too.
        let s = suppress(&[vec![12, 3, 40, 7]], 5, true, false);
        assert_eq!(hidden(&s), vec![(0, 1), (0, 3)]);
        assert_eq!(s.row_totals, vec![false]);
        // Without a published total, the 3 alone is hidden.
        let s = suppress(&[vec![12, 3, 40, 7]], 5, false, false);
        assert_eq!(hidden(&s), vec![(0, 1)]);
        // Two small cells protect each other.
        let s = suppress(&[vec![12, 3, 40, 2]], 5, true, false);
        assert_eq!(hidden(&s), vec![(0, 1), (0, 3)]);
        // Zeros are small cells.
        assert_eq!(
            hidden(&suppress(&[vec![0, 9, 9]], 5, false, false)),
            vec![(0, 0)]
        );
    }

    #[test]
    fn two_way_tables_are_protected_in_rows_and_columns() {
        let t = vec![vec![20, 2, 30], vec![25, 40, 35], vec![50, 60, 70]];
        let s = suppress(&t, 5, true, true);
        // No line may hold exactly one hidden cell, and no hidden cell may be recoverable.
        for r in 0..3 {
            assert_ne!(s.cells[r].iter().filter(|h| **h).count(), 1, "row {r}");
        }
        for c in 0..3 {
            assert_ne!((0..3).filter(|&r| s.cells[r][c]).count(), 1, "col {c}");
        }
        assert!(s.cells[0][1]);
        // The cheapest protection here hides a 2x2 block: 4 cells.
        assert_eq!(hidden(&s).len(), 4, "{:?}", hidden(&s));
    }

    #[test]
    fn nested_lines_protect_each_level() {
        // Zone = areas 0..4; municipality A = areas 0,1; B = areas 2,3.
        // Area 1 (3) is small; within A its companion must be area 0, whatever the zone line
        // picks, and the zone line then holds two hidden cells.
        let values = [20, 3, 6, 40];
        let lines = vec![vec![0, 1, 2, 3], vec![0, 1], vec![2, 3]];
        let (hide, totals) = suppress_lines(&values, &lines, 5);
        assert!(hide[1]);
        for l in &lines {
            assert_ne!(l.iter().filter(|&&i| hide[i]).count(), 1, "{l:?} {hide:?}");
        }
        assert_eq!(totals, vec![false, false, false]);
    }

    #[test]
    fn small_totals_are_suppressed_themselves() {
        let s = suppress(&[vec![1, 2], vec![30, 40]], 5, true, true);
        assert_eq!(s.row_totals, vec![true, false]);
        assert!(!s.grand_total);
        assert_eq!(shown(4, 5), None);
        assert_eq!(shown(5, 5), Some(5));
    }
}
