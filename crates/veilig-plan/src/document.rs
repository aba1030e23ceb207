//! The zonal security plan as a document: chapters, priorities, objectives in three levels,
//! action plans with partners, chain phases and capacity hours. One document per version;
//! the store keeps every version, this module checks one and compares two.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriorityKind {
    /// A persistent, complex problem handled as a project with an action plan.
    Prioriteit,
    /// Followed in regular work.
    BijzonderAandachtspunt,
}

impl PriorityKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "prioriteit" => Some(Self::Prioriteit),
            "bijzonder-aandachtspunt" => Some(Self::BijzonderAandachtspunt),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prioriteit => "prioriteit",
            Self::BijzonderAandachtspunt => "bijzonder-aandachtspunt",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    External,
    Internal,
}

impl Domain {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "external" | "extern" => Some(Self::External),
            "internal" | "intern" => Some(Self::Internal),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::External => "external",
            Self::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Strategic,
    Tactical,
    Operational,
}

impl Level {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "strategic" | "strategisch" => Some(Self::Strategic),
            "tactical" | "tactisch" => Some(Self::Tactical),
            "operational" | "operationeel" => Some(Self::Operational),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strategic => "strategic",
            Self::Tactical => "tactical",
            Self::Operational => "operational",
        }
    }
    pub(crate) fn parent(self) -> Option<Level> {
        match self {
            Self::Strategic => None,
            Self::Tactical => Some(Self::Strategic),
            Self::Operational => Some(Self::Tactical),
        }
    }
}

/// The phases of the security chain (integral approach).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Proactie,
    Preventie,
    Reactie,
    Nazorg,
}

impl Phase {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "proactie" => Some(Self::Proactie),
            "preventie" => Some(Self::Preventie),
            "reactie" => Some(Self::Reactie),
            "nazorg" => Some(Self::Nazorg),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proactie => "proactie",
            Self::Preventie => "preventie",
            Self::Reactie => "reactie",
            Self::Nazorg => "nazorg",
        }
    }
}

/// Mission, vision, values, communication: the plan's text chapters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Chapters {
    #[serde(default)]
    pub mission: String,
    #[serde(default)]
    pub vision: String,
    #[serde(default)]
    pub values: String,
    #[serde(default)]
    pub communication: String,
}

/// A dated snapshot of Veilig's own figures (security picture, service picture) kept in the
/// plan as it was when taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// `security-picture` or `service-picture`.
    pub kind: String,
    pub taken_at: chrono::NaiveDateTime,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// How it was made (the command or the method).
    pub source: String,
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    pub code: String,
    /// A phenomenon code (external) or an internal theme.
    pub subject: String,
    pub title: String,
    pub kind: PriorityKind,
    pub domain: Domain,
    /// The ZVR decision it comes from.
    #[serde(default)]
    pub decision: Option<i64>,
    /// Reference-plan items it serves (`nvp-2022-2025:4`).
    #[serde(default)]
    pub references: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub code: String,
    pub level: Level,
    /// The objective one level up (required for tactical and operational).
    #[serde(default)]
    pub parent: Option<String>,
    pub priority: String,
    /// What (specific).
    pub statement: String,
    /// How much (measurable target, in words and figure).
    pub target: String,
    /// By when.
    pub due: NaiveDate,
    /// Who (the "piloot").
    pub owner: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerRole {
    /// An organisation code (`gemeente-mol`, `ocmw-balen`, `parket-antwerpen`).
    pub partner: String,
    pub role: String,
}

impl PartnerRole {
    /// `partner:role` (e.g. `gemeente-mol:communicatie`), trimmed.
    pub fn parse(s: &str) -> Result<PartnerRole, String> {
        match s.split_once(':') {
            Some((p, r)) if !p.trim().is_empty() && !r.trim().is_empty() => Ok(PartnerRole {
                partner: p.trim().into(),
                role: r.trim().into(),
            }),
            _ => Err(format!(
                "partner {s:?}: partner:role, e.g. gemeente-mol:communicatie"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub code: String,
    pub objective: String,
    /// The action plan's year.
    pub year: i32,
    pub title: String,
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub partners: Vec<PartnerRole>,
    pub owner: String,
    /// Police capacity hours the action needs in its year.
    pub hours: f64,
    /// Functionalities whose teams may do it (empty: any team).
    #[serde(default)]
    pub functionalities: Vec<String>,
}

/// One version of a zonal security plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDoc {
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[serde(default)]
    pub chapters: Chapters,
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
    #[serde(default)]
    pub priorities: Vec<Priority>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// A code: 1-40 characters of letters, digits, `.`, `-`, `_`.
pub fn valid_code(s: &str) -> bool {
    (1..=40).contains(&s.chars().count())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl PlanDoc {
    /// A new plan over whole calendar years from `start_year`, six by default (the cycle
    /// aligned with the local legislature).
    pub fn new(title: &str, start_year: i32, years: i32) -> PlanDoc {
        PlanDoc {
            title: title.into(),
            period_start: NaiveDate::from_ymd_opt(start_year, 1, 1).expect("valid"),
            period_end: NaiveDate::from_ymd_opt(start_year + years - 1, 12, 31).expect("valid"),
            chapters: Chapters::default(),
            snapshots: Vec::new(),
            priorities: Vec::new(),
            objectives: Vec::new(),
            actions: Vec::new(),
        }
    }

    pub fn priority(&self, code: &str) -> Option<&Priority> {
        self.priorities.iter().find(|p| p.code == code)
    }
    pub fn objective(&self, code: &str) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.code == code)
    }

    /// Adds a priority, or replaces the one with its code.
    pub fn put_priority(&mut self, p: Priority) {
        put(&mut self.priorities, p, |x| &x.code);
    }

    /// Adds an objective, or replaces the one with its code; a deadline set now must lie
    /// ahead of `today` (a plan is not written backwards).
    pub fn put_objective(&mut self, o: Objective, today: NaiveDate) -> Result<(), String> {
        if o.due < today {
            return Err(format!(
                "objective {}: due {} lies in the past: a new objective's deadline must be ahead",
                o.code, o.due
            ));
        }
        put(&mut self.objectives, o, |x| &x.code);
        Ok(())
    }

    /// Adds an action, or replaces the one with its code.
    pub fn put_action(&mut self, a: Action) {
        put(&mut self.actions, a, |x| &x.code);
    }

    /// Removes the priority, objective or action with `code` (`item` names which); an error
    /// when the item is unknown or the plan has no such code.
    pub fn remove(&mut self, item: &str, code: &str) -> Result<(), String> {
        let before = self.priorities.len() + self.objectives.len() + self.actions.len();
        match item {
            "priority" => self.priorities.retain(|x| x.code != code),
            "objective" => self.objectives.retain(|x| x.code != code),
            "action" => self.actions.retain(|x| x.code != code),
            _ => return Err(format!("{item:?}: priority, objective or action")),
        }
        if before == self.priorities.len() + self.objectives.len() + self.actions.len() {
            return Err(format!("the plan has no {item} {code:?}"));
        }
        Ok(())
    }

    /// The priority an action serves (through its objective).
    pub fn action_priority(&self, a: &Action) -> Option<&Priority> {
        self.objective(&a.objective)
            .and_then(|o| self.priority(&o.priority))
    }

    /// Hours per priority code in one year.
    pub fn hours_by_priority(&self, year: i32) -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        for a in self.actions.iter().filter(|a| a.year == year) {
            if let Some(p) = self.action_priority(a) {
                *m.entry(p.code.clone()).or_default() += a.hours;
            }
        }
        m
    }

    /// The actions a partner takes part in.
    pub fn actions_of_partner(&self, partner: &str) -> Vec<&Action> {
        self.actions
            .iter()
            .filter(|a| a.partners.iter().any(|p| p.partner == partner))
            .collect()
    }
}

fn put<T>(items: &mut Vec<T>, item: T, code: impl Fn(&T) -> &str) {
    match items.iter().position(|x| code(x) == code(&item)) {
        Some(i) => items[i] = item,
        None => items.push(item),
    }
}

#[cfg(test)]
pub(crate) mod tests;
