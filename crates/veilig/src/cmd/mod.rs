//! One module per command; `run` dispatches.

use std::process::ExitCode;

use anyhow::{Context, Result};
use veilig_store::Store;

use veilig_cli::args::{Cli, Command};

mod analysis;
mod backup;
mod capacity;
mod demo;
mod dev;
mod disclosure;
mod forecast;
mod import;
mod monitor;
mod plan;
mod refresh;
mod rejects;
mod report;
mod serve;
mod staff;
mod status;
mod survey;
mod token;
mod user;
mod zone;

pub async fn run(cli: Cli) -> Result<ExitCode> {
    // The backtest, tuning and method list and a survey estimate from a file read files
    // only, and the load benchmark talks to a server: no store is opened (or created).
    let cli = match cli.command {
        Command::Survey(veilig_cli::args::SurveyCmd::Estimate(a)) => return survey::estimate(*a),
        Command::Forecast(f) if f.command.is_some() => {
            return forecast::offline(f.command.expect("checked"));
        }
        Command::Dev(veilig_cli::args::DevCmd::BenchLoad(a)) => return dev::load(a).await,
        command => Cli { command, ..cli },
    };
    let store = Store::open(&cli.db)
        .await
        .with_context(|| format!("opening the store {}", cli.db))?;
    let code = match cli.command {
        Command::Import(i) => import::run(&store, i).await?,
        Command::Rejects { batch, json } => rejects::run(&store, batch, json).await?,
        Command::Status(a) => status::run(&store, a.zone.as_deref(), a.json).await?,
        Command::Coverage(a) => status::coverage(&store, a).await?,
        Command::Refresh(a) => refresh::run(&store, a.zone.as_deref(), a.json).await?,
        Command::Zone(z) => zone::run(&store, z).await?,
        Command::Map {
            zone,
            source,
            category,
            phenomenon,
        } => zone::map(&store, &zone, &source, &category, &phenomenon).await?,
        Command::Demo {
            seed,
            no_serve,
            serve,
            json,
        } => demo::run(&store, seed, no_serve, &serve, json).await?,
        Command::Serve(a) => {
            veilig_web::serve(store.clone(), &a.addr, serve::config(&a)?).await?;
            ExitCode::SUCCESS
        }
        Command::User(u) => user::run(&store, u).await?,
        Command::Staff(s) => staff::run(&store, s).await?,
        Command::Disclosure(d) => disclosure::run(&store, d).await?,
        Command::Survey(s) => survey::run(&store, s).await?,
        Command::Token(t) => token::run(&store, t).await?,
        Command::Backup { out, no_verify } => backup::backup(&store, &out, !no_verify).await?,
        Command::Restore { from } => backup::restore(&store, &from).await?,
        Command::Migrate { to } => backup::migrate(&store, &to).await?,
        Command::Plan(p) => plan::run(&store, *p).await?,
        Command::Forecast(f) => forecast::next(&store, f.next).await?,
        Command::Report(r) => report::run(&store, *r).await?,
        Command::Reports { zone, json } => report::list(&store, &zone, json).await?,
        Command::Foreword(a) => report::foreword(&store, a).await?,
        Command::Picture(a) => analysis::picture(&store, a).await?,
        Command::Capacity(c) => capacity::run(&store, c).await?,
        Command::Hotspots(a) => analysis::hotspots(&store, a).await?,
        Command::NearRepeat(a) => analysis::near_repeat(&store, a).await?,
        Command::Dev(d) => dev::run(&store, d).await?,
    };
    store.close().await;
    Ok(code)
}

pub use veilig_query::{existing_zone, given_or_only_zone, zone_or_create};

/// Who acts from the command line, for an application function that writes its own audit
/// line: `cli:$USER`.
pub fn cli_who() -> veilig_store::AuditEntry {
    veilig_store::AuditEntry {
        username: Some(cli_user()),
        ..Default::default()
    }
}

/// An audit line for a command-line action, as `cli:$USER`.
pub fn cli_audit_entry(action: &str, zone_id: i64, detail: String) -> veilig_store::AuditEntry {
    veilig_store::AuditEntry {
        action: action.into(),
        zone_id: Some(zone_id),
        detail,
        ..cli_who()
    }
}

/// Appends a command-line action to the audit trail, as `cli:$USER`.
pub async fn audit_cli(
    store: &Store,
    action: &str,
    zone_id: Option<i64>,
    detail: String,
) -> Result<()> {
    store
        .audit(&veilig_store::AuditEntry {
            username: Some(cli_user()),
            action: action.into(),
            zone_id,
            detail,
            ..Default::default()
        })
        .await?;
    Ok(())
}

/// Who acts from the command line, as the audit trail and the records name them.
pub fn cli_user() -> String {
    format!("cli:{}", std::env::var("USER").unwrap_or_default())
}
