//! The text of `veilig disclosure`: releases and a protected table.

use veilig_query::published::{Released, TableReport};
use veilig_store::Release;

pub fn releases(all: &[Release]) {
    for x in all {
        println!(
            "{:>4}  {}  {:<9} tabellen {:>4}  gegevens t/m {}  {}{}",
            x.number,
            x.released_on,
            x.kind,
            x.tables,
            x.complete_through
                .map(|d| d.to_string())
                .unwrap_or_default(),
            x.rules,
            x.reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        );
    }
}

pub fn released(done: &Released) {
    match &done.release {
        Some(x) => println!(
            "{}: publicatie {} van {} ({}), {} tabellen",
            done.zone, x.number, x.released_on, x.kind, x.tables
        ),
        None => println!("{}: geen tabel veranderd, geen publicatie", done.zone),
    }
    for (p, y) in &done.waiting {
        println!("  {p} {y}: bevroren, wacht op een herziening (--revise {y})");
    }
}

pub fn table(t: &TableReport) {
    let r = &t.disclosure;
    println!(
        "{} {} {} — {} v{}, drempel {}{}",
        t.zone,
        t.phenomenon,
        t.year,
        r.method,
        r.version,
        r.threshold,
        if t.synthetic { " (SYNTHETISCH)" } else { "" }
    );
    println!(
        "{:<13} {:<12} {:<10} {:<10} {:>7}  status",
        "niveau", "eenheid", "van", "tot", "waarde"
    );
    for c in &t.cells {
        println!(
            "{:<13} {:<12} {:<10} {:<10} {:>7}  {}",
            c.level,
            c.unit,
            c.start,
            c.end,
            c.value,
            c.status.as_str()
        );
    }
    let hidden = t.cells.iter().filter(|c| c.status.hidden()).count();
    println!(
        "{} cellen, {hidden} verborgen; afleidbaar uit de getoonde: {}",
        t.cells.len(),
        t.derivable
    );
}
