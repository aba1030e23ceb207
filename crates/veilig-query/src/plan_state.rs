//! A fingerprint of a zone's policy-cycle state: the council's decisions and priority
//! inputs, the indicators and their measurements, the reviews, the plans and their versions.
//! Figures that read that state besides the data (the priority matrix, the Compstat agenda)
//! are cached under the data version and this fingerprint, so that a plan edit shows at once
//! while the heavy part is computed once. Its inputs are small tables, read in milliseconds.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use anyhow::Result;
use veilig_domain::Zone;
use veilig_store::Store;

/// Changes whenever anything of the zone's policy-cycle state changes (within this process:
/// it keys a process-local cache).
pub async fn fingerprint(store: &Store, zone: &Zone) -> Result<u64> {
    let mut h = DefaultHasher::new();
    format!("{:?}", store.priority_inputs(zone.id).await?).hash(&mut h);
    format!("{:?}", store.decisions(zone.id).await?).hash(&mut h);
    format!("{:?}", store.indicators(zone.id).await?).hash(&mut h);
    format!("{:?}", store.measurements(zone.id).await?).hash(&mut h);
    format!("{:?}", store.reviews(zone.id).await?).hash(&mut h);
    format!("{:?}", store.review_decisions(zone.id).await?).hash(&mut h);
    for p in store.plans(zone.id).await? {
        format!("{p:?}").hash(&mut h);
        format!("{:?}", store.plan_versions(p.id).await?).hash(&mut h);
        format!("{:?}", store.plan_steps(p.id).await?).hash(&mut h);
    }
    Ok(h.finish())
}
