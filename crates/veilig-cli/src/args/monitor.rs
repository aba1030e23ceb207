//! The arguments of the plan's follow-up under `veilig plan`: indicators and their
//! measurements, problems, Compstat agendas and reviews, the yearly evaluation.

use chrono::NaiveDate;
use clap::Args;

use crate::args::shared::{PlanRef, ZoneDays};

#[derive(Debug, Args)]
pub struct MeasureArgs {
    #[arg(long)]
    pub indicator: String,
    #[command(flatten)]
    pub at: ZoneDays,
    #[arg(long)]
    pub value: f64,
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    #[command(flatten)]
    pub at: ZoneDays,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub at: ZoneDays,
    #[arg(long)]
    pub held_on: NaiveDate,
    /// what|who|YYYY-MM-DD (repeatable).
    #[arg(long = "decide")]
    pub decisions: Vec<String>,
    /// ID:note, an open decision this review closes (repeatable).
    #[arg(long = "close")]
    pub closes: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub at: PlanRef,
    #[arg(long)]
    pub year: i32,
    #[arg(long)]
    pub held_on: NaiveDate,
    /// OBJECTIVE:continue|adjust|stop[:note] (repeatable; every strategic objective).
    #[arg(long = "verdict")]
    pub verdicts: Vec<String>,
    /// Actions carried out in the year (repeatable; the others count as not done).
    #[arg(long = "done")]
    pub done: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IndicatorArgs {
    /// The zone, and the plan whose objective it measures.
    #[command(flatten)]
    pub at: PlanRef,
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
