//! The determined reader: what it asks every view, and what it derives by subtracting
//! periods and areas (propagation).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::common::*;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::Value;
use veilig_domain::Role;

pub(crate) const YEAR: i32 = 2025;
pub(crate) const THRESHOLD: u64 = 5;

/// (phenomenon, unit, start, end): unit "zone", "m:NIS", "a:CODE" or "nl".
pub(crate) type Key = (String, String, NaiveDate, NaiveDate);

/// The shown counts of one phenomenon and unit: (start, end, count).
pub(crate) type Series = Vec<(NaiveDate, NaiveDate, u64)>;

#[derive(Default)]
pub(crate) struct Reader {
    /// What was shown.
    pub(crate) shown: HashMap<Key, u64>,
    /// What was answered but hidden.
    pub(crate) hidden: HashSet<Key>,
    /// The label of each hidden figure as answered ("primary": under the threshold;
    /// "secondary": hidden to protect another).
    pub(crate) labels: HashMap<Key, String>,
    /// Wijk code → municipality NIS (from the answers).
    pub(crate) area_municipality: BTreeMap<String, String>,
    pub(crate) municipalities: Vec<String>,
    pub(crate) not_located: bool,
    pub(crate) answered_periods: usize,
    pub(crate) refused_periods: usize,
}

impl Reader {
    fn note(&mut self, key: Key, v: &Value, status: &Value) {
        match v.as_u64() {
            Some(n) => {
                self.shown.insert(key, n);
            }
            None => {
                if let Some(s) = status.as_str() {
                    self.labels.insert(key.clone(), s.to_string());
                }
                self.hidden.insert(key);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum View {
    Public,
    Council,
    Partner,
}

/// The periods the reader asks for: day by day from 1 January and to 31 December over the
/// days of the year `days` (day numbers 1..=365), and every calendar month, quarter, year.
pub(crate) fn periods(days: std::ops::RangeInclusive<u32>) -> Vec<(NaiveDate, NaiveDate)> {
    let jan1 = NaiveDate::from_ymd_opt(YEAR, 1, 1).unwrap();
    let dec31 = NaiveDate::from_ymd_opt(YEAR, 12, 31).unwrap();
    let mut out = Vec::new();
    for d in days {
        let day = NaiveDate::from_yo_opt(YEAR, d).unwrap();
        out.push((jan1, day));
        out.push((day, dec31));
    }
    for m in 1..=12 {
        let s = NaiveDate::from_ymd_opt(YEAR, m, 1).unwrap();
        let e = if m == 12 {
            dec31
        } else {
            NaiveDate::from_ymd_opt(YEAR, m + 1, 1)
                .unwrap()
                .pred_opt()
                .unwrap()
        };
        out.push((s, e));
    }
    for q in 0..4 {
        let s = NaiveDate::from_ymd_opt(YEAR, 3 * q + 1, 1).unwrap();
        let e = if q == 3 {
            dec31
        } else {
            NaiveDate::from_ymd_opt(YEAR, 3 * q + 4, 1)
                .unwrap()
                .pred_opt()
                .unwrap()
        };
        out.push((s, e));
    }
    out.sort();
    out.dedup();
    out
}

pub(crate) async fn json(c: &mut Client<'_>, path: &str) -> Option<Value> {
    let a = c.get(path).await;
    match a.status {
        StatusCode::OK => Some(serde_json::from_str(&a.body).unwrap()),
        StatusCode::BAD_REQUEST => None,
        s => panic!("{path}: {s} {}", a.body),
    }
}

/// Plays the reader's queries through one view: as a logged-in member, or with `tokens`
/// through an API token of the role (an integration's client).
pub(crate) async fn observe(
    app: &App,
    view: View,
    periods: Vec<(NaiveDate, NaiveDate)>,
    tokens: bool,
) -> Reader {
    let role = match view {
        View::Public => None,
        View::Council => Some(Role::Council),
        View::Partner => Some(Role::Partner),
    };
    let mut c = match role {
        Some(r) if tokens => with_token(app, r).await,
        _ => logged_in(app, role).await,
    };
    let mut r = Reader::default();
    for (from, to) in periods {
        let q = format!("from={from}&to={to}");
        if view == View::Public {
            let Some(v) = json(&mut c, &format!("/api/v1/public/{ZONE}?{q}")).await else {
                r.refused_periods += 1;
                continue;
            };
            r.answered_periods += 1;
            let munis: Vec<String> = v["municipalities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m[0].as_str().unwrap().to_string())
                .collect();
            r.not_located = v["not_located_column"].as_bool().unwrap();
            r.municipalities = munis.clone();
            for row in v["rows"].as_array().unwrap() {
                let code = row["code"].as_str().unwrap().to_string();
                r.note(
                    (code.clone(), "zone".into(), from, to),
                    &row["total"],
                    &row["total_status"],
                );
                for (i, cell) in row["cells"].as_array().unwrap().iter().enumerate() {
                    let unit = match munis.get(i) {
                        Some(m) => format!("m:{m}"),
                        None => "nl".into(),
                    };
                    r.note((code.clone(), unit, from, to), cell, &row["cell_status"][i]);
                }
            }
        } else {
            let Some(o) = json(&mut c, &format!("/api/v1/zones/{ZONE}/overview?{q}")).await else {
                r.refused_periods += 1;
                continue;
            };
            r.answered_periods += 1;
            for p in o["phenomena"].as_array().unwrap() {
                let code = p["code"].as_str().unwrap().to_string();
                r.note(
                    (code.clone(), "zone".into(), from, to),
                    &p["count"],
                    &p["count_status"],
                );
                let Some(d) = json(
                    &mut c,
                    &format!("/api/v1/zones/{ZONE}/phenomena/{code}?{q}"),
                )
                .await
                else {
                    continue;
                };
                for a in d["areas"].as_array().unwrap() {
                    let area = a["code"].as_str().unwrap().to_string();
                    if let Some(m) = a["municipality"].as_str() {
                        r.area_municipality.insert(area.clone(), m.to_string());
                    }
                    r.note(
                        (code.clone(), format!("a:{area}"), from, to),
                        &a["count"],
                        &a["status"],
                    );
                }
            }
        }
    }
    if view != View::Public {
        let mut ms: Vec<String> = r.area_municipality.values().cloned().collect();
        ms.sort();
        ms.dedup();
        r.municipalities = ms;
    }
    r
}

/// Everything the reader derives exactly, beyond what it was shown.
pub(crate) fn derive(r: &Reader) -> HashMap<Key, u64> {
    let mut known: HashMap<Key, u64> = r.shown.clone();
    // By periods: same phenomenon and unit, shared start or shared end.
    let mut by_unit: HashMap<(String, String), Series> = HashMap::new();
    for ((p, u, s, e), v) in &r.shown {
        by_unit
            .entry((p.clone(), u.clone()))
            .or_default()
            .push((*s, *e, *v));
    }
    for ((p, u), list) in &by_unit {
        for a in list {
            for b in list {
                if a.0 == b.0 && b.1 < a.1 {
                    let k = (p.clone(), u.clone(), b.1.succ_opt().unwrap(), a.1);
                    known.entry(k).or_insert(a.2 - b.2);
                }
                if a.1 == b.1 && b.0 > a.0 {
                    let k = (p.clone(), u.clone(), a.0, b.0.pred_opt().unwrap());
                    known.entry(k).or_insert(a.2 - b.2);
                }
            }
        }
    }
    // By areas, period by period: zone = municipalities (+ not located), municipality =
    // its wijken (for the views that show wijken).
    let mut cells: HashSet<(String, NaiveDate, NaiveDate)> = HashSet::new();
    for (p, _, s, e) in known.keys().chain(r.hidden.iter()) {
        cells.insert((p.clone(), *s, *e));
    }
    for (p, s, e) in cells {
        let k = |u: String| (p.clone(), u, s, e);
        let mut lines: Vec<(Key, Vec<Key>)> = Vec::new();
        let mut zone_parts: Vec<Key> = r
            .municipalities
            .iter()
            .map(|m| k(format!("m:{m}")))
            .collect();
        if r.not_located {
            zone_parts.push(k("nl".into()));
        }
        lines.push((k("zone".into()), zone_parts));
        for m in &r.municipalities {
            let areas: Vec<Key> = r
                .area_municipality
                .iter()
                .filter(|(_, am)| *am == m)
                .map(|(a, _)| k(format!("a:{a}")))
                .collect();
            if !areas.is_empty() {
                lines.push((k(format!("m:{m}")), areas));
            }
        }
        loop {
            let mut changed = false;
            for (total, parts) in &lines {
                let unknown: Vec<&Key> = parts.iter().filter(|x| !known.contains_key(*x)).collect();
                let known_sum: u64 = parts.iter().filter_map(|x| known.get(x)).sum();
                match (known.get(total).copied(), unknown.len()) {
                    (Some(t), 1) => {
                        known.insert(unknown[0].clone(), t - known_sum);
                        changed = true;
                    }
                    (Some(t), n) if n > 1 && t == known_sum => {
                        for u in unknown {
                            known.insert(u.clone(), 0);
                        }
                        changed = true;
                    }
                    (None, 0) => {
                        known.insert(total.clone(), known_sum);
                        changed = true;
                    }
                    _ => {}
                }
            }
            if !changed {
                break;
            }
        }
    }
    known.retain(|k, _| !r.shown.contains_key(k));
    known
}

/// The true count of a key, from the analyst's full view.
pub(crate) async fn truth(
    c: &mut Client<'_>,
    key: &Key,
    cache: &mut HashMap<String, Value>,
) -> u64 {
    let (p, unit, s, e) = key;
    let path = format!("/api/v1/zones/{ZONE}/phenomena/{p}?from={s}&to={e}");
    if !cache.contains_key(&path) {
        let v = json(c, &path).await.expect("the analyst sees any period");
        cache.insert(path.clone(), v);
    }
    let v = &cache[&path];
    let areas = v["areas"].as_array().unwrap();
    let sum = |f: &dyn Fn(&Value) -> bool| -> u64 {
        areas
            .iter()
            .filter(|a| f(a))
            .map(|a| a["count"].as_u64().unwrap())
            .sum()
    };
    match unit.split_once(':') {
        None if unit == "zone" => v["summary"]["count"].as_u64().unwrap(),
        None => v["summary"]["count"].as_u64().unwrap() - sum(&|_| true),
        Some(("m", m)) => sum(&|a| a["municipality"].as_str() == Some(m)),
        Some(("a", code)) => sum(&|a| a["code"].as_str() == Some(code)),
        _ => unreachable!("{unit}"),
    }
}

/// Runs the reader through one view; returns (answered periods, recoveries), each recovery
/// checked against the truth.
pub(crate) async fn attack(
    app: &App,
    view: View,
    days: std::ops::RangeInclusive<u32>,
) -> (usize, Vec<(Key, u64)>) {
    attack_with(app, view, days, false).await
}

/// [`attack`], through API tokens when `tokens`.
pub(crate) async fn attack_with(
    app: &App,
    view: View,
    days: std::ops::RangeInclusive<u32>,
    tokens: bool,
) -> (usize, Vec<(Key, u64)>) {
    let r = observe(app, view, periods(days), tokens).await;
    // Propagation (periods that share an end, areas against their total), and against the
    // protection (which refuses every period but the calendar's) the whole system of
    // calendar periods solved by the reader's own integer programme. (Without it the
    // propagation alone recovers tens of thousands.)
    let mut derived = derive(&r);
    if r.refused_periods > 0 {
        let solved = super::solver::solve(std::slice::from_ref(&r), view == View::Public);
        for ((_, k), v) in solved {
            if !r.shown.contains_key(&k) {
                derived.entry(k).or_insert(v);
            }
        }
    }
    let mut analyst = logged_in(app, Some(Role::Analyst)).await;
    let mut cache = HashMap::new();
    let mut recovered: Vec<(Key, u64)> = derived
        .into_iter()
        .filter(|(_, v)| *v < THRESHOLD)
        .collect();
    recovered.sort();
    // Every recovery against the truth, or an even sample of 200 when there are more (the
    // unprotected run recovers tens of thousands; each check is a query of its own).
    let step = (recovered.len() / 200).max(1);
    for (key, v) in recovered.iter().step_by(step) {
        let t = truth(&mut analyst, key, &mut cache).await;
        assert_eq!(
            *v, t,
            "{view:?}: the reader derived {key:?} = {v}, the truth is {t}"
        );
    }
    (r.answered_periods, recovered)
}
