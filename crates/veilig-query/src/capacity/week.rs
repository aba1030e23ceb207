//! A week's duty plan for the zone's interventie officers: shifts against the norm floor and
//! the demand of the year before, the stored leave and no-night wishes (and a what-if on
//! top), skills on shift from the rule set, and an on-call rota for each on-call rule.

use anyhow::{Result, bail};
use chrono::{Duration, NaiveDate};
use veilig_capacity::{Duty, RuleKind, Ruleset, StaffingRules};
use veilig_domain::{Functionality, StaffMember, Zone};
use veilig_solver::roster::{
    Officer, RosterReport, WeekConstraints, greedy_roster, mip_week, on_call_rota,
};
use veilig_store::{Leave, Store};

use super::demand;

/// How `capacity plan` builds the week.
pub struct PlanOptions {
    pub mip: bool,
    /// Leave beyond what the store holds (a what-if file).
    pub leave: Vec<Leave>,
    /// Officers who asked for no nights, beyond those the store records.
    pub no_nights: Vec<String>,
    pub time_limit: f64,
}

/// The week's duties in hours from Monday 00:00, and the solver's report.
pub struct WeekPlan {
    pub report: RosterReport,
    pub duties: Vec<Duty>,
}

fn officer(s: &StaffMember) -> Officer {
    Officer {
        code: s.code.clone(),
        skills: s.skills.clone(),
    }
}

/// Officers needed per hour of the week: the floor and the demand of the year before.
async fn required(store: &Store, z: &Zone, r: &Ruleset, monday: NaiveDate) -> Result<[u32; 168]> {
    let d = demand(
        store,
        z,
        r,
        Some(monday - Duration::days(365)),
        Some(monday - Duration::days(1)),
        &[],
        &StaffingRules::default(),
    )
    .await?;
    let mut required = [0u32; 168];
    for h in &d.hours {
        required[h.hour_of_week] = h.officers_required;
    }
    Ok(required)
}

/// The store's leave and wishes for the week, with the what-if's on top.
async fn availability(
    store: &Store,
    z: &Zone,
    staff: &[StaffMember],
    monday: NaiveDate,
    how: &PlanOptions,
) -> Result<(Vec<Leave>, Vec<String>)> {
    if let Some(l) = how
        .leave
        .iter()
        .find(|l| !staff.iter().any(|s| s.code == l.officer))
    {
        bail!(
            "the leave file names officer {:?}, who is not on the staff",
            l.officer
        );
    }
    let sunday = monday + Duration::days(6);
    let mut leave: Vec<Leave> = store
        .leave_between(z.id, monday, sunday)
        .await?
        .into_iter()
        .map(|l| l.leave)
        .collect();
    leave.extend(how.leave.iter().cloned());
    let mut no_nights = store.no_nights(z.id).await?;
    no_nights.extend(how.no_nights.iter().cloned());
    Ok((leave, no_nights))
}

fn constraints(
    r: &Ruleset,
    officers: &[Officer],
    monday: NaiveDate,
    leave: &[Leave],
    no_nights: &[String],
) -> WeekConstraints {
    let on_leave = |o: &Officer, d: i64| {
        let day = monday + Duration::days(d);
        leave
            .iter()
            .any(|l| l.officer == o.code && l.first_day <= day && day <= l.last_day)
    };
    WeekConstraints {
        unavailable: officers
            .iter()
            .map(|o| (0..7).map(|d| on_leave(o, d)).collect())
            .collect(),
        avoid_nights: officers
            .iter()
            .map(|o| no_nights.contains(&o.code))
            .collect(),
        skills_per_shift: r
            .rules
            .iter()
            .filter(|x| x.kind == RuleKind::SkillOnShift && x.functionality == "interventie")
            .filter_map(|x| Some((x.skill.clone()?, x.count.unwrap_or(1))))
            .collect(),
    }
}

/// The week is a repeating pattern: Sunday's night shift runs on into Monday 00-06 h, which a
/// dated plan shows as a duty of its own at the start of the week.
fn dated(week: Vec<Duty>) -> Vec<Duty> {
    let mut duties = Vec::new();
    for d in week {
        if d.end_hour > 168 {
            duties.push(Duty {
                end_hour: 168,
                ..d.clone()
            });
            duties.push(Duty {
                start_hour: 0,
                end_hour: d.end_hour - 168,
                ..d
            });
        } else {
            duties.push(d);
        }
    }
    duties
}

/// Plans the week that starts on `monday`.
pub async fn week_plan(
    store: &Store,
    z: &Zone,
    r: &Ruleset,
    monday: NaiveDate,
    how: &PlanOptions,
) -> Result<WeekPlan> {
    let staff = store.staff(z.id).await?;
    let officers: Vec<Officer> = staff
        .iter()
        .filter(|s| s.functionality == Functionality::Interventie)
        .map(officer)
        .collect();
    let required = required(store, z, r, monday).await?;
    let (leave, no_nights) = availability(store, z, &staff, monday, how).await?;
    let (week, report) = if how.mip {
        let c = constraints(r, &officers, monday, &leave, &no_nights);
        mip_week(&required, &officers, 7, 5, "interventie", c, how.time_limit)
            .map_err(anyhow::Error::msg)?
    } else {
        if let Some(l) = leave.first() {
            bail!(
                "the greedy roster does not plan leave ({} is on leave this week); use --solver mip",
                l.officer
            );
        }
        greedy_roster(&required, &officers, 7, 5, "interventie")
    };
    let mut duties = dated(week);
    // On-call rotas for the skills the rule set wants reachable.
    let everyone: Vec<Officer> = staff.iter().map(officer).collect();
    for rule in r.rules.iter().filter(|x| x.kind == RuleKind::OnCall) {
        if let Some(skill) = &rule.skill {
            duties.extend(on_call_rota(&everyone, skill, 7));
        }
    }
    Ok(WeekPlan { report, duties })
}
