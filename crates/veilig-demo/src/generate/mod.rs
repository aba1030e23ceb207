//! Generates the demo zone's data from a seed. Pure: no store, no clock.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::Serialize;
use veilig_domain::{
    CallForService, Location, MultiPolygon, Municipality, NewArea, NewIncident, NisCode,
    PopulationLevel, PopulationRecord, Projector, StaffMember, StatCategoryKind, StatCount,
};

use crate::geo::{Pt, to_multipolygon, voronoi_cell};
use crate::profiles::{HOTSPOTS, Place, Profile, profiles};
use crate::rng::Rng;

mod staff;
mod tables;

use staff::staff;
use tables::{population, statistics};

/// The first day of synthetic data.
pub const START: (i32, u32, u32) = (2019, 1, 1);
/// The last day: the demo's "extraction date", a few weeks before the product's first use.
pub const END: (i32, u32, u32) = (2026, 10, 31);
/// Demo zone working CRS: Belgian Lambert 2008.
pub const CRS: i32 = 3812;

/// The three municipalities of PZ Balen-Dessel-Mol with their real NIS codes, their centres
/// (WGS84, approximate) and populations rounded to the hundred. The populations are
/// approximately real (order of magnitude of Statbel's recent figures, about 70,500 in all)
/// and are NOT official figures.
pub const MUNICIPALITIES: &[(&str, &str, f64, f64, f64)] = &[
    ("13003", "Balen", 5.1706, 51.1686, 23_100.0),
    ("13006", "Dessel", 5.1133, 51.2386, 10_100.0),
    ("13025", "Mol", 5.1163, 51.1917, 37_300.0),
];

/// Synthetic wijken: (code, name, municipality NIS, metres east and north of Mol centre,
/// relative population weight). Names are those of real parts of the municipalities; the
/// polygons are invented (Voronoi cells around these points).
const WIJKEN: &[(&str, &str, &str, f64, f64, f64)] = &[
    ("MOL-01", "Mol-Centrum", "13025", 0.0, 0.0, 2.2),
    ("MOL-02", "Rozenberg", "13025", 1_600.0, -1_200.0, 1.2),
    ("MOL-03", "Ezaart", "13025", -1_500.0, 1_700.0, 1.1),
    ("MOL-04", "Millegem", "13025", -2_200.0, -1_600.0, 0.9),
    ("MOL-05", "Achterbos", "13025", 3_000.0, 3_200.0, 0.8),
    ("MOL-06", "Gompel", "13025", 2_600.0, -3_000.0, 0.7),
    ("MOL-07", "Sluis", "13025", -3_500.0, 3_500.0, 0.8),
    ("MOL-08", "Donk", "13025", -4_800.0, -300.0, 0.7),
    ("MOL-09", "Wezel", "13025", 4_100.0, 700.0, 0.6),
    ("BAL-01", "Balen-Centrum", "13003", 4_300.0, -2_700.0, 2.0),
    ("BAL-02", "Olmen", "13003", 7_200.0, -4_300.0, 1.0),
    ("BAL-03", "Hulsen", "13003", 6_600.0, -1_000.0, 0.8),
    ("BAL-04", "Schoor", "13003", 5_600.0, -5_400.0, 0.7),
    ("BAL-05", "Veldhoven", "13003", 3_300.0, -5_300.0, 0.7),
    ("BAL-06", "Gerheide", "13003", 8_300.0, -1_900.0, 0.6),
    ("DES-01", "Dessel-Centrum", "13006", -250.0, 5_200.0, 1.6),
    ("DES-02", "Witgoor", "13006", -2_300.0, 6_700.0, 0.8),
    ("DES-03", "Brasel", "13006", 1_600.0, 6_600.0, 0.7),
];

/// Main roads for traffic collisions, as pairs of wijk seeds (index into `WIJKEN`).
const ROADS: &[(usize, usize)] = &[
    (0, 9),
    (0, 15),
    (0, 7),
    (9, 10),
    (0, 4),
    (0, 3),
    (15, 16),
    (9, 13),
];

/// Everything the demo zone holds.
#[derive(Debug, Clone, Serialize)]
pub struct DemoData {
    pub seed: u64,
    pub municipalities: Vec<Municipality>,
    pub areas: Vec<NewArea>,
    pub population: Vec<PopulationRecord>,
    pub incidents: Vec<NewIncident>,
    pub calls: Vec<CallForService>,
    pub staff: Vec<StaffMember>,
    pub statistics: Vec<StatCount>,
}

/// The centre of a persistent hotspot (index into `HOTSPOTS`) in the zone's CRS.
pub fn hotspot_centre(h: usize) -> (f64, f64) {
    let to08 = Projector::new(4326, CRS).expect("known CRS");
    let (mx, my) = to08.project(5.1163, 51.1917).expect("Mol centre projects");
    let (_, dx, dy, _) = HOTSPOTS[h];
    (mx + dx, my + dy)
}

struct Layout {
    mol: Pt,
    min: Pt,
    max: Pt,
    seeds: Vec<Pt>,
    cells: Vec<MultiPolygon>,
    /// Inhabitants per wijk (2019).
    people: Vec<f64>,
}

impl Layout {
    fn new(rng: &mut Rng) -> Layout {
        let to08 = Projector::new(4326, CRS).expect("known CRS");
        let (mx, my) = to08.project(5.1163, 51.1917).expect("Mol centre projects");
        let mol = [mx, my];
        let min = [mx - 7_500.0, my - 6_800.0];
        let max = [mx + 9_800.0, my + 8_200.0];
        let seeds: Vec<Pt> = WIJKEN.iter().map(|w| [mx + w.3, my + w.4]).collect();
        let cells = (0..seeds.len())
            .map(|i| to_multipolygon(&voronoi_cell(&seeds, i, min, max)))
            .collect();
        let mut people = vec![0.0; WIJKEN.len()];
        for (nis, _, _, _, pop) in MUNICIPALITIES {
            let idx: Vec<usize> = (0..WIJKEN.len()).filter(|&i| WIJKEN[i].2 == *nis).collect();
            let weights: Vec<f64> = idx
                .iter()
                .map(|&i| WIJKEN[i].5 * rng.range(0.85, 1.15))
                .collect();
            let total: f64 = weights.iter().sum();
            for (k, &i) in idx.iter().enumerate() {
                people[i] = (pop * weights[k] / total).round();
            }
        }
        Layout {
            mol,
            min,
            max,
            seeds,
            cells,
            people,
        }
    }

    fn inside_zone(&self, p: Pt) -> bool {
        p[0] > self.min[0] && p[0] < self.max[0] && p[1] > self.min[1] && p[1] < self.max[1]
    }

    /// A point near homes: a wijk by population, then a point in it, denser near its centre.
    fn home_point(&self, rng: &mut Rng) -> Pt {
        let w = rng.weighted(&self.people);
        let cell = &self.cells[w];
        let b = cell.bbox();
        for _ in 0..200 {
            let p = if rng.chance(0.55) {
                [
                    self.seeds[w][0] + 600.0 * rng.normal(),
                    self.seeds[w][1] + 600.0 * rng.normal(),
                ]
            } else {
                [rng.range(b.min_x, b.max_x), rng.range(b.min_y, b.max_y)]
            };
            if cell.contains(p[0], p[1]) {
                return p;
            }
        }
        self.seeds[w]
    }

    fn hotspot_point(&self, rng: &mut Rng, h: usize) -> Pt {
        let (_, dx, dy, sigma) = HOTSPOTS[h];
        [
            self.mol[0] + dx + sigma * rng.normal(),
            self.mol[1] + dy + sigma * rng.normal(),
        ]
    }

    fn road_point(&self, rng: &mut Rng) -> Pt {
        let (a, b) = ROADS[rng.below(ROADS.len())];
        let (p, q) = (self.seeds[a], self.seeds[b]);
        let t = rng.uniform();
        let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let off = 35.0 * rng.normal();
        [
            p[0] + t * dx - off * dy / len,
            p[1] + t * dy + off * dx / len,
        ]
    }

    fn wijk_of(&self, p: Pt) -> Option<usize> {
        self.cells.iter().position(|c| c.contains(p[0], p[1]))
    }
}

fn date(t: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(t.0, t.1, t.2).expect("valid date")
}

fn years_since_start(d: NaiveDate) -> f64 {
    (d - date(START)).num_days() as f64 / 365.25
}

fn at(d: NaiveDate, hour: usize, minute: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(hour as u32, minute, 0).expect("valid time"))
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

const OUTCOMES: &[(&str, f64)] = &[
    ("Lopend onderzoek", 3.0),
    ("Geseponeerd: dader onbekend", 4.0),
    ("Verdachte geïdentificeerd", 2.0),
    ("Doorgestuurd naar parket", 1.0),
];

struct EventMaker<'a> {
    layout: &'a Layout,
    seed: u64,
    n: u64,
}

impl EventMaker<'_> {
    fn make(&mut self, rng: &mut Rng, p: &Profile, start: NaiveDateTime, point: Pt) -> NewIncident {
        self.n += 1;
        let window = if p.window_hours.1 > 0.0 {
            rng.range(p.window_hours.0, p.window_hours.1)
        } else {
            0.0
        };
        let end = start + Duration::minutes((window * 60.0) as i64);
        let delay_h = match p.code {
            "fraude" => rng.exponential(24.0 * 6.0),
            "woninginbraak" | "inbraak-bedrijf" | "diefstal-uit-voertuig" | "fietsdiefstal" => {
                rng.exponential(6.0)
            }
            _ => rng.exponential(2.0),
        };
        let wijk = self.layout.wijk_of(point);
        let (wname, mname) = match wijk {
            Some(w) => (
                WIJKEN[w].1,
                MUNICIPALITIES
                    .iter()
                    .find(|m| m.0 == WIJKEN[w].2)
                    .map(|m| m.1)
                    .unwrap_or(""),
            ),
            None => ("buiten de wijken", ""),
        };
        let weights: Vec<f64> = OUTCOMES.iter().map(|o| o.1).collect();
        NewIncident {
            source_key: format!("demo-{}-{:06}", self.seed, self.n),
            category: p.code.to_string(),
            phenomenon: p.code.to_string(),
            occurred_from: start,
            occurred_to: end,
            reported_at: Some(end + Duration::minutes((delay_h * 60.0) as i64 + 5)),
            location: Some(Location {
                x: point[0],
                y: point[1],
                orig_x: point[0],
                orig_y: point[1],
                orig_crs: CRS,
            }),
            address: Some(format!(
                "Synthetische straat {} ({wname}, {mname})",
                1 + rng.below(120)
            )),
            source_area: None,
            area_id: None,
            premises: Some(p.premises[rng.below(p.premises.len())].to_string()),
            outcome: Some(OUTCOMES[rng.weighted(&weights)].0.to_string()),
            synthetic: true,
        }
    }
}

fn incidents(rng: &Rng, layout: &Layout, seed: u64) -> Vec<NewIncident> {
    let (first, last) = (date(START), date(END));
    let mut out = Vec::new();
    let mut maker = EventMaker { layout, seed, n: 0 };
    for p in profiles() {
        let mut r = rng.fork(p.code);
        let week_mean = p.weekday.iter().sum::<f64>() / 7.0;
        let season_mean = p.season.iter().sum::<f64>() / 12.0;
        let mut primaries = Vec::new();
        let mut d = first;
        while d <= last {
            let lambda = p.per_year / 365.25
                * p.trend.powf(years_since_start(d))
                * p.season[d.month0() as usize]
                / season_mean
                * p.weekday[d.weekday().num_days_from_monday() as usize]
                / week_mean;
            for _ in 0..r.poisson(lambda) {
                let hours = if is_weekend(d) {
                    &p.hours_weekend
                } else {
                    &p.hours_week
                };
                let start = at(d, r.weighted(hours), r.below(60) as u32);
                let (point, hotspot) = if r.chance(p.hotspot_share) {
                    let ws: Vec<f64> = p.hotspots.iter().map(|h| h.1).collect();
                    let h = p.hotspots[r.weighted(&ws)].0;
                    (layout.hotspot_point(&mut r, h), Some(h))
                } else {
                    match p.place {
                        Place::Homes => (layout.home_point(&mut r), None),
                        Place::Roads => (layout.road_point(&mut r), None),
                    }
                };
                // A guarded bike parking opened at Mol station on 1 September 2024: bike
                // thefts there fall by about 60 % (an effect the plan evaluation should find).
                if p.code == "fietsdiefstal"
                    && hotspot == Some(0)
                    && d >= date((2024, 9, 1))
                    && r.chance(0.6)
                {
                    continue;
                }
                if !layout.inside_zone(point) {
                    continue;
                }
                let inc = maker.make(&mut r, &p, start, point);
                primaries.push(inc);
            }
            d += Duration::days(1);
        }
        // Near-repeat chains: each fact may be followed, close by and soon after, by others
        // (a burglar returning to a street that paid off), a branching process with mean
        // offspring `repeat_ratio` per fact, at most three generations.
        let mut generation = primaries.clone();
        for _ in 0..3 {
            if p.repeat_ratio <= 0.0 {
                break;
            }
            let mut next = Vec::new();
            for parent in &generation {
                for _ in 0..r.poisson(p.repeat_ratio) {
                    let dt_days = 1.0 + r.exponential(4.0).min(27.0);
                    let dist = r.exponential(110.0).min(450.0);
                    let angle = r.range(0.0, std::f64::consts::TAU);
                    let loc = parent.location.expect("demo incidents are located");
                    let point = [loc.x + dist * angle.cos(), loc.y + dist * angle.sin()];
                    let day = parent.occurred_from.date() + Duration::days(dt_days as i64);
                    if day > last || !layout.inside_zone(point) {
                        continue;
                    }
                    let hours = if is_weekend(day) {
                        &p.hours_weekend
                    } else {
                        &p.hours_week
                    };
                    let start = at(day, r.weighted(hours), r.below(60) as u32);
                    next.push(maker.make(&mut r, &p, start, point));
                }
            }
            primaries.extend(next.iter().cloned());
            generation = next;
        }
        out.extend(primaries);
    }
    out.sort_by(|a, b| {
        a.occurred_from
            .cmp(&b.occurred_from)
            .then(a.source_key.cmp(&b.source_key))
    });
    out
}

fn calls(rng: &Rng, layout: &Layout, seed: u64) -> Vec<CallForService> {
    let mut r = rng.fork("calls");
    // Response times draw from their own stream, so the calls themselves stay as they were.
    let mut rt = rng.fork("calls-response");
    // Calls per hour of day (relative), busier in the evening and at weekend nights.
    let week: Vec<f64> = (0..24)
        .map(|h| 0.45 + 0.9 * (-(((h as f64) - 17.0).powi(2)) / 40.0).exp())
        .collect();
    let weekend: Vec<f64> = (0..24)
        .map(|h| {
            0.6 + 0.8 * (-(((h as f64) - 21.0).powi(2)) / 30.0).exp()
                + if h < 4 { 0.5 } else { 0.0 }
        })
        .collect();
    let week_mean = week.iter().sum::<f64>() / 24.0;
    let weekend_mean = weekend.iter().sum::<f64>() / 24.0;
    let cats = [
        ("verkeer", 3.0),
        ("overlast", 3.0),
        ("geweld", 1.5),
        ("diefstal", 2.0),
        ("hulpverlening", 2.0),
        ("alarm", 1.5),
        ("familiaal", 1.0),
        ("andere", 1.5),
    ];
    let cat_w: Vec<f64> = cats.iter().map(|c| c.1).collect();
    let mut out = Vec::new();
    let (first, last) = (date(START), date(END));
    let mut d = first;
    let mut n = 0u64;
    while d <= last {
        let (prof, mean) = if is_weekend(d) {
            (&weekend, weekend_mean)
        } else {
            (&week, week_mean)
        };
        let season = if (6..=8).contains(&d.month()) {
            1.1
        } else {
            1.0
        };
        for (h, w) in prof.iter().enumerate() {
            let lambda =
                11_500.0 / 8_766.0 * 1.01f64.powf(years_since_start(d)) * season * w / mean;
            for _ in 0..r.poisson(lambda) {
                n += 1;
                let night = !(7..22).contains(&h);
                let priority = match r.weighted(&[if night { 0.16 } else { 0.11 }, 0.40, 0.48]) {
                    0 => ("P1", 90.0),
                    1 => ("P2", 65.0),
                    _ => ("P3", 40.0),
                };
                let p = layout.home_point(&mut r);
                out.push(CallForService {
                    source_key: format!("demo-{seed}-call-{n:07}"),
                    received_at: at(d, h, r.below(60) as u32)
                        + Duration::seconds(r.below(60) as i64),
                    priority: priority.0.to_string(),
                    category: Some(cats[r.weighted(&cat_w)].0.to_string()),
                    // Log-normal around the priority's mean (σ = 0.5).
                    committed_minutes: Some(
                        (priority.1 * (0.5 * r.normal() - 0.125).exp()).round(),
                    ),
                    // Receipt to the first unit on scene: log-normal around a median per
                    // priority (P1 11, P2 20, P3 35 minutes; σ = 0.45), a fifth longer at
                    // night; 4 % unrecorded.
                    response_minutes: (!rt.chance(0.04)).then(|| {
                        let median = match priority.0 {
                            "P1" => 11.0,
                            "P2" => 20.0,
                            _ => 35.0,
                        } * if night { 1.2 } else { 1.0 };
                        (median * (0.45 * rt.normal()).exp() * 10.0).round() / 10.0
                    }),
                    location: Some(Location {
                        x: p[0],
                        y: p[1],
                        orig_x: p[0],
                        orig_y: p[1],
                        orig_crs: CRS,
                    }),
                    area_id: None,
                    synthetic: true,
                });
            }
        }
        d += Duration::days(1);
    }
    out
}

/// The whole demo zone for a seed. The same seed always gives the same data.
pub fn generate(seed: u64) -> DemoData {
    let rng = Rng::new(seed);
    let mut lr = rng.fork("layout");
    let layout = Layout::new(&mut lr);
    let areas = WIJKEN
        .iter()
        .enumerate()
        .map(|(i, w)| NewArea {
            code: w.0.to_string(),
            name: format!("{} (synthetisch)", w.1),
            kind: "wijk".to_string(),
            municipality_nis: Some(w.2.to_string()),
            geometry: layout.cells[i].clone(),
            synthetic: true,
        })
        .collect();
    let incidents = incidents(&rng, &layout, seed);
    DemoData {
        seed,
        municipalities: MUNICIPALITIES
            .iter()
            .map(|m| Municipality {
                nis: NisCode::parse(m.0).expect("valid NIS"),
                name_nl: m.1.to_string(),
                name_fr: m.1.to_string(),
            })
            .collect(),
        areas,
        population: population(&layout),
        statistics: statistics(&layout, &incidents),
        calls: calls(&rng, &layout, seed),
        staff: staff(&rng),
        incidents,
    }
}
