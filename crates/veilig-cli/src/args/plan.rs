//! The arguments of `veilig plan`: priorities, the ZVR's decisions and the zonal security
//! plan (kept apart from `cli.rs`, which holds the other commands).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::args::monitor::*;
pub use crate::args::shared::{Days, PlanRef, TestArgs, ZoneDays, ZoneJson};

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// The priority matrix: every phenomenon of the zone with its evidence (count, rate per
    /// 1,000, trend, verdict, share of calls, survey, published statistics, harm, NVP and
    /// Kadernota, stakeholder input), criteria, score, rank and the rank's sensitivity to
    /// every weight moved ± 25 %.
    Matrix(MatrixArgs),
    /// Print the built-in priority method (TOML), to copy and edit.
    Method,
    /// The reference plans (NVP, Kadernota) with their period, status and citation.
    References(ReferencesArgs),
    /// Record stakeholder input for a phenomenon (0-5) with its source.
    Input(InputArgs),
    /// Record a decision of the zonal security council (append-only).
    Decide(DecideArgs),
    /// The decision log and the current priorities.
    Decisions(ZoneJson),
    /// Create a zonal security plan (version 1, a draft) for whole calendar years; its
    /// priorities start from the council's current decisions.
    Create(CreateArgs),
    /// Add or replace a priority of the draft.
    Priority(PriorityArgs),
    /// Add or replace an objective of the draft (SMART: what, how much, by when, who).
    Objective(ObjectiveArgs),
    /// Add or replace an action of the draft's action plans.
    Action(ActionArgs),
    /// Remove a priority, objective or action from the draft (refused while anything still
    /// refers to it).
    Remove(RemoveArgs),
    /// Set the text chapters of the draft.
    Chapter(ChapterArgs),
    /// Add dated snapshots of the security picture (the matrix's evidence) and of the service
    /// picture (the norm check) to the draft.
    Snapshot(SnapshotArgs),
    /// The plan: objectives, actions, status, versions and approval trail.
    Show(ShowArgs),
    /// Record an approval step on the newest version (zvr, politieraad, submitted,
    /// ministers, gemeenteraden, in that order; in a one-municipality zone zvr, gemeenteraad,
    /// submitted, ministers, college).
    Approve(ApproveArgs),
    /// Start a new version from the newest (an addendum during the cycle, or a revision
    /// after a refusal).
    Addendum(AddendumArgs),
    /// What changed between two versions.
    Diff(DiffArgs),
    /// Define an indicator of an objective, bound to a query of the store (incidents,
    /// calls, published statistics, the survey) or entered by hand (`--source manual`).
    Indicator(IndicatorArgs),
    /// Every indicator with its baseline, target, measurements (revisions included) and
    /// verdict: on-track, off-track, not-yet-measurable, too-few-events.
    Indicators(ZoneJson),
    /// Enter a value of a manual indicator (refused for a computed one).
    Measure(MeasureArgs),
    /// Recompute every computed indicator (imports do this themselves): a measurement whose
    /// inputs changed gets a new revision beside the old.
    Refresh(ZoneJson),
    /// Open or update a problem file (SARA) for a place: wijken or a circle.
    Problem(ProblemArgs),
    /// The problem files with their before/after assessment against the comparison area.
    Problems(ZoneJson),
    /// Draft the agenda of a Compstat review over a period.
    Agenda(AgendaArgs),
    /// Record a Compstat review: its drafted agenda, its decisions (who does what by when)
    /// and the earlier decisions it closes.
    Review(ReviewArgs),
    /// The reviews and the decisions open and closed.
    Reviews(ZoneJson),
    /// Record the zonal security council's yearly evaluation of a plan year: per objective its
    /// indicators, the year's actions (done or not) and hours, and the council's verdict.
    Evaluate(EvaluateArgs),
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub at: ZoneDays,
    /// The headline comparison, as in `veilig picture`.
    #[command(flatten)]
    pub test: TestArgs,
    /// A priority method (TOML: weights, harm table, links) instead of the built-in one
    /// (`veilig plan method` prints it).
    #[arg(long)]
    pub method: Option<PathBuf>,
    /// A directory of reference plans (TOML) instead of the built-in NVP and Kadernota.
    #[arg(long)]
    pub references: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReferencesArgs {
    #[arg(long)]
    pub references: Option<PathBuf>,
    /// The day to judge "in force" on (default today).
    #[arg(long)]
    pub on: Option<NaiveDate>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub phenomenon: String,
    #[arg(long)]
    pub score: f64,
    /// Who said it (a council, a consultation, a partner).
    #[arg(long)]
    pub source: String,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct DecideArgs {
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub meeting: NaiveDate,
    /// A phenomenon code (external) or an internal theme.
    #[arg(long)]
    pub subject: String,
    #[arg(long)]
    pub title: Option<String>,
    /// prioriteit or bijzonder-aandachtspunt.
    #[arg(long, default_value = "prioriteit")]
    pub kind: String,
    /// external or internal.
    #[arg(long, default_value = "external")]
    pub domain: String,
    #[arg(long)]
    pub rationale: String,
    /// The members who decided.
    #[arg(long)]
    pub decided_by: String,
    /// The council withdraws an earlier priority.
    #[arg(long)]
    pub withdraw: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub start_year: i32,
    #[arg(long, default_value_t = 6)]
    pub years: i32,
}

#[derive(Debug, Args)]
pub struct PriorityArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub subject: String,
    #[arg(long)]
    pub title: String,
    #[arg(long, default_value = "prioriteit")]
    pub kind: String,
    #[arg(long, default_value = "external")]
    pub domain: String,
    #[arg(long)]
    pub decision: Option<i64>,
    /// Reference-plan items it serves, e.g. nvp-2022-2025:4 (repeatable).
    #[arg(long = "reference")]
    pub references: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ObjectiveArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub code: String,
    /// strategic, tactical or operational.
    #[arg(long)]
    pub level: String,
    /// The objective one level up (tactical and operational).
    #[arg(long)]
    pub parent: Option<String>,
    #[arg(long)]
    pub priority: String,
    #[arg(long)]
    pub statement: String,
    /// How much, e.g. "-10 % tegen 2031" (may start with a minus sign).
    #[arg(long, allow_hyphen_values = true)]
    pub target: String,
    #[arg(long)]
    pub due: NaiveDate,
    #[arg(long)]
    pub owner: String,
}

#[derive(Debug, Args)]
pub struct ActionArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub objective: String,
    #[arg(long)]
    pub year: i32,
    #[arg(long)]
    pub title: String,
    /// proactie, preventie, reactie, nazorg (repeatable).
    #[arg(long = "phase", required = true)]
    pub phases: Vec<String>,
    /// partner:role, e.g. gemeente-mol:communicatie (repeatable).
    #[arg(long = "partner")]
    pub partners: Vec<String>,
    #[arg(long)]
    pub owner: String,
    /// Police capacity hours in the year.
    #[arg(long, allow_negative_numbers = true)]
    pub hours: f64,
    /// Functionalities whose teams may do it (repeatable; none: any team).
    #[arg(long = "functionality")]
    pub functionalities: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    #[command(flatten)]
    pub at: PlanRef,
    /// priority, objective or action.
    pub item: String,
    pub code: String,
}

#[derive(Debug, Args)]
pub struct ChapterArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub mission: Option<String>,
    #[arg(long)]
    pub vision: Option<String>,
    #[arg(long)]
    pub values: Option<String>,
    #[arg(long)]
    pub communication: Option<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[command(flatten)]
    pub days: Days,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub step: String,
    #[arg(long)]
    pub date: NaiveDate,
    #[arg(long, default_value = "approved", value_parser = ["approved", "refused"])]
    pub outcome: String,
    /// The meeting, letter or decision the step is recorded from.
    #[arg(long)]
    pub reference: String,
}

#[derive(Debug, Args)]
pub struct AddendumArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub reason: String,
    #[arg(long, default_value = "addendum", value_parser = ["addendum", "revision"])]
    pub kind: String,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long = "from-version")]
    pub from: i32,
    #[arg(long = "to-version")]
    pub to: i32,
    #[arg(long)]
    pub json: bool,
}
