//! Accounts, sessions and the append-only audit trail. The store keeps what the web
//! application decides; it never sees a password (only PHC hashes) nor a session token (only
//! its SHA-256).

use chrono::NaiveDateTime;
use serde::Serialize;
use sqlx::Row;
use veilig_domain::{NewUser, Role, User};

use crate::from_row;
use crate::{Result, Store, StoreError, now, on_pool};

/// One line of the audit trail to append.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub user_id: Option<i64>,
    pub username: Option<String>,
    /// `login`, `login-failed`, `logout`, `import`, `export`, `user-add`, `user-role`, ...
    pub action: String,
    pub zone_id: Option<i64>,
    pub detail: String,
    /// Client address, when known.
    pub client: Option<String>,
}

/// A stored line of the audit trail.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: NaiveDateTime,
    pub username: Option<String>,
    pub action: String,
    pub zone_id: Option<i64>,
    pub detail: String,
    pub client: Option<String>,
}

/// A live session: whose, and the CSRF token its forms must carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: NaiveDateTime,
    /// When the session was last used (its creation when never touched).
    pub last_seen: NaiveDateTime,
}

const USER_COLUMNS: &str = "id, username, display_name, role, zone_id, disabled";

macro_rules! user_from_row {
    ($r:expr) => {{
        let r = $r;
        let role: String = r.try_get("role")?;
        User {
            id: r.try_get("id")?,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Invalid(format!("stored role {role:?}")))?,
            zone_id: r.try_get("zone_id")?,
            areas: Vec::new(),
            disabled: r.try_get("disabled")?,
        }
    }};
}

from_row!(AuditRecord {
    id,
    at,
    username,
    action,
    zone_id,
    detail,
    client
});

impl Store {
    /// Creates an account; refuses a username that exists.
    pub async fn create_user(&self, u: &NewUser) -> Result<User> {
        if self.user_by_name(&u.username).await?.is_some() {
            return Err(StoreError::Invalid(format!(
                "user {:?} already exists",
                u.username
            )));
        }
        let t = now();
        let id: i64 = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO users (username, display_name, password_hash, role, zone_id, disabled, created_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, FALSE, $6, $6) RETURNING id")
                .bind(&u.username)
                .bind(&u.display_name)
                .bind(&u.password_hash)
                .bind(u.role.as_str())
                .bind(u.zone_id)
                .bind(t)
                .fetch_one(&mut *tx)
                .await?;
            for a in &u.areas {
                sqlx::query("INSERT INTO user_areas (user_id, area_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(a)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            id
        });
        self.user(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
    }

    async fn user_areas(&self, user_id: i64) -> Result<Vec<i64>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT area_id FROM user_areas WHERE user_id = $1 ORDER BY area_id")
                .bind(user_id)
                .fetch_all(pool)
                .await?)
        })
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let user = on_pool!(self, pool => {
            match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await? {
                Some(r) => Some(user_from_row!(r)),
                None => None,
            }
        });
        match user {
            Some(mut u) => {
                u.areas = self.user_areas(u.id).await?;
                Ok(Some(u))
            }
            None => Ok(None),
        }
    }

    /// The account and its password hash, for logging in.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<(User, String)>> {
        let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1");
        let found = on_pool!(self, pool => {
            match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await? {
                Some(r) => {
                    let hash: String = r.try_get("password_hash")?;
                    Some((user_from_row!(&r), hash))
                }
                None => None,
            }
        });
        match found {
            Some((mut u, h)) => {
                u.areas = self.user_areas(u.id).await?;
                Ok(Some((u, h)))
            }
            None => Ok(None),
        }
    }

    /// All accounts, by username.
    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
        let mut users: Vec<User> = on_pool!(self, pool => {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(user_from_row!(r));
            }
            out
        });
        for u in &mut users {
            u.areas = self.user_areas(u.id).await?;
        }
        Ok(users)
    }

    /// A new password hash; every session of the user ends.
    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(now())
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user_id}")));
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A new role (and, for a wijkinspecteur, areas); every session of the user ends, so the
    /// new rights apply at once.
    pub async fn set_role(&self, user_id: i64, role: Role, areas: &[i64]) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(role.as_str())
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user_id}")));
            }
            sqlx::query("DELETE FROM user_areas WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            for a in areas {
                sqlx::query("INSERT INTO user_areas (user_id, area_id) VALUES ($1, $2)")
                    .bind(user_id)
                    .bind(a)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Disables or enables an account; disabling ends its sessions.
    pub async fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                .bind(disabled)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: NaiveDateTime,
    ) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now())
                .bind(expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The live session with this token hash: not expired, its user not disabled, with no
    /// idle limit ([`Store::session_used_since`] has one).
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        // The epoch, not NaiveDateTime::MIN: PostgreSQL's timestamps start at 4713 BC.
        let epoch = chrono::DateTime::UNIX_EPOCH.naive_utc();
        self.session_used_since(token_hash, epoch).await
    }

    /// The live session with this token hash that was last used after `idle_cutoff`. One
    /// query (two for a wijkinspecteur, whose areas are read too): it runs on every request.
    pub async fn session_used_since(
        &self,
        token_hash: &str,
        idle_cutoff: NaiveDateTime,
    ) -> Result<Option<Session>> {
        let found = on_pool!(self, pool => {
            match sqlx::query("SELECT s.csrf, s.expires_at, COALESCE(s.last_seen, s.created_at) AS last_seen, u.id, u.username, u.display_name, u.role, u.zone_id, u.disabled FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND COALESCE(s.last_seen, s.created_at) > $3 AND NOT u.disabled")
                .bind(token_hash)
                .bind(now())
                .bind(idle_cutoff)
                .fetch_optional(pool)
                .await?
            {
                Some(r) => {
                    let csrf: String = r.try_get("csrf")?;
                    let expires_at: NaiveDateTime = r.try_get("expires_at")?;
                    let last_seen: NaiveDateTime = r.try_get("last_seen")?;
                    Some((user_from_row!(&r), csrf, expires_at, last_seen))
                }
                None => None,
            }
        });
        let Some((mut user, csrf, expires_at, last_seen)) = found else {
            return Ok(None);
        };
        if user.role == Role::Wijkinspecteur {
            user.areas = self.user_areas(user.id).await?;
        }
        Ok(Some(Session {
            user,
            csrf,
            expires_at,
            last_seen,
        }))
    }

    /// Records that a session was used at `at` (the server does so at most once a minute).
    pub async fn touch_session(&self, token_hash: &str, at: NaiveDateTime) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE sessions SET last_seen = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Failed logins since `since`, from the audit trail (so every server process on the
    /// database counts the same): for the account (case-insensitive), only those after its
    /// last successful login; and for the client address, when given.
    pub async fn failed_logins(
        &self,
        username: &str,
        client: Option<&str>,
        since: NaiveDateTime,
    ) -> Result<(i64, i64)> {
        on_pool!(self, pool => {
            let by_user: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login-failed' AND LOWER(username) = LOWER($1) AND at > $2 AND at > COALESCE((SELECT MAX(at) FROM audit_log WHERE action = 'login' AND LOWER(username) = LOWER($1)), $2)")
                .bind(username)
                .bind(since)
                .fetch_one(pool)
                .await?;
            let by_client: i64 = match client {
                Some(c) => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'login-failed' AND client = $1 AND at > $2")
                    .bind(c)
                    .bind(since)
                    .fetch_one(pool)
                    .await?,
                None => 0,
            };
            Ok((by_user, by_client))
        })
    }

    /// Ends a session (logging out), and sweeps expired ones.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
                .bind(token_hash)
                .bind(now())
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Appends to the audit trail.
    pub async fn audit(&self, e: &AuditEntry) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO audit_log (at, user_id, username, action, zone_id, detail, client) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(now())
                .bind(e.user_id)
                .bind(&e.username)
                .bind(&e.action)
                .bind(e.zone_id)
                .bind(&e.detail)
                .bind(&e.client)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The newest `limit` lines of the audit trail, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditRecord>> {
        self.rows_by::<AuditRecord>(
            "SELECT id, at, username, action, zone_id, detail, client FROM audit_log ORDER BY id DESC LIMIT $1",
            limit,
        )
        .await
    }
}

/// An API token as stored (never the token itself, only its SHA-256).
#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub zone_id: i64,
    pub role: Role,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

macro_rules! token_from_row {
    ($r:expr) => {{
        let r = $r;
        let role: String = r.try_get("role")?;
        ApiToken {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            zone_id: r.try_get("zone_id")?,
            role: Role::parse(&role)
                .ok_or_else(|| StoreError::Invalid(format!("stored role {role:?}")))?,
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            expires_at: r.try_get("expires_at")?,
            revoked_at: r.try_get("revoked_at")?,
        }
    }};
}

impl Store {
    /// Stores a token's hash, scoped to a zone and a role, with its expiry.
    pub async fn create_api_token(
        &self,
        token_hash: &str,
        name: &str,
        zone_id: i64,
        role: Role,
        expires_at: NaiveDateTime,
        audit: &AuditEntry,
    ) -> Result<i64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO api_tokens (token_hash, name, zone_id, role, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(token_hash)
                .bind(name)
                .bind(zone_id)
                .bind(role.as_str())
                .bind(now())
                .bind(&audit.username)
                .bind(expires_at)
                .fetch_one(&mut *tx)
                .await?;
            crate::audit_tx!(tx, audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The token with this hash, when it is neither revoked nor expired at `at`.
    pub async fn valid_api_token(
        &self,
        token_hash: &str,
        at: NaiveDateTime,
    ) -> Result<Option<ApiToken>> {
        on_pool!(self, pool => {
            match sqlx::query("SELECT id, name, zone_id, role, created_at, created_by, expires_at, revoked_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2")
                .bind(token_hash)
                .bind(at)
                .fetch_optional(pool)
                .await?
            {
                Some(r) => Ok(Some(token_from_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// Every token, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, name, zone_id, role, created_at, created_by, expires_at, revoked_at FROM api_tokens ORDER BY id DESC")
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(token_from_row!(r));
            }
            Ok(out)
        })
    }

    /// Revokes a token (from now on it opens nothing); false when there is no such live token.
    pub async fn revoke_api_token(&self, id: i64, audit: &AuditEntry) -> Result<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                crate::audit_tx!(tx, audit);
            }
            tx.commit().await?;
            Ok(n == 1)
        })
    }
}
