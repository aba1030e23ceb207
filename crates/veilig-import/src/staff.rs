//! Staff lists (pseudonymised) from CSV with fixed columns:
//! `code, functionality, rank, fte, contract_hours_week, skills, area_code`.
//! `functionality` is one of the seven basic functionalities (`wijkwerking`, `onthaal`,
//! `interventie`, `slachtofferbejegening`, `lokale-opsporing`, `openbare-orde`, `verkeer`) or
//! `ondersteuning`; `skills` are separated by `|` (e.g. `OBP|slachtofferbejegening`).

use std::path::Path;

use veilig_domain::{Functionality, ImportSummary, StaffMember, Zone};
use veilig_store::Store;

use crate::file::{Row, read_text};
use crate::parse::number;
use crate::rows::{TableSpec, import_rows};
use crate::{ImportError, Progress};

const REQUIRED: &[&str] = &[
    "code",
    "functionality",
    "rank",
    "fte",
    "contract_hours_week",
];

pub async fn import_staff(
    store: &Store,
    zone: &Zone,
    path: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let file = read_text(path, None)?;
    let check = |name: &str, h: &crate::file::Header| h.require(name, REQUIRED).map(|_| ());
    let parse = |row: &Row| {
        let f = row.req("functionality")?;
        let functionality = Functionality::parse(&f.to_lowercase()).ok_or_else(|| {
            row.reject(
                "functionality",
                format!(
                    "{f:?} is not one of {:?}",
                    Functionality::ALL.map(|f| f.as_str())
                ),
            )
        })?;
        let num = |col: &str, max: f64| -> Result<f64, veilig_domain::Reject> {
            let v = row.req(col)?;
            number(
                v,
                if v.contains(',') && !v.contains('.') {
                    ','
                } else {
                    '.'
                },
            )
            .filter(|n| *n >= 0.0 && *n <= max)
            .ok_or_else(|| row.reject(col, format!("{v:?} is not a number between 0 and {max}")))
        };
        Ok(StaffMember {
            code: row.req("code")?.to_string(),
            functionality,
            rank: row.req("rank")?.to_string(),
            fte: num("fte", 1.0)?,
            contract_hours_week: num("contract_hours_week", 60.0)?,
            skills: row
                .opt("skills")
                .map(|s| {
                    s.split('|')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            area_code: row.opt("area_code").map(str::to_string),
            synthetic: false,
        })
    };
    import_rows(
        store,
        zone,
        &file,
        TableSpec {
            source: "staff",
            delimiter: None,
            mapping: None,
            check_header: &check,
            parse: &parse,
        },
        progress,
    )
    .await
}
