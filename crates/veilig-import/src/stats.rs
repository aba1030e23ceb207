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
//! A cell is provisional when a `provisional` column says so, otherwise when its period had
//! not ended by the closing date. Criminele figuren are stored as published and never summed.

use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use veilig_domain::{ImportSummary, StatCategoryKind, StatCount, Zone};
use veilig_store::Store;

use crate::file::{Row, read_text};
use crate::mapping::{Dialect, load};
use crate::rows::{TableSpec, import_rows};
use crate::{ImportError, Progress};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatColumns {
    pub area: String,
    pub period: Option<String>,
    pub period_start: Option<String>,
    pub period_end: Option<String>,
    pub category: String,
    pub count: String,
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
    if c.period.is_none() && (c.period_start.is_none() || c.period_end.is_none()) {
        return Err(ImportError::file(
            &mname,
            "columns.period, or both columns.period_start and columns.period_end, are required",
        ));
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
    let check = |name: &str, h: &crate::file::Header| {
        let mut need = vec![c.area.as_str(), c.category.as_str(), c.count.as_str()];
        for o in [
            &c.period,
            &c.period_start,
            &c.period_end,
            &c.category_kind,
            &c.closing_date,
            &c.provisional,
            &c.level,
        ]
        .into_iter()
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
            .ok_or_else(|| {
                row.reject(
                    col,
                    format!("{v:?} matches none of the date formats {date_formats:?}"),
                )
            })
    };
    let parse = |row: &Row| {
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
        let n = row.req(&c.count)?;
        let count = n.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
            row.reject(
                &c.count,
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
        Ok(StatCount {
            level,
            area_code: row.req(&c.area)?.to_string(),
            period_start: start,
            period_end: end,
            category: row.req(&c.category)?.to_string(),
            category_kind,
            count,
            closing_date,
            provisional,
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
