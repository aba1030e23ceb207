//! Every working pattern one employee may legally work over the horizon, as the paths of a
//! layered graph. Layer `k` holds the states after the first `k` days; a state carries what
//! the hard rules need to know about the past (yesterday's shift, the length of the current
//! run of working days or days off and whether it began on day 0, minutes worked, weekends
//! worked, and the count of each shift type whose maximum can bind). An edge is one day's
//! choice (a shift, or a day off). Only states that can still reach a legal end are kept, so
//! every path from the first layer to the last is a pattern that keeps every hard rule of
//! [`super::evaluate`], and every such pattern is a path.
//!
//! The graph does not depend on costs: column generation prices it again and again with new
//! duals, and branching forbids choices by giving them an infinite cost
//! ([`Graph::cheapest`]).

use std::collections::HashMap;

use super::Instance;

/// Shift types whose maximum can bind are counted in the state; more than this many per
/// employee is refused (no instance of the benchmark comes near it).
const MAX_COUNTED: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    /// Yesterday's shift, or `None` for a day off (or before day 0).
    last: Option<u8>,
    /// Length of the current run (working days or days off); 0 before day 0. Runs of days
    /// off are capped at the minimum, which is all the rules need to know.
    run: u8,
    /// The current run began on day 0 (so a short run is allowed).
    from_start: bool,
    minutes: u32,
    weekends: u8,
    counts: [u8; MAX_COUNTED],
}

/// One day's choice on an edge: a shift index, or `OFF`.
pub(super) const OFF: u8 = u8::MAX;

#[derive(Debug)]
pub(super) struct Graph {
    days: usize,
    /// edges[day] = (state in layer day, state in layer day + 1, choice).
    edges: Vec<Vec<(u32, u32, u8)>>,
    /// Number of states in each layer (days + 1 layers; layer 0 is the single start).
    sizes: Vec<usize>,
}

/// The pattern of one path: the shift worked each day, or `None`.
pub(super) type Pattern = Vec<Option<usize>>;

impl Graph {
    /// Builds the graph of employee `e`. Errors when no legal pattern exists.
    pub(super) fn build(inst: &Instance, e: usize) -> Result<Graph, String> {
        let staff = &inst.staff[e];
        let nt = inst.shifts.len();
        let d = inst.days;
        let counted: Vec<usize> = (0..nt)
            .filter(|&t| staff.max_shifts[t] > 0 && (staff.max_shifts[t] as usize) < d)
            .collect();
        if counted.len() > MAX_COUNTED {
            return Err(format!(
                "{}: more than {MAX_COUNTED} shift types with a limit",
                staff.id
            ));
        }
        let slot: Vec<Option<usize>> = (0..nt)
            .map(|t| counted.iter().position(|&c| c == t))
            .collect();
        let longest = inst.minutes.iter().copied().max().unwrap_or(0);
        let full_weeks = d / 7;
        let step = |s: &State, day: usize, choice: Option<usize>| -> Option<State> {
            let mut n = *s;
            let worked_yesterday = s.last.is_some();
            match choice {
                Some(u) => {
                    if staff.max_shifts[u] == 0 || inst.days_off[e].contains(&day) {
                        return None;
                    }
                    if let Some(t) = s.last
                        && inst.forbidden[t as usize].contains(&u)
                    {
                        return None;
                    }
                    if let Some(k) = slot[u] {
                        n.counts[k] += 1;
                        if n.counts[k] as u32 > staff.max_shifts[u] {
                            return None;
                        }
                    }
                    n.minutes += inst.minutes[u];
                    if n.minutes > staff.max_minutes {
                        return None;
                    }
                    let weekday = day % 7;
                    if day / 7 < full_weeks && (weekday == 5 || (weekday == 6 && !worked_yesterday))
                    {
                        n.weekends += 1;
                        if n.weekends as usize > staff.max_weekends {
                            return None;
                        }
                    }
                    if worked_yesterday {
                        n.run += 1;
                        if n.run as usize > staff.max_consecutive {
                            return None;
                        }
                    } else {
                        // A run of days off ends: too short only when bounded inside.
                        if s.run > 0 && !s.from_start && (s.run as usize) < staff.min_days_off {
                            return None;
                        }
                        n.run = 1;
                        n.from_start = day == 0;
                    }
                    n.last = Some(u as u8);
                }
                None => {
                    if worked_yesterday {
                        if !s.from_start && (s.run as usize) < staff.min_consecutive {
                            return None;
                        }
                        n.run = 1;
                        n.from_start = false;
                    } else {
                        n.run = (s.run + 1).min(staff.min_days_off.max(1) as u8);
                        if s.run == 0 {
                            n.from_start = day == 0;
                        }
                    }
                    n.last = None;
                }
            }
            // Not enough days left to reach the minimum total minutes.
            let left = (d - day - 1) as u32 * longest;
            (n.minutes + left >= staff.min_minutes).then_some(n)
        };
        let start = State {
            last: None,
            run: 0,
            from_start: true,
            minutes: 0,
            weekends: 0,
            counts: [0; MAX_COUNTED],
        };
        let mut layer = vec![start];
        let mut sizes = vec![1];
        let mut edges = Vec::with_capacity(d);
        for day in 0..d {
            let mut index: HashMap<State, u32> = HashMap::new();
            let mut next = Vec::new();
            let mut out = Vec::new();
            for (i, s) in layer.iter().enumerate() {
                for choice in (0..nt).map(Some).chain([None]) {
                    if let Some(n) = step(s, day, choice) {
                        let j = *index.entry(n).or_insert_with(|| {
                            next.push(n);
                            (next.len() - 1) as u32
                        });
                        out.push((i as u32, j, choice.map_or(OFF, |u| u as u8)));
                    }
                }
            }
            edges.push(out);
            sizes.push(next.len());
            layer = next;
        }
        // Keep only what reaches a legal end (the minimum minutes is met there).
        let mut alive: Vec<bool> = layer
            .iter()
            .map(|s| s.minutes >= staff.min_minutes)
            .collect();
        for day in (0..d).rev() {
            let mut before = vec![false; sizes[day]];
            edges[day].retain(|&(from, to, _)| {
                let keep = alive[to as usize];
                if keep {
                    before[from as usize] = true;
                }
                keep
            });
            alive = before;
        }
        if !alive[0] {
            return Err(format!("{}: no roster keeps every hard rule", staff.id));
        }
        Ok(Graph {
            days: d,
            edges,
            sizes,
        })
    }

    /// Least cost to finish from each state of each layer (`INFINITY` when the end cannot
    /// be reached), for `cost(day, choice)`.
    fn completion(&self, cost: &dyn Fn(usize, u8) -> f64) -> Vec<Vec<f64>> {
        let mut h: Vec<Vec<f64>> = self.sizes.iter().map(|&n| vec![f64::INFINITY; n]).collect();
        // Every surviving state of the last layer is a legal end.
        h[self.days].iter_mut().for_each(|v| *v = 0.0);
        for day in (0..self.days).rev() {
            let (now, after) = h.split_at_mut(day + 1);
            for &(from, to, c) in &self.edges[day] {
                let v = cost(day, c) + after[0][to as usize];
                let slot = &mut now[day][from as usize];
                if v < *slot {
                    *slot = v;
                }
            }
        }
        h
    }

    /// The cheapest pattern and its cost.
    pub(super) fn cheapest(&self, cost: &dyn Fn(usize, u8) -> f64) -> (f64, Pattern) {
        let h = self.completion(cost);
        let mut pattern = Vec::with_capacity(self.days);
        let mut at = 0u32;
        for day in 0..self.days {
            let &(_, to, c) = self.edges[day]
                .iter()
                .filter(|e| e.0 == at)
                .min_by(|a, b| {
                    (cost(day, a.2) + h[day + 1][a.1 as usize])
                        .total_cmp(&(cost(day, b.2) + h[day + 1][b.1 as usize]))
                })
                .expect("a surviving state has an edge onwards");
            pattern.push((c != OFF).then_some(c as usize));
            at = to;
        }
        (h[0][0], pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curtois::{Staff, evaluate};

    /// One employee with every rule binding somewhere over `days` days.
    fn one(days: usize, shifts: usize) -> Instance {
        let names = ["E", "L"];
        Instance {
            days,
            shifts: names[..shifts].iter().map(|s| s.to_string()).collect(),
            minutes: vec![480, 600][..shifts].to_vec(),
            // L may not be followed by E.
            forbidden: if shifts == 2 {
                vec![vec![], vec![0]]
            } else {
                vec![vec![]]
            },
            staff: vec![Staff {
                id: "A".into(),
                max_shifts: vec![days as u32, 3][..shifts].to_vec(),
                max_minutes: 480 * 6 + 120,
                min_minutes: 480 * 3,
                max_consecutive: 3,
                min_consecutive: 2,
                min_days_off: 2,
                max_weekends: 1,
            }],
            days_off: vec![vec![2]],
            on_requests: Vec::new(),
            off_requests: Vec::new(),
            cover: vec![vec![(0, 0, 0); shifts]; days],
        }
    }

    /// Number of paths from the start to the last layer.
    fn paths(g: &Graph) -> u64 {
        let mut n = vec![1u64];
        for day in 0..g.days {
            let mut next = vec![0u64; g.sizes[day + 1]];
            for &(from, to, _) in &g.edges[day] {
                next[to as usize] += n[from as usize];
            }
            n = next;
        }
        n.iter().sum()
    }

    /// Every pattern over the choices, in base (shifts + 1).
    fn all_patterns(days: usize, shifts: usize) -> impl Iterator<Item = Pattern> {
        let base = shifts + 1;
        (0..base.pow(days as u32)).map(move |mut code| {
            (0..days)
                .map(|_| {
                    let c = code % base;
                    code /= base;
                    (c < shifts).then_some(c)
                })
                .collect()
        })
    }

    /// The graph's paths are exactly the patterns the independent evaluator finds legal.
    #[test]
    fn the_graph_holds_exactly_the_legal_patterns() {
        for (days, shifts) in [(14, 1), (9, 2)] {
            let inst = one(days, shifts);
            let legal: Vec<Pattern> = all_patterns(days, shifts)
                .filter(|p| evaluate(&inst, &vec![p.clone()]).1.is_empty())
                .collect();
            assert!(legal.len() > 10, "the rules leave some patterns");
            let g = Graph::build(&inst, 0).unwrap();
            assert_eq!(
                paths(&g),
                legal.len() as u64,
                "{days} days, {shifts} shifts"
            );
            // The cheapest path for arbitrary prices is the cheapest legal pattern.
            let price = |day: usize, c: u8| {
                if c == OFF {
                    0.0
                } else {
                    ((day * 7 + c as usize * 3) % 5) as f64 - 2.5
                }
            };
            let (best, pattern) = g.cheapest(&price);
            let cost = |p: &Pattern| -> f64 {
                p.iter()
                    .enumerate()
                    .map(|(d, t)| price(d, t.map_or(OFF, |t| t as u8)))
                    .sum()
            };
            let brute = legal.iter().map(cost).fold(f64::INFINITY, f64::min);
            assert!((best - brute).abs() < 1e-9, "{best} vs {brute}");
            assert!(legal.contains(&pattern));
            assert!((cost(&pattern) - best).abs() < 1e-9);
        }
    }

    #[test]
    fn an_employee_with_no_legal_pattern_is_refused() {
        let mut inst = one(9, 1);
        inst.days_off[0] = (0..9).collect();
        assert!(Graph::build(&inst, 0).unwrap_err().contains("no roster"));
    }
}
