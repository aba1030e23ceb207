//! The smaller tables an import fills: areas, population, published statistics, staff,
//! population groups and survey responses, in chunks of multi-row inserts.

use sqlx::QueryBuilder;
use veilig_domain::{NewArea, PopulationRecord, StaffMember, StatCount};

use super::{CHUNK, ImportTx, Tx};
use crate::{Result, StoreError};

impl ImportTx {
    pub async fn insert_areas(&mut self, rows: &[NewArea]) -> Result<u64> {
        let (zone_id, batch_id) = (self.zone_id, self.batch_id);
        let mut prepared = Vec::with_capacity(rows.len());
        for a in rows {
            let geometry = serde_json::to_string(&a.geometry)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            prepared.push((a, geometry, a.geometry.bbox()));
        }
        Ok(insert_chunks!(
            self,
            prepared,
            "INSERT INTO areas (zone_id, batch_id, code, name, kind, municipality_nis, geometry, min_x, min_y, max_x, max_y, synthetic) ",
            " ON CONFLICT (zone_id, code) DO NOTHING",
            |b, row| {
                let (a, g, bb) = row;
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(a.code.clone())
                    .push_bind(a.name.clone())
                    .push_bind(a.kind.clone())
                    .push_bind(a.municipality_nis.clone())
                    .push_bind(g.clone())
                    .push_bind(bb.min_x)
                    .push_bind(bb.min_y)
                    .push_bind(bb.max_x)
                    .push_bind(bb.max_y)
                    .push_bind(a.synthetic)
            }
        ))
    }

    pub async fn insert_population(&mut self, rows: &[PopulationRecord]) -> Result<u64> {
        let (zone_id, batch_id) = (self.zone_id, self.batch_id);
        Ok(insert_chunks!(
            self,
            rows,
            "INSERT INTO population (zone_id, batch_id, level, code, ref_date, inhabitants, dwellings, households, source, synthetic) ",
            " ON CONFLICT (zone_id, level, code, ref_date) DO NOTHING",
            |b, r| {
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(r.level.as_str())
                    .push_bind(r.code.clone())
                    .push_bind(r.ref_date)
                    .push_bind(r.inhabitants)
                    .push_bind(r.dwellings)
                    .push_bind(r.households)
                    .push_bind(r.source.clone())
                    .push_bind(r.synthetic)
            }
        ))
    }

    pub async fn insert_stat_counts(&mut self, rows: &[StatCount]) -> Result<u64> {
        let (zone_id, batch_id, source) = (self.zone_id, self.batch_id, self.source.clone());
        Ok(insert_chunks!(
            self,
            rows,
            "INSERT INTO stat_counts (zone_id, batch_id, source, level, area_code, period_start, period_end, category, category_kind, count, closing_date, provisional) ",
            " ON CONFLICT (zone_id, source, level, area_code, period_start, period_end, category, closing_date) DO NOTHING",
            |b, r| {
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(source.clone())
                    .push_bind(r.level.clone())
                    .push_bind(r.area_code.clone())
                    .push_bind(r.period_start)
                    .push_bind(r.period_end)
                    .push_bind(r.category.clone())
                    .push_bind(r.category_kind.as_str())
                    .push_bind(r.count)
                    .push_bind(r.closing_date)
                    .push_bind(r.provisional)
            }
        ))
    }

    pub async fn insert_staff(&mut self, rows: &[StaffMember]) -> Result<u64> {
        let (zone_id, batch_id) = (self.zone_id, self.batch_id);
        Ok(insert_chunks!(
            self,
            rows,
            "INSERT INTO staff (zone_id, batch_id, code, functionality, rank, fte, contract_hours_week, skills, area_code, synthetic) ",
            " ON CONFLICT (zone_id, code) DO NOTHING",
            |b, r| {
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(r.code.clone())
                    .push_bind(r.functionality.as_str())
                    .push_bind(r.rank.clone())
                    .push_bind(r.fte)
                    .push_bind(r.contract_hours_week)
                    .push_bind(r.skills.join(","))
                    .push_bind(r.area_code.clone())
                    .push_bind(r.synthetic)
            }
        ))
    }

    /// Population by sex and age band; the same group and date again is a duplicate.
    pub async fn insert_population_groups(
        &mut self,
        rows: &[veilig_domain::PopulationGroup],
    ) -> Result<u64> {
        let (zone_id, batch_id) = (self.zone_id, self.batch_id);
        Ok(insert_chunks!(
            self,
            rows,
            "INSERT INTO population_groups (zone_id, batch_id, municipality, sex, age_band, ref_date, inhabitants, source, synthetic) ",
            " ON CONFLICT (zone_id, municipality, sex, age_band, ref_date) DO NOTHING",
            |b, r| {
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(r.municipality.clone())
                    .push_bind(r.sex.clone())
                    .push_bind(r.age_band.clone())
                    .push_bind(r.ref_date)
                    .push_bind(r.inhabitants)
                    .push_bind(r.source.clone())
                    .push_bind(r.synthetic)
            }
        ))
    }

    /// Survey responses; a respondent already stored for the wave is a duplicate.
    pub async fn insert_survey_responses(
        &mut self,
        rows: &[veilig_domain::SurveyResponse],
    ) -> Result<u64> {
        let (zone_id, batch_id) = (self.zone_id, self.batch_id);
        Ok(insert_chunks!(
            self,
            rows,
            "INSERT INTO survey_responses (zone_id, batch_id, survey, wave, respondent, municipality, area_code, stratum, cluster, weight, fpc, sex, age_band, answers, synthetic) ",
            " ON CONFLICT (zone_id, survey, wave, respondent) DO NOTHING",
            |b, r| {
                b.push_bind(zone_id)
                    .push_bind(batch_id)
                    .push_bind(r.survey.clone())
                    .push_bind(r.wave.clone())
                    .push_bind(r.respondent.clone())
                    .push_bind(r.municipality.clone())
                    .push_bind(r.area_code.clone())
                    .push_bind(r.stratum.clone())
                    .push_bind(r.cluster.clone())
                    .push_bind(r.weight)
                    .push_bind(r.fpc)
                    .push_bind(r.sex.clone())
                    .push_bind(r.age_band.clone())
                    .push_bind(serde_json::to_string(&r.answers).expect("answers serialise"))
                    .push_bind(r.synthetic)
            }
        ))
    }
}
