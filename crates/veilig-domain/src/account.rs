//! Who uses Veilig: roles and accounts. What each role may do is decided in one place, the
//! web crate's `policy` module; this module only names the roles.

use serde::Serialize;

/// A user's role. The public (no login) is not a role: it is the absence of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Runs the installation: accounts, audit trail; sees everything.
    Administrator,
    /// Korpschef and management: the Compstat review, all figures of the zone.
    Chief,
    /// Strategic analyst: all figures, imports, data quality.
    Analyst,
    /// Wijkinspecteur: the figures of their own wijken.
    Wijkinspecteur,
    /// Member of the police council or zonal security council: aggregated figures.
    Council,
    /// Partner (municipality, OCMW, justice): aggregated figures only, never police records.
    Partner,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Administrator,
        Role::Chief,
        Role::Analyst,
        Role::Wijkinspecteur,
        Role::Council,
        Role::Partner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Chief => "chief",
            Role::Analyst => "analyst",
            Role::Wijkinspecteur => "wijkinspecteur",
            Role::Council => "council",
            Role::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A stored account (without its password hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The zone the user works for; `None` for an administrator of the whole installation.
    pub zone_id: Option<i64>,
    /// For a wijkinspecteur: the areas (ids) they are scoped to.
    pub areas: Vec<i64>,
    pub disabled: bool,
}

/// An account to create. `password_hash` is a PHC string made by the caller (the store never
/// sees a password).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub zone_id: Option<i64>,
    pub areas: Vec<i64>,
}

/// A username: 2-64 characters of letters, digits, `.`, `-`, `_` (no spaces, no `@` games).
pub fn valid_username(s: &str) -> bool {
    (2..=64).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_usernames_are_checked() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("public"), None);
        assert!(valid_username("an.peeters"));
        assert!(!valid_username("a"));
        assert!(!valid_username("an peeters"));
        assert!(!valid_username("x@y"));
    }
}
