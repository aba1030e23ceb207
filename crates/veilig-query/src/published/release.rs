//! Releases of the published tables: what leaves the zone is a stored, immutable release of
//! each table (one phenomenon's calendar year), numbered and dated, never the data of the
//! moment. A table is first released when a reader first needs it; after that it changes
//! only on the release calendar (the rules' `[releases]`): on each release day the tables of
//! every year not yet frozen are released again when their data changed, and a frozen year
//! changes only by a documented revision. Every release of a table is protected jointly with
//! all its earlier releases ([`veilig_disclosure::protect_release`]), so a reader who saved
//! every release and joins them recovers no hidden count.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use veilig_disclosure::{ProtectedYear, Rules, protect_release, unchanged};
use veilig_domain::Zone;
use veilig_store::{NewRelease, Release, Store, ZoneStatus};

use super::{PublicationContext, fresh_counts, publication_context};

/// Which tables a release holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ReleaseKind {
    /// Only tables never released under these rules (their first publication).
    New,
    /// The calendar's: every table of a year not yet frozen whose data changed, and every
    /// table never released.
    Regular,
    /// A documented revision of one frozen (or any) year, with its reason.
    Revision { year: i32, reason: String },
}

/// What a call to [`release`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Released {
    pub zone: String,
    /// The release made, if any table changed.
    pub release: Option<Release>,
    /// Tables looked at.
    pub considered: usize,
    /// Tables of frozen years whose data changed since their last release: they wait for a
    /// documented revision (phenomenon, year).
    pub waiting: Vec<(String, i32)>,
}

/// The rules' fingerprint a release is recorded under: a reader under other rules (another
/// threshold or periods) gets releases of its own, protected jointly with all earlier ones.
pub fn fingerprint(rules: &Rules) -> String {
    let kinds = |k: &[veilig_disclosure::PeriodKind]| {
        k.iter()
            .map(|k| format!("{k:?}").to_lowercase())
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{} v{} threshold {} zone {} areas {}",
        rules.method,
        rules.version,
        rules.threshold,
        kinds(&rules.zone_periods),
        kinds(&rules.area_periods)
    )
}

/// Every release of a table under any rules, oldest first, parsed; and the latest one under
/// `rules` (its index among them).
pub async fn history(
    store: &Store,
    zone: &Zone,
    rules: &Rules,
    phenomenon: &str,
    year: i32,
) -> Result<(Vec<ProtectedYear>, Option<usize>)> {
    let fp = fingerprint(rules);
    let mut tables = Vec::new();
    let mut latest = None;
    for (number, r, content) in store.released_table(zone.id, phenomenon, year).await? {
        let t: ProtectedYear = serde_json::from_str(&content).with_context(|| {
            format!("release {number} of {phenomenon} {year} cannot be read back")
        })?;
        if r == fp {
            latest = Some(tables.len());
        }
        tables.push(t);
    }
    Ok((tables, latest))
}

/// The years a zone's tables cover: from the year before its first data (the first year's
/// comparison needs it) to the year of its last complete month.
fn years(first: Option<i32>, ctx: &PublicationContext) -> Vec<i32> {
    match (first, ctx.complete_through) {
        (Some(f), Some(t)) => (f - 1..=t.year()).collect(),
        _ => Vec::new(),
    }
}

/// Makes a release of a zone's tables (of `kind`) on `on`, by `by`. Nothing is recorded
/// when no table changed.
pub async fn release(
    store: &Store,
    zone: &Zone,
    rules: &Rules,
    on: NaiveDate,
    kind: &ReleaseKind,
    by: &str,
) -> Result<Released> {
    let status = store.status(zone).await?;
    release_with(store, zone, &status, rules, on, kind, by).await
}

/// [`release`] with the zone's status already read (the figures' cache holds it).
pub(crate) async fn release_with(
    store: &Store,
    zone: &Zone,
    status: &ZoneStatus,
    rules: &Rules,
    on: NaiveDate,
    kind: &ReleaseKind,
    by: &str,
) -> Result<Released> {
    let fp = fingerprint(rules);
    let live = publication_context(store, zone).await?;
    let previous = store
        .releases(zone.id)
        .await?
        .into_iter()
        .rev()
        .find(|r| r.rules == fp && r.kind == "regular");
    // Only the calendar's release moves the months forward; first publications and
    // revisions keep those of the release before, so that every table a reader combines
    // ends at the same month.
    let ctx = match (kind, &previous) {
        (ReleaseKind::Regular, _) | (_, None) => live,
        (_, Some(p)) => PublicationContext {
            complete_through: p.complete_through,
            ..live
        },
    };
    let first = status
        .sources
        .iter()
        .filter_map(|s| s.first)
        .min()
        .map(|d| d.date().year());
    // Every phenomenon, with data or not: a council member may open the page of one the
    // zone has no fact of (all its counts are 0, hidden as under the threshold).
    let codes: Vec<String> = status.phenomena.iter().map(|p| p.code.clone()).collect();
    let released: std::collections::HashSet<(String, i32)> = store
        .released_tables(zone.id, &fp)
        .await?
        .into_iter()
        .map(|(p, y, _)| (p, y))
        .collect();
    if let ReleaseKind::Revision { year, reason } = kind {
        if reason.trim().is_empty() {
            bail!("a revision needs its reason (--reason): it is published with it");
        }
        if !years(first, &ctx).contains(year) {
            bail!("{year} is not a year of the zone's data");
        }
    }
    let mut out = Released {
        zone: zone.code.as_str().to_string(),
        release: None,
        considered: 0,
        waiting: Vec::new(),
    };
    let mut tables = Vec::new();
    for code in &codes {
        for year in years(first, &ctx) {
            let new = !released.contains(&(code.clone(), year));
            let wanted = match kind {
                ReleaseKind::New => new,
                ReleaseKind::Regular => new || !rules.releases.frozen(year, on),
                ReleaseKind::Revision { year: y, .. } => *y == year,
            };
            let frozen_check = matches!(kind, ReleaseKind::Regular) && !new;
            if !wanted && !frozen_check {
                continue;
            }
            out.considered += 1;
            let (earlier, latest) = history(store, zone, rules, code, year).await?;
            let (mut layout, counts, _) = fresh_counts(store, zone, code, year, &ctx).await?;
            // A table released without a cell for incidents in no wijk keeps without it while
            // it has none: its earlier releases said "the zone is the sum of its wijken", and
            // that is still so (a late record in no wijk elsewhere changes nothing here).
            // (Part of the joint protection: without it, as before releases, every table gets
            // the cell at once.)
            if rules.joint
                && earlier.last().is_some_and(|t| !t.layout.not_located)
                && counts.not_located.iter().all(|&n| n == 0)
            {
                layout.not_located = false;
            }
            let through = ctx.complete_through.unwrap_or(NaiveDate::MIN);
            // Compared on true values before anything is protected: a table whose data did
            // not change is not released again (and costs no audit).
            if latest
                .is_some_and(|i| unchanged(&earlier[i], year, &layout, &counts, through, rules))
            {
                continue;
            }
            if !wanted {
                // A frozen year whose data changed: it waits for a documented revision.
                out.waiting.push((code.clone(), year));
                continue;
            }
            let table = protect_release(year, &layout, &counts, through, rules, &earlier);
            tables.push((code.clone(), year, serde_json::to_string(&table)?));
        }
    }
    if tables.is_empty() {
        return Ok(out);
    }
    let (kind_name, reason) = match kind {
        ReleaseKind::Revision { reason, .. } => ("revision", Some(reason.clone())),
        // The zone's very first release is the calendar's start.
        ReleaseKind::New if previous.is_some() => ("first", None),
        _ => ("regular", None),
    };
    let new = NewRelease {
        released_on: on,
        kind: kind_name.into(),
        reason,
        rules: fp,
        complete_through: ctx.complete_through,
        data_version: store.data_version(zone.id).await?,
        created_by: by.to_string(),
        tables,
    };
    out.release = Some(store.create_release(zone.id, &new).await?);
    Ok(out)
}

/// The calendar's release, when one is due on `on` (a release day has come since the last
/// release under these rules); otherwise only first publications of new tables.
pub async fn release_due(
    store: &Store,
    zone: &Zone,
    rules: &Rules,
    on: NaiveDate,
    by: &str,
) -> Result<Released> {
    let fp = fingerprint(rules);
    let last = store
        .releases(zone.id)
        .await?
        .into_iter()
        .rev()
        .find(|r| r.rules == fp && r.kind == "regular")
        .map(|r| r.released_on);
    let kind = if rules.releases.due(last, on) {
        ReleaseKind::Regular
    } else {
        ReleaseKind::New
    };
    release(store, zone, rules, on, &kind, by).await
}
