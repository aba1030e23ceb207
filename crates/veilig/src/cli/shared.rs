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
