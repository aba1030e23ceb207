//! The grid, its mask and the events placed on it, exactly as the TOR-BE-W protocol fixes
//! them: origin at the floor of the smallest coordinate over *all* rows, row-major cell ids,
//! and a mask of the cells holding at least one row of any type and any date.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use serde::Serialize;

/// Event time in whole minutes since 1970-01-01 00:00 (naive local time, no time zone).
pub type Minutes = i64;

pub const MINUTES_PER_DAY: i64 = 1440;
pub const MINUTES_PER_WEEK: i64 = 7 * MINUTES_PER_DAY;

pub fn minutes(t: NaiveDateTime) -> Minutes {
    t.and_utc().timestamp().div_euclid(60)
}

pub fn from_minutes(m: Minutes) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(m * 60, 0)
        .expect("minutes in range")
        .naive_utc()
}

/// One located row, already projected into metres.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub t: Minutes,
    /// The row's category (offence type), matched exactly.
    pub category: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Grid {
    pub x0: f64,
    pub y0: f64,
    pub cell: f64,
    pub nx: usize,
    pub ny: usize,
}

impl Grid {
    /// The protocol's grid over every row: x0 = floor(min x / cell)·cell, nx = max ix + 1.
    pub fn over(points: &[Point], cell: f64) -> Option<Grid> {
        if points.is_empty() || cell.is_nan() || cell <= 0.0 {
            return None;
        }
        let min_x = points.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let min_y = points.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        let x0 = (min_x / cell).floor() * cell;
        let y0 = (min_y / cell).floor() * cell;
        let mut g = Grid {
            x0,
            y0,
            cell,
            nx: 0,
            ny: 0,
        };
        let (mut mx, mut my) = (0usize, 0usize);
        for p in points {
            let (ix, iy) = g.index(p.x, p.y);
            mx = mx.max(ix);
            my = my.max(iy);
        }
        g.nx = mx + 1;
        g.ny = my + 1;
        Some(g)
    }

    /// Column and row of a point; points below the origin clamp to 0 (they cannot occur
    /// for the rows the grid was built over).
    pub fn index(&self, x: f64, y: f64) -> (usize, usize) {
        let ix = ((x - self.x0) / self.cell).floor().max(0.0) as usize;
        let iy = ((y - self.y0) / self.cell).floor().max(0.0) as usize;
        (ix, iy)
    }

    /// Row-major cell id (y, then x), or `None` outside the grid.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        if x < self.x0 || y < self.y0 {
            return None;
        }
        let (ix, iy) = self.index(x, y);
        (ix < self.nx && iy < self.ny).then_some(iy * self.nx + ix)
    }

    pub fn cells(&self) -> usize {
        self.nx * self.ny
    }

    /// Sum of `dense` over the eight cells around cell `id` (fewer at the grid's edge).
    pub fn ring_sum(&self, dense: &[f64], id: usize) -> f64 {
        let (ix, iy) = ((id % self.nx) as i64, (id / self.nx) as i64);
        let mut sum = 0.0;
        for jy in (iy - 1).max(0)..=(iy + 1).min(self.ny as i64 - 1) {
            for jx in (ix - 1).max(0)..=(ix + 1).min(self.nx as i64 - 1) {
                if (jx, jy) != (ix, iy) {
                    sum += dense[jy as usize * self.nx + jx as usize];
                }
            }
        }
        sum
    }

    pub fn centre(&self, id: usize) -> (f64, f64) {
        let (ix, iy) = (id % self.nx, id / self.nx);
        (
            self.x0 + self.cell * (ix as f64 + 0.5),
            self.y0 + self.cell * (iy as f64 + 0.5),
        )
    }
}

/// The events of one type on the grid, sorted by time, and the mask they are ranked on.
#[derive(Debug, Clone)]
pub struct Events {
    pub grid: Grid,
    /// Cell ids of the mask, ascending.
    pub mask: Vec<usize>,
    /// For every grid cell its position in `mask`, or `u32::MAX` outside it.
    pub mask_index: Vec<u32>,
    /// The type's events, sorted by time (stable: file order among equal times).
    pub t: Vec<Minutes>,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub cell: Vec<usize>,
    /// Every row of every type (the other-offence signal some methods use), sorted by time.
    pub all_t: Vec<Minutes>,
    pub all_cell: Vec<usize>,
    /// Values computed once per origin from these events (the regression's training weeks).
    pub(crate) per_origin: PerOrigin,
}

impl Events {
    /// Builds grid and mask over all `points`, and keeps the rows whose category is `kind`.
    pub fn build(points: &[Point], kind: &str, cell: f64) -> Option<Events> {
        let grid = Grid::over(points, cell)?;
        let mut in_mask = vec![false; grid.cells()];
        let mut all: Vec<(Minutes, usize)> = Vec::with_capacity(points.len());
        let mut own: Vec<(Minutes, f64, f64, usize)> = Vec::new();
        for p in points {
            let c = grid.cell_of(p.x, p.y).expect("grid covers its points");
            in_mask[c] = true;
            all.push((p.t, c));
            if p.category == kind {
                own.push((p.t, p.x, p.y, c));
            }
        }
        all.sort_by_key(|a| a.0);
        own.sort_by_key(|a| a.0);
        let mask: Vec<usize> = (0..grid.cells()).filter(|&c| in_mask[c]).collect();
        let mut mask_index = vec![u32::MAX; grid.cells()];
        for (i, &c) in mask.iter().enumerate() {
            mask_index[c] = i as u32;
        }
        Some(Events {
            grid,
            mask,
            mask_index,
            t: own.iter().map(|e| e.0).collect(),
            x: own.iter().map(|e| e.1).collect(),
            y: own.iter().map(|e| e.2).collect(),
            cell: own.iter().map(|e| e.3).collect(),
            all_t: all.iter().map(|e| e.0).collect(),
            all_cell: all.iter().map(|e| e.1).collect(),
            per_origin: Default::default(),
        })
    }

    /// Index of the first event at or after `t` (events before it are the history at `t`).
    pub fn before(&self, t: Minutes) -> usize {
        self.t.partition_point(|&e| e < t)
    }

    pub fn all_before(&self, t: Minutes) -> usize {
        self.all_t.partition_point(|&e| e < t)
    }

    /// Per grid cell, the rows of the *other* types before `t`; `own` is the type's count
    /// per grid cell before `t`.
    pub fn other_types_before(&self, t: Minutes, own: &[f64]) -> Vec<f64> {
        let mut other = vec![0.0; self.grid.cells()];
        for &c in &self.all_cell[..self.all_before(t)] {
            other[c] += 1.0;
        }
        for (o, a) in other.iter_mut().zip(own) {
            *o -= a;
        }
        other
    }

    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64, c: &str) -> Point {
        Point {
            x,
            y,
            t: 0,
            category: c.into(),
        }
    }

    #[test]
    fn grid_origin_floors_and_ids_are_row_major() {
        let pts = vec![p(1000.0, 2000.0, "a"), p(1450.0, 2299.0, "b")];
        let g = Grid::over(&pts, 150.0).unwrap();
        assert_eq!((g.x0, g.y0), (900.0, 1950.0));
        assert_eq!((g.nx, g.ny), (4, 3));
        // (1450-900)/150 = 3.67 → 3; (2299-1950)/150 = 2.33 → 2.
        assert_eq!(g.cell_of(1450.0, 2299.0), Some(2 * 4 + 3));
        assert_eq!(g.centre(0), (975.0, 2025.0));
        let ev = Events::build(&pts, "a", 150.0).unwrap();
        assert_eq!(ev.mask.len(), 2);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev.mask_index[ev.cell[0]], 0);
    }
}

/// Values a method computes once per forecast origin from a set of events and reuses:
/// consecutive forecasts (a backtest, the evidence badge) share most of their inputs. A
/// clone starts empty.
#[derive(Debug, Default)]
pub(crate) struct PerOrigin(Mutex<HashMap<Minutes, Arc<dyn Any + Send + Sync>>>);

impl Clone for PerOrigin {
    fn clone(&self) -> Self {
        PerOrigin::default()
    }
}

impl PerOrigin {
    pub(crate) fn get<T: Any + Send + Sync>(&self, origin: Minutes) -> Option<Arc<T>> {
        let held = self.0.lock().expect("cache").get(&origin).cloned()?;
        held.downcast::<T>().ok()
    }

    pub(crate) fn put<T: Any + Send + Sync>(&self, origin: Minutes, value: Arc<T>) {
        self.0.lock().expect("cache").insert(origin, value);
    }
}

/// ProMap's near-repeat surface: each event of the eight weeks before `origin` adds
/// 1 / ((1 + cells away) · (1 + weeks ago)) to the cells within two of its own.
pub(crate) fn prospective(ev: &Events, from: usize, to: usize, origin: Minutes, out: &mut [f64]) {
    let g = &ev.grid;
    for i in from..to {
        let w = (origin - ev.t[i]).div_euclid(MINUTES_PER_WEEK);
        if w >= 8 {
            continue;
        }
        let (ex, ey) = ((ev.cell[i] % g.nx) as i64, (ev.cell[i] / g.nx) as i64);
        for iy in (ey - 2).max(0)..=(ey + 2).min(g.ny as i64 - 1) {
            for ix in (ex - 2).max(0)..=(ex + 2).min(g.nx as i64 - 1) {
                let d = (ix - ex).abs().max((iy - ey).abs());
                out[iy as usize * g.nx + ix as usize] += 1.0 / ((1 + d) as f64 * (1 + w) as f64);
            }
        }
    }
}
