//! What a command prints for an answer of the application layer, one file per part of the
//! product. Every function takes the answer (or a part of it) and writes to stdout; the
//! `--json` form of a command prints the answer itself.

pub mod analysis;
pub mod capacity;
pub mod disclosure;
pub mod forecast;
pub mod import;
pub mod monitor;
pub mod plan;
pub mod status;
pub mod survey;
pub mod user;
