//! Leaflet and htmx come from the npm registry (`web/package.json`, installed by
//! `scripts/setup`) and are embedded in the binary. Without them the build still works: maps
//! fall back to server-rendered SVG and filters reload the page.
fn main() {
    let dir = std::path::Path::new("../../web/node_modules");
    let _ = std::fs::create_dir_all(dir);
    for f in [
        "../../web/node_modules/leaflet/dist/leaflet.js",
        "../../web/node_modules/htmx.org/dist/htmx.min.js",
        "../../web/package-lock.json",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
