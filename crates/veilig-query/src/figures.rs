//! What the pages, the API and the reports show, computed from the store once per data version and
//! cached (the cache is keyed by the zone's data version, so it never serves stale figures
//! and matters to no other node). Figures for aggregate access are disclosure-controlled
//! here, before any page or JSON sees them.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

pub use crate::cache::Cache;
use crate::{Loaded, Selection};
use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
pub use public::{Public, PublicRow};
use serde::Serialize;
use veilig_analysis::picture::{Baseline, Picture, picture};
use veilig_analysis::trend::Trend;
use veilig_analysis::{Period, TestRules, Verdict};
use veilig_disclosure::lines::suppress_lines;
use veilig_disclosure::{PubPeriod, Rules, Status};
use veilig_domain::{PhenomenonDef, Zone};
use veilig_store::Store;

mod public;
mod source;

use source::source;
pub use source::{ReleaseNote, Source};

/// How much of a zone's figures a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Everything, including maps drawn from incident locations.
    Full,
    /// Everything, but only about these areas (a wijkinspecteur's wijken).
    Areas(Vec<i64>),
    /// Aggregates under disclosure control only.
    Aggregate,
}

impl Access {
    /// Whether maps and tables drawn from incident locations may be shown.
    pub fn record_derived(&self) -> bool {
        !matches!(self, Access::Aggregate)
    }

    /// Whether the figures of this area may be shown.
    pub fn covers_area(&self, area_id: i64) -> bool {
        match self {
            Access::Full | Access::Aggregate => true,
            Access::Areas(a) => a.contains(&area_id),
        }
    }
}

/// The default period: the twelve months ending with the last complete month of data.
pub fn default_period(last_day: Option<NaiveDate>) -> Period {
    let last = last_day.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let next = last + chrono::Duration::days(1);
    let end = if next.day() == 1 {
        last
    } else {
        NaiveDate::from_ymd_opt(last.year(), last.month(), 1).expect("valid")
            - chrono::Duration::days(1)
    };
    let start = (end + chrono::Duration::days(1)) - Months::new(12);
    Period::new(start, end)
}

/// One phenomenon's figures over the period, as far as the access allows.
#[derive(Debug, Clone, Serialize)]
pub struct PhenomenonFigures {
    pub code: String,
    pub name_nl: String,
    pub name_fr: String,
    pub name_en: String,
    /// None when suppressed.
    pub count: Option<u64>,
    /// Why `count` is missing (or "shown").
    pub count_status: Status,
    /// The previous year's count over the same dates (None when suppressed).
    pub baseline: Option<u64>,
    pub baseline_status: Status,
    pub change_pct: Option<f64>,
    /// None when the verdict is withheld (a count it rests on is hidden).
    pub p_value: Option<f64>,
    pub verdict: Verdict,
    pub trend_pct: Option<f64>,
    /// The trend per year with its interval (for aggregate access: from the published
    /// yearly totals only).
    pub trend: Option<Trend>,
    /// The count per 1,000 inhabitants of the zone (None when suppressed).
    pub zone_rate_per_1000: Option<f64>,
    /// Monthly counts over the period and the two years before it (None when suppressed
    /// or not published).
    pub monthly: Vec<(String, Option<u64>)>,
}

/// Counts per area (and municipality), suppressed for aggregate access with secondary
/// suppression over the zone total and each municipality total.
#[derive(Debug, Clone, Serialize)]
pub struct AreaFigures {
    pub area_id: i64,
    pub code: String,
    pub name: String,
    pub municipality: Option<String>,
    pub count: Option<u64>,
    pub status: Status,
    pub population: Option<i64>,
    pub rate_per_1000: Option<f64>,
}

/// The full result of one phenomenon (what the phenomenon page draws).
pub struct Detail {
    pub def: PhenomenonDef,
    pub loaded: Arc<Loaded>,
    /// The full picture: never shown under aggregate access (pages read `summary` and
    /// `areas` there).
    pub picture: Arc<Picture>,
    pub summary: PhenomenonFigures,
    pub areas: Vec<AreaFigures>,
}

/// The overview: every phenomenon with data.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub source: Source,
    pub phenomena: Vec<PhenomenonFigures>,
}

fn scope_key(access: &Access) -> String {
    match access {
        Access::Full => "full".into(),
        Access::Aggregate => "agg".into(),
        Access::Areas(a) => format!("areas{a:?}"),
    }
}

fn shown(v: u64, access: &Access, threshold: u64) -> Option<u64> {
    if matches!(access, Access::Aggregate) && v < threshold {
        None
    } else {
        Some(v)
    }
}

/// Computes one phenomenon for any period (unsuppressed inputs; for aggregate access, the
/// unprotected per-table suppression that the attack test compares against: only used when
/// the rules' protection is off).
async fn compute_detail(
    store: &Store,
    zone: &Zone,
    def: &PhenomenonDef,
    period: Period,
    access: &Access,
    threshold: u64,
) -> Result<Detail> {
    let sel = Selection {
        phenomenon: def.code.clone(),
        zone: Some(zone.code.as_str().to_string()),
        area: None,
        from: period.start,
        to: period.end,
    };
    let mut loaded = crate::load(
        store,
        &sel,
        serde_json::json!({"compare": "previous-year", "alpha": 0.05, "min_events": 10}),
    )
    .await?;
    if let Access::Areas(ids) = access {
        loaded
            .events
            .retain(|e| e.area.is_some_and(|a| ids.contains(&a)));
        loaded.areas.retain(|a| ids.contains(&a.id));
    }
    let den = crate::denominators(store, zone, &loaded.areas, period.end).await?;
    let pic = picture(
        &loaded.events,
        period,
        Baseline::PreviousYear,
        &den,
        loaded.coverage,
        TestRules::default(),
    );
    let c = &pic.comparison.comparison;
    let count = shown(c.current, access, threshold);
    let baseline = shown(c.baseline_events, access, threshold);
    let first_month = format!("{:04}-{:02}", period.start.year() - 2, period.start.month());
    let summary = PhenomenonFigures {
        code: def.code.clone(),
        name_nl: def.nl.clone(),
        name_fr: def.fr.clone(),
        name_en: def.en.clone(),
        count,
        count_status: Status::of(count.is_none(), c.current, threshold),
        baseline,
        baseline_status: Status::of(baseline.is_none(), c.baseline_events, threshold),
        change_pct: if count.is_some() && baseline.is_some() {
            c.change_pct
        } else {
            None
        },
        p_value: Some(c.p_value),
        verdict: c.verdict,
        trend_pct: pic.trend.as_ref().map(|t| t.annual_change_pct),
        trend: pic.trend.clone(),
        zone_rate_per_1000: pic
            .zone
            .as_ref()
            .filter(|_| count.is_some())
            .and_then(|z| z.rate_per_1000),
        monthly: pic
            .monthly
            .iter()
            .filter(|m| m.month >= first_month)
            .map(|m| (m.month.clone(), shown(m.count, access, threshold)))
            .collect(),
    };
    // Areas: one line for the zone total, one per municipality total.
    let values: Vec<u64> = pic.areas.iter().map(|a| a.count).collect();
    let hidden = if matches!(access, Access::Aggregate) {
        let mut lines = vec![(0..values.len()).collect::<Vec<_>>()];
        let mut by_m: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in loaded.areas.iter().enumerate() {
            if let Some(m) = &a.municipality_nis {
                by_m.entry(m.as_str()).or_default().push(i);
            }
        }
        let mut ms: Vec<_> = by_m.into_iter().collect();
        ms.sort();
        lines.extend(ms.into_iter().map(|(_, l)| l));
        suppress_lines(&values, &lines, threshold).0
    } else {
        vec![false; values.len()]
    };
    let areas = pic
        .areas
        .iter()
        .zip(&loaded.areas)
        .zip(&hidden)
        .map(|((f, a), h)| AreaFigures {
            area_id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            municipality: a.municipality_nis.clone(),
            count: (!h).then_some(f.count),
            status: Status::of(*h, f.count, threshold),
            population: f.population,
            rate_per_1000: if *h { None } else { f.rate_per_1000 },
        })
        .collect();
    Ok(Detail {
        def: def.clone(),
        loaded: Arc::new(loaded),
        picture: Arc::new(pic),
        summary,
        areas,
    })
}

/// The figures of one zone, read at one data version: a handler makes one per request (one
/// version query), and every figure it asks for comes from the cache at that version.
pub struct ZoneFigures<'a> {
    cache: &'a Cache,
    store: &'a Store,
    pub zone: &'a Zone,
    version: i64,
    /// The zone's latest release of published tables under these rules (its number is part
    /// of every key: a release made by another process shows at once; a first release made
    /// while answering is noted here for the answer's source).
    release: std::sync::Mutex<Option<veilig_store::Release>>,
    release_number: i64,
    rules: &'a Rules,
}

impl<'a> ZoneFigures<'a> {
    pub async fn new(
        cache: &'a Cache,
        store: &'a Store,
        zone: &'a Zone,
        rules: &'a Rules,
    ) -> Result<ZoneFigures<'a>> {
        let version = store.data_version(zone.id).await?;
        let fp = crate::published::release::fingerprint(rules);
        let release = store.latest_release_under(zone.id, &fp).await?;
        Ok(ZoneFigures {
            cache,
            store,
            zone,
            version,
            release_number: release.as_ref().map(|r| r.number).unwrap_or(0),
            release: std::sync::Mutex::new(release),
            rules,
        })
    }

    /// The disclosure rules the aggregated figures are made with.
    pub fn rules(&self) -> &Rules {
        self.rules
    }

    pub fn store_ref(&self) -> &Store {
        self.store
    }

    /// Any value of this zone at this data version, computed once (`key` names it within
    /// the zone).
    pub async fn cached<T, F>(&self, key: &str, compute: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T>>,
    {
        let key = format!(
            "{}:{key}:{}:{}:r{}",
            self.zone.id, self.rules.threshold, self.rules.protection, self.release_number
        );
        // Boxed: the figures nest (a published table reads full details), and their futures
        // would otherwise all live on the stack.
        self.cache.get(key, self.version, Box::pin(compute)).await
    }

    /// What the zone's data cover (its sources' coverage), read once per data version.
    pub async fn coverage(&self) -> Result<Option<Period>> {
        let c = self
            .cached("coverage", async {
                crate::zone_coverage(self.store, self.zone.id).await
            })
            .await?;
        Ok(*c)
    }

    /// The day of the zone's latest incident (the query scans an index).
    pub async fn last_day(&self) -> Result<Option<NaiveDate>> {
        let d = self
            .cached("lastday", async {
                Ok(self.store.last_incident_day(self.zone.id).await?)
            })
            .await?;
        Ok(*d)
    }

    /// The zone's status (sources, batches, counts per phenomenon, category and year): it
    /// scans every incident, so it is read once per data version.
    pub async fn status(&self) -> Result<Arc<veilig_store::ZoneStatus>> {
        self.cached("status", async { Ok(self.store.status(self.zone).await?) })
            .await
    }

    /// The phenomena of the zone that have incidents (from the zone's status, which counts
    /// every incident: cached).
    pub async fn phenomena_with_data(&self) -> Result<Arc<Vec<PhenomenonDef>>> {
        self.cached("phenomena", async {
            let codes: Vec<String> = self
                .status()
                .await?
                .phenomena
                .clone()
                .into_iter()
                .filter(|p| p.total > 0)
                .map(|p| p.code)
                .collect();
            Ok(self
                .store
                .phenomena(self.zone.id)
                .await?
                .into_iter()
                .filter(|p| codes.contains(&p.code))
                .collect())
        })
        .await
    }

    /// One phenomenon's detail. For aggregate access the period must be a publication
    /// period (the pages check it first) and the figures come from the protected tables.
    pub async fn detail(
        &self,
        def: &PhenomenonDef,
        period: Period,
        access: &Access,
    ) -> Result<Arc<Detail>> {
        if matches!(access, Access::Aggregate) && self.rules.protection {
            let p = PubPeriod::of(period.start, period.end).ok_or_else(|| {
                anyhow::anyhow!("{period:?} is not a publication period of aggregated figures")
            })?;
            return Box::pin(self.published_detail(def, p)).await;
        }
        let key = format!(
            "detail:{}:{}:{}:{}",
            def.code,
            period.start,
            period.end,
            scope_key(access)
        );
        self.cached(
            &key,
            compute_detail(
                self.store,
                self.zone,
                def,
                period,
                access,
                self.rules.threshold,
            ),
        )
        .await
    }

    /// The detail of every phenomenon of the zone that has incidents.
    async fn all_details(&self, period: Period, access: &Access) -> Result<Vec<Arc<Detail>>> {
        let mut out = Vec::new();
        for def in self.phenomena_with_data().await?.iter() {
            out.push(self.detail(def, period, access).await?);
        }
        Ok(out)
    }

    /// Every phenomenon of the zone with its figures over the period.
    pub async fn overview(&self, period: Period, access: &Access) -> Result<Arc<Overview>> {
        let key = format!(
            "overview:{}:{}:{}",
            period.start,
            period.end,
            scope_key(access)
        );
        self.cached(&key, async {
            let details = self.all_details(period, access).await?;
            let refs: Vec<&Detail> = details.iter().map(|d| d.as_ref()).collect();
            Ok(Overview {
                source: self.source(&refs, period, access),
                phenomena: details.iter().map(|d| d.summary.clone()).collect(),
            })
        })
        .await
    }

    /// Where figures computed from these details come from.
    pub fn source(&self, details: &[&Detail], period: Period, access: &Access) -> Source {
        let mut s = source(self.zone, details, period, access, self.rules);
        if s.disclosure.is_some() && self.rules.protection {
            s.release = self.release().as_ref().map(ReleaseNote::from);
        }
        s
    }

    /// The release the published figures of this answer are read from (once one was read).
    pub fn release(&self) -> Option<veilig_store::Release> {
        self.release.lock().expect("release lock").clone()
    }

    /// Notes the release the published figures of this answer are read from.
    pub(crate) fn note_release(&self, r: Option<veilig_store::Release>) {
        *self.release.lock().expect("release lock") = r;
    }
}

impl ZoneFigures<'_> {
    /// Near repeat (Knox test) over the detail's period: 0-100-200-400 m, 0-7-14-28 days,
    /// 199 permutations, fixed seed (the same page gives the same p-values).
    pub async fn near_repeat(
        &self,
        d: &Arc<Detail>,
        access: &Access,
    ) -> Result<Arc<veilig_analysis::knox::Knox>> {
        let period = d.picture.period;
        let key = format!(
            "knox:{}:{}:{}:{}",
            d.def.code,
            period.start,
            period.end,
            scope_key(access)
        );
        let d = d.clone();
        self.cached(&key, async move {
            Ok(tokio::task::spawn_blocking(move || {
                let origin = period.start.and_hms_opt(0, 0, 0).expect("midnight");
                let (pts, times): (Vec<(f64, f64)>, Vec<f64>) = d
                    .loaded
                    .events
                    .iter()
                    .filter(|e| period.contains(e.date()))
                    .filter_map(|e| {
                        e.xy.map(|xy| (xy, (e.from - origin).num_seconds() as f64 / 86_400.0))
                    })
                    .unzip();
                veilig_analysis::knox::knox(
                    &pts,
                    &times,
                    &[0.0, 100.0, 200.0, 400.0],
                    &[0.0, 7.0, 14.0, 28.0],
                    199,
                    20260101,
                    0.05,
                )
            })
            .await?)
        })
        .await
    }
}
