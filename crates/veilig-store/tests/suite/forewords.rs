//! The chief's foreword to a report: written, rewritten, removed, refused when too long
//! (nothing changed), each edit audited.

use super::*;

both_backends!(
    a_foreword_is_written_rewritten_and_removed_with_its_audit_line,
    |store: Store| async move {
        use veilig_store::{AuditEntry, FOREWORD_MAX_CHARS};
        let z = zone(&store, "fw").await;
        let audit = AuditEntry {
            username: Some("korpschef".into()),
            action: "foreword".into(),
            zone_id: Some(z.id),
            detail: "jaarverslag 2025 nl".into(),
            ..Default::default()
        };
        // The body of the jaarverslag's foreword of a year and language, if any.
        let body = |year: i32, lang: &'static str| {
            let store = store.clone();
            async move {
                let f = store
                    .foreword(z.id, "jaarverslag", year, lang)
                    .await
                    .unwrap();
                f.map(|f| (f.body, f.signed, f.updated_by))
            }
        };
        let set = |text: String, signed: &'static str| {
            let (store, audit) = (store.clone(), audit.clone());
            async move {
                store
                    .set_foreword(z.id, "jaarverslag", 2025, "nl", &text, signed, &audit)
                    .await
            }
        };
        assert_eq!(body(2025, "nl").await, None);
        set(" Een jaar van werk. ".into(), "Kim, korpschef")
            .await
            .unwrap();
        assert_eq!(
            body(2025, "nl").await,
            Some((
                "Een jaar van werk.".into(),
                "Kim, korpschef".into(),
                "korpschef".into()
            ))
        );
        // Another language and year are other texts.
        assert_eq!(body(2025, "fr").await, None);
        assert_eq!(body(2024, "nl").await, None);
        set("Herschreven.".into(), "Kim").await.unwrap();
        assert_eq!(body(2025, "nl").await.unwrap().0, "Herschreven.");
        // Too long: refused, the text stays as it was, no audit line.
        let before = store.audit_log(1000).await.unwrap().len();
        assert!(
            set("x".repeat(FOREWORD_MAX_CHARS + 1), "Kim")
                .await
                .is_err()
        );
        assert_eq!(store.audit_log(1000).await.unwrap().len(), before);
        assert_eq!(body(2025, "nl").await.unwrap().0, "Herschreven.");
        // An empty text removes it.
        set("  ".into(), "Kim").await.unwrap();
        assert_eq!(body(2025, "nl").await, None);
        let log = store.audit_log(1000).await.unwrap();
        assert_eq!(log.len(), before + 1);
        assert!(log.iter().filter(|r| r.action == "foreword").count() >= 3);
    }
);
