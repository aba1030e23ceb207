//! Dumps restored into either backend, and issued reports with their feedback.

use super::*;

both_backends!(
    a_dump_restores_whole_into_either_backend,
    |store: Store| async move {
        use veilig_store::{AuditEntry, DERIVED_TABLES, NewDecision, TABLES, testing};
        // Every table of the store is in the dump's list or derived (and left out).
        let mut listed: Vec<String> = TABLES
            .iter()
            .chain(DERIVED_TABLES)
            .map(|t| t.to_string())
            .collect();
        listed.sort();
        assert_eq!(store.table_names().await.unwrap(), listed);

        let z = zone(&store, "dump-a").await;
        let mut tx = begin(
            &store,
            z.id,
            BatchKind::Incidents,
            "islp",
            "a.csv",
            "sha-dump",
        )
        .await;
        tx.insert_incidents(&[
            incident(
                "k1",
                "Diefstal in woning",
                "woninginbraak",
                "2024-03-01 10:00:00",
                Some((650_000.0, 680_000.0)),
            ),
            incident(
                "k2",
                "Fietsdiefstal",
                "fietsdiefstal",
                "2024-03-02 11:00:00",
                None,
            ),
        ])
        .await
        .unwrap();
        tx.finish(2, 2, 0, 0).await.unwrap();
        let audit = AuditEntry {
            username: Some("analist".into()),
            action: "zvr-decision".into(),
            zone_id: Some(z.id),
            detail: "d".into(),
            ..Default::default()
        };
        store
            .record_decision(
                &NewDecision {
                    zone_id: z.id,
                    meeting: d("2025-06-12"),
                    subject: "woninginbraak".into(),
                    title: "Woninginbraak".into(),
                    kind: "prioriteit".into(),
                    domain: "external".into(),
                    outcome: "adopted".into(),
                    rationale: "r".into(),
                    decided_by: "ZVR".into(),
                    recorded_by: None,
                },
                &audit,
            )
            .await
            .unwrap();
        let p = store
            .create_plan(z.id, "zvp", false, r#"{"x":1}"#, &audit)
            .await
            .unwrap();
        let mut dump = Vec::new();
        let header = store.dump(&mut dump).await.unwrap();
        let counts = store.table_counts().await.unwrap();
        assert_eq!(header.counts, counts);

        // Into a fresh SQLite store and (when there is one) a fresh PostgreSQL store: the same
        // counts, the same rows as the store reads them, and identities that continue.
        let mut targets = vec![testing::sqlite().await];
        if let Some(pg) = testing::postgres().await {
            targets.push(pg);
        }
        for t in &targets {
            t.store.restore(&dump[..]).await.unwrap();
            assert_eq!(t.store.table_counts().await.unwrap(), counts);
            let z2 = t.store.zone("dump-a").await.unwrap().unwrap();
            assert_eq!(z2.id, z.id);
            let inc = t
                .store
                .incidents(z2.id, &IncidentQuery::default())
                .await
                .unwrap();
            assert_eq!(inc.len(), 2);
            assert_eq!(inc[0].record.occurred_from, t_of("2024-03-01 10:00:00"));
            assert_eq!(inc[0].record.location.map(|l| l.x), Some(650_000.0));
            assert_eq!(
                t.store.decisions(z2.id).await.unwrap()[0].meeting,
                d("2025-06-12")
            );
            assert_eq!(
                t.store.plan_versions(p.id).await.unwrap()[0].document,
                r#"{"x":1}"#
            );
            let next = t
                .store
                .create_plan(z2.id, "zvp-2", false, "{}", &audit)
                .await
                .unwrap();
            assert!(next.id > p.id, "identities continue after the restored ids");
            // A second restore into a store that is no longer empty is refused.
            let e = t.store.restore(&dump[..]).await.unwrap_err();
            assert!(e.to_string().contains("not empty"), "{e}");
        }
        // A corrupt or truncated dump is refused before anything is written.
        let fresh = testing::sqlite().await;
        let mut bad = dump.clone();
        let at = bad.len() / 2;
        bad[at] = if bad[at] == b'1' { b'2' } else { b'1' };
        assert!(
            fresh
                .store
                .restore(&bad[..])
                .await
                .unwrap_err()
                .to_string()
                .contains("corrupt")
        );
        let cut = &dump[..dump.len() - 30];
        assert!(
            fresh
                .store
                .restore(cut)
                .await
                .unwrap_err()
                .to_string()
                .contains("truncated")
        );
        assert!(
            fresh
                .store
                .table_counts()
                .await
                .unwrap()
                .iter()
                .all(|(_, n)| *n == 0)
        );
    }
);

fn t_of(s: &str) -> NaiveDateTime {
    t(s)
}

both_backends!(
    issued_reports_are_kept_whole_and_feedback_is_answered_once,
    |store: Store| async move {
        use veilig_store::{AuditEntry, NewReport};
        let z = zone(&store, "rep-a").await;
        let other = zone(&store, "rep-b").await;
        let audit = |action: &str| AuditEntry {
            username: Some("analist".into()),
            action: action.into(),
            zone_id: Some(z.id),
            detail: "d".into(),
            ..Default::default()
        };
        // Bytes that are not text survive the round trip exactly.
        let pdf: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let r = NewReport {
            zone_id: z.id,
            kind: "jaarverslag".into(),
            year: 2025,
            municipality: None,
            organisation: None,
            edition: "council".into(),
            lang: "nl".into(),
            data_version: 7,
            batches: vec!["islp (a.csv)".into()],
            parameters: serde_json::json!({"year": 2025}),
            content_sha256: "c".into(),
            pdf: &pdf,
            issued_by: "analist".into(),
        };
        let id = store
            .issue_report(&r, &audit("report.issue"))
            .await
            .unwrap();
        let list = store.issued_reports(z.id).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].data_version, 7);
        assert_eq!(list[0].batches, vec!["islp (a.csv)".to_string()]);
        assert_eq!(list[0].parameters["year"], 2025);
        assert_eq!(list[0].pdf_sha256.len(), 64);
        let (meta, bytes) = store.issued_report(z.id, id).await.unwrap().unwrap();
        assert_eq!(bytes, pdf);
        assert_eq!(meta.id, id);
        // Another zone sees none of it.
        assert!(store.issued_report(other.id, id).await.unwrap().is_none());
        assert!(store.issued_reports(other.id).await.unwrap().is_empty());
        // An unknown edition is refused, nothing stored.
        let bad = NewReport {
            edition: "secret".into(),
            ..r.clone()
        };
        assert!(
            store
                .issue_report(&bad, &audit("report.issue"))
                .await
                .is_err()
        );
        assert_eq!(store.issued_reports(z.id).await.unwrap().len(), 1);
        // Kept as issued: the database refuses a change.
        assert!(
            veilig_store::testing::execute_raw(&store, "UPDATE reports SET year = 2024")
                .await
                .is_err()
        );
        assert!(
            veilig_store::testing::execute_raw(&store, "DELETE FROM reports")
                .await
                .is_err()
        );
        assert_eq!(store.issued_reports(z.id).await.unwrap()[0].year, 2025);
        // Migration 14: a "council" edition issued before it held exact figures; it is the
        // staff edition now (the relabelling runs again here, as on an older store), and the
        // append-only trigger is back afterwards.
        let relabel = match store.backend_name() {
            "sqlite" => include_str!("../../migrations/sqlite/0014_staff_edition.sql"),
            _ => include_str!("../../migrations/postgres/0014_staff_edition.sql"),
        };
        veilig_store::testing::execute_raw(&store, relabel)
            .await
            .unwrap();
        let relabelled = &store.issued_reports(z.id).await.unwrap()[0];
        assert_eq!(relabelled.edition, "staff");
        assert!(
            veilig_store::testing::execute_raw(&store, "UPDATE reports SET year = 2024")
                .await
                .is_err(),
            "append-only again"
        );

        // Feedback: a partner's remark, answered once.
        let f = store
            .add_feedback(
                z.id,
                "ZVP-1",
                "A4.2",
                "ocmw-mol",
                "partner",
                "Graag een overleg in maart.",
                &audit("feedback"),
            )
            .await
            .unwrap();
        assert!(
            store
                .add_feedback(
                    z.id,
                    "ZVP-1",
                    "A4.2",
                    "ocmw-mol",
                    "partner",
                    "  ",
                    &audit("feedback")
                )
                .await
                .is_err()
        );
        store
            .add_feedback(
                z.id,
                "ZVP-1",
                "A2.1",
                "parket-antwerpen",
                "p2",
                "Ok.",
                &audit("feedback"),
            )
            .await
            .unwrap();
        assert_eq!(store.feedback(z.id, "ZVP-1", None).await.unwrap().len(), 2);
        let mine = store
            .feedback(z.id, "ZVP-1", Some("ocmw-mol"))
            .await
            .unwrap();
        assert_eq!(mine.len(), 1);
        assert!(mine[0].answer.is_none());
        assert!(
            !store
                .answer_feedback(other.id, f, "nee", "x", &audit("feedback.answer"))
                .await
                .unwrap()
        );
        assert!(
            store
                .answer_feedback(
                    z.id,
                    f,
                    "Afgesproken op 12 maart.",
                    "analist",
                    &audit("feedback.answer")
                )
                .await
                .unwrap()
        );
        assert!(
            !store
                .answer_feedback(z.id, f, "anders", "analist", &audit("feedback.answer"))
                .await
                .unwrap()
        );
        let mine = store
            .feedback(z.id, "ZVP-1", Some("ocmw-mol"))
            .await
            .unwrap();
        assert_eq!(mine[0].answer.as_deref(), Some("Afgesproken op 12 maart."));
        assert_eq!(mine[0].answered_by.as_deref(), Some("analist"));
        let log = store.audit_log(100).await.unwrap();
        assert_eq!(log.iter().filter(|a| a.action == "feedback").count(), 2);
        assert_eq!(
            log.iter().filter(|a| a.action == "feedback.answer").count(),
            1
        );
        assert_eq!(log.iter().filter(|a| a.action == "report.issue").count(), 1);
    }
);
