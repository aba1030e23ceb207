//! Near repeat: the Knox test with Monte Carlo p-values (Knox 1964, "The detection of
//! space-time interactions", Applied Statistics 13(1); with permuted times as in Johnson et
//! al. 2007, "Space-time patterns of risk", J. Quant. Criminol. 23(3), and the Near Repeat
//! Calculator). Pairs of events are tabulated by distance band × time band; under no
//! space-time interaction, shuffling the times over the events leaves the table's
//! expectation unchanged, so the permutations give both the expected counts and the p-values.

use std::collections::HashMap;

use serde::Serialize;
use veilig_domain::rng::SplitMix;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Knox {
    /// Band edges in metres and days: bands are `[e0, e1)`, `[e1, e2)`, …
    pub space_bands: Vec<f64>,
    pub time_bands: Vec<f64>,
    /// `[space][time]` tables.
    pub observed: Vec<Vec<u64>>,
    pub expected: Vec<Vec<f64>>,
    /// Observed / expected (None when nothing was expected).
    pub ratio: Vec<Vec<Option<f64>>>,
    /// One-sided Monte Carlo p-value of "more pairs than chance": (1 + #perm ≥ obs) / (N + 1).
    pub p_value: Vec<Vec<f64>>,
    pub events: usize,
    pub permutations: u32,
    pub seed: u64,
    /// The near-repeat question, answered for the closest band in space and time.
    pub near_repeat: bool,
    pub alpha: f64,
    pub method: &'static str,
}

fn band(edges: &[f64], v: f64) -> Option<usize> {
    if v < edges[0] {
        return None;
    }
    (1..edges.len()).find(|&k| v < edges[k]).map(|k| k - 1)
}

/// Pairs `(i, j, space band)` of events closer than the last space edge.
pub fn close_pairs(points: &[(f64, f64)], space_bands: &[f64]) -> Vec<(u32, u32, u8)> {
    let reach = *space_bands.last().expect("at least two edges");
    let key = |x: f64, y: f64| ((x / reach).floor() as i64, (y / reach).floor() as i64);
    let mut buckets: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        buckets.entry(key(x, y)).or_default().push(i as u32);
    }
    let mut pairs = Vec::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        let (kx, ky) = key(x, y);
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(b) = buckets.get(&(kx + dx, ky + dy)) {
                    for &j in b {
                        if (j as usize) <= i {
                            continue;
                        }
                        let (xj, yj) = points[j as usize];
                        if let Some(s) = band(space_bands, (x - xj).hypot(y - yj)) {
                            pairs.push((i as u32, j, s as u8));
                        }
                    }
                }
            }
        }
    }
    pairs
}

fn table(pairs: &[(u32, u32, u8)], times: &[f64], time_bands: &[f64], ns: usize, out: &mut [u64]) {
    let nt = time_bands.len() - 1;
    out.iter_mut().for_each(|v| *v = 0);
    for &(i, j, s) in pairs {
        if let Some(t) = band(time_bands, (times[i as usize] - times[j as usize]).abs()) {
            out[s as usize * nt + t] += 1;
        }
    }
    debug_assert!(out.len() == ns * nt);
}

/// Runs the Knox test. `times` are in days (any origin), `points` in metres.
pub fn knox(
    points: &[(f64, f64)],
    times: &[f64],
    space_bands: &[f64],
    time_bands: &[f64],
    permutations: u32,
    seed: u64,
    alpha: f64,
) -> Knox {
    assert_eq!(points.len(), times.len());
    assert!(
        space_bands.len() >= 2 && time_bands.len() >= 2,
        "at least one band each"
    );
    let (ns, nt) = (space_bands.len() - 1, time_bands.len() - 1);
    let pairs = close_pairs(points, space_bands);
    let mut observed = vec![0u64; ns * nt];
    table(&pairs, times, time_bands, ns, &mut observed);
    let mut sum = vec![0f64; ns * nt];
    let mut at_least = vec![0u32; ns * nt];
    let mut shuffled = times.to_vec();
    let mut rng = SplitMix::new(seed);
    let mut t = vec![0u64; ns * nt];
    for _ in 0..permutations {
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i + 1));
        }
        table(&pairs, &shuffled, time_bands, ns, &mut t);
        for k in 0..t.len() {
            sum[k] += t[k] as f64;
            at_least[k] += u32::from(t[k] >= observed[k]);
        }
    }
    let grid = |f: &dyn Fn(usize) -> f64| -> Vec<Vec<f64>> {
        (0..ns)
            .map(|s| (0..nt).map(|k| f(s * nt + k)).collect())
            .collect()
    };
    let expected = grid(&|k| sum[k] / permutations.max(1) as f64);
    let p_value = grid(&|k| (1.0 + at_least[k] as f64) / (permutations as f64 + 1.0));
    let observed2: Vec<Vec<u64>> = (0..ns)
        .map(|s| (0..nt).map(|k| observed[s * nt + k]).collect())
        .collect();
    let ratio = (0..ns)
        .map(|s| {
            (0..nt)
                .map(|k| (expected[s][k] > 0.0).then(|| observed2[s][k] as f64 / expected[s][k]))
                .collect()
        })
        .collect::<Vec<Vec<Option<f64>>>>();
    let near_repeat = p_value[0][0] < alpha && ratio[0][0].is_some_and(|r| r > 1.0);
    Knox {
        space_bands: space_bands.to_vec(),
        time_bands: time_bands.to_vec(),
        observed: observed2,
        expected,
        ratio,
        p_value,
        events: points.len(),
        permutations,
        seed,
        near_repeat,
        alpha,
        method: "Knox test, pairs by distance × time band, Monte Carlo p-values from permuted times",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_events(seed: u64, n: usize, side: f64, days: f64) -> (Vec<(f64, f64)>, Vec<f64>) {
        let mut r = SplitMix::new(seed);
        let mut u = || (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let pts = (0..n).map(|_| (u() * side, u() * side)).collect();
        let ts = (0..n).map(|_| u() * days).collect();
        (pts, ts)
    }

    /// The indexed pair search must find exactly the pairs a brute-force O(n²) loop finds,
    /// and tabulate them the same.
    #[test]
    fn matches_brute_force() {
        let (pts, ts) = random_events(1, 600, 3000.0, 365.0);
        let sb = [0.0, 100.0, 200.0, 400.0];
        let tb = [0.0, 7.0, 14.0, 28.0];
        let k = knox(&pts, &ts, &sb, &tb, 0, 1, 0.05);
        let mut brute = vec![vec![0u64; 3]; 3];
        for i in 0..pts.len() {
            for j in i + 1..pts.len() {
                let d = (pts[i].0 - pts[j].0).hypot(pts[i].1 - pts[j].1);
                let dt = (ts[i] - ts[j]).abs();
                if let (Some(s), Some(t)) = (band(&sb, d), band(&tb, dt)) {
                    brute[s][t] += 1;
                }
            }
        }
        assert_eq!(k.observed, brute);
        assert!(
            brute.iter().flatten().sum::<u64>() > 50,
            "the test needs pairs"
        );
    }

    /// No space-time interaction (places and times independent): the near-repeat cell is not
    /// significant at 5 % in at least 90 % of seeds.
    #[test]
    fn null_data_is_rarely_significant() {
        let mut significant = 0;
        for seed in 0..40 {
            let (pts, ts) = random_events(seed + 100, 400, 2000.0, 365.0);
            let k = knox(
                &pts,
                &ts,
                &[0.0, 100.0, 200.0],
                &[0.0, 7.0, 14.0],
                199,
                seed,
                0.05,
            );
            significant += usize::from(k.near_repeat);
        }
        assert!(significant <= 4, "{significant} of 40 seeds significant");
    }

    #[test]
    fn planted_repeats_are_found() {
        let (mut pts, mut ts) = random_events(7, 300, 3000.0, 365.0);
        // Follow 60 events by a repeat 30 m and 3 days later.
        for i in 0..60 {
            pts.push((pts[i].0 + 30.0, pts[i].1));
            ts.push(ts[i] + 3.0);
        }
        let k = knox(
            &pts,
            &ts,
            &[0.0, 100.0, 200.0],
            &[0.0, 7.0, 14.0],
            199,
            3,
            0.05,
        );
        assert!(k.near_repeat);
        assert!(k.ratio[0][0].unwrap() > 3.0);
        assert!(k.p_value[0][0] <= 0.01);
    }
}
