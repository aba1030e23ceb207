//! What every page shares: the frame around it (header, navigation, language switch, the
//! synthetic-data banner, the footer), count cells under disclosure control, and the error
//! page.

use askama::Template;
use axum::response::Html;
use veilig_domain::Zone;

use veilig_disclosure::Status;

use crate::ctx::Ctx;
use crate::error::ErrorMarker;
use crate::i18n::{Lang, Tr};
use crate::policy::{Action, allows};
use crate::{AppState, assets};

pub struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
    pub code: &'static str,
}

/// The frame of a page.
pub struct Chrome {
    pub lang: &'static str,
    pub title: String,
    pub nav: Vec<Link>,
    pub langs: Vec<Link>,
    pub user: Option<String>,
    pub csrf: String,
    pub synthetic: bool,
    pub htmx: bool,
    pub leaflet: bool,
    pub leaflet_js: &'static str,
    pub leaflet_css: &'static str,
    pub htmx_js: &'static str,
    /// The page's path: forms that filter it submit here.
    pub here: String,
}

impl Chrome {
    /// `here` is the path of the page (for the language links and the current nav item).
    pub fn new(
        state: &AppState,
        ctx: &Ctx,
        title: String,
        zone: Option<&Zone>,
        here: &str,
    ) -> Chrome {
        let tr = state.i18n.tr(ctx.lang);
        let u = ctx.user.as_ref();
        let mut nav = Vec::new();
        let mut push = |href: String, key: &str| {
            let current = here == href;
            nav.push(Link {
                href,
                label: tr.t(key),
                current,
                code: "",
            });
        };
        if let Some(z) = zone {
            let code = z.code.as_str();
            if allows(u, Some(z.id), Action::ZoneFigures) {
                push(format!("/z/{code}"), "nav-overview");
            }
            if allows(u, Some(z.id), Action::Survey) {
                push(format!("/z/{code}/survey"), "nav-survey");
            }
            if allows(u, Some(z.id), Action::Capacity) {
                push(format!("/z/{code}/capacity"), "nav-capacity");
            }
            if allows(u, Some(z.id), Action::PlanMatrix) {
                push(format!("/z/{code}/plan/matrix"), "nav-priorities");
            }
            if allows(u, Some(z.id), Action::PlanRead) {
                push(format!("/z/{code}/plan"), "nav-plan");
            }
            if allows(u, Some(z.id), Action::PlanMonitor) {
                push(format!("/z/{code}/plan/indicators"), "nav-indicators");
                push(format!("/z/{code}/plan/reviews"), "nav-reviews");
            }
            if allows(u, Some(z.id), Action::Problems) {
                push(format!("/z/{code}/plan/problems"), "nav-problems");
            }
            if allows(u, Some(z.id), Action::Forecast) {
                push(format!("/z/{code}/forecast"), "nav-forecast");
            }
            if allows(u, Some(z.id), Action::Data) {
                push(format!("/z/{code}/data"), "nav-data");
            }
            if allows(u, Some(z.id), Action::ReportsReceived) {
                push(format!("/z/{code}/reports"), "nav-reports");
            }
            if allows(u, Some(z.id), Action::Feedback) {
                push(format!("/z/{code}/partner"), "nav-partner");
            }
            if allows(u, Some(z.id), Action::FeedbackAnswer) {
                push(format!("/z/{code}/feedback"), "nav-feedback");
            }
            push(format!("/public/{code}"), "nav-public");
        }
        if allows(u, None, Action::ManageUsers) {
            push("/admin/users".into(), "nav-users");
        }
        if allows(u, None, Action::Audit) {
            push("/admin/audit".into(), "nav-audit");
        }
        let langs = Lang::ALL
            .iter()
            .map(|l| Link {
                href: format!("/lang/{}?next={}", l.code(), urlencode(here)),
                label: l.code().to_uppercase(),
                current: *l == ctx.lang,
                code: l.code(),
            })
            .collect();
        Chrome {
            lang: ctx.lang.tag(),
            title,
            nav,
            langs,
            user: u.map(|u| {
                format!(
                    "{} ({})",
                    u.display_name,
                    tr.t(&format!("role-{}", u.role.as_str()))
                )
            }),
            csrf: ctx.csrf.clone(),
            synthetic: zone.is_some_and(|z| z.synthetic),
            htmx: assets::vendored_present(),
            leaflet: false,
            leaflet_js: assets::LEAFLET_JS,
            leaflet_css: assets::LEAFLET_CSS,
            htmx_js: assets::HTMX_JS,
            here: here.to_string(),
        }
    }
}

/// The provenance under every figure page: sources, extraction date, method, and the
/// disclosure threshold when the figures are aggregated.
pub struct SourceNote {
    pub sources: String,
    pub extraction: String,
    /// Locale key of the method's description.
    pub method: &'static str,
    pub disclosure: Option<u64>,
    /// The disclosure method's sentence (threshold, method, version), when it applies.
    pub disclosure_method: Option<Vec<(&'static str, String)>>,
    /// The release the figures are read from: its sentence's locale key and arguments.
    pub release: Option<(&'static str, Vec<(&'static str, String)>)>,
    /// The last day the data cover.
    pub through: Option<chrono::NaiveDate>,
}

impl SourceNote {
    pub fn new(s: &crate::figures::Source) -> SourceNote {
        SourceNote {
            sources: s.batches.join("; "),
            extraction: s
                .extraction_date
                .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_else(|| "–".into()),
            method: s.method_key,
            through: s.data_through,
            disclosure: s.disclosure_threshold,
            disclosure_method: s.disclosure.as_ref().filter(|n| n.protection).map(|n| {
                vec![
                    ("threshold", n.threshold.to_string()),
                    ("method", n.method.clone()),
                    ("version", n.version.clone()),
                ]
            }),
            release: s.release.as_ref().map(|r| {
                let key = match r.kind.as_str() {
                    "revision" => "source-release-revision",
                    "first" => "source-release-first",
                    _ => "source-release",
                };
                let args = vec![
                    ("number", r.number.to_string()),
                    ("date", r.released_on.to_string()),
                    (
                        "through",
                        r.complete_through
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "–".into()),
                    ),
                    ("reason", r.reason.clone().unwrap_or_default()),
                ];
                (key, args)
            }),
        }
    }
}

/// Percent-encodes a path or value for a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to return to after login or a language switch (never another site).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

/// A table cell with a count: the number (with `data-n` for tests and scripts) or, when
/// hidden, why, in honest words: "< threshold" only for a count under the threshold
/// (primary suppression); "x" for a count hidden so that another cannot be derived
/// (secondary suppression), which may be large.
pub fn count_cell(tr: &Tr, v: Option<u64>, status: Status, threshold: u64) -> String {
    match (v, status) {
        (Some(n), _) => format!(r#"<td class="num" data-n="{n}">{}</td>"#, tr.int(n)),
        (None, Status::Secondary) => format!(
            r#"<td class="num suppressed secondary" data-status="secondary" title="{}">x</td>"#,
            askama_escape(&tr.t("suppressed-secondary-title"))
        ),
        (None, _) => format!(
            r#"<td class="num suppressed" data-status="primary" title="{}">&lt;&#8239;{threshold}</td>"#,
            askama_escape(&tr.arg("suppressed-title", "threshold", threshold))
        ),
    }
}

pub fn askama_escape(s: &str) -> String {
    veilig_report::esc(s)
}

/// The words of a verdict and its CSS class.
pub fn verdict(tr: &Tr, v: veilig_analysis::Verdict) -> (String, &'static str) {
    let key = format!("verdict-{}", v.as_str());
    let class = match v {
        veilig_analysis::Verdict::SignificantlyHigher => "up",
        veilig_analysis::Verdict::SignificantlyLower => "down",
        veilig_analysis::Verdict::Withheld => "withheld",
        _ => "flat",
    };
    (tr.t(&key), class)
}

/// The name of a phenomenon in the page's language.
pub fn phen_name<'a>(lang: Lang, nl: &'a str, fr: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Nl => nl,
        Lang::Fr => fr,
        Lang::En => en,
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    message: String,
    status: u16,
}

pub fn error_page(state: &AppState, ctx: &Ctx, m: &ErrorMarker) -> Html<String> {
    let tr = state.i18n.tr(ctx.lang);
    let page = ErrorPage {
        chrome: Chrome::new(state, ctx, tr.t("error-title"), None, "/"),
        tr,
        message: tr.t(m.key),
        status: m.status.as_u16(),
    };
    Html(page.render().unwrap_or_else(|_| tr.t(m.key)))
}
