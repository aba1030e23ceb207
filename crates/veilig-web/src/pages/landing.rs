//! `/`: the zones and their public pages for visitors; the own zone's overview for users.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use veilig_domain::Role;

use crate::AppState;
use crate::auth::Ctx;
use crate::error::WebResult;
use crate::i18n::Tr;
use crate::view::Chrome;

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing<'a> {
    chrome: Chrome,
    tr: Tr<'a>,
    zones: Vec<(String, String, bool)>,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> WebResult<Response> {
    let zones = state.store.zones().await?;
    if let Some(u) = &ctx.user {
        let target = match (u.role, u.zone_id) {
            (_, Some(z)) => zones.iter().find(|x| x.id == z),
            (Role::Administrator, None) => zones.first(),
            _ => None,
        };
        if let Some(z) = target {
            return Ok(Redirect::to(&format!("/z/{}", z.code.as_str())).into_response());
        }
    }
    let tr = state.i18n.tr(ctx.lang);
    let page = Landing {
        chrome: Chrome::new(&state, &ctx, tr.t("landing-page-title"), None, "/"),
        tr,
        zones: zones
            .iter()
            .map(|z| (z.code.as_str().to_string(), z.name.clone(), z.synthetic))
            .collect(),
    };
    Ok(Html(page.render()?).into_response())
}
