//! Veilig's benchmark harnesses, behind `veilig dev …`: the import benchmark's inputs, the
//! timed runs of the security picture and the survey estimator, and the multi-zone load test
//! against a running server. Their figures go to docs/benchmarks.md.

pub mod analysis;
pub mod files;
mod http;
pub mod load;
pub mod survey;
