//! Reading an input file: hash, refuse what is not text, decode, detect the delimiter, and
//! hand out records with their line numbers.

use std::collections::HashMap;
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use sha2::{Digest, Sha256};

use crate::ImportError;

/// A whole input file, decoded to UTF-8 and hashed.
#[derive(Debug)]
pub struct TextFile {
    pub name: String,
    pub sha256: String,
    pub text: String,
    /// The encoding the bytes were read as.
    pub encoding: &'static str,
}

/// How to decode a file: a label (`utf-8`, `windows-1252`, `iso-8859-1`, …) or detection.
pub fn read_text(path: &Path, encoding: Option<&str>) -> Result<TextFile, ImportError> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| ImportError::file(&name, format!("cannot read: {e}")))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ImportError::file(
            &name,
            "this is a binary file (it contains NUL bytes), not a text/CSV/GeoJSON file",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let (text, enc) = match encoding {
        Some(label) => {
            let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                ImportError::file(&name, format!("unknown encoding {label:?} in the mapping"))
            })?;
            let (text, _, had_errors) = enc.decode(bytes);
            if had_errors {
                return Err(ImportError::file(
                    &name,
                    format!("the file is not valid {} text", enc.name()),
                ));
            }
            (text.into_owned(), enc)
        }
        None => match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), UTF_8),
            // Not UTF-8: the Belgian exports that are not UTF-8 are Windows-1252.
            Err(_) => (WINDOWS_1252.decode(bytes).0.into_owned(), WINDOWS_1252),
        },
    };
    let controls = text
        .chars()
        .take(8192)
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if controls > 8 {
        return Err(ImportError::file(
            &name,
            "this looks like a binary file (control characters), not a text file",
        ));
    }
    Ok(TextFile {
        name,
        sha256,
        text,
        encoding: enc.name(),
    })
}

pub use veilig_domain::hex;

/// Picks the delimiter that occurs most in the header line, among `;`, `,`, tab and `|`.
pub fn detect_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut best = (b',', 0);
    for d in [b';', b',', b'\t', b'|'] {
        let n = first.bytes().filter(|&b| b == d).count();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// A CSV file's header: column name → index, names trimmed.
pub struct Header {
    pub names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Header {
    pub fn new(record: &csv::StringRecord) -> Header {
        let names: Vec<String> = record.iter().map(|s| s.trim().to_string()).collect();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        Header { names, index }
    }

    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Fails with one message that lists every required column the file lacks.
    pub fn require(&self, file: &str, required: &[&str]) -> Result<Vec<usize>, ImportError> {
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| self.get(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::file(
                file,
                format!(
                    "missing required column(s) {}; the header has: {}",
                    missing
                        .iter()
                        .map(|m| format!("{m:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    self.names
                        .iter()
                        .map(|m| format!("{m:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(required
            .iter()
            .map(|c| self.get(c).unwrap_or(usize::MAX))
            .collect())
    }
}

/// Opens a CSV reader over decoded text, and its header.
pub fn csv_reader(
    file: &TextFile,
    delimiter: Option<u8>,
) -> Result<(csv::Reader<&[u8]>, Header, u8), ImportError> {
    if file.text.trim().is_empty() {
        return Err(ImportError::file(&file.name, "the file is empty"));
    }
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&file.text));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(file.text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| ImportError::file(&file.name, format!("cannot read the header: {e}")))?;
    let header = Header::new(header);
    Ok((rdr, header, delimiter))
}

/// Physical line numbers from byte offsets. The csv crate counts a CRLF terminator's `\n`
/// only after it has noted where the next record starts, so on CRLF files its line numbers
/// run one low; counting newlines ourselves is right for both endings and for quoted fields
/// that span lines.
pub struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line on which the record starting at `byte` begins (offsets must not
    /// decrease between calls).
    pub fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = (byte as usize).min(self.text.len());
        while target < self.text.len() && matches!(self.text[target], b'\r' | b'\n') {
            target += 1;
        }
        if target > self.byte {
            self.line += self.text[self.byte..target]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = target;
        }
        self.line
    }
}

/// One record, with the accessors that turn a bad field into a [`veilig_domain::Reject`].
pub struct Row<'a> {
    pub line: u64,
    pub record: &'a csv::StringRecord,
    pub header: &'a Header,
    pub delimiter: u8,
}

/// How a reject for a coordinate written with the other decimal mark ends: the importer
/// refuses the whole file on it (the mapping is wrong, not the row).
pub(crate) const WRONG_DECIMAL_MARK: &str = ": set `decimal` in the mapping";

impl Row<'_> {
    pub fn raw(&self) -> String {
        let d = (self.delimiter as char).to_string();
        self.record.iter().collect::<Vec<_>>().join(&d)
    }

    pub fn reject(&self, field: &str, reason: impl Into<String>) -> veilig_domain::Reject {
        veilig_domain::Reject {
            line: self.line,
            field: field.to_string(),
            reason: reason.into(),
            raw: self.raw(),
        }
    }

    /// The trimmed value of a column; `None` when absent or empty.
    pub fn opt(&self, column: &str) -> Option<&str> {
        let i = self.header.get(column)?;
        let v = self.record.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// The trimmed, non-empty value of a required column.
    pub fn req(&self, column: &str) -> Result<&str, veilig_domain::Reject> {
        self.opt(column).ok_or_else(|| self.reject(column, "empty"))
    }

    /// A coordinate pair from columns `x` and `y` with decimal separator `decimal`: both
    /// empty is no location; one empty, or a value that is not a number, is a reject naming
    /// the column.
    pub fn coords(
        &self,
        x: &str,
        y: &str,
        decimal: char,
    ) -> Result<Option<(f64, f64)>, veilig_domain::Reject> {
        let value = |col: &str, v: &str| {
            crate::parse::number(v, decimal).ok_or_else(|| {
                if crate::parse::other_decimal_mark(v, decimal) {
                    let other = if decimal == ',' { '.' } else { ',' };
                    self.reject(
                        col,
                        format!(
                            "{v:?} is written with a decimal {other:?} but the mapping reads numbers with a decimal {decimal:?}{WRONG_DECIMAL_MARK}"
                        ),
                    )
                } else {
                    self.reject(col, format!("{v:?} is not a number"))
                }
            })
        };
        match (self.opt(x), self.opt(y)) {
            (None, None) => Ok(None),
            (Some(xv), Some(yv)) => Ok(Some((value(x, xv)?, value(y, yv)?))),
            (Some(_), None) => Err(self.reject(y, format!("{x} given without {y}"))),
            (None, Some(_)) => Err(self.reject(x, format!("{y} given without {x}"))),
        }
    }

    /// Checks the field count against the header.
    pub fn check_width(&self) -> Result<(), veilig_domain::Reject> {
        let (want, got) = (self.header.names.len(), self.record.len());
        if want != got {
            return Err(self.reject(
                "*",
                format!("expected {want} fields as in the header, found {got}"),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_counter_handles_crlf_lf_and_multiline_fields() {
        for text in ["h\r\na\r\nb\r\n", "h\na\nb\n"] {
            let f = TextFile {
                name: "t".into(),
                sha256: String::new(),
                text: text.into(),
                encoding: "UTF-8",
            };
            let (mut rdr, _, _) = csv_reader(&f, Some(b',')).unwrap();
            let mut lines = LineCounter::new(&f.text);
            let mut rec = csv::StringRecord::new();
            let mut got = vec![];
            while rdr.read_record(&mut rec).unwrap() {
                got.push(lines.line_at(rec.position().unwrap().byte()));
            }
            assert_eq!(got, vec![2, 3], "{text:?}");
        }
        let text = "h,x\n1,\"two\nlines\"\n2,y\n";
        let f = TextFile {
            name: "t".into(),
            sha256: String::new(),
            text: text.into(),
            encoding: "UTF-8",
        };
        let (mut rdr, _, _) = csv_reader(&f, Some(b',')).unwrap();
        let mut lines = LineCounter::new(&f.text);
        let mut rec = csv::StringRecord::new();
        let mut got = vec![];
        while rdr.read_record(&mut rec).unwrap() {
            got.push(lines.line_at(rec.position().unwrap().byte()));
        }
        assert_eq!(got, vec![2, 4]);
    }

    #[test]
    fn encoding_is_detected_when_not_given() {
        let dir = std::env::temp_dir().join(format!("veilig-enc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // "Église;Peña" in Windows-1252: not valid UTF-8, so read as Windows-1252.
        let cp = dir.join("cp1252.csv");
        std::fs::write(&cp, b"straat;naam\n\xc9glise;Pe\xf1a\n").unwrap();
        let f = read_text(&cp, None).unwrap();
        assert_eq!(f.encoding, "windows-1252");
        assert!(f.text.contains("Église;Peña"));
        // UTF-8 with a byte-order mark: the BOM is dropped, so the first column name is clean.
        let bom = dir.join("bom.csv");
        std::fs::write(&bom, "\u{feff}straat;naam\nÉglise;Peña\n").unwrap();
        let f = read_text(&bom, None).unwrap();
        assert_eq!(f.encoding, "UTF-8");
        assert!(f.text.starts_with("straat;"));
        // A label the mapping names must exist.
        assert!(
            read_text(&bom, Some("klingon"))
                .unwrap_err()
                .to_string()
                .contains("unknown encoding")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a,b,c"), b',');
        assert_eq!(detect_delimiter("a\tb"), b'\t');
    }
}
