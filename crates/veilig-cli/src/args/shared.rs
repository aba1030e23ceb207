//! Argument groups that several commands share (clap's `flatten` or a tuple variant).

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
