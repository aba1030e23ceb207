//! The overview in each language, every message in every language, and an upload from preview to import.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use veilig_domain::Role;
use veilig_web::i18n;

use super::common::*;

#[tokio::test]
async fn the_overview_shows_every_phenomenon_with_a_verdict_in_each_language() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let cache = veilig_web::figures::Cache::default();
    let rules = veilig_disclosure::Rules::builtin();
    let figures = veilig_web::figures::ZoneFigures::new(&cache, &app.store, &z, &rules)
        .await
        .unwrap();
    let phenomena = figures.phenomena_with_data().await.unwrap();
    assert_eq!(phenomena.len(), 14);
    let page = c.get("/z/demo-bdm").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("SYNTHETISCHE DEMOGEGEVENS"));
    for p in phenomena.iter() {
        assert!(
            page.body.contains(&format!("/z/demo-bdm/p/{}?", p.code)),
            "{}",
            p.code
        );
        assert!(page.body.contains(&veilig_report::esc(&p.nl)), "{}", p.nl);
    }
    assert_eq!(page.body.matches("class=\"verdict ").count(), 14);
    assert!(
        page.body.len() < 300_000,
        "overview weighs {} bytes",
        page.body.len()
    );
    // French, then English, through the switch (a cookie).
    let a = c.get("/lang/fr?next=/z/demo-bdm").await;
    assert_eq!(a.headers[header::LOCATION], "/z/demo-bdm");
    let fr = c.get("/z/demo-bdm").await.body;
    assert!(fr.contains("<html lang=\"fr-BE\">") && fr.contains("Aperçu"));
    assert!(fr.contains(&veilig_report::esc(&phenomena[0].fr)));
    c.get("/lang/en?next=/").await;
    let en = c.get("/z/demo-bdm").await.body;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Overview"));
    // The period filter changes the figures; the phenomenon page has every section.
    let p = c
        .get("/z/demo-bdm/p/woninginbraak?from=2025-01-01&to=2025-12-31")
        .await;
    assert_eq!(p.status, StatusCode::OK);
    for s in [
        "Comparisons and tests",
        "Per month",
        "Hour and weekday",
        "Near repeat",
        "Per area",
        "2025-01-01",
    ] {
        assert!(p.body.contains(s), "{s}");
    }
    let api: serde_json::Value = serde_json::from_str(
        &c.get("/api/v1/zones/demo-bdm/phenomena/woninginbraak?from=2025-01-01&to=2025-12-31")
            .await
            .body,
    )
    .unwrap();
    let count = api["summary"]["count"].as_u64().unwrap();
    assert!(
        p.body.contains(&format!("{count} incidents")),
        "page and API agree on {count}"
    );
    let areas_sum: u64 = api["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["count"].as_u64().unwrap())
        .sum();
    assert_eq!(areas_sum, count, "every demo incident lies in an area");
    assert_eq!(api["source"]["period"]["start"], "2025-01-01");
    // The public table: every demo incident is located, so there is no "not located" column
    // to force a municipality into secondary suppression; a row with only large counts is
    // shown whole, and the totals agree with the cells.
    let public: serde_json::Value =
        serde_json::from_str(&c.get("/api/v1/public/demo-bdm").await.body).unwrap();
    assert_eq!(public["not_located_column"], false);
    let rows = public["rows"].as_array().unwrap();
    let drugs = rows.iter().find(|r| r["code"] == "drugs").unwrap();
    let cells: Vec<u64> = drugs["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .collect();
    assert_eq!(cells.iter().sum::<u64>(), drugs["total"].as_u64().unwrap());
    for r in rows {
        let hidden = r["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c.is_null())
            .count();
        assert_ne!(
            hidden, 1,
            "a single hidden cell would be revealed by the total: {r}"
        );
    }
}

#[test]
fn every_message_exists_in_every_language() {
    let nl: BTreeSet<String> = i18n::I18n::keys(i18n::Lang::Nl).into_iter().collect();
    for lang in [i18n::Lang::Fr, i18n::Lang::En] {
        let other: BTreeSet<String> = i18n::I18n::keys(lang).into_iter().collect();
        assert_eq!(
            nl.symmetric_difference(&other).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "nl and {} differ",
            lang.code()
        );
    }
    // Every key the code and the templates use exists.
    let root = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let mut used = BTreeSet::new();
    let mut files = Vec::new();
    for dir in ["src", "src/pages", "templates"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                files.push(p);
            }
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for call in [
            ".t(\"",
            ".arg(\"",
            ".arg2(\"",
            ".args(\"",
            " fail(\"",
            "BadRequest(\"",
        ] {
            for part in text.split(call).skip(1) {
                let key = &part[..part.find('"').unwrap()];
                if key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                    && !key.is_empty()
                {
                    used.insert(key.to_string());
                }
            }
        }
    }
    // Keys built from data: roles, verdicts, comparison labels, days, errors.
    for r in Role::ALL {
        used.insert(format!("role-{}", r.as_str()));
    }
    for v in [
        "significantly-higher",
        "significantly-lower",
        "no-significant-change",
        "too-few-events",
    ] {
        used.insert(format!("verdict-{v}"));
    }
    for l in [
        "period-vs-previous-year",
        "period-vs-previous-3-years",
        "week-to-date",
        "last-28-days",
        "year-to-date",
    ] {
        used.insert(format!("cmp-{l}"));
    }
    for d in 0..7 {
        used.insert(format!("day-{d}"));
    }
    let missing: Vec<&String> = used.iter().filter(|k| !nl.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys used but not in nl.ftl: {missing:?}"
    );
    assert!(used.len() > 130, "the scan found only {} keys", used.len());
}

/// The data page's upload action (its CSRF token rides in the query: a multipart body is read
/// only after the check).
async fn upload_action(c: &mut Client<'_>) -> String {
    let data = c.get("/z/demo-bdm/data").await.body;
    let at = data.find("/data/upload?csrf=").expect("the upload form");
    data[at - 12..at + 18 + 64]
        .trim_start_matches(|ch| ch != '/')
        .to_string()
}

fn testdata(name: &str) -> Vec<u8> {
    let root = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../testdata");
    std::fs::read(root.join(name)).unwrap()
}

/// A multipart upload of `file` (as `file_name`) with the form's other `fields`.
fn upload(
    uri: &str,
    cookie: String,
    fields: &[(&str, &str)],
    file_name: &str,
    file: &[u8],
) -> Request<Body> {
    let boundary = "veiligboundary7d";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(header::COOKIE, cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn an_analyst_uploads_a_file_sees_the_validation_report_then_imports_it() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let action = upload_action(&mut c).await;
    let csv = testdata("belgian-export-100.csv");
    let mapping = String::from_utf8(testdata("belgian-export.toml")).unwrap();
    let fields = [("source", "generic"), ("mapping", mapping.as_str())];
    let name = "../../belgian-export-100.csv";
    // Without the token in the query, refused.
    let a = c
        .send(upload(
            "/z/demo-bdm/data/upload",
            c.cookie_header(),
            &fields,
            name,
            &csv,
        ))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let before = app.store.batches(z.id).await.unwrap().len();
    let a = c
        .send(upload(&action, c.cookie_header(), &fields, name, &csv))
        .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        &a.body[..a.body.len().min(500)]
    );
    let p = &a.body;
    assert!(p.contains("PV-nummer;Feit"), "the first lines as read");
    assert!(
        p.contains("Verdachte geïdentificeerd"),
        "a Windows-1252 export's accents decoded, as the importer reads them"
    );
    assert!(
        p.contains("belgian-export-100.csv"),
        "the file name, without its path"
    );
    for (label, n) in [("Gelezen", 100), ("Opgeslagen", 97), ("Geweigerd", 3)] {
        assert!(
            p.contains(&format!("{label}</th><td class=\"num\">{n}</td>")),
            "{label} {n}"
        );
    }
    for line in [21, 56, 91] {
        assert!(
            p.contains(&format!("<td class=\"num\">{line}</td>")),
            "rejected line {line}"
        );
    }
    assert_eq!(
        app.store.batches(z.id).await.unwrap().len(),
        before,
        "the preview stores nothing"
    );
    // Confirm.
    let at = p.find("name=\"id\" value=\"").unwrap();
    let id = p[at + 17..at + 17 + 64].to_string();
    let at = p.find("name=\"csrf\" value=\"").unwrap();
    let csrf = p[at + 19..at + 83].to_string();
    let mut partner = logged_in(&app, Some(Role::Partner)).await;
    let pcsrf = partner.csrf().await;
    let a = partner
        .post("/z/demo-bdm/data/import", &[("csrf", &pcsrf), ("id", &id)])
        .await;
    assert!(
        a.status == StatusCode::FORBIDDEN || a.status == StatusCode::SEE_OTHER,
        "{}",
        a.status
    );
    let a = c
        .post("/z/demo-bdm/data/import", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let batches = app.store.batches(z.id).await.unwrap();
    assert_eq!(batches.len(), before + 1);
    let b = batches.last().unwrap();
    assert_eq!(
        (b.stored, b.rejected, b.file_name.as_str()),
        (97, 3, "belgian-export-100.csv")
    );
    let log = app.store.audit_log(20).await.unwrap();
    assert!(
        log.iter()
            .any(|l| l.action == "import" && l.username.as_deref() == Some("analyst"))
    );
    // The preview is gone once imported.
    let a = c
        .post("/z/demo-bdm/data/import", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

/// The web import without typing TOML: a generic file uploaded without a mapping gets a form
/// with its own columns, each key pre-chosen by its header; sent back, it becomes the
/// mapping and the preview runs again; once imported, the zone offers that mapping again.
#[tokio::test]
async fn an_analyst_builds_a_mapping_in_a_form_and_picks_it_again_later() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let action = upload_action(&mut c).await;
    let csv = testdata("belgian-export-100.csv");
    let a = c
        .send(upload(
            &action,
            c.cookie_header(),
            &[("source", "generic")],
            "export.csv",
            &csv,
        ))
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let p = &a.body;
    assert!(p.contains("De mapping, zonder TOML"), "the form");
    for (key, column) in [
        ("category", "Feit"),
        ("occurred_from", "Begin feiten"),
        ("reported_at", "Registratie"),
        ("x", "X"),
        ("y", "Y"),
    ] {
        let at = p
            .find(&format!("id=\"m-{key}\""))
            .unwrap_or_else(|| panic!("{key}"));
        let select = &p[at..at + p[at..].find("</select>").unwrap()];
        assert!(
            select.contains(&format!("<option value=\"{column}\" selected>")),
            "{key} on {column}"
        );
    }
    let at = p.find("name=\"id\" value=\"").unwrap();
    let id = p[at + 17..at + 17 + 64].to_string();
    let csrf = form_csrf(p);
    let fields = [
        ("csrf", csrf.as_str()),
        ("id", id.as_str()),
        ("source_name", "islp-formulier"),
        ("category", "Feit"),
        ("occurred_from", "Begin feiten"),
        ("reported_at", "Registratie"),
        ("col_id", "PV-nummer"),
        ("x", "X"),
        ("y", "Y"),
        ("crs", "31370"),
        ("decimal", ","),
        ("date_format", "%d/%m/%Y %H:%M"),
    ];
    let a = c.post("/z/demo-bdm/data/mapping", &fields).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        &a.body[..a.body.len().min(400)]
    );
    assert!(
        a.body.contains("Gelezen</th><td class=\"num\">100</td>"),
        "the preview again"
    );
    assert!(
        a.body.contains("source = &#34;islp-formulier&#34;"),
        "the mapping as made"
    );
    // A half mapping is refused, naming what is missing; someone else's upload is not theirs.
    let half = [
        ("csrf", csrf.as_str()),
        ("id", id.as_str()),
        ("source_name", "x"),
        ("category", "Feit"),
    ];
    assert_eq!(
        c.post("/z/demo-bdm/data/mapping", &half).await.status,
        StatusCode::BAD_REQUEST
    );
    // The administrator may import, but this upload is the analyst's.
    let mut chief = logged_in(&app, Some(Role::Administrator)).await;
    let ccsrf = chief.csrf().await;
    let mut other = fields;
    other[0] = ("csrf", ccsrf.as_str());
    assert_eq!(
        chief.post("/z/demo-bdm/data/mapping", &other).await.status,
        StatusCode::FORBIDDEN
    );
    let a = c
        .post("/z/demo-bdm/data/import", &[("csrf", &csrf), ("id", &id)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    // The zone now offers the mapping again, by its source and file.
    let z = app.store.zone(ZONE).await.unwrap().unwrap();
    let batch = app.store.saved_mappings(z.id).await.unwrap()[0].id;
    let data = c.get("/z/demo-bdm/data").await.body;
    assert!(data.contains(&format!(
        "<option value=\"{batch}\">islp-formulier: export.csv ("
    )));
    let a = c
        .send(upload(
            &action,
            c.cookie_header(),
            &[("source", "generic"), ("saved", &batch.to_string())],
            "export.csv",
            &csv,
        ))
        .await;
    assert!(
        a.body.contains("source = &#34;islp-formulier&#34;")
            && a.body.contains("Gelezen</th><td class=\"num\">100</td>")
    );
}
