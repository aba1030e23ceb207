//! The population survey's section, which the jaarverslag and the council brief both carry.

use anyhow::Result;
use veilig_report::doc::{Block, Column};
use veilig_store::Store;
use veilig_survey::SmallSample;

use super::{Ctx, h1};
use crate::survey::{Unit, estimate_text, indicators, load_wave, waves};

/// The population survey's newest wave: each indicator for the zone (and the municipality,
/// when given), as the survey page shows it.
pub(crate) async fn survey_section(
    ctx: &Ctx<'_>,
    store: &Store,
    municipality: Option<(&str, &str)>,
) -> Result<Vec<Block>> {
    let mut out = vec![h1(ctx.t("report-survey"))];
    let Some((survey, wave, _)) = waves(store, ctx.zone).await?.into_iter().last() else {
        out.push(Block::Para(ctx.t("survey-none")));
        return Ok(out);
    };
    let w = load_wave(store, ctx.zone, &survey, &wave).await?;
    let est = indicators(&w, &SmallSample::builtin(), 0.95)?;
    let mut columns = vec![
        Column::text(ctx.t("survey-indicator"), 5),
        Column::text(ctx.t("survey-zone"), 4),
    ];
    if let Some((_, name)) = municipality {
        columns.push(Column::text(name.to_string(), 4));
    }
    let mut rows = Vec::new();
    for ind in &w.codebook.indicator {
        let find = |u: &Unit| est.iter().find(|e| e.indicator == ind.code && &e.unit == u);
        let mut row = vec![
            ind.name_in(ctx.tr.lang.code()).to_string(),
            estimate_text(&ctx.tr, find(&Unit::Zone)).0,
        ];
        if let Some((nis, _)) = municipality {
            row.push(estimate_text(&ctx.tr, find(&Unit::Municipality(nis.to_string()))).0);
        }
        rows.push(row);
    }
    out.push(Block::Para(ctx.tr.args(
        "report-survey-intro",
        &[("survey", survey.clone()), ("wave", wave.clone())],
    )));
    out.push(Block::Table { columns, rows });
    out.push(Block::Note(ctx.t("method-survey")));
    Ok(out)
}
