//! The phenomenon catalogue and the mapping from each source's categories to phenomena.
//!
//! Rules are data (principle 6): the default catalogue ships as `data/phenomena.toml`, with
//! its citation, and a zone may load its own. Categories no mapping knows are not dropped:
//! they become a phenomenon of their own, flagged unmapped, so an analyst can fix the mapping.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../data/phenomena.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhenomenonDef {
    pub code: String,
    pub nl: String,
    pub fr: String,
    pub en: String,
    /// Number of the phenomenon in the NVP 2022-2025, when it belongs to one.
    #[serde(default)]
    pub nvp: Option<i32>,
    /// False for a phenomenon made from a category no mapping knew.
    #[serde(default = "yes")]
    pub mapped: bool,
}

/// Whether a phenomenon code is well formed: 1-40 lower-case letters, digits or '-', not
/// starting or ending with '-' (a local phenomenon a zone adds names itself this way).
pub fn valid_phenomenon_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && !code.starts_with('-')
        && !code.ends_with('-')
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingDef {
    /// Importer name (`police-uk`, `toronto-mci`, a generic mapping's `source`) or `*` for any.
    pub source: String,
    pub category: String,
    pub phenomenon: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueMeta {
    pub name: String,
    pub version: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    pub catalogue: CatalogueMeta,
    #[serde(rename = "phenomenon")]
    pub phenomena: Vec<PhenomenonDef>,
    #[serde(rename = "mapping", default)]
    pub mappings: Vec<MappingDef>,
}

impl Catalogue {
    /// The catalogue shipped with Veilig.
    pub fn builtin() -> Catalogue {
        Catalogue::from_toml(BUILTIN).expect("the built-in catalogue is valid")
    }

    pub fn from_toml(text: &str) -> Result<Catalogue, String> {
        let c: Catalogue = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        for p in &c.phenomena {
            if !seen.insert(p.code.as_str()) {
                return Err(format!("phenomenon code {:?} appears twice", p.code));
            }
        }
        for m in &c.mappings {
            if !seen.contains(m.phenomenon.as_str()) {
                return Err(format!(
                    "mapping {:?}/{:?} points to unknown phenomenon {:?}",
                    m.source, m.category, m.phenomenon
                ));
            }
        }
        Ok(c)
    }

    pub fn category_map(&self) -> CategoryMap {
        let mut map = CategoryMap::default();
        for m in &self.mappings {
            map.insert(&m.source, &m.category, &m.phenomenon);
        }
        map
    }
}

/// (source, category) → phenomenon code. Category matching ignores case and surrounding
/// spaces; a source-specific entry wins over a `*` entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CategoryMap {
    entries: HashMap<(String, String), String>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

impl CategoryMap {
    pub fn insert(&mut self, source: &str, category: &str, phenomenon: &str) {
        self.entries
            .insert((source.to_string(), norm(category)), phenomenon.to_string());
    }

    pub fn lookup(&self, source: &str, category: &str) -> Option<&str> {
        let c = norm(category);
        self.entries
            .get(&(source.to_string(), c.clone()))
            .or_else(|| self.entries.get(&("*".to_string(), c)))
            .map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.entries
            .iter()
            .map(|((s, c), p)| (s.as_str(), c.as_str(), p.as_str()))
    }
}

/// The phenomenon code made for a category no mapping knows: `x-` plus a slug of it.
pub fn unmapped_code(category: &str) -> String {
    let mut slug = String::from("x-");
    let mut dash = false;
    for ch in category.trim().chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
            dash = false;
        } else if !dash && slug.len() > 2 {
            slug.push('-');
            dash = true;
        }
    }
    while slug.len() > 2 && slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() == 2 {
        slug.push_str("onbekend");
    }
    slug.truncate(64);
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_is_valid_and_maps_the_issue_examples() {
        let c = Catalogue::builtin();
        assert!(c.phenomena.len() >= 10);
        let m = c.category_map();
        assert_eq!(m.lookup("police-uk", "Burglary"), Some("woninginbraak"));
        assert_eq!(
            m.lookup("toronto-mci", "Break and Enter"),
            Some("woninginbraak")
        );
        assert_eq!(m.lookup("islp", "Woninginbraak "), Some("woninginbraak"));
        assert_eq!(m.lookup("toronto-mci", "Burglary"), None);
    }

    #[test]
    fn unmapped_codes_are_slugs() {
        assert_eq!(unmapped_code("Theft Over"), "x-theft-over");
        assert_eq!(unmapped_code("  Één -- twee! "), "x-n-twee");
        assert_eq!(unmapped_code("???"), "x-onbekend");
    }

    #[test]
    fn rejects_mapping_to_unknown_phenomenon() {
        let t = r#"
            [catalogue]
            name = "t"
            version = "1"
            citation = "c"
            [[phenomenon]]
            code = "a"
            nl = "a"
            fr = "a"
            en = "a"
            [[mapping]]
            source = "*"
            category = "b"
            phenomenon = "b"
        "#;
        assert!(
            Catalogue::from_toml(t)
                .unwrap_err()
                .contains("unknown phenomenon")
        );
    }
}
