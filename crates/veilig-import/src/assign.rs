//! Assigning points to areas: an R-tree over the areas' bounding boxes narrows the
//! candidates, then an exact point-in-polygon test decides. Where areas overlap (they should
//! not), the area with the lowest code wins, so the result does not depend on load order.

use rstar::{AABB, RTree, RTreeObject};
use veilig_domain::Area;

struct Entry {
    envelope: AABB<[f64; 2]>,
    index: usize,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

pub struct AreaIndex {
    areas: Vec<Area>,
    /// The envelope of all areas grown by a quarter of its larger side: where the zone's
    /// points can lie (None without areas).
    extent: Option<AABB<[f64; 2]>>,
    tree: RTree<Entry>,
    codes: std::collections::HashMap<String, i64>,
}

impl AreaIndex {
    pub fn new(mut areas: Vec<Area>) -> AreaIndex {
        areas.sort_by(|a, b| a.code.cmp(&b.code));
        let entries = areas
            .iter()
            .enumerate()
            .map(|(index, a)| {
                let b = a.geometry.bbox();
                Entry {
                    envelope: AABB::from_corners([b.min_x, b.min_y], [b.max_x, b.max_y]),
                    index,
                }
            })
            .collect();
        let codes = areas.iter().map(|a| (a.code.clone(), a.id)).collect();
        let extent = areas
            .iter()
            .map(|a| a.geometry.bbox())
            .reduce(|a, b| a.union(&b))
            .map(|b| {
                let m = 0.25 * (b.max_x - b.min_x).max(b.max_y - b.min_y);
                AABB::from_corners([b.min_x - m, b.min_y - m], [b.max_x + m, b.max_y + m])
            });
        AreaIndex {
            areas,
            extent,
            tree: RTree::bulk_load(entries),
            codes,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// Whether `(x, y)` lies near the zone's areas (true when there are none to judge by).
    pub fn near(&self, x: f64, y: f64) -> bool {
        self.extent
            .is_none_or(|e| rstar::Envelope::contains_point(&e, &[x, y]))
    }

    /// The id of the area with this code (for rows that name their area but have no point).
    pub fn by_code(&self, code: &str) -> Option<i64> {
        self.codes.get(code).copied()
    }

    /// The id of the area containing `(x, y)`, if any.
    pub fn locate(&self, x: f64, y: f64) -> Option<i64> {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_point([x, y]))
            .map(|e| e.index)
            .filter(|&i| self.areas[i].geometry.contains(x, y))
            .min()
            .map(|i| self.areas[i].id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use veilig_domain::{MultiPolygon, Polygon};

    fn area(id: i64, code: &str, x0: f64, y0: f64, s: f64) -> Area {
        Area {
            id,
            code: code.into(),
            name: code.into(),
            kind: "wijk".into(),
            municipality_nis: None,
            geometry: MultiPolygon(vec![Polygon {
                exterior: vec![[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s]],
                holes: vec![],
            }]),
            synthetic: false,
        }
    }

    #[test]
    fn locates_by_polygon_not_just_bbox() {
        // A triangle whose bbox covers (9, 1) but whose interior does not.
        let tri = Area {
            geometry: MultiPolygon(vec![Polygon {
                exterior: vec![[0.0, 0.0], [10.0, 10.0], [0.0, 10.0]],
                holes: vec![],
            }]),
            ..area(7, "t", 0.0, 0.0, 0.0)
        };
        let idx = AreaIndex::new(vec![tri, area(8, "z", 20.0, 0.0, 5.0)]);
        assert_eq!(idx.locate(1.0, 9.0), Some(7));
        assert_eq!(idx.locate(9.0, 1.0), None);
        assert_eq!(idx.locate(21.0, 1.0), Some(8));
    }

    #[test]
    fn overlap_goes_to_lowest_code() {
        let idx = AreaIndex::new(vec![
            area(2, "b", 0.0, 0.0, 10.0),
            area(1, "a", 5.0, 5.0, 10.0),
        ]);
        assert_eq!(idx.locate(7.0, 7.0), Some(1));
        assert_eq!(idx.locate(1.0, 1.0), Some(2));
    }
}
