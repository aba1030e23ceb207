//! Short-term place forecasts, and the proof of whether they beat the plain count.
//!
//! Place-based only: a forecast ranks grid cells, never people. Every method is judged by the
//! rolling-origin backtest of the TOR-BE-W protocol (`../shared/bench/forecast/TOR-BE-W.md`)
//! against the all-history count of the same cells, with paired tests; a method that does not
//! beat that count is reported as such and the count is shown instead.
//!
//! Pure functions: points in metres in, intensities, rankings and scores out. Reading files,
//! projecting and the store live above this crate.

pub mod card;
pub mod eval;
pub mod glm;
pub mod grid;
pub mod methods;
pub mod stats;
pub mod stored;

pub use eval::{
    Backtest, COVERAGE, Evidence, Truth, VsNaive, backtest, coverage_index, evidence,
    flagged_cells, ranking, vs_naive,
};
pub use grid::{Events, Grid, Minutes, Point, from_minutes, minutes};
pub use methods::{FROZEN, METHODS, Method, Params};
