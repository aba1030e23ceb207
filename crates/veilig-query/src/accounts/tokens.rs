//! API tokens for integrations and the open-data API: issued with a name, a zone, a role a
//! token may carry and an expiry; shown once, stored as its SHA-256 only. The command line
//! issues them (`veilig token add`); the web reads them (`auth`).

use anyhow::{Result, bail};
use chrono::NaiveDateTime;
use veilig_domain::{Role, Zone};
use veilig_store::{AuditEntry, Store};

use super::secret::{random_token, token_hash};

/// The roles an API token may carry: a zone's own roles without record-level areas and
/// without the administrator's installation-wide powers.
pub fn token_role_allowed(role: Role) -> bool {
    matches!(
        role,
        Role::Chief | Role::Analyst | Role::Council | Role::Partner
    )
}

/// A token as issued: its id, the secret (shown once) and when it expires.
pub struct Issued {
    pub id: i64,
    pub token: String,
    pub expires: NaiveDateTime,
}

/// Issues a token after checking it: a role a token may carry, 1 to 366 days, a name (1-64
/// characters) to know it by in the audit trail. `audit` names who issues it; its action,
/// zone and detail are filled here.
pub async fn issue(
    store: &Store,
    zone: &Zone,
    name: &str,
    role: Role,
    days: i64,
    audit: AuditEntry,
) -> Result<Issued> {
    if !token_role_allowed(role) {
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
    let token = format!("vlg_{}", random_token());
    let expires = chrono::Utc::now().naive_utc() + chrono::Duration::days(days);
    let audit = AuditEntry {
        action: "token-add".into(),
        zone_id: Some(zone.id),
        detail: format!("{name}: {} until {expires}", role.as_str()),
        ..audit
    };
    let hash = token_hash(&token);
    let id = store
        .create_api_token(&hash, name, zone.id, role, expires, &audit)
        .await?;
    Ok(Issued { id, token, expires })
}
