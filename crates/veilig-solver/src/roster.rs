//! A greedy roster: enough to staff a week to its hourly requirement and prove it with the
//! coverage check. Not optimal; [`mip_week`] builds the optimal, fair one (rostering MIP). Shifts E 06-14, L 14-22, N 22-06; each shift gets the largest requirement
//! of its hours; officers are taken least-worked first, with at most one shift a day, at
//! least 11 h rest (no L then E, no N then E or L the next day) and at most `max_shifts`
//! shifts in the period. On-call duties for a skill rotate daily among those who have it.

use serde::Serialize;

use veilig_capacity::coverage::Duty;

pub const SHIFTS: [(&str, usize); 3] = [("E", 6), ("L", 14), ("N", 22)];

#[derive(Debug, Clone, PartialEq)]
pub struct Officer {
    pub code: String,
    pub skills: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterReport {
    /// `greedy`, or `mip` (HiGHS, with status, objective, bound and gap in `solver`).
    pub method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solver: Option<crate::mip::MipResult>,
    pub days: usize,
    pub shifts_assigned: usize,
    /// Shifts that could not be staffed to their requirement: (day, shift, required, staffed).
    pub unstaffed: Vec<(usize, &'static str, u32, u32)>,
    /// Shifts without enough officers with a needed skill: (day, shift, skill, missing).
    /// Only the MIP plans skills; the greedy roster leaves them to the coverage proof.
    pub skill_gaps: Vec<(usize, &'static str, String, u32)>,
}

/// Builds duties for `days` days from hour 0 of day 0 (a Monday). `required[h]` is the
/// officers needed in hour-of-week `h`.
pub fn greedy_roster(
    required: &[u32; 168],
    officers: &[Officer],
    days: usize,
    max_shifts: usize,
    functionality: &str,
) -> (Vec<Duty>, RosterReport) {
    let mut worked = vec![0usize; officers.len()];
    let mut last: Vec<Option<(usize, usize)>> = vec![None; officers.len()]; // (day, shift index)
    let mut duties = Vec::new();
    let mut unstaffed = Vec::new();
    let needs = shift_requirement(required, days);
    for (day, day_needs) in needs.iter().enumerate() {
        let mut today = vec![false; officers.len()];
        for (si, (name, _)) in SHIFTS.iter().enumerate() {
            let need = day_needs[si];
            let mut order: Vec<usize> = (0..officers.len()).collect();
            order.sort_by_key(|&i| (worked[i], i));
            let mut staffed = 0u32;
            for i in order {
                if staffed == need {
                    break;
                }
                let rested = match last[i] {
                    Some((d, s)) if d + 1 == day => !((s == 1 && si == 0) || (s == 2 && si < 2)),
                    _ => true,
                };
                if today[i] || !rested || worked[i] >= max_shifts {
                    continue;
                }
                today[i] = true;
                worked[i] += 1;
                last[i] = Some((day, si));
                staffed += 1;
                duties.push(shift_duty(&officers[i], day, si, functionality));
            }
            if staffed < need {
                unstaffed.push((day, *name, need, staffed));
            }
        }
    }
    let report = RosterReport {
        method: "greedy",
        solver: None,
        days,
        shifts_assigned: duties.len(),
        unstaffed,
        skill_gaps: Vec::new(),
    };
    (duties, report)
}

/// Daily 24 h on-call duties for `skill`, rotating over the officers who have it.
pub fn on_call_rota(officers: &[Officer], skill: &str, days: usize) -> Vec<Duty> {
    let with: Vec<&Officer> = officers
        .iter()
        .filter(|o| o.skills.iter().any(|s| s == skill))
        .collect();
    if with.is_empty() {
        return Vec::new();
    }
    (0..days)
        .map(|d| {
            let o = with[d % with.len()];
            Duty {
                officer: o.code.clone(),
                start_hour: d * 24,
                end_hour: d * 24 + 24,
                functionality: "openbare-orde".into(),
                on_call: true,
                skills: o.skills.clone(),
            }
        })
        .collect()
}

/// The 8-hour duty of shift `si` on `day`.
fn shift_duty(officer: &Officer, day: usize, si: usize, functionality: &str) -> Duty {
    let start = day * 24 + SHIFTS[si].1;
    Duty {
        officer: officer.code.clone(),
        start_hour: start,
        end_hour: start + 8,
        functionality: functionality.to_string(),
        on_call: false,
        skills: officer.skills.clone(),
    }
}

/// The week's requirement per day and shift: the largest hourly requirement in the shift.
pub fn shift_requirement(required: &[u32; 168], days: usize) -> Vec<Vec<u32>> {
    (0..days)
        .map(|day| {
            SHIFTS
                .iter()
                .map(|(_, start)| {
                    (0..8)
                        .map(|k| required[(day * 24 + start + k) % 168])
                        .max()
                        .unwrap_or(0)
                })
                .collect()
        })
        .collect()
}

/// What the week must respect beyond the requirement: leave, wishes and skills.
#[derive(Debug, Clone, Default)]
pub struct WeekConstraints {
    /// unavailable[officer][day]: leave.
    pub unavailable: Vec<Vec<bool>>,
    /// Officers who asked not to work nights.
    pub avoid_nights: Vec<bool>,
    /// (skill, officers with it needed on every shift), from the rule set's skill-on-shift
    /// rules.
    pub skills_per_shift: Vec<(String, u32)>,
}

/// The optimal, fair week (the rostering MIP of [`crate::rostering`]) for these officers.
/// Returns the duties and the report with the solver's status, objective, bound and gap.
pub fn mip_week(
    required: &[u32; 168],
    officers: &[Officer],
    days: usize,
    max_shifts: usize,
    functionality: &str,
    constraints: WeekConstraints,
    time_limit: f64,
) -> Result<(Vec<Duty>, RosterReport), String> {
    let inst = crate::rostering::RosterInstance {
        id: "week".into(),
        officers: officers.len(),
        days,
        shifts: SHIFTS.iter().map(|s| s.0.to_string()).collect(),
        required: shift_requirement(required, days),
        min_shifts: 0,
        max_shifts,
        unavailable: constraints.unavailable,
        avoid_nights: constraints.avoid_nights,
        skill_needs: constraints
            .skills_per_shift
            .iter()
            .map(|(skill, per_shift)| crate::rostering::SkillNeed {
                skill: skill.clone(),
                has: officers
                    .iter()
                    .map(|o| o.skills.iter().any(|k| k == skill))
                    .collect(),
                per_shift: *per_shift,
            })
            .collect(),
    };
    let r = crate::rostering::roster(&inst, time_limit)?;
    let mut duties = Vec::new();
    for (i, row) in r.assignment.iter().enumerate() {
        for (day, shift) in row.iter().enumerate() {
            if let Some(si) = shift {
                duties.push(shift_duty(&officers[i], day, *si, functionality));
            }
        }
    }
    duties.sort_by_key(|d| (d.start_hour, d.officer.clone()));
    let report = RosterReport {
        method: "mip",
        days,
        shifts_assigned: duties.len(),
        unstaffed: r
            .uncovered
            .iter()
            .map(|&(day, s, missing)| {
                let need = inst.required[day][s];
                (day, SHIFTS[s].0, need, need - missing)
            })
            .collect(),
        skill_gaps: r
            .uncovered_skills
            .iter()
            .map(|(day, s, skill, missing)| (*day, SHIFTS[*s].0, skill.clone(), *missing))
            .collect(),
        solver: Some(r.result),
    };
    Ok((duties, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use veilig_capacity::coverage::{Requirement, coverage};

    #[test]
    fn greedy_roster_meets_a_feasible_requirement_and_respects_rest() {
        let officers: Vec<Officer> = (0..20)
            .map(|i| Officer {
                code: format!("P{i}"),
                skills: vec![],
            })
            .collect();
        let mut req = [2u32; 168];
        for d in 0..7 {
            for h in 10..22 {
                req[d * 24 + h] = 4;
            }
        }
        let (duties, report) = greedy_roster(&req, &officers, 7, 5, "interventie");
        assert!(report.unstaffed.is_empty(), "{:?}", report.unstaffed);
        let r = Requirement {
            rule: "floor".into(),
            functionality: "interventie".into(),
            skill: None,
            reachable: false,
            per_hour: (0..168).map(|h| req[h]).collect(),
        };
        assert!(coverage(168, &duties, &[r], true).is_empty());
        // Rest: nobody works L then E, or N then E/L, on consecutive days.
        for a in &duties {
            for b in &duties {
                if a.officer == b.officer && b.start_hour > a.start_hour {
                    assert!(
                        b.start_hour - (a.start_hour + 8) >= 11,
                        "{} {} {}",
                        a.officer,
                        a.start_hour,
                        b.start_hour
                    );
                }
            }
        }
        // Too few officers: the report says which shifts are short.
        let few = &officers[..3];
        assert!(
            !greedy_roster(&req, few, 7, 5, "interventie")
                .1
                .unstaffed
                .is_empty()
        );
    }
}
