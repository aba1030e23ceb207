//! Where: counts on a projected grid, kernel density, and Getis-Ord Gi* hot spots.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// A regular grid of square cells in projected metres, aligned to multiples of the cell size
/// so that maps of different periods line up. `values[iy * nx + ix]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub x0: f64,
    pub y0: f64,
    pub cell: f64,
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
}

impl Grid {
    /// An empty grid covering `[min_x, max_x] × [min_y, max_y]`.
    pub fn covering(min_x: f64, min_y: f64, max_x: f64, max_y: f64, cell: f64) -> Grid {
        let x0 = (min_x / cell).floor() * cell;
        let y0 = (min_y / cell).floor() * cell;
        let nx = (((max_x - x0) / cell).floor() as usize + 1).max(1);
        let ny = (((max_y - y0) / cell).floor() as usize + 1).max(1);
        Grid {
            x0,
            y0,
            cell,
            nx,
            ny,
            values: vec![0.0; nx * ny],
        }
    }

    /// A grid around the points (empty input gives one cell at the origin).
    pub fn around(points: &[(f64, f64)], cell: f64) -> Grid {
        let (mut a, mut b, mut c, mut d) = (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        );
        for &(x, y) in points {
            a = a.min(x);
            b = b.min(y);
            c = c.max(x);
            d = d.max(y);
        }
        if points.is_empty() {
            (a, b, c, d) = (0.0, 0.0, 0.0, 0.0);
        }
        Grid::covering(a, b, c, d, cell)
    }

    pub fn index(&self, x: f64, y: f64) -> Option<usize> {
        let ix = ((x - self.x0) / self.cell).floor();
        let iy = ((y - self.y0) / self.cell).floor();
        (ix >= 0.0 && iy >= 0.0 && (ix as usize) < self.nx && (iy as usize) < self.ny)
            .then(|| iy as usize * self.nx + ix as usize)
    }

    /// Centre of cell `i`.
    pub fn centre(&self, i: usize) -> (f64, f64) {
        let (ix, iy) = (i % self.nx, i / self.nx);
        (
            self.x0 + (ix as f64 + 0.5) * self.cell,
            self.y0 + (iy as f64 + 0.5) * self.cell,
        )
    }
}

/// Counts per cell; points outside the grid are ignored.
pub fn counts(grid: &Grid, points: &[(f64, f64)]) -> Grid {
    let mut g = Grid {
        values: vec![0.0; grid.values.len()],
        ..grid.clone()
    };
    for &(x, y) in points {
        if let Some(i) = g.index(x, y) {
            g.values[i] += 1.0;
        }
    }
    g
}

/// The default bandwidth, as ArcGIS Pro's Kernel Density tool documents it ("How Kernel
/// Density works"): a spatial variant of Silverman's rule of thumb,
/// `h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-0.2)`, with SD the standard distance of the
/// points and Dm their median distance to the mean centre. Familiar to analysts, robust to
/// outliers through Dm.
pub fn default_bandwidth(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len();
    if n < 2 {
        return None;
    }
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (mx / n as f64, my / n as f64);
    let mut d: Vec<f64> = points.iter().map(|(x, y)| (x - mx).hypot(y - my)).collect();
    let sd = (d.iter().map(|v| v * v).sum::<f64>() / n as f64).sqrt();
    d.sort_by(f64::total_cmp);
    let dm = if n % 2 == 1 {
        d[n / 2]
    } else {
        (d[n / 2 - 1] + d[n / 2]) / 2.0
    };
    let h = 0.9 * sd.min((1.0 / std::f64::consts::LN_2).sqrt() * dm) * (n as f64).powf(-0.2);
    (h > 0.0).then_some(h)
}

/// Kernel density at cell centres, in events per km², with the quartic (biweight) kernel
/// `K(u) = 3/π · (1 − u²)²` for `u < 1` (Silverman 1986, eq. 4.5 in two dimensions).
pub fn kde(grid: &Grid, points: &[(f64, f64)], bandwidth: f64) -> Grid {
    let mut g = Grid {
        values: vec![0.0; grid.values.len()],
        ..grid.clone()
    };
    let h2 = bandwidth * bandwidth;
    let norm = 3.0 / std::f64::consts::PI / h2 * 1e6;
    let reach = (bandwidth / g.cell).ceil() as i64 + 1;
    for &(x, y) in points {
        let cx = ((x - g.x0) / g.cell).floor() as i64;
        let cy = ((y - g.y0) / g.cell).floor() as i64;
        for iy in (cy - reach).max(0)..=(cy + reach).min(g.ny as i64 - 1) {
            let py = g.y0 + (iy as f64 + 0.5) * g.cell - y;
            for ix in (cx - reach).max(0)..=(cx + reach).min(g.nx as i64 - 1) {
                let px = g.x0 + (ix as f64 + 0.5) * g.cell - x;
                let u2 = (px * px + py * py) / h2;
                if u2 < 1.0 {
                    g.values[iy as usize * g.nx + ix as usize] += norm * (1.0 - u2) * (1.0 - u2);
                }
            }
        }
    }
    g
}

/// Benjamini-Hochberg adjusted p-values (q-values), in input order.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut q = vec![0.0; m];
    let mut running = 1.0f64;
    for rank in (0..m).rev() {
        let i = order[rank];
        running = running.min(p[i] * m as f64 / (rank + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// Gi* of every cell with its p-value, FDR-adjusted q-value and class.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiStar {
    pub grid: Grid,
    /// z-scores, one per cell (in `grid` order).
    pub z: Vec<f64>,
    pub p: Vec<f64>,
    pub q: Vec<f64>,
    /// `hot`, `cold` or `-` per cell, at the FDR level `alpha`.
    pub class: Vec<&'static str>,
    /// Neighbourhood: cells within this many cells (Chebyshev distance; 1 = the 3 × 3 block).
    pub radius: usize,
    pub alpha: f64,
    pub method: &'static str,
}

/// Getis-Ord Gi* (Ord & Getis 1995, "Local spatial autocorrelation statistics", Geographical
/// Analysis 27(4), eq. 14) on the counts of `grid`, with binary weights over the cells within
/// `radius` (the cell itself included), two-sided normal p-values and Benjamini-Hochberg FDR.
pub fn gi_star(grid: &Grid, radius: usize, alpha: f64) -> GiStar {
    let x = &grid.values;
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let s = (x.iter().map(|v| v * v).sum::<f64>() / n - mean * mean)
        .max(0.0)
        .sqrt();
    let r = radius as i64;
    let normal = Normal::new(0.0, 1.0).expect("standard normal");
    let mut z = vec![0.0; x.len()];
    for iy in 0..grid.ny as i64 {
        for ix in 0..grid.nx as i64 {
            let (mut sum, mut w) = (0.0, 0.0);
            for jy in (iy - r).max(0)..=(iy + r).min(grid.ny as i64 - 1) {
                for jx in (ix - r).max(0)..=(ix + r).min(grid.nx as i64 - 1) {
                    sum += x[jy as usize * grid.nx + jx as usize];
                    w += 1.0;
                }
            }
            let denom = s * ((n * w - w * w) / (n - 1.0)).sqrt();
            z[iy as usize * grid.nx + ix as usize] = if denom > 0.0 {
                (sum - mean * w) / denom
            } else {
                0.0
            };
        }
    }
    let p: Vec<f64> = z
        .iter()
        .map(|v| 2.0 * (1.0 - normal.cdf(v.abs())))
        .collect();
    let q = benjamini_hochberg(&p);
    let class = z
        .iter()
        .zip(&q)
        .map(|(z, q)| {
            if *q < alpha {
                if *z > 0.0 { "hot" } else { "cold" }
            } else {
                "-"
            }
        })
        .collect();
    GiStar {
        grid: grid.clone(),
        z,
        p,
        q,
        class,
        radius,
        alpha,
        method: "Getis-Ord Gi* (binary weights, cell included), two-sided normal p, Benjamini-Hochberg FDR",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_aligned_and_counts() {
        let g = Grid::around(&[(140.0, 20.0), (460.0, 310.0)], 150.0);
        assert_eq!((g.x0, g.y0, g.nx, g.ny), (0.0, 0.0, 4, 3));
        let c = counts(
            &g,
            &[(140.0, 20.0), (149.9, 0.0), (460.0, 310.0), (-1.0, 0.0)],
        );
        assert_eq!(c.values[0], 2.0);
        assert_eq!(c.values[2 * 4 + 3], 1.0);
        assert_eq!(c.values.iter().sum::<f64>(), 3.0);
    }

    /// One point, bandwidth 100 m: at the point the quartic density is 3/(π·100²) per m²
    /// = 95.49 per km²; at 50 m, (1 − 0.25)² of that.
    #[test]
    fn kde_known_values_and_mass() {
        let g = Grid::covering(-500.0, -500.0, 500.0, 500.0, 10.0);
        let k = kde(&g, &[(5.0, 5.0)], 100.0);
        let at = |x: f64, y: f64| k.values[k.index(x, y).unwrap()];
        assert!((at(5.0, 5.0) - 3.0 / std::f64::consts::PI / 1e4 * 1e6).abs() < 1e-9);
        assert!((at(55.0, 5.0) - 95.49296585513721 * 0.5625).abs() < 1e-9);
        assert_eq!(at(205.0, 5.0), 0.0);
        // The density integrates to one event: Σ density · cell area (km²) ≈ 1.
        let mass: f64 = k.values.iter().sum::<f64>() * (10.0 * 10.0) / 1e6;
        assert!((mass - 1.0).abs() < 0.01, "{mass}");
    }

    #[test]
    fn default_bandwidth_rule() {
        // Four points on a circle of radius 100 around (0, 0): SD = Dm = 100,
        // h = 0.9 · min(100, 1.2011 · 100) · 4^-0.2.
        let pts = [(100.0, 0.0), (0.0, 100.0), (-100.0, 0.0), (0.0, -100.0)];
        let h = default_bandwidth(&pts).unwrap();
        assert!((h - 0.9 * 100.0 * 4f64.powf(-0.2)).abs() < 1e-9);
        assert!(default_bandwidth(&[(1.0, 1.0)]).is_none());
    }

    /// Reference: statsmodels 0.15.0 `multipletests([0.01, 0.04, 0.03, 0.005, 0.5],
    /// method="fdr_bh")`.
    #[test]
    fn benjamini_hochberg_matches_statsmodels() {
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        let want = [0.025, 0.05, 0.05, 0.025, 0.5];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn gi_star_of_a_constant_field_is_zero_and_finds_a_cluster() {
        let mut g = Grid::covering(0.0, 0.0, 990.0, 990.0, 100.0);
        g.values.iter_mut().for_each(|v| *v = 3.0);
        assert!(gi_star(&g, 1, 0.05).z.iter().all(|z| *z == 0.0));
        g.values.iter_mut().for_each(|v| *v = 0.0);
        for (x, y) in [
            (450.0, 450.0),
            (550.0, 450.0),
            (450.0, 550.0),
            (550.0, 550.0),
        ] {
            let i = g.index(x, y).unwrap();
            g.values[i] = 10.0;
        }
        let gi = gi_star(&g, 1, 0.05);
        let i = g.index(450.0, 450.0).unwrap();
        assert_eq!(gi.class[i], "hot");
        assert!(gi.z[i] > 3.0);
        assert_eq!(gi.class[g.index(50.0, 50.0).unwrap()], "-");
    }

    /// Gi* by the textbook formula for one interior cell of a small grid, computed by hand:
    /// 3 × 3 grid, values 1..9, radius 1 around the centre (all nine cells): numerator
    /// Σx − x̄·9 = 45 − 45 = 0; around a corner (four cells 1, 2, 4, 5): 12 − 5·4 = −8,
    /// S = √(285/9 − 25) = 2.5820, denominator S·√((9·4 − 16)/8) = 4.0825 → z = −1.9596.
    #[test]
    fn gi_star_formula_by_hand() {
        let mut g = Grid::covering(0.0, 0.0, 2.5, 2.5, 1.0);
        g.values = (1..=9).map(f64::from).collect();
        let gi = gi_star(&g, 1, 0.05);
        assert!(gi.z[4].abs() < 1e-12);
        assert!((gi.z[0] + 1.959591794).abs() < 1e-6, "{}", gi.z[0]);
    }
}
