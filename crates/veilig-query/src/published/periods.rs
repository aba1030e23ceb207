//! Which calendar periods figures under disclosure control are published for: the period a
//! request may ask (exactly a period the rules publish, complete in the data and not before
//! it), and the choice a reader is offered.

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use veilig_disclosure::{PeriodKind, PubPeriod, last_complete_month_end};

use super::Level;

impl crate::figures::ZoneFigures<'_> {
    /// The publication period of a request for aggregated figures: `from`/`to` must be
    /// exactly a calendar period the rules publish at this level, complete in the data;
    /// without them, the last complete calendar year (or, before one exists, the last
    /// complete quarter or month the rules publish). `Err` carries the locale key.
    pub async fn publication_period(
        &self,
        asked: Option<(NaiveDate, NaiveDate)>,
        level: Level,
    ) -> Result<Result<PubPeriod, &'static str>> {
        let rules = self.rules();
        let publishes = |k: PeriodKind| match level {
            Level::Zone => rules.zone_publishes(k),
            Level::Areas => rules.areas_publish(k),
        };
        let Some(through) = self.complete_through().await? else {
            return Ok(Err("error-period-not-published"));
        };
        let p = match asked {
            Some((from, to)) => match PubPeriod::of(from, to) {
                Some(p) => p,
                None => return Ok(Err("error-period-not-published")),
            },
            None => {
                let y = through.year() - i32::from(through.month() != 12);
                let m = last_complete_month_end(through);
                let candidates = [
                    PubPeriod::Year { year: y },
                    PubPeriod::Quarter {
                        year: m.year(),
                        quarter: m.month() / 3,
                    },
                    PubPeriod::Month {
                        year: m.year(),
                        month: m.month(),
                    },
                ];
                match candidates
                    .into_iter()
                    .filter(|p| !matches!(p, PubPeriod::Quarter { quarter: 0, .. }))
                    .find(|p| publishes(p.kind()) && p.end() <= through)
                {
                    Some(p) => p,
                    None => return Ok(Err("error-period-not-published")),
                }
            }
        };
        if !publishes(p.kind()) || p.end() > through {
            return Ok(Err("error-period-not-published"));
        }
        // A period before the data: refused, not a table of hidden zeros.
        if self.first_year().await?.is_some_and(|y| p.end().year() < y) {
            return Ok(Err("error-period-not-covered"));
        }
        Ok(Ok(p))
    }

    /// The first year the zone's data cover (the sources' coverage), read once per data
    /// version.
    async fn first_year(&self) -> Result<Option<i32>> {
        Ok(self.coverage().await?.map(|c| c.start.year()))
    }

    /// The publication periods a reader can choose at this level, newest first: every
    /// complete calendar year with data, and the quarters and months of the last two years
    /// (the rules' kinds only).
    pub async fn publication_periods(&self, level: Level) -> Result<Vec<PubPeriod>> {
        let rules = self.rules();
        let publishes = |k: PeriodKind| match level {
            Level::Zone => rules.zone_publishes(k),
            Level::Areas => rules.areas_publish(k),
        };
        let Some(through) = self.complete_through().await? else {
            return Ok(Vec::new());
        };
        let first = self.first_year().await?.unwrap_or(through.year());
        let mut out = Vec::new();
        for year in (first..=through.year()).rev() {
            let recent = year >= through.year() - 1;
            if recent && publishes(PeriodKind::Month) {
                out.extend((1..=12).rev().map(|month| PubPeriod::Month { year, month }));
            }
            if recent && publishes(PeriodKind::Quarter) {
                out.extend(
                    (1..=4)
                        .rev()
                        .map(|quarter| PubPeriod::Quarter { year, quarter }),
                );
            }
            if publishes(PeriodKind::Year) {
                out.push(PubPeriod::Year { year });
            }
        }
        out.retain(|p| p.end() <= through);
        // Years first, then quarters, then months, each newest first.
        let rank = |k: PeriodKind| match k {
            PeriodKind::Year => 0,
            PeriodKind::Quarter => 1,
            PeriodKind::Month => 2,
        };
        out.sort_by_key(|p| (rank(p.kind()), std::cmp::Reverse(p.start())));
        Ok(out)
    }
}
