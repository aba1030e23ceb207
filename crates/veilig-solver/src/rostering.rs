//! Rostering officers over days and shifts with hard rules and weighted fairness, as a MIP
//! (golden instance G of `shared/bench/capacity`, and a zone's own officers): one shift a
//! day, ≥ 11 h rest (no L then E, no N then E or L the next day, the week cyclic), a range of
//! shifts per officer, no shift on a day of leave, coverage per day and shift, and the skills
//! each shift needs (officers with the skill on it); minimise
//! 10·(max − min nights, the minimum over officers who accept nights) + 5·(max weekend shifts) + 0.01·shifts + 1 per night given to an
//! officer who asked for none + 1000 per officer-shift (or skilled officer) left uncovered (coverage is kept as a
//! penalty so that an impossible week still yields a roster with its gaps named, never a
//! silent failure; golden G has none).

use highs::RowProblem;
use serde::Serialize;
use serde_json::Value;

use crate::mip::{MipResult, minimise};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterInstance {
    pub id: String,
    pub officers: usize,
    pub days: usize,
    /// Shift names in order (E, L, N): index 2 is the night.
    pub shifts: Vec<String>,
    /// required[day][shift]
    pub required: Vec<Vec<u32>>,
    pub min_shifts: usize,
    pub max_shifts: usize,
    /// unavailable[officer][day]: leave; empty when nobody is on leave.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unavailable: Vec<Vec<bool>>,
    /// Officers who asked not to work nights (a preference: it costs, it is not forbidden);
    /// empty when none did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub avoid_nights: Vec<bool>,
    /// Skills every shift needs (a team leader on each intervention shift); empty when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skill_needs: Vec<SkillNeed>,
}

/// At least `per_shift` officers with `skill` on every shift.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillNeed {
    pub skill: String,
    /// has[officer]: the officer has the skill.
    pub has: Vec<bool>,
    pub per_shift: u32,
}

/// Penalty per officer-shift short of the requirement.
pub const UNCOVERED_PENALTY: f64 = 1000.0;
/// Penalty per night worked by an officer who asked for none.
pub const NIGHT_PREFERENCE_PENALTY: f64 = 1.0;

impl RosterInstance {
    fn off(&self, officer: usize, day: usize) -> bool {
        self.unavailable.get(officer).is_some_and(|r| r[day])
    }

    fn avoids_nights(&self, officer: usize) -> bool {
        self.avoid_nights.get(officer).copied().unwrap_or(false)
    }
}

pub fn golden(doc: &Value, id: &str) -> Result<RosterInstance, String> {
    let inst = doc["instances"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == id))
        .ok_or_else(|| format!("no instance {id:?}"))?;
    if inst.get("kind").and_then(Value::as_str) != Some("roster") {
        return Err(format!("instance {id} is not a roster instance"));
    }
    let days = inst["days"].as_u64().ok_or("no days")? as usize;
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let required = names[..days]
        .iter()
        .map(|d| {
            inst["required"][d]
                .as_array()
                .ok_or(format!("no requirement for {d}"))
                .map(|a| a.iter().map(|v| v.as_u64().unwrap_or(0) as u32).collect())
        })
        .collect::<Result<Vec<Vec<u32>>, String>>()?;
    let rules: Vec<String> = inst["rules"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let range = rules
        .iter()
        .find(|r| r.contains("shifts in the week"))
        .map(|r| {
            r.split(|c: char| !c.is_ascii_digit())
                .filter_map(|t| t.parse::<usize>().ok())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok(RosterInstance {
        id: id.to_string(),
        officers: inst["officers"].as_u64().ok_or("no officers")? as usize,
        days,
        shifts: vec!["E".into(), "L".into(), "N".into()],
        required,
        min_shifts: range.first().copied().unwrap_or(0),
        max_shifts: range.get(1).copied().unwrap_or(7),
        unavailable: Vec::new(),
        avoid_nights: Vec::new(),
        skill_needs: Vec::new(),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    pub id: String,
    #[serde(flatten)]
    pub result: MipResult,
    /// assignment[officer][day] = shift index, or None for a day off.
    pub assignment: Vec<Vec<Option<usize>>>,
    /// (day, shift index, officers missing) where the requirement could not be met.
    pub uncovered: Vec<(usize, usize, u32)>,
    /// (day, shift index, skill, officers with it missing) where a skill need was not met.
    pub uncovered_skills: Vec<(usize, usize, String, u32)>,
}

/// The objective of an assignment, computed from the rules alone (not from the solver), and
/// whether every hard rule holds.
pub fn evaluate(inst: &RosterInstance, a: &[Vec<Option<usize>>]) -> (f64, Vec<String>) {
    let mut broken = Vec::new();
    let d = inst.days;
    for (o, row) in a.iter().enumerate() {
        let n = row.iter().flatten().count();
        if n < inst.min_shifts || n > inst.max_shifts {
            broken.push(format!("officer {o} works {n} shifts"));
        }
        for day in 0..d {
            if let (Some(today), Some(next)) = (row[day], row[(day + 1) % d])
                && ((today == 1 && next == 0) || (today == 2 && next < 2))
            {
                broken.push(format!("officer {o}: less than 11 h rest after day {day}"));
            }
        }
    }
    let mut uncovered = 0u32;
    for day in 0..d {
        for s in 0..3 {
            let n = a.iter().filter(|row| row[day] == Some(s)).count() as u32;
            if n < inst.required[day][s] {
                // Penalised in the objective, and named: the requirement is not met.
                broken.push(format!(
                    "day {day} shift {s}: {n} < {}",
                    inst.required[day][s]
                ));
            }
            uncovered += inst.required[day][s].saturating_sub(n);
        }
    }
    for need in &inst.skill_needs {
        for day in 0..d {
            for s in 0..3 {
                let n = a
                    .iter()
                    .enumerate()
                    .filter(|(o, row)| need.has[*o] && row[day] == Some(s))
                    .count() as u32;
                if n < need.per_shift {
                    broken.push(format!(
                        "day {day} shift {s}: {n} with {} < {}",
                        need.skill, need.per_shift
                    ));
                    uncovered += need.per_shift - n;
                }
            }
        }
    }
    for (o, row) in a.iter().enumerate() {
        for (day, x) in row.iter().enumerate() {
            if x.is_some() && inst.off(o, day) {
                broken.push(format!("officer {o} works on day {day} of leave"));
            }
        }
    }
    let unwanted_nights = a
        .iter()
        .enumerate()
        .filter(|(o, _)| inst.avoids_nights(*o))
        .map(|(_, row)| row.iter().filter(|x| **x == Some(2)).count())
        .sum::<usize>();
    let nights: Vec<usize> = a
        .iter()
        .map(|row| row.iter().filter(|x| **x == Some(2)).count())
        .collect();
    let weekend: Vec<usize> = a
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|(day, x)| *day >= 5 && x.is_some())
                .count()
        })
        .collect();
    let total: usize = a.iter().map(|row| row.iter().flatten().count()).sum();
    let fewest = nights
        .iter()
        .enumerate()
        .filter(|(o, _)| !inst.avoids_nights(*o))
        .map(|(_, n)| *n)
        .min()
        .unwrap_or(0);
    let spread = nights.iter().max().unwrap_or(&0).saturating_sub(fewest);
    (
        10.0 * spread as f64
            + 5.0 * *weekend.iter().max().unwrap_or(&0) as f64
            + 0.01 * total as f64
            + NIGHT_PREFERENCE_PENALTY * unwanted_nights as f64
            + UNCOVERED_PENALTY * uncovered as f64,
        broken,
    )
}

// Index loops state the model as written on paper (w[i][day][s], day + 1 wrapping).
#[allow(clippy::needless_range_loop)]
pub fn roster(inst: &RosterInstance, time_limit: f64) -> Result<Roster, String> {
    let (o, d) = (inst.officers, inst.days);
    let mut pb = RowProblem::default();
    let w: Vec<Vec<Vec<_>>> = (0..o)
        .map(|i| {
            (0..d)
                .map(|day| {
                    (0..3)
                        .map(|s| {
                            let pref = if s == 2 && inst.avoids_nights(i) {
                                NIGHT_PREFERENCE_PENALTY
                            } else {
                                0.0
                            };
                            // A day of leave: the column is fixed at 0.
                            let top = if inst.off(i, day) { 0.0 } else { 1.0 };
                            pb.add_integer_column(0.01 + pref, 0.0..=top)
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let max_n = pb.add_column(10.0, 0.0..=d as f64);
    let min_n = pb.add_column(-10.0, 0.0..=d as f64);
    let max_w = pb.add_column(5.0, 0.0..=2.0);
    for i in 0..o {
        for day in 0..d {
            pb.add_row(..=1.0, (0..3).map(|s| (w[i][day][s], 1.0)));
            let next = (day + 1) % d;
            pb.add_row(..=1.0, [(w[i][day][1], 1.0), (w[i][next][0], 1.0)]);
            pb.add_row(..=1.0, [(w[i][day][2], 1.0), (w[i][next][0], 1.0)]);
            pb.add_row(..=1.0, [(w[i][day][2], 1.0), (w[i][next][1], 1.0)]);
        }
        let all: Vec<_> = (0..d)
            .flat_map(|day| (0..3).map(move |s| (day, s)))
            .map(|(day, s)| (w[i][day][s], 1.0))
            .collect();
        pb.add_row(inst.min_shifts as f64..=inst.max_shifts as f64, all);
        let nights: Vec<_> = (0..d).map(|day| (w[i][day][2], 1.0)).collect();
        pb.add_row(..=0.0, nights.iter().copied().chain([(max_n, -1.0)]));
        // An officer spared nights at their own request does not count as the "least
        // nights" of the fairness term (the spread is among those who work nights).
        if !inst.avoids_nights(i) {
            pb.add_row(0.0.., nights.iter().copied().chain([(min_n, -1.0)]));
        }
        let weekend: Vec<_> = (5..d)
            .flat_map(|day| (0..3).map(move |s| (day, s)))
            .map(|(day, s)| (w[i][day][s], 1.0))
            .collect();
        pb.add_row(..=0.0, weekend.into_iter().chain([(max_w, -1.0)]));
    }
    let mut short = Vec::new();
    for day in 0..d {
        for s in 0..3 {
            let need = inst.required[day][s] as f64;
            let slack = pb.add_integer_column(UNCOVERED_PENALTY, 0.0..=need);
            short.push((day, s, slack));
            pb.add_row(
                need..,
                (0..o).map(|i| (w[i][day][s], 1.0)).chain([(slack, 1.0)]),
            );
        }
    }
    let mut skill_short = Vec::new();
    for need in &inst.skill_needs {
        for day in 0..d {
            for s in 0..3 {
                let n = need.per_shift as f64;
                let slack = pb.add_integer_column(UNCOVERED_PENALTY, 0.0..=n);
                skill_short.push((day, s, need.skill.clone()));
                pb.add_row(
                    n..,
                    (0..o)
                        .filter(|&i| need.has[i])
                        .map(|i| (w[i][day][s], 1.0))
                        .chain([(slack, 1.0)]),
                );
            }
        }
    }
    let slack_base = o * d * 3 + 3;
    let result = minimise(pb, time_limit)?;
    let skill_base = slack_base + short.len();
    let uncovered_skills = skill_short
        .into_iter()
        .enumerate()
        .filter_map(|(k, (day, s, skill))| {
            let v = result.values[skill_base + k].round() as u32;
            (v > 0).then_some((day, s, skill, v))
        })
        .collect();
    let uncovered = short
        .iter()
        .enumerate()
        .filter_map(|(k, (day, s, _))| {
            let v = result.values[slack_base + k].round() as u32;
            (v > 0).then_some((*day, *s, v))
        })
        .collect();
    let assignment = (0..o)
        .map(|i| {
            (0..d)
                .map(|day| (0..3).find(|&s| result.values[(i * d + day) * 3 + s] > 0.5))
                .collect()
        })
        .collect();
    Ok(Roster {
        id: inst.id.clone(),
        result,
        assignment,
        uncovered,
        uncovered_skills,
    })
}
