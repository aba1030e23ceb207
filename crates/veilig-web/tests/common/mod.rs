//! The test harness shared by the web tests: the demo zone with one account per role,
//! built once per test binary and copied for each test; a cookie-keeping client that drives
//! the router without a socket.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use veilig_domain::{NewUser, Role};
use veilig_store::Store;
use veilig_web::{AppState, Config, auth, router};

pub const PASSWORD: &str = "correct horse battery";
pub const ZONE: &str = "demo-bdm";

/// The demo zone with one account per role, built once into a file.
pub fn template_db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let path =
            std::env::temp_dir().join(format!("veilig_web_template_{}.db", std::process::id()));
        let p = path.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let store = Store::open(&format!("sqlite://{}", p.display()))
                    .await
                    .unwrap();
                demo_with_accounts(&store).await;
                store.close().await;
            });
        })
        .join()
        .unwrap();
        path
    })
}

/// Builds the demo zone into `store` and gives it one account per role (password
/// [`PASSWORD`]), as `veilig demo` does: the plan's indicators measure themselves, the
/// wijkinspecteur has the first wijk, the partner speaks for the OCMW of Mol.
pub async fn demo_with_accounts(store: &Store) {
    veilig_demo::build(store, 2026).await.unwrap();
    let zone = store.zone(ZONE).await.unwrap().unwrap();
    // As `veilig demo` does: the plan's indicators measure themselves.
    veilig_query::monitor::refresh(store, &zone, &veilig_store::AuditEntry::default())
        .await
        .unwrap();
    veilig_query::monitor::fill_pending_agendas(store, &zone)
        .await
        .unwrap();
    let areas = store.areas(zone.id).await.unwrap();
    let hash = auth::hash_password(PASSWORD).unwrap();
    for role in Role::ALL {
        store
            .create_user(&NewUser {
                username: role.as_str().into(),
                display_name: format!("Test {}", role.as_str()),
                password_hash: hash.clone(),
                role,
                zone_id: (role != Role::Administrator).then_some(zone.id),
                areas: if role == Role::Wijkinspecteur {
                    vec![areas[0].id]
                } else {
                    vec![]
                },
            })
            .await
            .unwrap();
    }
    // The partner speaks for the OCMW of Mol, a partner in the demo plan.
    let (partner, _) = store.user_by_name("partner").await.unwrap().unwrap();
    store
        .set_partner_organisation(partner.id, Some("ocmw-mol"))
        .await
        .unwrap();
}

/// The demo zone on a fresh PostgreSQL database (VEILIG_TEST_PG), with its accounts; None
/// when PostgreSQL is switched off knowingly (`VEILIG_TEST_PG=off`).
pub async fn postgres_app(config: Config) -> Option<App> {
    let t = veilig_store::testing::postgres().await?;
    demo_with_accounts(&t.store).await;
    let store = t.store.clone();
    Some(App {
        router: router(AppState::new(store.clone(), config).unwrap()),
        store,
        _dir: None,
        _pg: Some(t),
    })
}

pub struct App {
    pub router: Router,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<veilig_store::testing::TestStore>,
}

pub async fn app() -> App {
    app_with(Config::default()).await
}

pub async fn app_with(config: Config) -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("web.db");
    std::fs::copy(template_db(), &db).unwrap();
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let state = AppState::new(store.clone(), config).unwrap();
    App {
        router: router(state),
        store,
        _dir: Some(dir),
        _pg: None,
    }
}

impl App {
    /// Another server process on the same store.
    pub fn with_store(store: Store, config: Config) -> App {
        App {
            router: router(AppState::new(store.clone(), config).unwrap()),
            store,
            _dir: None,
            _pg: None,
        }
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as it came (a PDF, a download).
    pub bytes: Vec<u8>,
}

/// The CSRF token of a page's forms.
pub fn form_csrf(body: &str) -> String {
    let at = body.find("name=\"csrf\" value=\"").expect("a form");
    body[at + 19..at + 83].to_string()
}

/// A browser: keeps cookies.
pub struct Client<'a> {
    pub app: &'a App,
    pub cookies: HashMap<String, String>,
    /// An API token sent as `Authorization: Bearer …` with every GET (an integration's
    /// client rather than a browser).
    pub bearer: Option<String>,
}

impl<'a> Client<'a> {
    pub fn new(app: &'a App) -> Client<'a> {
        Client {
            app,
            cookies: HashMap::new(),
            bearer: None,
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Answer {
        let resp = self.app.router.clone().oneshot(req).await.unwrap();
        for v in resp.headers().get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let (kv, _) = s.split_once(';').unwrap_or((s, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if s.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), v.into());
            }
        }
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let mut req = Request::get(path).header(header::COOKIE, self.cookie_header());
        if let Some(t) = &self.bearer {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// The CSRF token the last page's forms carry (or the pre-login cookie's).
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/login").await;
        let at = page
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a csrf field");
        page.body[at + 19..at + 19 + 64].to_string()
    }

    pub async fn login(&mut self, user: &str, password: &str) -> Answer {
        let csrf = self.csrf().await;
        self.post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", user),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }
}

/// Runs the queued heavy computations (what a server's background worker does).
pub async fn run_jobs(app: &App) {
    let ran = veilig_query::refresh::run_all(&app.store, "test-worker", None, |_| {})
        .await
        .unwrap();
    assert!(ran.iter().all(|r| r.error.is_none()), "{ran:?}");
}

/// A client holding a fresh API token of `role` for the demo zone.
pub async fn with_token<'a>(app: &'a App, role: Role) -> Client<'a> {
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let token = format!("vlg_{}", auth::random_token());
    app.store
        .create_api_token(
            &auth::token_hash(&token),
            &format!("test-{}", role.as_str()),
            zone.id,
            role,
            chrono::Utc::now().naive_utc() + chrono::Duration::days(1),
            &veilig_store::AuditEntry::default(),
        )
        .await
        .unwrap();
    let mut c = Client::new(app);
    c.bearer = Some(token);
    c
}

pub async fn logged_in<'a>(app: &'a App, role: Option<Role>) -> Client<'a> {
    let mut c = Client::new(app);
    if let Some(r) = role {
        let a = c.login(r.as_str(), PASSWORD).await;
        assert_eq!(
            a.status,
            StatusCode::SEE_OTHER,
            "login as {}: {}",
            r.as_str(),
            a.body
        );
    }
    c
}
