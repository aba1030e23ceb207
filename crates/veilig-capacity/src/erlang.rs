//! Erlang C: how many units keep waiting rare when calls arrive at random (Erlang 1917;
//! the M/M/c queue). `a` is the offered load in erlangs: arrival rate × time per call.

/// Erlang B blocking probability, by the stable recursion B(0) = 1,
/// B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Probability that a call has to wait, C(c, a) = c·B / (c − a·(1 − B)); 1 when c ≤ a.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    if (c as f64) <= a {
        return 1.0;
    }
    let b = erlang_b(c, a);
    c as f64 * b / (c as f64 - a * (1.0 - b))
}

/// P(wait > t) for mean time per call `aht` (same unit as `t`).
pub fn wait_exceeds(c: u32, a: f64, aht: f64, t: f64) -> f64 {
    if (c as f64) <= a {
        return 1.0;
    }
    erlang_c(c, a) * (-(c as f64 - a) * t / aht).exp()
}

/// The staffing rules, parameters of the zone (defaults after issue 4).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct StaffingRules {
    /// At most this probability that a call waits for a free unit (default 0.10).
    pub max_wait_probability: f64,
    /// At most this utilisation of the units (default 0.40: time for patrol and self-initiated work).
    pub max_utilisation: f64,
    /// Officers per unit sent to a call (default 2).
    pub officers_per_unit: u32,
    /// Optional response target: P(wait > target minutes) at most `1 − service_level`.
    pub target_minutes: Option<f64>,
    pub service_level: f64,
}

impl Default for StaffingRules {
    fn default() -> Self {
        StaffingRules {
            max_wait_probability: 0.10,
            max_utilisation: 0.40,
            officers_per_unit: 2,
            target_minutes: None,
            service_level: 0.9,
        }
    }
}

/// Units needed for offered load `a` (erlangs) with mean time per call `aht_minutes`.
pub fn units_needed(a: f64, aht_minutes: f64, rules: &StaffingRules) -> u32 {
    if a <= 0.0 {
        return 0;
    }
    let mut c = (a / rules.max_utilisation).ceil().max(1.0) as u32;
    loop {
        let ok_wait = erlang_c(c, a) <= rules.max_wait_probability;
        let ok_target = rules
            .target_minutes
            .is_none_or(|t| wait_exceeds(c, a, aht_minutes, t) <= 1.0 - rules.service_level);
        if ok_wait && ok_target && a / c as f64 <= rules.max_utilisation {
            return c;
        }
        c += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answers (issue 4; by hand: B(3, 1) = (1/6) / (1 + 1 + 1/2 + 1/6) = 1/16,
    /// C = 3·(1/16) / (3 − 15/16) = 1/11 = 0.0909).
    #[test]
    fn erlang_c_known_answers() {
        assert!((erlang_c(3, 1.0) - 1.0 / 11.0).abs() < 1e-12);
        assert!(
            (erlang_c(8, 4.0) - 0.059).abs() < 0.0015,
            "{}",
            erlang_c(8, 4.0)
        );
        assert_eq!(erlang_c(2, 2.0), 1.0);
        assert_eq!(erlang_c(5, 0.0), 0.0);
    }

    #[test]
    fn staffing_respects_every_rule() {
        let r = StaffingRules::default();
        // 1.5 erlang: utilisation ≤ 40 % needs 4 units; P(wait) at 4 units is small.
        let c = units_needed(1.5, 60.0, &r);
        assert_eq!(c, 4);
        assert!(erlang_c(c, 1.5) <= 0.10 && 1.5 / c as f64 <= 0.40);
        // A response target can only add units.
        let strict = StaffingRules {
            target_minutes: Some(1.0),
            service_level: 0.99,
            ..r
        };
        assert!(units_needed(1.5, 60.0, &strict) >= c);
        assert_eq!(units_needed(0.0, 60.0, &r), 0);
    }
}
