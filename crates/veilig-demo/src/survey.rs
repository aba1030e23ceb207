//! Synthetic population-survey waves for the demo zone (2018, 2021, 2024), in the manner of
//! the Veiligheidsmonitor: letters drawn per municipality, proportional by sex and age band
//! within it; non-response that falls with age (the young answer least); answers drawn from
//! known true proportions that depend on age band, sex, municipality and wave. Weights are
//! the stratum population over its respondents (post-stratified on municipality × sex × age
//! band), with the stratum population as finite-population correction. Because the truth is
//! known ([`truth`]), a test can show that the weighted estimates cover it and the
//! unweighted ones are biased. All invented, labelled synthetic.

use std::collections::BTreeMap;

use veilig_domain::SurveyResponse;

use crate::generate::MUNICIPALITIES;
use crate::rng::Rng;

pub const SURVEY: &str = "veiligheidsmonitor-demo";
pub const WAVES: [&str; 3] = ["2018", "2021", "2024"];
pub const SEXES: [&str; 2] = ["M", "V"];
pub const AGE_BANDS: [&str; 6] = ["15-24", "25-34", "35-49", "50-64", "65-79", "80+"];
/// Share of the residents aged 15+ in each age band (invented, roughly Flemish).
const AGE_SHARE: [f64; 6] = [0.13, 0.15, 0.23, 0.25, 0.18, 0.06];
/// Share of residents aged 15 or more.
const ADULT_SHARE: f64 = 0.85;
/// Response rate by age band.
const RESPONSE: [f64; 6] = [0.12, 0.18, 0.28, 0.40, 0.50, 0.38];
/// Letters per municipality and wave (Dessel gets as many as it needs for its own figures).
const LETTERS: [usize; 3] = [1_400, 1_000, 2_150];

/// The codebook of the demo waves (what `veilig survey import` would read them with).
pub const CODEBOOK: &str = r#"# Codebook of the synthetic demo survey (Veiligheidsmonitor-style; invented data).
survey = "veiligheidsmonitor-demo"
title_nl = "Veiligheidsmonitor (demo)"
title_fr = "Moniteur de sécurité (démo)"
title_en = "Safety monitor (demo)"
respondent = "id"
wave = "golf"
municipality = "nis"
area = "wijk"

[design]
weights = "gewicht"
strata = "stratum"
fpc = "populatie"
sex = "geslacht"
age_band = "leeftijd"

[[question]]
code = "onveilig"
column = "q_onveilig"
text_nl = "Hoe vaak voelt u zich onveilig in uw buurt?"
text_fr = "Vous arrive-t-il de vous sentir en insécurité dans votre quartier ?"
text_en = "How often do you feel unsafe in your neighbourhood?"
answers = { 1 = "nooit", 2 = "zelden", 3 = "soms", 4 = "vaak", 5 = "altijd" }
missing = { 8 = "weet niet", 9 = "geen antwoord" }

[[question]]
code = "snelheid"
column = "q_snelheid"
text_nl = "Is onaangepaste snelheid in het verkeer een probleem in uw buurt?"
text_fr = "La vitesse inadaptée dans la circulation est-elle un problème dans votre quartier ?"
text_en = "Is unsuitable speed in traffic a problem in your neighbourhood?"
answers = { 1 = "ja", 2 = "nee" }
missing = { 8 = "weet niet", 9 = "geen antwoord" }

[[question]]
code = "inbraak"
column = "q_inbraak"
text_nl = "Werd er het voorbije jaar bij u ingebroken?"
text_fr = "Avez-vous été victime d'un cambriolage l'année passée ?"
text_en = "Was your home burgled in the past year?"
answers = { 1 = "ja", 2 = "nee" }
missing = { 9 = "geen antwoord" }

[[question]]
code = "tevreden"
column = "q_tevreden"
text_nl = "Hoe tevreden bent u over de politie in uw buurt?"
text_fr = "Êtes-vous satisfait(e) de la police dans votre quartier ?"
text_en = "How satisfied are you with the police in your neighbourhood?"
answers = { 1 = "zeer ontevreden", 2 = "ontevreden", 3 = "neutraal", 4 = "tevreden", 5 = "zeer tevreden" }
missing = { 8 = "weet niet", 9 = "geen antwoord" }

[[question]]
code = "donker"
column = "q_donker"
text_nl = "Vermijdt u 's avonds buiten te komen?"
text_fr = "Évitez-vous de sortir le soir ?"
text_en = "Do you avoid going out after dark?"
answers = { 1 = "ja", 2 = "nee" }
missing = { 9 = "geen antwoord" }

[[indicator]]
code = "vaak-altijd-onveilig"
question = "onveilig"
yes = [4, 5]
name_nl = "Voelt zich vaak of altijd onveilig"
name_fr = "Se sent souvent ou toujours en insécurité"
name_en = "Often or always feels unsafe"

[[indicator]]
code = "snelheid-probleem"
question = "snelheid"
yes = [1]
name_nl = "Onaangepaste snelheid is een buurtprobleem"
name_fr = "La vitesse inadaptée est un problème de quartier"
name_en = "Unsuitable speed is a neighbourhood problem"

[[indicator]]
code = "slachtoffer-inbraak"
question = "inbraak"
yes = [1]
name_nl = "Slachtoffer van woninginbraak (voorbije jaar)"
name_fr = "Victime de cambriolage (année passée)"
name_en = "Burglary victim (past year)"

[[indicator]]
code = "tevreden-politie"
question = "tevreden"
yes = [4, 5]
name_nl = "Tevreden over de politie"
name_fr = "Satisfait(e) de la police"
name_en = "Satisfied with the police"

[[indicator]]
code = "vermijdt-donker"
question = "donker"
yes = [1]
name_nl = "Vermijdt 's avonds buiten te komen"
name_fr = "Évite de sortir le soir"
name_en = "Avoids going out after dark"
"#;

/// The true probability of "yes" for an indicator in a stratum and wave.
fn p(indicator: usize, age: usize, sex: usize, municipality: usize, wave: usize) -> f64 {
    let young = (5 - age) as f64 / 5.0; // 1 for 15-24, 0 for 80+
    let old = age as f64 / 5.0;
    let woman = sex as f64;
    let m = municipality as f64;
    let w = wave as f64;
    let v: f64 = match indicator {
        // Feeling unsafe: the young and women more, rising over the waves.
        0 => 0.03 + 0.16 * young * young + 0.02 * woman + 0.01 * m + 0.03 * w,
        // Speeding as a problem: most people, older ones more.
        1 => 0.55 + 0.15 * old + 0.03 * m,
        // Burglary victim: a few percent, falling.
        2 => 0.045 - 0.008 * w + 0.005 * m,
        // Satisfied with the police: older more.
        3 => 0.50 + 0.25 * old - 0.03 * w,
        // Avoids going out after dark: the old and women.
        _ => 0.08 + 0.30 * old + 0.06 * woman,
    };
    v.clamp(0.001, 0.999)
}

/// The population aged 15+ of a stratum (municipality, sex, age band).
fn stratum_population(municipality: usize, sex: usize, age: usize) -> f64 {
    let sex_share = if sex == 0 { 0.49 } else { 0.51 };
    (MUNICIPALITIES[municipality].4 * ADULT_SHARE * AGE_SHARE[age] * sex_share).round()
}

/// The true proportion of an indicator (index into the codebook's indicators) in a wave, for
/// one municipality (NIS code) or the zone (None): the population-weighted mean over the
/// strata. Wijken share their municipality's truth (the demo gives every wijk of a
/// municipality the same age and sex structure).
pub fn truth(indicator: usize, wave: usize, municipality: Option<&str>) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for (m, muni) in MUNICIPALITIES.iter().enumerate() {
        if municipality.is_some_and(|nis| nis != muni.0) {
            continue;
        }
        for s in 0..2 {
            for a in 0..6 {
                let n = stratum_population(m, s, a);
                num += n * p(indicator, a, s, m, wave);
                den += n;
            }
        }
    }
    num / den
}

/// The residents aged 15+ by municipality, sex and age band (the strata's populations), the
/// margins the waves are raked to: synthetic, on 1 January 2024.
pub fn population_groups() -> Vec<veilig_domain::PopulationGroup> {
    let mut out = Vec::new();
    for (m, muni) in MUNICIPALITIES.iter().enumerate() {
        for (s, sex) in SEXES.iter().enumerate() {
            for (a, band) in AGE_BANDS.iter().enumerate() {
                out.push(veilig_domain::PopulationGroup {
                    municipality: muni.0.to_string(),
                    sex: sex.to_string(),
                    age_band: band.to_string(),
                    ref_date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
                    inhabitants: stratum_population(m, s, a) as i64,
                    source: "synthetisch (demo)".into(),
                    synthetic: true,
                });
            }
        }
    }
    out
}

/// The respondents of every wave. `wijken` gives each municipality's wijk codes with their
/// population weights.
pub fn responses(seed: u64, wijken: &[(&str, &str, f64)]) -> Vec<SurveyResponse> {
    let root = Rng::new(seed).fork("survey");
    let questions = ["onveilig", "snelheid", "inbraak", "tevreden", "donker"];
    let mut out = Vec::new();
    for (w, wave) in WAVES.iter().enumerate() {
        let mut rng = root.fork(wave);
        let mut id = 0usize;
        for (m, muni) in MUNICIPALITIES.iter().enumerate() {
            let own: Vec<(&str, f64)> = wijken
                .iter()
                .filter(|x| x.1 == muni.0)
                .map(|x| (x.0, x.2))
                .collect();
            let total_w: f64 = own.iter().map(|x| x.1).sum();
            let adults: f64 = (0..2)
                .flat_map(|s| (0..6).map(move |a| (s, a)))
                .map(|(s, a)| stratum_population(m, s, a))
                .sum();
            let mut strata: BTreeMap<(usize, usize), Vec<SurveyResponse>> = BTreeMap::new();
            for (s, sex) in SEXES.iter().enumerate() {
                for (a, band) in AGE_BANDS.iter().enumerate() {
                    let n_pop = stratum_population(m, s, a);
                    // Proportional allocation of the municipality's letters.
                    let letters = (LETTERS[m] as f64 * n_pop / adults).round() as usize;
                    for _ in 0..letters {
                        if !rng.chance(RESPONSE[a]) {
                            continue;
                        }
                        id += 1;
                        let mut pick = rng.uniform() * total_w;
                        let mut wijk = own[0].0;
                        for (code, weight) in &own {
                            if pick < *weight {
                                wijk = code;
                                break;
                            }
                            pick -= weight;
                        }
                        let mut answers = BTreeMap::new();
                        for (i, q) in questions.iter().enumerate() {
                            let yes = rng.chance(p(i, a, s, m, w));
                            let code = match i {
                                // 5-point scales: yes is 4 or 5, no is 1-3.
                                0 | 3 => {
                                    if yes {
                                        4 + rng.below(2) as i64
                                    } else {
                                        1 + rng.below(3) as i64
                                    }
                                }
                                _ => {
                                    if yes {
                                        1
                                    } else {
                                        2
                                    }
                                }
                            };
                            // 3 % give no answer, independently of the truth.
                            let answer = (!rng.chance(0.03)).then_some(code);
                            answers.insert(q.to_string(), answer);
                        }
                        strata.entry((s, a)).or_default().push(SurveyResponse {
                            survey: SURVEY.into(),
                            wave: wave.to_string(),
                            respondent: format!("{wave}-{id:05}"),
                            municipality: Some(muni.0.to_string()),
                            area_code: Some(wijk.to_string()),
                            stratum: Some(format!("{}-{sex}-{band}", muni.0)),
                            cluster: None,
                            weight: 0.0,
                            fpc: Some(n_pop),
                            sex: Some(sex.to_string()),
                            age_band: Some(band.to_string()),
                            answers,
                            synthetic: true,
                        });
                    }
                }
            }
            // Post-stratified weights: the stratum's population over its respondents.
            for ((s, a), mut rs) in strata {
                let weight = stratum_population(m, s, a) / rs.len() as f64;
                for r in &mut rs {
                    r.weight = weight;
                }
                out.extend(rs);
            }
        }
    }
    out
}
