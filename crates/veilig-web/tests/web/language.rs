//! Every word a reader sees is in the reader's language (issue 23): a crawl of every page
//! each role reaches, in Dutch and in French, reads the visible text of each page (no
//! markup, scripts or styles) and fails on an English sentence or a raw code from a known
//! list (status and verdict codes, step and organisation codes, command lines, file names of
//! the project's notes).

use std::collections::BTreeSet;

use axum::http::StatusCode;
use veilig_domain::Role;

use super::common::*;

/// English that no Dutch or French sentence holds (with the spaces around it).
const ENGLISH: [&str; 14] = [
    " the ",
    " of the ",
    " and the ",
    " is not ",
    " are not ",
    " which ",
    " should ",
    " from the ",
    " lies in the future",
    " per year",
    " too few ",
    " not shown",
    "Drafted by",
    " has no ",
];

/// Codes and developer words a reader never reads.
const RAW: [&str; 16] = [
    "on-track",
    "off-track",
    "too-few-events",
    "not-yet-measurable",
    "significantly-higher",
    "significantly-lower",
    "no-significant-change",
    "zvr-approved",
    "council-agreed",
    "ocmw-mol",
    "gemeente-mol",
    "cli:",
    "POLICY-CYCLE",
    ".md",
    "veilig plan ",
    "veilig report ",
];

/// The text a reader sees: the page without its tags, scripts, styles and SVG titles' markup.
fn visible(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        out.push(' ');
        rest = &rest[i..];
        // Skip a script or style element whole.
        let lower = rest.get(..8).unwrap_or("").to_ascii_lowercase();
        let end_tag = if lower.starts_with("<script") {
            Some("</script>")
        } else if lower.starts_with("<style") {
            Some("</style>")
        } else {
            None
        };
        match end_tag.and_then(|t| rest.find(t).map(|j| j + t.len())) {
            Some(j) => rest = &rest[j..],
            None => match rest.find('>') {
                Some(j) => rest = &rest[j + 1..],
                None => rest = "",
            },
        }
    }
    out.push_str(rest);
    let text = out
        .replace("&nbsp;", " ")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The links of a page worth following: the application's own pages, without their
/// filters (a page's words do not change with its period).
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|p| {
            let l = &p[..p.find('"').unwrap_or(0)];
            l.split(['?', '#']).next().unwrap_or("").to_string()
        })
        .filter(|l| {
            l.starts_with('/')
                && !l.starts_with("/static")
                && !l.starts_with("/lang")
                && !l.starts_with("/logout")
                && !l.starts_with("/api")
                && !l.ends_with(".csv")
                && !l.ends_with(".pdf")
                && !l.ends_with(".geojson")
                && !l.ends_with(".xml")
                && !l.contains("/download")
        })
        .collect()
}

/// Where the text holds a day written the machine's way (`2025-12-31`), not as people write
/// it (31/12/2025).
fn iso_date(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    (0..b.len().saturating_sub(9)).find(|&i| {
        (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && (0..4).all(|k| digit(i + k))
            && b[i + 4] == b'-'
            && digit(i + 5)
            && digit(i + 6)
            && b[i + 7] == b'-'
            && digit(i + 8)
            && digit(i + 9)
            && !b.get(i + 10).is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// What a crawl of `role` in `lang` found wrong: (page, what).
async fn crawl(app: &App, role: Option<Role>, lang: &str) -> (usize, Vec<(String, String)>) {
    let mut c = logged_in(app, role).await;
    c.get(&format!("/lang/{lang}?next=/")).await;
    let mut todo: Vec<String> = vec!["/".into(), "/z/demo-bdm".into(), "/public/demo-bdm".into()];
    let mut seen = BTreeSet::new();
    let mut wrong = Vec::new();
    while let Some(path) = todo.pop() {
        if !seen.insert(path.clone()) || seen.len() > 250 {
            continue;
        }
        let a = c.get(&path).await;
        let html = a
            .headers
            .get(axum::http::header::CONTENT_TYPE)
            .is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/html"));
        if a.status != StatusCode::OK || !html {
            continue;
        }
        let text = visible(&a.body);
        for w in ENGLISH.iter().chain(RAW.iter()) {
            if let Some(i) = text.find(w) {
                let from = text[..i].char_indices().rev().nth(40).map_or(0, |x| x.0);
                let to = (i + w.len() + 40).min(text.len());
                let to = (to..=text.len())
                    .find(|&k| text.is_char_boundary(k))
                    .unwrap_or(text.len());
                wrong.push((path.clone(), format!("{w:?} in …{}…", &text[from..to])));
            }
        }
        let mut rest = 0;
        while let Some(i) = iso_date(&text[rest..]).map(|i| i + rest) {
            rest = i + 10;
            let from = text[..i].char_indices().rev().nth(40).map_or(0, |x| x.0);
            let to = (i + 50).min(text.len());
            let to = (to..=text.len())
                .find(|&k| text.is_char_boundary(k))
                .unwrap_or(text.len());
            wrong.push((
                path.clone(),
                format!("a machine date in …{}…", &text[from..to]),
            ));
        }
        todo.extend(links(&a.body));
    }
    (seen.len(), wrong)
}

#[test]
fn a_machine_date_is_found_and_a_written_one_is_not() {
    assert_eq!(iso_date("van 2025-01-01 tot"), Some(4));
    assert_eq!(iso_date("van 01/01/2025 tot 31/12/2025"), None);
    assert_eq!(iso_date("plan zvp-2020-2025-06 en 12025-01-011"), None);
}

#[test]
fn the_visible_text_drops_markup_scripts_and_styles() {
    let t = visible(
        "<html><style>p { color: red }</style><p title=\"x\">Een <b>zin</b>.</p><script>let the = 1;</script></html>",
    );
    assert_eq!(t, "Een zin .");
}

#[tokio::test]
async fn every_page_each_role_reaches_speaks_dutch_and_french_only() {
    let app = app().await;
    let mut all = Vec::new();
    let mut pages = 0;
    for lang in ["nl", "fr"] {
        for role in [
            None,
            Some(Role::Partner),
            Some(Role::Council),
            Some(Role::Wijkinspecteur),
            Some(Role::Analyst),
            Some(Role::Chief),
            Some(Role::Administrator),
        ] {
            let (n, wrong) = crawl(&app, role, lang).await;
            assert!(n > 3, "{lang} {role:?}: the crawl reached {n} pages");
            pages += n;
            all.extend(
                wrong
                    .into_iter()
                    .map(|(p, w)| format!("{lang} {:?} {p}: {w}", role.map(|r| r.as_str()))),
            );
        }
    }
    all.sort();
    all.dedup();
    assert!(
        all.is_empty(),
        "{} findings over {pages} pages:\n{}",
        all.len(),
        all.join("\n")
    );
}
