//! A mutation fuzzer over every importer and the mapping files (issue 11): real inputs from
//! `testdata` (and the importer tests' small files), mutated at random (bytes flipped,
//! inserted and deleted, lines duplicated, swapped and cut, fields replaced by extreme values,
//! invalid UTF-8), each imported into a SQLite store. For every input, the importer either
//! stores it (rows read = stored + duplicates + rejected, every rejected row with its line,
//! field and reason) or refuses it whole with a message naming the file, and nothing of a
//! refused file is stored. A panic fails the test with the seed and case that caused it.
//!
//! In CI it runs a fixed number of cases from a fixed seed. `VEILIG_FUZZ_SECONDS=N` runs
//! each importer for N seconds instead (`scripts/bench-fuzz`), from `VEILIG_FUZZ_SEED` or a
//! seed from the clock, and prints the executions. It is a random mutation fuzzer, not a
//! coverage-guided one: the cargo-fuzz targets in `fuzz/` are (`scripts/bench-fuzz` runs both).

mod harness;

use std::time::{Duration, Instant};

use harness::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_importer_stores_or_refuses_mutated_input_and_never_panics() {
    let seconds: Option<u64> = std::env::var("VEILIG_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok());
    let seed: u64 = std::env::var("VEILIG_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if seconds.is_some() {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        } else {
            20261130
        });
    let dir = tempfile::tempdir().unwrap();
    for (k, imp) in ALL.into_iter().enumerate() {
        let (t, zone) = store_for(imp).await;
        // The unmutated input is stored: the mutations start from something that works.
        assert!(
            check(
                &t.store,
                &zone,
                imp,
                dir.path(),
                &imp.base(),
                &format!("{imp:?} base")
            )
            .await,
            "{imp:?}: the base input does not import"
        );
        let mut rng = Rng(seed ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let start = Instant::now();
        let (mut runs, mut stored) = (0u64, 0u64);
        loop {
            match seconds {
                Some(s) if start.elapsed() >= Duration::from_secs(s) => break,
                None if runs >= 200 => break,
                _ => {}
            }
            let c = imp.case(&mut rng);
            let what = format!("{imp:?} seed {seed} case {runs}");
            stored += u64::from(check(&t.store, &zone, imp, dir.path(), &c, &what).await);
            runs += 1;
        }
        eprintln!(
            "{imp:?}: {runs} inputs in {:.1} s ({:.0}/s), {stored} stored, {} refused whole; seed {seed}",
            start.elapsed().as_secs_f64(),
            runs as f64 / start.elapsed().as_secs_f64(),
            runs - stored
        );
    }
}
