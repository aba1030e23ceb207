//! The approval of a plan version as ordered steps read from data (`data/approval.toml`):
//! which step may come next, its deadline, and the version's status.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../data/approval.toml");
const BUILTIN_SINGLE: &str = include_str!("../data/approval-single.toml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub code: String,
    pub label_nl: String,
    pub label_fr: String,
    pub label_en: String,
    /// The version's status once the step is taken.
    pub status: String,
    /// The next step is due this many months after this one.
    #[serde(default)]
    pub term_months: Option<u32>,
    /// May be left out.
    #[serde(default)]
    pub optional: bool,
    pub confidence: String,
    /// The version's status in words once this step is taken, where the procedure names it
    /// otherwise than the general word (the gemeenteraad's agreement in a one-municipality
    /// zone, where the general word names the politieraad).
    #[serde(default)]
    pub status_nl: Option<String>,
    #[serde(default)]
    pub status_fr: Option<String>,
    #[serde(default)]
    pub status_en: Option<String>,
}

impl StepDef {
    /// The step's label in a language ("nl", "fr", anything else English).
    pub fn label(&self, lang: &str) -> &str {
        match lang {
            "nl" => &self.label_nl,
            "fr" => &self.label_fr,
            _ => &self.label_en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub citation: String,
    /// The citation in Dutch and French, for pages and reports.
    #[serde(default)]
    pub citation_nl: Option<String>,
    #[serde(default)]
    pub citation_fr: Option<String>,
    #[serde(rename = "step")]
    pub steps: Vec<StepDef>,
}

crate::cited!(Procedure);

/// A step taken (as stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Taken {
    pub step: String,
    pub on: NaiveDate,
    /// `approved` or `refused`.
    pub outcome: String,
}

/// Where a version stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub status: String,
    /// The steps that may be taken next.
    pub next: Vec<String>,
    /// The date by which the next step is due, when a term runs.
    pub deadline: Option<NaiveDate>,
    /// Whether the version may still be edited (no step taken yet).
    pub editable: bool,
}

impl Procedure {
    /// The procedure of a multi-municipality zone (politieraad, gemeenteraden).
    pub fn builtin() -> Procedure {
        Procedure::parse(BUILTIN, "built-in approval.toml").expect("the built-in procedure parses")
    }

    /// The built-in procedure for a zone of this kind: a one-municipality zone has no police
    /// council; its gemeenteraad and college hold those powers.
    pub fn for_kind(kind: veilig_domain::ZoneKind) -> Procedure {
        match kind {
            veilig_domain::ZoneKind::MultiMunicipality => Procedure::builtin(),
            veilig_domain::ZoneKind::SingleMunicipality => {
                Procedure::parse(BUILTIN_SINGLE, "built-in approval-single.toml")
                    .expect("the built-in procedure parses")
            }
        }
    }

    /// The procedure's own word for a status in a language, when a step names one.
    pub fn status_word(&self, status: &str, lang: &str) -> Option<&str> {
        self.steps
            .iter()
            .filter(|s| s.status == status)
            .find_map(|s| match lang {
                "nl" => s.status_nl.as_deref(),
                "fr" => s.status_fr.as_deref(),
                _ => s.status_en.as_deref(),
            })
    }

    pub fn parse(text: &str, origin: &str) -> Result<Procedure> {
        let p: Procedure = toml::from_str(text)
            .with_context(|| format!("{origin}: not a valid approval procedure"))?;
        if p.steps.is_empty() {
            bail!("{origin}: no step");
        }
        Ok(p)
    }

    pub fn load(path: &Path) -> Result<Procedure> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        Procedure::parse(&text, &path.display().to_string())
    }

    pub fn step(&self, code: &str) -> Option<&StepDef> {
        self.steps.iter().find(|s| s.code == code)
    }

    /// Where a version with these steps stands.
    pub fn standing(&self, taken: &[Taken]) -> Standing {
        let Some(last) = taken.last() else {
            return Standing {
                status: "draft".into(),
                next: vec![self.steps[0].code.clone()],
                deadline: None,
                editable: true,
            };
        };
        if last.outcome == "refused" {
            return Standing {
                status: "refused".into(),
                next: vec![],
                deadline: None,
                editable: false,
            };
        }
        let pos = self
            .steps
            .iter()
            .position(|s| s.code == last.step)
            .unwrap_or(0);
        let def = &self.steps[pos];
        let mut next = Vec::new();
        for s in &self.steps[pos + 1..] {
            next.push(s.code.clone());
            if !s.optional {
                break;
            }
        }
        Standing {
            status: def.status.clone(),
            next,
            deadline: def
                .term_months
                .and_then(|m| last.on.checked_add_months(Months::new(m))),
            editable: false,
        }
    }

    /// Checks that `step` on `on` with `outcome` may follow `taken` (and is not in the
    /// future: `today`); the error says why not.
    pub fn check(
        &self,
        taken: &[Taken],
        step: &str,
        on: NaiveDate,
        outcome: &str,
        today: NaiveDate,
    ) -> Result<()> {
        if self.step(step).is_none() {
            bail!(
                "step {step:?} is not in the procedure (steps: {})",
                self.steps
                    .iter()
                    .map(|s| s.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !matches!(outcome, "approved" | "refused") {
            bail!("outcome {outcome:?}: approved or refused");
        }
        let st = self.standing(taken);
        if !st.next.iter().any(|n| n == step) {
            if st.next.is_empty() {
                bail!(
                    "the version is {}: no step follows; start a new version",
                    st.status
                );
            }
            bail!(
                "step {step} is out of order: the version is {} and the next step is {}",
                st.status,
                st.next.join(" or ")
            );
        }
        if let Some(prev) = taken.last()
            && on < prev.on
        {
            bail!(
                "date {on} lies before the previous step ({} on {})",
                prev.step,
                prev.on
            );
        }
        if on > today {
            bail!("date {on} lies in the future: record a step once it is taken");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t(step: &str, on: &str) -> Taken {
        Taken {
            step: step.into(),
            on: d(on),
            outcome: "approved".into(),
        }
    }

    #[test]
    fn the_built_in_procedures_cite_their_law_in_each_language() {
        use crate::Cited;
        for p in [
            Procedure::builtin(),
            Procedure::for_kind(veilig_domain::ZoneKind::SingleMunicipality),
        ] {
            assert!(
                p.citation_in("nl")
                    .starts_with("Wet op de geïntegreerde politie")
            );
            assert!(
                p.citation_in("fr")
                    .starts_with("Loi sur la police intégrée")
            );
            assert!(p.citation_in("en").starts_with("WGP"));
            for lang in ["nl", "fr"] {
                assert!(
                    !p.citation_in(lang).contains(".md"),
                    "no note file in {lang}"
                );
            }
        }
    }

    #[test]
    fn a_one_municipality_zone_names_its_own_council_in_the_status_word() {
        let single = Procedure::for_kind(veilig_domain::ZoneKind::SingleMunicipality);
        assert_eq!(
            single.status_word("council-agreed", "nl"),
            Some("akkoord van de gemeenteraad")
        );
        assert_eq!(
            single.status_word("council-agreed", "fr"),
            Some("accord du conseil communal")
        );
        // The general word serves where the procedure names none.
        assert_eq!(single.status_word("submitted", "nl"), None);
        assert_eq!(
            Procedure::builtin().status_word("council-agreed", "nl"),
            None
        );
    }

    #[test]
    fn steps_follow_the_order_and_the_ministers_have_two_months() {
        let p = Procedure::builtin();
        let today = d("2026-11-30");
        assert_eq!(p.standing(&[]).status, "draft");
        assert!(p.standing(&[]).editable);
        let e = p
            .check(&[], "submitted", d("2026-06-01"), "approved", today)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "step submitted is out of order: the version is draft and the next step is zvr"
        );
        let mut taken = vec![t("zvr", "2026-06-12")];
        p.check(&taken, "politieraad", d("2026-06-20"), "approved", today)
            .unwrap();
        let e = p
            .check(&taken, "politieraad", d("2026-06-01"), "approved", today)
            .unwrap_err();
        assert!(e.to_string().contains("lies before the previous step"));
        taken.push(t("politieraad", "2026-06-20"));
        taken.push(t("submitted", "2026-09-30"));
        let s = p.standing(&taken);
        assert_eq!(
            (s.status.as_str(), s.deadline),
            ("submitted", Some(d("2026-11-30")))
        );
        let e = p
            .check(&taken, "ministers", d("2026-12-15"), "approved", today)
            .unwrap_err();
        assert!(e.to_string().contains("in the future"));
        taken.push(t("ministers", "2026-11-20"));
        let s = p.standing(&taken);
        assert_eq!(
            (s.status.as_str(), s.next.clone()),
            ("approved", vec!["gemeenteraden".to_string()])
        );
        taken.push(t("gemeenteraden", "2026-11-25"));
        assert!(
            p.check(&taken, "zvr", d("2026-11-26"), "approved", today)
                .unwrap_err()
                .to_string()
                .contains("no step follows")
        );
    }

    #[test]
    fn a_refusal_ends_the_version() {
        let p = Procedure::builtin();
        let taken = vec![Taken {
            step: "zvr".into(),
            on: d("2026-05-01"),
            outcome: "refused".into(),
        }];
        assert_eq!(p.standing(&taken).status, "refused");
        assert!(
            p.check(
                &taken,
                "politieraad",
                d("2026-05-02"),
                "approved",
                d("2026-11-30")
            )
            .is_err()
        );
    }
}
