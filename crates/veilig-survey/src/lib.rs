//! Population surveys (Veiligheidsmonitor-style): design-based estimation with honest
//! intervals. Pure functions over columns; reading files and the store is done above.
//!
//! - [`design`]: strata, clusters at one or more stages, the finite-population correction;
//!   [`variance`]: the linearised variance, calibration included.
//! - [`calibrate`]: post-stratification, linear calibration (GREG), trimming, the weights'
//!   report; [`rake`]: raking.
//! - [`estimate`]: means, totals, proportions, domain contrasts and differences between
//!   waves; [`quantile`]: medians and percentiles; [`replicate`]: jackknife and bootstrap.
//! - [`ci`]: intervals for proportions; [`rules`]: when a figure may be shown.
//!
//! Checked against R's `survey` package on the California API data
//! (`../shared/bench/survey/README.md`, T1-T8, T11, and `testdata/survey/r/`): see
//! `tests/known_answers.rs`.

pub mod calibrate;
pub mod ci;
pub mod codebook;
pub mod design;
pub mod estimate;
mod linalg;
pub mod quantile;
pub mod rake;
pub mod replicate;
mod residual;
mod reweight;
pub mod rules;
pub mod variance;

pub use calibrate::{CalibrationError, WeightsReport, calibrate, post_stratify, trim_to};
pub use ci::{Method, interval};
pub use codebook::{Answer, Codebook};
pub use design::{Design, DesignError, Stage};
pub use estimate::{Difference, Estimate, contrast, difference, mean, proportion, total};
pub use quantile::{Quantile, quantile};
pub use rake::{Margin, RakeReport, rake, trim};
pub use replicate::{ReplicateKind, Replicates};
pub use rules::{Presentation, SmallSample, SurveyVerdict, verdict};
