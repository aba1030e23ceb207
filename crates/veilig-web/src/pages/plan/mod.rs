//! The policy cycle's pages: the priority matrix (`/z/{zone}/plan/matrix`), the council's
//! decisions (`/z/{zone}/plan/decisions`), the zonal security plan as a tree with its hours
//! beside the norm check and its approval trail (`/z/{zone}/plan`), two versions compared
//! (`/z/{zone}/plan/compare`) and the whole plan for print (`/z/{zone}/plan/print`). Every
//! change is a POST through `veilig_query::plan` (checked whole, stored with its audit line);
//! who may do what is [`crate::policy`]'s.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use veilig_analysis::TestRules;
use veilig_domain::Zone;
use veilig_plan::{Action as PlanAction, Level, Objective, PartnerRole, Phase, PlanDoc, Procedure};
use veilig_query::plan::{self as qp, PlanView};
use veilig_store::NewDecision;

use super::{form_page, organisation, today, zone_for};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::{WebError, WebResult};
use crate::i18n::{Lang, Tr};
use crate::policy::{Action, PlanScope, allows, plan_scope};
use crate::view::Chrome;

mod cached;
mod decisions;
mod edit;
mod follow;
pub use cached::matrix_for;
pub(crate) use cached::warm;
mod matrix;
mod print;

pub use decisions::{decide, decisions_page, input};
pub use edit::{add_action, add_objective, addendum, create, take_step};
pub use follow::{
    evaluate, indicators_json, indicators_page, problems_json, problems_page, record_review,
    reviews_page, save_problem,
};
pub use matrix::{MatrixQuery, matrix_json, matrix_page};
pub use print::{compare, print};

pub(super) fn li(l: Lang) -> usize {
    match l {
        Lang::Nl => 0,
        Lang::Fr => 1,
        Lang::En => 2,
    }
}

/// The last complete calendar year before today: the matrix's default period.
pub(super) fn last_year() -> (NaiveDate, NaiveDate) {
    let y = today().year() - 1;
    (
        NaiveDate::from_ymd_opt(y, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(y, 12, 31).expect("date"),
    )
}

pub(super) fn parse_date(s: Option<&str>, default: NaiveDate) -> WebResult<NaiveDate> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| WebError::BadRequest("error-bad-period")),
    }
}

// ---- the plan ----------------------------------------------------------------------------

pub struct ActionView {
    pub code: String,
    pub year: i32,
    pub title: String,
    pub phases: String,
    pub partners: String,
    pub owner: String,
    pub hours: String,
}

/// An indicator's verdict on the plan's tree (its latest figure only for full access).
pub struct Badge {
    pub objective: String,
    pub code: String,
    pub name: String,
    pub verdict: String,
    pub class: &'static str,
    pub figure: String,
}

/// The badges of the zone's indicators a user may see: verdict words for the plan's readers
/// (the council too, under disclosure control), the latest figure against the target for
/// full access only.
async fn badges(state: &AppState, ctx: &Ctx, zone: &Zone, tr: &Tr<'_>) -> WebResult<Vec<Badge>> {
    let u = ctx.user.as_ref();
    if !allows(u, Some(zone.id), Action::PlanVerdicts) {
        return Ok(Vec::new());
    }
    let figures = allows(u, Some(zone.id), Action::PlanMonitor);
    let threshold = state.config.disclosure.threshold;
    Ok(
        veilig_query::monitor::status(&state.store, zone, qp::DEFAULT_RULES)
            .await?
            .into_iter()
            .map(|s| {
                let shown = figures || s.verdict_disclosed(threshold);
                Badge {
                    objective: s.objective.clone(),
                    code: s.code.clone(),
                    name: s.name.clone(),
                    verdict: if shown {
                        tr.t(&format!("ind-verdict-{}", s.verdict))
                    } else {
                        tr.t("verdict-withheld")
                    },
                    class: if shown {
                        follow::verdict_class(s.verdict)
                    } else {
                        "unknown"
                    },
                    figure: match (figures, s.progress.latest, s.target.value) {
                        (true, Some(l), Some(t)) => format!("{} → {}", tr.dec(l, 2), tr.dec(t, 2)),
                        _ => String::new(),
                    },
                }
            })
            .collect(),
    )
}

pub struct ObjectiveView {
    pub code: String,
    pub depth: usize,
    pub level: String,
    pub statement: String,
    pub target: String,
    pub due: String,
    pub owner: String,
    pub actions: Vec<ActionView>,
    pub indicators: Vec<Badge>,
    /// The worst verdict of its indicators: `off-track`, `on-track` or `unknown`.
    pub progress: &'static str,
}

pub struct PriorityView {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub domain: String,
    pub references: String,
    pub objectives: Vec<ObjectiveView>,
}

pub struct StepView {
    pub date: String,
    pub label: String,
    pub outcome: String,
    pub reference: String,
    pub by: String,
}

pub struct VersionRow {
    pub version: i32,
    pub kind: String,
    pub reason: String,
    pub status: String,
    pub steps: Vec<StepView>,
    pub compare: Option<String>,
}

/// One functionality: hours in the year, the norms' floor, what the plan's actions of the
/// year may draw on it.
pub struct CapacityRow {
    pub functionality: String,
    pub available: String,
    pub floor: String,
    pub plan: String,
    pub short: bool,
}

fn action_view(tr: &Tr, a: &PlanAction, partner: Option<&str>) -> ActionView {
    ActionView {
        code: a.code.clone(),
        year: a.year,
        title: a.title.clone(),
        phases: a
            .phases
            .iter()
            .map(|p| tr.t(&format!("plan-phase-{}", p.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
        partners: a
            .partners
            .iter()
            .filter(|p| partner.is_none_or(|o| o == p.partner))
            .map(|p| format!("{} ({})", p.partner, p.role))
            .collect::<Vec<_>>()
            .join("; "),
        owner: a.owner.clone(),
        hours: tr.int(a.hours.round() as u64),
    }
}

/// The plan as a tree: priorities → strategic → tactical → operational objectives, each with
/// its actions; with `partner`, only the branches holding that partner's actions.
fn tree(tr: &Tr, d: &PlanDoc, partner: Option<&str>, badges: &[Badge]) -> Vec<PriorityView> {
    let keep = |a: &&PlanAction| partner.is_none_or(|o| a.partners.iter().any(|p| p.partner == o));
    let mut out = Vec::new();
    for p in &d.priorities {
        let mut objectives = Vec::new();
        fn walk<'d>(
            d: &'d PlanDoc,
            o: &'d Objective,
            depth: usize,
            acc: &mut Vec<(&'d Objective, usize)>,
        ) {
            acc.push((o, depth));
            for c in d
                .objectives
                .iter()
                .filter(|c| c.parent.as_deref() == Some(&o.code))
            {
                walk(d, c, depth + 1, acc);
            }
        }
        let mut flat = Vec::new();
        for s in d
            .objectives
            .iter()
            .filter(|o| o.priority == p.code && o.parent.is_none())
        {
            walk(d, s, 0, &mut flat);
        }
        for (o, depth) in flat {
            let actions: Vec<ActionView> = d
                .actions
                .iter()
                .filter(|a| a.objective == o.code)
                .filter(keep)
                .map(|a| action_view(tr, a, partner))
                .collect();
            let indicators: Vec<Badge> = badges
                .iter()
                .filter(|b| b.objective == o.code)
                .map(|b| Badge {
                    objective: b.objective.clone(),
                    code: b.code.clone(),
                    name: b.name.clone(),
                    verdict: b.verdict.clone(),
                    class: b.class,
                    figure: b.figure.clone(),
                })
                .collect();
            let progress = if indicators.iter().any(|b| b.class == "off-track") {
                "off-track"
            } else if indicators.iter().any(|b| b.class == "on-track") {
                "on-track"
            } else {
                "unknown"
            };
            objectives.push(ObjectiveView {
                indicators,
                progress,
                code: o.code.clone(),
                depth,
                level: tr.t(&format!("plan-level-{}", o.level.as_str())),
                statement: o.statement.clone(),
                target: o.target.clone(),
                due: o.due.to_string(),
                owner: o.owner.clone(),
                actions,
            });
        }
        if partner.is_some() {
            objectives.retain(|o| !o.actions.is_empty());
            if objectives.is_empty() {
                continue;
            }
        }
        out.push(PriorityView {
            code: p.code.clone(),
            title: p.title.clone(),
            kind: tr.t(&format!("plan-kind-{}", p.kind.as_str())),
            domain: tr.t(&format!("plan-domain-{}", p.domain.as_str())),
            references: p.references.join(", "),
            objectives,
        });
    }
    out
}

/// The plan's versions with their approval steps; with `compare` (the zone code) each
/// version after the first links to its comparison with the one before.
fn version_rows(tr: &Tr, v: &PlanView, lang: Lang, compare: Option<&str>) -> Vec<VersionRow> {
    v.versions
        .iter()
        .enumerate()
        .map(|(i, ver)| VersionRow {
            version: ver.version,
            kind: tr.t(&format!("plan-version-{}", ver.kind)),
            reason: ver.reason.clone(),
            status: tr.t(&format!("plan-status-{}", ver.standing.status)),
            steps: ver
                .steps
                .iter()
                .map(|s| StepView {
                    date: s.decided_on.to_string(),
                    label: step_label(&v.procedure, &s.step, lang),
                    outcome: tr.t(&format!("plan-outcome-{}", s.outcome)),
                    reference: s.reference.clone(),
                    by: s.recorded_by.clone().unwrap_or_default(),
                })
                .collect(),
            compare: compare.filter(|_| i > 0).map(|code| {
                format!(
                    "/z/{code}/plan/compare?from={}&to={}",
                    ver.version - 1,
                    ver.version
                )
            }),
        })
        .collect()
}

/// The zone's phenomena as (code, name in the user's language).
async fn phenomenon_names(
    state: &AppState,
    zone: &Zone,
    lang: Lang,
) -> WebResult<Vec<(String, String)>> {
    let l = li(lang);
    Ok(state
        .store
        .phenomena(zone.id)
        .await?
        .into_iter()
        .map(|p| {
            let n = [p.nl, p.fr, p.en];
            (p.code, n[l].clone())
        })
        .collect())
}

/// The message shown when a change is refused, with its reason.
fn refused(state: &AppState, ctx: &Ctx, e: &anyhow::Error) -> String {
    state
        .i18n
        .tr(ctx.lang)
        .arg("plan-refused", "reason", format!("{e:#}"))
}

fn phase_options(tr: &Tr) -> Vec<(String, String)> {
    [
        Phase::Proactie,
        Phase::Preventie,
        Phase::Reactie,
        Phase::Nazorg,
    ]
    .iter()
    .map(|p| {
        (
            p.as_str().to_string(),
            tr.t(&format!("plan-phase-{}", p.as_str())),
        )
    })
    .collect()
}

fn step_label(proc: &Procedure, step: &str, lang: Lang) -> String {
    proc.step(step).map_or(step.to_string(), |s| {
        [&s.label_nl, &s.label_fr, &s.label_en][li(lang)].clone()
    })
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    zone: String,
    has_plan: bool,
    partner: bool,
    title: String,
    summary: String,
    deadline: Option<String>,
    chapters: Vec<(String, String)>,
    priorities: Vec<PriorityView>,
    hours_year: i32,
    capacity: Vec<CapacityRow>,
    versions: Vec<VersionRow>,
    procedure: String,
    editable: bool,
    can_edit: bool,
    can_approve: bool,
    next_steps: Vec<(String, String)>,
    priority_codes: Vec<String>,
    objective_codes: Vec<String>,
    error: Option<String>,
    today: String,
    start_year: i32,
    default_code: String,
    phases: Vec<(String, String)>,
}

pub(crate) async fn current_view(state: &AppState, zone: &Zone) -> WebResult<Option<PlanView>> {
    if state.store.plans(zone.id).await?.is_empty() {
        return Ok(None);
    }
    let (_, view) = qp::plan_named(&state.store, zone, "current", today()).await?;
    Ok(Some(view))
}

async fn capacity_rows(
    state: &AppState,
    zone: &Zone,
    d: &PlanDoc,
    year: i32,
    tr: &Tr<'_>,
) -> WebResult<Vec<CapacityRow>> {
    if state.store.staff(zone.id).await?.is_empty() {
        return Ok(Vec::new());
    }
    let nc = veilig_query::capacity::norm_check(
        &state.store,
        zone,
        veilig_capacity::norms::Ruleset::builtin(),
    )
    .await?;
    let (teams, floors) = veilig_query::capacity::teams_and_floors(&nc);
    let mut plan: BTreeMap<String, f64> = BTreeMap::new();
    for a in d.actions.iter().filter(|a| a.year == year) {
        // An action open to several functionalities is counted against each it may draw on.
        for f in &a.functionalities {
            *plan.entry(f.clone()).or_default() += a.hours;
        }
    }
    Ok(teams
        .iter()
        .map(|t| {
            let floor = floors
                .iter()
                .find(|f| f.functionality == t.functionality)
                .map_or(0.0, |f| f.hours);
            let asked = plan.get(&t.functionality).copied().unwrap_or(0.0);
            CapacityRow {
                functionality: t.functionality.clone(),
                available: tr.int(t.hours.round() as u64),
                floor: tr.int(floor.round() as u64),
                plan: tr.int(asked.round() as u64),
                short: floor + asked > t.hours,
            }
        })
        .collect())
}

async fn render_plan(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let org = organisation(state, ctx).await?;
    let scope = plan_scope(ctx.user.as_ref(), zone.id, org).ok_or(WebError::Forbidden)?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str();
    let u = ctx.user.as_ref();
    let refused_form = error.is_some();
    let v = current_view(state, zone).await?;
    let partner = match &scope {
        PlanScope::Whole => None,
        PlanScope::Partner(o) => Some(o.clone().unwrap_or_default()),
    };
    let can_edit = partner.is_none() && allows(u, Some(zone.id), Action::PlanEdit);
    let can_approve = partner.is_none() && allows(u, Some(zone.id), Action::PlanApprove);
    let chrome = Chrome::new(
        state,
        ctx,
        tr.t("plan-title"),
        Some(zone),
        &format!("/z/{code}/plan"),
    );
    let page = match v {
        None => PlanPage {
            chrome,
            zone: code.into(),
            has_plan: false,
            partner: partner.is_some(),
            title: tr.t("plan-title"),
            summary: tr.t("plan-none"),
            deadline: None,
            chapters: vec![],
            priorities: vec![],
            hours_year: today().year(),
            capacity: vec![],
            versions: vec![],
            procedure: String::new(),
            editable: false,
            can_edit,
            can_approve: false,
            next_steps: vec![],
            priority_codes: vec![],
            objective_codes: vec![],
            error,
            today: today().to_string(),
            start_year: today().year() + 1,
            default_code: format!("zvp-{}-{}", today().year() + 1, today().year() + 6),
            phases: phase_options(&tr),
            tr,
        },
        Some(v) => {
            let d = &v.document;
            let t = today();
            let hours_year = if d.period_start <= t && t <= d.period_end {
                t.year()
            } else {
                d.period_start.year()
            };
            let marks = if partner.is_none() {
                badges(state, ctx, zone, &tr).await?
            } else {
                Vec::new()
            };
            let capacity = if partner.is_none() {
                capacity_rows(state, zone, d, hours_year, &tr).await?
            } else {
                vec![]
            };
            let versions = version_rows(&tr, &v, ctx.lang, Some(code));
            PlanPage {
                chrome,
                zone: code.into(),
                has_plan: true,
                partner: partner.is_some(),
                title: d.title.clone(),
                summary: tr.args(
                    "plan-summary",
                    &[
                        ("from", d.period_start.to_string()),
                        ("to", d.period_end.to_string()),
                        ("version", v.version.to_string()),
                        ("status", tr.t(&format!("plan-status-{}", v.status))),
                    ],
                ),
                deadline: v.deadline.map(|x| {
                    tr.args(
                        "plan-deadline",
                        &[
                            ("date", x.to_string()),
                            (
                                "late",
                                tr.t(if x < t {
                                    "plan-deadline-passed"
                                } else {
                                    "plan-deadline-open"
                                }),
                            ),
                        ],
                    )
                }),
                chapters: if partner.is_some() {
                    vec![]
                } else {
                    [
                        ("plan-ch-mission", &d.chapters.mission),
                        ("plan-ch-vision", &d.chapters.vision),
                        ("plan-ch-values", &d.chapters.values),
                        ("plan-ch-communication", &d.chapters.communication),
                    ]
                    .into_iter()
                    .filter(|(_, x)| !x.is_empty())
                    .map(|(k, x)| (tr.t(k), x.clone()))
                    .collect()
                },
                priorities: tree(&tr, d, partner.as_deref(), &marks),
                hours_year,
                capacity,
                versions: if partner.is_some() { vec![] } else { versions },
                procedure: v.procedure.citation.clone(),
                editable: v.editable,
                can_edit,
                can_approve: can_approve && !v.next_steps.is_empty(),
                next_steps: v
                    .next_steps
                    .iter()
                    .map(|s| (s.clone(), step_label(&v.procedure, s, ctx.lang)))
                    .collect(),
                priority_codes: d.priorities.iter().map(|p| p.code.clone()).collect(),
                objective_codes: d.objectives.iter().map(|o| o.code.clone()).collect(),
                error,
                today: t.to_string(),
                start_year: d.period_start.year(),
                default_code: String::new(),
                phases: phase_options(&tr),
                tr,
            }
        }
    };
    form_page(refused_form, page.render()?)
}

pub async fn plan_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanRead).await?;
    render_plan(&state, &ctx, &zone, None).await
}

// ---- JSON ---------------------------------------------------------------------------------

/// `/api/v1/zones/{zone}/plan`: the current plan as `veilig plan show --json` gives it; a
/// partner gets only the actions its organisation takes part in (with only its own role).
pub async fn plan_json(state: &AppState, ctx: &Ctx, zone: &str) -> WebResult<serde_json::Value> {
    let (zone, access) = zone_for(state, ctx, zone, Action::PlanRead).await?;
    let org = organisation(state, ctx).await?;
    let scope = plan_scope(ctx.user.as_ref(), zone.id, org).ok_or(WebError::Forbidden)?;
    let mut v = current_view(state, &zone)
        .await?
        .ok_or(WebError::NotFound)?;
    if !access.record_derived() {
        v.withhold_snapshot_figures();
    }
    state
        .store
        .audit(&ctx.audit_entry(
            "export",
            Some(zone.id),
            format!("api: plan {} v{}", v.code, v.version),
        ))
        .await?;
    match scope {
        PlanScope::Whole => serde_json::to_value(&v).map_err(|e| WebError::Internal(e.into())),
        PlanScope::Partner(org) => {
            let org = org.unwrap_or_default();
            let d = &v.document;
            let actions: Vec<serde_json::Value> = d
                .actions_of_partner(&org)
                .into_iter()
                .map(|a| {
                    let o = d.objective(&a.objective);
                    let p = d.action_priority(a);
                    serde_json::json!({
                        "code": a.code, "year": a.year, "title": a.title,
                        "phases": a.phases, "owner": a.owner, "hours": a.hours,
                        "role": a.partners.iter().filter(|p| p.partner == org).map(|p| p.role.clone()).collect::<Vec<_>>(),
                        "objective": o.map(|o| serde_json::json!({"code": o.code, "statement": o.statement, "target": o.target, "due": o.due})),
                        "priority": p.map(|p| serde_json::json!({"code": p.code, "title": p.title})),
                    })
                })
                .collect();
            Ok(serde_json::json!({
                "zone": v.zone, "synthetic": v.synthetic, "code": v.code, "title": d.title,
                "version": v.version, "status": v.status, "organisation": org, "actions": actions,
            }))
        }
    }
}
