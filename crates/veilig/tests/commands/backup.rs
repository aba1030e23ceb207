//! `veilig backup|restore|migrate`: a verified copy, restored whole into a fresh store, moved
//! to another store with every table's count agreeing; a damaged file refused with nothing
//! written.

use crate::common;

use common::{json, run};

fn ok(db: &str, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn a_backup_restores_and_a_store_migrates_whole() {
    let dir = tempfile::tempdir().unwrap();
    let url = |n: &str| format!("sqlite://{}", dir.path().join(n).display());
    let db = url("a.db");
    ok(
        &db,
        &[
            "zone",
            "add",
            "lp-schoten",
            "--name",
            "LP Schoten",
            "--kind",
            "single",
            "--municipality",
            "11040",
        ],
    );
    ok(
        &db,
        &[
            "plan",
            "decide",
            "--zone",
            "lp-schoten",
            "--meeting",
            "2025-05-15",
            "--subject",
            "verkeersongeval",
            "--rationale",
            "r",
            "--decided-by",
            "ZVR",
        ],
    );
    ok(
        &db,
        &[
            "plan",
            "create",
            "--zone",
            "lp-schoten",
            "--code",
            "zvp",
            "--title",
            "ZVP",
            "--start-year",
            "2026",
        ],
    );
    let file = dir.path().join("a.dump");
    let said = ok(&db, &["backup", "--out", file.to_str().unwrap()]);
    assert!(said.contains("verified by a restore"), "{said}");

    // Restored into a fresh store: the same plan, decisions and audit trail.
    let b = url("b.db");
    ok(&b, &["restore", "--from", file.to_str().unwrap()]);
    let plan = json(&run(
        &b,
        &["plan", "show", "--zone", "lp-schoten", "--json"],
    ));
    assert_eq!(plan["priorities"][0]["subject"], "verkeersongeval");
    // Not into a store that holds anything.
    let again = run(&b, &["restore", "--from", file.to_str().unwrap()]);
    assert!(
        !again.status.success() && String::from_utf8_lossy(&again.stderr).contains("not empty")
    );

    // A damaged copy is refused and writes nothing.
    let mut bytes = std::fs::read(&file).unwrap();
    let n = bytes.len();
    bytes.truncate(n - 20);
    let cut = dir.path().join("cut.dump");
    std::fs::write(&cut, &bytes).unwrap();
    let c = url("c.db");
    let out = run(&c, &["restore", "--from", cut.to_str().unwrap()]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("truncated"));
    let st = json(&run(&c, &["status", "--json"]));
    assert_eq!(st["zones"].as_array().unwrap().len(), 0, "nothing written");

    // Migrated to another store: every table's count agrees.
    let said = ok(&db, &["migrate", "--to", &url("d.db")]);
    assert!(said.contains("every table's count agrees"), "{said}");
    let d = json(&run(
        &url("d.db"),
        &["plan", "decisions", "--zone", "lp-schoten", "--json"],
    ));
    assert_eq!(d["log"].as_array().unwrap().len(), 1);
}

/// The pilot on a laptop becomes the zone's server: SQLite to PostgreSQL, every row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_laptop_store_migrates_to_postgres() {
    let Some(pg) = veilig_store::testing::postgres().await else {
        return; // VEILIG_TEST_PG=off: skipped knowingly
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("laptop.db").display());
    ok(&db, &["demo", "--no-serve"]);
    let said = ok(&db, &["migrate", "--to", &pg.url]);
    assert!(said.contains("from sqlite to postgres"), "{said}");
    let laptop = veilig_store::Store::open(&db).await.unwrap();
    assert_eq!(
        pg.store.table_counts().await.unwrap(),
        laptop.table_counts().await.unwrap()
    );
    // The server answers as the laptop did.
    let z = pg.store.zone("demo-bdm").await.unwrap().unwrap();
    let matrix = |store: &veilig_store::Store| {
        let store = store.clone();
        let z = z.clone();
        async move {
            veilig_query::monitor::status(&store, &z, veilig_query::plan::DEFAULT_RULES)
                .await
                .unwrap()
                .iter()
                .map(|s| (s.code.clone(), s.verdict))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(matrix(&pg.store).await, matrix(&laptop).await);
}
