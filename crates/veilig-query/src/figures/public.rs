//! The public table: a phenomenon per row over the zone's municipalities (and the incidents
//! in no wijk), aggregated only; read from the protected tables under the rules' protection,
//! suppressed table by table without it.

use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;
use veilig_analysis::{Period, Verdict};
use veilig_disclosure::lines::suppress_lines;
use veilig_disclosure::{PubPeriod, Status};

use super::{Access, Detail, Source, ZoneFigures, source};

/// One row of the public page: a phenomenon over the zone's municipalities.
#[derive(Debug, Clone, Serialize)]
pub struct PublicRow {
    pub code: String,
    pub name_nl: String,
    pub name_fr: String,
    pub name_en: String,
    pub total: Option<u64>,
    pub total_status: Status,
    pub previous: Option<u64>,
    pub previous_status: Status,
    pub verdict: Verdict,
    /// One per municipality, then the incidents not placed in any area.
    pub cells: Vec<Option<u64>>,
    /// Why each cell is missing (or "shown").
    pub cell_status: Vec<Status>,
}

/// The public page: aggregated only, every count under the threshold suppressed, and
/// secondary suppression so that no total reveals a suppressed cell.
#[derive(Debug, Clone, Serialize)]
pub struct Public {
    pub source: Source,
    /// NIS code and Dutch name of each column.
    pub municipalities: Vec<(String, String)>,
    /// Whether the cells end with a "not located" column (left out when it is zero in
    /// every row: a column known to be empty protects nothing and would force a municipality
    /// into secondary suppression in every row).
    pub not_located_column: bool,
    pub rows: Vec<PublicRow>,
}

impl ZoneFigures<'_> {
    /// The public table of the zone over the period (a calendar year under the rules'
    /// protection; any period, suppressed table by table, without it).
    pub async fn public(&self, period: Period) -> Result<Arc<Public>> {
        if self.rules.protection {
            let p = PubPeriod::of(period.start, period.end).ok_or_else(|| {
                anyhow::anyhow!("{period:?} is not a publication period of the public table")
            })?;
            return self.published_public(p).await;
        }
        let (store, zone, threshold) = (self.store, self.zone, self.rules.threshold);
        let key = format!("public:{}:{}", period.start, period.end);
        self.cached(&key, async {
            let municipalities: Vec<(String, String)> = store
                .municipalities(zone.id)
                .await?
                .into_iter()
                .map(|m| (m.nis.as_str().to_string(), m.name_nl))
                .collect();
            let details = self.all_details(period, &Access::Full).await?;
            let placed_in_area = |d: &Detail| -> u64 {
                d.picture
                    .municipalities
                    .iter()
                    .filter(|m| municipalities.iter().any(|(nis, _)| nis == &m.code))
                    .map(|m| m.count)
                    .sum()
            };
            let not_located_column = details.iter().any(|d| d.picture.count > placed_in_area(d));
            let ncols = municipalities.len() + usize::from(not_located_column);
            let mut values = Vec::new();
            for d in &details {
                let mut placed = 0;
                for (nis, _) in &municipalities {
                    let n = d
                        .picture
                        .municipalities
                        .iter()
                        .find(|m| &m.code == nis)
                        .map(|m| m.count)
                        .unwrap_or(0);
                    placed += n;
                    values.push(n);
                }
                if not_located_column {
                    values.push(d.picture.count.saturating_sub(placed));
                }
            }
            let lines: Vec<Vec<usize>> = (0..details.len())
                .map(|r| (0..ncols).map(|c| r * ncols + c).collect())
                .collect();
            let (hidden, totals_hidden) = suppress_lines(&values, &lines, threshold);
            let rows = details
                .iter()
                .enumerate()
                .map(|(r, d)| {
                    let c = &d.picture.comparison.comparison;
                    let cells: Vec<Option<u64>> = (0..ncols)
                        .map(|k| (!hidden[r * ncols + k]).then_some(values[r * ncols + k]))
                        .collect();
                    let previous = (c.baseline_events >= threshold).then_some(c.baseline_events);
                    let total = (!totals_hidden[r]).then_some(d.picture.count);
                    PublicRow {
                        code: d.def.code.clone(),
                        name_nl: d.def.nl.clone(),
                        name_fr: d.def.fr.clone(),
                        name_en: d.def.en.clone(),
                        total,
                        total_status: Status::of(total.is_none(), d.picture.count, threshold),
                        previous,
                        previous_status: Status::of(
                            previous.is_none(),
                            c.baseline_events,
                            threshold,
                        ),
                        verdict: c.verdict,
                        cell_status: (0..ncols)
                            .map(|k| {
                                Status::of(cells[k].is_none(), values[r * ncols + k], threshold)
                            })
                            .collect(),
                        cells,
                    }
                })
                .collect();
            let refs: Vec<&Detail> = details.iter().map(|d| d.as_ref()).collect();
            Ok(Public {
                source: source(zone, &refs, period, &Access::Aggregate, self.rules),
                municipalities,
                not_located_column,
                rows,
            })
        })
        .await
    }
}
