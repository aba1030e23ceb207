//! Bulk inserts into SQLite through its C API, the way `sqlite3 .import` does it: one
//! prepared single-row INSERT, bound and stepped per row, values bound `SQLITE_STATIC` (no
//! copies). Through sqlx every text value is copied and every row's ~20 parameters pass
//! through its argument machinery, which made imports 4-6 times slower than `.import`.
//!
//! Safety: the functions take the raw handle of a connection whose lock the caller holds
//! (`SqliteConnection::lock_handle`), inside the import's open transaction. Every pointer
//! bound with `SQLITE_STATIC` points into a value that outlives the `sqlite3_step` that
//! reads it; the statement is finalized on every path by `Stmt`'s `Drop`.

use std::ffi::{CStr, c_int};
use std::ptr;

use libsqlite3_sys as ffi;

use crate::{Result, StoreError};

struct Stmt {
    db: *mut ffi::sqlite3,
    raw: *mut ffi::sqlite3_stmt,
}

impl Drop for Stmt {
    fn drop(&mut self) {
        // SAFETY: `raw` came from sqlite3_prepare_v2 on `db` and is finalized exactly once.
        unsafe { ffi::sqlite3_finalize(self.raw) };
    }
}

fn error(db: *mut ffi::sqlite3, what: &str) -> StoreError {
    // SAFETY: sqlite3_errmsg returns a NUL-terminated string owned by the connection.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }
        .to_string_lossy()
        .into_owned();
    StoreError::Invalid(format!("SQLite {what}: {msg}"))
}

impl Stmt {
    fn prepare(db: *mut ffi::sqlite3, sql: &CStr) -> Result<Stmt> {
        let mut raw = ptr::null_mut();
        // SAFETY: `db` is a live connection held by the caller; `sql` is NUL-terminated.
        let rc =
            unsafe { ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut raw, ptr::null_mut()) };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, "prepare"));
        }
        Ok(Stmt { db, raw })
    }

    fn check(&self, rc: c_int) -> Result<()> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(error(self.db, "bind"))
        }
    }

    fn text(&self, i: c_int, v: Option<&str>) -> Result<()> {
        // SAFETY: the string outlives the next step (see the module doc); SQLITE_STATIC = no copy.
        self.check(unsafe {
            match v {
                Some(s) => ffi::sqlite3_bind_text(
                    self.raw,
                    i,
                    s.as_ptr().cast(),
                    s.len() as c_int,
                    ffi::SQLITE_STATIC(),
                ),
                None => ffi::sqlite3_bind_null(self.raw, i),
            }
        })
    }

    fn int(&self, i: c_int, v: Option<i64>) -> Result<()> {
        // SAFETY: plain value binds on a live statement.
        self.check(unsafe {
            match v {
                Some(n) => ffi::sqlite3_bind_int64(self.raw, i, n),
                None => ffi::sqlite3_bind_null(self.raw, i),
            }
        })
    }

    fn real(&self, i: c_int, v: Option<f64>) -> Result<()> {
        // SAFETY: plain value binds on a live statement.
        self.check(unsafe {
            match v {
                Some(x) => ffi::sqlite3_bind_double(self.raw, i, x),
                None => ffi::sqlite3_bind_null(self.raw, i),
            }
        })
    }

    /// Runs the bound row; returns whether it was inserted (not skipped as a duplicate).
    fn step(&self) -> Result<bool> {
        // SAFETY: a prepared, fully bound statement on the caller's connection.
        unsafe {
            let rc = ffi::sqlite3_step(self.raw);
            if rc != ffi::SQLITE_DONE {
                return Err(error(self.db, "insert"));
            }
            let changed = ffi::sqlite3_changes(self.db) > 0;
            ffi::sqlite3_reset(self.raw);
            Ok(changed)
        }
    }
}

/// A reusable buffer for timestamps, in the text form sqlx uses for SQLite.
struct Stamp(String);

impl Stamp {
    fn set(&mut self, t: Option<chrono::NaiveDateTime>) -> Option<&str> {
        let t = t?;
        self.0.clear();
        crate::timestamp::write_ts(&mut self.0, t);
        Some(&self.0)
    }
}

pub(crate) struct Batch<'a> {
    pub zone_id: i64,
    pub batch_id: i64,
    pub source: &'a str,
}

const INCIDENTS: &CStr = c"INSERT INTO incidents (zone_id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to, reported_at, x, y, orig_x, orig_y, orig_crs, address, source_area, area_id, premises, outcome, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) ON CONFLICT (zone_id, source, source_key) DO NOTHING";

/// The same insert in a bulk load, where the table has no indexes to conflict with (the
/// caller sends each key once; the rebuilt unique index checks it).
const INCIDENTS_BULK: &CStr = c"INSERT INTO incidents (zone_id, batch_id, source, source_key, category, phenomenon, occurred_from, occurred_to, reported_at, x, y, orig_x, orig_y, orig_crs, address, source_area, area_id, premises, outcome, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

const CALLS: &CStr = c"INSERT INTO calls (zone_id, batch_id, source, source_key, received_at, priority, category, committed_minutes, x, y, orig_x, orig_y, orig_crs, area_id, synthetic, response_minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) ON CONFLICT (zone_id, source, source_key) DO NOTHING";

/// # Safety
/// `db` must be the raw handle of a connection locked by the caller for the whole call.
pub(crate) unsafe fn incidents(
    db: *mut ffi::sqlite3,
    b: &Batch,
    rows: &[veilig_domain::NewIncident],
    bulk: bool,
) -> Result<u64> {
    let st = Stmt::prepare(db, if bulk { INCIDENTS_BULK } else { INCIDENTS })?;
    let (mut from, mut to, mut reported) = (
        Stamp(String::new()),
        Stamp(String::new()),
        Stamp(String::new()),
    );
    st.int(1, Some(b.zone_id))?;
    st.int(2, Some(b.batch_id))?;
    st.text(3, Some(b.source))?;
    let mut stored = 0;
    for r in rows {
        let l = r.location;
        st.text(4, Some(&r.source_key))?;
        st.text(5, Some(&r.category))?;
        st.text(6, Some(&r.phenomenon))?;
        st.text(7, from.set(Some(r.occurred_from)))?;
        st.text(8, to.set(Some(r.occurred_to)))?;
        st.text(9, reported.set(r.reported_at))?;
        st.real(10, l.map(|l| l.x))?;
        st.real(11, l.map(|l| l.y))?;
        st.real(12, l.map(|l| l.orig_x))?;
        st.real(13, l.map(|l| l.orig_y))?;
        st.int(14, l.map(|l| l.orig_crs as i64))?;
        st.text(15, r.address.as_deref())?;
        st.text(16, r.source_area.as_deref())?;
        st.int(17, r.area_id)?;
        st.text(18, r.premises.as_deref())?;
        st.text(19, r.outcome.as_deref())?;
        st.int(20, Some(r.synthetic as i64))?;
        stored += u64::from(st.step()?);
    }
    Ok(stored)
}

/// # Safety
/// `db` must be the raw handle of a connection locked by the caller for the whole call.
pub(crate) unsafe fn calls(
    db: *mut ffi::sqlite3,
    b: &Batch,
    rows: &[veilig_domain::CallForService],
) -> Result<u64> {
    let st = Stmt::prepare(db, CALLS)?;
    let mut received = Stamp(String::new());
    st.int(1, Some(b.zone_id))?;
    st.int(2, Some(b.batch_id))?;
    st.text(3, Some(b.source))?;
    let mut stored = 0;
    for r in rows {
        let l = r.location;
        st.text(4, Some(&r.source_key))?;
        st.text(5, received.set(Some(r.received_at)))?;
        st.text(6, Some(&r.priority))?;
        st.text(7, r.category.as_deref())?;
        st.real(8, r.committed_minutes)?;
        st.real(9, l.map(|l| l.x))?;
        st.real(10, l.map(|l| l.y))?;
        st.real(11, l.map(|l| l.orig_x))?;
        st.real(12, l.map(|l| l.orig_y))?;
        st.int(13, l.map(|l| l.orig_crs as i64))?;
        st.int(14, r.area_id)?;
        st.int(15, Some(r.synthetic as i64))?;
        st.real(16, r.response_minutes)?;
        stored += u64::from(st.step()?);
    }
    Ok(stored)
}

/// Reads the analysis rows of a query through the C API (sqlx hands rows one by one over a
/// channel, which cost twice SQLite's own time on 200,000 rows). `params` are bound in order
/// as `?1, ?2, …`.
///
/// # Safety
/// `db` must be the raw handle of a connection locked by the caller for the whole call.
pub(crate) unsafe fn analysis_rows(
    db: *mut ffi::sqlite3,
    sql: &CStr,
    params: &[Param<'_>],
) -> Result<Vec<crate::AnalysisRow>> {
    let st = Stmt::prepare(db, sql)?;
    for (i, p) in params.iter().enumerate() {
        let i = i as c_int + 1;
        match p {
            Param::Int(v) => st.int(i, Some(*v))?,
            Param::Text(v) => st.text(i, Some(v))?,
        }
    }
    let mut out = Vec::new();
    loop {
        // SAFETY: stepping and reading columns of a live, bound statement; text pointers are
        // read before the next step.
        unsafe {
            match ffi::sqlite3_step(st.raw) {
                ffi::SQLITE_ROW => {
                    let text = |c: c_int| -> Result<&str> {
                        let p = ffi::sqlite3_column_text(st.raw, c);
                        let n = ffi::sqlite3_column_bytes(st.raw, c) as usize;
                        if p.is_null() {
                            return Err(StoreError::Invalid("a stored time is NULL".into()));
                        }
                        std::str::from_utf8(std::slice::from_raw_parts(p, n))
                            .map_err(|e| StoreError::Invalid(e.to_string()))
                    };
                    let real = |c: c_int| {
                        (ffi::sqlite3_column_type(st.raw, c) != ffi::SQLITE_NULL)
                            .then(|| ffi::sqlite3_column_double(st.raw, c))
                    };
                    let int = |c: c_int| {
                        (ffi::sqlite3_column_type(st.raw, c) != ffi::SQLITE_NULL)
                            .then(|| ffi::sqlite3_column_int64(st.raw, c))
                    };
                    out.push(crate::AnalysisRow {
                        from: crate::timestamp::parse_ts(text(0)?)?,
                        to: crate::timestamp::parse_ts(text(1)?)?,
                        xy: real(2).zip(real(3)),
                        area_id: int(4),
                        batch_id: int(5).unwrap_or(0),
                    });
                }
                ffi::SQLITE_DONE => break,
                _ => return Err(error(db, "read")),
            }
        }
    }
    Ok(out)
}

/// A parameter for [`analysis_rows`].
pub(crate) enum Param<'a> {
    Int(i64),
    Text(&'a str),
}
