//! The loop shared by the tabular importers that need no incident pipeline (population,
//! published statistics, calls, staff): read, parse or quarantine, store in one batch.

use veilig_domain::{
    BatchKind, CallForService, ImportSummary, NewIncident, PopulationRecord, Reject, StaffMember,
    StatCount, Zone,
};
use veilig_store::{ImportTx, NewBatch, Store};

use crate::file::{Header, Row, TextFile, csv_reader};
use crate::{ImportError, Progress};

/// A record type the store can take in bulk.
pub trait Storable: Sized {
    const KIND: BatchKind;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send;
}

impl Storable for NewIncident {
    const KIND: BatchKind = BatchKind::Incidents;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_incidents(rows)
    }
}

impl Storable for PopulationRecord {
    const KIND: BatchKind = BatchKind::Population;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_population(rows)
    }
}

impl Storable for StatCount {
    const KIND: BatchKind = BatchKind::StatCounts;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_stat_counts(rows)
    }
}

impl Storable for CallForService {
    const KIND: BatchKind = BatchKind::Calls;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_calls(rows)
    }
}

impl Storable for StaffMember {
    const KIND: BatchKind = BatchKind::Staff;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_staff(rows)
    }
}

impl Storable for veilig_domain::PopulationGroup {
    const KIND: BatchKind = BatchKind::PopulationGroups;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_population_groups(rows)
    }
}

impl Storable for veilig_domain::SurveyResponse {
    const KIND: BatchKind = BatchKind::Survey;
    fn insert(
        tx: &mut ImportTx,
        rows: &[Self],
    ) -> impl std::future::Future<Output = veilig_store::Result<u64>> + Send {
        tx.insert_survey_responses(rows)
    }
}

/// What a tabular format provides to [`import_rows`].
pub struct TableSpec<'a, T> {
    pub source: &'a str,
    pub delimiter: Option<u8>,
    pub mapping: Option<&'a str>,
    pub check_header: &'a dyn Fn(&str, &Header) -> Result<(), ImportError>,
    pub parse: &'a dyn Fn(&Row) -> Result<T, Reject>,
}

pub async fn import_rows<T: Storable>(
    store: &Store,
    zone: &Zone,
    file: &TextFile,
    spec: TableSpec<'_, T>,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let one = |row: &Row| vec![(spec.parse)(row)];
    import_cells(
        store,
        zone,
        file,
        CellSpec {
            source: spec.source,
            delimiter: spec.delimiter,
            mapping: spec.mapping,
            check_header: spec.check_header,
            parse: &one,
        },
        progress,
    )
    .await
}

/// A table whose rows each hold several records (a wide layout: one count per period or
/// category column). Each record is counted, stored or quarantined on its own, so that
/// `rows_read = stored + duplicates + rejected` holds in records.
pub struct CellSpec<'a, T> {
    pub source: &'a str,
    pub delimiter: Option<u8>,
    pub mapping: Option<&'a str>,
    pub check_header: &'a dyn Fn(&str, &Header) -> Result<(), ImportError>,
    pub parse: &'a dyn Fn(&Row) -> Vec<Result<T, Reject>>,
}

/// The loop of [`import_rows`], for rows that give several records each.
pub async fn import_cells<T: Storable>(
    store: &Store,
    zone: &Zone,
    file: &TextFile,
    spec: CellSpec<'_, T>,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let (mut rdr, header, delimiter) = csv_reader(file, spec.delimiter)?;
    (spec.check_header)(&file.name, &header)?;
    let same_content_as = store
        .batch_with_hash(zone.id, spec.source, &file.sha256)
        .await?;
    let mut tx = store
        .begin_import(&NewBatch {
            zone_id: zone.id,
            kind: T::KIND,
            source: spec.source,
            file_name: &file.name,
            sha256: &file.sha256,
            mapping: spec.mapping,
            synthetic: false,
        })
        .await?;
    let mut rows_read = 0u64;
    let mut accepted = 0u64;
    let mut stored = 0u64;
    let mut rejects = Vec::new();
    let mut buffer = Vec::new();
    let mut record = csv::StringRecord::new();
    let total = file.text.len() as u64;
    let mut lines = crate::file::LineCounter::new(&file.text);
    while rdr
        .read_record(&mut record)
        .map_err(|e| ImportError::file(&file.name, format!("unreadable CSV: {e}")))?
    {
        let line = lines.line_at(record.position().map(|p| p.byte()).unwrap_or(0));
        let row = Row {
            line,
            record: &record,
            header: &header,
            delimiter,
        };
        let cells = match row.check_width() {
            Ok(()) => (spec.parse)(&row),
            Err(r) => vec![Err(r)],
        };
        for cell in cells {
            rows_read += 1;
            match cell {
                Ok(v) => {
                    accepted += 1;
                    buffer.push(v);
                }
                Err(r) => rejects.push(r),
            }
        }
        if buffer.len() >= 2000 {
            stored += T::insert(&mut tx, &buffer).await?;
            buffer.clear();
            progress.advance(record.position().map(|p| p.byte()).unwrap_or(0), total);
        }
    }
    stored += T::insert(&mut tx, &buffer).await?;
    tx.insert_rejects(&rejects).await?;
    let rejected = rejects.len() as u64;
    let batch = tx.batch_id();
    tx.finish(rows_read, stored, accepted - stored, rejected)
        .await?;
    progress.advance(total, total);
    Ok(ImportSummary {
        batch,
        kind: T::KIND,
        source: spec.source.to_string(),
        file: file.name.clone(),
        sha256: file.sha256.clone(),
        rows_read,
        stored,
        duplicates: accepted - stored,
        rejected,
        unassigned: 0,
        without_location: 0,
        same_content_as,
    })
}
