//! The coverage proof: hour by hour over a whole period, is every requirement met by the
//! people actually on duty? This check, not a solver's claim, backs "local tasks can be
//! carried out at any moment".

use serde::Serialize;

use crate::norms::{RuleKind, Ruleset};

/// One stretch of duty of one officer, in whole hours from the start of the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    pub officer: String,
    pub start_hour: usize,
    pub end_hour: usize,
    /// The functionality the duty is for (`interventie`, …).
    pub functionality: String,
    /// True for an on-call (reachable) duty rather than presence.
    pub on_call: bool,
    pub skills: Vec<String>,
}

/// A requirement per hour of the period, with the rule it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub rule: String,
    pub functionality: String,
    /// Only duties of officers with this skill count.
    pub skill: Option<String>,
    /// On-call and present duties of any functionality count (someone reachable); otherwise
    /// only present duties of `functionality`.
    pub reachable: bool,
    /// Required per hour of the period.
    pub per_hour: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    pub hour: usize,
    pub rule: String,
    pub required: u32,
    pub available: u32,
    pub short_by: u32,
}

/// The requirements the rule set puts on every hour of a period: the intervention floor
/// (teams per hour), on-call skills, and skills on shift. `hour_of_week(h)` maps hour `h` of
/// the period to its hour of the week (0 = Monday 00-01 h).
pub fn rule_requirements(
    rules: &Ruleset,
    hours: usize,
    hour_of_week: impl Fn(usize) -> usize,
) -> Vec<Requirement> {
    let mut reqs = Vec::new();
    let floor = rules.floor_per_hour();
    let teams: Vec<_> = rules
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::TeamsPerHour)
        .collect();
    if let Some(first) = teams.first() {
        reqs.push(Requirement {
            rule: teams
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join("+"),
            functionality: first.functionality.clone(),
            skill: None,
            reachable: false,
            per_hour: (0..hours).map(|h| floor[hour_of_week(h)]).collect(),
        });
    }
    for rule in &rules.rules {
        let reachable = match rule.kind {
            RuleKind::OnCall => true,
            RuleKind::SkillOnShift => false,
            _ => continue,
        };
        reqs.push(Requirement {
            rule: rule.id.clone(),
            functionality: rule.functionality.clone(),
            skill: rule.skill.clone(),
            reachable,
            per_hour: vec![rule.count.unwrap_or(1); hours],
        });
    }
    reqs
}

/// Every hour that falls short of any requirement, in hour order. With `cyclic`, the period
/// repeats (a weekly pattern): a duty running past its end covers the first hours again, as
/// Sunday's night shift covers Monday 00-06 h.
pub fn coverage(
    hours: usize,
    duties: &[Duty],
    requirements: &[Requirement],
    cyclic: bool,
) -> Vec<Shortfall> {
    let mut out = Vec::new();
    for req in requirements {
        let mut have = vec![0u32; hours];
        for d in duties {
            let skilled = req
                .skill
                .as_ref()
                .is_none_or(|s| d.skills.iter().any(|k| k == s));
            let counts =
                skilled && (req.reachable || (!d.on_call && d.functionality == req.functionality));
            if counts {
                if cyclic && hours > 0 {
                    for h in d.start_hour..d.end_hour {
                        have[h % hours] += 1;
                    }
                } else {
                    let (a, b) = (d.start_hour.min(hours), d.end_hour.min(hours));
                    have[a..b].iter_mut().for_each(|v| *v += 1);
                }
            }
        }
        for (h, &got) in have.iter().enumerate() {
            let need = req.per_hour.get(h).copied().unwrap_or(0);
            if got < need {
                out.push(Shortfall {
                    hour: h,
                    rule: req.rule.clone(),
                    required: need,
                    available: got,
                    short_by: need - got,
                });
            }
        }
    }
    out.sort_by(|a, b| a.hour.cmp(&b.hour).then(a.rule.cmp(&b.rule)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duty(o: &str, s: usize, e: usize) -> Duty {
        Duty {
            officer: o.into(),
            start_hour: s,
            end_hour: e,
            functionality: "interventie".into(),
            on_call: false,
            skills: vec![],
        }
    }

    #[test]
    fn lists_exactly_the_short_hours() {
        let req = Requirement {
            rule: "r".into(),
            functionality: "interventie".into(),
            skill: None,
            reachable: false,
            per_hour: vec![2; 24],
        };
        let full: Vec<Duty> = ["a", "b"]
            .iter()
            .flat_map(|o| [duty(o, 0, 8), duty(o, 8, 16), duty(o, 16, 24)])
            .collect();
        assert!(coverage(24, &full, std::slice::from_ref(&req), false).is_empty());
        // One officer less on the night shift (hours 0-7): eight hours short by one.
        let less: Vec<Duty> = full
            .iter()
            .filter(|d| !(d.officer == "b" && d.start_hour == 0))
            .cloned()
            .collect();
        let s = coverage(24, &less, &[req], false);
        assert_eq!(s.len(), 8);
        assert!(
            s.iter()
                .all(|x| x.hour < 8 && x.short_by == 1 && x.available == 1)
        );
    }

    #[test]
    fn on_call_counts_for_skills_only() {
        let mut d = duty("c", 0, 24);
        d.on_call = true;
        d.skills = vec!["OBP".into()];
        let obp = Requirement {
            rule: "obp".into(),
            functionality: "openbare-orde".into(),
            skill: Some("OBP".into()),
            reachable: true,
            per_hour: vec![1; 24],
        };
        let present = Requirement {
            rule: "p".into(),
            functionality: "interventie".into(),
            skill: None,
            reachable: false,
            per_hour: vec![1; 24],
        };
        assert!(coverage(24, std::slice::from_ref(&d), &[obp], false).is_empty());
        assert_eq!(coverage(24, &[d], &[present], false).len(), 24);
    }

    #[test]
    fn a_skill_on_shift_counts_present_duties_of_the_functionality_only() {
        let mut leader = duty("l", 0, 8);
        leader.skills = vec!["ploegverantwoordelijke".into()];
        let mut on_call = duty("m", 8, 16);
        on_call.on_call = true;
        on_call.skills = leader.skills.clone();
        let plain = duty("n", 16, 24);
        let req = Requirement {
            rule: "leider".into(),
            functionality: "interventie".into(),
            skill: Some("ploegverantwoordelijke".into()),
            reachable: false,
            per_hour: vec![1; 24],
        };
        let short = coverage(24, &[leader, on_call, plain], &[req], false);
        // Hours 8-23: the on-call leader and the officer without the skill do not count.
        assert_eq!(short.len(), 16);
        assert_eq!(short[0].hour, 8);
    }

    #[test]
    fn cyclic_plans_wrap() {
        let req = Requirement {
            rule: "r".into(),
            functionality: "interventie".into(),
            skill: None,
            reachable: false,
            per_hour: vec![1; 24],
        };
        let d = [duty("a", 6, 14), duty("b", 14, 22), duty("c", 22, 30)];
        assert!(coverage(24, &d, std::slice::from_ref(&req), true).is_empty());
        assert_eq!(
            coverage(24, &d, &[req], false).len(),
            6,
            "hours 0-5 uncovered when not cyclic"
        );
    }
}
