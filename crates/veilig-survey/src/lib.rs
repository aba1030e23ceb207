//! Population surveys (Veiligheidsmonitor-style): design-based estimation with honest
//! intervals. Pure functions over columns; reading files and the store is done above.
//!
//! Checked against R's `survey` package on the California API data
//! (`../shared/bench/survey/README.md`, T1-T8, T11): see `tests/known_answers.rs`.

pub mod ci;
pub mod codebook;
pub mod design;
pub mod estimate;
pub mod rake;
pub mod rules;

pub use ci::{Method, interval};
pub use codebook::{Answer, Codebook};
pub use design::{Design, DesignError};
pub use estimate::{Difference, Estimate, difference, mean, proportion, total};
pub use rake::{Margin, RakeReport, rake, trim};
pub use rules::{Presentation, SmallSample, SurveyVerdict, verdict};
