//! Duty plans as CSV, what `capacity plan` writes and `capacity coverage` reads:
//! `officer,start,end,functionality,on_call,skills` with times as `YYYY-MM-DD HH:MM` and
//! skills separated by `|`. Errors name the file, the line and the field.

use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike};
use veilig_capacity::Duty;

use crate::ImportError;

const HEADER: [&str; 6] = [
    "officer",
    "start",
    "end",
    "functionality",
    "on_call",
    "skills",
];

/// A duty as read, before it is placed in hours from the plan's start.
struct Row {
    officer: String,
    start: NaiveDateTime,
    end: NaiveDateTime,
    functionality: String,
    on_call: bool,
    skills: Vec<String>,
}

fn row(name: &str, line: usize, rec: &csv::StringRecord) -> Result<Row, ImportError> {
    let at = |what: &str, msg: String| {
        ImportError::file(name, format!("line {line}, field {what}{msg}"))
    };
    let field = |k: usize, what: &str| {
        rec.get(k)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| at(what, " is empty".into()))
    };
    let when = |k: usize, what: &str| {
        let v = field(k, what)?;
        NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M")
            .map_err(|_| at(what, format!(": {v:?} is not YYYY-MM-DD HH:MM")))
    };
    let (start, end) = (when(1, "start")?, when(2, "end")?);
    if end <= start {
        return Err(ImportError::file(
            name,
            format!("line {line}: the duty ends before it starts"),
        ));
    }
    Ok(Row {
        officer: field(0, "officer")?.to_string(),
        start,
        end,
        functionality: field(3, "functionality")?.to_string(),
        on_call: rec.get(4).map(str::trim) == Some("true"),
        skills: rec
            .get(5)
            .unwrap_or("")
            .split('|')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// Reads a duty plan; returns its start (the first duty, to the hour) and its duties in hours
/// from it.
pub fn read_duty_plan(path: &Path) -> Result<(NaiveDateTime, Vec<Duty>), ImportError> {
    let name = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path)
        .map_err(|e| ImportError::file(&name, format!("cannot read: {e}")))?;
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| ImportError::file(&name, format!("line {}: {e}", i + 2)))?;
        rows.push(row(&name, i + 2, &rec)?);
    }
    let first = rows
        .iter()
        .map(|r| r.start)
        .min()
        .ok_or_else(|| ImportError::file(&name, "the plan has no duties"))?;
    let start = first.date().and_hms_opt(first.hour(), 0, 0).expect("valid");
    let duties = rows
        .into_iter()
        .map(|r| Duty {
            officer: r.officer,
            start_hour: ((r.start - start).num_minutes() / 60) as usize,
            end_hour: ((r.end - start).num_minutes() as f64 / 60.0).ceil() as usize,
            functionality: r.functionality,
            on_call: r.on_call,
            skills: r.skills,
        })
        .collect();
    Ok((start, duties))
}

/// Writes a week's duties (hours from Monday 00:00) as a duty plan.
pub fn write_duty_plan(path: &Path, monday: NaiveDate, duties: &[Duty]) -> Result<(), ImportError> {
    let name = path.display().to_string();
    let fail = |e: csv::Error| ImportError::file(&name, format!("cannot write: {e}"));
    let t0 = monday.and_hms_opt(0, 0, 0).expect("valid");
    let at = |h: usize| {
        (t0 + Duration::hours(h as i64))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let mut w = csv::Writer::from_path(path).map_err(fail)?;
    w.write_record(HEADER).map_err(fail)?;
    for d in duties {
        w.write_record([
            d.officer.clone(),
            at(d.start_hour),
            at(d.end_hour),
            d.functionality.clone(),
            d.on_call.to_string(),
            d.skills.join("|"),
        ])
        .map_err(fail)?;
    }
    w.flush()
        .map_err(|e| ImportError::file(&name, format!("cannot write: {e}")))
}
