//! What a council member really downloads: the council jaarverslag and each municipality's
//! council brief, read as pdftotext reads
//! the PDF (not the report's own list of the figures it printed). Every count it prints in
//! its tables and sentences (per phenomenon, this year and the year before; per
//! municipality) is at least the threshold, or the hidden label. The staff edition, read the
//! same way, prints counts under it: the reading finds them when they are there.

use std::collections::BTreeSet;
use std::process::Command;

use veilig_domain::Role;

use super::common::*;
use super::reader::THRESHOLD;

/// The PDF's text with its layout (one table row per line).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup and .ci/run");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

/// A whole number as Dutch prints it (1.234), or None.
fn count(token: &str) -> Option<u64> {
    let plain = token.replace('.', "");
    (!token.is_empty()
        && token.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !token.starts_with('.')
        && plain.len() <= 7)
        .then(|| plain.parse().ok())
        .flatten()
}

/// Every count the report prints: the first whole number of each table row that starts with
/// a phenomenon's or a municipality's name (rates and changes carry a comma or a sign and
/// are not counts), and the counts of each "N feiten in YEAR (M in YEAR" sentence.
fn printed_counts(text: &str, names: &[String]) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        let first = t.split("  ").next().unwrap_or("").trim();
        if !first.is_empty()
            && names
                .iter()
                .any(|n| n == first || (first.len() > 4 && n.starts_with(first)))
        {
            let rest = &t[first.len()..];
            if let Some(n) = rest.split_whitespace().find_map(count) {
                out.push((first.to_string(), n));
            }
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        for w in words.windows(4) {
            if let (Some(n), true) = (count(w[0]), w[1] == "feiten" && w[2] == "in") {
                out.push((format!("{} {}", w[1], w[3]), n));
            }
        }
        for w in words.windows(3) {
            if let (Some(m), true) = (w[0].strip_prefix('(').and_then(count), w[1] == "in") {
                out.push((format!("({m} in {}", w[2]), m));
            }
        }
    }
    out
}

/// The report a role downloads: issued by the chief through the form, fetched by `role`.
async fn download(app: &App, role: Role, fields: &[(&str, &str)]) -> Vec<u8> {
    let mut chief = logged_in(app, Some(Role::Chief)).await;
    let csrf = form_csrf(&chief.get(&format!("/z/{ZONE}/reports")).await.body);
    let mut f = vec![("csrf", csrf.as_str())];
    f.extend_from_slice(fields);
    let a = chief.post(&format!("/z/{ZONE}/reports"), &f).await;
    assert!(a.status.is_redirection(), "issued: {}", a.status);
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let id = app.store.issued_reports(zone.id).await.unwrap()[0].id;
    let mut reader = logged_in(app, Some(role)).await;
    let got = reader.get(&format!("/z/{ZONE}/reports/{id}")).await;
    assert_eq!(
        got.status,
        axum::http::StatusCode::OK,
        "{role:?} downloads it"
    );
    assert!(got.bytes.starts_with(b"%PDF-"));
    got.bytes
}

#[tokio::test]
async fn the_council_jaarverslag_a_council_member_downloads_prints_no_count_under_the_threshold() {
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let mut names: Vec<String> = app
        .store
        .phenomena(zone.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.nl)
        .collect();
    names.extend(
        app.store
            .municipalities(zone.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.name_nl),
    );
    // The wijk chapter's rows start with the wijk's name.
    let wijken: Vec<String> = app
        .store
        .areas(zone.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.extend(wijken.iter().cloned());
    let fields = [("kind", "jaarverslag"), ("year", "2024"), ("lang", "nl")];
    let council = pdf_text(&download(&app, Role::Council, &fields).await);
    let counts = printed_counts(&council, &names);
    let rows: BTreeSet<&str> = counts.iter().map(|(n, _)| n.as_str()).collect();
    assert!(counts.len() > 40, "{} counts read: {rows:?}", counts.len());
    let wijk_rows = counts
        .iter()
        .filter(|(n, _)| wijken.iter().any(|w| w.starts_with(n.as_str())))
        .count();
    assert!(wijk_rows > 5, "{wijk_rows} wijk counts read: {rows:?}");
    let small: Vec<_> = counts.iter().filter(|(_, n)| *n < THRESHOLD).collect();
    assert!(
        small.is_empty(),
        "the council edition prints counts under {THRESHOLD}: {small:?}"
    );
    assert!(council.contains("afgeschermd"), "hidden counts say so");
    // Each municipality's council brief, read the same way.
    let mut briefs = 0;
    for m in app.store.municipalities(zone.id).await.unwrap() {
        let nis = m.nis.as_str().to_string();
        let f = [
            ("kind", "council"),
            ("year", "2024"),
            ("lang", "nl"),
            ("municipality", nis.as_str()),
        ];
        let brief = printed_counts(&pdf_text(&download(&app, Role::Council, &f).await), &names);
        let small: Vec<_> = brief.iter().filter(|(_, n)| *n < THRESHOLD).collect();
        assert!(
            small.is_empty(),
            "the council brief of {} prints counts under {THRESHOLD}: {small:?}",
            m.name_nl
        );
        briefs += brief.len();
    }
    assert!(briefs > 20, "{briefs} counts read from the council briefs");
    // The staff edition, read the same way, has them (Dessel 2024: 3 and 2).
    let mut staff_fields = fields.to_vec();
    staff_fields.push(("staff", "on"));
    let staff = pdf_text(&download(&app, Role::Analyst, &staff_fields).await);
    let small = printed_counts(&staff, &names)
        .into_iter()
        .filter(|(_, n)| *n < THRESHOLD)
        .count();
    assert!(
        small > 0,
        "the reading finds small counts where they are printed"
    );
    eprintln!(
        "council jaarverslag 2024: {} counts read from the PDF, none under {THRESHOLD}; the council briefs: {briefs}, none under it; the staff edition: {small} under it",
        counts.len()
    );
}

/// The visible text of a page: every table cell's text and every chart's tooltip value (the
/// SVG `<title>` "label: N"), as a reader sees them, not the `data-n` attributes.
fn page_numbers(html: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let strip = |s: &str| -> String {
        let mut t = String::new();
        let mut inside = false;
        for c in s.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => t.push(c),
                _ => {}
            }
        }
        t.replace("&nbsp;", " ").trim().to_string()
    };
    for cell in html.split("<td").skip(1) {
        let body = cell.split_once('>').map(|x| x.1).unwrap_or("");
        let text = strip(body.split("</td>").next().unwrap_or(""));
        if let Some(n) = count(&text) {
            out.push((format!("cell {text}"), n));
        }
    }
    for t in html.split("<title>").skip(1) {
        let text = t.split("</title>").next().unwrap_or("");
        if let Some((label, v)) = text.rsplit_once(": ")
            && let Some(n) = count(v.trim())
        {
            out.push((format!("chart {label}"), n));
        }
    }
    out
}

/// What the council's and the public's pages show as text and in their charts for 2025 (the
/// overview, every phenomenon, the public table): no count under the threshold.
#[tokio::test]
async fn the_council_and_public_pages_show_no_count_under_the_threshold_in_text_or_charts() {
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let q = "from=2025-01-01&to=2025-12-31";
    let mut pages = vec![(None, format!("/public/{ZONE}?{q}"))];
    pages.push((Some(Role::Council), format!("/z/{ZONE}?{q}")));
    for p in app.store.phenomena(zone.id).await.unwrap() {
        pages.push((Some(Role::Council), format!("/z/{ZONE}/p/{}?{q}", p.code)));
    }
    let mut read = 0;
    for (role, path) in pages {
        let mut c = logged_in(&app, role).await;
        let a = c.get(&path).await;
        assert_eq!(a.status, axum::http::StatusCode::OK, "{path}");
        let numbers = page_numbers(&a.body);
        let small: Vec<_> = numbers.iter().filter(|(_, n)| *n < THRESHOLD).collect();
        assert!(small.is_empty(), "{path} as {role:?} shows {small:?}");
        read += numbers.len();
    }
    // The analyst's page of the same phenomena shows small counts (the reading finds them).
    let mut analyst = logged_in(&app, Some(Role::Analyst)).await;
    let mut small = 0;
    for p in app.store.phenomena(zone.id).await.unwrap() {
        let a = analyst.get(&format!("/z/{ZONE}/p/{}?{q}", p.code)).await;
        small += page_numbers(&a.body)
            .iter()
            .filter(|(_, n)| *n < THRESHOLD)
            .count();
    }
    assert!(read > 200, "{read} numbers read");
    assert!(
        small > 0,
        "the analyst's pages show small counts, and the reading finds them"
    );
    eprintln!(
        "council and public pages: {read} numbers read, none under {THRESHOLD}; the analyst's: {small} under it"
    );
}
