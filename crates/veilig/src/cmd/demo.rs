//! `veilig demo`: build the synthetic demo zone if absent and ready it, with fresh passwords
//! for its accounts (`veilig_query::demo::prepare`), print it and serve it (unless
//! `--no-serve`).

use std::process::ExitCode;

use anyhow::Result;
use veilig_store::Store;

use veilig_cli::args::ServeArgs;
use veilig_cli::output::json;

pub async fn run(
    store: &Store,
    seed: u64,
    no_serve: bool,
    serve: &ServeArgs,
    as_json: bool,
) -> Result<ExitCode> {
    let ready = veilig_query::demo::prepare(store, seed, super::cli_who()).await?;
    let (s, accounts) = (ready.summary, ready.accounts);
    if as_json {
        let mut v = serde_json::to_value(&s)?;
        v["accounts"] = serde_json::to_value(&accounts)?;
        json(&v)?;
    } else {
        if s.built {
            println!(
                "Demo zone {} built (seed {}): SYNTHETIC data, modelled on PZ Balen-Dessel-Mol.",
                s.zone, s.seed
            );
        } else {
            println!("Demo zone {} is already complete; nothing written.", s.zone);
        }
        println!(
            "  {} wijken, {} incidents (2019-01-01 to 2026-10-31), {} calls for service, {} staff, {} population records, {} published-statistics cells",
            s.areas, s.incidents, s.calls, s.staff, s.population_records, s.statistics
        );
        println!(
            "  municipalities and NIS codes are real; populations approximately real; everything else is invented."
        );
        println!();
        super::status::run(store, Some(&s.zone), false).await?;
        println!();
        println!("Demo accounts (passwords are new at every start):");
        for a in &accounts {
            println!("  {:<16} {:<16} {}", a.username, a.role, a.password);
        }
    }
    if !no_serve {
        println!();
        veilig_web::serve(store.clone(), &serve.addr, super::serve::config(serve)?).await?;
    }
    Ok(ExitCode::SUCCESS)
}
