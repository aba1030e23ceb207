//! Plans with their versions and steps, measurements and reviews.

use super::*;

both_backends!(
    plans_keep_every_version_and_steps_freeze_them,
    |store: Store| async move {
        use veilig_store::{AuditEntry, NewDecision, NewPlanStep, testing::execute_raw};
        let z = zone(&store, "plan-a").await;
        let other = zone(&store, "plan-b").await;
        let audit = |what: &str| AuditEntry {
            username: Some("analist".into()),
            action: what.into(),
            zone_id: Some(z.id),
            detail: what.into(),
            ..Default::default()
        };
        let before = store.audit_log(1000).await.unwrap().len();

        // Decisions: appended, read back oldest first, per zone, never changed.
        let dec = NewDecision {
            zone_id: z.id,
            meeting: d("2025-06-12"),
            subject: "woninginbraak".into(),
            title: "Woninginbraak".into(),
            kind: "prioriteit".into(),
            domain: "external".into(),
            outcome: "adopted".into(),
            rationale: "hoogste schade".into(),
            decided_by: "burgemeesters, PdK, korpschef, DirCo".into(),
            recorded_by: Some("analist".into()),
        };
        let id1 = store
            .record_decision(&dec, &audit("zvr-decision"))
            .await
            .unwrap();
        let id2 = store
            .record_decision(
                &NewDecision {
                    outcome: "withdrawn".into(),
                    meeting: d("2026-03-01"),
                    ..dec.clone()
                },
                &audit("zvr-decision"),
            )
            .await
            .unwrap();
        assert!(id2 > id1);
        let ds = store.decisions(z.id).await.unwrap();
        assert_eq!(
            ds.iter().map(|d| d.outcome.as_str()).collect::<Vec<_>>(),
            ["adopted", "withdrawn"]
        );
        assert_eq!(ds[0].meeting, d("2025-06-12"));
        assert!(store.decisions(other.id).await.unwrap().is_empty());
        let bad = store
            .record_decision(
                &NewDecision {
                    outcome: "maybe".into(),
                    ..dec.clone()
                },
                &audit("zvr-decision"),
            )
            .await;
        assert!(bad.is_err());
        assert_eq!(
            store.decisions(z.id).await.unwrap().len(),
            2,
            "nothing written"
        );
        assert!(
            execute_raw(&store, "UPDATE zvr_decisions SET rationale = 'x'")
                .await
                .is_err()
        );
        assert!(
            execute_raw(&store, "DELETE FROM zvr_decisions")
                .await
                .is_err()
        );

        // Stakeholder input: 0-5 only.
        store
            .add_priority_input(
                z.id,
                "drugs",
                4.0,
                "gemeenteraad Mol",
                "",
                &audit("priority-input"),
            )
            .await
            .unwrap();
        assert!(
            store
                .add_priority_input(z.id, "drugs", 7.0, "x", "", &audit("priority-input"))
                .await
                .is_err()
        );
        assert_eq!(store.priority_inputs(z.id).await.unwrap().len(), 1);

        // A plan: version 1 editable until a step is taken, then frozen; an addendum is version 2.
        // Each change moves the zone's plan stamp (what the public page's cache is keyed by),
        // and only the zone's.
        let mut stamps = vec![store.plan_stamp(z.id).await.unwrap()];
        let other_stamp = store.plan_stamp(other.id).await.unwrap();
        let p = store
            .create_plan(
                z.id,
                "zvp-2026-2031",
                false,
                r#"{"v":1}"#,
                &audit("plan-create"),
            )
            .await
            .unwrap();
        stamps.push(store.plan_stamp(z.id).await.unwrap());
        assert!(
            store
                .create_plan(z.id, "zvp-2026-2031", false, "{}", &audit("plan-create"))
                .await
                .is_err()
        );
        store
            .save_draft(p.id, 1, r#"{"v":1.1}"#, &audit("plan-edit"))
            .await
            .unwrap();
        stamps.push(store.plan_stamp(z.id).await.unwrap());
        let step = NewPlanStep {
            plan_id: p.id,
            version: 1,
            step: "zvr".into(),
            decided_on: d("2026-06-12"),
            outcome: "approved".into(),
            reference: "ZVR 12/06/2026".into(),
            recorded_by: Some("korpschef".into()),
        };
        store
            .add_plan_step(&step, &audit("plan-step"))
            .await
            .unwrap();
        stamps.push(store.plan_stamp(z.id).await.unwrap());
        let e = store
            .save_draft(p.id, 1, r#"{"v":"late"}"#, &audit("plan-edit"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("frozen"), "{e}");
        assert!(
            execute_raw(&store, "UPDATE plan_versions SET document = 'x'")
                .await
                .is_err()
        );
        assert!(execute_raw(&store, "DELETE FROM plan_steps").await.is_err());
        let v2 = store
            .add_plan_version(
                p.id,
                "addendum",
                "nieuw NVP",
                r#"{"v":2}"#,
                &audit("plan-version"),
            )
            .await
            .unwrap();
        assert_eq!(v2, 2);
        stamps.push(store.plan_stamp(z.id).await.unwrap());
        let distinct: std::collections::BTreeSet<i64> = stamps.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            stamps.len(),
            "every change moves the stamp: {stamps:?}"
        );
        assert_eq!(
            store.plan_stamp(z.id).await.unwrap(),
            stamps[4],
            "reading does not"
        );
        assert_eq!(store.plan_stamp(other.id).await.unwrap(), other_stamp);
        let vs = store.plan_versions(p.id).await.unwrap();
        assert_eq!(
            vs.iter()
                .map(|v| (v.version, v.document.as_str()))
                .collect::<Vec<_>>(),
            [(1, r#"{"v":1.1}"#), (2, r#"{"v":2}"#)]
        );
        assert_eq!(vs[1].kind, "addendum");
        let steps = store.plan_steps(p.id).await.unwrap();
        assert_eq!((steps.len(), steps[0].decided_on), (1, d("2026-06-12")));
        assert!(store.plans(other.id).await.unwrap().is_empty());

        // Every change wrote its audit line (2 decisions, 1 input, create, edit, step, version).
        let after = store.audit_log(1000).await.unwrap().len();
        assert_eq!(after - before, 7);
    }
);

both_backends!(
    measurements_are_revised_beside_the_old_and_reviews_close_decisions,
    |store: Store| async move {
        use veilig_store::{
            AuditEntry, NewMeasurement, NewReview, NewReviewDecision, testing::execute_raw,
        };
        let z = zone(&store, "mon-a").await;
        let audit = |what: &str| AuditEntry {
            username: Some("analist".into()),
            action: what.into(),
            zone_id: Some(z.id),
            detail: what.into(),
            ..Default::default()
        };
        let i = store
            .create_indicator(z.id, None, "I1", r#"{"x":1}"#, &audit("indicator-add"))
            .await
            .unwrap();
        assert!(
            store
                .create_indicator(z.id, None, "I1", "{}", &audit("indicator-add"))
                .await
                .is_err()
        );
        let m = NewMeasurement {
            indicator_id: i,
            period_start: d("2024-01-01"),
            period_end: d("2024-12-31"),
            value: 203.0,
            low: Some(176.0),
            high: Some(233.0),
            count: Some(203),
            exposure_days: Some(366.0),
            provisional: false,
            batches: vec![1, 2],
            origin: "computed".into(),
            recorded_by: None,
        };
        let v0 = store.monitoring_version(z.id).await.unwrap();
        store
            .add_measurements(std::slice::from_ref(&m), &audit("measure"))
            .await
            .unwrap();
        let v1 = store.monitoring_version(z.id).await.unwrap();
        assert_ne!(v0, v1, "a measurement changes the monitoring version");
        store
            .add_measurements(
                &[NewMeasurement {
                    value: 205.0,
                    count: Some(205),
                    batches: vec![1, 2, 3],
                    ..m.clone()
                }],
                &audit("measure"),
            )
            .await
            .unwrap();
        let ms = store.measurements(z.id).await.unwrap();
        assert_eq!(
            ms.iter().map(|m| (m.revision, m.value)).collect::<Vec<_>>(),
            [(1, 203.0), (2, 205.0)]
        );
        assert_eq!(ms[1].batches, [1, 2, 3]);
        assert_eq!(ms[0].period_end, d("2024-12-31"));
        assert!(
            execute_raw(&store, "UPDATE measurements SET value = 0")
                .await
                .is_err()
        );
        assert!(
            execute_raw(&store, "DELETE FROM measurements")
                .await
                .is_err()
        );

        // A problem file is saved and replaced whole.
        let p1 = store
            .save_problem_file(z.id, "PF1", r#"{"v":1}"#, &audit("problem-file"))
            .await
            .unwrap();
        let p2 = store
            .save_problem_file(z.id, "PF1", r#"{"v":2}"#, &audit("problem-file"))
            .await
            .unwrap();
        assert_eq!(p1, p2);
        assert_eq!(
            store.problem_files(z.id).await.unwrap()[0].document,
            r#"{"v":2}"#
        );

        // A review takes decisions; the next closes one, the other stays open.
        let r = NewReview {
            zone_id: z.id,
            kind: "compstat".into(),
            period_from: d("2026-09-01"),
            period_to: d("2026-09-30"),
            held_on: d("2026-10-05"),
            document: "{}".into(),
            decisions: vec![
                NewReviewDecision {
                    what: "patrouilles station".into(),
                    who: "interventie".into(),
                    due: d("2026-10-31"),
                },
                NewReviewDecision {
                    what: "preventieadvies".into(),
                    who: "wijkwerking".into(),
                    due: d("2026-11-30"),
                },
            ],
            closes: vec![],
        };
        let before = store.monitoring_version(z.id).await.unwrap();
        store.add_review(&r, &audit("review")).await.unwrap();
        let taken = store.monitoring_version(z.id).await.unwrap();
        assert_ne!(before, taken, "decisions change the monitoring version");
        assert_eq!(taken, store.monitoring_version(z.id).await.unwrap());
        let open = store.review_decisions(z.id).await.unwrap();
        let r2 = NewReview {
            held_on: d("2026-11-05"),
            decisions: vec![],
            closes: vec![(open[0].id, "gedaan".into())],
            ..r.clone()
        };
        let id2 = store.add_review(&r2, &audit("review")).await.unwrap();
        assert_ne!(
            taken,
            store.monitoring_version(z.id).await.unwrap(),
            "closing a decision changes the monitoring version"
        );
        let ds = store.review_decisions(z.id).await.unwrap();
        assert_eq!(
            ds.iter().map(|d| d.closed_in).collect::<Vec<_>>(),
            [Some(id2), None]
        );
        // Closing one that is closed already is refused, and nothing is written.
        let bad = NewReview {
            closes: vec![(open[0].id, "again".into())],
            ..r.clone()
        };
        assert!(store.add_review(&bad, &audit("review")).await.is_err());
        assert_eq!(store.reviews(z.id).await.unwrap().len(), 2);
    }
);
