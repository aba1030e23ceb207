//! The plan's indicators with their measurements and verdicts (`/z/{zone}/plan/indicators`,
//! and as JSON).

use veilig_query::monitor as qm;

use super::*;

/// The years a count indicator's baseline spans, when it spans more than one (its values are
/// then said per year).
fn per_year(s: &veilig_query::monitor::IndicatorStatus) -> Option<f64> {
    let days = (s.baseline.to - s.baseline.from).num_days() as f64 + 1.0;
    (s.unit == "count" && days > 366.0).then(|| days / 365.25)
}

pub struct IndicatorRowView {
    pub code: String,
    pub objective: String,
    pub name: String,
    pub kind: String,
    pub source: String,
    pub baseline: String,
    pub target: String,
    pub latest: String,
    pub verdict: String,
    pub verdict_class: &'static str,
    pub chart: String,
    /// Every measurement: period, value, revision, origin, provisional, batches.
    pub measurements: Vec<(String, String, i32, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "plan_indicators.html")]
struct IndicatorsPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    rows: Vec<IndicatorRowView>,
    method: String,
}

pub(super) fn verdict_class(v: &str) -> &'static str {
    match v {
        "on-track" => "on-track",
        "off-track" => "off-track",
        _ => "unknown",
    }
}

pub async fn indicators_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanMonitor).await?;
    let st = qm::status(&state.store, &zone, RULES).await?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str();
    let rows = st
        .iter()
        .map(|s| {
            let base = s.baseline.value;
            let points = qm::progress_points(s, &tr, None);
            IndicatorRowView {
                code: s.code.clone(),
                objective: s.objective.clone(),
                name: s.name.clone(),
                kind: tr.t(&format!("ind-kind-{}", s.kind.as_str())),
                source: if s.computed {
                    tr.t("ind-computed")
                } else {
                    tr.t("ind-entered")
                },
                baseline: base.map_or("–".into(), |b| {
                    let (from, to) = (tr.date(s.baseline.from), tr.date(s.baseline.to));
                    match per_year(s) {
                        // A count over several years is said per year (a three-year total
                        // beside a one-year target misleads), with the total beside it.
                        Some(years) => tr.args(
                            "ind-baseline-per-year",
                            &[
                                ("value", tr.dec(b / years, 1)),
                                ("total", qm::value_text(&tr, &s.unit, b)),
                                ("from", from),
                                ("to", to),
                            ],
                        ),
                        None => format!("{} ({from} – {to})", qm::value_text(&tr, &s.unit, b)),
                    }
                }),
                target: s.target.value.map_or("–".into(), |t| {
                    let by = tr.date(s.definition.target.by());
                    match per_year(s) {
                        Some(years) => tr.args(
                            "ind-target-per-year",
                            &[("value", tr.dec(t / years, 1)), ("by", by)],
                        ),
                        None => format!("{} ({by})", qm::value_text(&tr, &s.unit, t)),
                    }
                }),
                latest: s.progress.latest.map_or("–".into(), |l| {
                    format!(
                        "{} ({})",
                        qm::value_text(&tr, &s.unit, l),
                        s.progress
                            .latest_period_end
                            .map_or(String::new(), |d| tr.date(d))
                    )
                }),
                verdict: tr.t(&format!("ind-verdict-{}", s.verdict)),
                verdict_class: verdict_class(s.verdict),
                chart: if points.len() > 1 {
                    veilig_report::progress_chart(
                        &points,
                        &s.name,
                        &tr.t("ind-path"),
                        tr.decimal_mark(),
                    )
                } else {
                    String::new()
                },
                measurements: s
                    .measurements
                    .iter()
                    .map(|m| {
                        (
                            format!("{} – {}", tr.date(m.period_start), tr.date(m.period_end)),
                            qm::value_text(&tr, &s.unit, m.value),
                            m.revision,
                            format!("{} {}", m.origin, m.recorded_by.clone().unwrap_or_default()),
                            m.provisional,
                            m.batches
                                .iter()
                                .map(|b| b.to_string())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let page = IndicatorsPage {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.t("ind-title"),
            Some(&zone),
            &format!("/z/{code}/plan/indicators"),
        ),
        rows,
        method: tr.t("ind-method"),
        tr,
    };
    Ok(Html(page.render()?))
}

pub async fn indicators_json(
    state: &AppState,
    ctx: &Ctx,
    zone: &str,
) -> WebResult<serde_json::Value> {
    let (zone, _) = zone_for(state, ctx, zone, Action::PlanMonitor).await?;
    let st = qm::status(&state.store, &zone, RULES).await?;
    state
        .store
        .audit(&ctx.audit_entry("export", Some(zone.id), "api: plan indicators".into()))
        .await?;
    Ok(
        serde_json::json!({"zone": zone.code.as_str(), "synthetic": zone.synthetic, "indicators": st}),
    )
}
