//! The codebook of a survey file (TOML): which columns hold the respondent, the wave, the
//! place and the design, and each question with its answer codes, its missing codes
//! ("weet niet", "geen antwoord") and the indicators derived from it.
//!
//! ```toml
//! survey = "veiligheidsmonitor"
//! respondent = "id"
//! wave = "golf"                # a column; or wave_value = "2024" for the whole file
//! municipality = "nis"
//! area = "wijk"                # optional
//! [design]
//! weights = "gewicht"          # optional: 1 for everyone when left out
//! strata = "stratum"           # optional
//! clusters = "cluster"         # optional
//! fpc = "fpc"                  # optional
//! sex = "geslacht"             # optional, for weighting
//! age_band = "leeftijd"        # optional, for weighting
//! [[question]]
//! code = "onveilig"
//! column = "q12"
//! text_nl = "Hoe vaak voelt u zich onveilig in uw buurt?"
//! answers = { 1 = "nooit", 2 = "zelden", 3 = "soms", 4 = "vaak", 5 = "altijd" }
//! missing = { 8 = "weet niet", 9 = "geen antwoord" }
//! [[indicator]]
//! code = "vaak-altijd-onveilig"
//! question = "onveilig"
//! yes = [4, 5]
//! name_nl = "Voelt zich vaak of altijd onveilig"
//! [weighting]                  # optional: how stored waves are weighted
//! method = "calibrate"         # rake (default), poststratify, calibrate or codebook
//! trim = [0.3, 3.5]            # optional: bounds as multiples of the mean weight
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignColumns {
    pub weights: Option<String>,
    pub strata: Option<String>,
    pub clusters: Option<String>,
    pub fpc: Option<String>,
    pub sex: Option<String>,
    pub age_band: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub code: String,
    pub column: String,
    pub text_nl: String,
    pub text_fr: Option<String>,
    pub text_en: Option<String>,
    /// Answer code → label, in scale order. May be left out when the data file (SPSS)
    /// labels the column's values: the import fills it from those labels.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Codes that mean "no answer" (weet niet, geen antwoord): left out of every estimate.
    #[serde(default)]
    pub missing: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub question: String,
    /// The answer codes that count as "yes".
    pub yes: Vec<i64>,
    pub name_nl: String,
    pub name_fr: Option<String>,
    pub name_en: Option<String>,
}

impl Indicator {
    /// The indicator's name in a language (`nl`, `fr`, `en`), the Dutch one where the
    /// codebook gives no other.
    pub fn name_in(&self, lang: &str) -> &str {
        let other = match lang {
            "fr" => self.name_fr.as_deref(),
            "en" => self.name_en.as_deref(),
            _ => None,
        };
        other.unwrap_or(&self.name_nl)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codebook {
    pub survey: String,
    /// The survey's name as readers see it (pages and reports); the code where none is given.
    #[serde(default)]
    pub title_nl: Option<String>,
    #[serde(default)]
    pub title_fr: Option<String>,
    #[serde(default)]
    pub title_en: Option<String>,
    pub respondent: String,
    pub wave: Option<String>,
    pub wave_value: Option<String>,
    pub municipality: String,
    pub area: Option<String>,
    pub design: DesignColumns,
    #[serde(default)]
    pub question: Vec<Question>,
    #[serde(default)]
    pub indicator: Vec<Indicator>,
    /// How stored waves are weighted to the population (default: raked).
    #[serde(default)]
    pub weighting: WaveWeighting,
}

/// How a stored wave's weights are made from the store's population by municipality, sex
/// and age band.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveWeighting {
    #[serde(default)]
    pub method: WaveMethod,
    /// Trim to [low, high] times the mean weight, the total kept.
    pub trim: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaveMethod {
    /// Raked to municipality × age band and municipality × sex.
    #[default]
    Rake,
    /// Post-stratified on municipality × sex × age band.
    Poststratify,
    /// Linearly calibrated (GREG) to municipality × age band and municipality × sex.
    Calibrate,
    /// The codebook's own weights.
    Codebook,
}

/// What a respondent answered to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Code(i64),
    /// A missing code or an empty cell.
    Missing,
}

impl Codebook {
    /// The survey's name in a language (`nl`, `fr`, `en`): its title there, else the Dutch
    /// title, else its code.
    pub fn title_in(&self, lang: &str) -> &str {
        let t = match lang {
            "fr" => self.title_fr.as_ref(),
            "en" => self.title_en.as_ref(),
            _ => None,
        };
        t.or(self.title_nl.as_ref()).unwrap_or(&self.survey)
    }

    /// Parses and checks a codebook; errors name the file and what is wrong.
    pub fn parse(text: &str, origin: &str) -> Result<Codebook, String> {
        let c = Codebook::read(text, origin)?;
        c.check(origin)?;
        Ok(c)
    }

    /// Parses a codebook without checking it (before its answers are filled from a data
    /// file's value labels).
    pub fn read(text: &str, origin: &str) -> Result<Codebook, String> {
        toml::from_str(text).map_err(|e| format!("{origin}: not a codebook: {e}"))
    }

    /// Fills the answers (and missing codes) of each question that gives none from the
    /// labels of its column; returns whether any was filled.
    pub fn fill_answers(
        &mut self,
        labels: impl Fn(&str) -> Option<(BTreeMap<String, String>, BTreeMap<String, String>)>,
    ) -> bool {
        let mut filled = false;
        for q in self.question.iter_mut().filter(|q| q.answers.is_empty()) {
            if let Some((answers, missing)) = labels(&q.column) {
                q.answers = answers;
                for (k, v) in missing {
                    q.missing.entry(k).or_insert(v);
                }
                filled = true;
            }
        }
        filled
    }

    /// Checks a codebook; errors name the file and what is wrong.
    pub fn check(&self, origin: &str) -> Result<(), String> {
        let c = self;
        if let Some([lo, hi]) = c.weighting.trim
            && !(lo >= 0.0 && hi > lo && hi.is_finite())
        {
            return Err(format!(
                "{origin}: [weighting] trim = [{lo}, {hi}] is not an interval of multiples of the mean weight"
            ));
        }
        if c.wave.is_some() == c.wave_value.is_some() {
            return Err(format!(
                "{origin}: give either `wave` (a column) or `wave_value` (one wave for the file)"
            ));
        }
        for q in &c.question {
            if q.answers.is_empty() {
                return Err(format!(
                    "{origin}: question {:?} has no answers (give them, or import an SPSS file that labels column {:?})",
                    q.code, q.column
                ));
            }
            for k in q.answers.keys().chain(q.missing.keys()) {
                if k.parse::<i64>().is_err() {
                    return Err(format!(
                        "{origin}: question {:?}: answer code {k:?} is not a whole number",
                        q.code
                    ));
                }
            }
            if let Some(k) = q.answers.keys().find(|k| q.missing.contains_key(*k)) {
                return Err(format!(
                    "{origin}: question {:?}: code {k} is both an answer and a missing code",
                    q.code
                ));
            }
        }
        for i in &c.indicator {
            let Some(q) = c.question.iter().find(|q| q.code == i.question) else {
                return Err(format!(
                    "{origin}: indicator {:?} names question {:?}, which the codebook lacks",
                    i.code, i.question
                ));
            };
            if let Some(y) = i
                .yes
                .iter()
                .find(|y| !q.answers.contains_key(&y.to_string()))
            {
                return Err(format!(
                    "{origin}: indicator {:?}: {y} is not an answer code of {:?}",
                    i.code, q.code
                ));
            }
        }
        Ok(())
    }

    pub fn question(&self, code: &str) -> Option<&Question> {
        self.question.iter().find(|q| q.code == code)
    }
}

impl Question {
    /// Reads a cell: an answer code, a missing code (or an empty cell), or an error saying
    /// why the value is not in the codebook.
    pub fn read(&self, cell: &str) -> Result<Answer, String> {
        let v = cell.trim();
        if v.is_empty() || self.missing.contains_key(v) {
            return Ok(Answer::Missing);
        }
        match v.parse::<i64>() {
            Ok(c) if self.answers.contains_key(&c.to_string()) => Ok(Answer::Code(c)),
            _ => Err(format!(
                "{v:?} is not an answer code of question {:?} (answers {}; missing {})",
                self.code,
                self.answers.keys().cloned().collect::<Vec<_>>().join(", "),
                if self.missing.is_empty() {
                    "none".to_string()
                } else {
                    self.missing.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = r#"
survey = "veiligheidsmonitor"
respondent = "id"
wave = "golf"
municipality = "nis"
area = "wijk"
[design]
weights = "gewicht"
strata = "stratum"
[[question]]
code = "onveilig"
column = "q12"
text_nl = "Hoe vaak voelt u zich onveilig in uw buurt?"
answers = { 1 = "nooit", 2 = "zelden", 3 = "soms", 4 = "vaak", 5 = "altijd" }
missing = { 8 = "weet niet", 9 = "geen antwoord" }
[[indicator]]
code = "vaak-altijd-onveilig"
question = "onveilig"
yes = [4, 5]
name_nl = "Voelt zich vaak of altijd onveilig"
"#;

    #[test]
    fn a_codebook_reads_answers_and_missing_codes_and_refuses_unknown_ones() {
        let c = Codebook::parse(BOOK, "vm.toml").unwrap();
        let q = c.question("onveilig").unwrap();
        assert_eq!(q.read("4"), Ok(Answer::Code(4)));
        assert_eq!(q.read("9"), Ok(Answer::Missing));
        assert_eq!(q.read(""), Ok(Answer::Missing));
        let e = q.read("7").unwrap_err();
        assert!(
            e.contains("\"7\" is not an answer code") && e.contains("missing 8, 9"),
            "{e}"
        );
        let bad = BOOK.replace("yes = [4, 5]", "yes = [4, 6]");
        let e = Codebook::parse(&bad, "vm.toml").unwrap_err();
        assert!(
            e.contains("vm.toml") && e.contains("6 is not an answer code"),
            "{e}"
        );
        let bad = BOOK.replace("question = \"onveilig\"", "question = \"onveiligheid\"");
        assert!(
            Codebook::parse(&bad, "vm.toml")
                .unwrap_err()
                .contains("lacks")
        );
        let bad = BOOK.replace("wave = \"golf\"", "");
        assert!(
            Codebook::parse(&bad, "vm.toml")
                .unwrap_err()
                .contains("wave_value")
        );
    }

    #[test]
    fn an_indicator_is_named_in_the_readers_language_or_in_dutch() {
        let ind = Indicator {
            code: "safe".into(),
            question: "q1".into(),
            yes: vec![1],
            name_nl: "Voelt zich veilig".into(),
            name_fr: Some("Se sent en sécurité".into()),
            name_en: None,
        };
        assert_eq!(ind.name_in("fr"), "Se sent en sécurité");
        assert_eq!(ind.name_in("en"), "Voelt zich veilig");
        assert_eq!(ind.name_in("nl"), "Voelt zich veilig");
    }
}
