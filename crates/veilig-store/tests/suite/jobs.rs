//! The job queue and its stored results, on both backends.

use super::zone;
use veilig_store::{JobState, MAX_ATTEMPTS, Store, both_backends};

both_backends!(
    jobs_are_queued_once_claimed_once_and_their_results_kept_per_version,
    |store: Store| async move {
        let z = zone(&store, "jobs-a").await;
        let lease = chrono::Duration::seconds(60);
        // Asking twice for the same computation queues it once.
        assert!(
            store
                .enqueue_job(z.id, "forecast", "{\"p\":\"a\"}", 7, 1)
                .await
                .unwrap()
        );
        assert!(
            !store
                .enqueue_job(z.id, "forecast", "{\"p\":\"a\"}", 7, 0)
                .await
                .unwrap()
        );
        assert!(
            store
                .enqueue_job(z.id, "forecast", "{\"p\":\"b\"}", 7, 0)
                .await
                .unwrap()
        );
        let p = store.job_progress(z.id, 7).await.unwrap();
        assert_eq!((p.queued, p.total()), (2, 2));
        // Lower priority first; a claimed job is nobody else's.
        let first = store.claim_job("w1", None, lease).await.unwrap().unwrap();
        assert_eq!(first.params, "{\"p\":\"b\"}");
        assert_eq!(first.attempts, 1);
        let second = store
            .claim_job("w2", Some(z.id), lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(second.params, "{\"p\":\"a\"}");
        assert!(store.claim_job("w3", None, lease).await.unwrap().is_none());
        assert_eq!(
            store
                .job_state(z.id, "forecast", &first.params, 7)
                .await
                .unwrap(),
            Some(JobState::Running)
        );
        assert!(store.heartbeat_job(first.id, "w1").await.unwrap());
        assert!(
            !store.heartbeat_job(first.id, "w2").await.unwrap(),
            "not w2's job"
        );
        // A result is stored with its version; another version has none.
        store.finish_job(&first, "{\"v\":1}", 12).await.unwrap();
        assert_eq!(
            store
                .computed(z.id, "forecast", &first.params, 7)
                .await
                .unwrap()
                .as_deref(),
            Some("{\"v\":1}")
        );
        assert!(
            store
                .computed(z.id, "forecast", &first.params, 8)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store.jobs_finished_at(z.id, 7).await.unwrap().is_none(),
            "one still runs"
        );
        store
            .fail_job(second.id, "no located incidents")
            .await
            .unwrap();
        assert_eq!(
            store
                .job_state(z.id, "forecast", &second.params, 7)
                .await
                .unwrap(),
            Some(JobState::Failed("no located incidents".into()))
        );
        let p = store.job_progress(z.id, 7).await.unwrap();
        assert_eq!((p.done, p.failed, p.queued, p.running), (1, 1, 0, 0));
        assert!(store.jobs_finished_at(z.id, 7).await.unwrap().is_some());
        // An older version's result never replaces a newer one.
        store
            .enqueue_job(z.id, "forecast", &first.params, 9, 0)
            .await
            .unwrap();
        let newer = store.claim_job("w1", None, lease).await.unwrap().unwrap();
        store.finish_job(&newer, "{\"v\":9}", 1).await.unwrap();
        store
            .finish_job(&first, "{\"v\":\"old\"}", 1)
            .await
            .unwrap();
        assert_eq!(
            store
                .computed(z.id, "forecast", &first.params, 9)
                .await
                .unwrap()
                .as_deref(),
            Some("{\"v\":9}")
        );
        // Pruning drops what no reader can ask for any more.
        store.prune_jobs(z.id, 9).await.unwrap();
        assert_eq!(store.job_progress(z.id, 7).await.unwrap().total(), 0);
        assert_eq!(store.job_progress(z.id, 9).await.unwrap().done, 1);
    }
);

both_backends!(
    a_job_whose_worker_stopped_is_claimed_again_then_given_up,
    |store: Store| async move {
        let z = zone(&store, "jobs-b").await;
        store
            .enqueue_job(z.id, "forecast", "{}", 1, 0)
            .await
            .unwrap();
        // A lease of zero: every running job's heartbeat is already too old.
        let gone = chrono::Duration::seconds(-1);
        let mut last = None;
        for attempt in 1..=MAX_ATTEMPTS {
            let j = store
                .claim_job(&format!("w{attempt}"), None, gone)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(j.attempts, attempt, "the same job again");
            last = Some(j);
        }
        assert!(
            store.claim_job("w9", None, gone).await.unwrap().is_none(),
            "no attempt left"
        );
        assert!(
            !store.heartbeat_job(last.unwrap().id, "w1").await.unwrap(),
            "w1 lost it"
        );
        assert_eq!(store.give_up_stale_jobs(gone).await.unwrap(), 1);
        assert!(matches!(
            store.job_state(z.id, "forecast", "{}", 1).await.unwrap(),
            Some(JobState::Failed(_))
        ));
    }
);

both_backends!(
    concurrent_workers_never_take_the_same_job,
    |store: Store| async move {
        let z = zone(&store, "jobs-c").await;
        for i in 0..20 {
            store
                .enqueue_job(z.id, "k", &format!("{i}"), 1, 0)
                .await
                .unwrap();
        }
        let lease = chrono::Duration::seconds(60);
        let mut tasks = Vec::new();
        for w in 0..4 {
            let s = store.clone();
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(j) = s.claim_job(&format!("w{w}"), None, lease).await.unwrap() {
                    mine.push(j.id);
                }
                mine
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort();
        let n = all.len();
        all.dedup();
        assert_eq!((n, all.len()), (20, 20), "each job claimed exactly once");
    }
);
