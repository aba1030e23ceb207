//! `veilig disclosure rules|table|release`: the rules as data, what one phenomenon-year
//! looks like under them (the same table the web publishes from), and the releases.

use std::process::ExitCode;

use anyhow::Result;
use veilig_cli::print::disclosure as print;
use veilig_query::published::{ReleaseKind, release, release_due, table_report};
use veilig_store::Store;

use veilig_cli::args::disclosure::{DisclosureCmd, ReleaseArgs};
use veilig_cli::output::emit;

pub async fn run(store: &Store, cmd: DisclosureCmd) -> Result<ExitCode> {
    match cmd {
        DisclosureCmd::Rules => {
            print!("{}", veilig_disclosure::rules::BUILTIN);
            Ok(ExitCode::SUCCESS)
        }
        DisclosureCmd::Release(a) if a.list => {
            let z = super::given_or_only_zone(store, a.zone.as_deref()).await?;
            let all = store.releases(z.id).await?;
            emit(&all, a.json, |all| print::releases(all))
        }
        DisclosureCmd::Release(a) => release_now(store, a).await,
        DisclosureCmd::Table(a) => {
            let r = a.rules.load()?;
            let z = super::given_or_only_zone(store, a.zone.as_deref()).await?;
            let t = table_report(store, &z, &a.phenomenon, a.year, &r).await?;
            emit(&t, a.json, print::table)?;
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
    emit(&done, a.json, print::released)
}
