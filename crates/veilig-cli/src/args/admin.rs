//! The arguments of the administration commands: zones, serving, staff and leave, API tokens, users.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum ZoneCmd {
    /// Create a zone with the default phenomenon catalogue.
    Add {
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "multi")]
        kind: Kind,
        /// Working CRS (EPSG): 3812 Lambert 2008 (default), 31370 Lambert 72, …
        #[arg(long, default_value_t = 3812)]
        crs: i32,
        /// Member municipality NIS codes (names from the Belgian municipality list).
        #[arg(long = "municipality")]
        municipalities: Vec<String>,
    },
    List {
        #[arg(long)]
        json: bool,
    },
}

/// How `veilig serve` (and `veilig demo`) serve.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Map background tiles (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png); none by
    /// default, so maps work offline.
    #[arg(long)]
    pub tile_url: Option<String>,
    /// Attribution the tile server requires.
    #[arg(long)]
    pub tile_attribution: Option<String>,
    /// Counts under this are suppressed on council, partner and public outputs (overrides
    /// the threshold of the disclosure rules; 5 in the built-in rules).
    #[arg(long)]
    pub disclosure_threshold: Option<u64>,
    /// Disclosure rules (TOML; `veilig disclosure rules` prints the built-in file to copy).
    #[arg(long)]
    pub disclosure_rules: Option<std::path::PathBuf>,
    /// Mark cookies Secure (set when served over TLS or behind a TLS proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Session lifetime in hours.
    #[arg(long, default_value_t = 8)]
    pub session_hours: i64,
    /// A session also ends after this many minutes without a request.
    #[arg(long, default_value_t = 60)]
    pub session_idle_minutes: i64,
    /// The open data's licence as NAME|URL (default CC BY 4.0).
    #[arg(long)]
    pub open_data_licence: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Leave: add a stretch, import a CSV, list, remove.
    #[command(subcommand)]
    Leave(LeaveCmd),
    /// Record whether an officer asked not to work nights (`--no-nights true|false`).
    Wish {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        officer: String,
        #[arg(long, action = clap::ArgAction::Set)]
        no_nights: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum LeaveCmd {
    /// One stretch of leave (both days included).
    Add {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        officer: String,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
        /// verlof, ziekte, opleiding, ...
        #[arg(long, default_value = "verlof")]
        kind: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A CSV with a header: `officer,from,to[,kind[,note]]`; all lines or none are stored.
    Import {
        #[arg(long)]
        zone: Option<String>,
        file: PathBuf,
    },
    /// Leave that overlaps the period.
    List {
        #[arg(long)]
        zone: Option<String>,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// Remove one stretch by its id (from `list`).
    Remove {
        #[arg(long)]
        zone: Option<String>,
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token; it is printed once (only its SHA-256 is kept).
    Add {
        name: String,
        #[arg(long)]
        zone: String,
        /// chief, analyst, council or partner (what the token may read follows the role).
        #[arg(long)]
        role: String,
        /// Days until it expires (at most 366).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// The tokens with their zone, role, expiry and whether revoked.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token: from now on it opens nothing.
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line).
    Add(UserAddArgs),
    /// Set a new password, read from standard input (one line); ends the account's sessions.
    Passwd { username: String },
    /// Change the role (and areas) of an account; ends its sessions.
    Role(UserRoleArgs),
    /// Set the organisation a partner account speaks for (a code as in the plan's actions,
    /// e.g. ocmw-mol): it then sees the plan's actions that organisation takes part in.
    /// Without ORG the link is removed.
    Organisation(UserOrganisationArgs),
    /// List the accounts.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    pub username: String,
    /// administrator, chief, analyst, wijkinspecteur, council or partner.
    #[arg(long)]
    pub role: String,
    /// The zone the account works for (required except for administrators).
    #[arg(long)]
    pub zone: Option<String>,
    /// Area codes, comma-separated (for a wijkinspecteur).
    #[arg(long, default_value = "")]
    pub areas: String,
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct UserRoleArgs {
    pub username: String,
    pub role: String,
    #[arg(long, default_value = "")]
    pub areas: String,
}

#[derive(Debug, Args)]
pub struct UserOrganisationArgs {
    pub username: String,
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Single,
    Multi,
}
