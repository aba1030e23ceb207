//! The request's context as every handler and page sees it; the session layer in
//! [`crate::auth`] builds it.

use veilig_domain::User;

use crate::i18n::Lang;

/// The request's context: who, in which language, with which CSRF token.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: Option<User>,
    /// The token forms must carry: the session's, or (before login) the CSRF cookie's.
    pub csrf: String,
    pub lang: Lang,
    pub token_hash: Option<String>,
    /// Client address, when the server knows it (for the audit trail and the limiter).
    pub client: Option<String>,
    /// Whether cookies should be marked Secure for this request.
    pub secure: bool,
}

impl Ctx {
    /// An audit-trail line for this request's user and client.
    pub fn audit_entry(
        &self,
        action: &str,
        zone_id: Option<i64>,
        detail: String,
    ) -> veilig_store::AuditEntry {
        veilig_store::AuditEntry {
            user_id: self.user.as_ref().map(|u| u.id),
            username: self.user.as_ref().map(|u| u.username.clone()),
            action: action.into(),
            zone_id,
            detail,
            client: self.client.clone(),
        }
    }
}
