//! Veilig's analysis: pure, tested functions from incidents to the security picture.
//!
//! Nothing here reads a database or a file. Every result is a typed value that serialises to
//! JSON and carries the method that produced it; `veilig-report` draws them as SVG. The
//! statistics cite their sources in their docs and are checked in tests against reference
//! values computed independently (SciPy, statsmodels, R, hand calculations).

pub mod compare;
pub mod compstat;
pub mod concentration;
pub mod event;
pub mod hex;
pub mod hotspot;
pub mod knox;
pub mod picture;
pub mod time;
pub mod trend;

pub use compare::{Comparison, TestRules, Verdict, compare};
pub use event::{Event, Period};
