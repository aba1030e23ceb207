//! `veilig token add|list|revoke`: API tokens for integrations and the open-data API.

use std::process::ExitCode;

use anyhow::{Result, bail};
use veilig_domain::Role;
use veilig_store::Store;

use crate::cli::TokenCmd;
use crate::output::json;

pub async fn run(store: &Store, cmd: TokenCmd) -> Result<ExitCode> {
    match cmd {
        TokenCmd::Add {
            name,
            zone,
            role,
            days,
        } => {
            let z = super::existing_zone(store, &zone).await?;
            let role = Role::parse(&role).ok_or_else(|| {
                anyhow::anyhow!("--role {role:?}: chief, analyst, council or partner")
            })?;
            if !veilig_web::auth::token_role_allowed(role) {
                bail!(
                    "a token may not carry the role {}: chief, analyst, council or partner",
                    role.as_str()
                );
            }
            if !(1..=366).contains(&days) {
                bail!("--days {days}: 1 to 366");
            }
            if name.trim().is_empty() || name.len() > 64 {
                bail!("the token needs a name (1-64 characters) to know it by in the audit trail");
            }
            let token = format!("vlg_{}", veilig_web::auth::random_token());
            let expires = chrono::Utc::now().naive_utc() + chrono::Duration::days(days);
            let id = store
                .create_api_token(
                    &veilig_web::auth::token_hash(&token),
                    &name,
                    z.id,
                    role,
                    expires,
                    &super::cli_audit_entry(
                        "token-add",
                        z.id,
                        format!("{name}: {} until {expires}", role.as_str()),
                    ),
                )
                .await?;
            println!(
                "token {id} ({name}, {} in {}) until {}:",
                role.as_str(),
                z.code.as_str(),
                expires.format("%Y-%m-%d %H:%M")
            );
            println!("{token}");
            eprintln!(
                "Shown once: only its hash is stored. Use it as `Authorization: Bearer {}…` on /api/ (read only).",
                &token[..8]
            );
            Ok(ExitCode::SUCCESS)
        }
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
