//! The picture's own checks: coverage, series, tables and rates on small made-up data.

use super::*;

fn ev(y: i32, m: u32, d: u32, h: u32) -> Event {
    let t = NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap();
    Event {
        from: t,
        to: t,
        xy: Some((d as f64 * 10.0, 0.0)),
        area: Some(1),
    }
}

#[test]
fn late_reported_old_facts_do_not_start_the_series() {
    // Many sparse old years (their median is tiny) before the real data.
    let mut events: Vec<Event> = (1990..2014).map(|y| ev(y, 5, 1, 1)).collect();
    for y in 2014..=2019 {
        for m in 1..=12 {
            events.push(ev(y, m, 2, 10));
            events.push(ev(y, m, 3, 10));
        }
    }
    let p = Period::new(
        NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2019, 12, 31).unwrap(),
    );
    let pic = picture(
        &events,
        p,
        Baseline::PreviousYear,
        &Denominators::default(),
        None,
        TestRules::default(),
    );
    let t = pic.trend.unwrap();
    assert_eq!(t.years.first(), Some(&2014));
    // Flat counts, flat trend (2016 has a day more, hence not exactly 0).
    assert!(t.annual_change_pct.abs() < 0.05, "{}", t.annual_change_pct);
    assert_eq!(pic.control_chart.first().map(|c| c.year), Some(2017));
}

#[test]
fn the_trend_reads_the_coverage_not_the_first_event() {
    // Data cover 2020-2024; this phenomenon's first event is in June 2021, and 2020
    // (covered, no event) counts as a year of zero. 2025 is partly covered: left out.
    let mut events = Vec::new();
    for y in 2021..=2025 {
        for m in if y == 2021 { 6..=12 } else { 1..=12 } {
            events.push(ev(y, m, 2, 10));
        }
    }
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let p = Period::new(d(2025, 1, 1), d(2025, 12, 31));
    let covered = Period::new(d(2020, 1, 1), d(2025, 3, 31));
    let pic = picture(
        &events,
        p,
        Baseline::PreviousYear,
        &Denominators::default(),
        Some(covered),
        TestRules::default(),
    );
    let t = pic.trend.unwrap();
    assert_eq!(t.years, vec![2020, 2021, 2022, 2023, 2024]);
    // Without the coverage the series starts after the first event (June 2021) and
    // reaches into 2025.
    let own = picture(
        &events,
        p,
        Baseline::PreviousYear,
        &Denominators::default(),
        None,
        TestRules::default(),
    );
    assert_eq!(own.trend.unwrap().years, vec![2022, 2023, 2024, 2025]);
}

#[test]
fn counts_comparisons_series_and_tables_agree() {
    let mut events = Vec::new();
    for y in 2019..=2023 {
        for m in 1..=12 {
            for k in 0..(if y == 2023 { 6 } else { 3 }) {
                events.push(ev(y, m, 1 + k, 10));
            }
        }
    }
    let p = Period::new(
        NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2023, 12, 31).unwrap(),
    );
    let d = Denominators {
        areas: vec![AreaInfo {
            id: 1,
            code: "W1".into(),
            name: "Wijk 1".into(),
            municipality: Some("13025".into()),
            population: Some(4000),
            dwellings: None,
        }],
        municipalities: vec![AreaInfo {
            id: 0,
            code: "13025".into(),
            name: "Mol".into(),
            municipality: None,
            population: Some(36000),
            dwellings: Some(16000),
        }],
        zone: Some(AreaInfo {
            id: 0,
            code: "z".into(),
            name: "Zone".into(),
            municipality: None,
            population: Some(72000),
            dwellings: None,
        }),
    };
    let pic = picture(
        &events,
        p,
        Baseline::PreviousYear,
        &d,
        None,
        TestRules::default(),
    );
    assert_eq!(pic.municipalities[0].rate_per_1000, Some(2.0));
    assert_eq!(pic.municipalities[0].rate_per_1000_dwellings, Some(4.5));
    assert_eq!(pic.zone.as_ref().unwrap().rate_per_1000, Some(1.0));
    assert_eq!(pic.area_concentration.places, 1);
    assert_eq!(pic.count, 72);
    assert_eq!(pic.comparison.comparison.baseline, 36.0);
    assert_eq!(
        pic.comparison.comparison.verdict,
        crate::Verdict::SignificantlyHigher
    );
    let total: f64 = pic.hour_weekday.iter().flatten().sum();
    assert!((total - 72.0).abs() < 1e-9);
    let last = pic.monthly.last().unwrap();
    assert_eq!(
        (last.month.as_str(), last.count, last.expected),
        ("2023-12", 6, Some(3.0))
    );
    assert_eq!(
        pic.monthly.first().unwrap().expected,
        None,
        "2020 has no three years behind it"
    );
    assert_eq!(pic.areas[0].rate_per_1000, Some(18.0));
    assert!(pic.trend.as_ref().unwrap().annual_change_pct > 0.0);
    let ytd = pic
        .comparisons
        .iter()
        .find(|c| c.label == "year-to-date")
        .unwrap();
    assert_eq!(
        (ytd.comparison.current, ytd.comparison.baseline_events),
        (72, 36)
    );
}
