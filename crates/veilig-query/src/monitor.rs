//! Following the plan over the store: each indicator's definition computed for its baseline
//! and every complete period since (incidents as `veilig picture` counts them, calls,
//! published statistics as published, survey waves), stored as measurements that revise
//! themselves when their inputs change (a new revision beside the old, never overwritten),
//! and judged by `veilig_monitor`.

mod agenda;
mod as_of;
mod compute;
mod indicators;
mod problems;
mod progress;
mod reviews;

pub use agenda::*;
pub use as_of::Lateness;
pub use compute::*;
pub use indicators::*;
pub use problems::*;
pub use progress::{newest_revisions, progress_points, value_text};
pub use reviews::*;
