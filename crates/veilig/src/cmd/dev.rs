//! `veilig dev bench-…`: the benchmark harnesses of `veilig_bench`, their figures printed
//! as JSON (or, for the load test, as text) for docs/benchmarks.md.

use std::process::ExitCode;

use anyhow::Result;
use veilig_store::Store;

use veilig_cli::args::{BenchLoadArgs, DevCmd};

pub async fn run(store: &Store, cmd: DevCmd) -> Result<ExitCode> {
    let figures = match cmd {
        DevCmd::BenchAnalysis(a) => {
            let z = super::existing_zone(store, &a.zone).await?;
            let months = (a.first_month.as_str(), a.last_month.as_str());
            veilig_bench::analysis::run(store, &z, &a.category, a.year, months).await?
        }
        DevCmd::BenchSurvey(a) => veilig_bench::survey::run(a.respondents, a.indicators)?,
        DevCmd::BenchLoad(a) => return load(a).await,
        DevCmd::BenchFiles(a) => {
            veilig_bench::files::write_inputs(a.rows, a.areas, &a.out, a.seed, a.years)?;
            println!(
                "wrote {} incidents and {} areas to {}",
                a.rows,
                a.areas,
                a.out.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
    };
    println!("{}", serde_json::to_string_pretty(&figures)?);
    Ok(ExitCode::SUCCESS)
}

/// The load test (no store is opened): exit 1 when isolation did not hold.
pub async fn load(a: BenchLoadArgs) -> Result<ExitCode> {
    let report = veilig_bench::load::run(veilig_bench::load::LoadArgs {
        base: &a.base,
        tokens: &a.tokens,
        path: &a.path,
        clients: a.clients,
        seconds: a.seconds,
        cross_every: a.cross_every,
    })
    .await?;
    veilig_cli::output::emit(&report, a.json, |r| {
        let l = |x: &veilig_bench::load::Latency| {
            format!(
                "{} requests, p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                x.requests, x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms
            )
        };
        println!(
            "{} zones, {} clients, {:.1} s",
            r.zones, r.clients, r.seconds
        );
        println!("cold (each zone's first answer): {}", l(&r.cold));
        println!(
            "warm: {}; {:.0} requests/s",
            l(&r.warm),
            r.requests_per_second
        );
        println!(
            "isolation: {} answers not the zone's own, {}/{} cross-zone attempts refused, {} errors",
            r.mismatches, r.cross_zone_refused, r.cross_zone_attempts, r.errors
        );
    })?;
    Ok(if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
