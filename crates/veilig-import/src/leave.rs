//! Leave files: a header, then `officer,from,to[,kind[,note]]` per line (dates YYYY-MM-DD,
//! both included; kind `verlof` when absent). Read whole or refused whole, with the file, the
//! line and the field named.

use std::path::Path;

use chrono::NaiveDate;
use veilig_store::Leave;

use crate::ImportError;

fn line(name: &str, line: usize, rec: &csv::StringRecord) -> Result<Leave, ImportError> {
    let field = |i: usize| rec.get(i).unwrap_or("").trim();
    let at = |what: &str, msg: String| {
        ImportError::file(name, format!("line {line}, field {what}: {msg}"))
    };
    let date = |i: usize, what: &str| {
        NaiveDate::parse_from_str(field(i), "%Y-%m-%d")
            .map_err(|_| at(what, format!("{:?} is not a date YYYY-MM-DD", field(i))))
    };
    if field(0).is_empty() {
        return Err(at("officer", "empty".into()));
    }
    let (first_day, last_day) = (date(1, "from")?, date(2, "to")?);
    if last_day < first_day {
        return Err(at("to", format!("{last_day} is before {first_day}")));
    }
    Ok(Leave {
        officer: field(0).to_string(),
        first_day,
        last_day,
        kind: match field(3) {
            "" => "verlof".to_string(),
            k => k.to_string(),
        },
        note: field(4).to_string(),
    })
}

/// Every line of a leave file, or the first error.
pub fn read_leave(path: &Path) -> Result<Vec<Leave>, ImportError> {
    let name = path.display().to_string();
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| ImportError::file(&name, e.to_string()))?;
    r.records()
        .enumerate()
        .map(|(k, rec)| {
            let rec = rec.map_err(|e| ImportError::file(&name, format!("line {}: {e}", k + 2)))?;
            line(&name, k + 2, &rec)
        })
        .collect()
}
