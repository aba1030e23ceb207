//! Following the plan as pure functions: what an indicator measures (a definition Veilig can
//! compute, or a value entered by hand), its baseline, direction and target, the path from
//! baseline to target, the verdict on progress with the same statistical honesty as the
//! security picture, and the before/after assessment of a problem file against a comparison
//! area. The store and the queries live elsewhere (`veilig-query::monitor`).

pub mod agenda;
pub mod assess;
pub mod indicator;
pub mod progress;

pub use assess::{Assessment, AssessmentVerdict, Counts, assess};
pub use indicator::{
    Baseline, Direction, Frequency, IndicatorDef, IndicatorKind, Measure, Source, Target,
};
pub use progress::{Observation, Progress, Status, percentile, progress};

pub mod problem;
pub use problem::{Place, ProblemFile};
