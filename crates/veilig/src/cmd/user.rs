//! `veilig user add|passwd|role|list`: accounts of the web application from the command
//! line (the first administrator is made here). Passwords come from standard input, never
//! from arguments (which other users of the machine can see). Every change is audited.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use veilig_domain::account::valid_username;
use veilig_domain::{NewUser, Role, User};
use veilig_store::Store;
use veilig_web::auth::{hash_password, password_acceptable};

use crate::cli::{UserAddArgs, UserCommand, UserOrganisationArgs};
use crate::output::emit;

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if !password_acceptable(&p) {
        bail!("a password has at least 12 characters");
    }
    Ok(p)
}

fn role(s: &str) -> Result<Role> {
    Role::parse(s).with_context(|| {
        format!(
            "unknown role {s:?}; roles: {}",
            Role::ALL.map(|r| r.as_str()).join(", ")
        )
    })
}

async fn area_ids(store: &Store, zone_id: Option<i64>, codes: &str) -> Result<Vec<i64>> {
    let codes: Vec<&str> = codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let Some(z) = zone_id else {
        bail!("--areas needs an account with a zone");
    };
    let areas = store.areas(z).await?;
    codes
        .iter()
        .map(|c| {
            areas
                .iter()
                .find(|a| a.code == *c)
                .map(|a| a.id)
                .with_context(|| format!("the zone has no area {c:?}"))
        })
        .collect()
}

async fn existing(store: &Store, username: &str) -> Result<User> {
    Ok(store
        .user_by_name(username)
        .await?
        .with_context(|| format!("no account {username:?}"))?
        .0)
}

pub async fn run(store: &Store, cmd: UserCommand) -> Result<ExitCode> {
    match cmd {
        UserCommand::Add(a) => add(store, a).await?,
        UserCommand::Passwd { username } => {
            let u = existing(store, &username).await?;
            let password = read_password()?;
            store.set_password(u.id, &hash_password(&password)?).await?;
            super::audit_cli(store, "user-passwd", u.zone_id, u.username.clone()).await?;
            println!(
                "password of {} changed; its sessions have ended",
                u.username
            );
        }
        UserCommand::Organisation(a) => organisation(store, a).await?,
        UserCommand::Role(a) => {
            let u = existing(store, &a.username).await?;
            let role = role(&a.role)?;
            let ids = area_ids(store, u.zone_id, &a.areas).await?;
            store.set_role(u.id, role, &ids).await?;
            let detail = format!("{}: {} -> {}", u.username, u.role.as_str(), role.as_str());
            super::audit_cli(store, "user-role", u.zone_id, detail).await?;
            println!(
                "{} is now {}; its sessions have ended",
                u.username,
                role.as_str()
            );
        }
        UserCommand::List { json: as_json } => {
            let users = store.users().await?;
            return emit(&users, as_json, |users| users.iter().for_each(print_user));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_user(u: &User) {
    println!(
        "{:<20} {:<15} zone {:<6} areas {:?}{}",
        u.username,
        u.role.as_str(),
        u.zone_id.map_or_else(|| "-".into(), |z| z.to_string()),
        u.areas,
        if u.disabled { " (disabled)" } else { "" }
    );
}

async fn add(store: &Store, a: UserAddArgs) -> Result<()> {
    let role = role(&a.role)?;
    if !valid_username(&a.username) {
        bail!("a username has 2 to 64 letters, digits, '.', '-' or '_'");
    }
    let zone_id = match &a.zone {
        Some(code) => Some(super::existing_zone(store, code).await?.id),
        None if role == Role::Administrator => None,
        None => bail!("--zone is required for a {} account", role.as_str()),
    };
    let areas = area_ids(store, zone_id, &a.areas).await?;
    let password = read_password()?;
    let u = store
        .create_user(&NewUser {
            display_name: a.name.unwrap_or_else(|| a.username.clone()),
            username: a.username,
            password_hash: hash_password(&password)?,
            role,
            zone_id,
            areas,
        })
        .await?;
    let detail = format!("{} as {}", u.username, role.as_str());
    super::audit_cli(store, "user-add", u.zone_id, detail).await?;
    println!("account {} added ({})", u.username, role.as_str());
    Ok(())
}

async fn organisation(store: &Store, a: UserOrganisationArgs) -> Result<()> {
    let u = existing(store, &a.username).await?;
    if u.role != Role::Partner {
        bail!(
            "{} is a {}: only a partner account speaks for an organisation",
            u.username,
            u.role.as_str()
        );
    }
    let org = a.organisation.as_deref();
    if let Some(o) = org
        && !veilig_plan::valid_code(o)
    {
        bail!("organisation {o:?}: 1-40 letters, digits, '.', '-', '_'");
    }
    store.set_partner_organisation(u.id, org).await?;
    let detail = format!("{}: {}", u.username, org.unwrap_or("-"));
    super::audit_cli(store, "user-organisation", u.zone_id, detail).await?;
    println!(
        "{} speaks for {}",
        u.username,
        org.unwrap_or("no organisation")
    );
    Ok(())
}
