//! `veilig survey estimate|import|indicators|compare`: each parses, calls one function of
//! `veilig_query::survey` and prints its answer.

use std::process::ExitCode;

use anyhow::Result;
use veilig_cli::print::survey as print;
use veilig_query::survey::answers::{comparison_report, indicators_report};
use veilig_query::survey::file_estimate::{EstimateRequest, Statistic, estimate_from_file};

use veilig_query::survey::weighting::WeightingSpec;
use veilig_survey::ReplicateKind;

use veilig_cli::args::{Replicates, SurveyCmd, SurveyEstimateArgs};
use veilig_cli::output::emit;

pub async fn run(store: &veilig_store::Store, cmd: SurveyCmd) -> Result<ExitCode> {
    match cmd {
        SurveyCmd::Estimate(a) => estimate(*a),
        SurveyCmd::Import {
            zone,
            codebook,
            file,
            json,
        } => {
            let z = super::existing_zone(store, &zone).await?;
            let bar = veilig_cli::output::Bar::new("survey");
            let s = veilig_import::import_survey(store, &z, &file, &codebook, &bar).await?;
            super::import::finish(store, &[s], &z, json).await
        }
        SurveyCmd::Indicators {
            zone,
            survey,
            wave,
            level,
            json,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let which = (survey.as_deref(), wave.as_deref());
            let r = indicators_report(store, &z, which, level).await?;
            emit(&r, json, print::indicators)
        }
        SurveyCmd::Compare {
            zone,
            survey,
            indicator,
            waves,
            alpha,
            json,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let which = (survey.as_deref(), waves.as_deref());
            let r = comparison_report(store, &z, which, &indicator, alpha).await?;
            emit(&r, json, print::comparisons)
        }
    }
}

pub(super) fn estimate(a: SurveyEstimateArgs) -> Result<ExitCode> {
    let statistic = match (a.mean, a.total, a.proportion, a.quantile) {
        (Some(c), ..) => Statistic::Mean(c),
        (_, Some(c), ..) => Statistic::Total(c),
        (_, _, Some(p), _) => Statistic::Proportion(p),
        (.., Some(c)) => Statistic::Quantile(c, a.p),
        _ => anyhow::bail!(
            "give --mean COLUMN, --total COLUMN, --proportion COLUMN=VALUE or --quantile COLUMN"
        ),
    };
    let request = EstimateRequest {
        data: a.data,
        design: a.design,
        statistic,
        domain: a.domain,
        ci: a.ci,
        level: a.level,
        weighting: WeightingSpec {
            poststratify: a.poststratify,
            calibrate: a.calibrate,
            trim: a.trim,
        },
        contrast: a.contrast.map(|c| (c[0].clone(), c[1].clone())),
        replicates: a.replicates.map(|r| match r {
            Replicates::Jackknife => ReplicateKind::Jackknife,
            Replicates::Bootstrap => ReplicateKind::Bootstrap {
                replicates: a.bootstrap_replicates,
                seed: a.seed,
            },
        }),
    };
    emit(&estimate_from_file(&request)?, a.json, print::estimate)
}
