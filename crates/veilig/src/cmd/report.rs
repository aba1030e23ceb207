//! `veilig report`: builds, typesets, writes and issues a report.

use std::process::ExitCode;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use veilig_i18n::{I18n, Lang};
use veilig_query::report::{Request, build, issue, render};
use veilig_store::Store;

use crate::cmd::{cli_audit_entry, existing_zone};
use veilig_cli::args::report::ReportArgs;
use veilig_cli::output::{emit, json};

/// What the flags ask for.
fn request(a: &ReportArgs) -> Request {
    Request {
        municipality: a.municipality.clone(),
        public: a.public,
        staff: a.staff,
        lang: Lang::parse(&a.lang).expect("clap checked"),
        organisation: a.organisation.clone(),
        review: a.review,
        plan: a.plan.clone(),
        ..Request::new(a.kind.query(), a.year)
    }
}

pub async fn run(store: &Store, a: ReportArgs) -> Result<ExitCode> {
    let zone = existing_zone(store, &a.zone).await?;
    let rules = match &a.disclosure_rules {
        Some(p) => veilig_disclosure::Rules::load(p)?,
        None => veilig_disclosure::Rules::builtin(),
    };
    let i18n = I18n::load()?;
    let req = request(&a);
    let built = build(store, &zone, &rules, i18n.tr(req.lang), &req).await?;
    let pdf = render(&built)?;
    std::fs::write(&a.out, &pdf).with_context(|| a.out.display().to_string())?;
    let sha: String = Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let detail = format!(
        "{} {} {} edition, data version {}, pdf sha256 {sha} -> {}",
        req.kind.as_str(),
        req.year,
        req.edition(),
        built.data_version,
        a.out.display()
    );
    let id = if a.draft {
        let line = cli_audit_entry("report.draft", zone.id, detail);
        store.audit(&line).await?;
        None
    } else {
        let (by, line) = (
            super::cli_user(),
            cli_audit_entry("report.issue", zone.id, detail),
        );
        Some(issue(store, &zone, &built, &pdf, &rules, &by, &line).await?)
    };
    let out = serde_json::json!({
        "id": id,
        "out": a.out,
        "kind": req.kind,
        "year": req.year,
        "edition": req.edition(),
        "lang": req.lang.code(),
        "bytes": pdf.len(),
        "pdf_sha256": sha,
        "content_sha256": built.doc.content_sha256(),
        "data_version": built.data_version,
        "batches": built.batches,
    });
    emit(&out, a.json, |_| {
        let issued = id.map_or(", draft (not issued)".into(), |id| {
            format!(", issued as report {id}")
        });
        println!(
            "{}: {} ({} bytes, sha256 {sha}), data version {}{issued}",
            req.kind.as_str(),
            a.out.display(),
            pdf.len(),
            built.data_version,
        );
    })
}

pub async fn list(store: &Store, zone: &str, as_json: bool) -> Result<ExitCode> {
    let zone = existing_zone(store, zone).await?;
    let reports = store.issued_reports(zone.id).await?;
    if as_json {
        json(&serde_json::json!({"zone": zone.code.as_str(), "reports": reports}))?;
    } else {
        for r in &reports {
            println!(
                "{:>4}  {} {} {} {}{}  data version {}  {} by {}  sha256 {}",
                r.id,
                r.kind,
                r.year,
                r.edition,
                r.lang,
                r.municipality
                    .as_ref()
                    .or(r.organisation.as_ref())
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default(),
                r.data_version,
                r.issued_at.format("%Y-%m-%d %H:%M"),
                r.issued_by,
                r.pdf_sha256
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `veilig foreword`: writes the foreword (from --file or --text) or prints it.
pub async fn foreword(
    store: &Store,
    a: veilig_cli::args::report::ForewordArgs,
) -> Result<ExitCode> {
    let zone = existing_zone(store, &a.zone).await?;
    let (kind, lang) = (a.kind.query(), Lang::parse(&a.lang).expect("clap checked"));
    let body = match (&a.file, &a.text) {
        (Some(f), _) => Some(std::fs::read_to_string(f).with_context(|| f.display().to_string())?),
        (None, Some(t)) => Some(t.clone()),
        (None, None) => None,
    };
    if let Some(body) = body {
        let detail = format!(
            "{} {} {}: {} characters",
            kind.as_str(),
            a.year,
            a.lang,
            body.trim().chars().count()
        );
        let line = cli_audit_entry("report.foreword", zone.id, detail);
        veilig_query::report::set_foreword(
            store, &zone, kind, a.year, lang, &body, &a.signed, &line,
        )
        .await?;
    }
    let f = veilig_query::report::foreword(store, &zone, kind, a.year, lang).await?;
    emit(&f, a.json, |f| match f {
        Some(f) => println!("{}\n\n{}", f.body, f.signed),
        None => println!(
            "no foreword for the {} of {} ({})",
            kind.as_str(),
            a.year,
            a.lang
        ),
    })
}
