//! The Curtois & Qu shift scheduling benchmark (schedulingbenchmarks.org, University of
//! Nottingham): the text format, a MIP model solved by HiGHS, and an evaluator that
//! recomputes a roster's penalty and checks every hard rule without the solver.
//!
//! Edge convention (as the usual MIP formulation, see shared/bench/capacity/curtois-qu):
//! a run of working days (or days off) that is too short is forbidden only when it is
//! bounded on both sides inside the horizon; runs touching the first or last day are free.

use std::collections::HashMap;

use serde::Serialize;

use crate::mip::MipResult;

mod colgen;
mod compact;
mod master;
mod pricing;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Staff {
    pub id: String,
    /// Most assignments per shift type (index into `shifts`).
    pub max_shifts: Vec<u32>,
    pub max_minutes: u32,
    pub min_minutes: u32,
    pub max_consecutive: usize,
    pub min_consecutive: usize,
    pub min_days_off: usize,
    pub max_weekends: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instance {
    pub days: usize,
    pub shifts: Vec<String>,
    pub minutes: Vec<u32>,
    /// forbidden[t] = shifts that may not follow t on the next day.
    pub forbidden: Vec<Vec<usize>>,
    pub staff: Vec<Staff>,
    pub days_off: Vec<Vec<usize>>,
    /// (employee, day, shift, weight)
    pub on_requests: Vec<(usize, usize, usize, u32)>,
    pub off_requests: Vec<(usize, usize, usize, u32)>,
    /// cover[day][shift] = (requirement, under weight, over weight)
    pub cover: Vec<Vec<(u32, u32, u32)>>,
}

/// Parses the text format; errors name the line and what is wrong.
pub fn parse(text: &str) -> Result<Instance, String> {
    let mut section = String::new();
    let mut by: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with("SECTION_") {
            section = line.to_string();
            continue;
        }
        by.entry(section.clone()).or_default().push((
            i + 1,
            line.split(',').map(|f| f.trim().to_string()).collect(),
        ));
    }
    let rows = |s: &str| by.get(s).cloned().unwrap_or_default();
    let num = |line: usize, f: &str, what: &str| {
        f.parse::<u32>()
            .map_err(|_| format!("line {line}: {what} {f:?} is not a number"))
    };
    let days = rows("SECTION_HORIZON")
        .first()
        .ok_or("no SECTION_HORIZON")?
        .1[0]
        .parse::<usize>()
        .map_err(|_| "the horizon is not a number")?;
    let shift_rows = rows("SECTION_SHIFTS");
    let shifts: Vec<String> = shift_rows.iter().map(|(_, f)| f[0].clone()).collect();
    let index = |line: usize, id: &str| {
        shifts
            .iter()
            .position(|s| s == id)
            .ok_or(format!("line {line}: unknown shift {id:?}"))
    };
    let mut minutes = Vec::new();
    let mut forbidden = Vec::new();
    for (line, f) in &shift_rows {
        minutes.push(num(
            *line,
            f.get(1).ok_or(format!("line {line}: no length"))?,
            "length",
        )?);
        let next = f.get(2).map(String::as_str).unwrap_or("");
        forbidden.push(
            next.split('|')
                .filter(|x| !x.is_empty())
                .map(|x| index(*line, x))
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    let mut staff = Vec::new();
    for (line, f) in rows("SECTION_STAFF") {
        if f.len() < 8 {
            return Err(format!("line {line}: a staff line has 8 fields"));
        }
        let mut max_shifts = vec![u32::MAX; shifts.len()];
        for part in f[1].split('|').filter(|x| !x.is_empty()) {
            let (s, n) = part
                .split_once('=')
                .ok_or(format!("line {line}: MaxShifts {part:?} is not SHIFT=N"))?;
            max_shifts[index(line, s)?] = num(line, n, "MaxShifts")?;
        }
        staff.push(Staff {
            id: f[0].clone(),
            max_shifts,
            max_minutes: num(line, &f[2], "MaxTotalMinutes")?,
            min_minutes: num(line, &f[3], "MinTotalMinutes")?,
            max_consecutive: num(line, &f[4], "MaxConsecutiveShifts")? as usize,
            min_consecutive: num(line, &f[5], "MinConsecutiveShifts")? as usize,
            min_days_off: num(line, &f[6], "MinConsecutiveDaysOff")? as usize,
            max_weekends: num(line, &f[7], "MaxWeekends")? as usize,
        });
    }
    let who = |line: usize, id: &str| {
        staff
            .iter()
            .position(|s| s.id == id)
            .ok_or(format!("line {line}: unknown employee {id:?}"))
    };
    let mut days_off = vec![Vec::new(); staff.len()];
    for (line, f) in rows("SECTION_DAYS_OFF") {
        let e = who(line, &f[0])?;
        for d in &f[1..] {
            days_off[e].push(num(line, d, "day")? as usize);
        }
    }
    let requests = |name: &str| -> Result<Vec<(usize, usize, usize, u32)>, String> {
        rows(name)
            .iter()
            .map(|(line, f)| {
                Ok((
                    who(*line, &f[0])?,
                    num(*line, &f[1], "day")? as usize,
                    index(*line, &f[2])?,
                    num(*line, &f[3], "weight")?,
                ))
            })
            .collect()
    };
    let on_requests = requests("SECTION_SHIFT_ON_REQUESTS")?;
    let off_requests = requests("SECTION_SHIFT_OFF_REQUESTS")?;
    let mut cover = vec![vec![(0, 0, 0); shifts.len()]; days];
    for (line, f) in rows("SECTION_COVER") {
        let d = num(line, &f[0], "day")? as usize;
        if d >= days {
            return Err(format!("line {line}: day {d} is beyond the horizon"));
        }
        cover[d][index(line, &f[1])?] = (
            num(line, &f[2], "requirement")?,
            num(line, &f[3], "under weight")?,
            num(line, &f[4], "over weight")?,
        );
    }
    Ok(Instance {
        days,
        shifts,
        minutes,
        forbidden,
        staff,
        days_off,
        on_requests,
        off_requests,
        cover,
    })
}

/// assignment[employee][day] = shift index or None.
pub type Assignment = Vec<Vec<Option<usize>>>;

/// The penalty of an assignment and the hard rules it breaks, from the rules alone.
pub fn evaluate(inst: &Instance, a: &Assignment) -> (u64, Vec<String>) {
    let mut broken = Vec::new();
    let d = inst.days;
    for (e, s) in inst.staff.iter().enumerate() {
        let row = &a[e];
        for t in 0..inst.shifts.len() {
            let n = row.iter().filter(|x| **x == Some(t)).count() as u32;
            if n > s.max_shifts[t] {
                broken.push(format!("{}: {} × {}", s.id, n, inst.shifts[t]));
            }
        }
        let minutes: u32 = row.iter().flatten().map(|t| inst.minutes[*t]).sum();
        if minutes < s.min_minutes || minutes > s.max_minutes {
            broken.push(format!("{}: {minutes} minutes", s.id));
        }
        for day in 0..d.saturating_sub(1) {
            if let (Some(t), Some(u)) = (row[day], row[day + 1])
                && inst.forbidden[t].contains(&u)
            {
                broken.push(format!(
                    "{}: {} then {} on day {}",
                    s.id,
                    inst.shifts[t],
                    inst.shifts[u],
                    day + 1
                ));
            }
        }
        for &off in &inst.days_off[e] {
            if row.get(off).copied().flatten().is_some() {
                broken.push(format!("{}: works on day off {off}", s.id));
            }
        }
        // Runs of working days and of days off.
        let mut day = 0;
        while day < d {
            let working = row[day].is_some();
            let start = day;
            while day < d && row[day].is_some() == working {
                day += 1;
            }
            let len = day - start;
            let inside = start > 0 && day < d;
            if working && len > s.max_consecutive {
                broken.push(format!("{}: {len} days in a row from day {start}", s.id));
            }
            if working && inside && len < s.min_consecutive {
                broken.push(format!(
                    "{}: only {len} working days from day {start}",
                    s.id
                ));
            }
            if !working && inside && len < s.min_days_off {
                broken.push(format!("{}: only {len} days off from day {start}", s.id));
            }
        }
        let weekends = (0..d / 7)
            .filter(|w| row[w * 7 + 5].is_some() || row[w * 7 + 6].is_some())
            .count();
        if weekends > s.max_weekends {
            broken.push(format!("{}: {weekends} weekends", s.id));
        }
    }
    let mut penalty = 0u64;
    for &(e, day, t, w) in &inst.on_requests {
        if a[e][day] != Some(t) {
            penalty += w as u64;
        }
    }
    for &(e, day, t, w) in &inst.off_requests {
        if a[e][day] == Some(t) {
            penalty += w as u64;
        }
    }
    for day in 0..d {
        for t in 0..inst.shifts.len() {
            let n = a.iter().filter(|row| row[day] == Some(t)).count() as u32;
            let (req, under, over) = inst.cover[day][t];
            penalty += if n < req {
                (req - n) as u64 * under as u64
            } else {
                (n - req) as u64 * over as u64
            };
        }
    }
    (penalty, broken)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solved {
    #[serde(flatten)]
    pub result: MipResult,
    /// The penalty recomputed by [`evaluate`] from the roster, and the hard rules it breaks.
    pub evaluated: u64,
    pub broken_rules: Vec<String>,
    #[serde(skip)]
    pub assignment: Assignment,
}

/// How [`solve`] works: `Colgen` (the default) is exact (column generation, then every
/// pattern that could improve, see [`colgen`]); `Compact` is the plain MIP of [`compact`],
/// kept as an independent second formulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    #[default]
    Colgen,
    Compact,
}

impl std::str::FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "colgen" => Ok(Method::Colgen),
            "compact" => Ok(Method::Compact),
            other => Err(format!("unknown method {other:?} (colgen or compact)")),
        }
    }
}

/// Solves an instance within `time_limit` seconds and re-scores the roster with [`evaluate`].
pub fn solve(inst: &Instance, method: Method, time_limit: f64) -> Result<Solved, String> {
    let (result, assignment) = match method {
        Method::Colgen => colgen::solve(inst, time_limit)?,
        Method::Compact => compact::solve(inst, time_limit)?,
    };
    let (evaluated, broken_rules) = evaluate(inst, &assignment);
    Ok(Solved {
        result,
        evaluated,
        broken_rules,
        assignment,
    })
}
