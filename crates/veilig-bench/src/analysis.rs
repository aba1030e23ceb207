//! Timing the security picture on a zone in the store: the Compstat book for every category
//! and month, a 150 m KDE and a Knox test on one year of one category.

use std::time::Instant;

use anyhow::{Context, Result};
use veilig_analysis::{Event, TestRules, compstat, hotspot, knox};
use veilig_domain::Zone;
use veilig_store::Store;

fn month(s: &str) -> Result<(i32, u32)> {
    let (y, m) = s.split_once('-').context("a month is YYYY-MM")?;
    Ok((y.parse()?, m.parse()?))
}

/// Times the parts of the security picture the issue sets bars for, on data in the store.
pub async fn run(
    store: &Store,
    z: &Zone,
    category: &str,
    year: i32,
    (first, last): (&str, &str),
) -> Result<serde_json::Value> {
    let st = store.status(z).await?;
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
    Ok(serde_json::json!({
        "categories": cats.len(),
        "incidents": series.iter().map(|s| s.1.len()).sum::<usize>(),
        "load_seconds": load.as_secs_f64(),
        "book_rows": book.len(),
        "book_seconds": book_time.as_secs_f64(),
        "kde": {"events": pts.len(), "cells": k.values.len(), "bandwidth_m": h, "seconds": kde_time.as_secs_f64()},
        "knox": {"events": kn.events, "permutations": kn.permutations, "seconds": knox_time.as_secs_f64(), "ratio_0_100m_0_7d": kn.ratio[0][0], "p": kn.p_value[0][0]},
    }))
}
