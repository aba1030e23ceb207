//! `veilig staff`: the leave and wishes of the zone's staff, stored per zone and read by
//! `capacity plan`. Every change is audited.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use veilig_store::{Leave, Store};

use crate::cli::{LeaveCmd, StaffCmd};
use crate::output::json;

/// Reads a leave file: a header, then `officer,from,to[,kind[,note]]` per line (dates
/// YYYY-MM-DD, both included; kind `verlof` when absent). Errors name the file, line and
/// field.
pub fn read_leave_csv(path: &Path) -> Result<Vec<Leave>> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| path.display().to_string())?;
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let line = k + 2;
        let rec = rec.with_context(|| format!("{}: line {line}", path.display()))?;
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let date = |i: usize, name: &str| {
            chrono::NaiveDate::parse_from_str(field(i), "%Y-%m-%d").with_context(|| {
                format!(
                    "{}: line {line}, field {name}: {:?} is not a date YYYY-MM-DD",
                    path.display(),
                    field(i)
                )
            })
        };
        if field(0).is_empty() {
            bail!("{}: line {line}, field officer: empty", path.display());
        }
        let (first_day, last_day) = (date(1, "from")?, date(2, "to")?);
        if last_day < first_day {
            bail!(
                "{}: line {line}, field to: {last_day} is before {first_day}",
                path.display()
            );
        }
        out.push(Leave {
            officer: field(0).to_string(),
            first_day,
            last_day,
            kind: match field(3) {
                "" => "verlof".to_string(),
                k => k.to_string(),
            },
            note: field(4).to_string(),
        });
    }
    Ok(out)
}

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
        StaffCmd::Leave(LeaveCmd::Add {
            zone,
            officer,
            from,
            to,
            kind,
            note,
        }) => {
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
        StaffCmd::Leave(LeaveCmd::Import { zone, file }) => {
            let z = super::given_or_only_zone(store, zone.as_deref()).await?;
            let leave = read_leave_csv(&file)?;
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
        }
        StaffCmd::Leave(LeaveCmd::List {
            zone,
            from,
            to,
            json: as_json,
        }) => {
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
        StaffCmd::Leave(LeaveCmd::Remove { zone, id }) => {
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
