//! Counts on H3 cells (Uber's hierarchical hexagonal grid, h3geo.org): equal-area-ish cells
//! that tile the globe, so figures can be shared across zones without a common projection.

use h3o::{LatLng, Resolution};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HexCell {
    /// The H3 index in hexadecimal.
    pub cell: String,
    pub count: u64,
    /// The cell's outline as (longitude, latitude) pairs.
    pub boundary: Vec<(f64, f64)>,
}

/// Counts of points given as (longitude, latitude) in degrees, per H3 cell of `resolution`
/// (0-15; 9 has cells of about 0.1 km²), busiest first.
pub fn h3_counts(lnglat: &[(f64, f64)], resolution: u8) -> Result<Vec<HexCell>, String> {
    let res =
        Resolution::try_from(resolution).map_err(|e| format!("H3 resolution {resolution}: {e}"))?;
    let mut by: std::collections::HashMap<h3o::CellIndex, u64> = Default::default();
    for &(lng, lat) in lnglat {
        let ll = LatLng::new(lat, lng).map_err(|e| format!("({lng}, {lat}): {e}"))?;
        *by.entry(ll.to_cell(res)).or_default() += 1;
    }
    let mut out: Vec<HexCell> = by
        .into_iter()
        .map(|(c, count)| HexCell {
            cell: c.to_string(),
            count,
            boundary: c.boundary().iter().map(|p| (p.lng(), p.lat())).collect(),
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.cell.cmp(&b.cell)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference: the official Python bindings, `h3` 4.5.0 (PyPI), `latlng_to_cell(lat, lng, res)`.
    #[test]
    fn cells_match_the_reference_implementation() {
        let c = h3_counts(&[(5.1163, 51.1917)], 9).unwrap();
        assert_eq!(c[0].cell, "891fa431243ffff");
        assert_eq!(c[0].boundary.len(), 6);
        let t = h3_counts(&[(-79.38, 43.65), (-79.38, 43.65)], 9).unwrap();
        assert_eq!((t[0].cell.as_str(), t[0].count), ("892b9bc468fffff", 2));
        assert_eq!(
            h3_counts(&[(-79.38, 43.65)], 8).unwrap()[0].cell,
            "882b9bc469fffff"
        );
        assert!(h3_counts(&[(0.0, 0.0)], 16).is_err());
        assert!(h3_counts(&[(f64::NAN, 0.0)], 9).is_err());
    }
}
