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

/// Rules' data that carry their citation in the original (English) and, for pages and
/// reports, in Dutch and French.
pub trait Cited {
    /// The citation: (original, Dutch, French).
    fn citations(&self) -> (&str, Option<&str>, Option<&str>);

    /// The citation in a language ("nl", "fr", anything else the original): the language's
    /// own version where the data give one, else the original.
    fn citation_in(&self, lang: &str) -> &str {
        let (original, nl, fr) = self.citations();
        match lang {
            "nl" => nl.unwrap_or(original),
            "fr" => fr.unwrap_or(original),
            _ => original,
        }
    }
}

/// Implements [`Cited`] for a struct with the fields `citation`, `citation_nl` and
/// `citation_fr`.
#[macro_export]
macro_rules! cited {
    ($t:ty) => {
        impl $crate::Cited for $t {
            fn citations(&self) -> (&str, Option<&str>, Option<&str>) {
                (
                    &self.citation,
                    self.citation_nl.as_deref(),
                    self.citation_fr.as_deref(),
                )
            }
        }
    };
}
