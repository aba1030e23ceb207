//! Veilig's capacity planning: can the corps carry out its local tasks at every hour?
//!
//! Norms are data (`data/norms.toml`, each rule with a citation and confidence mark);
//! net capacity keeps every deduction explicit; demand per hour comes from calls for service
//! through Erlang C with the norm floor on top; the coverage proof checks a plan hour by hour.
//! Pure functions without a solver; the optimisation models (shift design, rostering,
//! allocation) are in `veilig-solver`. The CLI and the web read and write the store.

pub mod check;
pub mod coverage;
pub mod demand;
pub mod erlang;
pub mod net;
pub mod norms;

pub use check::{CheckParams, Line, Place, check};
pub use coverage::{Duty, Requirement, Shortfall, coverage};
pub use demand::{Call, HourDemand, hourly_demand};
pub use erlang::{StaffingRules, erlang_c, units_needed};
pub use net::{Deductions, NetHours, net_hours};
pub use norms::{Rule, RuleKind, Ruleset};
