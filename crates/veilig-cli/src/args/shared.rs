//! Argument groups that several commands share (clap's `flatten` or a tuple variant).

use chrono::NaiveDate;
use clap::Args;

/// One zone or every zone, and the output format: `veilig status`, `veilig refresh`.
#[derive(Debug, Args)]
pub struct ZoneOrAll {
    /// Only this zone (default: every zone).
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub json: bool,
}

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

/// A zone (may be left out when the store holds one) and the output format.
#[derive(Debug, Args)]
pub struct ZoneJson {
    /// Zone code; may be left out when the store holds one zone.
    #[arg(long)]
    pub zone: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// A period of whole days, both ends included.
#[derive(Debug, Clone, Copy, Args)]
pub struct Days {
    /// First day (YYYY-MM-DD), included.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day (YYYY-MM-DD), included.
    #[arg(long)]
    pub to: NaiveDate,
}

/// A zone (may be left out when the store holds one) and a period of days.
#[derive(Debug, Args)]
pub struct ZoneDays {
    /// Zone code; may be left out when the store holds one zone.
    #[arg(long)]
    pub zone: Option<String>,
    #[command(flatten)]
    pub days: Days,
}

/// How a change between two periods is tested: `veilig picture`, `veilig plan matrix`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Baseline of the headline comparison.
    #[arg(long, default_value = "previous-year", value_parser = ["previous-year", "previous-3-years"])]
    pub compare: String,
    /// Significance level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Fewer events than this in both periods together: "too few events to say".
    #[arg(long, default_value_t = 10)]
    pub min_events: u64,
}

impl TestArgs {
    pub fn rules(&self) -> veilig_analysis::TestRules {
        veilig_analysis::TestRules {
            alpha: self.alpha,
            min_events: self.min_events,
        }
    }

    pub fn baseline(&self) -> veilig_analysis::picture::Baseline {
        veilig_analysis::picture::Baseline::parse(&self.compare).expect("clap checked")
    }
}
