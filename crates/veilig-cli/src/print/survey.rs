//! The text of `veilig survey`: indicators, wave comparisons, an estimate from a file.

use veilig_query::survey::answers::{ComparisonReport, IndicatorsReport};
use veilig_query::survey::file_estimate::FileEstimate;
use veilig_query::survey::{SurveyComparison, Unit};

pub fn indicators(report: &IndicatorsReport) {
    for r in &report.indicators {
        let unit = match &r.unit {
            Unit::Zone => report.zone.clone(),
            Unit::Municipality(m) | Unit::Wijk(m) | Unit::RestOf(m) => m.clone(),
        };
        let shown = if r.presentation.shown() {
            let pct = |v: f64| v * 100.0;
            let (e, lo, hi) = (pct(r.estimate), pct(r.ci_low), pct(r.ci_high));
            format!("{e:5.1} % [{lo:.1} – {hi:.1}]")
        } else {
            format!("niet getoond ({:?})", r.presentation)
        };
        println!(
            "{} {} {:<24} {:<10} {shown}  n = {}, effectief n = {:.0}{}",
            r.survey,
            r.wave,
            r.indicator,
            unit,
            r.n,
            r.n_eff,
            if r.synthetic { " (synthetisch)" } else { "" }
        );
    }
}

pub fn comparison_line(indicator: &str, r: &SurveyComparison) -> String {
    let pct = |v: Option<f64>| {
        v.map(|v| format!("{:.1} %", v * 100.0))
            .unwrap_or_else(|| "withheld".into())
    };
    let figures = match (r.difference, r.ci_low, r.ci_high, r.p_value) {
        (Some(d), Some(lo), Some(hi), Some(p)) => format!(
            "difference {:+.1} points [{:+.1}; {:+.1}], p = {p:.3}",
            d * 100.0,
            lo * 100.0,
            hi * 100.0
        ),
        _ => "difference withheld (a side may not be shown)".into(),
    };
    format!(
        "{indicator} {:?}: {} {} against {} {}: {figures}: {}",
        r.unit,
        r.a,
        pct(r.estimate_a),
        r.b,
        pct(r.estimate_b),
        r.verdict.as_str()
    )
}

pub fn comparisons(r: &ComparisonReport) {
    for c in &r.comparisons {
        println!("{}", comparison_line(&r.indicator, c));
    }
}

pub fn estimate(e: &FileEstimate) {
    println!(
        "{} {}{}: {:.6} (SE {:.6}; {:.0} % interval {:.6} – {:.6}, {}); n = {}, effectief n = {:.1}, vrijheidsgraden {}{}",
        e.kind,
        e.of,
        e.domain
            .as_ref()
            .map(|d| format!(" [{d}]"))
            .unwrap_or_default(),
        e.estimate,
        e.se,
        e.level * 100.0,
        e.ci_low,
        e.ci_high,
        e.ci_method,
        e.n,
        e.n_eff,
        e.df,
        e.deff
            .map(|d| format!(", design-effect {d:.3}"))
            .unwrap_or_default()
    );
    if let Some(c) = &e.contrast {
        println!(
            "verschil {} min {}: {:.6} − {:.6} (n = {} en {}), t = {:.3}, p = {:.4}: {}",
            c.a, c.b, c.estimate_a, c.estimate_b, c.n_a, c.n_b, c.t, c.p_value, c.verdict
        );
    }
    if let Some(w) = &e.weighting {
        for s in &w.steps {
            println!("{}: {}", s.step, s.detail);
        }
        let r = &w.weights;
        println!(
            "gewichten: {} tot {} (gemiddeld {:.3}, totaal {:.1}), design-effect van de weging {:.3}",
            r.min, r.max, r.mean, r.total, r.deff_weighting
        );
    }
    if let (Some(p), Some(rule)) = (e.presentation.filter(|p| !p.shown()), &e.small_sample_rule) {
        println!("niet tonen volgens de regel voor kleine steekproeven ({p:?}): {rule}");
    }
}
