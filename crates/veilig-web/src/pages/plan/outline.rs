//! The plan as a tree for its pages: priorities, objectives and actions with their
//! indicators' badges, the approval steps and the versions.

use super::*;

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
pub(super) async fn badges(
    state: &AppState,
    ctx: &Ctx,
    zone: &Zone,
    tr: &Tr<'_>,
) -> WebResult<Vec<Badge>> {
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
                        indicators::verdict_class(s.verdict)
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

pub(super) fn action_view(tr: &Tr, a: &PlanAction, partner: Option<&str>) -> ActionView {
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
            .map(|p| {
                format!(
                    "{} ({})",
                    veilig_query::report::organisation_name(*tr, &p.partner),
                    p.role
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        owner: a.owner.clone(),
        hours: tr.int(a.hours.round() as u64),
    }
}

/// The plan as a tree: priorities → strategic → tactical → operational objectives, each with
/// its actions; with `partner`, only the branches holding that partner's actions.
pub(super) fn tree(
    tr: &Tr,
    d: &PlanDoc,
    partner: Option<&str>,
    badges: &[Badge],
) -> Vec<PriorityView> {
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
pub(super) fn version_rows(tr: &Tr, v: &PlanView, compare: Option<&str>) -> Vec<VersionRow> {
    v.versions
        .iter()
        .enumerate()
        .map(|(i, ver)| VersionRow {
            version: ver.version,
            kind: tr.t(&format!("plan-version-{}", ver.kind)),
            reason: ver.reason.clone(),
            status: v.status_word(tr, &ver.standing.status),
            steps: ver
                .steps
                .iter()
                .map(|s| StepView {
                    date: s.decided_on.to_string(),
                    label: v.step_label(tr, &s.step),
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
