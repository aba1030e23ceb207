//! The middle of the policy cycle as pure functions: the reference plans a zone aligns with,
//! the priority matrix's scoring and sensitivity, the zonal security plan as a versioned
//! document with its checks and comparison, and the approval procedure. No store, no I/O
//! beyond reading the data files these rules live in.

pub mod approval;
mod checks;
pub mod diff;
pub mod document;
pub mod matrix;
pub mod reference;

pub use approval::{Procedure, Standing, StepDef, Taken};
pub use diff::{Change, diff};
pub use document::{
    Action, Chapters, Domain, Level, Objective, PartnerRole, Phase, PlanDoc, Priority,
    PriorityKind, Snapshot, valid_code,
};
pub use matrix::{CRITERIA, Candidate, Method, Ranking, Scored, rank};
pub use reference::{Alignment, ReferencePlan, alignment};
