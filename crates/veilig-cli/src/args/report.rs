//! `veilig report`: the zone's reports as typeset PDFs (jaarverslag, the ZVR's evaluation,
//! a municipality's council brief, the Compstat book, the plan, a partner's feedback report).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// The zone's year for the police council (or, with --public, for citizens; with
    /// --staff, for the zone's own staff).
    Jaarverslag,
    /// The zonal security council's evaluation of a plan year.
    Evaluation,
    /// One municipality's brief for its council (--municipality NIS).
    Council,
    /// The Compstat book of a review meeting (the year's last, or --review ID).
    Compstat,
    /// The zonal security plan of the year.
    Plan,
    /// A partner's feedback report: its actions of the year (--organisation ORG).
    Partner,
}

impl ReportKind {
    pub fn query(self) -> veilig_query::report::Kind {
        use veilig_query::report::Kind;
        match self {
            ReportKind::Jaarverslag => Kind::Jaarverslag,
            ReportKind::Evaluation => Kind::Evaluation,
            ReportKind::Council => Kind::Council,
            ReportKind::Compstat => Kind::Compstat,
            ReportKind::Plan => Kind::Plan,
            ReportKind::Partner => Kind::Partner,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(value_enum)]
    pub kind: ReportKind,
    #[arg(long)]
    pub zone: String,
    /// The calendar year reported on.
    #[arg(long)]
    pub year: i32,
    /// The municipality (NIS code) of a council brief.
    #[arg(long)]
    pub municipality: Option<String>,
    /// The citizens' edition: every figure through disclosure control.
    #[arg(long, conflicts_with = "staff")]
    pub public: bool,
    /// The staff edition (chief and analysts): exact figures, small counts included, marked
    /// internal. Without --public or --staff a report is the edition for elected bodies,
    /// under disclosure control like the council's pages (their papers become public).
    #[arg(long)]
    pub staff: bool,
    /// nl (default), fr or en.
    #[arg(long, default_value = "nl", value_parser = ["nl", "fr", "en"])]
    pub lang: String,
    /// The partner organisation of a partner report (as in the plan, e.g. ocmw-mol).
    #[arg(long)]
    pub organisation: Option<String>,
    /// The Compstat review of a Compstat book (default: the year's last).
    #[arg(long)]
    pub review: Option<i64>,
    /// The plan (code); default the plan whose period covers the year.
    #[arg(long, default_value = "current")]
    pub plan: String,
    /// Disclosure rules (TOML) for the public edition; default the built-in rules.
    #[arg(long)]
    pub disclosure_rules: Option<PathBuf>,
    /// Write the PDF without issuing it (not kept in the store; the export is still audited).
    #[arg(long)]
    pub draft: bool,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ForewordArgs {
    /// jaarverslag (default), evaluation or plan.
    #[arg(value_enum, default_value = "jaarverslag")]
    pub kind: ReportKind,
    #[arg(long)]
    pub zone: String,
    #[arg(long)]
    pub year: i32,
    /// nl (default), fr or en: each language has its own text.
    #[arg(long, default_value = "nl", value_parser = ["nl", "fr", "en"])]
    pub lang: String,
    /// The text (UTF-8; a blank line starts a new paragraph).
    #[arg(long, conflicts_with = "text")]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub text: Option<String>,
    /// Who signs it ("Kim Korpschef, korpschef").
    #[arg(long, default_value = "")]
    pub signed: String,
    #[arg(long)]
    pub json: bool,
}
