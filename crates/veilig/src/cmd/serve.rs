//! `veilig serve`: the web application (the server itself lives in veilig-web).

use crate::cli::ServeArgs;

pub fn config(a: &ServeArgs) -> veilig_web::Config {
    veilig_web::Config {
        secure_cookies: a.secure_cookies,
        tile_url: a.tile_url.clone(),
        tile_attribution: a.tile_attribution.clone(),
        disclosure_threshold: a.disclosure_threshold,
        session_hours: a.session_hours,
        ..veilig_web::Config::default()
    }
}
