//! Demand per hour of the week from calls for service, and the officers it takes.

use serde::Serialize;

use crate::erlang::{StaffingRules, units_needed};

/// One call as the demand model needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Call {
    /// Hour of the week, 0 = Monday 00-01 h.
    pub hour_of_week: usize,
    /// Minutes committed (dispatch to clear).
    pub minutes: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HourDemand {
    pub hour_of_week: usize,
    /// Mean calls arriving in this hour of the week.
    pub calls_per_hour: f64,
    /// Mean minutes committed per call in this hour.
    pub minutes_per_call: f64,
    /// Offered load in erlangs (units busy on average).
    pub erlangs: f64,
    /// Units Erlang C asks for, and the officers they take.
    pub units: u32,
    pub officers_for_demand: u32,
    /// The norm floor (teams-per-hour rules).
    pub officers_floor: u32,
    /// What the hour needs: the larger of the two.
    pub officers_required: u32,
}

/// Demand over `weeks` weeks of calls, against the norm `floor` per hour of the week.
pub fn hourly_demand(
    calls: &[Call],
    weeks: f64,
    floor: &[u32; 168],
    rules: &StaffingRules,
) -> Vec<HourDemand> {
    let mut n = [0f64; 168];
    let mut minutes = [0f64; 168];
    for c in calls {
        n[c.hour_of_week % 168] += 1.0;
        minutes[c.hour_of_week % 168] += c.minutes;
    }
    (0..168)
        .map(|h| {
            let rate = if weeks > 0.0 { n[h] / weeks } else { 0.0 };
            let mpc = if n[h] > 0.0 { minutes[h] / n[h] } else { 0.0 };
            let erlangs = rate * mpc / 60.0;
            let units = units_needed(erlangs, mpc, rules);
            let officers = units * rules.officers_per_unit;
            HourDemand {
                hour_of_week: h,
                calls_per_hour: rate,
                minutes_per_call: mpc,
                erlangs,
                units,
                officers_for_demand: officers,
                officers_floor: floor[h],
                officers_required: officers.max(floor[h]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_and_floor() {
        // Ten weeks; in hour 20 (Monday 20-21 h) 15 calls of 60 minutes: 1.5 erlang → 4 units.
        let calls: Vec<Call> = (0..15)
            .map(|_| Call {
                hour_of_week: 20,
                minutes: 60.0,
            })
            .collect();
        let mut floor = [2u32; 168];
        floor[20] = 4;
        let d = hourly_demand(&calls, 10.0, &floor, &StaffingRules::default());
        assert!((d[20].erlangs - 1.5).abs() < 1e-12);
        assert_eq!(
            (
                d[20].units,
                d[20].officers_for_demand,
                d[20].officers_required
            ),
            (4, 8, 8)
        );
        assert_eq!(
            (d[3].units, d[3].officers_required),
            (0, 2),
            "no calls: the floor"
        );
    }
}
