//! A mapping without typing TOML: the preview of a generic file offers a form with the
//! file's own columns (first line), each mapping key pre-chosen by its header's name; sent
//! back, the form becomes the mapping (written as TOML by the `toml` crate, so no value can
//! break it) and the preview runs again on the same uploaded file. Or the zone's earlier
//! mappings (`Store::saved_mappings`) are picked from a list.

use serde::Deserialize;

/// A mapping key the form offers: its name, whether it must be given, and header words that
/// suggest it (lower case, without accents).
pub struct Key {
    pub key: &'static str,
    pub required: bool,
    hints: &'static [&'static str],
}

pub const KEYS: [Key; 9] = [
    Key {
        key: "category",
        required: true,
        hints: &[
            "categ",
            "feit",
            "misdrijf",
            "offence",
            "offense",
            "type",
            "omschrijving",
        ],
    },
    Key {
        key: "occurred_from",
        required: true,
        hints: &[
            "datum",
            "date",
            "begin",
            "van",
            "from",
            "occurred",
            "pleegdatum",
        ],
    },
    Key {
        key: "occurred_from_time",
        required: false,
        hints: &["uur", "tijd", "time", "heure"],
    },
    Key {
        key: "reported_at",
        required: false,
        hints: &["aangifte", "reported", "melding", "registr"],
    },
    Key {
        key: "id",
        required: false,
        hints: &["pv", "nummer", "number", "id", "dossier"],
    },
    Key {
        key: "x",
        required: false,
        hints: &["x", "lon", "lng", "longitude", "lambert_x", "easting"],
    },
    Key {
        key: "y",
        required: false,
        hints: &["y", "lat", "latitude", "lambert_y", "northing"],
    },
    Key {
        key: "area",
        required: false,
        hints: &["wijk", "area", "sector", "quartier"],
    },
    Key {
        key: "premises",
        required: false,
        hints: &["plaats", "premises", "locatie", "lieu"],
    },
];

/// The coordinate systems a Belgian (or test) export uses (named by `mapping-crs-CODE`).
pub const CRS: [i32; 4] = [4326, 31370, 3812, 27700];

/// The header's columns: the first line split on the delimiter that occurs most.
pub fn columns(first_line: &str) -> Vec<String> {
    let line = first_line.trim_start_matches('\u{feff}');
    let delimiter = [';', ',', '\t', '|']
        .into_iter()
        .max_by_key(|d| line.matches(*d).count())
        .unwrap_or(',');
    line.split(delimiter)
        .map(|c| c.trim().trim_matches('"').to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// The column a key's hints point at, if one does: an exact name first, then a part.
pub fn guess(key: &Key, columns: &[String]) -> Option<String> {
    let low: Vec<String> = columns.iter().map(|c| c.to_lowercase()).collect();
    let exact = key
        .hints
        .iter()
        .find_map(|h| low.iter().position(|c| c == h));
    let part = || {
        key.hints
            .iter()
            .filter(|h| h.len() > 2)
            .find_map(|h| low.iter().position(|c| c.contains(*h)))
    };
    exact.or_else(part).map(|i| columns[i].clone())
}

/// The builder form as sent back.
#[derive(Debug, Deserialize)]
pub struct Built {
    pub id: String,
    /// The name of the source the incidents are kept under.
    pub source_name: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub occurred_from: String,
    #[serde(default)]
    pub occurred_from_time: String,
    #[serde(default)]
    pub reported_at: String,
    #[serde(default, rename = "col_id")]
    pub id_column: String,
    #[serde(default)]
    pub x: String,
    #[serde(default)]
    pub y: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub premises: String,
    #[serde(default)]
    pub crs: String,
    #[serde(default)]
    pub decimal: String,
    #[serde(default)]
    pub date_format: String,
}

/// The mapping the form describes, as TOML; `Err(key)` names the translation key of what is
/// missing or wrong.
pub fn mapping_toml(b: &Built) -> Result<String, &'static str> {
    let source = b.source_name.trim();
    if source.is_empty() || source.len() > 40 {
        return Err("mapping-bad-source");
    }
    if b.category.is_empty() || b.occurred_from.is_empty() {
        return Err("mapping-required");
    }
    if b.x.is_empty() != b.y.is_empty() {
        return Err("mapping-x-and-y");
    }
    let mut columns = toml::Table::new();
    for (key, value) in [
        ("category", &b.category),
        ("occurred_from", &b.occurred_from),
        ("occurred_from_time", &b.occurred_from_time),
        ("reported_at", &b.reported_at),
        ("id", &b.id_column),
        ("x", &b.x),
        ("y", &b.y),
        ("area", &b.area),
        ("premises", &b.premises),
    ] {
        if !value.is_empty() {
            columns.insert(key.into(), toml::Value::String(value.clone()));
        }
    }
    let mut top = toml::Table::new();
    top.insert("source".into(), toml::Value::String(source.into()));
    if !b.x.is_empty() {
        let crs: i64 = b.crs.parse().map_err(|_| "mapping-bad-crs")?;
        if !CRS.iter().any(|c| i64::from(*c) == crs) {
            return Err("mapping-bad-crs");
        }
        top.insert("crs".into(), toml::Value::Integer(crs));
    }
    match b.decimal.as_str() {
        "" | "." => {}
        "," => {
            top.insert("decimal".into(), toml::Value::String(",".into()));
        }
        _ => return Err("mapping-bad-decimal"),
    }
    let format = b.date_format.trim();
    if !format.is_empty() {
        // Dates with a time and dates alone, in the form's format (a time part, if the format
        // has none, comes from the time column).
        let list = |f: &str| toml::Value::Array(vec![toml::Value::String(f.into())]);
        if format.contains("%H") {
            top.insert("datetime_formats".into(), list(format));
        } else {
            top.insert("date_formats".into(), list(format));
        }
    }
    top.insert("columns".into(), toml::Value::Table(columns));
    toml::to_string(&top).map_err(|_| "mapping-required")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_belgian_header_is_read_and_its_columns_guessed() {
        let cols =
            columns("\u{feff}PV_nummer;Feitcategorie;Pleegdatum;Uur;Lambert_X;Lambert_Y;Wijk");
        assert_eq!(cols.len(), 7);
        let pick = |k: &str| guess(KEYS.iter().find(|x| x.key == k).unwrap(), &cols);
        assert_eq!(pick("category").as_deref(), Some("Feitcategorie"));
        assert_eq!(pick("occurred_from").as_deref(), Some("Pleegdatum"));
        assert_eq!(pick("occurred_from_time").as_deref(), Some("Uur"));
        assert_eq!(pick("x").as_deref(), Some("Lambert_X"));
        assert_eq!(pick("y").as_deref(), Some("Lambert_Y"));
        assert_eq!(pick("area").as_deref(), Some("Wijk"));
        assert_eq!(pick("id").as_deref(), Some("PV_nummer"));
    }

    #[test]
    fn the_form_becomes_a_mapping_that_parses_and_cannot_be_broken() {
        let b = Built {
            id: String::new(),
            source_name: "export \"2026\"".into(),
            category: "Feit\"categorie".into(),
            occurred_from: "Pleegdatum".into(),
            occurred_from_time: "Uur".into(),
            reported_at: String::new(),
            id_column: "PV".into(),
            x: "X".into(),
            y: "Y".into(),
            area: String::new(),
            premises: String::new(),
            crs: "31370".into(),
            decimal: ",".into(),
            date_format: "%d/%m/%Y".into(),
        };
        let text = mapping_toml(&b).unwrap();
        let back: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(back["source"].as_str(), Some("export \"2026\""));
        assert_eq!(
            back["columns"]["category"].as_str(),
            Some("Feit\"categorie")
        );
        assert_eq!(back["crs"].as_integer(), Some(31370));
        assert_eq!(back["date_formats"][0].as_str(), Some("%d/%m/%Y"));
        let no_y = Built {
            y: String::new(),
            ..b
        };
        assert_eq!(mapping_toml(&no_y), Err("mapping-x-and-y"));
    }
}
