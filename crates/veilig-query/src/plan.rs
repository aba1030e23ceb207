//! The policy cycle over the store: the priority matrix's evidence gathered per phenomenon
//! (the same picture `veilig picture` prints, calls, the survey, published statistics, harm,
//! the reference plans, stakeholder input) and ranked by `veilig_plan`; the ZVR's current
//! priorities; the zonal security plan with its versions and approval standing; and the
//! plan's changes, checked by `veilig_plan` and written with their audit line, one path for
//! the CLI and the web.

mod as_of;
mod decisions;
mod document;
mod matrix;
mod public;
mod snapshot;
mod words;

pub use decisions::*;
pub use document::*;
pub use matrix::*;
pub use public::{PublicPriority, public_priorities};
pub use snapshot::{security_snapshot, service_snapshot, take_snapshots};
