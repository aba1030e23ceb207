//! One phenomenon-year's protected table as the analyst inspects it before it leaves the
//! zone: every cell with its true value and whether it is shown or hidden, and the audit of
//! what could be derived from the shown cells.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use serde::Serialize;
use veilig_disclosure::{Rules, Unit};
use veilig_domain::Zone;
use veilig_store::Store;

use super::{publication_context, year_table};

/// One cell: its level (`zone`, `municipality`, `wijk`, `not-located`), unit, period, value
/// and status.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    pub level: &'static str,
    pub unit: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub value: u64,
    pub status: veilig_disclosure::Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableReport {
    pub zone: String,
    #[serde(skip)]
    pub synthetic: bool,
    pub phenomenon: String,
    pub year: i32,
    pub complete_through: Option<NaiveDate>,
    pub disclosure: Rules,
    pub cells: Vec<CellView>,
    /// How many hidden cells the shown ones give away (0 when the protection holds).
    pub derivable: usize,
}

/// The protected table of `phenomenon` in `year` as it would be published now, alone.
pub async fn table_report(
    store: &Store,
    z: &Zone,
    phenomenon: &str,
    year: i32,
    rules: &Rules,
) -> Result<TableReport> {
    if !store
        .phenomena(z.id)
        .await?
        .iter()
        .any(|p| p.code == phenomenon)
    {
        bail!(
            "zone {} has no phenomenon {phenomenon:?}; `veilig status` lists them",
            z.code.as_str()
        );
    }
    let ctx = publication_context(store, z).await?;
    let t = year_table(store, z, phenomenon, year, &ctx, rules).await?;
    let unit = |u: Unit| -> String {
        match u {
            Unit::Zone => z.code.as_str().to_string(),
            Unit::Municipality(m) => t.layout.municipalities[m].clone(),
            Unit::Area(a) => t.areas[a].code.clone(),
            Unit::NotLocated => "not-located".into(),
        }
    };
    let level = |u: Unit| match u {
        Unit::Zone => "zone",
        Unit::Municipality(_) => "municipality",
        Unit::Area(_) => "wijk",
        Unit::NotLocated => "not-located",
    };
    let cells = t
        .table
        .cells
        .iter()
        .map(|c| CellView {
            level: level(c.unit),
            unit: unit(c.unit),
            start: c.period.start(),
            end: c.period.end(),
            value: c.value,
            status: c.status,
        })
        .collect();
    Ok(TableReport {
        zone: z.code.as_str().to_string(),
        synthetic: z.synthetic,
        phenomenon: phenomenon.to_string(),
        year,
        complete_through: ctx.complete_through,
        disclosure: rules.clone(),
        cells,
        derivable: t.table.derivable(rules.threshold).len(),
    })
}
