//! The demo zone's synthetic geography: wijken as Voronoi cells of seed points around the
//! real centres of Balen, Dessel and Mol, clipped to a box; each cell is the intersection of
//! half-planes "closer to my seed than to that one" (Sutherland-Hodgman clipping).

use veilig_domain::{MultiPolygon, Polygon};

pub type Pt = [f64; 2];

/// Keeps the part of a convex polygon on the side of the line where `f(p) <= 0`, with `f`
/// affine: `f(p) = a·x + b·y - c`.
fn clip(poly: &[Pt], a: f64, b: f64, c: f64) -> Vec<Pt> {
    let f = |p: &Pt| a * p[0] + b * p[1] - c;
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
        let (fp, fq) = (f(&p), f(&q));
        if fp <= 0.0 {
            out.push(p);
        }
        if (fp < 0.0 && fq > 0.0) || (fp > 0.0 && fq < 0.0) {
            let t = fp / (fp - fq);
            out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
        }
    }
    out
}

/// The Voronoi cell of `seeds[i]` within the rectangle `(min, max)`.
pub fn voronoi_cell(seeds: &[Pt], i: usize, min: Pt, max: Pt) -> Vec<Pt> {
    let mut poly = vec![min, [max[0], min[1]], max, [min[0], max[1]]];
    let s = seeds[i];
    for (j, o) in seeds.iter().enumerate() {
        if j == i {
            continue;
        }
        // |p - s|² <= |p - o|²  ⇔  2(o - s)·p <= |o|² - |s|²
        let a = 2.0 * (o[0] - s[0]);
        let b = 2.0 * (o[1] - s[1]);
        let c = o[0] * o[0] + o[1] * o[1] - s[0] * s[0] - s[1] * s[1];
        poly = clip(&poly, a, b, c);
    }
    poly
}

pub fn to_multipolygon(cell: &[Pt]) -> MultiPolygon {
    let mut ring = cell.to_vec();
    ring.push(cell[0]);
    MultiPolygon(vec![Polygon {
        exterior: ring,
        holes: vec![],
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_tile_the_box() {
        let seeds = [[1.0, 1.0], [8.0, 2.0], [5.0, 8.0], [2.0, 6.0]];
        let total: f64 = (0..seeds.len())
            .map(|i| to_multipolygon(&voronoi_cell(&seeds, i, [0.0, 0.0], [10.0, 10.0])).area())
            .sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
        let c0 = to_multipolygon(&voronoi_cell(&seeds, 0, [0.0, 0.0], [10.0, 10.0]));
        assert!(c0.contains(1.0, 1.0) && !c0.contains(8.0, 2.0));
    }
}
