//! `veilig token`: a token is printed once and only its hash kept; administrator tokens are
//! refused; a revoked token is listed as revoked and cannot be revoked twice.

use crate::common;

use common::{json, run};

#[test]
fn tokens_are_made_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    assert!(
        run(
            &db,
            &[
                "zone",
                "add",
                "lp-schoten",
                "--name",
                "LP Schoten",
                "--kind",
                "single",
                "--municipality",
                "11040"
            ]
        )
        .status
        .success()
    );
    let out = run(
        &db,
        &[
            "token",
            "add",
            "bi",
            "--zone",
            "lp-schoten",
            "--role",
            "council",
            "--days",
            "30",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let token = text
        .lines()
        .find(|l| l.starts_with("vlg_"))
        .expect("the token")
        .to_string();
    assert_eq!(token.len(), 68);
    let list = json(&run(&db, &["token", "list", "--json"]));
    let t = &list["tokens"][0];
    assert_eq!(
        (t["name"].as_str(), t["role"].as_str()),
        (Some("bi"), Some("council"))
    );
    assert!(
        !list.to_string().contains(&token[4..]),
        "the token itself is not kept"
    );
    let bad = run(
        &db,
        &[
            "token",
            "add",
            "x",
            "--zone",
            "lp-schoten",
            "--role",
            "administrator",
        ],
    );
    assert!(
        !bad.status.success()
            && String::from_utf8_lossy(&bad.stderr).contains("may not carry the role")
    );
    let id = t["id"].as_i64().unwrap().to_string();
    assert!(run(&db, &["token", "revoke", &id]).status.success());
    let again = run(&db, &["token", "revoke", &id]);
    assert!(
        !again.status.success()
            && String::from_utf8_lossy(&again.stderr).contains("revoked already")
    );
    assert!(!json(&run(&db, &["token", "list", "--json"]))["tokens"][0]["revoked_at"].is_null());
}
