//! `/z/{zone}/capacity`: can the corps carry out its local tasks at every hour? The norm check
//! (each rule with its citation and confidence), the net hours per FTE, and the officers each
//! hour of the week needs (Erlang C on the calls for service, the norm floor on top): the same
//! figures as `veilig capacity norms` and `capacity demand`, from `veilig_query::capacity`.
//! Staff aggregates only; no record of a call or an incident is shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use veilig_capacity::{Line, Ruleset, StaffingRules};
use veilig_query::capacity::{Demand, NormCheck, demand, norm_check};

use super::zone_for;
use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::i18n::Tr;
use crate::policy::Action;
use crate::view::{Chrome, SourceNote};

pub struct NormRow {
    pub confidence: String,
    pub rule: String,
    pub description_nl: String,
    pub scope: String,
    pub required: String,
    pub actual: String,
    pub met: bool,
    pub checkable: bool,
    pub shortfall: String,
    pub basis: String,
    pub citation: String,
}

/// One hour of the day across the seven days: officers required, and whether the norm floor
/// (rather than the demand) sets it.
pub struct HourRow {
    pub hour: String,
    pub cells: Vec<(u32, bool)>,
}

#[derive(Template)]
#[template(path = "capacity.html")]
struct Page<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    summary: String,
    ruleset: String,
    rows: Vec<NormRow>,
    shortfalls: usize,
    net: Vec<(String, String)>,
    demand_caption: Option<String>,
    days: Vec<String>,
    hours: Vec<HourRow>,
    note: SourceNote,
}

/// What the page shows, computed once per data version of the zone (every import changes it).
struct Figures {
    check: NormCheck,
    /// None when the zone has no calls for service.
    demand: Option<Demand>,
    /// (NIS code, name) of the zone's municipalities.
    municipalities: Vec<(String, String)>,
    /// The staff, population and calls batches: "source (kind, file)".
    sources: Vec<String>,
    extraction: Option<chrono::NaiveDateTime>,
}

async fn compute(
    store: &veilig_store::Store,
    zone: &veilig_domain::Zone,
) -> anyhow::Result<Figures> {
    let check = norm_check(store, zone, Ruleset::builtin()).await?;
    let demand = demand(
        store,
        zone,
        &check.ruleset,
        None,
        None,
        &[],
        &StaffingRules::default(),
    )
    .await
    .ok();
    let municipalities = store
        .municipalities(zone.id)
        .await?
        .into_iter()
        .map(|m| (m.nis.as_str().to_string(), m.name_nl))
        .collect();
    let batches = store.batches(zone.id).await?;
    let used: Vec<_> = batches
        .iter()
        .filter(|b| matches!(b.kind.as_str(), "staff" | "population" | "calls"))
        .collect();
    Ok(Figures {
        check,
        demand,
        municipalities,
        sources: used
            .iter()
            .map(|b| format!("{} ({}, {})", b.source, b.kind, b.file_name))
            .collect(),
        extraction: used.iter().filter_map(|b| b.finished_at).max(),
    })
}

/// A norm line's value in its unit: FTE with two decimals, a share in percent, heads whole.
fn value(tr: &Tr, unit: &str, v: f64) -> String {
    match unit {
        // A no-break space: the number and its sign stay on one line.
        "share" => format!("{}\u{a0}%", tr.dec(v * 100.0, 1)),
        "head-count" => tr.dec(v, 0),
        _ => tr.dec(v, 2),
    }
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Capacity).await?;
    let tr = state.i18n.tr(ctx.lang);
    let figs = state.figures_for(&zone).await?;
    let data = figs
        .cached("capacity", compute(&state.store, &zone))
        .await?;
    let nc = &data.check;
    let scope = |l: &Line| {
        if l.scope == "zone" {
            tr.t("capacity-scope-zone")
        } else {
            data.municipalities
                .iter()
                .find(|(nis, _)| *nis == l.scope)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| l.scope.clone())
        }
    };
    let rows: Vec<NormRow> = nc
        .lines
        .iter()
        .map(|l| NormRow {
            confidence: l.confidence.clone(),
            rule: l.rule.clone(),
            description_nl: l.description_nl.clone(),
            scope: scope(l),
            required: value(&tr, l.unit, l.required),
            actual: value(&tr, l.unit, l.actual),
            met: l.met,
            checkable: l.checkable,
            shortfall: value(&tr, l.unit, l.shortfall),
            basis: l.basis.clone(),
            citation: l.citation.clone(),
        })
        .collect();
    let net = vec![
        (
            tr.t("capacity-net-contract"),
            tr.dec(nc.net.contract_hours_week, 1),
        ),
        (tr.t("capacity-net-gross"), tr.dec(nc.net.gross, 0)),
        (tr.t("capacity-net-available"), tr.dec(nc.net.available, 0)),
        (
            tr.t("capacity-net-schedulable"),
            tr.dec(nc.net.schedulable, 0),
        ),
        (tr.t("capacity-net-relief"), tr.dec(nc.net.relief_factor, 2)),
    ];
    // The demand needs calls for service; a zone without them still gets its norm check.
    let staffing = StaffingRules::default();
    let (demand_caption, hours) = match &data.demand {
        Some(d) => {
            let caption = tr.args(
                "capacity-demand-caption",
                &[
                    ("from", d.from.to_string()),
                    ("to", d.to.to_string()),
                    ("calls", tr.int(d.calls as u64)),
                    ("wait", tr.dec(staffing.max_wait_probability * 100.0, 0)),
                    ("utilisation", tr.dec(staffing.max_utilisation * 100.0, 0)),
                    ("per_unit", staffing.officers_per_unit.to_string()),
                ],
            );
            let hours = (0..24)
                .map(|h| HourRow {
                    hour: format!("{h:02}"),
                    cells: (0..7)
                        .map(|day| {
                            let x = &d.hours[day * 24 + h];
                            (
                                x.officers_required,
                                x.officers_floor >= x.officers_for_demand,
                            )
                        })
                        .collect(),
                })
                .collect();
            (Some(caption), hours)
        }
        None => (None, Vec::new()),
    };
    let note = SourceNote {
        through: None,
        sources: data.sources.join("; "),
        extraction: data
            .extraction
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "–".into()),
        method: "method-capacity",
        disclosure: None,
        disclosure_method: None,
        release: None,
    };
    let code = zone.code.as_str().to_string();
    let page = Page {
        chrome: Chrome::new(
            &state,
            &ctx,
            format!("{} · {}", tr.t("capacity-title"), zone.name),
            Some(&zone),
            &format!("/z/{code}/capacity"),
        ),
        summary: tr.args(
            "capacity-summary",
            &[
                ("staff", tr.int(nc.staff.len() as u64)),
                ("inhabitants", tr.int(nc.zone_pop.max(0) as u64)),
                (
                    "date",
                    nc.population_date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "–".into()),
                ),
            ],
        ),
        ruleset: tr.args(
            "capacity-ruleset",
            &[
                ("name", nc.ruleset.ruleset.name.clone()),
                ("version", nc.ruleset.ruleset.version.clone()),
                ("from", nc.ruleset.ruleset.valid_from.clone()),
            ],
        ),
        shortfalls: rows.iter().filter(|r| !r.met && r.checkable).count(),
        rows,
        net,
        demand_caption,
        days: (0..7).map(|i| tr.t(&format!("day-{i}"))).collect(),
        hours,
        note,
        tr,
    };
    Ok(Html(page.render()?))
}
