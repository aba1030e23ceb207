//! Importing a file from the browser, in two steps. Upload: the file is kept in a private
//! temporary folder and imported into a scratch copy of the zone (same CRS, same areas), so
//! the preview shows exactly what the real import will say: the first lines as read, the
//! mapping, rows stored and rejected with line, field and reason, phenomena found. Confirm:
//! the same importer runs on the zone's store (atomic, idempotent, audited).

use std::path::{Path as FsPath, PathBuf};

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use veilig_domain::{BatchKind, Catalogue, NewArea, NewZone, Zone};
use veilig_import::Quiet;
use veilig_store::{NewBatch, Store};

use super::zone_for;
use crate::AppState;
use crate::auth::{Ctx, random_token};
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::policy::Action;
use crate::view::Chrome;

/// The sources a browser upload may name (the CLI has the same list).
pub const SOURCES: [&str; 3] = ["generic", "police-uk", "toronto-mci"];
/// Largest upload accepted.
pub const UPLOAD_LIMIT: usize = 256 << 20;

/// What is kept beside an uploaded file until it is imported or abandoned.
#[derive(Serialize, Deserialize)]
struct Pending {
    user_id: i64,
    zone: String,
    source: String,
    file: String,
    mapping: Option<String>,
}

fn uploads() -> PathBuf {
    std::env::temp_dir().join("veilig-uploads")
}

/// A file name without any path: letters, digits, `.-_` (the batch records it).
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("upload");
    let s: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.trim_matches(['.', '_']).is_empty() {
        "upload.csv".into()
    } else {
        s
    }
}

fn valid_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

pub struct RejectRow {
    pub line: u64,
    pub field: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "upload.html")]
struct Preview<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    zone_code: String,
    id: String,
    file: String,
    source: String,
    mapping: Option<String>,
    head: Vec<String>,
    read: u64,
    stored: u64,
    duplicates: u64,
    rejected: u64,
    unassigned: u64,
    rejects: Vec<RejectRow>,
    phenomena: Vec<(String, i64)>,
    error: Option<String>,
    /// The mapping form of a generic file: its columns, and per key (key, label, required,
    /// chosen column).
    builder: Option<Builder>,
}

/// The mapping form on the preview of a generic file.
pub struct Builder {
    pub columns: Vec<String>,
    pub keys: Vec<(&'static str, String, bool, String)>,
    pub source_name: String,
    pub crs: Vec<(i32, String)>,
}

/// A scratch store with a copy of the zone and its areas, in the upload's folder.
async fn scratch(state: &AppState, zone: &Zone, dir: &FsPath) -> anyhow::Result<(Store, Zone)> {
    let store = Store::open(&format!("sqlite://{}", dir.join("preview.db").display())).await?;
    let copy = store
        .create_zone(
            &NewZone {
                code: zone.code.clone(),
                name: zone.name.clone(),
                kind: zone.kind,
                crs: zone.crs,
                synthetic: zone.synthetic,
            },
            &Catalogue::builtin(),
        )
        .await?;
    let areas: Vec<NewArea> = state
        .store
        .areas(zone.id)
        .await?
        .into_iter()
        .map(|a| NewArea {
            code: a.code,
            name: a.name,
            kind: a.kind,
            municipality_nis: a.municipality_nis,
            geometry: a.geometry,
            synthetic: a.synthetic,
        })
        .collect();
    if !areas.is_empty() {
        let mut tx = store
            .begin_import(&NewBatch {
                zone_id: copy.id,
                kind: BatchKind::Areas,
                source: "preview",
                file_name: "areas",
                sha256: "preview",
                mapping: None,
                synthetic: false,
            })
            .await?;
        let n = tx.insert_areas(&areas).await?;
        tx.finish(n, n, 0, 0).await?;
    }
    Ok((store, copy))
}

fn format(
    p: &Pending,
    dir: &FsPath,
) -> Result<Box<dyn veilig_import::IncidentFormat + Send>, veilig_import::ImportError> {
    let mapping = p.mapping.as_ref().map(|_| dir.join("mapping.toml"));
    veilig_import::incident_format(&p.source, mapping.as_deref())
}

/// Step 1: receive the file and show the preview.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    mut form: Multipart,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Import).await?;
    let user = ctx.user.as_ref().ok_or(WebError::Unauthenticated)?;
    let id = random_token();
    let dir = uploads().join(&id);
    std::fs::create_dir_all(&dir).map_err(|e| WebError::Internal(e.into()))?;
    let mut pending = Pending {
        user_id: user.id,
        zone: zone.code.as_str().to_string(),
        source: String::new(),
        file: String::new(),
        mapping: None,
    };
    let mut saved: Option<i64> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| WebError::BadRequest("upload-bad-form"))?
    {
        match field.name() {
            Some("source") => {
                pending.source = field
                    .text()
                    .await
                    .map_err(|_| WebError::BadRequest("upload-bad-form"))?
            }
            Some("mapping") => {
                let t = field
                    .text()
                    .await
                    .map_err(|_| WebError::BadRequest("upload-bad-form"))?;
                if !t.trim().is_empty() {
                    pending.mapping = Some(t);
                }
            }
            Some("saved") => {
                let t = field
                    .text()
                    .await
                    .map_err(|_| WebError::BadRequest("upload-bad-form"))?;
                saved = t.trim().parse::<i64>().ok();
            }
            Some("file") => {
                pending.file = clean_name(field.file_name().unwrap_or("upload.csv"));
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| WebError::BadRequest("error-too-large"))?;
                std::fs::write(dir.join(&pending.file), &bytes)
                    .map_err(|e| WebError::Internal(e.into()))?;
            }
            _ => {}
        }
    }
    if !SOURCES.contains(&pending.source.as_str()) || pending.file.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(WebError::BadRequest("upload-bad-form"));
    }
    // A mapping the zone used before, unless one was typed: only the zone's own.
    if let (None, Some(batch)) = (&pending.mapping, saved) {
        let found = state.store.saved_mappings(zone.id).await?;
        let m = found.into_iter().find(|m| m.id == batch);
        pending.mapping = Some(m.ok_or(WebError::BadRequest("upload-bad-form"))?.mapping);
    }
    keep(&dir, &pending)?;
    preview(&state, &ctx, &zone, &id, &dir, &pending).await
}

/// Writes what an upload keeps beside its file: the mapping and the pending record.
fn keep(dir: &FsPath, pending: &Pending) -> WebResult<()> {
    if let Some(m) = &pending.mapping {
        std::fs::write(dir.join("mapping.toml"), m).map_err(|e| WebError::Internal(e.into()))?;
    }
    std::fs::write(
        dir.join("pending.json"),
        serde_json::to_vec(pending).map_err(|e| WebError::Internal(e.into()))?,
    )
    .map_err(|e| WebError::Internal(e.into()))
}

/// Imports the kept file into a scratch copy of the zone and shows what the import will do.
async fn preview(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    id: &str,
    dir: &FsPath,
    pending: &Pending,
) -> WebResult<Response> {
    let tr = state.i18n.tr(ctx.lang);
    // The first lines decoded as the importer decodes them (a Windows-1252 export shows its
    // accents), or as bytes can be read when it refuses the file.
    let path = dir.join(&pending.file);
    let text = match veilig_import::file::read_text(&path, None) {
        Ok(f) => f.text,
        Err(_) => String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned(),
    };
    let head: Vec<String> = text
        .lines()
        .take(6)
        .map(|l| l.chars().take(300).collect())
        .collect();
    let builder = (pending.source == "generic").then(|| builder(&tr, &head, pending));
    let mut page = Preview {
        chrome: Chrome::new(
            state,
            ctx,
            tr.arg("upload-title", "file", &pending.file),
            Some(zone),
            &format!("/z/{}/data", pending.zone),
        ),
        zone_code: pending.zone.clone(),
        id: id.to_string(),
        file: pending.file.clone(),
        source: pending.source.clone(),
        mapping: pending.mapping.clone(),
        head,
        read: 0,
        stored: 0,
        duplicates: 0,
        rejected: 0,
        unassigned: 0,
        rejects: Vec::new(),
        phenomena: Vec::new(),
        error: None,
        builder,
        tr,
    };
    let (scratch_store, copy) = scratch(state, zone, dir).await?;
    let result = match format(pending, dir) {
        Ok(f) => {
            veilig_import::import_incidents_as(
                &scratch_store,
                &copy,
                f,
                &dir.join(&pending.file),
                &pending.file,
                &Quiet,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(s) => {
            page.read = s.rows_read;
            page.stored = s.stored;
            page.duplicates = s.duplicates;
            page.rejected = s.rejected;
            page.unassigned = s.unassigned;
            page.rejects = scratch_store
                .rejects(s.batch)
                .await?
                .into_iter()
                .take(100)
                .map(|r| RejectRow {
                    line: r.line,
                    field: r.field,
                    reason: r.reason,
                })
                .collect();
            page.phenomena = scratch_store
                .status(&copy)
                .await?
                .phenomena
                .into_iter()
                .filter(|p| p.total > 0)
                .map(|p| (p.name_nl, p.total))
                .collect();
        }
        // Messages name the file as uploaded, never the server's temporary folder.
        Err(e) => page.error = Some(e.to_string().replace(&format!("{}/", dir.display()), "")),
    }
    scratch_store.close().await;
    let _ = std::fs::remove_file(dir.join("preview.db"));
    Ok(Html(page.render()?).into_response())
}

/// The mapping form for a generic file, each key on the column its header suggests (or the
/// one the current mapping names).
fn builder(tr: &Tr, head: &[String], pending: &Pending) -> Builder {
    use super::upload_mapping::{CRS, KEYS, columns, guess};
    let columns = head.first().map(|l| columns(l)).unwrap_or_default();
    let current: Option<toml::Table> = pending
        .mapping
        .as_deref()
        .and_then(|m| toml::from_str(m).ok());
    let chosen = |key: &str| {
        current
            .as_ref()
            .and_then(|t| t.get("columns")?.get(key)?.as_str().map(str::to_string))
    };
    let keys = KEYS
        .iter()
        .map(|k| {
            let pick = chosen(k.key)
                .or_else(|| guess(k, &columns))
                .unwrap_or_default();
            (
                k.key,
                tr.t(&format!("mapping-key-{}", k.key)),
                k.required,
                pick,
            )
        })
        .collect();
    let stem = pending
        .file
        .rsplit_once('.')
        .map_or(pending.file.as_str(), |p| p.0);
    Builder {
        columns,
        keys,
        source_name: current
            .as_ref()
            .and_then(|t| t.get("source")?.as_str().map(str::to_string))
            .unwrap_or_else(|| stem.chars().take(40).collect()),
        crs: CRS
            .iter()
            .map(|c| (*c, tr.t(&format!("mapping-crs-{c}"))))
            .collect(),
    }
}

/// The uploader's pending upload `id` for `zone`, or why not.
fn pending_of(ctx: &Ctx, zone: &Zone, id: &str) -> WebResult<(PathBuf, Pending)> {
    let user = ctx.user.as_ref().ok_or(WebError::Unauthenticated)?;
    if !valid_id(id) {
        return Err(WebError::NotFound);
    }
    let dir = uploads().join(id);
    let pending: Pending = std::fs::read(dir.join("pending.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(WebError::NotFound)?;
    // Only the uploader goes on, in the zone it was previewed for.
    if pending.user_id != user.id || pending.zone != zone.code.as_str() {
        return Err(WebError::Forbidden);
    }
    Ok((dir, pending))
}

/// The mapping form sent back: it becomes the upload's mapping and the preview runs again.
pub async fn remap(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(b): Form<super::upload_mapping::Built>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Import).await?;
    let (dir, mut pending) = pending_of(&ctx, &zone, &b.id)?;
    match super::upload_mapping::mapping_toml(&b) {
        Ok(m) => {
            pending.mapping = Some(m);
            keep(&dir, &pending)?;
            preview(&state, &ctx, &zone, &b.id, &dir, &pending).await
        }
        Err(key) => Err(WebError::BadRequest(key)),
    }
}

#[derive(Deserialize)]
pub struct Confirm {
    id: String,
}

/// Step 2: import the previewed file into the zone.
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<Confirm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Import).await?;
    let (dir, pending) = pending_of(&ctx, &zone, &f.id)?;
    let f = format(&pending, &dir).map_err(|e| WebError::Internal(e.into()))?;
    let s = veilig_import::import_incidents_as(
        &state.store,
        &zone,
        f,
        &dir.join(&pending.file),
        &pending.file,
        &Quiet,
    )
    .await
    .map_err(|e| WebError::Internal(e.into()))?;
    // The audit line, the indicators' revisions and the refresh request, as after any import.
    let by = ctx.audit_entry("import", Some(zone.id), String::new());
    veilig_query::after_import(&state.store, &zone, std::slice::from_ref(&s), &by).await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Redirect::to(&format!("/z/{}/data", zone.code.as_str())).into_response())
}
