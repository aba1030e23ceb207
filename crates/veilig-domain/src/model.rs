//! The records a zone holds. Times are the zone's local civil time (`NaiveDateTime`):
//! police records state wall-clock times, and the analysis works in them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::geom::MultiPolygon;

/// Why a slug type: codes appear in URLs, CLI flags and mapping files, so they must be
/// stable and plain (lower-case letters, digits, `-`), and a typo must fail loudly.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// A zone's short code (`bdm`, `schoten`, `toronto`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ZoneCode(String);

impl ZoneCode {
    pub fn parse(s: &str) -> Result<Self, String> {
        if is_slug(s) {
            Ok(ZoneCode(s.to_string()))
        } else {
            Err(format!(
                "zone code {s:?} must be 1-64 lower-case letters, digits, '-' or '_'"
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Belgian NIS (REFNIS) municipality code: five digits, e.g. 13025 for Mol.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NisCode(String);

impl NisCode {
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(NisCode(t.to_string()))
        } else {
            Err(format!("NIS code {s:?} must be five digits"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One-municipality zones are governed by the gemeenteraad and college; multi-municipality
/// zones by a politieraad and politiecollege (DOMAIN.md §8). Reports address different bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ZoneKind {
    SingleMunicipality,
    MultiMunicipality,
}

impl ZoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneKind::SingleMunicipality => "single-municipality",
            ZoneKind::MultiMunicipality => "multi-municipality",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "single-municipality" => Some(ZoneKind::SingleMunicipality),
            "multi-municipality" => Some(ZoneKind::MultiMunicipality),
            _ => None,
        }
    }
}

/// A police zone (or, for foreign open data, the force or city it stands for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    pub id: i64,
    pub code: ZoneCode,
    pub name: String,
    pub kind: ZoneKind,
    /// EPSG code of the zone's working projected CRS: every stored x/y is in metres in it.
    pub crs: i32,
    /// True for the demo zone: every screen that shows it says "synthetisch".
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewZone {
    pub code: ZoneCode,
    pub name: String,
    pub kind: ZoneKind,
    pub crs: i32,
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    pub nis: NisCode,
    pub name_nl: String,
    pub name_fr: String,
}

/// A wijk, a municipality outline, or a foreign statistical area (LSOA, neighbourhood).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewArea {
    pub code: String,
    pub name: String,
    /// `wijk`, `municipality`, `lsoa`, `neighbourhood`, …: free text, shown to users.
    pub kind: String,
    pub municipality_nis: Option<String>,
    /// In the zone's CRS (metres).
    pub geometry: MultiPolygon,
    pub synthetic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub municipality_nis: Option<String>,
    pub geometry: MultiPolygon,
    pub synthetic: bool,
}

/// What a population figure is about: a wijk/area, a municipality or the whole zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PopulationLevel {
    Area,
    Municipality,
    Zone,
}

impl PopulationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            PopulationLevel::Area => "area",
            PopulationLevel::Municipality => "municipality",
            PopulationLevel::Zone => "zone",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "area" => Some(PopulationLevel::Area),
            "municipality" => Some(PopulationLevel::Municipality),
            "zone" => Some(PopulationLevel::Zone),
            _ => None,
        }
    }
}

/// Population on a reference date: the denominator for rates. Dated, because rates for
/// 2019 must use the 2019 population, not today's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopulationRecord {
    pub level: PopulationLevel,
    /// Area code, NIS code or zone code, by `level`.
    pub code: String,
    pub ref_date: NaiveDate,
    pub inhabitants: i64,
    pub dwellings: Option<i64>,
    pub households: Option<i64>,
    /// Where the figure comes from ("Statbel 2024-01-01", "ONS Census 2011", "synthetisch").
    pub source: String,
    pub synthetic: bool,
}

/// A projected point plus what the source gave, so no precision or provenance is lost.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Metres in the zone's CRS.
    pub x: f64,
    pub y: f64,
    /// As in the source file, in `orig_crs` (degrees for EPSG:4326).
    pub orig_x: f64,
    pub orig_y: f64,
    pub orig_crs: i32,
}

/// One recorded fact. `occurred_from..=occurred_to` is the window in which it happened:
/// equal for an exact time, an hour for Toronto, a month for police.uk, hours or days for
/// a burglary discovered on coming home. Aoristic analysis spreads weight over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewIncident {
    /// Unique within (zone, source): the source's id, or a content key when it has none.
    pub source_key: String,
    /// The category exactly as the source names it ("Break and Enter", "Burglary").
    pub category: String,
    /// The zone's phenomenon code the category maps to.
    pub phenomenon: String,
    pub occurred_from: NaiveDateTime,
    pub occurred_to: NaiveDateTime,
    pub reported_at: Option<NaiveDateTime>,
    pub location: Option<Location>,
    pub address: Option<String>,
    /// The source's own area label (police.uk LSOA code, Toronto neighbourhood, a wijk
    /// column): kept as given, and used to assign an area when there is no location.
    pub source_area: Option<String>,
    pub area_id: Option<i64>,
    pub premises: Option<String>,
    pub outcome: Option<String>,
    pub synthetic: bool,
}

/// An incident as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub batch_id: i64,
    pub source: String,
    #[serde(flatten)]
    pub record: NewIncident,
}

/// How a published statistic's category must be read. Criminele figuren combine an offence
/// with an object, place or modus operandi and overlap: they must never be summed
/// (DOMAIN.md §6). Main headings (hoofdrubrieken) partition the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatCategoryKind {
    CriminalFigure,
    MainHeading,
    Total,
}

impl StatCategoryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StatCategoryKind::CriminalFigure => "criminal-figure",
            StatCategoryKind::MainHeading => "main-heading",
            StatCategoryKind::Total => "total",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "criminal-figure" => Some(StatCategoryKind::CriminalFigure),
            "main-heading" => Some(StatCategoryKind::MainHeading),
            "total" => Some(StatCategoryKind::Total),
            _ => None,
        }
    }
    /// Whether counts of different categories of this kind may be added together.
    pub fn summable(self) -> bool {
        matches!(self, StatCategoryKind::MainHeading)
    }
}

/// One published cell: (area or municipality) × period × category → count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatCount {
    /// `zone`, `municipality`, `area`, `arrondissement`, …
    pub level: String,
    pub area_code: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub category: String,
    pub category_kind: StatCategoryKind,
    pub count: i64,
    /// The statistics' closing (extraction) date: figures change until the year is closed.
    pub closing_date: NaiveDate,
    /// True when the period was not complete or not final at the closing date.
    pub provisional: bool,
}

/// A call for service: the demand side of capacity planning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallForService {
    pub source_key: String,
    pub received_at: NaiveDateTime,
    /// As the dispatch names it (`P1`, `P2`, `P3`, …).
    pub priority: String,
    pub category: Option<String>,
    /// Unit time committed to the call, minutes (dispatch to clear).
    pub committed_minutes: Option<f64>,
    /// Response time, minutes from receipt to the first unit on scene (None when the unit
    /// never arrived or the dispatch does not record it).
    #[serde(default)]
    pub response_minutes: Option<f64>,
    pub location: Option<Location>,
    pub area_id: Option<i64>,
    pub synthetic: bool,
}

/// The seven basic functionalities of KB 17/09/2001 (DOMAIN.md §1), plus the
/// non-basic work a corps also does. Norms per functionality live in a rule catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Functionality {
    Wijkwerking,
    Onthaal,
    Interventie,
    Slachtofferbejegening,
    LokaleOpsporing,
    OpenbareOrde,
    Verkeer,
    /// Management, support, CALog staff outside the seven functionalities.
    Ondersteuning,
}

impl Functionality {
    pub const ALL: [Functionality; 8] = [
        Functionality::Wijkwerking,
        Functionality::Onthaal,
        Functionality::Interventie,
        Functionality::Slachtofferbejegening,
        Functionality::LokaleOpsporing,
        Functionality::OpenbareOrde,
        Functionality::Verkeer,
        Functionality::Ondersteuning,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Functionality::Wijkwerking => "wijkwerking",
            Functionality::Onthaal => "onthaal",
            Functionality::Interventie => "interventie",
            Functionality::Slachtofferbejegening => "slachtofferbejegening",
            Functionality::LokaleOpsporing => "lokale-opsporing",
            Functionality::OpenbareOrde => "openbare-orde",
            Functionality::Verkeer => "verkeer",
            Functionality::Ondersteuning => "ondersteuning",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Functionality::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// A member of staff, pseudonymised: capacity planning needs functions, hours and skills,
/// never names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub code: String,
    pub functionality: Functionality,
    /// `INP`, `HINP`, `CP`, `HCP`, `CALog-B`, …
    pub rank: String,
    pub fte: f64,
    pub contract_hours_week: f64,
    /// e.g. `OBP` (officier van bestuurlijke politie), `slachtofferbejegening`.
    pub skills: Vec<String>,
    /// For wijkinspecteurs, the wijk (area code) they serve.
    pub area_code: Option<String>,
    pub synthetic: bool,
}

/// One respondent of a population survey wave, as the codebook read it: the place, the
/// design and the answers (question code → answer code, None for "no answer"). Anonymous:
/// the respondent key is the survey's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    pub survey: String,
    pub wave: String,
    pub respondent: String,
    /// NIS code.
    pub municipality: Option<String>,
    pub area_code: Option<String>,
    pub stratum: Option<String>,
    pub cluster: Option<String>,
    pub weight: f64,
    pub fpc: Option<f64>,
    pub sex: Option<String>,
    pub age_band: Option<String>,
    pub answers: std::collections::BTreeMap<String, Option<i64>>,
    pub synthetic: bool,
}

/// Residents of one municipality by sex and age band on a reference date (Statbel-style):
/// the margins a population survey is weighted to. Sex and age band are written as the
/// survey codebooks write them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopulationGroup {
    /// NIS code.
    pub municipality: String,
    pub sex: String,
    pub age_band: String,
    pub ref_date: NaiveDate,
    pub inhabitants: i64,
    pub source: String,
    pub synthetic: bool,
}
