//! Timing the survey estimator on synthetic respondents: raking, linear calibration on 20
//! totals, and every indicator of three waves in every domain.

use std::time::Instant;

use anyhow::Result;
use veilig_demo::rng::Rng;
use veilig_survey::{Design, Margin, calibrate, difference, proportion, rake};

/// Synthetic respondents: municipality (3), sex (2), age band (6), wijk (6 per
/// municipality), answered with non-response rising towards the young, and `k` yes/no
/// indicators whose truth depends on age and municipality.
struct SurveySample {
    municipality: Vec<usize>,
    sex: Vec<usize>,
    age: Vec<usize>,
    wijk: Vec<usize>,
    answers: Vec<Vec<bool>>,
}

/// Population margins (about 70,500 residents aged 15+ in the demo zone's shape).
const MUNICIPALITIES: [f64; 3] = [19_000.0, 8_000.0, 33_500.0];
const SEXES: [f64; 2] = [30_000.0, 30_500.0];
const AGE_BANDS: [f64; 6] = [8_500.0, 9_000.0, 10_000.0, 11_500.0, 11_000.0, 10_500.0];

/// The sample's age, sex and municipality against the population's margins.
fn margins(s: &SurveySample) -> [Margin; 3] {
    let margin = |name: &str, category: &[usize], targets: &[f64]| Margin {
        name: name.into(),
        category: category.to_vec(),
        targets: targets.to_vec(),
    };
    [
        margin("age", &s.age, &AGE_BANDS),
        margin("sex", &s.sex, &SEXES),
        margin("municipality", &s.municipality, &MUNICIPALITIES),
    ]
}

fn survey_sample(rng: &mut Rng, n: usize, k: usize) -> SurveySample {
    let mut s = SurveySample {
        municipality: Vec::with_capacity(n),
        sex: Vec::with_capacity(n),
        age: Vec::with_capacity(n),
        wijk: Vec::with_capacity(n),
        answers: vec![Vec::with_capacity(n); k],
    };
    let response = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4];
    while s.age.len() < n {
        let m = rng.below(3);
        let a = rng.below(6);
        if !rng.chance(response[a] / 0.4) {
            continue;
        }
        s.municipality.push(m);
        s.sex.push(rng.below(2));
        s.age.push(a);
        s.wijk.push(m * 6 + rng.below(6));
        for (j, col) in s.answers.iter_mut().enumerate() {
            let p =
                0.05 + 0.02 * j as f64 / k as f64 + 0.03 * (5 - a) as f64 / 5.0 + 0.02 * m as f64;
            col.push(rng.chance(p));
        }
    }
    s
}

const WIJKEN: [usize; 11] = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 13];

/// A model matrix of 20 columns (the three municipalities, sex, five age bands and eleven
/// wijken) and population totals near the sample's expansion (each a few per cent off, so
/// that calibration has work to do).
fn calibration_model(s: &SurveySample) -> (Vec<Vec<f64>>, Vec<f64>) {
    let n = s.age.len();
    let ind = |b: bool| if b { 1.0 } else { 0.0 };
    let x: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = (0..3).map(|m| ind(s.municipality[i] == m)).collect();
            row.push(ind(s.sex[i] == 1));
            row.extend((1..6).map(|a| ind(s.age[i] == a)));
            // Five of each municipality's six wijken (the sixth follows), eleven in all.
            row.extend(WIJKEN.iter().map(|w| ind(s.wijk[i] == *w)));
            row
        })
        .collect();
    let expand = MUNICIPALITIES.iter().sum::<f64>() / n as f64;
    let totals = (0..x[0].len())
        .map(|j| {
            let sum: f64 = x.iter().map(|r| r[j]).sum();
            sum * expand * (1.0 + 0.03 * ((j % 3) as f64 - 1.0))
        })
        .collect();
    (x, totals)
}

/// Rakes `respondents` on three margins and estimates every indicator in every domain for
/// three waves of a zone-sized survey, timing each.
pub fn run(respondents: usize, indicators: usize) -> Result<serde_json::Value> {
    let mut rng = Rng::new(2026);
    let s = survey_sample(&mut rng, respondents, 1);
    let strata: Vec<String> = s.municipality.iter().map(|m| m.to_string()).collect();
    let design = Design::new(vec![1.0; respondents], Some(&strata), None, None)?;
    let on = margins(&s);
    let t0 = Instant::now();
    let (raked, report) = rake(&design, &on, 1e-10, 100)?;
    let rake_s = t0.elapsed().as_secs_f64();
    let answered = vec![true; respondents];
    let t0 = Instant::now();
    let e = proportion(&raked, &answered, &s.answers[0]);
    let one_estimate_s = t0.elapsed().as_secs_f64();
    let (x, totals) = calibration_model(&s);
    let t0 = Instant::now();
    let calibrated = calibrate(&design, &x, &totals)?;
    let calibrate_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let ce = proportion(&calibrated, &answered, &s.answers[0]);
    let calibrated_estimate_s = t0.elapsed().as_secs_f64();
    // Three waves of 1,400 respondents, every indicator in the zone, each municipality and
    // each wijk, and the wave-to-wave differences.
    let t0 = Instant::now();
    let mut estimates = 0usize;
    let mut previous: Option<Vec<veilig_survey::Estimate>> = None;
    for _wave in 0..3 {
        let w = survey_sample(&mut rng, 1_400, indicators);
        let strata: Vec<String> = w.municipality.iter().map(|m| m.to_string()).collect();
        let d = Design::new(vec![1.0; w.age.len()], Some(&strata), None, None)?;
        let on = margins(&w);
        let (d, _) = rake(&d, &on, 1e-10, 100)?;
        let mut now = Vec::new();
        for answers in &w.answers {
            let domains: Vec<Vec<bool>> = std::iter::once(vec![true; w.age.len()])
                .chain((0..3).map(|m| w.municipality.iter().map(|x| *x == m).collect()))
                .chain((0..18).map(|k| w.wijk.iter().map(|x| *x == k).collect()))
                .collect();
            for dom in &domains {
                now.push(proportion(&d, dom, answers));
                estimates += 1;
            }
        }
        if let Some(prev) = &previous {
            for (a, b) in now.iter().zip(prev) {
                let _ = difference(a, b, 0.95);
            }
        }
        previous = Some(now);
    }
    let all_s = t0.elapsed().as_secs_f64();
    Ok(serde_json::json!({
            "respondents": respondents,
            "rake_seconds": rake_s,
            "rake_cycles": report.cycles,
            "rake_converged": report.converged,
            "one_raked_estimate_seconds": one_estimate_s,
            "calibration_totals": totals.len(),
            "calibration_seconds": calibrate_s,
            "one_calibrated_estimate_seconds": calibrated_estimate_s,
            "calibrated_indicator": ce.estimate,
            "first_indicator": e.estimate,
            "waves": 3,
            "indicators": indicators,
            "domains": 22,
            "estimates": estimates,
            "all_estimates_seconds": all_s,
    }))
}
