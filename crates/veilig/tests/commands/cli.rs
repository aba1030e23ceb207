//! The command-line contract, end to end through the real binary, on both backends.

use crate::common;

use std::process::Command;

use common::{data, json, run};

use veilig_store::{Store, testing};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_veilig"))
}

/// Both backends' URLs for this test (PostgreSQL unless VEILIG_TEST_PG=off).
async fn urls() -> Vec<(testing::TestStore, String)> {
    let mut v = Vec::new();
    let s = testing::sqlite().await;
    let u = s.url.clone();
    v.push((s, u));
    if let Some(p) = testing::postgres().await {
        let u = p.url.clone();
        v.push((p, u));
    }
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_contract_json_and_status() {
    for (_keep, db) in urls().await {
        let f = data("police-uk-2016-07-sample.csv");
        let out = json(&run(
            &db,
            &[
                "import",
                "incidents",
                "--source",
                "police-uk",
                f.to_str().unwrap(),
                "--json",
            ],
        ));
        for k in ["batch", "rows_read", "stored", "duplicates", "rejected"] {
            assert!(out.get(k).is_some(), "{db}: missing {k} in {out}");
        }
        assert_eq!(out["rows_read"], 310);
        assert_eq!(out["stored"], 310);
        assert_eq!(
            out["zone"], "west-yorkshire",
            "zone derived from 'Falls within'"
        );
        let again = json(&run(
            &db,
            &[
                "import",
                "incidents",
                "--source",
                "police-uk",
                "--zone",
                "west-yorkshire",
                f.to_str().unwrap(),
                "--json",
            ],
        ));
        assert_eq!(
            (again["stored"].as_u64(), again["duplicates"].as_u64()),
            (Some(0), Some(310))
        );

        let st = json(&run(&db, &["status", "--json"]));
        let zone = &st["zones"][0];
        let burglary = zone["phenomena"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["code"] == "woninginbraak")
            .unwrap();
        assert!(
            burglary["by_year"]["2016"].as_u64().unwrap() > 0,
            "{burglary}"
        );
        assert!(
            zone["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["category"] == "Burglary")
        );
        // Human status runs too.
        let human = run(&db, &["status"]);
        assert!(
            human.status.success()
                && String::from_utf8_lossy(&human.stdout).contains("woninginbraak")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn belgian_export_and_rejects_listing() {
    for (_keep, db) in urls().await {
        assert!(
            run(
                &db,
                &[
                    "zone",
                    "add",
                    "bdm",
                    "--name",
                    "PZ Balen-Dessel-Mol",
                    "--municipality",
                    "13003",
                    "--municipality",
                    "13006",
                    "--municipality",
                    "13025"
                ]
            )
            .status
            .success()
        );
        let m = data("belgian-export.toml");
        let f = data("belgian-export-100.csv");
        let out = json(&run(
            &db,
            &[
                "import",
                "incidents",
                "--source",
                "generic",
                "--mapping",
                m.to_str().unwrap(),
                "--zone",
                "bdm",
                f.to_str().unwrap(),
                "--json",
            ],
        ));
        assert_eq!(
            (out["stored"].as_u64(), out["rejected"].as_u64()),
            (Some(97), Some(3))
        );
        let batch = out["batch"].as_i64().unwrap().to_string();
        let rej = json(&run(&db, &["rejects", &batch, "--json"]));
        let lines: Vec<u64> = rej["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, vec![21, 56, 91]);
        let human = String::from_utf8(run(&db, &["rejects", &batch]).stdout).unwrap();
        assert!(
            human.contains("Begin feiten") && human.contains("31/02/2024"),
            "{human}"
        );
        assert!(!run(&db, &["rejects", "9999"]).status.success());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_fails_with_one_clear_message_and_stores_nothing() {
    for (_keep, db) in urls().await {
        let dir = tempfile::tempdir().unwrap();
        let bin_file = dir.path().join("aangifte.csv");
        std::fs::write(&bin_file, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap();
        let out = run(
            &db,
            &[
                "import",
                "incidents",
                "--source",
                "toronto-mci",
                bin_file.to_str().unwrap(),
                "--json",
            ],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("aangifte.csv") && err.contains("binary"),
            "{err}"
        );
        let st = json(&run(&db, &["status", "--json"]));
        for z in st["zones"].as_array().unwrap() {
            assert_eq!(z["incidents"], 0);
            assert_eq!(z["batches"].as_array().unwrap().len(), 0);
        }
        let out = run(
            &db,
            &[
                "import",
                "incidents",
                "--source",
                "generic",
                data("belgian-export-100.csv").to_str().unwrap(),
            ],
        );
        assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("mapping"));
    }
}

#[test]
fn veilig_db_environment_variable_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("env.db").display());
    let out = bin()
        .env("VEILIG_DB", &db)
        .args([
            "zone",
            "add",
            "schoten",
            "--name",
            "LP Schoten",
            "--kind",
            "single",
            "--municipality",
            "11040",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("env.db").exists());
    let list = bin()
        .env("VEILIG_DB", &db)
        .args(["zone", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("schoten"));
}

/// SIGKILL in the middle of a large import leaves the store consistent: the batch is absent
/// (and none of its rows), and importing again completes it.
/// The generated 150,000-row file and its mapping (zone `bench`).
fn bench_import(dir: &std::path::Path) -> Vec<String> {
    let files = dir.join("bench");
    assert!(
        bin()
            .args([
                "dev",
                "bench-files",
                "--rows",
                "150000",
                "--areas",
                "20",
                "--out",
                files.to_str().unwrap()
            ])
            .status()
            .unwrap()
            .success()
    );
    [
        "import",
        "incidents",
        "--source",
        "generic",
        "--zone",
        "bench",
        "--mapping",
        files.join("incidents.toml").to_str().unwrap(),
        files.join("incidents.csv").to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec()
}

/// Starts the import and returns once it reports that `fraction` of the file is written
/// inside its (open) transaction, with the rest of its standard error to read.
fn import_until(
    db: &str,
    import: &[String],
    fraction: f64,
) -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStderr>>,
) {
    let mut child = bin()
        .env("VEILIG_PROGRESS", "plain")
        .stderr(std::process::Stdio::piped())
        .args(["--db", db])
        .args(import)
        .spawn()
        .unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(child.stderr.take().unwrap()));
    let mut reached = 0.0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some((done, total)) = line
            .strip_prefix("progress ")
            .and_then(|p| p.split_once('/'))
        {
            reached = done.parse::<f64>().unwrap() / total.parse::<f64>().unwrap();
            if reached >= fraction {
                break;
            }
        }
    }
    assert!(
        (fraction..1.0).contains(&reached) && child.try_wait().unwrap().is_none(),
        "{db}: the import is not running at {fraction} (progress {reached})"
    );
    (child, lines)
}

/// Nothing of the failed import is visible, and the retry stores every row.
async fn nothing_half_written_and_the_retry_stores_all(store: &Store, db: &str, import: &[String]) {
    let zone = store.zone("bench").await.unwrap().unwrap();
    for t in [veilig_store::Table::Batches, veilig_store::Table::Incidents] {
        assert_eq!(
            store.count(zone.id, t).await.unwrap(),
            0,
            "{db}: {t:?} of a failed import are visible"
        );
    }
    let args: Vec<&str> = import
        .iter()
        .map(String::as_str)
        .chain(["--json"])
        .collect();
    let out = json(&run(db, &args));
    assert_eq!(out["stored"], 150000);
    assert_eq!(
        store
            .count(zone.id, veilig_store::Table::Incidents)
            .await
            .unwrap(),
        150000
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_import_leaves_no_half_batch() {
    let dir = tempfile::tempdir().unwrap();
    let import = bench_import(dir.path());
    for (keep, db) in urls().await {
        assert!(
            run(&db, &["zone", "add", "bench", "--name", "bench"])
                .status
                .success()
        );
        let (mut child, _) = import_until(&db, &import, 0.3);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        nothing_half_written_and_the_retry_stores_all(&keep.store, &db, &import).await;
    }
}

/// PostgreSQL goes away mid-import: the server ends the import's connections (what its
/// fast shutdown does to every client; here to this test's database only, so the other
/// tests keep their server). The import fails with a clear error, nothing of it is stored,
/// and the retry stores it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_mid_import_leaves_no_half_batch() {
    let Some(keep) = testing::postgres().await else {
        return;
    };
    let db = keep.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let import = bench_import(dir.path());
    assert!(
        run(&db, &["zone", "add", "bench", "--name", "bench"])
            .status
            .success()
    );
    let (child, lines) = import_until(&db, &import, 0.3);
    testing::execute_raw(
        &keep.store,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .await
    .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = child.wait_with_output().unwrap();
    assert!(
        !out.status.success(),
        "the import went on without its server"
    );
    let err = rest.join("\n");
    assert!(
        err.contains("terminating connection") || err.contains("connection"),
        "no clear error: {err}"
    );
    nothing_half_written_and_the_retry_stores_all(&keep.store, &db, &import).await;
}

/// The disk fills up mid-import (a SQLite store capped a few megabytes above its size, as a
/// full disk stops it): a clear error, nothing half-written, and the retry on the store
/// without the cap stores it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_mid_import_leaves_no_half_batch() {
    let keep = testing::sqlite().await;
    let db = keep.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let import = bench_import(dir.path());
    assert!(
        run(&db, &["zone", "add", "bench", "--name", "bench"])
            .status
            .success()
    );
    let path = db.strip_prefix("sqlite://").unwrap();
    // The page size is in the file's header (bytes 16-17, big-endian; 1 means 65,536).
    let head = std::fs::read(path).unwrap();
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = head.len() as u64 / page_size;
    let headroom = 6 * 1024 * 1024 / page_size; // 6 MiB: the import needs more
    let capped = format!("{db}?max_pages={}", pages + headroom);
    let args: Vec<&str> = import.iter().map(String::as_str).collect();
    let out = run(&capped, &args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the import fit in the capped store");
    assert!(err.contains("full"), "no clear error: {err}");
    nothing_half_written_and_the_retry_stores_all(&keep.store, &db, &import).await;
}
