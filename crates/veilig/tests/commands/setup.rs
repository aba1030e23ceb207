//! `scripts/setup --missing` against machine states laid out in a scratch root
//! (VEILIG_SETUP_ROOT): the detection must ask for what the build really needs. The state
//! of issue 11: LLVM 14 present with libclang-cpp but without libclang, which the old glob
//! `libclang*.so*` took for libclang, so bindgen failed after minutes of building.

use std::path::Path;
use std::process::Command;

fn touch(root: &Path, rel: &str) {
    let p = root.join(rel.trim_start_matches('/'));
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn missing(root: &Path) -> Vec<String> {
    let script = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../../scripts/setup");
    let out = Command::new("bash")
        .arg(script)
        .arg("--missing")
        .env("VEILIG_SETUP_ROOT", root)
        .env_remove("LIBCLANG_PATH")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// A machine with everything but libclang and clang's headers.
fn base(root: &Path) {
    for cmd in [
        "cmake",
        "g++",
        "runuser",
        "node",
        "npm",
        "chromium",
        "pdftotext",
    ] {
        touch(root, &format!("/usr/bin/{cmd}"));
    }
    touch(root, "/usr/lib/postgresql/15/bin/initdb");
}

#[test]
fn llvm_without_libclang_asks_for_libclang_dev() {
    let root = tempfile::tempdir().unwrap();
    base(root.path());
    touch(root.path(), "/usr/lib/llvm-14/lib/libclang-cpp.so.14");
    touch(root.path(), "/usr/lib/x86_64-linux-gnu/libclang-cpp.so.14");
    assert_eq!(missing(root.path()), vec!["libclang-dev"]);
    // libclang itself without clang's headers (stddef.h) is not enough for bindgen either.
    touch(root.path(), "/usr/lib/llvm-14/lib/libclang.so.1");
    assert_eq!(missing(root.path()), vec!["libclang-dev"]);
    touch(
        root.path(),
        "/usr/lib/llvm-14/lib/clang/14.0.6/include/stddef.h",
    );
    assert!(missing(root.path()).is_empty());
}

#[test]
fn versioned_libclang_names_count_and_an_empty_machine_needs_everything() {
    let root = tempfile::tempdir().unwrap();
    base(root.path());
    touch(
        root.path(),
        "/usr/lib/x86_64-linux-gnu/libclang-16.so.16.0.6",
    );
    touch(
        root.path(),
        "/usr/lib/llvm-16/lib/clang/16/include/stddef.h",
    );
    assert!(missing(root.path()).is_empty());
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        missing(empty.path()),
        vec![
            "cmake",
            "g++",
            "libclang-dev",
            "postgresql",
            "util-linux",
            "nodejs",
            "npm",
            "chromium",
            "poppler-utils"
        ]
    );
    // Node without npm (Debian's nodejs) asks for npm alone.
    let node_only = tempfile::tempdir().unwrap();
    base(node_only.path());
    std::fs::remove_file(node_only.path().join("usr/bin/npm")).unwrap();
    touch(node_only.path(), "/usr/lib/llvm-14/lib/libclang.so");
    touch(
        node_only.path(),
        "/usr/lib/llvm-14/lib/clang/14/include/stddef.h",
    );
    assert_eq!(missing(node_only.path()), vec!["npm"]);
}
