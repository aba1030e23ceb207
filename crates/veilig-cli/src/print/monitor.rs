//! The text forms of the plan's follow-up listings (the JSON forms are the values themselves).

use chrono::NaiveDate;
use veilig_query::monitor::{Agenda, IndicatorStatus, ProblemStatus, Refresh};
use veilig_store::{ReviewDecisionRow, ReviewRow};

pub fn fmt(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.3}")
        }
    })
}

pub fn indicators(st: &[IndicatorStatus]) {
    for s in st {
        println!(
            "{} [{}] {} ({}, {}): basislijn {} → doel {} — laatste {} op {} — {}",
            s.code,
            s.objective,
            s.name,
            s.kind.as_str(),
            s.unit,
            fmt(s.baseline.value),
            fmt(s.target.value),
            fmt(s.progress.latest),
            s.progress
                .latest_period_end
                .map_or("—".into(), |d| d.to_string()),
            s.verdict
        );
    }
}

pub fn refresh(r: &Refresh) {
    println!(
        "{} indicators, {} values computed, {} measurements written",
        r.indicators,
        r.computed,
        r.changes.len()
    );
    for c in &r.changes {
        println!(
            "  {} {}..{} rev {}: {} -> {} ({})",
            c.indicator,
            c.period_start,
            c.period_end,
            c.revision,
            fmt(c.old),
            c.new,
            c.reason
        );
    }
}

pub fn problems(ps: &[ProblemStatus]) {
    for p in ps {
        print!(
            "{} {} ({}, {}): ",
            p.file.code, p.file.title, p.file.phenomenon, p.file.stage
        );
        match &p.assessment {
            Some(a) => println!(
                "plaats {} → {}, vergelijking {} → {}: verhouding {} ({}–{}), p {} — {:?}",
                a.place.before,
                a.place.after,
                a.comparison.before,
                a.comparison.after,
                fmt(a.ratio_of_ratios),
                fmt(a.low),
                fmt(a.high),
                fmt(a.p_value),
                a.verdict
            ),
            None => println!("nog geen periode na de start om te beoordelen"),
        }
    }
}

pub fn agenda(a: &Agenda, from: NaiveDate, to: NaiveDate) {
    println!("Compstat {from} tot {to}");
    for i in &a.moved {
        let pct = fmt(i.change_pct);
        println!("  indicator {} {}: {} ({pct} %)", i.code, i.name, i.verdict);
    }
    for o in &a.off_track {
        let names = o.indicators.join(", ");
        println!("  doelstelling {} niet op koers: {names}", o.objective);
    }
    for r in &a.rising {
        println!(
            "  stijgend: {} {} feiten ({} %, p {:.3})",
            r.name_nl,
            r.count,
            fmt(r.change_pct),
            r.p_value
        );
    }
    for h in &a.hotspots {
        let c = &h.cell;
        println!(
            "  nieuwe hotspot {}: {} feiten tegen {} een jaar eerder (cel {:.0} m rond {:.0}, {:.0}; p {:.2e})",
            h.phenomenon, c.now, c.before, c.cell_m, c.x, c.y, c.p_value
        );
    }
    for s in &a.series {
        let r = &s.series;
        println!(
            "  reeks {}: {} feiten van {} tot {} rond {:.0}, {:.0}",
            s.phenomenon, r.events, r.first, r.last, r.x, r.y
        );
    }
    for d in &a.open_decisions {
        println!(
            "  open beslissing #{}: {} — {} tegen {}",
            d.id, d.what, d.who, d.due
        );
    }
}

pub fn reviews(reviews: &[ReviewRow], decisions: &[ReviewDecisionRow]) {
    for r in reviews {
        println!(
            "#{} {} {} ({} tot {})",
            r.id, r.kind, r.held_on, r.period_from, r.period_to
        );
        for d in decisions.iter().filter(|d| d.review_id == r.id) {
            let state = d
                .closed_in
                .map_or("open".to_string(), |c| format!("gesloten in #{c}"));
            println!(
                "   #{} {} — {} tegen {}: {state}",
                d.id, d.what, d.who, d.due
            );
        }
    }
}
