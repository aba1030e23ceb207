//! Reading back the tables an import fills beside the incidents: published statistics, staff,
//! population groups, survey responses and calls.

use chrono::NaiveDateTime;
use sqlx::Row;

use crate::{Result, Store, from_row, on_pool};

/// A published statistic as stored, with its source.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PublishedCell {
    pub source: String,
    #[serde(flatten)]
    pub cell: veilig_domain::StatCount,
}

impl Store {
    /// Published cells of one category (case-insensitive), keeping for each cell only the
    /// version with the latest closing date; oldest period first.
    pub async fn published(&self, zone_id: i64, category: &str) -> Result<Vec<PublishedCell>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT s.source, s.level, s.area_code, s.period_start, s.period_end, s.category, s.category_kind, s.count, s.closing_date, s.provisional FROM stat_counts s WHERE s.zone_id = $1 AND lower(s.category) = lower($2) AND s.closing_date = (SELECT MAX(t.closing_date) FROM stat_counts t WHERE t.zone_id = s.zone_id AND t.source = s.source AND t.level = s.level AND t.area_code = s.area_code AND t.period_start = s.period_start AND t.period_end = s.period_end AND t.category = s.category) ORDER BY s.period_start, s.area_code")
                .bind(zone_id).bind(category).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let kind: String = r.try_get("category_kind")?;
                out.push(PublishedCell {
                    source: r.try_get("source")?,
                    cell: veilig_domain::StatCount {
                        level: r.try_get("level")?,
                        area_code: r.try_get("area_code")?,
                        period_start: r.try_get("period_start")?,
                        period_end: r.try_get("period_end")?,
                        category: r.try_get("category")?,
                        category_kind: veilig_domain::StatCategoryKind::parse(&kind).ok_or_else(|| crate::StoreError::Invalid(format!("category kind {kind:?}")))?,
                        count: r.try_get("count")?,
                        closing_date: r.try_get("closing_date")?,
                        provisional: r.try_get("provisional")?,
                    },
                });
            }
            Ok(out)
        })
    }
}

impl Store {
    /// The zone's staff, by code.
    pub async fn staff(&self, zone_id: i64) -> Result<Vec<veilig_domain::StaffMember>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT code, functionality, rank, fte, contract_hours_week, skills, area_code, synthetic FROM staff WHERE zone_id = $1 ORDER BY code")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let f: String = r.try_get("functionality")?;
                let skills: String = r.try_get("skills")?;
                out.push(veilig_domain::StaffMember {
                    code: r.try_get("code")?,
                    functionality: veilig_domain::Functionality::parse(&f).ok_or_else(|| crate::StoreError::Invalid(format!("functionality {f:?}")))?,
                    rank: r.try_get("rank")?,
                    fte: r.try_get("fte")?,
                    contract_hours_week: r.try_get("contract_hours_week")?,
                    skills: skills.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                    area_code: r.try_get("area_code")?,
                    synthetic: r.try_get("synthetic")?,
                });
            }
            Ok(out)
        })
    }

    /// The zone's population by municipality, sex and age band on the latest reference date
    /// not after `on` (or the oldest, when all are later), oldest groups first.
    pub async fn population_groups(
        &self,
        zone_id: i64,
        on: chrono::NaiveDate,
    ) -> Result<Vec<veilig_domain::PopulationGroup>> {
        let all: Vec<veilig_domain::PopulationGroup> = on_pool!(self, pool => {
            let rows = sqlx::query("SELECT municipality, sex, age_band, ref_date, inhabitants, source, synthetic FROM population_groups WHERE zone_id = $1 ORDER BY ref_date, municipality, sex, age_band")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(veilig_domain::PopulationGroup {
                    municipality: r.try_get("municipality")?,
                    sex: r.try_get("sex")?,
                    age_band: r.try_get("age_band")?,
                    ref_date: r.try_get("ref_date")?,
                    inhabitants: r.try_get("inhabitants")?,
                    source: r.try_get("source")?,
                    synthetic: r.try_get("synthetic")?,
                });
            }
            Ok::<_, crate::StoreError>(out)
        })?;
        let date = all
            .iter()
            .map(|g| g.ref_date)
            .filter(|d| *d <= on)
            .max()
            .or_else(|| all.iter().map(|g| g.ref_date).min());
        Ok(all
            .into_iter()
            .filter(|g| Some(g.ref_date) == date)
            .collect())
    }

    /// The mapping (or codebook) text an import batch was read with.
    pub async fn batch_mapping(&self, batch_id: i64) -> Result<Option<String>> {
        on_pool!(self, pool => {
            let m: Option<Option<String>> = sqlx::query_scalar("SELECT mapping FROM batches WHERE id = $1")
                .bind(batch_id).fetch_optional(pool).await?;
            Ok(m.flatten())
        })
    }

    /// The survey waves stored for the zone: (survey, wave, batch id of the codebook's
    /// import, respondents), oldest wave first.
    pub async fn survey_waves(&self, zone_id: i64) -> Result<Vec<(String, String, i64, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT survey, wave, MIN(batch_id) AS batch_id, COUNT(*) AS n FROM survey_responses WHERE zone_id = $1 GROUP BY survey, wave ORDER BY survey, wave")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("survey")?, r.try_get("wave")?, r.try_get("batch_id")?, r.try_get("n")?));
            }
            Ok(out)
        })
    }

    /// The respondents of one wave, by respondent key.
    pub async fn survey_responses(
        &self,
        zone_id: i64,
        survey: &str,
        wave: &str,
    ) -> Result<Vec<veilig_domain::SurveyResponse>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT survey, wave, respondent, municipality, area_code, stratum, cluster, weight, fpc, sex, age_band, answers, synthetic FROM survey_responses WHERE zone_id = $1 AND survey = $2 AND wave = $3 ORDER BY respondent")
                .bind(zone_id).bind(survey).bind(wave).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let answers: String = r.try_get("answers")?;
                out.push(veilig_domain::SurveyResponse {
                    survey: r.try_get("survey")?,
                    wave: r.try_get("wave")?,
                    respondent: r.try_get("respondent")?,
                    municipality: r.try_get("municipality")?,
                    area_code: r.try_get("area_code")?,
                    stratum: r.try_get("stratum")?,
                    cluster: r.try_get("cluster")?,
                    weight: r.try_get("weight")?,
                    fpc: r.try_get("fpc")?,
                    sex: r.try_get("sex")?,
                    age_band: r.try_get("age_band")?,
                    answers: serde_json::from_str(&answers).map_err(|e| crate::StoreError::Invalid(format!("survey answers: {e}")))?,
                    synthetic: r.try_get("synthetic")?,
                });
            }
            Ok(out)
        })
    }

    /// Calls received in `[from, until)`, optionally of one category and one priority: how
    /// many, and the import batches they came from.
    pub async fn call_count(
        &self,
        zone_id: i64,
        from: NaiveDateTime,
        until: NaiveDateTime,
        category: Option<&str>,
        priority: Option<&str>,
    ) -> Result<(i64, Vec<i64>)> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT batch_id, COUNT(*) AS n FROM calls WHERE zone_id = $1 AND received_at >= $2 AND received_at < $3 AND ($4 IS NULL OR category = $4) AND ($5 IS NULL OR priority = $5) GROUP BY batch_id ORDER BY batch_id")
                .bind(zone_id).bind(from).bind(until).bind(category).bind(priority).fetch_all(pool).await?;
            let mut n = 0i64;
            let mut batches = Vec::with_capacity(rows.len());
            for r in &rows {
                let c: i64 = r.try_get("n")?;
                n += c;
                batches.push(r.try_get("batch_id")?);
            }
            Ok((n, batches))
        })
    }

    /// Response times (minutes) of the calls received in `[from, until)` that record one,
    /// optionally of one category and one priority, with the batches they came from.
    pub async fn call_response_minutes(
        &self,
        zone_id: i64,
        from: NaiveDateTime,
        until: NaiveDateTime,
        category: Option<&str>,
        priority: Option<&str>,
    ) -> Result<(Vec<f64>, Vec<i64>)> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT batch_id, response_minutes FROM calls WHERE zone_id = $1 AND received_at >= $2 AND received_at < $3 AND ($4 IS NULL OR category = $4) AND ($5 IS NULL OR priority = $5) AND response_minutes IS NOT NULL ORDER BY response_minutes")
                .bind(zone_id).bind(from).bind(until).bind(category).bind(priority).fetch_all(pool).await?;
            let mut minutes = Vec::with_capacity(rows.len());
            let mut batches = std::collections::BTreeSet::new();
            for r in &rows {
                minutes.push(r.try_get("response_minutes")?);
                batches.insert(r.try_get::<i64, _>("batch_id")?);
            }
            Ok((minutes, batches.into_iter().collect()))
        })
    }

    /// Calls received in `[from, until)` per priority: how many, and how many of them a
    /// unit was committed to (an intervention: committed minutes recorded), by priority.
    pub async fn call_priorities(
        &self,
        zone_id: i64,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Result<Vec<CallPriority>> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, CallPriority>("SELECT priority, COUNT(*) AS calls, COUNT(committed_minutes) AS interventions FROM calls WHERE zone_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY priority ORDER BY priority")
                .bind(zone_id).bind(from).bind(until).fetch_all(pool).await?)
        })
    }

    /// Calls received in `[from, until)` counted by category (None: no category).
    pub async fn call_categories(
        &self,
        zone_id: i64,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Result<Vec<(Option<String>, i64)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT category, COUNT(*) AS n FROM calls WHERE zone_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY category ORDER BY category")
                .bind(zone_id).bind(from).bind(until).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("category")?, r.try_get("n")?));
            }
            Ok(out)
        })
    }

    /// Calls received in `[from, until)`: when, and minutes committed (None when unknown).
    pub async fn call_times(
        &self,
        zone_id: i64,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Result<Vec<(NaiveDateTime, Option<f64>)>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT received_at, committed_minutes FROM calls WHERE zone_id = $1 AND received_at >= $2 AND received_at < $3 ORDER BY received_at")
                .bind(zone_id).bind(from).bind(until).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((r.try_get("received_at")?, r.try_get("committed_minutes")?));
            }
            Ok(out)
        })
    }
}

/// The calls of one priority in a period: all, and those a unit was committed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPriority {
    pub priority: String,
    pub calls: i64,
    pub interventions: i64,
}

from_row!(CallPriority {
    priority,
    calls,
    interventions
});
