//! Reads the store into the protected tables of disclosure control: one phenomenon's
//! calendar year, counted by wijk and month, suppressed by `veilig_disclosure`. The web
//! publishes from these; `veilig disclosure table` shows them to the analyst.

use anyhow::Result;
use chrono::NaiveDate;
use veilig_disclosure::{
    Layout, ProtectedYear, Rules, YearCounts, last_complete_month_end, protect_year,
};
use veilig_domain::{Area, Zone};
use veilig_store::Store;

use crate::{Selection, load};

/// What decides the shape of every year's table of a zone.
#[derive(Debug, Clone, Copy)]
pub struct PublicationContext {
    /// The last day of the last month whose data is complete (None without incidents).
    pub complete_through: Option<NaiveDate>,
    /// Whether the zone has incidents in no wijk (then every table has a cell for them).
    pub not_located: bool,
}

pub async fn publication_context(store: &Store, zone: &Zone) -> Result<PublicationContext> {
    let last = store.last_incident_day(zone.id).await?;
    let s = store.status(zone).await?;
    Ok(PublicationContext {
        complete_through: last.map(last_complete_month_end),
        not_located: s.unassigned + s.without_location > 0,
    })
}

/// One phenomenon's protected year, the geography it was built on and the wijken in the
/// layout's order.
pub struct YearTable {
    pub table: ProtectedYear,
    pub layout: Layout,
    pub areas: Vec<Area>,
}

/// The protected table of `phenomenon` (a code) in `year`.
pub async fn year_table(
    store: &Store,
    zone: &Zone,
    phenomenon: &str,
    year: i32,
    ctx: &PublicationContext,
    rules: &Rules,
) -> Result<YearTable> {
    let loaded = load(
        store,
        &Selection {
            phenomenon: phenomenon.to_string(),
            zone: Some(zone.code.as_str().to_string()),
            area: None,
            from: NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
            to: NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
        },
        serde_json::json!({"disclosure": rules}),
    )
    .await?;
    let mut layout = Layout::new(
        loaded
            .areas
            .iter()
            .map(|a| (a.id, a.municipality_nis.as_deref())),
    );
    layout.not_located = ctx.not_located;
    let counts = YearCounts::count(
        year,
        &layout,
        loaded.events.iter().map(|e| (e.date(), e.area)),
    );
    let through = ctx.complete_through.unwrap_or(NaiveDate::MIN);
    Ok(YearTable {
        table: protect_year(year, &layout, &counts, through, rules),
        layout,
        areas: loaded.areas,
    })
}
