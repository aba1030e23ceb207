//! The phenomena of the demo zone and how each behaves: yearly volume and trend, monthly
//! seasonality, weekday and hour profile, how long the occurrence window is, where it
//! happens. The volumes are set so the zone records a few thousand facts a year, the order
//! of a 70,000-inhabitant Flemish zone; every number here is invented for the demo.

/// Where incidents of a phenomenon happen.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    /// Near homes: a wijk chosen in proportion to its population.
    Homes,
    /// Along the main roads between the centres.
    Roads,
}

#[derive(Debug, Clone)]
pub struct Profile {
    pub code: &'static str,
    /// Facts in 2019.
    pub per_year: f64,
    /// Multiplicative change per year (1.0 = stable).
    pub trend: f64,
    /// Relative level per month, January first.
    pub season: [f64; 12],
    /// Relative level per weekday, Monday first.
    pub weekday: [f64; 7],
    /// Relative level per hour on weekdays and at weekends.
    pub hours_week: [f64; 24],
    pub hours_weekend: [f64; 24],
    /// The occurrence window in hours, uniform between these (0 = an exact time).
    pub window_hours: (f64, f64),
    /// The share of facts at the persistent hotspots, and which (index, weight).
    pub hotspot_share: f64,
    pub hotspots: &'static [(usize, f64)],
    pub place: Place,
    /// Expected near-repeat offspring per fact (burglary chains); 0 for none.
    pub repeat_ratio: f64,
    pub premises: &'static [&'static str],
}

/// The persistent hotspots: (name, metres east and north of Mol centre, spread in metres).
pub const HOTSPOTS: &[(&str, f64, f64, f64)] = &[
    ("Mol station", 350.0, 650.0, 120.0),
    ("Mol centrum (winkelstraten)", 0.0, 0.0, 150.0),
    ("Mol uitgaansbuurt", -250.0, 200.0, 90.0),
    ("Balen centrum", 4_300.0, -2_700.0, 160.0),
    ("Dessel centrum", -250.0, 5_200.0, 140.0),
    ("Bedrijventerrein Mol-Zuid", 1_800.0, -3_200.0, 300.0),
    ("Kanaaloever Mol-Sluis", -2_800.0, 3_800.0, 200.0),
];

fn hours(peaks: &[(f64, f64, f64)], floor: f64) -> [f64; 24] {
    let mut h = [floor; 24];
    for (i, v) in h.iter_mut().enumerate() {
        for &(centre, width, height) in peaks {
            // Circular distance so a peak at 23h also raises 0-1h.
            let d = ((i as f64 - centre).abs()).min(24.0 - (i as f64 - centre).abs());
            *v += height * (-(d * d) / (2.0 * width * width)).exp();
        }
    }
    h
}

const FLAT_WEEK: [f64; 7] = [1.0; 7];
const WEEKEND: [f64; 7] = [0.8, 0.75, 0.8, 0.9, 1.2, 1.6, 1.4];
const SHOPS: [f64; 7] = [0.9, 1.0, 1.0, 1.0, 1.1, 1.4, 0.15];
const WORKDAYS: [f64; 7] = [1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.6];
const WINTER: [f64; 12] = [
    1.3, 1.15, 1.0, 0.85, 0.8, 0.75, 0.85, 0.8, 0.85, 1.05, 1.3, 1.4,
];
const SUMMER: [f64; 12] = [
    0.7, 0.7, 0.85, 1.0, 1.15, 1.25, 1.3, 1.3, 1.15, 0.95, 0.8, 0.75,
];
const FLAT: [f64; 12] = [1.0; 12];

pub fn profiles() -> Vec<Profile> {
    let day = hours(&[(13.0, 3.5, 1.0)], 0.05);
    let night = hours(&[(1.0, 2.5, 1.0)], 0.08);
    vec![
        Profile {
            code: "woninginbraak",
            per_year: 265.0,
            trend: 0.95,
            season: WINTER,
            weekday: WORKDAYS,
            // Daytime while people work, and dusk in the dark months.
            hours_week: hours(&[(11.0, 2.5, 0.8), (18.5, 1.5, 1.0)], 0.06),
            hours_weekend: hours(&[(15.0, 3.0, 0.6), (20.0, 1.5, 0.8)], 0.06),
            window_hours: (1.5, 10.0),
            hotspot_share: 0.0,
            hotspots: &[],
            place: Place::Homes,
            repeat_ratio: 0.3,
            premises: &["woning", "woning", "appartement"],
        },
        Profile {
            code: "inbraak-bedrijf",
            per_year: 70.0,
            trend: 1.0,
            season: WINTER,
            weekday: [0.8, 0.8, 0.8, 0.8, 0.9, 1.4, 1.5],
            hours_week: night,
            hours_weekend: night,
            window_hours: (6.0, 60.0),
            hotspot_share: 0.55,
            hotspots: &[(5, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["bedrijf", "handelszaak", "bouwwerf"],
        },
        Profile {
            code: "diefstal-voertuig",
            per_year: 45.0,
            trend: 1.0,
            season: FLAT,
            weekday: FLAT_WEEK,
            hours_week: night,
            hours_weekend: night,
            window_hours: (4.0, 12.0),
            hotspot_share: 0.3,
            hotspots: &[(0, 1.0), (5, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["straat", "oprit", "parking"],
        },
        Profile {
            code: "diefstal-uit-voertuig",
            per_year: 210.0,
            trend: 0.97,
            season: WINTER,
            weekday: FLAT_WEEK,
            hours_week: hours(&[(2.0, 2.5, 1.0), (20.0, 2.0, 0.5)], 0.1),
            hours_weekend: hours(&[(2.0, 2.5, 1.0), (21.0, 2.0, 0.6)], 0.1),
            window_hours: (2.0, 9.0),
            hotspot_share: 0.35,
            hotspots: &[(0, 2.0), (1, 1.0), (5, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.1,
            premises: &["straat", "parking", "oprit"],
        },
        Profile {
            code: "fietsdiefstal",
            per_year: 320.0,
            trend: 1.0,
            season: SUMMER,
            weekday: FLAT_WEEK,
            hours_week: day,
            hours_weekend: day,
            window_hours: (1.0, 9.0),
            hotspot_share: 0.45,
            hotspots: &[(0, 3.0), (1, 1.0), (4, 0.5)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["station", "straat", "fietsenstalling", "woning"],
        },
        Profile {
            code: "winkeldiefstal",
            per_year: 160.0,
            trend: 1.04,
            season: [
                1.0, 0.9, 0.95, 0.95, 1.0, 0.95, 1.0, 1.0, 0.95, 1.0, 1.1, 1.3,
            ],
            weekday: SHOPS,
            hours_week: hours(&[(15.0, 2.5, 1.0)], 0.0),
            hours_weekend: hours(&[(14.0, 2.5, 1.0)], 0.0),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.7,
            hotspots: &[(1, 3.0), (3, 1.0), (4, 0.5)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["winkel", "supermarkt"],
        },
        Profile {
            code: "fysiek-geweld",
            per_year: 330.0,
            trend: 1.0,
            season: SUMMER,
            weekday: WEEKEND,
            hours_week: hours(&[(17.0, 3.0, 0.6), (23.5, 2.0, 0.7)], 0.1),
            hours_weekend: hours(&[(1.5, 2.0, 1.4), (17.0, 3.0, 0.4)], 0.1),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.35,
            hotspots: &[(2, 3.0), (1, 1.0), (0, 0.5)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["straat", "horeca", "woning"],
        },
        Profile {
            code: "intrafamiliaal-geweld",
            per_year: 190.0,
            trend: 1.03,
            season: [
                1.1, 0.95, 0.95, 0.95, 1.0, 1.0, 1.05, 1.05, 0.9, 0.95, 0.95, 1.15,
            ],
            weekday: WEEKEND,
            hours_week: hours(&[(20.0, 3.0, 1.0)], 0.1),
            hours_weekend: hours(&[(19.0, 4.0, 1.0)], 0.15),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.0,
            hotspots: &[],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["woning", "appartement"],
        },
        Profile {
            code: "vandalisme",
            per_year: 380.0,
            trend: 0.99,
            season: SUMMER,
            weekday: WEEKEND,
            hours_week: night,
            hours_weekend: hours(&[(2.0, 2.5, 1.0), (22.0, 2.0, 0.6)], 0.08),
            window_hours: (0.0, 10.0),
            hotspot_share: 0.2,
            hotspots: &[(2, 1.0), (1, 1.0), (6, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.05,
            premises: &["straat", "woning", "openbaar domein", "school"],
        },
        Profile {
            code: "drugs",
            per_year: 240.0,
            trend: 1.06,
            season: SUMMER,
            weekday: WEEKEND,
            hours_week: hours(&[(21.0, 3.0, 1.0)], 0.1),
            hours_weekend: hours(&[(22.0, 3.0, 1.0)], 0.1),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.45,
            hotspots: &[(0, 2.0), (6, 2.0), (2, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["straat", "station", "park", "voertuig"],
        },
        Profile {
            code: "overlast",
            per_year: 520.0,
            trend: 1.0,
            season: SUMMER,
            weekday: WEEKEND,
            hours_week: hours(&[(21.5, 2.5, 1.0)], 0.1),
            hours_weekend: hours(&[(23.0, 2.5, 1.0)], 0.1),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.35,
            hotspots: &[(1, 1.0), (2, 2.0), (0, 1.0), (6, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["straat", "park", "horeca", "woning"],
        },
        Profile {
            code: "verkeersongeval",
            per_year: 420.0,
            trend: 0.98,
            season: [
                1.1, 1.05, 0.95, 0.9, 1.0, 1.0, 0.9, 0.85, 1.0, 1.05, 1.1, 1.1,
            ],
            weekday: WORKDAYS,
            hours_week: hours(&[(8.0, 1.2, 1.0), (17.0, 1.5, 1.1)], 0.1),
            hours_weekend: hours(&[(14.0, 4.0, 0.7), (2.0, 2.0, 0.3)], 0.1),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.0,
            hotspots: &[],
            place: Place::Roads,
            repeat_ratio: 0.0,
            premises: &["openbare weg", "kruispunt", "rotonde"],
        },
        Profile {
            code: "fraude",
            per_year: 300.0,
            trend: 1.12,
            season: FLAT,
            weekday: WORKDAYS,
            hours_week: hours(&[(13.0, 4.0, 1.0)], 0.1),
            hours_weekend: hours(&[(14.0, 4.0, 1.0)], 0.1),
            window_hours: (0.0, 72.0),
            hotspot_share: 0.0,
            hotspots: &[],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["online", "telefoon", "woning"],
        },
        Profile {
            code: "diefstal-geweld",
            per_year: 22.0,
            trend: 1.0,
            season: WINTER,
            weekday: WEEKEND,
            hours_week: hours(&[(22.0, 3.0, 1.0)], 0.1),
            hours_weekend: hours(&[(1.0, 3.0, 1.0)], 0.1),
            window_hours: (0.0, 0.0),
            hotspot_share: 0.4,
            hotspots: &[(0, 1.0), (2, 1.0)],
            place: Place::Homes,
            repeat_ratio: 0.0,
            premises: &["straat", "handelszaak"],
        },
    ]
}
