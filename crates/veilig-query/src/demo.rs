//! The demo zone, ready to be shown: built from its seed if absent, its plan's indicators
//! measured, its Compstat meetings given their agendas, its heavy figures asked for, and one
//! account per role with a password that is new at every start (nothing fixed to guess).

use anyhow::Result;
use serde::Serialize;
use veilig_demo::DemoSummary;
use veilig_domain::{NewUser, Role};
use veilig_store::{AuditEntry, Store};

use crate::accounts::{hash_password, random_token};

/// A demo account as printed.
#[derive(Debug, Serialize)]
pub struct DemoAccount {
    pub username: &'static str,
    pub role: &'static str,
    pub password: String,
}

/// What `veilig demo` built or found, and its accounts.
#[derive(Debug)]
pub struct DemoReady {
    pub summary: DemoSummary,
    pub accounts: Vec<DemoAccount>,
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

/// Builds the demo zone (if absent) and readies it; `who` names the caller in the audit
/// trail of the indicators' measurement.
pub async fn prepare(store: &Store, seed: u64, who: AuditEntry) -> Result<DemoReady> {
    let summary = veilig_demo::build(store, seed).await?;
    let zone = crate::existing_zone(store, &summary.zone).await?;
    // The demo plan's indicators measure themselves from the demo's data.
    let line = AuditEntry {
        action: "indicator-refresh".into(),
        zone_id: Some(zone.id),
        detail: "after the demo".into(),
        ..who
    };
    crate::monitor::refresh(store, &zone, &line).await?;
    // The Compstat meetings it holds get the agendas of their months.
    crate::monitor::fill_pending_agendas(store, &zone).await?;
    // Its heavy figures are asked for now; the server (or `veilig refresh`) computes them.
    crate::refresh::schedule_all(store).await?;
    let accounts = accounts(store, &zone).await?;
    Ok(DemoReady { summary, accounts })
}

async fn accounts(store: &Store, zone: &veilig_domain::Zone) -> Result<Vec<DemoAccount>> {
    let wijken: Vec<i64> = store
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
        let id = match store.user_by_name(username).await? {
            Some((u, _)) => {
                store.set_password(u.id, &hash).await?;
                u.id
            }
            None => {
                let areas = match role {
                    Role::Wijkinspecteur => wijken.clone(),
                    _ => Vec::new(),
                };
                let u = NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    password_hash: hash,
                    role,
                    zone_id: (role != Role::Administrator).then_some(zone.id),
                    areas,
                };
                store.create_user(&u).await?.id
            }
        };
        if role == Role::Partner {
            // The demo partner speaks for the OCMW of Mol: it sees the plan's actions the
            // OCMW takes part in.
            let org = Some(veilig_demo::plan::PARTNER);
            store.set_partner_organisation(id, org).await?;
        }
        let role = role.as_str();
        out.push(DemoAccount {
            username,
            role,
            password,
        });
    }
    Ok(out)
}
