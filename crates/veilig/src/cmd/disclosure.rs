//! `veilig disclosure rules|table|release`: the rules as data, what one phenomenon-year
//! looks like under them (the same table the web publishes from), and the releases.

use std::process::ExitCode;

use anyhow::Result;
use veilig_query::published::{
    ReleaseKind, Released, TableReport, release, release_due, table_report,
};
use veilig_store::{Release, Store};

use crate::cli::disclosure::{DisclosureCmd, ReleaseArgs};
use crate::output::emit;

pub async fn run(store: &Store, cmd: DisclosureCmd) -> Result<ExitCode> {
    match cmd {
        DisclosureCmd::Rules => {
            print!("{}", veilig_disclosure::rules::BUILTIN);
            Ok(ExitCode::SUCCESS)
        }
        DisclosureCmd::Release(a) if a.list => {
            let z = super::given_or_only_zone(store, a.zone.as_deref()).await?;
            let all = store.releases(z.id).await?;
            emit(&all, a.json, |all| print_releases(all))
        }
        DisclosureCmd::Release(a) => release_now(store, a).await,
        DisclosureCmd::Table(a) => {
            let r = a.rules.load()?;
            let z = super::given_or_only_zone(store, a.zone.as_deref()).await?;
            let t = table_report(store, &z, &a.phenomenon, a.year, &r).await?;
            emit(&t, a.json, print_table)?;
            // The exit status says whether the protection holds (scripts check it).
            Ok(if t.derivable == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

async fn release_now(store: &Store, a: ReleaseArgs) -> Result<ExitCode> {
    let r = a.rules.load()?;
    let z = super::given_or_only_zone(store, a.zone.as_deref()).await?;
    let on = a.on.unwrap_or_else(|| chrono::Local::now().date_naive());
    let by = super::cli_user();
    let done = match a.revise {
        Some(year) => {
            let reason = a.reason.unwrap_or_default();
            let kind = ReleaseKind::Revision { year, reason };
            release(store, &z, &r, on, &kind, &by).await?
        }
        None => release_due(store, &z, &r, on, &by).await?,
    };
    emit(&done, a.json, print_released)
}

fn print_releases(all: &[Release]) {
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

fn print_released(done: &Released) {
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

fn print_table(t: &TableReport) {
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
