//! A plan as it stood on a day: the version in force then (the last one approved by that
//! day, else the newest one known by then, with the standing it had), for the reports of a
//! year, which speak of the plan as it was that year and not as it is being redrafted today.

use chrono::{Datelike, NaiveDate};
use veilig_plan::approval::{Procedure, Taken};

use super::PlanView;

impl PlanView {
    /// The plan as it stood at the end of `day`, or None when no version was known by then.
    pub fn as_of(&self, day: NaiveDate, proc: &Procedure) -> Option<PlanView> {
        let standing = |i: usize| {
            let taken: Vec<Taken> = self.versions[i]
                .steps
                .iter()
                .filter(|s| s.decided_on <= day)
                .map(|s| Taken {
                    step: s.step.clone(),
                    on: s.decided_on,
                    outcome: s.outcome.clone(),
                })
                .collect();
            proc.standing(&taken)
        };
        // A version is known by a day when it was written or one of its steps taken by then.
        let known = |i: usize| {
            let v = &self.versions[i];
            v.created_at.date() <= day || v.steps.iter().any(|s| s.decided_on <= day)
        };
        let candidates: Vec<usize> = (0..self.versions.len()).filter(|&i| known(i)).collect();
        let chosen = candidates
            .iter()
            .rev()
            .copied()
            .find(|&i| standing(i).status == "approved")
            .or_else(|| candidates.last().copied())?;
        let s = standing(chosen);
        let mut v = self.clone();
        v.version = self.versions[chosen].version;
        v.status = s.status.clone();
        v.editable = false;
        v.deadline = s.deadline;
        v.next_steps = s.next.clone();
        v.document = self.documents[chosen].clone();
        v.versions.truncate(chosen + 1);
        v.versions[chosen].standing = s;
        v.documents.truncate(chosen + 1);
        v.hours.clear();
        for y in v.document.period_start.year()..=v.document.period_end.year() {
            let h = v.document.hours_by_priority(y);
            if !h.is_empty() {
                v.hours.insert(y, h);
            }
        }
        Some(v)
    }
}
