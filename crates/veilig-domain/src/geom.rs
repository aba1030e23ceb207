//! Planar polygons in a projected CRS: just what area assignment and maps need.
//!
//! Containment uses the even-odd (crossing number) rule: a point is inside when a ray from it
//! crosses the boundary an odd number of times (Shimrat 1962, "Algorithm 112: Position of
//! point relative to polygon", CACM 5(8):434). Holes fall out of the same rule because their
//! rings add crossings. A point exactly on an edge may land on either side, as with any
//! floating-point test; wijk borders follow streets, so no incident sits on one exactly.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Axis-aligned bounding box.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl BBox {
    pub const EMPTY: BBox = BBox {
        min_x: f64::INFINITY,
        min_y: f64::INFINITY,
        max_x: f64::NEG_INFINITY,
        max_y: f64::NEG_INFINITY,
    };

    pub fn extend(&mut self, x: f64, y: f64) {
        self.min_x = self.min_x.min(x);
        self.min_y = self.min_y.min(y);
        self.max_x = self.max_x.max(x);
        self.max_y = self.max_y.max(y);
    }

    pub fn union(mut self, o: &BBox) -> BBox {
        self.extend(o.min_x, o.min_y);
        self.extend(o.max_x, o.max_y);
        self
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.min_x && x <= self.max_x && y >= self.min_y && y <= self.max_y
    }
}

/// A ring is a closed sequence of points; the closing point may or may not be repeated.
pub type Ring = Vec<[f64; 2]>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon {
    pub exterior: Ring,
    pub holes: Vec<Ring>,
}

fn ring_crossings(ring: &Ring, x: f64, y: f64) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let [xi, yi] = ring[i];
        let [xj, yj] = ring[j];
        if (yi > y) != (yj > y) {
            let x_cross = xi + (y - yi) * (xj - xi) / (yj - yi);
            if x < x_cross {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Twice the signed area (shoelace); positive for counter-clockwise rings.
fn ring_area2(ring: &Ring) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let [x1, y1] = ring[i];
            let [x2, y2] = ring[(i + 1) % n];
            x1 * y2 - x2 * y1
        })
        .sum()
}

impl Polygon {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        ring_crossings(&self.exterior, x, y) && !self.holes.iter().any(|h| ring_crossings(h, x, y))
    }

    pub fn area(&self) -> f64 {
        (ring_area2(&self.exterior).abs()
            - self.holes.iter().map(|h| ring_area2(h).abs()).sum::<f64>())
            / 2.0
    }
}

/// One or more polygons: a wijk may have exclaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiPolygon(pub Vec<Polygon>);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct GeometryError(pub String);

impl MultiPolygon {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        self.0.iter().any(|p| p.contains(x, y))
    }

    pub fn bbox(&self) -> BBox {
        let mut b = BBox::EMPTY;
        for p in &self.0 {
            for &[x, y] in &p.exterior {
                b.extend(x, y);
            }
        }
        b
    }

    pub fn area(&self) -> f64 {
        self.0.iter().map(Polygon::area).sum()
    }

    /// Reads a GeoJSON `Polygon` or `MultiPolygon` geometry, mapping every coordinate through
    /// `f` (e.g. a projection); the first error from `f` aborts.
    pub fn from_geojson<E: std::fmt::Display>(
        geometry: &Value,
        mut f: impl FnMut(f64, f64) -> Result<(f64, f64), E>,
    ) -> Result<MultiPolygon, GeometryError> {
        let kind = geometry
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| GeometryError("geometry has no \"type\"".into()))?;
        let coords = geometry
            .get("coordinates")
            .ok_or_else(|| GeometryError("geometry has no \"coordinates\"".into()))?;
        let mut read_polygon = |v: &Value| -> Result<Polygon, GeometryError> {
            let rings = v
                .as_array()
                .ok_or_else(|| GeometryError("polygon is not an array of rings".into()))?;
            let mut out = Vec::with_capacity(rings.len());
            for ring in rings {
                let pts = ring
                    .as_array()
                    .ok_or_else(|| GeometryError("ring is not an array of positions".into()))?;
                let mut r = Vec::with_capacity(pts.len());
                for p in pts {
                    let x = p.get(0).and_then(Value::as_f64);
                    let y = p.get(1).and_then(Value::as_f64);
                    let (Some(x), Some(y)) = (x, y) else {
                        return Err(GeometryError(format!("position {p} is not [x, y]")));
                    };
                    let (px, py) = f(x, y).map_err(|e| GeometryError(e.to_string()))?;
                    r.push([px, py]);
                }
                if r.len() < 4 {
                    return Err(GeometryError("a ring needs at least 4 positions".into()));
                }
                out.push(r);
            }
            let mut it = out.into_iter();
            let exterior = it
                .next()
                .ok_or_else(|| GeometryError("polygon has no exterior ring".into()))?;
            Ok(Polygon {
                exterior,
                holes: it.collect(),
            })
        };
        match kind {
            "Polygon" => Ok(MultiPolygon(vec![read_polygon(coords)?])),
            "MultiPolygon" => {
                let polys = coords.as_array().ok_or_else(|| {
                    GeometryError("MultiPolygon coordinates are not an array".into())
                })?;
                let polys = polys
                    .iter()
                    .map(read_polygon)
                    .collect::<Result<Vec<_>, _>>()?;
                if polys.is_empty() {
                    return Err(GeometryError("MultiPolygon is empty".into()));
                }
                Ok(MultiPolygon(polys))
            }
            other => Err(GeometryError(format!(
                "geometry type {other} is not a Polygon or MultiPolygon"
            ))),
        }
    }

    /// A GeoJSON `MultiPolygon` geometry, coordinates mapped through `f`.
    pub fn to_geojson(&self, mut f: impl FnMut(f64, f64) -> (f64, f64)) -> Value {
        let mut ring = |r: &Ring| -> Value {
            Value::Array(
                r.iter()
                    .map(|&[x, y]| {
                        let (a, b) = f(x, y);
                        json!([a, b])
                    })
                    .collect(),
            )
        };
        let polys: Vec<Value> = self
            .0
            .iter()
            .map(|p| {
                let mut rings = vec![ring(&p.exterior)];
                rings.extend(p.holes.iter().map(&mut ring));
                Value::Array(rings)
            })
            .collect();
        json!({"type": "MultiPolygon", "coordinates": polys})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Ring {
        vec![
            [x0, y0],
            [x0 + s, y0],
            [x0 + s, y0 + s],
            [x0, y0 + s],
            [x0, y0],
        ]
    }

    #[test]
    fn square_with_hole() {
        let p = Polygon {
            exterior: square(0.0, 0.0, 10.0),
            holes: vec![square(4.0, 4.0, 2.0)],
        };
        assert!(p.contains(1.0, 1.0));
        assert!(!p.contains(5.0, 5.0), "inside the hole");
        assert!(!p.contains(11.0, 5.0));
        assert!((p.area() - 96.0).abs() < 1e-9);
    }

    #[test]
    fn concave_polygon() {
        // A "U": the notch (4..6 × 3..10) is outside.
        let u = Polygon {
            exterior: vec![
                [0.0, 0.0],
                [10.0, 0.0],
                [10.0, 10.0],
                [6.0, 10.0],
                [6.0, 3.0],
                [4.0, 3.0],
                [4.0, 10.0],
                [0.0, 10.0],
            ],
            holes: vec![],
        };
        assert!(u.contains(2.0, 8.0));
        assert!(u.contains(8.0, 8.0));
        assert!(!u.contains(5.0, 8.0));
        assert!(u.contains(5.0, 1.0));
    }

    #[test]
    fn geojson_round_trip_and_errors() {
        let g = json!({"type": "Polygon", "coordinates": [[[0,0],[2,0],[2,2],[0,2],[0,0]]]});
        let mp =
            MultiPolygon::from_geojson(&g, |x, y| Ok::<_, String>((x * 10.0, y * 10.0))).unwrap();
        assert!(mp.contains(10.0, 10.0));
        assert_eq!(mp.bbox().max_x, 20.0);
        let back = mp.to_geojson(|x, y| (x / 10.0, y / 10.0));
        assert_eq!(back["coordinates"][0][0][2], json!([2.0, 2.0]));
        let bad = json!({"type": "Point", "coordinates": [0, 0]});
        assert!(MultiPolygon::from_geojson(&bad, |x, y| Ok::<_, String>((x, y))).is_err());
    }
}
