//! Reports on the web: `/z/{zone}/reports` lists the issued reports a user may download
//! (see `policy::report_visible`) and lets the zone's staff issue one (the same path as
//! `veilig report`); `/z/{zone}/reports/{id}` downloads one, audited; `/public/{zone}/reports/{id}`
//! serves the public editions to anyone and `/public/{zone}/feed.atom` announces them with
//! the open data, each at a stable URL.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use veilig_query::report::{Kind, Request, build_with, issue, render};
use veilig_store::IssuedReport;

use super::zone_for;
use super::{form_page, organisation, today};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::{Lang, Tr};
use crate::policy::{Action, allows, report_visible};
use crate::view::Chrome;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub edition: String,
    pub lang: String,
    pub data_version: i64,
    pub issued: String,
    pub by: String,
    pub sha: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    rows: Vec<Row>,
    can_issue: bool,
    kinds: Vec<(String, String)>,
    municipalities: Vec<(String, String)>,
    year: i32,
    error: Option<String>,
    action: String,
    /// The jaarverslag foreword of `year` in the reader's language (body, signature), to
    /// edit before the report is issued.
    foreword: (String, String),
    foreword_kinds: Vec<(String, String)>,
}

/// A report's title in the reader's language.
pub(crate) fn title(tr: &Tr, r: &IssuedReport) -> String {
    let y = r.year.to_string();
    match r.kind.as_str() {
        "jaarverslag" => tr.arg("report-jaarverslag-title", "year", y),
        "evaluation" => tr.arg("report-evaluation-title", "year", y),
        "council" => tr.arg2(
            "report-council-title",
            "name",
            r.municipality.clone().unwrap_or_default(),
            "year",
            y,
        ),
        "compstat" => tr.arg("report-compstat-title", "date", y),
        "partner" => tr.arg2(
            "report-partner-title",
            "organisation",
            r.organisation.clone().unwrap_or_default(),
            "year",
            y,
        ),
        _ => format!("{} {y}", tr.t("plan-title")),
    }
}

fn row(tr: &Tr, r: &IssuedReport, href: String) -> Row {
    Row {
        id: r.id,
        title: title(tr, r),
        edition: tr.t(&format!("report-edition-{}", r.edition)),
        lang: r.lang.to_uppercase(),
        data_version: r.data_version,
        issued: r.issued_at.format("%Y-%m-%d %H:%M").to_string(),
        by: r.issued_by.clone(),
        sha: r.pdf_sha256[..12].to_string(),
        href,
    }
}

async fn render_page(
    state: &AppState,
    ctx: &Ctx,
    zone: &veilig_domain::Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let tr = state.i18n.tr(ctx.lang);
    let org = organisation(state, ctx).await?;
    let code = zone.code.as_str();
    let rows = state
        .store
        .issued_reports(zone.id)
        .await?
        .iter()
        .filter(|r| {
            report_visible(
                ctx.user.as_ref(),
                zone.id,
                org.as_deref(),
                r,
                &state.config.disclosure.editions,
            )
        })
        .map(|r| row(&tr, r, format!("/z/{code}/reports/{}", r.id)))
        .collect();
    let here = format!("/z/{code}/reports");
    let refused = error.is_some();
    let page = Page {
        chrome: Chrome::new(state, ctx, tr.t("reports-title"), Some(zone), &here),
        tr,
        rows,
        can_issue: allows(ctx.user.as_ref(), Some(zone.id), Action::Reports),
        kinds: Kind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    tr.t(&format!("reports-kind-{}", k.as_str())),
                )
            })
            .collect(),
        municipalities: state
            .store
            .municipalities(zone.id)
            .await?
            .into_iter()
            .map(|m| (m.nis.as_str().to_string(), m.name_nl))
            .collect(),
        year: today().year() - 1,
        error,
        action: here,
        foreword: veilig_query::report::foreword(
            &state.store,
            zone,
            Kind::Jaarverslag,
            today().year() - 1,
            ctx.lang,
        )
        .await?
        .map(|f| (f.body, f.signed))
        .unwrap_or_default(),
        foreword_kinds: veilig_query::report::WITH_FOREWORD
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    tr.t(&format!("reports-kind-{}", k.as_str())),
                )
            })
            .collect(),
    };
    form_page(refused, page.render()?)
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::ReportsReceived).await?;
    render_page(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct IssueForm {
    pub kind: String,
    pub year: String,
    #[serde(default)]
    pub municipality: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub public: Option<String>,
    #[serde(default)]
    pub staff: Option<String>,
    #[serde(default)]
    pub lang: String,
}

/// Issues a report (analyst, chief): built, typeset and kept, as `veilig report` does.
pub async fn issue_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<IssueForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Reports).await?;
    let tr = state.i18n.tr(ctx.lang);
    let (Some(kind), Ok(year)) = (Kind::parse(&f.kind), f.year.trim().parse::<i32>()) else {
        return render_page(&state, &ctx, &zone, Some(tr.t("reports-bad-request"))).await;
    };
    let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let req = Request {
        municipality: blank(&f.municipality),
        organisation: blank(&f.organisation),
        public: f.public.is_some(),
        staff: f.staff.is_some(),
        lang: Lang::parse(&f.lang).unwrap_or(Lang::Nl),
        ..Request::new(kind, year)
    };
    let rules = state.config.disclosure.clone();
    let figs = state.figures_for(&zone).await?;
    let built = match build_with(&figs, state.i18n.tr(req.lang), &req).await {
        Ok(b) => b,
        Err(e) => {
            let msg = tr.arg("reports-refused", "reason", format!("{e:#}"));
            return render_page(&state, &ctx, &zone, Some(msg)).await;
        }
    };
    // Typesetting is CPU work: off the async workers.
    let (built, pdf) = tokio::task::spawn_blocking(move || {
        let pdf = render(&built);
        (built, pdf)
    })
    .await
    .map_err(|e| WebError::Internal(e.into()))?;
    let pdf = pdf?;
    let by = ctx
        .user
        .as_ref()
        .map(|u| u.username.clone())
        .unwrap_or_default();
    let audit = ctx.audit_entry(
        "report.issue",
        Some(zone.id),
        format!(
            "{} {} {} edition, data version {}",
            req.kind.as_str(),
            req.year,
            req.edition(),
            built.data_version
        ),
    );
    issue(&state.store, &zone, &built, &pdf, &rules, &by, &audit).await?;
    Ok(Redirect::to(&format!("/z/{}/reports", zone.code.as_str())).into_response())
}

fn pdf_response(r: &IssuedReport, bytes: Vec<u8>) -> Response {
    let name = format!(
        "{}-{}-{}-{}.pdf",
        r.kind,
        r.year,
        r.edition,
        r.municipality
            .as_deref()
            .or(r.organisation.as_deref())
            .unwrap_or(&r.lang)
    );
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Downloads an issued report the user may read; audited as an export.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((zone, id)): Path<(String, i64)>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::ReportsReceived).await?;
    let org = organisation(&state, &ctx).await?;
    let (r, bytes) = state
        .store
        .issued_report(zone.id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    if !report_visible(
        ctx.user.as_ref(),
        zone.id,
        org.as_deref(),
        &r,
        &state.config.disclosure.editions,
    ) {
        return Err(WebError::Forbidden);
    }
    state
        .store
        .audit(&ctx.audit_entry(
            "export",
            Some(zone.id),
            format!("report {} ({} {} {})", r.id, r.kind, r.year, r.edition),
        ))
        .await?;
    Ok(pdf_response(&r, bytes))
}

/// A public edition, for anyone (the public page and the feed link here).
pub async fn public_download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((zone, id)): Path<(String, i64)>,
) -> WebResult<Response> {
    let zone = state.store.zone(&zone).await?.ok_or(WebError::NotFound)?;
    let (r, bytes) = state
        .store
        .issued_report(zone.id, id)
        .await?
        .filter(|(r, _)| r.edition == "public")
        .ok_or(WebError::NotFound)?;
    state
        .store
        .audit(&ctx.audit_entry(
            "export",
            Some(zone.id),
            format!("public report {} ({} {})", r.id, r.kind, r.year),
        ))
        .await?;
    Ok(pdf_response(&r, bytes))
}

fn xml(s: &str) -> String {
    veilig_report::esc(s).replace('\'', "&apos;")
}

/// The zone's publications as an Atom feed: every public edition at its stable URL, and the
/// open data (CSV and JSON) of the published year.
pub async fn feed(State(state): State<AppState>, Path(zone): Path<String>) -> WebResult<Response> {
    let zone = state.store.zone(&zone).await?.ok_or(WebError::NotFound)?;
    let tr = state.i18n.tr(Lang::Nl);
    let code = zone.code.as_str();
    let reports: Vec<IssuedReport> = state
        .store
        .issued_reports(zone.id)
        .await?
        .into_iter()
        .filter(|r| r.edition == "public")
        .collect();
    let updated = reports
        .iter()
        .map(|r| r.issued_at)
        .max()
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut s = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{}</title>
<id>urn:veilig:{code}:publications</id>
<updated>{updated}</updated>
<link rel="self" href="/public/{code}/feed.atom"/>
<link rel="alternate" href="/public/{code}"/>
<entry><title>{}</title><id>urn:veilig:{code}:open-data</id><updated>{updated}</updated><link href="/api/v1/public/{code}/open-data.json"/><link rel="alternate" type="text/csv" href="/api/v1/public/{code}/open-data.csv"/><summary>{}</summary></entry>
"#,
        xml(&tr.arg("feed-title", "zone", &zone.name)),
        xml(&tr.t("feed-open-data")),
        xml(&tr.t("open-data-licence-note")),
    );
    for r in &reports {
        s.push_str(&format!(
            "<entry><title>{}</title><id>urn:veilig:{code}:report:{}</id><updated>{}</updated><link rel=\"enclosure\" type=\"application/pdf\" href=\"/public/{code}/reports/{}\"/><summary>{}</summary></entry>\n",
            xml(&title(&tr, r)),
            r.id,
            r.issued_at.format("%Y-%m-%dT%H:%M:%SZ"),
            r.id,
            xml(&format!("{} · sha256 {}", tr.t("report-edition-public"), r.pdf_sha256)),
        ));
    }
    s.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        s,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ForewordForm {
    pub kind: String,
    pub year: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub signed: String,
}

/// Writes the chief's foreword to a report of a year (analyst, chief), as `veilig foreword`
/// does; an empty text removes it.
pub async fn save_foreword(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<ForewordForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Reports).await?;
    let tr = state.i18n.tr(ctx.lang);
    let (Some(kind), Ok(year)) = (Kind::parse(&f.kind), f.year.trim().parse::<i32>()) else {
        return render_page(&state, &ctx, &zone, Some(tr.t("reports-bad-request"))).await;
    };
    let lang = Lang::parse(&f.lang).unwrap_or(ctx.lang);
    let audit = ctx.audit_entry(
        "report.foreword",
        Some(zone.id),
        format!(
            "{} {year} {}: {} characters",
            kind.as_str(),
            lang.code(),
            f.body.trim().chars().count()
        ),
    );
    let saved = veilig_query::report::set_foreword(
        &state.store,
        &zone,
        kind,
        year,
        lang,
        &f.body,
        &f.signed,
        &audit,
    )
    .await;
    if let Err(e) = saved {
        let msg = tr.arg("reports-refused", "reason", format!("{e:#}"));
        return render_page(&state, &ctx, &zone, Some(msg)).await;
    }
    Ok(Redirect::to(&format!("/z/{}/reports", zone.code.as_str())).into_response())
}
