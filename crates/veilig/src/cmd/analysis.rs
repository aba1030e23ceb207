//! `veilig picture`, `veilig hotspots`, `veilig near-repeat`: the security picture from the
//! command line, as JSON (with provenance) and as an HTML page with SVG charts.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_analysis::hotspot;
use veilig_analysis::picture::{Baseline, picture as build_picture};
use veilig_analysis::{TestRules, Verdict, knox};
use veilig_query::{Loaded, denominators, load, map_grid};
use veilig_report as report;
use veilig_store::Store;

use crate::cli::{HotspotArgs, HotspotMethod, NearRepeatArgs, PictureArgs};
use crate::output::json;

fn verdict_nl(v: Verdict) -> &'static str {
    match v {
        Verdict::SignificantlyHigher => "significant hoger",
        Verdict::SignificantlyLower => "significant lager",
        Verdict::NoSignificantChange => "geen significante verandering",
        Verdict::TooFewEvents => "te weinig feiten om iets te besluiten",
        Verdict::Withheld => "niet gepubliceerd (afschermingsregels)",
    }
}

fn label_nl(label: &str) -> &'static str {
    match label {
        "period-vs-previous-year" => "periode tegen vorig jaar",
        "period-vs-previous-3-years" => "periode tegen gemiddelde 3 vorige jaren",
        "week-to-date" => "week tot nu (tegen vorig jaar)",
        "last-28-days" => "laatste 28 dagen (tegen vorig jaar)",
        "year-to-date" => "jaar tot nu (tegen vorig jaar)",
        _ => "vergelijking",
    }
}

const DAYS_NL: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];

pub async fn picture(store: &Store, a: PictureArgs) -> Result<ExitCode> {
    let rules = TestRules {
        alpha: a.alpha,
        min_events: a.min_events,
    };
    let baseline = Baseline::parse(&a.compare).expect("clap checked");
    let l = load(
        store,
        &a.select.query(),
        serde_json::json!({"compare": a.compare, "alpha": a.alpha, "min_events": a.min_events}),
    )
    .await?;
    let denominators = denominators(store, &l.zone, &l.areas, l.period.end).await?;
    let pic = build_picture(&l.events, l.period, baseline, &denominators, rules);
    let mut value = serde_json::to_value(&pic)?;
    value["provenance"] = serde_json::to_value(&l.provenance)?;
    // Published statistics of the same figure, on their own terms: as published, latest
    // revision, never summed with each other or with the incident counts.
    let names: Vec<String> = store
        .phenomena(l.zone.id)
        .await?
        .into_iter()
        .filter(|p| p.code == a.select.phenomenon)
        .map(|p| p.nl)
        .chain([a.select.phenomenon.clone()])
        .collect();
    let mut published = Vec::new();
    for n in &names {
        published = store.published(l.zone.id, n).await?;
        if !published.is_empty() {
            break;
        }
    }
    value["published"] = serde_json::json!({
        "note": "as published by the source, latest closing date per cell; criminele figuren are never summed",
        "cells": published,
    });
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
        let title = format!(
            "{} — {}{}",
            a.select.phenomenon,
            l.zone.name,
            l.area
                .as_ref()
                .map(|x| format!(", {}", x.name))
                .unwrap_or_default()
        );
        let monthly = report::line_chart(
            &pic.monthly,
            &format!("Feiten per maand: {title}"),
            "verwachting (gemiddelde van de 3 vorige jaren) met 95 %-band",
        );
        let heat = report::heat_table(&pic.hour_weekday, "Uur × weekdag (aoristisch)", &DAYS_NL);
        let rate_areas: Vec<(&veilig_domain::MultiPolygon, Option<f64>, String)> = l
            .areas
            .iter()
            .zip(&pic.areas)
            .map(|(ar, f)| (&ar.geometry, f.rate_per_1000, ar.code.clone()))
            .collect();
        let chor = report::choropleth(&rate_areas, "Feiten per 1.000 inwoners in de periode");
        let pts: Vec<(f64, f64)> = l
            .events
            .iter()
            .filter(|e| l.period.contains(e.date()))
            .filter_map(|e| e.xy)
            .collect();
        let hot = match hotspot::default_bandwidth(&pts) {
            Some(h) => {
                let grid = map_grid(&l.areas, &pts, 150.0);
                let k = hotspot::kde(&grid, &pts, h.max(150.0));
                let outlines: Vec<&veilig_domain::MultiPolygon> =
                    l.areas.iter().map(|a| &a.geometry).collect();
                report::grid_map(
                    &k,
                    &outlines,
                    None,
                    &format!("Kerndichtheid (150 m, bandbreedte {:.0} m)", h.max(150.0)),
                )
            }
            None => String::new(),
        };
        for (name, svg) in [
            ("monthly.svg", &monthly),
            ("hour-weekday.svg", &heat),
            ("areas.svg", &chor),
            ("hotspots.svg", &hot),
        ] {
            // No areas (or too few located incidents): no map, rather than an empty file.
            if !svg.is_empty() {
                std::fs::write(dir.join(name), svg)?;
            }
        }
        std::fs::write(
            dir.join("picture.json"),
            serde_json::to_string_pretty(&value)?,
        )?;
        std::fs::write(
            dir.join("index.html"),
            html(&title, &pic, &l, &published, [&monthly, &heat, &chor, &hot]),
        )?;
    }
    if a.json {
        json(&value)?;
    } else {
        let c = &pic.comparison.comparison;
        println!(
            "{}{}: {} feiten van {} tot {}",
            if l.zone.synthetic {
                "[SYNTHETISCH] "
            } else {
                ""
            },
            a.select.phenomenon,
            pic.count,
            l.period.start,
            l.period.end
        );
        for lc in &pic.comparisons {
            let c = &lc.comparison;
            println!(
                "  {:<28} {:>7} tegen {:>9.1}  p = {:<10.3e} {}",
                lc.label,
                c.current,
                c.baseline,
                c.p_value,
                verdict_nl(c.verdict)
            );
        }
        if let Some(t) = &pic.trend {
            println!(
                "  trend: {:+.1} % per jaar (95 %: {:+.1} tot {:+.1}), p = {:.3e}",
                t.annual_change_pct, t.annual_change_low_pct, t.annual_change_high_pct, t.p_value
            );
        }
        println!(
            "  kernvergelijking ({}): {}",
            a.compare,
            verdict_nl(c.verdict)
        );
        if let Some(dir) = &a.out {
            println!("  geschreven: {}", dir.join("index.html").display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn html(
    title: &str,
    pic: &veilig_analysis::picture::Picture,
    l: &Loaded,
    published: &[veilig_store::PublishedCell],
    svgs: [&String; 4],
) -> String {
    use report::esc;
    let published = if published.is_empty() {
        String::new()
    } else {
        let rows: String = published
            .iter()
            .map(|p| {
                let c = &p.cell;
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{} – {}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                    esc(&p.source), esc(&c.area_code), c.period_start, c.period_end, esc(&c.category), c.count, c.closing_date,
                    if c.provisional { " (voorlopig)" } else { "" }
                )
            })
            .collect();
        format!(
            "<h2>Gepubliceerde cijfers</h2><p>Zoals gepubliceerd (laatste afsluitdatum per cel). Criminele figuren worden nooit opgeteld.</p><table><tr><th>bron</th><th>gebied</th><th>periode</th><th>figuur</th><th>aantal</th><th>afsluitdatum</th></tr>{rows}</table>"
        )
    };
    let mut rows = String::new();
    for lc in &pic.comparisons {
        let c = &lc.comparison;
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{} – {}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{:.3e}</td><td>{}</td></tr>",
            label_nl(lc.label),
            lc.current.start,
            lc.current.end,
            c.current,
            c.baseline,
            c.change_pct.map(|p| format!("{p:+.1} %")).unwrap_or_else(|| "–".into()),
            c.p_value,
            verdict_nl(c.verdict)
        ));
    }
    let trend = pic
        .trend
        .as_ref()
        .map(|t| format!("<p>Trend over de jaren: {:+.1} % per jaar (95 %-interval {:+.1} tot {:+.1} %; p = {:.2e}). {}</p>", t.annual_change_pct, t.annual_change_low_pct, t.annual_change_high_pct, t.p_value, esc(t.method)))
        .unwrap_or_default();
    let p = &l.provenance;
    let sources: Vec<String> = p
        .batches
        .iter()
        .map(|b| format!("batch {} ({}, {})", b.id, esc(&b.source), esc(&b.file)))
        .collect();
    format!(
        r#"<!doctype html><html lang="nl-BE"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{t}</title>
<style>body{{font-family:sans-serif;max-width:980px;margin:1em auto;padding:0 1em;color:#111}} table{{border-collapse:collapse}} td,th{{border:1px solid #bbb;padding:3px 6px;text-align:left}} .synthetic{{background:#fde68a;padding:6px;font-weight:bold}} svg{{width:100%;height:auto;margin:1em 0}} footer{{font-size:90%;color:#333}}</style></head><body>
{synth}<h1>{t}</h1><p>Periode {from} tot en met {to}: <strong>{count}</strong> feiten. Kernvergelijking: <strong>{verdict}</strong>.</p>
<table><tr><th>vergelijking</th><th>periode</th><th>nu</th><th>basislijn</th><th>verschil</th><th>p</th><th>oordeel</th></tr>{rows}</table>
<p>Methode: {method}. Een verschil wordt pas significant genoemd bij p &lt; {alpha}; onder {min} feiten samen wordt geen oordeel gegeven.</p>
{trend}{s0}{s1}{s2}{s3}{published}
<footer><p>Bron: {sources}. Extractie (laatste import): {extr}. Gemaakt op {gen} UTC.</p></footer></body></html>"#,
        t = esc(title),
        synth = if p.synthetic { "<p class=\"synthetic\">SYNTHETISCHE DEMOGEGEVENS — geen echte feiten.</p>" } else { "" },
        from = l.period.start,
        to = l.period.end,
        count = pic.count,
        verdict = verdict_nl(pic.comparison.comparison.verdict),
        method = esc(pic.comparison.comparison.method),
        alpha = pic.rules.alpha,
        min = pic.rules.min_events,
        s0 = svgs[0],
        s1 = svgs[1],
        s2 = svgs[2],
        s3 = svgs[3],
        sources = sources.join("; "),
        extr = p.extraction_date.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        gen = p.generated_at.format("%Y-%m-%d %H:%M"),
    )
}

#[derive(Serialize)]
struct Cell {
    ix: usize,
    iy: usize,
    x: f64,
    y: f64,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    z: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<&'static str>,
}

pub async fn hotspots(store: &Store, a: HotspotArgs) -> Result<ExitCode> {
    if a.cell <= 0.0 {
        bail!("--cell must be positive");
    }
    let method = format!("{:?}", a.method).to_lowercase();
    let l = load(store, &a.select.query(), serde_json::json!({"cell": a.cell, "method": method, "bandwidth": a.bandwidth, "radius": a.radius, "alpha": a.alpha, "resolution": a.resolution})).await?;
    let pts: Vec<(f64, f64)> = l
        .events
        .iter()
        .filter(|e| l.period.contains(e.date()))
        .filter_map(|e| e.xy)
        .collect();
    if a.method == HotspotMethod::H3 {
        return h3_hotspots(&l, &pts, a.resolution, a.json);
    }
    let grid = map_grid(&l.areas, &pts, a.cell);
    let counts = hotspot::counts(&grid, &pts);
    let (values, gi, bandwidth) = match a.method {
        HotspotMethod::Counts => (counts, None, None),
        HotspotMethod::Kde => {
            let h = match a.bandwidth {
                Some(h) => h,
                None => hotspot::default_bandwidth(&pts)
                    .context("too few located incidents for a kernel density")?,
            };
            (hotspot::kde(&grid, &pts, h), None, Some(h))
        }
        HotspotMethod::Gistar => {
            let gi = hotspot::gi_star(&counts, a.radius, a.alpha);
            (counts, Some(gi), None)
        }
        HotspotMethod::H3 => unreachable!("answered by h3_hotspots"),
    };
    let cells: Vec<Cell> = (0..values.values.len())
        .filter(|&i| values.values[i] > 0.0 || gi.as_ref().is_some_and(|g| g.class[i] != "-"))
        .map(|i| {
            let (x, y) = values.centre(i);
            Cell {
                ix: i % values.nx,
                iy: i / values.nx,
                x,
                y,
                value: values.values[i],
                z: gi.as_ref().map(|g| g.z[i]),
                q: gi.as_ref().map(|g| g.q[i]),
                class: gi.as_ref().map(|g| g.class[i]),
            }
        })
        .collect();
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)?;
        let outlines: Vec<&veilig_domain::MultiPolygon> =
            l.areas.iter().map(|a| &a.geometry).collect();
        let svg = report::grid_map(
            &values,
            &outlines,
            gi.as_ref().map(|g| g.class.as_slice()),
            &format!("{} ({method}, {} m)", a.select.phenomenon, a.cell),
        );
        std::fs::write(dir.join("hotspots.svg"), svg)?;
    }
    let out = serde_json::json!({
        "method": method,
        "cell": a.cell,
        "crs": l.zone.crs,
        "grid": {"x0": values.x0, "y0": values.y0, "nx": values.nx, "ny": values.ny},
        "events": pts.len(),
        "bandwidth": bandwidth,
        "bandwidth_rule": if a.method == HotspotMethod::Kde && a.bandwidth.is_none() { Some("0.9 · min(SD, √(1/ln 2) · Dm) · n^-0.2 (ArcGIS Pro Kernel Density default)") } else { None },
        "unit": if a.method == HotspotMethod::Kde { "incidents per km²" } else { "incidents per cell" },
        "gistar": gi.as_ref().map(|g| serde_json::json!({"radius": g.radius, "alpha": g.alpha, "method": g.method, "hot": g.class.iter().filter(|c| **c == "hot").count(), "cold": g.class.iter().filter(|c| **c == "cold").count()})),
        "cells": cells,
        "provenance": l.provenance,
    });
    if a.json {
        json(&out)?;
    } else {
        println!(
            "{} located incidents, {} cells of {} m with a value ({method})",
            pts.len(),
            cells.len(),
            a.cell
        );
        if let Some(g) = &gi {
            println!(
                "  Gi*: {} hot and {} cold cells at FDR {}",
                g.class.iter().filter(|c| **c == "hot").count(),
                g.class.iter().filter(|c| **c == "cold").count(),
                g.alpha
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Counts per H3 cell: the zone's metres back to WGS84, then h3o.
fn h3_hotspots(l: &Loaded, pts: &[(f64, f64)], resolution: u8, as_json: bool) -> Result<ExitCode> {
    let back = veilig_domain::Projector::new(l.zone.crs, 4326)?;
    let lnglat = pts
        .iter()
        .map(|&(x, y)| back.project(x, y))
        .collect::<Result<Vec<_>, _>>()?;
    let cells = veilig_analysis::hex::h3_counts(&lnglat, resolution).map_err(anyhow::Error::msg)?;
    if as_json {
        json(&serde_json::json!({
            "method": "h3",
            "resolution": resolution,
            "events": pts.len(),
            "unit": "incidents per H3 cell",
            "cells": cells,
            "provenance": l.provenance,
        }))?;
    } else {
        println!(
            "{} located incidents in {} H3 cells (resolution {resolution})",
            pts.len(),
            cells.len()
        );
        for c in cells.iter().take(10) {
            println!("  {} {:>6}", c.cell, c.count);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn near_repeat(store: &Store, a: NearRepeatArgs) -> Result<ExitCode> {
    for (name, b) in [
        ("--space-bands", &a.space_bands),
        ("--time-bands", &a.time_bands),
    ] {
        if b.len() < 2 || b.windows(2).any(|w| w[1] <= w[0]) || b[0] < 0.0 {
            bail!("{name} must be at least two increasing, non-negative edges, e.g. 0,100,200,400");
        }
    }
    let l = load(store, &a.select.query(), serde_json::json!({"space_bands": a.space_bands, "time_bands": a.time_bands, "permutations": a.permutations, "seed": a.seed, "alpha": a.alpha})).await?;
    let origin = l.period.start.and_hms_opt(0, 0, 0).expect("midnight");
    let (pts, times): (Vec<(f64, f64)>, Vec<f64>) = l
        .events
        .iter()
        .filter(|e| l.period.contains(e.date()))
        .filter_map(|e| {
            e.xy.map(|xy| (xy, (e.from - origin).num_seconds() as f64 / 86_400.0))
        })
        .unzip();
    let k = knox::knox(
        &pts,
        &times,
        &a.space_bands,
        &a.time_bands,
        a.permutations,
        a.seed,
        a.alpha,
    );
    let mut v = serde_json::to_value(&k)?;
    v["provenance"] = serde_json::to_value(&l.provenance)?;
    if a.json {
        json(&v)?;
    } else {
        println!(
            "Knox test, {} located incidents, {} permutations",
            k.events, k.permutations
        );
        for (s, row) in k.observed.iter().enumerate() {
            for (t, obs) in row.iter().enumerate() {
                println!(
                    "  {:>5}-{:<5} m  {:>3}-{:<3} d: observed {:>6}, expected {:>8.1}, ratio {:>5}, p = {:.3}",
                    k.space_bands[s],
                    k.space_bands[s + 1],
                    k.time_bands[t],
                    k.time_bands[t + 1],
                    obs,
                    k.expected[s][t],
                    k.ratio[s][t]
                        .map(|r| format!("{r:.2}"))
                        .unwrap_or_else(|| "-".into()),
                    k.p_value[s][t]
                );
            }
        }
        println!(
            "  near repeat within {} m and {} days: {}",
            k.space_bands[1],
            k.time_bands[1],
            if k.near_repeat {
                "yes (significant)"
            } else {
                "not shown"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
