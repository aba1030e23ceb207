//! Shift design: the cheapest set of shifts (lengths and start hours allowed by the
//! instance) that puts enough officers on duty in every hour — a set-covering MIP over a
//! cyclic horizon (Dantzig 1954, "A comment on Edie's traffic delays at toll booths").

use highs::RowProblem;
use serde::Serialize;
use serde_json::Value;

use crate::mip::{MipResult, minimise};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Starts {
    Any,
    /// Only these hours of the day.
    HoursOfDay(Vec<usize>),
    /// Any hour, but at most this many distinct hours of the day over the horizon.
    MaxDistinctHours(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cost {
    /// Minimise the number of shifts.
    Count,
    /// Minimise the sum over shifts of (length + extra).
    LengthPlus(f64),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftInstance {
    pub id: String,
    pub horizon: usize,
    pub demand: Vec<u32>,
    pub lengths: Vec<usize>,
    pub starts: Starts,
    pub cost: Cost,
}

fn numbers(s: &str) -> Vec<f64> {
    s.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|t| t.trim_matches('.').parse().ok())
        .collect()
}

/// Reads instance `id` from the golden-instances JSON of `shared/bench/capacity`.
pub fn golden(doc: &Value, id: &str) -> Result<ShiftInstance, String> {
    let inst = doc["instances"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == id))
        .ok_or_else(|| format!("no instance {id:?}"))?;
    if inst.get("kind").and_then(Value::as_str) == Some("roster") {
        return Err(format!(
            "instance {id} is a roster instance: use `capacity roster`"
        ));
    }
    let demand = match &inst["demand"] {
        Value::String(name) => &doc[name.as_str()],
        v => v,
    };
    let demand: Vec<u32> = demand
        .as_array()
        .ok_or("demand is not an array")?
        .iter()
        .map(|v| {
            v.as_u64()
                .map(|x| x as u32)
                .ok_or("demand values are counts")
        })
        .collect::<Result<_, _>>()?;
    let horizon = inst["horizon"].as_u64().ok_or("no horizon")? as usize;
    if demand.len() != horizon {
        return Err(format!(
            "demand has {} hours, horizon {horizon}",
            demand.len()
        ));
    }
    let lengths: Vec<usize> = inst["shift_lengths"]
        .as_array()
        .ok_or("no shift_lengths")?
        .iter()
        .filter_map(|v| v.as_u64().map(|x| x as usize))
        .collect();
    let starts_text = inst["starts"].as_str().unwrap_or("any hour");
    let starts = if starts_text.contains("distinct") {
        Starts::MaxDistinctHours(
            numbers(starts_text)
                .first()
                .copied()
                .ok_or("no number of distinct hours")? as usize,
        )
    } else if starts_text.contains("hours of day") {
        Starts::HoursOfDay(
            numbers(starts_text)
                .into_iter()
                .map(|h| h as usize)
                .collect(),
        )
    } else {
        Starts::Any
    };
    let obj = inst["objective"].as_str().unwrap_or("");
    let cost = if obj.contains("length") {
        Cost::LengthPlus(numbers(obj).first().copied().unwrap_or(0.0))
    } else {
        Cost::Count
    };
    Ok(ShiftInstance {
        id: id.to_string(),
        horizon,
        demand,
        lengths,
        starts,
        cost,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftDesign {
    pub id: String,
    #[serde(flatten)]
    pub result: MipResult,
    /// (start hour, length, officers starting), for every shift used.
    pub shifts: Vec<(usize, usize, u32)>,
    /// Hours where the shifts fall short of the demand (checked independently of the solver).
    pub uncovered_hours: Vec<usize>,
}

pub fn design(inst: &ShiftInstance, time_limit: f64) -> Result<ShiftDesign, String> {
    let h = inst.horizon;
    let max_demand = inst.demand.iter().copied().max().unwrap_or(0) as f64;
    let mut pb = RowProblem::default();
    let mut vars = Vec::new();
    for s in 0..h {
        if let Starts::HoursOfDay(hours) = &inst.starts
            && !hours.contains(&(s % 24))
        {
            continue;
        }
        for &len in &inst.lengths {
            let cost = match inst.cost {
                Cost::Count => 1.0,
                Cost::LengthPlus(extra) => len as f64 + extra,
            };
            vars.push((s, len, pb.add_integer_column(cost, 0.0..=max_demand)));
        }
    }
    for hour in 0..h {
        let cover: Vec<_> = vars
            .iter()
            .filter(|(s, len, _)| (hour + h - s) % h < *len)
            .map(|(_, _, c)| (*c, 1.0))
            .collect();
        pb.add_row(inst.demand[hour] as f64.., cover);
    }
    if let Starts::MaxDistinctHours(k) = inst.starts {
        // y_t = 1 when hour-of-day t is used as a start; x ≤ max demand · y.
        let used: Vec<_> = (0..24)
            .map(|_| pb.add_integer_column(0.0, 0.0..=1.0))
            .collect();
        for (s, _, c) in &vars {
            pb.add_row(..=0.0, [(*c, 1.0), (used[s % 24], -max_demand)]);
        }
        pb.add_row(..=k as f64, used.iter().map(|u| (*u, 1.0)));
    }
    let result = minimise(pb, time_limit)?;
    let shifts: Vec<(usize, usize, u32)> = vars
        .iter()
        .enumerate()
        .filter_map(|(i, (s, len, _))| {
            let n = result.values[i].round() as u32;
            (n > 0).then_some((*s, *len, n))
        })
        .collect();
    let mut on = vec![0u32; h];
    for &(s, len, n) in &shifts {
        for k in 0..len {
            on[(s + k) % h] += n;
        }
    }
    let uncovered_hours = (0..h).filter(|&x| on[x] < inst.demand[x]).collect();
    Ok(ShiftDesign {
        id: inst.id.clone(),
        result,
        shifts,
        uncovered_hours,
    })
}
