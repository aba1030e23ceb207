//! The plan's indicators with their measurements and verdicts (`/z/{zone}/plan/indicators`,
//! and as JSON).

use veilig_query::monitor as qm;

use super::*;

fn fmt_value(tr: &Tr, v: f64, unit: &str) -> String {
    match unit {
        "proportion" | "share" => format!("{} %", tr.dec(v * 100.0, 1)),
        "count" => tr.int(v.round().max(0.0) as u64),
        _ => tr.dec(v, 2),
    }
}

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
            // The newest revision of each period, baseline first.
            let mut periods: Vec<&veilig_store::MeasurementRow> = Vec::new();
            for m in &s.measurements {
                match periods
                    .iter_mut()
                    .find(|p| p.period_start == m.period_start && p.period_end == m.period_end)
                {
                    Some(p) if p.revision < m.revision => *p = m,
                    Some(_) => {}
                    None => periods.push(m),
                }
            }
            let base = s.baseline.value;
            let points: Vec<veilig_report::ProgressPoint> = periods
                .iter()
                .map(|m| {
                    let scale = match (
                        m.exposure_days,
                        s.measurements
                            .iter()
                            .find(|b| b.period_start == s.baseline.from)
                            .and_then(|b| b.exposure_days),
                    ) {
                        (Some(a), Some(b)) if b > 0.0 => a / b,
                        _ => 1.0,
                    };
                    veilig_report::ProgressPoint {
                        label: if m.period_end.month() == 12 && m.period_start.month() == 1 {
                            m.period_start.year().to_string()
                        } else {
                            tr.args(
                                "ind-quarter",
                                &[
                                    ("q", (m.period_start.month0() / 3 + 1).to_string()),
                                    ("year", m.period_start.year().to_string()),
                                ],
                            )
                        },
                        value: m.value,
                        interval: m.low.zip(m.high),
                        path: base.map_or(m.value, |b| {
                            s.definition.path_value(b, m.period_end) * scale
                        }),
                        baseline: m.period_start == s.baseline.from
                            && m.period_end == s.baseline.to,
                    }
                })
                .collect();
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
                                ("total", fmt_value(&tr, b, &s.unit)),
                                ("from", from),
                                ("to", to),
                            ],
                        ),
                        None => format!("{} ({from} – {to})", fmt_value(&tr, b, &s.unit)),
                    }
                }),
                target: s.target.value.map_or("–".into(), |t| {
                    let by = tr.date(s.definition.target.by());
                    match per_year(s) {
                        Some(years) => tr.args(
                            "ind-target-per-year",
                            &[("value", tr.dec(t / years, 1)), ("by", by)],
                        ),
                        None => format!("{} ({by})", fmt_value(&tr, t, &s.unit)),
                    }
                }),
                latest: s.progress.latest.map_or("–".into(), |l| {
                    format!(
                        "{} ({})",
                        fmt_value(&tr, l, &s.unit),
                        s.progress
                            .latest_period_end
                            .map_or(String::new(), |d| d.to_string())
                    )
                }),
                verdict: tr.t(&format!("ind-verdict-{}", s.verdict)),
                verdict_class: verdict_class(s.verdict),
                chart: if points.len() > 1 {
                    veilig_report::progress_chart(&points, &s.name, &tr.t("ind-path"))
                } else {
                    String::new()
                },
                measurements: s
                    .measurements
                    .iter()
                    .map(|m| {
                        (
                            format!("{} – {}", m.period_start, m.period_end),
                            fmt_value(&tr, m.value, &s.unit),
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
        method: st
            .first()
            .map_or(String::new(), |s| s.progress.method.to_string()),
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
