//! The arguments of `veilig plan`: priorities, the ZVR's decisions and the zonal security
//! plan (kept apart from `cli.rs`, which holds the other commands).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};

/// The zone and plan a plan command works on.
#[derive(Debug, Args)]
pub struct PlanRef {
    /// Zone code; may be left out when the store holds one zone.
    #[arg(long)]
    pub zone: Option<String>,
    /// `current` (the plan whose period covers today, else the newest) or a plan code.
    #[arg(long, default_value = "current")]
    pub plan: String,
}

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// The priority matrix: every phenomenon of the zone with its evidence (count, rate per
    /// 1,000, trend, verdict, share of calls, survey, published statistics, harm, NVP and
    /// Kadernota, stakeholder input), criteria, score, rank and the rank's sensitivity to
    /// every weight moved ± 25 %.
    Matrix {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        /// The headline comparison, as in `veilig picture`.
        #[arg(long, default_value = "previous-year", value_parser = ["previous-year", "previous-3-years"])]
        compare: String,
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        #[arg(long, default_value_t = 10)]
        min_events: u64,
        /// A priority method (TOML: weights, harm table, links) instead of the built-in one
        /// (`veilig plan method` prints it).
        #[arg(long)]
        method: Option<PathBuf>,
        /// A directory of reference plans (TOML) instead of the built-in NVP and Kadernota.
        #[arg(long)]
        references: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Print the built-in priority method (TOML), to copy and edit.
    Method,
    /// The reference plans (NVP, Kadernota) with their period, status and citation.
    References {
        #[arg(long)]
        references: Option<PathBuf>,
        /// The day to judge "in force" on (default today).
        #[arg(long)]
        on: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Record stakeholder input for a phenomenon (0-5) with its source.
    Input {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        phenomenon: String,
        #[arg(long)]
        score: f64,
        /// Who said it (a council, a consultation, a partner).
        #[arg(long)]
        source: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record a decision of the zonal security council (append-only).
    Decide {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        meeting: NaiveDate,
        /// A phenomenon code (external) or an internal theme.
        #[arg(long)]
        subject: String,
        #[arg(long)]
        title: Option<String>,
        /// prioriteit or bijzonder-aandachtspunt.
        #[arg(long, default_value = "prioriteit")]
        kind: String,
        /// external or internal.
        #[arg(long, default_value = "external")]
        domain: String,
        #[arg(long)]
        rationale: String,
        /// The members who decided.
        #[arg(long)]
        decided_by: String,
        /// The council withdraws an earlier priority.
        #[arg(long)]
        withdraw: bool,
    },
    /// The decision log and the current priorities.
    Decisions {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Create a zonal security plan (version 1, a draft) for whole calendar years; its
    /// priorities start from the council's current decisions.
    Create {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        code: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        start_year: i32,
        #[arg(long, default_value_t = 6)]
        years: i32,
    },
    /// Add or replace a priority of the draft.
    Priority {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        code: String,
        #[arg(long)]
        subject: String,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "prioriteit")]
        kind: String,
        #[arg(long, default_value = "external")]
        domain: String,
        #[arg(long)]
        decision: Option<i64>,
        /// Reference-plan items it serves, e.g. nvp-2022-2025:4 (repeatable).
        #[arg(long = "reference")]
        references: Vec<String>,
    },
    /// Add or replace an objective of the draft (SMART: what, how much, by when, who).
    Objective {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        code: String,
        /// strategic, tactical or operational.
        #[arg(long)]
        level: String,
        /// The objective one level up (tactical and operational).
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        priority: String,
        #[arg(long)]
        statement: String,
        /// How much, e.g. "-10 % tegen 2031" (may start with a minus sign).
        #[arg(long, allow_hyphen_values = true)]
        target: String,
        #[arg(long)]
        due: NaiveDate,
        #[arg(long)]
        owner: String,
    },
    /// Add or replace an action of the draft's action plans.
    Action {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        code: String,
        #[arg(long)]
        objective: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        title: String,
        /// proactie, preventie, reactie, nazorg (repeatable).
        #[arg(long = "phase", required = true)]
        phases: Vec<String>,
        /// partner:role, e.g. gemeente-mol:communicatie (repeatable).
        #[arg(long = "partner")]
        partners: Vec<String>,
        #[arg(long)]
        owner: String,
        /// Police capacity hours in the year.
        #[arg(long, allow_negative_numbers = true)]
        hours: f64,
        /// Functionalities whose teams may do it (repeatable; none: any team).
        #[arg(long = "functionality")]
        functionalities: Vec<String>,
    },
    /// Remove a priority, objective or action from the draft (refused while anything still
    /// refers to it).
    Remove {
        #[command(flatten)]
        at: PlanRef,
        /// priority, objective or action.
        item: String,
        code: String,
    },
    /// Set the text chapters of the draft.
    Chapter {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        mission: Option<String>,
        #[arg(long)]
        vision: Option<String>,
        #[arg(long)]
        values: Option<String>,
        #[arg(long)]
        communication: Option<String>,
    },
    /// Add dated snapshots of the security picture (the matrix's evidence) and of the service
    /// picture (the norm check) to the draft.
    Snapshot {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
    },
    /// The plan: objectives, actions, status, versions and approval trail.
    Show {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        json: bool,
    },
    /// Record an approval step on the newest version (zvr, politieraad, submitted,
    /// ministers, gemeenteraden, in that order).
    Approve {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        step: String,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long, default_value = "approved", value_parser = ["approved", "refused"])]
        outcome: String,
        /// The meeting, letter or decision the step is recorded from.
        #[arg(long)]
        reference: String,
    },
    /// Start a new version from the newest (an addendum during the cycle, or a revision
    /// after a refusal).
    Addendum {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        reason: String,
        #[arg(long, default_value = "addendum", value_parser = ["addendum", "revision"])]
        kind: String,
    },
    /// What changed between two versions.
    Diff {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long = "from-version")]
        from: i32,
        #[arg(long = "to-version")]
        to: i32,
        #[arg(long)]
        json: bool,
    },
    /// Define an indicator of an objective, bound to a query of the store (incidents,
    /// calls, published statistics, the survey) or entered by hand (`--source manual`).
    Indicator(IndicatorArgs),
    /// Every indicator with its baseline, target, measurements (revisions included) and
    /// verdict: on-track, off-track, not-yet-measurable, too-few-events.
    Indicators {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Enter a value of a manual indicator (refused for a computed one).
    Measure {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long)]
        value: f64,
    },
    /// Recompute every computed indicator (imports do this themselves): a measurement whose
    /// inputs changed gets a new revision beside the old.
    Refresh {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Open or update a problem file (SARA) for a place: wijken or a circle.
    Problem(ProblemArgs),
    /// The problem files with their before/after assessment against the comparison area.
    Problems {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Draft the agenda of a Compstat review over a period.
    Agenda {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// Record a Compstat review: its drafted agenda, its decisions (who does what by when)
    /// and the earlier decisions it closes.
    Review {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long)]
        held_on: NaiveDate,
        /// what|who|YYYY-MM-DD (repeatable).
        #[arg(long = "decide")]
        decisions: Vec<String>,
        /// ID:note, an open decision this review closes (repeatable).
        #[arg(long = "close")]
        closes: Vec<String>,
    },
    /// The reviews and the decisions open and closed.
    Reviews {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record the zonal security council's yearly evaluation of a plan year: per objective its
    /// indicators, the year's actions (done or not) and hours, and the council's verdict.
    Evaluate {
        #[command(flatten)]
        at: PlanRef,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        held_on: NaiveDate,
        /// OBJECTIVE:continue|adjust|stop[:note] (repeatable; every strategic objective).
        #[arg(long = "verdict")]
        verdicts: Vec<String>,
        /// Actions carried out in the year (repeatable; the others count as not done).
        #[arg(long = "done")]
        done: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct IndicatorArgs {
    #[arg(long)]
    pub zone: Option<String>,
    /// `current` or a plan code: the plan whose objective it measures.
    #[arg(long, default_value = "current")]
    pub plan: String,
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub objective: String,
    #[arg(long)]
    pub name: String,
    /// effect, output, process or perception.
    #[arg(long, default_value = "effect")]
    pub kind: String,
    /// incidents, calls, published, survey or manual.
    #[arg(long)]
    pub source: String,
    #[arg(long)]
    pub phenomenon: Option<String>,
    /// count, rate-per-1000 or share (incidents).
    #[arg(long, default_value = "count")]
    pub measure: String,
    #[arg(long)]
    pub municipality: Option<String>,
    #[arg(long = "wijk")]
    pub wijken: Vec<String>,
    /// Calls: the category; published: the criminele figuur.
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long)]
    pub priority: Option<String>,
    /// Calls: this percentile (e.g. 90) of the response times (minutes) instead of the count.
    #[arg(long)]
    pub percentile: Option<f64>,
    #[arg(long)]
    pub area_code: Option<String>,
    #[arg(long)]
    pub survey: Option<String>,
    #[arg(long)]
    pub survey_indicator: Option<String>,
    /// Manual: the unit (e.g. controles).
    #[arg(long)]
    pub unit: Option<String>,
    /// year or quarter.
    #[arg(long, default_value = "year")]
    pub frequency: String,
    #[arg(long)]
    pub baseline_from: NaiveDate,
    #[arg(long)]
    pub baseline_to: NaiveDate,
    /// Manual indicators only: the baseline's value.
    #[arg(long)]
    pub baseline_value: Option<f64>,
    /// down (lower is better) or up.
    #[arg(long)]
    pub direction: String,
    /// Change from the baseline in percent, e.g. -15.
    #[arg(long, allow_negative_numbers = true, conflicts_with = "target_value")]
    pub target_change: Option<f64>,
    #[arg(long)]
    pub target_value: Option<f64>,
    /// The date the target is due.
    #[arg(long)]
    pub by: NaiveDate,
}

#[derive(Debug, Args)]
pub struct ProblemArgs {
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub title: String,
    #[arg(long)]
    pub phenomenon: String,
    /// The place: wijken (repeatable) ...
    #[arg(long = "wijk")]
    pub wijken: Vec<String>,
    /// ... or a circle: x y (metres in the zone's CRS) and radius.
    #[arg(long, allow_negative_numbers = true)]
    pub x: Option<f64>,
    #[arg(long, allow_negative_numbers = true)]
    pub y: Option<f64>,
    #[arg(long)]
    pub radius: Option<f64>,
    /// The comparison area: wijken (repeatable) or a circle.
    #[arg(long = "comparison-wijk")]
    pub comparison_wijken: Vec<String>,
    #[arg(long, allow_negative_numbers = true)]
    pub comparison_x: Option<f64>,
    #[arg(long, allow_negative_numbers = true)]
    pub comparison_y: Option<f64>,
    #[arg(long)]
    pub comparison_radius: Option<f64>,
    #[arg(long)]
    pub response_start: NaiveDate,
    #[arg(long, default_value_t = 365)]
    pub window_days: i64,
    #[arg(long, default_value = "")]
    pub offender: String,
    #[arg(long, default_value = "")]
    pub victim: String,
    #[arg(long = "place-analysis", default_value = "")]
    pub place_analysis: String,
    /// what[:partner,partner] (repeatable).
    #[arg(long = "response")]
    pub response: Vec<String>,
    #[arg(long, default_value = "response")]
    pub stage: String,
}
