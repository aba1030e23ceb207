//! A portable logical copy of the whole store: every table, in the order the migrations
//! create them (so foreign keys hold on the way back), one JSON array per row, with a header
//! (format, schema version, row counts) and a SHA-256 trailer over everything before it. The
//! same file restores into SQLite or PostgreSQL, so it is the backup, the verification and
//! the migration from a laptop's SQLite to a zone's PostgreSQL. Read in one transaction
//! (SQLite WAL snapshot; PostgreSQL REPEATABLE READ), so a running server's writes do not
//! tear it. A restore goes into an empty store in one transaction: all of it or nothing.

use std::io::{BufRead, Write};

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::{Backend, Result, Store, StoreError};

/// Every table, in creation order (foreign keys point backwards).
pub const TABLES: &[&str] = &[
    "zones",
    "municipalities",
    "batches",
    "rejects",
    "phenomena",
    "category_map",
    "areas",
    "population",
    "incidents",
    "stat_counts",
    "calls",
    "staff",
    "users",
    "user_areas",
    "sessions",
    "audit_log",
    "staff_leave",
    "staff_wishes",
    "survey_responses",
    "population_groups",
    "zvr_decisions",
    "priority_inputs",
    "plans",
    "plan_versions",
    "plan_steps",
    "partner_accounts",
    "indicators",
    "measurements",
    "problem_files",
    "reviews",
    "review_decisions",
    "api_tokens",
    "reports",
    "action_feedback",
    "releases",
    "release_tables",
    "coverage",
    "forewords",
];

/// Tables of figures derived from the others (the job queue and its results): left out of a
/// dump, since a restored store computes them anew for its own data versions.
pub const DERIVED_TABLES: &[&str] = &["jobs", "computed"];

const MAGIC: &str = "VEILIG-DUMP 1";

fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(msg.into())
}

/// What a dump holds: rows per table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DumpHeader {
    pub format: String,
    pub schema: i64,
    pub source: String,
    pub created_at: String,
    pub counts: Vec<(String, u64)>,
}

fn sqlite_value(r: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Value> {
    let raw = r.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let kind = raw.type_info().name().to_string();
    Ok(match kind.as_str() {
        "INTEGER" => Value::from(r.try_get::<i64, _>(i)?),
        "REAL" => Value::from(r.try_get::<f64, _>(i)?),
        "TEXT" => Value::from(r.try_get::<String, _>(i)?),
        k => {
            return Err(invalid(format!(
                "column {i}: SQLite type {k} is not dumped"
            )));
        }
    })
}

fn postgres_value(r: &sqlx::postgres::PgRow, i: usize) -> Result<Value> {
    if r.try_get_raw(i)?.is_null() {
        return Ok(Value::Null);
    }
    let kind = r.column(i).type_info().name().to_string();
    Ok(match kind.as_str() {
        "INT8" => Value::from(r.try_get::<i64, _>(i)?),
        "INT4" => Value::from(r.try_get::<i32, _>(i)?),
        "INT2" => Value::from(r.try_get::<i16, _>(i)?),
        "FLOAT8" => Value::from(r.try_get::<f64, _>(i)?),
        "FLOAT4" => Value::from(r.try_get::<f32, _>(i)? as f64),
        "BOOL" => Value::from(r.try_get::<bool, _>(i)?),
        "TEXT" | "VARCHAR" => Value::from(r.try_get::<String, _>(i)?),
        "TIMESTAMP" => Value::from(r.try_get::<chrono::NaiveDateTime, _>(i)?.to_string()),
        "DATE" => Value::from(r.try_get::<chrono::NaiveDate, _>(i)?.to_string()),
        k => {
            return Err(invalid(format!(
                "column {i}: PostgreSQL type {k} is not dumped"
            )));
        }
    })
}

/// Text a value stands for when bound (PostgreSQL casts it to the column's type).
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => Some(if *b { "true".into() } else { "false".into() }),
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

impl Store {
    /// The schema version (the newest migration applied).
    pub async fn schema_version(&self) -> Result<i64> {
        crate::on_pool!(self, pool => {
            Ok(sqlx::query_scalar("SELECT MAX(version) FROM veilig_migrations").fetch_one(pool).await?)
        })
    }

    /// The tables of the store (for the check that `TABLES` and [`DERIVED_TABLES`] name every
    /// one).
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let mut t: Vec<String> = match &self.backend {
            Backend::Sqlite(p) => sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetch_all(p).await?,
            Backend::Postgres(p) => sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").fetch_all(p).await?,
        };
        t.retain(|n| n != "veilig_migrations");
        t.sort();
        Ok(t)
    }

    /// Rows per table.
    pub async fn table_counts(&self) -> Result<Vec<(String, u64)>> {
        let mut out = Vec::new();
        for t in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {t}");
            let n: i64 = crate::on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await?);
            out.push((t.to_string(), n as u64));
        }
        Ok(out)
    }

    /// Writes the whole store to `out` as one consistent logical copy; returns its header.
    pub async fn dump(&self, out: &mut impl Write) -> Result<DumpHeader> {
        let mut hash = Sha256::new();
        let mut buf: Vec<u8> = Vec::new();
        let mut counts = Vec::new();
        let mut body: Vec<u8> = Vec::new();
        macro_rules! read_all {
            ($tx:expr, $value:ident) => {{
                for t in TABLES {
                    let sql = format!("SELECT * FROM {t} ORDER BY 1, 2");
                    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .fetch_all(&mut *$tx)
                        .await?;
                    let cols: Vec<String> = match rows.first() {
                        Some(r) => r.columns().iter().map(|c| c.name().to_string()).collect(),
                        None => Vec::new(),
                    };
                    writeln!(body, "TABLE {t} {}", rows.len())
                        .map_err(|e| invalid(e.to_string()))?;
                    writeln!(body, "{}", serde_json::to_string(&cols).expect("names"))
                        .map_err(|e| invalid(e.to_string()))?;
                    for r in &rows {
                        let vals: Vec<Value> = (0..cols.len())
                            .map(|i| $value(r, i))
                            .collect::<Result<_>>()?;
                        writeln!(body, "{}", serde_json::to_string(&vals).expect("values"))
                            .map_err(|e| invalid(e.to_string()))?;
                    }
                    counts.push((t.to_string(), rows.len() as u64));
                }
            }};
        }
        match &self.backend {
            Backend::Sqlite(p) => {
                let mut tx = p.begin().await?;
                read_all!(tx, sqlite_value);
                tx.commit().await?;
            }
            Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                read_all!(tx, postgres_value);
                tx.commit().await?;
            }
        }
        let header = DumpHeader {
            format: "veilig-dump".into(),
            schema: self.schema_version().await?,
            source: self.backend_name().into(),
            created_at: crate::now().to_string(),
            counts,
        };
        writeln!(buf, "{MAGIC}").map_err(|e| invalid(e.to_string()))?;
        writeln!(buf, "{}", serde_json::to_string(&header).expect("header"))
            .map_err(|e| invalid(e.to_string()))?;
        buf.extend_from_slice(&body);
        hash.update(&buf);
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        out.write_all(&buf).map_err(|e| invalid(e.to_string()))?;
        writeln!(out, "END sha256={digest}").map_err(|e| invalid(e.to_string()))?;
        out.flush().map_err(|e| invalid(e.to_string()))?;
        Ok(header)
    }

    /// Restores a dump into this store, which must be empty and at the dump's schema version:
    /// checks the trailer first (a corrupt or truncated file is refused before anything is
    /// written), then writes every row in one transaction and compares the counts.
    pub async fn restore(&self, input: impl BufRead) -> Result<DumpHeader> {
        let lines: Vec<String> = input
            .lines()
            .collect::<std::io::Result<_>>()
            .map_err(|e| invalid(format!("cannot read the dump: {e}")))?;
        if lines.first().map(String::as_str) != Some(MAGIC) {
            return Err(invalid(
                "not a Veilig dump (its first line is not 'VEILIG-DUMP 1')",
            ));
        }
        let Some(last) = lines
            .last()
            .and_then(|l| l.strip_prefix("END sha256="))
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            return Err(invalid(
                "the dump is truncated: its last line is not the END line with its checksum",
            ));
        };
        let mut hash = Sha256::new();
        for l in &lines[..lines.len() - 1] {
            hash.update(l.as_bytes());
            hash.update(b"\n");
        }
        let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if digest != last {
            return Err(invalid(
                "the dump is corrupt: its checksum does not match its content",
            ));
        }
        let header: DumpHeader = serde_json::from_str(lines.get(1).map_or("", String::as_str))
            .map_err(|e| invalid(format!("the dump's header: {e}")))?;
        if header.schema != self.schema_version().await? {
            return Err(invalid(format!(
                "the dump has schema version {}, this store {}: open it with the Veilig that wrote it",
                header.schema,
                self.schema_version().await?
            )));
        }
        if self.table_counts().await?.iter().any(|(_, n)| *n > 0) {
            return Err(invalid(
                "the target store is not empty: restore into a fresh store",
            ));
        }
        // Column types of the target, for PostgreSQL's casts.
        let mut pg_types: std::collections::HashMap<(String, String), String> = Default::default();
        if let Backend::Postgres(p) = &self.backend {
            let rows = sqlx::query("SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d FROM information_schema.columns WHERE table_schema = current_schema()").fetch_all(p).await?;
            for r in &rows {
                pg_types.insert((r.try_get("t")?, r.try_get("c")?), r.try_get("d")?);
            }
        }
        let mut i = 2;
        let body_end = lines.len() - 1;
        macro_rules! write_all {
            ($tx:expr, $pg:expr) => {{
                while i < body_end {
                    let head: Vec<&str> = lines[i].split(' ').collect();
                    let (table, n) = match head.as_slice() {
                        ["TABLE", t, n] => (
                            t.to_string(),
                            n.parse::<usize>()
                                .map_err(|_| invalid(format!("line {}: bad row count", i + 1)))?,
                        ),
                        _ => return Err(invalid(format!("line {}: expected a TABLE line", i + 1))),
                    };
                    if !TABLES.contains(&table.as_str()) {
                        return Err(invalid(format!("line {}: unknown table {table:?}", i + 1)));
                    }
                    let cols: Vec<String> = serde_json::from_str(&lines[i + 1])
                        .map_err(|e| invalid(format!("line {}: {e}", i + 2)))?;
                    i += 2;
                    if n > 0 {
                        let marks: Vec<String> = cols
                            .iter()
                            .enumerate()
                            .map(|(k, c)| match $pg {
                                true => format!(
                                    "${}::{}",
                                    k + 1,
                                    pg_types
                                        .get(&(table.clone(), c.clone()))
                                        .cloned()
                                        .unwrap_or_else(|| "text".into())
                                ),
                                false => format!("${}", k + 1),
                            })
                            .collect();
                        let sql = format!(
                            "INSERT INTO {table} ({}) VALUES ({})",
                            cols.join(", "),
                            marks.join(", ")
                        );
                        for k in 0..n {
                            let vals: Vec<Value> =
                                serde_json::from_str(lines.get(i + k).map_or("", String::as_str))
                                    .map_err(|e| invalid(format!("line {}: {e}", i + k + 1)))?;
                            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
                            for v in &vals {
                                q = match ($pg, v) {
                                    (true, v) => q.bind(as_text(v)),
                                    (false, Value::Null) => q.bind(None::<String>),
                                    (false, Value::Bool(b)) => q.bind(*b as i64),
                                    (false, Value::Number(x)) if x.is_i64() => q.bind(x.as_i64()),
                                    (false, Value::Number(x)) => q.bind(x.as_f64()),
                                    (false, v) => q.bind(as_text(v)),
                                };
                            }
                            q.execute(&mut *$tx).await?;
                        }
                    }
                    i += n;
                }
            }};
        }
        match &self.backend {
            Backend::Sqlite(p) => {
                let mut tx = p.begin().await?;
                write_all!(tx, false);
                tx.commit().await?;
            }
            Backend::Postgres(p) => {
                let mut tx = p.begin().await?;
                write_all!(tx, true);
                // Identity columns continue after the restored ids.
                for t in TABLES {
                    if pg_types.contains_key(&(t.to_string(), "id".to_string())) {
                        let sql = format!(
                            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST(COALESCE((SELECT MAX(id) FROM {t}), 0), 1), (SELECT COUNT(*) > 0 FROM {t}))"
                        );
                        sqlx::query(sqlx::AssertSqlSafe(sql))
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
            }
        }
        let counts = self.table_counts().await?;
        if counts != header.counts {
            return Err(invalid(format!(
                "the restored counts differ from the dump's: {counts:?} against {:?}",
                header.counts
            )));
        }
        Ok(header)
    }
}
