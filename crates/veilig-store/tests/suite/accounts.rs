//! Accounts, sessions, the audit trail and API tokens.

use super::*;

both_backends!(accounts_sessions_and_audit, |store: Store| async move {
    let z = zone(&store, "z1").await;
    let mut tx = begin(&store, z.id, BatchKind::Areas, "geojson", "a.geojson", "ha").await;
    tx.insert_areas(&[
        square("W1", 0.0, 0.0, 100.0),
        square("W2", 100.0, 0.0, 100.0),
    ])
    .await
    .unwrap();
    tx.finish(2, 2, 0, 0).await.unwrap();
    let areas = store.areas(z.id).await.unwrap();
    let new = |name: &str, role, areas: Vec<i64>| NewUser {
        username: name.into(),
        display_name: format!("User {name}"),
        password_hash: format!("$argon2id$fake${name}"),
        role,
        zone_id: Some(z.id),
        areas,
    };
    let wi = store
        .create_user(&new("wi", Role::Wijkinspecteur, vec![areas[1].id]))
        .await
        .unwrap();
    assert_eq!(
        (wi.role, wi.areas.clone(), wi.disabled),
        (Role::Wijkinspecteur, vec![areas[1].id], false)
    );
    let err = store
        .create_user(&new("wi", Role::Analyst, vec![]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    let (found, hash) = store.user_by_name("wi").await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (wi.id, "$argon2id$fake$wi"));
    assert!(store.user_by_name("nobody").await.unwrap().is_none());

    // Sessions: live until they expire, end with a password or role change.
    let later = chrono::Utc::now().naive_utc() + chrono::Duration::hours(1);
    let earlier = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
    store
        .create_session("h1", wi.id, "c1", later)
        .await
        .unwrap();
    store
        .create_session("old", wi.id, "c0", earlier)
        .await
        .unwrap();
    let s = store.session("h1").await.unwrap().unwrap();
    assert_eq!((s.user.id, s.csrf.as_str()), (wi.id, "c1"));
    assert!(store.session("old").await.unwrap().is_none(), "expired");
    store.set_role(wi.id, Role::Analyst, &[]).await.unwrap();
    assert!(
        store.session("h1").await.unwrap().is_none(),
        "role change ends sessions"
    );
    let u = store.user(wi.id).await.unwrap().unwrap();
    assert_eq!((u.role, u.areas.len()), (Role::Analyst, 0));
    store
        .create_session("h2", wi.id, "c2", later)
        .await
        .unwrap();
    store.set_password(wi.id, "$argon2id$new").await.unwrap();
    assert!(store.session("h2").await.unwrap().is_none());
    assert_eq!(
        store.user_by_name("wi").await.unwrap().unwrap().1,
        "$argon2id$new"
    );
    store
        .create_session("h3", wi.id, "c3", later)
        .await
        .unwrap();
    store.set_disabled(wi.id, true).await.unwrap();
    assert!(store.session("h3").await.unwrap().is_none());
    store
        .create_session("h4", wi.id, "c4", later)
        .await
        .unwrap();
    assert!(
        store.session("h4").await.unwrap().is_none(),
        "disabled user"
    );
    store.set_disabled(wi.id, false).await.unwrap();
    assert!(store.session("h4").await.unwrap().is_some());
    store.delete_session("h4").await.unwrap();
    assert!(store.session("h4").await.unwrap().is_none());
    assert_eq!(store.users().await.unwrap().len(), 1);

    // The audit trail only grows.
    for action in ["login", "export"] {
        store
            .audit(&veilig_store::AuditEntry {
                user_id: Some(wi.id),
                username: Some("wi".into()),
                action: action.into(),
                zone_id: Some(z.id),
                detail: "test".into(),
                client: None,
            })
            .await
            .unwrap();
    }
    let log = store.audit_log(10).await.unwrap();
    assert_eq!(
        log.iter().map(|l| l.action.as_str()).collect::<Vec<_>>(),
        ["export", "login"]
    );
    for sql in [
        "DELETE FROM audit_log",
        "UPDATE audit_log SET detail = 'changed'",
    ] {
        let err = veilig_store::testing::execute_raw(&store, sql)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(store.audit_log(10).await.unwrap().len(), 2);
});

both_backends!(
    idle_sessions_end_and_failed_logins_count_from_the_audit_trail,
    |store: Store| async move {
        let z = zone(&store, "bdm").await;
        let u = store
            .create_user(&NewUser {
                username: "Analist".into(),
                display_name: "A".into(),
                password_hash: "$argon2id$fake".into(),
                role: Role::Analyst,
                zone_id: Some(z.id),
                areas: vec![],
            })
            .await
            .unwrap();
        let now = chrono::Utc::now().naive_utc();
        store
            .create_session("s1", u.id, "c1", now + chrono::Duration::hours(8))
            .await
            .unwrap();
        let idle = |minutes: i64| now - chrono::Duration::minutes(minutes);
        // Fresh: used since any cutoff in the past.
        let s = store
            .session_used_since("s1", idle(30))
            .await
            .unwrap()
            .unwrap();
        assert!(s.last_seen <= chrono::Utc::now().naive_utc());
        // Last used 45 minutes ago: alive under a 60-minute idle limit, ended under 30.
        store.touch_session("s1", idle(45)).await.unwrap();
        assert!(
            store
                .session_used_since("s1", idle(60))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .session_used_since("s1", idle(30))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store.session("s1").await.unwrap().is_some(),
            "no idle limit"
        );
        // Failed logins: per account (any case) since its last login, per client.
        let entry = |action: &str, user: &str, client: &str| veilig_store::AuditEntry {
            username: Some(user.into()),
            action: action.into(),
            client: Some(client.into()),
            ..Default::default()
        };
        for (user, client) in [
            ("analist", "10.0.0.1"),
            ("ANALIST", "10.0.0.2"),
            ("other", "10.0.0.1"),
        ] {
            store
                .audit(&entry("login-failed", user, client))
                .await
                .unwrap();
        }
        let since = idle(15);
        assert_eq!(
            store
                .failed_logins("Analist", Some("10.0.0.1"), since)
                .await
                .unwrap(),
            (2, 2)
        );
        store
            .audit(&entry("login", "Analist", "10.0.0.2"))
            .await
            .unwrap();
        // A successful login clears the account's count, not the client's.
        assert_eq!(
            store
                .failed_logins("analist", Some("10.0.0.1"), since)
                .await
                .unwrap(),
            (0, 2)
        );
        assert_eq!(
            store.failed_logins("nobody", None, since).await.unwrap(),
            (0, 0)
        );
    }
);

both_backends!(
    api_tokens_expire_and_are_revoked,
    |store: Store| async move {
        use veilig_store::AuditEntry;
        let z = zone(&store, "tok-a").await;
        let audit = || AuditEntry {
            username: Some("beheerder".into()),
            action: "token".into(),
            zone_id: Some(z.id),
            detail: "t".into(),
            ..Default::default()
        };
        let id = store
            .create_api_token(
                "h1",
                "bi-tool",
                z.id,
                Role::Council,
                t("2027-01-01 00:00:00"),
                &audit(),
            )
            .await
            .unwrap();
        store
            .create_api_token(
                "h2",
                "old",
                z.id,
                Role::Partner,
                t("2026-01-01 00:00:00"),
                &audit(),
            )
            .await
            .unwrap();
        let now = t("2026-06-01 12:00:00");
        let tok = store.valid_api_token("h1", now).await.unwrap().unwrap();
        assert_eq!((tok.id, tok.role, tok.zone_id), (id, Role::Council, z.id));
        assert!(
            store.valid_api_token("h2", now).await.unwrap().is_none(),
            "expired"
        );
        assert!(store.valid_api_token("nope", now).await.unwrap().is_none());
        assert!(
            store
                .create_api_token(
                    "h1",
                    "dup",
                    z.id,
                    Role::Council,
                    t("2027-01-01 00:00:00"),
                    &audit()
                )
                .await
                .is_err()
        );
        assert!(store.revoke_api_token(id, &audit()).await.unwrap());
        assert!(!store.revoke_api_token(id, &audit()).await.unwrap());
        assert!(
            store.valid_api_token("h1", now).await.unwrap().is_none(),
            "revoked"
        );
        assert_eq!(store.api_tokens().await.unwrap().len(), 2);
    }
);
