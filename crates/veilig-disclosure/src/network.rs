//! Cell suppression on tables whose additive relations form a network, with an exact audit.
//!
//! A table is a set of cells with equations `total = part + part + ...`. When every cell
//! appears with a plus sign in at most one equation and with a minus sign in at most one
//! (after some equations are multiplied by -1), each cell is an arc between two equations
//! (or "outside"), the table is a circulation, and every table that agrees with the shown
//! cells differs from the true one by a circulation on the hidden arcs (Cox 1980). A hidden
//! cell can then be derived exactly by a reader who knows all shown cells, all equations,
//! that counts are whole and not negative, and the bounds its label gives away ("fewer than
//! 5": at most 4; "hidden to protect another cell": at least 5), if and only if no cycle of
//! the residual network passes through it. [`determined`] answers that for every hidden cell
//! by a graph search; [`protect`] adds secondary suppressions until it answers "none".
//!
//! One hierarchy (the zone's months, quarters and year) is a tree of equations; two trees
//! that share their root cell (the zone's year, which is the total of the time tree and of
//! the space tree) become a network when the equations of one tree are negated.

use serde::{Deserialize, Serialize};

/// What a reader is told about a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Shown,
    /// Under the threshold ("fewer than 5").
    Primary,
    /// Hidden so that another hidden cell cannot be derived from the shown ones.
    Secondary,
}

impl Status {
    /// The honest label of a cell: shown, or hidden because it is under the threshold
    /// (primary), or hidden although it is not (secondary: to protect another cell).
    pub fn of(hidden: bool, value: u64, threshold: u64) -> Status {
        match (hidden, value < threshold) {
            (false, _) => Status::Shown,
            (true, true) => Status::Primary,
            (true, false) => Status::Secondary,
        }
    }

    pub fn hidden(self) -> bool {
        self != Status::Shown
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Shown => "shown",
            Status::Primary => "primary",
            Status::Secondary => "secondary",
        }
    }
}

/// `total = Σ parts`; `negated` equations are entered as `Σ parts − total = 0`.
#[derive(Debug, Clone)]
struct Equation {
    total: usize,
    parts: Vec<usize>,
    negated: bool,
}

/// Cells and the equations between them.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub values: Vec<u64>,
    equations: Vec<Equation>,
}

/// The node "outside every equation".
const OUTSIDE: usize = 0;

impl Table {
    /// A table of cells without relations; returns it for [`Table::equation`].
    pub fn new(values: Vec<u64>) -> Table {
        Table {
            values,
            equations: Vec::new(),
        }
    }

    /// Adds `total = Σ parts`. The two hierarchies of a network are told apart by `negated`
    /// (one tree plain, the other negated).
    pub fn equation(&mut self, total: usize, parts: Vec<usize>, negated: bool) {
        debug_assert_eq!(
            self.values[total],
            parts.iter().map(|&p| self.values[p]).sum::<u64>(),
            "equation does not hold: cell {total} = {parts:?}"
        );
        self.equations.push(Equation {
            total,
            parts,
            negated,
        });
    }

    /// The equations as (total, parts): `total = Σ parts`.
    pub fn equations(&self) -> impl Iterator<Item = (usize, &[usize])> {
        self.equations.iter().map(|e| (e.total, e.parts.as_slice()))
    }

    /// Each cell as an arc (tail, head) between equation nodes (1 + equation index) or
    /// [`OUTSIDE`]. Panics when the equations do not form a network (a construction error).
    fn arcs(&self) -> Vec<(usize, usize)> {
        let mut tail = vec![None; self.values.len()];
        let mut head = vec![None; self.values.len()];
        for (e, eq) in self.equations.iter().enumerate() {
            let node = e + 1;
            // Plain: parts enter with +, the total with −. Negated: the reverse.
            let (plus, minus): (Vec<usize>, Vec<usize>) = if eq.negated {
                (vec![eq.total], eq.parts.clone())
            } else {
                (eq.parts.clone(), vec![eq.total])
            };
            for c in plus {
                assert!(head[c].is_none(), "cell {c} enters two equations with +");
                head[c] = Some(node);
            }
            for c in minus {
                assert!(tail[c].is_none(), "cell {c} enters two equations with −");
                tail[c] = Some(node);
            }
        }
        tail.into_iter()
            .zip(head)
            .map(|(t, h)| (t.unwrap_or(OUTSIDE), h.unwrap_or(OUTSIDE)))
            .collect()
    }
}

/// What a reader knows of a hidden cell from its label: whole, not negative, at most
/// `threshold − 1` when primary, at least `threshold` when secondary (secondary cells are
/// chosen among cells that could have been shown).
pub(crate) fn bounds(status: Status, threshold: u64) -> (u64, Option<u64>) {
    match status {
        Status::Shown => (0, None),
        Status::Primary => (0, Some(threshold.saturating_sub(1))),
        Status::Secondary => (threshold, None),
    }
}

/// The hidden cells a reader can derive exactly from the shown cells, the equations and the
/// labels, in cell order. Exact for networks: a hidden cell is free if and only if a cycle of
/// the residual network (hidden arcs that may grow forward, hidden arcs that may shrink
/// backward) passes through it.
pub fn determined(table: &Table, status: &[Status], threshold: u64) -> Vec<usize> {
    let arcs = table.arcs();
    let nodes = table.equations.len() + 1;
    let can = |c: usize| {
        let v = table.values[c];
        let (lo, hi) = bounds(status[c], threshold);
        (hi.is_none_or(|h| v < h), v > lo)
    };
    let hidden: Vec<usize> = (0..status.len()).filter(|&c| status[c].hidden()).collect();
    let mut out = Vec::new();
    for &x in &hidden {
        let (inc, dec) = can(x);
        let (u, v) = arcs[x];
        if u == v {
            // In no equation (or only through OUTSIDE on both ends): free within its bounds.
            if !(inc || dec) {
                out.push(x);
            }
            continue;
        }
        // Residual graph without x.
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); nodes];
        for &c in &hidden {
            if c == x {
                continue;
            }
            let (a, b) = arcs[c];
            let (ci, cd) = can(c);
            if ci {
                adj[a].push(b);
            }
            if cd {
                adj[b].push(a);
            }
        }
        let free = (inc && reaches(&adj, v, u)) || (dec && reaches(&adj, u, v));
        if !free {
            out.push(x);
        }
    }
    out
}

fn reaches(adj: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; adj.len()];
    let mut stack = vec![from];
    seen[from] = true;
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        for &m in &adj[n] {
            if !seen[m] {
                seen[m] = true;
                stack.push(m);
            }
        }
    }
    false
}

/// Primary suppression (every cell under `threshold`), then secondary suppression until
/// [`determined`] finds no hidden cell a reader could derive. For each derivable cell the
/// companion is the smallest shown cell of its equations that frees it (the least
/// information lost); when none does alone, the smallest of them is hidden and the search
/// goes on. Ends with every derivable cell freed, or with nothing left to hide.
pub fn protect(table: &Table, threshold: u64) -> Vec<Status> {
    protect_from(table, threshold, &vec![false; table.values.len()])
}

/// [`protect`] with the cells marked in `forced` hidden from the start (a priori
/// suppressions: cells hidden in an earlier release of the same table stay hidden).
pub fn protect_from(table: &Table, threshold: u64, forced: &[bool]) -> Vec<Status> {
    let mut status: Vec<Status> = table
        .values
        .iter()
        .zip(forced)
        .map(|(&v, &f)| Status::of(f || v < threshold, v, threshold))
        .collect();
    loop {
        let Some(&x) = determined(table, &status, threshold).first() else {
            // No single cell can be derived. One more thing a shown total and its shown
            // parts give away: the sum of the hidden parts. Under the threshold it is itself
            // a small count (January-March minus January is February-March), so the smallest
            // shown part joins them.
            match small_hidden_sum(table, &status, threshold) {
                Some(c) => {
                    status[c] = Status::Secondary;
                    continue;
                }
                None => return status,
            }
        };
        let mut near: Vec<usize> = table
            .equations
            .iter()
            .filter(|e| e.total == x || e.parts.contains(&x))
            .flat_map(|e| std::iter::once(e.total).chain(e.parts.iter().copied()))
            .filter(|&c| !status[c].hidden())
            .collect();
        near.sort_by_key(|&c| (table.values[c], c));
        near.dedup();
        if near.is_empty() {
            // Every neighbour is hidden already: hide the smallest shown cell anywhere.
            near = (0..status.len()).filter(|&c| !status[c].hidden()).collect();
            near.sort_by_key(|&c| (table.values[c], c));
            if near.is_empty() {
                return status;
            }
        }
        let pick = near
            .iter()
            .copied()
            .find(|&c| {
                let mut trial = status.clone();
                trial[c] = Status::Secondary;
                !determined(table, &trial, threshold).contains(&x)
            })
            .unwrap_or(near[0]);
        status[pick] = Status::Secondary;
    }
}

/// The smallest shown part of the first equation whose total is shown and whose hidden
/// parts sum to less than the threshold (but are not all of its parts).
fn small_hidden_sum(table: &Table, status: &[Status], threshold: u64) -> Option<usize> {
    table.equations.iter().find_map(|e| {
        if status[e.total].hidden() {
            return None;
        }
        let hidden: u64 = e
            .parts
            .iter()
            .filter(|&&c| status[c].hidden())
            .map(|&c| table.values[c])
            .sum();
        let any_hidden = e.parts.iter().any(|&c| status[c].hidden());
        if !any_hidden || hidden >= threshold {
            return None;
        }
        e.parts
            .iter()
            .copied()
            .filter(|&c| !status[c].hidden())
            .min_by_key(|&c| (table.values[c], c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-level table: total = a + b + c + d.
    fn line(parts: &[u64]) -> Table {
        let mut values = vec![parts.iter().sum()];
        values.extend_from_slice(parts);
        let mut t = Table::new(values);
        t.equation(0, (1..=parts.len()).collect(), false);
        t
    }

    fn hidden(s: &[Status]) -> Vec<usize> {
        (0..s.len()).filter(|&i| s[i].hidden()).collect()
    }

    #[test]
    fn a_single_small_cell_in_a_line_takes_the_smallest_other_with_it() {
        // 62 = 12 + 3 + 40 + 7: hiding the 3 alone lets 62 − 12 − 40 − 7 give it back.
        let t = line(&[12, 3, 40, 7]);
        let s = protect(&t, 5);
        assert_eq!(hidden(&s), vec![2, 4]);
        assert_eq!(s[4], Status::Secondary);
        assert!(determined(&t, &s, 5).is_empty());
    }

    #[test]
    fn hidden_parts_that_sum_to_a_small_count_take_a_companion() {
        // 14 = 9 + 2 + 3: hiding 2 and 3 leaves none derivable, but 14 − 9 = 5 is fine;
        // 12 = 9 + 1 + 2: 12 − 9 = 3 would be a small count of the two together.
        let t = line(&[9, 2, 3]);
        assert_eq!(hidden(&protect(&t, 5)), vec![2, 3]);
        let t = line(&[9, 1, 2]);
        let s = protect(&t, 5);
        assert_eq!(hidden(&s), vec![1, 2, 3]);
        assert!(small_hidden_sum(&t, &s, 5).is_none());
    }

    #[test]
    fn two_hidden_zeros_in_a_line_are_not_safe() {
        // 20 = 0 + 0 + 20: both zeros hidden, but their sum is 0, so both are 0.
        let t = line(&[0, 0, 20]);
        let mut s = vec![
            Status::Shown,
            Status::Primary,
            Status::Primary,
            Status::Shown,
        ];
        assert_eq!(determined(&t, &s, 5), vec![1, 2]);
        s = protect(&t, 5);
        // A third hidden cell (the smallest shown: the total or the 20) frees the zeros.
        assert_eq!(hidden(&s).len(), 3);
        assert!(determined(&t, &s, 5).is_empty());
    }

    #[test]
    fn labels_are_knowledge_a_small_cell_at_its_bound() {
        // 13 = 4 + 9: both hidden (4 primary, 9 secondary). The reader knows a ≤ 4 and
        // b ≥ 5, a + b = 13: a = 4 − k, b = 9 + k is possible for k = 1..4, so both are free.
        let t = line(&[4, 9]);
        let s = protect(&t, 5);
        assert!(determined(&t, &s, 5).is_empty());
        // 5 = 0 + 5: a ≥ 0 and b ≥ 5 with a + b = 5 pin both.
        let t = line(&[0, 5]);
        let s = vec![Status::Shown, Status::Primary, Status::Secondary];
        assert_eq!(determined(&t, &s, 5), vec![1, 2]);
        // Protection then hides the total: the line is fully hidden and free.
        let s = protect(&t, 5);
        assert!(determined(&t, &s, 5).is_empty(), "{s:?}");
    }

    /// Every table of whole non-negative numbers with the structure of [`two_trees`] and a
    /// year up to `max_year`, summarised against the true table `t` as (cells equal to the
    /// truth, cells within the bounds the truth's label gives): a hiding pattern admits an
    /// alternative when it equals the truth on every shown cell and keeps every hidden cell
    /// within its label's bounds.
    fn alternatives(t: &Table, max_year: u64) -> std::collections::HashSet<(u32, u32)> {
        let mut out = std::collections::HashSet::new();
        for y in 0..=max_year {
            for m0 in 0..=y {
                for m1 in 0..=y - m0 {
                    for m2 in 0..=y - m0 - m1 {
                        let m3 = y - m0 - m1 - m2;
                        for a0 in 0..=y {
                            for a1 in 0..=y - a0 {
                                let alt = two_trees([m0, m1, m2, m3], [a0, a1], y - a0 - a1);
                                let (mut eq, mut ok) = (0u32, 0u32);
                                for c in 0..t.values.len() {
                                    if alt.values[c] == t.values[c] {
                                        eq |= 1 << c;
                                    }
                                    if (alt.values[c] < 5) == (t.values[c] < 5) {
                                        ok |= 1 << c;
                                    }
                                }
                                out.insert((eq, ok));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Brute force: the hidden cells that have the true value in every admitted alternative.
    fn brute_determined(alts: &std::collections::HashSet<(u32, u32)>, s: &[Status]) -> Vec<usize> {
        let hid: u32 = (0..s.len())
            .filter(|&c| s[c].hidden())
            .map(|c| 1 << c)
            .sum();
        let mut free = 0u32;
        for &(eq, ok) in alts {
            if !hid & !eq & ((1 << s.len()) - 1) == 0 && hid & !ok == 0 {
                free |= hid & !eq;
            }
        }
        (0..s.len())
            .filter(|&c| hid & (1 << c) != 0 && free & (1 << c) == 0)
            .collect()
    }

    /// A small two-tree table: time (year = q1 + q2, q1 = m1 + m2, q2 = m3 + m4, negated)
    /// and space (year = A + B, A = a1 + a2) joined at the year.
    fn two_trees(m: [u64; 4], a: [u64; 2], b: u64) -> Table {
        // cells: 0 year, 1 q1, 2 q2, 3..=6 months, 7 A, 8 B, 9 a1, 10 a2
        let year = m.iter().sum::<u64>();
        assert_eq!(year, a[0] + a[1] + b);
        let values = vec![
            year,
            m[0] + m[1],
            m[2] + m[3],
            m[0],
            m[1],
            m[2],
            m[3],
            a[0] + a[1],
            b,
            a[0],
            a[1],
        ];
        let mut t = Table::new(values);
        t.equation(0, vec![1, 2], true);
        t.equation(1, vec![3, 4], true);
        t.equation(2, vec![5, 6], true);
        t.equation(0, vec![7, 8], false);
        t.equation(7, vec![9, 10], false);
        t
    }

    #[test]
    fn the_audit_agrees_with_brute_force_on_every_pattern_of_small_tables() {
        let tables = [
            two_trees([3, 6, 0, 8], [2, 9], 6),
            two_trees([1, 1, 7, 9], [4, 4], 10),
            two_trees([0, 5, 5, 0], [5, 0], 5),
            two_trees([2, 0, 1, 4], [3, 1], 3),
        ];
        for t in &tables {
            let n = t.values.len();
            let alts = alternatives(t, t.values[0] + 3);
            // Every hiding pattern (2^11) with honest labels.
            for mask in 0u32..(1 << n) {
                let s: Vec<Status> = (0..n)
                    .map(|c| {
                        if mask & (1 << c) == 0 {
                            Status::Shown
                        } else if t.values[c] < 5 {
                            Status::Primary
                        } else {
                            Status::Secondary
                        }
                    })
                    .collect();
                // Honest: every cell under 5 is hidden.
                if (0..n).any(|c| t.values[c] < 5 && !s[c].hidden()) {
                    continue;
                }
                assert_eq!(
                    determined(t, &s, 5),
                    brute_determined(&alts, &s),
                    "values {:?} pattern {mask:b}",
                    t.values
                );
            }
            let s = protect(t, 5);
            assert!(
                brute_determined(&alts, &s).is_empty(),
                "{:?} {s:?}",
                t.values
            );
        }
    }
}
