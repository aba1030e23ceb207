//! Population tables from CSV: one row per area (or municipality, or zone) and date.

use std::path::Path;

use chrono::NaiveDate;
use veilig_domain::{ImportSummary, PopulationLevel, PopulationRecord, Zone};
use veilig_store::Store;

use crate::file::read_text;
use crate::parse::number;
use crate::rows::{TableSpec, import_rows};
use crate::units::ZoneUnits;
use crate::{ImportError, Progress};

#[derive(Debug, Clone)]
pub struct PopulationOptions {
    pub level: PopulationLevel,
    pub code_column: String,
    pub inhabitants_column: String,
    pub dwellings_column: Option<String>,
    pub households_column: Option<String>,
    /// Reference date for every row, unless `date_column` is given.
    pub ref_date: Option<NaiveDate>,
    pub date_column: Option<String>,
    /// Where the figures come from ("Statbel 2024", "ONS Census 2011").
    pub source: String,
}

fn count(s: &str) -> Option<i64> {
    number(s, '.')
        .filter(|v| *v >= 0.0 && v.fract() == 0.0)
        .map(|v| v as i64)
}

pub async fn import_population(
    store: &Store,
    zone: &Zone,
    path: &Path,
    opts: &PopulationOptions,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let file = read_text(path, None)?;
    if opts.ref_date.is_none() && opts.date_column.is_none() {
        return Err(ImportError::file(
            &file.name,
            "give the reference date (--ref-date) or a date column (--date-column)",
        ));
    }
    let check = |name: &str, h: &crate::file::Header| {
        let mut need = vec![opts.code_column.as_str(), opts.inhabitants_column.as_str()];
        need.extend(opts.dwellings_column.as_deref());
        need.extend(opts.households_column.as_deref());
        need.extend(opts.date_column.as_deref());
        h.require(name, &need).map(|_| ())
    };
    let units = ZoneUnits::load(store, zone).await?;
    // Figures already known per (level, code, date), the stored ones and this file's: the
    // same unit and date with another count is a conflict, not a duplicate.
    let known: std::cell::RefCell<std::collections::HashMap<(String, String, NaiveDate), i64>> =
        std::cell::RefCell::new(
            store
                .population(zone.id)
                .await?
                .into_iter()
                .map(|p| {
                    (
                        (p.level.as_str().to_string(), p.code, p.ref_date),
                        p.inhabitants,
                    )
                })
                .collect(),
        );
    let parse = |row: &crate::file::Row| {
        let code = row.req(&opts.code_column)?.to_string();
        units.check(row, &opts.code_column, opts.level.as_str(), &code)?;
        let inh = row.req(&opts.inhabitants_column)?;
        let inhabitants = count(inh).ok_or_else(|| {
            row.reject(
                &opts.inhabitants_column,
                format!("{inh:?} is not a whole non-negative number"),
            )
        })?;
        let optional = |col: &Option<String>| -> Result<Option<i64>, veilig_domain::Reject> {
            match col.as_deref().and_then(|c| row.opt(c).map(|v| (c, v))) {
                None => Ok(None),
                Some((c, v)) => count(v).map(Some).ok_or_else(|| {
                    row.reject(c, format!("{v:?} is not a whole non-negative number"))
                }),
            }
        };
        let ref_date = match &opts.date_column {
            Some(c) => {
                let v = row.req(c)?;
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| row.reject(c, format!("{v:?} is not a date YYYY-MM-DD")))?
            }
            None => opts.ref_date.expect("checked above"),
        };
        let key = (opts.level.as_str().to_string(), code.clone(), ref_date);
        match known.borrow_mut().entry(key) {
            std::collections::hash_map::Entry::Occupied(e) if *e.get() != inhabitants => {
                return Err(row.reject(
                    &opts.inhabitants_column,
                    format!(
                        "conflict: {code} already has {} inhabitants on {ref_date}, this row says {inhabitants}",
                        e.get()
                    ),
                ));
            }
            std::collections::hash_map::Entry::Occupied(_) => {}
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(inhabitants);
            }
        }
        Ok(PopulationRecord {
            level: opts.level,
            code,
            ref_date,
            inhabitants,
            dwellings: optional(&opts.dwellings_column)?,
            households: optional(&opts.households_column)?,
            source: opts.source.clone(),
            synthetic: false,
        })
    };
    import_rows(
        store,
        zone,
        &file,
        TableSpec {
            source: "population",
            delimiter: None,
            mapping: None,
            check_header: &check,
            parse: &parse,
        },
        progress,
    )
    .await
}

/// Residents per municipality by sex and age band (Statbel-style), the margins surveys are
/// weighted to: CSV with the columns `municipality` (NIS), `sex`, `age_band`, `inhabitants`,
/// all on the reference date `ref_date`. Sex and age band are written as the survey
/// codebooks write them. A municipality outside the zone or a count that is not a whole
/// non-negative number is quarantined with its line.
pub async fn import_population_groups(
    store: &Store,
    zone: &Zone,
    path: &Path,
    ref_date: NaiveDate,
    source: &str,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let file = read_text(path, None)?;
    let municipalities: std::collections::HashSet<String> = store
        .municipalities(zone.id)
        .await?
        .into_iter()
        .map(|m| m.nis.as_str().to_string())
        .collect();
    let check = |name: &str, h: &crate::file::Header| {
        h.require(name, &["municipality", "sex", "age_band", "inhabitants"])
            .map(|_| ())
    };
    let parse = |row: &crate::file::Row| {
        let municipality = row.req("municipality")?.to_string();
        if !municipalities.contains(&municipality) {
            return Err(row.reject(
                "municipality",
                format!(
                    "{municipality:?} is not a municipality of zone {}",
                    zone.code.as_str()
                ),
            ));
        }
        let inh = row.req("inhabitants")?;
        let inhabitants = count(inh).ok_or_else(|| {
            row.reject(
                "inhabitants",
                format!("{inh:?} is not a whole non-negative number"),
            )
        })?;
        Ok(veilig_domain::PopulationGroup {
            municipality,
            sex: row.req("sex")?.to_string(),
            age_band: row.req("age_band")?.to_string(),
            ref_date,
            inhabitants,
            source: source.to_string(),
            synthetic: false,
        })
    };
    import_rows(
        store,
        zone,
        &file,
        TableSpec {
            source,
            delimiter: None,
            mapping: None,
            check_header: &check,
            parse: &parse,
        },
        progress,
    )
    .await
}
