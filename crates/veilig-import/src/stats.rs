//! Published aggregated statistics (the federal police's crime statistics per municipality
//! and period), read through a mapping file:
//!
//! ```toml
//! source = "federale-politie-pcs"
//! level = "municipality"              # default
//! category_kind = "criminal-figure"   # or "main-heading", "total"; or a column
//! closing_date = "2024-01-26"         # or columns.closing_date
//!
//! [columns]
//! area = "NIS"
//! period = "Periode"                  # 2023 | 2023-Q2 | 2023-05 ; or period_start/period_end
//! category = "Criminele figuur"
//! count = "Aantal"
//! ```
//!
//! Wide tables are read too, with a `[wide]` section instead of the period or the
//! category and count columns:
//!
//! ```toml
//! [wide]
//! periods = ["2021", "2022", "2023-Q1"]   # the federal tables: one count column per period
//! # or
//! categories = ["Woninginbraak", "Fietsdiefstal"]   # one count column per category
//! ```
//!
//! Each count cell is then one published figure (a blank cell is no figure); a cell that is
//! not a count is quarantined with its line and column, the others of its row are stored.
//!
//! A cell is provisional when a `provisional` column says so, otherwise when its period had
//! not ended by the closing date. Criminele figuren are stored as published and never summed.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use veilig_domain::{ImportSummary, StatCategoryKind, StatCount, Zone};
use veilig_store::Store;

use crate::file::{Row, read_text};
use crate::mapping::{Dialect, load};
use crate::rows::{CellSpec, import_cells};
use crate::units::ZoneUnits;
use crate::{ImportError, Progress};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatColumns {
    pub area: String,
    pub period: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    /// Required unless `[wide] categories` names the category columns.
    pub category: Option<String>,
    /// Required unless the table is wide.
    pub count: Option<String>,
    pub category_kind: Option<String>,
    pub closing_date: Option<String>,
    pub provisional: Option<String>,
    pub level: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatMapping {
    pub source: String,
    pub level: Option<String>,
    pub category_kind: Option<String>,
    pub closing_date: Option<NaiveDate>,
    #[serde(flatten)]
    pub dialect: Dialect,
    pub columns: StatColumns,
    pub wide: Option<Wide>,
}

/// A wide table: count columns per period or per category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wide {
    /// Column names that are periods (2023, 2023-Q2, 2023-05), each holding that period's count.
    pub periods: Option<Vec<String>>,
    /// Column names that are categories, each holding that category's count.
    pub categories: Option<Vec<String>>,
}

/// Where a row's figures are: (the period column or a fixed period, the category column or
/// a fixed category, the count column) per figure.
enum Layout {
    Long,
    Periods(Vec<(String, (NaiveDate, NaiveDate))>),
    Categories(Vec<String>),
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).map(|d| d - chrono::Duration::days(1))
}

/// `2023` → the year; `2023-Q2`, `2023Q2`, `Q2 2023` → the quarter; `2023-05`, `05/2023` → the month.
pub fn parse_period(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let t = s.trim().to_uppercase();
    if let Ok(y) = t.parse::<i32>() {
        return Some((
            NaiveDate::from_ymd_opt(y, 1, 1)?,
            NaiveDate::from_ymd_opt(y, 12, 31)?,
        ));
    }
    let quarter = |y: &str, q: &str| -> Option<(NaiveDate, NaiveDate)> {
        let y: i32 = y.trim().parse().ok()?;
        let q: u32 = q.trim().parse().ok().filter(|q| (1..=4).contains(q))?;
        Some((
            NaiveDate::from_ymd_opt(y, 3 * q - 2, 1)?,
            month_end(y, 3 * q)?,
        ))
    };
    if let Some((y, q)) = t
        .split_once("-Q")
        .or_else(|| t.split_once('Q').filter(|(y, _)| y.len() == 4))
    {
        return quarter(y, q);
    }
    if let Some(rest) = t.strip_prefix('Q') {
        let (q, y) = rest.split_once(' ')?;
        return quarter(y, q);
    }
    let month = |y: &str, m: &str| -> Option<(NaiveDate, NaiveDate)> {
        let y: i32 = y.parse().ok()?;
        let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        Some((NaiveDate::from_ymd_opt(y, m, 1)?, month_end(y, m)?))
    };
    if let Some((a, b)) = t.split_once('-') {
        return month(a, b);
    }
    if let Some((a, b)) = t.split_once('/') {
        return month(b, a);
    }
    None
}

fn kind(s: &str) -> Option<StatCategoryKind> {
    StatCategoryKind::parse(&s.trim().to_lowercase().replace([' ', '_'], "-"))
}

pub async fn import_stat_counts(
    store: &Store,
    zone: &Zone,
    path: &Path,
    mapping_path: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let (m, text): (StatMapping, String) = load(mapping_path)?;
    let mname = mapping_path.display().to_string();
    let c = &m.columns;
    let layout = match m.wide.as_ref().map(|w| (&w.periods, &w.categories)) {
        None => Layout::Long,
        Some((Some(p), None)) if !p.is_empty() => Layout::Periods(
            p.iter()
                .map(|name| {
                    parse_period(name).map(|d| (name.clone(), d)).ok_or_else(|| {
                        ImportError::file(
                            &mname,
                            format!("wide.periods: column {name:?} is not a year, quarter (2023-Q2) or month (2023-05)"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        Some((None, Some(k))) if !k.is_empty() => Layout::Categories(k.clone()),
        Some(_) => {
            return Err(ImportError::file(
                &mname,
                "[wide] takes either periods or categories (a non-empty list of column names), not both",
            ));
        }
    };
    let needs_period = !matches!(layout, Layout::Periods(_));
    if needs_period && c.period.is_none() && (c.period_start.is_none() || c.period_end.is_none()) {
        return Err(ImportError::file(
            &mname,
            "columns.period, or both columns.period_start and columns.period_end, are required",
        ));
    }
    if !matches!(layout, Layout::Categories(_)) && c.category.is_none() {
        return Err(ImportError::file(&mname, "columns.category is required"));
    }
    if matches!(layout, Layout::Long) && c.count.is_none() {
        return Err(ImportError::file(&mname, "columns.count is required"));
    }
    if m.closing_date.is_none() && c.closing_date.is_none() {
        return Err(ImportError::file(
            &mname,
            "closing_date (or columns.closing_date) is required: published figures change until closed",
        ));
    }
    let default_kind = match (&m.category_kind, &c.category_kind) {
        (Some(k), _) => Some(kind(k).ok_or_else(|| {
            ImportError::file(
                &mname,
                format!("category_kind {k:?} must be criminal-figure, main-heading or total"),
            )
        })?),
        (None, Some(_)) => None,
        (None, None) => {
            return Err(ImportError::file(
                &mname,
                "category_kind (or columns.category_kind) is required: criminele figuren must never be summed",
            ));
        }
    };
    let file = read_text(path, m.dialect.encoding.as_deref())?;
    let delimiter = m.dialect.delimiter(&mname)?;
    let date_formats = m.dialect.date_formats();
    let level = m.level.clone().unwrap_or_else(|| "municipality".into());
    let units = ZoneUnits::load(store, zone).await?;
    let check = |name: &str, h: &crate::file::Header| {
        let mut need = vec![c.area.as_str()];
        match &layout {
            Layout::Long => {}
            Layout::Periods(p) => need.extend(p.iter().map(|(n, _)| n.as_str())),
            Layout::Categories(k) => need.extend(k.iter().map(String::as_str)),
        }
        let period_cols = [&c.period, &c.period_start, &c.period_end];
        let optional = [
            &c.category,
            &c.count,
            &c.category_kind,
            &c.closing_date,
            &c.provisional,
            &c.level,
        ];
        for o in optional
            .into_iter()
            .chain(period_cols.into_iter().filter(|_| needs_period))
            .flatten()
        {
            need.push(o);
        }
        h.require(name, &need).map(|_| ())
    };
    let date = |row: &Row, col: &str| -> Result<NaiveDate, veilig_domain::Reject> {
        let v = row.req(col)?;
        date_formats
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(v, f).ok())
            .ok_or_else(|| row.reject(col, crate::parse::why_no_stamp(v, &[], &date_formats)))
    };
    let period_of = |row: &Row| -> Result<(NaiveDate, NaiveDate), veilig_domain::Reject> {
        let (start, end) = match &c.period {
            Some(col) => {
                let v = row.req(col)?;
                parse_period(v).ok_or_else(|| {
                    row.reject(
                        col,
                        format!("{v:?} is not a year, quarter (2023-Q2) or month (2023-05)"),
                    )
                })?
            }
            None => {
                let (s, e) = (
                    c.period_start.as_deref().unwrap_or_default(),
                    c.period_end.as_deref().unwrap_or_default(),
                );
                (date(row, s)?, date(row, e)?)
            }
        };
        if end < start {
            return Err(row.reject("period", "the period ends before it starts"));
        }
        Ok((start, end))
    };
    // One published figure: its period, category and the column its count is in.
    let figure = |row: &Row,
                  (start, end): (NaiveDate, NaiveDate),
                  category: String,
                  count_col: &str|
     -> Result<StatCount, veilig_domain::Reject> {
        let n = row.req(count_col)?;
        let count = n.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
            row.reject(
                count_col,
                format!("{n:?} is not a count (a whole number ≥ 0)"),
            )
        })?;
        let category_kind = match (&c.category_kind, default_kind) {
            (Some(col), _) => {
                let v = row.req(col)?;
                kind(v).ok_or_else(|| {
                    row.reject(
                        col,
                        format!("{v:?} is not criminal-figure, main-heading or total"),
                    )
                })?
            }
            (None, Some(k)) => k,
            (None, None) => unreachable!("checked when the mapping was read"),
        };
        let closing_date = match &c.closing_date {
            Some(col) => date(row, col)?,
            None => m.closing_date.expect("checked when the mapping was read"),
        };
        let provisional = match &c.provisional {
            Some(col) => {
                let v = row.req(col)?.to_lowercase();
                match v.as_str() {
                    "1" | "true" | "ja" | "yes" | "oui" | "voorlopig" | "provisional" => true,
                    "0" | "false" | "nee" | "no" | "non" | "definitief" | "final" => false,
                    _ => return Err(row.reject(col, format!("{v:?} is not a yes/no value"))),
                }
            }
            None => end >= closing_date,
        };
        let level = match &c.level {
            Some(col) => row.req(col)?.to_string(),
            None => level.clone(),
        };
        let area_code = row.req(&c.area)?.to_string();
        units.check(row, &c.area, &level, &area_code)?;
        Ok(StatCount {
            level,
            area_code,
            period_start: start,
            period_end: end,
            category,
            category_kind,
            count,
            closing_date,
            provisional,
        })
    };
    let category_of = |row: &Row| -> Result<String, veilig_domain::Reject> {
        Ok(row
            .req(c.category.as_deref().unwrap_or_default())?
            .to_string())
    };
    let parse = |row: &Row| -> Vec<Result<StatCount, veilig_domain::Reject>> {
        match &layout {
            Layout::Long => vec![period_of(row).and_then(|p| {
                figure(
                    row,
                    p,
                    category_of(row)?,
                    c.count.as_deref().unwrap_or_default(),
                )
            })],
            // A blank cell of a wide table is no figure.
            Layout::Periods(periods) => match category_of(row) {
                Err(e) => vec![Err(e)],
                Ok(cat) => periods
                    .iter()
                    .filter(|(col, _)| row.opt(col).is_some())
                    .map(|(col, p)| figure(row, *p, cat.clone(), col))
                    .collect(),
            },
            Layout::Categories(cats) => match period_of(row) {
                Err(e) => vec![Err(e)],
                Ok(p) => cats
                    .iter()
                    .filter(|col| row.opt(col).is_some())
                    .map(|col| figure(row, p, col.clone(), col))
                    .collect(),
            },
        }
    };
    import_cells(
        store,
        zone,
        &file,
        CellSpec {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            parse_period("2023"),
            Some((d("2023-01-01"), d("2023-12-31")))
        );
        assert_eq!(
            parse_period("2023-Q2"),
            Some((d("2023-04-01"), d("2023-06-30")))
        );
        assert_eq!(
            parse_period("2023Q4"),
            Some((d("2023-10-01"), d("2023-12-31")))
        );
        assert_eq!(
            parse_period("Q1 2024"),
            Some((d("2024-01-01"), d("2024-03-31")))
        );
        assert_eq!(
            parse_period("2024-02"),
            Some((d("2024-02-01"), d("2024-02-29")))
        );
        assert_eq!(
            parse_period("02/2024"),
            Some((d("2024-02-01"), d("2024-02-29")))
        );
        assert_eq!(parse_period("2024-13"), None);
        assert_eq!(parse_period("soon"), None);
    }
}
