//! `veilig user` and `veilig serve` from the outside: accounts from the command line, and a
//! served demo answering `GET /` with a Dutch page.

mod common;

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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_veilig"))
        .args(["--db", &db, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut body = String::new();
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .unwrap();
            s.read_to_string(&mut body).unwrap();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
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
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_veilig"))
        .args(["--db", &db, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let mut b = String::new();
            s.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .unwrap();
            s.read_to_string(&mut b).unwrap();
            ready = b.starts_with("HTTP/1.1 200");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(ready, "the server did not come up");
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
