//! The coverage proof: hour by hour over a whole period, is every requirement met by the
//! people actually on duty? This check, not a solver's claim, backs "local tasks can be
//! carried out at any moment".

use serde::Serialize;

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
    /// Counted: present duties of this functionality, or on-call/present duties with `skill`.
    pub skill: Option<String>,
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
            let counts = match &req.skill {
                Some(s) => d.skills.iter().any(|k| k == s),
                None => !d.on_call && d.functionality == req.functionality,
            };
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
            per_hour: vec![1; 24],
        };
        let present = Requirement {
            rule: "p".into(),
            functionality: "interventie".into(),
            skill: None,
            per_hour: vec![1; 24],
        };
        assert!(coverage(24, std::slice::from_ref(&d), &[obp], false).is_empty());
        assert_eq!(coverage(24, &[d], &[present], false).len(), 24);
    }

    #[test]
    fn cyclic_plans_wrap() {
        let req = Requirement {
            rule: "r".into(),
            functionality: "interventie".into(),
            skill: None,
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
