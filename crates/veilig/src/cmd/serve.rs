//! `veilig serve`: the web application (the server itself lives in veilig-web).

use veilig_cli::args::ServeArgs;

pub fn config(a: &ServeArgs) -> anyhow::Result<veilig_web::Config> {
    let mut rules = match &a.disclosure_rules {
        Some(path) => veilig_disclosure::Rules::load(path)?,
        None => veilig_disclosure::Rules::builtin(),
    };
    if let Some(t) = a.disclosure_threshold {
        rules = rules.with_threshold(t);
    }
    let open_data_licence = match &a.open_data_licence {
        Some(l) => {
            let (name, url) = l
                .split_once('|')
                .ok_or_else(|| anyhow::anyhow!("--open-data-licence {l:?}: NAME|URL"))?;
            (name.trim().to_string(), url.trim().to_string())
        }
        None => veilig_web::Config::default().open_data_licence,
    };
    Ok(veilig_web::Config {
        open_data_licence,
        secure_cookies: a.secure_cookies,
        tile_url: a.tile_url.clone(),
        tile_attribution: a.tile_attribution.clone(),
        disclosure: rules,
        session_hours: a.session_hours,
        session_idle_minutes: a.session_idle_minutes,
        ..veilig_web::Config::default()
    })
}
