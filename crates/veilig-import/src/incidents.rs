//! The pipeline every incident format feeds: validate, map the category to a phenomenon,
//! project, assign the area, key, and store in one batch.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use veilig_domain::{
    BatchKind, ImportSummary, Location, NewIncident, PhenomenonDef, Projector, Reject, Zone,
    catalogue::unmapped_code,
};
use veilig_store::Store;

use crate::assign::AreaIndex;
use crate::file::{Header, Row, TextFile, csv_reader, read_text};
use crate::{ImportError, Progress};

/// What a format extracts from one row, before the pipeline's common work.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The source's own id, when it has one. Without it the row's content is the key.
    pub id: Option<String>,
    pub category: String,
    pub occurred_from: NaiveDateTime,
    pub occurred_to: NaiveDateTime,
    pub reported_at: Option<NaiveDateTime>,
    /// In the format's CRS; `None` when the row has no location.
    pub coords: Option<(f64, f64)>,
    pub address: Option<String>,
    /// The source's own area label, if it has one.
    pub source_area: Option<String>,
    pub premises: Option<String>,
    pub outcome: Option<String>,
}

/// One incident file format.
pub trait IncidentFormat {
    /// Stored with every incident; keys are unique per (zone, source).
    fn source(&self) -> &str;
    /// EPSG code of the coordinates the format yields.
    fn crs(&self) -> i32;
    /// Forced encoding and delimiter, if the format fixes them.
    fn encoding(&self) -> Option<&str> {
        None
    }
    fn delimiter(&self) -> Option<u8> {
        None
    }
    /// Checks the header (missing columns are a file error, not row rejects).
    fn check_header(&mut self, file: &str, header: &Header) -> Result<(), ImportError>;
    fn parse(&self, row: &Row) -> Result<Parsed, Reject>;
    /// Extra (source, category) → phenomenon entries the format brings (a mapping file's).
    fn categories(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// The mapping text to record with the batch.
    fn mapping_text(&self) -> Option<String> {
        None
    }
}

const CHUNK: usize = 2000;

/// Imports one incident file into `zone` as one batch.
pub async fn import_incidents(
    store: &Store,
    zone: &Zone,
    format: &mut dyn IncidentFormat,
    path: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let file = read_text(path, format.encoding())?;
    import_incidents_text(store, zone, format, &file, progress).await
}

pub(crate) async fn import_incidents_text(
    store: &Store,
    zone: &Zone,
    format: &mut dyn IncidentFormat,
    file: &TextFile,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let (mut rdr, header, delimiter) = csv_reader(file, format.delimiter())?;
    format.check_header(&file.name, &header)?;
    let source = format.source().to_string();
    let projector = Projector::new(format.crs(), zone.crs)
        .map_err(|e| ImportError::file(&file.name, e.to_string()))?;
    let areas = AreaIndex::new(store.areas(zone.id).await?);
    let mut categories = store.category_map(zone.id).await?;
    for (cat, phen) in format.categories() {
        categories.insert(&source, &cat, &phen);
    }
    let known: HashSet<String> = store
        .phenomena(zone.id)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    let same_content_as = store
        .batch_with_hash(zone.id, &source, &file.sha256)
        .await?;

    let mut tx = store
        .begin_import(
            zone.id,
            BatchKind::Incidents,
            &source,
            &file.name,
            &file.sha256,
            format.mapping_text().as_deref(),
            false,
        )
        .await?;
    let total_bytes = file.text.len() as u64;
    let mut rows_read = 0u64;
    let mut stored = 0u64;
    let mut accepted = 0u64;
    let mut unassigned = 0u64;
    let mut without_location = 0u64;
    let mut rejects: Vec<Reject> = Vec::new();
    let mut buffer: Vec<NewIncident> = Vec::with_capacity(CHUNK);
    let mut made: HashSet<String> = HashSet::new();
    let mut ordinals: HashMap<[u8; 16], u32> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut lines = crate::file::LineCounter::new(&file.text);

    loop {
        let more = rdr.read_record(&mut record).map_err(|e| {
            ImportError::file(
                &file.name,
                format!(
                    "unreadable CSV near line {}: {e}",
                    e.position().map(|p| p.line()).unwrap_or(0)
                ),
            )
        })?;
        if !more {
            break;
        }
        rows_read += 1;
        let line = lines.line_at(record.position().map(|p| p.byte()).unwrap_or(0));
        let row = Row {
            line,
            record: &record,
            header: &header,
            delimiter,
        };
        let parsed = row
            .check_width()
            .and_then(|_| format.parse(&row))
            .and_then(|p| {
                if p.occurred_to < p.occurred_from {
                    Err(row.reject(
                        "occurred_to",
                        "the end of the occurrence window lies before its start",
                    ))
                } else {
                    Ok(p)
                }
            });
        let parsed = match parsed {
            Ok(p) => p,
            Err(r) => {
                rejects.push(r);
                continue;
            }
        };
        let location = match parsed.coords {
            None => None,
            Some((ox, oy)) => match projector.project(ox, oy) {
                Ok((x, y)) => Some(Location {
                    x,
                    y,
                    orig_x: ox,
                    orig_y: oy,
                    orig_crs: projector.from_epsg(),
                }),
                Err(e) => {
                    rejects.push(row.reject("coordinates", e.to_string()));
                    continue;
                }
            },
        };
        let source_key = match &parsed.id {
            Some(id) => id.clone(),
            None => {
                // Identical rows are distinct events (two cars broken into on one street in
                // one month): the n-th copy of a content gets ordinal n, so re-importing the
                // file yields the same keys and stores nothing.
                let mut h = Sha256::new();
                for f in record.iter() {
                    h.update(f.trim().as_bytes());
                    h.update([0x1f]);
                }
                let digest = h.finalize();
                let mut k = [0u8; 16];
                k.copy_from_slice(&digest[..16]);
                let n = ordinals.entry(k).or_insert(0);
                *n += 1;
                format!("row:{}:{}", crate::file::hex(&k), n)
            }
        };
        let phenomenon = match categories.lookup(&source, &parsed.category) {
            Some(p) => p.to_string(),
            None => {
                let code = unmapped_code(&parsed.category);
                if !known.contains(&code) && made.insert(code.clone()) {
                    tx.ensure_phenomenon(&PhenomenonDef {
                        code: code.clone(),
                        nl: parsed.category.clone(),
                        fr: parsed.category.clone(),
                        en: parsed.category.clone(),
                        nvp: None,
                        mapped: false,
                    })
                    .await?;
                }
                code
            }
        };
        let area_id = match location {
            Some(l) => {
                let a = areas.locate(l.x, l.y);
                if a.is_none() {
                    unassigned += 1;
                }
                a
            }
            None => {
                without_location += 1;
                parsed.source_area.as_deref().and_then(|c| areas.by_code(c))
            }
        };
        accepted += 1;
        buffer.push(NewIncident {
            source_key,
            category: parsed.category,
            phenomenon,
            occurred_from: parsed.occurred_from,
            occurred_to: parsed.occurred_to,
            reported_at: parsed.reported_at,
            location,
            address: parsed.address,
            source_area: parsed.source_area,
            area_id,
            premises: parsed.premises,
            outcome: parsed.outcome,
            synthetic: false,
        });
        if buffer.len() >= CHUNK {
            stored += tx.insert_incidents(&buffer).await?;
            buffer.clear();
            progress.advance(
                record.position().map(|p| p.byte()).unwrap_or(0),
                total_bytes,
            );
        }
    }
    stored += tx.insert_incidents(&buffer).await?;
    tx.insert_rejects(&rejects).await?;
    let rejected = rejects.len() as u64;
    let duplicates = accepted - stored;
    let batch = tx.batch_id();
    tx.finish(rows_read, stored, duplicates, rejected).await?;
    progress.advance(total_bytes, total_bytes);
    Ok(ImportSummary {
        batch,
        kind: BatchKind::Incidents,
        source,
        file: file.name.clone(),
        sha256: file.sha256.clone(),
        rows_read,
        stored,
        duplicates,
        rejected,
        unassigned,
        without_location,
        same_content_as,
    })
}
