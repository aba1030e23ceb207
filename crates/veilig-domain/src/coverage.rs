//! Where a source's coverage begins. Sources carry a few old facts reported late (Toronto's
//! 2014-2021 file has occurrences from decades before, a handful a year): counting those
//! years as observed would invent a steep trend. Coverage starts on 1 January of the first
//! year with at least a quarter of the busiest year's count (late reports are a few percent
//! of a year), or at the first record if that is later.

use chrono::NaiveDate;

/// `years`: (year, records) in ascending order of year; `first`: the earliest record's day.
pub fn coverage_start(years: &[(i32, u64)], first: NaiveDate) -> Option<NaiveDate> {
    let busiest = years.iter().map(|(_, n)| *n).max().unwrap_or(0) as f64;
    let year = years
        .iter()
        .find(|(_, n)| *n as f64 >= 0.25 * busiest)
        .map(|(y, _)| *y)?;
    Some(NaiveDate::from_ymd_opt(year, 1, 1)?.max(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_reports_do_not_start_the_coverage() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let years = [(1966, 1), (1990, 2), (2014, 30_000), (2015, 32_000)];
        assert_eq!(coverage_start(&years, d(1966, 5, 1)), Some(d(2014, 1, 1)));
        // A first record late in the first real year starts the coverage there.
        assert_eq!(
            coverage_start(&[(2022, 800), (2023, 1000)], d(2022, 3, 15)),
            Some(d(2022, 3, 15))
        );
        assert_eq!(coverage_start(&[], d(2022, 3, 15)), None);
    }
}
