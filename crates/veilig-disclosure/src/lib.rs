//! Disclosure control for every figure that leaves the zone (council and partner views, the
//! public page and its API, open data, reports): the rules as data ([`rules`]), the fixed
//! calendar periods figures are published for ([`period`]), the protected table of one
//! phenomenon in one year ([`year`]), built on cell suppression with an exact audit on
//! networks ([`network`]). Pure functions: the web and the CLI read them.
//!
//! Why this method: a reader who may ask for any period subtracts 1 January-30 December
//! from 1 January-31 December and reads the day; one who sees wijken, municipalities and the
//! zone subtracts them. Publishing only fixed calendar periods removes the first attack;
//! suppressing every figure of a phenomenon-year together, until an exact audit finds no
//! hidden cell derivable from the shown ones and the labels, removes the second.

pub mod joint;
pub mod lines;
pub mod network;
pub mod period;
pub mod publish;
pub mod release;
pub mod rules;
pub mod year;

pub use network::Status;
pub use period::{PubPeriod, last_complete_month_end};
pub use publish::protect_year;
pub use release::{protect_release, unchanged};
pub use rules::{Calendar, Editions, PeriodKind, Rules};
pub use year::{Figure, Layout, ProtectedYear, Unit, YearCounts};
