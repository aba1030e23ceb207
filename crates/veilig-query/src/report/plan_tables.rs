//! The plan's tables as reports print them: the priorities, the objectives' tree and the
//! actions with their partners named in the reader's language.

use veilig_plan::PlanDoc;
use veilig_report::doc::{Block, Column};

use super::Ctx;

pub(crate) fn priorities_table(ctx: &Ctx<'_>, d: &PlanDoc) -> Block {
    Block::Table {
        columns: vec![
            Column::text(ctx.t("plan-col-code"), 1),
            Column::text(ctx.t("plan-col-title"), 5),
            Column::text(ctx.t("plan-col-kind"), 2),
            Column::text(ctx.t("plan-col-domain"), 2),
        ],
        rows: d
            .priorities
            .iter()
            .map(|p| {
                vec![
                    p.code.clone(),
                    p.title.clone(),
                    ctx.t(&format!("plan-kind-{}", p.kind.as_str())),
                    ctx.t(&format!("plan-domain-{}", p.domain.as_str())),
                ]
            })
            .collect(),
    }
}

pub(crate) fn objectives_table(ctx: &Ctx<'_>, d: &PlanDoc) -> Block {
    Block::Table {
        columns: vec![
            Column::text(ctx.t("plan-col-code"), 1),
            Column::text(ctx.t("plan-col-level"), 2),
            Column::text(ctx.t("plan-col-statement"), 6),
            Column::text(ctx.t("plan-target"), 4),
            Column::text(ctx.t("plan-due"), 2),
            Column::text(ctx.t("plan-owner"), 2),
        ],
        rows: d
            .objectives
            .iter()
            .map(|o| {
                vec![
                    o.code.clone(),
                    ctx.t(&format!("plan-level-{}", o.level.as_str())),
                    o.statement.clone(),
                    o.target.clone(),
                    ctx.tr.date(o.due),
                    o.owner.clone(),
                ]
            })
            .collect(),
    }
}

pub(crate) fn actions_table<'a>(
    ctx: &Ctx<'_>,
    actions: impl Iterator<Item = &'a veilig_plan::Action>,
) -> Block {
    Block::Table {
        columns: vec![
            Column::text(ctx.t("plan-col-code"), 2),
            Column::text(ctx.t("plan-col-title"), 5),
            Column::text(ctx.t("plan-col-objective"), 1),
            Column::text(ctx.t("plan-col-phases"), 3),
            Column::text(ctx.t("plan-col-partners"), 4),
            Column::number(ctx.t("plan-col-hours"), 1),
        ],
        rows: actions
            .map(|a| {
                vec![
                    a.code.clone(),
                    a.title.clone(),
                    a.objective.clone(),
                    a.phases
                        .iter()
                        .map(|p| ctx.t(&format!("plan-phase-{}", p.as_str())))
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.partners
                        .iter()
                        .map(|p| {
                            format!(
                                "{}: {}",
                                super::organisation_name(ctx.tr, &p.partner),
                                p.role
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    ctx.tr.dec(a.hours, 0),
                ]
            })
            .collect(),
    }
}
