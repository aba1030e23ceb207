//! Field parsers shared by all formats: numbers with a decimal comma, dates in the formats a
//! mapping names.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Parses a decimal number; `decimal` is `.` or `,`. The other mark is accepted only as a
/// thousands separator between groups of three digits ("1.234.567,8" or "1,234,567.8"), so
/// "200698,55" read with a decimal point is no number rather than a value 100 times too
/// large.
pub fn number(s: &str, decimal: char) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let thousands = if decimal == ',' { '.' } else { ',' };
    let (whole, fraction) = match t.split_once(decimal) {
        Some((w, f)) if !f.contains(decimal) && !f.contains(thousands) => (w, Some(f)),
        Some(_) => return None,
        None => (t, None),
    };
    let whole = if whole.contains(thousands) {
        let digits = whole.trim_start_matches(['-', '+']);
        let mut groups = digits.split(thousands);
        let first = groups.next().unwrap_or_default();
        let grouped = (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !grouped {
            return None;
        }
        whole.replace(thousands, "")
    } else {
        whole.to_string()
    };
    let plain = match fraction {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    };
    let v: f64 = plain.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Whether `s` is no number with decimal mark `decimal` but is one with the other mark: the
/// mapping most likely names the wrong `decimal`.
pub fn other_decimal_mark(s: &str, decimal: char) -> bool {
    let other = if decimal == ',' { '.' } else { ',' };
    number(s, decimal).is_none() && number(s, other).is_some()
}

/// A parsed time stamp and whether it carried a time of day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stamp {
    At(NaiveDateTime),
    Day(NaiveDate),
}

impl Stamp {
    pub fn start(self) -> NaiveDateTime {
        match self {
            Stamp::At(t) => t,
            Stamp::Day(d) => d.and_time(NaiveTime::MIN),
        }
    }
    /// The last second the value covers: a date covers its whole day.
    pub fn end(self) -> NaiveDateTime {
        match self {
            Stamp::At(t) => t,
            Stamp::Day(d) => d.and_hms_opt(23, 59, 59).expect("valid time"),
        }
    }
}

/// Tries the date-time formats, then the date formats (chrono `strftime` syntax).
pub fn stamp(s: &str, datetime_formats: &[String], date_formats: &[String]) -> Option<Stamp> {
    let t = s.trim();
    for f in datetime_formats {
        if let Ok(v) = NaiveDateTime::parse_from_str(t, f) {
            return Some(Stamp::At(v));
        }
    }
    for f in date_formats {
        if let Ok(v) = NaiveDate::parse_from_str(t, f) {
            return Some(Stamp::Day(v));
        }
    }
    None
}

/// Why `s` is no time stamp under these formats: a day that does not exist ("31/02/2024"
/// fits the format but February has no 31st) or a text that fits none of them.
pub fn why_no_stamp(s: &str, datetime_formats: &[String], date_formats: &[String]) -> String {
    use chrono::format::ParseErrorKind::{Impossible, OutOfRange};
    let t = s.trim();
    let no_such_day = datetime_formats
        .iter()
        .map(|f| NaiveDateTime::parse_from_str(t, f).err())
        .chain(
            date_formats
                .iter()
                .map(|f| NaiveDate::parse_from_str(t, f).err()),
        )
        .flatten()
        .any(|e| matches!(e.kind(), Impossible | OutOfRange));
    if no_such_day {
        format!("{s:?} is no such day (the format fits, the calendar has no such date)")
    } else {
        format!("{s:?} matches none of the formats {datetime_formats:?} / {date_formats:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_decimal_comma_and_point() {
        assert_eq!(number("152.345,67", ','), Some(152345.67));
        assert_eq!(number("152345,5", ','), Some(152345.5));
        assert_eq!(number("-1.550626", '.'), Some(-1.550626));
        assert_eq!(number("abc", '.'), None);
        assert_eq!(number("", ','), None);
        assert_eq!(number("NaN", '.'), None);
        // The other mark only between groups of three digits.
        assert_eq!(number("1,234,567.5", '.'), Some(1234567.5));
        assert_eq!(number("-1.234", ','), Some(-1234.0));
        assert_eq!(number("200698,55", '.'), None);
        assert_eq!(number("200698.55", ','), None);
        assert_eq!(number("-1.550626", ','), None);
        assert_eq!(number("1,2,3", '.'), None);
        assert!(other_decimal_mark("200698,55", '.'));
        assert!(!other_decimal_mark("200698.55", '.'));
        assert!(!other_decimal_mark("abc", '.'));
    }

    #[test]
    fn stamps_prefer_datetime_then_date() {
        let dt = vec!["%d/%m/%Y %H:%M".to_string()];
        let d = vec!["%d/%m/%Y".to_string()];
        let a = stamp("03/02/2024 14:05", &dt, &d).unwrap();
        assert_eq!(a.start().to_string(), "2024-02-03 14:05:00");
        let b = stamp("03/02/2024", &dt, &d).unwrap();
        assert_eq!(b.start().to_string(), "2024-02-03 00:00:00");
        assert_eq!(b.end().to_string(), "2024-02-03 23:59:59");
        assert!(stamp("31/02/2024", &dt, &d).is_none());
        assert!(why_no_stamp("31/02/2024", &dt, &d).contains("no such day"));
        assert!(why_no_stamp("32/01/2024", &dt, &d).contains("no such day"));
        assert!(why_no_stamp("morgen", &dt, &d).contains("matches none"));
    }
}
