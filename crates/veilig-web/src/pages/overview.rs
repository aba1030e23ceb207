//! `/z/{zone}`: the Compstat page a chief opens first: what needs attention (significant
//! rises and falls, indicators off track, open Compstat decisions, late data), then every
//! phenomenon with its period, the comparison with the previous year and its verdict, the
//! trend and a small line, the ones that moved first.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;

use super::{Filter, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::figures::{Access, Overview};
use crate::i18n::Tr;
use crate::policy::{Action, allows};
use crate::published::Level;
use crate::view::{Chrome, SourceNote, count_cell, phen_name, verdict};
use veilig_query::attention::{Item, Scope, attention};

pub struct Row {
    pub href: String,
    pub name: String,
    pub count: String,
    pub baseline: String,
    pub change: String,
    pub verdict: String,
    pub class: &'static str,
    pub trend: String,
    pub spark: String,
}

/// One line of the attention list: what, where it is explained, and its verdict's class.
pub struct Line {
    pub href: String,
    pub text: String,
    pub class: &'static str,
}

/// The attention list in the reader's words.
fn lines(tr: &Tr, zone: &str, query: &str, items: &[Item]) -> Vec<Line> {
    items
        .iter()
        .map(|item| match item {
            Item::Phenomenon {
                code,
                name_nl,
                name_fr,
                name_en,
                verdict: v,
                change_pct,
            } => {
                let (_, class) = verdict(tr, *v);
                let key = if *v == veilig_analysis::Verdict::SignificantlyHigher {
                    "attention-rise"
                } else {
                    "attention-fall"
                };
                Line {
                    href: format!("/z/{zone}/p/{code}{query}"),
                    text: tr.args(
                        key,
                        &[
                            (
                                "name",
                                phen_name(tr.lang, name_nl, name_fr, name_en).to_string(),
                            ),
                            (
                                "change",
                                change_pct.map(|c| tr.pct(c)).unwrap_or_else(|| "–".into()),
                            ),
                        ],
                    ),
                    class,
                }
            }
            Item::Indicator {
                name, objective, ..
            } => Line {
                href: format!("/z/{zone}/plan/indicators"),
                text: tr.args(
                    "attention-indicator",
                    &[("name", name.clone()), ("objective", objective.clone())],
                ),
                class: "up",
            },
            Item::Decision {
                what,
                who,
                due,
                overdue,
            } => Line {
                href: format!("/z/{zone}/plan/reviews"),
                text: tr.args(
                    if *overdue {
                        "attention-decision-overdue"
                    } else {
                        "attention-decision"
                    },
                    &[
                        ("what", what.clone()),
                        ("who", who.clone()),
                        ("due", tr.date(*due)),
                    ],
                ),
                class: if *overdue { "up" } else { "flat" },
            },
            Item::DataLate {
                source,
                through,
                days,
            } => Line {
                href: format!("/z/{zone}/data"),
                text: tr.args(
                    "attention-data-late",
                    &[
                        ("source", source.clone()),
                        ("through", tr.date(*through)),
                        ("days", days.to_string()),
                    ],
                ),
                class: "up",
            },
        })
        .collect()
}

/// A partner's own part: the actions of the current plan this year that its organisation
/// takes part in, each with whether it has said how it goes (its feedback page).
async fn partner_lines(
    state: &AppState,
    ctx: &Ctx,
    zone: &veilig_domain::Zone,
    tr: &Tr<'_>,
) -> WebResult<Vec<Line>> {
    let Some(org) = super::organisation(state, ctx).await? else {
        return Ok(Vec::new());
    };
    let Some(plan) = super::plan::current_view(state, zone).await? else {
        return Ok(Vec::new());
    };
    let year = chrono::Datelike::year(&super::today());
    let threshold = state.config.disclosure.threshold;
    let actions = veilig_query::report::partner_actions(
        &state.store,
        zone,
        &plan,
        &org,
        Some(year),
        threshold,
    )
    .await?;
    Ok(actions
        .iter()
        .map(|a| Line {
            href: format!("/z/{}/partner", zone.code.as_str()),
            text: tr.args(
                if a.feedback.is_empty() {
                    "attention-partner-action"
                } else {
                    "attention-partner-action-said"
                },
                &[
                    ("code", a.code.clone()),
                    ("title", a.title.clone()),
                    ("year", a.year.to_string()),
                ],
            ),
            class: "flat",
        })
        .collect())
}

/// What the reader's role lets the attention list hold beyond the phenomena.
fn scope(state: &AppState, ctx: &Ctx, zone_id: i64) -> Scope {
    let may = |a| allows(ctx.user.as_ref(), Some(zone_id), a);
    Scope {
        indicators: if may(Action::PlanMonitor) {
            Some(true)
        } else if may(Action::PlanVerdicts) {
            Some(false)
        } else {
            None
        },
        decisions: may(Action::PlanMonitor),
        data: may(Action::Data),
        threshold: state.config.disclosure.threshold,
        late_after_days: state.config.data_late_after_days,
    }
}

#[derive(Template)]
#[template(path = "overview.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    from: String,
    to: String,
    /// Publication periods to choose from (aggregated views); empty: date fields.
    periods: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    /// The attention list's heading: the reader's scope (a wijkinspecteur's wijken).
    attention_title: String,
    attention: Vec<Line>,
    cards: Vec<super::overview_cards::Card>,
    note: SourceNote,
}

/// The months as a line, or, where disclosure control hides too many of them to draw one
/// (no two shown months in a row), a word saying so instead of an empty box.
fn spark(tr: &Tr, monthly: &[(String, Option<u64>)], name: &str) -> String {
    let values: Vec<Option<u64>> = monthly.iter().map(|m| m.1).collect();
    if values.windows(2).any(|w| w[0].is_some() && w[1].is_some()) {
        veilig_report::sparkline(
            &values,
            &tr.args("spark-label", &[("name", name.to_string())]),
        )
    } else {
        format!(
            "<span class=\"muted\">{}</span>",
            veilig_report::esc(&tr.t("spark-hidden"))
        )
    }
}

/// The table's rows: the phenomena that moved significantly first (largest change first),
/// then the others in the catalogue's order.
pub fn rows(tr: &Tr, zone: &str, o: &Overview, threshold: u64, query: &str) -> Vec<Row> {
    let moved = |p: &&veilig_query::figures::PhenomenonFigures| {
        matches!(
            p.verdict,
            veilig_analysis::Verdict::SignificantlyHigher
                | veilig_analysis::Verdict::SignificantlyLower
        )
    };
    let mut order: Vec<&veilig_query::figures::PhenomenonFigures> = o.phenomena.iter().collect();
    order.sort_by(|a, b| {
        let size = |p: &&veilig_query::figures::PhenomenonFigures| {
            if moved(p) {
                p.change_pct.map_or(0.0, f64::abs)
            } else {
                -1.0
            }
        };
        size(b).total_cmp(&size(a))
    });
    order
        .into_iter()
        .map(|p| {
            let (v, class) = verdict(tr, p.verdict);
            let name = phen_name(tr.lang, &p.name_nl, &p.name_fr, &p.name_en).to_string();
            Row {
                href: format!("/z/{zone}/p/{}{query}", p.code),
                count: count_cell(tr, p.count, p.count_status, threshold),
                baseline: count_cell(tr, p.baseline, p.baseline_status, threshold),
                change: p
                    .change_pct
                    .map(|c| tr.pct(c))
                    .unwrap_or_else(|| "–".into()),
                verdict: v,
                class,
                trend: p
                    .trend_pct
                    .map(|t| tr.args("per-year", &[("value", tr.pct(t))]))
                    .unwrap_or_else(|| "–".into()),
                spark: spark(tr, &p.monthly, &name),
                name,
            }
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(f): Query<Filter>,
) -> WebResult<Html<String>> {
    let (zone, access) = zone_for(&state, &ctx, &zone, Action::ZoneFigures).await?;
    let figs = state.figures_for(&zone).await?;
    let period = f.period_for(&figs, &access, Level::Zone).await?;
    let threshold = state.config.disclosure.threshold;
    let o = figs.overview(period, &access).await?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str().to_string();
    let query = format!("?from={}&to={}", period.start, period.end);
    let periods = super::period_choices(&figs, &access, Level::Zone, period, &tr).await?;
    let scope = scope(&state, &ctx, zone.id);
    let items = attention(
        &state.store,
        &state.figures,
        &zone,
        &o,
        scope,
        super::today(),
    )
    .await?;
    let mut attention_lines = lines(&tr, &code, &query, &items);
    attention_lines.extend(partner_lines(&state, &ctx, &zone, &tr).await?);
    let attention_title = match &access {
        Access::Areas(ids) => {
            let names: Vec<String> = state
                .store
                .areas(zone.id)
                .await?
                .into_iter()
                .filter(|a| ids.contains(&a.id))
                .map(|a| a.name)
                .collect();
            tr.arg("attention-title-wijken", "wijken", names.join(", "))
        }
        _ => tr.t("attention-title"),
    };
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.args("overview-title", &[("zone", zone.name.clone())]),
            Some(&zone),
            &format!("/z/{code}"),
        ),
        rows: rows(&tr, &code, &o, threshold, &query),
        attention: attention_lines,
        attention_title,
        cards: super::overview_cards::cards(&tr, &code, &query, &o, &items),
        tr,
        periods,
        from: period.start.to_string(),
        to: period.end.to_string(),
        note: SourceNote::new(&o.source),
    };
    Ok(Html(page.render()?))
}
