//! The `veilig` command line end to end: each module runs the built binary on scratch stores
//! (and the demo zone) as a user would. One test binary for the crate (the way ripgrep keeps
//! its integration tests): one link instead of thirteen on a 2-core machine.

mod common;

mod analysis;
mod backup;
mod capacity;
mod cli;
mod disclosure;
mod forecast;
mod monitor;
mod plan;
mod report;
mod setup;
mod survey;
mod token;
mod web;
