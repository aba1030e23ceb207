//! The plan's changes from the browser: create from the council's decisions, objectives and
//! actions of the draft, approval steps, new versions. Each goes through `veilig_query::plan`;
//! a refusal shows the plan again with the reason, nothing changed.

use super::*;

/// The outcome of a change: back to the plan, or the plan with the reason it was refused.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    r: anyhow::Result<()>,
) -> WebResult<Response> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/z/{}/plan", zone.code.as_str())).into_response()),
        Err(e) => render_plan(state, ctx, zone, Some(refused(state, ctx, &e))).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    pub code: String,
    pub title: String,
    pub start_year: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<CreateForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanEdit).await?;
    let r = async {
        let year: i32 = f
            .start_year
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("start year {:?} is not a year", f.start_year))?;
        let mut doc = PlanDoc::new(f.title.trim(), year, 6);
        doc.priorities =
            qp::priorities_from_decisions(&state.store, &zone, doc.period_start).await?;
        let audit = ctx.audit_entry(
            "plan-create",
            Some(zone.id),
            format!("{}: {}", f.code, f.title),
        );
        qp::create_plan(&state.store, &zone, f.code.trim(), &doc, &audit).await?;
        Ok(())
    }
    .await;
    after(&state, &ctx, &zone, r).await
}

#[derive(Debug, Deserialize)]
pub struct ObjectiveForm {
    pub code: String,
    pub level: String,
    #[serde(default)]
    pub parent: String,
    pub priority: String,
    pub statement: String,
    pub target: String,
    pub due: String,
    pub owner: String,
}

async fn edit(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    what: String,
    change: impl FnOnce(&mut PlanDoc) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let v = current_view(state, zone)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("the zone has no plan yet"))?;
    let audit = ctx.audit_entry(
        "plan-edit",
        Some(zone.id),
        format!("{} v{}: {what}", v.code, v.version),
    );
    qp::edit_plan(&state.store, &v, &audit, change).await?;
    Ok(())
}

pub async fn add_objective(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<ObjectiveForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanEdit).await?;
    let r = async {
        let level = Level::parse(&f.level).ok_or_else(|| anyhow::anyhow!("level {:?}", f.level))?;
        let due: NaiveDate = f
            .due
            .parse()
            .map_err(|_| anyhow::anyhow!("due {:?} is not a date", f.due))?;
        let o = Objective {
            code: f.code.trim().into(),
            level,
            parent: Some(f.parent.trim().to_string()).filter(|p| !p.is_empty()),
            priority: f.priority.clone(),
            statement: f.statement.clone(),
            target: f.target.clone(),
            due,
            owner: f.owner.clone(),
        };
        edit(
            &state,
            &ctx,
            &zone,
            format!("objective {}", o.code),
            move |d| d.put_objective(o, today()).map_err(anyhow::Error::msg),
        )
        .await
    }
    .await;
    after(&state, &ctx, &zone, r).await
}

#[derive(Debug, Deserialize)]
pub struct ActionForm {
    pub code: String,
    pub objective: String,
    pub year: String,
    pub title: String,
    #[serde(default)]
    pub proactie: Option<String>,
    #[serde(default)]
    pub preventie: Option<String>,
    #[serde(default)]
    pub reactie: Option<String>,
    #[serde(default)]
    pub nazorg: Option<String>,
    /// `partner:role` separated by `;`.
    #[serde(default)]
    pub partners: String,
    pub owner: String,
    pub hours: String,
    /// Comma-separated.
    #[serde(default)]
    pub functionalities: String,
}

pub async fn add_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanEdit).await?;
    let r = async {
        let year: i32 = f
            .year
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("year {:?} is not a year", f.year))?;
        let hours: f64 = f
            .hours
            .trim()
            .replace(',', ".")
            .parse()
            .map_err(|_| anyhow::anyhow!("hours {:?} is not a number", f.hours))?;
        let phases: Vec<Phase> = [
            (&f.proactie, Phase::Proactie),
            (&f.preventie, Phase::Preventie),
            (&f.reactie, Phase::Reactie),
            (&f.nazorg, Phase::Nazorg),
        ]
        .into_iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, p)| p)
        .collect();
        let partners = f
            .partners
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| PartnerRole::parse(s).map_err(anyhow::Error::msg))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let a = PlanAction {
            code: f.code.trim().into(),
            objective: f.objective.clone(),
            year,
            title: f.title.clone(),
            phases,
            partners,
            owner: f.owner.clone(),
            hours,
            functionalities: f
                .functionalities
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        };
        edit(
            &state,
            &ctx,
            &zone,
            format!("action {}", a.code),
            move |d| {
                d.put_action(a);
                Ok(())
            },
        )
        .await
    }
    .await;
    after(&state, &ctx, &zone, r).await
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    pub step: String,
    pub date: String,
    pub outcome: String,
    pub reference: String,
}

pub async fn take_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<StepForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanApprove).await?;
    let r = async {
        let on: NaiveDate = f
            .date
            .parse()
            .map_err(|_| anyhow::anyhow!("date {:?} is not a date", f.date))?;
        let v = current_view(&state, &zone)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
            .ok_or_else(|| anyhow::anyhow!("the zone has no plan yet"))?;
        let audit = ctx.audit_entry(
            "plan-step",
            Some(zone.id),
            format!(
                "{} v{}: {} {} on {on} ({})",
                v.code, v.version, f.step, f.outcome, f.reference
            ),
        );
        qp::take_step(
            &state.store,
            &v,
            &f.step,
            on,
            &f.outcome,
            &f.reference,
            today(),
            &audit,
        )
        .await?;
        Ok(())
    }
    .await;
    after(&state, &ctx, &zone, r).await
}

#[derive(Debug, Deserialize)]
pub struct AddendumForm {
    pub reason: String,
    #[serde(default)]
    pub kind: String,
}

pub async fn addendum(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<AddendumForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanEdit).await?;
    let r = async {
        let v = current_view(&state, &zone)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
            .ok_or_else(|| anyhow::anyhow!("the zone has no plan yet"))?;
        let kind = if f.kind == "revision" {
            "revision"
        } else {
            "addendum"
        };
        let audit = ctx.audit_entry(
            "plan-version",
            Some(zone.id),
            format!("{} v{}: {kind} ({})", v.code, v.version + 1, f.reason),
        );
        qp::new_version(&state.store, &v, kind, &f.reason, &audit).await?;
        Ok(())
    }
    .await;
    after(&state, &ctx, &zone, r).await
}
