//! The text of `veilig picture`.

use veilig_analysis::Verdict;
use veilig_query::analysis::PictureRun;

use crate::args::PictureArgs;

pub fn verdict_nl(v: Verdict) -> &'static str {
    match v {
        Verdict::SignificantlyHigher => "significant hoger",
        Verdict::SignificantlyLower => "significant lager",
        Verdict::NoSignificantChange => "geen significante verandering",
        Verdict::TooFewEvents => "te weinig feiten om iets te besluiten",
        Verdict::Withheld => "niet gepubliceerd (afschermingsregels)",
    }
}

pub fn picture(run: &PictureRun, a: &PictureArgs) {
    let (l, pic) = (&run.loaded, &run.picture);
    let synthetic = if l.zone.synthetic {
        "[SYNTHETISCH] "
    } else {
        ""
    };
    println!(
        "{synthetic}{}: {} feiten van {} tot {}",
        a.select.phenomenon, pic.count, l.period.start, l.period.end
    );
    for lc in &pic.comparisons {
        let c = &lc.comparison;
        println!(
            "  {:<28} {:>7} tegen {:>9.1}  p = {:<10.3e} {}",
            lc.label,
            c.current,
            c.baseline_per_period.unwrap_or(c.baseline),
            c.p_value,
            verdict_nl(c.verdict)
        );
    }
    if let Some(t) = &pic.trend {
        println!(
            "  trend: {:+.1} % per jaar (95 %: {:+.1} tot {:+.1}), p = {:.3e}",
            t.annual_change_pct, t.annual_change_low_pct, t.annual_change_high_pct, t.p_value
        );
    }
    let headline = verdict_nl(pic.comparison.comparison.verdict);
    println!("  kernvergelijking ({}): {headline}", a.test.compare);
    if let Some(dir) = &a.out {
        println!("  geschreven: {}", dir.join("index.html").display());
    }
}
