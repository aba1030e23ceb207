//! Helpers shared by the binary's integration tests.
#![allow(dead_code)] // helpers some modules need only under PostgreSQL or with ../shared

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs the `veilig` binary against a store.
pub fn run(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_veilig"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run veilig")
}

/// The command's stdout as JSON, after checking it succeeded.
pub fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// A file of the repository's test data.
pub fn data(name: &str) -> PathBuf {
    std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../testdata")
    .join(name)
}
