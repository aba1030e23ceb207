//! The figure cache: computed values by key, each with the zone's data version it was
//! computed for, shared by every request of a server (and warmed by its background worker).
//! A value of another data version is never served; when full, the least recently used
//! quarter goes.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use anyhow::Result;

/// A computed value, the data version it was computed for, and when it was last used.
struct Entry {
    version: i64,
    value: Arc<dyn Any + Send + Sync>,
    used: u64,
}

/// Computed figures by key, for every zone the server serves. Bounded by a number of
/// entries; when full, the least recently used quarter goes (a zone's pages are a few
/// hundred keys, so with many zones the busy ones stay computed and an idle one is
/// recomputed when next asked).
pub struct Cache {
    entries: Mutex<HashMap<String, Entry>>,
    clock: std::sync::atomic::AtomicU64,
    capacity: usize,
}

impl Default for Cache {
    fn default() -> Cache {
        Cache::with_capacity(20_000)
    }
}

impl Cache {
    pub fn with_capacity(capacity: usize) -> Cache {
        Cache {
            entries: Mutex::new(HashMap::new()),
            clock: std::sync::atomic::AtomicU64::new(0),
            capacity: capacity.max(4),
        }
    }

    /// How many values are held.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn tick(&self) -> u64 {
        self.clock
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// The cached value for `key` at `version`, or computes it.
    pub async fn get<T, F>(&self, key: String, version: i64, compute: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        if let Some(e) = self.entries.lock().expect("cache lock").get_mut(&key)
            && e.version == version
            && let Ok(t) = e.value.clone().downcast::<T>()
        {
            e.used = self.tick();
            return Ok(t);
        }
        let value = Arc::new(compute.await?);
        let mut entries = self.entries.lock().expect("cache lock");
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let mut used: Vec<u64> = entries.values().map(|e| e.used).collect();
            let cut = used.len() / 4;
            let (_, &mut oldest_kept, _) = used.select_nth_unstable(cut);
            entries.retain(|_, e| e.used >= oldest_kept);
        }
        let used = self.tick();
        entries.insert(
            key,
            Entry {
                version,
                value: value.clone(),
                used,
            },
        );
        Ok(value)
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    async fn get(c: &Cache, key: &str, v: i64, computed: &mut u32) -> u32 {
        let value = c
            .get(key.to_string(), v, async {
                *computed += 1;
                Ok(*computed)
            })
            .await
            .unwrap();
        *value
    }

    #[tokio::test]
    async fn the_least_recently_used_go_first_and_a_new_version_recomputes() {
        let c = Cache::with_capacity(8);
        let mut n = 0;
        for k in 0..8 {
            get(&c, &format!("k{k}"), 1, &mut n).await;
        }
        assert_eq!(n, 8);
        // k0 and k1 used again: the oldest are now k2, k3.
        get(&c, "k0", 1, &mut n).await;
        get(&c, "k1", 1, &mut n).await;
        assert_eq!(n, 8, "hits compute nothing");
        get(&c, "k8", 1, &mut n).await; // full: a quarter (2) goes, then k8 comes
        assert_eq!(c.len(), 7);
        let before = n;
        get(&c, "k0", 1, &mut n).await;
        get(&c, "k7", 1, &mut n).await;
        assert_eq!(n, before, "recently used entries stayed");
        get(&c, "k2", 1, &mut n).await;
        assert_eq!(n, before + 1, "the least recently used went");
        get(&c, "k0", 2, &mut n).await;
        assert_eq!(n, before + 2, "another data version is computed anew");
    }
}
