//! `veilig picture`, `veilig hotspots`, `veilig near-repeat`: the security picture from the
//! command line, as JSON (with provenance), as text, and (`--out`) as a page with SVG charts.
//! The figures come from `veilig_query::analysis`.

use std::process::ExitCode;

use anyhow::{Context, Result};
use veilig_cli::print::analysis as print;
use veilig_i18n::{I18n, Lang};
use veilig_query::analysis::{self as qa, HotspotRequest};
use veilig_report as report;
use veilig_store::Store;

use veilig_cli::args::{HotspotArgs, HotspotMethod, NearRepeatArgs, PictureArgs};
use veilig_cli::output::emit;

pub async fn picture(store: &Store, a: PictureArgs) -> Result<ExitCode> {
    let run = qa::picture(store, &a.select.query(), &a.test.compare, a.test.rules()).await?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        let i18n = I18n::load()?;
        let tr = i18n.tr(Lang::parse(&a.lang).expect("clap checked"));
        for (name, content) in veilig_query::analysis::page::files(&run, &tr)? {
            std::fs::write(dir.join(name), content)?;
        }
    }
    emit(&run.value, a.json, |_| print::picture(&run, &a))
}

pub async fn hotspots(store: &Store, a: HotspotArgs) -> Result<ExitCode> {
    let method = match a.method {
        HotspotMethod::Counts => qa::HotspotMethod::Counts,
        HotspotMethod::Kde => qa::HotspotMethod::Kde,
        HotspotMethod::Gistar => qa::HotspotMethod::Gistar,
        HotspotMethod::H3 => qa::HotspotMethod::H3,
    };
    let request = HotspotRequest {
        method,
        cell: a.cell,
        bandwidth: a.bandwidth,
        radius: a.radius,
        alpha: a.alpha,
        resolution: a.resolution,
    };
    let run = qa::hotspots(store, &a.select.query(), request).await?;
    if let (Some(dir), Some((grid, classes))) = (&a.out, &run.grid) {
        std::fs::create_dir_all(dir)?;
        let outlines: Vec<&veilig_domain::MultiPolygon> =
            run.loaded.areas.iter().map(|a| &a.geometry).collect();
        let title = format!(
            "{} ({}, {} m)",
            a.select.phenomenon,
            method.as_str(),
            a.cell
        );
        let svg = report::grid_map(grid, &outlines, classes.as_deref(), &title, '.');
        std::fs::write(dir.join("hotspots.svg"), svg)?;
    }
    emit(&run.value, a.json, |v| {
        if method == qa::HotspotMethod::H3 {
            let r = a.resolution;
            println!(
                "{} located incidents in {} H3 cells (resolution {r})",
                run.events, run.cells
            );
            for c in v["cells"].as_array().into_iter().flatten().take(10) {
                println!("  {} {:>6}", c["cell"].as_str().unwrap_or(""), c["count"]);
            }
            return;
        }
        println!(
            "{} located incidents, {} cells of {} m with a value ({})",
            run.events,
            run.cells,
            a.cell,
            method.as_str()
        );
        if let Some((hot, cold)) = run.hot_cold {
            println!("  Gi*: {hot} hot and {cold} cold cells at FDR {}", a.alpha);
        }
    })
}

pub async fn near_repeat(store: &Store, a: NearRepeatArgs) -> Result<ExitCode> {
    let bands = (a.space_bands.as_slice(), a.time_bands.as_slice());
    let test = (a.permutations, a.seed, a.alpha);
    let (k, v) = qa::near_repeat(store, &a.select.query(), bands, test).await?;
    emit(&v, a.json, |_| {
        println!(
            "Knox test, {} located incidents, {} permutations",
            k.events, k.permutations
        );
        for (s, row) in k.observed.iter().enumerate() {
            for (t, obs) in row.iter().enumerate() {
                let ratio = k.ratio[s][t].map_or("-".into(), |r| format!("{r:.2}"));
                println!(
                    "  {:>5}-{:<5} m  {:>3}-{:<3} d: observed {:>6}, expected {:>8.1}, ratio {:>5}, p = {:.3}",
                    k.space_bands[s],
                    k.space_bands[s + 1],
                    k.time_bands[t],
                    k.time_bands[t + 1],
                    obs,
                    k.expected[s][t],
                    ratio,
                    k.p_value[s][t]
                );
            }
        }
        let shown = if k.near_repeat {
            "yes (significant)"
        } else {
            "not shown"
        };
        println!(
            "  near repeat within {} m and {} days: {shown}",
            k.space_bands[1], k.time_bands[1]
        );
    })
}
