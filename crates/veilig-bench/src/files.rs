//! Inputs for the import benchmark: a synthetic zone of Voronoi wijken over a 30 × 30 km
//! square of Flanders and incidents in the Belgian export's shape, with its mapping.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use veilig_demo::geo::{to_multipolygon, voronoi_cell};
use veilig_demo::rng::Rng;
use veilig_domain::Projector;

/// Writes `areas.geojson`, `incidents.csv` and `incidents.toml` to `out`: `rows` incidents
/// over `years` years (one year: 2025) in `areas` wijken, drawn from `seed`.
pub fn write_inputs(rows: u64, areas: u32, out: &Path, seed: u64, years: u32) -> Result<()> {
    std::fs::create_dir_all(out)?;
    anyhow::ensure!((1..=100).contains(&years), "--years: 1 to 100");
    let mut rng = Rng::new(seed);
    // A 30 × 30 km square of Flanders in Lambert 2008, cut into `areas` Voronoi cells.
    let (x0, y0, side) = (680_000.0, 690_000.0, 30_000.0);
    let seeds: Vec<[f64; 2]> = (0..areas)
        .map(|_| [x0 + rng.uniform() * side, y0 + rng.uniform() * side])
        .collect();
    let back = Projector::new(3812, 4326)?;
    let mut features = Vec::new();
    for i in 0..seeds.len() {
        let cell = to_multipolygon(&voronoi_cell(&seeds, i, [x0, y0], [x0 + side, y0 + side]));
        let geometry = cell.to_geojson(|x, y| back.project(x, y).unwrap_or((f64::NAN, f64::NAN)));
        features.push(serde_json::json!({"type": "Feature", "properties": {"code": format!("A{i:03}"), "name": format!("Area {i}")}, "geometry": geometry}));
    }
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(out.join("areas.geojson"), serde_json::to_vec(&fc)?)?;
    let cats = [
        "woninginbraak",
        "fietsdiefstal",
        "vandalisme",
        "overlast",
        "drugs",
        "verkeersongeval",
        "winkeldiefstal",
        "fraude",
    ];
    let path = out.join("incidents.csv");
    let mut w =
        BufWriter::new(std::fs::File::create(&path).with_context(|| path.display().to_string())?);
    writeln!(w, "id;feit;begin;einde;x;y;straat")?;
    for n in 0..rows {
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        // One year draws nothing, so the default file stays what it always was.
        let year = match years as usize {
            1 => 2025,
            n => 2026 - n + rng.below(n),
        };
        let hour = rng.below(23);
        let x = x0 + rng.uniform() * side;
        let y = y0 + rng.uniform() * side;
        writeln!(
            w,
            "B{n:08};{};{day:02}/{month:02}/{year} {hour:02}:{:02};{day:02}/{month:02}/{year} {:02}:00;{};{};Benchstraat {}",
            cats[rng.below(cats.len())],
            rng.below(60),
            hour + 1,
            format!("{x:.2}").replace('.', ","),
            format!("{y:.2}").replace('.', ","),
            rng.below(300)
        )?;
    }
    w.flush()?;
    std::fs::write(
        out.join("incidents.toml"),
        "source = \"bench\"\ndelimiter = \";\"\ndecimal = \",\"\ncrs = 3812\ndatetime_formats = [\"%d/%m/%Y %H:%M\"]\n[columns]\nid = \"id\"\ncategory = \"feit\"\noccurred_from = \"begin\"\noccurred_to = \"einde\"\nx = \"x\"\ny = \"y\"\naddress = \"straat\"\n",
    )?;
    Ok(())
}
