//! The capacity figures of a zone read from the store: the norm check (staff and population
//! against the rule set) and the demand per hour of the week (calls for service through
//! Erlang C, with the norm floor). Shared by `veilig capacity` and the web's capacity page.

pub mod allocation;
pub mod reports;
pub mod week;

use std::collections::HashMap;

use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDateTime, Timelike};
use veilig_capacity::{CheckParams, Deductions, Ruleset, StaffingRules, hourly_demand, net_hours};
use veilig_domain::{Functionality, PopulationLevel, Zone};
use veilig_store::Store;

/// Mean contract hours per FTE of the staff (38 when unknown).
pub fn contract_hours(staff: &[veilig_domain::StaffMember]) -> f64 {
    let fte: f64 = staff.iter().map(|s| s.fte).sum();
    if fte > 0.0 {
        staff.iter().map(|s| s.contract_hours_week).sum::<f64>() / fte
    } else {
        38.0
    }
}

/// The norm check of a zone: what `capacity norms` prints and `capacity allocate` takes
/// its floors from.
pub struct NormCheck {
    pub zone: Zone,
    pub ruleset: Ruleset,
    pub staff: Vec<veilig_domain::StaffMember>,
    pub zone_pop: i64,
    pub population_date: Option<chrono::NaiveDate>,
    pub deductions: Deductions,
    pub net: veilig_capacity::NetHours,
    pub lines: Vec<veilig_capacity::Line>,
}

pub async fn norm_check(store: &Store, z: &Zone, r: Ruleset) -> Result<NormCheck> {
    let staff = store.staff(z.id).await?;
    let areas = store.areas(z.id).await?;
    let population = store.population(z.id).await?;
    // The newest figure per (level, code).
    let mut latest: HashMap<(PopulationLevel, String), (chrono::NaiveDate, i64)> = HashMap::new();
    for p in &population {
        latest.insert((p.level, p.code.clone()), (p.ref_date, p.inhabitants));
    }
    let municipalities = store.municipalities(z.id).await?;
    let muni_of_area: HashMap<&str, &str> = areas
        .iter()
        .filter_map(|a| a.municipality_nis.as_deref().map(|m| (a.code.as_str(), m)))
        .collect();
    let wijk: Vec<&veilig_domain::StaffMember> = staff
        .iter()
        .filter(|s| s.functionality == Functionality::Wijkwerking)
        .collect();
    let mut places = Vec::new();
    let zone_pop = latest
        .get(&(PopulationLevel::Zone, z.code.as_str().to_string()))
        .map(|p| p.1)
        .unwrap_or_else(|| {
            municipalities
                .iter()
                .filter_map(|m| {
                    latest
                        .get(&(PopulationLevel::Municipality, m.nis.as_str().to_string()))
                        .map(|p| p.1)
                })
                .sum()
        });
    places.push(veilig_capacity::Place {
        code: "zone".into(),
        name: z.name.clone(),
        inhabitants: zone_pop,
        wijk_fte: wijk.iter().map(|s| s.fte).sum(),
        wijk_heads: wijk.len() as u32,
    });
    for m in &municipalities {
        let Some((_, inh)) =
            latest.get(&(PopulationLevel::Municipality, m.nis.as_str().to_string()))
        else {
            continue;
        };
        let here: Vec<&&veilig_domain::StaffMember> = wijk
            .iter()
            .filter(|s| {
                s.area_code.as_deref().and_then(|a| muni_of_area.get(a)) == Some(&m.nis.as_str())
            })
            .collect();
        places.push(veilig_capacity::Place {
            code: m.nis.as_str().to_string(),
            name: m.name_nl.clone(),
            inhabitants: *inh,
            wijk_fte: here.iter().map(|s| s.fte).sum(),
            wijk_heads: here.len() as u32,
        });
    }
    let deductions = Deductions::default();
    let net = net_hours(contract_hours(&staff), &deductions);
    let lines = veilig_capacity::check(&r, &staff, &places, &net, &CheckParams::default());
    Ok(NormCheck {
        zone: z.clone(),
        ruleset: r,
        population_date: population.iter().map(|p| p.ref_date).max(),
        staff,
        zone_pop,
        deductions,
        net,
        lines,
    })
}

/// Calls for service per hour of the week over a period (a season when `months` is set),
/// with the Erlang-C staffing and the norm floor per hour.
pub struct Demand {
    /// The season (months 1-12) the calls were taken from; empty: the whole year.
    pub months: Vec<u32>,
    pub calls: usize,
    pub without_time: usize,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub weeks: f64,
    pub hours: Vec<veilig_capacity::HourDemand>,
}

pub async fn demand(
    store: &Store,
    z: &Zone,
    r: &Ruleset,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    months: &[u32],
    staffing: &StaffingRules,
) -> Result<Demand> {
    let end = match to {
        Some(t) => t,
        None => store
            .last_call_day(z.id)
            .await?
            .context("the zone has no calls for service")?,
    };
    let start = from.unwrap_or(end - Duration::days(364));
    let calls = store
        .call_times(
            z.id,
            start.and_hms_opt(0, 0, 0).expect("valid"),
            (end + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .expect("valid"),
        )
        .await?;
    let in_season = |d: chrono::NaiveDate| months.is_empty() || months.contains(&d.month());
    let calls: Vec<_> = calls
        .into_iter()
        .filter(|c| in_season(c.0.date()))
        .collect();
    let known: Vec<f64> = calls.iter().filter_map(|c| c.1).collect();
    let mean = if known.is_empty() {
        60.0
    } else {
        known.iter().sum::<f64>() / known.len() as f64
    };
    let how =
        |t: NaiveDateTime| t.weekday().num_days_from_monday() as usize * 24 + t.hour() as usize;
    let model: Vec<veilig_capacity::Call> = calls
        .iter()
        .map(|(t, m)| veilig_capacity::Call {
            hour_of_week: how(*t),
            minutes: m.unwrap_or(mean),
        })
        .collect();
    let days = start
        .iter_days()
        .take_while(|d| *d <= end)
        .filter(|d| in_season(*d))
        .count();
    let weeks = days as f64 / 7.0;
    Ok(Demand {
        months: months.to_vec(),
        calls: calls.len(),
        without_time: calls.len() - known.len(),
        from: start,
        to: end,
        weeks,
        hours: hourly_demand(&model, weeks, &r.floor_per_hour(), staffing),
    })
}

/// A functionality's net schedulable hours in a year (all its staff).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TeamHours {
    pub functionality: String,
    pub hours: f64,
}

/// The hours a functionality must get in a year under the zone-wide norms.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FloorHours {
    pub functionality: String,
    pub hours: f64,
    /// The rules it comes from (`a + b`).
    pub rule: String,
}

/// One team per functionality with its staff's net schedulable hours for a year, and the
/// floors the zone-wide norms set: FTE norms add up per functionality (a 24/7 team and a
/// second team for 84 h are two rules), a share norm is a share of the operational hours
/// (all but support). What the allocation LP and the plan page share.
pub fn teams_and_floors(nc: &NormCheck) -> (Vec<TeamHours>, Vec<FloorHours>) {
    let mut teams: Vec<TeamHours> = Vec::new();
    for s in &nc.staff {
        let hours =
            s.fte * veilig_capacity::net_hours(s.contract_hours_week, &nc.deductions).schedulable;
        let f = s.functionality.as_str();
        match teams.iter_mut().find(|t| t.functionality == f) {
            Some(t) => t.hours += hours,
            None => teams.push(TeamHours {
                functionality: f.to_string(),
                hours,
            }),
        }
    }
    let operational: f64 = teams
        .iter()
        .filter(|t| t.functionality != "ondersteuning")
        .map(|t| t.hours)
        .sum();
    let mut floors: Vec<FloorHours> = Vec::new();
    for l in nc.lines.iter().filter(|l| l.scope == "zone") {
        let hours = match l.unit {
            "fte" => l.required * nc.net.schedulable,
            "share" => l.required * operational,
            _ => continue,
        };
        match floors
            .iter_mut()
            .find(|f| f.functionality == l.functionality)
        {
            Some(f) => {
                f.hours += hours;
                f.rule.push_str(&format!(" + {}", l.rule));
            }
            None => floors.push(FloorHours {
                functionality: l.functionality.clone(),
                hours,
                rule: l.rule.clone(),
            }),
        }
    }
    (teams, floors)
}
