//! `veilig backup|restore|migrate`: the store's portable logical copy, through
//! `veilig_query::backup`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use veilig_query::backup;
use veilig_store::Store;

pub async fn backup(store: &Store, out: &Path, check: bool) -> Result<ExitCode> {
    let c = backup::backup(store, out, check).await?;
    println!(
        "backup {}: {} rows in {} tables (audit log {}), schema {}, {} bytes{}",
        out.display(),
        c.rows,
        c.tables,
        c.audit_rows,
        c.schema,
        c.bytes,
        if c.verified {
            "; verified by a restore"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(store: &Store, from: &Path) -> Result<ExitCode> {
    let c = backup::restore(store, from).await?;
    println!(
        "restored {} rows in {} tables from {} (written {} from {})",
        c.rows,
        c.tables,
        from.display(),
        c.created_at,
        c.source
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn migrate(store: &Store, to: &str) -> Result<ExitCode> {
    let (c, target) = backup::migrate(store, to).await?;
    println!(
        "migrated {} rows in {} tables from {} to {target}; every table's count agrees",
        c.rows,
        c.tables,
        store.backend_name(),
    );
    Ok(ExitCode::SUCCESS)
}
