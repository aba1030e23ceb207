//! What a report is asked for: its kind, year, edition, language and subject.

use serde::Serialize;
use veilig_i18n::Lang;

/// The kinds of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Jaarverslag,
    Evaluation,
    Council,
    Compstat,
    Plan,
    Partner,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Jaarverslag,
        Kind::Evaluation,
        Kind::Council,
        Kind::Compstat,
        Kind::Plan,
        Kind::Partner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Jaarverslag => "jaarverslag",
            Kind::Evaluation => "evaluation",
            Kind::Council => "council",
            Kind::Compstat => "compstat",
            Kind::Plan => "plan",
            Kind::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a report is asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub kind: Kind,
    pub year: i32,
    /// The municipality (NIS code) of a council brief.
    pub municipality: Option<String>,
    /// The citizens' edition (figures under disclosure control).
    pub public: bool,
    /// The staff edition: exact figures, small counts included, marked internal (for the
    /// chief and the analysts; never for an elected body, a partner or the public).
    pub staff: bool,
    pub lang: Lang,
    /// The partner organisation of a partner report.
    pub organisation: Option<String>,
    /// The Compstat review of a Compstat book (default: the year's last).
    pub review: Option<i64>,
    /// The plan (code or `current`) of the plan, evaluation and partner reports.
    pub plan: String,
}

impl Request {
    pub fn new(kind: Kind, year: i32) -> Request {
        Request {
            kind,
            year,
            municipality: None,
            public: false,
            staff: false,
            lang: Lang::Nl,
            organisation: None,
            review: None,
            plan: "current".into(),
        }
    }

    /// The edition: `public`, `partner`, `staff` (internal) or `council` (an elected
    /// body's). The Compstat book is always the staff's: it holds small counts and places.
    pub fn edition(&self) -> &'static str {
        match self.kind {
            Kind::Partner => "partner",
            Kind::Compstat => "staff",
            _ if self.public => "public",
            _ if self.staff => "staff",
            _ => "council",
        }
    }

    /// Whether every figure comes from the protected tables: the editions that leave the
    /// zone's staff (an elected body's papers become public).
    pub fn protected(&self) -> bool {
        matches!(self.edition(), "council" | "public")
    }
}
