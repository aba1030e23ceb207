//! An exact method for the Curtois & Qu problem: branch and price.
//!
//! The master chooses one pattern per employee (a whole horizon that keeps every hard rule,
//! a path of that employee's [`Graph`]) and pays the requests inside each pattern plus the
//! cover penalties (slack columns per day and shift).
//! 1. **Lower bound.** The master's LP relaxation is solved by column generation: HiGHS gives
//!    the duals, each employee's cheapest pattern at those prices is found exactly on the
//!    graph, and patterns of negative reduced cost are added until none is left. At every
//!    round `z_LP + Σ_e min(0, rc_e)` is a valid lower bound (Lagrangian); all weights are
//!    whole numbers, so the bound is rounded up, and generation stops as soon as rounding
//!    makes more rounds pointless.
//! 2. **A roster** by diving: fix the patterns the LP (nearly) chose, generate again, repeat.
//! 3. **Branch and price**, depth first: branch on whether an employee works a day, then on
//!    which shift; a decision forbids the other choices on the graph (infinite cost) and the
//!    master's columns that break it. A node is pruned when its rounded bound reaches the
//!    best roster. When the tree is exhausted the best roster is optimal; when the time runs
//!    out the proven bound is the least bound of the open nodes.
//!
//! The bound never depends on the dive or on the order of the search, only on LP duality and
//! on the pricing being exact, which `pricing`'s tests check against brute force.

use std::time::Instant;

use super::master::{Column, Lp, Master};
use super::pricing::{Graph, OFF, Pattern};
use super::{Assignment, Instance};
use crate::mip::MipResult;

/// Reduced costs above this are taken as non-negative (HiGHS's dual feasibility tolerance is
/// 1e-7).
const EPS: f64 = 1e-6;

struct Problem<'a> {
    inst: &'a Instance,
    graphs: Vec<Graph>,
    /// day_cost[e][day][t]: the requests of employee e on that day if they work t (an
    /// off-request's weight, minus an on-request's weight); a day off costs 0.
    day_cost: Vec<Vec<Vec<f64>>>,
    /// constant[e]: all of e's on-request weights (charged unless the pattern meets them).
    constant: Vec<f64>,
}

impl Problem<'_> {
    fn pattern_cost(&self, e: usize, p: &Pattern) -> f64 {
        self.constant[e]
            + p.iter()
                .enumerate()
                .filter_map(|(day, t)| t.map(|t| self.day_cost[e][day][t]))
                .sum::<f64>()
    }

    /// The path cost of a choice under cover duals `pi[day][t]` (the reduced cost of a
    /// pattern is its path cost plus `constant[e] - mu[e]`); a choice the node forbids
    /// (`allowed[day][choice]` false, the day off last) costs infinity.
    fn priced<'b>(
        &'b self,
        e: usize,
        pi: &'b [Vec<f64>],
        allowed: Option<&'b [Vec<bool>]>,
    ) -> impl Fn(usize, u8) -> f64 + 'b {
        let nt = self.inst.shifts.len();
        move |day, c| {
            let slot = if c == OFF { nt } else { c as usize };
            if allowed.is_some_and(|a| !a[day][slot]) {
                f64::INFINITY
            } else if c == OFF {
                0.0
            } else {
                self.day_cost[e][day][slot] - pi[day][slot]
            }
        }
    }
}

/// A branching decision (employee, day, choice, kept): the employee works that choice that
/// day (kept) or does not.
type Decision = (usize, usize, u8, bool);

/// What a node of the search, or a step of a dive, imposes on the master.
#[derive(Clone, Default)]
struct Restriction {
    /// fixed[e]: the one column employee e must use (dives); empty when none is fixed.
    fixed: Vec<Option<usize>>,
    decisions: Vec<Decision>,
}

impl Restriction {
    fn fixed(&self, e: usize) -> Option<usize> {
        self.fixed.get(e).copied().flatten()
    }

    /// allowed[day][choice] for employee e (the day off last), or `None` when no decision
    /// concerns e.
    fn allowed(&self, e: usize, days: usize, nt: usize) -> Option<Vec<Vec<bool>>> {
        let mine: Vec<_> = self.decisions.iter().filter(|d| d.0 == e).collect();
        if mine.is_empty() {
            return None;
        }
        let mut a = vec![vec![true; nt + 1]; days];
        for &&(_, day, choice, kept) in &mine {
            let slot = if choice == OFF { nt } else { choice as usize };
            for (s, ok) in a[day].iter_mut().enumerate() {
                *ok &= (s == slot) == kept;
            }
        }
        Some(a)
    }

    fn allows(&self, k: usize, c: &Column) -> bool {
        self.fixed(c.employee).is_none_or(|f| f == k)
            && self.decisions.iter().all(|&(e, day, choice, kept)| {
                e != c.employee || (c.pattern[day].map_or(OFF, |t| t as u8) == choice) == kept
            })
    }
}

/// Column generation and its pool of patterns.
struct Search<'a> {
    pb: Problem<'a>,
    master: Master,
    columns: Vec<Column>,
    t0: Instant,
    time_limit: f64,
}

/// The end of column generation at a node.
struct Round {
    lp: Lp,
    /// A valid lower bound for the master under the node's restriction (infinite when the
    /// restriction leaves an employee no pattern).
    lagrangian: f64,
    /// No pattern of negative reduced cost was left (or rounding made more rounds
    /// pointless); false when the time ran out first.
    converged: bool,
}

impl Search<'_> {
    fn left(&self) -> f64 {
        self.time_limit - self.t0.elapsed().as_secs_f64()
    }

    fn add(&mut self, c: Column) {
        self.master.add(&c);
        self.columns.push(c);
    }

    /// Sets the master's columns to what `r` allows, and gives every employee at least one
    /// allowed pattern. False when `r` leaves some employee no legal pattern.
    fn apply(&mut self, r: &Restriction) -> bool {
        let ne = self.pb.graphs.len();
        let mut has = vec![false; ne];
        for k in 0..self.columns.len() {
            let ok = r.allows(k, &self.columns[k]);
            has[self.columns[k].employee] |= ok;
            self.master.allow(k, ok);
        }
        let (days, nt) = (self.pb.inst.days, self.pb.inst.shifts.len());
        let zero = vec![vec![0.0; nt]; days];
        for e in (0..ne).filter(|&e| !has[e]) {
            let allowed = r.allowed(e, days, nt);
            let (path, pattern) =
                self.pb.graphs[e].cheapest(&self.pb.priced(e, &zero, allowed.as_deref()));
            if !path.is_finite() {
                return false;
            }
            let cost = self.pb.pattern_cost(e, &pattern);
            self.add(Column {
                employee: e,
                pattern,
                cost,
            });
        }
        true
    }

    /// Column generation under `r` (its columns applied) until no pattern has a negative
    /// reduced cost, or rounding (or `cutoff`, a known roster's cost) makes more rounds
    /// pointless. `None` when the time ran out before the first LP was solved.
    fn generate(&mut self, r: &Restriction, cutoff: f64) -> Result<Option<Round>, String> {
        let ne = self.pb.graphs.len();
        let (days, nt) = (self.pb.inst.days, self.pb.inst.shifts.len());
        let allowed: Vec<Option<Vec<Vec<bool>>>> =
            (0..ne).map(|e| r.allowed(e, days, nt)).collect();
        let mut last = None;
        while self.left() > 0.0 {
            let Some(lp) = self.master.solve(self.left())? else {
                break;
            };
            let mut lagrangian = lp.value;
            let mut added = 0;
            for e in (0..ne).filter(|&e| r.fixed(e).is_none()) {
                let (path, pattern) =
                    self.pb.graphs[e].cheapest(&self.pb.priced(e, &lp.pi, allowed[e].as_deref()));
                let rc = path + self.pb.constant[e] - lp.mu[e];
                lagrangian += rc.min(0.0);
                if rc < -EPS {
                    let cost = self.pb.pattern_cost(e, &pattern);
                    self.add(Column {
                        employee: e,
                        pattern,
                        cost,
                    });
                    added += 1;
                }
            }
            let floor = (lagrangian - EPS).ceil();
            let converged = added == 0 || floor >= (lp.value - EPS).ceil() || floor >= cutoff;
            last = Some(Round {
                lp,
                lagrangian,
                converged,
            });
            if converged {
                break;
            }
        }
        Ok(last)
    }

    /// x[e][day][t]: how much of employee e's work on that day is shift t in the LP.
    fn shares(&self, lambda: &[f64]) -> Vec<Vec<Vec<f64>>> {
        let inst = self.pb.inst;
        let mut x = vec![vec![vec![0.0; inst.shifts.len()]; inst.days]; inst.staff.len()];
        for (k, &v) in lambda.iter().enumerate() {
            if v > EPS {
                let c = &self.columns[k];
                for (day, t) in c.pattern.iter().enumerate() {
                    if let Some(t) = t {
                        x[c.employee][day][*t] += v;
                    }
                }
            }
        }
        x
    }

    /// A roster by diving from `base`: generate columns, fix every employee whose pattern is
    /// (nearly) integral and at least the tenth of the open employees with the largest
    /// values, and generate again, until every employee has a pattern. Returns the chosen
    /// column per employee.
    fn dive(&mut self, base: &Restriction, cutoff: f64) -> Result<Option<Vec<usize>>, String> {
        let ne = self.pb.graphs.len();
        let mut r = base.clone();
        r.fixed = vec![None; ne];
        while r.fixed.contains(&None) {
            if !self.apply(&r) {
                return Ok(None);
            }
            let Some(round) = self.generate(&r, cutoff)? else {
                return Ok(None);
            };
            if !round.converged || (round.lagrangian - EPS).ceil() >= cutoff {
                return Ok(None);
            }
            let open = r.fixed.iter().filter(|f| f.is_none()).count();
            let mut ranked: Vec<(f64, usize)> = round
                .lp
                .lambda
                .iter()
                .enumerate()
                .filter(|(k, _)| r.fixed(self.columns[*k].employee).is_none())
                .map(|(k, &v)| (v, k))
                .collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut fix: Vec<(usize, usize)> = Vec::new();
            for (v, k) in ranked {
                let e = self.columns[k].employee;
                if fix.iter().all(|(f, _)| *f != e) && (v > 0.99 || fix.len() < open.div_ceil(10)) {
                    fix.push((e, k));
                }
            }
            for (e, k) in fix {
                r.fixed[e] = Some(k);
            }
        }
        Ok(r.fixed.into_iter().collect())
    }

    fn assignment(&self, chosen: &[usize]) -> Assignment {
        let inst = self.pb.inst;
        let mut a = vec![vec![None; inst.days]; inst.staff.len()];
        for &k in chosen {
            a[self.columns[k].employee] = self.columns[k].pattern.clone();
        }
        a
    }

    fn roster_cost(&self, chosen: &[usize]) -> f64 {
        super::evaluate(self.pb.inst, &self.assignment(chosen)).0 as f64
    }

    /// Branch and price from the root, depth first, within the time left: branch on the
    /// most fractional share x[e][day][t] (works t that day, or not); prune a node whose
    /// rounded bound reaches the best roster. Improves `best` (cost, columns) and returns
    /// the proven lower bound: the best roster's cost when the tree is exhausted, else the
    /// least bound of the open nodes.
    fn branch_and_price(
        &mut self,
        root_bound: f64,
        best: &mut (f64, Vec<usize>),
    ) -> Result<f64, String> {
        let ne = self.pb.graphs.len();
        let mut open: Vec<(Vec<Decision>, f64)> = vec![(Vec::new(), root_bound)];
        while let Some((decisions, bound)) = open.pop() {
            if bound >= best.0 {
                continue;
            }
            if self.left() <= 0.0 {
                open.push((decisions, bound));
                break;
            }
            let r = Restriction {
                fixed: Vec::new(),
                decisions,
            };
            if !self.apply(&r) {
                continue;
            }
            let Some(round) = self.generate(&r, best.0)? else {
                open.push((r.decisions, bound));
                break;
            };
            let node = bound.max((round.lagrangian - EPS).ceil());
            if node >= best.0 {
                continue;
            }
            if !round.converged {
                open.push((r.decisions, node));
                break;
            }
            // Branch on a day off first (whether e works that day), then on a shift.
            let x = self.shares(&round.lp.lambda);
            let mut pick: Option<(f64, usize, usize, u8, f64)> = None;
            for (e, days) in x.iter().enumerate() {
                for (day, ts) in days.iter().enumerate() {
                    let off = 1.0 - ts.iter().sum::<f64>();
                    let choices = std::iter::once((OFF, off))
                        .chain(ts.iter().enumerate().map(|(t, &v)| (t as u8, v)));
                    for (c, v) in choices {
                        // Days off rank before shifts: their distance is shifted down by 1.
                        let distance = (v - 0.5).abs() - if c == OFF { 1.0 } else { 0.0 };
                        if v > EPS && v < 1.0 - EPS && pick.is_none_or(|p| distance < p.0) {
                            pick = Some((distance, e, day, c, v));
                        }
                    }
                }
            }
            match pick {
                None => {
                    // Integral: each employee's patterns in the LP are the same pattern.
                    let mut chosen = vec![usize::MAX; ne];
                    for (k, &v) in round.lp.lambda.iter().enumerate() {
                        if v > EPS {
                            chosen[self.columns[k].employee] = k;
                        }
                    }
                    let cost = self.roster_cost(&chosen);
                    if cost < best.0 {
                        *best = (cost, chosen);
                    }
                }
                Some((_, e, day, c, v)) => {
                    let first = v >= 0.5;
                    for kept in [!first, first] {
                        let mut d = r.decisions.clone();
                        d.push((e, day, c, kept));
                        open.push((d, node));
                    }
                }
            }
        }
        Ok(open
            .iter()
            .map(|(_, b)| *b)
            .fold(best.0, f64::min)
            .max(root_bound))
    }
}

pub(super) fn solve(inst: &Instance, time_limit: f64) -> Result<(MipResult, Assignment), String> {
    let t0 = Instant::now();
    let (ne, nt) = (inst.staff.len(), inst.shifts.len());
    let graphs = (0..ne)
        .map(|e| Graph::build(inst, e))
        .collect::<Result<Vec<_>, _>>()?;
    let mut day_cost = vec![vec![vec![0.0; nt]; inst.days]; ne];
    let mut constant = vec![0.0; ne];
    for &(e, day, t, w) in &inst.on_requests {
        day_cost[e][day][t] -= w as f64;
        constant[e] += w as f64;
    }
    for &(e, day, t, w) in &inst.off_requests {
        day_cost[e][day][t] += w as f64;
    }
    let mut s = Search {
        pb: Problem {
            inst,
            graphs,
            day_cost,
            constant,
        },
        master: Master::new(inst),
        columns: Vec::new(),
        t0,
        time_limit,
    };
    let root = Restriction::default();
    if !s.apply(&root) {
        return Err("no roster keeps every hard rule".into());
    }
    let mut best: (f64, Vec<usize>) = {
        let chosen: Vec<usize> = (0..ne).collect();
        (s.roster_cost(&chosen), chosen)
    };

    // 1. The lower bound: column generation with nothing fixed.
    let first = s.generate(&root, f64::INFINITY)?;
    // Every weight is non-negative, so 0 bounds the objective before any LP is solved.
    let mut bound = first
        .as_ref()
        .map_or(0.0, |r| (r.lagrangian - EPS).ceil().max(0.0));

    // 2. A roster by diving.
    if best.0 > bound
        && let Some(dived) = s.dive(&root, best.0)?
    {
        let cost = s.roster_cost(&dived);
        if cost < best.0 {
            best = (cost, dived);
        }
    }

    // 3. Branch and price.
    if best.0 > bound && s.left() > 0.0 {
        bound = bound.max(s.branch_and_price(bound, &mut best)?);
    }
    let (upper, chosen) = best;
    let gap = if upper.abs() > 0.0 {
        ((upper - bound) / upper.abs()).max(0.0)
    } else {
        0.0
    };
    let status = if upper <= bound {
        "optimal"
    } else if s.left() <= 0.0 {
        "time-limit"
    } else {
        "gap"
    };
    Ok((
        MipResult {
            status: status.to_string(),
            objective: upper,
            bound,
            gap,
            seconds: t0.elapsed().as_secs_f64(),
            values: Vec::new(),
        },
        s.assignment(&chosen),
    ))
}
