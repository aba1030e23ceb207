//! The text forms of `veilig capacity`'s reports (the JSON forms are the reports themselves).

use chrono::Duration;
use veilig_query::capacity::allocation::AllocationReport;
use veilig_query::capacity::reports::{CoverageReport, DemandReport, NormsReport};

pub fn demand(d: &DemandReport) {
    println!(
        "{} calls {} – {} ({:.1} weeks); {} officer-hours a week needed (norm floor included), {:.1} FTE at {:.0} schedulable hours per FTE",
        d.calls,
        d.from,
        d.to,
        d.weeks,
        d.officer_hours_per_week,
        d.fte_needed,
        d.net_hours_per_fte.schedulable
    );
    let days = ["ma", "di", "wo", "do", "vr", "za", "zo"];
    for (i, day) in days.iter().enumerate() {
        let row: Vec<String> = (0..24)
            .map(|h| d.hours[i * 24 + h].officers_required.to_string())
            .collect();
        println!("  {day} {}", row.join(" "));
    }
}

pub fn coverage(c: &CoverageReport) {
    if c.shortfalls.is_empty() {
        println!(
            "{} hours from {}: every hour meets every requirement ({} duties)",
            c.hours, c.start, c.duties
        );
        return;
    }
    println!("{} hour(s) short:", c.shortfalls.len());
    for s in &c.shortfalls {
        println!(
            "  {} ({}): {} of {} ({} short)",
            c.start + Duration::hours(s.hour as i64),
            s.rule,
            s.available,
            s.required,
            s.short_by
        );
    }
}

pub fn norms(r: &NormsReport) {
    println!(
        "{}Normtoets {} ({} personeelsleden, {} inwoners)",
        if r.synthetic { "[SYNTHETISCH] " } else { "" },
        r.zone_name,
        r.staff,
        r.population.zone
    );
    println!(
        "  inzetbare uren per VTE per jaar: {:.0} (aflosfactor 24/7-post: {:.2} VTE)",
        r.net_hours_per_fte.schedulable, r.net_hours_per_fte.relief_factor
    );
    for l in &r.rules {
        let (req, act, short) = if l.unit == "share" {
            let pct = |v: f64| format!("{:.1} %", v * 100.0);
            let short = format!("{:.1} procentpunt", l.shortfall * 100.0);
            (pct(l.required), pct(l.actual), short)
        } else {
            let n = |v: f64| format!("{v:.2}");
            (n(l.required), n(l.actual), n(l.shortfall))
        };
        let verdict = if l.met {
            "ok".to_string()
        } else if !l.checkable {
            "NIET TE TOETSEN".to_string()
        } else {
            format!("TEKORT {short}")
        };
        println!(
            "  [{}] {:<34} {:<6} nodig {:>8}  aanwezig {:>8}  {}  ({})",
            l.confidence, l.rule, l.scope, req, act, verdict, l.basis
        );
    }
}

pub fn allocation(r: &AllocationReport) {
    let a = &r.allocation;
    println!(
        "{}Allocatie {} (inzetbare uren per jaar; LP in drie stappen)",
        if r.synthetic { "[SYNTHETISCH] " } else { "" },
        r.zone_name
    );
    for (k, s) in a.stages.iter().enumerate() {
        println!("  stap {}: {} (doel {:.2})", k + 1, s.status, s.objective);
    }
    for f in &a.floors {
        println!(
            "  vloer {:<24} nodig {:>9.0}  toegewezen {:>9.0}  tekort {:>8.0}  ({})",
            f.functionality, f.required, f.allocated, f.shortfall, f.rule
        );
    }
    for p in &r.actions {
        let short = if p.allocated + 0.5 < p.asked {
            "  niet volledig bemand"
        } else {
            ""
        };
        println!(
            "  project {:<22} {:<4} gevraagd {:>7.0}  toegewezen {:>7.0}{short}",
            p.code, p.priority, p.asked, p.allocated
        );
    }
    for p in &r.priorities {
        println!(
            "  prioriteit {:<18} gevraagd {:>7.0}  toegewezen {:>7.0}",
            p.priority, p.asked, p.allocated
        );
    }
    println!(
        "  grootste projectaandeel van een team: {:.1} %",
        a.max_project_share * 100.0
    );
}
