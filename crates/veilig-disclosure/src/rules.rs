//! The disclosure rules as data (`data/disclosure.toml`): the threshold, the periods figures
//! are published for, and the method's name, version and citation, which travel with every
//! published figure.

use anyhow::{Context, Result, bail};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// A kind of calendar period figures are published for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeriodKind {
    Month,
    Quarter,
    Year,
}

/// The rules of disclosure control. Serialised whole with every aggregated answer (the
/// method and all its parameters, so that each figure can be reproduced and audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub method: String,
    pub version: String,
    pub citation: String,
    /// DOMAIN.md's confidence mark for the threshold (H/M/L).
    pub confidence: String,
    /// Counts under this are hidden (primary suppression).
    pub threshold: u64,
    /// Periods of the zone's totals.
    pub zone_periods: Vec<PeriodKind>,
    /// Periods of municipality and wijk figures: `["year"]` or `[]`.
    pub area_periods: Vec<PeriodKind>,
    /// Whether the protection against combined queries is on. Always on when read from a
    /// file; off only to show what a reader recovers without it (the attack test): then any
    /// period is answered and each table is suppressed on its own, as before this method.
    #[serde(skip_deserializing, default = "on")]
    pub protection: bool,
    /// Which readers receive which edition of a report.
    #[serde(default)]
    pub editions: Editions,
    /// When published tables are released, and when a year's tables are frozen.
    #[serde(default)]
    pub releases: Calendar,
    /// Whether a release is protected jointly with the earlier releases of its table (hidden
    /// stays hidden, and an audit of all releases together). Always on when read from a
    /// file; off only to show what a reader who joins releases recovers without it (the
    /// attack test).
    #[serde(skip_deserializing, default = "on")]
    pub joint: bool,
}

/// The release calendar: a zone's published tables change only on release days, each
/// release numbered and dated; a year's tables are frozen after its closing date, and late
/// records after it wait for a documented revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// The day of the month on which the tables of every year not yet frozen are released.
    pub day: u32,
    /// The closing date of year Y, as month-day in year Y + 1 (for example "03-31").
    pub closing: String,
    pub citation: String,
}

impl Default for Calendar {
    /// The built-in file's.
    fn default() -> Calendar {
        toml::from_str::<CalendarOnly>(BUILTIN)
            .expect("the built-in rules have a release calendar")
            .releases
    }
}

#[derive(Deserialize)]
struct CalendarOnly {
    releases: Calendar,
}

impl Calendar {
    /// The closing date of `year`'s tables.
    pub fn closing_date(&self, year: i32) -> NaiveDate {
        let (m, d) = self
            .closing
            .split_once('-')
            .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
            .expect("checked when the rules were read");
        NaiveDate::from_ymd_opt(year + 1, m, d).expect("checked when the rules were read")
    }

    /// Whether `year`'s tables are frozen on `on` (after its closing date).
    pub fn frozen(&self, year: i32, on: NaiveDate) -> bool {
        on > self.closing_date(year)
    }

    /// The last release day on or before `on`.
    pub fn release_day(&self, on: NaiveDate) -> NaiveDate {
        let day = self.day.clamp(1, 28);
        let this = NaiveDate::from_ymd_opt(on.year(), on.month(), day).expect("day 1-28");
        if this <= on {
            this
        } else {
            this.checked_sub_months(Months::new(1))
                .expect("a month back")
        }
    }

    /// Whether a regular release is due on `on` after the last one (made on `last`).
    pub fn due(&self, last: Option<NaiveDate>, on: NaiveDate) -> bool {
        last.is_none_or(|l| l < self.release_day(on))
    }
}

/// Which readers (roles, or `anyone`) receive each edition of a report: `staff` (exact
/// figures, internal), `council` (for elected bodies: under this disclosure control),
/// `partner` (a partner's feedback) and `public`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editions {
    pub staff: Vec<String>,
    pub council: Vec<String>,
    pub partner: Vec<String>,
    pub public: Vec<String>,
    pub citation: String,
}

impl Default for Editions {
    /// The built-in file's (a zone's own rules file without the section gets these).
    fn default() -> Editions {
        toml::from_str::<EditionsOnly>(BUILTIN)
            .expect("the built-in rules have editions")
            .editions
    }
}

#[derive(Deserialize)]
struct EditionsOnly {
    editions: Editions,
}

impl Editions {
    /// Whether a reader with `role` (None: not logged in) receives `edition`.
    pub fn reads(&self, role: Option<&str>, edition: &str) -> bool {
        let readers = match edition {
            "staff" => &self.staff,
            "council" => &self.council,
            "partner" => &self.partner,
            "public" => &self.public,
            _ => return false,
        };
        readers
            .iter()
            .any(|r| r == "anyone" || Some(r.as_str()) == role)
    }
}

fn on() -> bool {
    true
}

/// The built-in rules file.
pub const BUILTIN: &str = include_str!("../data/disclosure.toml");

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Rules {
        Rules::parse(BUILTIN, "built-in disclosure.toml").expect("the built-in rules parse")
    }

    /// Rules from a TOML text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Rules> {
        let r: Rules = toml::from_str(text)
            .with_context(|| format!("{origin}: not valid disclosure rules"))?;
        if r.threshold == 0 {
            bail!("{origin}: threshold must be at least 1");
        }
        if r.zone_periods.is_empty() {
            bail!("{origin}: zone_periods is empty: nothing would be published");
        }
        const ROLES: &[&str] = &[
            "anyone",
            "administrator",
            "chief",
            "analyst",
            "wijkinspecteur",
            "council",
            "partner",
        ];
        let e = &r.editions;
        for (edition, readers) in [
            ("staff", &e.staff),
            ("council", &e.council),
            ("partner", &e.partner),
            ("public", &e.public),
        ] {
            if let Some(x) = readers.iter().find(|x| !ROLES.contains(&x.as_str())) {
                bail!(
                    "{origin}: editions.{edition}: {x:?} is not a reader; one of {}",
                    ROLES.join(", ")
                );
            }
            if edition == "staff"
                && readers
                    .iter()
                    .any(|x| !["administrator", "chief", "analyst"].contains(&x.as_str()))
            {
                bail!(
                    "{origin}: editions.staff holds exact small counts: only administrator, chief and analyst may read it"
                );
            }
        }
        let c = &r.releases;
        if !(1..=28).contains(&c.day) {
            bail!("{origin}: releases.day must be a day of the month from 1 to 28");
        }
        let closing_ok = c
            .closing
            .split_once('-')
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(2001, m.parse().ok()?, d.parse().ok()?));
        if closing_ok.is_none() {
            bail!(
                "{origin}: releases.closing must be a month-day such as \"03-31\", not {:?}",
                c.closing
            );
        }
        if r.area_periods.iter().any(|p| *p != PeriodKind::Year) {
            bail!(
                "{origin}: area_periods may only be [\"year\"] or []: finer periods per wijk \
                 would link the wijk and month tables into a structure the audit cannot prove"
            );
        }
        Ok(r)
    }

    /// Reads a rules file.
    pub fn load(path: &std::path::Path) -> Result<Rules> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        Rules::parse(&text, &path.display().to_string())
    }

    /// The same rules with another threshold.
    pub fn with_threshold(mut self, threshold: u64) -> Rules {
        self.threshold = threshold.max(1);
        self
    }

    /// Whether the zone's totals are published for this kind of period.
    pub fn zone_publishes(&self, kind: PeriodKind) -> bool {
        self.zone_periods.contains(&kind)
    }

    /// Whether municipality and wijk figures are published for this kind of period.
    pub fn areas_publish(&self, kind: PeriodKind) -> bool {
        self.area_periods.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_rules_parse_and_bad_files_are_refused_with_their_name() {
        let r = Rules::builtin();
        assert_eq!(r.threshold, 5);
        assert!(r.protection);
        assert!(r.zone_publishes(PeriodKind::Month) && r.areas_publish(PeriodKind::Year));
        assert!(!r.areas_publish(PeriodKind::Month));
        let bad = BUILTIN.replace("area_periods = [\"year\"]", "area_periods = [\"month\"]");
        let e = Rules::parse(&bad, "mine.toml").unwrap_err().to_string();
        assert!(e.contains("mine.toml") && e.contains("area_periods"), "{e}");
        let typo = BUILTIN.replace("threshold = 5", "treshold = 5");
        let e = format!("{:#}", Rules::parse(&typo, "mine.toml").unwrap_err());
        assert!(e.contains("mine.toml") && e.contains("treshold"), "{e}");
        assert_eq!(r.clone().with_threshold(3).threshold, 3);
    }

    #[test]
    fn the_calendar_releases_monthly_and_freezes_a_year_after_its_closing_date() {
        let c = Rules::builtin().releases;
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(c.closing_date(2025), d("2026-03-31"));
        assert!(!c.frozen(2025, d("2026-03-31")) && c.frozen(2025, d("2026-04-01")));
        assert_eq!(c.release_day(d("2026-12-07")), d("2026-12-01"));
        assert!(c.due(None, d("2026-12-07")));
        assert!(!c.due(Some(d("2026-12-01")), d("2026-12-31")));
        assert!(c.due(Some(d("2026-12-01")), d("2027-01-01")));
        let bad = BUILTIN.replace("closing = \"03-31\"", "closing = \"31 March\"");
        let e = Rules::parse(&bad, "mine.toml").unwrap_err().to_string();
        assert!(
            e.contains("mine.toml") && e.contains("releases.closing"),
            "{e}"
        );
    }

    #[test]
    fn editions_say_who_reads_what_and_the_staff_edition_stays_with_the_staff() {
        let e = Rules::builtin().editions;
        assert!(e.reads(Some("chief"), "staff") && e.reads(Some("analyst"), "staff"));
        assert!(!e.reads(Some("council"), "staff"));
        assert!(e.reads(Some("council"), "council") && !e.reads(Some("partner"), "council"));
        assert!(e.reads(None, "public") && e.reads(Some("partner"), "public"));
        assert!(!e.reads(Some("council"), "nonsense"));
        assert!(e.citation.contains("Decreet over het lokaal bestuur"));
        // A zone's own file without the section gets the built-in editions.
        let cut = &BUILTIN[..BUILTIN.find("[editions]").unwrap()];
        assert_eq!(Rules::parse(cut, "mine.toml").unwrap().editions, e);
        // The staff edition cannot be handed to an elected body or a partner.
        let wide = BUILTIN.replace(
            "staff = [\"administrator\", \"chief\", \"analyst\"]",
            "staff = [\"administrator\", \"chief\", \"analyst\", \"council\"]",
        );
        let msg = Rules::parse(&wide, "mine.toml").unwrap_err().to_string();
        assert!(msg.contains("editions.staff"), "{msg}");
        let typo = BUILTIN.replace("council = [", "council = [\"mayor\", ");
        let msg = Rules::parse(&typo, "mine.toml").unwrap_err().to_string();
        assert!(msg.contains("mayor"), "{msg}");
    }
}
