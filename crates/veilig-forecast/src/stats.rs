//! The paired tests and intervals of the backtest: Wilcoxon signed-rank on weekly hit
//! differences, an exact McNemar test on events, Holm's correction, a moving-block bootstrap
//! interval on a ratio of sums, and numpy's linear-interpolation percentile.

use statrs::distribution::{ContinuousCDF, Normal};

/// Two-sided Wilcoxon signed-rank test of paired differences, zeros dropped (Wilcoxon's
/// treatment), average ranks for ties, normal approximation with the tie correction and no
/// continuity correction (SciPy's `wilcoxon(..., zero_method="wilcox", correction=False,
/// method="approx")`). Returns 1 when every difference is zero.
pub fn wilcoxon(diffs: &[f64]) -> f64 {
    let mut d: Vec<f64> = diffs.iter().copied().filter(|v| *v != 0.0).collect();
    let n = d.len();
    if n == 0 {
        return 1.0;
    }
    d.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    let mut w_plus = 0.0;
    let mut tie_term = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && d[j + 1].abs() == d[i].abs() {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        let t = (j - i + 1) as f64;
        tie_term += t * t * t - t;
        for v in &d[i..=j] {
            if *v > 0.0 {
                w_plus += rank;
            }
        }
        i = j + 1;
    }
    let nf = n as f64;
    let mean = nf * (nf + 1.0) / 4.0;
    let var = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term / 48.0;
    if var <= 0.0 {
        return 1.0;
    }
    let z = (w_plus - mean) / var.sqrt();
    let normal = Normal::standard();
    (2.0 * (1.0 - normal.cdf(z.abs()))).min(1.0)
}

/// Exact two-sided McNemar test: `only_a` events caught by A alone, `only_b` by B alone.
pub fn mcnemar(only_a: u64, only_b: u64) -> f64 {
    veilig_analysis::compare::binomial_test(only_a, only_a + only_b, 0.5)
}

/// Holm's step-down adjustment; returns adjusted p-values in the input order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (i, &k) in order.iter().enumerate() {
        running = running.max(((m - i) as f64 * p[k]).min(1.0));
        out[k] = running;
    }
    out
}

pub const BOOTSTRAP_RESAMPLES: usize = 2000;
pub const BOOTSTRAP_BLOCK: usize = 4;
pub const BOOTSTRAP_SEED: u64 = 20190107;

/// 95 % moving-block (circular) bootstrap interval of Σa / Σb over weeks, blocks of four
/// weeks so a month's dependence stays inside a block; fixed seed.
pub fn ratio_interval(a: &[f64], b: &[f64]) -> Option<(f64, f64)> {
    let n = a.len();
    if n == 0 || n != b.len() {
        return None;
    }
    let block = BOOTSTRAP_BLOCK.min(n);
    let blocks = n.div_ceil(block);
    // SplitMix64: a small, fixed, documented generator, so every bootstrap is reproducible.
    let mut rng = veilig_domain::rng::SplitMix::new(BOOTSTRAP_SEED);
    let mut ratios = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        let (mut sa, mut sb) = (0.0, 0.0);
        for _ in 0..blocks {
            // The remainder, as this bootstrap has always drawn (its intervals stay the same).
            let start = (rng.next_u64() % n as u64) as usize;
            for k in 0..block {
                sa += a[(start + k) % n];
                sb += b[(start + k) % n];
            }
        }
        if sb > 0.0 {
            ratios.push(sa / sb);
        }
    }
    if ratios.is_empty() {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    Some((percentile(&ratios, 2.5), percentile(&ratios, 97.5)))
}

/// Percentile of sorted values with linear interpolation (numpy's default).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = (sorted.len() - 1) as f64 * q / 100.0;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilcoxon_matches_scipy() {
        // scipy.stats.wilcoxon([1,2,3,-1,4,5,0,6,-2,7], correction=False, method="approx")
        // drops the zero: n = 9, W+ = 40, var = 71.25 − 0.25 (two ties of two) → z = 2.0769,
        // p = 0.0378.
        let p = wilcoxon(&[1.0, 2.0, 3.0, -1.0, 4.0, 5.0, 0.0, 6.0, -2.0, 7.0]);
        assert!((p - 0.0378).abs() < 0.0005, "{p}");
        assert_eq!(wilcoxon(&[0.0, 0.0]), 1.0);
    }

    #[test]
    fn holm_steps_down_and_stays_monotone() {
        let adj = holm(&[0.01, 0.04, 0.03, 0.5]);
        for (a, e) in adj.iter().zip([0.04, 0.09, 0.09, 0.5]) {
            assert!((a - e).abs() < 1e-12, "{adj:?}");
        }
    }

    #[test]
    fn mcnemar_is_the_exact_sign_test() {
        // 10 events caught only by A, 2 only by B: binom.test(10, 12) → p = 0.03857.
        assert!((mcnemar(10, 2) - 0.03857).abs() < 1e-4);
        assert_eq!(mcnemar(0, 0), 1.0);
    }

    #[test]
    fn bootstrap_is_reproducible_and_brackets_the_ratio() {
        let a: Vec<f64> = (0..52).map(|i| 10.0 + (i % 5) as f64).collect();
        let b: Vec<f64> = (0..52).map(|i| 9.0 + (i % 3) as f64).collect();
        let r = a.iter().sum::<f64>() / b.iter().sum::<f64>();
        let (lo, hi) = ratio_interval(&a, &b).unwrap();
        assert!(lo < r && r < hi);
        assert_eq!(ratio_interval(&a, &b), Some((lo, hi)));
    }

    #[test]
    fn percentile_interpolates_like_numpy() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 5.0), 1.15);
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), 2.5);
    }
}
