//! Local times as text, the way both backends store and return them: written exactly as sqlx
//! binds a `NaiveDateTime` to SQLite, read back fast on the common 19-character form.

use chrono::NaiveDateTime;

use crate::Result;

pub(crate) fn ts(t: NaiveDateTime) -> String {
    let mut s = String::with_capacity(19);
    write_ts(&mut s, t);
    s
}

/// Writes a local time as the text both backends read, exactly as sqlx writes bound
/// `NaiveDateTime`s to SQLite (`%F %T%.f`), so stored and bound values compare correctly.
pub(crate) fn write_ts(out: &mut String, t: NaiveDateTime) {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    if t.nanosecond() != 0 {
        let _ = write!(out, "{}", t.format("%F %T%.f"));
        return;
    }
    // Digits by hand: three stamps a row made this formatting a tenth of an import's writer.
    let year = t.year();
    if !(0..=9999).contains(&year) {
        let _ = write!(out, "{}", t.format("%F %T"));
        return;
    }
    let mut b = *b"0000-00-00 00:00:00";
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    out.push_str(std::str::from_utf8(&b).expect("ASCII digits"));
}

/// Parses `YYYY-MM-DD HH:MM:SS[.fff]` (also with a `T`), the text both backends give for a
/// stored local time.
pub(crate) fn parse_ts(s: &str) -> Result<NaiveDateTime> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as u32;
        }
        Some(v)
    };
    let fast = (b.len() == 19).then(|| {
        let d = chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
        d.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)
    });
    match fast.flatten() {
        Some(t) => Ok(t),
        None => NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
            .map_err(|e| crate::StoreError::Invalid(format!("stored time {s:?}: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_stored_times() {
        let t = super::parse_ts("2019-12-31 23:30:05").unwrap();
        assert_eq!(t.to_string(), "2019-12-31 23:30:05");
        assert_eq!(
            super::parse_ts("2019-12-31 23:30:05.25")
                .unwrap()
                .to_string(),
            "2019-12-31 23:30:05.250"
        );
        assert_eq!(super::parse_ts("2019-12-31T23:30:05").unwrap(), t);
        assert!(super::parse_ts("2019-13-31 23:30:05").is_err());
    }
}

#[cfg(test)]
mod stamp_tests {
    use chrono::{NaiveDate, NaiveDateTime};

    #[test]
    fn stamps_are_written_as_sqlx_writes_them() {
        let cases = [
            NaiveDate::from_ymd_opt(2024, 2, 29)
                .unwrap()
                .and_hms_opt(23, 59, 1)
                .unwrap(),
            NaiveDate::from_ymd_opt(7, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
            NaiveDate::from_ymd_opt(2021, 12, 31)
                .unwrap()
                .and_hms_milli_opt(8, 5, 9, 250)
                .unwrap(),
            NaiveDate::from_ymd_opt(-44, 3, 15)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
            NaiveDate::from_ymd_opt(10000, 1, 1)
                .unwrap()
                .and_hms_opt(1, 2, 3)
                .unwrap(),
        ];
        for t in cases {
            let want = t.format("%F %T%.f").to_string();
            assert_eq!(super::ts(t), want, "{t:?}");
            let back = NaiveDateTime::parse_from_str(&super::ts(t), "%F %T%.f").ok();
            if (0..=9999).contains(&chrono::Datelike::year(&t)) {
                assert_eq!(back, Some(t));
            }
        }
    }
}
