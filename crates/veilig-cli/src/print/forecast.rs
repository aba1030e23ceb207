//! The text of `veilig forecast`: the backtest against the naive count, next week's cells.

use veilig_forecast::{Backtest, VsNaive};

pub fn backtest(b: &Backtest, vs: &[VsNaive], weekly: bool) {
    println!(
        "{}: {} weekly origins, {} test events, mask {} cells of {} m; median {:.4} s per forecast",
        b.method, b.origins, b.test_events, b.mask_cells, b.cell_metres, b.seconds_per_forecast
    );
    println!(
        "{:>9} {:>6} {:>9} {:>7} {:>7} {:>9} {:>17} {:>9} {:>9}  verdict",
        "coverage",
        "cells",
        "hit rate",
        "PAI",
        "PEI*",
        "vs naive",
        "95% interval",
        "p event",
        "p weekly"
    );
    for (j, v) in vs.iter().enumerate() {
        println!(
            "{:>8}% {:>6} {:>9.3} {:>7.2} {:>7.3} {:>9.3} {:>8.3}–{:<8.3} {:>9.4} {:>9.4}  {}",
            b.coverage[j],
            b.flagged_cells[j],
            b.hit_rate[j],
            b.pai[j],
            b.pei_star[j],
            v.ratio,
            v.interval[0],
            v.interval[1],
            v.p_value,
            v.p_wilcoxon,
            v.verdict
        );
    }
    println!("log score per event: {:.4}", b.log_score);
    if weekly {
        for w in &b.weeks {
            println!(
                "{} n={} hits={:?} best={:?}",
                w.origin.date(),
                w.n,
                w.hits,
                w.best
            );
        }
    }
}

pub fn next(v: &veilig_query::forecast::ForecastView) {
    if v.synthetic {
        println!("SYNTHETIC DEMO DATA");
    }
    println!(
        "{} {}: week {} to {}, {} % of {} cells ({} cells of {} m)",
        v.zone,
        v.phenomenon,
        v.origin,
        v.week_end,
        v.coverage,
        v.card.mask_cells,
        v.flagged_cells,
        v.cell_metres
    );
    let e = &v.card.backtest;
    if e.beats_naive {
        println!(
            "evidence: {} caught {:.3} of the events in the {} weeks before, the naive count {:.3}: ratio {:.2} (95% {:.2}-{:.2}, p {:.4})",
            e.method,
            e.hit_rate,
            e.weeks,
            e.naive_hit_rate,
            e.vs_naive.ratio,
            e.vs_naive.interval[0],
            e.vs_naive.interval[1],
            e.vs_naive.p_value
        );
    } else {
        println!(
            "evidence: {} does not beat the naive count on the {} weeks before (ratio {:.2}, 95% {:.2}-{:.2}, p {:.4}); showing the naive count",
            e.method,
            e.weeks,
            e.vs_naive.ratio,
            e.vs_naive.interval[0],
            e.vs_naive.interval[1],
            e.vs_naive.p_value
        );
    }
    println!(
        "{:>4} {:>12} {:>12} {:>6} {:>6}  area  ({})",
        "rank", "x", "y", "past", "naive", v.shown
    );
    for c in &v.cells {
        println!(
            "{:>4} {:>12.0} {:>12.0} {:>6} {:>6}  {}",
            c.rank,
            c.x,
            c.y,
            c.past_count,
            if c.in_naive { "yes" } else { "no" },
            c.area.as_deref().unwrap_or("-")
        );
    }
    for l in v.card.limits.iter() {
        println!("limit: {}", l.en);
    }
}
