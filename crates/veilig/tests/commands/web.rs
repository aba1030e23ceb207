//! `veilig user` and `veilig serve` from the outside: accounts from the command line, and a
//! served demo answering `GET /` with a Dutch page.

use crate::common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use common::{json, run};

fn user_with_password(db: &str, args: &[&str], password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_veilig"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn accounts_from_the_command_line_and_a_served_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("v.db").display());
    let demo = json(&run(&db, &["demo", "--no-serve", "--json"]));
    let accounts = demo["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 6, "one demo account per role");
    assert!(
        accounts
            .iter()
            .all(|a| a["password"].as_str().unwrap().len() >= 16)
    );

    let out = user_with_password(
        &db,
        &[
            "user",
            "add",
            "an.peeters",
            "--role",
            "analyst",
            "--zone",
            "demo-bdm",
        ],
        "a long enough password",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = user_with_password(
        &db,
        &[
            "user", "add", "short", "--role", "analyst", "--zone", "demo-bdm",
        ],
        "short",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"));
    let out = user_with_password(
        &db,
        &[
            "user", "add", "x.y", "--role", "sheriff", "--zone", "demo-bdm",
        ],
        "a long enough password",
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = run(
        &db,
        &[
            "user",
            "role",
            "an.peeters",
            "wijkinspecteur",
            "--areas",
            "NOPE",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no area \"NOPE\""));
    let out = run(&db, &["user", "role", "an.peeters", "partner"]);
    assert!(out.status.success());
    let list = json(&run(&db, &["user", "list", "--json"]));
    let an = list
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "an.peeters")
        .unwrap();
    assert_eq!(an["role"], "partner");

    // `veilig serve` answers GET / in Dutch.
    let (mut server, port) = serve(&db);
    let mut body = String::new();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    s.read_to_string(&mut body).unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("<html lang=\"nl-BE\">"));
    assert!(body.contains("/public/demo-bdm"));
}

/// SIGTERM while a request is in flight: the server stops taking connections, the request
/// finishes with its whole answer, and the process exits cleanly.
#[test]
fn sigterm_lets_requests_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("v.db").display());
    assert!(run(&db, &["demo", "--no-serve", "--json"]).status.success());
    let (mut server, port) = serve(&db);
    // The public table, cold: every phenomenon's protected tables are computed first
    // (most of a second in a debug build).
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(
        b"GET /api/v1/public/demo-bdm HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    s.set_nonblocking(true).unwrap();
    let mut probe = [0u8; 1];
    let in_flight = matches!(
        s.read(&mut probe),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    );
    assert!(in_flight, "the answer came before the signal could be sent");
    // SAFETY: sending a signal to our own child process.
    assert_eq!(
        unsafe { libc::kill(server.id() as libc::pid_t, libc::SIGTERM) },
        0
    );
    s.set_nonblocking(false).unwrap();
    let mut body = String::new();
    s.read_to_string(&mut body).unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(
        body.contains("\"rows\""),
        "the whole answer: {}",
        body.len()
    );
    let status = server.wait().unwrap();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no new connection after the server stopped"
    );
}

/// Starts `veilig serve` on a free port and waits for /health.
fn serve(db: &str) -> (std::process::Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_veilig"))
        .args(["--db", db, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let mut b = String::new();
            s.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .unwrap();
            s.read_to_string(&mut b).unwrap();
            if b.starts_with("HTTP/1.1 200") {
                return (server, port);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
    panic!("the server did not come up");
}

/// Issue 11: no user of one zone ever sees another zone's figures, with many zones' users
/// at once. Four zones (each its own places, dates, categories and size) on one store, each
/// with an analyst's API token; `veilig dev bench-load` (the scale benchmark's own client)
/// asks their overviews from 12 concurrent clients and checks every answer against the
/// zone's own, and every tenth request tries another zone's figures with the token. On
/// SQLite and PostgreSQL. A token file that pairs a zone with another zone's token must
/// make the run fail: the check bites.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_zone_sees_another_zones_figures_under_concurrent_load() {
    let mut stores = vec![veilig_store::testing::sqlite().await];
    stores.extend(veilig_store::testing::postgres().await);
    for store in &stores {
        let db = store.url.clone();
        let dir = tempfile::tempdir().unwrap();
        let mut tokens = String::new();
        let mut first_token = String::new();
        for i in 1..=4u32 {
            let code = format!("z{i}");
            let files = dir.path().join(&code);
            let rows = (1500 + 37 * i).to_string();
            let seed = i.to_string();
            let g = files.to_str().unwrap();
            for args in [
                vec![
                    "dev",
                    "bench-files",
                    "--rows",
                    &rows,
                    "--areas",
                    "3",
                    "--seed",
                    &seed,
                    "--years",
                    "3",
                    "--out",
                    g,
                ],
                vec!["zone", "add", &code, "--name", &code],
            ] {
                let out = run(&db, &args);
                assert!(
                    out.status.success(),
                    "{args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let areas = files.join("areas.geojson");
            let csv = files.join("incidents.csv");
            let mapping = files.join("incidents.toml");
            for args in [
                vec!["import", "areas", "--zone", &code, areas.to_str().unwrap()],
                vec![
                    "import",
                    "incidents",
                    "--source",
                    "generic",
                    "--zone",
                    &code,
                    "--mapping",
                    mapping.to_str().unwrap(),
                    csv.to_str().unwrap(),
                ],
            ] {
                let out = run(&db, &args);
                assert!(
                    out.status.success(),
                    "{db} {args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let out = run(
                &db,
                &[
                    "token",
                    "add",
                    &format!("load-{code}"),
                    "--zone",
                    &code,
                    "--role",
                    "analyst",
                ],
            );
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let token = String::from_utf8_lossy(&out.stdout)
                .lines()
                .last()
                .unwrap()
                .to_string();
            assert!(token.starts_with("vlg_"), "{token}");
            if i == 1 {
                first_token = token.clone();
            }
            tokens.push_str(&format!("{code} {token}\n"));
        }
        let file = dir.path().join("tokens");
        std::fs::write(&file, &tokens).unwrap();
        let (mut server, port) = serve(&db);
        let base = format!("http://127.0.0.1:{port}");
        let load = |tokens: &std::path::Path| {
            Command::new(env!("CARGO_BIN_EXE_veilig"))
                .args([
                    "dev",
                    "bench-load",
                    "--base",
                    &base,
                    "--tokens",
                    tokens.to_str().unwrap(),
                ])
                .args(["--clients", "12", "--seconds", "2", "--json"])
                .output()
                .unwrap()
        };
        let out = load(&file);
        let report = json(&out);
        assert_eq!(report["zones"], 4, "{report}");
        assert_eq!(report["mismatches"], 0, "{db}: {report}");
        assert_eq!(report["errors"], 0, "{db}: {report}");
        let attempts = report["cross_zone_attempts"].as_u64().unwrap();
        assert!(attempts > 10, "{report}");
        assert_eq!(
            report["cross_zone_refused"].as_u64(),
            Some(attempts),
            "{db}: {report}"
        );
        assert!(
            report["warm"]["requests"].as_u64().unwrap() > 100,
            "{report}"
        );

        // Zone z2 listed with z1's token: its first answer is a refusal, and the run fails.
        let wrong = dir.path().join("wrong");
        std::fs::write(&wrong, format!("z1 {first_token}\nz2 {first_token}\n")).unwrap();
        let out = load(&wrong);
        assert!(
            !out.status.success(),
            "a zone read with another zone's token passed"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("zone z2: the first answer was 4"), "{err}");
        server.kill().unwrap();
        server.wait().unwrap();
    }
}
