//! Population survey microdata (CSV; delimiter, encoding and decimal comma detected as for
//! incidents) read through a TOML codebook (`veilig_survey::Codebook`): one batch, atomic and
//! idempotent (a respondent already stored for its wave is a duplicate), every row that
//! cannot be read quarantined with its line, field and reason: an answer code the codebook
//! does not know, a weight that is not positive, a municipality or wijk outside the zone.
//! The codebook's text is kept with the batch.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use veilig_domain::{ImportSummary, SurveyResponse, Zone};
use veilig_store::Store;
use veilig_survey::{Answer, Codebook};

use crate::file::{Row, read_text};
use crate::parse::number;
use crate::rows::{TableSpec, import_rows};
use crate::{ImportError, Progress};

/// Refuses a file in which a stratum of a wave has a single primary sampling unit (cluster,
/// or respondent when there are no clusters) among the rows that will be stored: its
/// variance cannot be estimated, so the strata must be merged before the wave is stored.
/// Names the file, the line of that unit and the strata column; nothing is stored.
fn lonely_psu(
    file: &crate::file::TextFile,
    book: &Codebook,
    parse: &dyn Fn(&Row) -> Result<SurveyResponse, veilig_domain::Reject>,
) -> Result<(), ImportError> {
    let Some(strata_col) = &book.design.strata else {
        return Ok(());
    };
    let (mut rdr, header, delimiter) = crate::file::csv_reader(file, None)?;
    let mut lines = crate::file::LineCounter::new(&file.text);
    // (wave, stratum) → distinct PSUs and the line of the first.
    let mut psus: BTreeMap<(String, String), (HashSet<String>, u64)> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
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
        let Ok(r) = row.check_width().and_then(|_| parse(&row)) else {
            continue; // quarantined by the import itself
        };
        let psu = r.cluster.clone().unwrap_or_else(|| r.respondent.clone());
        let e = psus
            .entry((r.wave.clone(), r.stratum.clone().unwrap_or_default()))
            .or_insert_with(|| (HashSet::new(), line));
        e.0.insert(psu);
    }
    if let Some(((wave, stratum), (_, line))) = psus.iter().find(|(_, (p, _))| p.len() < 2) {
        return Err(ImportError::file(
            &file.name,
            format!(
                "line {line}, field {strata_col}: stratum {stratum:?} of wave {wave} has a single primary sampling unit, so its variance cannot be estimated; merge it with a neighbouring stratum"
            ),
        ));
    }
    Ok(())
}

pub async fn import_survey(
    store: &Store,
    zone: &Zone,
    path: &Path,
    codebook_path: &Path,
    progress: &dyn Progress,
) -> Result<ImportSummary, ImportError> {
    let book_name = codebook_path.display().to_string();
    let book_text = std::fs::read_to_string(codebook_path)
        .map_err(|e| ImportError::file(&book_name, format!("cannot read: {e}")))?;
    let mut book =
        Codebook::read(&book_text, &book_name).map_err(|e| ImportError::file(&book_name, e))?;
    let (file, book_text) = if crate::sav::is_sav(path) {
        // SPSS: the file's value labels become the answers the codebook leaves out, and the
        // codebook kept with the batch holds them.
        let (file, labels) = crate::sav::read_sav(path)?;
        let filled = book.fill_answers(|column| {
            labels
                .get(column)
                .filter(|l| !l.answers.is_empty())
                .map(|l| (l.answers.clone(), l.missing.clone()))
        });
        let text = if filled {
            toml::to_string(&book).map_err(|e| ImportError::file(&book_name, e.to_string()))?
        } else {
            book_text
        };
        (file, text)
    } else {
        (read_text(path, None)?, book_text)
    };
    book.check(&book_name)
        .map_err(|e| ImportError::file(&book_name, e))?;
    let municipalities: HashSet<String> = store
        .municipalities(zone.id)
        .await?
        .into_iter()
        .map(|m| m.nis.as_str().to_string())
        .collect();
    let areas: HashSet<String> = store
        .areas(zone.id)
        .await?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let d = &book.design;
    let mut columns: Vec<&str> = vec![book.respondent.as_str(), book.municipality.as_str()];
    columns.extend(book.wave.as_deref());
    columns.extend(book.area.as_deref());
    for c in [
        &d.weights,
        &d.strata,
        &d.clusters,
        &d.fpc,
        &d.sex,
        &d.age_band,
    ] {
        columns.extend(c.as_deref());
    }
    columns.extend(book.question.iter().map(|q| q.column.as_str()));
    let check = |name: &str, h: &crate::file::Header| h.require(name, &columns).map(|_| ());
    let positive = |row: &Row, col: &str| -> Result<f64, veilig_domain::Reject> {
        let v = row.req(col)?;
        number(v, '.')
            .or_else(|| number(v, ','))
            .filter(|x| *x > 0.0 && x.is_finite())
            .ok_or_else(|| row.reject(col, format!("{v:?} is not a positive number")))
    };
    let text =
        |row: &Row, col: &Option<String>| col.as_deref().and_then(|c| row.opt(c)).map(String::from);
    let parse = |row: &Row| {
        let respondent = row.req(&book.respondent)?.to_string();
        let wave = match (&book.wave, &book.wave_value) {
            (Some(c), _) => row.req(c)?.to_string(),
            (None, Some(v)) => v.clone(),
            (None, None) => unreachable!("the codebook names a wave"),
        };
        let municipality = row.req(&book.municipality)?.to_string();
        if !municipalities.contains(&municipality) {
            return Err(row.reject(
                &book.municipality,
                format!(
                    "{municipality:?} is not a municipality of zone {}",
                    zone.code.as_str()
                ),
            ));
        }
        let area_code = text(row, &book.area);
        if let (Some(a), Some(col)) = (&area_code, &book.area)
            && !areas.contains(a)
        {
            return Err(row.reject(
                col,
                format!("{a:?} is not a wijk of zone {}", zone.code.as_str()),
            ));
        }
        let weight = match &d.weights {
            Some(c) => positive(row, c)?,
            None => 1.0,
        };
        let fpc = match &d.fpc {
            Some(c) => Some(positive(row, c)?),
            None => None,
        };
        let mut answers = BTreeMap::new();
        for q in &book.question {
            let cell = row.opt(&q.column).unwrap_or("");
            let a = q.read(cell).map_err(|e| row.reject(&q.column, e))?;
            answers.insert(
                q.code.clone(),
                match a {
                    Answer::Code(c) => Some(c),
                    Answer::Missing => None,
                },
            );
        }
        Ok(SurveyResponse {
            survey: book.survey.clone(),
            wave,
            respondent,
            municipality: Some(municipality),
            area_code,
            stratum: text(row, &d.strata),
            cluster: text(row, &d.clusters),
            weight,
            fpc,
            sex: text(row, &d.sex),
            age_band: text(row, &d.age_band),
            answers,
            synthetic: false,
        })
    };
    lonely_psu(&file, &book, &parse)?;
    import_rows(
        store,
        zone,
        &file,
        TableSpec {
            source: &book.survey,
            delimiter: None,
            mapping: Some(&book_text),
            check_header: &check,
            parse: &parse,
        },
        progress,
    )
    .await
}
