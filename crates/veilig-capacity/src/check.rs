//! The norm check: required against actual, per rule and, for the wijk norm, per
//! municipality; every shortfall names the rule it breaks.

use serde::Serialize;
use veilig_domain::{Functionality, StaffMember};

use crate::net::NetHours;
use crate::norms::{Rule, RuleKind, Ruleset};

/// A population and the wijkinspecteurs serving it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// `zone` or a municipality's NIS code.
    pub code: String,
    pub name: String,
    pub inhabitants: i64,
    /// Wijkinspecteur FTE (and head count) serving it.
    pub wijk_fte: f64,
    pub wijk_heads: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub rule: String,
    pub functionality: String,
    pub description_nl: String,
    pub citation: String,
    pub confidence: String,
    /// What is counted: `fte`, `head-count`, `share`.
    pub unit: &'static str,
    /// `zone`, or a municipality NIS code.
    pub scope: String,
    pub required: f64,
    pub actual: f64,
    /// Required minus actual when positive, else 0.
    pub shortfall: f64,
    /// Whether the rule holds; never true for a rule that could not be checked.
    pub met: bool,
    /// False when the basis is missing (a norm per inhabitant for a place without a
    /// population): then neither met nor short, and said so.
    pub checkable: bool,
    /// How `required` was derived.
    pub basis: String,
}

/// Parameters of the check that are not in the rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CheckParams {
    /// People needed for a sustainable on-call rota (one week in this many) [L].
    pub on_call_rota: u32,
}

impl Default for CheckParams {
    fn default() -> Self {
        CheckParams { on_call_rota: 5 }
    }
}

fn line(
    rule: &Rule,
    unit: &'static str,
    scope: &str,
    required: f64,
    actual: f64,
    basis: String,
) -> Line {
    let short = (required - actual).max(0.0);
    Line {
        rule: rule.id.clone(),
        functionality: rule.functionality.clone(),
        description_nl: rule.description_nl.clone(),
        citation: rule.citation.clone(),
        confidence: rule.confidence.clone(),
        unit,
        scope: scope.to_string(),
        required,
        actual,
        shortfall: (short * 1000.0).round() / 1000.0,
        met: short <= 1e-9,
        checkable: true,
        basis,
    }
}

/// Checks staff against the rules. `places` has the zone first, then its municipalities;
/// `net` is the schedulable hours per FTE.
pub fn check(
    rules: &Ruleset,
    staff: &[StaffMember],
    places: &[Place],
    net: &NetHours,
    params: &CheckParams,
) -> Vec<Line> {
    let fte = |f: &str| {
        staff
            .iter()
            .filter(|s| s.functionality.as_str() == f)
            .map(|s| s.fte)
            .sum::<f64>()
    };
    let operational: f64 = staff
        .iter()
        .filter(|s| s.functionality != Functionality::Ondersteuning)
        .map(|s| s.fte)
        .sum();
    // A rule that asks for `hours` a week of presence: the FTE that takes at the net hours,
    // against `actual` FTE; `what` names the hours in the basis.
    let weekly = |r: &Rule, hours: f64, actual: f64, what: String| {
        line(
            r,
            "fte",
            "zone",
            (net.fte_for(hours) * 100.0).round() / 100.0,
            actual,
            format!(
                "{what} × 52 / {:.0} inzetbare uren per VTE",
                net.schedulable
            ),
        )
    };
    let mut out = Vec::new();
    for r in &rules.rules {
        match r.kind {
            RuleKind::FtePerPopulation => {
                let per = r.per_inhabitants.unwrap_or(f64::INFINITY);
                for p in places {
                    // Whole officers: 70,500 inhabitants at 1 per 4,000 need 18.
                    let required = (p.inhabitants as f64 / per).ceil();
                    let mut l = line(
                        r,
                        "fte",
                        &p.code,
                        required,
                        p.wijk_fte,
                        format!(
                            "⌈{} inwoners / {per}⌉ ({}; {} personen)",
                            p.inhabitants, p.name, p.wijk_heads
                        ),
                    );
                    // No population, no check: 0 inhabitants never make a norm "met".
                    if p.inhabitants <= 0 {
                        l.met = false;
                        l.checkable = false;
                        l.shortfall = 0.0;
                        l.basis = format!("geen bevolking gekend voor {}", p.name);
                    }
                    out.push(l);
                }
            }
            RuleKind::TeamsPerHour => {
                let officer_hours = (r.teams.unwrap_or(0)
                    * r.officers_per_team.unwrap_or(0)
                    * r.hours_per_week.unwrap_or(0)) as f64;
                out.push(weekly(
                    r,
                    officer_hours,
                    fte(&r.functionality),
                    format!("{officer_hours} officier-uren/week"),
                ));
            }
            RuleKind::OnCall => {
                let skill = r.skill.clone().unwrap_or_default();
                let heads = staff
                    .iter()
                    .filter(|s| s.skills.iter().any(|k| k == &skill))
                    .count() as f64;
                let required = (r.count.unwrap_or(1) * params.on_call_rota) as f64;
                out.push(line(
                    r,
                    "head-count",
                    "zone",
                    required,
                    heads,
                    format!(
                        "{} bereikbaar × beurtrol van {} weken",
                        r.count.unwrap_or(1),
                        params.on_call_rota
                    ),
                ));
            }
            RuleKind::SkillOnShift => {
                let skill = r.skill.clone().unwrap_or_default();
                let count = r.count.unwrap_or(1);
                let actual: f64 = staff
                    .iter()
                    .filter(|s| {
                        s.functionality.as_str() == r.functionality
                            && s.skills.iter().any(|k| k == &skill)
                    })
                    .map(|s| s.fte)
                    .sum();
                out.push(weekly(
                    r,
                    (count * 168) as f64,
                    actual,
                    format!("{count} × 168 uur/week met {skill}"),
                ));
            }
            RuleKind::ShareOfOperational => {
                let share = r.share.unwrap_or(0.0);
                let actual = if operational > 0.0 {
                    fte(&r.functionality) / operational
                } else {
                    0.0
                };
                out.push(line(
                    r,
                    "share",
                    "zone",
                    share,
                    (actual * 10_000.0).round() / 10_000.0,
                    format!(
                        "{:.1} VTE van {:.1} operationele VTE",
                        fte(&r.functionality),
                        operational
                    ),
                ));
            }
            RuleKind::ReceptionHours => {
                let hours = r.hours_per_day.unwrap_or(0.0) * 7.0;
                out.push(weekly(
                    r,
                    hours,
                    fte(&r.functionality),
                    format!("{hours} uur/week"),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Deductions, net_hours};

    #[test]
    fn a_norm_per_inhabitant_is_not_met_on_a_place_without_population() {
        let place = |code: &str, inhabitants| Place {
            code: code.into(),
            name: code.into(),
            inhabitants,
            wijk_fte: 0.0,
            wijk_heads: 0,
        };
        let net = net_hours(38.0, &Deductions::default());
        let lines = check(
            &Ruleset::builtin(),
            &[],
            &[place("zone", 0), place("13025", 36_000)],
            &net,
            &CheckParams::default(),
        );
        let per_pop: Vec<&Line> = lines
            .iter()
            .filter(|l| l.basis.contains("inwoners") || l.basis.contains("bevolking"))
            .collect();
        let zone = per_pop.iter().find(|l| l.scope == "zone").unwrap();
        assert!(!zone.met && !zone.checkable, "{zone:?}");
        assert!(zone.basis.contains("geen bevolking"));
        // Where the population is known the norm is checked: 36,000 at 1 per 4,000 need 9.
        let mol = per_pop.iter().find(|l| l.scope == "13025").unwrap();
        assert!(mol.checkable && !mol.met && mol.required == 9.0, "{mol:?}");
    }
}
