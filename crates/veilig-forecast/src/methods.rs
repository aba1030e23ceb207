//! The forecasting methods. Each turns the strict history before an origin into an
//! intensity per mask cell (higher = more likely); only the ranking of those values is used
//! to flag cells, and their normalised shape for the log score.
//!
//! The reference methods (a)–(e) follow the TOR-BE-W protocol's definitions to the letter;
//! Veilig's own methods and their frozen parameters are documented on [`Method`].

use serde::{Deserialize, Serialize};

use crate::grid::{Events, MINUTES_PER_DAY, Minutes, prospective};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// (a) Count of all events before the origin: the baseline every method must beat.
    Naive,
    /// (b) Count of the events in the 365 days before the origin.
    Naive365,
    /// (c) Retrospective hotspot: quartic kernel of 300 m over the last 60 days, at cell centres.
    RetroHotspot,
    /// (d) Prospective hotspot (ProMap): 1/((1+d)(1+w)) for Chebyshev cell distance d < 3 and
    /// whole weeks w < 8.
    ProspectiveHotspot,
    /// (e) Space-time KDE: exponential 30-day time kernel × Gaussian 150 m, 365-day window.
    Stkde,
    /// Recency-weighted count: every past event weighs 2^(−age / half-life).
    Ewma,
    /// The all-history count with ties broken by evidence instead of by cell id: the count,
    /// then a small weight on a recency-weighted count, the neighbours' counts and the
    /// other offence types in the cell. Weights frozen after tuning on 2017–2018 origins.
    Blend,
    /// Poisson regression on multi-window, neighbour, other-offence and near-repeat features,
    /// refitted at every origin on the 52 weeks before it (see [`crate::glm`]).
    PoissonGlm,
}

/// Frozen parameters of Veilig's own methods. Chosen with `veilig forecast tune` on the
/// weekly origins of 2017 and 2018 only (before the 2019 test year); never on 2019.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Half-life of the recency weight, in days (`ewma`, and the recency term of `blend`).
    pub half_life_days: f64,
    /// Weight of the recency-weighted count in `blend`, relative to the all-history count.
    pub recency: f64,
    /// Weight of the sum over the eight neighbouring cells' all-history counts.
    pub neighbours: f64,
    /// Weight of the all-history count of the other offence types in the cell.
    pub other_types: f64,
}

/// The best of `veilig forecast tune` on Toronto Break and Enter, 104 origins from
/// 2017-01-02 (ratio to the naive count 1.072 at 1 %, 1.045 at 5 %); `ewma` keeps the
/// half-life of 182 days too (its own best was 730 days at 1.045 / 1.005).
pub const FROZEN: Params = Params {
    half_life_days: 182.0,
    recency: 2.0,
    neighbours: 0.1,
    other_types: 0.03,
};

pub struct MethodInfo {
    pub method: Method,
    pub name: &'static str,
    /// A reference method of the protocol (its hit rates are published), not one of Veilig's.
    pub reference: bool,
}

pub const METHODS: &[MethodInfo] = &[
    MethodInfo {
        method: Method::Naive,
        name: "naive",
        reference: true,
    },
    MethodInfo {
        method: Method::Naive365,
        name: "naive-365",
        reference: true,
    },
    MethodInfo {
        method: Method::RetroHotspot,
        name: "retro-hotspot",
        reference: true,
    },
    MethodInfo {
        method: Method::ProspectiveHotspot,
        name: "prospective-hotspot",
        reference: true,
    },
    MethodInfo {
        method: Method::Stkde,
        name: "stkde",
        reference: true,
    },
    MethodInfo {
        method: Method::Ewma,
        name: "ewma",
        reference: false,
    },
    MethodInfo {
        method: Method::Blend,
        name: "blend",
        reference: false,
    },
    MethodInfo {
        method: Method::PoissonGlm,
        name: "poisson-glm",
        reference: false,
    },
];

impl Method {
    pub fn parse(name: &str) -> Option<Method> {
        METHODS.iter().find(|m| m.name == name).map(|m| m.method)
    }

    pub fn name(self) -> &'static str {
        METHODS
            .iter()
            .find(|m| m.method == self)
            .map(|m| m.name)
            .expect("every method is listed")
    }

    pub fn names() -> Vec<&'static str> {
        METHODS.iter().map(|m| m.name).collect()
    }

    /// The intensity of every mask cell at `origin`, from the events strictly before it.
    pub fn intensity(self, ev: &Events, origin: Minutes, params: &Params) -> Vec<f64> {
        if self == Method::PoissonGlm {
            return crate::glm::intensity(ev, origin);
        }
        let mut dense = vec![0.0f64; ev.grid.cells()];
        let end = ev.before(origin);
        let since = |days: i64| ev.before(origin - days * MINUTES_PER_DAY);
        match self {
            Method::Naive => count(ev, 0, end, &mut dense),
            Method::Naive365 => count(ev, since(365), end, &mut dense),
            Method::RetroHotspot => quartic(ev, since(60), end, 300.0, &mut dense),
            Method::ProspectiveHotspot => prospective(ev, since(56), end, origin, &mut dense),
            Method::Stkde => stkde(ev, since(365), end, origin, 30.0, 150.0, &mut dense),
            Method::Ewma => ewma(ev, 0, end, origin, params.half_life_days, &mut dense),
            Method::Blend => blend(ev, end, origin, params, &mut dense),
            Method::PoissonGlm => unreachable!("returned above"),
        }
        ev.mask.iter().map(|&c| dense[c]).collect()
    }
}

fn count(ev: &Events, from: usize, to: usize, out: &mut [f64]) {
    for &c in &ev.cell[from..to] {
        out[c] += 1.0;
    }
}

fn ewma(ev: &Events, from: usize, to: usize, origin: Minutes, half_life: f64, out: &mut [f64]) {
    let rate = std::f64::consts::LN_2 / (half_life * MINUTES_PER_DAY as f64);
    for i in from..to {
        out[ev.cell[i]] += (-((origin - ev.t[i]) as f64) * rate).exp();
    }
}

/// The cell columns (or rows) whose centres lie within `reach` of coordinate `v`.
fn span(v: f64, v0: f64, cell: f64, n: usize, reach: f64) -> std::ops::Range<usize> {
    let lo = ((v - reach - v0) / cell - 0.5).ceil().max(0.0) as usize;
    let hi = (((v + reach - v0) / cell - 0.5).floor() + 1.0).clamp(0.0, n as f64) as usize;
    lo.min(hi)..hi
}

fn quartic(ev: &Events, from: usize, to: usize, h: f64, out: &mut [f64]) {
    let g = &ev.grid;
    let h2 = h * h;
    for i in from..to {
        let (x, y) = (ev.x[i], ev.y[i]);
        for iy in span(y, g.y0, g.cell, g.ny, h) {
            let dy = g.y0 + g.cell * (iy as f64 + 0.5) - y;
            for ix in span(x, g.x0, g.cell, g.nx, h) {
                let dx = g.x0 + g.cell * (ix as f64 + 0.5) - x;
                let r2 = dx * dx + dy * dy;
                if r2 <= h2 {
                    let w = 1.0 - r2 / h2;
                    out[iy * g.nx + ix] += w * w;
                }
            }
        }
    }
}

/// The Gaussian is cut at 10 σ, where it is e^-50 of its peak: far below the 10^-9 step of
/// the protocol's ranking key, so the ranking is that of the untruncated sum.
fn stkde(
    ev: &Events,
    from: usize,
    to: usize,
    origin: Minutes,
    time_scale_days: f64,
    sigma: f64,
    out: &mut [f64],
) {
    let g = &ev.grid;
    let reach = 10.0 * sigma;
    let two_s2 = 2.0 * sigma * sigma;
    let mut total_w = 0.0;
    let mut fx: Vec<f64> = Vec::new();
    for i in from..to {
        let days = (origin - ev.t[i]) as f64 / MINUTES_PER_DAY as f64;
        let w = (-days / time_scale_days).exp() / time_scale_days;
        total_w += w;
        let (x, y) = (ev.x[i], ev.y[i]);
        let xs = span(x, g.x0, g.cell, g.nx, reach);
        fx.clear();
        fx.extend(xs.clone().map(|ix| {
            let dx = g.x0 + g.cell * (ix as f64 + 0.5) - x;
            (-dx * dx / two_s2).exp()
        }));
        for iy in span(y, g.y0, g.cell, g.ny, reach) {
            let dy = g.y0 + g.cell * (iy as f64 + 0.5) - y;
            let wy = w * (-dy * dy / two_s2).exp();
            let row = &mut out[iy * g.nx..];
            for (k, ix) in xs.clone().enumerate() {
                row[ix] += wy * fx[k];
            }
        }
    }
    if total_w > 0.0 {
        let norm = total_w * std::f64::consts::PI * two_s2;
        for v in out.iter_mut() {
            *v /= norm;
        }
    }
}

fn blend(ev: &Events, end: usize, origin: Minutes, p: &Params, out: &mut [f64]) {
    let g = &ev.grid;
    let n = g.cells();
    let mut all = vec![0.0; n];
    count(ev, 0, end, &mut all);
    let mut recent = vec![0.0; n];
    ewma(ev, 0, end, origin, p.half_life_days, &mut recent);
    let other = ev.other_types_before(origin, &all);
    for c in 0..n {
        let ring = g.ring_sum(&all, c);
        out[c] = all[c] + p.recency * recent[c] + p.neighbours * ring + p.other_types * other[c];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Point;

    fn ev() -> Events {
        let mk = |x: f64, y: f64, t: Minutes| Point {
            x,
            y,
            t,
            category: "b".into(),
        };
        // A 10 × 10 grid of 150 m from (0, 0); events in cell (5, 5).
        let mut pts = vec![
            mk(0.0, 0.0, 0),
            mk(1499.0, 1499.0, 0),
            mk(825.0, 825.0, 10 * MINUTES_PER_DAY),
            mk(825.0, 825.0, 20 * MINUTES_PER_DAY),
        ];
        pts[0].category = "other".into();
        pts[1].category = "other".into();
        Events::build(&pts, "b", 150.0).unwrap()
    }

    fn at(ev: &Events, v: &[f64], ix: usize, iy: usize) -> f64 {
        v[ev.mask_index[iy * ev.grid.nx + ix] as usize]
    }

    #[test]
    fn history_is_strict_and_windows_hold() {
        let e = ev();
        let o = 20 * MINUTES_PER_DAY;
        let v = Method::Naive.intensity(&e, o, &FROZEN);
        // The event at the origin itself is not history.
        assert_eq!(at(&e, &v, 5, 5), 1.0);
        let v = Method::Naive.intensity(&e, o + 1, &FROZEN);
        assert_eq!(at(&e, &v, 5, 5), 2.0);
        let v = Method::Naive365.intensity(&e, 376 * MINUTES_PER_DAY, &FROZEN);
        assert_eq!(at(&e, &v, 5, 5), 1.0, "the event 366 days back is out");
    }

    #[test]
    fn prospective_weights_by_cells_and_weeks() {
        let e = ev();
        // One event 10 days back (w = 1), one at 0 days + 1 minute (w = 0).
        let o = 20 * MINUTES_PER_DAY + 1;
        let mut dense = vec![0.0; e.grid.cells()];
        prospective(&e, 0, 2, o, &mut dense);
        assert!((dense[5 * 10 + 5] - (1.0 + 0.5)).abs() < 1e-12);
        assert!((dense[7 * 10 + 7] - (1.0 / 3.0 + 1.0 / 6.0)).abs() < 1e-12);
        assert_eq!(dense[8 * 10 + 5], 0.0, "d = 3 is outside");
    }

    #[test]
    fn quartic_reaches_300_m_from_the_point() {
        let e = ev();
        let mut dense = vec![0.0; e.grid.cells()];
        quartic(&e, 0, 1, 300.0, &mut dense);
        // Event at the centre of (5, 5): weight 1 there, (1 − 150²/300²)² next door, 0 at 2 cells
        // diagonally (r = 424 m).
        assert_eq!(dense[55], 1.0);
        assert!((dense[56] - 0.5625).abs() < 1e-12);
        assert!((dense[57] - 0.0).abs() < 1e-12, "r = 300 exactly weighs 0");
        assert_eq!(dense[77], 0.0);
    }
}
