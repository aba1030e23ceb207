//! The norm rule set: data with a citation and a confidence mark per rule.

use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../data/norms.toml");

/// How a rule is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleKind {
    /// At least 1 FTE of the functionality per `per_inhabitants`.
    FtePerPopulation,
    /// At least `teams × officers_per_team` on duty in the hours the rule covers.
    TeamsPerHour,
    /// Someone with `skill` reachable (on call) at every hour.
    OnCall,
    /// At least `count` officers with `skill` among those on duty for the functionality, at
    /// every hour (a team leader on every intervention shift).
    SkillOnShift,
    /// The functionality's FTE at least `share` of the operational FTE.
    ShareOfOperational,
    /// Reception open at least `hours_per_day`.
    ReceptionHours,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    /// One of the seven basic functionalities (kebab-case, as `veilig_domain::Functionality`).
    pub functionality: String,
    pub kind: RuleKind,
    pub description_nl: String,
    pub citation: String,
    /// `H`, `M` or `L` as in DOMAIN.md.
    pub confidence: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub per_inhabitants: Option<f64>,
    #[serde(default)]
    pub teams: Option<u32>,
    #[serde(default)]
    pub officers_per_team: Option<u32>,
    #[serde(default)]
    pub hours_per_week: Option<u32>,
    #[serde(default)]
    pub peak_start_hour: Option<u32>,
    #[serde(default)]
    pub peak_hours_per_day: Option<u32>,
    #[serde(default)]
    pub skill: Option<String>,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub share: Option<f64>,
    #[serde(default)]
    pub hours_per_day: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesetMeta {
    pub name: String,
    pub version: String,
    pub valid_from: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ruleset {
    pub ruleset: RulesetMeta,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

impl Ruleset {
    pub fn builtin() -> Ruleset {
        Ruleset::from_toml(BUILTIN).expect("the built-in rule set is valid")
    }

    /// Parses and checks a rule set: each kind needs its parameters.
    pub fn from_toml(text: &str) -> Result<Ruleset, String> {
        let r: Ruleset = toml::from_str(text).map_err(|e| e.to_string())?;
        for rule in &r.rules {
            if veilig_domain::Functionality::parse(&rule.functionality).is_none() {
                return Err(format!(
                    "rule {}: unknown functionality {:?}",
                    rule.id, rule.functionality
                ));
            }
            if !matches!(rule.confidence.as_str(), "H" | "M" | "L") {
                return Err(format!("rule {}: confidence must be H, M or L", rule.id));
            }
            let missing = match rule.kind {
                RuleKind::FtePerPopulation => rule
                    .per_inhabitants
                    .filter(|p| *p > 0.0)
                    .is_none()
                    .then_some("per_inhabitants"),
                RuleKind::TeamsPerHour => (rule.teams.is_none()
                    || rule.officers_per_team.is_none()
                    || rule.hours_per_week.is_none())
                .then_some("teams, officers_per_team, hours_per_week"),
                RuleKind::OnCall => rule.skill.is_none().then_some("skill"),
                RuleKind::SkillOnShift => {
                    (rule.skill.is_none() || rule.count.is_none()).then_some("skill, count")
                }
                RuleKind::ShareOfOperational => rule
                    .share
                    .filter(|s| (0.0..=1.0).contains(s))
                    .is_none()
                    .then_some("share (0-1)"),
                RuleKind::ReceptionHours => rule
                    .hours_per_day
                    .filter(|h| (0.0..=24.0).contains(h))
                    .is_none()
                    .then_some("hours_per_day (0-24)"),
            };
            if let Some(m) = missing {
                return Err(format!("rule {}: {:?} needs {m}", rule.id, rule.kind));
            }
            if rule.kind == RuleKind::TeamsPerHour {
                let h = rule.hours_per_week.unwrap_or(0);
                if h < 168
                    && (rule.peak_start_hour.is_none()
                        || rule.peak_hours_per_day.map(|d| d * 7) != Some(h))
                {
                    return Err(format!(
                        "rule {}: {h} h/week needs peak_start_hour and peak_hours_per_day with 7 × peak_hours_per_day = hours_per_week",
                        rule.id
                    ));
                }
            }
        }
        Ok(r)
    }

    /// Officers the teams-per-hour rules require in each hour of the week (0 = Monday 00-01 h).
    pub fn floor_per_hour(&self) -> [u32; 168] {
        let mut floor = [0u32; 168];
        for r in self
            .rules
            .iter()
            .filter(|r| r.kind == RuleKind::TeamsPerHour)
        {
            let officers = r.teams.unwrap_or(0) * r.officers_per_team.unwrap_or(0);
            for (h, f) in floor.iter_mut().enumerate() {
                let covered = match (r.hours_per_week, r.peak_start_hour, r.peak_hours_per_day) {
                    (Some(168), _, _) => true,
                    (_, Some(start), Some(len)) => ((h as u32 % 24) + 24 - start) % 24 < len,
                    _ => false,
                };
                if covered {
                    *f += officers;
                }
            }
        }
        floor
    }
}

impl Ruleset {
    /// The text of the built-in rule set (to write out and edit).
    pub fn builtin_text() -> &'static str {
        BUILTIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_and_the_intervention_floor() {
        let r = Ruleset::builtin();
        assert!(r.rules.iter().all(|x| !x.citation.is_empty()));
        let floor = r.floor_per_hour();
        // One team (2 officers) every hour, a second team 10-22 h: 84 hours with 4 officers.
        assert!(floor.iter().all(|f| *f >= 2));
        assert_eq!(floor.iter().filter(|f| **f == 4).count(), 84);
        assert_eq!(floor[9], 2);
        assert_eq!(floor[10], 4);
        assert_eq!(floor[21], 4);
        assert_eq!(floor[22], 2);
    }

    #[test]
    fn rules_need_their_parameters() {
        let bad = Ruleset::builtin_text().replace("per_inhabitants = 4000", "");
        assert!(
            Ruleset::from_toml(&bad)
                .unwrap_err()
                .contains("per_inhabitants")
        );
        let bad = Ruleset::builtin_text()
            .replace("functionality = \"verkeer\"", "functionality = \"fietsen\"");
        assert!(
            Ruleset::from_toml(&bad)
                .unwrap_err()
                .contains("unknown functionality")
        );
    }
}
