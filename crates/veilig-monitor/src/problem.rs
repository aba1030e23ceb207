//! A wijk problem file in the SARA cycle: scanning (the place and the phenomenon, whose
//! figures come from the picture), analysis (offender, victim, place), response (actions with
//! partners, from a start date), assessment (before and after against a comparison area).

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where a problem is: wijken, or a circle around a point (metres, the zone's CRS).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Place {
    Wijken { codes: Vec<String> },
    Circle { x: f64, y: f64, radius: f64 },
}

impl Place {
    /// Whether an incident (its wijk, its location) lies in the place.
    pub fn contains(&self, area_code: Option<&str>, xy: Option<(f64, f64)>) -> bool {
        match self {
            Place::Wijken { codes } => area_code.is_some_and(|a| codes.iter().any(|c| c == a)),
            Place::Circle { x, y, radius } => {
                xy.is_some_and(|(px, py)| (px - x).hypot(py - y) <= *radius)
            }
        }
    }

    pub fn problems(&self, what: &str) -> Vec<String> {
        match self {
            Place::Wijken { codes } if codes.is_empty() => vec![format!("{what}: no wijk")],
            Place::Circle { radius, .. }
                if !(radius.is_finite() && *radius > 0.0 && *radius <= 5_000.0) =>
            {
                vec![format!(
                    "{what}: radius {radius} m must be above 0 and at most 5,000"
                )]
            }
            _ => vec![],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    #[serde(default)]
    pub offender: String,
    #[serde(default)]
    pub victim: String,
    #[serde(default)]
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseAction {
    pub what: String,
    /// Partner organisation codes.
    #[serde(default)]
    pub partners: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemFile {
    pub code: String,
    pub title: String,
    pub phenomenon: String,
    pub place: Place,
    /// The comparison area the assessment measures the place against.
    pub comparison: Place,
    pub analysis: Analysis,
    #[serde(default)]
    pub response: Vec<ResponseAction>,
    /// The day the response started: the assessment's "after" begins here.
    pub response_start: NaiveDate,
    /// Days before and after the start that the assessment compares.
    pub window_days: i64,
    /// `scanning`, `analysis`, `response`, `assessment`, `closed`.
    pub stage: String,
}

impl ProblemFile {
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.code.trim().is_empty() || self.title.trim().is_empty() {
            out.push("a problem file needs a code and a title".to_string());
        }
        out.extend(self.place.problems("place"));
        out.extend(self.comparison.problems("comparison area"));
        if self.place == self.comparison {
            out.push("the comparison area is the place itself".into());
        }
        if !(28..=1_095).contains(&self.window_days) {
            out.push(format!("window of {} days: 28 to 1,095", self.window_days));
        }
        if !matches!(
            self.stage.as_str(),
            "scanning" | "analysis" | "response" | "assessment" | "closed"
        ) {
            out.push(format!(
                "stage {:?}: scanning, analysis, response, assessment or closed",
                self.stage
            ));
        }
        out
    }

    /// The before and after periods, the after cut at `data_until` (the last complete day).
    pub fn periods(
        &self,
        data_until: NaiveDate,
    ) -> Option<((NaiveDate, NaiveDate), (NaiveDate, NaiveDate))> {
        let before = (
            self.response_start - Duration::days(self.window_days),
            self.response_start - Duration::days(1),
        );
        let end = (self.response_start + Duration::days(self.window_days - 1)).min(data_until);
        (end >= self.response_start).then_some((before, (self.response_start, end)))
    }
}
