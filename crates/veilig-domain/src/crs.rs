//! Coordinate reference systems Veilig knows, and projection into a zone's working CRS.
//!
//! Belgian exports come in Lambert 72 (EPSG:31370) or Lambert 2008 (EPSG:3812); open data
//! from abroad in WGS84 degrees. Distances (near repeat, hotspot cells) need metres, so every
//! location is projected once, at import, into the zone's CRS; the original is kept too.

use proj4rs::proj::Proj;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum CrsError {
    #[error(
        "unknown CRS EPSG:{0} (known: 4326 WGS84, 31370 Lambert 72, 3812 Lambert 2008, 32617 UTM 17N, 27700 British National Grid)"
    )]
    Unknown(i32),
    #[error("cannot project ({x}, {y}) from EPSG:{from} to EPSG:{to}: {reason}")]
    Transform {
        x: f64,
        y: f64,
        from: i32,
        to: i32,
        reason: String,
    },
}

/// A CRS by EPSG code, with the proj definition Veilig uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crs {
    pub epsg: i32,
    pub name: &'static str,
    /// PROJ.4 definition. The datum shifts are the 7-parameter ones of the EPSG registry
    /// entries (as published by epsg.io); they are accurate to about a metre, which is
    /// finer than the "on or near" snapping of any open crime data.
    pub proj: &'static str,
    pub geographic: bool,
}

const KNOWN: &[Crs] = &[
    Crs {
        epsg: 4326,
        name: "WGS 84",
        proj: "+proj=longlat +datum=WGS84 +no_defs",
        geographic: true,
    },
    Crs {
        epsg: 31370,
        name: "BD72 / Belgian Lambert 72",
        proj: "+proj=lcc +lat_0=90 +lon_0=4.36748666666667 +lat_1=51.1666672333333 +lat_2=49.8333339 +x_0=150000.013 +y_0=5400088.438 +ellps=intl +towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 +units=m +no_defs",
        geographic: false,
    },
    Crs {
        epsg: 3812,
        name: "ETRS89 / Belgian Lambert 2008",
        proj: "+proj=lcc +lat_0=50.797815 +lon_0=4.35921583333333 +lat_1=49.8333333333333 +lat_2=51.1666666666667 +x_0=649328 +y_0=665262 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
        geographic: false,
    },
    Crs {
        epsg: 32617,
        name: "WGS 84 / UTM zone 17N",
        proj: "+proj=utm +zone=17 +datum=WGS84 +units=m +no_defs",
        geographic: false,
    },
    Crs {
        epsg: 27700,
        name: "OSGB36 / British National Grid",
        proj: "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs",
        geographic: false,
    },
];

impl Crs {
    pub fn from_epsg(epsg: i32) -> Result<Crs, CrsError> {
        KNOWN
            .iter()
            .copied()
            .find(|c| c.epsg == epsg)
            .ok_or(CrsError::Unknown(epsg))
    }

    /// Accepts `31370`, `EPSG:31370`, `epsg:31370`.
    pub fn parse(s: &str) -> Result<Crs, CrsError> {
        let t = s.trim();
        let digits = t
            .strip_prefix("EPSG:")
            .or_else(|| t.strip_prefix("epsg:"))
            .unwrap_or(t);
        let epsg = digits.parse::<i32>().map_err(|_| CrsError::Unknown(-1))?;
        Crs::from_epsg(epsg)
    }

    pub fn known() -> &'static [Crs] {
        KNOWN
    }
}

/// Projects points from one CRS to another. Build once per import, reuse for every row.
pub struct Projector {
    from: Crs,
    to: Crs,
    src: Proj,
    dst: Proj,
}

impl std::fmt::Debug for Projector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Projector(EPSG:{} -> EPSG:{})",
            self.from.epsg, self.to.epsg
        )
    }
}

impl Projector {
    pub fn new(from: i32, to: i32) -> Result<Projector, CrsError> {
        let from = Crs::from_epsg(from)?;
        let to = Crs::from_epsg(to)?;
        let build = |c: &Crs| {
            Proj::from_proj_string(c.proj).map_err(|e| CrsError::Transform {
                x: f64::NAN,
                y: f64::NAN,
                from: from.epsg,
                to: to.epsg,
                reason: e.to_string(),
            })
        };
        Ok(Projector {
            src: build(&from)?,
            dst: build(&to)?,
            from,
            to,
        })
    }

    pub fn from_epsg(&self) -> i32 {
        self.from.epsg
    }

    pub fn to_epsg(&self) -> i32 {
        self.to.epsg
    }

    /// The stored location of a source point: projected, with the original kept.
    pub fn locate(&self, x: f64, y: f64) -> Result<crate::Location, CrsError> {
        let (px, py) = self.project(x, y)?;
        Ok(crate::Location {
            x: px,
            y: py,
            orig_x: x,
            orig_y: y,
            orig_crs: self.from.epsg,
        })
    }

    /// Transforms `(x, y)`; geographic coordinates are longitude, latitude in degrees.
    pub fn project(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        let err = |reason: String| CrsError::Transform {
            x,
            y,
            from: self.from.epsg,
            to: self.to.epsg,
            reason,
        };
        if !x.is_finite() || !y.is_finite() {
            return Err(err("not a finite number".into()));
        }
        if self.from.geographic && (x.abs() > 180.0 || y.abs() > 90.0) {
            return Err(err("longitude/latitude out of range".into()));
        }
        if self.from.epsg == self.to.epsg {
            return Ok((x, y));
        }
        let (ix, iy) = if self.from.geographic {
            (x.to_radians(), y.to_radians())
        } else {
            (x, y)
        };
        let (ox, oy) = proj4rs::adaptors::transform_xy(&self.src, &self.dst, ix, iy)
            .map_err(|e| err(e.to_string()))?;
        if !ox.is_finite() || !oy.is_finite() {
            return Err(err("projection gave no finite result".into()));
        }
        Ok(if self.to.geographic {
            (ox.to_degrees(), oy.to_degrees())
        } else {
            (ox, oy)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EPSG Guidance Note 7-2, example for method 9802 (Lambert Conic Conformal 2SP Belgium):
    /// BD72 latitude 50°40'46.461"N, longitude 5°48'26.533"E gives E = 251763.20 m,
    /// N = 153034.13 m in Belgian Lambert 72. The projection is exercised alone by
    /// starting from BD72 geographic coordinates (same datum, no shift).
    #[test]
    fn lambert72_matches_epsg_guidance_example() {
        let bd72 = Proj::from_proj_string(
            "+proj=longlat +ellps=intl +towgs84=-106.8686,52.2978,-103.7239,0.3366,-0.457,1.8422,-1.2747 +no_defs",
        )
        .unwrap();
        let l72 = Proj::from_proj_string(Crs::from_epsg(31370).unwrap().proj).unwrap();
        let lat: f64 = 50.0 + 40.0 / 60.0 + 46.461 / 3600.0;
        let lon: f64 = 5.0 + 48.0 / 60.0 + 26.533 / 3600.0;
        let (e, n) =
            proj4rs::adaptors::transform_xy(&bd72, &l72, lon.to_radians(), lat.to_radians())
                .unwrap();
        assert!((e - 251763.20).abs() < 0.05, "E = {e}");
        assert!((n - 153034.13).abs() < 0.05, "N = {n}");
    }

    /// The natural origin of Lambert 2008 (50.797815°N, 4.35921583333333°E on ETRS89, which
    /// equals WGS84 here) must land exactly on the false easting and northing (649328, 665262).
    #[test]
    fn lambert2008_origin_is_its_false_origin() {
        let to08 = Projector::new(4326, 3812).unwrap();
        let (x, y) = to08.project(4.35921583333333, 50.797815).unwrap();
        assert!(
            (x - 649328.0).abs() < 0.001 && (y - 665262.0).abs() < 0.001,
            "{x} {y}"
        );
    }

    /// NGI chose Lambert 2008's false origin so that its coordinates read roughly as Lambert 72
    /// plus 500 km on both axes; the datums differ, so metres of difference remain (5.4 m at
    /// Mol with these definitions). A coarse check that catches swapped axes or origins.
    #[test]
    fn lambert2008_is_roughly_lambert72_plus_500_km() {
        let to72 = Projector::new(4326, 31370).unwrap();
        let to08 = Projector::new(4326, 3812).unwrap();
        for (lon, lat) in [(5.115, 51.19), (4.35, 50.85), (3.72, 51.05)] {
            let (x72, y72) = to72.project(lon, lat).unwrap();
            let (x08, y08) = to08.project(lon, lat).unwrap();
            assert!((x08 - x72 - 500_000.0).abs() < 10.0, "dx {}", x08 - x72);
            assert!((y08 - y72 - 500_000.0).abs() < 10.0, "dy {}", y08 - y72);
        }
    }

    #[test]
    fn round_trip_is_within_two_millimetres() {
        for epsg in [31370, 3812, 32617, 27700] {
            let fwd = Projector::new(4326, epsg).unwrap();
            let back = Projector::new(epsg, 4326).unwrap();
            let (lon, lat) = match epsg {
                32617 => (-79.38, 43.65),
                27700 => (-1.55, 53.8),
                _ => (5.115, 51.19),
            };
            let (x, y) = fwd.project(lon, lat).unwrap();
            let (lon2, lat2) = back.project(x, y).unwrap();
            // 2e-8 degrees is under 2 mm; the Helmert inverse of EPSG:27700 costs about 1 mm.
            assert!(
                (lon - lon2).abs() < 2e-8 && (lat - lat2).abs() < 2e-8,
                "EPSG:{epsg}: {} {}",
                lon - lon2,
                lat - lat2
            );
        }
    }

    #[test]
    fn rejects_out_of_range_and_unknown() {
        let p = Projector::new(4326, 31370).unwrap();
        assert!(p.project(200.0, 51.0).is_err());
        assert!(p.project(f64::NAN, 51.0).is_err());
        assert_eq!(Crs::from_epsg(9999).unwrap_err(), CrsError::Unknown(9999));
        assert_eq!(Crs::parse("EPSG:3812").unwrap().epsg, 3812);
    }
}
