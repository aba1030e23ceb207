//! `veilig serve`: the web application (the server itself lives in veilig-web).

use crate::cli::ServeArgs;

pub fn config(a: &ServeArgs) -> anyhow::Result<veilig_web::Config> {
    let mut rules = match &a.disclosure_rules {
        Some(path) => veilig_disclosure::Rules::load(path)?,
        None => veilig_disclosure::Rules::builtin(),
    };
    if let Some(t) = a.disclosure_threshold {
        rules = rules.with_threshold(t);
    }
    Ok(veilig_web::Config {
        secure_cookies: a.secure_cookies,
        tile_url: a.tile_url.clone(),
        tile_attribution: a.tile_attribution.clone(),
        disclosure: rules,
        session_hours: a.session_hours,
        session_idle_minutes: a.session_idle_minutes,
        plan_allocator: Some(veilig_web::PlanAllocator(std::sync::Arc::new(
            |store, zone, plan, year| {
                Box::pin(async move {
                    super::capacity::plan_year_allocation(&store, &zone, &plan, year).await
                })
            },
        ))),
        ..veilig_web::Config::default()
    })
}
