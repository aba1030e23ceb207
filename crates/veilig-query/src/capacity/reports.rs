//! The answers of `capacity demand`, `capacity norms` and `capacity coverage` as plain,
//! serialisable results: what the command prints as JSON and a page could show.

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;
use veilig_capacity::{
    Deductions, Duty, HourDemand, Line, NetHours, Requirement, Ruleset, Shortfall, StaffingRules,
    coverage, net_hours,
};
use veilig_domain::Zone;
use veilig_store::Store;

use super::{NormCheck, contract_hours, demand, norm_check};

/// Officers per hour of the week from the calls of a period, and the FTE that makes.
#[derive(Debug, Serialize)]
pub struct DemandReport {
    pub zone: String,
    pub synthetic: bool,
    pub calls: usize,
    pub calls_without_time: usize,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: f64,
    pub season_months: Vec<u32>,
    pub staffing_rules: StaffingRules,
    pub officer_hours_per_week: u32,
    pub fte_needed: f64,
    pub net_hours_per_fte: NetHours,
    pub hours: Vec<HourDemand>,
}

/// The calls of `from`..`to` (a season when `months` is set) through Erlang C and the floor.
pub async fn demand_report(
    store: &Store,
    z: &Zone,
    r: &Ruleset,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    months: &[u32],
    staffing: StaffingRules,
) -> Result<DemandReport> {
    if let Some(m) = months.iter().find(|m| !(1..=12).contains(*m)) {
        anyhow::bail!("--months: {m} is not a month (1-12)");
    }
    let d = demand(store, z, r, from, to, months, &staffing).await?;
    let net = net_hours(
        contract_hours(&store.staff(z.id).await?),
        &Deductions::default(),
    );
    let officer_hours: u32 = d.hours.iter().map(|h| h.officers_required).sum();
    Ok(DemandReport {
        zone: z.code.as_str().to_string(),
        synthetic: z.synthetic,
        calls: d.calls,
        calls_without_time: d.without_time,
        from: d.from,
        to: d.to,
        weeks: d.weeks,
        season_months: d.months,
        staffing_rules: staffing,
        officer_hours_per_week: officer_hours,
        fte_needed: net.fte_for(officer_hours as f64),
        net_hours_per_fte: net,
        hours: d.hours,
    })
}

#[derive(Debug, Serialize)]
pub struct Population {
    pub zone: i64,
    pub reference_dates: Option<NaiveDate>,
}

/// The norm check as `capacity norms` answers it.
#[derive(Debug, Serialize)]
pub struct NormsReport {
    pub zone: String,
    #[serde(skip)]
    pub zone_name: String,
    pub synthetic: bool,
    pub ruleset: veilig_capacity::norms::RulesetMeta,
    pub population: Population,
    pub staff: usize,
    pub deductions: Deductions,
    pub net_hours_per_fte: NetHours,
    pub rules: Vec<Line>,
    pub shortfalls: Vec<Line>,
}

pub async fn norms_report(store: &Store, z: &Zone, r: Ruleset) -> Result<NormsReport> {
    let NormCheck {
        zone,
        ruleset,
        staff,
        zone_pop,
        population_date,
        deductions,
        net,
        lines,
    } = norm_check(store, z, r).await?;
    Ok(NormsReport {
        zone: zone.code.as_str().to_string(),
        zone_name: zone.name,
        synthetic: zone.synthetic,
        ruleset: ruleset.ruleset,
        population: Population {
            zone: zone_pop,
            reference_dates: population_date,
        },
        staff: staff.len(),
        deductions,
        net_hours_per_fte: net,
        shortfalls: lines
            .iter()
            .filter(|l| !l.met && l.checkable)
            .cloned()
            .collect(),
        rules: lines,
    })
}

/// A duty plan checked hour by hour against the rule set (and the demand).
#[derive(Debug, Serialize)]
pub struct CoverageReport {
    pub zone: String,
    pub plan: String,
    pub start: NaiveDateTime,
    pub hours: usize,
    pub duties: usize,
    pub requirements: Vec<String>,
    pub shortfalls: Vec<Shortfall>,
}

/// Checks `duties` (hours from `start`) against every hourly rule of `r`, and against the
/// demand of the year before the plan when `with_demand`.
pub async fn coverage_report(
    store: &Store,
    z: &Zone,
    r: &Ruleset,
    (plan, start, duties): (&str, NaiveDateTime, &[Duty]),
    with_demand: bool,
) -> Result<CoverageReport> {
    let hours = duties.iter().map(|d| d.end_hour).max().unwrap_or(0);
    let how = |h: usize| {
        let t = start + Duration::hours(h as i64);
        t.weekday().num_days_from_monday() as usize * 24 + t.hour() as usize
    };
    let mut reqs = veilig_capacity::coverage::rule_requirements(r, hours, how);
    if with_demand {
        let d = demand(
            store,
            z,
            r,
            Some(start.date() - Duration::days(365)),
            Some(start.date() - Duration::days(1)),
            &[],
            &StaffingRules::default(),
        )
        .await?;
        reqs.push(Requirement {
            rule: "vraag-erlang-c".into(),
            functionality: "interventie".into(),
            skill: None,
            reachable: false,
            per_hour: (0..hours)
                .map(|h| d.hours[how(h)].officers_required)
                .collect(),
        });
    }
    Ok(CoverageReport {
        zone: z.code.as_str().to_string(),
        plan: plan.to_string(),
        start,
        hours,
        duties: duties.len(),
        requirements: reqs.iter().map(|r| r.rule.clone()).collect(),
        shortfalls: coverage(hours, duties, &reqs, false),
    })
}
