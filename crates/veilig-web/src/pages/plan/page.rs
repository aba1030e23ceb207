//! The zonal security plan's page (`/z/{zone}/plan`): the tree with its hours beside the
//! norm check, the approval trail and the forms of a draft; and the plan as JSON.

use super::*;

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

pub(super) async fn render_plan(
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
            let versions = version_rows(&tr, &v, Some(code));
            PlanPage {
                chrome,
                zone: code.into(),
                has_plan: true,
                partner: partner.is_some(),
                title: d.title.clone(),
                summary: v.summary(&tr),
                deadline: v.deadline.map(|x| {
                    tr.args(
                        "plan-deadline",
                        &[
                            ("date", tr.date(x)),
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
                procedure: v.procedure.citation_in(tr.lang.code()).to_string(),
                editable: v.editable,
                can_edit,
                can_approve: can_approve && !v.next_steps.is_empty(),
                next_steps: v
                    .next_steps
                    .iter()
                    .map(|s| (s.clone(), v.step_label(&tr, s)))
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
