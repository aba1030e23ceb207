//! What a partner (OCMW, municipality, parket, school, housing company) sees of the plan:
//! the actions it takes part in, its role, how the indicators of the objectives behind each
//! action stand (the verdict's words: indicator values are counts of any unit and period,
//! which never leave the zone's staff), whether the council found the action done, and the
//! partner's remarks with the zone's answers. The same list feeds the partner's page and its
//! feedback report.

use anyhow::{Context, Result};
use serde::Serialize;
use veilig_domain::Zone;
use veilig_report::doc::{Block, Column, Doc};
use veilig_store::{Feedback, Store};

use super::{Ctx, h1, h2};
use crate::plan::PlanView;

/// An indicator behind an action, by its verdict only.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerIndicator {
    pub code: String,
    pub name: String,
    pub objective: String,
    /// `on-track`, `off-track`, `not-yet-measurable`, `too-few-events`, or `withheld` when a
    /// count it rests on is under the disclosure threshold.
    pub verdict: String,
}

/// One action of the plan the partner takes part in.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerAction {
    pub code: String,
    pub year: i32,
    pub title: String,
    pub role: String,
    pub objective: String,
    pub objective_statement: String,
    pub owner: String,
    pub phases: Vec<String>,
    /// Whether the council's evaluation of the year found it done (None: not evaluated).
    pub done: Option<bool>,
    pub indicators: Vec<PartnerIndicator>,
    pub feedback: Vec<Feedback>,
}

/// The actions of `plan` that `organisation` takes part in (of one year, when given).
pub async fn partner_actions(
    store: &Store,
    zone: &Zone,
    plan: &PlanView,
    organisation: &str,
    year: Option<i32>,
    threshold: u64,
) -> Result<Vec<PartnerAction>> {
    let d = &plan.document;
    let status = crate::monitor::status(store, zone, crate::plan::DEFAULT_RULES).await?;
    let feedback = store
        .feedback(zone.id, &plan.code, Some(organisation))
        .await?;
    let evaluations: Vec<serde_json::Value> = store
        .reviews(zone.id)
        .await?
        .into_iter()
        .filter(|r| r.kind == "annual")
        .filter_map(|r| serde_json::from_str(&r.document).ok())
        .filter(|v: &serde_json::Value| v["plan"].as_str() == Some(plan.code.as_str()))
        .collect();
    let mut out = Vec::new();
    for a in d.actions_of_partner(organisation) {
        if year.is_some_and(|y| y != a.year) {
            continue;
        }
        // The action's objective and every objective above it.
        let mut chain = Vec::new();
        let mut at = d.objective(&a.objective);
        while let Some(o) = at {
            chain.push(o.code.clone());
            at = o.parent.as_deref().and_then(|p| d.objective(p));
        }
        let done = evaluations
            .iter()
            .rfind(|e| e["year"].as_i64() == Some(a.year as i64))
            .and_then(|e| {
                e["objectives"]
                    .as_array()?
                    .iter()
                    .flat_map(|o| o["actions"].as_array().into_iter().flatten())
                    .find(|x| x["code"].as_str() == Some(a.code.as_str()))
                    .and_then(|x| x["done"].as_bool())
            });
        out.push(PartnerAction {
            code: a.code.clone(),
            year: a.year,
            title: a.title.clone(),
            role: a
                .partners
                .iter()
                .find(|p| p.partner == organisation)
                .map(|p| p.role.clone())
                .unwrap_or_default(),
            objective: a.objective.clone(),
            objective_statement: d
                .objective(&a.objective)
                .map(|o| o.statement.clone())
                .unwrap_or_default(),
            owner: a.owner.clone(),
            phases: a.phases.iter().map(|p| p.as_str().to_string()).collect(),
            done,
            indicators: status
                .iter()
                .filter(|s| chain.contains(&s.objective))
                .map(|s| PartnerIndicator {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    objective: s.objective.clone(),
                    verdict: s.disclosed_verdict(threshold).to_string(),
                })
                .collect(),
            feedback: feedback
                .iter()
                .filter(|f| f.action_code == a.code)
                .cloned()
                .collect(),
        });
    }
    Ok(out)
}

/// The partner's feedback report of a year.
pub(crate) async fn build(ctx: &mut Ctx<'_>, store: &Store) -> Result<Doc> {
    let org = ctx
        .req
        .organisation
        .clone()
        .context("a partner report names its organisation")?;
    let v = super::plan::year_plan(ctx, store)
        .await?
        .with_context(|| format!("zone {} has no plan yet", ctx.zone.code.as_str()))?;
    let actions =
        partner_actions(store, ctx.zone, &v, &org, Some(ctx.year()), ctx.threshold).await?;
    let mut blocks = vec![
        Block::Para(ctx.tr.args(
            "report-partner-intro",
            &[
                ("organisation", super::organisation_name(ctx.tr, &org)),
                ("plan", v.document.title.clone()),
                ("year", ctx.year().to_string()),
            ],
        )),
        h1(ctx.t("report-partner-actions")),
    ];
    if actions.is_empty() {
        blocks.push(Block::Para(ctx.t("plan-nothing-for-partner")));
    }
    for a in &actions {
        blocks.push(h2(format!("{}: {}", a.code, a.title)));
        blocks.push(Block::Facts(vec![
            (ctx.t("report-partner-role"), a.role.clone()),
            (
                ctx.t("plan-col-objective"),
                format!("{}: {}", a.objective, a.objective_statement),
            ),
            (ctx.t("plan-owner"), a.owner.clone()),
            (
                ctx.t("plan-col-phases"),
                a.phases
                    .iter()
                    .map(|p| ctx.t(&format!("plan-phase-{p}")))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            (
                ctx.t("report-col-done"),
                match a.done {
                    Some(true) => ctx.t("eval-done"),
                    Some(false) => ctx.t("eval-not-done"),
                    None => ctx.t("report-not-evaluated"),
                },
            ),
        ]));
        if !a.indicators.is_empty() {
            blocks.push(Block::Table {
                columns: vec![
                    Column::text(ctx.t("plan-col-code"), 1),
                    Column::text(ctx.t("ind-col-name"), 6),
                    Column::text(ctx.t("report-col-verdict"), 3),
                ],
                rows: a
                    .indicators
                    .iter()
                    .map(|i| {
                        vec![
                            i.code.clone(),
                            i.name.clone(),
                            ctx.t(&format!("ind-verdict-{}", i.verdict)),
                        ]
                    })
                    .collect(),
            });
        }
        for f in &a.feedback {
            blocks.push(Block::Para(ctx.tr.args(
                "report-feedback-line",
                &[
                    ("date", f.created_at.date().to_string()),
                    ("author", f.author.clone()),
                    ("body", f.body.clone()),
                ],
            )));
            blocks.push(Block::Note(match (&f.answer, f.answered_at) {
                (Some(ans), Some(at)) => ctx.tr.args(
                    "report-feedback-answer",
                    &[("date", at.date().to_string()), ("answer", ans.clone())],
                ),
                _ => ctx.t("report-feedback-open"),
            }));
        }
    }
    blocks.push(Block::Note(ctx.t("report-partner-note")));
    let title = ctx.tr.args(
        "report-partner-title",
        &[
            ("organisation", super::organisation_name(ctx.tr, &org)),
            ("year", ctx.year().to_string()),
        ],
    );
    Ok(ctx.doc(title, ctx.zone.name.clone(), blocks))
}
