//! `veilig backup|restore|migrate`: the store's portable logical copy (`Store::dump`).

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use veilig_store::Store;

fn total(counts: &[(String, u64)]) -> u64 {
    counts.iter().map(|c| c.1).sum()
}

/// Restores `dump` into a scratch SQLite store and checks every table's count.
async fn verify(dump: &[u8], counts: &[(String, u64)]) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let scratch = Store::open(&format!(
        "sqlite://{}",
        dir.path().join("verify.db").display()
    ))
    .await?;
    scratch
        .restore(dump)
        .await
        .context("the backup does not restore")?;
    let got = scratch.table_counts().await?;
    scratch.close().await;
    if got != counts {
        bail!("the restored copy differs: {got:?} against {counts:?}");
    }
    Ok(())
}

pub async fn backup(store: &Store, out: &std::path::Path, check: bool) -> Result<ExitCode> {
    let mut buf = Vec::new();
    let header = store.dump(&mut buf).await?;
    if check {
        verify(&buf, &header.counts).await?;
    }
    // Written beside the target and renamed: a backup file is whole or absent.
    let tmp = out.with_extension("partial");
    std::fs::write(&tmp, &buf).with_context(|| tmp.display().to_string())?;
    std::fs::rename(&tmp, out).with_context(|| out.display().to_string())?;
    let audit = header
        .counts
        .iter()
        .find(|c| c.0 == "audit_log")
        .map_or(0, |c| c.1);
    println!(
        "backup {}: {} rows in {} tables (audit log {audit}), schema {}, {} bytes{}",
        out.display(),
        total(&header.counts),
        header.counts.len(),
        header.schema,
        buf.len(),
        if check { "; verified by a restore" } else { "" }
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(store: &Store, from: &std::path::Path) -> Result<ExitCode> {
    let file =
        std::fs::File::open(from).with_context(|| format!("{}: cannot read", from.display()))?;
    let header = store
        .restore(std::io::BufReader::new(file))
        .await
        .with_context(|| format!("{}: not restored (nothing was written)", from.display()))?;
    println!(
        "restored {} rows in {} tables from {} (written {} from {})",
        total(&header.counts),
        header.counts.len(),
        from.display(),
        header.created_at,
        header.source
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn migrate(store: &Store, to: &str) -> Result<ExitCode> {
    let target = Store::open(to)
        .await
        .with_context(|| format!("opening the target {to}"))?;
    let mut buf = Vec::new();
    let header = store.dump(&mut buf).await?;
    target
        .restore(&buf[..])
        .await
        .with_context(|| format!("{to}: not migrated (nothing was written)"))?;
    let got = target.table_counts().await?;
    target.close().await;
    if got != header.counts {
        bail!(
            "the target's counts differ: {got:?} against {:?}",
            header.counts
        );
    }
    println!(
        "migrated {} rows in {} tables from {} to {}; every table's count agrees",
        total(&got),
        got.len(),
        store.backend_name(),
        target.backend_name()
    );
    Ok(ExitCode::SUCCESS)
}
