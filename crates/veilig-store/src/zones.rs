//! Zones, their municipalities, phenomenon catalogue, category mappings and areas.

use sqlx::Row;
use veilig_domain::{
    Area, Catalogue, CategoryMap, Municipality, NewZone, NisCode, PhenomenonDef, Zone, ZoneCode,
    ZoneKind,
};

use crate::{Result, Store, StoreError, now, on_pool};

macro_rules! zone_from_row {
    ($r:expr) => {{
        let r = $r;
        let code: String = r.try_get("code")?;
        let kind: String = r.try_get("kind")?;
        Zone {
            id: r.try_get("id")?,
            code: ZoneCode::parse(&code).map_err(StoreError::Invalid)?,
            name: r.try_get("name")?,
            kind: ZoneKind::parse(&kind)
                .ok_or_else(|| StoreError::Invalid(format!("zone kind {kind:?}")))?,
            crs: r.try_get::<i64, _>("crs")? as i32,
            synthetic: r.try_get("synthetic")?,
        }
    }};
}

macro_rules! area_from_row {
    ($r:expr) => {{
        let r = $r;
        let geometry: String = r.try_get("geometry")?;
        let geometry: veilig_domain::MultiPolygon = serde_json::from_str(&geometry)
            .map_err(|e| $crate::StoreError::Invalid(format!("stored geometry: {e}")))?;
        Ok::<_, $crate::StoreError>(veilig_domain::Area {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            municipality_nis: r.try_get("municipality_nis")?,
            geometry,
            synthetic: r.try_get("synthetic")?,
        })
    }};
}
pub(crate) use area_from_row;

pub(crate) const AREAS_SQL: &str = "SELECT id, code, name, kind, municipality_nis, geometry, synthetic FROM areas WHERE zone_id = $1 ORDER BY code";

impl Store {
    /// Creates a zone and gives it the catalogue's phenomena and category mappings.
    pub async fn create_zone(&self, zone: &NewZone, catalogue: &Catalogue) -> Result<Zone> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO zones (code, name, kind, crs, synthetic, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(zone.code.as_str())
            .bind(&zone.name)
            .bind(zone.kind.as_str())
            .bind(zone.crs as i64)
            .bind(zone.synthetic)
            .bind(now())
            .fetch_one(&mut *tx)
            .await?;
            for p in &catalogue.phenomena {
                sqlx::query("INSERT INTO phenomena (zone_id, code, name_nl, name_fr, name_en, nvp, mapped) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(id).bind(&p.code).bind(&p.nl).bind(&p.fr).bind(&p.en)
                    .bind(p.nvp.map(i64::from)).bind(p.mapped)
                    .execute(&mut *tx).await?;
            }
            for m in &catalogue.mappings {
                sqlx::query("INSERT INTO category_map (zone_id, source, category, phenomenon) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                    .bind(id).bind(&m.source).bind(m.category.trim().to_lowercase()).bind(&m.phenomenon)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.zone(zone.code.as_str())
            .await?
            .ok_or_else(|| StoreError::NotFound("zone vanished after insert".into()))
    }

    pub async fn zone(&self, code: &str) -> Result<Option<Zone>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT id, code, name, kind, crs, synthetic FROM zones WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await?;
            Ok(match row { Some(r) => Some(zone_from_row!(&r)), None => None })
        })
    }

    pub async fn zones(&self) -> Result<Vec<Zone>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT id, code, name, kind, crs, synthetic FROM zones ORDER BY code")
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(zone_from_row!(r));
            }
            Ok(out)
        })
    }

    pub async fn add_municipality(&self, zone_id: i64, m: &Municipality) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO municipalities (zone_id, nis_code, name_nl, name_fr) VALUES ($1, $2, $3, $4) ON CONFLICT (zone_id, nis_code) DO UPDATE SET name_nl = excluded.name_nl, name_fr = excluded.name_fr")
                .bind(zone_id).bind(m.nis.as_str()).bind(&m.name_nl).bind(&m.name_fr)
                .execute(pool).await?;
            Ok(())
        })
    }

    pub async fn municipalities(&self, zone_id: i64) -> Result<Vec<Municipality>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT nis_code, name_nl, name_fr FROM municipalities WHERE zone_id = $1 ORDER BY nis_code")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::new();
            for r in &rows {
                let nis: String = r.try_get("nis_code")?;
                out.push(Municipality {
                    nis: NisCode::parse(&nis).map_err(StoreError::Invalid)?,
                    name_nl: r.try_get("name_nl")?,
                    name_fr: r.try_get("name_fr")?,
                });
            }
            Ok(out)
        })
    }

    pub async fn phenomena(&self, zone_id: i64) -> Result<Vec<PhenomenonDef>> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT code, name_nl, name_fr, name_en, nvp, mapped FROM phenomena WHERE zone_id = $1 ORDER BY code")
                .bind(zone_id).fetch_all(pool).await?;
            let mut out = Vec::new();
            for r in &rows {
                out.push(PhenomenonDef {
                    code: r.try_get("code")?,
                    nl: r.try_get("name_nl")?,
                    fr: r.try_get("name_fr")?,
                    en: r.try_get("name_en")?,
                    nvp: r.try_get::<Option<i64>, _>("nvp")?.map(|v| v as i32),
                    mapped: r.try_get("mapped")?,
                });
            }
            Ok(out)
        })
    }

    /// The zone's category → phenomenon mapping, as stored (seeded from the catalogue).
    pub async fn category_map(&self, zone_id: i64) -> Result<CategoryMap> {
        on_pool!(self, pool => {
            let rows = sqlx::query("SELECT source, category, phenomenon FROM category_map WHERE zone_id = $1")
                .bind(zone_id).fetch_all(pool).await?;
            let mut map = CategoryMap::default();
            for r in &rows {
                let s: String = r.try_get("source")?;
                let c: String = r.try_get("category")?;
                let p: String = r.try_get("phenomenon")?;
                map.insert(&s, &c, &p);
            }
            Ok(map)
        })
    }

    /// Maps a source category to an existing phenomenon of the zone and moves the incidents
    /// already stored under that category, so the mapping and the data never disagree.
    pub async fn set_category_mapping(
        &self,
        zone_id: i64,
        source: &str,
        category: &str,
        phenomenon: &str,
    ) -> Result<u64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM phenomena WHERE zone_id = $1 AND code = $2")
                .bind(zone_id).bind(phenomenon).fetch_one(&mut *tx).await?;
            if exists == 0 {
                return Err(StoreError::NotFound(format!("phenomenon {phenomenon:?} does not exist in this zone")));
            }
            sqlx::query("INSERT INTO category_map (zone_id, source, category, phenomenon) VALUES ($1, $2, $3, $4) ON CONFLICT (zone_id, source, category) DO UPDATE SET phenomenon = excluded.phenomenon")
                .bind(zone_id).bind(source).bind(category.trim().to_lowercase()).bind(phenomenon)
                .execute(&mut *tx).await?;
            let moved = sqlx::query("UPDATE incidents SET phenomenon = $1 WHERE zone_id = $2 AND source = $3 AND lower(trim(category)) = $4")
                .bind(phenomenon).bind(zone_id).bind(source).bind(category.trim().to_lowercase())
                .execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
            Ok(moved)
        })
    }

    pub async fn areas(&self, zone_id: i64) -> Result<Vec<Area>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(AREAS_SQL)
                .bind(zone_id).fetch_all(pool).await?;
            rows.iter().map(|r| area_from_row!(r)).collect()
        })
    }
}
