//! SPSS system files (`.sav`, `.zsav`), as the Veiligheidsmonitor's and most local surveys'
//! microdata are delivered, read with the `ambers` reader into the same table the CSV path
//! reads (one row per case, the header the variable names), so that the codebook, the
//! quarantine and the batch work the same; plus the file's value labels and user-missing
//! values, which become the codebook's answers where it gives none.
//!
//! A case's line in the quarantine is its case number plus one (the header is line 1), as
//! in the CSV the file would be exported to.

use std::collections::BTreeMap;
use std::path::Path;

use ambers::{MissingSpec, Value};
use arrow_array::{Array, Float64Array, LargeStringArray, StringArray, StringViewArray};
use sha2::{Digest, Sha256};

use crate::ImportError;
use crate::file::TextFile;

/// The value labels of one numeric variable: code → label, and the codes declared missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    pub answers: BTreeMap<String, String>,
    pub missing: BTreeMap<String, String>,
}

/// Whether a path names an SPSS system file.
pub fn is_sav(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("sav") || e.eq_ignore_ascii_case("zsav"))
}

/// A number as the CSV path writes it: whole numbers without a decimal point.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn cell(column: &dyn Array, row: usize) -> Option<String> {
    if column.is_null(row) {
        return None;
    }
    let any = column.as_any();
    if let Some(a) = any.downcast_ref::<Float64Array>() {
        return Some(number(a.value(row)));
    }
    if let Some(a) = any.downcast_ref::<StringArray>() {
        return Some(a.value(row).trim_end().to_string());
    }
    if let Some(a) = any.downcast_ref::<LargeStringArray>() {
        return Some(a.value(row).trim_end().to_string());
    }
    if let Some(a) = any.downcast_ref::<StringViewArray>() {
        return Some(a.value(row).trim_end().to_string());
    }
    None
}

fn is_missing(specs: &[MissingSpec], v: f64) -> bool {
    specs.iter().any(|s| match s {
        MissingSpec::Value(m) => *m == v,
        MissingSpec::Range { lo, hi } => (*lo..=*hi).contains(&v),
        MissingSpec::StringValue(_) => false,
    })
}

/// Reads the file into CSV text (comma-separated, quoted where needed; system-missing is an
/// empty cell) and the value labels per variable.
pub fn read_sav(path: &Path) -> Result<(TextFile, BTreeMap<String, Labels>), ImportError> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| ImportError::file(&name, format!("cannot read: {e}")))?;
    let sha256 = veilig_domain::hex(&Sha256::digest(&bytes));
    let (batch, meta) = ambers::read_sav_from_reader(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::file(&name, format!("not a readable SPSS system file: {e}")))?;
    let mut out = csv::WriterBuilder::new().from_writer(Vec::new());
    let header: Vec<&str> = meta.variable_names.iter().map(String::as_str).collect();
    let csv_error = |e: csv::Error| ImportError::file(&name, format!("cannot convert: {e}"));
    out.write_record(&header).map_err(csv_error)?;
    for row in 0..batch.num_rows() {
        let record: Vec<String> = (0..batch.num_columns())
            .map(|c| cell(batch.column(c).as_ref(), row).unwrap_or_default())
            .collect();
        out.write_record(&record).map_err(csv_error)?;
    }
    let text = String::from_utf8(
        out.into_inner()
            .map_err(|e| ImportError::file(&name, format!("cannot convert: {e}")))?,
    )
    .map_err(|e| ImportError::file(&name, format!("cannot convert: {e}")))?;
    let mut labels = BTreeMap::new();
    for (var, values) in &meta.variable_value_labels {
        let specs = meta
            .variable_missing_values
            .get(var)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut l = Labels::default();
        for (value, label) in values {
            let Value::Numeric(v) = value else { continue };
            let code = number(*v);
            if is_missing(specs, *v) {
                l.missing.insert(code, label.clone());
            } else {
                l.answers.insert(code, label.clone());
            }
        }
        labels.insert(var.clone(), l);
    }
    Ok((
        TextFile {
            name,
            sha256,
            text,
            encoding: "spss",
        },
        labels,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test file was written by ReadStat (pyreadstat), an independent writer.
    #[test]
    fn a_sav_file_reads_with_its_value_labels_and_missing_codes() {
        let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        let path = Path::new(&manifest).join("../../testdata/survey/local-survey-2025.sav");
        assert!(is_sav(&path));
        let (file, labels) = read_sav(&path).unwrap();
        let mut lines = file.text.lines();
        assert_eq!(lines.next(), Some("nr,gemeente,wijk,gewicht,onveilig"));
        assert_eq!(lines.next(), Some("1,13025,MOL-01,12.5,2"));
        assert_eq!(file.text.lines().count(), 13);
        let l = &labels["onveilig"];
        assert_eq!(l.answers.len(), 5);
        assert_eq!(l.answers["4"], "vaak");
        assert_eq!(l.missing["9"], "geen antwoord");
        assert_eq!(file.sha256.len(), 64);
        let bad = std::env::temp_dir().join("veilig-not-spss.sav");
        std::fs::write(&bad, "nr,gemeente\n1,13025\n").unwrap();
        let err = read_sav(&bad).unwrap_err().to_string();
        assert!(err.contains("not a readable SPSS system file"), "{err}");
    }
}
