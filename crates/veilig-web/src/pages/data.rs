//! `/z/{zone}/data`: where the figures come from: sources and their periods, import batches,
//! rejected rows with their reasons, incidents placed in no area.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use super::zone_for;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::i18n::Tr;
use crate::policy::Action;
use crate::view::Chrome;

pub struct Batch {
    pub id: i64,
    pub kind: String,
    pub source: String,
    pub file: String,
    pub read: String,
    pub stored: String,
    pub duplicates: String,
    pub rejected: String,
    pub finished: String,
}

pub struct RejectRow {
    pub batch: i64,
    pub line: u64,
    pub field: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "data.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    sources: Vec<(String, String, String, String)>,
    batches: Vec<Batch>,
    rejects: Vec<RejectRow>,
    incidents: String,
    unassigned: String,
    without_location: String,
    zone_code: String,
    can_import: bool,
    sources_allowed: [&'static str; 3],
    /// The mappings of the zone's earlier imports, to use again: (batch, label).
    saved_mappings: Vec<(i64, String)>,
}

/// Rejected rows shown per batch (the CLI's `veilig rejects` lists them all).
const REJECTS_PER_BATCH: usize = 50;

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Data).await?;
    let can_import = crate::policy::allows(ctx.user.as_ref(), Some(zone.id), Action::Import);
    // The status scans every incident: read once per data version, from the figure cache.
    let st = state.figures_for(&zone).await?.status().await?;
    let tr = state.i18n.tr(ctx.lang);
    let mut rejects = Vec::new();
    for b in st.batches.iter().filter(|b| b.rejected > 0) {
        for r in state
            .store
            .rejects(b.id)
            .await?
            .into_iter()
            .take(REJECTS_PER_BATCH)
        {
            rejects.push(RejectRow {
                batch: b.id,
                line: r.line,
                field: r.field,
                reason: r.reason,
            });
        }
    }
    let stamp = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "–".into())
    };
    let code = zone.code.as_str().to_string();
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.arg("data-title", "zone", &zone.name),
            Some(&zone),
            &format!("/z/{code}/data"),
        ),
        sources: st
            .sources
            .iter()
            .map(|s| {
                (
                    s.source.clone(),
                    tr.int(s.incidents as u64),
                    stamp(s.first),
                    stamp(s.last),
                )
            })
            .collect(),
        batches: st
            .batches
            .iter()
            .map(|b| Batch {
                id: b.id,
                kind: match veilig_domain::BatchKind::parse(&b.kind) {
                    Some(k) => tr.t(&format!("batch-kind-{}", k.as_str())),
                    None => b.kind.clone(),
                },
                source: b.source.clone(),
                file: b.file_name.clone(),
                read: tr.int(b.rows_read as u64),
                stored: tr.int(b.stored as u64),
                duplicates: tr.int(b.duplicates as u64),
                rejected: tr.int(b.rejected as u64),
                finished: b
                    .finished_at
                    .map(|t| tr.written(t.format("%Y-%m-%d %H:%M")))
                    .unwrap_or_else(|| tr.t("batch-unfinished")),
            })
            .collect(),
        rejects,
        incidents: tr.int(st.incidents as u64),
        unassigned: tr.int(st.unassigned as u64),
        without_location: tr.int(st.without_location as u64),
        zone_code: code,
        saved_mappings: if can_import {
            saved_mappings(&state, zone.id, &tr).await?
        } else {
            Vec::new()
        },
        can_import,
        sources_allowed: super::upload::SOURCES,
        tr,
    };
    Ok(Html(page.render()?))
}

/// The zone's earlier mappings, each text once (the newest use names it).
async fn saved_mappings(
    state: &AppState,
    zone_id: i64,
    tr: &Tr<'_>,
) -> WebResult<Vec<(i64, String)>> {
    let mut seen = std::collections::HashSet::new();
    Ok(state
        .store
        .saved_mappings(zone_id)
        .await?
        .into_iter()
        .filter(|m| seen.insert(m.mapping.clone()))
        .map(|m| {
            let when = m.finished_at.map(|t| tr.date(t.date())).unwrap_or_default();
            (
                m.id,
                tr.args(
                    "upload-saved-label",
                    &[("source", m.source), ("file", m.file_name), ("date", when)],
                ),
            )
        })
        .collect())
}
