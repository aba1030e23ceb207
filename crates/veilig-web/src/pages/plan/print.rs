//! Two versions compared, and the whole plan for print.

use super::*;

// ---- compare and print ------------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    pub from: i32,
    pub to: i32,
}

/// A field that changed: its name, old and new value.
type FieldChange = (String, String, String);

#[derive(Template)]
#[template(path = "plan_compare.html")]
struct ComparePage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    heading: String,
    changes: Vec<(String, String, String, Vec<FieldChange>)>,
    back: String,
}

pub async fn compare(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Query(q): Query<CompareQuery>,
) -> WebResult<Html<String>> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanRead).await?;
    if matches!(
        plan_scope(ctx.user.as_ref(), zone.id, None),
        Some(PlanScope::Partner(_))
    ) {
        return Err(WebError::Forbidden);
    }
    let v = current_view(&state, &zone)
        .await?
        .ok_or(WebError::NotFound)?;
    let (a, b) = (
        v.document_of(q.from).ok_or(WebError::NotFound)?,
        v.document_of(q.to).ok_or(WebError::NotFound)?,
    );
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str();
    let changes = veilig_plan::diff(a, b)
        .into_iter()
        .map(|c| {
            (
                tr.t(&format!("plan-change-{}", c.change)),
                tr.t(&format!("plan-item-{}", c.item)),
                c.code,
                c.fields
                    .into_iter()
                    .map(|(f, x, y)| (f, x.to_string(), y.to_string()))
                    .collect(),
            )
        })
        .collect();
    let page = ComparePage {
        chrome: Chrome::new(
            &state,
            &ctx,
            tr.t("plan-compare-title"),
            Some(&zone),
            &format!("/z/{code}/plan/compare"),
        ),
        heading: tr.args(
            "plan-compare-heading",
            &[
                ("from", q.from.to_string()),
                ("to", q.to.to_string()),
                ("plan", v.code.clone()),
            ],
        ),
        changes,
        back: format!("/z/{code}/plan"),
        tr,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "plan_print.html")]
struct PrintPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    title: String,
    summary: String,
    chapters: Vec<(String, String)>,
    snapshots: Vec<String>,
    priorities: Vec<PriorityView>,
    versions: Vec<VersionRow>,
    procedure: String,
}

pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::PlanRead).await?;
    let org = organisation(&state, &ctx).await?;
    if matches!(
        plan_scope(ctx.user.as_ref(), zone.id, org),
        Some(PlanScope::Partner(_))
    ) {
        return Err(WebError::Forbidden);
    }
    let v = current_view(&state, &zone)
        .await?
        .ok_or(WebError::NotFound)?;
    let tr = state.i18n.tr(ctx.lang);
    let code = zone.code.as_str();
    let d = &v.document;
    let versions = version_rows(&tr, &v, None);
    let page = PrintPage {
        chrome: Chrome::new(
            &state,
            &ctx,
            d.title.clone(),
            Some(&zone),
            &format!("/z/{code}/plan/print"),
        ),
        title: d.title.clone(),
        summary: v.summary(&tr),
        chapters: [
            ("plan-ch-mission", &d.chapters.mission),
            ("plan-ch-vision", &d.chapters.vision),
            ("plan-ch-values", &d.chapters.values),
            ("plan-ch-communication", &d.chapters.communication),
        ]
        .into_iter()
        .map(|(k, x)| {
            (
                tr.t(k),
                if x.is_empty() {
                    "–".to_string()
                } else {
                    x.clone()
                },
            )
        })
        .collect(),
        snapshots: d
            .snapshots
            .iter()
            .map(|s| {
                tr.args(
                    "plan-snapshot-line",
                    &[
                        ("kind", tr.t(&format!("plan-snapshot-{}", s.kind))),
                        ("from", s.period_from.to_string()),
                        ("to", s.period_to.to_string()),
                        ("at", s.taken_at.format("%Y-%m-%d").to_string()),
                        ("source", tr.t(&format!("plan-snapshot-source-{}", s.kind))),
                    ],
                )
            })
            .collect(),
        priorities: tree(&tr, d, None, &badges(&state, &ctx, &zone, &tr).await?),
        versions,
        procedure: v.procedure.citation_in(tr.lang.code()).to_string(),
        tr,
    };
    let audit = ctx.audit_entry(
        "export",
        Some(zone.id),
        format!("plan print {} v{}", v.code, v.version),
    );
    state.store.audit(&audit).await?;
    Ok(Html(page.render()?).into_response())
}
