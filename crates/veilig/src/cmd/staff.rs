//! `veilig staff`: the leave and wishes of the zone's staff, stored per zone and read by
//! `capacity plan`. Every change is audited.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use veilig_store::{Leave, Store};

use veilig_cli::args::{LeaveCmd, StaffCmd};
use veilig_cli::output::json;

fn describe(l: &Leave) -> String {
    format!("{} {} {}..{}", l.officer, l.kind, l.first_day, l.last_day)
}

pub async fn run(store: &Store, cmd: StaffCmd) -> Result<ExitCode> {
    match cmd {
        StaffCmd::Wish {
            zone,
            officer,
            no_nights,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            store.set_no_nights(z.id, &officer, no_nights).await?;
            super::audit_cli(
                store,
                "staff-wish",
                Some(z.id),
                format!("{officer}: no nights {no_nights}"),
            )
            .await?;
            println!("{officer}: no nights {no_nights}");
        }
        StaffCmd::Leave(l) => return leave(store, l).await,
    }
    Ok(ExitCode::SUCCESS)
}

async fn leave(store: &Store, cmd: LeaveCmd) -> Result<ExitCode> {
    match cmd {
        LeaveCmd::Add {
            zone,
            officer,
            from,
            to,
            kind,
            note,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let l = Leave {
                officer,
                first_day: from,
                last_day: to,
                kind,
                note,
            };
            let ids = store.add_leave(z.id, std::slice::from_ref(&l)).await?;
            super::audit_cli(store, "leave-add", Some(z.id), describe(&l)).await?;
            println!("leave {} stored: {}", ids[0], describe(&l));
        }
        LeaveCmd::Import { zone, file } => import_leave(store, zone.as_deref(), &file).await?,
        LeaveCmd::List {
            zone,
            from,
            to,
            json: as_json,
        } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let leave = store.leave_between(z.id, from, to).await?;
            if as_json {
                json(&leave)?;
            } else {
                for l in &leave {
                    println!("{:>6}  {}", l.id, describe(&l.leave));
                }
            }
        }
        LeaveCmd::Remove { zone, id } => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            if !store.remove_leave(z.id, id).await? {
                bail!("zone {} has no leave with id {id}", z.code.as_str());
            }
            super::audit_cli(store, "leave-remove", Some(z.id), format!("leave {id}")).await?;
            println!("leave {id} removed");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A CSV of leave stored at once, or nothing.
async fn import_leave(store: &Store, zone: Option<&str>, file: &std::path::Path) -> Result<()> {
    let z = super::given_or_only_zone(store, zone).await?;
    let leave = veilig_import::read_leave(file)?;
    let ids = store
        .add_leave(z.id, &leave)
        .await
        .with_context(|| format!("{}: nothing stored", file.display()))?;
    super::audit_cli(
        store,
        "leave-import",
        Some(z.id),
        format!("{}: {} stretches", file.display(), ids.len()),
    )
    .await?;
    println!(
        "{}: {} stretches of leave stored",
        file.display(),
        ids.len()
    );
    Ok(())
}
