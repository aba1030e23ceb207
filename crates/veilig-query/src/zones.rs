//! Which zone a command works on: the one named, the store's only one, or (for an import) the
//! source's own, created when absent.

use anyhow::{Result, bail};
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
