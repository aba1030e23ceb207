//! Calls for service (dispatch records) from CSV, through a mapping file:
//!
//! ```toml
//! source = "cad-bdm"
//! delimiter = ";"
//! datetime_formats = ["%d/%m/%Y %H:%M:%S"]
//! crs = 31370
//!
//! [columns]
//! id = "Oproepnummer"
//! received_at = "Ontvangen"
//! priority = "Prioriteit"
//! category = "Aard"
//! committed_minutes = "Inzetduur"     # or: dispatched_at + cleared_at
//! response_minutes = "Aanrijtijd"     # or: arrived_at = "Ter plaatse" (optional)
//! x = "X"
//! y = "Y"
//! ```
//!
//! Time committed is what capacity planning needs: given directly, or computed from the
//! dispatch (or, failing that, receipt) time to the clearing time. The response time (receipt
//! to the first unit on scene) is what a plan's process indicators follow: given in minutes,
//! or computed from the arrival time.

use std::path::Path;

use serde::Deserialize;
use veilig_domain::{CallForService, ImportSummary, Projector, Zone};
use veilig_store::Store;

use crate::file::{Row, read_text};
use crate::mapping::{Dialect, load};
use crate::parse::{number, stamp};
use crate::rows::{TableSpec, import_rows};
use crate::{ImportError, Progress};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallColumns {
    pub id: String,
    pub received_at: String,
    pub priority: String,
    pub category: Option<String>,
    pub committed_minutes: Option<String>,
    pub dispatched_at: Option<String>,
    pub cleared_at: Option<String>,
    /// Minutes from receipt to the first unit on scene.
    pub response_minutes: Option<String>,
    /// Or the time the first unit arrived.
    pub arrived_at: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallMapping {
    pub source: String,
    #[serde(flatten)]
    pub dialect: Dialect,
    pub columns: CallColumns,
}

pub async fn import_calls(
    store: &Store,
    zone: &Zone,
    path: &Path,
    mapping_path: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let (m, text): (CallMapping, String) = load(mapping_path)?;
    let mname = mapping_path.display().to_string();
    let c = &m.columns;
    if c.x.is_some() != c.y.is_some() {
        return Err(ImportError::file(
            &mname,
            "columns.x and columns.y go together",
        ));
    }
    let decimal = m.dialect.decimal(&mname)?;
    let delimiter = m.dialect.delimiter(&mname)?;
    let (dtf, df) = (m.dialect.datetime_formats(), m.dialect.date_formats());
    let projector = Projector::new(m.dialect.crs.unwrap_or(4326), zone.crs)
        .map_err(|e| ImportError::file(&mname, e.to_string()))?;
    let file = read_text(path, m.dialect.encoding.as_deref())?;
    let areas = crate::assign::AreaIndex::new(store.areas(zone.id).await?);
    let check = |name: &str, h: &crate::file::Header| {
        let mut need = vec![c.id.as_str(), c.received_at.as_str(), c.priority.as_str()];
        for o in [
            &c.category,
            &c.committed_minutes,
            &c.dispatched_at,
            &c.cleared_at,
            &c.response_minutes,
            &c.arrived_at,
            &c.x,
            &c.y,
        ]
        .into_iter()
        .flatten()
        {
            need.push(o);
        }
        h.require(name, &need).map(|_| ())
    };
    let when =
        |row: &Row, col: &str| -> Result<Option<chrono::NaiveDateTime>, veilig_domain::Reject> {
            match row.opt(col) {
                None => Ok(None),
                Some(v) => stamp(v, &dtf, &df)
                    .map(|s| Some(s.start()))
                    .ok_or_else(|| row.reject(col, crate::parse::why_no_stamp(v, &dtf, &df))),
            }
        };
    let parse = |row: &Row| {
        let received_at =
            when(row, &c.received_at)?.ok_or_else(|| row.reject(&c.received_at, "empty"))?;
        let committed_minutes = match (&c.committed_minutes, &c.cleared_at) {
            (Some(col), _) => match row.opt(col) {
                None => None,
                Some(v) => Some(number(v, decimal).filter(|m| *m >= 0.0).ok_or_else(|| {
                    row.reject(col, format!("{v:?} is not a number of minutes ≥ 0"))
                })?),
            },
            (None, Some(cleared_col)) => match when(row, cleared_col)? {
                None => None,
                Some(cleared) => {
                    let start = match &c.dispatched_at {
                        Some(d) => when(row, d)?.unwrap_or(received_at),
                        None => received_at,
                    };
                    let mins = (cleared - start).num_seconds() as f64 / 60.0;
                    if mins < 0.0 {
                        return Err(row.reject(cleared_col, "cleared before it was dispatched"));
                    }
                    Some(mins)
                }
            },
            (None, None) => None,
        };
        let response_minutes = match (&c.response_minutes, &c.arrived_at) {
            (Some(col), _) => match row.opt(col) {
                None => None,
                Some(v) => Some(number(v, decimal).filter(|m| *m >= 0.0).ok_or_else(|| {
                    row.reject(col, format!("{v:?} is not a number of minutes ≥ 0"))
                })?),
            },
            (None, Some(col)) => match when(row, col)? {
                None => None,
                Some(arrived) => {
                    let mins = (arrived - received_at).num_seconds() as f64 / 60.0;
                    if mins < 0.0 {
                        return Err(row.reject(col, "arrived before the call was received"));
                    }
                    Some(mins)
                }
            },
            (None, None) => None,
        };
        let location = match (&c.x, &c.y) {
            (Some(xc), Some(yc)) => match row.coords(xc, yc, decimal)? {
                Some((ox, oy)) => Some(
                    projector
                        .locate(ox, oy)
                        .map_err(|e| row.reject("coordinates", e.to_string()))?,
                ),
                None => None,
            },
            _ => None,
        };
        Ok(CallForService {
            source_key: row.req(&c.id)?.to_string(),
            received_at,
            priority: row.req(&c.priority)?.to_string(),
            category: c
                .category
                .as_ref()
                .and_then(|col| row.opt(col))
                .map(str::to_string),
            committed_minutes,
            response_minutes,
            area_id: location.and_then(|l| areas.locate(l.x, l.y)),
            location,
            synthetic: false,
        })
    };
    import_rows(
        store,
        zone,
        &file,
        TableSpec {
            source: &m.source,
            delimiter,
            mapping: Some(&text),
            check_header: &check,
            parse: &parse,
        },
        progress,
    )
    .await
}
