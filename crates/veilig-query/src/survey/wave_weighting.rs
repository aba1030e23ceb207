//! How a stored wave's weights are made, as its codebook's `[weighting]` asks, from the
//! store's population by municipality, sex and age band: raked to the margins municipality ×
//! age band and municipality × sex (the default), post-stratified on municipality × sex × age
//! band, or linearly calibrated (GREG) to the same two margins; then, if asked, trimmed to
//! bounds given as multiples of the mean weight (the total kept). When the population cannot
//! serve, the codebook's weights stay and the reason is given as a translation key, so that
//! no English sentence reaches a page.

use serde::Serialize;
use veilig_domain::{PopulationGroup, SurveyResponse};
use veilig_survey::codebook::{WaveMethod, WaveWeighting};
use veilig_survey::{Design, RakeReport, WeightsReport};

/// How a wave's weights were made.
#[derive(Debug, Clone, Serialize)]
pub struct Weighting {
    pub method: &'static str,
    /// The translation key of the sentence that says so on a page.
    pub method_key: &'static str,
    /// The population's reference date and source, when weighted to it.
    pub population: Option<String>,
    pub report: Option<RakeReport>,
    /// Why the wave was not weighted to the population (English, for the command line).
    pub note: Option<String>,
    /// The same reason as a translation key and the value it names.
    pub why_key: Option<&'static str>,
    pub why_value: Option<String>,
    /// The trimming bounds (multiples of the mean weight), when trimmed.
    pub trimmed: Option<[f64; 2]>,
    pub weights: WeightsReport,
}

/// The codebook's weights, with the reason.
fn kept(
    base: &Design,
    key: &'static str,
    value: Option<String>,
    note: String,
) -> (Design, Weighting) {
    (
        base.clone(),
        Weighting {
            method: "codebook weights",
            method_key: "survey-weighting-codebook",
            population: None,
            report: None,
            note: Some(note),
            why_key: Some(key),
            why_value: value,
            trimmed: None,
            weights: WeightsReport::of(base),
        },
    )
}

/// Index of a key in a list of keys, added when new.
fn idx<K: PartialEq + Clone>(v: &mut Vec<K>, k: &K) -> usize {
    match v.iter().position(|x| x == k) {
        Some(i) => i,
        None => {
            v.push(k.clone());
            v.len() - 1
        }
    }
}

/// The respondents' cells of the three weighting tables and their population counts.
struct Cells {
    age: (Vec<usize>, Vec<f64>),
    sex: (Vec<usize>, Vec<f64>),
    joint: (Vec<usize>, Vec<f64>),
    /// Per municipality × sex cell, its municipality.
    sex_municipality: Vec<String>,
}

fn cells(
    r: &[SurveyResponse],
    groups: &[PopulationGroup],
) -> Result<Cells, (&'static str, String)> {
    let (mut age_keys, mut sex_keys, mut joint_keys) = (Vec::new(), Vec::new(), Vec::new());
    let (mut age, mut sex, mut joint) = (Vec::new(), Vec::new(), Vec::new());
    for x in r {
        let (Some(m), Some(s), Some(a)) = (&x.municipality, &x.sex, &x.age_band) else {
            return Err(("survey-not-weighted-incomplete", x.respondent.clone()));
        };
        age.push(idx(&mut age_keys, &(m.clone(), a.clone())));
        sex.push(idx(&mut sex_keys, &(m.clone(), s.clone())));
        joint.push(idx(&mut joint_keys, &(m.clone(), s.clone(), a.clone())));
    }
    let sum = |f: &dyn Fn(&PopulationGroup) -> bool| -> f64 {
        groups
            .iter()
            .filter(|g| f(g))
            .map(|g| g.inhabitants as f64)
            .sum()
    };
    let targets = |keys: Vec<String>, f: &dyn Fn(usize, &PopulationGroup) -> bool| {
        (0..keys.len())
            .map(|i| {
                let t = sum(&|g| f(i, g));
                if t > 0.0 {
                    Ok(t)
                } else {
                    Err(("survey-not-weighted-no-residents", keys[i].clone()))
                }
            })
            .collect::<Result<Vec<f64>, _>>()
    };
    let ta = targets(
        age_keys.iter().map(|(m, a)| format!("{m} · {a}")).collect(),
        &|i, g| g.municipality == age_keys[i].0 && g.age_band == age_keys[i].1,
    )?;
    let ts = targets(
        sex_keys.iter().map(|(m, s)| format!("{m} · {s}")).collect(),
        &|i, g| g.municipality == sex_keys[i].0 && g.sex == sex_keys[i].1,
    )?;
    let tj = targets(
        joint_keys
            .iter()
            .map(|(m, s, a)| format!("{m} · {s} · {a}"))
            .collect(),
        &|i, g| {
            let (m, s, a) = &joint_keys[i];
            &g.municipality == m && &g.sex == s && &g.age_band == a
        },
    )?;
    Ok(Cells {
        age: (age, ta),
        sex: (sex, ts),
        joint: (joint, tj),
        sex_municipality: sex_keys.into_iter().map(|(m, _)| m).collect(),
    })
}

/// The model matrix of the two margins: every municipality × age band cell, and every
/// municipality × sex cell but the first of each municipality (it follows from the others).
fn model(c: &Cells) -> (Vec<Vec<f64>>, Vec<f64>) {
    let (age, ta) = &c.age;
    let (sex, ts) = &c.sex;
    let mut kept_sex = Vec::new();
    let mut seen: Vec<&String> = Vec::new();
    for (k, m) in c.sex_municipality.iter().enumerate() {
        if seen.contains(&m) {
            kept_sex.push(k);
        } else {
            seen.push(m);
        }
    }
    let x = (0..age.len())
        .map(|i| {
            let mut row: Vec<f64> = (0..ta.len())
                .map(|k| f64::from(u8::from(age[i] == k)))
                .collect();
            row.extend(kept_sex.iter().map(|&k| f64::from(u8::from(sex[i] == k))));
            row
        })
        .collect();
    let mut totals = ta.clone();
    totals.extend(kept_sex.iter().map(|&k| ts[k]));
    (x, totals)
}

/// Weighs a wave's design as its codebook asks (see the module's note).
pub fn weigh(
    base: &Design,
    responses: &[SurveyResponse],
    groups: &[PopulationGroup],
    spec: &WaveWeighting,
) -> (Design, Weighting) {
    if spec.method == WaveMethod::Codebook {
        return kept(
            base,
            "survey-not-weighted-asked",
            None,
            "the codebook asks for its own weights".into(),
        );
    }
    if groups.is_empty() {
        return kept(
            base,
            "survey-not-weighted-no-population",
            None,
            "no population by sex and age band is stored (veilig import population-groups)".into(),
        );
    }
    let c = match cells(responses, groups) {
        Ok(c) => c,
        Err((key, value)) => {
            let note = format!("{key}: {value}");
            return kept(base, key, Some(value), note);
        }
    };
    // The English reason stays on the command line; the page says it in words of its own.
    let refused = |e: String| {
        kept(
            base,
            "survey-not-weighted-refused",
            None,
            format!("weighting refused: {e}"),
        )
    };
    let (design, method, method_key, report) = match spec.method {
        WaveMethod::Poststratify => {
            match veilig_survey::post_stratify(base, &c.joint.0, &c.joint.1) {
                Ok(d) => (
                    d,
                    "post-stratified to the population by municipality × sex × age band",
                    "survey-weighting-poststratified",
                    None,
                ),
                Err(e) => return refused(e.to_string()),
            }
        }
        WaveMethod::Calibrate => {
            let (x, totals) = model(&c);
            match veilig_survey::calibrate(base, &x, &totals) {
                Ok(d) => (
                    d,
                    "linearly calibrated to the population by municipality × age band and municipality × sex",
                    "survey-weighting-calibrated",
                    None,
                ),
                Err(e) => return refused(e.to_string()),
            }
        }
        _ => {
            let margins = [
                veilig_survey::Margin {
                    name: "municipality × age band".into(),
                    category: c.age.0.clone(),
                    targets: c.age.1.clone(),
                },
                veilig_survey::Margin {
                    name: "municipality × sex".into(),
                    category: c.sex.0.clone(),
                    targets: c.sex.1.clone(),
                },
            ];
            match veilig_survey::rake(base, &margins, 1e-9, 100) {
                Ok((d, r)) => (
                    d,
                    "raked to the population by municipality × age band and municipality × sex",
                    "survey-weighting-raked",
                    Some(r),
                ),
                Err(e) => return refused(e.to_string()),
            }
        }
    };
    let (design, trimmed) = match spec.trim {
        Some([lo, hi]) => {
            let mean = design.weights.iter().sum::<f64>() / design.len() as f64;
            match veilig_survey::trim_to(&design, lo * mean, hi * mean, true) {
                Ok(d) => (d, Some([lo, hi])),
                Err(e) => return refused(e.to_string()),
            }
        }
        None => (design, None),
    };
    let g = &groups[0];
    let note = report.as_ref().filter(|r| !r.converged).map(|r| {
        format!(
            "raking did not converge in {} cycles (largest gap {:.2e})",
            r.cycles, r.max_relative_gap
        )
    });
    let weights = WeightsReport::of(&design);
    (
        design,
        Weighting {
            method,
            method_key,
            population: Some(format!("{} ({})", g.ref_date, g.source)),
            why_key: note.as_ref().map(|_| "survey-not-weighted-not-converged"),
            why_value: None,
            note,
            report,
            trimmed,
            weights,
        },
    )
}
