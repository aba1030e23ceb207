//! The security picture of one phenomenon (and optionally one area) over a period: what
//! `veilig picture` prints and the web and reports draw.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::compare::{Comparison, TestRules};
use crate::compstat::DayCounts;
use crate::concentration::{Concentration, concentration};
use crate::event::{Event, Period};
use crate::time::{MonthYear, coverage_start, hour_weekday, month_start, month_year, next_month};
use crate::trend::{
    ControlPoint, Seasonality, Trend, control_chart, poisson_quantile, poisson_trend, seasonality,
};

/// Which baseline the headline comparison uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Baseline {
    /// The same dates one year earlier.
    PreviousYear,
    /// The same dates in each of the three previous years (their mean).
    Previous3Years,
}

impl Baseline {
    pub fn parse(s: &str) -> Option<Baseline> {
        match s {
            "previous-year" => Some(Baseline::PreviousYear),
            "previous-3-years" => Some(Baseline::Previous3Years),
            _ => None,
        }
    }
}

/// A labelled comparison (the Compstat book: the period itself and rolling windows).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labelled {
    /// `period-vs-previous-year`, `period-vs-previous-3-years`, `week-to-date`, `last-28-days`,
    /// `year-to-date` (the windows end on the period's last day and compare with the same
    /// dates a year earlier).
    pub label: &'static str,
    pub current: Period,
    pub baseline_periods: Vec<Period>,
    #[serde(flatten)]
    pub comparison: Comparison,
}

/// One month of the series, with what the three previous years lead one to expect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub count: u64,
    /// Mean of the same month in the three previous years, when all three are in the data.
    pub expected: Option<f64>,
    /// 95 % Poisson range around `expected` (2.5 % and 97.5 % quantiles).
    pub band_low: Option<u64>,
    pub band_high: Option<u64>,
}

/// Counts and rates of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaFigure {
    pub area_id: i64,
    pub code: String,
    pub name: String,
    pub count: u64,
    /// Share of the period's located incidents.
    pub share: f64,
    pub population: Option<i64>,
    pub dwellings: Option<i64>,
    /// Incidents per 1,000 inhabitants (and per 1,000 dwellings) in the period.
    pub rate_per_1000: Option<f64>,
    pub rate_per_1000_dwellings: Option<f64>,
}

/// An area as the picture needs it: who, and how many live there.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaInfo {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// NIS code of the municipality the area lies in, if known.
    pub municipality: Option<String>,
    pub population: Option<i64>,
    pub dwellings: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Picture {
    /// The period the figures are about: the one asked for, cut to the data's coverage.
    pub period: Period,
    /// Whether the period asked for reached past the data's coverage (and was cut).
    pub partial: bool,
    /// Incidents whose window starts in the period.
    pub count: u64,
    /// The headline comparison (per `--compare`).
    pub comparison: Labelled,
    pub comparisons: Vec<Labelled>,
    /// Rows Monday..Sunday, columns 0..23 h, aoristic; sums to `count`.
    pub hour_weekday: [[f64; 24]; 7],
    pub monthly: Vec<MonthPoint>,
    pub month_year: MonthYear,
    pub trend: Option<Trend>,
    pub seasonality: Seasonality,
    pub control_chart: Vec<ControlPoint>,
    /// Over places (locations to the metre) and over areas, in the period.
    pub places: Concentration,
    pub area_concentration: Concentration,
    pub areas: Vec<AreaFigure>,
    /// Per municipality (areas grouped by their NIS code; `area_id` is 0), when areas name one.
    pub municipalities: Vec<AreaFigure>,
    /// The whole zone: all incidents of the period, against the zone's population.
    pub zone: Option<AreaFigure>,
    pub rules: TestRules,
}

fn labelled(
    label: &'static str,
    current: Period,
    baselines: Vec<Period>,
    days: &DayCounts,
    rules: TestRules,
) -> Labelled {
    Labelled {
        label,
        current,
        comparison: days.compare(&current, &baselines, rules),
        baseline_periods: baselines,
    }
}

/// Who lives where: the denominators of rates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Denominators {
    pub areas: Vec<AreaInfo>,
    /// Municipalities with their population (`id` unused, `code` = NIS code).
    pub municipalities: Vec<AreaInfo>,
    /// The zone's name, population and dwellings.
    pub zone: Option<AreaInfo>,
}

fn figure(a: &AreaInfo, count: u64, total: u64) -> AreaFigure {
    AreaFigure {
        area_id: a.id,
        code: a.code.clone(),
        name: a.name.clone(),
        count,
        share: count as f64 / total.max(1) as f64,
        population: a.population,
        dwellings: a.dwellings,
        rate_per_1000: a
            .population
            .filter(|p| *p > 0)
            .map(|p| count as f64 * 1000.0 / p as f64),
        rate_per_1000_dwellings: a
            .dwellings
            .filter(|p| *p > 0)
            .map(|p| count as f64 * 1000.0 / p as f64),
    }
}

/// Builds the picture. `events` should cover at least three years before the period for the
/// baselines and the series; `denominators` names the areas, municipalities and zone with
/// their population; `coverage` is the first and last day the zone's data speak for (its
/// sources' coverage). Without it, the coverage is read from the events themselves (a
/// phenomenon's first year with a quarter of its busiest year's count, its last event).
///
/// The trend runs over the calendar years wholly covered up to the period's end: every view
/// (the full figures and the published ones, which know only whole released years) fits the
/// same years with the same exposure.
pub fn picture(
    events: &[Event],
    period: Period,
    baseline: Baseline,
    denominators: &Denominators,
    coverage: Option<Period>,
    rules: TestRules,
) -> Picture {
    // A period is about the days the data cover: cut to the coverage, said by `partial`, so
    // that no count or verdict speaks of days no record could fall on.
    let asked = period;
    let period = match coverage {
        Some(c) if c.start <= period.end && c.end >= period.start => {
            Period::new(period.start.max(c.start), period.end.min(c.end))
        }
        _ => period,
    };
    let partial = period != asked;
    let areas = &denominators.areas;
    let by_day = DayCounts::new(events);
    let in_period: Vec<Event> = events
        .iter()
        .filter(|e| period.contains(e.date()))
        .copied()
        .collect();
    let prev = |k: i32| period.shift_years(k);
    let end = period.end;
    let monday = end - Duration::days(end.weekday().num_days_from_monday() as i64);
    let windows = |label, start: NaiveDate| {
        let cur = Period::new(start, end);
        labelled(label, cur, vec![cur.shift_years(1)], &by_day, rules)
    };
    let comparisons = vec![
        labelled(
            "period-vs-previous-year",
            period,
            vec![prev(1)],
            &by_day,
            rules,
        ),
        labelled(
            "period-vs-previous-3-years",
            period,
            vec![prev(1), prev(2), prev(3)],
            &by_day,
            rules,
        ),
        windows("week-to-date", monday),
        windows("last-28-days", end - Duration::days(27)),
        windows(
            "year-to-date",
            NaiveDate::from_ymd_opt(end.year(), 1, 1).expect("valid"),
        ),
    ];
    let headline = comparisons[match baseline {
        Baseline::PreviousYear => 0,
        Baseline::Previous3Years => 1,
    }]
    .clone();

    // The month-by-year table over all the data up to the period's end.
    let upto: Vec<Event> = events.iter().filter(|e| e.date() <= end).copied().collect();
    let my = month_year(&upto);
    let year_index: HashMap<i32, usize> =
        my.years.iter().enumerate().map(|(i, y)| (*y, i)).collect();
    let first_data = match coverage {
        Some(c) => Some(c.start),
        None => coverage_start(&my, upto.iter().map(|e| e.date()).min()),
    };
    let last_data = match coverage {
        Some(c) => c.end.min(end),
        None => end,
    };

    // Monthly series from three years before the period to its end.
    let mut monthly = Vec::new();
    let mut m = month_start(prev(3).start);
    while m <= end {
        let idx = |y: i32| {
            year_index
                .get(&y)
                .map(|&i| my.counts[i][m.month0() as usize])
        };
        let count = idx(m.year()).unwrap_or(0);
        let history: Option<Vec<u64>> = (1..=3)
            .map(|k| {
                if first_data.is_some_and(|f| {
                    month_start(f)
                        <= NaiveDate::from_ymd_opt(m.year() - k, m.month(), 1).expect("valid")
                }) {
                    Some(idx(m.year() - k).unwrap_or(0))
                } else {
                    None
                }
            })
            .collect();
        let expected = history.map(|h| h.iter().sum::<u64>() as f64 / 3.0);
        monthly.push(MonthPoint {
            month: format!("{:04}-{:02}", m.year(), m.month()),
            count,
            expected,
            band_low: expected.map(|e| poisson_quantile(e, 0.025)),
            band_high: expected.map(|e| poisson_quantile(e, 0.975)),
        });
        m = next_month(m);
    }

    // Trend over the calendar years wholly covered to the period's end.
    let (mut ys, mut cs, mut ex) = (Vec::new(), Vec::new(), Vec::new());
    if let Some(first) = first_data {
        // Every covered year counts, those without a single event too.
        for y in first.year()..=last_data.year() {
            let ystart = NaiveDate::from_ymd_opt(y, 1, 1).expect("valid");
            let yend = NaiveDate::from_ymd_opt(y, 12, 31).expect("valid");
            if ystart < first || yend > last_data {
                continue;
            }
            ys.push(y);
            cs.push(year_index.get(&y).map_or(0, |&i| my.counts[i].iter().sum()));
            ex.push(Period::new(ystart, yend).days());
        }
    }
    let mut season_events = [0u64; 12];
    let mut season_days = [0f64; 12];
    if let Some(first) = first_data {
        let mut d = first;
        while d <= last_data {
            season_days[d.month0() as usize] += 1.0;
            d += Duration::days(1);
        }
        for (y, row) in my.years.iter().zip(&my.counts) {
            if *y < first.year() {
                continue;
            }
            for mth in 0..12 {
                season_events[mth] += row[mth];
            }
        }
    }

    let located: Vec<&Event> = in_period.iter().filter(|e| e.xy.is_some()).collect();
    let places = concentration(located.iter().map(|e| {
        let (x, y) = e.xy.expect("located");
        (x.round() as i64, y.round() as i64)
    }));
    let mut per_area: HashMap<i64, u64> = HashMap::new();
    for e in &in_period {
        if let Some(a) = e.area {
            *per_area.entry(a).or_default() += 1;
        }
    }
    let in_areas = per_area.values().sum::<u64>();
    let area_figures: Vec<AreaFigure> = areas
        .iter()
        .map(|a| figure(a, per_area.get(&a.id).copied().unwrap_or(0), in_areas))
        .collect();
    let mut per_municipality: HashMap<&str, u64> = HashMap::new();
    for a in areas {
        if let Some(m) = &a.municipality {
            *per_municipality.entry(m.as_str()).or_default() +=
                per_area.get(&a.id).copied().unwrap_or(0);
        }
    }
    let municipalities = denominators
        .municipalities
        .iter()
        .filter(|m| per_municipality.contains_key(m.code.as_str()))
        .map(|m| figure(m, per_municipality[m.code.as_str()], in_areas))
        .collect();
    let zone = denominators
        .zone
        .as_ref()
        .map(|z| figure(z, in_period.len() as u64, in_period.len() as u64));
    let area_concentration = concentration(in_period.iter().filter_map(|e| e.area));

    Picture {
        period,
        partial,
        count: in_period.len() as u64,
        comparison: headline,
        comparisons,
        hour_weekday: hour_weekday(&in_period),
        monthly,
        trend: poisson_trend(&ys, &cs, &ex),
        seasonality: seasonality(season_events, season_days),
        control_chart: {
            let skip = first_data
                .map(|f| my.years.iter().take_while(|y| **y < f.year()).count())
                .unwrap_or(0);
            control_chart(&my.years[skip..], &my.counts[skip..], 3)
        },
        month_year: my,
        places,
        area_concentration,
        areas: area_figures,
        municipalities,
        zone,
        rules,
    }
}

#[cfg(test)]
mod tests;
