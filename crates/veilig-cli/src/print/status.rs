//! The text of `veilig status`: per zone its sources, phenomena and batches.

use std::collections::BTreeSet;

use veilig_store::ZoneStatus;

pub fn zone(st: &ZoneStatus) {
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
    sources(st);
    phenomena(st);
    batches(st);
}

pub fn sources(st: &ZoneStatus) {
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
pub fn phenomena(st: &ZoneStatus) {
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

pub fn batches(st: &ZoneStatus) {
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
