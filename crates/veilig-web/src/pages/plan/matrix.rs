//! The priority matrix page and its JSON.

use super::*;

#[derive(Debug, Default, Deserialize)]
pub struct MatrixQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
}

pub struct MatrixCell {
    pub text: String,
    pub href: String,
    pub title: String,
}

pub struct MatrixRowView {
    pub rank: usize,
    pub band: String,
    pub unstable: bool,
    pub code: String,
    pub name: String,
    pub href: String,
    pub cells: Vec<MatrixCell>,
    pub score: String,
    pub decision: String,
}

#[derive(Template)]
#[template(path = "plan_matrix.html")]
struct MatrixPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    from: String,
    to: String,
    /// (sort key, column label, link to sort by it)
    columns: Vec<(String, String, String)>,
    rows: Vec<MatrixRowView>,
    weights: String,
    references: Vec<String>,
    unstable: String,
    method: String,
    harm_note: String,
    decisions_href: String,
}

/// The key a column sorts by (highest first; rank lowest first).
fn sort_value(r: &qp::MatrixRow, key: &str) -> f64 {
    match key {
        "count" => r.count as f64,
        "score" => r.score,
        k => r
            .criteria
            .get(k)
            .and_then(|c| c.value)
            .unwrap_or(f64::NEG_INFINITY),
    }
}

pub async fn matrix_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(q): Query<MatrixQuery>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanMatrix).await?;
    let (df, dt) = last_year();
    let from = parse_date(q.from.as_deref(), df)?;
    let to = parse_date(q.to.as_deref(), dt)?;
    let m = matrix_for(&state, &zone, from, to).await?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str();
    let base = format!("/z/{code}/plan/matrix?from={from}&to={to}");
    let mut rows: Vec<&qp::MatrixRow> = m.rows.iter().collect();
    if let Some(k) = q.sort.as_deref().filter(|k| *k != "rank") {
        if !(k == "count" || k == "score" || veilig_plan::CRITERIA.contains(&k)) {
            return Err(WebError::BadRequest("error-bad-sort"));
        }
        rows.sort_by(|a, b| {
            sort_value(b, k)
                .partial_cmp(&sort_value(a, k))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.rank.cmp(&b.rank))
        });
    }
    let l = li(ctx.lang);
    let pct = |v: f64| format!("{} %", tr.dec(v * 100.0, 1));
    let phen_href = |p: &str| format!("/z/{code}/p/{p}?from={from}&to={to}");
    let view_rows = rows
        .iter()
        .map(|r| {
            let c = |k: &str| r.criteria.get(k).expect("every criterion");
            let title = |k: &str| {
                let x = c(k);
                match &x.note {
                    Some(n) => format!("{} — {n}", x.source),
                    None => x.source.clone(),
                }
            };
            let cell = |text: String, href: String, k: &str| MatrixCell {
                text,
                href,
                title: title(k),
            };
            let trend = match &r.trend {
                Some(t) => tr.args(
                    "plan-trend-cell",
                    &[
                        ("change", tr.dec(t.annual_change_pct, 1)),
                        ("low", tr.dec(t.low_pct, 1)),
                        ("high", tr.dec(t.high_pct, 1)),
                        (
                            "sig",
                            if t.significant {
                                String::new()
                            } else {
                                tr.t("plan-not-significant")
                            },
                        ),
                    ],
                ),
                None => "–".into(),
            };
            let survey = match &r.survey {
                Some(s) => match s.estimate {
                    Some(e) => format!("{} ({} {})", pct(e), s.indicator, s.wave),
                    None => tr.t("plan-survey-withheld"),
                },
                None => "–".into(),
            };
            let names = [&r.name_nl, &r.name_fr, &r.name_en];
            MatrixRowView {
                rank: r.rank,
                band: format!("{}–{}", r.rank_best, r.rank_worst),
                unstable: r.rank_best != r.rank_worst,
                code: r.phenomenon.clone(),
                name: names[l].clone(),
                href: phen_href(&r.phenomenon),
                cells: vec![
                    cell(tr.int(r.count), phen_href(&r.phenomenon), "rate"),
                    cell(
                        c("harm")
                            .value
                            .map_or("–".into(), |v| tr.int(v.round() as u64)),
                        phen_href(&r.phenomenon),
                        "harm",
                    ),
                    cell(
                        r.rate_per_1000.map_or("–".into(), |v| tr.dec(v, 2)),
                        phen_href(&r.phenomenon),
                        "rate",
                    ),
                    cell(trend, phen_href(&r.phenomenon), "trend"),
                    cell(
                        tr.t(&format!("verdict-{}", r.verdict.as_str())),
                        phen_href(&r.phenomenon),
                        "trend",
                    ),
                    cell(
                        r.calls.share.map_or("–".into(), pct),
                        format!("/z/{code}/capacity"),
                        "calls",
                    ),
                    cell(survey, format!("/z/{code}/survey"), "survey"),
                    cell(
                        r.alignment
                            .iter()
                            .map(|a| {
                                format!("{} {}", tr.t(&format!("plan-ref-{}", a.kind)), a.item)
                            })
                            .collect::<Vec<_>>()
                            .join(", "),
                        format!("/z/{code}/plan/matrix?from={from}&to={to}#references"),
                        "alignment",
                    ),
                    cell(
                        r.stakeholder
                            .as_ref()
                            .map_or("–".into(), |s| tr.dec(s.score, 1)),
                        format!("/z/{code}/plan/decisions"),
                        "stakeholder",
                    ),
                ],
                score: tr.dec(r.score, 3),
                decision: r.decision.as_ref().map_or(String::new(), |d| {
                    tr.args(
                        "plan-decided",
                        &[
                            ("kind", tr.t(&format!("plan-kind-{}", d.kind))),
                            ("date", tr.date(d.meeting)),
                        ],
                    )
                }),
            }
        })
        .collect();
    let col = |key: &str, label: &str| (key.to_string(), tr.t(label), format!("{base}&sort={key}"));
    // Rank, phenomenon, then what the council decides on (score, the rank's range under
    // moved weights, the decision), then the evidence: the decision columns stay in view at
    // 1280 px, the evidence scrolls in its box where the screen is narrower.
    let columns = vec![
        col("rank", "plan-col-rank"),
        col("score", "plan-col-score"),
        col("count", "plan-col-count"),
        col("harm", "plan-col-harm"),
        col("rate", "plan-col-rate"),
        col("trend", "plan-col-trend"),
        ("verdict".into(), tr.t("col-verdict"), String::new()),
        col("calls", "plan-col-calls"),
        col("survey", "plan-col-survey"),
        col("alignment", "plan-col-alignment"),
        col("stakeholder", "plan-col-stakeholder"),
    ];
    let page = MatrixPage {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.t("plan-matrix-title"),
            Some(&zone),
            &format!("/z/{code}/plan/matrix"),
        ),
        from: from.to_string(),
        to: to.to_string(),
        columns,
        rows: view_rows,
        weights: m
            .method
            .weights
            .iter()
            .map(|(k, w)| format!("{} {}", tr.t(&format!("plan-crit-{k}")), tr.dec(*w, 2)))
            .collect::<Vec<_>>()
            .join(" · "),
        references: m
            .references
            .iter()
            .map(|r| {
                tr.args(
                    "plan-reference-line",
                    &[
                        ("title", r.title.clone()),
                        (
                            "status",
                            tr.t(if r.in_force {
                                "plan-in-force"
                            } else {
                                "plan-not-in-force"
                            }),
                        ),
                        ("until", tr.date(r.applies_until)),
                        ("confidence", r.confidence.clone()),
                        ("citation", r.citation_in(tr.lang.code()).to_string()),
                    ],
                )
            })
            .collect(),
        unstable: if m.unstable.is_empty() {
            tr.t("plan-stable")
        } else {
            tr.arg("plan-unstable", "list", m.unstable.join(", "))
        },
        method: tr.args(
            "plan-matrix-method",
            &[
                ("version", m.method.version.clone()),
                ("citation", m.method.citation_in(tr.lang.code()).to_string()),
            ],
        ),
        harm_note: format!(
            "{} ({})",
            m.method.harm.citation_in(tr.lang.code()),
            tr.t(&format!("plan-harm-status-{}", m.method.harm.status))
        ),
        decisions_href: format!("/z/{code}/plan/decisions"),
        tr,
    };
    Ok(Html(page.render()?))
}

/// `/api/v1/zones/{zone}/plan/matrix`: the matrix as `veilig plan matrix --json` gives it.
pub async fn matrix_json(
    state: &AppState,
    ctx: &Ctx,
    zone: &str,
    q: &MatrixQuery,
) -> WebResult<serde_json::Value> {
    let (zone, _) = zone_for(state, ctx, zone, Action::PlanMatrix).await?;
    let (df, dt) = last_year();
    let from = parse_date(q.from.as_deref(), df)?;
    let to = parse_date(q.to.as_deref(), dt)?;
    let m = matrix_for(state, &zone, from, to).await?;
    state
        .store
        .audit(&ctx.audit_entry(
            "export",
            Some(zone.id),
            format!("api: plan matrix {from} – {to}"),
        ))
        .await?;
    serde_json::to_value(&m).map_err(|e| WebError::Internal(e.into()))
}
