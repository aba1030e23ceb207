//! Accounts of the web application: add one, change its role, wijken or block, set its
//! password, name the organisation a partner speaks for. The command line and the
//! administrator's page call these same functions; a refused change is a
//! [`Refusal`](veilig_domain::Refusal) (a page says it in the reader's language, the command
//! line in English) and every change is written to the audit trail with who made it.

use anyhow::Result;
use veilig_domain::account::valid_username;
use veilig_domain::{NewUser, Refusal, Role, User};
use veilig_store::{AuditEntry, Store, StoreError};

use super::secret::{hash_password, password_acceptable};

/// An account to add, as a form or the command line gives it.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    /// The name shown; the username when empty.
    pub display_name: String,
    /// A role code (`analyst`, `wijkinspecteur`, …).
    pub role: String,
    /// A zone code; only an administrator has none.
    pub zone: Option<String>,
    /// The wijkinspecteur's wijken: area codes, comma-separated.
    pub areas: String,
    pub password: String,
}

/// A role from its code, or the refusal that lists the roles.
pub fn parse_role(code: &str) -> Result<Role, Refusal> {
    Role::parse(code).ok_or_else(|| {
        let roles = Role::ALL.map(|r| r.as_str()).join(", ");
        Refusal::new(
            "users-bad-role",
            &[],
            format!("unknown role {code:?}; roles: {roles}"),
        )
    })
}

/// Area codes of a zone (comma-separated; blanks ignored) to their ids; an unknown code is
/// refused by name.
pub async fn area_ids(store: &Store, zone_id: Option<i64>, codes: &str) -> Result<Vec<i64>> {
    let codes: Vec<&str> = codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let Some(zone_id) = zone_id else {
        return Err(
            Refusal::new("users-bad-area", &[], "wijken need an account with a zone").into(),
        );
    };
    let areas = store.areas(zone_id).await?;
    let mut ids = Vec::with_capacity(codes.len());
    for c in codes {
        match areas.iter().find(|a| a.code == c) {
            Some(a) => ids.push(a.id),
            None => {
                let en = format!("the zone has no area {c:?}");
                return Err(Refusal::new("users-unknown-area", &[("code", c.into())], en).into());
            }
        }
    }
    Ok(ids)
}

fn check_password(password: &str) -> Result<(), Refusal> {
    if password_acceptable(password) {
        Ok(())
    } else {
        Err(Refusal::new(
            "users-weak-password",
            &[],
            "a password has at least 12 characters",
        ))
    }
}

/// Hashes off the async threads: argon2 takes tens of milliseconds on purpose.
async fn hashed(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password)).await?
}

/// Adds an account after checking it whole: a known role, a valid and unused username, a
/// zone unless an administrator, known wijken, a long enough password. `who` names who
/// adds it in the audit trail.
pub async fn add_user(store: &Store, a: &NewAccount, who: AuditEntry) -> Result<User> {
    let role = parse_role(&a.role)?;
    if !valid_username(&a.username) {
        let en = "a username has 2 to 64 letters, digits, '.', '-' or '_'";
        return Err(Refusal::new("users-bad-username", &[], en).into());
    }
    let zone = match a.zone.as_deref().filter(|z| !z.is_empty()) {
        Some(code) => match crate::existing_zone(store, code).await {
            Ok(z) => Some(z),
            Err(e) => return Err(Refusal::new("error-bad-zone", &[], format!("{e:#}")).into()),
        },
        None if role == Role::Administrator => None,
        None => {
            let en = format!("a {} account needs a zone", role.as_str());
            return Err(Refusal::new("users-zone-required", &[], en).into());
        }
    };
    let zone_id = zone.as_ref().map(|z| z.id);
    let areas = area_ids(store, zone_id, &a.areas).await?;
    check_password(&a.password)?;
    let display_name = match a.display_name.trim() {
        "" => a.username.clone(),
        name => name.to_string(),
    };
    let created = store
        .create_user(&NewUser {
            username: a.username.clone(),
            display_name,
            password_hash: hashed(&a.password).await?,
            role,
            zone_id,
            areas,
        })
        .await;
    let user = match created {
        Ok(u) => u,
        Err(StoreError::Invalid(en)) => return Err(Refusal::new("users-exists", &[], en).into()),
        Err(e) => return Err(e.into()),
    };
    let detail = format!("{} as {}", user.username, role.as_str());
    store
        .audit(&entry(who, "user-add", user.zone_id, detail))
        .await?;
    Ok(user)
}

/// An existing account by its username.
pub async fn existing_user(store: &Store, username: &str) -> Result<User> {
    match store.user_by_name(username).await? {
        Some((u, _)) => Ok(u),
        None => anyhow::bail!("no account {username:?}"),
    }
}

/// Gives an account a role and wijken (area codes) and, when `disabled` is given, blocks or
/// unblocks it; its sessions end.
pub async fn change_user(
    store: &Store,
    user: &User,
    role: &str,
    areas: &str,
    disabled: Option<bool>,
    who: AuditEntry,
) -> Result<()> {
    let role = parse_role(role)?;
    let ids = area_ids(store, user.zone_id, areas).await?;
    store.set_role(user.id, role, &ids).await?;
    let mut detail = format!(
        "{}: {} -> {}",
        user.username,
        user.role.as_str(),
        role.as_str()
    );
    if let Some(d) = disabled {
        store.set_disabled(user.id, d).await?;
        detail.push_str(&format!(", areas {ids:?}, disabled {d}"));
    }
    store
        .audit(&entry(who, "user-role", user.zone_id, detail))
        .await?;
    Ok(())
}

/// Sets an account's password (its sessions end).
pub async fn set_password(
    store: &Store,
    user: &User,
    password: &str,
    who: AuditEntry,
) -> Result<()> {
    check_password(password)?;
    store
        .set_password(user.id, &hashed(password).await?)
        .await?;
    let detail = user.username.clone();
    store
        .audit(&entry(who, "user-passwd", user.zone_id, detail))
        .await?;
    Ok(())
}

/// Names the organisation a partner account speaks for (a plan's partner code), or none.
pub async fn set_organisation(
    store: &Store,
    user: &User,
    organisation: Option<&str>,
    who: AuditEntry,
) -> Result<()> {
    if user.role != Role::Partner {
        anyhow::bail!(
            "{} is a {}: only a partner account speaks for an organisation",
            user.username,
            user.role.as_str()
        );
    }
    if let Some(o) = organisation
        && !veilig_plan::valid_code(o)
    {
        anyhow::bail!("organisation {o:?}: 1-40 letters, digits, '.', '-', '_'");
    }
    store
        .set_partner_organisation(user.id, organisation)
        .await?;
    let detail = format!("{}: {}", user.username, organisation.unwrap_or("-"));
    let line = entry(who, "user-organisation", user.zone_id, detail);
    store.audit(&line).await?;
    Ok(())
}

/// `who`'s audit line for this action.
pub(super) fn entry(
    who: AuditEntry,
    action: &str,
    zone_id: Option<i64>,
    detail: String,
) -> AuditEntry {
    AuditEntry {
        action: action.into(),
        zone_id,
        detail,
        ..who
    }
}
