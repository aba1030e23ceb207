//! Field parsers shared by all formats: numbers with a decimal comma, dates in the formats a
//! mapping names.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Parses a decimal number; `decimal` is `.` or `,`. With `,`, dots are thousands separators.
pub fn number(s: &str, decimal: char) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    let v: f64 = if decimal == ',' {
        t.replace('.', "").replace(',', ".").parse().ok()?
    } else {
        t.replace(',', "").parse().ok()?
    };
    v.is_finite().then_some(v)
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
    }
}
