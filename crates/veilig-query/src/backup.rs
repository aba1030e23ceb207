//! The store's portable logical copy (`Store::dump`): a backup checked by restoring it into a
//! scratch store, a restore into an empty store (all or nothing), and a move from one store
//! to another (SQLite to PostgreSQL) with every table's count compared.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use veilig_store::Store;

/// What a backup, restore or move wrote.
#[derive(Debug, Serialize)]
pub struct Copied {
    pub rows: u64,
    pub tables: usize,
    /// Rows of the audit trail among them.
    pub audit_rows: u64,
    pub schema: i64,
    pub bytes: usize,
    /// When and where the copy was written (a restore reads these from the file).
    pub created_at: String,
    pub source: String,
    /// Whether a restore of the copy gave every table's count back.
    pub verified: bool,
}

impl Copied {
    fn of(h: &veilig_store::DumpHeader, bytes: usize, verified: bool) -> Copied {
        let count = |t: &str| h.counts.iter().find(|c| c.0 == t).map_or(0, |c| c.1);
        Copied {
            rows: h.counts.iter().map(|c| c.1).sum(),
            tables: h.counts.len(),
            audit_rows: count("audit_log"),
            schema: h.schema,
            bytes,
            created_at: h.created_at.clone(),
            source: h.source.clone(),
            verified,
        }
    }
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

/// A consistent copy of the whole store into `out` (whole or absent: written beside it and
/// renamed), verified by a restore unless `check` is false.
pub async fn backup(store: &Store, out: &Path, check: bool) -> Result<Copied> {
    let mut buf = Vec::new();
    let header = store.dump(&mut buf).await?;
    if check {
        verify(&buf, &header.counts).await?;
    }
    let tmp = out.with_extension("partial");
    std::fs::write(&tmp, &buf).with_context(|| tmp.display().to_string())?;
    std::fs::rename(&tmp, out).with_context(|| out.display().to_string())?;
    Ok(Copied::of(&header, buf.len(), check))
}

/// Restores a backup file into this store, which must be empty: all of it or nothing.
pub async fn restore(store: &Store, from: &Path) -> Result<Copied> {
    let file =
        std::fs::File::open(from).with_context(|| format!("{}: cannot read", from.display()))?;
    let bytes = file.metadata().map_or(0, |m| m.len() as usize);
    let header = store
        .restore(std::io::BufReader::new(file))
        .await
        .with_context(|| format!("{}: not restored (nothing was written)", from.display()))?;
    Ok(Copied::of(&header, bytes, false))
}

/// Moves this store into the (empty) store at `to`; every table's count must agree.
pub async fn migrate(store: &Store, to: &str) -> Result<(Copied, &'static str)> {
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
    let backend = target.backend_name();
    target.close().await;
    if got != header.counts {
        bail!(
            "the target's counts differ: {got:?} against {:?}",
            header.counts
        );
    }
    Ok((Copied::of(&header, buf.len(), true), backend))
}
