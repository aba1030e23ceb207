//! `veilig status` and `veilig coverage`

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Result;
use veilig_store::{Store, ZoneStatus};

use super::existing_zone;
use crate::output::json;

pub async fn run(store: &Store, zone: Option<&str>, as_json: bool) -> Result<ExitCode> {
    let zones = match zone {
        Some(code) => vec![existing_zone(store, code).await?],
        None => store.zones().await?,
    };
    let mut report = Vec::with_capacity(zones.len());
    for z in &zones {
        report.push(store.status(z).await?);
    }
    if as_json {
        json(&serde_json::json!({ "store": store.backend_name(), "zones": report }))?;
    } else if report.is_empty() {
        println!(
            "The store is empty. Build the demo zone with `veilig demo`, or import data with `veilig import`."
        );
    } else {
        for st in &report {
            print_zone(st);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_zone(st: &ZoneStatus) {
    let z = &st.zone;
    let mark = if z.synthetic {
        "  ** SYNTHETISCH: demo data, no real incidents **"
    } else {
        ""
    };
    println!(
        "Zone {} — {} ({}, EPSG:{}){mark}",
        z.code.as_str(),
        z.name,
        z.kind.as_str(),
        z.crs
    );
    if !st.municipalities.is_empty() {
        let ms: Vec<String> = st
            .municipalities
            .iter()
            .map(|m| format!("{} {}", m.nis.as_str(), m.name_nl))
            .collect();
        println!("  municipalities: {}", ms.join(", "));
    }
    println!(
        "  areas {}, population records {}, incidents {} (outside every area {}, without location {}), calls {}, staff {}, rejected rows {}",
        st.areas,
        st.population_records,
        st.incidents,
        st.unassigned,
        st.without_location,
        st.calls,
        st.staff,
        st.rejected
    );
    print_sources(st);
    print_phenomena(st);
    print_batches(st);
}

fn print_sources(st: &ZoneStatus) {
    for s in &st.sources {
        let fmt = |t: Option<chrono::NaiveDateTime>| {
            t.map(|t| t.date().to_string())
                .unwrap_or_else(|| "-".into())
        };
        println!(
            "  source {}: {} incidents, {} to {}{}",
            s.source,
            s.incidents,
            fmt(s.first),
            fmt(s.last),
            if s.synthetic { " (synthetisch)" } else { "" }
        );
    }
}

/// Incidents per phenomenon and year, and the source categories they come from.
fn print_phenomena(st: &ZoneStatus) {
    let years: BTreeSet<i32> = st
        .phenomena
        .iter()
        .flat_map(|p| p.by_year.keys().copied())
        .collect();
    let used: Vec<_> = st.phenomena.iter().filter(|p| p.total > 0).collect();
    if !used.is_empty() {
        print!("  {:<28}", "phenomenon");
        for y in &years {
            print!("{y:>7}");
        }
        println!("{:>9}", "total");
        for p in used {
            print!(
                "  {:<28}",
                format!("{}{}", p.code, if p.mapped { "" } else { " (unmapped)" })
            );
            for y in &years {
                print!("{:>7}", p.by_year.get(y).copied().unwrap_or(0));
            }
            println!("{:>9}", p.total);
        }
        println!("  source categories:");
        for c in &st.categories {
            println!(
                "    {:<14} {:<36} -> {:<24} {:>8}",
                c.source, c.category, c.phenomenon, c.incidents
            );
        }
    }
}

fn print_batches(st: &ZoneStatus) {
    for s in &st.statistics {
        println!(
            "  published statistics {} ({}): {} categories, {} cells, {} to {}, latest closing date {} — never summed across categories",
            s.source,
            s.category_kind,
            s.categories,
            s.cells,
            s.first_period.map(|d| d.to_string()).unwrap_or_default(),
            s.last_period.map(|d| d.to_string()).unwrap_or_default(),
            s.latest_closing_date
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
    }
    println!("  batches:");
    for b in st.batches.iter().rev().take(15).rev() {
        println!(
            "    {:>4} {:<11} {:<14} read {:>8} stored {:>8} dup {:>8} rejected {:>5}  {}{}",
            b.id,
            b.kind,
            b.source,
            b.rows_read,
            b.stored,
            b.duplicates,
            b.rejected,
            b.file_name,
            if b.synthetic { " (synthetisch)" } else { "" }
        );
    }
    if st.batches.len() > 15 {
        println!(
            "    … {} earlier batches (all in --json)",
            st.batches.len() - 15
        );
    }
}

/// `veilig coverage`: lists (or sets, then lists) what each source of a zone covers.
pub async fn coverage(store: &Store, a: crate::cli::DataCoverageArgs) -> Result<ExitCode> {
    let zone = existing_zone(store, &a.zone).await?;
    let set = a.source.as_deref().zip(a.from.zip(a.to));
    let by = super::cli_audit_entry("coverage", zone.id, String::new());
    let rows = veilig_query::coverage(store, &zone, set, &by).await?;
    if a.json {
        json(&serde_json::json!({"zone": zone.code.as_str(), "sources": rows}))?;
    } else {
        for r in &rows {
            let how = if r.edited {
                "set by hand"
            } else {
                "from the imports"
            };
            println!("{}: {} to {} ({how})", r.source, r.first_day, r.last_day);
        }
    }
    Ok(ExitCode::SUCCESS)
}
