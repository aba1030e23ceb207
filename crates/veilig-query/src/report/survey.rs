//! The population survey's section, which the jaarverslag and the council brief both carry:
//! the newest wave as it stood in the report's year (a wave whose label starts with a later
//! year had not been held yet), each indicator for the zone (and the municipality, when
//! given), then the same indicators in the earlier waves of that survey with the verdict on
//! the change since the wave before (independent samples, z-test at alpha 0,05; no verdict
//! where either side may not be shown).

use anyhow::Result;
use veilig_report::doc::{Block, Column};
use veilig_store::Store;
use veilig_survey::SmallSample;

use super::{Ctx, h1};
use crate::survey::{
    IndicatorEstimate, Unit, Wave, compare_waves, estimate_text, indicators, load_wave, waves,
};

/// How many waves the comparison table shows (the newest and the ones before it).
const WAVES_SHOWN: usize = 3;

/// The year a wave's label starts with ("2024", "2024-najaar"), if it does.
fn label_year(wave: &str) -> Option<i32> {
    let digits: String = wave.chars().take_while(char::is_ascii_digit).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// The waves of the newest survey held by the end of `year`, oldest first (at most
/// [`WAVES_SHOWN`]). A wave whose label names no year counts as held.
async fn waves_by(store: &Store, ctx: &Ctx<'_>, year: i32) -> Result<Vec<Wave>> {
    let held: Vec<(String, String, i64)> = waves(store, ctx.zone)
        .await?
        .into_iter()
        .filter(|(_, w, _)| label_year(w).is_none_or(|y| y <= year))
        .collect();
    let Some((survey, _, _)) = held.last().cloned() else {
        return Ok(vec![]);
    };
    let mut same: Vec<&(String, String, i64)> =
        held.iter().filter(|(s, _, _)| *s == survey).collect();
    let skip = same.len().saturating_sub(WAVES_SHOWN);
    same.drain(..skip);
    let mut out = Vec::new();
    for (s, w, _) in same {
        out.push(load_wave(store, ctx.zone, s, w).await?);
    }
    Ok(out)
}

/// The population survey as it stood in the report's year.
pub(crate) async fn survey_section(
    ctx: &Ctx<'_>,
    store: &Store,
    municipality: Option<(&str, &str)>,
) -> Result<Vec<Block>> {
    let mut out = vec![h1(ctx.t("report-survey"))];
    let held = waves_by(store, ctx, ctx.year()).await?;
    let Some(newest) = held.last() else {
        out.push(Block::Para(ctx.tr.args(
            "report-survey-none-by",
            &[("year", ctx.year().to_string())],
        )));
        return Ok(out);
    };
    let rule = SmallSample::builtin();
    let est = indicators(newest, &rule, 0.95)?;
    let table = newest_table(ctx, newest, &est, municipality);
    out.push(Block::Para(ctx.tr.args(
        "report-survey-intro",
        &[
            (
                "survey",
                newest.codebook.title_in(ctx.tr.lang.code()).to_string(),
            ),
            ("wave", newest.wave.clone()),
        ],
    )));
    out.push(table);
    if held.len() > 1 {
        out.extend(earlier_waves(ctx, &held, est, &rule)?);
    }
    out.push(Block::Note(ctx.t("method-survey")));
    Ok(out)
}

/// Each indicator of the newest wave for the zone (and the municipality).
fn newest_table(
    ctx: &Ctx<'_>,
    w: &Wave,
    est: &[IndicatorEstimate],
    municipality: Option<(&str, &str)>,
) -> Block {
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
    Block::Table { columns, rows }
}

/// The zone's estimate of one indicator in one wave: "14,1 %" or why it is not shown.
fn short(ctx: &Ctx<'_>, e: Option<&IndicatorEstimate>) -> String {
    match e {
        Some(e) if e.presentation.shown() => format!("{} %", ctx.tr.dec(e.estimate * 100.0, 1)),
        Some(_) => ctx.t("report-survey-not-shown"),
        None => "–".into(),
    }
}

/// The zone's indicators in every wave held, and the change since the wave before;
/// `newest_est` are the newest wave's estimates, already made for its own table.
fn earlier_waves(
    ctx: &Ctx<'_>,
    held: &[Wave],
    newest_est: Vec<IndicatorEstimate>,
    rule: &SmallSample,
) -> Result<Vec<Block>> {
    let newest = held.last().expect("at least two waves");
    let previous = &held[held.len() - 2];
    let mut per_wave: Vec<Vec<IndicatorEstimate>> = held[..held.len() - 1]
        .iter()
        .map(|w| indicators(w, rule, 0.95))
        .collect::<Result<_>>()?;
    per_wave.push(newest_est);
    let mut columns = vec![Column::text(ctx.t("survey-indicator"), 5)];
    columns.extend(held.iter().map(|w| Column::number(w.wave.clone(), 2)));
    columns.push(Column::text(
        ctx.tr.args(
            "report-survey-col-change",
            &[("a", newest.wave.clone()), ("b", previous.wave.clone())],
        ),
        6,
    ));
    let mut rows = Vec::new();
    for ind in &newest.codebook.indicator {
        let mut row = vec![ind.name_in(ctx.tr.lang.code()).to_string()];
        for est in &per_wave {
            let zone = est
                .iter()
                .find(|e| e.indicator == ind.code && e.unit == Unit::Zone);
            row.push(short(ctx, zone));
        }
        let asked_before = previous
            .codebook
            .indicator
            .iter()
            .any(|i| i.code == ind.code);
        let change = if asked_before {
            compare_waves(newest, previous, &ind.code, rule, 0.05)?
                .into_iter()
                .find(|c| c.unit == Unit::Zone)
                .map_or_else(|| "–".into(), |c| c.text(&ctx.tr))
        } else {
            ctx.t("report-survey-not-asked")
        };
        row.push(change);
        rows.push(row);
    }
    Ok(vec![
        Block::Para(ctx.t("report-survey-waves-intro")),
        Block::Table { columns, rows },
    ])
}

#[cfg(test)]
mod tests {
    use super::label_year;

    #[test]
    fn a_wave_label_gives_its_year_when_it_starts_with_one() {
        assert_eq!(label_year("2024"), Some(2024));
        assert_eq!(label_year("2021-najaar"), Some(2021));
        assert_eq!(label_year("golf 3"), None);
        assert_eq!(label_year("202"), None);
    }
}
