//! Import batches and the quarantine: principle 1, "nothing lost".

use serde::{Deserialize, Serialize};

/// What kind of records a batch brought in. One batch is one file (or one demo build).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BatchKind {
    Incidents,
    Areas,
    Population,
    StatCounts,
    Calls,
    Staff,
    Survey,
    PopulationGroups,
    /// An analyst's edit of a source's coverage (no rows; it changes what the figures read).
    Coverage,
}

impl BatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BatchKind::Incidents => "incidents",
            BatchKind::Areas => "areas",
            BatchKind::Population => "population",
            BatchKind::StatCounts => "stat-counts",
            BatchKind::Calls => "calls",
            BatchKind::Staff => "staff",
            BatchKind::Survey => "survey",
            BatchKind::PopulationGroups => "population-groups",
            BatchKind::Coverage => "coverage",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "incidents" => BatchKind::Incidents,
            "areas" => BatchKind::Areas,
            "population" => BatchKind::Population,
            "stat-counts" => BatchKind::StatCounts,
            "calls" => BatchKind::Calls,
            "staff" => BatchKind::Staff,
            "survey" => BatchKind::Survey,
            "population-groups" => BatchKind::PopulationGroups,
            "coverage" => BatchKind::Coverage,
            _ => return None,
        })
    }
}

/// A row that could not be stored, kept with where it came from and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// 1-based physical line in the file where the record starts (the header is line 1).
    pub line: u64,
    /// The column (or field) that failed, as named in the file.
    pub field: String,
    /// Why, in words an analyst understands.
    pub reason: String,
    /// The raw record, so it can be corrected and re-imported.
    pub raw: String,
}

/// The outcome of one import: `rows_read = stored + duplicates + rejected`, always.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub batch: i64,
    pub kind: BatchKind,
    pub source: String,
    pub file: String,
    pub sha256: String,
    pub rows_read: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// Incidents with a location that fall in no area of the zone (counted, not dropped).
    pub unassigned: u64,
    /// Incidents without any location.
    pub without_location: u64,
    /// An earlier batch of the same zone and source with the same content hash, if any.
    pub same_content_as: Option<i64>,
}

impl ImportSummary {
    /// The bookkeeping invariant every importer must keep.
    pub fn balanced(&self) -> bool {
        self.rows_read == self.stored + self.duplicates + self.rejected
    }
}
