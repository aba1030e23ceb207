//! From `veilig plan indicator` and `veilig plan problem`'s flags to the definitions
//! `veilig_monitor` checks and stores.

use anyhow::{Context, Result, bail};
use veilig_monitor::{
    Baseline, Direction, Frequency, IndicatorDef, IndicatorKind, Measure, Place, ProblemFile,
    Source, Target,
};

use crate::args::monitor::{IndicatorArgs, ProblemArgs};

pub fn definition(a: &IndicatorArgs) -> Result<IndicatorDef> {
    let source = source(a)?;
    Ok(IndicatorDef {
        code: a.code.clone(),
        objective: a.objective.clone(),
        name: a.name.clone(),
        kind: IndicatorKind::parse(&a.kind).with_context(|| {
            format!("--kind {:?}: effect, output, process or perception", a.kind)
        })?,
        source,
        frequency: match a.frequency.as_str() {
            "year" => Frequency::Year,
            "quarter" => Frequency::Quarter,
            f => bail!("--frequency {f:?}: year or quarter"),
        },
        baseline: Baseline {
            from: a.baseline_from,
            to: a.baseline_to,
            value: a.baseline_value,
        },
        direction: match a.direction.as_str() {
            "down" => Direction::Down,
            "up" => Direction::Up,
            d => bail!("--direction {d:?}: down or up"),
        },
        target: match (a.target_change, a.target_value) {
            (Some(pct), None) => Target::ChangePct { pct, by: a.by },
            (None, Some(value)) => Target::Value { value, by: a.by },
            _ => bail!("give --target-change PCT or --target-value V"),
        },
    })
}

fn place(
    wijken: &[String],
    x: Option<f64>,
    y: Option<f64>,
    r: Option<f64>,
    what: &str,
) -> Result<Place> {
    match (wijken.is_empty(), x, y, r) {
        (false, None, None, None) => Ok(Place::Wijken {
            codes: wijken.to_vec(),
        }),
        (true, Some(x), Some(y), Some(radius)) => Ok(Place::Circle { x, y, radius }),
        _ => bail!("{what}: give wijken, or x, y and radius (not both)"),
    }
}

pub fn problem(a: &ProblemArgs) -> Result<ProblemFile> {
    Ok(ProblemFile {
        code: a.code.clone(),
        title: a.title.clone(),
        phenomenon: a.phenomenon.clone(),
        place: place(&a.wijken, a.x, a.y, a.radius, "the place")?,
        comparison: place(
            &a.comparison_wijken,
            a.comparison_x,
            a.comparison_y,
            a.comparison_radius,
            "the comparison area",
        )?,
        analysis: veilig_monitor::problem::Analysis {
            offender: a.offender.clone(),
            victim: a.victim.clone(),
            place: a.place_analysis.clone(),
        },
        response: a
            .response
            .iter()
            .map(|r| match r.split_once(':') {
                Some((what, partners)) => veilig_monitor::problem::ResponseAction {
                    what: what.into(),
                    partners: partners
                        .split(',')
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect(),
                },
                None => veilig_monitor::problem::ResponseAction {
                    what: r.clone(),
                    partners: vec![],
                },
            })
            .collect(),
        response_start: a.response_start,
        window_days: a.window_days,
        stage: a.stage.clone(),
    })
}

/// Where the indicator's value comes from, with the flags that source needs.
fn source(a: &IndicatorArgs) -> Result<Source> {
    let need = |v: &Option<String>, flag: &str| {
        v.clone()
            .with_context(|| format!("--source {} needs {flag}", a.source))
    };
    Ok(match a.source.as_str() {
        "incidents" => Source::Incidents {
            phenomenon: need(&a.phenomenon, "--phenomenon")?,
            measure: match a.measure.as_str() {
                "count" => Measure::Count,
                "rate-per-1000" => Measure::RatePer1000,
                "share" => Measure::Share,
                m => bail!("--measure {m:?}: count, rate-per-1000 or share"),
            },
            municipality: a.municipality.clone(),
            wijken: a.wijken.clone(),
        },
        "calls" => Source::Calls {
            category: a.category.clone(),
            priority: a.priority.clone(),
            percentile: a.percentile,
        },
        "published" => Source::Published {
            category: need(&a.category, "--category")?,
            area_code: a.area_code.clone(),
        },
        "survey" => Source::Survey {
            survey: need(&a.survey, "--survey")?,
            indicator: need(&a.survey_indicator, "--survey-indicator")?,
        },
        "manual" => Source::Manual {
            unit: need(&a.unit, "--unit")?,
        },
        s => bail!("--source {s:?}: incidents, calls, published, survey or manual"),
    })
}
