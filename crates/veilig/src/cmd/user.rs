//! `veilig user add|passwd|role|organisation|list`: accounts of the web application from the
//! command line (the first administrator is made here), through `veilig_query::accounts` as
//! the administrator's page. Passwords come from standard input, never from arguments (which
//! other users of the machine can see). Every change is audited.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{Context, Result};
use veilig_cli::args::UserCommand;
use veilig_cli::output::emit;
use veilig_cli::print::user as print;
use veilig_query::accounts::{self, NewAccount, existing_user};
use veilig_store::Store;

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(store: &Store, cmd: UserCommand) -> Result<ExitCode> {
    let who = super::cli_who();
    match cmd {
        UserCommand::Add(a) => {
            let account = NewAccount {
                display_name: a.name.unwrap_or_default(),
                username: a.username,
                role: a.role,
                zone: a.zone,
                areas: a.areas,
                password: read_password()?,
            };
            let u = accounts::add_user(store, &account, who).await?;
            println!("account {} added ({})", u.username, u.role.as_str());
        }
        UserCommand::Passwd { username } => {
            let u = existing_user(store, &username).await?;
            accounts::set_password(store, &u, &read_password()?, who).await?;
            println!(
                "password of {} changed; its sessions have ended",
                u.username
            );
        }
        UserCommand::Organisation(a) => {
            let u = existing_user(store, &a.username).await?;
            let org = a.organisation.as_deref();
            accounts::set_organisation(store, &u, org, who).await?;
            println!(
                "{} speaks for {}",
                u.username,
                org.unwrap_or("no organisation")
            );
        }
        UserCommand::Role(a) => {
            let u = existing_user(store, &a.username).await?;
            accounts::change_user(store, &u, &a.role, &a.areas, None, who).await?;
            println!("{} is now {}; its sessions have ended", u.username, a.role);
        }
        UserCommand::List { json: as_json } => {
            let users = store.users().await?;
            return emit(&users, as_json, |users| users.iter().for_each(print::user));
        }
    }
    Ok(ExitCode::SUCCESS)
}
