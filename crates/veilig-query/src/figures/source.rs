//! Where figures come from: the provenance under every page and in every API answer.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use veilig_analysis::Period;
use veilig_disclosure::Rules;
use veilig_domain::Zone;

use super::{Access, Detail};

/// Where the figures come from, shown under every page and in every API answer.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub zone: String,
    pub zone_name: String,
    pub synthetic: bool,
    pub period: Period,
    /// Source names and files of the incident batches used.
    pub batches: Vec<String>,
    pub extraction_date: Option<NaiveDateTime>,
    pub method: &'static str,
    /// The locale key of the method's description (pages show it translated).
    pub method_key: &'static str,
    /// The disclosure threshold applied, when the figures are aggregated.
    pub disclosure_threshold: Option<u64>,
    /// The disclosure method and all its parameters, when the figures are aggregated: what
    /// reproduces and audits every figure of the answer.
    pub disclosure: Option<Rules>,
    /// The release of the published tables the aggregated figures are read from (number,
    /// date, kind), when they are.
    pub release: Option<ReleaseNote>,
    /// The last day the zone's data cover: the figures hold up to and including it.
    pub data_through: Option<NaiveDate>,
}

/// The release published figures are read from, as readers are told it.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseNote {
    pub number: i64,
    pub released_on: NaiveDate,
    /// `regular`, `first` or `revision`.
    pub kind: String,
    /// Why a revision was made.
    pub reason: Option<String>,
    /// The last day of the data the release holds.
    pub complete_through: Option<NaiveDate>,
}

impl From<&veilig_store::Release> for ReleaseNote {
    fn from(r: &veilig_store::Release) -> ReleaseNote {
        ReleaseNote {
            number: r.number,
            released_on: r.released_on,
            kind: r.kind.clone(),
            reason: r.reason.clone(),
            complete_through: r.complete_through,
        }
    }
}

pub(super) fn source(
    zone: &Zone,
    details: &[&Detail],
    period: Period,
    access: &Access,
    rules: &Rules,
) -> Source {
    let aggregate = matches!(access, Access::Aggregate);
    let mut batches: Vec<String> = Vec::new();
    let mut extraction = None;
    let mut through = None;
    for d in details {
        through = through.max(d.loaded.coverage.map(|c| c.end));
        for b in &d.loaded.provenance.batches {
            let s = format!("{} ({})", b.source, b.file);
            if !batches.contains(&s) {
                batches.push(s);
            }
        }
        extraction = extraction.max(d.loaded.provenance.extraction_date);
    }
    Source {
        zone: zone.code.as_str().to_string(),
        zone_name: zone.name.clone(),
        synthetic: zone.synthetic,
        period,
        batches,
        extraction_date: extraction,
        method: "exact conditional Poisson test against the same dates one year earlier (alpha 0.05, no verdict under 10 events together)",
        method_key: "method-exact-poisson",
        disclosure_threshold: aggregate.then_some(rules.threshold),
        disclosure: aggregate.then(|| rules.clone()),
        release: None,
        data_through: through,
    }
}
