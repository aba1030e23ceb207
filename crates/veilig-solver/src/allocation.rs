//! Allocation of the corps' net hours over the basic functionalities and the plan's projects,
//! as a linear programme solved in three stages (lexicographic: an earlier goal is never
//! traded for a later one):
//!
//! 1. the norm floors: minimise the hours by which functionalities fall short of their floor;
//! 2. the plan: with that shortfall fixed, maximise the weighted hours given to projects (each
//!    up to the hours it asks);
//! 3. fairness: with both fixed, minimise the largest share of its net hours any team gives
//!    to projects (so the plan's work is not piled on one team), and, with a weight too small
//!    to trade against that, the spread of the shares around their centre (so the other teams
//!    are balanced too).
//!
//! Every stage reports HiGHS's status; an LP's optimum is proven by its dual, so "optimal"
//! here is exact.

use highs::RowProblem;
use serde::{Deserialize, Serialize};

use crate::mip::{MipResult, minimise_lp};

/// A team (or any group of staff) and the hours it has in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// Net schedulable hours in the period.
    pub hours: f64,
    /// The functionality the team carries (its floor hours may come only from teams that
    /// carry it).
    pub functionality: String,
}

/// A plan project asking for hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub code: String,
    pub name: String,
    /// Relative importance (e.g. from the priority matrix).
    pub weight: f64,
    /// Hours asked for in the period (the most it can use).
    pub hours: f64,
    /// Functionalities whose teams may work on it; empty: every team.
    #[serde(default)]
    pub functionalities: Vec<String>,
}

/// The hours a functionality must get (from the norm check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Floor {
    pub functionality: String,
    pub hours: f64,
    /// The rule the floor comes from.
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamLine {
    pub team: String,
    pub hours: f64,
    /// Hours on the team's own functionality (towards the floor and beyond).
    pub functionality_hours: f64,
    /// Hours per project (same order as the input).
    pub project_hours: Vec<f64>,
    /// Share of the team's hours given to projects.
    pub project_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FloorLine {
    pub functionality: String,
    pub rule: String,
    pub required: f64,
    pub allocated: f64,
    pub shortfall: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectLine {
    pub code: String,
    pub asked: f64,
    pub allocated: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    pub teams: Vec<TeamLine>,
    pub floors: Vec<FloorLine>,
    pub projects: Vec<ProjectLine>,
    /// The largest project share of any team after stage 3.
    pub max_project_share: f64,
    /// Status, objective and bound of each stage.
    pub stages: Vec<MipResult>,
}

fn close(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Solves the three stages. Teams' hours go to their own functionality (`f`) or to projects
/// they may serve (`p`).
pub fn allocate(
    teams: &[Team],
    floors: &[Floor],
    projects: &[Project],
) -> Result<Allocation, String> {
    let tolerance = 1e-6;
    let serves = |t: &Team, p: &Project| {
        p.functionalities.is_empty() || p.functionalities.contains(&t.functionality)
    };
    // The same model three times; stage goals enter as objective or as fixed rows.
    let build = |stage: usize, fixed: &[f64]| {
        let mut pb = RowProblem::default();
        // Columns in order: own[t], x[t][p] (all pairs, bounded to 0 where not served),
        // short[f], u.
        let own: Vec<_> = teams
            .iter()
            .map(|t| pb.add_column(0.0, 0.0..=t.hours))
            .collect();
        let x: Vec<Vec<_>> = teams
            .iter()
            .map(|t| {
                projects
                    .iter()
                    .map(|p| {
                        let w = if stage == 2 { -p.weight } else { 0.0 };
                        pb.add_column(w, 0.0..=if serves(t, p) { p.hours } else { 0.0 })
                    })
                    .collect()
            })
            .collect();
        let short: Vec<_> = floors
            .iter()
            .map(|f| pb.add_column(if stage == 1 { 1.0 } else { 0.0 }, 0.0..=f.hours))
            .collect();
        let u = pb.add_column(if stage == 3 { 1.0 } else { 0.0 }, 0.0..);
        let centre = pb.add_column(0.0, 0.0..=1.0);
        let spread_weight = 1e-4 / teams.len().max(1) as f64;
        for (i, t) in teams.iter().enumerate() {
            pb.add_row(
                ..=t.hours,
                std::iter::once((own[i], 1.0)).chain(x[i].iter().map(|c| (*c, 1.0))),
            );
            if t.hours > 0.0 {
                // Project share: projects <= u * hours; |projects - centre * hours| <= d * hours.
                let projects_of = || x[i].iter().map(|c| (*c, 1.0));
                pb.add_row(..=0.0, projects_of().chain([(u, -t.hours)]));
                let d = pb.add_column(if stage == 3 { spread_weight } else { 0.0 }, 0.0..);
                pb.add_row(
                    ..=0.0,
                    projects_of().chain([(centre, -t.hours), (d, -t.hours)]),
                );
                pb.add_row(
                    0.0..,
                    projects_of().chain([(centre, -t.hours), (d, t.hours)]),
                );
            }
        }
        for (k, f) in floors.iter().enumerate() {
            let carriers: Vec<_> = teams
                .iter()
                .enumerate()
                .filter(|(_, t)| t.functionality == f.functionality)
                .map(|(i, _)| (own[i], 1.0))
                .collect();
            pb.add_row(f.hours.., carriers.into_iter().chain([(short[k], 1.0)]));
        }
        for (j, p) in projects.iter().enumerate() {
            pb.add_row(..=p.hours, (0..teams.len()).map(|i| (x[i][j], 1.0)));
        }
        if stage >= 2 {
            pb.add_row(..=fixed[0] + tolerance, short.iter().map(|c| (*c, 1.0)));
        }
        if stage >= 3 {
            let terms: Vec<_> = (0..teams.len())
                .flat_map(|i| {
                    projects
                        .iter()
                        .enumerate()
                        .map(move |(j, p)| (i, j, p.weight))
                })
                .map(|(i, j, w)| (x[i][j], w))
                .collect();
            pb.add_row(fixed[1] - tolerance * fixed[1].abs().max(1.0).., terms);
        }
        pb
    };
    let s1 = minimise_lp(build(1, &[]), 60.0)?;
    let s2 = minimise_lp(build(2, &[s1.objective]), 60.0)?;
    let s3 = minimise_lp(build(3, &[s1.objective, -s2.objective]), 60.0)?;
    let v = &s3.values;
    let (nt, np) = (teams.len(), projects.len());
    let own = |i: usize| v[i];
    let xv = |i: usize, j: usize| v[nt + i * np + j];
    let shortfall = |k: usize| v[nt + nt * np + k];
    let team_lines = teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let ph: Vec<f64> = (0..np).map(|j| close(xv(i, j))).collect();
            let total: f64 = (0..np).map(|j| xv(i, j)).sum();
            TeamLine {
                team: t.name.clone(),
                hours: close(t.hours),
                functionality_hours: close(own(i)),
                project_hours: ph,
                project_share: if t.hours > 0.0 {
                    (total / t.hours * 1000.0).round() / 1000.0
                } else {
                    0.0
                },
            }
        })
        .collect();
    let floor_lines = floors
        .iter()
        .enumerate()
        .map(|(k, f)| FloorLine {
            functionality: f.functionality.clone(),
            rule: f.rule.clone(),
            required: close(f.hours),
            allocated: close(f.hours - shortfall(k)),
            shortfall: close(shortfall(k)),
        })
        .collect();
    let project_lines = projects
        .iter()
        .enumerate()
        .map(|(j, p)| ProjectLine {
            code: p.code.clone(),
            asked: close(p.hours),
            allocated: close((0..nt).map(|i| xv(i, j)).sum()),
        })
        .collect();
    Ok(Allocation {
        teams: team_lines,
        floors: floor_lines,
        projects: project_lines,
        max_project_share: (v[nt + nt * np + floors.len()] * 1000.0).round() / 1000.0,
        stages: vec![s1, s2, s3],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str, hours: f64, f: &str) -> Team {
        Team {
            name: name.into(),
            hours,
            functionality: f.into(),
        }
    }

    fn project(code: &str, weight: f64, hours: f64, f: &[&str]) -> Project {
        Project {
            code: code.into(),
            name: code.into(),
            weight,
            hours,
            functionalities: f.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn floors_first_then_weighted_projects_then_an_even_load() {
        // Interventie 1,000 h with a floor of 800; wijk 500 h with a floor of 300.
        // Projects: A (weight 3, 400 h, anyone), B (weight 1, 400 h, wijk only).
        let teams = [
            team("INT", 1000.0, "interventie"),
            team("WIJK", 500.0, "wijkwerking"),
        ];
        let floors = [
            Floor {
                functionality: "interventie".into(),
                hours: 800.0,
                rule: "r1".into(),
            },
            Floor {
                functionality: "wijkwerking".into(),
                hours: 300.0,
                rule: "r2".into(),
            },
        ];
        let projects = [
            project("A", 3.0, 400.0, &[]),
            project("B", 1.0, 400.0, &["wijkwerking"]),
        ];
        let a = allocate(&teams, &floors, &projects).unwrap();
        assert!(
            a.stages.iter().all(|s| s.status == "optimal"),
            "{:?}",
            a.stages
        );
        assert!(a.floors.iter().all(|f| f.shortfall == 0.0));
        // Free hours: 200 (INT) + 200 (WIJK) = 400, all to A (weight 3) before B.
        assert_eq!(a.projects[0].allocated, 400.0);
        assert_eq!(a.projects[1].allocated, 0.0);
        // Every free hour goes to A: 200 of INT's 1,000 and 200 of WIJK's 500.
        let shares: Vec<f64> = a.teams.iter().map(|t| t.project_share).collect();
        assert_eq!(shares, vec![0.2, 0.4]);
        assert_eq!(a.max_project_share, 0.4);
    }

    #[test]
    fn a_shortfall_is_reported_not_hidden_and_spare_hours_are_spread() {
        let teams = [
            team("INT-1", 500.0, "interventie"),
            team("INT-2", 1000.0, "interventie"),
            team("WIJK", 100.0, "wijkwerking"),
        ];
        let floors = [
            Floor {
                functionality: "interventie".into(),
                hours: 600.0,
                rule: "r1".into(),
            },
            Floor {
                functionality: "wijkwerking".into(),
                hours: 250.0,
                rule: "r2".into(),
            },
        ];
        let projects = [project("A", 1.0, 300.0, &["interventie"])];
        let a = allocate(&teams, &floors, &projects).unwrap();
        let wijk = a
            .floors
            .iter()
            .find(|f| f.functionality == "wijkwerking")
            .unwrap();
        assert_eq!((wijk.allocated, wijk.shortfall), (100.0, 150.0));
        assert_eq!(a.projects[0].allocated, 300.0);
        // 300 project hours over 1,500 interventie hours: 20 % of each team's hours, not all
        // on the larger team; the WIJK team has none to spare.
        let shares: Vec<f64> = a.teams.iter().map(|t| t.project_share).collect();
        assert_eq!(shares, vec![0.2, 0.2, 0.0], "{:?}", a.teams);
        assert_eq!(a.max_project_share, 0.2);
    }
}
