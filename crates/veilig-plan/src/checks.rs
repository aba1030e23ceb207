//! The checks of a plan document: every problem named with its item and field, so that a
//! draft is refused whole with all its faults at once.

use std::collections::BTreeSet;

use chrono::Datelike;

use crate::document::{PlanDoc, valid_code};

impl PlanDoc {
    /// Every problem of the document, each naming the item and field; empty when valid.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("title: empty".into());
        }
        if self.period_end <= self.period_start {
            out.push(format!(
                "period: end {} is not after start {}",
                self.period_end, self.period_start
            ));
        }
        let mut codes = BTreeSet::new();
        let mut dup = |kind: &str, code: &str, out: &mut Vec<String>| {
            if !valid_code(code) {
                out.push(format!(
                    "{kind} {code:?}: code must be 1-40 letters, digits, '.', '-', '_'"
                ));
            }
            if !codes.insert(code.to_string()) {
                out.push(format!("{kind} {code:?}: code used twice in the plan"));
            }
        };
        for p in &self.priorities {
            dup("priority", &p.code, &mut out);
            if p.title.trim().is_empty() {
                out.push(format!("priority {}: title is empty", p.code));
            }
        }
        for o in &self.objectives {
            dup("objective", &o.code, &mut out);
            if self.priority(&o.priority).is_none() {
                out.push(format!(
                    "objective {}: priority {:?} is not in the plan",
                    o.code, o.priority
                ));
            }
            match (o.level.parent(), &o.parent) {
                (None, Some(p)) => out.push(format!(
                    "objective {}: a strategic objective has no parent (got {p:?})",
                    o.code
                )),
                (Some(l), None) => out.push(format!(
                    "objective {}: a {} objective needs a {} parent",
                    o.code,
                    o.level.as_str(),
                    l.as_str()
                )),
                (Some(l), Some(p)) => match self.objective(p) {
                    None => out.push(format!(
                        "objective {}: parent {p:?} is not in the plan",
                        o.code
                    )),
                    Some(po) if po.level != l => out.push(format!(
                        "objective {}: parent {p} is {}, not {}",
                        o.code,
                        po.level.as_str(),
                        l.as_str()
                    )),
                    Some(po) if po.priority != o.priority => out.push(format!(
                        "objective {}: parent {p} serves priority {}, not {}",
                        o.code, po.priority, o.priority
                    )),
                    _ => {}
                },
                (None, None) => {}
            }
            for (field, v) in [
                ("statement", &o.statement),
                ("target", &o.target),
                ("owner", &o.owner),
            ] {
                if v.trim().is_empty() {
                    out.push(format!(
                        "objective {}: {field} is empty (SMART: what, how much, who)",
                        o.code
                    ));
                }
            }
            if o.due < self.period_start || o.due > self.period_end {
                out.push(format!(
                    "objective {}: due {} lies outside the plan's period {} to {}",
                    o.code, o.due, self.period_start, self.period_end
                ));
            }
        }
        for a in &self.actions {
            dup("action", &a.code, &mut out);
            if self.objective(&a.objective).is_none() {
                out.push(format!(
                    "action {}: objective {:?} is not in the plan",
                    a.code, a.objective
                ));
            }
            if !a.hours.is_finite() || a.hours < 0.0 {
                out.push(format!(
                    "action {}: hours {} must be 0 or more",
                    a.code, a.hours
                ));
            }
            if a.year < self.period_start.year() || a.year > self.period_end.year() {
                out.push(format!(
                    "action {}: year {} lies outside the plan's period",
                    a.code, a.year
                ));
            }
            if a.phases.is_empty() {
                out.push(format!(
                    "action {}: no chain phase (proactie, preventie, reactie, nazorg)",
                    a.code
                ));
            }
            if a.title.trim().is_empty() || a.owner.trim().is_empty() {
                out.push(format!("action {}: title and owner are required", a.code));
            }
            for f in &a.functionalities {
                if veilig_domain::Functionality::parse(f).is_none() {
                    let valid: Vec<&str> = veilig_domain::Functionality::ALL
                        .iter()
                        .map(|f| f.as_str())
                        .collect();
                    out.push(format!(
                        "action {}: functionality {f:?} is not one of {}",
                        a.code,
                        valid.join(", ")
                    ));
                }
            }
            for p in &a.partners {
                if !valid_code(&p.partner) {
                    out.push(format!(
                        "action {}: partner {:?} is not a code",
                        a.code, p.partner
                    ));
                }
            }
        }
        out
    }
}
