//! The priority matrix's arithmetic: criteria scaled over the zone's phenomena, weighted,
//! ranked, and the ranking's sensitivity to every weight. The evidence itself (counts, trends,
//! calls, survey) is gathered by `veilig-query`; this module only scores what it is given, so
//! the rule is one pure function with tests.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The criteria, in the order the matrix shows them.
pub const CRITERIA: [&str; 7] = [
    "harm",
    "rate",
    "trend",
    "calls",
    "survey",
    "alignment",
    "stakeholder",
];

/// How much a weight moves in the sensitivity analysis (± 25 %).
pub const SENSITIVITY: f64 = 0.25;

const BUILTIN: &str = include_str!("../data/priority-method.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Harm {
    /// `assumption` where no Belgian source exists.
    pub status: String,
    pub citation: String,
    /// The citation in Dutch and French, for pages and reports.
    #[serde(default)]
    pub citation_nl: Option<String>,
    #[serde(default)]
    pub citation_fr: Option<String>,
    /// Harm in days per phenomenon code.
    pub days: BTreeMap<String, f64>,
}

/// The matrix's method as data: criteria weights, the harm table, which call categories and
/// survey indicators speak to which phenomenon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    pub name: String,
    pub version: String,
    pub citation: String,
    /// The citation in Dutch and French, for pages and reports.
    #[serde(default)]
    pub citation_nl: Option<String>,
    #[serde(default)]
    pub citation_fr: Option<String>,
    pub weights: BTreeMap<String, f64>,
    pub harm: Harm,
    /// Call category -> phenomenon codes it covers.
    #[serde(default)]
    pub calls: BTreeMap<String, Vec<String>>,
    /// Phenomenon code -> survey indicator code.
    #[serde(default)]
    pub survey: BTreeMap<String, String>,
    /// Allocation weight of a plan action by the kind of its priority.
    #[serde(default)]
    pub allocation: BTreeMap<String, f64>,
    /// What the jaarverslag's traffic chapter is about.
    #[serde(default)]
    pub traffic: Traffic,
}

/// The phenomena and the call category that are about road safety.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    #[serde(default)]
    pub phenomena: Vec<String>,
    #[serde(default)]
    pub calls: Option<String>,
}

crate::cited!(Harm);

crate::cited!(Method);

impl Method {
    /// The built-in method as written (TOML with its citations): what `veilig plan method`
    /// prints for a zone to copy and adapt.
    pub const BUILTIN_TEXT: &str = BUILTIN;

    pub fn builtin() -> Method {
        Method::parse(BUILTIN, "built-in priority-method.toml").expect("the built-in method parses")
    }

    pub fn parse(text: &str, origin: &str) -> Result<Method> {
        let m: Method = toml::from_str(text)
            .with_context(|| format!("{origin}: not a valid priority method"))?;
        m.check().map_err(|e| anyhow::anyhow!("{origin}: {e}"))?;
        Ok(m)
    }

    pub fn load(path: &Path) -> Result<Method> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        Method::parse(&text, &path.display().to_string())
    }

    fn check(&self) -> Result<(), String> {
        for k in self.weights.keys() {
            if !CRITERIA.contains(&k.as_str()) {
                return Err(format!(
                    "weights.{k}: unknown criterion (known: {})",
                    CRITERIA.join(", ")
                ));
            }
        }
        for c in CRITERIA {
            match self.weights.get(c) {
                None => return Err(format!("weights.{c}: missing")),
                Some(w) if !w.is_finite() || *w < 0.0 => {
                    return Err(format!("weights.{c}: {w} is not a weight (0 or more)"));
                }
                _ => {}
            }
        }
        if self.weights.values().all(|w| *w == 0.0) {
            return Err("weights: all zero, nothing would be ranked".into());
        }
        for (k, d) in &self.harm.days {
            if !d.is_finite() || *d < 0.0 {
                return Err(format!("harm.days.{k}: {d} is not a number of days"));
            }
        }
        for (k, w) in &self.allocation {
            if !w.is_finite() || *w <= 0.0 {
                return Err(format!("allocation.{k}: {w} must be above 0"));
            }
        }
        Ok(())
    }

    /// The allocation weight of an action serving a priority of this kind (1 when unset).
    pub fn allocation_weight(&self, kind: &str) -> f64 {
        self.allocation.get(kind).copied().unwrap_or(1.0)
    }

    /// The call categories that cover a phenomenon.
    pub fn call_categories(&self, phenomenon: &str) -> Vec<&str> {
        self.calls
            .iter()
            .filter(|(_, ps)| ps.iter().any(|p| p == phenomenon))
            .map(|(c, _)| c.as_str())
            .collect()
    }

    /// The same method with one weight multiplied by `factor`.
    pub fn with_weight(&self, criterion: &str, factor: f64) -> Method {
        let mut m = self.clone();
        if let Some(w) = m.weights.get_mut(criterion) {
            *w *= factor;
        }
        m
    }
}

/// One phenomenon's raw criterion values (`None`: no value, e.g. no survey question).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub key: String,
    pub values: BTreeMap<&'static str, Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    pub key: String,
    /// Each criterion scaled to 0-1 over the phenomena (missing: 0).
    pub scaled: BTreeMap<&'static str, f64>,
    pub score: f64,
    /// 1 is the highest score.
    pub rank: usize,
    /// The best and worst rank over the sensitivity runs.
    pub rank_best: usize,
    pub rank_worst: usize,
}

/// A weight moved by ± 25 % and the phenomena whose rank it changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shift {
    pub criterion: &'static str,
    pub factor: f64,
    /// (phenomenon, rank with the method's weights, rank with this weight moved).
    pub changes: Vec<(String, usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub rows: Vec<Scored>,
    pub sensitivity: Vec<Shift>,
    /// Phenomena whose rank moves under some ± 25 % weight change.
    pub unstable: Vec<String>,
}

/// Min-max scaling of one criterion over the candidates; all equal: 0 for everyone (the
/// criterion does not tell them apart).
fn scale(values: &[Option<f64>]) -> Vec<f64> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let (lo, hi) = present
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    values
        .iter()
        .map(|v| match v {
            Some(v) if hi > lo => (v - lo) / (hi - lo),
            _ => 0.0,
        })
        .collect()
}

fn ranks(keys: &[&str], scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .partial_cmp(&scores[a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(keys[a].cmp(keys[b]))
    });
    let mut rank = vec![0; scores.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r + 1;
    }
    rank
}

fn weighted(scaled: &[Vec<f64>], weights: &BTreeMap<String, f64>) -> Vec<f64> {
    let n = scaled.first().map_or(0, |c| c.len());
    (0..n)
        .map(|i| {
            CRITERIA
                .iter()
                .zip(scaled)
                .map(|(c, col)| weights.get(*c).copied().unwrap_or(0.0) * col[i])
                .sum::<f64>()
        })
        // Round away float noise so equal evidence ties (and ties break by code).
        .map(|s| (s * 1e9).round() / 1e9)
        .collect()
}

/// Scores and ranks the candidates with the method's weights, then moves every weight by
/// ± 25 % and records which ranks change.
pub fn rank(candidates: &[Candidate], method: &Method) -> Ranking {
    let keys: Vec<&str> = candidates.iter().map(|c| c.key.as_str()).collect();
    let scaled: Vec<Vec<f64>> = CRITERIA
        .iter()
        .map(|c| {
            scale(
                &candidates
                    .iter()
                    .map(|x| x.values.get(c).copied().flatten())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let scores = weighted(&scaled, &method.weights);
    let base = ranks(&keys, &scores);
    let mut best = base.clone();
    let mut worst = base.clone();
    let mut sensitivity = Vec::new();
    for c in CRITERIA {
        for factor in [1.0 - SENSITIVITY, 1.0 + SENSITIVITY] {
            let r = ranks(
                &keys,
                &weighted(&scaled, &method.with_weight(c, factor).weights),
            );
            let mut changes = Vec::new();
            for i in 0..keys.len() {
                best[i] = best[i].min(r[i]);
                worst[i] = worst[i].max(r[i]);
                if r[i] != base[i] {
                    changes.push((keys[i].to_string(), base[i], r[i]));
                }
            }
            sensitivity.push(Shift {
                criterion: c,
                factor,
                changes,
            });
        }
    }
    let rows: Vec<Scored> = (0..keys.len())
        .map(|i| Scored {
            key: keys[i].to_string(),
            scaled: CRITERIA
                .iter()
                .zip(&scaled)
                .map(|(c, col)| (*c, col[i]))
                .collect(),
            score: scores[i],
            rank: base[i],
            rank_best: best[i],
            rank_worst: worst[i],
        })
        .collect();
    let unstable = rows
        .iter()
        .filter(|r| r.rank_best != r.rank_worst)
        .map(|r| r.key.clone())
        .collect();
    Ranking {
        rows,
        sensitivity,
        unstable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(key: &str, v: &[(&'static str, Option<f64>)]) -> Candidate {
        Candidate {
            key: key.into(),
            values: v.iter().copied().collect(),
        }
    }

    fn method(weights: &[(&str, f64)]) -> Method {
        let mut m = Method::builtin();
        for c in CRITERIA {
            m.weights.insert(c.into(), 0.0);
        }
        for (c, w) in weights {
            m.weights.insert((*c).into(), *w);
        }
        m
    }

    #[test]
    fn scores_are_weighted_scaled_criteria_and_ties_break_by_code() {
        let c = [
            cand("a", &[("harm", Some(10.0)), ("rate", Some(1.0))]),
            cand("b", &[("harm", Some(30.0)), ("rate", Some(0.0))]),
            cand("c", &[("harm", Some(20.0)), ("rate", None)]),
        ];
        let r = rank(&c, &method(&[("harm", 2.0), ("rate", 1.0)]));
        // harm scaled: a 0, b 1, c 0.5; rate scaled: a 1, b 0, c missing -> 0.
        let s: Vec<f64> = r.rows.iter().map(|x| x.score).collect();
        assert_eq!(s, [1.0, 2.0, 1.0]);
        let ranks: Vec<usize> = r.rows.iter().map(|x| x.rank).collect();
        assert_eq!(ranks, [2, 1, 3], "a and c tie at 1.0: a first by code");
    }

    #[test]
    fn sensitivity_finds_the_ranks_a_quarter_of_a_weight_flips() {
        // a: harm 1, rate 0 -> 1.0 * wh; b: harm 0, rate 1 -> wr. With wh = 1.1, wr = 1.0 the
        // order a > b flips when harm drops 25 % (0.825) or rate rises 25 % (1.25).
        let c = [
            cand("a", &[("harm", Some(1.0)), ("rate", Some(0.0))]),
            cand("b", &[("harm", Some(0.0)), ("rate", Some(1.0))]),
            cand("z", &[("harm", Some(0.0)), ("rate", Some(0.0))]),
        ];
        let r = rank(&c, &method(&[("harm", 1.1), ("rate", 1.0)]));
        assert_eq!(r.rows[0].rank, 1);
        assert_eq!((r.rows[0].rank_best, r.rows[0].rank_worst), (1, 2));
        assert_eq!((r.rows[2].rank_best, r.rows[2].rank_worst), (3, 3));
        assert_eq!(r.unstable, ["a", "b"]);
        let flips: Vec<(&str, f64)> = r
            .sensitivity
            .iter()
            .filter(|s| !s.changes.is_empty())
            .map(|s| (s.criterion, s.factor))
            .collect();
        assert_eq!(flips, [("harm", 0.75), ("rate", 1.25)]);
        // A wide margin is stable.
        let r = rank(&c, &method(&[("harm", 2.0), ("rate", 1.0)]));
        assert!(r.unstable.is_empty());
    }

    #[test]
    fn a_method_file_with_a_bad_weight_is_refused() {
        let bad = BUILTIN.replace("harm = 3.0", "harm = -1.0");
        let e = Method::parse(&bad, "m.toml").unwrap_err();
        assert!(format!("{e:#}").contains("m.toml: weights.harm: -1 is not a weight"));
        let bad = BUILTIN.replace("rate = 1.0", "rates = 1.0");
        assert!(
            format!("{:#}", Method::parse(&bad, "m.toml").unwrap_err())
                .contains("unknown criterion")
        );
        let m = Method::builtin();
        assert_eq!(m.call_categories("woninginbraak"), ["diefstal"]);
        assert_eq!(m.harm.status, "assumption");
    }
}
