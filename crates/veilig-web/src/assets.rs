//! Static assets, embedded in the binary: our own stylesheet and script, and the vendored
//! Leaflet and htmx (from npm, see `web/package.json`). No CDN: the app works offline.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::AppState;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Own;

#[derive(RustEmbed)]
#[folder = "../../web/node_modules/"]
#[include = "leaflet/dist/leaflet.js"]
#[include = "leaflet/dist/leaflet.css"]
#[include = "leaflet/dist/images/*.png"]
#[include = "leaflet/LICENSE"]
#[include = "htmx.org/dist/htmx.min.js"]
#[include = "htmx.org/LICENSE"]
struct Vendor;

/// Where pages find the vendored files.
pub const LEAFLET_JS: &str = "/static/vendor/leaflet/dist/leaflet.js";
pub const LEAFLET_CSS: &str = "/static/vendor/leaflet/dist/leaflet.css";
pub const HTMX_JS: &str = "/static/vendor/htmx.org/dist/htmx.min.js";

/// Whether Leaflet and htmx were there when the binary was built.
pub fn vendored_present() -> bool {
    Vendor::get("leaflet/dist/leaflet.js").is_some()
        && Vendor::get("htmx.org/dist/htmx.min.js").is_some()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        // Browsers ask for /favicon.ico whatever the page links: the SVG icon answers.
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/static/favicon.svg") }),
        )
        .route("/static/vendor/{*path}", get(vendor))
        .route("/static/{*path}", get(own))
}

fn answer(file: Option<rust_embed::EmbeddedFile>) -> Response {
    match file {
        Some(f) => {
            let mime = f.metadata.mimetype().to_string();
            let mut r = f.data.into_owned().into_response();
            let h = r.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&mime) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            r
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn own(Path(path): Path<String>) -> Response {
    answer(Own::get(&path))
}

async fn vendor(Path(path): Path<String>) -> Response {
    answer(Vendor::get(&path))
}
