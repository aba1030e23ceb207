//! Problem files (SARA) with their before/after assessment (`/z/{zone}/plan/problems`), a
//! wijkinspecteur's scoped to their wijken by [`crate::policy::problem_scope`].

use veilig_monitor::{Place, ProblemFile};
use veilig_query::monitor as qm;

use super::*;
use crate::policy::problem_scope;

/// The areas a place lies in (its wijken, or the wijk around a circle's centre).
fn place_areas(place: &Place, areas: &[veilig_domain::Area]) -> Vec<i64> {
    match place {
        Place::Wijken { codes } => areas
            .iter()
            .filter(|a| codes.contains(&a.code))
            .map(|a| a.id)
            .collect(),
        Place::Circle { x, y, .. } => areas
            .iter()
            .filter(|a| a.geometry.contains(*x, *y))
            .map(|a| a.id)
            .collect(),
    }
}

fn visible(scope: &Option<Vec<i64>>, place: &Place, areas: &[veilig_domain::Area]) -> bool {
    match scope {
        None => true,
        Some(own) => {
            let ids = place_areas(place, areas);
            !ids.is_empty() && ids.iter().all(|i| own.contains(i))
        }
    }
}

pub struct ProblemView {
    pub code: String,
    pub title: String,
    pub phenomenon: String,
    pub stage: String,
    pub place: String,
    pub comparison: String,
    pub analysis: (String, String, String),
    pub response: Vec<String>,
    pub start: String,
    pub assessment: Option<(String, String, String, String)>,
    pub verdict: String,
}

#[derive(Template)]
#[template(path = "plan_problems.html")]
struct ProblemsPage<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    error: Option<String>,
    files: Vec<ProblemView>,
    wijken: Vec<(String, String)>,
    phenomena: Vec<(String, String)>,
    method: String,
}

fn describe(tr: &Tr, p: &Place) -> String {
    match p {
        Place::Wijken { codes } => codes.join(", "),
        Place::Circle { x, y, radius } => tr.args(
            "pf-circle",
            &[
                ("radius", format!("{radius:.0}")),
                ("x", format!("{x:.0}")),
                ("y", format!("{y:.0}")),
            ],
        ),
    }
}

/// The problem files a user may see, each with whether its comparison area lies in the
/// user's scope too. A wijkinspecteur sees another wijk's figures nowhere else, so for a
/// comparison outside their wijken they read the verdict, not the counts, ratio or p-value
/// the comparison's counts could be worked back from.
async fn scoped_problems(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
) -> WebResult<Vec<(qm::ProblemStatus, bool)>> {
    let scope = problem_scope(ctx.user.as_ref(), zone.id).ok_or(WebError::Forbidden)?;
    let areas = state.store.areas(zone.id).await?;
    Ok(qm::problems(&state.store, zone, RULES)
        .await?
        .into_iter()
        .filter(|p| visible(&scope, &p.file.place, &areas))
        .map(|p| {
            let comparison = visible(&scope, &p.file.comparison, &areas);
            (p, comparison)
        })
        .collect())
}

async fn render_problems(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    error: Option<String>,
) -> WebResult<Response> {
    let scope = problem_scope(ctx.user.as_ref(), zone.id).ok_or(WebError::Forbidden)?;
    let tr = state.i18n.tr(ctx.lang);
    let areas = state.store.areas(zone.id).await?;
    let files: Vec<ProblemView> = scoped_problems(state, ctx, zone)
        .await?
        .into_iter()
        .map(|(p, comparison_shown)| {
            let f = &p.file;
            ProblemView {
                code: f.code.clone(),
                title: f.title.clone(),
                phenomenon: f.phenomenon.clone(),
                stage: tr.t(&format!("pf-stage-{}", f.stage)),
                place: describe(&tr, &f.place),
                comparison: describe(&tr, &f.comparison),
                analysis: (
                    f.analysis.offender.clone(),
                    f.analysis.victim.clone(),
                    f.analysis.place.clone(),
                ),
                response: f
                    .response
                    .iter()
                    .map(|r| {
                        if r.partners.is_empty() {
                            r.what.clone()
                        } else {
                            let names: Vec<String> = r
                                .partners
                                .iter()
                                .map(|p| veilig_query::report::organisation_name(tr, p))
                                .collect();
                            format!("{} ({})", r.what, names.join(", "))
                        }
                    })
                    .collect(),
                start: f.response_start.to_string(),
                assessment: p.assessment.as_ref().map(|a| {
                    if !comparison_shown {
                        let x = tr.t("verdict-withheld");
                        return (
                            format!("{} → {}", a.place.before, a.place.after),
                            x.clone(),
                            x.clone(),
                            x,
                        );
                    }
                    (
                        format!("{} → {}", a.place.before, a.place.after),
                        format!("{} → {}", a.comparison.before, a.comparison.after),
                        a.ratio_of_ratios.map_or("–".into(), |r| {
                            format!(
                                "{} ({} – {})",
                                tr.dec(r, 2),
                                tr.dec(a.low.unwrap_or(0.0), 2),
                                tr.dec(a.high.unwrap_or(0.0), 2)
                            )
                        }),
                        a.p_value.map_or("–".into(), |p| tr.p(p)),
                    )
                }),
                verdict: p.assessment.as_ref().map_or(tr.t("pf-not-yet"), |a| {
                    tr.t(&format!(
                        "pf-verdict-{}",
                        serde_json::to_value(a.verdict)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .unwrap_or_default()
                    ))
                }),
            }
        })
        .collect();
    let own: Vec<(String, String)> = areas
        .iter()
        .filter(|a| scope.as_ref().is_none_or(|s| s.contains(&a.id)))
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let phenomena = phenomenon_names(state, zone, ctx.lang).await?;
    let code = zone.code.as_str();
    let page = ProblemsPage {
        chrome: Chrome::new(
            state,
            ctx,
            tr.t("pf-title"),
            Some(zone),
            &format!("/z/{code}/plan/problems"),
        ),
        error: error.clone(),
        files,
        wijken: own,
        phenomena,
        method: tr.t("pf-method"),
        tr,
    };
    form_page(error.is_some(), page.render()?)
}

pub async fn problems_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Problems).await?;
    render_problems(&state, &ctx, &zone, None).await
}

#[derive(Debug, Deserialize)]
pub struct ProblemForm {
    pub code: String,
    pub title: String,
    pub phenomenon: String,
    pub wijk: String,
    pub comparison_wijk: String,
    pub response_start: String,
    #[serde(default)]
    pub offender: String,
    #[serde(default)]
    pub victim: String,
    #[serde(default)]
    pub place_analysis: String,
    /// One action per line.
    #[serde(default)]
    pub response: String,
    #[serde(default)]
    pub stage: String,
}

pub async fn save_problem(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(zone): Path<String>,
    Form(f): Form<ProblemForm>,
) -> WebResult<Response> {
    let (zone, _) = zone_for(&state, &ctx, &zone, Action::Problems).await?;
    let scope = problem_scope(ctx.user.as_ref(), zone.id).ok_or(WebError::Forbidden)?;
    let areas = state.store.areas(zone.id).await?;
    let pf = ProblemFile {
        code: f.code.trim().into(),
        title: f.title.trim().into(),
        phenomenon: f.phenomenon.clone(),
        place: Place::Wijken {
            codes: vec![f.wijk.clone()],
        },
        comparison: Place::Wijken {
            codes: vec![f.comparison_wijk.clone()],
        },
        analysis: veilig_monitor::problem::Analysis {
            offender: f.offender.clone(),
            victim: f.victim.clone(),
            place: f.place_analysis.clone(),
        },
        response: f
            .response
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| veilig_monitor::problem::ResponseAction {
                what: l.into(),
                partners: vec![],
            })
            .collect(),
        response_start: match f.response_start.parse() {
            Ok(d) => d,
            Err(_) => {
                let tr = state.i18n.tr(ctx.lang);
                return render_problems(&state, &ctx, &zone, Some(tr.t("error-bad-period"))).await;
            }
        },
        window_days: 365,
        stage: if f.stage.is_empty() {
            "scanning".into()
        } else {
            f.stage.clone()
        },
    };
    // A wijkinspecteur files problems in their own wijken, and may not overwrite another's.
    let existing = state
        .store
        .problem_files(zone.id)
        .await?
        .into_iter()
        .find(|p| p.code == pf.code);
    let other_place = existing
        .as_ref()
        .and_then(|e| serde_json::from_str::<ProblemFile>(&e.document).ok())
        .is_some_and(|old| !visible(&scope, &old.place, &areas));
    if !visible(&scope, &pf.place, &areas) || other_place {
        return Err(WebError::Forbidden);
    }
    let audit = ctx.audit_entry(
        "problem-file",
        Some(zone.id),
        format!("{}: {}", pf.code, pf.title),
    );
    match qm::save_problem(&state.store, &zone, &pf, &audit).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/z/{}/plan/problems", zone.code.as_str())).into_response())
        }
        Err(e) => render_problems(&state, &ctx, &zone, Some(refused(&state, &ctx, &e))).await,
    }
}

pub async fn problems_json(
    state: &AppState,
    ctx: &Ctx,
    zone: &str,
) -> WebResult<serde_json::Value> {
    let (zone, _) = zone_for(state, ctx, zone, Action::Problems).await?;
    let ps: Vec<serde_json::Value> = scoped_problems(state, ctx, &zone)
        .await?
        .into_iter()
        .map(|(p, comparison_shown)| {
            let mut v = serde_json::to_value(&p).unwrap_or_default();
            if !comparison_shown && let Some(a) = &p.assessment {
                v["assessment"] = serde_json::json!({
                    "place": a.place,
                    "place_change": a.place_change,
                    "verdict": a.verdict,
                    "comparison": "withheld: outside the wijken of this account",
                    "method": a.method,
                });
            }
            v
        })
        .collect();
    state
        .store
        .audit(&ctx.audit_entry("export", Some(zone.id), "api: problem files".into()))
        .await?;
    Ok(serde_json::json!({"zone": zone.code.as_str(), "synthetic": zone.synthetic, "problems": ps}))
}
