//! Reference plans (the national security plan, the Kadernota Integrale Veiligheid, an
//! arrondissement plan) as dated, cited data: a new NVP is a new file, never a code change.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const BUILTIN: &[(&str, &str)] = &[
    (
        "nvp-2022-2025.toml",
        include_str!("../data/reference-plans/nvp-2022-2025.toml"),
    ),
    (
        "kiv-2022-2024.toml",
        include_str!("../data/reference-plans/kiv-2022-2024.toml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RefStatus {
    Draft,
    InForce,
    Extended,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefItem {
    pub code: String,
    pub label_nl: String,
    /// Phenomenon codes of the zone's catalogue this item covers.
    #[serde(default)]
    pub covers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencePlan {
    pub code: String,
    /// `nvp`, `kadernota`, `arrondissement`, `municipal`.
    pub kind: String,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub status: RefStatus,
    #[serde(default)]
    pub extended_until: Option<NaiveDate>,
    pub confidence: String,
    pub citation: String,
    /// The citation in Dutch and French, for pages and reports.
    #[serde(default)]
    pub citation_nl: Option<String>,
    #[serde(default)]
    pub citation_fr: Option<String>,
    #[serde(rename = "theme", default)]
    pub themes: Vec<RefItem>,
    #[serde(rename = "phenomenon", default)]
    pub phenomena: Vec<RefItem>,
}

impl ReferencePlan {
    pub fn parse(text: &str, origin: &str) -> Result<ReferencePlan> {
        let p: ReferencePlan = toml::from_str(text)
            .with_context(|| format!("{origin}: not a valid reference plan"))?;
        if p.period_end < p.period_start {
            bail!("{origin}: period_end lies before period_start");
        }
        match (p.status, p.extended_until) {
            (RefStatus::Extended, None) => bail!("{origin}: status extended needs extended_until"),
            (RefStatus::Extended, Some(u)) if u < p.period_end => {
                bail!("{origin}: extended_until {u} lies before period_end")
            }
            _ => {}
        }
        let mut seen = std::collections::HashSet::new();
        for i in &p.phenomena {
            if !seen.insert(&i.code) {
                bail!("{origin}: phenomenon code {:?} appears twice", i.code);
            }
        }
        Ok(p)
    }

    /// The last day the plan applies (its end, or the end of its extension).
    pub fn applies_until(&self) -> NaiveDate {
        match self.status {
            RefStatus::Extended => self.extended_until.unwrap_or(self.period_end),
            _ => self.period_end,
        }
    }

    /// Whether the plan applies on `day` (a draft never does).
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.status != RefStatus::Draft && self.period_start <= day && day <= self.applies_until()
    }

    /// The items of this plan that cover a phenomenon code.
    pub fn items_covering(&self, phenomenon: &str) -> Vec<&RefItem> {
        self.phenomena
            .iter()
            .filter(|i| i.covers.iter().any(|c| c == phenomenon))
            .collect()
    }
}

/// The reference plans shipped with Veilig.
pub fn builtin() -> Vec<ReferencePlan> {
    BUILTIN
        .iter()
        .map(|(f, t)| ReferencePlan::parse(t, f).expect("the built-in reference plans parse"))
        .collect()
}

/// Every `*.toml` of a directory, sorted by file name.
pub fn load_dir(dir: &Path) -> Result<Vec<ReferencePlan>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot read", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{}: no reference plan (*.toml) in it", dir.display());
    }
    let mut out: Vec<ReferencePlan> = Vec::new();
    for f in files {
        let text =
            std::fs::read_to_string(&f).with_context(|| format!("{}: cannot read", f.display()))?;
        let p = ReferencePlan::parse(&text, &f.display().to_string())?;
        if out.iter().any(|o| o.code == p.code) {
            bail!("{}: code {:?} used by another file", f.display(), p.code);
        }
        out.push(p);
    }
    Ok(out)
}

/// One reference of a phenomenon to an item of a plan in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    pub plan: String,
    pub kind: String,
    pub item: String,
    pub label_nl: String,
}

/// The items of the plans in force on `day` that cover the phenomenon.
pub fn alignment(plans: &[ReferencePlan], phenomenon: &str, day: NaiveDate) -> Vec<Alignment> {
    plans
        .iter()
        .filter(|p| p.in_force_on(day))
        .flat_map(|p| {
            p.items_covering(phenomenon).into_iter().map(|i| Alignment {
                plan: p.code.clone(),
                kind: p.kind.clone(),
                item: i.code.clone(),
                label_nl: i.label_nl.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn builtin_plans_apply_through_their_extension_only() {
        let plans = builtin();
        let nvp = plans.iter().find(|p| p.kind == "nvp").unwrap();
        assert_eq!(nvp.phenomena.len(), 15);
        assert_eq!(nvp.themes.len(), 4);
        assert!(nvp.in_force_on(d("2025-06-30")));
        assert!(nvp.in_force_on(d("2026-12-31")));
        assert!(!nvp.in_force_on(d("2027-01-01")));
        let a = alignment(&plans, "woninginbraak", d("2025-12-31"));
        assert_eq!(
            a.iter()
                .map(|a| (a.kind.as_str(), a.item.as_str()))
                .collect::<Vec<_>>(),
            [("nvp", "4"), ("kadernota", "7")]
        );
        assert!(alignment(&plans, "woninginbraak", d("2027-06-01")).is_empty());
        assert!(alignment(&plans, "andere", d("2025-12-31")).is_empty());
    }

    #[test]
    fn bad_files_are_refused_with_their_name() {
        let e = ReferencePlan::parse(
            "code='x'\nkind='nvp'\ntitle='t'\nperiod_start='2026-01-01'\nperiod_end='2029-12-31'\nstatus='extended'\nconfidence='L'\ncitation='c'\n",
            "new.toml",
        )
        .unwrap_err();
        assert!(format!("{e:#}").contains("new.toml: status extended needs extended_until"));
        let e = ReferencePlan::parse("code='x'\n", "x.toml").unwrap_err();
        assert!(format!("{e:#}").starts_with("x.toml"));
    }

    #[test]
    fn the_nvp_file_agrees_with_the_catalogue_numbers() {
        // The catalogue's `nvp = N` (domain crate) and the NVP file's `covers` say the same.
        let nvp = builtin().into_iter().find(|p| p.kind == "nvp").unwrap();
        for (code, n) in [
            ("woninginbraak", "4"),
            ("fysiek-geweld", "1"),
            ("intrafamiliaal-geweld", "2"),
            ("drugs", "3"),
            ("overlast", "5"),
            ("verkeersongeval", "6"),
            ("fraude", "13"),
            ("wapens", "14"),
        ] {
            assert!(
                nvp.items_covering(code).iter().any(|i| i.code == n),
                "{code} -> {n}"
            );
        }
    }
}
