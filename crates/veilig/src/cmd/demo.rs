//! `veilig demo`: build the synthetic demo zone if absent, give its demo accounts fresh
//! passwords, and serve it (unless `--no-serve`).

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use veilig_domain::{NewUser, Role};
use veilig_store::Store;
use veilig_web::auth::{hash_password, random_token};

use crate::cli::ServeArgs;
use crate::output::json;

/// A demo account as printed: the password is new at every start (nothing fixed to guess).
#[derive(Debug, Serialize)]
struct DemoAccount {
    username: &'static str,
    role: &'static str,
    password: String,
}

/// The demo's accounts, one per role; the wijkinspecteur has the first two wijken.
const ACCOUNTS: [(&str, Role, &str); 6] = [
    ("analist", Role::Analyst, "An Analist"),
    ("korpschef", Role::Chief, "Kim Korpschef"),
    ("wijkinspecteur", Role::Wijkinspecteur, "Wim Wijkinspecteur"),
    ("raadslid", Role::Council, "Rita Raadslid"),
    ("partner", Role::Partner, "Pieter Partner (OCMW)"),
    ("beheerder", Role::Administrator, "Bea Beheerder"),
];

async fn accounts(store: &Store, zone_code: &str) -> Result<Vec<DemoAccount>> {
    let zone = super::existing_zone(store, zone_code).await?;
    let areas: Vec<i64> = store
        .areas(zone.id)
        .await?
        .iter()
        .take(2)
        .map(|a| a.id)
        .collect();
    let mut out = Vec::new();
    for (username, role, name) in ACCOUNTS {
        let password = random_token()[..16].to_string();
        let hash = hash_password(&password)?;
        match store.user_by_name(username).await? {
            Some((u, _)) => store.set_password(u.id, &hash).await?,
            None => {
                store
                    .create_user(&NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        password_hash: hash,
                        role,
                        zone_id: (role != Role::Administrator).then_some(zone.id),
                        areas: if role == Role::Wijkinspecteur {
                            areas.clone()
                        } else {
                            Vec::new()
                        },
                    })
                    .await?;
            }
        }
        if role == Role::Partner
            && let Some((u, _)) = store.user_by_name(username).await?
        {
            // The demo partner speaks for the OCMW of Mol: it sees the plan's actions the
            // OCMW takes part in.
            store
                .set_partner_organisation(u.id, Some(veilig_demo::plan::PARTNER))
                .await?;
        }
        out.push(DemoAccount {
            username,
            role: role.as_str(),
            password,
        });
    }
    Ok(out)
}

pub async fn run(
    store: &Store,
    seed: u64,
    no_serve: bool,
    serve: &ServeArgs,
    as_json: bool,
) -> Result<ExitCode> {
    let s = veilig_demo::build(store, seed).await?;
    // The demo plan's indicators measure themselves from the demo's data.
    let zone = super::existing_zone(store, &s.zone).await?;
    let line = super::cli_audit_entry("indicator-refresh", zone.id, "after the demo".into());
    veilig_query::monitor::refresh(store, &zone, &line).await?;
    // The Compstat meetings it holds get the agendas of their months.
    veilig_query::monitor::fill_pending_agendas(store, &zone).await?;
    // Its heavy figures are asked for now; the server (or `veilig refresh`) computes them.
    veilig_query::refresh::schedule_all(store).await?;
    let accounts = accounts(store, &s.zone).await?;
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
