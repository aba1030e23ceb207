//! Door 4 of issue 26: revisions. A reader saves every answer of every view, then late
//! records arrive three times (one into a small cell, one outside every wijk, then a batch),
//! each time followed by the zone's next release on its calendar and a documented revision of
//! the frozen year; the reader saves everything again each time and joins all saved versions
//! with its own integer programme ([`super::solver`]). It must recover no count under the
//! threshold. With the releases protected each on its own (no joint protection) the same
//! reader recovers counts, checked against what the releases truly held: the test can fail.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use veilig_disclosure::{PubPeriod, Unit};
use veilig_domain::{BatchKind, NewIncident};
use veilig_query::published::{ReleaseKind, history, release, release_due};
use veilig_web::Config;

use super::common::*;
use super::reader::*;
use super::solver::solve;

/// Every calendar month, quarter and year complete in the demo's data (to 31 October 2026)
/// of the frozen year 2025 and the current year 2026.
fn calendar_periods() -> Vec<(NaiveDate, NaiveDate)> {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let end = |y: i32, m: u32| {
        if m == 12 {
            d(y, 12, 31)
        } else {
            d(y, m + 1, 1).pred_opt().unwrap()
        }
    };
    let mut out = Vec::new();
    for (y, months) in [(2025, 12), (2026, 10)] {
        out.extend((1..=months).map(|m| (d(y, m, 1), end(y, m))));
        out.extend((1..=months / 3).map(|q| (d(y, 3 * q - 2, 1), end(y, 3 * q))));
        if months == 12 {
            out.push((d(y, 1, 1), d(y, 12, 31)));
        }
    }
    out
}

/// One late batch: (when, phenomenon, wijk or none: outside every wijk).
pub(crate) async fn late_batch(
    app: &App,
    name: &str,
    rows: &[(NaiveDateTime, String, Option<i64>)],
) {
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let categories = app.store.status(&zone).await.unwrap().categories;
    let mut tx = app
        .store
        .begin_import(&veilig_store::NewBatch {
            zone_id: zone.id,
            kind: BatchKind::Incidents,
            source: "islp-late",
            file_name: name,
            sha256: name,
            mapping: None,
            synthetic: true,
        })
        .await
        .unwrap();
    let incidents: Vec<NewIncident> = rows
        .iter()
        .enumerate()
        .map(|(i, (t, phenomenon, area))| NewIncident {
            source_key: format!("{name}-{i}"),
            category: categories
                .iter()
                .find(|c| &c.phenomenon == phenomenon)
                .map(|c| c.category.clone())
                .unwrap(),
            phenomenon: phenomenon.clone(),
            occurred_from: *t,
            occurred_to: *t + chrono::Duration::hours(1),
            reported_at: Some(*t + chrono::Duration::days(40)),
            location: None,
            address: None,
            source_area: None,
            area_id: *area,
            premises: None,
            outcome: None,
            synthetic: true,
        })
        .collect();
    tx.insert_incidents(&incidents).await.unwrap();
    let n = incidents.len() as u64;
    tx.finish(n, n, 0, 0).await.unwrap();
}

/// The release the calendar makes on `on`, and a documented revision of 2025.
async fn release_on(app: &App, config: &Config, on: &str) {
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let on: NaiveDate = on.parse().unwrap();
    let rules = &config.disclosure;
    // Late records of 2026 go into the calendar's release; those of the frozen 2025 wait.
    let r = release_due(&app.store, &zone, rules, on, "test")
        .await
        .unwrap();
    // (Without the joint protection, as before releases, a record in no wijk gives every
    // table of every year that cell: they all wait.)
    assert!(
        !r.waiting.is_empty() && (!rules.joint || r.waiting.iter().all(|(_, y)| *y == 2025)),
        "the frozen year's changed tables wait, and only they: {:?}",
        r.waiting
    );
    let kind = ReleaseKind::Revision {
        year: 2025,
        reason: "late records".into(),
    };
    let revised = release(&app.store, &zone, rules, on, &kind, "test")
        .await
        .unwrap();
    assert!(revised.release.is_some(), "2025 is revised on {on}");
}

/// The true value of each figure a version hides, from the releases the store holds now.
async fn truth(app: &App, config: &Config, readers: &[&Reader]) -> HashMap<Key, u64> {
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let areas = app.store.areas(zone.id).await.unwrap();
    let mut tables = HashMap::new();
    let mut out = HashMap::new();
    for k in readers.iter().flat_map(|r| r.hidden.iter()) {
        let (p, unit, s, e) = k;
        let period = PubPeriod::of(*s, *e).unwrap();
        let slot = (p.clone(), period.year());
        if let std::collections::hash_map::Entry::Vacant(e) = tables.entry(slot) {
            let (mut all, latest) =
                history(&app.store, &zone, &config.disclosure, p, period.year())
                    .await
                    .unwrap();
            e.insert(all.swap_remove(latest.unwrap()));
        }
        let t = &tables[&(p.clone(), period.year())];
        let unit = match unit.split_once(':') {
            None if unit == "zone" => Unit::Zone,
            None => Unit::NotLocated,
            Some(("m", nis)) => Unit::Municipality(
                t.layout
                    .municipalities
                    .iter()
                    .position(|m| m == nis)
                    .unwrap(),
            ),
            Some((_, code)) => {
                let id = areas.iter().find(|a| a.code == code).unwrap().id;
                Unit::Area(t.layout.areas.iter().position(|a| a.0 == id).unwrap())
            }
        };
        match t.cell(unit, period) {
            Some(c) => {
                out.insert(k.clone(), c.value);
            }
            // A table without the cell has no incident in no wijk.
            None if unit == Unit::NotLocated => {
                out.insert(k.clone(), 0);
            }
            None => {}
        }
    }
    out
}

/// Per view: the saved versions and the truth of each.
type Saved = Vec<(View, Vec<Reader>, Vec<HashMap<Key, u64>>)>;

/// The reader saves everything every view answers now.
async fn save(app: &App, config: &Config, saved: &mut Saved) {
    for (view, versions, truths) in saved.iter_mut() {
        let r = observe(app, *view, calendar_periods(), false).await;
        truths.push(truth(app, config, &[&r]).await);
        versions.push(r);
    }
}

/// Plays the whole sequence.
async fn play(app: &App, config: Config) -> Saved {
    let views = [View::Public, View::Council, View::Partner];
    let mut saved: Saved = views.iter().map(|v| (*v, Vec::new(), Vec::new())).collect();
    save(app, &config, &mut saved).await;
    // A small cell of 2025 (a wijk with 1 to 4 facts of a phenomenon) and a small month of
    // 2026, from what the first release holds.
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let mut small: Option<(String, i64)> = None;
    let mut small_month: Option<(String, u32)> = None;
    for p in app.store.phenomena(zone.id).await.unwrap() {
        for year in [2025, 2026] {
            let (all, latest) = history(&app.store, &zone, &config.disclosure, &p.code, year)
                .await
                .unwrap();
            let Some(t) = latest.map(|i| &all[i]) else {
                continue;
            };
            for c in &t.cells {
                match (c.unit, c.period) {
                    (Unit::Area(a), PubPeriod::Year { .. }) if (1..5).contains(&c.value) => {
                        small.get_or_insert((p.code.clone(), t.layout.areas[a].0));
                    }
                    (Unit::Zone, PubPeriod::Month { month, .. }) if (1..5).contains(&c.value) => {
                        small_month.get_or_insert((p.code.clone(), month));
                    }
                    _ => {}
                }
            }
        }
    }
    let (sp, sa) = small.expect("the demo has a wijk with fewer than 5 facts in 2025");
    let (mp, mm) = small_month.expect("the demo has a month with fewer than 5 facts");
    let at = |y: i32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(21, 0, 0)
            .unwrap()
    };
    late_batch(
        app,
        "late-small",
        &[
            (at(2025, 6, 10), sp.clone(), Some(sa)),
            (at(2026, mm, 12), mp.clone(), None),
        ],
    )
    .await;
    release_on(app, &config, "2027-01-01").await;
    save(app, &config, &mut saved).await;
    late_batch(app, "late-outside", &[(at(2025, 9, 3), sp.clone(), None)]).await;
    release_on(app, &config, "2027-02-01").await;
    save(app, &config, &mut saved).await;
    let areas = app.store.areas(zone.id).await.unwrap();
    let batch: Vec<_> = (0..30u32)
        .map(|i| {
            let (y, m) = if i % 3 == 0 {
                (2026, 1 + i % 10)
            } else {
                (2025, 1 + i % 12)
            };
            (
                at(y, m, 1 + i % 27),
                sp.clone(),
                Some(areas[i as usize % areas.len()].id),
            )
        })
        .collect();
    late_batch(app, "late-batch", &batch).await;
    release_on(app, &config, "2027-03-01").await;
    save(app, &config, &mut saved).await;
    saved
}

/// Every small count the reader recovers from all its saved versions of one view, each
/// checked against the truth of its version.
fn recovered(
    view: View,
    versions: &[Reader],
    truths: &[HashMap<Key, u64>],
) -> BTreeMap<(usize, Key), u64> {
    let found = solve(versions, view == View::Public);
    let small: BTreeMap<_, _> = found.into_iter().filter(|(_, v)| *v < THRESHOLD).collect();
    for ((i, k), v) in &small {
        assert_eq!(
            Some(v),
            truths[*i].get(k),
            "{view:?}: the reader derived {k:?} = {v} in version {i}, which is not so"
        );
    }
    small
}

/// The reader against the releases of one store.
async fn joins_every_release(app: &App, backend: &str) {
    for (view, versions, truths) in play(app, Config::default()).await {
        let hidden: usize = versions.iter().map(|r| r.hidden.len()).sum();
        assert!(
            hidden > 10,
            "{view:?}: only {hidden} hidden figures: nothing tested"
        );
        let small = recovered(view, &versions, &truths);
        assert!(
            small.is_empty(),
            "{view:?} on {backend}: {} small counts recovered by joining releases, e.g. {:?}",
            small.len(),
            small.iter().take(5).collect::<Vec<_>>()
        );
        eprintln!(
            "{view:?} on {backend}: {} versions, {hidden} hidden figures, 0 recovered",
            versions.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_who_joins_every_release_after_late_records_recovers_no_small_count() {
    joins_every_release(&app_with(Config::default()).await, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_reader_who_joins_every_release_recovers_no_small_count() {
    let Some(app) = postgres_app(Config::default()).await else {
        return;
    };
    joins_every_release(&app, "PostgreSQL").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn releases_protected_each_on_its_own_give_small_counts_back() {
    let mut config = Config::default();
    config.disclosure.joint = false;
    let mut total = 0;
    let app = app_with(config.clone()).await;
    for (view, versions, truths) in play(&app, config).await {
        let small = recovered(view, &versions, &truths);
        eprintln!(
            "{view:?} without joint protection: {} small counts recovered",
            small.len()
        );
        total += small.len();
    }
    assert!(
        total > 0,
        "the reader recovers nothing even without the protection"
    );
}
