//! Veilig's web application: the zone's dashboard in the browser.
//!
//! Server-rendered pages (askama) with htmx for partial updates, static assets embedded in
//! the binary (no CDN; works offline), a JSON API with the same permission rules, and a
//! public page per zone under disclosure control.
//!
//! - [`auth`]: passwords (argon2id), sessions stored in the database, CSRF, login rate limit.
//! - [`policy`]: every permission decision, in one place.
//! - [`i18n`]: nl-BE first, fr-BE and en, from fluent files.
//! - [`figures`]: what the pages and the API show, computed once per data version.
//! - [`pages`]: one module per page; [`api`]: the JSON routes and the OpenAPI file.
//! - `worker`: computes the heavy figures in the background when the data change.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::http::{HeaderName, Request};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use veilig_store::Store;

pub mod api;
mod assets;
pub mod auth;
mod ctx;
mod error;
pub use veilig_i18n as i18n;
pub use veilig_query::figures;
mod pages;
pub mod policy;
pub use veilig_query::published;
mod view;
mod worker;

pub use error::WebError;

/// How the server runs: everything a zone may want to change without a rebuild.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark session cookies `Secure` (set this when the app is served over TLS, directly or
    /// behind a proxy).
    pub secure_cookies: bool,
    /// A tile server URL template (`https://tile.example/{z}/{x}/{y}.png`) for the map
    /// background. None by default: maps show outlines, labels and colours offline.
    pub tile_url: Option<String>,
    /// Attribution text the tile server requires.
    pub tile_attribution: Option<String>,
    /// Disclosure control of every figure that leaves the zone (council, partner, public,
    /// open data): threshold, publication periods, method (principle 5).
    pub disclosure: veilig_disclosure::Rules,
    /// How long a session lives after login.
    pub session_hours: i64,
    /// A session also ends after this many minutes without a request.
    pub session_idle_minutes: i64,
    /// Failed logins per account (and per client) in the window before logins are refused.
    pub login_attempts: usize,
    pub login_window: Duration,
    /// The licence the open data is published under: (name, URL). A zone's choice, stated
    /// in every open-data answer; CC BY 4.0 unless `veilig serve --open-data-licence` says
    /// otherwise.
    pub open_data_licence: (String, String),
    /// An incident source is named late on the overview when its last day lies more than
    /// this many days before today (45: a monthly delivery a fortnight after the month).
    pub data_late_after_days: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            tile_url: None,
            tile_attribution: None,
            disclosure: veilig_disclosure::Rules::builtin(),
            session_hours: 8,
            session_idle_minutes: 60,
            login_attempts: 5,
            login_window: Duration::from_secs(15 * 60),
            open_data_licence: (
                "CC BY 4.0".into(),
                "https://creativecommons.org/licenses/by/4.0/".into(),
            ),
            data_late_after_days: 45,
        }
    }
}

/// What every handler shares. Nothing in it matters across restarts or between nodes: the
/// figure cache is keyed by the data version; sessions and failed logins live in the database,
/// so several server processes on one database behave as one.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub i18n: Arc<i18n::I18n>,
    pub figures: Arc<figures::Cache>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Result<AppState> {
        Ok(AppState {
            store,
            config: Arc::new(config),
            i18n: Arc::new(i18n::I18n::load()?),
            figures: Arc::new(figures::Cache::default()),
        })
    }
}

impl AppState {
    /// The zone's figures at the configured disclosure threshold, from the shared cache,
    /// at the data version read now (once per request).
    pub async fn figures_for<'a>(
        &'a self,
        zone: &'a veilig_domain::Zone,
    ) -> anyhow::Result<figures::ZoneFigures<'a>> {
        figures::ZoneFigures::new(&self.figures, &self.store, zone, &self.config.disclosure).await
    }
}

/// The whole application as a router (tests drive it without a socket).
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let routes = pages::routes()
        .merge(api::routes())
        .merge(assets::routes())
        .fallback(|| async { WebError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::session_layer,
        ))
        .with_state(state);
    routes
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
            })
            // One line per request at the default level: status and latency, in the span
            // that carries the request id.
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Serves until Ctrl-C or SIGTERM, then lets running requests finish.
pub async fn serve(store: Store, addr: &str, config: Config) -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VEILIG_LOG")
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    let state = AppState::new(store, config)?;
    // Heavy figures are computed when the data change, in the background, never in a request.
    let worker = worker::spawn(state.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("Veilig serves on http://{local}/ (Ctrl-C stops)");
    if !assets::vendored_present() {
        println!(
            "  note: Leaflet and htmx were not found at build time (run scripts/setup); maps fall back to SVG and filters reload the page"
        );
    }
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    worker.abort();
    println!("Veilig stopped.");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
