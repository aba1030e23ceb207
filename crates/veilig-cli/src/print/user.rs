//! The text of `veilig user list`.

use veilig_domain::User;

pub fn user(u: &User) {
    println!(
        "{:<20} {:<15} zone {:<6} areas {:?}{}",
        u.username,
        u.role.as_str(),
        u.zone_id.map_or_else(|| "-".into(), |z| z.to_string()),
        u.areas,
        if u.disabled { " (disabled)" } else { "" }
    );
}
