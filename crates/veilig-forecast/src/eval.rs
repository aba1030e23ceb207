//! The rolling-origin backtest of the TOR-BE-W protocol: weekly origins, a strict history,
//! the quantised ranking with its cell-id tie rule, hit rate, PAI and PEI* at five coverages,
//! a log score, and the paired comparison with the all-history count.

use std::time::Instant;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::grid::{Events, MINUTES_PER_WEEK, Minutes, from_minutes};
use crate::methods::{Method, Params};
use crate::stats;

/// Coverages in per cent, in the order every list of the output follows.
pub const COVERAGE: [f64; 5] = [0.5, 1.0, 2.0, 5.0, 10.0];
const PERMILLE: [usize; 5] = [5, 10, 20, 50, 100];

/// Share of the forecast mixed with a uniform one in the log score, so a cell the method
/// gives zero does not make the score −∞.
pub const LOG_SCORE_FLOOR: f64 = 0.01;

/// Cells flagged at each coverage: k = ceil(M·c), in integers.
pub fn flagged_cells(mask: usize) -> [usize; 5] {
    PERMILLE.map(|p| (mask * p).div_ceil(1000))
}

/// Mask indices from most to least likely: key q = floor(v / vmax · 10⁹ + ½) descending,
/// then cell id ascending (mask indices ascend with cell ids).
pub fn ranking(v: &[f64]) -> Vec<u32> {
    let vmax = v.iter().copied().fold(0.0f64, f64::max);
    let key: Vec<u64> = if vmax > 0.0 {
        v.iter()
            .map(|x| (x / vmax * 1e9 + 0.5).floor().max(0.0) as u64)
            .collect()
    } else {
        vec![0; v.len()]
    };
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    order.sort_by(|&a, &b| key[b as usize].cmp(&key[a as usize]).then(a.cmp(&b)));
    order
}

/// The events a forecast is judged on, on the model's grid: the same file's events of the
/// type, or those of a later file (`--truth`).
#[derive(Debug, Clone)]
pub struct Truth {
    pub t: Vec<Minutes>,
    /// Mask index of the event's cell; `None` when it falls outside the mask (never a hit).
    pub cell: Vec<Option<u32>>,
}

impl Truth {
    pub fn same(ev: &Events) -> Truth {
        Truth {
            t: ev.t.clone(),
            cell: ev.cell.iter().map(|&c| Some(ev.mask_index[c])).collect(),
        }
    }

    /// Events from another source placed on `ev`'s grid; `points` are (x, y, t) of the type.
    pub fn on_grid(ev: &Events, points: &[(f64, f64, Minutes)]) -> Truth {
        let mut p: Vec<&(f64, f64, Minutes)> = points.iter().collect();
        p.sort_by_key(|e| e.2);
        Truth {
            t: p.iter().map(|e| e.2).collect(),
            cell: p
                .iter()
                .map(|e| {
                    ev.grid
                        .cell_of(e.0, e.1)
                        .map(|c| ev.mask_index[c])
                        .filter(|&i| i != u32::MAX)
                })
                .collect(),
        }
    }

    fn window(&self, from: Minutes, to: Minutes) -> std::ops::Range<usize> {
        self.t.partition_point(|&t| t < from)..self.t.partition_point(|&t| t < to)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    pub origin: NaiveDateTime,
    pub n: u64,
    pub hits: [u64; 5],
    pub best: [u64; 5],
    /// Σ ln p(cell of event) over the week's events, p the forecast normalised over the mask.
    pub log_score: f64,
    pub seconds: f64,
    /// Rank position of each test event's cell (`u32::MAX` outside the mask), for McNemar.
    #[serde(skip)]
    pub positions: Vec<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub p5: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    pub method: &'static str,
    pub params: Option<Params>,
    pub cell_metres: f64,
    pub mask_cells: usize,
    pub flagged_cells: [usize; 5],
    pub coverage: [f64; 5],
    pub origins: usize,
    pub test_events: u64,
    pub hit_rate: [f64; 5],
    pub pai: [f64; 5],
    pub pei_star: [f64; 5],
    /// Weekly hit rate hits_w / n_w per coverage: mean and 5th/95th percentiles.
    pub weekly_hit_rate: Vec<Spread>,
    /// Mean log score per test event (higher is better calibrated).
    pub log_score: f64,
    /// Median over the forecasts of the time to compute one intensity surface.
    pub seconds_per_forecast: f64,
    pub weeks: Vec<Week>,
}

/// Runs `weeks` weekly forecasts from `first_origin`, each on the strict history before it.
pub fn backtest(
    ev: &Events,
    truth: &Truth,
    method: Method,
    params: &Params,
    first_origin: Minutes,
    weeks: usize,
) -> Backtest {
    let m = ev.mask.len();
    let k = flagged_cells(m);
    let mut out_weeks = Vec::with_capacity(weeks);
    for w in 0..weeks {
        let origin = first_origin + w as i64 * MINUTES_PER_WEEK;
        let started = Instant::now();
        let v = method.intensity(ev, origin, params);
        let seconds = started.elapsed().as_secs_f64();
        out_weeks.push(score_week(&v, truth, origin, &k, seconds));
    }
    summarise(ev, method, params, out_weeks)
}

fn score_week(v: &[f64], truth: &Truth, origin: Minutes, k: &[usize; 5], seconds: f64) -> Week {
    let m = v.len();
    let order = ranking(v);
    let mut pos = vec![0u32; m];
    for (p, &i) in order.iter().enumerate() {
        pos[i as usize] = p as u32;
    }
    let total: f64 = v.iter().sum();
    let window = truth.window(origin, origin + MINUTES_PER_WEEK);
    let mut positions = Vec::with_capacity(window.len());
    let mut per_cell: std::collections::HashMap<u32, u64> = std::collections::HashMap::new();
    let mut log_score = 0.0;
    for e in window {
        let p = match truth.cell[e] {
            Some(i) => {
                *per_cell.entry(i).or_default() += 1;
                let share = if total > 0.0 {
                    v[i as usize] / total
                } else {
                    1.0 / m as f64
                };
                log_score += ((1.0 - LOG_SCORE_FLOOR) * share + LOG_SCORE_FLOOR / m as f64).ln();
                pos[i as usize]
            }
            None => {
                log_score += (LOG_SCORE_FLOOR / m as f64).ln();
                u32::MAX
            }
        };
        positions.push(p);
    }
    let mut counts: Vec<u64> = per_cell.into_values().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let mut hits = [0u64; 5];
    let mut best = [0u64; 5];
    for j in 0..5 {
        hits[j] = positions.iter().filter(|&&p| (p as usize) < k[j]).count() as u64;
        best[j] = counts.iter().take(k[j]).sum();
    }
    Week {
        origin: from_minutes(origin),
        n: positions.len() as u64,
        hits,
        best,
        log_score,
        seconds,
        positions,
    }
}

fn summarise(ev: &Events, method: Method, params: &Params, weeks: Vec<Week>) -> Backtest {
    let n: u64 = weeks.iter().map(|w| w.n).sum();
    let mut hit_rate = [0.0; 5];
    let mut pai = [0.0; 5];
    let mut pei_star = [0.0; 5];
    let mut weekly_hit_rate = Vec::new();
    for j in 0..5 {
        let hits: u64 = weeks.iter().map(|w| w.hits[j]).sum();
        let best: u64 = weeks.iter().map(|w| w.best[j]).sum();
        hit_rate[j] = ratio(hits as f64, n as f64);
        pai[j] = hit_rate[j] / (COVERAGE[j] / 100.0);
        pei_star[j] = ratio(hits as f64, best as f64);
        let mut rates: Vec<f64> = weeks
            .iter()
            .filter(|w| w.n > 0)
            .map(|w| w.hits[j] as f64 / w.n as f64)
            .collect();
        rates.sort_by(f64::total_cmp);
        weekly_hit_rate.push(Spread {
            mean: ratio(rates.iter().sum(), rates.len() as f64),
            p5: stats::percentile(&rates, 5.0),
            p95: stats::percentile(&rates, 95.0),
        });
    }
    let mut seconds: Vec<f64> = weeks.iter().map(|w| w.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let own = !crate::methods::METHODS
        .iter()
        .any(|m| m.method == method && m.reference);
    Backtest {
        method: method.name(),
        params: own.then_some(*params),
        cell_metres: ev.grid.cell,
        mask_cells: ev.mask.len(),
        flagged_cells: flagged_cells(ev.mask.len()),
        coverage: COVERAGE,
        origins: weeks.len(),
        test_events: n,
        hit_rate,
        pai,
        pei_star,
        weekly_hit_rate,
        log_score: ratio(weeks.iter().map(|w| w.log_score).sum(), n as f64),
        seconds_per_forecast: stats::percentile(&seconds, 50.0),
        weeks,
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

/// The verdicts of [`VsNaive`].
pub use crate::stored::VERDICTS;

/// One coverage of the comparison with the all-history count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VsNaive {
    pub coverage: f64,
    /// Pooled hits of the method over pooled hits of the naive count (= the PAI ratio).
    pub ratio: f64,
    /// 95 % moving-block bootstrap interval of the ratio over weeks.
    pub interval: [f64; 2],
    /// Per-event exact McNemar test, Holm-corrected over the five coverages.
    pub p_value: f64,
    /// Wilcoxon signed-rank test on weekly hit differences, Holm-corrected.
    pub p_wilcoxon: f64,
    /// Events only the method caught / only the naive count caught.
    pub only_method: u64,
    pub only_naive: u64,
    /// `better` when the interval lies above 1 and both tests are significant at 5 %,
    /// `worse` when below 1 with both significant, otherwise `no difference`.
    #[serde(deserialize_with = "crate::stored::verdict")]
    pub verdict: crate::stored::StaticName,
}

/// Compares a backtest with the naive count's on the same origins and test events.
pub fn vs_naive(method: &Backtest, naive: &Backtest) -> Vec<VsNaive> {
    assert_eq!(method.weeks.len(), naive.weeks.len(), "same origins");
    let k = method.flagged_cells;
    let mut rows = Vec::new();
    let mut p_mc = Vec::new();
    let mut p_wx = Vec::new();
    for j in 0..5 {
        let a: Vec<f64> = method.weeks.iter().map(|w| w.hits[j] as f64).collect();
        let b: Vec<f64> = naive.weeks.iter().map(|w| w.hits[j] as f64).collect();
        let (mut only_a, mut only_b) = (0u64, 0u64);
        for (wa, wb) in method.weeks.iter().zip(&naive.weeks) {
            for (&pa, &pb) in wa.positions.iter().zip(&wb.positions) {
                let (ha, hb) = ((pa as usize) < k[j], (pb as usize) < k[j]);
                only_a += (ha && !hb) as u64;
                only_b += (hb && !ha) as u64;
            }
        }
        let diffs: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        p_mc.push(stats::mcnemar(only_a, only_b));
        p_wx.push(stats::wilcoxon(&diffs));
        let (sa, sb): (f64, f64) = (a.iter().sum(), b.iter().sum());
        let (lo, hi) = stats::ratio_interval(&a, &b).unwrap_or((f64::NAN, f64::NAN));
        rows.push(VsNaive {
            coverage: COVERAGE[j],
            ratio: ratio(sa, sb),
            interval: [lo, hi],
            p_value: 1.0,
            p_wilcoxon: 1.0,
            only_method: only_a,
            only_naive: only_b,
            verdict: "no difference",
        });
    }
    let (p_mc, p_wx) = (stats::holm(&p_mc), stats::holm(&p_wx));
    for (j, r) in rows.iter_mut().enumerate() {
        r.p_value = p_mc[j];
        r.p_wilcoxon = p_wx[j];
        let significant = r.p_value < 0.05 && r.p_wilcoxon < 0.05;
        r.verdict = if significant && r.interval[0] > 1.0 {
            "better"
        } else if significant && r.interval[1] < 1.0 {
            "worse"
        } else {
            "no difference"
        };
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flagged_cells_follow_the_protocol() {
        assert_eq!(flagged_cells(12_379), [62, 124, 248, 619, 1238]);
    }

    #[test]
    fn ranking_quantises_and_breaks_ties_by_cell_id() {
        // 1 and 1 + 1e-12 are one key; the lower id comes first.
        let order = ranking(&[1.0, 3.0, 1.0 + 1e-12, 0.0, 3.0]);
        assert_eq!(order, vec![1, 4, 0, 2, 3]);
        assert_eq!(ranking(&[0.0, 0.0]), vec![0, 1]);
    }
}

/// The evidence badge of a forecast: the method against the naive count on the `weeks`
/// weekly origins before `origin`, at one coverage.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(deserialize_with = "crate::stored::method_name")]
    pub method: crate::stored::StaticName,
    pub weeks: usize,
    pub first_origin: NaiveDateTime,
    pub test_events: u64,
    pub coverage: f64,
    pub hit_rate: f64,
    pub naive_hit_rate: f64,
    pub pai: f64,
    pub naive_pai: f64,
    pub vs_naive: VsNaive,
    /// True only when the comparison's verdict is `better`; otherwise the naive count is shown.
    pub beats_naive: bool,
}

/// Index of a coverage in [`COVERAGE`], or `None` when it is not one of the five.
pub fn coverage_index(coverage: f64) -> Option<usize> {
    COVERAGE.iter().position(|c| (c - coverage).abs() < 1e-9)
}

pub fn evidence(
    ev: &Events,
    method: Method,
    params: &Params,
    origin: Minutes,
    weeks: usize,
    coverage: usize,
) -> Evidence {
    let first = origin - weeks as i64 * MINUTES_PER_WEEK;
    let truth = Truth::same(ev);
    let m = backtest(ev, &truth, method, params, first, weeks);
    let naive = backtest(ev, &truth, Method::Naive, params, first, weeks);
    let vs = vs_naive(&m, &naive).swap_remove(coverage);
    Evidence {
        method: method.name(),
        weeks,
        first_origin: from_minutes(first),
        test_events: m.test_events,
        coverage: COVERAGE[coverage],
        hit_rate: m.hit_rate[coverage],
        naive_hit_rate: naive.hit_rate[coverage],
        pai: m.pai[coverage],
        naive_pai: naive.pai[coverage],
        beats_naive: vs.verdict == "better",
        vs_naive: vs,
    }
}
