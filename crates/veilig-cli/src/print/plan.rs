//! The text forms of `veilig plan`'s listings (the JSON forms are the values themselves).

use chrono::NaiveDate;
use veilig_plan::{Level, Objective, PlanDoc, ReferencePlan};
use veilig_query::plan::{Matrix, PlanView};
use veilig_store::Decision;

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{:+.1} %", v))
}

pub fn matrix(m: &Matrix) {
    println!(
        "{}Prioriteitenmatrix {} {} tot {} (methode {} v{})",
        if m.synthetic { "[SYNTHETISCH] " } else { "" },
        m.zone_name,
        m.period.start,
        m.period.end,
        m.method.name,
        m.method.version
    );
    println!(
        "  {:>4} {:<24} {:>6} {:>8} {:>9} {:<22} {:>7} {:>6}  NVP/KIV",
        "rang", "fenomeen", "feiten", "/1.000", "trend/j", "oordeel", "score", "band",
    );
    for r in &m.rows {
        println!(
            "  {:>4} {:<24} {:>6} {:>8} {:>9} {:<22} {:>7.3} {:>6}  {}",
            r.rank,
            r.phenomenon,
            r.count,
            r.rate_per_1000.map_or("—".into(), |v| format!("{v:.2}")),
            pct(r.trend.as_ref().map(|t| t.annual_change_pct)),
            r.verdict.as_str(),
            r.score,
            format!("{}-{}", r.rank_best, r.rank_worst),
            r.alignment
                .iter()
                .map(|a| format!("{}:{}", a.plan, a.item))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    println!("  band: beste en slechtste rang als een gewicht ± 25 % verschuift");
    println!("  {}", m.note);
}

pub fn references(plans: &[ReferencePlan], day: NaiveDate) {
    for p in plans {
        println!(
            "{} ({}) {} tot {}, {:?}{} [{}]: {}",
            p.code,
            p.kind,
            p.period_start,
            p.period_end,
            p.status,
            if p.in_force_on(day) {
                ", van kracht"
            } else {
                ""
            },
            p.confidence,
            p.title
        );
        println!("    bron: {}", p.citation);
    }
}

pub fn decisions(log: &[Decision], current: &[Decision]) {
    for d in log {
        println!(
            "#{} {} {} {} {} ({}, {}): {} — {}",
            d.id,
            d.meeting,
            d.outcome,
            d.subject,
            d.title,
            d.kind,
            d.domain,
            d.rationale,
            d.decided_by
        );
    }
    println!(
        "huidige prioriteiten: {}",
        current
            .iter()
            .map(|d| d.subject.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
}

pub fn diff(code: &str, from: i32, to: i32, changes: &[veilig_plan::Change]) {
    println!("{code}: version {from} -> {to}, {} changes", changes.len());
    for c in changes {
        println!("  {} {} {}", c.change, c.item, c.code);
        for (f, a, b) in &c.fields {
            println!("      {f}: {a} -> {b}");
        }
    }
}

pub fn plan(v: &PlanView) {
    let d = &v.document;
    println!(
        "{}{} ({}), {} tot {} — versie {}: {}{}",
        if v.synthetic { "[SYNTHETISCH] " } else { "" },
        d.title,
        v.code,
        d.period_start,
        d.period_end,
        v.version,
        v.status,
        v.deadline
            .map_or(String::new(), |x| format!(", volgende stap uiterlijk {x}"))
    );
    for p in &d.priorities {
        println!(
            "  {} {} [{}, {}] {}",
            p.code,
            p.title,
            p.kind.as_str(),
            p.domain.as_str(),
            p.references.join(" ")
        );
        objectives(d, &p.code);
    }
    versions(v);
}

/// A priority's strategic objectives, their tactical and operational children, each with
/// its actions.
fn objectives(d: &PlanDoc, priority: &str) {
    let children = |parent: &str| -> Vec<&Objective> {
        d.objectives
            .iter()
            .filter(|o| o.parent.as_deref() == Some(parent))
            .collect()
    };
    for s in d
        .objectives
        .iter()
        .filter(|o| o.priority == priority && o.level == Level::Strategic)
    {
        objective(d, s, 4);
        for t in children(&s.code) {
            objective(d, t, 6);
            for op in children(&t.code) {
                objective(d, op, 8);
            }
        }
    }
}

fn objective(d: &PlanDoc, o: &Objective, indent: usize) {
    println!(
        "{:indent$}{} {} ({}): {} — doel {} tegen {}, piloot {}",
        "",
        o.code,
        o.level.as_str(),
        o.priority,
        o.statement,
        o.target,
        o.due,
        o.owner,
    );
    for a in d.actions.iter().filter(|a| a.objective == o.code) {
        let phases: Vec<&str> = a.phases.iter().map(|p| p.as_str()).collect();
        let partners: Vec<String> = a
            .partners
            .iter()
            .map(|p| format!("{} ({})", p.partner, p.role))
            .collect();
        println!(
            "{:indent$}  actie {} {} {}: {} [{}] {} u, partners {}",
            "",
            a.code,
            a.year,
            a.owner,
            a.title,
            phases.join(", "),
            a.hours,
            partners.join(", "),
        );
    }
}

fn versions(v: &PlanView) {
    println!("  versies:");
    for ver in &v.versions {
        println!(
            "    {} ({}{}): {}",
            ver.version,
            ver.kind,
            if ver.reason.is_empty() {
                String::new()
            } else {
                format!(", {}", ver.reason)
            },
            ver.standing.status
        );
        for s in &ver.steps {
            println!(
                "      {} {} {} ({})",
                s.decided_on, s.step, s.outcome, s.reference
            );
        }
    }
}
