//! The zone's own units (municipalities by NIS code, areas by code): published figures and
//! population rows about any other unit are rejected with their line and field, never stored
//! as the zone's.

use std::collections::BTreeSet;

use veilig_domain::{Reject, Zone};
use veilig_store::Store;

use crate::ImportError;
use crate::file::Row;

pub(crate) struct ZoneUnits {
    zone: String,
    municipalities: BTreeSet<String>,
    areas: BTreeSet<String>,
}

/// At most five codes, for a message.
fn some(codes: &BTreeSet<String>) -> String {
    let mut s: Vec<&str> = codes.iter().take(5).map(String::as_str).collect();
    if codes.len() > 5 {
        s.push("…");
    }
    if s.is_empty() {
        "none yet".into()
    } else {
        s.join(", ")
    }
}

impl ZoneUnits {
    pub(crate) async fn load(store: &Store, zone: &Zone) -> Result<ZoneUnits, ImportError> {
        Ok(ZoneUnits {
            zone: zone.code.as_str().to_string(),
            municipalities: store
                .municipalities(zone.id)
                .await?
                .into_iter()
                .map(|m| m.nis.as_str().to_string())
                .collect(),
            areas: store
                .areas(zone.id)
                .await?
                .into_iter()
                .map(|a| a.code)
                .collect(),
        })
    }

    /// Checks that `code`, read from `column` at `level` (`zone`, `municipality`, `area`),
    /// is one of the zone's units. A zone-level row is the zone's by definition.
    pub(crate) fn check(
        &self,
        row: &Row,
        column: &str,
        level: &str,
        code: &str,
    ) -> Result<(), Reject> {
        let zone = &self.zone;
        match level {
            "zone" => Ok(()),
            "municipality" if self.municipalities.contains(code) => Ok(()),
            "municipality" => Err(row.reject(
                column,
                format!(
                    "{code:?} is not a municipality of zone {zone} (its NIS codes: {})",
                    some(&self.municipalities)
                ),
            )),
            "area" if self.areas.contains(code) => Ok(()),
            "area" => Err(row.reject(
                column,
                format!(
                    "{code:?} is not an area of zone {zone} (its codes: {}); import the areas first",
                    some(&self.areas)
                ),
            )),
            other => Err(row.reject(
                column,
                format!("level {other:?} is not zone, municipality or area"),
            )),
        }
    }
}
