//! The web application driven through its router (no socket): every route as every role,
//! a crawl that checks what partners and the public receive, CSRF, login limits, sessions,
//! languages. The demo zone is built once per test binary and copied for each test.

mod analysis;
mod attention;
#[path = "../common/mod.rs"]
mod common;
mod consistency;
mod disclosure;
mod follow;
mod language;
mod pages;
mod plan;
mod reports;
mod routes;
mod sessions;
