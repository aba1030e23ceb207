//! Releases of published tables, on both backends: numbered per zone, read back oldest
//! first per table and per rules, never changed or deleted.

use super::zone;
use veilig_store::{NewRelease, Store, both_backends};

fn release(on: &str, kind: &str, rules: &str, tables: &[(&str, i32, &str)]) -> NewRelease {
    NewRelease {
        released_on: on.parse().unwrap(),
        kind: kind.into(),
        reason: (kind == "revision").then(|| "late records of 2025".to_string()),
        rules: rules.into(),
        complete_through: Some("2026-10-31".parse().unwrap()),
        data_version: 3,
        created_by: "calendar".into(),
        tables: tables
            .iter()
            .map(|(p, y, c)| (p.to_string(), *y, c.to_string()))
            .collect(),
    }
}

both_backends!(
    releases_are_numbered_kept_whole_and_never_changed,
    |store: Store| async move {
        let z = zone(&store, "rel-a").await;
        let other = zone(&store, "rel-b").await;
        assert!(
            store
                .latest_release_under(z.id, "t5")
                .await
                .unwrap()
                .is_none()
        );
        let r1 = store
            .create_release(
                z.id,
                &release(
                    "2026-11-01",
                    "regular",
                    "t5",
                    &[
                        ("burglary", 2025, "{\"v\":1}"),
                        ("burglary", 2026, "{\"v\":2}"),
                    ],
                ),
            )
            .await
            .unwrap();
        assert_eq!((r1.number, r1.tables), (1, 2));
        let r2 = store
            .create_release(
                z.id,
                &release(
                    "2026-12-01",
                    "regular",
                    "t5",
                    &[("burglary", 2026, "{\"v\":3}")],
                ),
            )
            .await
            .unwrap();
        let r3 = store
            .create_release(
                z.id,
                &release(
                    "2026-12-02",
                    "revision",
                    "t3",
                    &[("burglary", 2025, "{\"v\":4}")],
                ),
            )
            .await
            .unwrap();
        assert_eq!((r2.number, r3.number), (2, 3));
        // Numbers are per zone.
        let o = store
            .create_release(other.id, &release("2026-12-01", "regular", "t5", &[]))
            .await
            .unwrap();
        assert_eq!(o.number, 1);
        // A table's releases, oldest first, with the rules each was made under.
        let h = store.released_table(z.id, "burglary", 2026).await.unwrap();
        assert_eq!(
            h,
            vec![
                (1, "t5".to_string(), "{\"v\":2}".to_string()),
                (2, "t5".to_string(), "{\"v\":3}".to_string())
            ]
        );
        assert_eq!(
            store
                .released_table(z.id, "burglary", 2025)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            store.released_tables(z.id, "t5").await.unwrap(),
            vec![
                ("burglary".to_string(), 2025, 1),
                ("burglary".to_string(), 2026, 2)
            ]
        );
        let latest = store
            .latest_release_under(z.id, "t5")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((latest.number, latest.tables), (2, 1));
        let all = store.releases(z.id).await.unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(all[2].kind, "revision");
        assert_eq!(all[2].reason.as_deref(), Some("late records of 2025"));
        // Each release is in the audit trail.
        let audit = store.audit_log(50).await.unwrap();
        assert_eq!(audit.iter().filter(|a| a.action == "release").count(), 4);
        // What was published stays as it was: no update, no delete.
        for sql in [
            "UPDATE release_tables SET content = '{}'",
            "DELETE FROM release_tables",
            "UPDATE releases SET number = 9",
            "DELETE FROM releases",
        ] {
            assert!(
                veilig_store::testing::execute_raw(&store, sql)
                    .await
                    .is_err(),
                "{sql} was allowed"
            );
        }
        assert_eq!(
            store.released_table(z.id, "burglary", 2026).await.unwrap(),
            h
        );
        // A kind the store does not know is refused, and nothing of it is stored.
        assert!(
            store
                .create_release(
                    z.id,
                    &release("2026-12-03", "whenever", "t5", &[("x", 2026, "{}")])
                )
                .await
                .is_err()
        );
        assert_eq!(store.releases(z.id).await.unwrap().len(), 3);
    }
);
