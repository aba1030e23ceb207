//! How concentrated: repeat locations and the share of incidents at the top places.

use std::collections::HashMap;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Concentration {
    /// Distinct places (or areas) with at least one incident.
    pub places: usize,
    pub incidents: usize,
    /// Places with two incidents or more, and the incidents there.
    pub repeat_places: usize,
    pub incidents_at_repeat_places: usize,
    /// (share of places, share of incidents there), for the top 1, 5, 10, 20 and 50 % places.
    pub top: Vec<(f64, f64)>,
    /// The smallest share of places that holds half of the incidents, and 80 %.
    pub places_for_half: f64,
    pub places_for_80: f64,
}

/// Concentration over places given as keys (e.g. a location rounded to the metre, an address
/// or an area id). Shares are of the places that have incidents.
pub fn concentration<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> Concentration {
    let mut by: HashMap<K, usize> = HashMap::new();
    for k in keys {
        *by.entry(k).or_default() += 1;
    }
    let mut counts: Vec<usize> = by.into_values().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let n: usize = counts.iter().sum();
    let places = counts.len();
    let share_of_top = |frac: f64| {
        let k = ((places as f64 * frac).ceil() as usize).min(places);
        counts[..k].iter().sum::<usize>() as f64 / n.max(1) as f64
    };
    let places_for = |target: f64| {
        let mut acc = 0;
        for (i, c) in counts.iter().enumerate() {
            acc += c;
            if acc as f64 >= target * n as f64 {
                return (i + 1) as f64 / places as f64;
            }
        }
        1.0
    };
    Concentration {
        places,
        incidents: n,
        repeat_places: counts.iter().filter(|c| **c >= 2).count(),
        incidents_at_repeat_places: counts.iter().filter(|c| **c >= 2).sum(),
        top: [0.01, 0.05, 0.10, 0.20, 0.50]
            .iter()
            .map(|f| (*f, share_of_top(*f)))
            .collect(),
        places_for_half: places_for(0.5),
        places_for_80: places_for(0.8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_places_one_hot() {
        // One place with 11 incidents, nine with 1: 20 incidents over 10 places.
        let keys = std::iter::repeat_n(0, 11).chain(1..10);
        let c = concentration(keys);
        assert_eq!(
            (
                c.places,
                c.incidents,
                c.repeat_places,
                c.incidents_at_repeat_places
            ),
            (10, 20, 1, 11)
        );
        assert_eq!(c.top[2], (0.10, 0.55));
        assert_eq!(c.places_for_half, 0.1);
        assert_eq!(c.places_for_80, 0.6);
    }
}
