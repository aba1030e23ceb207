//! Which zone a command works on: the one named, the store's only one, or (for an import) the
//! source's own, created when absent; and what the zone's sources cover.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use veilig_domain::{Catalogue, NewZone, Zone, ZoneCode, ZoneKind};
use veilig_store::Store;

/// The zone with this code, or an error naming the zones there are.
pub async fn existing_zone(store: &Store, code: &str) -> Result<Zone> {
    match store.zone(code).await? {
        Some(z) => Ok(z),
        None => {
            let known: Vec<String> = store
                .zones()
                .await?
                .into_iter()
                .map(|z| z.code.as_str().to_string())
                .collect();
            bail!(
                "zone {code:?} does not exist (zones: {}); create it with `veilig zone add`",
                if known.is_empty() {
                    "none yet".to_string()
                } else {
                    known.join(", ")
                }
            )
        }
    }
}

/// The zone named by `code`, or the store's only zone when none is named.
pub async fn given_or_only_zone(store: &Store, code: Option<&str>) -> Result<Zone> {
    match code {
        Some(code) => existing_zone(store, code).await,
        None => {
            let zones = store.zones().await?;
            match zones.as_slice() {
                [only] => Ok(only.clone()),
                _ => bail!("give --zone: the store holds {} zones", zones.len()),
            }
        }
    }
}

/// The zone with this code, created (with the default catalogue) if absent; true when
/// created.
pub async fn zone_or_create(
    store: &Store,
    code: &str,
    name: &str,
    kind: ZoneKind,
    crs: i32,
) -> Result<(Zone, bool)> {
    if let Some(z) = store.zone(code).await? {
        return Ok((z, false));
    }
    let code = ZoneCode::parse(code).map_err(anyhow::Error::msg)?;
    let z = store
        .create_zone(
            &NewZone {
                code,
                name: name.to_string(),
                kind,
                crs,
                synthetic: false,
            },
            &Catalogue::builtin(),
        )
        .await?;
    Ok((z, true))
}

/// The zone incidents of `source` go to: the one named (created with the source's name and
/// CRS, or Belgian Lambert 2008, when absent), else the source's own zone, else the store's
/// only zone. True when the zone was created.
pub async fn import_zone(
    store: &Store,
    given: Option<&str>,
    source: &str,
    first_file: &std::path::Path,
) -> Result<(Zone, bool)> {
    let own = veilig_import::source_zone(source, first_file)?;
    let multi = ZoneKind::MultiMunicipality;
    match (given, own) {
        (Some(code), own) => {
            let (name, crs) = own.map_or((code.to_string(), 3812), |o| (o.name, o.crs));
            zone_or_create(store, code, &name, multi, crs).await
        }
        (None, Some(o)) => zone_or_create(store, &o.code, &o.name, multi, o.crs).await,
        (None, None) => {
            let zones = store.zones().await?;
            match zones.as_slice() {
                [only] => Ok((only.clone(), false)),
                _ => bail!(
                    "give --zone CODE: the generic source has no default zone and the store holds {} zones",
                    zones.len()
                ),
            }
        }
    }
}

/// What each incident source of the zone covers, after setting one source's coverage by hand
/// when `set` names it (source, (first day, last day)); the edit is audited.
pub async fn coverage(
    store: &Store,
    zone: &Zone,
    set: Option<(&str, (NaiveDate, NaiveDate))>,
    by: &veilig_store::AuditEntry,
) -> Result<Vec<veilig_store::SourceCoverage>> {
    if let Some((source, (from, to))) = set {
        let mut audit = by.clone();
        audit.detail = format!("coverage of {source}: {from} to {to}");
        store
            .set_coverage(zone.id, source, from, to, &audit)
            .await?;
    }
    Ok(store.coverage(zone.id).await?)
}

/// Files a source category under a phenomenon (the incidents already stored move with it);
/// returns how many moved and whether the category is one of published statistics, which are
/// kept as published and never mapped (the mapping has no effect on them).
pub async fn map_category(
    store: &Store,
    zone: &Zone,
    source: &str,
    category: &str,
    phenomenon: &str,
    by: &veilig_store::AuditEntry,
) -> Result<(u64, bool)> {
    let moved = store
        .set_category_mapping(zone.id, source, category, phenomenon)
        .await?;
    let mut audit = by.clone();
    audit.detail = format!("{source} / {category:?} -> {phenomenon}: {moved} incidents");
    store.audit(&audit).await?;
    let statistics = moved == 0 && !store.published(zone.id, category).await?.is_empty();
    Ok((moved, statistics))
}
