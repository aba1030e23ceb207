//! The reader's own solver, independent of the library's audit: it writes down every
//! equation a reader can know from what it was answered (a year is its quarters and its
//! months, a quarter its months; the zone is its municipalities and the incidents in no
//! wijk, a municipality its wijken), whole non-negative counts, the bounds every label gives
//! ("< 5": at most 4; hidden to protect another: at least 5), and, across the versions it
//! saved, that late records only add (a figure never shrinks from one version to the next).
//! Then it asks an integer programme (HiGHS) for the smallest and largest value of every
//! hidden figure: where they meet, the figure is recovered.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};
use veilig_disclosure::PubPeriod;

use super::reader::{Key, Reader, THRESHOLD};

/// A figure the reader reasons about: one key in one saved version.
type Var = (usize, Key);

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn month(y: i32, m: u32) -> (NaiveDate, NaiveDate) {
    let end = if m == 12 {
        ymd(y, 12, 31)
    } else {
        ymd(y, m + 1, 1).pred_opt().unwrap()
    };
    (ymd(y, m, 1), end)
}

fn quarter(y: i32, q: u32) -> (NaiveDate, NaiveDate) {
    (month(y, 3 * q - 2).0, month(y, 3 * q).1)
}

/// The equations of one version of one phenomenon, over the keys the reader was answered and
/// the figures it was not (municipalities in a view of wijken, incidents in no wijk) as
/// unknowns of their own.
fn equations(r: &Reader, phenomenon: &str, public: bool) -> Vec<(Key, Vec<Key>)> {
    let seen = |k: &Key| r.shown.contains_key(k) || r.hidden.contains(k);
    let keys: Vec<&Key> = r
        .shown
        .keys()
        .chain(r.hidden.iter())
        .filter(|k| k.0 == phenomenon)
        .collect();
    let units: BTreeSet<String> = keys.iter().map(|k| k.1.clone()).collect();
    let years: BTreeSet<i32> = keys.iter().map(|k| k.2.year()).collect();
    let key =
        |u: &str, (s, e): (NaiveDate, NaiveDate)| (phenomenon.to_string(), u.to_string(), s, e);
    let mut out = Vec::new();
    // Time, per unit: the year over its quarters and over its months, each quarter over its
    // months, wherever all of them were answered.
    for u in &units {
        for &y in &years {
            let year = key(u, (ymd(y, 1, 1), ymd(y, 12, 31)));
            let quarters: Vec<Key> = (1..=4).map(|q| key(u, quarter(y, q))).collect();
            let months: Vec<Key> = (1..=12).map(|m| key(u, month(y, m))).collect();
            for parts in [&quarters, &months] {
                if seen(&year) && parts.iter().all(seen) {
                    out.push((year.clone(), parts.clone()));
                }
            }
            for q in 1..=4 {
                let parts: Vec<Key> = (3 * q - 2..=3 * q).map(|m| key(u, month(y, m))).collect();
                let total = key(u, quarter(y, q));
                if seen(&total) && parts.iter().all(seen) {
                    out.push((total, parts));
                }
            }
        }
    }
    // Space, per answered period with figures below the zone.
    let periods: BTreeSet<(NaiveDate, NaiveDate)> = keys
        .iter()
        .filter(|k| k.1 != "zone")
        .map(|k| (k.2, k.3))
        .collect();
    for p in periods {
        let zone = key("zone", p);
        if !seen(&zone) {
            continue;
        }
        let mut parts: Vec<Key> = r
            .municipalities
            .iter()
            .map(|m| key(&format!("m:{m}"), p))
            .collect();
        // The incidents in no wijk: answered in the public table when there are any;
        // otherwise zero for the public reader, and an unknown for a reader of wijken.
        let nl = key("nl", p);
        if seen(&nl) || !public {
            parts.push(nl);
        }
        out.push((zone, parts));
        for m in &r.municipalities {
            let areas: Vec<Key> = r
                .area_municipality
                .iter()
                .filter(|(_, am)| *am == m)
                .map(|(a, _)| key(&format!("a:{a}"), p))
                .collect();
            if !areas.is_empty() && areas.iter().all(seen) {
                out.push((key(&format!("m:{m}"), p), areas));
            }
        }
    }
    out
}

/// What the reader knows of one figure: its value, or its label's bounds.
fn bounds(r: &Reader, k: &Key, cap: f64) -> (f64, f64) {
    if let Some(&v) = r.shown.get(k) {
        return (v as f64, v as f64);
    }
    match r.labels.get(k).map(String::as_str) {
        Some("primary") => (0.0, (THRESHOLD - 1) as f64),
        Some("secondary") => (THRESHOLD as f64, cap),
        _ => (0.0, cap),
    }
}

/// Every hidden figure of every saved version (oldest first) that the reader pins down, with
/// its value. `public`: the versions are of the public table (no column for incidents in no
/// wijk means none).
pub(crate) fn solve(versions: &[Reader], public: bool) -> BTreeMap<Var, u64> {
    let phenomena: BTreeSet<String> = versions
        .iter()
        .flat_map(|r| r.shown.keys().chain(r.hidden.iter()).map(|k| k.0.clone()))
        .collect();
    let mut out = BTreeMap::new();
    for p in &phenomena {
        let largest = versions
            .iter()
            .flat_map(|r| r.shown.iter().filter(|(k, _)| &k.0 == p).map(|(_, v)| *v))
            .max()
            .unwrap_or(0);
        let cap = (10 * largest + 100) as f64;
        // The variables: every figure of every version in an equation or answered.
        let mut vars: Vec<Var> = Vec::new();
        let mut index: HashMap<Var, usize> = HashMap::new();
        let mut rows: Vec<Vec<(usize, f64)>> = Vec::new();
        let mut var = |v: Var, vars: &mut Vec<Var>| -> usize {
            *index.entry(v.clone()).or_insert_with(|| {
                vars.push(v);
                vars.len() - 1
            })
        };
        for (i, r) in versions.iter().enumerate() {
            // Calendar periods only: other periods are refused under the protection, and
            // what a reader without it is answered for them the propagation reads already.
            let calendar = |k: &&Key| PubPeriod::of(k.2, k.3).is_some();
            for k in r
                .shown
                .keys()
                .chain(r.hidden.iter())
                .filter(|k| &k.0 == p)
                .filter(calendar)
            {
                var((i, k.clone()), &mut vars);
            }
            for (total, parts) in equations(r, p, public) {
                let mut row = vec![(var((i, total), &mut vars), 1.0)];
                row.extend(parts.into_iter().map(|k| (var((i, k), &mut vars), -1.0)));
                rows.push(row);
            }
        }
        let equations_end = rows.len();
        // Late records only add.
        let mut by_key: BTreeMap<Key, Vec<(usize, usize)>> = BTreeMap::new();
        for (c, (i, k)) in vars.iter().enumerate() {
            by_key.entry(k.clone()).or_default().push((*i, c));
        }
        for list in by_key.values_mut() {
            list.sort();
            for w in list.windows(2) {
                rows.push(vec![(w[1].1, 1.0), (w[0].1, -1.0)]);
            }
        }
        let model = |target: usize, sense: Sense| -> Option<f64> {
            let mut pb = RowProblem::default();
            let cols: Vec<_> = vars
                .iter()
                .enumerate()
                .map(|(c, (i, k))| {
                    let (lo, hi) = bounds(&versions[*i], k, cap);
                    let cost = if c == target { 1.0 } else { 0.0 };
                    pb.add_integer_column(cost, lo..=hi)
                })
                .collect();
            for (n, row) in rows.iter().enumerate() {
                // The rows after the equations (a figure never shrinks) are inequalities.
                let terms = row.iter().map(|&(c, a)| (cols[c], a));
                if n < equations_end {
                    pb.add_row(0.0..=0.0, terms);
                } else {
                    pb.add_row(0.0.., terms);
                }
            }
            let mut m = pb.optimise(sense);
            m.make_quiet();
            m.set_option("mip_rel_gap", 0.0);
            m.set_option("time_limit", 30.0);
            let s = m.try_solve().ok()?;
            if s.status() != HighsModelStatus::Optimal
                || s.primal_solution_status() != HighsSolutionStatus::Feasible
            {
                return None;
            }
            Some(s.get_solution().columns()[target])
        };
        for (c, (i, k)) in vars.iter().enumerate() {
            if !versions[*i].hidden.contains(k) {
                continue;
            }
            let (Some(hi), Some(lo)) = (model(c, Sense::Maximise), model(c, Sense::Minimise))
            else {
                continue;
            };
            if (hi - lo).abs() < 0.5 {
                out.insert((*i, k.clone()), lo.round() as u64);
            }
        }
    }
    out
}
