//! `veilig dev bench-files`: inputs for the import benchmark (see docs/benchmarks.md).

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use veilig_demo::geo::{to_multipolygon, voronoi_cell};
use veilig_demo::rng::Rng;
use veilig_domain::Projector;

use crate::cli::DevCmd;

pub async fn run(store: &veilig_store::Store, cmd: DevCmd) -> Result<ExitCode> {
    match cmd {
        DevCmd::BenchAnalysis {
            zone,
            category,
            year,
            first_month,
            last_month,
        } => {
            return bench_analysis(store, &zone, &category, year, &first_month, &last_month).await;
        }
        DevCmd::BenchSurvey {
            respondents,
            indicators,
        } => return bench_survey(respondents, indicators),
        DevCmd::BenchLoad { .. } => unreachable!("dispatched before the store is opened"),
        DevCmd::BenchFiles {
            rows,
            areas,
            out,
            seed,
            years,
        } => {
            std::fs::create_dir_all(&out)?;
            anyhow::ensure!((1..=100).contains(&years), "--years: 1 to 100");
            let mut rng = Rng::new(seed);
            // A 30 × 30 km square of Flanders in Lambert 2008, cut into `areas` Voronoi cells.
            let (x0, y0, side) = (680_000.0, 690_000.0, 30_000.0);
            let seeds: Vec<[f64; 2]> = (0..areas)
                .map(|_| [x0 + rng.uniform() * side, y0 + rng.uniform() * side])
                .collect();
            let back = Projector::new(3812, 4326)?;
            let mut features = Vec::new();
            for i in 0..seeds.len() {
                let cell =
                    to_multipolygon(&voronoi_cell(&seeds, i, [x0, y0], [x0 + side, y0 + side]));
                let geometry =
                    cell.to_geojson(|x, y| back.project(x, y).unwrap_or((f64::NAN, f64::NAN)));
                features.push(serde_json::json!({"type": "Feature", "properties": {"code": format!("A{i:03}"), "name": format!("Area {i}")}, "geometry": geometry}));
            }
            let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
            std::fs::write(out.join("areas.geojson"), serde_json::to_vec(&fc)?)?;
            let cats = [
                "woninginbraak",
                "fietsdiefstal",
                "vandalisme",
                "overlast",
                "drugs",
                "verkeersongeval",
                "winkeldiefstal",
                "fraude",
            ];
            let path = out.join("incidents.csv");
            let mut w = BufWriter::new(
                std::fs::File::create(&path).with_context(|| path.display().to_string())?,
            );
            writeln!(w, "id;feit;begin;einde;x;y;straat")?;
            for n in 0..rows {
                let day = 1 + rng.below(28);
                let month = 1 + rng.below(12);
                // One year draws nothing, so the default file stays what it always was.
                let year = match years as usize {
                    1 => 2025,
                    n => 2026 - n + rng.below(n),
                };
                let hour = rng.below(23);
                let x = x0 + rng.uniform() * side;
                let y = y0 + rng.uniform() * side;
                writeln!(
                    w,
                    "B{n:08};{};{day:02}/{month:02}/{year} {hour:02}:{:02};{day:02}/{month:02}/{year} {:02}:00;{};{};Benchstraat {}",
                    cats[rng.below(cats.len())],
                    rng.below(60),
                    hour + 1,
                    format!("{x:.2}").replace('.', ","),
                    format!("{y:.2}").replace('.', ","),
                    rng.below(300)
                )?;
            }
            w.flush()?;
            std::fs::write(
                out.join("incidents.toml"),
                "source = \"bench\"\ndelimiter = \";\"\ndecimal = \",\"\ncrs = 3812\ndatetime_formats = [\"%d/%m/%Y %H:%M\"]\n[columns]\nid = \"id\"\ncategory = \"feit\"\noccurred_from = \"begin\"\noccurred_to = \"einde\"\nx = \"x\"\ny = \"y\"\naddress = \"straat\"\n",
            )?;
            println!(
                "wrote {rows} incidents and {areas} areas to {}",
                out.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn month(s: &str) -> Result<(i32, u32)> {
    let (y, m) = s.split_once('-').context("a month is YYYY-MM")?;
    Ok((y.parse()?, m.parse()?))
}

/// Times the parts of the security picture the issue sets bars for, on data in the store.
pub async fn bench_analysis(
    store: &veilig_store::Store,
    zone: &str,
    category: &str,
    year: i32,
    first: &str,
    last: &str,
) -> Result<ExitCode> {
    use std::time::Instant;
    use veilig_analysis::{Event, TestRules, compstat, hotspot, knox};
    let z = super::existing_zone(store, zone).await?;
    let st = store.status(&z).await?;
    let cats: Vec<String> = st.categories.iter().map(|c| c.category.clone()).collect();
    let t0 = Instant::now();
    let mut series = Vec::new();
    for c in &cats {
        let q = veilig_store::IncidentQuery {
            category: Some(c.clone()),
            ..Default::default()
        };
        let rows = store.analysis_rows(z.id, &q).await?;
        series.push((
            c.clone(),
            rows.iter()
                .map(|r| Event {
                    from: r.from,
                    to: r.to,
                    xy: r.xy,
                    area: r.area_id,
                })
                .collect::<Vec<_>>(),
        ));
    }
    let load = t0.elapsed();
    let t1 = Instant::now();
    let book = compstat::book(&series, month(first)?, month(last)?, TestRules::default());
    let book_time = t1.elapsed();
    let one: Vec<&Event> = series
        .iter()
        .find(|(c, _)| c == category)
        .context("no such category")?
        .1
        .iter()
        .filter(|e| chrono::Datelike::year(&e.from) == year)
        .collect();
    let pts: Vec<(f64, f64)> = one.iter().filter_map(|e| e.xy).collect();
    let t2 = Instant::now();
    let grid = hotspot::Grid::around(&pts, 150.0);
    let h = hotspot::default_bandwidth(&pts).context("too few points")?;
    let k = hotspot::kde(&grid, &pts, h);
    let kde_time = t2.elapsed();
    let times: Vec<f64> = one
        .iter()
        .filter(|e| e.xy.is_some())
        .map(|e| e.from.and_utc().timestamp() as f64 / 86_400.0)
        .collect();
    let t3 = Instant::now();
    let kn = knox::knox(
        &pts,
        &times,
        &[0.0, 100.0, 200.0, 400.0],
        &[0.0, 7.0, 14.0, 28.0],
        999,
        1,
        0.05,
    );
    let knox_time = t3.elapsed();
    let out = serde_json::json!({
        "categories": cats.len(),
        "incidents": series.iter().map(|s| s.1.len()).sum::<usize>(),
        "load_seconds": load.as_secs_f64(),
        "book_rows": book.len(),
        "book_seconds": book_time.as_secs_f64(),
        "kde": {"events": pts.len(), "cells": k.values.len(), "bandwidth_m": h, "seconds": kde_time.as_secs_f64()},
        "knox": {"events": kn.events, "permutations": kn.permutations, "seconds": knox_time.as_secs_f64(), "ratio_0_100m_0_7d": kn.ratio[0][0], "p": kn.p_value[0][0]},
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(ExitCode::SUCCESS)
}

/// Synthetic respondents: municipality (3), sex (2), age band (6), wijk (6 per
/// municipality), answered with non-response rising towards the young, and `k` yes/no
/// indicators whose truth depends on age and municipality.
struct SurveySample {
    municipality: Vec<usize>,
    sex: Vec<usize>,
    age: Vec<usize>,
    wijk: Vec<usize>,
    answers: Vec<Vec<bool>>,
}

fn survey_sample(rng: &mut Rng, n: usize, k: usize) -> SurveySample {
    let mut s = SurveySample {
        municipality: Vec::with_capacity(n),
        sex: Vec::with_capacity(n),
        age: Vec::with_capacity(n),
        wijk: Vec::with_capacity(n),
        answers: vec![Vec::with_capacity(n); k],
    };
    let response = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4];
    while s.age.len() < n {
        let m = rng.below(3);
        let a = rng.below(6);
        if !rng.chance(response[a] / 0.4) {
            continue;
        }
        s.municipality.push(m);
        s.sex.push(rng.below(2));
        s.age.push(a);
        s.wijk.push(m * 6 + rng.below(6));
        for (j, col) in s.answers.iter_mut().enumerate() {
            let p =
                0.05 + 0.02 * j as f64 / k as f64 + 0.03 * (5 - a) as f64 / 5.0 + 0.02 * m as f64;
            col.push(rng.chance(p));
        }
    }
    s
}

fn bench_survey(respondents: usize, indicators: usize) -> Result<ExitCode> {
    use std::time::Instant;
    use veilig_survey::{Design, Margin, difference, proportion, rake};
    let mut rng = Rng::new(2026);
    // Population margins (about 70,500 residents aged 15+ in the demo zone's shape).
    let pop_m = [19_000.0, 8_000.0, 33_500.0];
    let pop_s = [30_000.0, 30_500.0];
    let pop_a = [8_500.0, 9_000.0, 10_000.0, 11_500.0, 11_000.0, 10_500.0];
    let s = survey_sample(&mut rng, respondents, 1);
    let strata: Vec<String> = s.municipality.iter().map(|m| m.to_string()).collect();
    let design = Design::new(vec![1.0; respondents], Some(&strata), None, None)?;
    let margins = [
        Margin {
            name: "age".into(),
            category: s.age.clone(),
            targets: pop_a.to_vec(),
        },
        Margin {
            name: "sex".into(),
            category: s.sex.clone(),
            targets: pop_s.to_vec(),
        },
        Margin {
            name: "municipality".into(),
            category: s.municipality.clone(),
            targets: pop_m.to_vec(),
        },
    ];
    let t0 = Instant::now();
    let (raked, report) = rake(&design, &margins, 1e-10, 100)?;
    let rake_s = t0.elapsed().as_secs_f64();
    let answered = vec![true; respondents];
    let t0 = Instant::now();
    let e = proportion(&raked, &answered, &s.answers[0]);
    let one_estimate_s = t0.elapsed().as_secs_f64();
    // Three waves of 1,400 respondents, every indicator in the zone, each municipality and
    // each wijk, and the wave-to-wave differences.
    let t0 = Instant::now();
    let mut estimates = 0usize;
    let mut previous: Option<Vec<veilig_survey::Estimate>> = None;
    for _wave in 0..3 {
        let w = survey_sample(&mut rng, 1_400, indicators);
        let strata: Vec<String> = w.municipality.iter().map(|m| m.to_string()).collect();
        let d = Design::new(vec![1.0; w.age.len()], Some(&strata), None, None)?;
        let margins = [
            Margin {
                name: "age".into(),
                category: w.age.clone(),
                targets: pop_a.to_vec(),
            },
            Margin {
                name: "sex".into(),
                category: w.sex.clone(),
                targets: pop_s.to_vec(),
            },
            Margin {
                name: "municipality".into(),
                category: w.municipality.clone(),
                targets: pop_m.to_vec(),
            },
        ];
        let (d, _) = rake(&d, &margins, 1e-10, 100)?;
        let mut now = Vec::new();
        for answers in &w.answers {
            let domains: Vec<Vec<bool>> = std::iter::once(vec![true; w.age.len()])
                .chain((0..3).map(|m| w.municipality.iter().map(|x| *x == m).collect()))
                .chain((0..18).map(|k| w.wijk.iter().map(|x| *x == k).collect()))
                .collect();
            for dom in &domains {
                now.push(proportion(&d, dom, answers));
                estimates += 1;
            }
        }
        if let Some(prev) = &previous {
            for (a, b) in now.iter().zip(prev) {
                let _ = difference(a, b, 0.95);
            }
        }
        previous = Some(now);
    }
    let all_s = t0.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "respondents": respondents,
            "rake_seconds": rake_s,
            "rake_cycles": report.cycles,
            "rake_converged": report.converged,
            "one_raked_estimate_seconds": one_estimate_s,
            "first_indicator": e.estimate,
            "waves": 3,
            "indicators": indicators,
            "domains": 22,
            "estimates": estimates,
            "all_estimates_seconds": all_s,
        }))?
    );
    Ok(ExitCode::SUCCESS)
}
