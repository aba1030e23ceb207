//! Located rows straight from an incident file, projected into metres, without the store:
//! what a forecast backtest reads (`veilig forecast backtest --file`), through the same
//! format parsers and checks as an import.

use std::path::Path;

use chrono::NaiveDateTime;
use veilig_domain::{Projector, Reject};

use crate::ImportError;
use crate::file::read_text;
use crate::incidents::{IncidentFormat, each_parsed};

/// One located row: its category, the start of its occurrence window, and x, y in metres.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedRow {
    pub category: String,
    pub at: NaiveDateTime,
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Default)]
pub struct LocatedFile {
    pub rows: Vec<LocatedRow>,
    pub rows_read: u64,
    /// Rows without coordinates (or at the publisher's (0, 0)), left out.
    pub without_location: u64,
    /// Rows the format refused, with file line and field.
    pub rejects: Vec<Reject>,
}

/// The metric CRS a source's points are projected into when none is asked for: UTM 17N for
/// Toronto, the British National Grid for police.uk; a generic file must say.
pub fn metric_crs(source: &str) -> Option<i32> {
    match source {
        "toronto-mci" => Some(32617),
        "police-uk" => Some(27700),
        _ => None,
    }
}

/// Reads `path` through `format`, projecting each located row into `to_epsg`.
pub fn read_located(
    path: &Path,
    format: &(dyn IncidentFormat + Send),
    to_epsg: i32,
) -> Result<LocatedFile, ImportError> {
    let name = path.display().to_string();
    let projector = Projector::new(format.crs(), to_epsg)
        .map_err(|e| ImportError::file(&name, e.to_string()))?;
    let file = read_text(path, format.encoding())?;
    let mut out = LocatedFile::default();
    out.rows_read = each_parsed(&file, format, |row, parsed| {
        let p = match parsed {
            Ok(p) => p,
            Err(r) => {
                out.rejects.push(r);
                return true;
            }
        };
        let Some((ox, oy)) = p.coords.filter(|(x, y)| *x != 0.0 && *y != 0.0) else {
            out.without_location += 1;
            return true;
        };
        match projector.project(ox, oy) {
            Ok((x, y)) if x.is_finite() && y.is_finite() => out.rows.push(LocatedRow {
                category: p.category,
                at: p.occurred_from,
                x,
                y,
            }),
            Ok(_) => out
                .rejects
                .push(row.reject("coordinates", "the projection is not finite")),
            Err(e) => out.rejects.push(row.reject("coordinates", e.to_string())),
        }
        true
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TorontoMci;

    #[test]
    fn toronto_rows_project_to_utm_and_bad_rows_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mci.csv");
        std::fs::write(
            &path,
            "occurrencedate,occurrencehour,premises_type,MCI,Neighbourhood,Lat,Long\n\
             2019/01/07 05:00:00+00,13,House,Break and Enter,X,43.65,-79.38\n\
             2019/01/08 05:00:00+00,25,House,Break and Enter,X,43.65,-79.38\n\
             2019/01/09 05:00:00+00,2,House,Assault,X,0,0\n",
        )
        .unwrap();
        let f = read_located(&path, &TorontoMci, 32617).unwrap();
        assert_eq!(f.rows_read, 3);
        assert_eq!(f.rows.len(), 1);
        assert_eq!(f.without_location, 1);
        assert_eq!(f.rejects.len(), 1);
        assert_eq!(
            (f.rejects[0].line, f.rejects[0].field.as_str()),
            (3, "occurrencehour")
        );
        let r = &f.rows[0];
        assert_eq!(r.at.to_string(), "2019-01-07 13:00:00");
        // pyproj 3.7 (EPSG:4326 → EPSG:32617, always_xy) gives 630,643.985 E, 4,834,275.332 N.
        assert!(
            (r.x - 630_643.985).abs() < 0.01 && (r.y - 4_834_275.332).abs() < 0.01,
            "{r:?}"
        );
    }
}
