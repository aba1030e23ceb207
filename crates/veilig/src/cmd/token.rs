//! `veilig token add|list|revoke`: API tokens for integrations and the open-data API.

use std::process::ExitCode;

use anyhow::{Result, bail};
use veilig_domain::Role;
use veilig_store::Store;

use veilig_cli::args::TokenCmd;
use veilig_cli::output::json;

pub async fn run(store: &Store, cmd: TokenCmd) -> Result<ExitCode> {
    match cmd {
        TokenCmd::Add {
            name,
            zone,
            role,
            days,
        } => add(store, &name, &zone, &role, days).await,
        TokenCmd::List { json: as_json } => {
            let tokens = store.api_tokens().await?;
            if as_json {
                json(&serde_json::json!({"tokens": tokens}))?;
            } else {
                for t in &tokens {
                    println!(
                        "{} {} zone {} {} until {}{}",
                        t.id,
                        t.name,
                        t.zone_id,
                        t.role.as_str(),
                        t.expires_at.format("%Y-%m-%d"),
                        t.revoked_at.map_or(String::new(), |r| format!(
                            ", revoked {}",
                            r.format("%Y-%m-%d")
                        ))
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TokenCmd::Revoke { id } => {
            let t = store.api_tokens().await?.into_iter().find(|t| t.id == id);
            let Some(t) = t else { bail!("no token {id}") };
            if !store
                .revoke_api_token(
                    id,
                    &super::cli_audit_entry("token-revoke", t.zone_id, format!("{id} {}", t.name)),
                )
                .await?
            {
                bail!("token {id} is revoked already");
            }
            println!("token {id} ({}) revoked", t.name);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Issues a token and shows it once.
async fn add(store: &Store, name: &str, zone: &str, role: &str, days: i64) -> Result<ExitCode> {
    let z = super::existing_zone(store, zone).await?;
    let role = Role::parse(role)
        .ok_or_else(|| anyhow::anyhow!("--role {role:?}: chief, analyst, council or partner"))?;
    let t = veilig_query::accounts::issue(store, &z, name, role, days, super::cli_who()).await?;
    println!(
        "token {} ({name}, {} in {}) until {}:",
        t.id,
        role.as_str(),
        z.code.as_str(),
        t.expires.format("%Y-%m-%d %H:%M")
    );
    println!("{}", t.token);
    eprintln!(
        "Shown once: only its hash is stored. Use it as `Authorization: Bearer {}…` on /api/ (read only).",
        &t.token[..8]
    );
    Ok(ExitCode::SUCCESS)
}
