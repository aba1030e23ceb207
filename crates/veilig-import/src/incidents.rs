//! The pipeline every incident format feeds: validate, map the category to a phenomenon,
//! project, assign the area, key, and store in one batch.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use veilig_domain::{
    BatchKind, CategoryMap, ImportSummary, NewIncident, PhenomenonDef, Projector, Reject, Zone,
    catalogue::unmapped_code,
};
use veilig_store::{NewBatch, Store};

use crate::assign::AreaIndex;
use crate::file::{Header, Row, TextFile, WRONG_DECIMAL_MARK, csv_reader, read_text};
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
    /// Local phenomena the mapping adds to the zone's catalogue.
    fn phenomena(&self) -> Vec<PhenomenonDef> {
        Vec::new()
    }
}

const CHUNK: usize = 2000;

/// What the parsing thread hands the writer, in file order.
enum Chunk {
    Phenomenon(PhenomenonDef),
    /// Rows, and how far into the file (bytes) they reach.
    Rows(Vec<NewIncident>, u64),
    Done(Tally),
    Failed(ImportError),
}

/// The parser's counts at the end of the file.
#[derive(Default)]
struct Tally {
    rows_read: u64,
    accepted: u64,
    unassigned: u64,
    without_location: u64,
    rejects: Vec<Reject>,
    /// Located rows, and those far from every area (with the first one's line).
    located: u64,
    far: u64,
    first_far: Option<u64>,
}

/// Everything the parser needs, owned, so it can run on its own thread.
struct Parser {
    file: TextFile,
    format: Box<dyn IncidentFormat + Send>,
    source: String,
    projector: Projector,
    areas: AreaIndex,
    categories: CategoryMap,
    known: HashSet<String>,
    /// Local phenomena of the mapping that the zone does not know yet: stored first.
    local: Vec<PhenomenonDef>,
    allow_outside: bool,
}

impl Parser {
    /// Reads the whole file, sending chunks of rows; runs on a blocking thread so parsing
    /// and the database work on both cores.
    fn run(self, out: tokio::sync::mpsc::Sender<Chunk>) {
        let send = |c: Chunk| out.blocking_send(c).is_ok();
        match self.parse(&send) {
            Ok(tally) => {
                send(Chunk::Done(tally));
            }
            Err(e) => {
                send(Chunk::Failed(e));
            }
        }
    }

    fn parse(&self, send: &dyn Fn(Chunk) -> bool) -> Result<Tally, ImportError> {
        let file = &self.file;
        let mut t = Tally::default();
        let mut buffer: Vec<NewIncident> = Vec::with_capacity(CHUNK);
        let mut made: HashSet<String> = HashSet::new();
        for p in &self.local {
            if !send(Chunk::Phenomenon(p.clone())) {
                return Ok(t);
            }
            made.insert(p.code.clone());
        }
        // The source's ids sent so far: a repeated id is a duplicate, sent once (the store's
        // bulk load relies on each key coming once; content keys are unique by their ordinal).
        let mut ids: HashSet<String> = HashSet::new();
        let mut ordinals: HashMap<[u8; 16], u32> = HashMap::new();
        let mut stopped = false;
        let mut wrong_mark: Option<Reject> = None;
        t.rows_read = each_parsed(file, self.format.as_ref(), |row, parsed| {
            let record = row.record;
            let parsed = match parsed {
                Ok(p) => p,
                Err(r) if r.reason.ends_with(WRONG_DECIMAL_MARK) => {
                    wrong_mark = Some(r);
                    return false;
                }
                Err(r) => {
                    t.rejects.push(r);
                    return true;
                }
            };
            let location = match parsed.coords {
                None => None,
                Some((ox, oy)) => match self.projector.locate(ox, oy) {
                    Ok(l) => Some(l),
                    Err(e) => {
                        t.rejects.push(row.reject("coordinates", e.to_string()));
                        return true;
                    }
                },
            };
            let source_key = match &parsed.id {
                Some(id) => id.clone(),
                None => {
                    // Identical rows are distinct events (two cars broken into on one street
                    // in one month): the n-th copy of a content gets ordinal n, so
                    // re-importing the file yields the same keys and stores nothing.
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
            let phenomenon = match self.categories.lookup(&self.source, &parsed.category) {
                Some(p) => p.to_string(),
                None => {
                    let code = unmapped_code(&parsed.category);
                    if !self.known.contains(&code) && made.insert(code.clone()) {
                        let def = PhenomenonDef {
                            code: code.clone(),
                            nl: parsed.category.clone(),
                            fr: parsed.category.clone(),
                            en: parsed.category.clone(),
                            nvp: None,
                            mapped: false,
                        };
                        if !send(Chunk::Phenomenon(def)) {
                            stopped = true;
                            return false;
                        }
                    }
                    code
                }
            };
            let area_id = match location {
                Some(l) => {
                    t.located += 1;
                    if !self.areas.near(l.x, l.y) {
                        t.far += 1;
                        t.first_far.get_or_insert(row.line);
                    }
                    let a = self.areas.locate(l.x, l.y);
                    t.unassigned += u64::from(a.is_none());
                    a
                }
                None => {
                    t.without_location += 1;
                    parsed
                        .source_area
                        .as_deref()
                        .and_then(|c| self.areas.by_code(c))
                }
            };
            t.accepted += 1;
            if parsed.id.is_some() && !ids.insert(source_key.clone()) {
                return true; // counted as a duplicate: accepted, not stored
            }
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
                let full = std::mem::replace(&mut buffer, Vec::with_capacity(CHUNK));
                if !send(Chunk::Rows(
                    full,
                    record.position().map(|p| p.byte()).unwrap_or(0),
                )) {
                    stopped = true; // the writer stopped; it reports why
                    return false;
                }
            }
            true
        })?;
        if let Some(r) = wrong_mark {
            return Err(ImportError::file(
                &file.name,
                format!(
                    "line {}, field {}: {}; nothing was stored",
                    r.line, r.field, r.reason
                ),
            ));
        }
        // Most points far from every area: a mapping error (the CRS, the decimal mark),
        // not a few stray incidents.
        if !self.allow_outside && t.far * 2 > t.located {
            return Err(ImportError::file(
                &file.name,
                format!(
                    "{} of {} located rows lie far outside the zone's areas (the first on line {}): check the coordinate columns' crs and decimal mark in the mapping, or import anyway with --allow-outside; nothing was stored",
                    t.far,
                    t.located,
                    t.first_far.unwrap_or(0)
                ),
            ));
        }
        if !stopped {
            send(Chunk::Rows(buffer, file.text.len() as u64));
        }
        Ok(t)
    }
}

/// Reads every record of `file` through `format`: the width check, the format's parse and
/// the occurrence-window check, each row handed to `f` with its line number. `f` returns
/// false to stop. Returns the number of rows read.
pub fn each_parsed(
    file: &TextFile,
    format: &(dyn IncidentFormat + Send),
    mut f: impl FnMut(&Row, Result<Parsed, Reject>) -> bool,
) -> Result<u64, ImportError> {
    let (mut rdr, header, delimiter) = csv_reader(file, format.delimiter())?;
    let mut record = csv::StringRecord::new();
    let mut lines = crate::file::LineCounter::new(&file.text);
    let mut rows = 0u64;
    while rdr.read_record(&mut record).map_err(|e| {
        ImportError::file(
            &file.name,
            format!(
                "unreadable CSV near line {}: {e}",
                e.position().map(|p| p.line()).unwrap_or(0)
            ),
        )
    })? {
        rows += 1;
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
        if !f(&row, parsed) {
            break;
        }
    }
    Ok(rows)
}

/// Imports one incident file into `zone` as one batch.
pub async fn import_incidents(
    store: &Store,
    zone: &Zone,
    format: Box<dyn IncidentFormat + Send>,
    path: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let name = path.display().to_string();
    import_incidents_as(store, zone, format, path, &name, progress).await
}

/// As [`import_incidents`], with the file known (in the batch and in every message) by
/// `name` rather than its path: a browser upload is kept under a temporary path that means
/// nothing to the analyst.
pub async fn import_incidents_as(
    store: &Store,
    zone: &Zone,
    format: Box<dyn IncidentFormat + Send>,
    path: &Path,
    name: &str,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let opts = IncidentOptions::default();
    import_incidents_with(store, zone, format, path, name, &opts, progress).await
}

/// What an analyst may allow an incident import that it would otherwise refuse.
#[derive(Debug, Clone, Default)]
pub struct IncidentOptions {
    /// Store the file even when most of its points lie far from the zone's areas.
    pub allow_outside: bool,
}

/// As [`import_incidents_as`], with options.
pub async fn import_incidents_with(
    store: &Store,
    zone: &Zone,
    format: Box<dyn IncidentFormat + Send>,
    path: &Path,
    name: &str,
    opts: &IncidentOptions,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let mut file = read_text(path, format.encoding())?;
    file.name = name.to_string();
    let mut format = format;
    let (_, header, _) = csv_reader(&file, format.delimiter())?;
    format.check_header(&file.name, &header)?;
    let source = format.source().to_string();
    let projector = Projector::new(format.crs(), zone.crs)
        .map_err(|e| ImportError::file(&file.name, e.to_string()))?;
    let mut known: HashSet<String> = store
        .phenomena(zone.id)
        .await?
        .into_iter()
        .map(|p| p.code)
        .collect();
    // Local phenomena the mapping adds (stored with the batch, in its transaction).
    let local: Vec<PhenomenonDef> = format
        .phenomena()
        .into_iter()
        .filter(|p| !known.contains(&p.code))
        .collect();
    known.extend(local.iter().map(|p| p.code.clone()));
    let mut categories = store.category_map(zone.id).await?;
    for (cat, phen) in format.categories() {
        if !known.contains(&phen) {
            return Err(ImportError::file(
                &file.name,
                format!(
                    "the mapping files {cat:?} under {phen:?}, which is not a phenomenon of zone {}",
                    zone.code.as_str()
                ),
            ));
        }
        categories.insert(&source, &cat, &phen);
    }
    let same_content_as = store
        .batch_with_hash(zone.id, &source, &file.sha256)
        .await?;
    let mut tx = store
        .begin_import(&NewBatch {
            zone_id: zone.id,
            kind: BatchKind::Incidents,
            source: &source,
            file_name: &file.name,
            sha256: &file.sha256,
            mapping: format.mapping_text().as_deref(),
            synthetic: false,
        })
        .await?;
    let (name, sha256, total) = (
        file.name.clone(),
        file.sha256.clone(),
        file.text.len() as u64,
    );
    let parser = Parser {
        file,
        format,
        source: source.clone(),
        projector,
        areas: AreaIndex::new(store.areas(zone.id).await?),
        categories,
        known,
        local,
        allow_outside: opts.allow_outside,
    };
    let (to_writer, mut chunks) = tokio::sync::mpsc::channel::<Chunk>(4);
    let parsing = tokio::task::spawn_blocking(move || parser.run(to_writer));

    let mut stored = 0u64;
    let mut tally = None;
    let mut first_rows = true;
    // On an error the transaction is dropped (rolled back) and the parser, finding the
    // channel closed, stops.
    while let Some(chunk) = chunks.recv().await {
        match chunk {
            Chunk::Phenomenon(p) => tx.ensure_phenomenon(&p).await?,
            Chunk::Rows(rows, reached) => {
                if first_rows {
                    // The batch's size, estimated from how far into the file its first
                    // rows reach, decides whether a bulk load pays.
                    first_rows = false;
                    let expected = (rows.len() as u64)
                        .saturating_mul(total)
                        .checked_div(reached)
                        .unwrap_or(rows.len() as u64);
                    tx.bulk_load(expected).await?;
                }
                stored += tx.insert_incidents(&rows).await?;
                progress.advance(reached, total);
            }
            Chunk::Done(t) => tally = Some(t),
            Chunk::Failed(e) => return Err(e),
        }
    }
    parsing
        .await
        .map_err(|e| ImportError::file(&name, format!("the parser stopped: {e}")))?;
    let t = tally
        .ok_or_else(|| ImportError::file(&name, "the parser stopped before the end of the file"))?;
    tx.insert_rejects(&t.rejects).await?;
    let rejected = t.rejects.len() as u64;
    let duplicates = t.accepted - stored;
    let batch = tx.batch_id();
    tx.finish(t.rows_read, stored, duplicates, rejected).await?;
    progress.advance(total, total);
    Ok(ImportSummary {
        batch,
        kind: BatchKind::Incidents,
        source,
        file: name,
        sha256,
        rows_read: t.rows_read,
        stored,
        duplicates,
        rejected,
        unassigned: t.unassigned,
        without_location: t.without_location,
        same_content_as,
    })
}
