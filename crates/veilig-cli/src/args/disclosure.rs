//! `veilig disclosure`: the rules, the protected table of one phenomenon-year, and the
//! releases of the published tables.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use veilig_disclosure::Rules;

#[derive(Debug, Subcommand)]
pub enum DisclosureCmd {
    /// Print the built-in disclosure rules (TOML) to copy and edit.
    Rules,
    /// The protected table of one phenomenon in one calendar year as it would be published
    /// now, alone: every cell the council, partners and the public may receive, its true
    /// value, and whether it is shown or hidden (primary, secondary); ends with the audit (no
    /// hidden cell derivable). What leaves the zone is the table's latest release.
    Table(TableArgs),
    /// Release the published tables: on the calendar (the tables of every year not yet
    /// frozen whose data changed, as the server does on each release day), or with
    /// --revise a documented revision of one year. Each release is numbered and dated and
    /// protected jointly with every earlier release of its tables. --list shows them.
    Release(ReleaseArgs),
}

#[derive(Debug, Args)]
pub struct TableArgs {
    #[arg(long)]
    pub zone: Option<String>,
    /// Phenomenon code.
    #[arg(long)]
    pub phenomenon: String,
    #[arg(long)]
    pub year: i32,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    #[arg(long)]
    pub zone: Option<String>,
    /// The release day (default: today).
    #[arg(long)]
    pub on: Option<NaiveDate>,
    /// A revision of this year's tables (also after its closing date), with --reason.
    #[arg(long, requires = "reason")]
    pub revise: Option<i32>,
    /// Why the year is revised (published with the revision).
    #[arg(long)]
    pub reason: Option<String>,
    /// List the zone's releases instead.
    #[arg(long, conflicts_with_all = ["revise", "on"])]
    pub list: bool,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[arg(long)]
    pub json: bool,
}

/// The disclosure rules a command works under: a file, or the built-in ones; optionally
/// another threshold (as `veilig serve` takes them).
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Disclosure rules (TOML); the built-in ones by default.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Overrides the rules' threshold.
    #[arg(long)]
    pub threshold: Option<u64>,
}

impl RulesArgs {
    pub fn load(&self) -> Result<Rules> {
        let r = match &self.rules {
            Some(p) => Rules::load(p)?,
            None => Rules::builtin(),
        };
        Ok(match self.threshold {
            Some(t) => r.with_threshold(t),
            None => r,
        })
    }
}
