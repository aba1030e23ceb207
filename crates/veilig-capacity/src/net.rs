//! From contract hours to the hours that can be scheduled, every deduction explicit.

use serde::Serialize;

/// The zone's deduction parameters (defaults are assumptions [L]: a zone sets its own).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Deductions {
    /// Annual leave days per FTE.
    pub leave_days: f64,
    /// Public holidays per year (Belgium: 10 legal holidays).
    pub public_holidays: f64,
    /// Hours per working day, to turn days into hours.
    pub hours_per_day: f64,
    /// Share of gross hours lost to sickness.
    pub sickness_rate: f64,
    /// Training hours per FTE per year.
    pub training_hours: f64,
    /// HyCap (solidarity reinforcement, MFO-2) hours per operational FTE per year.
    pub hycap_hours: f64,
    /// Share of available hours bound to other duties (administration, court, meetings) that
    /// cannot be scheduled on the street.
    pub other_duties_share: f64,
}

impl Default for Deductions {
    fn default() -> Self {
        Deductions {
            leave_days: 32.0,
            public_holidays: 10.0,
            hours_per_day: 7.6,
            sickness_rate: 0.06,
            training_hours: 40.0,
            hycap_hours: 16.0,
            other_duties_share: 0.10,
        }
    }
}

/// Hours per FTE per year, step by step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetHours {
    pub contract_hours_week: f64,
    pub gross: f64,
    pub leave_and_holidays: f64,
    pub sickness: f64,
    pub training: f64,
    pub hycap: f64,
    /// Gross minus leave, holidays, sickness, training and HyCap: the officer is at work.
    pub available: f64,
    pub other_duties: f64,
    /// Available minus other duties: hours a planner can put on a post.
    pub schedulable: f64,
    /// FTE needed to keep one post filled every hour of the year (8,760 / schedulable).
    pub relief_factor: f64,
}

impl NetHours {
    /// FTE needed to staff `hours_per_week` every week of the year.
    pub fn fte_for(&self, hours_per_week: f64) -> f64 {
        hours_per_week * 52.0 / self.schedulable
    }
}

pub fn net_hours(contract_hours_week: f64, d: &Deductions) -> NetHours {
    let gross = contract_hours_week * 52.0;
    let leave_and_holidays = (d.leave_days + d.public_holidays) * d.hours_per_day;
    let sickness = d.sickness_rate * gross;
    let available =
        (gross - leave_and_holidays - sickness - d.training_hours - d.hycap_hours).max(0.0);
    let other_duties = d.other_duties_share * available;
    let schedulable = available - other_duties;
    NetHours {
        contract_hours_week,
        gross,
        leave_and_holidays,
        sickness,
        training: d.training_hours,
        hycap: d.hycap_hours,
        available,
        other_duties,
        schedulable,
        relief_factor: if schedulable > 0.0 {
            8760.0 / schedulable
        } else {
            f64::INFINITY
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deductions_add_up() {
        let n = net_hours(38.0, &Deductions::default());
        assert_eq!(n.gross, 1976.0);
        assert!((n.leave_and_holidays - 42.0 * 7.6).abs() < 1e-9);
        let sum = n.leave_and_holidays
            + n.sickness
            + n.training
            + n.hycap
            + n.other_duties
            + n.schedulable;
        assert!((sum - n.gross).abs() < 1e-9);
        // About six FTE per 24/7 post, the order zones use.
        assert!((5.5..7.0).contains(&n.relief_factor), "{}", n.relief_factor);
    }
}
