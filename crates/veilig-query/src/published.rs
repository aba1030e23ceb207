//! Figures under disclosure control, as they leave the zone (council, partner, public, open
//! data, public reports). Every such figure is read from the protected table of its
//! phenomenon and calendar year (`veilig_disclosure::year`): one phenomenon's calendar year,
//! counted by wijk and month, suppressed by `veilig_disclosure`. Everything shown beside it
//! (change, verdict, trend, rates) is computed from shown figures only, so that no page,
//! answer, download or report gives back a hidden count, alone or combined with any other.
//! Requests for other periods are refused: see
//! [`ZoneFigures::publication_period`](crate::figures::ZoneFigures::publication_period).

use std::sync::Arc;

use anyhow::{Result, anyhow};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use veilig_analysis::compare::compare;
use veilig_analysis::trend::poisson_trend;
use veilig_analysis::{Period, TestRules, Verdict};
use veilig_disclosure::{
    Figure, Layout, PeriodKind, ProtectedYear, PubPeriod, Rules, Status, Unit, YearCounts,
    last_complete_month_end, protect_year,
};
use veilig_domain::{Area, PhenomenonDef, Zone};
use veilig_store::Store;

use crate::figures::{Access, AreaFigures, Detail, PhenomenonFigures, Public, PublicRow};
use crate::{Selection, load};

mod periods;
pub mod release;
mod table_report;

use release::release_with;
pub use release::{ReleaseKind, Released, fingerprint, history, release, release_due};
pub use table_report::{CellView, TableReport, table_report};

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
    Ok(PublicationContext {
        complete_through: last.map(last_complete_month_end),
        not_located: store.incidents_in_no_area(zone.id).await? > 0,
    })
}

/// One phenomenon's protected year and the zone's wijken (the layout's areas are matched
/// to them by id).
pub struct YearTable {
    pub table: ProtectedYear,
    pub layout: Layout,
    pub areas: Vec<Area>,
}

/// The counts of `phenomenon` (a code) in `year` by wijk and month, on the zone's layout of
/// the moment, with the wijken.
pub(crate) async fn fresh_counts(
    store: &Store,
    zone: &Zone,
    phenomenon: &str,
    year: i32,
    ctx: &PublicationContext,
) -> Result<(Layout, YearCounts, Vec<Area>)> {
    let loaded = load(
        store,
        &Selection {
            phenomenon: phenomenon.to_string(),
            zone: Some(zone.code.as_str().to_string()),
            area: None,
            from: NaiveDate::from_ymd_opt(year, 1, 1).expect("date"),
            to: NaiveDate::from_ymd_opt(year, 12, 31).expect("date"),
        },
        serde_json::json!({}),
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
    Ok((layout, counts, loaded.areas))
}

/// The table `phenomenon` (a code) in `year` would be published as now, alone (the
/// analyst's preview, `veilig disclosure table`; what leaves the zone is the release).
pub async fn year_table(
    store: &Store,
    zone: &Zone,
    phenomenon: &str,
    year: i32,
    ctx: &PublicationContext,
    rules: &Rules,
) -> Result<YearTable> {
    let (layout, counts, areas) = fresh_counts(store, zone, phenomenon, year, ctx).await?;
    let through = ctx.complete_through.unwrap_or(NaiveDate::MIN);
    Ok(YearTable {
        table: protect_year(year, &layout, &counts, through, rules),
        layout,
        areas,
    })
}

fn zone_figure(t: &YearTable, p: PubPeriod) -> Option<Figure> {
    t.table.figure(Unit::Zone, p)
}

/// Which figures a request for a period wants: the zone's (overview, phenomenon) or those
/// per municipality and wijk (public table, area page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Zone,
    Areas,
}

/// A figure the request's publication period must have: missing only if the period was not
/// checked first, which is an error, never a cell to label.
fn published(f: Option<Figure>, what: impl std::fmt::Display) -> Result<Figure> {
    f.ok_or_else(|| anyhow!("{what} is not a published figure"))
}

/// The exact Poisson comparison of two shown figures, or a withheld verdict.
fn verdict_of(
    cur: Figure,
    cur_days: f64,
    base: Figure,
    base_days: f64,
) -> (Option<f64>, Option<f64>, Verdict) {
    match (cur.value, base.value) {
        (Some(c), Some(b)) => {
            let r = compare(c, cur_days, b, base_days, TestRules::default());
            (r.change_pct, Some(r.p_value), r.verdict)
        }
        _ => (None, None, Verdict::Withheld),
    }
}

fn days(p: PubPeriod) -> f64 {
    Period::new(p.start(), p.end()).days()
}

impl crate::figures::ZoneFigures<'_> {
    /// What the published tables were released with (complete months, the cell for
    /// incidents in no wijk), read once per data version and release. The first reader of a
    /// table never released makes its first release.
    async fn publication_context(&self) -> Result<PublicationContext> {
        let c = self
            .cached("publication-context", async {
                let store = self.store_ref();
                let by = "first-reader";
                let on = chrono::Local::now().date_naive();
                let status = self.status().await?;
                let (zone, rules, new) = (self.zone, self.rules(), &ReleaseKind::New);
                if release_with(store, zone, &status, rules, on, new, by)
                    .await
                    .is_err()
                {
                    // Another reader released at the same moment (the number was taken): what
                    // it did not release, this one does; a second failure is an error.
                    release_with(store, zone, &status, rules, on, new, by).await?;
                }
                let fp = fingerprint(self.rules());
                let last = store.latest_release_under(self.zone.id, &fp).await?;
                let live = publication_context(store, self.zone).await?;
                Ok((
                    PublicationContext {
                        complete_through: last.as_ref().and_then(|r| r.complete_through),
                        not_located: live.not_located,
                    },
                    last,
                ))
            })
            .await?;
        self.note_release(c.1.clone());
        Ok(c.0)
    }

    /// The last day of the last complete month the released tables hold (None without).
    pub async fn complete_through(&self) -> Result<Option<NaiveDate>> {
        Ok(self.publication_context().await?.complete_through)
    }

    /// The latest release of a phenomenon's calendar year under these rules (a table with
    /// no cells for a year no release holds: before the data, or not yet released).
    pub async fn year_table(&self, def: &PhenomenonDef, year: i32) -> Result<Arc<YearTable>> {
        let key = format!("year-table:{}:{year}", def.code);
        self.publication_context().await?;
        self.cached(&key, async {
            let (mut all, latest) =
                history(self.store_ref(), self.zone, self.rules(), &def.code, year).await?;
            let table = match latest {
                Some(i) => all.swap_remove(i),
                None => ProtectedYear::empty(year, self.rules().threshold),
            };
            let areas = self.store_ref().areas(self.zone.id).await?;
            Ok(YearTable {
                layout: table.layout.clone(),
                table,
                areas,
            })
        })
        .await
    }

    /// A phenomenon's figures in a publication period, as aggregate access sees them.
    pub async fn published_detail(&self, def: &PhenomenonDef, p: PubPeriod) -> Result<Arc<Detail>> {
        let key = format!("published:{}:{p:?}", def.code);
        self.cached(&key, async {
            let full = self
                .detail(def, Period::new(p.start(), p.end()), &Access::Full)
                .await?;
            let cur_t = self.year_table(def, p.year()).await?;
            let base_t = self.year_table(def, p.year() - 1).await?;
            let cur = published(zone_figure(&cur_t, p), format_args!("{p:?}"))?;
            let base = published(
                zone_figure(&base_t, p.previous_year()),
                format_args!("{:?}", p.previous_year()),
            )?;
            let (change_pct, p_value, verdict) =
                verdict_of(cur, days(p), base, days(p.previous_year()));
            // The trend over the complete years the full trend uses, from their published
            // totals; withheld when one of them is hidden.
            let through = self.complete_through().await?.unwrap_or(NaiveDate::MIN);
            let mut years = Vec::new();
            let mut counts = Vec::new();
            let mut exposure = Vec::new();
            let mut complete = true;
            if let Some(t) = &full.picture.trend {
                for &y in t.years.iter().filter(|&&y| y <= p.year()) {
                    let yp = PubPeriod::Year { year: y };
                    if yp.end() > through {
                        continue;
                    }
                    let t = self.year_table(def, y).await?;
                    match zone_figure(&t, yp).and_then(|f| f.value) {
                        Some(v) => {
                            years.push(y);
                            counts.push(v);
                            exposure.push(days(yp));
                        }
                        None => complete = false,
                    }
                }
            }
            let trend = if complete && years.len() >= 3 {
                poisson_trend(&years, &counts, &exposure)
            } else {
                None
            };
            // The monthly line: from the same month two years before to the period's end.
            let mut monthly = Vec::new();
            let (mut y, mut m) = (p.start().year() - 2, p.start().month());
            while (y, m) <= (p.end().year(), p.end().month()) {
                let t = self.year_table(def, y).await?;
                let f =
                    zone_figure(&t, PubPeriod::Month { year: y, month: m }).and_then(|f| f.value);
                monthly.push((format!("{y:04}-{m:02}"), f));
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
            let zone_pop = full.picture.zone.as_ref().and_then(|z| z.population);
            let per_1000 = |v: Option<u64>, pop: Option<i64>| match (v, pop) {
                (Some(v), Some(pop)) if pop > 0 => Some(v as f64 * 1000.0 / pop as f64),
                _ => None,
            };
            let summary = PhenomenonFigures {
                code: def.code.clone(),
                name_nl: def.nl.clone(),
                name_fr: def.fr.clone(),
                name_en: def.en.clone(),
                count: cur.value,
                count_status: cur.status,
                baseline: base.value,
                baseline_status: base.status,
                change_pct,
                p_value,
                verdict,
                trend_pct: trend.as_ref().map(|t| t.annual_change_pct),
                trend,
                zone_rate_per_1000: per_1000(cur.value, zone_pop),
                monthly,
            };
            let areas = if matches!(p, PubPeriod::Year { .. })
                && self.rules().areas_publish(PeriodKind::Year)
            {
                full.loaded
                    .areas
                    .iter()
                    .zip(&full.picture.areas)
                    .filter_map(|(a, f)| {
                        let i = cur_t.layout.areas.iter().position(|x| x.0 == a.id)?;
                        let fig = cur_t.table.figure(Unit::Area(i), p)?;
                        Some(AreaFigures {
                            area_id: a.id,
                            code: a.code.clone(),
                            name: a.name.clone(),
                            municipality: a.municipality_nis.clone(),
                            count: fig.value,
                            status: fig.status,
                            population: f.population,
                            rate_per_1000: per_1000(fig.value, f.population),
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Ok(Detail {
                def: def.clone(),
                loaded: full.loaded.clone(),
                picture: full.picture.clone(),
                summary,
                areas,
            })
        })
        .await
    }

    /// The public table (phenomenon × municipality) of a calendar year, read from the
    /// protected tables.
    pub async fn published_public(&self, p: PubPeriod) -> Result<Arc<Public>> {
        let key = format!("published-public:{p:?}");
        self.cached(&key, async {
            let names = self.store_ref().municipalities(self.zone.id).await?;
            let defs = self.phenomena_with_data().await?;
            let mut tables = Vec::new();
            for def in defs.iter() {
                tables.push(self.year_table(def, p.year()).await?);
            }
            // The column for incidents in no wijk, when a table of the year has that cell (a
            // table without it has none in no wijk: its zone is the sum of its wijken, so its
            // 0 is shown as what it is).
            let not_located = tables.iter().any(|t| t.layout.not_located);
            let mut rows = Vec::new();
            let mut details = Vec::new();
            let mut municipalities: Vec<(String, String)> = Vec::new();
            for (def, t) in defs.iter().zip(tables) {
                let d = self.published_detail(def, p).await?;
                if municipalities.is_empty() {
                    municipalities = t
                        .layout
                        .municipalities
                        .iter()
                        .map(|nis| {
                            let name = names
                                .iter()
                                .find(|m| m.nis.as_str() == nis)
                                .map(|m| m.name_nl.clone())
                                .unwrap_or_else(|| nis.clone());
                            (nis.clone(), name)
                        })
                        .collect();
                }
                let mut cells: Vec<Figure> = (0..t.layout.municipalities.len())
                    .map(|m| {
                        published(
                            t.table.figure(Unit::Municipality(m), p),
                            format_args!("municipality {m} in {p:?}"),
                        )
                    })
                    .collect::<Result<_>>()?;
                if not_located {
                    cells.push(if t.layout.not_located {
                        published(
                            t.table.figure(Unit::NotLocated, p),
                            format_args!("not located in {p:?}"),
                        )?
                    } else {
                        // None there: the zone is the sum of its municipalities.
                        Figure {
                            value: Some(0),
                            status: Status::Shown,
                        }
                    });
                }
                let s = &d.summary;
                rows.push(PublicRow {
                    code: def.code.clone(),
                    name_nl: def.nl.clone(),
                    name_fr: def.fr.clone(),
                    name_en: def.en.clone(),
                    total: s.count,
                    total_status: s.count_status,
                    previous: s.baseline,
                    previous_status: s.baseline_status,
                    verdict: s.verdict,
                    cells: cells.iter().map(|c| c.value).collect(),
                    cell_status: cells.iter().map(|c| c.status).collect(),
                });
                details.push(d);
            }
            let refs: Vec<&Detail> = details.iter().map(|d| d.as_ref()).collect();
            Ok(Public {
                source: self.source(&refs, Period::new(p.start(), p.end()), &Access::Aggregate),
                municipalities,
                not_located_column: not_located,
                rows,
            })
        })
        .await
    }
}

/// One line of the open-data file: a published figure with its status and the method it
/// was made with.
#[derive(Debug, Clone, Serialize)]
pub struct OpenDataRow {
    pub zone: String,
    pub phenomenon: String,
    pub level: &'static str,
    pub unit: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub count: Option<u64>,
    pub status: Status,
}

impl Public {
    /// The table as open-data lines: zone and municipality totals with their status.
    pub fn open_data(&self) -> Vec<OpenDataRow> {
        let mut out = Vec::new();
        for r in &self.rows {
            let row = |level: &'static str, unit: String, count, status| OpenDataRow {
                zone: self.source.zone.clone(),
                phenomenon: r.code.clone(),
                level,
                unit,
                period_start: self.source.period.start,
                period_end: self.source.period.end,
                count,
                status,
            };
            out.push(row(
                "zone",
                self.source.zone.clone(),
                r.total,
                r.total_status,
            ));
            for (i, (c, s)) in r.cells.iter().zip(&r.cell_status).enumerate() {
                let unit = self
                    .municipalities
                    .get(i)
                    .map(|m| m.0.clone())
                    .unwrap_or_else(|| "not-located".into());
                let level = if i < self.municipalities.len() {
                    "municipality"
                } else {
                    "not-located"
                };
                out.push(row(level, unit, *c, *s));
            }
        }
        out
    }
}
